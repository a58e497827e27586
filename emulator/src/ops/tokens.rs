//! Tokens: issuing id/access/refresh tokens, checking access tokens, and the refresh
//! operations (GetTokensFromRefreshToken; REFRESH_TOKEN_AUTH goes through [`refresh`]).

use serde_json::{Value, json};

use super::Req;
use crate::app::{App, peer_ip, random_b64};
use crate::error::{ApiError, ApiResult};
use crate::fidelity::FirstFactor;
use crate::store::{AppClient, Device, Origin, Pool, RefreshToken, Store, now};

/// Who a sign-in is for, and with which device.
pub struct Grant<'a> {
    /// Pool id.
    pub pool_id: &'a str,
    /// Client id.
    pub client_id: &'a str,
    /// Internal username.
    pub username: &'a str,
    /// The device the sign-in proved or declared, if any.
    pub device_key: Option<String>,
    /// How the password was proven: a device key issued after a sign-in without SRP cannot
    /// be confirmed ([`crate::Fidelity::device_confirmable`]).
    pub first_factor: FirstFactor,
}

/// Issues AuthenticationResult for a completed sign-in. When the pool tracks devices and the
/// sign-in came from no known device, a new device is created and returned as NewDeviceMetadata.
pub fn issue_for_sign_in(app: &App, store: &mut Store, grant: Grant<'_>) -> ApiResult<Value> {
    let pool = store.pool_mut(grant.pool_id)?;
    let user = pool
        .users
        .get(grant.username)
        .ok_or_else(ApiError::user_not_found)?;
    let mut device_key = grant.device_key.clone();
    let mut new_device = None;
    if pool.device_configuration.is_some() && device_key.is_none() {
        // One DeviceGroupKey per user, or a fresh one per device (`device-group-key-per-device`).
        let group_key = if app.fidelity().device_group_key_per_device {
            crate::app::new_device_group_key()
        } else {
            user.device_group_key.clone()
        };
        let confirmable = app.fidelity().device_confirmable(grant.first_factor);
        let (key, metadata) = create_device(pool, grant.username, group_key, confirmable);
        new_device = Some(metadata);
        device_key = Some(key);
    }
    if let Some(device) = device_key.as_ref().and_then(|k| pool.devices.get_mut(k)) {
        device.last_authenticated = now();
        device.last_ip = peer_ip().or(device.last_ip.take());
    }
    let origin_jti = uuid::Uuid::new_v4().to_string();
    store.origins.insert(
        origin_jti.clone(),
        Origin {
            pool_id: grant.pool_id.to_owned(),
            username: grant.username.to_owned(),
            device_key: device_key.clone(),
            revoked: false,
            refresh_revoked: false,
            auth_time: now() as i64,
        },
    );
    let mut result = mint(
        app,
        store,
        grant.pool_id,
        grant.client_id,
        grant.username,
        device_key.as_deref(),
        &origin_jti,
    )?;
    let refresh = new_refresh_token(
        store,
        grant.pool_id,
        grant.client_id,
        grant.username,
        &origin_jti,
        device_key,
        None,
    )?;
    result["RefreshToken"] = json!(refresh);
    if let Some(metadata) = new_device {
        result["NewDeviceMetadata"] = metadata;
    }
    Ok(json!({ "ChallengeParameters": {}, "AuthenticationResult": result }))
}

/// A new, unconfirmed device of `username`: its key and the NewDeviceMetadata to answer with.
fn create_device(
    pool: &mut crate::store::Pool,
    username: &str,
    group_key: String,
    confirmable: bool,
) -> (String, Value) {
    let key = format!("{}_{}", pool.region(), uuid::Uuid::new_v4());
    let created = now();
    pool.devices.insert(
        key.clone(),
        Device {
            key: key.clone(),
            group_key: group_key.clone(),
            username: username.to_owned(),
            confirmed: false,
            remembered: false,
            salt_hex: String::new(),
            verifier_hex: String::new(),
            name: None,
            created,
            modified: created,
            last_authenticated: created,
            mfa_verified_at: 0.0,
            confirmable,
            last_ip: peer_ip(),
        },
    );
    let metadata = json!({ "DeviceKey": key, "DeviceGroupKey": group_key });
    (key, metadata)
}

/// A new refresh token of a sign-in. `expires`: the expiry of the token it replaces (a rotated
/// token keeps the original's: re:Post "Rotated Refresh Token Validity", accepted answer,
/// "measured from when the user initially authenticates - not from when the token is
/// rotated"); `None`: the client's RefreshTokenValidity from now.
fn new_refresh_token(
    store: &mut Store,
    pool_id: &str,
    client_id: &str,
    username: &str,
    origin_jti: &str,
    device_key: Option<String>,
    expires: Option<f64>,
) -> ApiResult<String> {
    let validity = store
        .pool(pool_id)?
        .client(client_id)?
        .refresh_token_validity;
    let expires = expires.unwrap_or_else(|| now() + validity as f64);
    let token = random_b64(96).replace(['+', '/', '='], "");
    store.refresh_tokens.insert(
        token.clone(),
        RefreshToken {
            pool_id: pool_id.to_owned(),
            client_id: client_id.to_owned(),
            username: username.to_owned(),
            origin_jti: origin_jti.to_owned(),
            device_key,
            expires,
            rotated_at: None,
        },
    );
    Ok(token)
}

