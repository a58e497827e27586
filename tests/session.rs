//! Kept sessions against the emulator over real HTTP: restored by a new client, one refresh
//! for many callers (counted at the server), two clients sharing one store, rotation with
//! faults, final and non-final answers, skewed clocks, sign-out modes, events, and each field
//! bug the issue lists.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use cognito_device_auth::store::{MemoryStore, SecretStore, StoreError};
use cognito_device_auth::{
    Client, Error, SessionConfig, SessionEndReason, SessionEvent, SignOut, SignOutScope,
};
use common::*;

/// Longer than any token's life: forces a refresh.
const FORCE: Duration = Duration::from_secs(10 * 3600);
const REFRESH: &str = "GetTokensFromRefreshToken";

/// A memory store that can be locked (reads and writes answer Unavailable), or fail only the
/// writes of sessions.
#[derive(Default)]
struct SwitchStore {
    inner: MemoryStore,
    locked: AtomicBool,
    fail_session_writes: AtomicBool,
}

impl SwitchStore {
    fn check(&self) -> Result<(), StoreError> {
        if self.locked.load(Ordering::SeqCst) {
            return Err(StoreError::Unavailable("locked".into()));
        }
        Ok(())
    }
}

impl SecretStore for SwitchStore {
    fn read(&self, account: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.check()?;
        self.inner.read(account)
    }
    fn write(&self, account: &str, secret: &[u8]) -> Result<(), StoreError> {
        self.check()?;
        if account.starts_with("session:") && self.fail_session_writes.load(Ordering::SeqCst) {
            return Err(StoreError::Unavailable("the keychain is locked".into()));
        }
        self.inner.write(account, secret)
    }
    fn delete(&self, account: &str) -> Result<(), StoreError> {
        self.check()?;
        self.inner.delete(account)
    }
}

fn session_client(pool: &Pool, store: Arc<dyn SecretStore>) -> Client {
    Client::new(pool.config(store).with_sessions(SessionConfig::default())).unwrap()
}

fn session_entries(store: &MemoryStore) -> usize {
    entries(store)
        .iter()
        .filter(|a| a.starts_with("session:"))
        .count()
}

