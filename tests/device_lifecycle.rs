//! The device lifecycle as a user meets it, each case asserting what the user saw and what the
//! store and the server hold afterwards:
//! - a device the user declined to remember is never reported as remembered, and a sign-in that
//!   asked a code never reports a skipped MFA;
//! - service errors that are not about the device delete nothing;
//! - a ConfirmDevice that keeps failing keeps the session refreshable and is finished later;
//! - refresh with rotation survives a lost response; the REFRESH_TOKEN_AUTH fallback hashes the
//!   internal name.

mod common;

use std::sync::Arc;

use cognito_device_auth::store::MemoryStore;
use cognito_device_auth::{Client, Error, RememberedStatus, SignInStep, SignedIn};
use common::*;

fn prompt_pool() -> PoolSetup {
    PoolSetup {
        devices: Some((true, true)),
        ..PoolSetup::default()
    }
}

/// Signs in with the SMS code and answers the remember prompt with `remember`.
async fn sign_in_and_answer(pool: &Pool, client: &Client, user: &str, remember: bool) -> SignedIn {
    let step = client.sign_in(user, PASSWORD).await.expect("sign-in");
    let SignInStep::SmsCode(sms) = step else {
        panic!("expected an SMS step, got {}", step.name());
    };
    let step = sms.submit(&pool.last_sms_code(user)).await.expect("code");
    let SignInStep::RememberDevice(ask) = step else {
        panic!("expected the remember prompt, got {}", step.name());
    };
    ask.answer(RememberedStatus::from_remembered(remember))
        .await
}

#[tokio::test]
async fn a_declined_device_is_never_reported_as_remembered() {
    let pool = Pool::start(prompt_pool()).await;
    pool.user("dora", &[]).await;
    let store = Arc::new(MemoryStore::new());
    let client = pool.client(store.clone());
    let first = sign_in_and_answer(&pool, &client, "dora", false).await;
    assert!(!first.device.remembered, "{:?}", first.device);
    assert!(!first.device.skipped_mfa);
    let key = first.device.device_key.clone().expect("a device");

    // The next sign-in: the device is not remembered, so the server asks the code, then lets
    // the device prove itself.
    let second = sign_in_with_sms(&pool, &client, "dora").await;
    assert!(second.device.proved, "{:?}", second.device);
    assert!(
        !second.device.skipped_mfa,
        "a code was asked: MFA was not skipped ({:?})",
        second.device
    );
    assert!(!second.device.remembered, "{:?}", second.device);
    assert_eq!(second.mfa, Some(cognito_device_auth::MfaType::Sms));
    let local = client.current_device("dora").await.unwrap().unwrap();
    assert!(local.confirmed && !local.remembered, "{local:?}");
    assert_eq!(local.device_key, key);
    assert_eq!(
        pool.all_devices("dora"),
        vec![(key.to_string(), true, false)]
    );
    // Not remembered devices are not listed (ListDevices shows remembered ones).
    assert!(client.devices(&second.tokens).await.unwrap().is_empty());

    // Remembered later from the app: the next sign-in skips the code.
    client
        .remember_device(&second.tokens, "dora", &key, RememberedStatus::Remembered)
        .await
        .unwrap();
    let third = sign_in_without_mfa(&client, "dora").await;
    assert!(third.device.skipped_mfa && third.device.remembered);
}

#[tokio::test]
async fn a_device_remembered_elsewhere_is_reported_as_the_server_holds_it() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("ezra", &[]).await;
    let client = pool.client(memory_store());
    let first = sign_in_with_sms(&pool, &client, "ezra").await;
    let key = first.device.device_key.clone().unwrap();
    // Another app of the user sets the device not remembered.
    pool.admin
        .admin_update_device_status()
        .user_pool_id(&pool.pool_id)
        .username("ezra")
        .device_key(&key)
        .device_remembered_status(
            aws_sdk_cognitoidentityprovider::types::DeviceRememberedStatusType::NotRemembered,
        )
        .send()
        .await
        .unwrap();
    let second = sign_in_with_sms(&pool, &client, "ezra").await;
    assert!(second.device.proved && !second.device.skipped_mfa);
    assert!(!second.device.remembered, "{:?}", second.device);
    let local = client.current_device("ezra").await.unwrap().unwrap();
    assert!(
        !local.remembered,
        "the record follows the server: {local:?}"
    );
}

