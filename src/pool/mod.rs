//! What the client, the sign-in and device management share about one app client of one user
//! pool: the AWS SDK client, the ids, SECRET_HASH, the device records and what is kept in
//! memory. It sits below all three, so none of them reaches up into another for it.

mod kept;
mod sessions;

use aws_sdk_cognitoidentityprovider as cip;

use crate::srp::{self, ClientSecret};
use crate::store::DeviceRecords;

pub(crate) use kept::Kept;

/// Locks `m`; a panic while it was held cannot leave the maps it guards half-written.
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
pub(crate) use sessions::{Held, SessionState, UserGate};
pub use sessions::{SessionConfig, SessionEndReason, SessionEvent};

/// One app client of one user pool, as this process talks to it.
pub(crate) struct Pool {
    /// The official AWS SDK client (our HTTPS transport, no retries of its own).
    pub(crate) sdk: cip::Client,
    pub(crate) user_pool_id: String,
    /// The part after `_`: the SRP realm and the otpauth issuer.
    pub(crate) pool_name: String,
    pub(crate) client_id: String,
    pub(crate) client_secret: Option<ClientSecret>,
    /// The name ConfirmDevice gives new devices.
    pub(crate) device_name: String,
    /// Device secrets, in the app's store.
    pub(crate) records: DeviceRecords,
    /// What this client keeps in memory only (access tokens of pending devices).
    pub(crate) kept: Kept,
    /// Serialises the read-modify-write of device records that span network calls.
    pub(crate) record_lock: tokio::sync::Mutex<()>,
    /// This machine's clock and the server's estimated offset.
    pub(crate) clock: std::sync::Arc<crate::clock::Clock>,
    /// Kept sessions.
    pub(crate) sessions: SessionState,
    /// How long a remembered device is trusted, if not for as long as the server keeps it.
    pub(crate) device_trust: Option<std::time::Duration>,
    /// Opens the connection ahead of the calls (`Client::prepare`); none with a replaced HTTP
    /// client.
    pub(crate) warmer: Option<crate::transport::Warmer>,
}

impl Pool {
    /// SECRET_HASH over `username`, when the client has a secret (docs/protocol.md 3).
    pub(crate) fn secret_hash(&self, username: &str) -> Option<String> {
        self.client_secret
            .as_ref()
            .map(|s| srp::secret_hash(s, username, &self.client_id))
    }
}
