//! TOTP (set-up, code, choice of method) and expired sessions, against the emulator.

mod common;

use std::time::Duration;

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{SmsMfaSettingsType, SoftwareTokenMfaSettingsType};
use cognito_device_auth::{Error, MfaType, SignInStep};
use common::*;

#[tokio::test]
async fn totp_set_up_during_sign_in_then_code_then_choice() {
    let pool = Pool::start(PoolSetup::default()).await;
    // No phone number: a pool that requires MFA makes the user set up an authenticator app.
    let username = pool.user_with("olivia", &[]).await;
    let client = pool.client(memory_store());

    let step = client.sign_in("olivia", PASSWORD).await.unwrap();
    let SignInStep::SetUpTotp(setup) = step else {
        panic!("expected the TOTP set-up, got {}", step.name())
    };
    let (uri, shared) = (setup.otpauth_uri(), setup.secret());
    assert!(uri.expose().starts_with("otpauth://totp/"));
    assert!(uri.expose().contains(shared.expose()));
    // Neither the step nor the secret types print the secret.
    for printed in [
        format!("{setup:?}"),
        format!("{uri:?}"),
        format!("{shared:?}"),
    ] {
        assert!(!printed.contains(shared.expose()), "{printed}");
    }
    let refused = setup.verify("000000x", None).await.unwrap_err();
    let err = refused.error;
    assert!(
        matches!(err, Error::CodeMismatch(_) | Error::InvalidRequest(_)),
        "{err:?}"
    );
    // The same step is handed back for another code.
    let setup = refused.step.expect("the set-up step, handed back");
    let secret = setup.secret().expose().to_owned();
    let done = setup
        .verify(&totp(&secret), Some("phone"))
        .await
        .unwrap()
        .done()
        .expect("signed in after the set-up");
    assert_eq!(done.mfa, Some(MfaType::Totp));
    assert!(done.device.remembered);

    // The device skips TOTP too.
    let again = sign_in_without_mfa(&client, "olivia").await;
    assert!(again.device.skipped_mfa);

    // Without the device: the authenticator code.
    client
        .forget_device(&again.tokens, "olivia", None)
        .await
        .unwrap();
    let step = client.sign_in("olivia", PASSWORD).await.unwrap();
    let SignInStep::TotpCode(code) = step else {
        panic!("expected a TOTP code, got {}", step.name())
    };
    assert_eq!(code.mfa_type(), MfaType::Totp);
    let done = code.submit(&totp(&secret)).await.unwrap().done().unwrap();
    assert_eq!(done.mfa, Some(MfaType::Totp));

    // SMS and TOTP both enabled, neither preferred: the user chooses.
    pool.admin
        .admin_update_user_attributes()
        .user_pool_id(&pool.pool_id)
        .username(&username)
        .user_attributes(attribute("phone_number", "+15555550101"))
        .user_attributes(attribute("phone_number_verified", "true"))
        .send()
        .await
        .unwrap();
    pool.admin
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool.pool_id)
        .username(&username)
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
    client
        .forget_device(&done.tokens, "olivia", None)
        .await
        .unwrap();
    let step = client.sign_in("olivia", PASSWORD).await.unwrap();
    let SignInStep::SelectMfaType(choice) = step else {
        panic!("expected a choice of MFA, got {}", step.name())
    };
    assert!(choice.allowed().contains(&MfaType::Sms));
    assert!(choice.allowed().contains(&MfaType::Totp));
    let refused = choice.select(MfaType::Email).await.unwrap_err();
    assert!(matches!(refused.error, Error::InvalidStepAnswer(_)));
    let choice = refused.step.expect("the choice, handed back");
    let step = choice.select(MfaType::Sms).await.unwrap();
    let SignInStep::SmsCode(sms) = step else {
        panic!("expected an SMS code, got {}", step.name())
    };
    let done = sms
        .submit(&pool.last_sms_code("olivia"))
        .await
        .unwrap()
        .done()
        .unwrap();
    assert_eq!(done.mfa, Some(MfaType::Sms));
    assert!(done.device.remembered);
}

#[tokio::test]
async fn an_expired_session_is_a_typed_error_and_a_new_sign_in_works() {
    let pool = Pool::start(PoolSetup {
        session_ttl: Some(Duration::from_secs(1)),
        ..PoolSetup::default()
    })
    .await;
    pool.user("peggy", &[]).await;
    let client = pool.client(memory_store());
    let step = client.sign_in("peggy", PASSWORD).await.unwrap();
    let SignInStep::SmsCode(sms) = step else {
        panic!("expected SMS, got {}", step.name())
    };
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let err = sms
        .submit(&pool.last_sms_code("peggy"))
        .await
        .unwrap_err()
        .error;
    assert!(matches!(err, Error::Expired(_)), "{err:?}");
    let done = sign_in_with_sms(&pool, &client, "peggy").await;
    assert!(done.device.remembered);
}

