//! The sign-in client against the emulator over real HTTP: every step, remembered devices,
//! and what the stores hold afterwards.

mod common;

use std::collections::HashMap;

use cip::types::UserPoolMfaType;
use cognito_device_auth::{Client, Error, RememberedStatus, SignInStep, SignOutScope};
use common::*;

use aws_sdk_cognitoidentityprovider as cip;

#[tokio::test]
async fn first_sign_in_with_sms_then_remembered_device_skips_mfa() {
    let pool = Pool::start(PoolSetup::default()).await;
    let username = pool.user("alice", &[]).await;
    let store = memory_store();
    let client = pool.client(store.clone());

    let first = sign_in_with_sms(&pool, &client, "alice").await;
    assert_eq!(first.username, username);
    assert_eq!(first.mfa, Some(cognito_device_auth::MfaType::Sms));
    assert!(first.device.newly_confirmed, "{:?}", first.device);
    assert!(first.device.remembered, "{:?}", first.device);
    assert!(!first.device.skipped_mfa);
    let device_key = first.device.device_key.clone().expect("a device key");
    assert_eq!(
        pool.server_devices(&username).await,
        vec![(device_key.to_string(), Some("remembered".to_owned()))]
    );
    let local = client
        .current_device("alice")
        .await
        .unwrap()
        .expect("stored");
    assert!(local.confirmed && local.remembered);
    assert_eq!(local.device_key, device_key);
    // Only the record itself (typed name == internal name: no alias entry).
    assert_eq!(entries(&store).len(), 1, "{:?}", entries(&store));

    client
        .sign_out(&first.tokens, SignOutScope::Everywhere)
        .await
        .unwrap();
    let sms_before = pool.emulator.sms_outbox(Some("alice")).len();

    let second = sign_in_without_mfa(&client, "alice").await;
    assert!(second.device.skipped_mfa, "{:?}", second.device);
    assert!(second.device.remembered);
    assert_eq!(
        second.device.device_key.as_deref(),
        Some(device_key.as_str())
    );
    assert_eq!(second.mfa, None);
    assert_eq!(
        second.round_trips, 4,
        "InitiateAuth, PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER"
    );
    assert_eq!(
        pool.emulator.sms_outbox(Some("alice")).len(),
        sms_before,
        "no SMS sent"
    );

    let devices = client.devices(&second.tokens).await.unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].device_key, device_key);
    assert_eq!(devices[0].remembered, Some(true));
    assert_eq!(devices[0].name.as_deref(), Some("test device"));
    let one = client.device(&second.tokens, &device_key).await.unwrap();
    assert_eq!(one.device_key, device_key);

    let refresh = second
        .tokens
        .refresh_token
        .clone()
        .expect("a refresh token");
    let refreshed = client.refresh("alice", &refresh).await.unwrap();
    assert!(!refreshed.access_token.is_empty());
    assert!(refreshed.refresh_token.is_some());

    client
        .forget_device(&refreshed, "alice", None)
        .await
        .unwrap();
    assert!(client.current_device("alice").await.unwrap().is_none());
    assert!(store.accounts().is_empty());
    assert!(pool.server_devices(&username).await.is_empty());

    let third = sign_in_with_sms(&pool, &client, "alice").await;
    assert!(third.device.newly_confirmed);
    assert_ne!(
        third.device.device_key.as_deref(),
        Some(device_key.as_str())
    );
}

