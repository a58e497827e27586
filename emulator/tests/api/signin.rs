//! Sign-in flows and tokens.

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, MessageActionType,
};
use serde_json::Value;

use crate::common::srp_client::SrpClient;
use crate::common::{Answer, Fixture, PASSWORD, PoolSetup, call, err, http, options};

fn no_devices() -> PoolSetup {
    PoolSetup {
        devices: None,
        ..options()
    }
}

async fn verify_jwt(f: &Fixture, token: &str) -> Value {
    let (status, body) = http(
        &f.endpoint(),
        "GET",
        &format!("/{}/.well-known/jwks.json", f.pool_id),
        &[],
        "",
    )
    .await;
    assert_eq!(status, 200);
    let jwks: Value = serde_json::from_str(&body).unwrap();
    let key = &jwks["keys"][0];
    let header = jsonwebtoken::decode_header(token).unwrap();
    assert_eq!(header.kid.as_deref(), key["kid"].as_str());
    let decoding = jsonwebtoken::DecodingKey::from_rsa_components(
        key["n"].as_str().unwrap(),
        key["e"].as_str().unwrap(),
    )
    .unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_issuer(&[format!("{}/{}", f.endpoint(), f.pool_id)]);
    validation.validate_aud = false;
    jsonwebtoken::decode::<Value>(token, &decoding, &validation)
        .expect("token verifies against the JWKS")
        .claims
}

#[tokio::test]
async fn user_srp_auth_issues_rs256_tokens_with_cognito_claims() {
    let f = Fixture::start(no_devices()).await;
    f.user_with("alice", &[("email", "alice@example.com")])
        .await;
    let out = f.sign_in("alice", None).await;
    let result = out.authentication_result().expect("tokens");
    assert!(
        result.new_device_metadata().is_none(),
        "pool without DeviceConfiguration"
    );
    let access = verify_jwt(&f, result.access_token().unwrap()).await;
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["client_id"], f.client_id.as_str());
    assert_eq!(access["username"], "alice");
    let id = verify_jwt(&f, result.id_token().unwrap()).await;
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["cognito:username"], "alice");
    assert_eq!(id["aud"], f.client_id.as_str());
    assert_eq!(id["email"], "alice@example.com");
    assert_eq!(id["origin_jti"], access["origin_jti"]);
    assert_eq!(id["sub"], access["sub"]);
    assert!(result.refresh_token().is_some());
}

#[tokio::test]
async fn password_verifier_without_session_is_accepted() {
    let f = Fixture::start(no_devices()).await;
    f.user_with("bob", &[]).await;
    let (init, srp) = f.initiate("bob", None).await;
    let init = init.unwrap();
    let out = f
        .password_verifier(
            &init,
            &srp,
            PASSWORD,
            Answer {
                with_session: false,
                ..Answer::default()
            },
        )
        .await;
    assert!(out.unwrap().authentication_result().is_some());
}

#[tokio::test]
async fn alias_sign_in_uses_the_internal_username_for_srp() {
    let f = Fixture::start(PoolSetup {
        email_alias: true,
        devices: None,
        ..options()
    })
    .await;
    f.user_with(
        "carol",
        &[("email", "carol@example.com"), ("email_verified", "true")],
    )
    .await;
    let (init, srp) = f.initiate("carol@example.com", None).await;
    let init = init.unwrap();
    let params = init.challenge_parameters().unwrap();
    assert_eq!(params["USER_ID_FOR_SRP"], "carol");
    assert_eq!(params["USERNAME"], "carol");
    // USERNAME as typed (the alias) is accepted in the answer too.
    let answer = Answer {
        username: Some("carol@example.com".into()),
        ..Answer::default()
    };
    assert!(
        f.password_verifier(&init, &srp, PASSWORD, answer)
            .await
            .unwrap()
            .authentication_result()
            .is_some()
    );
}

