//! InitiateAuth (and AdminInitiateAuth): USER_SRP_AUTH, USER_PASSWORD_AUTH and the admin
//! password flows, REFRESH_TOKEN_AUTH.

use std::collections::BTreeMap;

use serde_json::Value;

use super::flow::Flow;
use super::next_step::continue_flow;
use super::{check_secret_hash, client_of, parse_public_a, password_verifier};
use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::fidelity::FirstFactor;
use crate::ops::tokens::{Rotation, refresh};
use crate::ops::users::password_matches;
use crate::ops::{Req, param};
use crate::store::{Pool, Store, User};

/// InitiateAuth (and AdminInitiateAuth, which takes the same parameters plus UserPoolId).
pub fn initiate_auth(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let client_id = req.str("ClientId")?;
    let flow = req.str("AuthFlow")?;
    let params = req.map("AuthParameters");
    match flow {
        "USER_SRP_AUTH" => user_srp_auth(app, client_id, &params),
        "USER_PASSWORD_AUTH" => user_password_auth(app, client_id, &params, PasswordFlow::User),
        "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => {
            user_password_auth(app, client_id, &params, PasswordFlow::Admin)
        }
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => refresh_token_auth(app, client_id, &params),
        "CUSTOM_AUTH" => Err(ApiError::invalid_parameter(
            "Custom auth lambda trigger is not configured for the user pool.",
        )),
        other => Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{other}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH]"
        ))),
    }
}

fn check_can_sign_in(user: &User) -> ApiResult<()> {
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    match user.status.as_str() {
        "UNCONFIRMED" => Err(ApiError::new(
            "UserNotConfirmedException",
            "User is not confirmed.",
        )),
        "RESET_REQUIRED" => Err(ApiError::new(
            "PasswordResetRequiredException",
            "Password reset required for the user",
        )),
        _ => Ok(()),
    }
}

/// What a sign-in checks before anything else, in this order: the app client, that it allows
/// the flow (`allowed`, else InvalidParameterException `refused`), SECRET_HASH over the typed
/// name, the user, and whether the user may sign in. Returns the new flow, its pool and user.
fn start_flow<'s>(
    store: &'s Store,
    client_id: &str,
    params: &BTreeMap<String, String>,
    typed: &str,
    allowed: &str,
    refused: &'static str,
) -> ApiResult<(Flow, &'s Pool, &'s User)> {
    let (pool, client) = client_of(store, client_id)?;
    if !client.allows(allowed) {
        return Err(ApiError::invalid_parameter(refused));
    }
    check_secret_hash(client, typed, params.get("SECRET_HASH").map(String::as_str))?;
    let user = pool.find_user(typed).ok_or_else(ApiError::user_not_found)?;
    check_can_sign_in(user)?;
    let flow = Flow::start(
        pool,
        client_id,
        user,
        typed,
        params.get("DEVICE_KEY").cloned(),
    );
    Ok((flow, pool, user))
}

fn user_srp_auth(
    app: &App,
    client_id: &str,
    params: &BTreeMap<String, String>,
) -> ApiResult<Value> {
    let typed = param(params, "USERNAME")?;
    let client_a = parse_public_a(param(params, "SRP_A")?)?;
    let (flow, salt_hex, verifier_hex) = {
        let store = app.store();
        let (flow, _, user) = start_flow(
            &store,
            client_id,
            params,
            typed,
            "ALLOW_USER_SRP_AUTH",
            "USER_SRP_AUTH is not enabled for the client.",
        )?;
        (flow, user.salt_hex.clone(), user.verifier_hex.clone())
    };
    password_verifier::challenge(app, flow, salt_hex, &verifier_hex, client_a)
}

/// Which password flow a client must allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PasswordFlow {
    /// USER_PASSWORD_AUTH.
    User,
    /// ADMIN_USER_PASSWORD_AUTH, or its old name ADMIN_NO_SRP_AUTH.
    Admin,
}

impl PasswordFlow {
    /// The app client's ExplicitAuthFlows entry that enables it.
    fn client_setting(self) -> &'static str {
        match self {
            PasswordFlow::User => "ALLOW_USER_PASSWORD_AUTH",
            PasswordFlow::Admin => "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        }
    }
}

fn user_password_auth(
    app: &App,
    client_id: &str,
    params: &BTreeMap<String, String>,
    password_flow: PasswordFlow,
) -> ApiResult<Value> {
    let typed = param(params, "USERNAME")?;
    let password = param(params, "PASSWORD")?;
    let (flow, user, pool_name) = {
        let store = app.store();
        let (mut flow, pool, user) = start_flow(
            &store,
            client_id,
            params,
            typed,
            password_flow.client_setting(),
            "USER_PASSWORD_AUTH flow not enabled for this client",
        )?;
        // Device tracking follows the SRP path: the device key this sign-in gets cannot be
        // confirmed (AWS knowledge center; amplify-js issue 2087).
        flow.first_factor = FirstFactor::PlainPassword;
        (flow, user.clone(), pool.srp_pool_name().to_owned())
    };
    if !password_matches(&pool_name, &user, password) {
        return Err(ApiError::incorrect_password());
    }
    let mut store = app.store();
    continue_flow(app, &mut store, flow)
}

/// REFRESH_TOKEN_AUTH (and its other name REFRESH_TOKEN): new tokens, never rotated; refused
/// in an app client with refresh-token rotation.
fn refresh_token_auth(
    app: &App,
    client_id: &str,
    params: &BTreeMap<String, String>,
) -> ApiResult<Value> {
    let token = param(params, "REFRESH_TOKEN")?;
    let mut store = app.store();
    let client = client_of(&store, client_id)?.1.clone();
    // "You can't authenticate with REFRESH_TOKEN_AUTH in app clients with refresh token
    // rotation enabled." (refresh-token guide); its type and message: the switch
    // `refresh-token-auth-rotation-refusal`.
    if client.refresh_token_rotation {
        return Err(app.fidelity().rotation_refusal());
    }
    if !client.allows("ALLOW_REFRESH_TOKEN_AUTH") {
        return Err(ApiError::invalid_parameter(
            "Refresh Token auth flow is not enabled for this client.",
        ));
    }
    if client.secret.is_some() {
        // The hash is over the user's internal name, which only the token knows (the one
        // GetUser returns: aws-sdk-net-extensions-cognito issue 122 and pull request 126; in a
        // pool with e-mail or phone as username that name is the sub).
        let username = store
            .refresh_tokens
            .get(token)
            .map(|r| r.username.clone())
            .unwrap_or_default();
        let given = params.get("SECRET_HASH").map(String::as_str);
        check_secret_hash(&client, &username, given)?;
    }
    refresh(
        app,
        &mut store,
        &client,
        token,
        params.get("DEVICE_KEY").map(String::as_str),
        Rotation::Keep,
    )
}
