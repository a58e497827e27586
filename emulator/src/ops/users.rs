//! Users: AdminCreateUser, AdminSetUserPassword, AdminUpdateUserAttributes, AdminGetUser,
//! AdminDeleteUser, AdminConfirmSignUp, SignUp, ConfirmSignUp.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Req;
use super::auth::check_secret_hash;
use crate::app::{ALNUM, App, new_device_group_key, random_from, six_digits};
use crate::error::{ApiError, ApiResult};
use crate::srp;
use crate::store::{Pool, SmsMessage, User, now};

/// Checks a password against the pool's PasswordPolicy (InvalidPasswordException).
pub fn check_password_policy(pool: &Pool, password: &str) -> ApiResult<()> {
    let policy = &pool.policies["PasswordPolicy"];
    let flag = |name: &str| policy[name].as_bool().unwrap_or(false);
    let fail = |why: &str| {
        Err(ApiError::new(
            "InvalidPasswordException",
            format!("Password did not conform with policy: {why}"),
        ))
    };
    if password.chars().count() < pool.password_minimum_length {
        return fail("Password not long enough");
    }
    if flag("RequireUppercase") && !password.chars().any(|c| c.is_uppercase()) {
        return fail("Password must have uppercase characters");
    }
    if flag("RequireLowercase") && !password.chars().any(|c| c.is_lowercase()) {
        return fail("Password must have lowercase characters");
    }
    if flag("RequireNumbers") && !password.chars().any(|c| c.is_ascii_digit()) {
        return fail("Password must have numeric characters");
    }
    if flag("RequireSymbols")
        && !password
            .chars()
            .any(|c| c.is_ascii_punctuation() || c == ' ')
    {
        return fail("Password must have symbol characters");
    }
    Ok(())
}

/// Stores a new SRP salt and verifier for `password` (the password itself is not kept).
pub fn set_password(pool_name: &str, user: &mut User, password: &str) {
    let salt = srp::random_salt();
    user.salt_hex = srp::to_hex(&salt);
    user.verifier_hex = srp::to_hex(&srp::verifier(&salt, pool_name, &user.username, password));
    user.modified = now();
}

/// Whether `password` is the user's password (USER_PASSWORD_AUTH).
pub fn password_matches(pool_name: &str, user: &User, password: &str) -> bool {
    match (
        srp::parse_hex(&user.salt_hex),
        srp::parse_hex(&user.verifier_hex),
    ) {
        (Some(salt), Some(v)) => srp::verifier(&salt, pool_name, &user.username, password) == v,
        _ => false,
    }
}

/// The UserType JSON.
pub fn user_json(user: &User) -> Value {
    json!({
        "Username": user.username,
        "Attributes": user.attribute_list(),
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": user.enabled,
        "UserStatus": user.status,
    })
}

/// Masks a phone number or e-mail as Cognito's CodeDeliveryDetails do.
pub fn mask(destination: &str) -> String {
    if let Some((local, domain)) = destination.split_once('@') {
        let first = local.chars().next().unwrap_or('*');
        let dfirst = domain.chars().next().unwrap_or('*');
        format!("{first}***@{dfirst}***")
    } else {
        let tail: String = destination
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("+*******{tail}")
    }
}

