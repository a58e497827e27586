//! Unit tests of the keychain store over keyring-core's mock.

use super::*;
use keyring_core::mock;

fn mock_store() -> (KeychainStore, Arc<mock::Store>) {
    let mock = mock::Store::new().unwrap();
    let store = KeychainStore::from_credential_store(mock.clone());
    (store, mock)
}

/// Makes the next call on the mock item of `account` fail with `error`.
fn inject(mock: &mock::Store, account: &str, error: KeyringError) {
    use keyring_core::api::CredentialStoreApi;
    let entry = mock.build(DEFAULT_SERVICE, account, None).unwrap();
    let cred: &mock::Cred = entry.as_any().downcast_ref().unwrap();
    cred.set_error(error);
}

fn boxed(message: &str) -> PlatformError {
    Box::new(std::io::Error::other(message.to_owned()))
}

use keyring_core::error::PlatformError;

#[test]
fn read_write_delete_round_trip_and_idempotent_delete() {
    let (store, _) = mock_store();
    assert_eq!(store.read("device:p:c:u").unwrap(), None);
    store.write("device:p:c:u", b"one").unwrap();
    store.write("device:p:c:u", b"two").unwrap();
    assert_eq!(
        store.read("device:p:c:u").unwrap().as_deref(),
        Some(&b"two"[..])
    );
    store.delete("device:p:c:u").unwrap();
    store.delete("device:p:c:u").unwrap();
    assert_eq!(store.read("device:p:c:u").unwrap(), None);
}

#[test]
fn locked_keychain_is_unavailable_and_keeps_the_item() {
    let (store, mock) = mock_store();
    store.write("a", b"secret-bytes").unwrap();
    for op in ["read", "write", "delete"] {
        inject(&mock, "a", KeyringError::NoStorageAccess(boxed("locked")));
        let err = match op {
            "read" => store.read("a").unwrap_err(),
            "write" => store.write("a", b"other").unwrap_err(),
            _ => store.delete("a").unwrap_err(),
        };
        assert!(matches!(err, StoreError::Unavailable(_)), "{op}: {err:?}");
        assert!(err.to_string().contains("locked"), "{err}");
        assert_eq!(
            store.read("a").unwrap().as_deref(),
            Some(&b"secret-bytes"[..]),
            "{op} changed nothing"
        );
    }
}

#[test]
fn platform_failures_are_failed_and_never_show_secret_bytes() {
    let (store, mock) = mock_store();
    inject(
        &mock,
        "a",
        KeyringError::PlatformFailure(boxed("disk full")),
    );
    let err = store.write("a", b"x").unwrap_err();
    assert!(matches!(err, StoreError::Failed(_)), "{err:?}");
    assert!(err.to_string().contains("disk full"), "{err}");

    inject(
        &mock,
        "a",
        KeyringError::BadDataFormat(b"TOPSECRET".to_vec(), boxed("bad")),
    );
    let err = store.read("a").unwrap_err();
    assert!(!format!("{err} {err:?}").contains("TOPSECRET"), "{err:?}");
    inject(&mock, "a", KeyringError::BadEncoding(b"TOPSECRET".to_vec()));
    let err = store.read("a").unwrap_err();
    assert!(!format!("{err} {err:?}").contains("TOPSECRET"), "{err:?}");
}

#[test]
fn a_hanging_keychain_times_out_as_unavailable() {
    struct Hanging;
    impl keyring_core::api::CredentialStoreApi for Hanging {
        fn vendor(&self) -> String {
            "hanging".into()
        }
        fn id(&self) -> String {
            "hanging".into()
        }
        fn build(
            &self,
            _: &str,
            _: &str,
            _: Option<&HashMap<&str, &str>>,
        ) -> keyring_core::Result<Entry> {
            std::thread::sleep(Duration::from_secs(5));
            Err(KeyringError::NoEntry)
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }
    let store = KeychainStore::from_credential_store(Arc::new(Hanging))
        .with_timeout(Duration::from_millis(200));
    let started = std::time::Instant::now();
    let err = store.read("a").unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
}

#[test]
fn a_panicking_backend_is_an_error() {
    struct Panicking;
    impl keyring_core::api::CredentialStoreApi for Panicking {
        fn vendor(&self) -> String {
            "panicking".into()
        }
        fn id(&self) -> String {
            "panicking".into()
        }
        fn build(
            &self,
            _: &str,
            _: &str,
            _: Option<&HashMap<&str, &str>>,
        ) -> keyring_core::Result<Entry> {
            panic!("backend bug")
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }
    let store = KeychainStore::from_credential_store(Arc::new(Panicking));
    assert!(matches!(store.read("a"), Err(StoreError::Failed(_))));
}

#[test]
fn an_empty_service_name_is_refused() {
    let (store, _) = mock_store();
    let store = store.with_service("");
    assert!(matches!(store.write("a", b"x"), Err(StoreError::Failed(_))));
}

#[cfg(all(unix, not(target_vendor = "apple"), not(target_os = "android")))]
#[test]
fn no_session_bus_names_the_fix() {
    // Decided before any D-Bus call, from the environment: checked through classify on
    // a forged connection error instead of unsetting variables of this process.
    let e = KeyringError::PlatformFailure(Box::new(secret_service::Error::Unavailable));
    let (err, reconnect) = classify(KeychainBackend::SecretService, "a read", e);
    assert!(reconnect);
    let text = err.to_string();
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    for needle in [
        "gnome-keyring-daemon",
        "KeePassXC",
        "linux_keyutils",
        "reboot",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    let e = KeyringError::NoStorageAccess(Box::new(secret_service::Error::Locked));
    let (err, _) = classify(KeychainBackend::SecretService, "a read", e);
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
}
