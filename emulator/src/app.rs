//! The shared state of a running emulator: the store, the signing key, the configuration and the
//! fault plan.

use std::sync::{Mutex, MutexGuard, OnceLock};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::{Rng, RngCore};

use crate::EmulatorConfig;
use crate::faults::Faults;
use crate::fidelity::Fidelity;
use crate::jwt::SigningKey;
use crate::store::Store;

/// State shared by every request.
#[derive(Debug)]
pub struct App {
    /// Pools, users, devices, sessions.
    pub store: Mutex<Store>,
    /// The RS256 key of all pools.
    pub key: std::sync::Arc<SigningKey>,
    /// Settings.
    pub config: EmulatorConfig,
    /// `http://host:port`, known once bound.
    pub endpoint: OnceLock<String>,
    /// Injected failures.
    pub faults: Faults,
    /// The switches in force (starts as `config.fidelity`; `/_emulator/fidelity` changes it).
    pub fidelity: Mutex<Fidelity>,
    /// Calls received, by operation (`GET /_emulator/calls`): what a test counts at the server.
    pub calls: Mutex<std::collections::BTreeMap<String, u64>>,
}

impl App {
    /// Counts one call of `operation`.
    pub fn count_call(&self, operation: &str) {
        let mut calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        *calls.entry(operation.to_owned()).or_default() += 1;
    }

    /// How many calls of `operation` arrived (faulted ones included).
    pub fn call_count(&self, operation: &str) -> u64 {
        let calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        calls.get(operation).copied().unwrap_or(0)
    }

    /// Locks the store; a poisoned lock (a panic elsewhere) is recovered, never propagated.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The endpoint URL (issuer prefix).
    pub fn endpoint(&self) -> &str {
        self.endpoint
            .get()
            .map(String::as_str)
            .unwrap_or("http://localhost")
    }

    /// The switches in force now.
    pub fn fidelity(&self) -> Fidelity {
        *self.fidelity.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Changes switches from a JSON object of NAME: VALUE; nothing changes on an error.
    pub fn set_fidelity(&self, object: &serde_json::Value) -> Result<Fidelity, String> {
        let mut guard = self.fidelity.lock().unwrap_or_else(|p| p.into_inner());
        let mut next = *guard;
        next.apply_json(object)?;
        *guard = next;
        Ok(next)
    }

    /// Seconds a challenge Session / SECRET_BLOCK stays valid.
    pub fn session_ttl(&self) -> f64 {
        self.config.session_ttl.as_secs_f64()
    }
}

std::thread_local! {
    /// The address of the caller of the operation this thread runs (see [`with_peer`]).
    static PEER: std::cell::RefCell<Option<std::net::IpAddr>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` (one operation) with `peer` as the caller's address, for `last_ip_used`.
pub fn with_peer<R>(peer: Option<std::net::IpAddr>, f: impl FnOnce() -> R) -> R {
    PEER.with(|p| *p.borrow_mut() = peer);
    let out = f();
    PEER.with(|p| *p.borrow_mut() = None);
    out
}

/// The caller's address of the operation running on this thread, if known.
pub fn peer_ip() -> Option<String> {
    PEER.with(|p| p.borrow().map(|ip| ip.to_string()))
}

/// Random base64 of `n` bytes (Sessions, SECRET_BLOCKs, refresh tokens).
pub fn random_b64(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut bytes);
    STANDARD.encode(bytes)
}

/// Random string over `alphabet`.
pub fn random_from(alphabet: &[u8], n: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..n)
        .map(|_| alphabet[rng.gen_range(0..alphabet.len())] as char)
        .collect()
}

/// Letters and digits.
/// A new DeviceGroupKey (one per user; the switch `device-group-key-per-device` gives one per
/// device).
pub fn new_device_group_key() -> String {
    format!("-{}", random_from(ALNUM, 9))
}

pub const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A six-digit code.
pub fn six_digits() -> String {
    format!("{:06}", rand::thread_rng().gen_range(0..1_000_000))
}