/// Signs an id and an access token for one sign-in event.
fn mint(
    app: &App,
    store: &Store,
    pool_id: &str,
    client_id: &str,
    username: &str,
    device_key: Option<&str>,
    origin_jti: &str,
) -> ApiResult<Value> {
    let pool = store.pool(pool_id)?;
    let client = pool.client(client_id)?;
    let user = pool
        .users
        .get(username)
        .ok_or_else(ApiError::user_not_found)?;
    let iat = now() as i64;
    // The sign-in's time on every token of it, refreshes included (OIDC Core 12.2).
    let auth_time = store
        .origins
        .get(origin_jti)
        .map(|o| o.auth_time)
        .filter(|t| *t > 0)
        .unwrap_or(iat);
    let iss = format!("{}/{}", app.endpoint(), pool_id);
    let event_id = uuid::Uuid::new_v4().to_string();
    let mut access = json!({
        "sub": user.sub(),
        "iss": iss,
        "client_id": client_id,
        "origin_jti": origin_jti,
        "event_id": event_id,
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": auth_time,
        "exp": iat.saturating_add(client.access_token_validity),
        "iat": iat,
        "jti": uuid::Uuid::new_v4().to_string(),
        "username": username,
    });
    if let Some(key) = device_key {
        access["device_key"] = json!(key);
    }
    let mut id = json!({
        "sub": user.sub(),
        "aud": client_id,
        "iss": iss,
        "cognito:username": username,
        "origin_jti": origin_jti,
        "event_id": event_id,
        "token_use": "id",
        "auth_time": auth_time,
        "exp": iat.saturating_add(client.id_token_validity),
        "iat": iat,
        "jti": uuid::Uuid::new_v4().to_string(),
    });
    for (name, value) in &user.attributes {
        if name != "sub" {
            id[name] = match value.as_str() {
                "true" if name.ends_with("_verified") => json!(true),
                "false" if name.ends_with("_verified") => json!(false),
                _ => json!(value),
            };
        }
    }
    Ok(json!({
        "AccessToken": app.key.encode(&access),
        "IdToken": app.key.encode(&id),
        "ExpiresIn": client.access_token_validity,
        "TokenType": "Bearer",
    }))
}

/// The user an access token speaks for: (pool id, internal username, claims).
pub fn authenticate(
    app: &App,
    store: &Store,
    access_token: &str,
) -> ApiResult<(String, String, Value)> {
    let claims = app
        .key
        .decode(access_token)
        .ok_or_else(ApiError::invalid_access_token)?;
    if claims["token_use"] != "access" {
        return Err(ApiError::invalid_access_token());
    }
    if claims["exp"].as_f64().unwrap_or(0.0) < now() {
        return Err(ApiError::not_authorized("Access Token has expired"));
    }
    let origin = claims["origin_jti"]
        .as_str()
        .and_then(|o| store.origins.get(o));
    let Some(origin) = origin else {
        return Err(ApiError::invalid_access_token());
    };
    if origin.revoked {
        return Err(ApiError::not_authorized("Access Token has been revoked"));
    }
    let pool = store
        .pool(&origin.pool_id)
        .map_err(|_| ApiError::invalid_access_token())?;
    let user = pool
        .users
        .get(&origin.username)
        .ok_or_else(ApiError::user_not_found)?;
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    Ok((origin.pool_id.clone(), origin.username.clone(), claims))
}

/// Whether a refresh hands out a new refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rotation {
    /// The refresh token stays (REFRESH_TOKEN_AUTH; clients without RefreshTokenRotation).
    Keep,
    /// A new refresh token; the old one works for the client's grace period.
    Rotate,
}

