//! What PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER share: the server's SRP round that
//! issues them, and the check of the claim signature that answers them.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};

use super::flow::{check_answerer, take_session};
use crate::app::{App, random_b64};
use crate::error::{ApiError, ApiResult};
use crate::ops::param;
use crate::srp::{self, ServerEphemeral};
use crate::store::{Pool, Session, Stage, now};
use crate::timestamp;

/// Whose secret a verifier step proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verifier {
    /// PASSWORD_VERIFIER: the user's password.
    User,
    /// DEVICE_PASSWORD_VERIFIER: the device's secret; the answer names the device (DEVICE_KEY).
    Device,
}

impl Verifier {
    /// ChallengeName.
    fn challenge(self) -> &'static str {
        match self {
            Verifier::User => "PASSWORD_VERIFIER",
            Verifier::Device => "DEVICE_PASSWORD_VERIFIER",
        }
    }
}

/// The server's side of one SRP round: its ephemeral, SRP_B and a new SECRET_BLOCK.
pub(super) struct Round {
    pub(super) ephemeral: ServerEphemeral,
    pub(super) public_b: String,
    pub(super) secret_block: String,
}

impl Round {
    /// A round over the verifier `verifier_hex`. Heavy maths: call it outside the store lock.
    pub(super) fn new(verifier_hex: &str) -> ApiResult<Self> {
        let v = srp::parse_hex(verifier_hex).ok_or_else(ApiError::incorrect_password)?;
        let ephemeral = ServerEphemeral::new(&v);
        let public_b = srp::to_hex(&ephemeral.public_b);
        Ok(Round {
            ephemeral,
            public_b,
            secret_block: random_b64(256),
        })
    }
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

/// Who the claim is for: the SRP realm (pool name or device group), the user id in it (internal
/// user name or device key) and the verifier on record.
struct Claimed {
    realm: String,
    user_id: String,
    verifier_hex: String,
}

/// The identity the session's SECRET_BLOCK was handed out for; a DEVICE_PASSWORD_VERIFIER
/// answer must name the same device.
fn claimed(
    pool: &Pool,
    session: &Session,
    block: &str,
    answered_device_key: Option<&str>,
    other_key: ApiError,
) -> ApiResult<Claimed> {
    match &session.stage {
        Stage::PasswordVerifier { secret_block, .. } if secret_block == block => {
            let user = pool
                .users
                .get(&session.username)
                .ok_or_else(ApiError::user_not_found)?;
            Ok(Claimed {
                realm: pool.srp_pool_name().to_owned(),
                user_id: user.username.clone(),
                verifier_hex: user.verifier_hex.clone(),
            })
        }
        Stage::DevicePasswordVerifier {
            secret_block,
            device_key,
            ..
        } if secret_block == block => {
            // Another key than the DEVICE_SRP_AUTH step's: refused, in words no public source
            // shows (the switch `other-device-key-at-verifier`).
            if answered_device_key != Some(device_key.as_str()) {
                return Err(other_key);
            }
            let device = pool
                .devices
                .get(device_key)
                .ok_or_else(ApiError::device_not_found)?;
            Ok(Claimed {
                realm: device.group_key.clone(),
                user_id: device.key.clone(),
                verifier_hex: device.verifier_hex.clone(),
            })
        }
        _ => Err(ApiError::invalid_session()),
    }
}

/// Checks the claim signature: the SRP key of the session's round over the claimed verifier,
/// signed over the SECRET_BLOCK and TIMESTAMP.
fn check_signature(
    session: &Session,
    claimed: &Claimed,
    block: &str,
    signature: &str,
    timestamp: &str,
    challenge: &str,
) -> ApiResult<()> {
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
    let v = srp::parse_hex(&claimed.verifier_hex).ok_or_else(ApiError::incorrect_password)?;
    let key =
        srp::server_key(client_a, ephemeral, &v).map_err(|_| ApiError::incorrect_password())?;
    let Claimed { realm, user_id, .. } = claimed;
    if !srp::verify_claim(&key, realm, user_id, &block_bytes, timestamp, &signature) {
        tracing::info!(challenge, user = %session.username, "claim signature rejected");
        return Err(ApiError::incorrect_password());
    }
    Ok(())
}

/// PASSWORD_VERIFIER (user) or DEVICE_PASSWORD_VERIFIER (device): checks the claim signature.
/// Returns the session it answered and, for a device, the DEVICE_KEY answered.
pub(super) fn verify_claim<'r>(
    app: &App,
    client_id: &str,
    session_id: Option<&str>,
    responses: &'r BTreeMap<String, String>,
    verifier: Verifier,
) -> ApiResult<(Session, Option<&'r str>)> {
    let challenge = verifier.challenge();
    let username = param(responses, "USERNAME")?;
    let block = param(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = param(responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = param(responses, "TIMESTAMP")?;
    let answered_device_key = match verifier {
        Verifier::User => None,
        Verifier::Device => Some(param(responses, "DEVICE_KEY")?),
    };
    let (session, claimed) = {
        let mut store = app.store();
        store.expire_sessions(app.session_ttl());
        // Session may be absent (or stale) on the verifier steps: the SECRET_BLOCK names the
        // state (franken-srp answers PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER with
        // `Session: undefined` in its tests against real pools).
        let id = match session_id.filter(|s| store.sessions.contains_key(*s)) {
            Some(s) => s.to_owned(),
            None => store
                .secret_blocks
                .get(block)
                .cloned()
                .ok_or_else(ApiError::invalid_session)?,
        };
        let session = take_session(app, &mut store, &id, client_id, challenge)?;
        let pool = check_answerer(&store, client_id, &session, username, responses)?;
        let other_key = app.fidelity().other_device_key();
        let claimed = claimed(pool, &session, block, answered_device_key, other_key)?;
        (session, claimed)
    };
    check_timestamp(app, timestamp)?;
    check_signature(&session, &claimed, block, signature, timestamp, challenge)?;
    Ok((session, answered_device_key))
}
