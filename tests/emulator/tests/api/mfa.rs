//! SMS and TOTP MFA, SELECT_MFA_TYPE, MFA_SETUP.

use aws_sdk_cognitoidentityprovider::types::{
    ChallengeNameType, SmsMfaSettingsType, SoftwareTokenMfaSettingsType, UserPoolMfaType,
};
use cognito_emulator::totp;

use crate::common::{Answer, Fixture, PASSWORD, PoolOptions, err};

fn now() -> i64 {
    crate::common::srp_client::now_epoch()
}

fn optional() -> PoolOptions {
    PoolOptions {
        mfa: UserPoolMfaType::Optional,
        devices: None,
        ..PoolOptions::default()
    }
}

async fn password_step(f: &Fixture, typed: &str) -> aws_sdk_cognitoidentityprovider::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput{
    let (init, srp) = f.initiate(typed, None).await;
    f.password_verifier(&init.unwrap(), &srp, PASSWORD, Answer::default())
        .await
        .unwrap()
}

async fn enable_totp(f: &Fixture, user: &str) -> String {
    let access = f
        .sign_in(user, None)
        .await
        .authentication_result()
        .unwrap()
        .access_token()
        .unwrap()
        .to_owned();
    let secret = f
        .sdk
        .associate_software_token()
        .access_token(&access)
        .send()
        .await
        .unwrap()
        .secret_code()
        .unwrap()
        .to_owned();
    let wrong = f
        .sdk
        .verify_software_token()
        .access_token(&access)
        .user_code("000000")
        .send()
        .await;
    if let Err(e) = wrong {
        assert_eq!(
            aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata::code(&e),
            Some("EnableSoftwareTokenMFAException")
        );
    }
    let code = totp::code(&secret, now()).unwrap();
    let verified = f
        .sdk
        .verify_software_token()
        .access_token(&access)
        .user_code(code)
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status().unwrap().as_str(), "SUCCESS");
    f.sdk
        .set_user_mfa_preference()
        .access_token(&access)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    secret
}

#[tokio::test]
async fn sms_mfa_code_from_the_outbox_by_typed_alias() {
    let f = Fixture::new(PoolOptions {
        email_alias: true,
        ..optional()
    })
    .await;
    f.user(
        "uma",
        &[
            ("phone_number", "+15555550130"),
            ("email", "uma@example.com"),
            ("email_verified", "true"),
        ],
    )
    .await;
    f.sdk
        .admin_set_user_mfa_preference()
        .user_pool_id(&f.pool_id)
        .username("uma")
        .sms_mfa_settings(
            SmsMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let out = password_step(&f, "uma@example.com").await;
    assert_eq!(out.challenge_name(), Some(&ChallengeNameType::SmsMfa));
    assert_eq!(
        out.challenge_parameters().unwrap()["CODE_DELIVERY_DESTINATION"],
        "+*******0130"
    );
    let by_alias = f.sms_codes("uma%40example.com").await;
    let by_name = f.sms_codes("uma").await;
    assert_eq!(by_alias, by_name);
    assert_eq!(f.emulator.sms_outbox(Some("uma")).len(), 1);
    let done = f
        .sdk
        .respond_to_auth_challenge()
        .client_id(&f.client_id)
        .challenge_name(ChallengeNameType::SmsMfa)
        .challenge_responses("USERNAME", "uma")
        .challenge_responses("SMS_MFA_CODE", by_name.last().unwrap())
        .set_session(out.session().map(str::to_owned))
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result().is_some());
}

#[tokio::test]
async fn totp_associate_verify_prefer_then_software_token_mfa() {
    let f = Fixture::new(optional()).await;
    f.user("vera", &[]).await;
    let secret = enable_totp(&f, "vera").await;
    let user = f
        .sdk
        .admin_get_user()
        .user_pool_id(&f.pool_id)
        .username("vera")
        .send()
        .await
        .unwrap();
    assert_eq!(user.preferred_mfa_setting(), Some("SOFTWARE_TOKEN_MFA"));
    let out = password_step(&f, "vera").await;
    assert_eq!(
        out.challenge_name(),
        Some(&ChallengeNameType::SoftwareTokenMfa)
    );
    let done = f
        .sdk
        .respond_to_auth_challenge()
        .client_id(&f.client_id)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .challenge_responses("USERNAME", "vera")
        .challenge_responses(
            "SOFTWARE_TOKEN_MFA_CODE",
            totp::code(&secret, now()).unwrap(),
        )
        .set_session(out.session().map(str::to_owned))
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result().is_some());
}

