//! # cognito-emulator
//!
//! A local Amazon Cognito user-pool emulator that speaks Cognito's JSON 1.1 wire protocol and
//! **really verifies** SRP (USER_SRP_AUTH) and device SRP (DEVICE_SRP_AUTH), so SDKs and apps
//! can test sign-in with remembered devices without AWS.
//!
//! ## In a Rust test
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use cognito_emulator::{Emulator, EmulatorConfig};
//! let emulator = Emulator::start(EmulatorConfig::default()).await?;
//! let endpoint = emulator.endpoint(); // "http://127.0.0.1:PORT": give it to the AWS SDK
//! // ... CreateUserPool, CreateUserPoolClient, AdminCreateUser, sign in ...
//! let codes = emulator.sms_outbox(Some("alice")); // SMS MFA codes sent to alice
//! emulator.stop().await;
//! # let _ = (endpoint, codes); Ok(()) }
//! ```
//!
//! With the feature `testkit`, `testkit::TestPool` starts an emulator with a pool, an app client
//! and users provisioned through the official AWS SDK (see the `testkit` module).
//!
//! ## As a program
//! `cargo run -p cognito-emulator -- --port 9229 [--host 127.0.0.1] [--state FILE] [--seed FILE]`
//! prints `cognito-emulator listening on http://127.0.0.1:9229` once it accepts connections.
//!
//! ## Wire protocol
//! `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>` and a JSON body;
//! errors are HTTP 400 `{"__type", "message"}` with Cognito's types and messages. SigV4
//! signatures are accepted without checking. See [`ops::OPERATIONS`] for the operations.
//!
//! ## Test endpoints
//! - `GET /_emulator/sms?username=NAME`: the SMS outbox, oldest first.
//! - `POST /_emulator/faults` `{"operation", "kind": "throttle"|"internal"|"reset"|"delay",
//!   "count", "delay_ms"}`; `DELETE /_emulator/faults`.
//! - `GET|POST /_emulator/fidelity`: the switches of [`fidelity`] (behaviours no public source
//!   settles).
//! - `GET /_emulator/health`.
//! - `GET /<poolId>/.well-known/jwks.json`: the RS256 key of the tokens.
//!
//! ## Layout
//! [`server`] (HTTP, faults) -> [`ops`] (one handler per operation) -> [`store`] (pools,
//! clients, users, devices, sessions), [`srp`] (server-side SRP), [`jwt`], [`totp`],
//! [`timestamp`]; [`persist`] keeps state and applies seeds; `testkit` (feature `testkit`)
//! provisions pools for tests.

pub mod app;
pub mod error;
pub mod faults;
pub mod fidelity;
pub mod jwt;
pub mod ops;
pub mod persist;
pub mod server;
pub mod srp;
pub mod store;
#[cfg(feature = "testkit")]
pub mod testkit;
pub mod timestamp;
pub mod totp;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use error::ApiError;
pub use fidelity::Fidelity;
pub use store::SmsMessage;

/// How to run the emulator.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Address to bind (default 127.0.0.1).
    pub host: String,
    /// Port (default 0: an ephemeral port).
    pub port: u16,
    /// Region of new pools (default us-east-1).
    pub region: String,
    /// How long a challenge Session / SECRET_BLOCK lives (default 3 minutes).
    pub session_ttl: Duration,
    /// The behaviours no public source settles (see [`fidelity`]); changeable at run time.
    pub fidelity: fidelity::Fidelity,
    /// State file to load at start and rewrite after every change.
    pub state_file: Option<PathBuf>,
    /// Seed file applied at start.
    pub seed_file: Option<PathBuf>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            host: "127.0.0.1".into(),
            port: 0,
            region: "us-east-1".into(),
            session_ttl: Duration::from_secs(180),
            fidelity: fidelity::Fidelity::default(),
            state_file: None,
            seed_file: None,
        }
    }
}

/// Why the emulator could not start.
#[derive(Debug)]
pub enum StartError {
    /// Binding or reading files failed.
    Io(std::io::Error),
    /// The seed file is invalid.
    Seed(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Io(e) => write!(f, "cognito-emulator: {e}"),
            StartError::Seed(e) => write!(f, "cognito-emulator seed: {e}"),
        }
    }
}

impl std::error::Error for StartError {}

impl From<std::io::Error> for StartError {
    fn from(e: std::io::Error) -> Self {
        StartError::Io(e)
    }
}

/// One RSA key per process: generating it is the slow part of a start.
fn signing_key() -> Arc<jwt::SigningKey> {
    static KEY: OnceLock<Arc<jwt::SigningKey>> = OnceLock::new();
    static GENERATING: Mutex<()> = Mutex::new(());
    if let Some(key) = KEY.get() {
        return key.clone();
    }
    let _guard = GENERATING.lock().unwrap_or_else(|p| p.into_inner());
    KEY.get_or_init(|| Arc::new(jwt::SigningKey::generate()))
        .clone()
}

