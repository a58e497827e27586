//! The SDK under the emulator's rules and switches of issue 22, every value of each: what the
//! public record leaves open must not change what the client reports or keeps.
//! - REFRESH_TOKEN_AUTH refused in an app client with refresh-token rotation (documented; its
//!   type is the switch `refresh-token-auth-rotation-refusal`): the refresh fallback is a
//!   typed error, and the device stays;
//! - `wrong-code-keeps-session`: after a wrong code, the same step takes the right one, or is a
//!   typed expired session and a new sign-in works;
//! - `confirm-device-unknown-key`: a pending device the server no longer knows is replaced;
//! - `refresh-resets-auth-time`: the refresh works and hands the server's tokens over;
//! - `confirm-device-again`: a ConfirmDevice answer lost, the device confirmed again (or
//!   refused), and the device still proves itself;
//! - `device-key-without-tracking`: a remembered device after the pool stopped tracking
//!   devices, then started again;
//! - an expired refresh token ("Refresh Token has expired", sourced): a typed error, the device
//!   kept.

mod common;

use cognito_device_auth::{Error, SignInStep};
use cognito_emulator::fidelity::{
    CONFIRM_DEVICE_AGAIN, CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS, DEVICE_KEY_WITHOUT_TRACKING,
    ROTATION_REFUSALS,
};
use common::*;

/// An endpoint without GetTokensFromRefreshToken whose app client rotates refresh tokens:
/// the fallback to REFRESH_TOKEN_AUTH is refused ("You can't authenticate with
/// REFRESH_TOKEN_AUTH in app clients with refresh token rotation enabled."). Under either
/// type of refusal the client answers a typed, final error, keeps the device record, and the
/// device still skips MFA at the next sign-in; GetTokensFromRefreshToken, once there, works.
#[tokio::test]
async fn the_refresh_fallback_refused_under_rotation_is_typed_and_keeps_the_device() {
    let pool = Pool::start(PoolSetup {
        rotation: Some(10),
        ..PoolSetup::default()
    })
    .await;
    pool.user("rosa", &[]).await;
    let client = pool.client(memory_store());
    let done = sign_in_with_sms(&pool, &client, "rosa").await;
    let key = done.device.device_key.clone().expect("a device");
    let refresh_token = done.tokens.refresh_token.clone().expect("a refresh token");
    for kind in ROTATION_REFUSALS {
        pool.set_fidelity(serde_json::json!({ "refresh-token-auth-rotation-refusal": kind }))
            .await;
        pool.fault("GetTokensFromRefreshToken", "unknown_operation", 100, 0)
            .await;
        let refused = client.refresh("rosa", &refresh_token).await;
        pool.clear_faults().await;
        let e = refused.expect_err("REFRESH_TOKEN_AUTH is refused with rotation on");
        assert!(
            matches!(e, Error::InvalidRequest(_) | Error::NotAuthorized(_)),
            "{kind}: {e:?}"
        );
        assert!(!e.is_retryable(), "{kind}: {e:?}");
        assert_eq!(
            e.service_details().and_then(|d| d.error_type.as_deref()),
            Some(kind)
        );
        let kept = client.current_device("rosa").await.unwrap().expect("kept");
        assert_eq!(kept.device_key, key, "{kind}");
        assert!(kept.confirmed && kept.remembered, "{kind}: {kept:?}");
    }
    let refreshed = client.refresh("rosa", &refresh_token).await;
    let refreshed = refreshed.expect("GetTokensFromRefreshToken works");
    assert_ne!(
        refreshed.refresh_token.as_deref(),
        Some(refresh_token.as_str())
    );
    let again = sign_in_without_mfa(&client, "rosa").await;
    assert!(again.device.skipped_mfa);
    assert_eq!(again.device.device_key.as_deref(), Some(key.as_str()));
}

/// A wrong SMS code is `Error::CodeMismatch`. Whether the Session then takes the right code is
/// not settled (`wrong-code-keeps-session`): either the same step succeeds, or it is
/// `Error::Expired` and a new sign-in works; the device is remembered either way.
#[tokio::test]
async fn a_wrong_code_then_the_right_one_under_either_session_rule() {
    let pool = Pool::start(PoolSetup::default()).await;
    for keeps in [true, false] {
        pool.set_fidelity(serde_json::json!({ "wrong-code-keeps-session": keeps }))
            .await;
        let user = format!("wendy{keeps}");
        pool.user(&user, &[]).await;
        let client = pool.client(memory_store());
        let SignInStep::SmsCode(step) = client.sign_in(&user, PASSWORD).await.unwrap() else {
            panic!("expected an SMS step");
        };
        let real = pool.last_sms_code(&user);
        let wrong = if real == "000000" { "111111" } else { "000000" };
        let refused = step.submit(wrong).await.unwrap_err();
        let e = &refused.error;
        assert!(matches!(e, Error::CodeMismatch(_)), "{keeps}: {e:?}");
        // The SDK hands the step back either way: only the server knows whether its Session
        // takes another try.
        let step = refused.step.expect("the same step, handed back");
        let retried = step.submit(&real).await;
        let done = if keeps {
            retried.unwrap().done().expect("signed in on the same step")
        } else {
            let e = retried.expect_err("the Session is used up").error;
            assert!(matches!(e, Error::Expired(_)), "{e:?}");
            sign_in_with_sms(&pool, &client, &user).await
        };
        assert!(done.device.remembered, "{keeps}: {:?}", done.device);
        assert!(sign_in_without_mfa(&client, &user).await.device.skipped_mfa);
    }
}