/// The tail of the expired-session message is not settled (the emulator's switch
/// `expired-session-message`): in the shorter words too, a Session that expired at a code step
/// or during the device steps is `Error::Expired`, and the stored device is kept.
#[tokio::test]
async fn an_expired_session_in_other_words_is_expired_and_deletes_nothing() {
    let pool = Pool::start(PoolSetup {
        session_ttl: Some(Duration::from_secs(1)),
        ..PoolSetup::default()
    })
    .await;
    pool.set_fidelity(serde_json::json!({
        "expired-session-message": "Invalid session for the user."
    }))
    .await;
    pool.user("quinn", &[]).await;
    let client = pool.client(memory_store());
    let step = client.sign_in("quinn", PASSWORD).await.unwrap();
    let SignInStep::SmsCode(sms) = step else {
        panic!("expected SMS, got {}", step.name())
    };
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let err = sms
        .submit(&pool.last_sms_code("quinn"))
        .await
        .unwrap_err()
        .error;
    assert!(matches!(err, Error::Expired(_)), "code step: {err:?}");
    let done = sign_in_with_sms(&pool, &client, "quinn").await;
    let key = done.device.device_key.clone().expect("a device");
    // The Session of DEVICE_SRP_AUTH expires while its answer is held up.
    pool.fault_after("RespondToAuthChallenge", "delay", 1, 1_500, 1)
        .await;
    let err = client.sign_in("quinn", PASSWORD).await.unwrap_err();
    pool.clear_faults().await;
    assert!(matches!(err, Error::Expired(_)), "device steps: {err:?}");
    let kept = client.current_device("quinn").await.unwrap().expect("kept");
    assert_eq!(kept.device_key, key);
    assert!(kept.confirmed && kept.remembered, "{kept:?}");
    let step = client.sign_in("quinn", PASSWORD).await.unwrap();
    let SignInStep::Done(again) = step else {
        panic!("the remembered device skips MFA, got {}", step.name())
    };
    assert!(again.device.skipped_mfa, "{:?}", again.device);
    assert_eq!(again.device.device_key.as_deref(), Some(key.as_str()));
}

#[tokio::test]
async fn email_code_with_masked_destination() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.admin
        .set_user_pool_mfa_config()
        .user_pool_id(&pool.pool_id)
        .mfa_configuration(cip::types::UserPoolMfaType::On)
        .sms_mfa_configuration(cip::types::SmsMfaConfigType::builder().build())
        .email_mfa_configuration(cip::types::EmailMfaConfigType::builder().build())
        .send()
        .await
        .unwrap();
    let username = pool
        .user_with(
            "rupert",
            &[("email", "rupert@example.com"), ("email_verified", "true")],
        )
        .await;
    pool.admin
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool.pool_id)
        .username(&username)
        .email_mfa_settings(
            cip::types::EmailMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let client = pool.client(memory_store());
    let step = client.sign_in("rupert", PASSWORD).await.unwrap();
    let SignInStep::EmailCode(email) = step else {
        panic!("expected an e-mail code, got {}", step.name())
    };
    assert_eq!(email.mfa_type(), MfaType::Email);
    assert_eq!(email.destination(), Some("r***@e***"));
    let done = email
        .submit(&pool.last_sms_code("rupert"))
        .await
        .unwrap()
        .done()
        .unwrap();
    assert_eq!(done.mfa, Some(MfaType::Email));
    assert!(done.device.remembered);
    // Whether a remembered device also replaces the e-mail code is not settled by any public
    // source (the emulator's switch): the client is right either way.
    for skips in [false, true] {
        pool.set_fidelity(serde_json::json!({ "remembered-device-skips-email-otp": skips }))
            .await;
        let again = match client.sign_in("rupert", PASSWORD).await.unwrap() {
            SignInStep::Done(done) => {
                assert!(skips, "the code was skipped although the server asks it");
                done
            }
            SignInStep::EmailCode(code) => {
                assert!(!skips);
                code.submit(&pool.last_sms_code("rupert"))
                    .await
                    .unwrap()
                    .done()
                    .unwrap()
            }
            other => panic!("unexpected {}", other.name()),
        };
        assert_eq!(again.device.skipped_mfa, skips, "{:?}", again.device);
        assert!(again.device.proved && again.device.remembered);
    }
}
