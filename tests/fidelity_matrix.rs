//! The device lifecycle (sign-in, remember, refresh, new password, MFA switched on, e-mail
//! codes, forget) under every combination of the emulator's fidelity switches: the behaviours
//! of the real service that no public source settles. Under each, the client must never claim
//! a skipped MFA that happened, never report a device state the server does not hold, never
//! delete a secret that still works, and never lose a session it could keep.

mod common;

use std::sync::Arc;

use aws_sdk_cognitoidentityprovider as cip;
use cognito_device_auth::store::MemoryStore;
use cognito_device_auth::{Client, Error, RememberedStatus, SignInStep, SignedIn};
use cognito_emulator::Fidelity;
use common::*;

const NEW_PASSWORD: &str = "Battery-Staple-42";

/// Answers every code step from the outbox (and a new password when asked); returns the result
/// and whether a code was asked.
async fn complete(pool: &Pool, user: &str, mut step: SignInStep) -> (SignedIn, bool) {
    let mut asked = false;
    loop {
        step = match step {
            SignInStep::Done(done) => return (done, asked),
            SignInStep::SmsCode(code) | SignInStep::EmailCode(code) => {
                asked = true;
                code.submit(&pool.last_sms_code(user)).await.expect("code")
            }
            SignInStep::NewPassword(np) => np
                .submit(NEW_PASSWORD, &Default::default())
                .await
                .expect("new password"),
            other => panic!("{user}: unexpected step {}", other.name()),
        };
    }
}

/// What the client reported agrees with what happened and with what the server and the
/// store hold.
async fn check(pool: &Pool, client: &Client, user: &str, done: &SignedIn, asked: bool, at: &str) {
    let d = &done.device;
    assert_eq!(
        d.skipped_mfa,
        d.proved && !asked,
        "{at}: skipped_mfa means no code was asked ({d:?})"
    );
    assert!(d.warning.is_none(), "{at}: {d:?}");
    let key = d.device_key.clone().expect("a device");
    let server: Vec<(String, bool, bool)> = pool.all_devices(user);
    let held = server
        .iter()
        .find(|(k, _, _)| *k == key)
        .unwrap_or_else(|| panic!("{at}: the server holds the device ({server:?})"));
    assert!(held.1, "{at}: confirmed on the server");
    assert_eq!(
        held.2, d.remembered,
        "{at}: remembered as the server holds it"
    );
    let local = client
        .current_device(user)
        .await
        .unwrap()
        .expect("a record");
    assert_eq!(local.device_key, key, "{at}");
    assert!(local.confirmed, "{at}");
    assert_eq!(local.remembered, d.remembered, "{at}");
}

async fn sign_in(pool: &Pool, client: &Client, user: &str, password: &str) -> (SignedIn, bool) {
    let step = client.sign_in(user, password).await.expect("sign-in");
    complete(pool, user, step).await
}

