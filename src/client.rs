//! The app's entry point: configuration, `sign_in`, `refresh`, device management, `sign_out`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{AuthFlowType, DeviceRememberedStatusType};

use crate::error::Error;
use crate::flow::{self, SignInStep};
use crate::srp::{self, ClientSecret, Password, param};
use crate::store::record::{Lookup, now_seconds};
use crate::store::{DeviceRecords, DeviceState, KeychainStore, MemoryStore, SecretStore};
use crate::tokens::Tokens;
use crate::transport::{self, Failure, Retry, RoundTrips, TransportConfig, with_retry};
use crate::validate;

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
    /// `127.0.0.0/8`, `[::1]`), else [`Client::new`] fails with [`Error::Configuration`]: whoever
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
    /// [`ClientConfig::with_plain_http_for_tests`]: debug builds only.
    plain_http_for_tests: bool,
}

impl ClientConfig {
    /// A configuration with the defaults: no client secret, AWS's endpoint, a device name from
    /// the platform, the OS keychain as the device-secret store and a 10-second timeout.
    ///
    /// The keychain is only opened when a sign-in first needs it: building a configuration
    /// never fails, and a machine without a keychain (a headless Linux box with no Secret
    /// Service) makes that sign-in fail with [`Error::StoreUnavailable`] naming the fix,
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
            plain_http_for_tests: false,
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

/// A device as the server lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// The DeviceKey.
    pub device_key: String,
    /// The name given at ConfirmDevice (`device_name` attribute), if any.
    pub name: Option<String>,
    /// Whether the device is remembered (`dev:device_remembered_status`).
    pub remembered: Option<bool>,
    /// When it was last used to sign in.
    pub last_authenticated: Option<SystemTime>,
    /// All of the device's attributes.
    pub attributes: HashMap<String, String>,
}

impl Device {
    fn from_sdk(d: &cip::types::DeviceType) -> Self {
        let attributes: HashMap<String, String> = d
            .device_attributes()
            .iter()
            .map(|a| {
                (
                    a.name().to_owned(),
                    a.value().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        Self {
            device_key: d.device_key().unwrap_or_default().to_owned(),
            name: attributes.get("device_name").cloned(),
            remembered: attributes
                .get("dev:device_remembered_status")
                .map(|s| s == "remembered"),
            last_authenticated: d
                .device_last_authenticated_date()
                .and_then(|t| SystemTime::try_from(*t).ok()),
            attributes,
        }
    }
}

/// What this client holds locally for a user's device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalDevice {
    /// The DeviceKey.
    pub device_key: String,
    /// Whether ConfirmDevice is known to have succeeded (false: pending, see
    /// [`Client::confirm_pending_device`]).
    pub confirmed: bool,
    /// Whether the server held the device as remembered when this client last learnt it.
    pub remembered: bool,
    /// When it was confirmed (seconds since the epoch).
    pub confirmed_at: Option<u64>,
}

impl LocalDevice {
    pub(crate) fn from_record(record: &crate::store::DeviceRecord) -> Self {
        Self {
            device_key: record.device_key.clone(),
            confirmed: record.state == DeviceState::Confirmed,
            remembered: record.remembered,
            confirmed_at: record.confirmed_at,
        }
    }
}

pub(crate) struct Inner {
    /// Access tokens of sessions whose device is not yet confirmed (flow::pending).
    pub(crate) pending: crate::flow::pending::PendingTokens,
    /// Serialises the read-modify-write of device records that span network calls.
    pub(crate) record_lock: tokio::sync::Mutex<()>,
    pub(crate) sdk: cip::Client,
    pub(crate) user_pool_id: String,
    pub(crate) pool_name: String,
    pub(crate) client_id: String,
    pub(crate) client_secret: Option<ClientSecret>,
    pub(crate) device_name: String,
    pub(crate) records: DeviceRecords,
}

impl Inner {
    /// SECRET_HASH over `username`, when the client has a secret (docs/protocol.md 3).
    pub(crate) fn secret_hash(&self, username: &str) -> Option<String> {
        self.client_secret
            .as_ref()
            .map(|s| srp::secret_hash(s, username, &self.client_id))
    }
}

/// A Cognito user-pool client that remembers devices. Cheap to clone; share one per pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("user_pool_id", &self.inner.user_pool_id)
            .field("client_id", &self.inner.client_id)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `config`. Fails with [`Error::Configuration`], before any request, on a
    /// user pool id that is not of AWS's form `<region>_<name>` (`us-east-1_AbCdEf123`), an
    /// empty client id, or an endpoint that is not `https://` (plain `http://` only to this
    /// machine); and when the platform's TLS certificate verifier cannot be set up (on Android:
    /// the app context was not handed over, see the README).
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        Self::build(config, None)
    }

