//! The OS keychain as a [`SecretStore`], through [`keyring_core`] and one store crate per
//! platform:
//!
//! | platform | backend | crate |
//! | --- | --- | --- |
//! | iOS, macOS (and the other Apple OSes) | the protected (data-protection) keychain, access class `AfterFirstUnlockThisDeviceOnly`, never synchronised, optional app access group | `apple-native-keyring-store` (`protected`) |
//! | Windows | Credential Manager (generic credentials) | `windows-native-keyring-store` |
//! | Linux and BSD desktops | the Secret Service (GNOME Keyring, KeePassXC, KWallet) over pure-Rust D-Bus, no OpenSSL | `zbus-secret-service-keyring-store` (`crypto-rust`) |
//! | Linux, on explicit opt-in | the kernel key retention service (keyutils): **lost at reboot** | `linux-keyutils-keyring-store` |
//! | Android | SharedPreferences encrypted with a key in the Android Keystore | `android-native-keyring-store` |
//!
//! Every item lives under the service name [`DEFAULT_SERVICE`] (configurable with
//! [`KeychainStore::with_service`]) and the account names of
//! [`SecretStore`]: one item per device record and one per alias, named by a hash of pool,
//! client and name (see [`super::accounts`]), and the index of entries. See the README, "Where
//! device secrets live".
//!
//! Keychain calls block (a D-Bus round trip, a keychain daemon, JNI). The SDK already calls
//! every store on the blocking thread pool; on top of that each call here runs under a deadline
//! ([`KeychainStore::with_timeout`], 30 seconds by default) so a keychain that waits for a
//! prompt nobody answers becomes [`StoreError::Unavailable`] instead of a sign-in that never
//! ends.
//!
//! A keychain that is locked, not yet available (before the first unlock after a reboot), or
//! absent (no Secret Service on the session bus) answers [`StoreError::Unavailable`] with a
//! message that names the fix; nothing panics, and a missing keychain is only discovered when
//! it is first used, so building a [`KeychainStore`] never fails.
//!
//! ## Android
//!
//! The Android store needs the application context before its first use. The native library
//! exports the JNI function of `android-native-keyring-store` for that; the app declares this
//! Kotlin class (the package and names are fixed by the JNI symbol) and calls it once, for
//! instance in `Application.onCreate`:
//!
//! ```kotlin
//! package io.crates.keyring
//!
//! import android.content.Context
//!
//! class Keyring {
//!     companion object {
//!         init { System.loadLibrary("cognito_device_auth") }
//!         external fun initializeNdkContext(context: Context)
//!     }
//! }
//!
//! // in Application.onCreate():
//! Keyring.initializeNdkContext(applicationContext)
//! ```
//!
//! Without it every store call answers [`StoreError::Unavailable`] naming that call.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use keyring_core::{CredentialStore, Entry, Error as KeyringError};
use zeroize::Zeroizing;

use super::{SecretStore, StoreError};

/// The JNI entry point that gives the Android store its application context (called from
/// Kotlin as `io.crates.keyring.Keyring.initializeNdkContext(context)`, see the module docs).
/// Re-exported so the symbol is always linked into the native library.
#[cfg(target_os = "android")]
pub use android_native_keyring_store::Java_io_crates_keyring_Keyring_00024Companion_initializeNdkContext as android_initialize_ndk_context;

/// The service name every item is stored under unless [`KeychainStore::with_service`] says
/// otherwise (the Secret Service `service` attribute, the Apple `kSecAttrService`, the
/// Windows target name suffix, the Android store entry prefix).
pub const DEFAULT_SERVICE: &str = "cognito-device-auth";

/// The name of the Android store (its SharedPreferences file is `keyring-<name>`).
pub const ANDROID_STORE_NAME: &str = "cognito-device-auth";