#[tokio::test]
async fn a_session_is_kept_and_restored_by_a_new_client_without_a_refresh() {
    let pool = Pool::start(PoolSetup::default()).await;
    let internal = pool.user("alice", &[]).await;
    let store = memory_store();
    let client = session_client(&pool, store.clone());
    let signed_in = sign_in_with_sms(&pool, &client, "alice").await;
    assert_eq!(session_entries(&store), 1);
    assert_index_names_every_entry(&store);

    // Another client on the same store: a new process as far as the SDK knows.
    let fresh = session_client(&pool, store.clone());
    for name in [None, Some("alice"), Some(internal.as_str())] {
        let session = fresh.session(name).await.unwrap();
        assert_eq!(session.username.as_str(), internal);
        assert!(!session.refreshed);
        assert_eq!(session.tokens.access_token, signed_in.tokens.access_token);
        assert_eq!(session.device_key, signed_in.device.device_key);
    }
    assert_eq!(pool.calls(REFRESH), 0);
    assert!(matches!(
        fresh.session(Some("bob")).await,
        Err(Error::NoSession(_))
    ));
    // Without sessions configured, asking for one is a misuse, not "signed out".
    assert!(matches!(
        pool.client(store.clone()).session(None).await,
        Err(Error::Misuse(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_callers_share_one_refresh() {
    let pool = Pool::start(PoolSetup {
        rotation: Some(0),
        ..PoolSetup::default()
    })
    .await;
    pool.user("alice", &[]).await;
    let client = session_client(&pool, memory_store());
    sign_in_with_sms(&pool, &client, "alice").await;
    let before = pool.calls(REFRESH);
    // The refresh takes 300 ms at the server, so all fifty arrive while it is in flight (a
    // caller that came after it finished would rightly refresh again for this margin).
    pool.fault(REFRESH, "delay", 1, 300).await;
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.session_valid_for(None, FORCE).await })
        })
        .collect();
    let mut tokens = std::collections::BTreeSet::new();
    for task in tasks {
        let session = task.await.unwrap().expect("every caller gets tokens");
        assert!(session.refreshed);
        tokens.insert(session.tokens.refresh_token.clone().unwrap());
    }
    assert_eq!(pool.calls(REFRESH) - before, 1, "exactly one refresh");
    assert_eq!(tokens.len(), 1, "every caller got the rotated token");
    // The rotated token is the live one: the next refresh works (grace period 0).
    client.session_valid_for(None, FORCE).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_clients_on_one_store_refreshing_at_once_both_stay_signed_in() {
    // amplify-swift #4098: an app and its extension share the keychain; rotation without a
    // grace period makes the slower one's token spent.
    let pool = Pool::start(PoolSetup {
        rotation: Some(0),
        ..PoolSetup::default()
    })
    .await;
    pool.user("alice", &[]).await;
    let store = memory_store();
    let app = session_client(&pool, store.clone());
    sign_in_with_sms(&pool, &app, "alice").await;
    let extension = session_client(&pool, store.clone());
    for _ in 0..5 {
        let (a, b) = tokio::join!(
            app.session_valid_for(None, FORCE),
            extension.session_valid_for(None, FORCE)
        );
        a.expect("the app stays signed in");
        b.expect("the extension stays signed in");
    }
    assert_eq!(session_entries(&store), 1);
    // More than one call per refresh handed out: the clients did race, and the one refused
    // (RefreshTokenReuseException) took the other's token from the store.
    assert!(pool.calls(REFRESH) > 10, "{} calls", pool.calls(REFRESH));
    app.session_valid_for(None, FORCE).await.unwrap();
    extension.session_valid_for(None, FORCE).await.unwrap();
}

#[tokio::test]
async fn a_response_lost_after_the_server_rotated_loses_nothing() {
    let pool = Pool::start(PoolSetup {
        rotation: Some(30),
        ..PoolSetup::default()
    })
    .await;
    pool.user("alice", &[]).await;
    let client = session_client(&pool, memory_store());
    let signed_in = sign_in_with_sms(&pool, &client, "alice").await;
    pool.fault(REFRESH, "lose_response", 1, 0).await;
    let session = client.session_valid_for(None, FORCE).await.unwrap();
    assert_ne!(session.tokens.refresh_token, signed_in.tokens.refresh_token);
    assert_eq!(pool.calls(REFRESH), 2, "the lost answer, then the retry");
    client.session_valid_for(None, FORCE).await.unwrap();
}

#[tokio::test]
async fn a_store_failing_after_the_server_rotated_keeps_the_new_token() {
    let pool = Pool::start(PoolSetup {
        rotation: Some(0),
        ..PoolSetup::default()
    })
    .await;
    pool.user("alice", &[]).await;
    let store = Arc::new(SwitchStore::default());
    let client = session_client(&pool, store.clone());
    let signed_in = sign_in_with_sms(&pool, &client, "alice").await;
    store.fail_session_writes.store(true, Ordering::SeqCst);
    let failed = client.session_valid_for(None, FORCE).await.unwrap_err();
    assert!(
        matches!(failed, Error::StoreUnavailable(_)) && failed.is_retryable(),
        "{failed:?}"
    );
    assert_eq!(pool.calls(REFRESH), 1, "the server rotated");
    store.fail_session_writes.store(false, Ordering::SeqCst);
    // The rotated token was kept in memory and is written now, before anything is handed out.
    let session = client.session(None).await.unwrap();
    assert_ne!(session.tokens.refresh_token, signed_in.tokens.refresh_token);
    // The old token is spent (grace 0): only the kept one can refresh, and it does.
    client.session_valid_for(None, FORCE).await.unwrap();
    let restored = session_client(&pool, store.clone());
    restored.session_valid_for(None, FORCE).await.unwrap();
}

#[tokio::test]
async fn a_network_error_or_a_5xx_during_refresh_keeps_the_session() {
    // amplify-js #14130: tokens wiped on a network error during refresh.
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("alice", &[]).await;
    let store = memory_store();
    let client = session_client(&pool, store.clone());
    sign_in_with_sms(&pool, &client, "alice").await;
    for kind in ["reset", "internal", "throttle"] {
        pool.fault(REFRESH, kind, 20, 0).await;
        let e = client.session_valid_for(None, FORCE).await.unwrap_err();
        assert!(e.is_retryable(), "{kind}: {e:?}");
        assert_eq!(session_entries(&store), 1, "{kind}: the session is kept");
        pool.clear_faults().await;
    }
    client.session_valid_for(None, FORCE).await.unwrap();
}

#[tokio::test]
async fn a_locked_keychain_at_launch_is_not_a_sign_out() {
    // amplify-swift #3972 / amplify-js #14534: iOS prewarms the app before the keychain can be
    // read, and the user found themselves signed out.
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("alice", &[]).await;
    let store = Arc::new(SwitchStore::default());
    let client = session_client(&pool, store.clone());
    let signed_in = sign_in_with_sms(&pool, &client, "alice").await;
    store.locked.store(true, Ordering::SeqCst);
    let launched = session_client(&pool, store.clone());
    let e = launched.session(None).await.unwrap_err();
    assert!(
        matches!(e, Error::StoreUnavailable(_)) && e.is_retryable(),
        "{e:?}"
    );
    store.locked.store(false, Ordering::SeqCst);
    let session = launched.session(None).await.unwrap();
    assert_eq!(session.tokens.access_token, signed_in.tokens.access_token);
}

#[tokio::test]
async fn a_revoked_refresh_token_ends_the_session_and_keeps_the_device() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("alice", &[]).await;
    let store = memory_store();
    let client = session_client(&pool, store.clone());
    let mut events = client.session_events();
    let signed_in = sign_in_with_sms(&pool, &client, "alice").await;
    // Signed out elsewhere: every refresh token of the user is revoked.
    client
        .sign_out(&signed_in.tokens, SignOutScope::Everywhere)
        .await
        .unwrap();
    let e = client.session_valid_for(None, FORCE).await.unwrap_err();
    assert!(
        matches!(e, Error::SessionEnded(SessionEndReason::Revoked, _)),
        "{e:?}"
    );
    assert!(!e.is_retryable());
    assert_eq!(session_entries(&store), 0);
    assert!(client.current_device("alice").await.unwrap().is_some());
    assert!(matches!(
        client.session(None).await,
        Err(Error::NoSession(_))
    ));
    let user = signed_in.username.clone();
    assert_eq!(
        events.recv().await.unwrap(),
        SessionEvent::SignedIn(user.clone())
    );
    assert_eq!(
        events.recv().await.unwrap(),
        SessionEvent::Ended(user, SessionEndReason::Revoked)
    );
    // The device still skips MFA.
    assert!(
        sign_in_without_mfa(&client, "alice")
            .await
            .device
            .skipped_mfa
    );
}

#[tokio::test]
async fn the_session_refreshes_with_its_device_even_when_the_lookup_by_name_misses() {
    // amplify-swift #4207: "Invalid Refresh Token" because the device-key lookup missed
    // (signed in with an alias, looked up by another name).
    let pool = Pool::start(PoolSetup {
        email_alias: true,
        ..PoolSetup::default()
    })
    .await;
    pool.user(
        "alice",
        &[("email", "alice@example.com"), ("email_verified", "true")],
    )
    .await;
    let client = session_client(&pool, memory_store());
    let signed_in = sign_in_with_sms(&pool, &client, "alice@example.com").await;
    assert!(signed_in.device.device_key.is_some());
    let by_alias = client
        .session_valid_for(Some("alice@example.com"), FORCE)
        .await
        .unwrap();
    assert_eq!(by_alias.device_key, signed_in.device.device_key);
    // The device record is gone from this machine; the session still knows its device.
    assert!(client.forget_device_locally("alice").await.unwrap());
    client
        .session_valid_for(Some("alice"), FORCE)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_case_insensitive_pool_keeps_one_device_and_one_session_whatever_is_typed() {
    // amplify-swift #4261: remember-device broken on alias pools.
    let pool = Pool::start(PoolSetup {
        email_alias: true,
        phone_alias: true,
        case_sensitive: Some(false),
        ..PoolSetup::default()
    })
    .await;
    let internal = pool
        .user(
            "carol",
            &[("email", "carol@example.com"), ("email_verified", "true")],
        )
        .await;
    let store = memory_store();
    let client = session_client(&pool, store.clone());
    let first = sign_in_with_sms(&pool, &client, "carol").await;
    // `user` gives carol the verified phone number +15555550100 too.
    for typed in [
        "Carol",
        "carol@example.com",
        "+15555550100",
        "CAROL@example.com",
        "carol",
    ] {
        let again = sign_in_without_mfa(&client, typed).await;
        assert!(again.device.skipped_mfa, "{typed}: {:?}", again.device);
        assert_eq!(again.device.device_key, first.device.device_key, "{typed}");
        assert_eq!(again.username.as_str(), internal, "{typed}");
        let session = client.session(Some(typed)).await.unwrap();
        assert_eq!(session.username.as_str(), internal, "{typed}");
    }
    assert_eq!(pool.server_devices(&internal).await.len(), 1);
    assert_eq!(session_entries(&store), 1);
    let records = entries(&store)
        .iter()
        .filter(|a| a.starts_with("device:"))
        .count();
    assert_eq!(records, 1);
}

#[tokio::test]
async fn another_app_client_never_uses_this_session() {
    // amplify-js #14620: a refresh with a stale client id after reconfiguration.
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("alice", &[]).await;
    let store = memory_store();
    sign_in_with_sms(&pool, &session_client(&pool, store.clone()), "alice").await;
    let other = pool
        .admin
        .create_user_pool_client()
        .user_pool_id(&pool.pool_id)
        .client_name("reconfigured")
        .send()
        .await
        .unwrap();
    let other_id = other.user_pool_client().unwrap().client_id().unwrap();
    let mut config = pool.config(store.clone());
    config.client_id = other_id.to_owned();
    let reconfigured = Client::new(config.with_sessions(SessionConfig::default())).unwrap();
    assert!(matches!(
        reconfigured.session(None).await,
        Err(Error::NoSession(_))
    ));
    assert!(matches!(
        reconfigured.session(Some("alice")).await,
        Err(Error::NoSession(_))
    ));
    assert_eq!(pool.calls(REFRESH), 0);
}

#[tokio::test]
async fn skewed_client_clocks_sign_in_and_keep_sessions() {
    for offset in [600_i64, -600] {
        let pool = Pool::start(PoolSetup::default()).await;
        pool.user("alice", &[]).await;
        let store = memory_store();
        let config = pool
            .config(store.clone())
            .with_sessions(SessionConfig::default())
            .with_clock_offset_for_tests(offset);
        let client = Client::new(config).unwrap();
        // The TIMESTAMP follows the server's clock (the emulator refuses 300 s off).
        sign_in_with_sms(&pool, &client, "alice").await;
        assert!(
            sign_in_without_mfa(&client, "alice")
                .await
                .device
                .skipped_mfa
        );
        // An hour-long token is valid for the 5-minute margin: no refresh, whatever the skew.
        let session = client.session(None).await.unwrap();
        assert!(!session.refreshed, "offset {offset}");
        let left = session.tokens.expires_in().as_secs();
        assert!((3500..=3600).contains(&left), "offset {offset}: {left}");
        assert_eq!(pool.calls(REFRESH), 0, "offset {offset}");
    }
}

#[tokio::test]
async fn a_fresh_process_with_a_fast_clock_uses_the_offset_kept_with_the_session() {
    // 15-minute tokens and a clock 10 minutes fast: on its own clock a fresh process would see
    // them within the 5-minute margin and refresh at once.
    let pool = Pool::start(PoolSetup {
        token_validity: Some(900),
        ..PoolSetup::default()
    })
    .await;
    pool.user("alice", &[]).await;
    let store = memory_store();
    let fast = |store: Arc<MemoryStore>| {
        Client::new(
            pool.config(store)
                .with_sessions(SessionConfig::default())
                .with_clock_offset_for_tests(600),
        )
        .unwrap()
    };
    sign_in_with_sms(&pool, &fast(store.clone()), "alice").await;
    let restored = fast(store.clone()).session(None).await.unwrap();
    assert!(!restored.refreshed);
    assert_eq!(pool.calls(REFRESH), 0);
    let left = restored.tokens.expires_in().as_secs();
    assert!((800..=900).contains(&left), "{left}");
}

#[tokio::test]
async fn sign_out_this_session_revokes_its_token_and_keeps_the_device() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("alice", &[]).await;
    let store = memory_store();
    let client = session_client(&pool, store.clone());
    let mut events = client.session_events();
    let signed_in = sign_in_with_sms(&pool, &client, "alice").await;
    let report = client
        .end_session(None, SignOut::this_session())
        .await
        .unwrap();
    assert!(report.server_done(), "{report:?}");
    assert!(!report.device_forgotten);
    assert_eq!(session_entries(&store), 0);
    let refresh = signed_in.tokens.refresh_token.clone().unwrap();
    assert!(client.refresh("alice", &refresh).await.is_err(), "revoked");
    assert_eq!(pool.server_devices(&signed_in.username).await.len(), 1);
    assert!(
        sign_in_without_mfa(&client, "alice")
            .await
            .device
            .skipped_mfa
    );
    events.recv().await.unwrap();
    assert_eq!(
        events.recv().await.unwrap(),
        SessionEvent::SignedOut(signed_in.username.clone())
    );
}

#[tokio::test]
async fn sign_out_everywhere_and_forget_the_device() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("alice", &[]).await;
    let store = memory_store();
    let client = session_client(&pool, store.clone());
    let signed_in = sign_in_with_sms(&pool, &client, "alice").await;
    let report = client
        .end_session(Some("alice"), SignOut::everywhere().and_forget_device())
        .await
        .unwrap();
    assert!(report.server_done(), "{report:?}");
    assert!(report.device_forgotten);
    assert!(pool.server_devices(&signed_in.username).await.is_empty());
    assert!(entries(&store).is_empty(), "{:?}", entries(&store));
    let refresh = signed_in.tokens.refresh_token.clone().unwrap();
    assert!(client.refresh("alice", &refresh).await.is_err(), "revoked");
    // MFA again: the device is forgotten.
    sign_in_with_sms(&pool, &client, "alice").await;
}

