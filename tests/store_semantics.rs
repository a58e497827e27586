//! The store semantics the client relies on (issue 5, "Semantics the client relies on"), each
//! checked against the emulator with three kinds of store: the in-memory store, the keychain
//! store over `keyring-core`'s mock credential store (error injection on one item), and a
//! scripted store double that locks, fails the Nth write or panics.
//!
//! - a locked or not-yet-available store is a retryable typed error and deletes nothing;
//! - an unparseable record is replaced by a fresh device after a sign-in with MFA, and the
//!   stale device is forgotten on the server when its key can be salvaged;
//! - a write that fails after ConfirmDevice forgets that device on the server (no orphan);
//! - a write that fails before ConfirmDevice confirms nothing;
//! - deletes are idempotent; a failing or panicking app store is an error, never a crash.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use cognito_device_auth::store::{
    DeviceRecord, DeviceState, KeychainStore, MemoryStore, SecretStore, StoreError,
};
use cognito_device_auth::{Error, SignInStep};
use common::*;
use keyring_core::mock;

/// A store double over [`MemoryStore`]: can be locked, can fail the Nth write of a device
/// record, can panic on reads; logs every call.
#[derive(Default)]
struct ScriptedStore {
    inner: MemoryStore,
    locked: AtomicBool,
    panic_on_read: AtomicBool,
    record_writes: AtomicUsize,
    /// (n, error): the nth write (1-based) of a `device:` account fails with `error`.
    fail_record_write: Mutex<Option<(usize, StoreError)>>,
    log: Mutex<Vec<String>>,
}

impl ScriptedStore {
    fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    fn fail_record_write(&self, n: usize, error: StoreError) {
        self.record_writes.store(0, Ordering::SeqCst);
        *self.fail_record_write.lock().unwrap() = Some((n, error));
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    fn check_lock(&self, what: &str, account: &str) -> Result<(), StoreError> {
        self.log.lock().unwrap().push(format!("{what} {account}"));
        if self.locked.load(Ordering::SeqCst) {
            return Err(StoreError::Unavailable(
                "locked until the first unlock".into(),
            ));
        }
        Ok(())
    }
}

impl SecretStore for ScriptedStore {
    fn read(&self, account: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.check_lock("read", account)?;
        if self.panic_on_read.load(Ordering::SeqCst) {
            panic!("the app's store has a bug");
        }
        self.inner.read(account)
    }

    fn write(&self, account: &str, secret: &[u8]) -> Result<(), StoreError> {
        self.check_lock("write", account)?;
        if account.starts_with("device:") {
            let n = self.record_writes.fetch_add(1, Ordering::SeqCst) + 1;
            let mut fail = self.fail_record_write.lock().unwrap();
            if fail.as_ref().is_some_and(|(at, _)| *at == n) {
                return Err(fail.take().unwrap().1);
            }
        }
        self.inner.write(account, secret)
    }