#[tokio::test]
async fn wrong_password_and_wrong_code_are_typed_errors() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("bob", &[]).await;
    let client = pool.client(memory_store());

    let err = client.sign_in("bob", "wrong-password").await.unwrap_err();
    assert!(matches!(err, Error::NotAuthorized(_)), "{err:?}");
    assert_eq!(
        err.service_details().and_then(|d| d.error_type.as_deref()),
        Some("NotAuthorizedException")
    );
    let err = client.sign_in("nobody", PASSWORD).await.unwrap_err();
    assert!(matches!(err, Error::NotAuthorized(_)), "{err:?}");

    let SignInStep::SmsCode(step) = client.sign_in("bob", PASSWORD).await.unwrap() else {
        panic!("expected an SMS step");
    };
    let real = pool.last_sms_code("bob");
    let wrong = if real == "000000" { "111111" } else { "000000" };
    let refused = step.submit(wrong).await.unwrap_err();
    let err = &refused.error;
    assert!(matches!(err, Error::CodeMismatch(_)), "{err:?}");
    // The same step is handed back, to be answered again.
    let step = refused.step.expect("the same step, handed back");
    let done = step.submit(&real).await.unwrap().done().expect("signed in");
    assert!(done.device.remembered);
}

#[tokio::test]
async fn remember_prompt_yes_and_no() {
    let pool = Pool::start(PoolSetup {
        devices: Some((true, true)),
        ..PoolSetup::default()
    })
    .await;
    let carol = pool.user("carol", &[]).await;
    let client = pool.client(memory_store());

    // "No": confirmed, not remembered; MFA again next time.
    let step = client.sign_in("carol", PASSWORD).await.unwrap();
    let SignInStep::SmsCode(sms) = step else {
        panic!("expected SMS, got {}", step.name())
    };
    let step = sms.submit(&pool.last_sms_code("carol")).await.unwrap();
    let SignInStep::RememberDevice(prompt) = step else {
        panic!("expected the remember prompt, got {}", step.name())
    };
    let key = prompt.device_key().to_owned();
    let done = prompt.answer(RememberedStatus::NotRemembered).await;
    assert!(!done.device.remembered);
    assert!(done.device.newly_confirmed);
    assert_eq!(
        pool.server_devices(&carol).await,
        vec![(key.to_string(), Some("not_remembered".to_owned()))]
    );
    let local = client.current_device("carol").await.unwrap().unwrap();
    assert!(local.confirmed && !local.remembered);

    // Next sign-in: MFA again, then (the device is known) no new device and no prompt.
    let again = sign_in_with_sms(&pool, &client, "carol").await;
    assert_eq!(again.device.device_key.as_deref(), Some(key.as_str()));
    assert!(!again.device.newly_confirmed);

    // "Yes" later through the client: the next sign-in skips MFA.
    client
        .remember_device(&again.tokens, "carol", &key, RememberedStatus::Remembered)
        .await
        .unwrap();
    assert!(
        client
            .current_device("carol")
            .await
            .unwrap()
            .unwrap()
            .remembered
    );
    let skipped = sign_in_without_mfa(&client, "carol").await;
    assert!(skipped.device.skipped_mfa);
}

#[tokio::test]
async fn device_forgotten_elsewhere_is_deleted_locally_and_sign_in_retries_once() {
    let pool = Pool::start(PoolSetup::default()).await;
    let dave = pool.user("dave", &[]).await;
    let store = memory_store();
    let client = pool.client(store.clone());
    let first = sign_in_with_sms(&pool, &client, "dave").await;
    let key = first.device.device_key.clone().unwrap();

    // Another session (an admin, another app) forgets the device.
    pool.admin
        .admin_forget_device()
        .user_pool_id(&pool.pool_id)
        .username(&dave)
        .device_key(&key)
        .send()
        .await
        .unwrap();

    // The sign-in sends the stale DEVICE_KEY, is told "Device does not exist.", deletes the
    // record and starts over without it: the user sees an SMS step, once.
    let second = sign_in_with_sms(&pool, &client, "dave").await;
    assert!(second.device.newly_confirmed);
    let new_key = second.device.device_key.clone().unwrap();
    assert_ne!(new_key, key);
    assert_eq!(
        client
            .current_device("dave")
            .await
            .unwrap()
            .unwrap()
            .device_key,
        new_key
    );
    assert_eq!(pool.server_devices(&dave).await.len(), 1);
}

