//! The device record: one per (user pool, app client, internal user name), versioned JSON, and
//! an alias index from the names users type (an e-mail address, a phone number) to the internal
//! name (docs/protocol.md 5.1: data written under one name and read under another is the classic
//! cause of MFA on a "remembered" device).

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::accounts::{self, update_index};
use super::{SecretStore, StoreError};
use crate::ids::{DeviceGroupKey, DeviceKey, UserIdForSrp};
use crate::srp::DevicePassword;

/// The record format written today. Readers accept this version and any older one.
pub const RECORD_FORMAT_VERSION: u32 = 1;

/// Where a device stands with the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceState {
    /// The secret is stored but ConfirmDevice has not (known to have) succeeded: such a record
    /// is cleaned up on the next sign-in (forgotten on the server, deleted here).
    Pending,
    /// ConfirmDevice succeeded.
    Confirmed,
}

/// A device's secret and what the client needs to decide things.
/// Not `PartialEq`: it holds the device password (see [`DevicePassword`]).
#[derive(Clone)]
pub struct DeviceRecord {
    /// The internal user name the record belongs to (USER_ID_FOR_SRP): the name it is kept
    /// under.
    pub username: UserIdForSrp,
    /// NewDeviceMetadata.DeviceKey.
    pub device_key: DeviceKey,
    /// NewDeviceMetadata.DeviceGroupKey.
    pub device_group_key: DeviceGroupKey,
    /// The device password (secret).
    pub device_password: DevicePassword,
    /// Pending or confirmed.
    pub state: DeviceState,
    /// Whether the device is remembered (MFA is skipped with it).
    pub remembered: bool,
    /// When ConfirmDevice succeeded, seconds since the epoch.
    pub confirmed_at: Option<u64>,
    /// The typed names known to map to this user.
    pub aliases: Vec<String>,
}

impl std::fmt::Debug for DeviceRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceRecord")
            .field("username", &self.username)
            .field("device_key", &self.device_key)
            .field("device_group_key", &self.device_group_key)
            .field("device_password", &self.device_password)
            .field("state", &self.state)
            .field("remembered", &self.remembered)
            .field("confirmed_at", &self.confirmed_at)
            .field("aliases", &self.aliases)
            .finish()
    }
}

/// The serialised form. Field names are part of the format: never rename, only add optional
/// fields (and bump the version when a reader must know).
#[derive(Serialize, Deserialize)]
struct RecordV1 {
    v: u32,
    username: String,
    device_key: String,
    device_group_key: String,
    device_password: String,
    state: DeviceState,
    remembered: bool,
    #[serde(default)]
    confirmed_at: Option<u64>,
    #[serde(default)]
    aliases: Vec<String>,
}

impl Drop for RecordV1 {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.device_password);
    }
}

impl DeviceRecord {
    /// Serialises to the current format.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let v1 = RecordV1 {
            v: RECORD_FORMAT_VERSION,
            username: self.username.to_string(),
            device_key: self.device_key.to_string(),
            device_group_key: self.device_group_key.to_string(),
            device_password: self.device_password.expose().to_owned(),
            state: self.state,
            remembered: self.remembered,
            confirmed_at: self.confirmed_at,
            aliases: self.aliases.clone(),
        };
        Zeroizing::new(serde_json::to_vec(&v1).expect("a record always serialises"))
    }

    /// Parses any supported version. The error text never contains the bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        #[derive(Deserialize)]
        struct Version {
            v: u32,
        }
        let version: Version = serde_json::from_slice(bytes).map_err(|e| {
            format!(
                "not a device record (line {}, column {})",
                e.line(),
                e.column()
            )
        })?;
        match version.v {
            1 => {
                let mut v1: RecordV1 = serde_json::from_slice(bytes).map_err(|e| {
                    format!(
                        "malformed version-1 device record ({:?} error)",
                        e.classify()
                    )
                })?;
                Ok(Self {
                    username: UserIdForSrp::new(std::mem::take(&mut v1.username)),
                    device_key: DeviceKey::new(std::mem::take(&mut v1.device_key)),
                    device_group_key: DeviceGroupKey::new(std::mem::take(&mut v1.device_group_key)),
                    device_password: DevicePassword::new(std::mem::take(&mut v1.device_password)),
                    state: v1.state,
                    remembered: v1.remembered,
                    confirmed_at: v1.confirmed_at,
                    aliases: std::mem::take(&mut v1.aliases),
                })
            }
            other => Err(format!(
                "device record version {other} is newer than this SDK ({RECORD_FORMAT_VERSION})"
            )),
        }
    }

    /// A record of a new device, before ConfirmDevice: no user yet, not remembered.
    pub(crate) fn pending(
        device_key: &DeviceKey,
        device_group_key: &DeviceGroupKey,
        device_password: DevicePassword,
    ) -> Self {
        Self {
            username: UserIdForSrp::default(),
            device_key: device_key.clone(),
            device_group_key: device_group_key.clone(),
            device_password,
            state: DeviceState::Pending,
            remembered: false,
            confirmed_at: None,
            aliases: Vec::new(),
        }
    }

    /// Best effort: the DeviceKey of a record that does not parse, so the stale device can
    /// still be forgotten on the server.
    pub(crate) fn salvage_device_key(bytes: &[u8]) -> Option<DeviceKey> {
        // A DeviceKey is `<region>_<uuid>`: a key with any other character is not trusted.
        let key = match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(value) => value.get("device_key")?.as_str()?.to_owned(),
            // Not JSON any more (truncated, a stray byte): look for the field itself.
            Err(_) => {
                const FIELD: &[u8] = b"\"device_key\"";
                let start = bytes.windows(FIELD.len()).position(|w| w == FIELD)? + FIELD.len();
                let rest = bytes[start..].trim_ascii_start().strip_prefix(b":")?;
                let rest = rest.trim_ascii_start().strip_prefix(b"\"")?;
                let end = rest.iter().position(|b| *b == b'"')?;
                std::str::from_utf8(&rest[..end]).ok()?.to_owned()
            }
        };
        let plausible = !key.is_empty()
            && key.len() <= 64
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        plausible.then(|| DeviceKey::new(key))
    }
}

