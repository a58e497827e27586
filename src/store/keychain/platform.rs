//! The platform-specific parts of the keychain store: which credential store each OS gets,
//! and how its errors read.

#[allow(unused_imports)]
use std::collections::HashMap;
use std::sync::Arc;

use keyring_core::CredentialStore;
use keyring_core::error::PlatformError;

#[allow(unused_imports)]
use super::{KeychainBackend, NO_SECRET_SERVICE, StoreError};

/// Builds the credential store of `backend`.
#[allow(unused_variables)]
pub(super) fn connect(
    backend: KeychainBackend,
    access_group: Option<String>,
) -> Result<Arc<CredentialStore>, StoreError> {
    match backend {
        #[cfg(target_vendor = "apple")]
        KeychainBackend::AppleProtected => {
            let mut config = HashMap::new();
            if let Some(group) = access_group.as_deref() {
                config.insert("access-group", group);
            }
            let store: Arc<CredentialStore> =
                apple_native_keyring_store::protected::Store::new_with_configuration(&config)
                    .map_err(|e| StoreError::Failed(format!("the Apple keychain store: {e}")))?;
            Ok(store)
        }
        #[cfg(windows)]
        KeychainBackend::WindowsCredentialManager => {
            let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()
                .map_err(|e| StoreError::Failed(format!("Windows Credential Manager: {e}")))?;
            Ok(store)
        }
        #[cfg(target_os = "android")]
        KeychainBackend::AndroidKeystore => {
            let config = HashMap::from([("name", super::ANDROID_STORE_NAME)]);
            let store: Arc<CredentialStore> =
                android_native_keyring_store::Store::new_with_configuration(&config).map_err(
                    |e| {
                        StoreError::Unavailable(format!(
                            "the Android Keystore store could not be opened ({e}){}",
                            connect_hint(backend)
                        ))
                    },
                )?;
            Ok(store)
        }
        #[cfg(all(unix, not(target_vendor = "apple"), not(target_os = "android")))]
        KeychainBackend::SecretService => {
            if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none()
                && std::env::var_os("XDG_RUNTIME_DIR").is_none()
            {
                return Err(StoreError::Unavailable(format!(
                    "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS and XDG_RUNTIME_DIR \
                     are unset), so no Secret Service: run inside a desktop session or \
                     dbus-run-session; {NO_SECRET_SERVICE}"
                )));
            }
            let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new()
                .map_err(|e| {
                    StoreError::Unavailable(format!(
                        "no Secret Service on the session bus ({e}): {NO_SECRET_SERVICE}"
                    ))
                })?;
            Ok(store)
        }
        #[cfg(target_os = "linux")]
        KeychainBackend::LinuxKeyutils => {
            let store: Arc<CredentialStore> = linux_keyutils_keyring_store::Store::new()
                .map_err(|e| StoreError::Unavailable(format!("the Linux kernel keyring: {e}")))?;
            Ok(store)
        }
        KeychainBackend::Custom => {
            Err(StoreError::Failed("no keyring-core store was given".into()))
        }
        other => Err(StoreError::Failed(format!(
            "{} is not available on this platform ({}): give the client a store with \
             ClientConfig::with_store",
            other.describe(),
            std::env::consts::OS
        ))),
    }
}

/// Per-item modifiers: the access class on Apple, a readable label on the Secret Service,
/// local persistence on Windows.
#[allow(unused_variables)]
pub(super) fn modifiers(
    backend: KeychainBackend,
    service: &str,
    account: &str,
) -> Vec<(&'static str, String)> {
    match backend {
        // Readable before the first unlock after a reboot is NOT possible; after it, in
        // the background too; never leaves this device (no iCloud, no backup restore).
        KeychainBackend::AppleProtected => {
            vec![("access-policy", "AfterFirstUnlockThisDeviceOnly".to_owned())]
        }
        KeychainBackend::SecretService => {
            vec![("label", format!("{service}: {account}"))]
        }
        // CRED_PERSIST_LOCAL_MACHINE: this user on this computer. The store's default,
        // CRED_PERSIST_ENTERPRISE, roams with a domain user's profile to other computers,
        // and a device secret on another computer would skip MFA there. Applied on every
        // write, so a credential written before with the default becomes local when next
        // written (the store keeps the persistence of the credential it overwrites only
        // when the entry names none).
        KeychainBackend::WindowsCredentialManager => {
            vec![("persistence", "Local".to_owned())]
        }
        _ => Vec::new(),
    }
}