/// (operation, calls to let through, error type, message, what the user must see)
const UNRELATED: [(&str, u32, &str, &str); 5] = [
    (
        "InitiateAuth",
        0,
        "ResourceNotFoundException",
        "User pool client 1example23456789 does not exist.",
    ),
    (
        "RespondToAuthChallenge",
        0,
        "ResourceNotFoundException",
        "User pool client 1example23456789 does not exist.",
    ),
    (
        "RespondToAuthChallenge",
        2,
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
    ),
    (
        "RespondToAuthChallenge",
        1,
        "NotAuthorizedException",
        "Password attempts exceeded",
    ),
    (
        "RespondToAuthChallenge",
        2,
        "InternalErrorException",
        "An internal error occurred",
    ),
];

#[tokio::test]
async fn errors_that_are_not_about_the_device_delete_nothing() {
    let pool = Pool::start(PoolSetup::default()).await;
    for (i, (operation, skip, error_type, message)) in UNRELATED.iter().enumerate() {
        let user = format!("unrelated{i}");
        pool.user(&user, &[]).await;
        let store = Arc::new(MemoryStore::new());
        let client = pool.client(store.clone());
        let first = sign_in_with_sms(&pool, &client, &user).await;
        let key = first.device.device_key.clone().unwrap();
        let before = store.accounts();
        // Challenge answers are not retried on a 5xx: one fault reaches the user.
        pool.fault_error(operation, *skip, error_type, message)
            .await;
        let outcome = client.sign_in(&user, PASSWORD).await;
        pool.clear_faults().await;
        let error = match outcome {
            Err(e) => e,
            Ok(step) => panic!(
                "{operation} {message}: expected an error, got {}",
                step.name()
            ),
        };
        let details = error.service_details().expect("Cognito's details");
        assert_eq!(
            details.error_type.as_deref(),
            Some(*error_type),
            "{error:?}"
        );
        assert_eq!(details.message.as_deref(), Some(*message), "{error:?}");
        assert!(
            !matches!(error, Error::DeviceForgotten(_)),
            "{message}: not a device answer ({error:?})"
        );
        assert_eq!(
            store.accounts(),
            before,
            "{message}: the store is untouched"
        );
        let local = client.current_device(&user).await.unwrap().unwrap();
        assert_eq!(local.device_key, key, "{message}");
        assert!(local.confirmed && local.remembered, "{message}: {local:?}");
        // Nothing was lost: the device still skips MFA.
        let again = sign_in_without_mfa(&client, &user).await;
        assert!(again.device.skipped_mfa, "{message}");
        assert_eq!(again.device.device_key.as_deref(), Some(key.as_str()));
    }
}

#[tokio::test]
async fn device_answers_still_replace_a_device_the_server_forgot() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("fern", &[]).await;
    let store = Arc::new(MemoryStore::new());
    let client = pool.client(store.clone());
    let first = sign_in_with_sms(&pool, &client, "fern").await;
    let old = first.device.device_key.clone().unwrap();
    // "Device does not exist." at DEVICE_SRP_AUTH: the secret is of no use; the sign-in runs
    // again without it, asks the code, and a new device replaces it.
    pool.fault_error(
        "RespondToAuthChallenge",
        1,
        "ResourceNotFoundException",
        "Device does not exist.",
    )
    .await;
    let step = client.sign_in("fern", PASSWORD).await.expect("sign-in");
    pool.clear_faults().await;
    let SignInStep::SmsCode(sms) = step else {
        panic!(
            "expected the code after the device was dropped, got {}",
            step.name()
        );
    };
    let done = sms
        .submit(&pool.last_sms_code("fern"))
        .await
        .unwrap()
        .done()
        .unwrap();
    assert!(done.device.newly_confirmed && !done.device.skipped_mfa);
    assert_ne!(done.device.device_key.as_deref(), Some(old.as_str()));
}

