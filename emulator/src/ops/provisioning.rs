//! Provisioning: CreateUserPool, DescribeUserPool, DeleteUserPool, ListUserPools,
//! SetUserPoolMfaConfig, GetUserPoolMfaConfig, CreateUserPoolClient, DescribeUserPoolClient.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Req;
use crate::app::{ALNUM, App, random_from};
use crate::error::{ApiError, ApiResult};
use crate::store::{AppClient, DeviceConfiguration, Pool, now};

/// The UserPoolType JSON of DescribeUserPool / CreateUserPool.
pub fn pool_json(pool: &Pool) -> Value {
    let mut out = json!({
        "Id": pool.id,
        "Name": pool.name,
        "Arn": format!("arn:aws:cognito-idp:{}:000000000000:userpool/{}", pool.region(), pool.id),
        "MfaConfiguration": pool.mfa_configuration,
        "Policies": pool.policies,
        "UsernameAttributes": pool.username_attributes,
        "UsernameConfiguration": { "CaseSensitive": pool.case_sensitive },
        "AliasAttributes": pool.alias_attributes,
        "AutoVerifiedAttributes": pool.auto_verified_attributes,
        "CreationDate": pool.created,
        "LastModifiedDate": pool.created,
        "EstimatedNumberOfUsers": pool.users.len(),
        "Status": "Enabled",
    });
    if let Some(dc) = &pool.device_configuration {
        out["DeviceConfiguration"] = json!({
            "ChallengeRequiredOnNewDevice": dc.challenge_required_on_new_device,
            "DeviceOnlyRememberedOnUserPrompt": dc.device_only_remembered_on_user_prompt,
        });
    }
    out
}

fn validate_mfa(value: &str) -> ApiResult<()> {
    match value {
        "OFF" | "ON" | "OPTIONAL" => Ok(()),
        other => Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{other}' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]"
        ))),
    }
}

/// CreateUserPool.
pub fn create_user_pool(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let name = req.str("PoolName")?;
    let mfa = req.opt_str("MfaConfiguration").unwrap_or("OFF");
    validate_mfa(mfa)?;
    let device_configuration = req
        .obj("DeviceConfiguration")
        .map(|dc| DeviceConfiguration {
            challenge_required_on_new_device: dc
                .opt_bool("ChallengeRequiredOnNewDevice")
                .unwrap_or(false),
            device_only_remembered_on_user_prompt: dc
                .opt_bool("DeviceOnlyRememberedOnUserPrompt")
                .unwrap_or(false),
        });
    let username_attributes = req.strings("UsernameAttributes");
    // "True ... This is the default value." (UsernameConfigurationType, API reference).
    let case_sensitive = req
        .obj("UsernameConfiguration")
        .and_then(|c| c.opt_bool("CaseSensitive"))
        .unwrap_or(true);
    let alias_attributes = req.strings("AliasAttributes");
    if !username_attributes.is_empty() && !alias_attributes.is_empty() {
        return Err(ApiError::invalid_parameter(
            "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.",
        ));
    }
    let mut policies = req.0.get("Policies").cloned().unwrap_or_else(|| json!({}));
    if policies.get("PasswordPolicy").is_none() {
        policies["PasswordPolicy"] = json!({
            "MinimumLength": 8, "RequireUppercase": true, "RequireLowercase": true,
            "RequireNumbers": true, "RequireSymbols": true, "TemporaryPasswordValidityDays": 7
        });
    }
    let password_minimum_length = policies["PasswordPolicy"]["MinimumLength"]
        .as_u64()
        .unwrap_or(8) as usize;
    let region = app.config.region.clone();
    let id = format!("{region}_{}", random_from(ALNUM, 9));
    let software_token_mfa = mfa != "OFF";
    let pool = Pool {
        id: id.clone(),
        name: name.to_owned(),
        mfa_configuration: mfa.to_owned(),
        sms_mfa: mfa != "OFF",
        software_token_mfa,
        email_mfa: false,
        mfa_enabled_at: 0.0,
        device_configuration,
        username_attributes,
        case_sensitive,
        alias_attributes,
        auto_verified_attributes: req.strings("AutoVerifiedAttributes"),
        password_minimum_length,
        policies,
        created: now(),
        clients: BTreeMap::new(),
        users: BTreeMap::new(),
        devices: BTreeMap::new(),
    };
    let out = pool_json(&pool);
    app.store().pools.insert(id, pool);
    Ok(json!({ "UserPool": out }))
}

