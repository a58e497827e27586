//! The SDK's plain types as they cross to Kotlin and Swift, unchanged: `MfaType`,
//! `RememberedStatus`, `SignOutScope`, `DeviceOutcome`, and Cognito's `DeviceKey` as a string.
//!
//! The SDK crate has no uniffi code, so each is declared here as a uniffi *remote* type: the
//! definition below mirrors the SDK's (uniffi generates the conversion from it, and the
//! compiler refuses a mirror that does not match the SDK's type), and its doc comments are the
//! ones the generated Kotlin and Swift carry.

use cognito_device_auth::{DeviceKey, DeviceOutcome, MfaType, RememberedStatus, SignOutScope};

/// An MFA method Cognito can ask for.
#[uniffi::remote(Enum)]
pub enum MfaType {
    /// A code sent by SMS (`SMS_MFA`).
    Sms,
    /// A code from an authenticator app (`SOFTWARE_TOKEN_MFA`).
    Totp,
    /// A code sent by e-mail (`EMAIL_OTP`).
    Email,
}

/// A device's remembered status (`dev:device_remembered_status`): a remembered device's
/// sign-ins skip SMS and TOTP MFA.
#[uniffi::remote(Enum)]
pub enum RememberedStatus {
    /// Remembered: sign-ins with it skip MFA.
    Remembered,
    /// Confirmed but not remembered: sign-ins with it still ask MFA.
    NotRemembered,
}

/// Which sessions `signOut` ends.
#[uniffi::remote(Enum)]
pub enum SignOutScope {
    /// This session only: its refresh token is revoked (RevokeToken).
    ThisSession,
    /// Every session of the user on every device (GlobalSignOut).
    Everywhere,
}

/// What happened with this device during the sign-in. Every field states what the server
/// holds, never what the client hoped for.
#[uniffi::remote(Record)]
pub struct DeviceOutcome {
    /// The device's key, when the pool tracks devices and one is stored.
    pub device_key: Option<DeviceKey>,
    /// A new device was confirmed during this sign-in.
    pub newly_confirmed: bool,
    /// The server holds the device as remembered (`remembered` in UpdateDeviceStatus or
    /// GetDevice, or ConfirmDevice answered that no user confirmation is necessary): sign-ins
    /// with it skip SMS and TOTP MFA.
    pub remembered: bool,
    /// The device proved itself in this sign-in (DEVICE_SRP_AUTH), after an MFA step or
    /// instead of one.
    pub proved: bool,
    /// No MFA step happened in this sign-in, and the device proved itself (DEVICE_SRP_AUTH).
    /// False whenever a code was asked, even if the device was then proved.
    pub skipped_mfa: bool,
    /// ConfirmDevice is not known to have succeeded: the device secret is kept (state
    /// `pending`), and the confirmation is finished with this session's still-valid access
    /// token by the next refresh or sign-in of this client, or by `confirmPendingDevice`.
    /// The session is never given up for it: a failed confirmation never makes the client
    /// forget the device (ForgetDevice would make the session's refresh token unusable).
    pub pending_confirmation: bool,
    /// Why the device could not be remembered, when something failed on the way (the sign-in
    /// itself succeeded).
    pub warning: Option<String>,
}

uniffi::custom_type!(DeviceKey, String, {
    remote,
    lower: |key| key.to_string(),
    try_lift: |text| Ok(DeviceKey::new(text)),
});