/// A first sign-in (SMS code) during which every ConfirmDevice attempt fails with `kind`.
async fn sign_in_with_confirm_device_failing(
    pool: &Pool,
    client: &Client,
    user: &str,
    kind: &str,
) -> SignedIn {
    let step = client.sign_in(user, PASSWORD).await.unwrap();
    let SignInStep::SmsCode(sms) = step else {
        panic!("expected an SMS step, got {}", step.name())
    };
    pool.fault("ConfirmDevice", kind, 10, 0).await;
    let done = sms
        .submit(&pool.last_sms_code(user))
        .await
        .unwrap()
        .done()
        .unwrap();
    pool.clear_faults().await;
    done
}

/// ConfirmDevice fails on every attempt: the sign-in succeeds, the device stays pending with its
/// secret, the session is never given up (no ForgetDevice), and the next refresh of the same
/// client finishes the confirmation with the session's access token.
#[tokio::test]
async fn a_failed_confirm_device_keeps_the_session_and_is_finished_by_refresh() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("gus", &[]).await;
    let store = Arc::new(MemoryStore::new());
    let client = pool.client(store.clone());
    let done = sign_in_with_confirm_device_failing(&pool, &client, "gus", "internal").await;
    assert!(done.device.pending_confirmation, "{:?}", done.device);
    assert!(!done.device.remembered && !done.device.newly_confirmed);
    let warning = done.device.warning.clone().expect("a warning");
    assert!(warning.contains("not yet confirmed"), "{warning}");
    let key = done
        .device
        .device_key
        .clone()
        .expect("the pending device's key");
    let local = client.current_device("gus").await.unwrap().unwrap();
    assert!(!local.confirmed, "pending: {local:?}");
    assert_eq!(
        pool.all_devices("gus"),
        vec![(key.to_string(), false, false)],
        "the device was not forgotten"
    );
    // The session is still alive and refreshable: refresh confirms the device first.
    let refreshed = client
        .refresh("gus", done.tokens.refresh_token.as_deref().unwrap())
        .await
        .expect("the session can be refreshed");
    assert!(client.devices(&refreshed).await.is_ok());
    let local = client.current_device("gus").await.unwrap().unwrap();
    assert!(local.confirmed && local.remembered, "{local:?}");
    assert_eq!(pool.all_devices("gus"), vec![(key.to_string(), true, true)]);
    let next = sign_in_without_mfa(&client, "gus").await;
    assert!(next.device.skipped_mfa);
    assert_eq!(next.device.device_key.as_deref(), Some(key.as_str()));
}