/// How long one keychain call may take before it counts as unavailable.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The message for a Linux box with no Secret Service.
#[cfg_attr(
    not(all(unix, not(target_vendor = "apple"), not(target_os = "android"))),
    allow(dead_code)
)]
const NO_SECRET_SERVICE: &str = "start a Secret Service provider (gnome-keyring-daemon, \
KeePassXC or KWallet) in this session and unlock it, or opt in to \
KeychainStore::linux_keyutils() (kernel keyring: secrets are lost at reboot)";

/// Which keychain a [`KeychainStore`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeychainBackend {
    /// The Apple protected (data-protection) keychain.
    AppleProtected,
    /// Windows Credential Manager.
    WindowsCredentialManager,
    /// The freedesktop.org Secret Service on the D-Bus session bus.
    SecretService,
    /// The Linux kernel key retention service (lost at reboot).
    LinuxKeyutils,
    /// The Android Keystore-backed store.
    AndroidKeystore,
    /// A `keyring-core` credential store given by the app (or a test's mock store).
    Custom,
    /// This platform has no supported keychain: every call fails.
    Unsupported,
}

impl KeychainBackend {
    /// The platform's default keychain.
    pub const fn platform_default() -> Self {
        if cfg!(target_vendor = "apple") {
            Self::AppleProtected
        } else if cfg!(windows) {
            Self::WindowsCredentialManager
        } else if cfg!(target_os = "android") {
            Self::AndroidKeystore
        } else if cfg!(unix) {
            Self::SecretService
        } else {
            Self::Unsupported
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Self::AppleProtected => "the Apple keychain",
            Self::WindowsCredentialManager => "Windows Credential Manager",
            Self::SecretService => "the Secret Service",
            Self::LinuxKeyutils => "the Linux kernel keyring",
            Self::AndroidKeystore => "the Android Keystore store",
            Self::Custom => "the keychain store",
            Self::Unsupported => "the OS keychain",
        }
    }
}

/// Device secrets in the OS keychain (see the [module docs](self) for the backend of each
/// platform). Cheap to clone; clones share the connection.
#[derive(Clone)]
pub struct KeychainStore {
    backend: KeychainBackend,
    service: String,
    access_group: Option<String>,
    timeout: Duration,
    connection: Connection,
}

/// A lazily opened credential store.
type Connection = Arc<Mutex<Option<Arc<CredentialStore>>>>;

