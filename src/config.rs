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
    /// The name ConfirmDevice gives this device (shown in the user's device list); by default
    /// [`default_device_name`].
    pub device_name: String,
    /// Where device secrets live. Default: the OS keychain ([`KeychainStore::new`]: the
    /// Apple protected keychain, Windows Credential Manager, the Secret Service on Linux, the
    /// Android Keystore). Tests and apps that keep secrets their own way replace it with
    /// [`ClientConfig::with_store`] or [`ClientConfig::with_memory_store`].
    pub store: Arc<dyn SecretStore>,
    /// How long one attempt of one call may take.
    pub timeout: Duration,
    /// How long a remembered device is trusted ([`ClientConfig::with_device_trust`]); `None`:
    /// as long as the server remembers it.
    pub device_trust: Option<Duration>,
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
            device_trust: None,
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

    /// Remembers devices for `trust` only ("remember this device for 30 days", as AWS's guide
    /// suggests for regulated apps): a device confirmed longer ago is not presented at the next
    /// sign-in, so the user answers MFA once; the server then issues a new device, which is
    /// confirmed and remembered for another `trust`, and the old one is forgotten on the
    /// server and here.
    pub fn with_device_trust(mut self, trust: Duration) -> Self {
        self.device_trust = Some(trust);
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
            .field("device_trust", &self.device_trust)
            .finish_non_exhaustive()
    }
}

/// A name a user recognises in their device list: the phone's maker and model on Android
/// (`Google Pixel 8`), `iPhone` on iOS (a Swift app can pass `UIDevice.current.model`), and on
/// desktops the app and the OS (`MyApp on Debian GNU/Linux 12`, `MyApp on macOS`, `MyApp on
/// Windows`). Never the HOSTNAME variable (a container id, or a name the user never chose).
pub fn default_device_name() -> String {
    if cfg!(target_os = "android") {
        return android_model().unwrap_or_else(|| "Android phone".to_owned());
    }
    if cfg!(target_os = "ios") {
        return "iPhone".to_owned();
    }
    let app = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|s| !s.is_empty());
    let os = desktop_os();
    match app {
        Some(app) => format!("{app} on {os}"),
        None => os,
    }
}

/// `Manufacturer Model` from Android's system properties, when `getprop` answers.
fn android_model() -> Option<String> {
    let prop = |name: &str| {
        let out = std::process::Command::new("getprop")
            .arg(name)
            .output()
            .ok()?;
        let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
        (!text.is_empty()).then_some(text)
    };
    let model = prop("ro.product.model")?;
    Some(match prop("ro.product.manufacturer") {
        Some(maker) if !model.to_lowercase().starts_with(&maker.to_lowercase()) => {
            let mut maker = maker;
            if let Some(first) = maker.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            format!("{maker} {model}")
        }
        _ => model,
    })
}

/// The OS as its users call it; on Linux the distribution's PRETTY_NAME (os-release(5)).
fn desktop_os() -> String {
    match std::env::consts::OS {
        "macos" => "macOS".to_owned(),
        "windows" => "Windows".to_owned(),
        "linux" => std::fs::read_to_string("/etc/os-release")
            .ok()
            .and_then(|text| {
                text.lines()
                    .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                    .map(|v| v.trim_matches('"').to_owned())
            })
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "Linux".to_owned()),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_device_name_is_the_app_and_the_os_never_the_host_name() {
        let name = default_device_name();
        assert!(name.contains(" on "), "{name}");
        let app = std::env::current_exe().unwrap();
        let app = app.file_stem().unwrap().to_string_lossy();
        assert!(name.starts_with(app.as_ref()), "{name}");
        if let Ok(host) = std::env::var("HOSTNAME")
            && host.len() > 3
        {
            assert!(
                !name.contains(&host),
                "{name} contains the host name {host}"
            );
        }
    }
}
