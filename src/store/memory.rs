//! An in-memory [`SecretStore`], for tests and for apps that want no persistence.

use std::collections::HashMap;
use std::sync::Mutex;

use zeroize::Zeroizing;

use super::{SecretStore, StoreError};

/// Secrets in a map in memory, wiped when replaced, deleted or dropped.
#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<String, Zeroizing<Vec<u8>>>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The account names currently stored (for tests).
    pub fn accounts(&self) -> Vec<String> {
        let mut names: Vec<String> = self.lock().keys().cloned().collect();
        names.sort();
        names
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Zeroizing<Vec<u8>>>> {
        // A panic while holding the lock cannot leave the map half-written: recover it.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore")
            .field("accounts", &self.lock().len())
            .finish()
    }
}

impl SecretStore for MemoryStore {
    fn read(&self, account: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.lock().get(account).map(|v| v.to_vec()))
    }

    fn write(&self, account: &str, secret: &[u8]) -> Result<(), StoreError> {
        self.lock()
            .insert(account.to_owned(), Zeroizing::new(secret.to_vec()));
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<(), StoreError> {
        self.lock().remove(account);
        Ok(())
    }
}