impl Default for KeychainStore {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for KeychainStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeychainStore")
            .field("backend", &self.backend)
            .field("service", &self.service)
            .field("access_group", &self.access_group)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl KeychainStore {
    /// The platform's keychain ([`KeychainBackend::platform_default`]) under
    /// [`DEFAULT_SERVICE`]. Never fails: a keychain that is missing or locked answers
    /// [`StoreError::Unavailable`] when it is used, and is tried again on the next call.
    pub fn new() -> Self {
        Self::with_backend(KeychainBackend::platform_default())
    }

    fn with_backend(backend: KeychainBackend) -> Self {
        Self {
            backend,
            service: DEFAULT_SERVICE.to_owned(),
            access_group: None,
            timeout: DEFAULT_TIMEOUT,
            connection: shared_connection(backend),
        }
    }

    /// The Linux kernel keyring (keyutils) instead of the Secret Service, for headless
    /// machines with no Secret Service. **Its contents are lost at reboot** (and the user then
    /// does MFA once more); it is never chosen unless asked for.
    #[cfg(target_os = "linux")]
    pub fn linux_keyutils() -> Self {
        Self::with_backend(KeychainBackend::LinuxKeyutils)
    }

    /// Any `keyring-core` credential store (a store crate the SDK does not choose by default,
    /// or `keyring_core::mock::Store` in tests). Items are built with no modifiers.
    pub fn from_credential_store(store: Arc<CredentialStore>) -> Self {
        let this = Self::with_backend(KeychainBackend::Custom);
        *this.connection.lock().unwrap_or_else(|p| p.into_inner()) = Some(store);
        this
    }

    /// Stores items under `service` instead of [`DEFAULT_SERVICE`] (an app that wants its
    /// bundle identifier there, or two SDK instances kept apart). Must not be empty.
    pub fn with_service(mut self, service: impl Into<String>) -> Self {
        self.service = service.into();
        self
    }

    /// Apple only: keeps items in this keychain access group (for instance
    /// `ABCDE12345.com.example.shared`, to share device secrets with an app extension). The
    /// app must list the group in its `keychain-access-groups` entitlement. Ignored on other
    /// platforms.
    pub fn with_access_group(mut self, group: impl Into<String>) -> Self {
        let group = group.into();
        self.access_group = (!group.is_empty()).then_some(group);
        if self.backend == KeychainBackend::AppleProtected {
            // A store built for another group must not be reused.
            self.connection = Arc::new(Mutex::new(None));
        }
        self
    }

    /// How long one keychain call may take before it answers [`StoreError::Unavailable`]
    /// (default [`DEFAULT_TIMEOUT`]).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The keychain this store talks to.
    pub fn backend(&self) -> KeychainBackend {
        self.backend
    }

    /// The service name items are stored under.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// Connects now, so an app can tell the user at start-up that the keychain is missing
    /// instead of at the first sign-in. Reads nothing. Blocks (up to the timeout).
    pub fn check(&self) -> Result<(), StoreError> {
        let this = self.clone();
        self.under_deadline("a connection", move || this.connect().map(|_| ()))
    }

    /// The credential store, connected on first use (and again after a connection failure).
    fn connect(&self) -> Result<Arc<CredentialStore>, StoreError> {
        let mut slot = self.connection.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(store) = slot.as_ref() {
            return Ok(Arc::clone(store));
        }
        let backend = self.backend;
        let access_group = self.access_group.clone();
        let store = catch_unwind(AssertUnwindSafe(|| {
            platform::connect(backend, access_group)
        }))
        .unwrap_or_else(|_| {
            Err(StoreError::Unavailable(format!(
                "{} panicked while connecting{}",
                backend.describe(),
                platform::connect_hint(backend)
            )))
        })?;
        *slot = Some(Arc::clone(&store));
        Ok(store)
    }

    /// Forgets the connection, so the next call connects again (after the keychain daemon
    /// went away, for instance).
    fn disconnect(&self) {
        if self.backend != KeychainBackend::Custom {
            *self.connection.lock().unwrap_or_else(|p| p.into_inner()) = None;
        }
    }

    /// Connects if needed and runs `op` on the entry for `account`, all under the deadline
    /// (connecting to a frozen D-Bus daemon blocks as surely as a call does).
    fn call<T: Send + 'static>(
        &self,
        what: &'static str,
        account: &str,
        op: impl FnOnce(&Entry) -> Result<T, KeyringError> + Send + 'static,
    ) -> Result<T, StoreError> {
        if self.service.is_empty() {
            return Err(StoreError::Failed(
                "the keychain service name is empty".into(),
            ));
        }
        let this = self.clone();
        let account = account.to_owned();
        self.under_deadline(what, move || {
            let store = this.connect()?;
            let modifiers = platform::modifiers(this.backend, &this.service, &account);
            let modifiers: HashMap<&str, &str> =
                modifiers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            store
                .build(
                    &this.service,
                    &account,
                    (!modifiers.is_empty()).then_some(&modifiers),
                )
                .and_then(|entry| op(&entry))
                .map_err(|e| {
                    let (error, reconnect) = classify(this.backend, what, e);
                    if reconnect {
                        this.disconnect();
                    }
                    error
                })
        })
    }

    /// Runs `f` on a helper thread and waits at most the timeout for it; a panic in it is an
    /// error. A call that overruns is abandoned (its thread ends when the keychain answers).
    fn under_deadline<T: Send + 'static>(
        &self,
        what: &str,
        f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let backend = self.backend;
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        std::thread::Builder::new()
            .name("keychain".into())
            .spawn(move || {
                let _ = tx.send(catch_unwind(AssertUnwindSafe(f)));
            })
            .map_err(|e| StoreError::Failed(format!("could not start a keychain thread: {e}")))?;
        match rx.recv_timeout(self.timeout) {
            Ok(Ok(result)) => result,
            Ok(Err(_panic)) => Err(StoreError::Failed(format!(
                "{} panicked during {what}",
                backend.describe()
            ))),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                Err(StoreError::Unavailable(format!(
                    "{} did not answer {what} within {} s (is it waiting for an unlock prompt?)",
                    backend.describe(),
                    self.timeout.as_secs_f32()
                )))
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(StoreError::Failed(
                format!("the keychain thread ended during {what}"),
            )),
        }
    }
}

