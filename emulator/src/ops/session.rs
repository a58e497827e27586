//! The signed-in user's session: GetUser, GlobalSignOut, AdminUserGlobalSignOut, RevokeToken.

use serde_json::{Value, json};

use super::Req;
use super::tokens::authenticate;
use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::store::Store;

/// GetUser.
pub fn get_user(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let store = app.store();
    let (pool_id, username, _) = authenticate(app, &store, req.str("AccessToken")?)?;
    let user = store
        .pool(&pool_id)?
        .users
        .get(&username)
        .ok_or_else(ApiError::user_not_found)?;
    let mut out = json!({
        "Username": user.username,
        "UserAttributes": user.attribute_list(),
        "UserMFASettingList": user.mfa_settings(),
    });
    if let Some(p) = user.preferred_mfa() {
        out["PreferredMfaSetting"] = json!(p);
    }
    Ok(out)
}

fn sign_out_user(store: &mut Store, pool_id: &str, username: &str) {
    for origin in store.origins.values_mut() {
        if origin.pool_id == pool_id && origin.username == username {
            origin.revoked = true;
        }
    }
}

/// GlobalSignOut: revokes every token of the user.
pub fn global_sign_out(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let mut store = app.store();
    let (pool_id, username, _) = authenticate(app, &store, req.str("AccessToken")?)?;
    sign_out_user(&mut store, &pool_id, &username);
    Ok(json!({}))
}

/// AdminUserGlobalSignOut.
pub fn admin_user_global_sign_out(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let mut store = app.store();
    let pool = store.pool(req.str("UserPoolId")?)?;
    let username = pool
        .resolve_username(req.str("Username")?)
        .ok_or_else(ApiError::user_not_found)?;
    let pool_id = pool.id.clone();
    sign_out_user(&mut store, &pool_id, &username);
    Ok(json!({}))
}

/// RevokeToken: revokes a refresh token and the access tokens of its sign-in.
pub fn revoke_token(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let token = req.str("Token")?;
    let client_id = req.str("ClientId")?;
    let mut store = app.store();
    let client = store.pool_of_client(client_id)?.client(client_id)?.clone();
    if client.secret.is_some() && req.opt_str("ClientSecret") != client.secret.as_deref() {
        return Err(ApiError::secret_hash_mismatch(client_id));
    }
    let Some(record) = store.refresh_tokens.get(token).cloned() else {
        if app.key.decode(token).is_some() {
            return Err(ApiError::new(
                "UnsupportedTokenTypeException",
                "Unsupported token type",
            ));
        }
        return Err(ApiError::invalid_refresh_token());
    };
    if record.client_id != client_id {
        return Err(ApiError::not_authorized("Invalid Refresh Token"));
    }
    if let Some(origin) = store.origins.get_mut(&record.origin_jti) {
        origin.revoked = true;
    }
    Ok(json!({}))
}
