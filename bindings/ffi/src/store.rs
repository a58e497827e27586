//! The app-supplied secret store: a foreign trait the app implements in Kotlin or Swift (its
//! own encrypted storage), adapted to the core's [`cognito_device_auth::store::SecretStore`].
//!
//! A failing store never crashes the SDK: an error the implementation returns, and any other
//! exception it throws (uniffi reports it as [`uniffi::UnexpectedUniFFICallbackError`]), both
//! become [`cognito_device_auth::store::StoreError`] and so a [`super::error::CognitoError`] of the call.

use std::fmt;
use std::sync::Arc;

use cognito_device_auth::store::{KeychainStore, SecretStore as CoreSecretStore, StoreError};

/// Where the SDK's default store (the platform keychain) keeps its items.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct KeychainOptions {
    /// The keychain service name (default `cognito-device-auth`), for instance your bundle
    /// identifier or application id. Must not be empty.
    #[uniffi(default = None)]
    pub service: Option<String>,
    /// Apple only: the keychain access group (`TEAMID.com.example.shared`), to share device
    /// secrets with an app extension; it must be in the app's `keychain-access-groups`
    /// entitlement. Must not be empty. Ignored on other platforms.
    #[uniffi(default = None)]
    pub access_group: Option<String>,
}

impl KeychainOptions {
    /// The keychain store these options describe, or why they are invalid.
    pub(crate) fn store(self) -> Result<KeychainStore, String> {
        let mut store = KeychainStore::new();
        if let Some(service) = self.service {
            if service.trim().is_empty() {
                return Err("the keychain service name is empty".into());
            }
            store = store.with_service(service);
        }
        if let Some(group) = self.access_group {
            if group.trim().is_empty() {
                return Err("the keychain access group is empty".into());
            }
            store = store.with_access_group(group);
        }
        Ok(store)
    }
}

/// Why the app's store failed. Kotlin: `SecretStoreException`; Swift: `SecretStoreError`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum SecretStoreError {
    /// The store is locked or not available yet (for instance before the first unlock after a
    /// reboot). The SDK retries later and never deletes anything because of it.
    #[error("store unavailable: {reason}")]
    Unavailable {
        /// Why, for logs.
        reason: String,
    },
    /// The value exists but cannot be decrypted: its key is gone (Android: a preferences
    /// file restored from a backup, whose Keystore key never is). The SDK treats it as a
    /// damaged record: the user answers MFA once more and a new device replaces it.
    #[error("store entry unreadable: {reason}")]
    Unreadable {
        /// Why, for logs.
        reason: String,
    },
    /// Any other failure.
    #[error("store failure: {reason}")]
    Failed {
        /// Why, for logs.
        reason: String,
    },
}

/// An exception the store threw that is not a `SecretStoreError`: still an error, never a crash.
impl From<uniffi::UnexpectedUniFFICallbackError> for SecretStoreError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Failed {
            reason: format!("the app's secret store threw: {}", e.reason),
        }
    }
}

impl From<SecretStoreError> for StoreError {
    fn from(e: SecretStoreError) -> Self {
        match e {
            SecretStoreError::Unavailable { reason } => Self::Unavailable(reason),
            SecretStoreError::Unreadable { reason } => Self::Unreadable(reason),
            SecretStoreError::Failed { reason } => Self::Failed(reason),
        }
    }
}

/// A store of small secrets by account name, implemented by the app (for instance over Android's
/// `EncryptedSharedPreferences` or the iOS keychain). The SDK keeps each device's key, group key
/// and device password in it; the values are secrets, so keep them encrypted at rest.
///
/// Calls come from a background thread, never the main thread, and may come from several
/// threads at once: implementations must be thread-safe and may block.
#[uniffi::export(foreign)]
pub trait SecretStore: Send + Sync {
    /// The bytes stored under `account`, or null / nil when there are none.
    fn read(&self, account: String) -> Result<Option<Vec<u8>>, SecretStoreError>;
    /// Stores `secret` under `account`, replacing what was there.
    fn write(&self, account: String, secret: Vec<u8>) -> Result<(), SecretStoreError>;
    /// Removes `account`; must succeed when it is already absent.
    fn delete(&self, account: String) -> Result<(), SecretStoreError>;
}

/// The app's store as the core sees it.
pub(crate) struct AppStore(pub(crate) Arc<dyn SecretStore>);

impl fmt::Debug for AppStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppStore")
    }
}

