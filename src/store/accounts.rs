//! The account names entries are stored under, and the index of every entry this SDK wrote.
//!
//! Account names are visible where the secrets are not: Secret Service attributes and labels
//! (any process of the session can search them), Android preference keys, the Windows
//! credential's target name. So they carry no e-mail address, phone number, user name, pool or
//! client id: each is a hash of (user pool, app client, name).
//!
//! - record: `device:<h>`, h = the first 32 hex digits of
//!   SHA-256("cognito-device-auth/device" 0 pool 0 client 0 internal user name);
//! - alias: `alias:<h>`, the same over the name the user typed;
//! - index: `index`, a JSON list of the accounts above, so that every entry can be removed
//!   without a way to list a store's contents (app stores have none).
//!
//! Entries written under the first naming (`device:<pool>:<client>:<name>`,
//! `alias:<pool>:<client>:<typed>`) are moved to the hashed names when next read.

use std::collections::BTreeSet;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use super::{SecretStore, StoreError};

/// The account of the index of every entry this SDK wrote to a store.
pub const INDEX_ACCOUNT: &str = "index";

/// Serialises the index's read-modify-write within this process.
static INDEX_LOCK: Mutex<()> = Mutex::new(());

fn hashed(kind: &str, pool_id: &str, client_id: &str, name: &str) -> String {
    let mut hash = Sha256::new();
    for part in [
        format!("cognito-device-auth/{kind}").as_str(),
        pool_id,
        client_id,
        name,
    ] {
        hash.update(part.as_bytes());
        hash.update([0u8]);
    }
    let digest = hash.finalize();
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{kind}:{hex}")
}

/// The account of a user's device record in a store: `device:` and a hash of the user pool,
/// the app client and the internal user name (no identifier in clear).
pub fn record_account(pool_id: &str, client_id: &str, username: &str) -> String {
    hashed("device", pool_id, client_id, username)
}

/// The account of an alias entry (a typed name to the internal name): `alias:` and a hash.
pub fn alias_account(pool_id: &str, client_id: &str, typed: &str) -> String {
    hashed("alias", pool_id, client_id, typed)
}

/// The account of a user's kept session: `session:` and a hash of the user pool, the app
/// client and the internal user name.
pub fn session_account(pool_id: &str, client_id: &str, username: &str) -> String {
    hashed("session", pool_id, client_id, username)
}

/// The account naming the user whose session this (user pool, app client) uses when the app
/// names none: `session-user:` and a hash of the pool and client.
pub fn current_session_account(pool_id: &str, client_id: &str) -> String {
    hashed("session-user", pool_id, client_id, "")
}

/// The record account of the first naming, read once to move it (see the module docs).
pub(crate) fn legacy_record_account(pool_id: &str, client_id: &str, username: &str) -> String {
    format!("device:{pool_id}:{client_id}:{username}")
}

/// The alias account of the first naming.
pub(crate) fn legacy_alias_account(pool_id: &str, client_id: &str, typed: &str) -> String {
    format!("alias:{pool_id}:{client_id}:{typed}")
}

fn read_index(store: &dyn SecretStore) -> Result<BTreeSet<String>, StoreError> {
    match store.read(INDEX_ACCOUNT) {
        Ok(Some(bytes)) => Ok(serde_json::from_slice(&bytes).unwrap_or_else(|_| {
            tracing::warn!("the store's index of entries is damaged; starting a new one");
            BTreeSet::new()
        })),
        Ok(None) => Ok(BTreeSet::new()),
        Err(StoreError::Unreadable(reason)) => {
            tracing::warn!(%reason, "the store's index cannot be decrypted; starting a new one");
            Ok(BTreeSet::new())
        }
        Err(e) => Err(e),
    }
}

/// Adds `add` to and removes `remove` from the index (one read-modify-write under a lock);
/// returns the names it added that were not there before (what a rollback may remove).
pub(crate) fn update_index(
    store: &dyn SecretStore,
    add: &[String],
    remove: &[String],
) -> Result<Vec<String>, StoreError> {
    let _order = INDEX_LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let mut index = read_index(store)?;
    let before = index.clone();
    let added: Vec<String> = add
        .iter()
        .filter(|a| index.insert((*a).clone()))
        .cloned()
        .collect();
    for account in remove {
        index.remove(account);
    }
    if index == before {
        return Ok(added);
    }
    if index.is_empty() {
        store.delete(INDEX_ACCOUNT)?;
    } else {
        let bytes = serde_json::to_vec(&index).expect("a set of strings serialises");
        store.write(INDEX_ACCOUNT, &bytes)?;
    }
    Ok(added)
}

/// Removes every entry this SDK wrote to `store` (all user pools, app clients and users), then
/// the index; returns how many entries the index named. For "remove this account from this
/// phone": nothing is sent to the server (its devices stay until forgotten there).
pub fn remove_all_entries(store: &dyn SecretStore) -> Result<usize, StoreError> {
    let _order = INDEX_LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let index = read_index(store)?;
    for account in &index {
        store.delete(account)?;
    }
    store.delete(INDEX_ACCOUNT)?;
    Ok(index.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    #[test]
    fn account_names_carry_no_identifier_and_differ_per_pool_client_and_name() {
        let names = [
            record_account("us-east-1_Pool", "client", "jane@example.com"),
            record_account("us-east-1_Pool", "client", "+15555550100"),
            record_account("us-east-1_Pool", "other", "jane@example.com"),
            record_account("us-east-1_Other", "client", "jane@example.com"),
            alias_account("us-east-1_Pool", "client", "jane@example.com"),
        ];
        for name in &names {
            for clear in ["jane", "example", "5555", "us-east-1", "Pool", "client"] {
                assert!(!name.contains(clear), "{name} contains {clear}");
            }
            assert!(name.len() < 40, "{name}");
        }
        let distinct: BTreeSet<_> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
        // Fixed forever: a change would orphan every stored device (MFA for every user).
        assert_eq!(
            record_account("us-east-1_Pool", "client", "jane"),
            "device:6abcc8fad0f8f782824dec48f087c5d4"
        );
        assert_eq!(
            alias_account("us-east-1_Pool", "client", "jane@example.com"),
            "alias:9ba9c132fae6a17421d0adf120a60981"
        );
        assert!(names[0].starts_with("device:") && names[4].starts_with("alias:"));
    }

    #[test]
    fn the_index_names_every_entry_and_removing_all_empties_the_store() {
        let store = MemoryStore::new();
        for (account, value) in [("device:a", "1"), ("alias:b", "2"), ("device:c", "3")] {
            store.write(account, value.as_bytes()).unwrap();
            update_index(&store, &[account.to_owned()], &[]).unwrap();
        }
        store.write("not-ours", b"x").unwrap();
        update_index(&store, &[], &["device:c".to_owned()]).unwrap();
        store.delete("device:c").unwrap();
        assert_eq!(remove_all_entries(&store).unwrap(), 2);
        assert_eq!(store.accounts(), vec!["not-ours".to_owned()]);
        // Again: nothing left, no error.
        assert_eq!(remove_all_entries(&store).unwrap(), 0);
    }
}