fn new_user(pool: &Pool, typed: &str, attributes: Vec<(String, String)>) -> ApiResult<User> {
    let sub = uuid::Uuid::new_v4().to_string();
    let mut attrs: BTreeMap<String, String> = attributes.into_iter().collect();
    let username = if pool.username_attributes.is_empty() {
        typed.to_owned()
    } else {
        // E-mail or phone as username: the name typed is an attribute, the username the sub.
        let attribute = if typed.contains('@') {
            "email"
        } else {
            "phone_number"
        };
        if !pool.username_attributes.iter().any(|a| a == attribute) {
            return Err(ApiError::invalid_parameter(
                "Username should be either an email or a phone number.",
            ));
        }
        attrs.insert(attribute.to_owned(), typed.to_owned());
        sub.clone()
    };
    if pool.find_user(typed).is_some() || pool.users.contains_key(&username) {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User account already exists",
        ));
    }
    attrs.insert("sub".into(), sub);
    let now = now();
    Ok(User {
        username,
        attributes: attrs,
        enabled: true,
        status: "FORCE_CHANGE_PASSWORD".into(),
        salt_hex: String::new(),
        verifier_hex: String::new(),
        created: now,
        modified: now,
        sms_mfa_enabled: false,
        sms_mfa_preferred: false,
        email_mfa_enabled: false,
        email_mfa_preferred: false,
        mfa_enabled_at: 0.0,
        totp_enabled: false,
        totp_preferred: false,
        totp_secret: None,
        pending_totp_secret: None,
        device_group_key: new_device_group_key(),
        confirmation_code: None,
    })
}

/// AdminCreateUser.
pub fn admin_create_user(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let pool_id = req.str("UserPoolId")?;
    let typed = req.str("Username")?;
    let mut store = app.store();
    let pool = store.pool_mut(pool_id)?;
    let mut user = new_user(pool, typed, req.attributes("UserAttributes"))?;
    let temporary = match req.opt_str("TemporaryPassword") {
        Some(p) => {
            check_password_policy(pool, p)?;
            p.to_owned()
        }
        None => format!("Tmp{}!9a", random_from(ALNUM, 12)),
    };
    let pool_name = pool.srp_pool_name().to_owned();
    set_password(&pool_name, &mut user, &temporary);
    let out = user_json(&user);
    pool.users.insert(user.username.clone(), user);
    Ok(json!({ "User": out }))
}

fn user_mut<'p>(pool: &'p mut Pool, typed: &str) -> ApiResult<&'p mut User> {
    let username = pool
        .resolve_username(typed)
        .ok_or_else(ApiError::user_not_found)?;
    pool.users
        .get_mut(&username)
        .ok_or_else(ApiError::user_not_found)
}

/// AdminSetUserPassword.
pub fn admin_set_user_password(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let password = req.str("Password")?;
    let mut store = app.store();
    let pool = store.pool_mut(req.str("UserPoolId")?)?;
    check_password_policy(pool, password)?;
    let pool_name = pool.srp_pool_name().to_owned();
    let user = user_mut(pool, req.str("Username")?)?;
    set_password(&pool_name, user, password);
    user.status = if req.opt_bool("Permanent").unwrap_or(false) {
        "CONFIRMED"
    } else {
        "FORCE_CHANGE_PASSWORD"
    }
    .into();
    Ok(json!({}))
}

/// AdminUpdateUserAttributes.
pub fn admin_update_user_attributes(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let attributes = req.attributes("UserAttributes");
    let mut store = app.store();
    let pool = store.pool_mut(req.str("UserPoolId")?)?;
    let user = user_mut(pool, req.str("Username")?)?;
    for (name, value) in attributes {
        if name == "sub" {
            return Err(ApiError::invalid_parameter(
                "Cannot modify an already provided sub",
            ));
        }
        user.attributes.insert(name, value);
    }
    user.modified = now();
    Ok(json!({}))
}

/// AdminGetUser.
pub fn admin_get_user(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let store = app.store();
    let pool = store.pool(req.str("UserPoolId")?)?;
    let user = pool
        .find_user(req.str("Username")?)
        .ok_or_else(ApiError::user_not_found)?;
    let mut out = json!({
        "Username": user.username,
        "UserAttributes": user.attribute_list(),
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": user.enabled,
        "UserStatus": user.status,
        "UserMFASettingList": user.mfa_settings(),
    });
    if let Some(p) = user.preferred_mfa() {
        out["PreferredMfaSetting"] = json!(p);
    }
    Ok(out)
}