/// UpdateUserPool: MfaConfiguration, DeviceConfiguration (absent: device tracking off, as a
/// full update does in Cognito), Policies, AutoVerifiedAttributes.
pub fn update_user_pool(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let mut store = app.store();
    let pool = store.pool_mut(req.str("UserPoolId")?)?;
    if let Some(mfa) = req.opt_str("MfaConfiguration") {
        validate_mfa(mfa)?;
        if pool.mfa_configuration == "OFF" && mfa != "OFF" {
            pool.mfa_enabled_at = now();
        }
        pool.mfa_configuration = mfa.to_owned();
    }
    pool.device_configuration = req
        .obj("DeviceConfiguration")
        .map(|dc| DeviceConfiguration {
            challenge_required_on_new_device: dc
                .opt_bool("ChallengeRequiredOnNewDevice")
                .unwrap_or(false),
            device_only_remembered_on_user_prompt: dc
                .opt_bool("DeviceOnlyRememberedOnUserPrompt")
                .unwrap_or(false),
        });
    if let Some(policies) = req.0.get("Policies").filter(|p| p.is_object()) {
        pool.policies = policies.clone();
        pool.password_minimum_length = policies["PasswordPolicy"]["MinimumLength"]
            .as_u64()
            .unwrap_or(8) as usize;
    }
    if req.0.get("AutoVerifiedAttributes").is_some() {
        pool.auto_verified_attributes = req.strings("AutoVerifiedAttributes");
    }
    Ok(json!({}))
}

/// DescribeUserPool.
pub fn describe_user_pool(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let store = app.store();
    Ok(json!({ "UserPool": pool_json(store.pool(req.str("UserPoolId")?)?) }))
}

/// DeleteUserPool.
pub fn delete_user_pool(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let id = req.str("UserPoolId")?;
    let mut store = app.store();
    store.pool(id)?;
    store.pools.remove(id);
    Ok(json!({}))
}

/// ListUserPools (no pagination: emulators hold few pools).
pub fn list_user_pools(app: &App, _req: Req<'_>) -> ApiResult<Value> {
    let store = app.store();
    let pools: Vec<Value> = store
        .pools
        .values()
        .map(|p| json!({ "Id": p.id, "Name": p.name, "CreationDate": p.created, "LastModifiedDate": p.created }))
        .collect();
    Ok(json!({ "UserPools": pools }))
}

fn mfa_config_json(pool: &Pool) -> Value {
    let mut out = json!({
        "MfaConfiguration": pool.mfa_configuration,
        "SoftwareTokenMfaConfiguration": { "Enabled": pool.software_token_mfa },
    });
    if pool.email_mfa {
        out["EmailMfaConfiguration"] = json!({});
    }
    if pool.sms_mfa {
        out["SmsMfaConfiguration"] =
            json!({ "SmsAuthenticationMessage": "Your authentication code is {####}. " });
    }
    out
}

/// SetUserPoolMfaConfig.
pub fn set_user_pool_mfa_config(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let mut store = app.store();
    let pool = store.pool_mut(req.str("UserPoolId")?)?;
    if let Some(mfa) = req.opt_str("MfaConfiguration") {
        validate_mfa(mfa)?;
        if pool.mfa_configuration == "OFF" && mfa != "OFF" {
            pool.mfa_enabled_at = now();
        }
        pool.mfa_configuration = mfa.to_owned();
    }
    if let Some(sms) = req.0.get("SmsMfaConfiguration") {
        pool.sms_mfa = !sms.is_null();
    }
    if let Some(totp) = req.obj("SoftwareTokenMfaConfiguration") {
        pool.software_token_mfa = totp.opt_bool("Enabled").unwrap_or(false);
    }
    if let Some(email) = req.0.get("EmailMfaConfiguration") {
        pool.email_mfa = !email.is_null();
    }
    if pool.mfa_configuration != "OFF"
        && !pool.sms_mfa
        && !pool.software_token_mfa
        && !pool.email_mfa
    {
        return Err(ApiError::invalid_parameter(
            "At least one MFA method must be enabled when MFA is ON or OPTIONAL.",
        ));
    }
    Ok(mfa_config_json(pool))
}