async fn lifecycle(fidelity: Fidelity) {
    let label = fidelity.label();
    let pool = Pool::start(PoolSetup {
        fidelity,
        ..PoolSetup::default()
    })
    .await;
    assert_eq!(pool.emulator.fidelity(), fidelity);
    pool.admin
        .set_user_pool_mfa_config()
        .user_pool_id(&pool.pool_id)
        .mfa_configuration(cip::types::UserPoolMfaType::On)
        .sms_mfa_configuration(cip::types::SmsMfaConfigType::builder().build())
        .email_mfa_configuration(cip::types::EmailMfaConfigType::builder().build())
        .send()
        .await
        .unwrap();

    // 1. SMS: remember, skip, refresh.
    pool.user("ann", &[]).await;
    let store = Arc::new(MemoryStore::new());
    let client = pool.client(store.clone());
    let (first, asked) = sign_in(&pool, &client, "ann", PASSWORD).await;
    assert!(
        asked && first.device.newly_confirmed && first.device.remembered,
        "{label}"
    );
    check(
        &pool,
        &client,
        "ann",
        &first,
        asked,
        &format!("{label} first"),
    )
    .await;
    let (second, asked) = sign_in(&pool, &client, "ann", PASSWORD).await;
    assert!(
        second.device.skipped_mfa,
        "{label}: a remembered device skips SMS"
    );
    check(
        &pool,
        &client,
        "ann",
        &second,
        asked,
        &format!("{label} second"),
    )
    .await;
    let refreshed = client
        .refresh("ann", second.tokens.refresh_token.as_deref().unwrap())
        .await
        .unwrap_or_else(|e| panic!("{label}: refresh {e}"));

    // 1b. Not remembered any more (the app's choice): the code is asked; the device may or may
    // not be asked to prove itself after it, and is reported as the server holds it.
    let key = second.device.device_key.clone().unwrap();
    client
        .remember_device(&refreshed, "ann", &key, RememberedStatus::NotRemembered)
        .await
        .unwrap();
    let (declined, asked) = sign_in(&pool, &client, "ann", PASSWORD).await;
    assert!(
        asked && !declined.device.remembered,
        "{label}: {:?}",
        declined.device
    );
    assert_eq!(
        declined.device.proved, fidelity.not_remembered_device_proves,
        "{label}"
    );
    check(
        &pool,
        &client,
        "ann",
        &declined,
        asked,
        &format!("{label} not remembered"),
    )
    .await;
    client
        .remember_device(&declined.tokens, "ann", &key, RememberedStatus::Remembered)
        .await
        .unwrap();
    let (back, asked) = sign_in(&pool, &client, "ann", PASSWORD).await;
    assert!(
        !asked && back.device.skipped_mfa && back.device.remembered,
        "{label}"
    );

    // 1c. The same app after its keychain was lost: a refresh without the device key is
    // refused for good, or answered with a new device that the client confirms and keeps.
    let lost = pool.client(Arc::new(MemoryStore::new()));
    match lost
        .refresh("ann", back.tokens.refresh_token.as_deref().unwrap())
        .await
    {
        Ok(_) => {
            assert!(fidelity.refresh_issues_new_device, "{label}");
            let d = lost.current_device("ann").await.unwrap().expect("kept");
            assert!(
                d.confirmed && d.remembered && d.device_key != key,
                "{label}: {d:?}"
            );
        }
        Err(e) => {
            assert!(!fidelity.refresh_issues_new_device, "{label}: {e:?}");
            assert!(!e.is_retryable(), "{label}: {e:?}");
            assert!(lost.current_device("ann").await.unwrap().is_none());
        }
    }

    // 2. A new password set by an admin: MFA may be asked once more; the device stays.
    pool.admin
        .admin_set_user_password()
        .user_pool_id(&pool.pool_id)
        .username("ann")
        .password("Temporary-Pass-1")
        .permanent(false)
        .send()
        .await
        .unwrap();
    let (renewed, asked) = sign_in(&pool, &client, "ann", "Temporary-Pass-1").await;
    assert_eq!(asked, fidelity.mfa_after_new_password, "{label}");
    assert_eq!(
        renewed.device.device_key, second.device.device_key,
        "{label}"
    );
    check(
        &pool,
        &client,
        "ann",
        &renewed,
        asked,
        &format!("{label} new password"),
    )
    .await;
    let (after, asked) = sign_in(&pool, &client, "ann", NEW_PASSWORD).await;
    assert!(
        !asked && after.device.skipped_mfa,
        "{label}: the device still works"
    );

    // 3. MFA switched on for a user whose device is remembered.
    pool.user("ben", &[]).await;
    let ben = pool.client(Arc::new(MemoryStore::new()));
    let (first, _) = sign_in(&pool, &ben, "ben", PASSWORD).await;
    assert!(first.device.remembered, "{label}");
    pool.admin
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool.pool_id)
        .username("ben")
        .sms_mfa_settings(
            cip::types::SmsMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let (switched, asked) = sign_in(&pool, &ben, "ben", PASSWORD).await;
    assert_eq!(asked, fidelity.mfa_after_mfa_enabled, "{label}");
    check(
        &pool,
        &ben,
        "ben",
        &switched,
        asked,
        &format!("{label} MFA on"),
    )
    .await;
    let (then, asked) = sign_in(&pool, &ben, "ben", PASSWORD).await;
    assert!(
        !asked && then.device.skipped_mfa,
        "{label}: asked once at most"
    );

    // 4. E-mail codes: replaced by the remembered device or not.
    pool.user_with(
        "cleo",
        &[("email", "cleo@example.com"), ("email_verified", "true")],
    )
    .await;
    pool.admin
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool.pool_id)
        .username("cleo")
        .email_mfa_settings(
            cip::types::EmailMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let cleo = pool.client(Arc::new(MemoryStore::new()));
    let (first, asked) = sign_in(&pool, &cleo, "cleo", PASSWORD).await;
    assert!(asked, "{label}");
    check(
        &pool,
        &cleo,
        "cleo",
        &first,
        asked,
        &format!("{label} e-mail"),
    )
    .await;
    let (again, asked) = sign_in(&pool, &cleo, "cleo", PASSWORD).await;
    assert_eq!(
        asked, !fidelity.remembered_device_skips_email_otp,
        "{label}"
    );
    assert!(again.device.proved && again.device.remembered, "{label}");
    check(
        &pool,
        &cleo,
        "cleo",
        &again,
        asked,
        &format!("{label} e-mail again"),
    )
    .await;

    // 5. Forget this device: the local secret goes, the refresh tokens of its sessions stop;
    // the access token works on or not, as the server decides; the next sign-in asks MFA.
    client
        .forget_device(&refreshed, "ann", None)
        .await
        .unwrap_or_else(|e| panic!("{label}: forget {e}"));
    assert!(client.current_device("ann").await.unwrap().is_none());
    assert!(store.accounts().is_empty(), "{label}");
    let listed = client.devices(&refreshed).await;
    if fidelity.forget_device_revokes_access_token {
        assert!(
            matches!(listed, Err(Error::NotAuthorized(_))),
            "{label}: {listed:?}"
        );
    } else {
        let listed = listed.unwrap();
        assert!(
            listed.iter().all(|d| d.device_key != key),
            "{label}: the forgotten device is not listed ({listed:?})"
        );
    }
    let stale = client
        .refresh("ann", second.tokens.refresh_token.as_deref().unwrap())
        .await;
    match stale {
        Err(e) => assert!(!e.is_retryable(), "{label}: {e:?}"),
        Ok(_) => panic!("{label}: the forgotten device's refresh token still works"),
    }
    let (fresh, asked) = sign_in(&pool, &client, "ann", NEW_PASSWORD).await;
    assert!(asked && fresh.device.newly_confirmed, "{label}");
    check(
        &pool,
        &client,
        "ann",
        &fresh,
        asked,
        &format!("{label} after forget"),
    )
    .await;
    pool.emulator.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_device_lifecycle_holds_under_every_fidelity_switch() {
    let matrix = Fidelity::matrix();
    for fidelity in &matrix {
        lifecycle(*fidelity).await;
        println!("ok: {}", fidelity.label());
    }
    println!("{} combinations", matrix.len());
}