#[tokio::test]
async fn sign_out_offline_clears_this_device_now_and_can_finish_later() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("alice", &[]).await;
    let store = memory_store();
    let client = session_client(&pool, store.clone());
    let signed_in = sign_in_with_sms(&pool, &client, "alice").await;
    pool.fault("RevokeToken", "reset", 20, 0).await;
    let report = client
        .end_session(None, SignOut::this_session())
        .await
        .unwrap();
    assert!(!report.server_done());
    assert!(report.server_error.as_ref().unwrap().is_retryable());
    assert_eq!(session_entries(&store), 0, "signed out here at once");
    assert!(matches!(
        client.session(None).await,
        Err(Error::NoSession(_))
    ));
    pool.clear_faults().await;
    let tokens = report.retry_with.expect("the tokens to finish with");
    client
        .sign_out(&tokens, SignOutScope::ThisSession)
        .await
        .unwrap();
    let refresh = signed_in.tokens.refresh_token.clone().unwrap();
    assert!(client.refresh("alice", &refresh).await.is_err(), "revoked");
}

#[tokio::test]
async fn tokens_near_expiry_are_refreshed_once_and_events_say_so() {
    let pool = Pool::start(PoolSetup {
        token_validity: Some(60),
        ..PoolSetup::default()
    })
    .await;
    pool.user("alice", &[]).await;
    let client = session_client(&pool, memory_store());
    let mut events = client.session_events();
    sign_in_with_sms(&pool, &client, "alice").await;
    // 60-second tokens: the 5-minute default margin shrinks to half their life (30 s), else
    // every call would refresh. Fresh tokens meet it: no refresh.
    let calm = client.session(None).await.unwrap();
    assert!(!calm.refreshed);
    assert_eq!(pool.calls(REFRESH), 0);
    // A margin longer than the tokens live: one refresh per call.
    for n in 1..=3 {
        let session = client
            .session_valid_for(None, Duration::from_secs(61))
            .await
            .unwrap();
        assert!(session.refreshed);
        assert_eq!(pool.calls(REFRESH), n);
    }
    assert!(matches!(
        events.recv().await.unwrap(),
        SessionEvent::SignedIn(_)
    ));
    for _ in 0..3 {
        assert!(matches!(
            events.recv().await.unwrap(),
            SessionEvent::Refreshed(_)
        ));
    }
}

