//! Sign-in: InitiateAuth (USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH) and
//! RespondToAuthChallenge (PASSWORD_VERIFIER, SMS_MFA, SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE,
//! MFA_SETUP, NEW_PASSWORD_REQUIRED, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER).
//!
//! After the password is proven, `continue_flow` decides the next step exactly in this order:
//! NEW_PASSWORD_REQUIRED; the device check (a DEVICE_KEY that is unknown, forgotten or another
//! user's is refused); MFA unless a remembered device replaces it (pool setting
//! ChallengeRequiredOnNewDevice, docs/protocol.md section 4); DEVICE_SRP_AUTH for a known device;
//! tokens, with NewDeviceMetadata when the sign-in came from no known device.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use num_bigint::BigUint;
use num_traits::Zero;
use serde_json::{Value, json};

use super::tokens::{Grant, issue_for_sign_in, refresh};
use super::users::{check_password_policy, mask, password_matches, set_password};
use super::{Req, param};
use crate::app::{App, random_b64, six_digits};
use crate::error::{ApiError, ApiResult};
use crate::srp::{self, GROUP, ServerEphemeral};
use crate::store::{AppClient, Pool, Session, SmsMessage, Stage, Store, User, now};
use crate::{timestamp, totp};

/// Checks SECRET_HASH for clients with a secret (docs/protocol.md section 3).
pub fn check_secret_hash(
    client: &AppClient,
    username: &str,
    provided: Option<&str>,
) -> ApiResult<()> {
    // Wordings quoted from real answers: pmill/aws-cognito pull request 23 (a hash sent to a
    // client without a secret); amplify-android issue 2504 (a missing hash).
    let Some(secret) = &client.secret else {
        if provided.is_some() {
            return Err(ApiError::invalid_parameter(format!(
                "App client {} is not configured for secret but secret hash was received",
                client.id
            )));
        }
        return Ok(());
    };
    let Some(provided) = provided else {
        return Err(ApiError::not_authorized(format!(
            "Client {} is configured with secret but SECRET_HASH was not received",
            client.id
        )));
    };
    if srp::secret_hash(secret, username, &client.id) != provided {
        return Err(ApiError::not_authorized(format!(
            "Unable to verify secret hash for client {}",
            client.id
        )));
    }
    Ok(())
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

/// One sign-in in progress.
#[derive(Debug, Clone)]
struct Flow {
    pool_id: String,
    client_id: String,
    username: String,
    typed_username: String,
    device_key: Option<String>,
    mfa_done: bool,
    mfa_answered: bool,
    new_password_set: bool,
}

impl Flow {
    fn from_session(s: &Session) -> Self {
        Flow {
            pool_id: s.pool_id.clone(),
            client_id: s.client_id.clone(),
            username: s.username.clone(),
            typed_username: s.typed_username.clone(),
            device_key: s.device_key.clone(),
            mfa_done: s.mfa_done,
            mfa_answered: s.mfa_answered,
            new_password_set: s.new_password_set,
        }
    }
}

fn open_session(app: &App, store: &mut Store, flow: &Flow, stage: Stage) -> String {
    store.expire_sessions(app.session_ttl());
    let id = random_b64(192);
    if let Stage::PasswordVerifier { secret_block, .. }
    | Stage::DevicePasswordVerifier { secret_block, .. } = &stage
    {
        store.secret_blocks.insert(secret_block.clone(), id.clone());
    }
    if let (Stage::DeviceSrpAuth, Some(key)) = (&stage, &flow.device_key) {
        store.pending_device_auth.insert(
            (flow.pool_id.clone(), flow.username.clone(), key.clone()),
            id.clone(),
        );
    }
    store.sessions.insert(
        id.clone(),
        Session {
            pool_id: flow.pool_id.clone(),
            client_id: flow.client_id.clone(),
            username: flow.username.clone(),
            typed_username: flow.typed_username.clone(),
            stage,
            device_key: flow.device_key.clone(),
            mfa_done: flow.mfa_done,
            mfa_answered: flow.mfa_answered,
            new_password_set: flow.new_password_set,
            created: now(),
        },
    );
    id
}

/// Removes a session (single use) and checks it is alive, of the right client and challenge.
fn take_session(
    app: &App,
    store: &mut Store,
    id: &str,
    client_id: &str,
    challenge: &str,
) -> ApiResult<Session> {
    let session = store
        .sessions
        .remove(id)
        .ok_or_else(ApiError::invalid_session)?;
    store.secret_blocks.retain(|_, s| s != id);
    store.pending_device_auth.retain(|_, s| s != id);
    if session.created + app.session_ttl() < now() || session.client_id != client_id {
        return Err(ApiError::invalid_session());
    }
    if session.stage.name() != challenge {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid challenge name {challenge}: the session expects {}",
            session.stage.name()
        )));
    }
    Ok(session)
}

