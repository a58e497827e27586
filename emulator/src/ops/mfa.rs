//! MFA: AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference,
//! AdminSetUserMFAPreference.

use serde_json::{Value, json};

use super::Req;
use super::auth::{mfa_setup_user, verify_mfa_setup};
use super::tokens::authenticate;
use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::store::{Store, User, now};
use crate::totp;

/// The user named by AccessToken or (during MFA_SETUP) Session: (pool id, username, session).
fn subject(
    app: &App,
    store: &mut Store,
    req: Req<'_>,
) -> ApiResult<(String, String, Option<String>)> {
    if let Some(token) = req.opt_str("AccessToken") {
        let (pool_id, username, _) = authenticate(app, store, token)?;
        return Ok((pool_id, username, None));
    }
    let session = req
        .opt_str("Session")
        .ok_or_else(|| ApiError::missing("accessToken"))?;
    let (pool_id, username) = mfa_setup_user(store, session)?;
    Ok((pool_id, username, Some(session.to_owned())))
}

fn user_mut<'s>(store: &'s mut Store, pool_id: &str, username: &str) -> ApiResult<&'s mut User> {
    store
        .pool_mut(pool_id)?
        .users
        .get_mut(username)
        .ok_or_else(ApiError::user_not_found)
}

/// AssociateSoftwareToken: a new TOTP secret, pending until VerifySoftwareToken.
pub fn associate_software_token(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let mut store = app.store();
    let (pool_id, username, session) = subject(app, &mut store, req)?;
    let secret = totp::new_secret();
    user_mut(&mut store, &pool_id, &username)?.pending_totp_secret = Some(secret.clone());
    let mut out = json!({ "SecretCode": secret });
    if let Some(session) = session {
        out["Session"] = json!(session);
    }
    Ok(out)
}

/// VerifySoftwareToken: checks a code of the pending secret (RFC 6238, one step of drift).
pub fn verify_software_token(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let code = req.str("UserCode")?;
    let mut store = app.store();
    let (pool_id, username, session) = subject(app, &mut store, req)?;
    let user = user_mut(&mut store, &pool_id, &username)?;
    let Some(secret) = user.pending_totp_secret.clone() else {
        return Err(ApiError::invalid_parameter(
            "User has not associated a software token.",
        ));
    };
    if !totp::verify(&secret, code, now() as i64) {
        return Err(ApiError::new(
            "EnableSoftwareTokenMFAException",
            "Code mismatch and fail enable Software Token MFA",
        ));
    }
    user.totp_secret = Some(secret);
    user.pending_totp_secret = None;
    user.modified = now();
    let mut out = json!({ "Status": "SUCCESS" });
    if let Some(session) = session {
        // Set up during sign-in (MFA_SETUP): TOTP is on from now.
        user.totp_enabled = true;
        user.totp_preferred = true;
        verify_mfa_setup(&mut store, &session)?;
        out["Session"] = json!(session);
    }
    Ok(out)
}

/// Applies SMSMfaSettings / SoftwareTokenMfaSettings. A settings object that is present sets
/// both flags: an absent `Enabled` or `PreferredMfa` means false (the AWS SDKs leave false
/// booleans out of the request).
fn apply_preferences(user: &mut User, req: Req<'_>) -> ApiResult<()> {
    let before = user.mfa_settings().len();
    apply_settings(user, req)?;
    if user.mfa_settings().len() > before {
        user.mfa_enabled_at = now();
    }
    Ok(())
}

fn apply_settings(user: &mut User, req: Req<'_>) -> ApiResult<()> {
    let sms = req.obj("SMSMfaSettings");
    let totp = req.obj("SoftwareTokenMfaSettings");
    if let Some(totp) = totp
        && totp.opt_bool("Enabled") == Some(true)
        && user.totp_secret.is_none()
    {
        return Err(ApiError::invalid_parameter(
            "User has not verified software token mfa",
        ));
    }
    if let Some(sms) = sms {
        user.sms_mfa_enabled = sms.opt_bool("Enabled").unwrap_or(false);
        user.sms_mfa_preferred =
            sms.opt_bool("PreferredMfa").unwrap_or(false) && user.sms_mfa_enabled;
        if user.sms_mfa_preferred {
            user.totp_preferred = false;
            user.email_mfa_preferred = false;
        }
    }
    if let Some(totp) = totp {
        user.totp_enabled = totp.opt_bool("Enabled").unwrap_or(false);
        user.totp_preferred = totp.opt_bool("PreferredMfa").unwrap_or(false) && user.totp_enabled;
        if user.totp_preferred {
            user.sms_mfa_preferred = false;
            user.email_mfa_preferred = false;
        }
    }
    if let Some(email) = req.obj("EmailMfaSettings") {
        user.email_mfa_enabled = email.opt_bool("Enabled").unwrap_or(false);
        user.email_mfa_preferred =
            email.opt_bool("PreferredMfa").unwrap_or(false) && user.email_mfa_enabled;
        if user.email_mfa_preferred {
            user.sms_mfa_preferred = false;
            user.totp_preferred = false;
        }
    }
    user.modified = now();
    Ok(())
}

/// SetUserMFAPreference.
pub fn set_user_mfa_preference(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let mut store = app.store();
    let (pool_id, username, _) = authenticate(app, &store, req.str("AccessToken")?)?;
    apply_preferences(user_mut(&mut store, &pool_id, &username)?, req)?;
    Ok(json!({}))
}

/// AdminSetUserMFAPreference.
pub fn admin_set_user_mfa_preference(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let mut store = app.store();
    let pool = store.pool_mut(req.str("UserPoolId")?)?;
    let username = pool
        .resolve_username(req.str("Username")?)
        .ok_or_else(ApiError::user_not_found)?;
    let user = pool
        .users
        .get_mut(&username)
        .ok_or_else(ApiError::user_not_found)?;
    apply_preferences(user, req)?;
    Ok(json!({}))
}
