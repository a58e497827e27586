//! Kept sessions: one entry per (user pool, app client, internal user name) holding the tokens
//! of the user's session, versioned JSON like the device record, in the same store (the
//! keychain or the app's own), plus an entry naming the user whose session is the current one.
//!
//! The store is the truth between processes: an app and its extension sharing one keychain
//! read what the other wrote (a rotated refresh token) instead of signing the user out.

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use super::StoreError;
use super::accounts::{self, update_index};
use super::record::{DeviceRecords, Lookup};

/// The session format written today. Readers accept this version and any older one.
pub const SESSION_FORMAT_VERSION: u32 = 1;

/// A kept session. Secrets: wiped on drop, never printed.
#[derive(Clone, Serialize, Deserialize, Zeroize)]
#[zeroize(drop)]
pub(crate) struct SessionRecord {
    /// Format version.
    pub(crate) v: u32,
    /// The internal user name (the name the entry is kept under).
    pub(crate) username: String,
    /// The app client the tokens were issued to: a session of another client is never used
    /// (a reconfigured app must not refresh with the old client's token).
    pub(crate) client_id: String,
    pub(crate) id_token: String,
    pub(crate) access_token: String,
    pub(crate) refresh_token: String,
    /// When the access and ID tokens expire, seconds since the epoch on the server's clock.
    pub(crate) expires_at: i64,
    /// When the refresh token expires, on the server's clock, when the app told the SDK the
    /// app client's refresh token validity. A rotated token keeps the original's.
    #[serde(default)]
    pub(crate) ends_at: Option<i64>,
    /// The DeviceKey the tokens are bound to (refreshes must send it).
    #[serde(default)]
    pub(crate) device_key: Option<String>,
    /// The names the user typed to sign in to this session.
    #[serde(default)]
    pub(crate) aliases: Vec<String>,
    /// When the user signed in (seconds since the epoch, server clock).
    #[serde(default)]
    pub(crate) signed_in_at: i64,
    /// The server's clock minus this machine's, in seconds, when the tokens arrived: a fresh
    /// process decides on expiry with it before any answer told it the offset.
    #[serde(default)]
    pub(crate) skew: Option<i64>,
}

impl std::fmt::Debug for SessionRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRecord")
            .field("username", &self.username)
            .field("client_id", &self.client_id)
            .field("tokens", &"[redacted]")
            .field("expires_at", &self.expires_at)
            .field("ends_at", &self.ends_at)
            .field("device_key", &self.device_key)
            .finish_non_exhaustive()
    }
}

impl SessionRecord {
    fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(serde_json::to_vec(self).expect("a session always serialises"))
    }

    /// Parses any supported version; the error never contains the bytes.
    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        #[derive(Deserialize)]
        struct Version {
            v: u32,
        }
        let version: Version = serde_json::from_slice(bytes)
            .map_err(|e| format!("not a session (line {}, column {})", e.line(), e.column()))?;
        match version.v {
            1 => serde_json::from_slice(bytes)
                .map_err(|e| format!("malformed version-1 session ({:?} error)", e.classify())),
            other => Err(format!(
                "session version {other} is newer than this SDK ({SESSION_FORMAT_VERSION})"
            )),
        }
    }
}

/// The kept sessions of one (user pool, app client).
pub(crate) struct SessionEntries {
    records: DeviceRecords,
    pool_id: String,
    client_id: String,
}

impl SessionEntries {
    pub(crate) fn new(records: DeviceRecords, pool_id: &str, client_id: &str) -> Self {
        Self {
            records,
            pool_id: pool_id.to_owned(),
            client_id: client_id.to_owned(),
        }
    }

    fn account(&self, username: &str) -> String {
        accounts::session_account(&self.pool_id, &self.client_id, username)
    }

    fn current_account(&self) -> String {
        accounts::current_session_account(&self.pool_id, &self.client_id)
    }

