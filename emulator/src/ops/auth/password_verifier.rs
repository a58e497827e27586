//! PASSWORD_VERIFIER: issued by USER_SRP_AUTH, answered with the claim signature over the
//! user's password.

use std::collections::BTreeMap;

use num_bigint::BigUint;
use serde_json::{Value, json};

use super::flow::{Flow, open_session};
use super::next_step::continue_flow;
use super::verifier::{Round, Verifier, verify_claim};
use crate::app::App;
use crate::error::ApiResult;
use crate::store::Stage;

/// The challenge for the user of `flow`: the server's SRP round over the user's verifier.
pub(super) fn challenge(
    app: &App,
    flow: Flow,
    salt_hex: String,
    verifier_hex: &str,
    client_a: BigUint,
) -> ApiResult<Value> {
    // The heavy maths runs outside the store lock.
    let round = Round::new(verifier_hex)?;
    let mut store = app.store();
    open_session(
        app,
        &mut store,
        &flow,
        Stage::PasswordVerifier {
            ephemeral: round.ephemeral,
            client_a,
            secret_block: round.secret_block.clone(),
        },
    );
    // No Session with PASSWORD_VERIFIER: real answers carry none (ministack pull request 1758,
    // measured; the response quoted in floci issue 1305). The SECRET_BLOCK names the state.
    Ok(json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": salt_hex,
            "SRP_B": round.public_b,
            "SECRET_BLOCK": round.secret_block,
            "USER_ID_FOR_SRP": flow.username,
            "USERNAME": flow.username,
        },
    }))
}

/// The answer: the claim signature checks out, then what comes after the password (a
/// DEVICE_KEY in the answer is the sign-in's device from here on).
pub(super) fn answer(
    app: &App,
    client_id: &str,
    session_id: Option<&str>,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Value> {
    let (session, _) = verify_claim(app, client_id, session_id, responses, Verifier::User)?;
    let mut flow = Flow::from_session(&session);
    let mut store = app.store();
    if let Some(key) = responses.get("DEVICE_KEY") {
        flow.device_key = Some(key.clone());
    }
    continue_flow(app, &mut store, flow)
}
