//! The client and its configuration.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::devices::{Device, LocalDevice};
use super::error::CognitoError;
use super::sign_in::SignInStep;
use super::store::{AppStore, KeychainOptions, SecretStore};
use super::tokens::Tokens;
use cognito_device_auth as core;
use cognito_device_auth::{RememberedStatus, SignOutScope};

/// How to reach a user pool, and where device secrets live.
///
/// `toString()` / `description` never print the client secret.
#[derive(Clone, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct ClientConfig {
    /// The user pool id, e.g. `eu-west-1_AbCdEf123` (the region is taken from it).
    pub user_pool_id: String,
    /// The app client id.
    pub client_id: String,
    /// The app client's secret, for clients that have one (avoid them in mobile apps).
    #[uniffi(default = None)]
    pub client_secret: Option<String>,
    /// Another endpoint than AWS's: `https://` (a proxy), or plain `http://` to this machine
    /// only (a local emulator, e.g. `http://127.0.0.1:9229`). Anything else is a
    /// `Configuration` error: whoever answers a sign-in can guess the password from its proof.
    #[uniffi(default = None)]
    pub endpoint: Option<String>,
    /// The name this device gets in the user's device list; default: one a user recognises
    /// (the maker and model on Android, `iPhone` on iOS: pass `UIDevice.current.model`, the
    /// app and the OS on desktops), never the host name.
    #[uniffi(default = None)]
    pub device_name: Option<String>,
    /// Keep sessions in the store (`session()`, `endSession()`): after a sign-in its tokens
    /// are kept, and `session()` hands out valid ones, refreshing when needed.
    #[uniffi(default = false)]
    pub keep_sessions: bool,
    /// With `keepSessions`: `session()` hands out tokens valid for at least this long;
    /// default (null / nil): 5 minutes.
    #[uniffi(default = None)]
    pub session_min_validity: Option<Duration>,
    /// How long one attempt of one call may take; default (null / nil): 10 seconds.
    #[uniffi(default = None)]
    pub timeout: Option<Duration>,
    /// Where device secrets live: the app's own store, or null / nil for the SDK's default
    /// (the platform keychain).
    #[uniffi(default = None)]
    pub store: Option<Arc<dyn SecretStore>>,
    /// The platform keychain's service name and (Apple) access group, when `store` is null /
    /// nil. Setting both `store` and `keychain` is a `Configuration` error.
    #[uniffi(default = None)]
    pub keychain: Option<KeychainOptions>,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("user_pool_id", &self.user_pool_id)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("endpoint", &self.endpoint)
            .field("device_name", &self.device_name)
            .field("keep_sessions", &self.keep_sessions)
            .field("timeout", &self.timeout)
            .field("store", &self.store.as_ref().map(|_| "app-supplied"))
            .field("keychain", &self.keychain)
            .finish()
    }
}

impl fmt::Display for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// The entry point: signs users in with their remembered device, refreshes tokens, and manages
/// the user's devices. Thread-safe; create one per user pool and share it.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct Client {
    inner: core::Client,
}