/// USERNAME in a challenge response may be USER_ID_FOR_SRP, the challenge's USERNAME, or the
/// name typed at InitiateAuth (docs/protocol.md section 2); anything else is refused.
fn check_username(pool: &Pool, session: &Session, given: &str) -> ApiResult<()> {
    if given == session.username
        || given == session.typed_username
        || pool.resolve_username(given).as_deref() == Some(session.username.as_str())
    {
        Ok(())
    } else {
        Err(ApiError::incorrect_password())
    }
}

fn client_of<'s>(store: &'s Store, client_id: &str) -> ApiResult<(&'s Pool, &'s AppClient)> {
    let pool = store.pool_of_client(client_id)?;
    Ok((pool, pool.client(client_id)?))
}

fn parse_public_a(hex: &str) -> ApiResult<BigUint> {
    let a = srp::parse_hex(hex)
        .ok_or_else(|| ApiError::invalid_parameter("SRP_A is not a valid hex number"))?;
    if (&a % &GROUP.n).is_zero() {
        return Err(ApiError::not_authorized("Incorrect username or password."));
    }
    Ok(a)
}

fn decode_b64(text: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(text)
        .or_else(|_| URL_SAFE.decode(text))
        .ok()
}

/// Checks TIMESTAMP (ministack pull request 1758, measured on a real pool): unreadable is
/// InvalidParameterException with Cognito's wording; readable but not the server's own string
/// (zero-padded day, wrong weekday), or too far from the server clock (fidelity switch
/// `timestamp-tolerance`), is "Incorrect username or password.".
fn check_timestamp(app: &App, text: &str) -> ApiResult<()> {
    let at = timestamp::read(text).map_err(|rejection| match rejection {
        timestamp::Rejection::Format => ApiError::invalid_parameter(
            "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.",
        ),
        timestamp::Rejection::NotCanonical => ApiError::incorrect_password(),
    })?;
    if (at as f64 - now()).abs() > app.fidelity().timestamp_tolerance_seconds as f64 {
        return Err(ApiError::incorrect_password());
    }
    Ok(())
}