/// A device whose ConfirmDevice did not get through, then forgotten by an administrator: the
/// server no longer knows its key. Whether ConfirmDevice then answers "Invalid device key
/// given." or "Device does not exist." is not settled (`confirm-device-unknown-key`). The
/// client deletes the pending record only on "Device does not exist." (a refusal in the other
/// words might be of a second ConfirmDevice of a device the server holds); under the other
/// answer it reports a typed error and keeps the record. Either way the next sign-in asks the
/// code once and ends with a fresh, confirmed device.
#[tokio::test]
async fn a_pending_device_the_server_forgot_is_replaced_under_either_answer() {
    let pool = Pool::start(PoolSetup::default()).await;
    for (kind, _) in CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS {
        pool.set_fidelity(serde_json::json!({ "confirm-device-unknown-key": kind }))
            .await;
        let user = format!("fay{}", &kind[..8]);
        pool.user(&user, &[]).await;
        let client = pool.client(memory_store());
        let SignInStep::SmsCode(sms) = client.sign_in(&user, PASSWORD).await.unwrap() else {
            panic!("expected an SMS step");
        };
        pool.fault("ConfirmDevice", "internal", 10, 0).await;
        let done = sms.submit(&pool.last_sms_code(&user)).await.unwrap();
        pool.clear_faults().await;
        let done = done.done().expect("signed in");
        assert!(
            done.device.pending_confirmation,
            "{kind}: {:?}",
            done.device
        );
        let key = done.device.device_key.clone().expect("the pending key");
        pool.admin
            .admin_forget_device()
            .user_pool_id(&pool.pool_id)
            .username(&user)
            .device_key(&key)
            .send()
            .await
            .unwrap();
        let out = client.confirm_pending_device(&user, &done.tokens).await;
        let local = client.current_device(&user).await.unwrap();
        match out {
            Ok(None) => assert!(local.is_none(), "{kind}: {local:?}"),
            Err(Error::InvalidRequest(d)) => {
                assert_eq!(d.error_type.as_deref(), Some(kind));
                let local = local.expect("the record is kept");
                assert_eq!(local.device_key, key);
                assert!(!local.confirmed, "{kind}: {local:?}");
            }
            other => panic!("{kind}: {other:?}"),
        }
        let again = sign_in_with_sms(&pool, &client, &user).await;
        assert!(again.device.newly_confirmed && again.device.remembered);
        assert_ne!(again.device.device_key.as_deref(), Some(key.as_str()));
        assert!(sign_in_without_mfa(&client, &user).await.device.skipped_mfa);
    }
}

/// The `auth_time` claim of an ID token.
fn auth_time(id_token: &str) -> i64 {
    use base64::Engine;
    let payload = id_token.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    let claims: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON claims");
    claims["auth_time"].as_i64().expect("auth_time")
}

/// Whether a refresh keeps the sign-in's `auth_time` (OIDC Core 12.2) or resets it (the bug
/// oidc-client-ts issue 2107 reports) is the switch `refresh-resets-auth-time`: the refresh
/// works under both, and the client hands over the server's ID token as it came.
#[tokio::test]
async fn the_refresh_hands_over_the_server_auth_time_under_either_rule() {
    let pool = Pool::start(PoolSetup::default()).await;
    for reset in [false, true] {
        pool.set_fidelity(serde_json::json!({ "refresh-resets-auth-time": reset }))
            .await;
        let user = format!("tess{reset}");
        pool.user(&user, &[]).await;
        let client = pool.client(memory_store());
        let done = sign_in_with_sms(&pool, &client, &user).await;
        let signed_in_at = auth_time(&done.tokens.id_token);
        tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
        let refresh_token = done.tokens.refresh_token.as_deref().unwrap();
        let refreshed = client.refresh(&user, refresh_token).await.expect("refresh");
        assert_eq!(
            auth_time(&refreshed.id_token) > signed_in_at,
            reset,
            "reset: {reset}"
        );
        assert!(client.current_device(&user).await.unwrap().is_some());
    }
}