#[tokio::test]
async fn device_record_deleted_locally_means_mfa_once_and_a_new_device() {
    let pool = Pool::start(PoolSetup::default()).await;
    let erin = pool.user("erin", &[]).await;
    let store = memory_store();
    let client = pool.client(store.clone());
    let first = sign_in_with_sms(&pool, &client, "erin").await;
    for account in store.accounts() {
        cognito_device_auth::store::SecretStore::delete(store.as_ref(), &account).unwrap();
    }
    let second = sign_in_with_sms(&pool, &client, "erin").await;
    assert!(second.device.newly_confirmed);
    assert_ne!(second.device.device_key, first.device.device_key);
    let third = sign_in_without_mfa(&client, "erin").await;
    assert!(third.device.skipped_mfa);
    // The old device is still listed on the server (we could not prove it any more); the
    // user can forget it from the device list.
    assert_eq!(pool.server_devices(&erin).await.len(), 2);
}

#[tokio::test]
async fn two_users_on_one_device_keep_their_own_records() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("frank", &[]).await;
    pool.user("grace", &[]).await;
    let store = memory_store();
    let client = pool.client(store.clone());
    let frank = sign_in_with_sms(&pool, &client, "frank").await;
    let grace = sign_in_with_sms(&pool, &client, "grace").await;
    assert_ne!(frank.device.device_key, grace.device.device_key);
    assert_eq!(entries(&store).len(), 2);
    let frank_again = sign_in_without_mfa(&client, "frank").await;
    assert_eq!(frank_again.device.device_key, frank.device.device_key);
    let grace_again = sign_in_without_mfa(&client, "grace").await;
    assert_eq!(grace_again.device.device_key, grace.device.device_key);
}

#[tokio::test]
async fn client_with_a_secret_and_an_email_alias() {
    let pool = Pool::start(PoolSetup {
        secret: true,
        email_alias: true,
        ..PoolSetup::default()
    })
    .await;
    assert!(pool.client_secret.is_some());
    let internal = pool
        .user(
            "heidi",
            &[("email", "heidi@example.com"), ("email_verified", "true")],
        )
        .await;
    let store = memory_store();
    let client = pool.client(store.clone());

    // Typed alias; SECRET_HASH over the alias first, then over the internal name.
    let first = sign_in_with_sms(&pool, &client, "heidi@example.com").await;
    assert_eq!(first.username, internal);
    assert!(first.device.remembered);
    // The record is kept under the internal name, with an alias entry for the e-mail.
    assert_eq!(entries(&store).len(), 2, "{:?}", entries(&store));

    // Both names find the device, so both skip MFA.
    let by_alias = sign_in_without_mfa(&client, "heidi@example.com").await;
    assert!(by_alias.device.skipped_mfa);
    let by_name = sign_in_without_mfa(&client, "heidi").await;
    assert!(by_name.device.skipped_mfa);
    assert_eq!(by_alias.device.device_key, by_name.device.device_key);

    let refreshed = client
        .refresh(&internal, by_name.tokens.refresh_token.as_deref().unwrap())
        .await
        .unwrap();
    assert!(!refreshed.id_token.is_empty());
}