#[tokio::test]
async fn the_device_is_listed_under_a_name_the_user_recognises() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("alice", &[]).await;
    pool.user("bob", &[]).await;
    // The default name: this app and the OS, never the HOSTNAME variable.
    let mut config = pool.config(memory_store());
    config.device_name = cognito_device_auth::default_device_name();
    let default = Client::new(config).unwrap();
    let signed_in = sign_in_with_sms(&pool, &default, "alice").await;
    let listed = default.devices(&signed_in.tokens).await.unwrap();
    let name = listed[0].name.clone().unwrap();
    assert_eq!(name, cognito_device_auth::default_device_name());
    assert!(
        name.starts_with("session") && name.contains(" on "),
        "{name}"
    );
    // A name the app gives.
    let named = Client::new(pool.config(memory_store()).with_device_name("Pixel 8")).unwrap();
    let signed_in = sign_in_with_sms(&pool, &named, "bob").await;
    let listed = named.devices(&signed_in.tokens).await.unwrap();
    assert_eq!(listed[0].name.as_deref(), Some("Pixel 8"));
    assert_eq!(listed[0].attributes["device_name"], "Pixel 8");
}

#[tokio::test]
async fn a_device_older_than_the_trust_period_asks_mfa_once_and_is_replaced() {
    let pool = Pool::start(PoolSetup::default()).await;
    let internal = pool.user("alice", &[]).await;
    let store = memory_store();
    let thirty_days = Duration::from_secs(30 * 86_400);
    let trusting = Client::new(pool.config(store.clone()).with_device_trust(thirty_days)).unwrap();
    let first = sign_in_with_sms(&pool, &trusting, "alice").await;
    // Within the period: the device skips MFA.
    assert!(
        sign_in_without_mfa(&trusting, "alice")
            .await
            .device
            .skipped_mfa
    );
    // Confirmed 31 days ago, as the record says: MFA once, and a new device replaces it.
    let account =
        cognito_device_auth::store::record_account(&pool.pool_id, &pool.client_id, &internal);
    let mut record = cognito_device_auth::store::DeviceRecord::from_bytes(
        &store.read(&account).unwrap().expect("the record"),
    )
    .unwrap();
    record.confirmed_at = record.confirmed_at.map(|at| at - 31 * 86_400);
    store.write(&account, &record.to_bytes()).unwrap();
    let later = &trusting;
    let renewed = sign_in_with_sms(&pool, later, "alice").await;
    assert!(renewed.device.newly_confirmed && renewed.device.remembered);
    assert_ne!(renewed.device.device_key, first.device.device_key);
    let server = pool.server_devices(&internal).await;
    assert_eq!(server.len(), 1, "the old device is forgotten: {server:?}");
    assert_eq!(
        Some(server[0].0.as_str()),
        renewed.device.device_key.as_deref()
    );
    let local = trusting.current_device("alice").await.unwrap().unwrap();
    assert_eq!(Some(&local.device_key), renewed.device.device_key.as_ref());
    // The new device is trusted for another period.
    assert!(
        sign_in_without_mfa(&trusting, "alice")
            .await
            .device
            .skipped_mfa
    );
}