/// InitiateAuth (and AdminInitiateAuth, which takes the same parameters plus UserPoolId).
pub fn initiate_auth(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let client_id = req.str("ClientId")?;
    let flow = req.str("AuthFlow")?;
    let params = req.map("AuthParameters");
    match flow {
        "USER_SRP_AUTH" => user_srp_auth(app, client_id, &params),
        "USER_PASSWORD_AUTH" | "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => {
            user_password_auth(app, client_id, &params, flow.starts_with("ADMIN"))
        }
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
            let token = param(&params, "REFRESH_TOKEN")?;
            let mut store = app.store();
            let client = client_of(&store, client_id)?.1.clone();
            if !client.allows("ALLOW_REFRESH_TOKEN_AUTH") {
                return Err(ApiError::invalid_parameter(
                    "Refresh Token auth flow is not enabled for this client.",
                ));
            }
            if client.secret.is_some() {
                // The hash is over the user's internal name (or sub), which only the token knows.
                let username = store
                    .refresh_tokens
                    .get(token)
                    .map(|r| r.username.clone())
                    .unwrap_or_default();
                let sub = store
                    .pool_of_client(client_id)
                    .ok()
                    .and_then(|p| p.users.get(&username))
                    .map(|u| u.sub().to_owned())
                    .unwrap_or_default();
                let given = params.get("SECRET_HASH").map(String::as_str);
                check_secret_hash(&client, &username, given)
                    .or_else(|e| check_secret_hash(&client, &sub, given).map_err(|_| e))?;
            }
            refresh(
                app,
                &mut store,
                &client,
                token,
                params.get("DEVICE_KEY").map(String::as_str),
                false,
            )
        }
        "CUSTOM_AUTH" => Err(ApiError::invalid_parameter(
            "Custom auth lambda trigger is not configured for the user pool.",
        )),
        other => Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{other}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH]"
        ))),
    }
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
        let (pool, client) = client_of(&store, client_id)?;
        if !client.allows("ALLOW_USER_SRP_AUTH") {
            return Err(ApiError::invalid_parameter(
                "USER_SRP_AUTH is not enabled for the client.",
            ));
        }
        check_secret_hash(client, typed, params.get("SECRET_HASH").map(String::as_str))?;
        let user = pool.find_user(typed).ok_or_else(ApiError::user_not_found)?;
        check_can_sign_in(user)?;
        let flow = Flow {
            pool_id: pool.id.clone(),
            client_id: client_id.to_owned(),
            username: user.username.clone(),
            typed_username: typed.to_owned(),
            device_key: params.get("DEVICE_KEY").cloned(),
            mfa_done: false,
            mfa_answered: false,
            new_password_set: false,
        };
        (flow, user.salt_hex.clone(), user.verifier_hex.clone())
    };
    let v = srp::parse_hex(&verifier_hex).ok_or_else(ApiError::incorrect_password)?;
    // The heavy maths runs outside the store lock.
    let ephemeral = ServerEphemeral::new(&v);
    let public_b = srp::to_hex(&ephemeral.public_b);
    let secret_block = random_b64(256);
    let mut store = app.store();
    open_session(
        app,
        &mut store,
        &flow,
        Stage::PasswordVerifier {
            ephemeral,
            client_a,
            secret_block: secret_block.clone(),
        },
    );
    // No Session with PASSWORD_VERIFIER: real answers carry none (ministack pull request 1758,
    // measured; the response quoted in floci issue 1305). The SECRET_BLOCK names the state.
    Ok(json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": salt_hex,
            "SRP_B": public_b,
            "SECRET_BLOCK": secret_block,
            "USER_ID_FOR_SRP": flow.username,
            "USERNAME": flow.username,
        },
    }))
}

fn user_password_auth(
    app: &App,
    client_id: &str,
    params: &BTreeMap<String, String>,
    admin: bool,
) -> ApiResult<Value> {
    let typed = param(params, "USERNAME")?;
    let password = param(params, "PASSWORD")?;
    let (flow, user, pool_name) = {
        let store = app.store();
        let (pool, client) = client_of(&store, client_id)?;
        let allowed = if admin {
            client.allows("ALLOW_ADMIN_USER_PASSWORD_AUTH")
        } else {
            client.allows("ALLOW_USER_PASSWORD_AUTH")
        };
        if !allowed {
            return Err(ApiError::invalid_parameter(
                "USER_PASSWORD_AUTH flow not enabled for this client",
            ));
        }
        check_secret_hash(client, typed, params.get("SECRET_HASH").map(String::as_str))?;
        let user = pool.find_user(typed).ok_or_else(ApiError::user_not_found)?;
        check_can_sign_in(user)?;
        let flow = Flow {
            pool_id: pool.id.clone(),
            client_id: client_id.to_owned(),
            username: user.username.clone(),
            typed_username: typed.to_owned(),
            device_key: params.get("DEVICE_KEY").cloned(),
            mfa_done: false,
            mfa_answered: false,
            new_password_set: false,
        };
        (flow, user.clone(), pool.srp_pool_name().to_owned())
    };
    if !password_matches(&pool_name, &user, password) {
        return Err(ApiError::incorrect_password());
    }
    let mut store = app.store();
    continue_flow(app, &mut store, flow)
}

