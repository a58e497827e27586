//! The Windows keychain (Credential Manager) through `KeychainStore::new()`: a secret written by
//! one process is read back by a fresh one, overwritten, read again, and deleted (twice: deletes
//! are idempotent). Compiled and run only for Windows; CI runs it under Wine (`.ci/wine.sh`),
//! whose Credential Manager keeps credentials in the Wine prefix's registry.
#![cfg(windows)]

use std::process::Command;

use cognito_device_auth::store::{KeychainBackend, KeychainStore, SecretStore};

const SERVICE: &str = "cognito-device-auth-windows-test";
const ACCOUNT: &str = "device:us-east-1_Test:client:round-trip";
const CHILD: &str = "CDA_KEYCHAIN_CHILD_EXPECTS";

fn store() -> KeychainStore {
    KeychainStore::new().with_service(SERVICE)
}

/// Runs this test again in a fresh process that reads the secret and expects `value`.
fn read_in_another_process(value: &str) {
    let status = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--exact", "credential_manager_round_trip_across_processes"])
        .env(CHILD, value)
        .status()
        .expect("the child process starts");
    assert!(status.success(), "the child process read something else");
}

/// The persistence of the credential as Credential Manager holds it, read with the store crate
/// directly (an entry that names no persistence reads the existing credential's).
fn persistence() -> String {
    use keyring_core::api::CredentialStoreApi;
    let store = windows_native_keyring_store::Store::new().expect("the store");
    let entry = store.build(SERVICE, ACCOUNT, None).expect("an entry");
    entry.get_attributes().expect("the attributes")["persistence"].clone()
}

#[test]
fn credential_manager_round_trip_across_processes() {
    if let Ok(expected) = std::env::var(CHILD) {
        let read = store().read(ACCOUNT).expect("read");
        assert_eq!(read.as_deref(), Some(expected.as_bytes()));
        return;
    }
    let store = store();
    assert_eq!(store.backend(), KeychainBackend::WindowsCredentialManager);
    store.delete(ACCOUNT).expect("a clean start");
    store.write(ACCOUNT, b"first secret").expect("write");
    assert_eq!(
        persistence(),
        "Local",
        "local to this computer, not the roaming enterprise default"
    );
    read_in_another_process("first secret");
    store.write(ACCOUNT, b"second secret").expect("overwrite");
    read_in_another_process("second secret");
    store.delete(ACCOUNT).expect("delete");
    assert_eq!(store.read(ACCOUNT).expect("read after delete"), None);
    store
        .delete(ACCOUNT)
        .expect("deleting again is not an error");
}