#[tokio::test]
async fn a_device_forgotten_elsewhere_ends_the_session_and_its_secret_goes() {
    for revokes in [false, true] {
        let pool = Pool::start(PoolSetup::default()).await;
        pool.set_fidelity(serde_json::json!({ "forget-device-revokes-access-token": revokes }))
            .await;
        pool.user("alice", &[]).await;
        let client = session_client(&pool, memory_store());
        let signed_in = sign_in_with_sms(&pool, &client, "alice").await;
        let key = signed_in.device.device_key.clone().unwrap();
        // Another device of the user (its own store) forgets this one.
        let elsewhere = pool.client(memory_store());
        elsewhere
            .forget_device(&signed_in.tokens, "alice", Some(&key))
            .await
            .unwrap();
        let e = client.session_valid_for(None, FORCE).await.unwrap_err();
        let Error::SessionEnded(reason, _) = e else {
            panic!("revokes {revokes}: {e:?}")
        };
        let local = client.current_device("alice").await.unwrap();
        if revokes {
            // The access token died with the device: nothing says why; the secret stays for
            // the next sign-in to settle ("Device does not exist.").
            assert!(
                matches!(
                    reason,
                    SessionEndReason::Refused | SessionEndReason::Revoked
                ),
                "{reason:?}"
            );
            assert!(local.is_some());
        } else {
            assert_eq!(reason, SessionEndReason::DeviceForgotten);
            assert!(local.is_none(), "the forgotten device's secret is deleted");
        }
        // Either way the next sign-in answers MFA and remembers a new device.
        let again = sign_in_with_sms(&pool, &client, "alice").await;
        assert_ne!(again.device.device_key, Some(key), "revokes {revokes}");
    }
}