/// UsernameConfiguration.CaseSensitive, both ways. Case sensitive (the API's default): a name
/// in other capitals is another (unknown) user, a typed error, and the real user's device is
/// untouched. Not case sensitive: the same user in any capitals, and the device remembered
/// under one spelling skips MFA under another.
#[tokio::test]
async fn the_device_follows_the_user_under_either_case_rule() {
    for case_sensitive in [true, false] {
        let pool = Pool::start(PoolSetup {
            case_sensitive: Some(case_sensitive),
            ..PoolSetup::default()
        })
        .await;
        pool.user("Cleo", &[]).await;
        let client = pool.client(memory_store());
        let done = sign_in_with_sms(&pool, &client, "Cleo").await;
        let key = done.device.device_key.clone().expect("a device");
        let other = client.sign_in("cleo", PASSWORD).await;
        if case_sensitive {
            let e = other.expect_err("cleo is nobody");
            assert!(matches!(e, Error::NotAuthorized(_)), "{e:?}");
        } else {
            let SignInStep::Done(again) = other.expect("the same user") else {
                panic!("the remembered device skips MFA under another spelling");
            };
            assert!(again.device.skipped_mfa, "{:?}", again.device);
            assert_eq!(again.device.device_key.as_deref(), Some(key.as_str()));
        }
        let kept = client.current_device("Cleo").await.unwrap().expect("kept");
        assert_eq!(kept.device_key, key, "case sensitive: {case_sensitive}");
        assert!(
            sign_in_without_mfa(&client, "Cleo")
                .await
                .device
                .skipped_mfa
        );
    }
}

/// The first ConfirmDevice is carried out but its answer is lost; the client sends it again
/// (its own retry, or the pending device's confirmation) with a verifier of the same secret.
/// Whether the server then replaces the verifier, keeps the first, or refuses ("Invalid
/// device key given.") is not settled (`confirm-device-again`). Under each: the server
/// remembers the device from the first call; the client reports the device remembered, or
/// pending with a warning (refused: a typed error when finishing it, the record kept); the
/// next sign-in skips MFA with the same device, which the record then holds as confirmed.
#[tokio::test]
async fn a_lost_confirm_device_answer_under_each_rule_for_a_second_confirmation() {
    let pool = Pool::start(PoolSetup::default()).await;
    for value in CONFIRM_DEVICE_AGAIN {
        pool.set_fidelity(serde_json::json!({ "confirm-device-again": value }))
            .await;
        let user = format!("lou-{value}");
        pool.user(&user, &[]).await;
        let client = pool.client(memory_store());
        pool.fault("ConfirmDevice", "lose_response", 1, 0).await;
        let done = sign_in_with_sms(&pool, &client, &user).await;
        pool.clear_faults().await;
        let key = done.device.device_key.clone().expect("the device");
        let remembered_on_server = vec![(key.to_string(), Some("remembered".to_owned()))];
        assert_eq!(
            pool.server_devices(&user).await,
            remembered_on_server,
            "{value}"
        );
        let refused = value == "refuse";
        assert_eq!(
            done.device.pending_confirmation, refused,
            "{value}: {:?}",
            done.device
        );
        assert_eq!(
            done.device.remembered, !refused,
            "{value}: {:?}",
            done.device
        );
        let finished = client.confirm_pending_device(&user, &done.tokens).await;
        match finished {
            Ok(Some(local)) if !refused => assert!(local.confirmed && local.remembered),
            Err(Error::InvalidRequest(d)) if refused => {
                assert_eq!(d.error_type.as_deref(), Some("InvalidParameterException"));
                let local = client.current_device(&user).await.unwrap().expect("kept");
                assert_eq!(
                    (local.device_key.as_str(), local.confirmed),
                    (key.as_str(), false)
                );
            }
            other => panic!("{value}: {other:?}"),
        }
        let again = sign_in_without_mfa(&client, &user).await;
        assert!(again.device.skipped_mfa, "{value}: {:?}", again.device);
        assert_eq!(again.device.device_key.as_deref(), Some(key.as_str()));
        let local = client.current_device(&user).await.unwrap().expect("kept");
        assert!(local.confirmed && local.remembered, "{value}: {local:?}");
        assert_eq!(
            pool.server_devices(&user).await,
            remembered_on_server,
            "{value}"
        );
        let refresh_token = again.tokens.refresh_token.as_deref().unwrap();
        assert!(
            client.refresh(&user, refresh_token).await.is_ok(),
            "{value}"
        );
    }
}

/// Turns the pool's device tracking off (an update without DeviceConfiguration) or on.
async fn set_device_tracking(pool: &Pool, on: bool) {
    use aws_sdk_cognitoidentityprovider::types::DeviceConfigurationType;
    let config = on.then(|| {
        DeviceConfigurationType::builder()
            .challenge_required_on_new_device(true)
            .device_only_remembered_on_user_prompt(false)
            .build()
    });
    pool.admin
        .update_user_pool()
        .user_pool_id(&pool.pool_id)
        .set_device_configuration(config)
        .send()
        .await
        .expect("UpdateUserPool");
}