/// What to do when the store cannot be opened.
pub(super) fn connect_hint(backend: KeychainBackend) -> &'static str {
    match backend {
        KeychainBackend::AndroidKeystore => {
            ": call io.crates.keyring.Keyring.initializeNdkContext(applicationContext) \
             once at start-up (see the README)"
        }
        KeychainBackend::SecretService => {
            ": start a Secret Service provider in this session, or opt in to \
             KeychainStore::linux_keyutils() (lost at reboot)"
        }
        _ => "",
    }
}

/// What to do when the keychain is locked.
pub(super) fn locked_hint(backend: KeychainBackend) -> &'static str {
    match backend {
        KeychainBackend::AppleProtected => {
            "; the device has not been unlocked since it started: retry after the first unlock"
        }
        KeychainBackend::SecretService => {
            "; unlock the login keyring (or the default collection) and retry"
        }
        KeychainBackend::LinuxKeyutils => {
            "; this process's session keyring does not accept keys (common in containers): \
             give it its own, e.g. run it under `keyctl session -`"
        }
        _ => "; retry later",
    }
}

/// A platform failure: unavailable (retryable, maybe reconnect) or failed.
#[allow(unused_variables)]
pub(super) fn classify_platform(
    backend: KeychainBackend,
    what: &str,
    error: PlatformError,
) -> (StoreError, bool) {
    let name = backend.describe();
    #[cfg(all(unix, not(target_vendor = "apple"), not(target_os = "android")))]
    if backend == KeychainBackend::SecretService
        && let Some(e) = error.downcast_ref::<secret_service::Error>()
    {
        use secret_service::Error as Ss;
        return match e {
            Ss::Locked | Ss::Prompt | Ss::PromptDisconnected | Ss::NoResult => (
                StoreError::Unavailable(format!(
                    "{name} is locked for {what} ({e}){}",
                    locked_hint(backend)
                )),
                false,
            ),
            // The bus or the daemon went away: reconnect next time.
            Ss::Zbus(_) | Ss::ZbusFdo(_) | Ss::Unavailable => (
                StoreError::Unavailable(format!(
                    "{name} did not answer {what} ({e}): {NO_SECRET_SERVICE}"
                )),
                true,
            ),
            _ => (
                StoreError::Failed(format!("{name} failed {what}: {e}")),
                false,
            ),
        };
    }
    #[cfg(target_vendor = "apple")]
    if backend == KeychainBackend::AppleProtected
        && let Some(e) = error.downcast_ref::<security_framework::base::Error>()
    {
        return match e.code() {
            // errSecInteractionNotAllowed: before the first unlock after a reboot.
            -25308 => (
                StoreError::Unavailable(format!(
                    "{name} is locked for {what} ({e}){}",
                    locked_hint(backend)
                )),
                false,
            ),
            // errSecMissingEntitlement: unsigned binary or wrong access group.
            -34018 => (
                StoreError::Failed(format!(
                    "{name} refused {what}: the app lacks the keychain entitlement \
                     (sign it with a provisioning profile; an access group must be \
                     listed in keychain-access-groups) ({e})"
                )),
                false,
            ),
            _ => (
                StoreError::Failed(format!("{name} failed {what}: {e}")),
                false,
            ),
        };
    }
    (
        StoreError::Failed(format!("{name} failed {what}: {error}")),
        false,
    )
}
