//! Sign-in: InitiateAuth (USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH) and
//! RespondToAuthChallenge (PASSWORD_VERIFIER, SMS_MFA, SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE,
//! MFA_SETUP, NEW_PASSWORD_REQUIRED, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER).
//!
//! After the password is proven, `continue_flow` decides the next step exactly in this order:
//! NEW_PASSWORD_REQUIRED; the device check (a DEVICE_KEY that is unknown, forgotten or another
//! user's is refused); MFA unless a remembered device replaces it (pool setting
//! ChallengeRequiredOnNewDevice, docs/protocol.md section 4); DEVICE_SRP_AUTH for a known device;
//! tokens, with NewDeviceMetadata when the sign-in came from no known device.
//!
//! Layout: `initiate` (InitiateAuth) and `respond` (RespondToAuthChallenge) are the two
//! operations; `flow` is a sign-in in progress and its single-use sessions; `next_step` is
//! `continue_flow`. Each challenge has a module that issues it and checks its answer:
//! `password_verifier`, `device_srp`, `device_password_verifier` (the two verifier steps share
//! the claim check of `verifier`), `mfa` (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA), `select_mfa`
//! (SELECT_MFA_TYPE), `mfa_setup` (MFA_SETUP) and `new_password` (NEW_PASSWORD_REQUIRED).

mod device_password_verifier;
mod device_srp;
mod flow;
mod initiate;
mod mfa;
mod mfa_setup;
mod new_password;
mod next_step;
mod password_verifier;
mod respond;
mod select_mfa;
mod verifier;

use num_bigint::BigUint;
use num_traits::Zero;

use crate::error::{ApiError, ApiResult};
use crate::srp::{self, GROUP};
use crate::store::{AppClient, Device, Pool, Store};

pub use initiate::initiate_auth;
pub use mfa_setup::{mfa_setup_user, verify_mfa_setup};
pub use respond::respond_to_auth_challenge;

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
        return Err(ApiError::secret_hash_mismatch(&client.id));
    }
    Ok(())
}

fn client_of<'s>(store: &'s Store, client_id: &str) -> ApiResult<(&'s Pool, &'s AppClient)> {
    let pool = store.pool_of_client(client_id)?;
    Ok((pool, pool.client(client_id)?))
}

/// The confirmed device `key` of `username`; an unknown, unconfirmed (or forgotten) device and
/// another user's device are all "Device does not exist.".
fn confirmed_device<'p>(pool: &'p Pool, key: &str, username: &str) -> ApiResult<&'p Device> {
    let device = pool
        .devices
        .get(key)
        .filter(|d| d.confirmed)
        .ok_or_else(ApiError::device_not_found)?;
    // Another user's device: "Device does not exist." (amplify-js pull request 12182).
    if device.username != username {
        return Err(ApiError::device_not_found());
    }
    Ok(device)
}

fn parse_public_a(hex: &str) -> ApiResult<BigUint> {
    let a = srp::parse_hex(hex)
        .ok_or_else(|| ApiError::invalid_parameter("SRP_A is not a valid hex number"))?;
    if (&a % &GROUP.n).is_zero() {
        return Err(ApiError::not_authorized("Incorrect username or password."));
    }
    Ok(a)
}
