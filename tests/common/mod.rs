//! Test harness for the SDK: the emulator in-process, a pool provisioned through the real API
//! with the official AWS SDK (admin calls signed with static test credentials), and our
//! [`Client`] pointed at it over real HTTP.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cognitoidentityprovider as cip;
use cip::config::retry::RetryConfig;
use cip::config::{BehaviorVersion, Region};
use cip::types::{
    AliasAttributeType, AttributeType, DeviceConfigurationType, ExplicitAuthFlowsType,
    MessageActionType, SmsMfaConfigType, SoftwareTokenMfaConfigType, UserPoolMfaType,
};
use cognito_device_auth::store::{MemoryStore, SecretStore};
use cognito_device_auth::{Client, ClientConfig, SignInStep, SignedIn};
use cognito_emulator::{Emulator, EmulatorConfig, Fidelity};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const PASSWORD: &str = "Correct-Horse-9";

/// How a test pool is set up.
#[derive(Clone, Debug)]
pub struct PoolSetup {
    pub mfa: UserPoolMfaType,
    /// (ChallengeRequiredOnNewDevice, DeviceOnlyRememberedOnUserPrompt); None: no tracking.
    pub devices: Option<(bool, bool)>,
    pub secret: bool,
    pub email_alias: bool,
    /// The emulator's challenge-session lifetime (default 3 minutes).
    pub session_ttl: Option<Duration>,
    /// Refresh-token rotation on the app client, with this grace period (seconds).
    pub rotation: Option<i32>,
    /// The emulator's switches for behaviours no public source settles.
    pub fidelity: Fidelity,
}

impl Default for PoolSetup {
    /// SMS MFA required, devices remembered without asking: the product's main case.
    fn default() -> Self {
        Self {
            mfa: UserPoolMfaType::On,
            devices: Some((true, false)),
            secret: false,
            email_alias: false,
            session_ttl: None,
            rotation: None,
            fidelity: Fidelity::default(),
        }
    }
}

/// A running emulator with one pool and one app client.
pub struct Pool {
    pub emulator: Emulator,
    pub admin: cip::Client,
    pub pool_id: String,
    pub client_id: String,
    pub client_secret: Option<String>,
}

pub fn admin_client(endpoint: &str) -> cip::Client {
    cip::Client::from_conf(
        cip::Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .behavior_version(BehaviorVersion::latest())
            .credentials_provider(aws_credential_types::Credentials::new(
                "AKIDTEST",
                "SECRETTEST",
                None,
                None,
                "test",
            ))
            .retry_config(RetryConfig::disabled())
            .build(),
    )
}

