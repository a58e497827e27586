//! Provisioning and admin operations.

use aws_sdk_cognitoidentityprovider::types::{AttributeType, UserPoolMfaType};

use crate::common::{Fixture, PoolSetup, err, options};

#[tokio::test]
async fn describe_pool_and_client_reflect_creation() {
    let f = Fixture::start(PoolSetup {
        secret: true,
        ..options()
    })
    .await;
    let (region, name) = f.pool_id.split_once('_').unwrap();
    assert_eq!(region, "us-east-1");
    assert!(
        name.len() == 9 && name.chars().all(|c| c.is_ascii_alphanumeric()),
        "{}",
        f.pool_id
    );
    let pool = f
        .admin
        .describe_user_pool()
        .user_pool_id(&f.pool_id)
        .send()
        .await
        .unwrap();
    let pool = pool.user_pool().unwrap();
    let dc = pool.device_configuration().expect("DeviceConfiguration");
    assert!(dc.challenge_required_on_new_device());
    assert!(!dc.device_only_remembered_on_user_prompt());
    let client = f
        .admin
        .describe_user_pool_client()
        .user_pool_id(&f.pool_id)
        .client_id(&f.client_id)
        .send()
        .await
        .unwrap();
    let client = client.user_pool_client().unwrap();
    assert_eq!(client.client_secret(), f.client_secret.as_deref());
    assert_eq!(client.explicit_auth_flows().len(), 3);
    let missing = f
        .admin
        .describe_user_pool()
        .user_pool_id("us-east-1_nope")
        .send()
        .await;
    assert_eq!(err(missing).0, "ResourceNotFoundException");
}

#[tokio::test]
async fn set_user_pool_mfa_config_round_trips() {
    let f = Fixture::start(options()).await;
    let out = f
        .admin
        .set_user_pool_mfa_config()
        .user_pool_id(&f.pool_id)
        .mfa_configuration(UserPoolMfaType::Optional)
        .software_token_mfa_configuration(
            aws_sdk_cognitoidentityprovider::types::SoftwareTokenMfaConfigType::builder()
                .enabled(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(out.mfa_configuration(), Some(&UserPoolMfaType::Optional));
    let pool = f
        .admin
        .describe_user_pool()
        .user_pool_id(&f.pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        pool.user_pool().unwrap().mfa_configuration(),
        Some(&UserPoolMfaType::Optional)
    );
}

#[tokio::test]
async fn admin_user_operations() {
    let f = Fixture::start(options()).await;
    f.user_with("zoe", &[("email", "zoe@example.com")]).await;
    f.admin
        .admin_update_user_attributes()
        .user_pool_id(&f.pool_id)
        .username("zoe")
        .user_attributes(
            AttributeType::builder()
                .name("phone_number")
                .value("+15555550199")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let user = f
        .admin
        .admin_get_user()
        .user_pool_id(&f.pool_id)
        .username("zoe")
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_status().unwrap().as_str(), "CONFIRMED");
    let attrs = user.user_attributes();
    assert!(
        attrs
            .iter()
            .any(|a| a.name() == "phone_number" && a.value() == Some("+15555550199"))
    );
    assert!(attrs.iter().any(|a| a.name() == "sub"));
    let dup = f
        .admin
        .admin_create_user()
        .user_pool_id(&f.pool_id)
        .username("zoe")
        .send()
        .await;
    assert_eq!(
        err(dup),
        (
            "UsernameExistsException".into(),
            "User account already exists".into()
        )
    );
    let weak = f
        .admin
        .admin_set_user_password()
        .user_pool_id(&f.pool_id)
        .username("zoe")
        .password("short")
        .permanent(true)
        .send()
        .await;
    assert_eq!(err(weak).0, "InvalidPasswordException");
    let nobody = f
        .admin
        .admin_get_user()
        .user_pool_id(&f.pool_id)
        .username("nobody")
        .send()
        .await;
    assert_eq!(
        err(nobody),
        (
            "UserNotFoundException".into(),
            "User does not exist.".into()
        )
    );
}

#[tokio::test]
async fn disable_enable_reset_forgot_and_change_password() {
    use aws_sdk_cognitoidentityprovider::types::AuthFlowType;

    use crate::common::PASSWORD;
    let f = Fixture::start(options()).await;
    f.user_with("amy", &[("phone_number", "+15555550140")])
        .await;
    let password_auth = |password: &'static str| {
        f.admin
            .initiate_auth()
            .client_id(&f.client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "amy")
            .auth_parameters("PASSWORD", password)
            .send()
    };
    f.admin
        .admin_disable_user()
        .user_pool_id(&f.pool_id)
        .username("amy")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err(password_auth(PASSWORD).await),
        ("NotAuthorizedException".into(), "User is disabled.".into())
    );
    f.admin
        .admin_enable_user()
        .user_pool_id(&f.pool_id)
        .username("amy")
        .send()
        .await
        .unwrap();
    let tokens = password_auth(PASSWORD).await.unwrap();
    let access = tokens
        .authentication_result()
        .unwrap()
        .access_token()
        .unwrap()
        .to_owned();
    f.admin
        .change_password()
        .access_token(&access)
        .previous_password(PASSWORD)
        .proposed_password("Second-Pass-2")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err(password_auth(PASSWORD).await).0,
        "NotAuthorizedException"
    );
    assert!(password_auth("Second-Pass-2").await.is_ok());

    f.admin
        .admin_reset_user_password()
        .user_pool_id(&f.pool_id)
        .username("amy")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err(password_auth("Second-Pass-2").await).0,
        "PasswordResetRequiredException"
    );
    f.admin
        .forgot_password()
        .client_id(&f.client_id)
        .username("amy")
        .send()
        .await
        .unwrap();
    let code = f.sms_codes("amy").pop().unwrap();
    f.admin
        .confirm_forgot_password()
        .client_id(&f.client_id)
        .username("amy")
        .confirmation_code(code)
        .password("Third-Pass-3")
        .send()
        .await
        .unwrap();
    assert!(password_auth("Third-Pass-3").await.is_ok());
    let _ = f
        .admin
        .update_user_pool()
        .user_pool_id(&f.pool_id)
        .mfa_configuration(UserPoolMfaType::Off)
        .send()
        .await
        .unwrap();
    let pool = f
        .admin
        .describe_user_pool()
        .user_pool_id(&f.pool_id)
        .send()
        .await
        .unwrap();
    assert!(
        pool.user_pool().unwrap().device_configuration().is_none(),
        "UpdateUserPool without DeviceConfiguration turns it off"
    );
}