/// AdminDeleteUser.
pub fn admin_delete_user(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let mut store = app.store();
    let pool = store.pool_mut(req.str("UserPoolId")?)?;
    let username = pool
        .resolve_username(req.str("Username")?)
        .ok_or_else(ApiError::user_not_found)?;
    pool.users.remove(&username);
    pool.devices.retain(|_, d| d.username != username);
    Ok(json!({}))
}

/// AdminConfirmSignUp.
pub fn admin_confirm_sign_up(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let mut store = app.store();
    let pool = store.pool_mut(req.str("UserPoolId")?)?;
    let user = user_mut(pool, req.str("Username")?)?;
    user.status = "CONFIRMED".into();
    user.confirmation_code = None;
    Ok(json!({}))
}

/// SignUp: the user is UNCONFIRMED and a confirmation code goes to the outbox.
pub fn sign_up(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let client_id = req.str("ClientId")?;
    let typed = req.str("Username")?;
    let password = req.str("Password")?;
    let mut store = app.store();
    let pool_id = store.pool_of_client(client_id)?.id.clone();
    let pool = store.pool_mut(&pool_id)?;
    check_secret_hash(pool.client(client_id)?, typed, req.opt_str("SecretHash"))?;
    let mut user = new_user(pool, typed, req.attributes("UserAttributes")).map_err(|e| {
        if e.kind == "UsernameExistsException" {
            ApiError::new("UsernameExistsException", "User already exists")
        } else {
            e
        }
    })?;
    check_password_policy(pool, password)?;
    let pool_name = pool.srp_pool_name().to_owned();
    set_password(&pool_name, &mut user, password);
    user.status = "UNCONFIRMED".into();
    let code = six_digits();
    user.confirmation_code = Some(code.clone());
    let (attribute, medium) = if user.attributes.contains_key("email") {
        ("email", "EMAIL")
    } else {
        ("phone_number", "SMS")
    };
    let destination = user.attributes.get(attribute).cloned().unwrap_or_default();
    let sub = user.sub().to_owned();
    let username = user.username.clone();
    pool.users.insert(username.clone(), user);
    store.sms_outbox.push(SmsMessage {
        username,
        typed_username: typed.to_owned(),
        destination: destination.clone(),
        code,
        sent_at: now(),
    });
    Ok(json!({
        "UserConfirmed": false,
        "UserSub": sub,
        "CodeDeliveryDetails": { "Destination": mask(&destination), "DeliveryMedium": medium, "AttributeName": attribute },
    }))
}

/// ConfirmSignUp.
pub fn confirm_sign_up(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let client_id = req.str("ClientId")?;
    let typed = req.str("Username")?;
    let code = req.str("ConfirmationCode")?;
    let mut store = app.store();
    let pool_id = store.pool_of_client(client_id)?.id.clone();
    let pool = store.pool_mut(&pool_id)?;
    check_secret_hash(pool.client(client_id)?, typed, req.opt_str("SecretHash"))?;
    let user = user_mut(pool, typed)?;
    if user.status != "UNCONFIRMED" {
        return Err(ApiError::not_authorized(
            "User cannot be confirmed. Current status is CONFIRMED",
        ));
    }
    if user.confirmation_code.as_deref() != Some(code) {
        return Err(ApiError::new(
            "CodeMismatchException",
            "Invalid verification code provided, please try again.",
        ));
    }
    user.status = "CONFIRMED".into();
    user.confirmation_code = None;
    if let Some(email) = user
        .attributes
        .contains_key("email")
        .then_some("email_verified")
    {
        user.attributes.insert(email.into(), "true".into());
    }
    Ok(json!({}))
}

/// AdminDisableUser: sign-ins fail with "User is disabled." and tokens stop working.
pub fn admin_disable_user(app: &App, req: Req<'_>) -> ApiResult<Value> {
    set_enabled(app, req, false)
}

/// AdminEnableUser.
pub fn admin_enable_user(app: &App, req: Req<'_>) -> ApiResult<Value> {
    set_enabled(app, req, true)
}