    fn delete(&self, account: &str) -> Result<(), StoreError> {
        self.check_lock("delete", account)?;
        self.inner.delete(account)
    }
}

fn record_account(pool: &Pool, username: &str) -> String {
    cognito_device_auth::store::record_account(&pool.pool_id, &pool.client_id, username)
}

fn stored_record(store: &dyn SecretStore, account: &str) -> Option<DeviceRecord> {
    store
        .read(account)
        .unwrap()
        .map(|bytes| DeviceRecord::from_bytes(&bytes).expect("a readable record"))
}

/// Everything a store holds, for before/after comparisons.
fn snapshot(store: &MemoryStore) -> Vec<(String, Vec<u8>)> {
    store
        .accounts()
        .into_iter()
        .map(|a| {
            let v = store.read(&a).unwrap().unwrap();
            (a, v)
        })
        .collect()
}

/// A first sign-in (SMS) that remembers the device; returns its key.
async fn remembered_device(
    pool: &Pool,
    client: &cognito_device_auth::Client,
    user: &str,
) -> String {
    let first = sign_in_with_sms(pool, client, user).await;
    assert!(first.device.remembered, "{:?}", first.device);
    first.device.device_key.expect("a device key").to_string()
}

#[tokio::test]
async fn a_locked_store_fails_the_sign_in_retryably_and_deletes_nothing() {
    let pool = Pool::start(PoolSetup::default()).await;
    let internal = pool.user("lee", &[("email", "lee@example.com")]).await;
    let store = ScriptedStore::new();
    let client = pool.client(store.clone());
    let device_key = remembered_device(&pool, &client, "lee").await;
    let before = snapshot(&store.inner);
    assert!(!before.is_empty());

    store.locked.store(true, Ordering::SeqCst);
    let calls_before = store.log().len();
    for _ in 0..2 {
        match client.sign_in("lee", PASSWORD).await {
            Err(e @ Error::StoreUnavailable(_)) => {
                assert!(e.is_retryable());
                assert!(e.to_string().contains("first unlock"), "{e}");
            }
            Err(other) => panic!("expected StoreUnavailable, got {other:?}"),
            Ok(step) => panic!("expected StoreUnavailable, got {}", step.name()),
        }
    }
    // Nothing was even attempted beyond the look-up, and nothing changed anywhere.
    let during: Vec<String> = store.log()[calls_before..].to_vec();
    assert!(during.iter().all(|c| c.starts_with("read ")), "{during:?}");
    assert_eq!(snapshot(&store.inner), before);
    assert_eq!(
        pool.server_devices(&internal).await,
        vec![(device_key.clone(), Some("remembered".to_owned()))]
    );

    // Unlocked: the remembered device still skips MFA.
    store.locked.store(false, Ordering::SeqCst);
    let done = sign_in_without_mfa(&client, "lee").await;
    assert!(done.device.skipped_mfa);
    assert_eq!(done.device.device_key.as_deref(), Some(device_key.as_str()));
}

#[tokio::test]
async fn a_locked_keychain_through_the_mock_credential_store_deletes_nothing() {
    let pool = Pool::start(PoolSetup::default()).await;
    let internal = pool.user("max", &[]).await;
    let mock = mock::Store::new().unwrap();
    let store = Arc::new(KeychainStore::from_credential_store(mock.clone()));
    let client = pool.client(store.clone());
    let device_key = remembered_device(&pool, &client, "max").await;
    let account = record_account(&pool, &internal);
    let bytes = store
        .read(&account)
        .unwrap()
        .expect("stored in the keychain");

    // The keychain answers "no storage access" (locked) on the next call for this item.
    let entry = keyring_core::api::CredentialStoreApi::build(
        mock.as_ref(),
        keychain_service(),
        &account,
        None,
    )
    .unwrap();
    let cred: &mock::Cred = entry.as_any().downcast_ref().unwrap();
    cred.set_error(keyring_core::Error::NoStorageAccess(Box::new(
        std::io::Error::other("errSecInteractionNotAllowed"),
    )));
    match client.sign_in("max", PASSWORD).await {
        Err(e @ Error::StoreUnavailable(_)) => assert!(e.is_retryable()),
        Err(other) => panic!("expected StoreUnavailable, got {other:?}"),
        Ok(step) => panic!("expected StoreUnavailable, got {}", step.name()),
    }
    assert_eq!(store.read(&account).unwrap().as_deref(), Some(&bytes[..]));
    assert_eq!(
        pool.server_devices(&internal).await,
        vec![(device_key.clone(), Some("remembered".to_owned()))]
    );
    // The injected error was one call: the next sign-in proves the device.
    let done = sign_in_without_mfa(&client, "max").await;
    assert!(done.device.skipped_mfa);
}

/// A keychain entry that exists but no longer decrypts: the Android store's answer for a
/// preferences file restored from a backup without its Keystore key (the GCM check fails:
/// `BadDataFormat`). An ordinary "MFA once more": a fresh device replaces the entry, never a
/// sign-in stuck on a store error.
#[tokio::test]
async fn an_entry_that_no_longer_decrypts_costs_one_mfa_never_a_stuck_sign_in() {
    let pool = Pool::start(PoolSetup::default()).await;
    let internal = pool.user("rhea", &[]).await;
    let mock = mock::Store::new().unwrap();
    let store = Arc::new(KeychainStore::from_credential_store(mock.clone()));
    let client = pool.client(store.clone());
    let stale = remembered_device(&pool, &client, "rhea").await;
    let account = record_account(&pool, &internal);

    // The read directly through the store: a typed, non-retryable error without the bytes.
    let cred_error = || {
        keyring_core::Error::BadDataFormat(
            b"ciphertext".to_vec(),
            Box::new(std::io::Error::other(
                "Verification of data signature/MAC failed",
            )),
        )
    };
    let entry = keyring_core::api::CredentialStoreApi::build(
        mock.as_ref(),
        keychain_service(),
        &account,
        None,
    )
    .unwrap();
    let cred: &mock::Cred = entry.as_any().downcast_ref().unwrap();
    cred.set_error(cred_error());
    match store.read(&account) {
        Err(StoreError::Unreadable(reason)) => assert!(!reason.contains("ciphertext"), "{reason}"),
        other => panic!("expected Unreadable, got {other:?}"),
    }

    // In a sign-in: MFA once more, and a fresh device replaces the entry.
    cred.set_error(cred_error());
    let sms_before = pool.emulator.sms_outbox(Some("rhea")).len();
    let done = sign_in_with_sms(&pool, &client, "rhea").await;
    assert_eq!(pool.emulator.sms_outbox(Some("rhea")).len(), sms_before + 1);
    let fresh = done.device.device_key.clone().expect("a fresh device");
    assert_ne!(fresh, stale);
    assert!(done.device.newly_confirmed && done.device.remembered);
    let record = stored_record(store.as_ref(), &account).expect("a record");
    assert_eq!(record.device_key, fresh);
    // From now on the fresh device skips MFA.
    let again = sign_in_without_mfa(&client, "rhea").await;
    assert!(again.device.skipped_mfa);
}

/// A pool where users sign in with their e-mail address (an alias), and one such user
/// `<name>@example.com`; returns the pool and the user's internal name.
async fn email_alias_pool(name: &str) -> (Pool, String) {
    let pool = Pool::start(PoolSetup {
        email_alias: true,
        ..PoolSetup::default()
    })
    .await;
    let email = format!("{name}@example.com");
    let internal = pool
        .user(name, &[("email", &email), ("email_verified", "true")])
        .await;
    (pool, internal)
}

fn keychain_service() -> &'static str {
    cognito_device_auth::store::keychain::DEFAULT_SERVICE
}