    /// Internal (fuzzing): a client whose calls go to `http` instead of the network. Exists
    /// only in builds run inside this repository (the `fuzzing` feature and the cfg
    /// `cognito_device_auth_internal`, see build.rs and .cargo/config.toml): a dependency of an
    /// app that turns the feature on does not get it.
    #[cfg(all(feature = "fuzzing", cognito_device_auth_internal))]
    #[doc(hidden)]
    pub fn with_http_client(
        config: ClientConfig,
        http: aws_smithy_runtime_api::client::http::SharedHttpClient,
    ) -> Result<Self, Error> {
        Self::build(config, Some(http))
    }

    fn build(
        config: ClientConfig,
        http: Option<aws_smithy_runtime_api::client::http::SharedHttpClient>,
    ) -> Result<Self, Error> {
        let pool = validate::user_pool_id(&config.user_pool_id)?;
        let (region, pool_name) = (pool.region.to_owned(), pool.name.to_owned());
        if config.client_id.is_empty() {
            return Err(Error::Configuration("the app client id is empty".into()));
        }
        if let Some(endpoint) = &config.endpoint {
            validate::endpoint(endpoint, config.plain_http_for_tests)?;
        }
        let sdk = transport::build_client(
            &TransportConfig {
                region,
                endpoint: config.endpoint.clone(),
                timeout: config.timeout,
                connect_timeout: config.timeout.min(Duration::from_secs(5)),
            },
            http,
        )?;
        let records = DeviceRecords::new(
            Arc::clone(&config.store),
            &config.user_pool_id,
            &config.client_id,
        );
        Ok(Self {
            inner: Arc::new(Inner {
                pending: Default::default(),
                record_lock: tokio::sync::Mutex::new(()),
                sdk,
                user_pool_id: config.user_pool_id,
                pool_name,
                client_id: config.client_id,
                client_secret: config.client_secret,
                device_name: config.device_name,
                records,
            }),
        })
    }

    /// Starts a USER_SRP_AUTH sign-in and returns the first step the app must answer (or
    /// [`SignInStep::Done`]). A remembered device of this user is proved on the way, so the
    /// MFA step does not appear.
    pub async fn sign_in(
        &self,
        username: &str,
        password: impl Into<Password>,
    ) -> Result<SignInStep, Error> {
        flow::start(Arc::clone(&self.inner), username, password.into()).await
    }

