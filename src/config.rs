//! How to reach a user pool and where to keep device secrets.

use std::sync::Arc;
use std::time::Duration;

use crate::pool::SessionConfig;
use crate::srp::ClientSecret;
use crate::store::{KeychainStore, MemoryStore, SecretStore};

/// How to reach a user pool and where to keep device secrets.
#[derive(Clone)]
pub struct ClientConfig {
    /// The user pool id, e.g. `us-east-1_AbCdEf123` (its region is the part before `_`).
    pub user_pool_id: String,
    /// The app client id.
    pub client_id: String,
    /// The app client's secret, for clients that have one.
    pub client_secret: Option<ClientSecret>,
    /// An endpoint to use instead of `cognito-idp.<region>.amazonaws.com` (the emulator, a
    /// proxy). `https://` anywhere; plain `http://` only to this machine (`localhost`,
    /// `127.0.0.0/8`, `[::1]`), else [`Client::new`](crate::Client::new) fails with [`Error::Configuration`](crate::Error::Configuration): whoever
    /// answers a sign-in can guess the password offline from its proof.
    pub endpoint: Option<String>,
    /// The name ConfirmDevice gives this device (shown in the user's device list).
    pub device_name: String,
    /// Where device secrets live. Default: the OS keychain ([`KeychainStore::new`]: the
    /// Apple protected keychain, Windows Credential Manager, the Secret Service on Linux, the
    /// Android Keystore). Tests and apps that keep secrets their own way replace it with
    /// [`ClientConfig::with_store`] or [`ClientConfig::with_memory_store`].
    pub store: Arc<dyn SecretStore>,
    /// How long one attempt of one call may take.
    pub timeout: Duration,
    /// Kept sessions ([`ClientConfig::with_sessions`]); `None`: the app keeps tokens itself.
    pub sessions: Option<SessionConfig>,
    /// [`ClientConfig::with_plain_http_for_tests`]: debug builds only.
    pub(crate) plain_http_for_tests: bool,
    /// [`ClientConfig::with_clock_offset_for_tests`]: debug builds only.
    pub(crate) clock_offset_for_tests: i64,
}

impl ClientConfig {
    /// A configuration with the defaults: no client secret, AWS's endpoint, a device name from
    /// the platform, the OS keychain as the device-secret store and a 10-second timeout.
    ///
    /// The keychain is only opened when a sign-in first needs it: building a configuration
    /// never fails, and a machine without a keychain (a headless Linux box with no Secret
    /// Service) makes that sign-in fail with [`Error::StoreUnavailable`](crate::Error::StoreUnavailable) naming the fix,
    /// never silently forgetting the device.
    pub fn new(user_pool_id: impl Into<String>, client_id: impl Into<String>) -> Self {
        Self {
            user_pool_id: user_pool_id.into(),
            client_id: client_id.into(),
            client_secret: None,
            endpoint: None,
            device_name: default_device_name(),
            store: Arc::new(KeychainStore::new()),
            timeout: Duration::from_secs(10),
            sessions: None,
            plain_http_for_tests: false,
            clock_offset_for_tests: 0,
        }
    }

    /// **Tests only**: allows a plain `http://` endpoint on any host (an emulator in another
    /// container of a test network, say). Passwords and tokens then cross the network in clear,
    /// to a server that can guess the password from its proof. This method exists only in
    /// builds with debug assertions: a release build of an app cannot call it.
    #[cfg(debug_assertions)]
    pub fn with_plain_http_for_tests(mut self) -> Self {
        self.plain_http_for_tests = true;
        self
    }

    /// **Tests only**: this client's clock runs `seconds` ahead (negative: behind) of the
    /// machine's, as on a phone whose clock is wrong. Debug builds only.
    #[cfg(debug_assertions)]
    pub fn with_clock_offset_for_tests(mut self, seconds: i64) -> Self {
        self.clock_offset_for_tests = seconds;
        self
    }

    /// Keeps sessions in the store, next to the device secrets: after a sign-in its tokens
    /// are kept, and [`Client::session`](crate::Client::session) hands out valid ones,
    /// refreshing when needed, in this process or a later one.
    pub fn with_sessions(mut self, sessions: SessionConfig) -> Self {
        self.sessions = Some(sessions);
        self
    }

    /// Sets the app client's secret.
    pub fn with_client_secret(mut self, secret: impl Into<ClientSecret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// Sends every call to `endpoint` (for instance `http://127.0.0.1:9229`).
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sets the device name ConfirmDevice sends.
    pub fn with_device_name(mut self, name: impl Into<String>) -> Self {
        self.device_name = name.into();
        self
    }

    /// Keeps device secrets in `store`.
    pub fn with_store(mut self, store: Arc<dyn SecretStore>) -> Self {
        self.store = store;
        self
    }

    /// Keeps device secrets in memory only: they are lost when the process ends, so every
    /// new process asks for MFA again. For tests and throw-away sessions.
    pub fn with_memory_store(self) -> Self {
        self.with_store(Arc::new(MemoryStore::new()))
    }

    /// Sets the per-attempt timeout of every call.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("user_pool_id", &self.user_pool_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("endpoint", &self.endpoint)
            .field("device_name", &self.device_name)
            .field("timeout", &self.timeout)
            .field("sessions", &self.sessions)
            .finish_non_exhaustive()
    }
}

/// The host name when the platform tells it, else the OS name.
fn default_device_name() -> String {
    let host = std::env::var("HOSTNAME")
        .or_else(|_| std::env::var("COMPUTERNAME"))
        .ok()
        .filter(|h| !h.trim().is_empty());
    match host {
        Some(h) => format!("{h} ({})", std::env::consts::OS),
        None => format!("{} device", std::env::consts::OS),
    }
}