#[tokio::test]
async fn four_device_configurations() {
    for (challenge, prompt) in [(true, false), (true, true), (false, false), (false, true)] {
        let pool = Pool::start(PoolSetup {
            devices: Some((challenge, prompt)),
            ..PoolSetup::default()
        })
        .await;
        pool.user("ivan", &[]).await;
        let client = pool.client(memory_store());
        let context = format!("ChallengeRequiredOnNewDevice={challenge}, OnUserPrompt={prompt}");

        let step = client.sign_in("ivan", PASSWORD).await.unwrap();
        let SignInStep::SmsCode(sms) = step else {
            panic!("{context}: expected SMS, got {}", step.name())
        };
        let step = sms.submit(&pool.last_sms_code("ivan")).await.unwrap();
        let done = if prompt {
            let SignInStep::RememberDevice(ask) = step else {
                panic!("{context}: expected the prompt, got {}", step.name())
            };
            ask.answer(RememberedStatus::Remembered).await
        } else {
            step.done()
                .unwrap_or_else(|| panic!("{context}: expected done"))
        };
        assert!(done.device.remembered, "{context}");

        let second = client.sign_in("ivan", PASSWORD).await.unwrap();
        if challenge {
            let done = second
                .done()
                .unwrap_or_else(|| panic!("{context}: a remembered device skips MFA"));
            assert!(done.device.skipped_mfa, "{context}");
        } else {
            // Without ChallengeRequiredOnNewDevice, MFA is not replaced by the device
            // (Cognito's DeviceConfigurationType documentation).
            assert_eq!(second.name(), "SmsCode", "{context}");
        }
    }
}

#[tokio::test]
async fn refresh_without_device_tracking() {
    let pool = Pool::start(PoolSetup {
        mfa: UserPoolMfaType::Off,
        devices: None,
        ..PoolSetup::default()
    })
    .await;
    pool.user("judy", &[]).await;
    let store = memory_store();
    let client = pool.client(store.clone());
    let done = client
        .sign_in("judy", PASSWORD)
        .await
        .unwrap()
        .done()
        .expect("no MFA in this pool");
    assert_eq!(done.device.device_key, None);
    assert_eq!(done.round_trips, 2);
    assert!(store.accounts().is_empty());
    let refreshed = client
        .refresh("judy", done.tokens.refresh_token.as_deref().unwrap())
        .await
        .unwrap();
    assert!(!refreshed.access_token.is_empty());
}

#[tokio::test]
async fn new_password_required_keeps_the_device_flow() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.admin
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("kim")
        .temporary_password("Temp-Pass-123")
        .message_action(cip::types::MessageActionType::Suppress)
        .user_attributes(attribute("phone_number", "+15555550100"))
        .user_attributes(attribute("phone_number_verified", "true"))
        .send()
        .await
        .unwrap();
    let client = pool.client(memory_store());
    let step = client.sign_in("kim", "Temp-Pass-123").await.unwrap();
    let SignInStep::NewPassword(np) = step else {
        panic!("expected NewPassword, got {}", step.name())
    };
    let step = np.submit(PASSWORD, &HashMap::new()).await.unwrap();
    let done = match step {
        SignInStep::SmsCode(sms) => sms
            .submit(&pool.last_sms_code("kim"))
            .await
            .unwrap()
            .done()
            .unwrap(),
        SignInStep::Done(done) => done,
        other => panic!("unexpected {}", other.name()),
    };
    assert!(done.device.remembered);
    let again = sign_in_without_mfa(&client, "kim").await;
    assert!(again.device.skipped_mfa);
}

#[tokio::test]
async fn fifty_users_sign_in_concurrently() {
    let pool = std::sync::Arc::new(Pool::start(PoolSetup::default()).await);
    let store = memory_store();
    let client = pool.client(store.clone());
    let mut names = Vec::new();
    for i in 0..50 {
        let name = format!("user{i:02}");
        pool.user(&name, &[]).await;
        names.push(name);
    }
    let mut tasks = Vec::new();
    for name in names.clone() {
        let client = client.clone();
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let first = sign_in_with_sms(&pool, &client, &name).await;
            assert!(first.device.remembered, "{name}");
            let second = sign_in_without_mfa(&client, &name).await;
            assert!(second.device.skipped_mfa, "{name}");
            first.device.device_key.unwrap()
        }));
    }
    let mut keys = std::collections::HashSet::new();
    for t in tasks {
        keys.insert(t.await.expect("no task panicked"));
    }
    assert_eq!(keys.len(), 50);
    assert_eq!(entries(&store).len(), 50);
}