/// The same in another process (a new client over the same store): nothing kept in memory, so
/// refresh cannot finish it alone and says so; the app hands the session's tokens to
/// confirm_pending_device, and then refresh works.
#[tokio::test]
async fn a_pending_device_is_finished_by_the_app_in_another_process() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("hal", &[]).await;
    let store = Arc::new(MemoryStore::new());
    let first_process = pool.client(store.clone());
    let done = sign_in_with_confirm_device_failing(&pool, &first_process, "hal", "reset").await;
    assert!(done.device.pending_confirmation);
    drop(first_process);

    let client = pool.client(store.clone());
    let refresh_token = done.tokens.refresh_token.clone().unwrap();
    let refused = client.refresh("hal", &refresh_token).await;
    assert!(
        matches!(&refused, Err(Error::DevicePending(m)) if m.contains("confirm_pending_device")),
        "an unconfirmed device's refresh token is refused, and the error says what to do: \
         {refused:?}"
    );
    // Another user's tokens are not this device's session: refused, nothing touched.
    pool.user("ivy", &[]).await;
    let ivy = sign_in_with_sms(&pool, &pool.client(memory_store()), "ivy").await;
    let wrong = client.confirm_pending_device("hal", &ivy.tokens).await;
    assert!(matches!(wrong, Err(Error::Misuse(_))), "{wrong:?}");
    assert!(
        !client
            .current_device("hal")
            .await
            .unwrap()
            .unwrap()
            .confirmed
    );
    let device = client
        .confirm_pending_device("hal", &done.tokens)
        .await
        .unwrap()
        .expect("the device");
    assert!(device.confirmed && device.remembered, "{device:?}");
    client
        .refresh("hal", &refresh_token)
        .await
        .expect("refresh");
    assert!(sign_in_without_mfa(&client, "hal").await.device.skipped_mfa);
}

/// A new sign-in in another process with a pending record: the device is tried; the server
/// does not know it as confirmed, so the sign-in restarts without it, asks the code once, and
/// a fresh device replaces the record.
#[tokio::test]
async fn a_pending_device_the_server_never_confirmed_is_replaced_at_the_next_sign_in() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("ida", &[]).await;
    let store = Arc::new(MemoryStore::new());
    let first_process = pool.client(store.clone());
    let done = sign_in_with_confirm_device_failing(&pool, &first_process, "ida", "throttle").await;
    let pending = done.device.device_key.clone().unwrap();
    drop(first_process);
    let client = pool.client(store.clone());
    let again = sign_in_with_sms(&pool, &client, "ida").await;
    assert!(again.device.newly_confirmed && again.device.remembered);
    assert!(!again.device.skipped_mfa);
    let fresh = again.device.device_key.clone().unwrap();
    assert_ne!(fresh, pending);
    // One record (and the store's index of entries), no leftover.
    assert_eq!(entries(&store).len(), 1, "{:?}", entries(&store));
}

/// Refresh-token rotation: the first GetTokensFromRefreshToken is carried out but its answer is
/// lost; the client retries at once, within the grace period, and hands the rotated token over.
#[tokio::test]
async fn refresh_with_rotation_survives_a_lost_response() {
    let pool = Pool::start(PoolSetup {
        rotation: Some(10),
        ..PoolSetup::default()
    })
    .await;
    pool.user("jo", &[]).await;
    let client = pool.client(memory_store());
    let done = sign_in_with_sms(&pool, &client, "jo").await;
    let original = done.tokens.refresh_token.clone().unwrap();
    pool.fault("GetTokensFromRefreshToken", "lose_response", 1, 0)
        .await;
    let refreshed = client.refresh("jo", &original).await.expect("refresh");
    pool.clear_faults().await;
    let rotated = refreshed.refresh_token.clone().expect("a refresh token");
    assert_ne!(rotated, original, "the rotated token is handed over");
    let again = client
        .refresh("jo", &rotated)
        .await
        .expect("the rotated token works");
    assert!(again.refresh_token.is_some());
}

/// An endpoint without GetTokensFromRefreshToken: the REFRESH_TOKEN_AUTH fallback, with a client
/// secret and a user who signs in with an e-mail alias. SECRET_HASH must be over the internal
/// name, whatever name the app passes.
#[tokio::test]
async fn the_refresh_fallback_hashes_the_internal_name() {
    let pool = Pool::start(PoolSetup {
        secret: true,
        email_alias: true,
        ..PoolSetup::default()
    })
    .await;
    pool.user(
        "kim",
        &[("email", "kim@example.com"), ("email_verified", "true")],
    )
    .await;
    let client = pool.client(memory_store());
    let done = sign_in_with_sms(&pool, &client, "kim@example.com").await;
    assert_eq!(done.username, "kim");
    for name in ["kim@example.com", "kim"] {
        pool.fault_error(
            "GetTokensFromRefreshToken",
            0,
            "UnknownOperationException",
            "Unknown operation GetTokensFromRefreshToken",
        )
        .await;
        let refreshed = client
            .refresh(name, done.tokens.refresh_token.as_deref().unwrap())
            .await;
        pool.clear_faults().await;
        refreshed.unwrap_or_else(|e| panic!("refresh as {name}: {e}"));
    }
}