    /// New tokens from a refresh token. With device tracking on, Cognito requires the
    /// confirmed DeviceKey the token is bound to ("Invalid Refresh Token" otherwise,
    /// docs/protocol.md 4): the stored one for `username` is sent. A device whose confirmation is
    /// pending is confirmed first, with the access token of its session that this client kept
    /// (see [`Client::confirm_pending_device`]).
    ///
    /// Transient failures (a lost response, a reset, a 5xx) are retried at once: with refresh
    /// token rotation on, the server may already have rotated the token, and the old one works
    /// only within the app client's grace period (0 to 60 s). A rotated refresh token is in the
    /// result and replaces the old one; when the server issues a new device with the answer
    /// (NewDeviceMetadata), it is confirmed and stored as after a sign-in.
    pub async fn refresh(&self, username: &str, refresh_token: &str) -> Result<Tokens, Error> {
        let trips = RoundTrips::default();
        let inner = &self.inner;
        let pending = match flow::pending::finish(inner, &trips, username, None).await {
            Ok(device) => device.filter(|d| !d.confirmed),
            // Retry later: refreshing now could only fail for the same reason.
            Err(e) if e.is_retryable() => return Err(e),
            Err(e) => {
                tracing::warn!(error = %e, "could not finish the pending device confirmation");
                inner
                    .records
                    .find(username)
                    .await?
                    .found()
                    .filter(|r| r.state != DeviceState::Confirmed)
                    .map(|r| LocalDevice::from_record(&r))
            }
        };
        // The stored device, pending or confirmed: the token is bound to it.
        let (device_key, internal) = match inner.records.find(username).await? {
            Lookup::Found {
                record,
                account_user,
            } => (Some(record.device_key), account_user),
            // A device confirmed in this process whose secret could not be stored.
            _ => (inner.pending.unstored(username), username.to_owned()),
        };
        let newer = with_retry(Retry::Transient, &trips, || {
            let mut call = inner
                .sdk
                .get_tokens_from_refresh_token()
                .client_id(&inner.client_id)
                .refresh_token(refresh_token)
                .set_device_key(device_key.clone());
            if let Some(secret) = &inner.client_secret {
                call = call.client_secret(secret.expose());
            }
            async move { call.send().await.map_err(Failure::from) }
        })
        .await;
        let result = match newer {
            Ok(out) => out.authentication_result.ok_or_else(|| {
                Error::InvalidServerAnswer("GetTokensFromRefreshToken without a result".into())
            })?,
            Err(f) if is_unknown_operation(&f) => {
                // An endpoint that predates GetTokensFromRefreshToken: the older flow. Its
                // SECRET_HASH is over the user's internal name, never the alias typed.
                let mut parameters =
                    HashMap::from([("REFRESH_TOKEN".to_owned(), refresh_token.to_owned())]);
                if let Some(key) = &device_key {
                    parameters.insert(param::DEVICE_KEY.to_owned(), key.clone());
                }
                if let Some(hash) = inner.secret_hash(&internal) {
                    parameters.insert(param::SECRET_HASH.to_owned(), hash);
                }
                let out = with_retry(Retry::Transient, &trips, || {
                    let call = inner
                        .sdk
                        .initiate_auth()
                        .client_id(&inner.client_id)
                        .auth_flow(AuthFlowType::RefreshTokenAuth)
                        .set_auth_parameters(Some(parameters.clone()));
                    async move { call.send().await.map_err(Failure::from) }
                })
                .await?;
                out.authentication_result.ok_or_else(|| {
                    Error::InvalidServerAnswer("REFRESH_TOKEN_AUTH without a result".into())
                })?
            }
            // The confirmation may have reached the server, so the refresh was tried; it did not.
            Err(f) if pending.is_some() && f.code() == Some("NotAuthorizedException") => {
                let key = pending.map(|d| d.device_key).unwrap_or_default();
                return Err(Error::DevicePending(format!(
                    "Cognito refused the refresh token bound to device {key} ({}); call \
                     confirm_pending_device with this session's tokens while they are valid, \
                     then refresh, or sign in again",
                    f.message().unwrap_or("NotAuthorizedException")
                )));
            }
            Err(f) => return Err(f.into()),
        };
        let mut tokens = Tokens::from_result(&result)?;
        if tokens.refresh_token.is_none() {
            tokens.refresh_token = Some(refresh_token.to_owned());
        }
        if let Some(metadata) = result.new_device_metadata()
            && let (Some(key), Some(group)) = (metadata.device_key(), metadata.device_group_key())
        {
            // A new device for this session (no confirmed key was sent): confirm and store it,
            // so the next refresh sends it.
            let internal =
                crate::tokens::claim(&tokens.access_token, "username").unwrap_or(internal);
            let aliases = if internal != username {
                vec![username.to_owned()]
            } else {
                Vec::new()
            };
            let _guard = inner.record_lock.lock().await;
            if let flow::device::NewDevice::Failed { warning, .. } =
                flow::device::confirm_new_device(
                    inner, &trips, &tokens, &internal, aliases, key, group,
                )
                .await
            {
                tracing::warn!(%warning, "the device issued with the refresh could not be confirmed");
            }
        }
        Ok(tokens)
    }