#[tokio::test]
async fn each_sign_out_mode_leaves_the_server_and_the_store_as_it_says() {
    for (how, forgets) in [
        (SignOut::this_session(), false),
        (SignOut::everywhere(), false),
        (SignOut::this_session().and_forget_device(), true),
        (SignOut::everywhere().and_forget_device(), true),
    ] {
        let pool = Pool::start(PoolSetup::default()).await;
        pool.user("alice", &[]).await;
        let store = memory_store();
        let client = session_client(&pool, store.clone());
        // Another session of the same user elsewhere: GlobalSignOut ends it too.
        let elsewhere_client = pool.client(memory_store());
        let elsewhere = sign_in_with_sms(&pool, &elsewhere_client, "alice").await;
        let here = sign_in_with_sms(&pool, &client, "alice").await;
        let report = client.end_session(None, how).await.unwrap();
        assert!(report.server_done(), "{how:?}: {report:?}");
        assert_eq!(report.device_forgotten, forgets, "{how:?}");
        assert_eq!(session_entries(&store), 0, "{how:?}");
        let refresh = |t: &cognito_device_auth::Tokens| t.refresh_token.clone().unwrap();
        let other = pool.client(memory_store());
        assert!(
            other
                .refresh("alice", &refresh(&here.tokens))
                .await
                .is_err(),
            "{how:?}"
        );
        let elsewhere_alive = elsewhere_client
            .refresh("alice", &refresh(&elsewhere.tokens))
            .await;
        let everywhere = how.scope == SignOutScope::Everywhere;
        assert_eq!(elsewhere_alive.is_err(), everywhere, "{how:?}");
        let key = here.device.device_key.clone().unwrap();
        let on_server = pool
            .server_devices(&here.username)
            .await
            .iter()
            .any(|(k, _)| *k == key.as_str());
        assert_eq!(on_server, !forgets, "{how:?}");
        let local = client.current_device("alice").await.unwrap();
        assert_eq!(local.is_some(), !forgets, "{how:?}");
        // Kept: the next sign-in skips MFA; forgotten: MFA again.
        if forgets {
            sign_in_with_sms(&pool, &client, "alice").await;
        } else {
            assert!(
                sign_in_without_mfa(&client, "alice")
                    .await
                    .device
                    .skipped_mfa
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_callers_during_a_real_expiry_make_one_refresh() {
    // 4-second tokens: the default margin becomes 2 s; 3 s after the sign-in they are due.
    let pool = Pool::start(PoolSetup {
        token_validity: Some(4),
        rotation: Some(0),
        ..PoolSetup::default()
    })
    .await;
    pool.user("alice", &[]).await;
    let client = session_client(&pool, memory_store());
    sign_in_with_sms(&pool, &client, "alice").await;
    tokio::time::sleep(Duration::from_millis(3100)).await;
    // The refresh takes 300 ms at the server: all fifty arrive while it is in flight.
    pool.fault(REFRESH, "delay", 1, 300).await;
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.session(Some("alice")).await })
        })
        .collect();
    for task in tasks {
        assert!(task.await.unwrap().unwrap().refreshed);
    }
    assert_eq!(pool.calls(REFRESH), 1);
}