#[tokio::test]
async fn select_mfa_type_when_both_are_enabled_without_preference() {
    let f = Fixture::new(optional()).await;
    f.user("wade", &[("phone_number", "+15555550131")]).await;
    let secret = enable_totp(&f, "wade").await;
    f.sdk
        .admin_set_user_mfa_preference()
        .user_pool_id(&f.pool_id)
        .username("wade")
        .sms_mfa_settings(
            SmsMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(false)
                .build(),
        )
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(false)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let user = f
        .sdk
        .admin_get_user()
        .user_pool_id(&f.pool_id)
        .username("wade")
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_mfa_setting_list().len(), 2, "{user:?}");
    assert_eq!(user.preferred_mfa_setting(), None);
    let out = password_step(&f, "wade").await;
    assert_eq!(
        out.challenge_name(),
        Some(&ChallengeNameType::SelectMfaType)
    );
    let chosen = f
        .sdk
        .respond_to_auth_challenge()
        .client_id(&f.client_id)
        .challenge_name(ChallengeNameType::SelectMfaType)
        .challenge_responses("USERNAME", "wade")
        .challenge_responses("ANSWER", "SOFTWARE_TOKEN_MFA")
        .set_session(out.session().map(str::to_owned))
        .send()
        .await
        .unwrap();
    assert_eq!(
        chosen.challenge_name(),
        Some(&ChallengeNameType::SoftwareTokenMfa)
    );
    let done = f
        .sdk
        .respond_to_auth_challenge()
        .client_id(&f.client_id)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .challenge_responses("USERNAME", "wade")
        .challenge_responses(
            "SOFTWARE_TOKEN_MFA_CODE",
            totp::code(&secret, now()).unwrap(),
        )
        .set_session(chosen.session().map(str::to_owned))
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result().is_some());
}

#[tokio::test]
async fn mfa_setup_with_session_in_a_required_pool() {
    let f = Fixture::new(PoolOptions {
        mfa: UserPoolMfaType::On,
        devices: None,
        ..PoolOptions::default()
    })
    .await;
    f.user("xena", &[]).await; // no phone: TOTP must be set up
    let out = password_step(&f, "xena").await;
    assert_eq!(out.challenge_name(), Some(&ChallengeNameType::MfaSetup));
    let session = out.session().unwrap().to_owned();
    let associated = f
        .sdk
        .associate_software_token()
        .session(&session)
        .send()
        .await
        .unwrap();
    let secret = associated.secret_code().unwrap().to_owned();
    let session = associated.session().unwrap_or(&session).to_owned();
    let verified = f
        .sdk
        .verify_software_token()
        .session(&session)
        .user_code(totp::code(&secret, now()).unwrap())
        .send()
        .await
        .unwrap();
    let done = f
        .sdk
        .respond_to_auth_challenge()
        .client_id(&f.client_id)
        .challenge_name(ChallengeNameType::MfaSetup)
        .challenge_responses("USERNAME", "xena")
        .set_session(verified.session().map(str::to_owned))
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result().is_some());
    let user = f
        .sdk
        .admin_get_user()
        .user_pool_id(&f.pool_id)
        .username("xena")
        .send()
        .await
        .unwrap();
    assert_eq!(
        user.user_mfa_setting_list(),
        ["SOFTWARE_TOKEN_MFA".to_owned()]
    );
}

#[tokio::test]
async fn wrong_sms_code_is_code_mismatch_and_the_session_can_retry() {
    let f = Fixture::new(PoolOptions {
        mfa: UserPoolMfaType::On,
        devices: None,
        ..PoolOptions::default()
    })
    .await;
    f.user("yuri", &[("phone_number", "+15555550132")]).await;
    let out = password_step(&f, "yuri").await;
    assert_eq!(out.challenge_name(), Some(&ChallengeNameType::SmsMfa));
    let answer = |code: String| {
        f.sdk
            .respond_to_auth_challenge()
            .client_id(&f.client_id)
            .challenge_name(ChallengeNameType::SmsMfa)
            .challenge_responses("USERNAME", "yuri")
            .challenge_responses("SMS_MFA_CODE", code)
            .set_session(out.session().map(str::to_owned))
            .send()
    };
    let code = f.sms_codes("yuri").await.pop().unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_eq!(
        err(answer(wrong.to_owned()).await),
        (
            "CodeMismatchException".into(),
            "Invalid code or auth state for the user.".into()
        )
    );
    assert!(
        answer(code)
            .await
            .unwrap()
            .authentication_result()
            .is_some()
    );
}