/// An unparseable record whose DeviceKey can be salvaged, in every store kind: MFA once, a
/// fresh device, the stale one forgotten on the server.
#[tokio::test]
async fn an_unparseable_record_is_replaced_and_the_stale_device_forgotten() {
    let pool = Pool::start(PoolSetup::default()).await;
    let mock_store: Arc<dyn SecretStore> = Arc::new(KeychainStore::from_credential_store(
        mock::Store::new().unwrap(),
    ));
    let stores: Vec<(&str, Arc<dyn SecretStore>)> = vec![
        ("memory", Arc::new(MemoryStore::new())),
        ("keychain (mock)", mock_store),
    ];
    for (i, (kind, store)) in stores.into_iter().enumerate() {
        for (j, corrupt) in [
            r#"{"v":1,"device_key":"KEY","device_password":"#,
            r#"{"v":1,"device_key":"KEY","state":"somewhere"}"#,
            r#"{"v":99,"device_key":"KEY","future":"format"}"#,
        ]
        .into_iter()
        .enumerate()
        {
            let name = format!("u{i}{j}");
            let internal = pool.user(&name, &[]).await;
            let client = pool.client(store.clone());
            let stale = remembered_device(&pool, &client, &name).await;
            let account = record_account(&pool, &internal);
            let corrupt = corrupt.replace("KEY", &stale);
            store.write(&account, corrupt.as_bytes()).unwrap();
            let sms_before = pool.emulator.sms_outbox(Some(&name)).len();

            let done = sign_in_with_sms(&pool, &client, &name).await;
            assert_eq!(
                pool.emulator.sms_outbox(Some(&name)).len(),
                sms_before + 1,
                "{kind} {corrupt}: MFA once"
            );
            let fresh = done.device.device_key.clone().expect("a fresh device");
            assert_ne!(fresh, stale, "{kind} {corrupt}");
            assert!(done.device.newly_confirmed && done.device.remembered);
            assert_eq!(
                pool.server_devices(&internal).await,
                vec![(fresh.to_string(), Some("remembered".to_owned()))],
                "{kind} {corrupt}: the stale device is forgotten on the server"
            );
            let record = stored_record(store.as_ref(), &account).expect("a record");
            assert_eq!(record.device_key, fresh);
            assert_eq!(record.state, DeviceState::Confirmed);
            // And it is the remembered device from now on.
            let again = sign_in_without_mfa(&client, &name).await;
            assert!(again.device.skipped_mfa, "{kind} {corrupt}");
        }
    }
}