fn new_app(
    config: EmulatorConfig,
    store: store::Store,
    key: Arc<jwt::SigningKey>,
) -> Arc<app::App> {
    Arc::new(app::App {
        store: Mutex::new(store),
        key,
        fidelity: Mutex::new(config.fidelity),
        config,
        endpoint: OnceLock::new(),
        faults: faults::Faults::default(),
        calls: Mutex::default(),
    })
}

/// The emulator without a socket: requests are handled in the calling thread. For fuzzing the
/// request handling and for tests that need no HTTP. State lives in memory only.
#[derive(Debug, Clone)]
pub struct InProcess {
    app: Arc<app::App>,
}

impl InProcess {
    /// An empty emulator with `config` (its host, port and state file are not used).
    pub fn new(config: EmulatorConfig) -> Self {
        Self {
            app: new_app(config, store::Store::default(), signing_key()),
        }
    }

    /// Creates pools, clients and users from a seed document, as [`Emulator::seed`].
    pub fn seed(&self, seed: &serde_json::Value) -> Result<(), StartError> {
        persist::apply_seed(&self.app, seed).map_err(StartError::Seed)
    }

    /// One call: the `X-Amz-Target` header value and the raw JSON body in; the HTTP status and
    /// the JSON body Cognito would answer out.
    pub fn call(&self, target: &str, body: &[u8]) -> (u16, serde_json::Value) {
        match server::handle_call(&self.app, target, body) {
            Ok(answer) => (200, answer),
            Err(e) => (e.status, e.body()),
        }
    }

    /// An independent copy of this emulator's state (seed once, then fork per test case).
    pub fn fork(&self) -> Self {
        let copy = serde_json::to_value(&*self.app.store())
            .and_then(serde_json::from_value)
            .expect("the store round-trips through JSON, as the state file does");
        Self {
            app: new_app(self.app.config.clone(), copy, Arc::clone(&self.app.key)),
        }
    }

    /// The shared state, for assertions.
    pub fn app(&self) -> &Arc<app::App> {
        &self.app
    }
}

/// A running emulator.
#[derive(Debug)]
pub struct Emulator {
    endpoint: String,
    app: Arc<app::App>,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Emulator {
    /// Binds, loads state and seed, and starts serving.
    pub async fn start(config: EmulatorConfig) -> Result<Emulator, StartError> {
        let listener = tokio::net::TcpListener::bind((config.host.as_str(), config.port)).await?;
        let address = listener.local_addr()?;
        let endpoint = format!("http://{address}");
        let store = match &config.state_file {
            Some(path) => persist::load(path)?,
            None => store::Store::default(),
        };
        let key = tokio::task::spawn_blocking(signing_key)
            .await
            .map_err(std::io::Error::other)?;
        let app = new_app(config.clone(), store, key);
        let _ = app.endpoint.set(endpoint.clone());
        if let Some(seed) = &config.seed_file {
            persist::seed(&app, seed).map_err(StartError::Seed)?;
            persist::save(&app);
        }
        let (shutdown, receiver) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, app.clone(), receiver));
        Ok(Emulator {
            endpoint,
            app,
            shutdown,
            task,
        })
    }

    /// `http://host:port`.
    pub fn endpoint(&self) -> String {
        self.endpoint.clone()
    }

    /// The SMS outbox, oldest first; `Some(name)` filters by internal or typed username.
    pub fn sms_outbox(&self, username: Option<&str>) -> Vec<SmsMessage> {
        self.app
            .store()
            .sms_outbox
            .iter()
            .filter(|m| username.is_none_or(|u| u == m.username || u == m.typed_username))
            .cloned()
            .collect()
    }

    /// Every device the emulator holds for a user (internal or typed name), in any state:
    /// unconfirmed, confirmed, remembered or not. The API's ListDevices shows only remembered
    /// ones; this view is for tests that check nothing was left behind.
    pub fn devices_of(&self, username: &str) -> Vec<store::Device> {
        let store = self.app.store();
        store
            .pools
            .values()
            .flat_map(|pool| {
                let internal = pool
                    .resolve_username(username)
                    .unwrap_or_else(|| username.to_owned());
                pool.devices
                    .values()
                    .filter(move |d| d.username == internal)
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The switches in force (see [`fidelity`]).
    pub fn fidelity(&self) -> Fidelity {
        self.app.fidelity()
    }

    /// Creates pools, clients and users from a seed document (the `--seed` format, see
    /// [`persist`]); pools whose `Id` already exists are left alone.
    pub fn seed(&self, seed: &serde_json::Value) -> Result<(), StartError> {
        persist::apply_seed(&self.app, seed).map_err(StartError::Seed)?;
        persist::save(&self.app);
        Ok(())
    }

    /// Shared state, for tests that need to look inside.
    pub fn app(&self) -> &Arc<app::App> {
        &self.app
    }

    /// Stops serving and waits for the listener to close.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
        persist::save(&self.app);
    }
}