/// Calls that cannot work whatever the server says are `Error::Misuse`, apart from a wrong
/// answer to a step, never retryable, and they change nothing.
#[tokio::test]
async fn misuse_is_its_own_error_and_changes_nothing() {
    let pool = Pool::start(PoolSetup {
        devices: Some((true, true)),
        ..PoolSetup::default()
    })
    .await;
    let mona = pool.user("mona", &[]).await;
    let client = pool.client(memory_store());
    let step = client.sign_in("mona", PASSWORD).await.unwrap();
    let SignInStep::SmsCode(sms) = step else {
        panic!("expected SMS, got {}", step.name())
    };
    let step = sms.submit(&pool.last_sms_code("mona")).await.unwrap();
    let SignInStep::RememberDevice(prompt) = step else {
        panic!("expected the remember prompt, got {}", step.name())
    };
    let done = prompt.answer(RememberedStatus::Remembered).await;
    let key = done.device.device_key.clone().expect("a device");

    // (The same question answered twice does not compile in Rust: the step is consumed by its
    // answer. The bindings, whose steps are shared objects, refuse it with `Misuse`: tested in
    // bindings/ffi and by the Kotlin and Swift tests.)
    let mut misuses = Vec::new();
    // Signing out this session without its refresh token.
    let mut without_refresh = done.tokens.clone();
    without_refresh.refresh_token = None;
    misuses.push(
        client
            .sign_out(&without_refresh, SignOutScope::ThisSession)
            .await
            .unwrap_err(),
    );
    // Forgetting "this device" on a client that stores none.
    let elsewhere = pool.client(memory_store());
    misuses.push(
        elsewhere
            .forget_device(&done.tokens, "mona", None)
            .await
            .unwrap_err(),
    );
    // An empty user name.
    misuses.push(client.sign_in("", PASSWORD).await.unwrap_err());
    for e in &misuses {
        assert!(matches!(e, Error::Misuse(_)), "{e:?}");
        assert!(!e.is_retryable(), "{e:?}");
    }
    assert_eq!(
        pool.server_devices(&mona).await,
        vec![(key.to_string(), Some("remembered".to_owned()))],
        "the device stays remembered"
    );
    let again = sign_in_without_mfa(&client, "mona").await;
    assert!(
        again.device.skipped_mfa,
        "the session and device still work"
    );
}

/// A wrong client secret is refused in either of the wordings real answers have shown (the
/// emulator's switch `secret-hash-mismatch-message`): `NotAuthorized`, not retryable, and the
/// remembered device stored by the same app is kept.
#[tokio::test]
async fn a_wrong_client_secret_is_not_authorized_in_either_wording() {
    let pool = Pool::start(PoolSetup {
        secret: true,
        ..PoolSetup::default()
    })
    .await;
    pool.user("nils", &[]).await;
    let store = memory_store();
    let client = pool.client(store.clone());
    let first = sign_in_with_sms(&pool, &client, "nils").await;
    assert!(first.device.remembered);
    let wrong = Client::new(
        cognito_device_auth::ClientConfig::new(&pool.pool_id, &pool.client_id)
            .with_endpoint(pool.emulator.endpoint())
            .with_store(store.clone())
            .with_client_secret("not-the-secret"),
    )
    .expect("a valid configuration");
    for message in cognito_emulator::fidelity::SECRET_HASH_MISMATCH_MESSAGES {
        pool.set_fidelity(serde_json::json!({ "secret-hash-mismatch-message": message }))
            .await;
        let e = wrong.sign_in("nils", PASSWORD).await.unwrap_err();
        let expected = message.replace("{client}", &pool.client_id);
        assert!(
            matches!(&e, Error::NotAuthorized(d) if d.message.as_deref() == Some(expected.as_str())),
            "{e:?}"
        );
        assert!(!e.is_retryable());
        let again = sign_in_without_mfa(&client, "nils").await;
        assert!(again.device.skipped_mfa, "{message}: the device is kept");
    }
}
