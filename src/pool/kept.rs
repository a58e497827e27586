//! What a client keeps in memory only, never in the store: access tokens of sessions whose
//! device is still pending (to finish its ConfirmDevice later, docs/protocol.md 5.6), and the
//! DeviceKeys of devices whose secret could not be stored at all (their sessions' refresh
//! tokens are bound to them). Tokens are wiped when dropped.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::SystemTime;

use zeroize::Zeroizing;

use super::lock;
use crate::ids::DeviceKey;
use crate::tokens::Tokens;

type TokensByDevice = HashMap<DeviceKey, (Zeroizing<String>, SystemTime)>;

#[derive(Default)]
pub(crate) struct Kept {
    /// Access tokens by DeviceKey, with their expiry.
    tokens: Mutex<TokensByDevice>,
    /// DeviceKeys of devices confirmed without a stored secret, by user name.
    unstored: Mutex<HashMap<String, DeviceKey>>,
}

impl Kept {
    /// Keeps the session's access token to finish the device's confirmation later.
    pub(crate) fn keep_token(&self, device_key: &DeviceKey, tokens: &Tokens) {
        lock(&self.tokens).insert(
            device_key.clone(),
            (
                Zeroizing::new(tokens.access_token.clone()),
                tokens.expires_at,
            ),
        );
    }

    /// A still-valid access token for `device_key`; expired ones are dropped.
    pub(crate) fn token(&self, device_key: &DeviceKey) -> Option<Zeroizing<String>> {
        let mut map = lock(&self.tokens);
        map.retain(|_, (_, expires)| *expires > SystemTime::now());
        map.get(device_key).map(|(token, _)| token.clone())
    }

    /// Drops the token kept for `device_key` (its confirmation is finished or moot).
    pub(crate) fn drop_token(&self, device_key: &DeviceKey) {
        lock(&self.tokens).remove(device_key);
    }

    /// Keeps the key of a device confirmed without a stored secret, under each name.
    pub(crate) fn keep_unstored(&self, names: &[&str], device_key: &DeviceKey) {
        let mut map = lock(&self.unstored);
        for name in names {
            map.insert((*name).to_owned(), device_key.clone());
        }
    }

    /// The key of a device confirmed without a stored secret, for refresh.
    pub(crate) fn unstored(&self, name: &str) -> Option<DeviceKey> {
        lock(&self.unstored).get(name).cloned()
    }

    /// Drops what is kept for `name` and its device (a local wipe).
    pub(crate) fn forget(&self, name: &str, device_key: Option<&DeviceKey>) {
        let unstored = lock(&self.unstored).remove(name);
        for key in device_key.into_iter().chain(unstored.as_ref()) {
            self.drop_token(key);
        }
    }

    /// Drops everything (a wipe of every local entry).
    pub(crate) fn forget_all(&self) {
        lock(&self.tokens).clear();
        lock(&self.unstored).clear();
    }
}