/// Garbage with no DeviceKey to salvage: still MFA once and a fresh device; the old device
/// cannot be known, so it stays on the server (the user can forget it from the device list).
#[tokio::test]
async fn garbage_without_a_device_key_is_replaced() {
    let pool = Pool::start(PoolSetup::default()).await;
    let internal = pool.user("gus", &[]).await;
    let store = memory_store();
    let client = pool.client(store.clone());
    let stale = remembered_device(&pool, &client, "gus").await;
    let account = record_account(&pool, &internal);
    store.write(&account, b"\xff\x00 not a record").unwrap();
    let done = sign_in_with_sms(&pool, &client, "gus").await;
    let fresh = done.device.device_key.clone().unwrap();
    assert_ne!(fresh, stale);
    assert_eq!(
        stored_record(store.as_ref(), &account).unwrap().device_key,
        fresh
    );
    let mut keys: Vec<String> = pool
        .server_devices(&internal)
        .await
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    keys.sort();
    let mut expected = vec![fresh.to_string(), stale];
    expected.sort();
    assert_eq!(keys, expected);
}

/// The record write after ConfirmDevice fails (failed or unavailable store): the sign-in
/// succeeds with a warning and the device pending. It is never forgotten (that would make the
/// session's refresh token unusable): the next refresh sends ConfirmDevice again, writes the
/// record, and the device then skips MFA.
#[tokio::test]
async fn a_failed_write_after_confirm_device_keeps_the_device_pending() {
    let pool = Pool::start(PoolSetup::default()).await;
    for (i, error) in [
        StoreError::Failed("disk full".into()),
        StoreError::Unavailable("locked just now".into()),
    ]
    .into_iter()
    .enumerate()
    {
        let name = format!("w{i}");
        let internal = pool.user(&name, &[]).await;
        let store = ScriptedStore::new();
        let client = pool.client(store.clone());
        // Write 1: the pending record; write 2: the confirmed record.
        store.fail_record_write(2, error.clone());
        let done = sign_in_with_sms(&pool, &client, &name).await;
        let warning = done.device.warning.clone().expect("a warning");
        assert!(warning.contains("could not be updated"), "{warning}");
        assert!(done.device.pending_confirmation, "{:?}", done.device);
        let key = done.device.device_key.clone().unwrap();
        let account = record_account(&pool, &internal);
        let pending = stored_record(&store.inner, &account).expect("the pending record");
        assert_eq!(pending.state, DeviceState::Pending);
        assert_eq!(pending.device_key, key);
        assert_eq!(
            pool.server_devices(&internal).await,
            vec![(key.to_string(), Some("remembered".to_owned()))],
            "{error:?}: the device of the live session is kept"
        );

        // The session is refreshable, and the refresh finishes the record.
        client
            .refresh(&name, done.tokens.refresh_token.as_deref().unwrap())
            .await
            .expect("refresh");
        let record = stored_record(&store.inner, &account).unwrap();
        assert_eq!(
            (record.device_key.as_str(), record.state),
            (key.as_str(), DeviceState::Confirmed)
        );
        let next = sign_in_without_mfa(&client, &name).await;
        assert!(next.device.skipped_mfa);
        assert_eq!(next.device.device_key.as_deref(), Some(key.as_str()));
    }
}