/// GetUserPoolMfaConfig.
pub fn get_user_pool_mfa_config(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let store = app.store();
    Ok(mfa_config_json(store.pool(req.str("UserPoolId")?)?))
}

fn validity_seconds(
    req: Req<'_>,
    member: &str,
    unit_member: &str,
    default_unit: &str,
    default: i64,
) -> i64 {
    let Some(value) = req.opt_i64(member) else {
        return default;
    };
    let unit = req
        .obj("TokenValidityUnits")
        .and_then(|u| u.opt_str(unit_member))
        .unwrap_or(default_unit);
    value.saturating_mul(match unit {
        "seconds" => 1,
        "minutes" => 60,
        "hours" => 3600,
        _ => 86_400,
    })
}

fn client_json(pool: &Pool, client: &AppClient) -> Value {
    let mut out = client.raw.clone();
    out["UserPoolId"] = json!(pool.id);
    out["ClientId"] = json!(client.id);
    out["ClientName"] = json!(client.name);
    out["ExplicitAuthFlows"] = json!(client.explicit_auth_flows);
    out["CreationDate"] = json!(client.created);
    out["LastModifiedDate"] = json!(client.created);
    if let Some(secret) = &client.secret {
        out["ClientSecret"] = json!(secret);
    }
    if let Some(map) = out.as_object_mut() {
        map.remove("GenerateSecret");
    }
    out
}

/// CreateUserPoolClient.
pub fn create_user_pool_client(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let pool_id = req.str("UserPoolId")?;
    let name = req.str("ClientName")?;
    let mut flows = req.strings("ExplicitAuthFlows");
    if flows.is_empty() {
        flows = vec![
            "ALLOW_USER_SRP_AUTH".into(),
            "ALLOW_REFRESH_TOKEN_AUTH".into(),
            "ALLOW_CUSTOM_AUTH".into(),
        ];
    }
    let rotation = req.obj("RefreshTokenRotation");
    let client = AppClient {
        id: random_from(b"abcdefghijklmnopqrstuvwxyz0123456789", 26),
        name: name.to_owned(),
        secret: req
            .opt_bool("GenerateSecret")
            .unwrap_or(false)
            .then(|| random_from(b"abcdefghijklmnopqrstuvwxyz0123456789", 51)),
        explicit_auth_flows: flows,
        access_token_validity: validity_seconds(
            req,
            "AccessTokenValidity",
            "AccessToken",
            "hours",
            3600,
        ),
        id_token_validity: validity_seconds(req, "IdTokenValidity", "IdToken", "hours", 3600),
        refresh_token_validity: validity_seconds(
            req,
            "RefreshTokenValidity",
            "RefreshToken",
            "days",
            30 * 86_400,
        ),
        refresh_token_rotation: rotation.and_then(|r| r.opt_str("Feature")) == Some("ENABLED"),
        rotation_grace_seconds: rotation
            .and_then(|r| r.opt_i64("RetryGracePeriodSeconds"))
            .unwrap_or(0),
        raw: req.0.clone(),
        created: now(),
    };
    let mut store = app.store();
    let pool = store.pool_mut(pool_id)?;
    let out = client_json(pool, &client);
    pool.clients.insert(client.id.clone(), client);
    Ok(json!({ "UserPoolClient": out }))
}

/// DescribeUserPoolClient.
pub fn describe_user_pool_client(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let store = app.store();
    let pool = store.pool(req.str("UserPoolId")?)?;
    let client = pool.client(req.str("ClientId")?)?;
    Ok(json!({ "UserPoolClient": client_json(pool, client) }))
}
