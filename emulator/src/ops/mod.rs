//! One handler per Cognito operation, grouped as the API reference groups them.
//!
//! Every handler takes the shared [`App`] and the request JSON and returns the response JSON or
//! an [`ApiError`] with Cognito's `__type` and message.

pub mod auth;
pub mod devices;
pub mod mfa;
pub mod provisioning;
pub mod session;
pub mod tokens;
pub mod users;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::app::App;
use crate::error::{ApiError, ApiResult};

/// Every operation the emulator answers, for the unknown-operation error and the docs.
pub const OPERATIONS: &[&str] = &[
    "CreateUserPool",
    "DescribeUserPool",
    "DeleteUserPool",
    "ListUserPools",
    "SetUserPoolMfaConfig",
    "GetUserPoolMfaConfig",
    "CreateUserPoolClient",
    "DescribeUserPoolClient",
    "AdminCreateUser",
    "AdminSetUserPassword",
    "AdminUpdateUserAttributes",
    "AdminGetUser",
    "AdminDeleteUser",
    "AdminSetUserMFAPreference",
    "AdminConfirmSignUp",
    "SignUp",
    "AdminDisableUser",
    "AdminEnableUser",
    "AdminResetUserPassword",
    "ForgotPassword",
    "ConfirmForgotPassword",
    "ChangePassword",
    "UpdateUserPool",
    "ConfirmSignUp",
    "InitiateAuth",
    "AdminInitiateAuth",
    "RespondToAuthChallenge",
    "AdminRespondToAuthChallenge",
    "GetTokensFromRefreshToken",
    "AssociateSoftwareToken",
    "VerifySoftwareToken",
    "SetUserMFAPreference",
    "ConfirmDevice",
    "UpdateDeviceStatus",
    "ListDevices",
    "GetDevice",
    "ForgetDevice",
    "AdminListDevices",
    "AdminGetDevice",
    "AdminForgetDevice",
    "AdminUpdateDeviceStatus",
    "GetUser",
    "GlobalSignOut",
    "AdminUserGlobalSignOut",
    "RevokeToken",
];

/// Runs one operation. The answers the fidelity switches word are put in their words here: an
/// invalid Session (`expired-session-message`), a wrong SECRET_HASH
/// (`secret-hash-mismatch-message`) and an unknown operation (`unknown-operation-answer`).
pub fn dispatch(app: &App, operation: &str, request: &Value) -> ApiResult<Value> {
    run(app, operation, request).map_err(|e| {
        const DEFAULT_SECRET_HASH: &str = "Unable to verify secret hash for client ";
        if e == ApiError::invalid_session() {
            app.fidelity().invalid_session()
        } else if e.kind == "NotAuthorizedException" && e.message.starts_with(DEFAULT_SECRET_HASH) {
            app.fidelity()
                .secret_hash_mismatch(&e.message[DEFAULT_SECRET_HASH.len()..])
        } else {
            e
        }
    })
}