    /// Finishes the confirmation of `username`'s device when it is pending
    /// ([`DeviceOutcome::pending_confirmation`](crate::DeviceOutcome)), with the access token
    /// of the session that device belongs to (still valid: it is the session's own device).
    /// Returns the device as stored afterwards: `confirmed` once ConfirmDevice succeeded (and
    /// `remembered` unless the pool asks the user: then [`Client::remember_device`]), or `None`
    /// when no device is stored or the server no longer knows it.
    pub async fn confirm_pending_device(
        &self,
        username: &str,
        tokens: &Tokens,
    ) -> Result<Option<LocalDevice>, Error> {
        flow::pending::finish(
            &self.inner,
            &RoundTrips::default(),
            username,
            Some(&tokens.access_token),
        )
        .await
    }

    /// Every device of the signed-in user (all pages of ListDevices).
    pub async fn devices(&self, tokens: &Tokens) -> Result<Vec<Device>, Error> {
        let trips = RoundTrips::default();
        let mut devices = Vec::new();
        let mut page: Option<String> = None;
        loop {
            let out = with_retry(Retry::Transient, &trips, || {
                let call = self
                    .inner
                    .sdk
                    .list_devices()
                    .access_token(&tokens.access_token)
                    .limit(60)
                    .set_pagination_token(page.clone());
                async move { call.send().await.map_err(Failure::from) }
            })
            .await?;
            devices.extend(out.devices().iter().map(Device::from_sdk));
            match out.pagination_token() {
                Some(next) if !next.is_empty() && page.as_deref() != Some(next) => {
                    page = Some(next.to_owned());
                }
                _ => return Ok(devices),
            }
        }
    }

    /// One device of the signed-in user.
    pub async fn device(&self, tokens: &Tokens, device_key: &str) -> Result<Device, Error> {
        let trips = RoundTrips::default();
        let out = with_retry(Retry::Transient, &trips, || {
            let call = self
                .inner
                .sdk
                .get_device()
                .access_token(&tokens.access_token)
                .device_key(device_key);
            async move { call.send().await.map_err(Failure::from) }
        })
        .await?;
        out.device()
            .map(Device::from_sdk)
            .ok_or_else(|| Error::InvalidServerAnswer("GetDevice without a device".into()))
    }

    /// Marks a device remembered (MFA skipped with it) or not (UpdateDeviceStatus), and
    /// updates the local record when it is this user's device.
    pub async fn remember_device(
        &self,
        tokens: &Tokens,
        username: &str,
        device_key: &str,
        remembered: bool,
    ) -> Result<(), Error> {
        flow::update_device_status(
            &self.inner,
            &RoundTrips::default(),
            tokens,
            device_key,
            remembered,
        )
        .await?;
        if let Lookup::Found {
            mut record,
            account_user,
        } = self.inner.records.find(username).await?
            && record.device_key == device_key
        {
            record.remembered = remembered;
            record.username = account_user;
            self.inner.records.save(&record).await?;
        }
        Ok(())
    }

    /// Forgets a device on the server: this device when `device_key` is `None` or this
    /// device's key (its local record is deleted too), or another of the user's devices.
    /// A device the server no longer knows counts as forgotten.
    pub async fn forget_device(
        &self,
        tokens: &Tokens,
        username: &str,
        device_key: Option<&str>,
    ) -> Result<(), Error> {
        let local = match self.inner.records.find(username).await? {
            Lookup::Found {
                account_user,
                record,
            } => Some((account_user, record)),
            _ => None,
        };
        let key = match (device_key, &local) {
            (Some(k), _) => k.to_owned(),
            (None, Some((_, record))) => record.device_key.clone(),
            (None, None) => {
                return Err(Error::InvalidStepAnswer(format!(
                    "no device is stored for {username}"
                )));
            }
        };
        flow::forget_on_server(
            &self.inner,
            &RoundTrips::default(),
            &tokens.access_token,
            &key,
        )
        .await?;
        if let Some((account_user, record)) = local
            && record.device_key == key
        {
            self.inner
                .records
                .delete(&account_user, &record.aliases)
                .await?;
        }
        Ok(())
    }