impl Pool {
    pub async fn start(setup: PoolSetup) -> Pool {
        let mut config = EmulatorConfig {
            fidelity: setup.fidelity,
            ..EmulatorConfig::default()
        };
        if let Some(ttl) = setup.session_ttl {
            config.session_ttl = ttl;
        }
        let emulator = Emulator::start(config).await.expect("the emulator starts");
        let admin = admin_client(&emulator.endpoint());
        let mut pool = admin
            .create_user_pool()
            .pool_name("sdk-tests")
            .mfa_configuration(setup.mfa.clone());
        if let Some((challenge, prompt)) = setup.devices {
            pool = pool.device_configuration(
                DeviceConfigurationType::builder()
                    .challenge_required_on_new_device(challenge)
                    .device_only_remembered_on_user_prompt(prompt)
                    .build(),
            );
        }
        if setup.email_alias {
            pool = pool.alias_attributes(AliasAttributeType::Email);
        }
        let pool = pool.send().await.expect("CreateUserPool");
        let pool_id = pool
            .user_pool()
            .and_then(|p| p.id())
            .expect("a pool id")
            .to_owned();
        if setup.mfa != UserPoolMfaType::Off {
            admin
                .set_user_pool_mfa_config()
                .user_pool_id(&pool_id)
                .mfa_configuration(setup.mfa.clone())
                .sms_mfa_configuration(SmsMfaConfigType::builder().build())
                .software_token_mfa_configuration(
                    SoftwareTokenMfaConfigType::builder().enabled(true).build(),
                )
                .send()
                .await
                .expect("SetUserPoolMfaConfig");
        }
        let mut app = admin
            .create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name("sdk")
            .generate_secret(setup.secret)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth);
        if let Some(grace) = setup.rotation {
            app = app.refresh_token_rotation(
                cip::types::RefreshTokenRotationType::builder()
                    .feature(cip::types::FeatureType::Enabled)
                    .retry_grace_period_seconds(grace)
                    .build()
                    .expect("a rotation setting"),
            );
        }
        let app = app.send().await.expect("CreateUserPoolClient");
        let app = app.user_pool_client().expect("a client");
        Pool {
            admin,
            pool_id,
            client_id: app.client_id().expect("a client id").to_owned(),
            client_secret: app.client_secret().map(str::to_owned),
            emulator,
        }
    }

    /// A confirmed user with [`PASSWORD`] and a phone number (for SMS MFA); returns the
    /// internal user name.
    pub async fn user(&self, name: &str, extra: &[(&str, &str)]) -> String {
        let mut attributes = vec![
            ("phone_number", "+15555550100"),
            ("phone_number_verified", "true"),
        ];
        attributes.extend_from_slice(extra);
        self.user_with(name, &attributes).await
    }

    /// A confirmed user with [`PASSWORD`] and exactly these attributes.
    pub async fn user_with(&self, name: &str, attributes: &[(&str, &str)]) -> String {
        let mut create = self
            .admin
            .admin_create_user()
            .user_pool_id(&self.pool_id)
            .username(name)
            .message_action(MessageActionType::Suppress);
        for (k, v) in attributes {
            create = create.user_attributes(attribute(k, v));
        }
        let out = create.send().await.expect("AdminCreateUser");
        self.admin
            .admin_set_user_password()
            .user_pool_id(&self.pool_id)
            .username(name)
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await
            .expect("AdminSetUserPassword");
        out.user()
            .and_then(|u| u.username())
            .expect("a user name")
            .to_owned()
    }

    /// Our client on this pool with the given store.
    pub fn client(&self, store: Arc<dyn SecretStore>) -> Client {
        self.client_with_timeout(store, Duration::from_secs(5))
    }

    /// The same with a per-attempt timeout.
    pub fn client_with_timeout(&self, store: Arc<dyn SecretStore>, timeout: Duration) -> Client {
        let mut config = ClientConfig::new(&self.pool_id, &self.client_id)
            .with_endpoint(self.emulator.endpoint())
            .with_store(store)
            .with_device_name("test device")
            .with_timeout(timeout);
        if let Some(secret) = &self.client_secret {
            config = config.with_client_secret(secret.as_str());
        }
        Client::new(config).expect("a valid configuration")
    }

    /// The newest SMS code sent to `username` (typed or internal name).
    pub fn last_sms_code(&self, username: &str) -> String {
        self.emulator
            .sms_outbox(Some(username))
            .last()
            .map(|m| m.code.clone())
            .unwrap_or_else(|| panic!("no SMS was sent to {username}"))
    }

    /// The devices the server holds for a user (AdminListDevices).
    pub async fn server_devices(&self, username: &str) -> Vec<(String, Option<String>)> {
        let out = self
            .admin
            .admin_list_devices()
            .user_pool_id(&self.pool_id)
            .username(username)
            .send()
            .await
            .expect("AdminListDevices");
        out.devices()
            .iter()
            .map(|d| {
                let status = d
                    .device_attributes()
                    .iter()
                    .find(|a| a.name() == "dev:device_remembered_status")
                    .and_then(|a| a.value())
                    .map(str::to_owned);
                (d.device_key().unwrap_or_default().to_owned(), status)
            })
            .collect()
    }

    /// Makes the next `count` calls of `operation` fail with `kind` (emulator fault endpoint).
    pub async fn fault(&self, operation: &str, kind: &str, count: u32, delay_ms: u64) {
        self.fault_after(operation, kind, count, delay_ms, 0).await;
    }

    /// The same, after letting `skip` calls of the operation through.
    pub async fn fault_after(
        &self,
        operation: &str,
        kind: &str,
        count: u32,
        delay_ms: u64,
        skip: u32,
    ) {
        let body = format!(
            r#"{{"operation":"{operation}","kind":"{kind}","count":{count},"delay_ms":{delay_ms},"skip":{skip}}}"#
        );
        self.post("/_emulator/faults", &body).await;
    }

    /// POSTs to one of the emulator's test endpoints; anything but success fails the test.
    async fn post(&self, path: &str, body: &str) {
        let (status, text) = http(&self.emulator.endpoint(), "POST", path, body).await;
        assert!(status < 300, "{path} answered {status}: {text}");
    }

    /// Makes the next call of `operation` (after `skip` calls) answer with a service error.
    pub async fn fault_error(&self, operation: &str, skip: u32, error_type: &str, message: &str) {
        let body = serde_json::json!({
            "operation": operation, "kind": "error", "count": 1, "skip": skip,
            "error_type": error_type, "message": message,
        })
        .to_string();
        self.post("/_emulator/faults", &body).await;
    }

    /// Sets the emulator's fidelity switches (`{"NAME": value}`) through its test endpoint.
    pub async fn set_fidelity(&self, settings: serde_json::Value) {
        self.post("/_emulator/fidelity", &settings.to_string())
            .await;
    }

    /// Every device the server holds for the user, in any state: (key, confirmed, remembered).
    pub fn all_devices(&self, username: &str) -> Vec<(String, bool, bool)> {
        self.emulator
            .devices_of(username)
            .into_iter()
            .map(|d| (d.key, d.confirmed, d.remembered))
            .collect()
    }

    pub async fn clear_faults(&self) {
        http(&self.emulator.endpoint(), "DELETE", "/_emulator/faults", "").await;
    }
}

pub fn attribute(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .expect("an attribute")
}

/// A minimal HTTP/1.1 request to the emulator's test endpoints; returns (status, body).
pub async fn http(endpoint: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let address = endpoint.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("the emulator accepts connections");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
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

/// RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) for a base32 secret, written for the tests.
pub fn totp(secret_base32: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u64;
    let mut count = 0;
    let mut key = Vec::new();
    for c in secret_base32.trim_end_matches('=').bytes() {
        let value = ALPHABET
            .iter()
            .position(|&a| a == c.to_ascii_uppercase())
            .expect("a base32 secret") as u64;
        bits = (bits << 5) | value;
        count += 5;
        if count >= 8 {
            count -= 8;
            key.push((bits >> count) as u8);
        }
    }
    let step = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 30;
    let mut mac = <hmac::Hmac<sha1::Sha1> as hmac::KeyInit>::new_from_slice(&key).unwrap();
    hmac::Mac::update(&mut mac, &step.to_be_bytes());
    let digest = hmac::Mac::finalize(mac).into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let number = u32::from_be_bytes(digest[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    format!("{:06}", number % 1_000_000)
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