fn set_enabled(app: &App, req: Req<'_>, enabled: bool) -> ApiResult<Value> {
    let mut store = app.store();
    let pool = store.pool_mut(req.str("UserPoolId")?)?;
    let user = user_mut(pool, req.str("Username")?)?;
    user.enabled = enabled;
    user.modified = now();
    Ok(json!({}))
}

/// AdminResetUserPassword: the user must use ForgotPassword's code before signing in again.
pub fn admin_reset_user_password(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let mut store = app.store();
    let pool = store.pool_mut(req.str("UserPoolId")?)?;
    let user = user_mut(pool, req.str("Username")?)?;
    user.status = "RESET_REQUIRED".into();
    user.confirmation_code = Some(six_digits());
    let message = outbox_message(user, req.str("Username")?);
    store.sms_outbox.push(message);
    Ok(json!({}))
}

fn outbox_message(user: &User, typed: &str) -> SmsMessage {
    let destination = user
        .attributes
        .get("phone_number")
        .or_else(|| user.attributes.get("email"))
        .cloned()
        .unwrap_or_default();
    SmsMessage {
        username: user.username.clone(),
        typed_username: typed.to_owned(),
        destination,
        code: user.confirmation_code.clone().unwrap_or_default(),
        sent_at: now(),
    }
}

/// ForgotPassword: a code goes to the outbox (phone, else e-mail).
pub fn forgot_password(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let client_id = req.str("ClientId")?;
    let typed = req.str("Username")?;
    let mut store = app.store();
    let pool_id = store.pool_of_client(client_id)?.id.clone();
    let pool = store.pool_mut(&pool_id)?;
    check_secret_hash(pool.client(client_id)?, typed, req.opt_str("SecretHash"))?;
    let user = user_mut(pool, typed)?;
    user.confirmation_code = Some(six_digits());
    let message = outbox_message(user, typed);
    let (medium, attribute) = if message.destination.contains('@') {
        ("EMAIL", "email")
    } else {
        ("SMS", "phone_number")
    };
    let masked = mask(&message.destination);
    store.sms_outbox.push(message);
    Ok(
        json!({ "CodeDeliveryDetails": { "Destination": masked, "DeliveryMedium": medium, "AttributeName": attribute } }),
    )
}

/// ConfirmForgotPassword: the code from ForgotPassword and a new password.
pub fn confirm_forgot_password(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let client_id = req.str("ClientId")?;
    let typed = req.str("Username")?;
    let code = req.str("ConfirmationCode")?;
    let password = req.str("Password")?;
    let mut store = app.store();
    let pool_id = store.pool_of_client(client_id)?.id.clone();
    let pool = store.pool_mut(&pool_id)?;
    check_secret_hash(pool.client(client_id)?, typed, req.opt_str("SecretHash"))?;
    check_password_policy(pool, password)?;
    let pool_name = pool.srp_pool_name().to_owned();
    let user = user_mut(pool, typed)?;
    if user.confirmation_code.as_deref() != Some(code) {
        return Err(ApiError::new(
            "CodeMismatchException",
            "Invalid verification code provided, please try again.",
        ));
    }
    set_password(&pool_name, user, password);
    user.confirmation_code = None;
    user.status = "CONFIRMED".into();
    Ok(json!({}))
}

/// ChangePassword (with the access token and the previous password).
pub fn change_password(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let previous = req.str("PreviousPassword")?;
    let proposed = req.str("ProposedPassword")?;
    let mut store = app.store();
    let (pool_id, username, _) = super::tokens::authenticate(app, &store, req.str("AccessToken")?)?;
    let pool = store.pool_mut(&pool_id)?;
    let pool_name = pool.srp_pool_name().to_owned();
    check_password_policy(pool, proposed)?;
    let user = pool
        .users
        .get_mut(&username)
        .ok_or_else(ApiError::user_not_found)?;
    if !password_matches(&pool_name, user, previous) {
        return Err(ApiError::incorrect_password());
    }
    set_password(&pool_name, user, proposed);
    Ok(json!({}))
}
