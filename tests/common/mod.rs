//! Test harness for the SDK: the emulator's test kit (the emulator in-process, a pool
//! provisioned through the real API with the official AWS SDK, admin calls signed with static
//! test credentials) and our [`Client`] pointed at it over real HTTP.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use cognito_device_auth::store::{MemoryStore, SecretStore};
use cognito_device_auth::{Client, ClientConfig, SignInStep, SignedIn};
use cognito_emulator::testkit;
#[allow(unused_imports)] // each test uses a part of the kit
pub use cognito_emulator::testkit::{
    PASSWORD, PoolSetup, TestPool as Pool, admin_client, attribute, totp_code as totp,
};

/// Our client on a test pool.
pub trait SdkClient {
    /// Our client on this pool with the given store.
    fn client(&self, store: Arc<dyn SecretStore>) -> Client;

    /// The same with a per-attempt timeout.
    fn client_with_timeout(&self, store: Arc<dyn SecretStore>, timeout: Duration) -> Client;

    /// The configuration of [`SdkClient::client`], for a test to add to.
    fn config(&self, store: Arc<dyn SecretStore>) -> ClientConfig;
}

impl SdkClient for Pool {
    fn client(&self, store: Arc<dyn SecretStore>) -> Client {
        self.client_with_timeout(store, Duration::from_secs(5))
    }

    fn client_with_timeout(&self, store: Arc<dyn SecretStore>, timeout: Duration) -> Client {
        Client::new(self.config(store).with_timeout(timeout)).expect("a valid configuration")
    }

    fn config(&self, store: Arc<dyn SecretStore>) -> ClientConfig {
        let mut config = ClientConfig::new(&self.pool_id, &self.client_id)
            .with_endpoint(self.emulator.endpoint())
            .with_store(store)
            .with_device_name("test device")
            .with_timeout(Duration::from_secs(5));
        if let Some(secret) = &self.client_secret {
            config = config.with_client_secret(secret.as_str());
        }
        config
    }
}

/// A minimal HTTP/1.1 request to the emulator's test endpoints; returns (status, body).
pub async fn http(endpoint: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let headers = [("Content-Type", "application/json")];
    testkit::http(endpoint, method, path, &headers, body).await
}

/// Signs in and answers an SMS code step from the outbox; asserts the steps seen.
pub async fn sign_in_with_sms(pool: &Pool, client: &Client, username: &str) -> SignedIn {
    match client
        .sign_in(username, PASSWORD)
        .await
        .expect("sign-in starts")
    {
        SignInStep::SmsCode(step) => {
            assert!(
                step.destination().is_some(),
                "the masked destination is given"
            );
            let code = pool.last_sms_code(username);
            step.submit(&code)
                .await
                .expect("the SMS code is accepted")
                .done()
                .expect("signed in after the SMS code")
        }
        other => panic!("expected an SMS code step, got {}", other.name()),
    }
}

/// Signs in expecting no step at all (a remembered device).
pub async fn sign_in_without_mfa(client: &Client, username: &str) -> SignedIn {
    match client.sign_in(username, PASSWORD).await.expect("sign-in") {
        SignInStep::Done(done) => done,
        other => panic!("expected no MFA step, got {}", other.name()),
    }
}

pub fn memory_store() -> Arc<MemoryStore> {
    Arc::new(MemoryStore::new())
}

/// target/<profile>/examples/NAME (NAME.exe on Windows), next to the running test binary.
/// Built on demand for the host (a filtered `cargo test --test X` does not build the
/// examples); a cross-built test (Windows under Wine) cannot run cargo, so there the examples
/// must be built first (`cargo build --examples --target ...`, as `.ci/wine.sh` does).
pub fn example_binary(name: &str) -> std::path::PathBuf {
    let me = std::env::current_exe().expect("the test binary's path");
    let profile_dir = me
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    let path = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !path.exists() {
        if cfg!(windows) {
            panic!(
                "{} is missing: build the examples for this target first",
                path.display()
            );
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let status = std::process::Command::new(cargo)
            .args(["build", "--example", name])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the {name} example failed");
    }
    assert!(path.exists(), "{} is missing", path.display());
    path
}

/// The entries of a store other than the index of entries the SDK keeps
/// (`store::accounts::INDEX_ACCOUNT`).
pub fn entries(store: &MemoryStore) -> Vec<String> {
    store
        .accounts()
        .into_iter()
        .filter(|a| a != cognito_device_auth::store::accounts::INDEX_ACCOUNT)
        .collect()
}

/// The store's index of entries names every entry it holds (what `remove_all_entries` needs).
pub fn assert_index_names_every_entry(store: &MemoryStore) {
    let index: Vec<String> = store
        .read(cognito_device_auth::store::accounts::INDEX_ACCOUNT)
        .unwrap()
        .map(|bytes| serde_json::from_slice(&bytes).expect("an index"))
        .unwrap_or_default();
    for entry in entries(store) {
        assert!(
            index.contains(&entry),
            "{entry} is not in the index {index:?}"
        );
    }
}
