//! The store of user pools, app clients, users and devices, plus the short-lived sign-in state
//! (challenge sessions, SECRET_BLOCKs) and the tokens handed out.
//!
//! Pools, users, devices and refresh tokens are serialisable (the `--state` file); challenge
//! sessions and the SMS outbox live only in memory.

use std::collections::{BTreeMap, HashMap};

use num_bigint::BigUint;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::srp::ServerEphemeral;

/// Seconds since the epoch, as a float (Cognito's date format on the wire).
pub fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// Everything the emulator knows.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Store {
    /// User pools by id.
    pub pools: BTreeMap<String, Pool>,
    /// Refresh tokens handed out, by token.
    #[serde(default)]
    pub refresh_tokens: HashMap<String, RefreshToken>,
    /// Sign-in events (origin_jti) and whether they were revoked.
    #[serde(default)]
    pub origins: HashMap<String, Origin>,
    /// The RS256 key, so tokens stay valid across restarts with `--state`.
    #[serde(default)]
    pub signing_key: Option<crate::jwt::KeyMaterial>,
    /// Pending challenges by Session.
    #[serde(skip)]
    pub sessions: HashMap<String, Session>,
    /// SECRET_BLOCK -> Session, so the verifier steps work without a Session.
    #[serde(skip)]
    pub secret_blocks: HashMap<String, String>,
    /// (pool, username, device key) -> Session waiting for DEVICE_SRP_AUTH.
    #[serde(skip)]
    pub pending_device_auth: HashMap<(String, String, String), String>,
    /// SMS messages sent, oldest first.
    #[serde(skip)]
    pub sms_outbox: Vec<SmsMessage>,
}

/// DeviceConfiguration of a pool.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DeviceConfiguration {
    /// ChallengeRequiredOnNewDevice.
    pub challenge_required_on_new_device: bool,
    /// DeviceOnlyRememberedOnUserPrompt.
    pub device_only_remembered_on_user_prompt: bool,
}

/// A user pool.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pool {
    /// `us-east-1_AbCdEf123`.
    pub id: String,
    /// PoolName.
    pub name: String,
    /// OFF, ON or OPTIONAL.
    pub mfa_configuration: String,
    /// Whether SMS MFA is offered (SetUserPoolMfaConfig SmsMfaConfiguration).
    pub sms_mfa: bool,
    /// Whether TOTP MFA is offered (SoftwareTokenMfaConfiguration.Enabled).
    pub software_token_mfa: bool,
    /// Whether e-mail MFA is offered (EmailMfaConfiguration present).
    #[serde(default)]
    pub email_mfa: bool,
    /// When MFA was last switched on for the pool (OFF to ON or OPTIONAL).
    #[serde(default)]
    pub mfa_enabled_at: f64,
    /// DeviceConfiguration; `None` when the pool does not track devices.
    pub device_configuration: Option<DeviceConfiguration>,
    /// UsernameAttributes (email / phone_number as username).
    pub username_attributes: Vec<String>,
    /// AliasAttributes.
    pub alias_attributes: Vec<String>,
    /// AutoVerifiedAttributes.
    pub auto_verified_attributes: Vec<String>,
    /// Minimum password length of the password policy.
    pub password_minimum_length: usize,
    /// The Policies object as given (echoed by DescribeUserPool).
    pub policies: Value,
    /// Creation date.
    pub created: f64,
    /// App clients by id.
    pub clients: BTreeMap<String, AppClient>,
    /// Users by (internal) username.
    pub users: BTreeMap<String, User>,
    /// Devices by DeviceKey.
    pub devices: BTreeMap<String, Device>,
}

/// An app client.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppClient {
    /// ClientId.
    pub id: String,
    /// ClientName.
    pub name: String,
    /// ClientSecret when GenerateSecret was true.
    pub secret: Option<String>,
    /// ExplicitAuthFlows (Cognito's defaults when not given).
    pub explicit_auth_flows: Vec<String>,
    /// Access token validity, seconds.
    pub access_token_validity: i64,
    /// Id token validity, seconds.
    pub id_token_validity: i64,
    /// Refresh token validity, seconds.
    pub refresh_token_validity: i64,
    /// RefreshTokenRotation Feature = ENABLED.
    pub refresh_token_rotation: bool,
    /// RefreshTokenRotation RetryGracePeriodSeconds.
    pub rotation_grace_seconds: i64,
    /// The request as given, for DescribeUserPoolClient.
    pub raw: Value,
    /// Creation date.
    pub created: f64,
}