#[tokio::test]
async fn email_as_username_pool_uses_the_sub_as_user_id_for_srp() {
    let f = Fixture::start(PoolSetup {
        email_as_username: true,
        devices: None,
        ..options()
    })
    .await;
    let internal = f.user_with("dave@example.com", &[]).await;
    assert_eq!(internal.len(), 36, "UUID username");
    let (init, srp) = f.initiate("dave@example.com", None).await;
    let init = init.unwrap();
    assert_eq!(
        init.challenge_parameters().unwrap()["USER_ID_FOR_SRP"],
        internal
    );
    let out = f
        .password_verifier(&init, &srp, PASSWORD, Answer::default())
        .await
        .unwrap();
    let user = f
        .admin
        .get_user()
        .access_token(out.authentication_result().unwrap().access_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(user.username(), internal);
}

#[tokio::test]
async fn secret_client_signs_in_with_secret_hash_over_the_challenge_username() {
    let f = Fixture::start(PoolSetup {
        secret: true,
        email_alias: true,
        devices: None,
        ..options()
    })
    .await;
    f.user_with(
        "erin",
        &[("email", "erin@example.com"), ("email_verified", "true")],
    )
    .await;
    assert!(f.client_secret.is_some());
    let (init, srp) = f.initiate("erin@example.com", None).await;
    let out = f
        .password_verifier(&init.unwrap(), &srp, PASSWORD, Answer::default())
        .await
        .unwrap();
    assert!(out.authentication_result().is_some());
}

#[tokio::test]
async fn user_password_auth_signs_in() {
    let f = Fixture::start(no_devices()).await;
    f.user_with("frank", &[]).await;
    let out = f
        .admin
        .initiate_auth()
        .client_id(&f.client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "frank")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap();
    assert!(
        out.authentication_result()
            .unwrap()
            .access_token()
            .is_some()
    );
}

#[tokio::test]
async fn new_password_required_then_tokens() {
    let f = Fixture::start(no_devices()).await;
    f.admin
        .admin_create_user()
        .user_pool_id(&f.pool_id)
        .username("gina")
        .temporary_password("Temp-Pass-1")
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    let user = f
        .admin
        .admin_get_user()
        .user_pool_id(&f.pool_id)
        .username("gina")
        .send()
        .await
        .unwrap();
    assert_eq!(
        user.user_status().unwrap().as_str(),
        "FORCE_CHANGE_PASSWORD"
    );
    let (init, srp) = f.initiate("gina", None).await;
    let out = f
        .password_verifier(&init.unwrap(), &srp, "Temp-Pass-1", Answer::default())
        .await
        .unwrap();
    assert_eq!(
        out.challenge_name(),
        Some(&ChallengeNameType::NewPasswordRequired)
    );
    let done = f
        .admin
        .respond_to_auth_challenge()
        .client_id(&f.client_id)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .challenge_responses("USERNAME", "gina")
        .challenge_responses("NEW_PASSWORD", PASSWORD)
        .set_session(out.session().map(str::to_owned))
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result().is_some());
    // The new password works with SRP.
    assert!(
        f.sign_in("gina", None)
            .await
            .authentication_result()
            .is_some()
    );
}

