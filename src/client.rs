//! The app's entry point: `sign_in`, `refresh`, device management, `sign_out`. Each method
//! is a thin door onto the module that does the work (`flow`, `refresh`, `devices`).

use std::sync::Arc;
use std::time::Duration;

use crate::clock::{Clock, ServerDate};
use crate::config::ClientConfig;
use crate::devices::{self, Device, LocalDevice, RememberedStatus};
use crate::error::Error;
use crate::flow::{self, SignInStep};
use crate::ids::DeviceKey;
use crate::pool::{Kept, Pool, SessionEvent, SessionState};
use crate::session::{self, Session, SignOut, SignOutReport, SignOutScope};
use crate::srp::Password;
use crate::store::DeviceRecords;
use crate::store::sessions::SessionEntries;
use crate::tokens::Tokens;
use crate::transport::{self, RoundTrips, TransportConfig};
use crate::validate;

/// A Cognito user-pool client that remembers devices. Cheap to clone; share one per pool.
#[derive(Clone)]
pub struct Client {
    pool: Arc<Pool>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("user_pool_id", &self.pool.user_pool_id)
            .field("client_id", &self.pool.client_id)
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
        let clock = Clock::new(config.clock_offset_for_tests);
        let (sdk, warmer) = transport::build_client(
            &TransportConfig {
                region,
                endpoint: config.endpoint.clone(),
                timeout: config.timeout,
                connect_timeout: config.timeout.min(Duration::from_secs(5)),
                server_date: ServerDate(Arc::clone(&clock)),
            },
            http,
        )?;
        let records = DeviceRecords::new(
            Arc::clone(&config.store),
            &config.user_pool_id,
            &config.client_id,
        );
        let entries = SessionEntries::new(records.clone(), &config.user_pool_id, &config.client_id);
        let sessions = SessionState::new(config.sessions, entries, Arc::clone(&clock));
        Ok(Self {
            pool: Arc::new(Pool {
                sdk,
                user_pool_id: config.user_pool_id,
                pool_name,
                client_id: config.client_id,
                client_secret: config.client_secret,
                device_name: config.device_name,
                records,
                kept: Kept::default(),
                record_lock: tokio::sync::Mutex::new(()),
                clock,
                sessions,
                device_trust: config.device_trust,
                warmer,
            }),
        })
    }

    /// Opens the connection to the user pool's endpoint (TCP, and TLS for `https://`) now, so
    /// that a sign-in started soon after spends its time on its own round trips only: call it
    /// while the user types. The connection stays open for the next calls (up to a minute
    /// idle). Sends no Cognito operation (a `GET /`); a failure is [`Error::Network`] and
    /// changes nothing (the sign-in connects as usual).
    pub async fn prepare(&self) -> Result<(), Error> {
        match &self.pool.warmer {
            Some(warmer) => warmer.warm().await,
            None => Ok(()),
        }
    }

    /// Starts a USER_SRP_AUTH sign-in and returns the first step the app must answer (or
    /// [`SignInStep::Done`]). A remembered device of this user is proved on the way, so the
    /// MFA step does not appear.
    pub async fn sign_in(
        &self,
        username: &str,
        password: impl Into<Password>,
    ) -> Result<SignInStep, Error> {
        flow::start(Arc::clone(&self.pool), username, password.into()).await
    }

    /// New tokens from a refresh token. With device tracking on, Cognito requires the
    /// confirmed DeviceKey the token is bound to ("Invalid Refresh Token" otherwise,
    /// docs/protocol.md 5.3): the stored one for `username` is sent. A device whose
    /// confirmation is pending is confirmed first, with the access token of its session that
    /// this client kept (see [`Client::confirm_pending_device`]).
    ///
    /// Transient failures (a lost response, a reset, a 5xx) are retried at once: with refresh
    /// token rotation on, the server may already have rotated the token, and the old one works
    /// only within the app client's grace period (0 to 60 s). A rotated refresh token is in the
    /// result and replaces the old one; when the server issues a new device with the answer
    /// (NewDeviceMetadata), it is confirmed and stored as after a sign-in.
    pub async fn refresh(&self, username: &str, refresh_token: &str) -> Result<Tokens, Error> {
        crate::refresh::refresh(&self.pool, username, refresh_token).await
    }

    /// Finishes the confirmation of `username`'s device when it is pending
    /// ([`DeviceOutcome::pending_confirmation`](crate::DeviceOutcome)), with the access token
    /// of the session that device belongs to (still valid: it is the session's own device).
    /// Returns the device as stored afterwards: `confirmed` once ConfirmDevice succeeded (and
    /// `remembered` unless the pool asks the user: then [`Client::remember_device`]), or `None`
    /// when no device is stored or the server no longer knows it. Tokens of another session
    /// are [`Error::Misuse`].
    pub async fn confirm_pending_device(
        &self,
        username: &str,
        tokens: &Tokens,
    ) -> Result<Option<LocalDevice>, Error> {
        let trips = RoundTrips::default();
        devices::pending::finish(&self.pool, &trips, username, Some(&tokens.access_token)).await
    }

    /// Every device of the signed-in user (all pages of ListDevices).
    pub async fn devices(&self, tokens: &Tokens) -> Result<Vec<Device>, Error> {
        devices::list(&self.pool, tokens).await
    }

    /// One device of the signed-in user.
    pub async fn device(&self, tokens: &Tokens, device_key: &DeviceKey) -> Result<Device, Error> {
        devices::get(&self.pool, &RoundTrips::default(), tokens, device_key)
            .await?
            .ok_or_else(|| Error::InvalidServerAnswer("GetDevice answered with no device".into()))
    }

    /// Marks a device remembered (MFA skipped with it) or not (UpdateDeviceStatus), and
    /// updates the local record when it is this user's device.
    pub async fn remember_device(
        &self,
        tokens: &Tokens,
        username: &str,
        device_key: &DeviceKey,
        status: RememberedStatus,
    ) -> Result<(), Error> {
        let trips = RoundTrips::default();
        devices::update_status(&self.pool, &trips, tokens, device_key, status).await?;
        devices::store_status(&self.pool, username, device_key, status).await
    }

    /// Forgets a device on the server: this device when `device_key` is `None` or this
    /// device's key (its local record is deleted too), or another of the user's devices.
    /// A device the server no longer knows counts as forgotten. `None` when no device is
    /// stored for `username` is [`Error::Misuse`].
    pub async fn forget_device(
        &self,
        tokens: &Tokens,
        username: &str,
        device_key: Option<&DeviceKey>,
    ) -> Result<(), Error> {
        devices::forget(&self.pool, tokens, username, device_key).await
    }

    /// Removes this user's device secret and alias entries from this machine now: the offline
    /// counterpart of [`Client::forget_device`], for when there is no network or no valid
    /// token. `username` is the name as typed or the internal name. Nothing is sent: the
    /// server keeps the device until the app forgets it there (the user's device list shows
    /// it), and the next sign-in on this machine answers MFA and gets a new device. Returns
    /// whether an entry was found; removing nothing is not an error.
    pub async fn forget_device_locally(&self, username: &str) -> Result<bool, Error> {
        devices::forget_locally(&self.pool, username).await
    }

    /// Removes every entry this SDK wrote to this client's store, for every user pool, app
    /// client and user ("remove this account from this phone"), and returns how many there
    /// were. Offline, like [`Client::forget_device_locally`]; the devices stay on the server.
    /// [`store::remove_all_entries`](crate::store::remove_all_entries) does the same for a
    /// store without a client.
    pub async fn remove_all_local_entries(&self) -> Result<usize, Error> {
        devices::remove_all_locally(&self.pool).await
    }

    /// The device stored for a user (by the name typed at sign-in or the internal name).
    pub async fn current_device(&self, username: &str) -> Result<Option<LocalDevice>, Error> {
        devices::current(&self.pool, username).await
    }

    /// Signs out: only this session (RevokeToken of its refresh token; without one,
    /// [`Error::Misuse`]) or everywhere (GlobalSignOut, all refresh tokens revoked). Device
    /// secrets are kept, so the next sign-in still skips MFA. With kept sessions,
    /// [`Client::end_session`] also clears what this device holds.
    pub async fn sign_out(&self, tokens: &Tokens, scope: SignOutScope) -> Result<(), Error> {
        session::revoke(&self.pool, tokens, scope).await
    }

    /// Tokens of the kept session of `username` (as typed at sign-in, or the internal name;
    /// `None`: the user who signed in last), valid for at least
    /// [`SessionConfig::min_validity`](crate::SessionConfig), refreshed first when they are
    /// not. Works in a fresh process: the session is in the store.
    ///
    /// Any number of concurrent callers share one refresh. A refresh refused because another
    /// process sharing the store (an app extension) rotated the token takes that process's
    /// token instead. Only a final answer ends the session ([`Error::SessionEnded`], the kept
    /// session removed, the device secret kept); a network error, throttling, a 5xx or a
    /// locked store keep everything and are [retryable](Error::is_retryable). A rotated
    /// refresh token is written to the store before any token is handed out.
    ///
    /// [`Error::NoSession`] when none is kept; [`Error::Misuse`] when the client was not
    /// configured with [`ClientConfig::with_sessions`].
    pub async fn session(&self, username: Option<&str>) -> Result<Session, Error> {
        session::session(&self.pool, username, None).await
    }

    /// [`Client::session`] with tokens valid for at least `min_validity` (for a long upload,
    /// say). A margin longer than the tokens' lifetime refreshes once: callers that waited for
    /// that refresh take its tokens.
    pub async fn session_valid_for(
        &self,
        username: Option<&str>,
        min_validity: Duration,
    ) -> Result<Session, Error> {
        session::session(&self.pool, username, Some(min_validity)).await
    }

    /// Signs the kept session out ([`SignOut`]): cleared on this device at once, then the
    /// server asked (ForgetDevice when asked, then RevokeToken or GlobalSignOut). Offline, the
    /// report says the server's part is not done and holds the tokens to finish it.
    pub async fn end_session(
        &self,
        username: Option<&str>,
        how: SignOut,
    ) -> Result<SignOutReport, Error> {
        session::sign_out(&self.pool, username, how).await
    }

    /// Sign-ins, refreshes, sign-outs and ended sessions of this client, as they happen. A
    /// receiver that falls more than 64 events behind misses the oldest
    /// (`RecvError::Lagged`).
    pub fn session_events(&self) -> tokio::sync::broadcast::Receiver<SessionEvent> {
        self.pool.sessions.subscribe()
    }
}