impl AppClient {
    /// Whether a flow (e.g. `ALLOW_USER_PASSWORD_AUTH`) is enabled; legacy names count too.
    pub fn allows(&self, flow: &str) -> bool {
        let legacy = flow.trim_start_matches("ALLOW_");
        self.explicit_auth_flows
            .iter()
            .any(|f| f == flow || f == legacy)
    }
}

/// A user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    /// Internal username (the UUID `sub` in pools with UsernameAttributes).
    pub username: String,
    /// Attributes (`sub`, `email`, `phone_number`, ...).
    pub attributes: BTreeMap<String, String>,
    /// Enabled.
    pub enabled: bool,
    /// UserStatus: CONFIRMED, FORCE_CHANGE_PASSWORD, UNCONFIRMED, RESET_REQUIRED.
    pub status: String,
    /// SRP salt (hex), set with the password.
    pub salt_hex: String,
    /// SRP verifier g^x mod N (hex); the password itself is never kept.
    pub verifier_hex: String,
    /// Creation date.
    pub created: f64,
    /// Last modification date.
    pub modified: f64,
    /// SMS MFA enabled (SetUserMFAPreference / AdminSetUserMFAPreference).
    pub sms_mfa_enabled: bool,
    /// SMS MFA preferred.
    pub sms_mfa_preferred: bool,
    /// E-mail MFA enabled (EmailMfaSettings).
    #[serde(default)]
    pub email_mfa_enabled: bool,
    /// E-mail MFA preferred.
    #[serde(default)]
    pub email_mfa_preferred: bool,
    /// When an MFA method was last switched on for the user.
    #[serde(default)]
    pub mfa_enabled_at: f64,
    /// TOTP MFA enabled.
    pub totp_enabled: bool,
    /// TOTP MFA preferred.
    pub totp_preferred: bool,
    /// Verified TOTP secret.
    pub totp_secret: Option<String>,
    /// Secret handed out by AssociateSoftwareToken, not yet verified.
    pub pending_totp_secret: Option<String>,
    /// This user's DeviceGroupKey (all their devices share it).
    pub device_group_key: String,
    /// SignUp confirmation code, while UNCONFIRMED.
    pub confirmation_code: Option<String>,
}

impl User {
    /// `sub`.
    pub fn sub(&self) -> &str {
        self.attributes.get("sub").map(String::as_str).unwrap_or("")
    }

    /// Attributes as `[{"Name", "Value"}]`.
    pub fn attribute_list(&self) -> Value {
        Value::Array(
            self.attributes
                .iter()
                .map(|(k, v)| serde_json::json!({ "Name": k, "Value": v }))
                .collect(),
        )
    }

    /// UserMFASettingList.
    pub fn mfa_settings(&self) -> Vec<&'static str> {
        let mut list = Vec::new();
        if self.sms_mfa_enabled {
            list.push("SMS_MFA");
        }
        if self.totp_enabled {
            list.push("SOFTWARE_TOKEN_MFA");
        }
        if self.email_mfa_enabled {
            list.push("EMAIL_OTP");
        }
        list
    }

    /// PreferredMfaSetting.
    pub fn preferred_mfa(&self) -> Option<&'static str> {
        if self.totp_preferred && self.totp_enabled {
            Some("SOFTWARE_TOKEN_MFA")
        } else if self.sms_mfa_preferred && self.sms_mfa_enabled {
            Some("SMS_MFA")
        } else if self.email_mfa_preferred && self.email_mfa_enabled {
            Some("EMAIL_OTP")
        } else {
            None
        }
    }
}

/// A device.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Device {
    /// DeviceKey `<region>_<uuid>`.
    pub key: String,
    /// DeviceGroupKey.
    pub group_key: String,
    /// Owner's internal username.
    pub username: String,
    /// Whether ConfirmDevice was done.
    pub confirmed: bool,
    /// DeviceRememberedStatus is `remembered`.
    pub remembered: bool,
    /// Salt of the device verifier (hex).
    pub salt_hex: String,
    /// Device verifier (hex).
    pub verifier_hex: String,
    /// DeviceName, kept as the `device_name` attribute.
    pub name: Option<String>,
    /// Creation date.
    pub created: f64,
    /// Last modification date.
    pub modified: f64,
    /// Last authentication date.
    pub last_authenticated: f64,
    /// When a sign-in on this device last passed MFA, or it was confirmed (for the fidelity
    /// switch `mfa-after-mfa-enabled`).
    #[serde(default)]
    pub mfa_verified_at: f64,
}