impl Client {
    /// The SDK's client.
    pub(crate) fn core(&self) -> &core::Client {
        &self.inner
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Client {
    /// A client for the pool and app client of `config`. Fails with `Configuration` when the
    /// user pool id, the client id or the keychain options are malformed, or when the
    /// platform's certificate verifier cannot start (Android: call
    /// `CognitoAndroid.initialize(context)` first); opens no connection.
    #[uniffi::constructor]
    pub fn new(config: ClientConfig) -> Result<Arc<Self>, CognitoError> {
        let mut core_config = core::ClientConfig::new(config.user_pool_id, config.client_id);
        if let Some(timeout) = config.timeout {
            core_config = core_config.with_timeout(timeout);
        }
        if let Some(secret) = config.client_secret {
            core_config = core_config.with_client_secret(secret);
        }
        if let Some(endpoint) = config.endpoint {
            core_config = core_config.with_endpoint(endpoint);
        }
        if let Some(name) = config.device_name {
            core_config = core_config.with_device_name(name);
        }
        if config.keep_sessions {
            let mut sessions = core::SessionConfig::default();
            if let Some(margin) = config.session_min_validity {
                sessions.min_validity = margin;
            }
            core_config = core_config.with_sessions(sessions);
        }
        match (config.store, config.keychain) {
            (Some(_), Some(_)) => {
                return Err(core::Error::Configuration(
                    "set either an app store or keychain options, not both".into(),
                )
                .into());
            }
            (Some(store), None) => core_config = core_config.with_store(Arc::new(AppStore(store))),
            (None, Some(options)) => {
                let store = options
                    .store()
                    .map_err(|reason| CognitoError::from(core::Error::Configuration(reason)))?;
                core_config = core_config.with_store(Arc::new(store));
            }
            (None, None) => {}
        }
        Ok(Arc::new(Self {
            inner: core::Client::new(core_config)?,
        }))
    }

    /// Starts a sign-in (USER_SRP_AUTH; the password never leaves the device). When this device
    /// is remembered, Cognito skips MFA. Returns what the app must do next.
    pub async fn sign_in(
        &self,
        username: String,
        password: String,
    ) -> Result<SignInStep, CognitoError> {
        Ok(self.inner.sign_in(&username, password).await?.into())
    }

    /// `signIn` with the password as UTF-8 bytes, for apps that keep passwords out of
    /// immutable strings (a `CharArray` encoded into a `ByteArray` in Kotlin, `[UInt8]` /
    /// `Data` in Swift): clear your array after the call. The SDK's copy is wiped as soon as no
    /// step needs it. Not UTF-8: an `InvalidStepAnswer` error, and the bytes are wiped too.
    pub async fn sign_in_with_password_bytes(
        &self,
        username: String,
        password: Vec<u8>,
    ) -> Result<SignInStep, CognitoError> {
        let password = String::from_utf8(password).map_err(|e| {
            let mut bytes = e.into_bytes();
            zeroize::Zeroize::zeroize(&mut bytes);
            core::Error::InvalidStepAnswer("the password is not valid UTF-8".into())
        })?;
        Ok(self.inner.sign_in(&username, password).await?.into())
    }

    /// New ID and access tokens for `refreshToken` (with this device's key, so it works in
    /// pools that bind refresh tokens to devices). `username` is the one the sign-in returned.
    pub async fn refresh(
        &self,
        username: String,
        refresh_token: String,
    ) -> Result<Tokens, CognitoError> {
        Ok(self.inner.refresh(&username, &refresh_token).await?.into())
    }

    /// Finishes the confirmation of this device when a sign-in reported
    /// `pendingConfirmation`, with that session's tokens. Returns the device as stored
    /// afterwards, or null / nil when none is stored (or the server no longer knows it).
    pub async fn confirm_pending_device(
        &self,
        username: String,
        tokens: Tokens,
    ) -> Result<Option<LocalDevice>, CognitoError> {
        let tokens = core::Tokens::from(tokens);
        Ok(self
            .inner
            .confirm_pending_device(&username, &tokens)
            .await?
            .map(LocalDevice::from))
    }

    /// The user's devices as Cognito knows them (ListDevices, every page).
    pub async fn devices(&self, tokens: Tokens) -> Result<Vec<Device>, CognitoError> {
        let tokens = core::Tokens::from(tokens);
        let devices = self.inner.devices(&tokens).await?;
        Ok(devices.into_iter().map(Device::from).collect())
    }

    /// One device of the user (GetDevice).
    pub async fn device(&self, tokens: Tokens, device_key: String) -> Result<Device, CognitoError> {
        let tokens = core::Tokens::from(tokens);
        let key = core::DeviceKey::new(device_key);
        Ok(self.inner.device(&tokens, &key).await?.into())
    }

    /// Marks a device remembered (its sign-ins skip MFA) or not (UpdateDeviceStatus), and
    /// updates the local record when it is this device.
    pub async fn remember_device(
        &self,
        tokens: Tokens,
        username: String,
        device_key: String,
        status: RememberedStatus,
    ) -> Result<(), CognitoError> {
        let tokens = core::Tokens::from(tokens);
        Ok(self
            .inner
            .remember_device(
                &tokens,
                &username,
                &core::DeviceKey::new(device_key),
                status,
            )
            .await?)
    }

    /// Forgets a device on the server (ForgetDevice): `deviceKey`, or this device when null /
    /// nil, whose local secrets are then deleted too. The next sign-in asks for MFA again.
    pub async fn forget_device(
        &self,
        tokens: Tokens,
        username: String,
        device_key: Option<String>,
    ) -> Result<(), CognitoError> {
        let tokens = core::Tokens::from(tokens);
        Ok(self
            .inner
            .forget_device(
                &tokens,
                &username,
                device_key.map(core::DeviceKey::new).as_ref(),
            )
            .await?)
    }

    /// Removes this user's device secret and alias entries from this device now, without the
    /// network (the server keeps the device until it is forgotten there; the next sign-in
    /// answers MFA). `username` as typed or as the sign-in returned it. Returns whether an
    /// entry was found.
    pub async fn forget_device_locally(&self, username: String) -> Result<bool, CognitoError> {
        Ok(self.inner.forget_device_locally(&username).await?)
    }

    /// Removes every entry this SDK wrote to this client's store, for every user ("remove
    /// this account from this phone"); returns how many there were. Offline; the devices stay
    /// on the server.
    pub async fn remove_all_local_entries(&self) -> Result<u64, CognitoError> {
        let removed = self.inner.remove_all_local_entries().await?;
        Ok(u64::try_from(removed).unwrap_or(u64::MAX))
    }

    /// Signs out: this session (its refresh token is revoked; without one, `Misuse`) or every
    /// session of the user (GlobalSignOut). The remembered device stays remembered.
    pub async fn sign_out(&self, tokens: Tokens, scope: SignOutScope) -> Result<(), CognitoError> {
        let tokens = core::Tokens::from(tokens);
        Ok(self.inner.sign_out(&tokens, scope).await?)
    }

    /// This device as stored locally for `username`, or null / nil when there is none.
    pub async fn current_device(
        &self,
        username: String,
    ) -> Result<Option<LocalDevice>, CognitoError> {
        Ok(self
            .inner
            .current_device(&username)
            .await?
            .map(LocalDevice::from))
    }
}