#[tokio::test]
async fn sign_up_and_confirm_with_the_code_from_the_outbox() {
    let f = Fixture::start(no_devices()).await;
    let out = f
        .admin
        .sign_up()
        .client_id(&f.client_id)
        .username("hank")
        .password(PASSWORD)
        .user_attributes(
            aws_sdk_cognitoidentityprovider::types::AttributeType::builder()
                .name("email")
                .value("hank@example.com")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert!(!out.user_confirmed());
    let (init, _) = f.initiate("hank", None).await;
    assert_eq!(err(init).0, "UserNotConfirmedException");
    let code = f.sms_codes("hank").pop().expect("confirmation code");
    let (code_name, _) = err(f
        .admin
        .confirm_sign_up()
        .client_id(&f.client_id)
        .username("hank")
        .confirmation_code("000000x")
        .send()
        .await);
    assert_eq!(code_name, "CodeMismatchException");
    f.admin
        .confirm_sign_up()
        .client_id(&f.client_id)
        .username("hank")
        .confirmation_code(code)
        .send()
        .await
        .unwrap();
    assert!(
        f.sign_in("hank", None)
            .await
            .authentication_result()
            .is_some()
    );
}

#[tokio::test]
async fn get_user_then_global_sign_out_revokes_tokens() {
    let f = Fixture::start(no_devices()).await;
    f.user_with("ivy", &[("phone_number", "+15555550111")])
        .await;
    let result = f
        .sign_in("ivy", None)
        .await
        .authentication_result()
        .unwrap()
        .clone();
    let access = result.access_token().unwrap();
    let user = f
        .admin
        .get_user()
        .access_token(access)
        .send()
        .await
        .unwrap();
    assert_eq!(user.username(), "ivy");
    assert!(
        user.user_attributes()
            .iter()
            .any(|a| a.name() == "phone_number")
    );
    f.admin
        .global_sign_out()
        .access_token(access)
        .send()
        .await
        .unwrap();
    let (code, message) = err(f.admin.get_user().access_token(access).send().await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Access Token has been revoked")
    );
    let refresh = f
        .admin
        .initiate_auth()
        .client_id(&f.client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", result.refresh_token().unwrap())
        .send()
        .await;
    assert_eq!(err(refresh).0, "NotAuthorizedException");
}

#[tokio::test]
async fn revoke_token_ends_refresh() {
    let f = Fixture::start(no_devices()).await;
    f.user_with("jack", &[]).await;
    let result = f
        .sign_in("jack", None)
        .await
        .authentication_result()
        .unwrap()
        .clone();
    let refresh = result.refresh_token().unwrap();
    let again = f
        .admin
        .initiate_auth()
        .client_id(&f.client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", refresh)
        .send()
        .await
        .unwrap();
    assert!(
        again
            .authentication_result()
            .unwrap()
            .access_token()
            .is_some()
    );
    assert!(
        again
            .authentication_result()
            .unwrap()
            .refresh_token()
            .is_none(),
        "REFRESH_TOKEN_AUTH does not rotate"
    );
    f.admin
        .revoke_token()
        .client_id(&f.client_id)
        .token(refresh)
        .send()
        .await
        .unwrap();
    let after = f
        .admin
        .initiate_auth()
        .client_id(&f.client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", refresh)
        .send()
        .await;
    assert_eq!(
        err(after),
        (
            "NotAuthorizedException".into(),
            "Refresh Token has been revoked".into()
        )
    );
}

#[tokio::test]
async fn get_tokens_from_refresh_token_rotates_when_enabled() {
    let f = Fixture::start(PoolSetup {
        rotation: Some(0),
        ..options()
    })
    .await;
    f.user_with("kate", &[]).await;
    let first = f
        .sign_in("kate", None)
        .await
        .authentication_result()
        .unwrap()
        .clone();
    let (device, _) = f.confirm_device(&first).await;
    let out = f
        .admin
        .get_tokens_from_refresh_token()
        .client_id(&f.client_id)
        .refresh_token(first.refresh_token().unwrap())
        .device_key(&device.key)
        .send()
        .await
        .unwrap();
    let rotated = out
        .authentication_result()
        .unwrap()
        .refresh_token()
        .expect("rotated refresh token");
    assert_ne!(rotated, first.refresh_token().unwrap());
    // The old one is gone (grace period 0): RefreshTokenReuseException; the new one works.
    let old = f
        .admin
        .get_tokens_from_refresh_token()
        .client_id(&f.client_id)
        .refresh_token(first.refresh_token().unwrap())
        .device_key(&device.key)
        .send()
        .await;
    assert_eq!(
        err(old),
        (
            "RefreshTokenReuseException".into(),
            "Refresh token has been invalidated by rotation".into()
        )
    );
    let new = f
        .admin
        .get_tokens_from_refresh_token()
        .client_id(&f.client_id)
        .refresh_token(rotated)
        .device_key(&device.key)
        .send()
        .await;
    assert!(new.is_ok());
}

#[tokio::test]
async fn srp_a_of_the_password_step_may_be_reused_for_the_device_step() {
    let f = Fixture::start(options()).await;
    f.user_with("lena", &[]).await;
    let first = f
        .sign_in("lena", None)
        .await
        .authentication_result()
        .unwrap()
        .clone();
    let (device, _) = f.confirm_device(&first).await;
    let (init, srp) = f.initiate("lena", Some(&device.key)).await;
    let init = init.unwrap();
    let out = f
        .password_verifier(
            &init,
            &srp,
            PASSWORD,
            Answer {
                device_key: Some(device.key.clone()),
                ..Answer::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        out.challenge_name(),
        Some(&ChallengeNameType::DeviceSrpAuth)
    );
    let reused = SrpClient::from_private(srp.a.clone());
    let done = f
        .device_steps_with("lena", out.session(), &device, &reused)
        .await
        .unwrap();
    assert!(done.authentication_result().is_some());
}

#[tokio::test]
async fn unknown_operation_is_a_clear_400() {
    let f = Fixture::start(no_devices()).await;
    let (status, body) = call(&f.endpoint(), "FlyToTheMoon", "{}").await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "UnknownOperationException");
    assert!(body["message"].as_str().unwrap().contains("FlyToTheMoon"));
}

/// How an endpoint answers an operation it lacks is a switch (`unknown-operation-answer`); the
/// fault `unknown_operation` makes an operation the emulator has answer the same way.
#[tokio::test]
async fn unknown_operation_answer_is_a_switch() {
    let f = Fixture::start(no_devices()).await;
    for (answer, words) in [
        (
            "UnknownOperationException",
            "The operation FlyToTheMoon is not supported",
        ),
        ("InvalidAction", "Unknown Cognito IDP action: FlyToTheMoon"),
        (
            "UnsupportedOperation",
            "Operation FlyToTheMoon is not supported.",
        ),
    ] {
        f.set_fidelity(serde_json::json!({ "unknown-operation-answer": answer }))
            .await;
        let (status, body) = call(&f.endpoint(), "FlyToTheMoon", "{}").await;
        assert_eq!((status, body["__type"].as_str()), (400, Some(answer)));
        assert!(
            body["message"].as_str().unwrap().starts_with(words),
            "{body}"
        );
        f.fault("GetTokensFromRefreshToken", "unknown_operation", 1, 0)
            .await;
        let (status, body) = call(&f.endpoint(), "GetTokensFromRefreshToken", "{}").await;
        assert_eq!((status, body["__type"].as_str()), (400, Some(answer)));
        let message = body["message"].as_str().unwrap();
        assert!(message.contains("GetTokensFromRefreshToken"), "{body}");
        let (_, body) = call(&f.endpoint(), "GetTokensFromRefreshToken", "{}").await;
        assert_ne!(body["__type"].as_str(), Some(answer), "one call only");
    }
}

#[tokio::test]
async fn malformed_json_is_a_serialization_error() {
    let f = Fixture::start(no_devices()).await;
    let (status, body) = call(&f.endpoint(), "InitiateAuth", "{not json").await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "SerializationException");
}

#[tokio::test]
async fn user_password_auth_must_be_enabled_on_the_client() {
    let f = Fixture::start(PoolSetup {
        flows: vec![
            ExplicitAuthFlowsType::AllowUserSrpAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ],
        devices: None,
        ..options()
    })
    .await;
    f.user_with("mia", &[]).await;
    let out = f
        .admin
        .initiate_auth()
        .client_id(&f.client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "mia")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await;
    assert_eq!(err(out).0, "InvalidParameterException");
}