/// An endpoint without GetTokensFromRefreshToken (the emulator's fault `unknown_operation`), in
/// each of the answers such endpoints give (its switch `unknown-operation-answer`:
/// UnknownOperationException, ministack's InvalidAction, floci's UnsupportedOperation): the
/// refresh falls back to REFRESH_TOKEN_AUTH and keeps the device.
#[tokio::test]
async fn the_refresh_falls_back_under_every_unknown_operation_answer() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("uma", &[]).await;
    let client = pool.client(memory_store());
    let done = sign_in_with_sms(&pool, &client, "uma").await;
    let key = done.device.device_key.clone().unwrap();
    let refresh_token = done.tokens.refresh_token.clone().unwrap();
    for answer in cognito_emulator::fidelity::UnknownOperationAnswer::ALL {
        let name = answer.name();
        pool.set_fidelity(serde_json::json!({ "unknown-operation-answer": name }))
            .await;
        pool.fault("GetTokensFromRefreshToken", "unknown_operation", 100, 0)
            .await;
        let refreshed = client.refresh("uma", &refresh_token).await;
        pool.clear_faults().await;
        let tokens = refreshed.unwrap_or_else(|e| panic!("refresh under {name}: {e:?}"));
        assert!(!tokens.access_token.is_empty(), "{name}");
        let local = client.current_device("uma").await.unwrap().expect("kept");
        assert_eq!(local.device_key, key, "{name}");
    }
}

/// A refresh from a client that lost its device secret (a new keychain): whether the server
/// answers "Invalid Refresh Token" or issues a new device with the tokens is not settled (the
/// emulator's switch `refresh-issues-new-device`). Either way the client is right: a typed,
/// final error; or the new device confirmed and stored, so the next sign-in skips MFA.
#[tokio::test]
async fn a_refresh_without_the_device_gets_a_new_one_or_a_clear_error() {
    let pool = Pool::start(PoolSetup::default()).await;
    for issues in [false, true] {
        pool.set_fidelity(serde_json::json!({ "refresh-issues-new-device": issues }))
            .await;
        let user = format!("lost{issues}");
        pool.user(&user, &[]).await;
        let before = pool.client(memory_store());
        let done = sign_in_with_sms(&pool, &before, &user).await;
        let old_key = done.device.device_key.clone().unwrap();
        // The same app after its keychain was lost: no device record.
        let store = Arc::new(MemoryStore::new());
        let after = pool.client(store.clone());
        let refreshed = after
            .refresh(&user, done.tokens.refresh_token.as_deref().unwrap())
            .await;
        if !issues {
            let e = refreshed.expect_err("no device key: refused");
            assert!(
                matches!(e, Error::NotAuthorized(_)) && !e.is_retryable(),
                "{e:?}"
            );
            assert!(after.current_device(&user).await.unwrap().is_none());
            continue;
        }
        let tokens = refreshed.expect("refreshed with a new device");
        let device = after.current_device(&user).await.unwrap().expect("stored");
        assert!(device.confirmed && device.remembered, "{device:?}");
        assert_ne!(device.device_key, old_key);
        // The new refresh token is bound to the new device, which the client now sends.
        after
            .refresh(&user, tokens.refresh_token.as_deref().unwrap())
            .await
            .expect("refresh with the new device");
        assert!(sign_in_without_mfa(&after, &user).await.device.skipped_mfa);
    }
}
