//! The store of user pools, app clients, users and devices, plus the short-lived sign-in state
//! (challenge sessions, SECRET_BLOCKs) and the tokens handed out.
//!
//! Pools, users, devices and refresh tokens are serialisable (the `--state` file); challenge
//! sessions and the SMS outbox live only in memory.
//!
//! Layout: this module holds [`Store`]; `pool` the pools and app clients, `user` users
//! and devices, `signin` the state of sign-ins (challenge sessions, the SMS outbox, refresh
//! tokens and sign-in events).

mod pool;
mod signin;
mod user;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};

pub use pool::{AppClient, DeviceConfiguration, Pool};
pub use signin::{Origin, RefreshToken, Session, SmsMessage, Stage};
pub use user::{Device, User};

/// `true`, for serde defaults.
fn yes() -> bool {
    true
}

/// Seconds since the epoch, as a float (Cognito's date format on the wire).
pub fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// Everything the emulator knows.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Store {
    /// User pools by id.
    pub pools: BTreeMap<String, Pool>,
    /// Refresh tokens handed out, by token.
    #[serde(default)]
    pub refresh_tokens: HashMap<String, RefreshToken>,
    /// Sign-in events (origin_jti) and whether they were revoked.
    #[serde(default)]
    pub origins: HashMap<String, Origin>,
    /// The RS256 key, so tokens stay valid across restarts with `--state`.
    #[serde(default)]
    pub signing_key: Option<crate::jwt::KeyMaterial>,
    /// Pending challenges by Session.
    #[serde(skip)]
    pub sessions: HashMap<String, Session>,
    /// SECRET_BLOCK -> Session, so the verifier steps work without a Session.
    #[serde(skip)]
    pub secret_blocks: HashMap<String, String>,
    /// (pool, username, device key) -> Session waiting for DEVICE_SRP_AUTH.
    #[serde(skip)]
    pub pending_device_auth: HashMap<(String, String, String), String>,
    /// SMS messages sent, oldest first.
    #[serde(skip)]
    pub sms_outbox: Vec<SmsMessage>,
}

impl Store {
    /// A pool or `ResourceNotFoundException`.
    pub fn pool(&self, pool_id: &str) -> ApiResult<&Pool> {
        self.pools.get(pool_id).ok_or_else(|| {
            ApiError::resource_not_found(format!("User pool {pool_id} does not exist."))
        })
    }

    /// A pool, mutable.
    pub fn pool_mut(&mut self, pool_id: &str) -> ApiResult<&mut Pool> {
        self.pools.get_mut(pool_id).ok_or_else(|| {
            ApiError::resource_not_found(format!("User pool {pool_id} does not exist."))
        })
    }

    /// The pool that owns an app client, or `ResourceNotFoundException`.
    pub fn pool_of_client(&self, client_id: &str) -> ApiResult<&Pool> {
        self.pools
            .values()
            .find(|p| p.clients.contains_key(client_id))
            .ok_or_else(|| {
                ApiError::resource_not_found(format!(
                    "User pool client {client_id} does not exist."
                ))
            })
    }

    /// Drops expired challenge sessions.
    pub fn expire_sessions(&mut self, ttl: f64) {
        let cutoff = now() - ttl;
        self.sessions.retain(|_, s| s.created >= cutoff);
        let sessions = &self.sessions;
        self.secret_blocks.retain(|_, id| sessions.contains_key(id));
        self.pending_device_auth
            .retain(|_, id| sessions.contains_key(id));
    }
}
