//! DEVICE_SRP_AUTH: issued after the password (and MFA) for a known device; answered with the
//! device's SRP_A, which leads to DEVICE_PASSWORD_VERIFIER.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::flow::{Flow, challenge as open_challenge, check_answerer, take_session};
use super::{client_of, confirmed_device, device_password_verifier, parse_public_a};
use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::ops::param;
use crate::store::{Stage, Store};

/// Asks the device of `flow` to prove itself.
pub(super) fn challenge(app: &App, store: &mut Store, flow: &Flow) -> Value {
    let parameters = json!({ "USERNAME": flow.username });
    open_challenge(app, store, flow, Stage::DeviceSrpAuth, parameters)
}

/// DEVICE_SRP_AUTH: the device's SRP_A; answers DEVICE_PASSWORD_VERIFIER.
pub(super) fn answer(
    app: &App,
    client_id: &str,
    session_id: Option<&str>,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Value> {
    let username = param(responses, "USERNAME")?;
    let device_key = param(responses, "DEVICE_KEY")?;
    let client_a = parse_public_a(param(responses, "SRP_A")?)?;
    let (flow, device) = {
        let mut store = app.store();
        store.expire_sessions(app.session_ttl());
        let (pool, _) = client_of(&store, client_id)?;
        let internal = pool
            .resolve_username(username)
            .unwrap_or_else(|| username.to_owned());
        let key = (pool.id.clone(), internal, device_key.to_owned());
        // Session may be absent: the pending device step is found by user and device (the AWS
        // SDK for Android sent DEVICE_SRP_AUTH without it until 2021, franken-srp still does,
        // in its tests against real pools).
        let id = match session_id.filter(|s| store.sessions.contains_key(*s)) {
            Some(s) => s.to_owned(),
            None => store
                .pending_device_auth
                .get(&key)
                .cloned()
                .ok_or_else(ApiError::invalid_session)?,
        };
        let session = take_session(app, &mut store, &id, client_id, "DEVICE_SRP_AUTH")?;
        let pool = check_answerer(&store, client_id, &session, username, responses)?;
        let device = confirmed_device(pool, device_key, &session.username)?;
        (Flow::from_session(&session), device.clone())
    };
    device_password_verifier::challenge(app, flow, &device, client_a)
}
