//! The state of sign-ins: refresh tokens and sign-in events (kept in the state file), challenge
//! sessions and the SMS outbox (in memory only).

use num_bigint::BigUint;
use serde::{Deserialize, Serialize};

use crate::srp::ServerEphemeral;

/// A refresh token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefreshToken {
    /// Pool id.
    pub pool_id: String,
    /// Client id.
    pub client_id: String,
    /// Internal username.
    pub username: String,
    /// The sign-in event it came from.
    pub origin_jti: String,
    /// Device the sign-in was bound to.
    pub device_key: Option<String>,
    /// Expiry, epoch seconds.
    pub expires: f64,
    /// When rotated away: the time, for the grace period.
    pub rotated_at: Option<f64>,
}

/// One sign-in event: its tokens share the `origin_jti`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Origin {
    /// Pool id.
    pub pool_id: String,
    /// Internal username.
    pub username: String,
    /// Device of the sign-in.
    pub device_key: Option<String>,
    /// Every token of the sign-in revoked: GlobalSignOut, RevokeToken (and ForgetDevice under
    /// the fidelity switch `forget-device-revokes-access-token`).
    pub revoked: bool,
    /// Only its refresh tokens revoked: ForgetDevice of the sign-in's device (the access
    /// token stays valid until it expires, as the AWS SDK for Android's integration test
    /// shows).
    #[serde(default)]
    pub refresh_revoked: bool,
    /// When the user signed in (`auth_time` of every token of the sign-in, refreshes
    /// included: OIDC Core 12.2); 0 in state files written before it was kept.
    #[serde(default)]
    pub auth_time: i64,
}

/// What a pending challenge waits for.
#[derive(Debug, Clone)]
pub enum Stage {
    /// PASSWORD_VERIFIER: the server ephemeral and the SECRET_BLOCK handed out.
    PasswordVerifier {
        /// The server's (b, B).
        ephemeral: ServerEphemeral,
        /// The client's A from InitiateAuth.
        client_a: BigUint,
        /// The SECRET_BLOCK handed out.
        secret_block: String,
    },
    /// SMS_MFA with the code sent.
    SmsMfa {
        /// The code sent.
        code: String,
    },
    /// SOFTWARE_TOKEN_MFA.
    SoftwareTokenMfa,
    /// EMAIL_OTP with the code sent.
    EmailOtp {
        /// The code sent.
        code: String,
    },
    /// SELECT_MFA_TYPE.
    SelectMfaType,
    /// MFA_SETUP (TOTP must be associated and verified with this Session).
    MfaSetup {
        /// VerifySoftwareToken succeeded with this Session.
        verified: bool,
    },
    /// NEW_PASSWORD_REQUIRED.
    NewPasswordRequired,
    /// DEVICE_SRP_AUTH.
    DeviceSrpAuth,
    /// DEVICE_PASSWORD_VERIFIER.
    DevicePasswordVerifier {
        /// The server's (b, B).
        ephemeral: ServerEphemeral,
        /// The client's A from the DEVICE_SRP_AUTH answer.
        client_a: BigUint,
        /// The SECRET_BLOCK handed out.
        secret_block: String,
        /// The device being proven.
        device_key: String,
    },
}

impl Stage {
    /// ChallengeName.
    pub fn name(&self) -> &'static str {
        match self {
            Stage::PasswordVerifier { .. } => "PASSWORD_VERIFIER",
            Stage::SmsMfa { .. } => "SMS_MFA",
            Stage::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
            Stage::EmailOtp { .. } => "EMAIL_OTP",
            Stage::SelectMfaType => "SELECT_MFA_TYPE",
            Stage::MfaSetup { .. } => "MFA_SETUP",
            Stage::NewPasswordRequired => "NEW_PASSWORD_REQUIRED",
            Stage::DeviceSrpAuth => "DEVICE_SRP_AUTH",
            Stage::DevicePasswordVerifier { .. } => "DEVICE_PASSWORD_VERIFIER",
        }
    }
}

/// A pending challenge of one sign-in.
#[derive(Debug, Clone)]
pub struct Session {
    /// Pool id.
    pub pool_id: String,
    /// Client id.
    pub client_id: String,
    /// Internal username.
    pub username: String,
    /// The name as typed in InitiateAuth.
    pub typed_username: String,
    /// What it waits for.
    pub stage: Stage,
    /// Device key of the flow (InitiateAuth or a later answer).
    pub device_key: Option<String>,
    /// Whether MFA was passed or skipped already.
    pub mfa_done: bool,
    /// Whether an MFA code was answered in this sign-in.
    pub mfa_answered: bool,
    /// Whether this sign-in answered NEW_PASSWORD_REQUIRED.
    pub new_password_set: bool,
    /// How the password was proven (device tracking follows the SRP path).
    pub first_factor: crate::fidelity::FirstFactor,
    /// Creation, epoch seconds.
    pub created: f64,
}

/// One SMS the emulator "sent".
#[derive(Debug, Clone, Serialize)]
pub struct SmsMessage {
    /// Internal username.
    pub username: String,
    /// The name typed at sign-in.
    #[serde(skip)]
    pub typed_username: String,
    /// Phone number.
    pub destination: String,
    /// The code.
    pub code: String,
    /// Epoch seconds.
    pub sent_at: f64,
}