/// A device remembered, then the pool stops tracking devices. Whether a sign-in that presents
/// the key has it dropped or answered "Device does not exist." is not settled
/// (`device-key-without-tracking`). Either way the user is asked the code and signed in: the
/// dropped key stays stored (and skips MFA again once tracking is back); the refused one is
/// deleted, and once tracking is back a new device is confirmed.
#[tokio::test]
async fn a_remembered_device_while_tracking_is_off_under_either_rule() {
    for value in DEVICE_KEY_WITHOUT_TRACKING {
        let pool = Pool::start(PoolSetup::default()).await;
        pool.set_fidelity(serde_json::json!({ "device-key-without-tracking": value }))
            .await;
        pool.user("dora", &[]).await;
        let client = pool.client(memory_store());
        let key = sign_in_with_sms(&pool, &client, "dora")
            .await
            .device
            .device_key;
        let key = key.expect("a device");
        set_device_tracking(&pool, false).await;
        let off = sign_in_with_sms(&pool, &client, "dora").await;
        assert!(!off.device.proved && !off.device.newly_confirmed, "{value}");
        let local = client.current_device("dora").await.unwrap();
        let dropped = value == "ignored";
        if dropped {
            assert_eq!(off.device.device_key.as_deref(), Some(key.as_str()));
            assert_eq!(local.expect("kept").device_key, key);
        } else {
            assert_eq!(off.device.device_key, None, "{value}");
            assert!(local.is_none(), "{value}: {local:?}");
        }
        set_device_tracking(&pool, true).await;
        let on = if dropped {
            sign_in_without_mfa(&client, "dora").await
        } else {
            sign_in_with_sms(&pool, &client, "dora").await
        };
        let now = on.device.device_key.clone().expect("a device");
        assert_eq!(now == key, dropped, "{value}");
        assert_eq!(
            (on.device.skipped_mfa, on.device.newly_confirmed),
            (dropped, !dropped)
        );
        let local = client
            .current_device("dora")
            .await
            .unwrap()
            .expect("stored");
        assert_eq!(local.device_key, now);
        assert!(local.confirmed && local.remembered, "{value}: {local:?}");
        let server = pool.server_devices("dora").await;
        assert!(server.contains(&(now.to_string(), Some("remembered".to_owned()))));
    }
}

/// A refresh token past its validity: "Refresh Token has expired" (amplify-js issue 4542). The
/// client reports a typed, final error and keeps the device, which still skips MFA.
#[tokio::test]
async fn an_expired_refresh_token_is_a_typed_error_and_keeps_the_device() {
    use aws_sdk_cognitoidentityprovider::types::{
        ExplicitAuthFlowsType, TimeUnitsType, TokenValidityUnitsType,
    };
    use cognito_device_auth::{Client, ClientConfig};
    let pool = Pool::start(PoolSetup::default()).await;
    let short = pool
        .admin
        .create_user_pool_client()
        .user_pool_id(&pool.pool_id)
        .client_name("short refresh")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .refresh_token_validity(2)
        .token_validity_units(
            TokenValidityUnitsType::builder()
                .refresh_token(TimeUnitsType::Seconds)
                .build(),
        )
        .send()
        .await
        .expect("CreateUserPoolClient");
    let short_id = short
        .user_pool_client()
        .and_then(|c| c.client_id())
        .unwrap();
    let config = ClientConfig::new(&pool.pool_id, short_id)
        .with_endpoint(pool.emulator.endpoint())
        .with_store(memory_store())
        .with_device_name("test device");
    let client = Client::new(config).expect("a valid configuration");
    pool.user("ezra", &[]).await;
    let done = sign_in_with_sms(&pool, &client, "ezra").await;
    let key = done.device.device_key.clone().expect("a device");
    tokio::time::sleep(std::time::Duration::from_millis(2_500)).await;
    let refresh_token = done.tokens.refresh_token.as_deref().unwrap();
    let e = client.refresh("ezra", refresh_token).await.unwrap_err();
    assert!(matches!(e, Error::NotAuthorized(_)), "{e:?}");
    assert!(!e.is_retryable(), "{e:?}");
    let message = e.service_details().and_then(|d| d.message.as_deref());
    assert_eq!(message, Some("Refresh Token has expired"));
    let kept = client.current_device("ezra").await.unwrap().expect("kept");
    assert!(kept.confirmed && kept.remembered && kept.device_key == key);
    let again = sign_in_without_mfa(&client, "ezra").await;
    assert!(again.device.skipped_mfa);
    assert_eq!(again.device.device_key.as_deref(), Some(key.as_str()));
}
