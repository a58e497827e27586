//! DEVICE_PASSWORD_VERIFIER: issued by the DEVICE_SRP_AUTH answer, answered with the claim
//! signature over the device's secret; then the tokens.

use std::collections::BTreeMap;

use num_bigint::BigUint;
use serde_json::{Value, json};

use super::flow::{Flow, challenge as open_challenge};
use super::verifier::{Round, Verifier, verify_claim};
use crate::app::App;
use crate::error::ApiResult;
use crate::ops::tokens::{Grant, issue_for_sign_in};
use crate::store::{Device, Stage, now};

/// The challenge for `device`: the server's SRP round over the device's verifier.
pub(super) fn challenge(
    app: &App,
    mut flow: Flow,
    device: &Device,
    client_a: BigUint,
) -> ApiResult<Value> {
    let round = Round::new(&device.verifier_hex)?;
    flow.device_key = Some(device.key.clone());
    let parameters = json!({
        "SALT": device.salt_hex,
        "SRP_B": round.public_b,
        "SECRET_BLOCK": round.secret_block,
        "USERNAME": flow.username,
        "DEVICE_KEY": device.key,
    });
    let stage = Stage::DevicePasswordVerifier {
        ephemeral: round.ephemeral,
        client_a,
        secret_block: round.secret_block,
        device_key: device.key.clone(),
    };
    let mut store = app.store();
    Ok(open_challenge(app, &mut store, &flow, stage, parameters))
}

/// The answer: the claim signature checks out, then the tokens, bound to the device proven.
pub(super) fn answer(
    app: &App,
    client_id: &str,
    session_id: Option<&str>,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Value> {
    let (session, answered_device_key) =
        verify_claim(app, client_id, session_id, responses, Verifier::Device)?;
    let mut flow = Flow::from_session(&session);
    let mut store = app.store();
    flow.device_key = answered_device_key.map(str::to_owned);
    if flow.mfa_answered
        && let Some(d) = store
            .pool_mut(&flow.pool_id)?
            .devices
            .get_mut(answered_device_key.unwrap_or_default())
    {
        d.mfa_verified_at = now();
    }
    issue_for_sign_in(
        app,
        &mut store,
        Grant {
            pool_id: &flow.pool_id,
            client_id: &flow.client_id,
            username: &flow.username,
            device_key: flow.device_key.clone(),
            first_factor: flow.first_factor,
        },
    )
}