/// The pending-record write before ConfirmDevice fails: the device cannot be remembered (a
/// secret the app could not keep is useless), the sign-in still succeeds, and the device is
/// confirmed but not remembered, so the session's refresh token keeps working.
#[tokio::test]
async fn a_failed_write_before_confirm_device_remembers_nothing() {
    let pool = Pool::start(PoolSetup::default()).await;
    let internal = pool.user("pia", &[]).await;
    let store = ScriptedStore::new();
    let client = pool.client(store.clone());
    store.fail_record_write(1, StoreError::Unavailable("locked".into()));
    let done = sign_in_with_sms(&pool, &client, "pia").await;
    let warning = done.device.warning.clone().expect("a warning");
    assert!(warning.contains("could not be stored"), "{warning}");
    assert!(!done.device.newly_confirmed);
    // No entry deleted (the index of entries, the SDK's own bookkeeping, is rolled back).
    assert!(
        !store
            .log()
            .iter()
            .any(|c| c.starts_with("delete device:") || c.starts_with("delete alias:")),
        "{:?}",
        store.log()
    );
    assert!(store.inner.accounts().is_empty());
    assert!(
        pool.server_devices(&internal)
            .await
            .iter()
            .all(|(_, status)| status.as_deref() != Some("remembered")),
        "nothing remembered"
    );
    client
        .refresh("pia", done.tokens.refresh_token.as_deref().unwrap())
        .await
        .expect("the session stays refreshable");
    // Next time it works.
    let next = sign_in_with_sms(&pool, &client, "pia").await;
    assert!(next.device.newly_confirmed && next.device.remembered);
    assert!(sign_in_without_mfa(&client, "pia").await.device.skipped_mfa);
}

#[tokio::test]
async fn deletes_are_idempotent() {
    // The stores themselves.
    let mock_keychain = KeychainStore::from_credential_store(mock::Store::new().unwrap());
    let memory = MemoryStore::new();
    for store in [&mock_keychain as &dyn SecretStore, &memory] {
        store.delete("device:p:c:never-written").unwrap();
        store.write("device:p:c:u", b"x").unwrap();
        store.delete("device:p:c:u").unwrap();
        store.delete("device:p:c:u").unwrap();
        assert_eq!(store.read("device:p:c:u").unwrap(), None);
    }

    // Through the client: forgetting the same device twice, with an alias, over the mock
    // keychain.
    let (pool, internal) = email_alias_pool("ola").await;
    let store = Arc::new(KeychainStore::from_credential_store(
        mock::Store::new().unwrap(),
    ));
    let client = pool.client(store.clone());
    let done = sign_in_with_sms(&pool, &client, "ola@example.com").await;
    let key = done.device.device_key.clone().unwrap();
    let alias = cognito_device_auth::store::alias_account(
        &pool.pool_id,
        &pool.client_id,
        "ola@example.com",
    );
    assert_eq!(
        store.read(&alias).unwrap().as_deref(),
        Some(internal.as_bytes())
    );
    client
        .forget_device(&done.tokens, "ola@example.com", Some(&key))
        .await
        .unwrap();
    assert_eq!(store.read(&record_account(&pool, &internal)).unwrap(), None);
    assert_eq!(store.read(&alias).unwrap(), None);
    assert!(pool.server_devices(&internal).await.is_empty());

    // Forgetting it again (with a new session: the old tokens went with the device) is a
    // success that leaves the new device and its record alone.
    let again = sign_in_with_sms(&pool, &client, "ola@example.com").await;
    let new_key = again.device.device_key.clone().unwrap();
    client
        .forget_device(&again.tokens, "ola@example.com", Some(&key))
        .await
        .unwrap();
    assert_eq!(
        stored_record(store.as_ref(), &record_account(&pool, &internal))
            .unwrap()
            .device_key,
        new_key
    );
    assert_eq!(
        pool.server_devices(&internal).await,
        vec![(new_key.to_string(), Some("remembered".to_owned()))]
    );
}