#[tokio::test]
async fn a_sign_in_the_store_could_not_keep_is_still_the_session_and_is_written_later() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("alice", &[]).await;
    let store = Arc::new(SwitchStore::default());
    let client = session_client(&pool, store.clone());
    store.fail_session_writes.store(true, Ordering::SeqCst);
    let signed_in = sign_in_with_sms(&pool, &client, "alice").await;
    // Kept in memory: found, but nothing is handed out until it is written.
    let e = client.session(None).await.unwrap_err();
    assert!(matches!(e, Error::StoreUnavailable(_)), "{e:?}");
    store.fail_session_writes.store(false, Ordering::SeqCst);
    let session = client.session(None).await.unwrap();
    assert_eq!(session.tokens.access_token, signed_in.tokens.access_token);
    // Written, and current: a fresh client finds it by the name typed and as the current one.
    let fresh = session_client(&pool, store.clone());
    fresh.session(None).await.unwrap();
    fresh.session(Some("alice")).await.unwrap();
}

#[tokio::test]
async fn a_refresh_does_not_change_who_the_current_user_is() {
    let pool = Pool::start(PoolSetup::default()).await;
    let alice = pool.user("alice", &[]).await;
    let bob = pool.user("bob", &[]).await;
    let client = session_client(&pool, memory_store());
    sign_in_with_sms(&pool, &client, "alice").await;
    sign_in_with_sms(&pool, &client, "bob").await;
    assert_eq!(client.session(None).await.unwrap().username.as_str(), bob);
    let refreshed = client
        .session_valid_for(Some("alice"), FORCE)
        .await
        .unwrap();
    assert_eq!(refreshed.username.as_str(), alice);
    assert_eq!(client.session(None).await.unwrap().username.as_str(), bob);
}