    /// Removes this user's device secret and alias entries from this machine now: the offline
    /// counterpart of [`Client::forget_device`], for when there is no network or no valid
    /// token. `username` is the name as typed or the internal name. Nothing is sent: the
    /// server keeps the device until the app forgets it there (the user's device list shows
    /// it), and the next sign-in on this machine answers MFA and gets a new device. Returns
    /// whether an entry was found; removing nothing is not an error.
    pub async fn forget_device_locally(&self, username: &str) -> Result<bool, Error> {
        let _records = self.inner.record_lock.lock().await;
        let names = [username.to_owned()];
        let (found, internal, device_key) = match self.inner.records.find(username).await? {
            Lookup::Found {
                account_user,
                record,
            } => {
                let aliases: Vec<String> = record.aliases.iter().chain(&names).cloned().collect();
                self.inner.records.delete(&account_user, &aliases).await?;
                (true, account_user, Some(record.device_key.clone()))
            }
            Lookup::Unreadable {
                account_user,
                device_key,
                ..
            } => {
                self.inner.records.delete(&account_user, &names).await?;
                (true, account_user, device_key)
            }
            Lookup::None => {
                self.inner.records.delete(username, &names).await?;
                (false, username.to_owned(), None)
            }
        };
        // What is kept in memory under either name goes too.
        self.inner.pending.forget(username, device_key.as_deref());
        self.inner.pending.forget(&internal, None);
        Ok(found)
    }

    /// Removes every entry this SDK wrote to this client's store, for every user pool, app
    /// client and user ("remove this account from this phone"), and returns how many there
    /// were. Offline, like [`Client::forget_device_locally`]; the devices stay on the server.
    /// [`store::remove_all_entries`](crate::store::remove_all_entries) does the same for a
    /// store without a client.
    pub async fn remove_all_local_entries(&self) -> Result<usize, Error> {
        let _records = self.inner.record_lock.lock().await;
        let removed = self.inner.records.remove_all().await?;
        self.inner.pending.forget_all();
        Ok(removed)
    }

    /// Signs out: everywhere (GlobalSignOut, all refresh tokens revoked) or only this session
    /// (RevokeToken of its refresh token). Device secrets are kept, so the next sign-in still
    /// skips MFA.
    pub async fn sign_out(&self, tokens: &Tokens, everywhere: bool) -> Result<(), Error> {
        let trips = RoundTrips::default();
        let inner = &self.inner;
        if everywhere {
            with_retry(Retry::Transient, &trips, || {
                let call = inner
                    .sdk
                    .global_sign_out()
                    .access_token(&tokens.access_token);
                async move { call.send().await.map(|_| ()).map_err(Failure::from) }
            })
            .await?;
        } else {
            let refresh = tokens.refresh_token.as_deref().ok_or_else(|| {
                Error::InvalidStepAnswer("signing out this session needs its refresh token".into())
            })?;
            with_retry(Retry::Transient, &trips, || {
                let mut call = inner
                    .sdk
                    .revoke_token()
                    .client_id(&inner.client_id)
                    .token(refresh);
                if let Some(secret) = &inner.client_secret {
                    call = call.client_secret(secret.expose());
                }
                async move { call.send().await.map(|_| ()).map_err(Failure::from) }
            })
            .await?;
        }
        Ok(())
    }

    /// The device stored for a user (by the name typed at sign-in or the internal name).
    pub async fn current_device(&self, username: &str) -> Result<Option<LocalDevice>, Error> {
        Ok(match self.inner.records.find(username).await? {
            Lookup::Found { record, .. } => Some(LocalDevice::from_record(&record)),
            _ => None,
        })
    }
}

fn is_unknown_operation(f: &Failure) -> bool {
    matches!(
        f.code(),
        Some("UnknownOperationException" | "UnknownOperation" | "InvalidAction")
    ) || f
        .message()
        .is_some_and(|m| m.contains("GetTokensFromRefreshToken") && m.contains("not"))
}

pub(crate) fn remembered_status(remembered: bool) -> DeviceRememberedStatusType {
    if remembered {
        DeviceRememberedStatusType::Remembered
    } else {
        DeviceRememberedStatusType::NotRemembered
    }
}

pub(crate) fn confirmed_now() -> Option<u64> {
    Some(now_seconds())
}