#[tokio::test]
async fn a_panicking_or_failing_app_store_is_an_error_not_a_crash() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("ada", &[]).await;
    let store = ScriptedStore::new();
    let client = pool.client(store.clone());
    store.panic_on_read.store(true, Ordering::SeqCst);
    match client.sign_in("ada", PASSWORD).await {
        Err(Error::Store(message)) => assert!(message.contains("panicked"), "{message}"),
        Err(other) => panic!("expected Error::Store, got {other:?}"),
        Ok(step) => panic!("expected Error::Store, got {}", step.name()),
    }
    store.panic_on_read.store(false, Ordering::SeqCst);
    // A keychain failing with a platform error on the look-up.
    let mock = mock::Store::new().unwrap();
    let keychain = Arc::new(KeychainStore::from_credential_store(mock.clone()));
    let client = pool.client(keychain);
    let entry = keyring_core::api::CredentialStoreApi::build(
        mock.as_ref(),
        keychain_service(),
        &record_account(&pool, "ada"),
        None,
    )
    .unwrap();
    let cred: &mock::Cred = entry.as_any().downcast_ref().unwrap();
    cred.set_error(keyring_core::Error::PlatformFailure(Box::new(
        std::io::Error::other("keychain daemon bug"),
    )));
    match client.sign_in("ada", PASSWORD).await {
        Err(e @ Error::Store(_)) => {
            assert!(!e.is_retryable());
            assert!(e.to_string().contains("keychain daemon bug"), "{e}");
        }
        Err(other) => panic!("expected Error::Store, got {other:?}"),
        Ok(step) => panic!("expected Error::Store, got {}", step.name()),
    }
    // The process is fine and the next sign-in works.
    assert!(matches!(
        client.sign_in("ada", PASSWORD).await.unwrap(),
        SignInStep::SmsCode(_)
    ));
}

/// Account names are what other processes can see (Secret Service attributes and labels,
/// Android preference keys): none carries the e-mail address, the phone number, the user
/// name, the pool or the client.
#[tokio::test]
async fn account_names_carry_no_identifier_in_clear() {
    let (pool, internal) = email_alias_pool("vera").await;
    let store = Arc::new(MemoryStore::new());
    let client = pool.client(store.clone());
    sign_in_with_sms(&pool, &client, "vera@example.com").await;
    let accounts = store.accounts();
    assert!(accounts.len() >= 3, "record, alias and index: {accounts:?}");
    for account in &accounts {
        for clear in [
            "vera",
            "example",
            "+1555",
            "5555550100",
            internal.as_str(),
            pool.pool_id.as_str(),
            pool.client_id.as_str(),
        ] {
            assert!(!account.contains(clear), "{account} contains {clear}");
        }
    }
    // The names are the documented function of (pool, client, name).
    assert!(
        accounts.contains(&cognito_device_auth::store::record_account(
            &pool.pool_id,
            &pool.client_id,
            &internal
        ))
    );
    assert!(
        accounts.contains(&cognito_device_auth::store::alias_account(
            &pool.pool_id,
            &pool.client_id,
            "vera@example.com"
        ))
    );
}