impl SecretStore for KeychainStore {
    fn read(&self, account: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.call("a read", account, |entry| match entry.get_secret() {
            Ok(secret) => Ok(Some(secret)),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(e),
        })
    }

    fn write(&self, account: &str, secret: &[u8]) -> Result<(), StoreError> {
        let secret = Zeroizing::new(secret.to_vec());
        self.call("a write", account, move |entry| {
            match entry.set_secret(&secret) {
                // Items another program created with the same attributes: replace them all.
                Err(KeyringError::Ambiguous(items)) => {
                    for item in items {
                        match item.delete_credential() {
                            Ok(()) | Err(KeyringError::NoEntry) => {}
                            Err(e) => return Err(e),
                        }
                    }
                    entry.set_secret(&secret)
                }
                other => other,
            }
        })
    }

    fn delete(&self, account: &str) -> Result<(), StoreError> {
        self.call("a delete", account, |entry| {
            match entry.delete_credential() {
                Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
                Err(KeyringError::Ambiguous(items)) => {
                    for item in items {
                        match item.delete_credential() {
                            Ok(()) | Err(KeyringError::NoEntry) => {}
                            Err(e) => return Err(e),
                        }
                    }
                    Ok(())
                }
                Err(e) => Err(e),
            }
        })
    }
}

/// The connection of a platform backend, shared by every [`KeychainStore`] of the process
/// (one D-Bus connection for all clients, not one each).
fn shared_connection(backend: KeychainBackend) -> Connection {
    type Slots = Mutex<Vec<(KeychainBackend, Connection)>>;
    static SLOTS: std::sync::OnceLock<Slots> = std::sync::OnceLock::new();
    if backend == KeychainBackend::Custom {
        return Arc::new(Mutex::new(None));
    }
    let mut slots = SLOTS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some((_, slot)) = slots.iter().find(|(b, _)| *b == backend) {
        return Arc::clone(slot);
    }
    let slot: Connection = Arc::new(Mutex::new(None));
    slots.push((backend, Arc::clone(&slot)));
    slot
}

/// Maps a `keyring-core` error to a [`StoreError`] (and whether to reconnect). Never puts
/// secret bytes in the message: `BadEncoding` and `BadDataFormat` carry them, so only their
/// kind is named.
fn classify(backend: KeychainBackend, what: &str, error: KeyringError) -> (StoreError, bool) {
    let name = backend.describe();
    match error {
        KeyringError::NoStorageAccess(e) => (
            StoreError::Unavailable(format!(
                "{name} is locked or not available for {what} ({e}){}",
                platform::locked_hint(backend)
            )),
            false,
        ),
        KeyringError::PlatformFailure(e) => platform::classify_platform(backend, what, e),
        KeyringError::NoDefaultStore => (
            StoreError::Unavailable(format!("{name} has no store for {what}")),
            true,
        ),
        // Bytes that exist but do not decrypt or decode: on Android, a preferences file
        // restored from a backup without its Keystore key (the MAC check fails).
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => (
            StoreError::Unreadable(format!(
                "{name} holds data it cannot decrypt or decode ({what})"
            )),
            false,
        ),
        KeyringError::Ambiguous(items) => (
            StoreError::Failed(format!(
                "{name} holds {} items for one account ({what}); delete the duplicates",
                items.len()
            )),
            false,
        ),
        other => (
            StoreError::Failed(format!("{name} failed {what}: {other}")),
            false,
        ),
    }
}

mod platform;

#[cfg(test)]
mod tests;
