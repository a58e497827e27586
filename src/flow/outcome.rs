//! What a sign-in reports: the MFA method asked, what happened with the device, the tokens.

use crate::ids::{DeviceKey, UserIdForSrp};
use crate::tokens::Tokens;

/// An MFA method Cognito can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MfaType {
    /// A code sent by SMS (`SMS_MFA`).
    Sms,
    /// A code from an authenticator app (`SOFTWARE_TOKEN_MFA`).
    Totp,
    /// A code sent by e-mail (`EMAIL_OTP`).
    Email,
}

impl MfaType {
    /// Cognito's name of the challenge.
    pub fn challenge_name(self) -> &'static str {
        match self {
            Self::Sms => "SMS_MFA",
            Self::Totp => "SOFTWARE_TOKEN_MFA",
            Self::Email => "EMAIL_OTP",
        }
    }

    /// The method a challenge asks for; `None` for a challenge that is not an MFA code.
    pub fn from_challenge_name(name: &str) -> Option<Self> {
        match name {
            "SMS_MFA" | "SMS_OTP" => Some(Self::Sms),
            "SOFTWARE_TOKEN_MFA" => Some(Self::Totp),
            "EMAIL_OTP" => Some(Self::Email),
            _ => None,
        }
    }
}

/// What happened with this device during the sign-in. Every field states what the server
/// holds, never what the client hoped for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
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
    /// token by the next [`Client::refresh`](crate::Client::refresh) or sign-in of this
    /// client, or by [`Client::confirm_pending_device`](crate::Client::confirm_pending_device).
    /// The session is never given up for it: a failed confirmation never makes the client
    /// forget the device (ForgetDevice would make the session's refresh token unusable).
    pub pending_confirmation: bool,
    /// Why the device could not be remembered, when something failed on the way (the sign-in
    /// itself succeeded).
    pub warning: Option<String>,
}

/// The result of a completed sign-in.
#[derive(Debug)]
pub struct SignedIn {
    /// The internal user name (USER_ID_FOR_SRP): the name device records are kept under.
    pub username: UserIdForSrp,
    /// The tokens.
    pub tokens: Tokens,
    /// What happened with the device.
    pub device: DeviceOutcome,
    /// The MFA method whose code was answered in this sign-in, if any.
    pub mfa: Option<MfaType>,
    /// HTTP round trips of the whole sign-in, retries included.
    pub round_trips: u32,
}