    /// The session kept for the internal name `username`. An entry that cannot be read (its
    /// key is gone, a damaged entry) is no session: the user signs in again, nothing is lost
    /// that the server still holds.
    pub(crate) async fn read(&self, username: &str) -> Result<Option<SessionRecord>, StoreError> {
        let account = self.account(username);
        let bytes = match self.records.blocking(move |s| s.read(&account)).await {
            Ok(Some(bytes)) => Zeroizing::new(bytes),
            Ok(None) => return Ok(None),
            Err(StoreError::Unreadable(reason)) => {
                tracing::warn!(%reason, "a kept session cannot be decrypted; ignored");
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        match SessionRecord::from_bytes(&bytes) {
            Ok(record) if record.client_id == self.client_id && record.username == username => {
                Ok(Some(record))
            }
            Ok(_) => Ok(None),
            Err(reason) => {
                tracing::warn!(%reason, "a kept session cannot be parsed; ignored");
                Ok(None)
            }
        }
    }

    /// Writes the session (named in the index first); `make_current` (a sign-in, not a
    /// refresh) makes it the current one.
    pub(crate) async fn write(
        &self,
        record: &SessionRecord,
        make_current: bool,
    ) -> Result<(), StoreError> {
        let (account, current) = (self.account(&record.username), self.current_account());
        let named = vec![account.clone(), current.clone()];
        self.records
            .blocking(move |s| update_index(s, &named, &[]).map(|_| ()))
            .await?;
        let bytes = record.to_bytes();
        self.records
            .blocking(move |s| s.write(&account, &bytes))
            .await?;
        if !make_current {
            return Ok(());
        }
        let username = record.username.clone();
        self.records
            .blocking(move |s| s.write(&current, username.as_bytes()))
            .await
    }

    /// Deletes the session of `username`, and the current-user entry when it names them.
    pub(crate) async fn delete(&self, username: &str) -> Result<(), StoreError> {
        let (account, current) = (self.account(username), self.current_account());
        let name = username.to_owned();
        self.records
            .blocking(move |s| {
                s.delete(&account)?;
                let mut removed = vec![account];
                if s.read(&current)?.is_some_and(|c| c == name.as_bytes()) {
                    s.delete(&current)?;
                    removed.push(current);
                }
                update_index(s, &[], &removed).map(|_| ())
            })
            .await
    }

    /// The internal name of the user whose session is current, if any.
    pub(crate) async fn current(&self) -> Result<Option<String>, StoreError> {
        let account = self.current_account();
        match self.records.blocking(move |s| s.read(&account)).await {
            Ok(bytes) => Ok(bytes.and_then(|b| String::from_utf8(b).ok())),
            Err(StoreError::Unreadable(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The internal name of the session for `name` (the internal name, or a name the user
    /// typed: the device records' alias entries, then the current session's aliases).
    pub(crate) async fn resolve(&self, name: &str) -> Result<Option<String>, StoreError> {
        if self.read(name).await?.is_some() {
            return Ok(Some(name.to_owned()));
        }
        if let Lookup::Found { record, .. } = self.records.find(name).await?
            && self.read(&record.username).await?.is_some()
        {
            return Ok(Some(record.username.to_string()));
        }
        let Some(current) = self.current().await? else {
            return Ok(None);
        };
        Ok(self
            .read(&current)
            .await?
            .filter(|r| r.aliases.iter().any(|a| a == name))
            .map(|_| current))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> SessionRecord {
        SessionRecord {
            v: SESSION_FORMAT_VERSION,
            username: "4f1c-uuid".into(),
            client_id: "client".into(),
            id_token: "id.secret-token".into(),
            access_token: "access.secret-token".into(),
            refresh_token: "refresh-secret-token".into(),
            expires_at: 1_800_000_000,
            ends_at: Some(1_900_000_000),
            device_key: Some("us-east-1_d".into()),
            aliases: vec!["alice@example.com".into()],
            signed_in_at: 1_799_996_400,
            skew: Some(-600),
        }
    }

    #[test]
    fn a_session_round_trips_and_never_prints_a_token() {
        let bytes = record().to_bytes();
        let back = SessionRecord::from_bytes(&bytes).unwrap();
        assert_eq!(back.refresh_token, "refresh-secret-token");
        assert_eq!(back.skew, Some(-600));
        assert_eq!(back.aliases, vec!["alice@example.com".to_owned()]);
        let printed = format!("{back:?}");
        assert!(!printed.contains("secret-token"), "{printed}");
    }

    #[test]
    fn the_first_format_reads_without_the_later_fields_and_a_newer_one_is_refused() {
        // Version 1 as first written: no ends_at, device_key, aliases, signed_in_at or skew.
        let first = br#"{"v":1,"username":"u","client_id":"c","id_token":"i","access_token":"a",
            "refresh_token":"r","expires_at":5}"#;
        let read = SessionRecord::from_bytes(first).unwrap();
        assert_eq!(
            (read.ends_at, read.skew, read.device_key.clone()),
            (None, None, None)
        );
        let newer = br#"{"v":2,"username":"u"}"#;
        let e = SessionRecord::from_bytes(newer).unwrap_err();
        assert!(e.contains("newer"), "{e}");
        let garbage = SessionRecord::from_bytes(b"refresh-secret-token").unwrap_err();
        assert!(!garbage.contains("secret"), "{garbage}");
    }

    #[test]
    fn session_account_names_are_fixed_and_carry_no_identifier() {
        // Fixed forever: a change would sign every user out.
        assert_eq!(
            accounts::session_account("us-east-1_Pool", "client", "jane"),
            "session:908b8497ca1c79a8fe18f99160c974de"
        );
    }
}
