//! User pools and their app clients.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Device, User};
use crate::error::{ApiError, ApiResult};

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
    /// UsernameConfiguration.CaseSensitive: true (the API's default) matches names exactly;
    /// false matches the username, the e-mail address and preferred_username in any case.
    #[serde(default = "super::yes")]
    pub case_sensitive: bool,
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

    /// Whether `typed` names `value` under the pool's UsernameConfiguration.CaseSensitive.
    fn names(&self, value: &str, typed: &str) -> bool {
        value == typed || (!self.case_sensitive && value.to_lowercase() == typed.to_lowercase())
    }

    /// Finds a user by what they typed: username, or e-mail/phone when those sign in
    /// (UsernameAttributes, or verified AliasAttributes), in any case when the pool is not
    /// case sensitive (UsernameConfigurationType: false "enables both preferred_username and
    /// email alias to be case insensitive, in addition to the username attribute").
    pub fn find_user(&self, typed: &str) -> Option<&User> {
        if let Some(user) = self.users.get(typed) {
            return Some(user);
        }
        if let Some(user) = self.users.values().find(|u| self.names(&u.username, typed)) {
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
                    .is_some_and(|v| self.names(v, typed))
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
