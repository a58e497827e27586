//! SMS and TOTP MFA, SELECT_MFA_TYPE, MFA_SETUP.

use aws_sdk_cognitoidentityprovider::types::{
    ChallengeNameType, SmsMfaSettingsType, SoftwareTokenMfaSettingsType, UserPoolMfaType,
};
use cognito_emulator::testkit::totp_code;

use crate::common::{Answer, Fixture, PASSWORD, PoolSetup, err, http, options};

/// The codes the outbox endpoint (`GET /_emulator/sms`) lists for `username` as given there
/// (percent-encoded).
async fn outbox_endpoint_codes(f: &Fixture, username: &str) -> Vec<String> {
    let path = format!("/_emulator/sms?username={username}");
    let (status, body) = http(&f.endpoint(), "GET", &path, &[], "").await;
    assert_eq!(status, 200);
    let list: Vec<serde_json::Value> = serde_json::from_str(&body).expect("sms json");
    list.iter()
        .map(|m| m["code"].as_str().expect("code").to_owned())
        .collect()
}

fn optional() -> PoolSetup {
    PoolSetup {
        mfa: UserPoolMfaType::Optional,
        devices: None,
        ..options()
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
        .admin
        .associate_software_token()
        .access_token(&access)
        .send()
        .await
        .unwrap()
        .secret_code()
        .unwrap()
        .to_owned();
    let wrong = f
        .admin
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
    let code = totp_code(&secret);
    let verified = f
        .admin
        .verify_software_token()
        .access_token(&access)
        .user_code(code)
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status().unwrap().as_str(), "SUCCESS");
    f.admin
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
    let f = Fixture::start(PoolSetup {
        email_alias: true,
        ..optional()
    })
    .await;
    f.user_with(
        "uma",
        &[
            ("phone_number", "+15555550130"),
            ("email", "uma@example.com"),
            ("email_verified", "true"),
        ],
    )
    .await;
    f.admin
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
    let by_alias = outbox_endpoint_codes(&f, "uma%40example.com").await;
    let by_name = outbox_endpoint_codes(&f, "uma").await;
    assert_eq!(by_alias, by_name);
    assert_eq!(f.sms_codes("uma@example.com"), by_name);
    assert_eq!(f.emulator.sms_outbox(Some("uma")).len(), 1);
    let done = f
        .admin
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
    let f = Fixture::start(optional()).await;
    f.user_with("vera", &[]).await;
    let secret = enable_totp(&f, "vera").await;
    let user = f
        .admin
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
        .admin
        .respond_to_auth_challenge()
        .client_id(&f.client_id)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .challenge_responses("USERNAME", "vera")
        .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", totp_code(&secret))
        .set_session(out.session().map(str::to_owned))
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result().is_some());
}

#[tokio::test]
async fn select_mfa_type_when_both_are_enabled_without_preference() {
    let f = Fixture::start(optional()).await;
    f.user_with("wade", &[("phone_number", "+15555550131")])
        .await;
    let secret = enable_totp(&f, "wade").await;
    f.admin
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
        .admin
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
        .admin
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
        .admin
        .respond_to_auth_challenge()
        .client_id(&f.client_id)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .challenge_responses("USERNAME", "wade")
        .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", totp_code(&secret))
        .set_session(chosen.session().map(str::to_owned))
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result().is_some());
}

#[tokio::test]
async fn mfa_setup_with_session_in_a_required_pool() {
    let f = Fixture::start(PoolSetup {
        mfa: UserPoolMfaType::On,
        devices: None,
        ..options()
    })
    .await;
    f.user_with("xena", &[]).await; // no phone: TOTP must be set up
    let out = password_step(&f, "xena").await;
    assert_eq!(out.challenge_name(), Some(&ChallengeNameType::MfaSetup));
    let session = out.session().unwrap().to_owned();
    let associated = f
        .admin
        .associate_software_token()
        .session(&session)
        .send()
        .await
        .unwrap();
    let secret = associated.secret_code().unwrap().to_owned();
    let session = associated.session().unwrap_or(&session).to_owned();
    let verified = f
        .admin
        .verify_software_token()
        .session(&session)
        .user_code(totp_code(&secret))
        .send()
        .await
        .unwrap();
    let done = f
        .admin
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
        .admin
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

/// A wrong code is CodeMismatchException "Invalid code or auth state for the user."
/// (amplify-js issue 3066); whether the Session then takes another try is the switch
/// `wrong-code-keeps-session` (used up: the expired-session answer).
#[tokio::test]
async fn wrong_sms_code_is_code_mismatch_and_the_session_retry_is_a_switch() {
    let f = Fixture::start(PoolSetup {
        mfa: UserPoolMfaType::On,
        devices: None,
        ..options()
    })
    .await;
    f.user_with("yuri", &[("phone_number", "+15555550132")])
        .await;
    for keeps in [true, false] {
        f.set_fidelity(serde_json::json!({ "wrong-code-keeps-session": keeps }))
            .await;
        let out = password_step(&f, "yuri").await;
        assert_eq!(out.challenge_name(), Some(&ChallengeNameType::SmsMfa));
        let answer = |code: String| {
            f.admin
                .respond_to_auth_challenge()
                .client_id(&f.client_id)
                .challenge_name(ChallengeNameType::SmsMfa)
                .challenge_responses("USERNAME", "yuri")
                .challenge_responses("SMS_MFA_CODE", code)
                .set_session(out.session().map(str::to_owned))
                .send()
        };
        let code = f.sms_codes("yuri").pop().unwrap();
        let wrong = if code == "000000" { "111111" } else { "000000" };
        assert_eq!(
            err(answer(wrong.to_owned()).await),
            (
                "CodeMismatchException".into(),
                "Invalid code or auth state for the user.".into()
            )
        );
        let retried = answer(code).await;
        if keeps {
            assert!(retried.unwrap().authentication_result().is_some());
        } else {
            assert_eq!(
                err(retried),
                (
                    "NotAuthorizedException".into(),
                    "Invalid session for the user, session is expired.".into()
                )
            );
        }
    }
}