impl CoreSecretStore for AppStore {
    fn read(&self, account: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.0.read(account.to_owned())?)
    }

    fn write(&self, account: &str, secret: &[u8]) -> Result<(), StoreError> {
        Ok(self.0.write(account.to_owned(), secret.to_vec())?)
    }

    fn delete(&self, account: &str) -> Result<(), StoreError> {
        Ok(self.0.delete(account.to_owned())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{Client, ClientConfig};
    use crate::error::CognitoError;
    use crate::sign_in::SignInStep;
    use crate::testing::{PASSWORD, with_client};

    /// A store that fails the way a foreign implementation can: a declared error, or an
    /// exception uniffi turns into `UnexpectedUniFFICallbackError` (this is the conversion the
    /// generated callback code calls).
    struct Failing {
        thrown: bool,
    }

    impl Failing {
        fn fail(&self) -> SecretStoreError {
            if self.thrown {
                uniffi::UnexpectedUniFFICallbackError::new("java.lang.IllegalStateException: boom")
                    .into()
            } else {
                SecretStoreError::Unavailable {
                    reason: "locked".into(),
                }
            }
        }
    }

    impl SecretStore for Failing {
        fn read(&self, _: String) -> Result<Option<Vec<u8>>, SecretStoreError> {
            Err(self.fail())
        }
        fn write(&self, _: String, _: Vec<u8>) -> Result<(), SecretStoreError> {
            Err(self.fail())
        }
        fn delete(&self, _: String) -> Result<(), SecretStoreError> {
            Err(self.fail())
        }
    }

    #[test]
    fn store_failures_map_to_store_errors() {
        let thrown = AppStore(Arc::new(Failing { thrown: true }));
        match thrown.read("a") {
            Err(StoreError::Failed(m)) => assert!(m.contains("boom"), "{m}"),
            other => panic!("expected a store failure, got {other:?}"),
        }
        let locked = AppStore(Arc::new(Failing { thrown: false }));
        assert_eq!(
            locked.write("a", b"x"),
            Err(StoreError::Unavailable("locked".into()))
        );
        assert_eq!(
            StoreError::from(SecretStoreError::Unreadable {
                reason: "restored without its key".into()
            }),
            StoreError::Unreadable("restored without its key".into())
        );
    }

    /// The whole path: a sign-in through the FFI client with a store that throws ends in a
    /// `StoreFailed` error, not a panic (the emulator runs in-process).
    #[test]
    fn a_throwing_store_fails_the_sign_in_with_an_error() {
        let pool = serde_json::json!({
            "Id": "us-east-1_FfiStore1",
            "PoolName": "ffi",
            "MfaConfiguration": "OFF",
            "DeviceConfiguration": { "ChallengeRequiredOnNewDevice": true,
                                     "DeviceOnlyRememberedOnUserPrompt": false },
            "Clients": [{ "ClientId": "fficlient", "ClientName": "ffi",
                          "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }],
            "Users": [{ "Username": "alice", "Password": PASSWORD }]
        });
        let store = Arc::new(Failing { thrown: true });
        with_client(pool, store, |_emulator, client| async move {
            let result = client.sign_in("alice".into(), PASSWORD.into()).await;
            match result {
                Err(CognitoError::StoreFailed { reason, .. }) => {
                    assert!(reason.contains("boom"), "{reason}")
                }
                Ok(SignInStep::Done { .. }) => panic!("signed in although the store throws"),
                Ok(_) => panic!("unexpected step"),
                Err(e) => panic!("expected StoreFailed, got {e:?}"),
            }
        });
    }

    fn config(store: bool, keychain: Option<KeychainOptions>) -> ClientConfig {
        ClientConfig {
            user_pool_id: "us-east-1_FfiStore2".into(),
            client_id: "fficlient".into(),
            client_secret: None,
            endpoint: Some("http://127.0.0.1:9".into()),
            device_name: None,
            keep_sessions: false,
            session_min_validity: None,
            timeout: None,
            store: store.then(|| Arc::new(Failing { thrown: false }) as Arc<dyn SecretStore>),
            keychain,
        }
    }

    #[test]
    fn keychain_options_are_checked_when_the_client_is_made() {
        let options = |service: &str| KeychainOptions {
            service: Some(service.into()),
            access_group: Some("ABCDE12345.com.example.shared".into()),
        };
        // Valid options: the client is made and opens nothing yet.
        Client::new(config(false, Some(options("com.example.app")))).expect("a client");
        Client::new(config(false, Some(KeychainOptions::default()))).expect("a client");
        for bad in [
            config(false, Some(options(" "))),
            config(
                false,
                Some(KeychainOptions {
                    service: None,
                    access_group: Some(String::new()),
                }),
            ),
            config(true, Some(options("com.example.app"))),
        ] {
            match Client::new(bad) {
                Err(CognitoError::Configuration { reason, .. }) => assert!(!reason.is_empty()),
                other => panic!("expected Configuration, got {other:?}"),
            }
        }
    }
}