/// The record of refresh token `token` of `client`, if it may still be used.
fn usable_refresh_token(store: &Store, client: &AppClient, token: &str) -> ApiResult<RefreshToken> {
    let record = store
        .refresh_tokens
        .get(token)
        .cloned()
        .ok_or_else(ApiError::invalid_refresh_token)?;
    if record.client_id != client.id {
        return Err(ApiError::invalid_refresh_token());
    }
    // "Refresh Token has expired" (amplify-js issue 4542, quoting the answer to a refresh token
    // past its validity).
    if record.expires < now() {
        return Err(ApiError::not_authorized("Refresh Token has expired"));
    }
    // A token rotated away, after the grace period: RefreshTokenReuseException (API reference:
    // "a refresh token that has been invalidated by refresh-token rotation"; the message is
    // not public).
    if let Some(rotated_at) = record.rotated_at
        && now() > rotated_at + client.rotation_grace_seconds as f64
    {
        return Err(ApiError::new(
            "RefreshTokenReuseException",
            "Refresh token has been invalidated by rotation",
        ));
    }
    let origin = store
        .origins
        .get(&record.origin_jti)
        .ok_or_else(ApiError::invalid_refresh_token)?;
    if origin.revoked || origin.refresh_revoked {
        return Err(ApiError::not_authorized("Refresh Token has been revoked"));
    }
    Ok(record)
}

/// With device tracking on, a token bound to a device needs that confirmed DEVICE_KEY. Returns
/// whether the refresh is answered as a sign-in from a new device instead (fidelity switch
/// `refresh-issues-new-device`).
fn check_device_binding(
    app: &App,
    pool: &Pool,
    record: &RefreshToken,
    device_key: Option<&str>,
) -> ApiResult<bool> {
    let mut issue_new_device = false;
    if pool.device_configuration.is_some()
        && let Some(bound) = &record.device_key
    {
        let confirmed = pool
            .devices
            .get(bound)
            .is_some_and(|d| d.confirmed && d.username == record.username);
        let registered = device_key.is_some_and(|k| {
            pool.devices
                .get(k)
                .is_some_and(|d| d.confirmed && d.username == record.username)
        });
        if !registered && app.fidelity().refresh_issues_new_device {
            // "If your application doesn't provide the key of a registered device, Amazon
            // Cognito issues a new one." (API reference, GetTokensFromRefreshToken.DeviceKey).
            issue_new_device = true;
        } else if device_key != Some(bound.as_str()) || !confirmed {
            return Err(ApiError::invalid_refresh_token());
        }
    }
    Ok(issue_new_device)
}

/// Refresh: REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken. With device tracking on, the
/// confirmed DEVICE_KEY the token is bound to must come with it (docs/protocol.md section 4).
pub fn refresh(
    app: &App,
    store: &mut Store,
    client: &AppClient,
    token: &str,
    device_key: Option<&str>,
    rotation: Rotation,
) -> ApiResult<Value> {
    let record = usable_refresh_token(store, client, token)?;
    let pool = store.pool(&record.pool_id)?;
    let issue_new_device = check_device_binding(app, pool, &record, device_key)?;
    let user = pool
        .users
        .get(&record.username)
        .ok_or_else(ApiError::user_not_found)?;
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    if issue_new_device {
        // Tokens as for a sign-in from an unknown device: a new device, a new sign-in event
        // bound to it, its refresh token, and NewDeviceMetadata.
        return issue_for_sign_in(
            app,
            store,
            Grant {
                pool_id: &record.pool_id,
                client_id: &client.id,
                username: &record.username,
                device_key: None,
                first_factor: FirstFactor::PasswordSrp,
            },
        );
    }
    if app.fidelity().refresh_resets_auth_time
        && let Some(origin) = store.origins.get_mut(&record.origin_jti)
    {
        // The reported bug (oidc-client-ts issue 2107): the refresh's time as auth_time.
        origin.auth_time = now() as i64;
    }
    let mut result = mint(
        app,
        store,
        &record.pool_id,
        &client.id,
        &record.username,
        record.device_key.as_deref(),
        &record.origin_jti,
    )?;
    if rotation == Rotation::Rotate {
        if let Some(old) = store.refresh_tokens.get_mut(token)
            && old.rotated_at.is_none()
        {
            old.rotated_at = Some(now());
        }
        let new = new_refresh_token(
            store,
            &record.pool_id,
            &client.id,
            &record.username,
            &record.origin_jti,
            record.device_key.clone(),
            Some(record.expires),
        )?;
        result["RefreshToken"] = json!(new);
    }
    Ok(json!({ "ChallengeParameters": {}, "AuthenticationResult": result }))
}

/// GetTokensFromRefreshToken (rotates when the client enables RefreshTokenRotation).
pub fn get_tokens_from_refresh_token(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let token = req.str("RefreshToken")?;
    let client_id = req.str("ClientId")?;
    let mut store = app.store();
    let client = store.pool_of_client(client_id)?.client(client_id)?.clone();
    if let Some(secret) = &client.secret
        && req.opt_str("ClientSecret") != Some(secret.as_str())
    {
        return Err(ApiError::secret_hash_mismatch(client_id));
    }
    let out = refresh(
        app,
        &mut store,
        &client,
        token,
        req.opt_str("DeviceKey"),
        if client.refresh_token_rotation {
            Rotation::Rotate
        } else {
            Rotation::Keep
        },
    )?;
    Ok(json!({ "AuthenticationResult": out["AuthenticationResult"] }))
}