#[tokio::test]
async fn a_refusal_that_is_not_about_the_session_keeps_it() {
    // "Unable to verify secret hash for client": this build's client secret is wrong, the
    // session is not.
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("alice", &[]).await;
    let store = memory_store();
    let client = session_client(&pool, store.clone());
    sign_in_with_sms(&pool, &client, "alice").await;
    pool.fault_error(
        REFRESH,
        0,
        "NotAuthorizedException",
        "Unable to verify secret hash for client abc",
    )
    .await;
    let e = client.session_valid_for(None, FORCE).await.unwrap_err();
    assert!(matches!(e, Error::NotAuthorized(_)), "{e:?}");
    assert_eq!(session_entries(&store), 1, "the session stays");
    client.session_valid_for(None, FORCE).await.unwrap();
}

#[tokio::test]
async fn forgetting_at_sign_out_uses_the_sessions_device_even_without_a_local_record() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("alice", &[]).await;
    let client = session_client(&pool, memory_store());
    let signed_in = sign_in_with_sms(&pool, &client, "alice").await;
    assert!(client.forget_device_locally("alice").await.unwrap());
    let report = client
        .end_session(None, SignOut::this_session().and_forget_device())
        .await
        .unwrap();
    assert!(
        report.server_done() && report.device_forgotten,
        "{report:?}"
    );
    assert!(pool.server_devices(&signed_in.username).await.is_empty());
}