/// What a look-up found.
#[derive(Debug)]
pub(crate) enum Lookup {
    /// No record for this name.
    None,
    /// A record, read under `account_user` (the name to delete it under).
    Found {
        account_user: String,
        record: DeviceRecord,
    },
    /// Bytes that do not parse, under `account_user`.
    Unreadable {
        account_user: String,
        reason: String,
        device_key: Option<DeviceKey>,
    },
}

impl Lookup {
    /// The record, when one was found.
    pub(crate) fn found(self) -> Option<DeviceRecord> {
        match self {
            Self::Found { record, .. } => Some(record),
            _ => None,
        }
    }
}

/// The records of one (user pool, app client), over a [`SecretStore`]. Every store call runs
/// on the blocking thread pool.
#[derive(Clone)]
pub(crate) struct DeviceRecords {
    store: Arc<dyn SecretStore>,
    pool_id: String,
    client_id: String,
}

impl DeviceRecords {
    pub(crate) fn new(store: Arc<dyn SecretStore>, pool_id: &str, client_id: &str) -> Self {
        Self {
            store,
            pool_id: pool_id.to_owned(),
            client_id: client_id.to_owned(),
        }
    }

    /// The account of a user's record (a hash: no identifier in clear, see
    /// [`accounts`](super::accounts)).
    pub(crate) fn record_account(&self, username: &str) -> String {
        accounts::record_account(&self.pool_id, &self.client_id, username)
    }

    /// The account of an alias (a hash of the typed name).
    pub(crate) fn alias_account(&self, typed: &str) -> String {
        accounts::alias_account(&self.pool_id, &self.client_id, typed)
    }

    /// The record and alias accounts of `username` and `aliases`, in both namings. An alias
    /// equal to the user name has an entry only when `same_name_alias` (deletes: an entry
    /// left from another record's alias goes too).
    fn all_accounts(
        &self,
        username: &str,
        aliases: &[String],
        same_name_alias: bool,
    ) -> (Vec<String>, Vec<String>) {
        let (pool, client) = (&self.pool_id, &self.client_id);
        let mut current = vec![self.record_account(username)];
        let mut legacy = vec![accounts::legacy_record_account(pool, client, username)];
        for alias in aliases
            .iter()
            .filter(|a| same_name_alias || **a != username)
        {
            current.push(self.alias_account(alias));
            legacy.push(accounts::legacy_alias_account(pool, client, alias));
        }
        (current, legacy)
    }