/// RespondToAuthChallenge.
pub fn respond_to_auth_challenge(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let client_id = req.str("ClientId")?;
    let challenge = req.str("ChallengeName")?;
    let responses = req.map("ChallengeResponses");
    let session_id = req.opt_str("Session");
    match challenge {
        "PASSWORD_VERIFIER" => verifier_step(app, client_id, session_id, &responses, false),
        "DEVICE_PASSWORD_VERIFIER" => verifier_step(app, client_id, session_id, &responses, true),
        "DEVICE_SRP_AUTH" => device_srp_auth(app, client_id, session_id, &responses),
        "SMS_MFA"
        | "SOFTWARE_TOKEN_MFA"
        | "EMAIL_OTP"
        | "SELECT_MFA_TYPE"
        | "MFA_SETUP"
        | "NEW_PASSWORD_REQUIRED" => {
            // amazon-cognito-identity-js issue 627 quotes this answer.
            let session_id = session_id.ok_or_else(|| ApiError::missing_parameter("Session"))?;
            session_step(app, client_id, challenge, session_id, &responses)
        }
        other => Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{other}' at 'challengeName' failed to satisfy constraint: Member must satisfy enum value set"
        ))),
    }
}

/// PASSWORD_VERIFIER (user) or DEVICE_PASSWORD_VERIFIER (device): checks the claim signature.
fn verifier_step(
    app: &App,
    client_id: &str,
    session_id: Option<&str>,
    responses: &BTreeMap<String, String>,
    device: bool,
) -> ApiResult<Value> {
    let challenge = if device {
        "DEVICE_PASSWORD_VERIFIER"
    } else {
        "PASSWORD_VERIFIER"
    };
    let username = param(responses, "USERNAME")?;
    let block = param(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = param(responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = param(responses, "TIMESTAMP")?;
    let answered_device_key = if device {
        Some(param(responses, "DEVICE_KEY")?)
    } else {
        None
    };
    let (session, realm, user_id, verifier_hex) = {
        let mut store = app.store();
        store.expire_sessions(app.session_ttl());
        // Session may be absent (or stale) on the verifier steps: the SECRET_BLOCK names the state.
        let id = match session_id.filter(|s| store.sessions.contains_key(*s)) {
            Some(s) => s.to_owned(),
            None => store
                .secret_blocks
                .get(block)
                .cloned()
                .ok_or_else(ApiError::invalid_session)?,
        };
        let session = take_session(app, &mut store, &id, client_id, challenge)?;
        let (pool, client) = client_of(&store, client_id)?;
        check_username(pool, &session, username)?;
        check_secret_hash(
            client,
            &session.username,
            responses.get("SECRET_HASH").map(String::as_str),
        )?;
        let (realm, user_id, verifier_hex) = match &session.stage {
            Stage::PasswordVerifier { secret_block, .. } if secret_block == block => {
                let user = pool
                    .users
                    .get(&session.username)
                    .ok_or_else(ApiError::user_not_found)?;
                (
                    pool.srp_pool_name().to_owned(),
                    user.username.clone(),
                    user.verifier_hex.clone(),
                )
            }
            Stage::DevicePasswordVerifier {
                secret_block,
                device_key,
                ..
            } if secret_block == block => {
                if answered_device_key != Some(device_key.as_str()) {
                    return Err(ApiError::incorrect_password());
                }
                let device = pool
                    .devices
                    .get(device_key)
                    .ok_or_else(ApiError::device_not_found)?;
                (
                    device.group_key.clone(),
                    device.key.clone(),
                    device.verifier_hex.clone(),
                )
            }
            _ => return Err(ApiError::invalid_session()),
        };
        (session, realm, user_id, verifier_hex)
    };
    check_timestamp(app, timestamp)?;
    let (Stage::PasswordVerifier {
        ephemeral,
        client_a,
        ..
    }
    | Stage::DevicePasswordVerifier {
        ephemeral,
        client_a,
        ..
    }) = &session.stage
    else {
        return Err(ApiError::invalid_session());
    };
    let block_bytes = decode_b64(block).ok_or_else(ApiError::invalid_session)?;
    let signature = decode_b64(signature).ok_or_else(ApiError::incorrect_password)?;
    let v = srp::parse_hex(&verifier_hex).ok_or_else(ApiError::incorrect_password)?;
    let key =
        srp::server_key(client_a, ephemeral, &v).map_err(|_| ApiError::incorrect_password())?;
    if !srp::verify_claim(&key, &realm, &user_id, &block_bytes, timestamp, &signature) {
        tracing::info!(challenge, user = %session.username, "claim signature rejected");
        return Err(ApiError::incorrect_password());
    }
    let mut flow = Flow::from_session(&session);
    let mut store = app.store();
    if device {
        flow.device_key = answered_device_key.map(str::to_owned);
        if flow.mfa_answered
            && let Some(d) = store
                .pool_mut(&flow.pool_id)?
                .devices
                .get_mut(answered_device_key.unwrap_or_default())
        {
            d.mfa_verified_at = now();
        }
        return issue_for_sign_in(
            app,
            &mut store,
            Grant {
                pool_id: &flow.pool_id,
                client_id: &flow.client_id,
                username: &flow.username,
                device_key: flow.device_key.clone(),
            },
        );
    }
    if let Some(key) = responses.get("DEVICE_KEY") {
        flow.device_key = Some(key.clone());
    }
    continue_flow(app, &mut store, flow)
}

/// DEVICE_SRP_AUTH: the device's SRP_A; answers DEVICE_PASSWORD_VERIFIER.
fn device_srp_auth(
    app: &App,
    client_id: &str,
    session_id: Option<&str>,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Value> {
    let username = param(responses, "USERNAME")?;
    let device_key = param(responses, "DEVICE_KEY")?;
    let client_a = parse_public_a(param(responses, "SRP_A")?)?;
    let (mut flow, device) = {
        let mut store = app.store();
        store.expire_sessions(app.session_ttl());
        let (pool, _) = client_of(&store, client_id)?;
        let internal = pool
            .resolve_username(username)
            .unwrap_or_else(|| username.to_owned());
        let key = (pool.id.clone(), internal, device_key.to_owned());
        // Session may be absent: the pending device step is found by user and device.
        let id = match session_id.filter(|s| store.sessions.contains_key(*s)) {
            Some(s) => s.to_owned(),
            None => store
                .pending_device_auth
                .get(&key)
                .cloned()
                .ok_or_else(ApiError::invalid_session)?,
        };
        let session = take_session(app, &mut store, &id, client_id, "DEVICE_SRP_AUTH")?;
        let (pool, client) = client_of(&store, client_id)?;
        check_username(pool, &session, username)?;
        check_secret_hash(
            client,
            &session.username,
            responses.get("SECRET_HASH").map(String::as_str),
        )?;
        let device = pool
            .devices
            .get(device_key)
            .filter(|d| d.confirmed)
            .ok_or_else(ApiError::device_not_found)?;
        // Another user's device: "Device does not exist." (amplify-js pull request 12182).
        if device.username != session.username {
            return Err(ApiError::device_not_found());
        }
        (Flow::from_session(&session), device.clone())
    };
    let v = srp::parse_hex(&device.verifier_hex).ok_or_else(ApiError::incorrect_password)?;
    let ephemeral = ServerEphemeral::new(&v);
    let public_b = srp::to_hex(&ephemeral.public_b);
    let secret_block = random_b64(256);
    flow.device_key = Some(device.key.clone());
    let mut store = app.store();
    let session = open_session(
        app,
        &mut store,
        &flow,
        Stage::DevicePasswordVerifier {
            ephemeral,
            client_a,
            secret_block: secret_block.clone(),
            device_key: device.key.clone(),
        },
    );
    Ok(json!({
        "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
        "Session": session,
        "ChallengeParameters": {
            "SALT": device.salt_hex,
            "SRP_B": public_b,
            "SECRET_BLOCK": secret_block,
            "USERNAME": flow.username,
            "DEVICE_KEY": device.key,
        },
    }))
}

/// The Session-bound challenges: SMS_MFA, SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, MFA_SETUP,
/// NEW_PASSWORD_REQUIRED.
fn session_step(
    app: &App,
    client_id: &str,
    challenge: &str,
    session_id: &str,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Value> {
    let username = param(responses, "USERNAME")?;
    let mut store = app.store();
    let session = take_session(app, &mut store, session_id, client_id, challenge)?;
    {
        let (pool, client) = client_of(&store, client_id)?;
        check_username(pool, &session, username)?;
        check_secret_hash(
            client,
            &session.username,
            responses.get("SECRET_HASH").map(String::as_str),
        )?;
    }
    let mut flow = Flow::from_session(&session);
    if let Some(key) = responses.get("DEVICE_KEY") {
        flow.device_key = Some(key.clone());
    }
    // A wrong code leaves the session usable for another try, as Cognito does.
    let retry = |store: &mut Store, e: ApiError| {
        store
            .sessions
            .insert(session_id.to_owned(), session.clone());
        Err(e)
    };
    match &session.stage {
        Stage::SmsMfa { code } => {
            let given = param(responses, "SMS_MFA_CODE")?;
            if given != code {
                return retry(&mut store, ApiError::code_mismatch());
            }
            flow.mfa_done = true;
            flow.mfa_answered = true;
        }
        Stage::EmailOtp { code } => {
            let given = param(responses, "EMAIL_OTP_CODE")?;
            if given != code {
                return retry(&mut store, ApiError::code_mismatch());
            }
            flow.mfa_done = true;
            flow.mfa_answered = true;
        }
        Stage::SoftwareTokenMfa => {
            let given = param(responses, "SOFTWARE_TOKEN_MFA_CODE")?;
            let secret = store
                .pool(&flow.pool_id)?
                .users
                .get(&flow.username)
                .and_then(|u| u.totp_secret.clone())
                .unwrap_or_default();
            if !totp::verify(&secret, given, now() as i64) {
                return retry(&mut store, ApiError::code_mismatch());
            }
            flow.mfa_done = true;
            flow.mfa_answered = true;
        }
        Stage::SelectMfaType => {
            let answer = param(responses, "ANSWER")?;
            let stage = match answer {
                "SMS_MFA" => return sms_challenge(app, &mut store, &flow),
                "EMAIL_OTP" => return email_challenge(app, &mut store, &flow),
                "SOFTWARE_TOKEN_MFA" => Stage::SoftwareTokenMfa,
                _ => {
                    return retry(
                        &mut store,
                        ApiError::invalid_parameter(
                            "ANSWER must be SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP",
                        ),
                    );
                }
            };
            let id = open_session(app, &mut store, &flow, stage);
            return Ok(
                json!({ "ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": id, "ChallengeParameters": {} }),
            );
        }
        Stage::MfaSetup { verified } => {
            if !verified {
                return retry(
                    &mut store,
                    ApiError::invalid_parameter(
                        "Software token MFA has not been verified for this session.",
                    ),
                );
            }
            flow.mfa_done = true;
            flow.mfa_answered = true;
        }
        Stage::NewPasswordRequired => {
            let password = param(responses, "NEW_PASSWORD")?;
            let pool = store.pool_mut(&flow.pool_id)?;
            if let Err(e) = check_password_policy(pool, password) {
                return retry(&mut store, e);
            }
            let pool_name = pool.srp_pool_name().to_owned();
            let user = pool
                .users
                .get_mut(&flow.username)
                .ok_or_else(ApiError::user_not_found)?;
            set_password(&pool_name, user, password);
            user.status = "CONFIRMED".into();
            flow.new_password_set = true;
            for (name, value) in responses {
                if let Some(attribute) = name.strip_prefix("userAttributes.") {
                    user.attributes.insert(attribute.to_owned(), value.clone());
                }
            }
        }
        _ => return Err(ApiError::invalid_session()),
    }
    continue_flow(app, &mut store, flow)
}

fn sms_challenge(app: &App, store: &mut Store, flow: &Flow) -> ApiResult<Value> {
    let phone = store
        .pool(&flow.pool_id)?
        .users
        .get(&flow.username)
        .and_then(|u| u.attributes.get("phone_number").cloned())
        .unwrap_or_default();
    let code = six_digits();
    tracing::info!(username = %flow.username, destination = %phone, code = %code, "SMS MFA code sent");
    store.sms_outbox.push(SmsMessage {
        username: flow.username.clone(),
        typed_username: flow.typed_username.clone(),
        destination: phone.clone(),
        code: code.clone(),
        sent_at: now(),
    });
    let id = open_session(app, store, flow, Stage::SmsMfa { code });
    Ok(json!({
        "ChallengeName": "SMS_MFA",
        "Session": id,
        "ChallengeParameters": {
            "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
            "CODE_DELIVERY_DESTINATION": mask(&phone),
            "USER_ID_FOR_SRP": flow.username,
        },
    }))
}

/// EMAIL_OTP: the code goes to the same outbox as SMS codes, with the e-mail address as
/// destination.
fn email_challenge(app: &App, store: &mut Store, flow: &Flow) -> ApiResult<Value> {
    let email = store
        .pool(&flow.pool_id)?
        .users
        .get(&flow.username)
        .and_then(|u| u.attributes.get("email").cloned())
        .unwrap_or_default();
    let code = six_digits();
    tracing::info!(username = %flow.username, destination = %email, code = %code, "e-mail MFA code sent");
    store.sms_outbox.push(SmsMessage {
        username: flow.username.clone(),
        typed_username: flow.typed_username.clone(),
        destination: email.clone(),
        code: code.clone(),
        sent_at: now(),
    });
    let id = open_session(app, store, flow, Stage::EmailOtp { code });
    Ok(json!({
        "ChallengeName": "EMAIL_OTP",
        "Session": id,
        "ChallengeParameters": {
            "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
            "CODE_DELIVERY_DESTINATION": mask_email(&email),
            "USER_ID_FOR_SRP": flow.username,
        },
    }))
}

/// `j***@e***` as Cognito masks addresses.
fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!(
            "{}***@{}***",
            local.chars().next().unwrap_or('*'),
            domain.chars().next().unwrap_or('*')
        ),
        None => "***".to_owned(),
    }
}

/// The MFA step a user owes, if any: `None` for no MFA.
fn mfa_stage(pool: &Pool, user: &User) -> Option<Stage> {
    let phone = user.attributes.contains_key("phone_number");
    let sms = pool.sms_mfa && phone && user.sms_mfa_enabled;
    let totp = pool.software_token_mfa && user.totp_enabled && user.totp_secret.is_some();
    let email = pool.email_mfa && user.email_mfa_enabled && user.attributes.contains_key("email");
    let sms_stage = || Stage::SmsMfa {
        code: String::new(),
    };
    let email_stage = || Stage::EmailOtp {
        code: String::new(),
    };
    let chosen = match (sms, totp, email) {
        (false, false, false) => None,
        (true, false, false) => Some(sms_stage()),
        (false, true, false) => Some(Stage::SoftwareTokenMfa),
        (false, false, true) => Some(email_stage()),
        _ => match user.preferred_mfa() {
            Some("SMS_MFA") if sms => Some(sms_stage()),
            Some("SOFTWARE_TOKEN_MFA") if totp => Some(Stage::SoftwareTokenMfa),
            Some("EMAIL_OTP") if email => Some(email_stage()),
            _ => Some(Stage::SelectMfaType),
        },
    };
    match pool.mfa_configuration.as_str() {
        "ON" => chosen.or_else(|| {
            if pool.sms_mfa && phone {
                Some(Stage::SmsMfa {
                    code: String::new(),
                })
            } else if pool.software_token_mfa {
                Some(Stage::MfaSetup { verified: false })
            } else {
                None
            }
        }),
        "OPTIONAL" => chosen,
        _ => None,
    }
}

/// Whether a remembered device still owes MFA in this sign-in, under the behaviours no public
/// source settles (the fidelity switches): an e-mail code (the API reference says a
/// remembered device replaces "SMS and TOTP factors"), the sign-in that set a new password,
/// and the first sign-in after MFA was switched on.
fn mfa_owed_despite_device(
    app: &App,
    pool: &Pool,
    user: &User,
    device: &crate::store::Device,
    flow: &Flow,
) -> bool {
    let fidelity = app.fidelity();
    let email = matches!(mfa_stage(pool, user), Some(Stage::EmailOtp { .. }));
    (email && !fidelity.remembered_device_skips_email_otp)
        || (flow.new_password_set && fidelity.mfa_after_new_password)
        || (fidelity.mfa_after_mfa_enabled
            && pool.mfa_enabled_at.max(user.mfa_enabled_at) > device.mfa_verified_at)
}

/// What comes after the password: see the module docs.
fn continue_flow(app: &App, store: &mut Store, mut flow: Flow) -> ApiResult<Value> {
    let pool = store.pool(&flow.pool_id)?;
    let user = pool
        .users
        .get(&flow.username)
        .ok_or_else(ApiError::user_not_found)?;
    if user.status == "FORCE_CHANGE_PASSWORD" {
        let mut attributes = user.attributes.clone();
        attributes.remove("sub");
        let params = json!({
            "USER_ID_FOR_SRP": flow.username,
            "requiredAttributes": "[]",
            "userAttributes": serde_json::to_string(&attributes).unwrap_or_default(),
        });
        let id = open_session(app, store, &flow, Stage::NewPasswordRequired);
        return Ok(
            json!({ "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": id, "ChallengeParameters": params }),
        );
    }
    let mut remembered = false;
    let mut device_remembered = false;
    if let (Some(config), Some(key)) = (&pool.device_configuration, &flow.device_key) {
        let device = pool
            .devices
            .get(key)
            .filter(|d| d.confirmed)
            .ok_or_else(ApiError::device_not_found)?;
        // Another user's device: "Device does not exist." (amplify-js pull request 12182).
        if device.username != flow.username {
            return Err(ApiError::device_not_found());
        }
        device_remembered = device.remembered;
        remembered = device.remembered
            && config.challenge_required_on_new_device
            && !mfa_owed_despite_device(app, pool, user, device, &flow);
    } else if pool.device_configuration.is_none() {
        // A pool that does not track devices ignores DEVICE_KEY.
        flow.device_key = None;
    }
    if !flow.mfa_done && !remembered {
        match mfa_stage(pool, user) {
            Some(Stage::SmsMfa { .. }) => return sms_challenge(app, store, &flow),
            Some(Stage::EmailOtp { .. }) => return email_challenge(app, store, &flow),
            Some(stage) => {
                let name = stage.name();
                let params = match &stage {
                    Stage::SelectMfaType => {
                        let choices: Vec<&str> = user
                            .mfa_settings()
                            .into_iter()
                            .filter(|m| match *m {
                                "SMS_MFA" => pool.sms_mfa,
                                "SOFTWARE_TOKEN_MFA" => pool.software_token_mfa,
                                _ => pool.email_mfa,
                            })
                            .collect();
                        json!({ "MFAS_CAN_CHOOSE": serde_json::to_string(&choices).unwrap_or_default() })
                    }
                    Stage::MfaSetup { .. } => {
                        json!({ "MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]" })
                    }
                    _ => json!({}),
                };
                let id = open_session(app, store, &flow, stage);
                return Ok(
                    json!({ "ChallengeName": name, "Session": id, "ChallengeParameters": params }),
                );
            }
            None => {}
        }
    }
    flow.mfa_done = true;
    // A not_remembered device after MFA: whether DEVICE_SRP_AUTH still follows is not settled
    // (fidelity switch `not-remembered-device-proves`); without it the tokens come at once,
    // bound to the device presented.
    let device_step = device_remembered || app.fidelity().not_remembered_device_proves;
    if flow.device_key.is_some() && device_step {
        let id = open_session(app, store, &flow, Stage::DeviceSrpAuth);
        return Ok(json!({
            "ChallengeName": "DEVICE_SRP_AUTH",
            "Session": id,
            "ChallengeParameters": { "USERNAME": flow.username },
        }));
    }
    issue_for_sign_in(
        app,
        store,
        Grant {
            pool_id: &flow.pool_id,
            client_id: &flow.client_id,
            username: &flow.username,
            device_key: flow.device_key.clone(),
        },
    )
}

/// Marks the MFA_SETUP session `id` verified (VerifySoftwareToken with a Session); returns the
/// user it belongs to.
pub fn mfa_setup_session(store: &mut Store, id: &str, verify: bool) -> ApiResult<(String, String)> {
    let session = store
        .sessions
        .get_mut(id)
        .ok_or_else(ApiError::invalid_session)?;
    let Stage::MfaSetup { verified } = &mut session.stage else {
        return Err(ApiError::invalid_session());
    };
    if verify {
        *verified = true;
    }
    Ok((session.pool_id.clone(), session.username.clone()))
}