/// Records written under the first naming (`device:<pool>:<client>:<name>`) are read, moved
/// to the hashed name, and keep skipping MFA.
#[tokio::test]
async fn a_record_under_the_first_naming_is_moved_and_still_skips_mfa() {
    let pool = Pool::start(PoolSetup::default()).await;
    let internal = pool.user("walt", &[]).await;
    let store = Arc::new(MemoryStore::new());
    let client = pool.client(store.clone());
    remembered_device(&pool, &client, "walt").await;
    let current = record_account(&pool, &internal);
    let legacy = format!("device:{}:{}:{internal}", pool.pool_id, pool.client_id);
    let bytes = store.read(&current).unwrap().expect("the record");
    store.write(&legacy, &bytes).unwrap();
    store.delete(&current).unwrap();

    let done = sign_in_without_mfa(&client, "walt").await;
    assert!(done.device.skipped_mfa);
    assert_eq!(store.read(&legacy).unwrap(), None, "moved away");
    assert!(store.read(&current).unwrap().is_some(), "moved here");
    assert_index_names_every_entry(&store);
}

/// The offline wipe: one user's entries go now, without the network; the server keeps the
/// device; the next sign-in answers MFA. Then every entry of the store goes.
#[tokio::test]
async fn local_wipes_remove_one_user_or_everything_offline() {
    let (pool, ines) = email_alias_pool("ines").await;
    let jon = pool.user("jon", &[]).await;
    let store = Arc::new(MemoryStore::new());
    let client = pool.client(store.clone());
    let key = sign_in_with_sms(&pool, &client, "ines@example.com")
        .await
        .device
        .device_key
        .expect("a device");
    remembered_device(&pool, &client, "jon").await;
    let jons_record = store.read(&record_account(&pool, &jon)).unwrap();
    assert!(jons_record.is_some());
    assert_index_names_every_entry(&store);
    let ines_alias = cognito_device_auth::store::alias_account(
        &pool.pool_id,
        &pool.client_id,
        "ines@example.com",
    );
    assert!(store.read(&ines_alias).unwrap().is_some());

    // Offline: a client on the same store whose endpoint refuses every connection.
    let offline = cognito_device_auth::Client::new(
        cognito_device_auth::ClientConfig::new(&pool.pool_id, &pool.client_id)
            .with_endpoint("http://127.0.0.1:9")
            .with_store(store.clone()),
    )
    .unwrap();
    assert!(
        offline
            .forget_device_locally("ines@example.com")
            .await
            .unwrap()
    );
    assert_eq!(
        client.current_device("ines@example.com").await.unwrap(),
        None
    );
    assert_eq!(client.current_device(&ines).await.unwrap(), None);
    assert_eq!(
        store.read(&ines_alias).unwrap(),
        None,
        "the alias entry is gone too"
    );
    assert_index_names_every_entry(&store);
    assert_eq!(
        store.read(&record_account(&pool, &jon)).unwrap(),
        jons_record
    );
    assert_eq!(
        pool.server_devices(&ines).await,
        vec![(key.to_string(), Some("remembered".to_owned()))],
        "the server keeps the device"
    );
    let sms_before = pool.emulator.sms_outbox(Some("ines")).len();
    sign_in_with_sms(&pool, &client, "ines@example.com").await;
    assert_eq!(pool.emulator.sms_outbox(Some("ines")).len(), sms_before + 1);
    // Nothing stored: not an error.
    assert!(!client.forget_device_locally("nobody").await.unwrap());

    // Everything this SDK wrote, for every user: the store is empty afterwards.
    store.write("an-entry-of-the-app", b"kept").unwrap();
    let removed = offline.remove_all_local_entries().await.unwrap();
    assert!(removed >= 3, "{removed}");
    assert_eq!(store.accounts(), vec!["an-entry-of-the-app".to_owned()]);
    assert_eq!(client.current_device("jon").await.unwrap(), None);
}
