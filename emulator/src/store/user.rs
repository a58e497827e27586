//! Users and their devices.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

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
    /// Whether ConfirmDevice may confirm it: issued after a sign-in that proved the password
    /// with SRP (device tracking follows the SRP path).
    #[serde(default = "super::yes")]
    pub confirmable: bool,
    /// The address of the last sign-in or confirmation on it (`last_ip_used`), when known.
    #[serde(default)]
    pub last_ip: Option<String>,
}

impl Device {
    /// DeviceType JSON, with the attributes of the AWS CLI's `list-devices` example in its
    /// order: device_status, device_name, dev:device_arn, dev:device_owner, last_ip_used,
    /// dev:device_remembered_status, dev:device_sdk. The owner is `<username>.<pool id>`; the
    /// account in the ARN is the emulator's placeholder, as in the pool ARN.
    pub fn to_json(&self, pool_id: &str) -> Value {
        let owner = format!("{}.{pool_id}", self.username);
        let region = pool_id.split('_').next().unwrap_or("us-east-1");
        let arn = format!(
            "arn:aws:cognito-idp:{region}:000000000000:owner/{owner}/device/{}",
            self.key
        );
        let remembered = if self.remembered {
            "remembered"
        } else {
            "not_remembered"
        };
        let mut attributes = vec![("device_status", "valid".to_owned())];
        if let Some(name) = &self.name {
            attributes.push(("device_name", name.clone()));
        }
        attributes.push(("dev:device_arn", arn));
        attributes.push(("dev:device_owner", owner));
        if let Some(ip) = &self.last_ip {
            attributes.push(("last_ip_used", ip.clone()));
        }
        attributes.push(("dev:device_remembered_status", remembered.to_owned()));
        attributes.push(("dev:device_sdk", "aws-sdk".to_owned()));
        let attributes: Vec<Value> = attributes
            .into_iter()
            .map(|(name, value)| serde_json::json!({ "Name": name, "Value": value }))
            .collect();
        serde_json::json!({
            "DeviceKey": self.key,
            "DeviceAttributes": attributes,
            "DeviceCreateDate": self.created,
            "DeviceLastModifiedDate": self.modified,
            "DeviceLastAuthenticatedDate": self.last_authenticated,
        })
    }
}