    /// Runs `f` on the store off the async executor; a panicking store is an error.
    pub(crate) async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn SecretStore) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || {
            // A panicking app store becomes an error, never a crash.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(store.as_ref())))
                .unwrap_or_else(|_| Err(StoreError::Failed("the store panicked".to_owned())))
        })
        .await
        .map_err(|e| StoreError::Failed(format!("store task failed: {e}")))?
    }

    /// The record for a name as typed or as the internal name: first the record under the
    /// name itself, then through the alias index.
    pub(crate) async fn find(&self, name: &str) -> Result<Lookup, StoreError> {
        let direct = self.read_record(name).await?;
        if !matches!(direct, Lookup::None) {
            return Ok(direct);
        }
        let alias_account = self.alias_account(name);
        let legacy = accounts::legacy_alias_account(&self.pool_id, &self.client_id, name);
        let internal = match self
            .blocking(move |s| read_moving(s, &alias_account, &legacy))
            .await
        {
            Ok(bytes) => bytes.and_then(|bytes| String::from_utf8(bytes).ok()),
            // An undecryptable alias says nothing: as if absent (the record is found under
            // the internal name once the server names it, and the alias is written again).
            Err(StoreError::Unreadable(reason)) => {
                tracing::warn!(%reason, "an alias entry cannot be decrypted; ignored");
                None
            }
            Err(e) => return Err(e),
        };
        match internal {
            Some(internal) if internal != name => self.read_record(&internal).await,
            _ => Ok(Lookup::None),
        }
    }

    async fn read_record(&self, username: &str) -> Result<Lookup, StoreError> {
        let account = self.record_account(username);
        let legacy = accounts::legacy_record_account(&self.pool_id, &self.client_id, username);
        let bytes = match self
            .blocking(move |s| read_moving(s, &account, &legacy))
            .await
        {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Ok(Lookup::None),
            // Undecryptable (a restored backup without its key): a damaged record, replaced
            // after the sign-in like one whose bytes do not parse.
            Err(StoreError::Unreadable(reason)) => {
                return Ok(Lookup::Unreadable {
                    account_user: username.to_owned(),
                    reason,
                    device_key: None,
                });
            }
            Err(e) => return Err(e),
        };
        let bytes = Zeroizing::new(bytes);
        Ok(match DeviceRecord::from_bytes(&bytes) {
            Ok(record) => Lookup::Found {
                account_user: username.to_owned(),
                record,
            },
            Err(reason) => Lookup::Unreadable {
                account_user: username.to_owned(),
                reason,
                device_key: DeviceRecord::salvage_device_key(&bytes),
            },
        })
    }

    /// Writes a record under its user name, and an alias entry for each alias. The index names
    /// them first, so that [`accounts::remove_all_entries`] finds every entry ever written.
    pub(crate) async fn save(&self, record: &DeviceRecord) -> Result<(), StoreError> {
        let (written, _) = self.all_accounts(&record.username, &record.aliases, false);
        // Best effort: a store that cannot keep the index (Windows caps a credential at 2,560
        // bytes, about 60 names) still keeps the device; only the wipe of every entry misses it.
        let added = match self.blocking(move |s| update_index(s, &written, &[])).await {
            Ok(added) => added,
            Err(e) => {
                tracing::warn!(error = %e, "could not name the entries in the store's index");
                Vec::new()
            }
        };
        let account = self.record_account(&record.username);
        let bytes = record.to_bytes();
        if let Err(e) = self.blocking(move |s| s.write(&account, &bytes)).await {
            // Nothing was written: the index loses the names this save added, and only those.
            let _ = self.blocking(move |s| update_index(s, &[], &added)).await;
            return Err(e);
        }
        for alias in record.aliases.iter().filter(|a| **a != record.username) {
            let account = self.alias_account(alias);
            let username = record.username.to_string();
            self.blocking(move |s| s.write(&account, username.as_bytes()))
                .await?;
        }
        Ok(())
    }

    /// Removes every entry the index of this store names (all pools, clients and users).
    pub(crate) async fn remove_all(&self) -> Result<usize, StoreError> {
        self.blocking(accounts::remove_all_entries).await
    }

    /// Deletes the record read under `username` (and its aliases, when it could be read).
    pub(crate) async fn delete(
        &self,
        username: &str,
        aliases: &[String],
    ) -> Result<(), StoreError> {
        let (current, legacy) = self.all_accounts(username, aliases, true);
        let removed = current.clone();
        self.blocking(move |s| {
            for account in current.iter().chain(&legacy) {
                s.delete(account)?;
            }
            Ok(())
        })
        .await?;
        if let Err(e) = self.blocking(move |s| update_index(s, &[], &removed)).await {
            // A name left in the index is harmless: removing an absent entry succeeds.
            tracing::warn!(error = %e, "could not update the store's index");
        }
        Ok(())
    }
}

/// Reads `account`; when absent, reads the same entry under its first naming (`legacy`) and
/// moves it: written under `account` (named in the index), then deleted under `legacy`.
fn read_moving(
    store: &dyn SecretStore,
    account: &str,
    legacy: &str,
) -> Result<Option<Vec<u8>>, StoreError> {
    if let Some(bytes) = store.read(account)? {
        return Ok(Some(bytes));
    }
    let Some(bytes) = store.read(legacy)? else {
        return Ok(None);
    };
    if let Err(e) = update_index(store, &[account.to_owned()], &[]) {
        tracing::warn!(error = %e, "could not name a moved entry in the store's index");
    }
    store.write(account, &bytes)?;
    store.delete(legacy)?;
    Ok(Some(bytes))
}

/// Seconds since the epoch (0 for a clock before 1970).
pub(crate) fn now_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests;