fn run(app: &App, operation: &str, request: &Value) -> ApiResult<Value> {
    let req = Req(request);
    match operation {
        "CreateUserPool" => provisioning::create_user_pool(app, req),
        "DescribeUserPool" => provisioning::describe_user_pool(app, req),
        "DeleteUserPool" => provisioning::delete_user_pool(app, req),
        "ListUserPools" => provisioning::list_user_pools(app, req),
        "SetUserPoolMfaConfig" => provisioning::set_user_pool_mfa_config(app, req),
        "GetUserPoolMfaConfig" => provisioning::get_user_pool_mfa_config(app, req),
        "CreateUserPoolClient" => provisioning::create_user_pool_client(app, req),
        "DescribeUserPoolClient" => provisioning::describe_user_pool_client(app, req),
        "AdminCreateUser" => users::admin_create_user(app, req),
        "AdminSetUserPassword" => users::admin_set_user_password(app, req),
        "AdminUpdateUserAttributes" => users::admin_update_user_attributes(app, req),
        "AdminGetUser" => users::admin_get_user(app, req),
        "AdminDeleteUser" => users::admin_delete_user(app, req),
        "AdminSetUserMFAPreference" => mfa::admin_set_user_mfa_preference(app, req),
        "AdminConfirmSignUp" => users::admin_confirm_sign_up(app, req),
        "SignUp" => users::sign_up(app, req),
        "AdminDisableUser" => users::admin_disable_user(app, req),
        "AdminEnableUser" => users::admin_enable_user(app, req),
        "AdminResetUserPassword" => users::admin_reset_user_password(app, req),
        "ForgotPassword" => users::forgot_password(app, req),
        "ConfirmForgotPassword" => users::confirm_forgot_password(app, req),
        "ChangePassword" => users::change_password(app, req),
        "UpdateUserPool" => provisioning::update_user_pool(app, req),
        "ConfirmSignUp" => users::confirm_sign_up(app, req),
        "InitiateAuth" | "AdminInitiateAuth" => auth::initiate_auth(app, req),
        "RespondToAuthChallenge" | "AdminRespondToAuthChallenge" => {
            auth::respond_to_auth_challenge(app, req)
        }
        "GetTokensFromRefreshToken" => tokens::get_tokens_from_refresh_token(app, req),
        "AssociateSoftwareToken" => mfa::associate_software_token(app, req),
        "VerifySoftwareToken" => mfa::verify_software_token(app, req),
        "SetUserMFAPreference" => mfa::set_user_mfa_preference(app, req),
        "ConfirmDevice" => devices::confirm_device(app, req),
        "UpdateDeviceStatus" => devices::update_device_status(app, req),
        "ListDevices" => devices::list_devices(app, req),
        "GetDevice" => devices::get_device(app, req),
        "ForgetDevice" => devices::forget_device(app, req),
        "AdminListDevices" => devices::admin_list_devices(app, req),
        "AdminGetDevice" => devices::admin_get_device(app, req),
        "AdminForgetDevice" => devices::admin_forget_device(app, req),
        "AdminUpdateDeviceStatus" => devices::admin_update_device_status(app, req),
        "GetUser" => session::get_user(app, req),
        "GlobalSignOut" => session::global_sign_out(app, req),
        "AdminUserGlobalSignOut" => session::admin_user_global_sign_out(app, req),
        "RevokeToken" => session::revoke_token(app, req),
        other => Err(app.fidelity().unknown_operation_answer.error(other)),
    }
}

/// Typed access to a request's members, with Cognito's validation errors.
#[derive(Debug, Clone, Copy)]
pub struct Req<'a>(pub &'a Value);

fn camel(member: &str) -> String {
    let mut chars = member.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

impl<'a> Req<'a> {
    /// A required string member.
    pub fn str(&self, member: &str) -> ApiResult<&'a str> {
        self.opt_str(member)
            .ok_or_else(|| ApiError::missing(&camel(member)))
    }

    /// An optional string member.
    pub fn opt_str(&self, member: &str) -> Option<&'a str> {
        self.0.get(member).and_then(Value::as_str)
    }

    /// An optional boolean member.
    pub fn opt_bool(&self, member: &str) -> Option<bool> {
        self.0.get(member).and_then(Value::as_bool)
    }

    /// An optional integer member.
    pub fn opt_i64(&self, member: &str) -> Option<i64> {
        self.0.get(member).and_then(Value::as_i64)
    }

    /// A member object.
    pub fn obj(&self, member: &str) -> Option<Req<'a>> {
        self.0.get(member).filter(|v| v.is_object()).map(Req)
    }

    /// A string-to-string map member (AuthParameters, ChallengeResponses); non-strings dropped.
    pub fn map(&self, member: &str) -> BTreeMap<String, String> {
        self.0
            .get(member)
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A list of strings member.
    pub fn strings(&self, member: &str) -> Vec<String> {
        self.0
            .get(member)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// An `[{"Name", "Value"}]` attribute list.
    pub fn attributes(&self, member: &str) -> Vec<(String, String)> {
        self.0
            .get(member)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| {
                        Some((
                            v.get("Name")?.as_str()?.to_owned(),
                            v.get("Value")?.as_str().unwrap_or("").to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A required parameter of AuthParameters / ChallengeResponses.
pub fn param<'m>(map: &'m BTreeMap<String, String>, name: &str) -> ApiResult<&'m str> {
    map.get(name)
        .map(String::as_str)
        .ok_or_else(|| ApiError::missing_parameter(name))
}