impl Device {
    /// DeviceType JSON.
    pub fn to_json(&self) -> Value {
        let mut attributes = vec![serde_json::json!({
            "Name": "device_status",
            "Value": "valid",
        })];
        attributes.push(serde_json::json!({
            "Name": "dev:device_remembered_status",
            "Value": if self.remembered { "remembered" } else { "not_remembered" },
        }));
        if let Some(name) = &self.name {
            attributes.push(serde_json::json!({ "Name": "device_name", "Value": name }));
        }
        serde_json::json!({
            "DeviceKey": self.key,
            "DeviceAttributes": attributes,
            "DeviceCreateDate": self.created,
            "DeviceLastModifiedDate": self.modified,
            "DeviceLastAuthenticatedDate": self.last_authenticated,
        })
    }
}

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

impl Store {
    /// A pool or `ResourceNotFoundException`.
    pub fn pool(&self, pool_id: &str) -> ApiResult<&Pool> {
        self.pools.get(pool_id).ok_or_else(|| {
            ApiError::resource_not_found(format!("User pool {pool_id} does not exist."))
        })
    }

    /// A pool, mutable.
    pub fn pool_mut(&mut self, pool_id: &str) -> ApiResult<&mut Pool> {
        self.pools.get_mut(pool_id).ok_or_else(|| {
            ApiError::resource_not_found(format!("User pool {pool_id} does not exist."))
        })
    }

    /// The pool that owns an app client, or `ResourceNotFoundException`.
    pub fn pool_of_client(&self, client_id: &str) -> ApiResult<&Pool> {
        self.pools
            .values()
            .find(|p| p.clients.contains_key(client_id))
            .ok_or_else(|| {
                ApiError::resource_not_found(format!(
                    "User pool client {client_id} does not exist."
                ))
            })
    }

    /// Drops expired challenge sessions.
    pub fn expire_sessions(&mut self, ttl: f64) {
        let cutoff = now() - ttl;
        self.sessions.retain(|_, s| s.created >= cutoff);
        let sessions = &self.sessions;
        self.secret_blocks.retain(|_, id| sessions.contains_key(id));
        self.pending_device_auth
            .retain(|_, id| sessions.contains_key(id));
    }
}

impl Pool {
    /// AWS region of the pool (the part of its id before `_`).
    pub fn region(&self) -> &str {
        self.id.split('_').next().unwrap_or("us-east-1")
    }

    /// The pool name used in SRP: the part of the pool id after `_`.
    pub fn srp_pool_name(&self) -> &str {
        self.id.split_once('_').map(|(_, n)| n).unwrap_or(&self.id)
    }

    /// An app client or `ResourceNotFoundException`.
    pub fn client(&self, client_id: &str) -> ApiResult<&AppClient> {
        self.clients.get(client_id).ok_or_else(|| {
            ApiError::resource_not_found(format!("User pool client {client_id} does not exist."))
        })
    }

    /// Finds a user by what they typed: username, or e-mail/phone when those sign in
    /// (UsernameAttributes, or verified AliasAttributes).
    pub fn find_user(&self, typed: &str) -> Option<&User> {
        if let Some(user) = self.users.get(typed) {
            return Some(user);
        }
        let lower = typed.to_lowercase();
        if let Some(user) = self
            .users
            .values()
            .find(|u| u.username.to_lowercase() == lower)
        {
            return Some(user);
        }
        for attribute in self
            .username_attributes
            .iter()
            .chain(self.alias_attributes.iter())
        {
            let is_alias = !self.username_attributes.contains(attribute);
            let verified_name = format!("{attribute}_verified");
            let found = self.users.values().find(|u| {
                u.attributes
                    .get(attribute)
                    .is_some_and(|v| v.eq_ignore_ascii_case(typed))
                    && (!is_alias
                        || u.attributes
                            .get(&verified_name)
                            .is_some_and(|v| v == "true"))
            });
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// The internal username for what was typed.
    pub fn resolve_username(&self, typed: &str) -> Option<String> {
        self.find_user(typed).map(|u| u.username.clone())
    }
}
