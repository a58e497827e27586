//! Where device secrets live: a small key-value [`SecretStore`] (the OS keychain through
//! [`KeychainStore`], an app's own storage, or [`MemoryStore`] for tests) under a versioned
//! [`DeviceRecord`] format with an alias index from typed user names to internal ones
//! (docs/protocol.md 5.1 and 6).

pub mod accounts;
pub mod keychain;
mod memory;
pub(crate) mod record;
pub(crate) mod sessions;

pub use accounts::{
    alias_account, current_session_account, record_account, remove_all_entries, session_account,
};
pub use keychain::{KeychainBackend, KeychainStore};
pub use memory::MemoryStore;
pub use record::{DeviceRecord, DeviceState, RECORD_FORMAT_VERSION};
pub use sessions::SESSION_FORMAT_VERSION;

pub(crate) use record::DeviceRecords;

/// Why a store operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store is locked or not yet available (keychain before first unlock, no Secret
    /// Service running). Retryable; the SDK never deletes anything because of it.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// An entry exists but cannot be decrypted or decoded: its key is gone (the Android
    /// Keystore key is never in a backup, so a restored preferences file cannot be read; a
    /// reset keychain). Not retryable: the SDK treats the entry as a damaged record, so the
    /// user answers MFA once more and a new device replaces it; never a stuck sign-in.
    #[error("store entry unreadable: {0}")]
    Unreadable(String),
    /// Any other failure of the store.
    #[error("store failure: {0}")]
    Failed(String),
}

/// A store of small secrets by account name. Implementations must be safe to call from any
/// thread; the SDK calls them off the async executor (they may block on a keychain).
///
/// - `read` of an absent account is `Ok(None)`.
/// - `delete` of an absent account is `Ok(())` (deletes are idempotent).
/// - A locked or unavailable backend answers [`StoreError::Unavailable`].
/// - An entry that exists but cannot be decrypted answers [`StoreError::Unreadable`].
pub trait SecretStore: Send + Sync + 'static {
    /// The bytes stored under `account`, if any.
    fn read(&self, account: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Stores `secret` under `account`, replacing what was there.
    fn write(&self, account: &str, secret: &[u8]) -> Result<(), StoreError>;
    /// Removes `account`; succeeds when it is already absent.
    fn delete(&self, account: &str) -> Result<(), StoreError>;
}
