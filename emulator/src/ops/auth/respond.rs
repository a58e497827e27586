//! RespondToAuthChallenge (and AdminRespondToAuthChallenge): hands each answer to its
//! challenge's module.

use std::collections::BTreeMap;

use serde_json::Value;

use super::flow::{Answer, Flow, check_answerer, take_session};
use super::next_step::continue_flow;
use super::{
    device_password_verifier, device_srp, mfa, mfa_setup, new_password, password_verifier,
    select_mfa,
};
use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::ops::{Req, param};
use crate::store::Stage;

/// RespondToAuthChallenge.
pub fn respond_to_auth_challenge(app: &App, req: Req<'_>) -> ApiResult<Value> {
    let client_id = req.str("ClientId")?;
    let challenge = req.str("ChallengeName")?;
    let responses = req.map("ChallengeResponses");
    let session_id = req.opt_str("Session");
    match challenge {
        "PASSWORD_VERIFIER" => password_verifier::answer(app, client_id, session_id, &responses),
        "DEVICE_PASSWORD_VERIFIER" => {
            device_password_verifier::answer(app, client_id, session_id, &responses)
        }
        "DEVICE_SRP_AUTH" => device_srp::answer(app, client_id, session_id, &responses),
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
    check_answerer(&store, client_id, &session, username, responses)?;
    let mut flow = Flow::from_session(&session);
    if let Some(key) = responses.get("DEVICE_KEY") {
        flow.device_key = Some(key.clone());
    }
    let answer = match &session.stage {
        Stage::SmsMfa { code } => mfa::check_code(responses, "SMS_MFA_CODE", code, &mut flow)?,
        Stage::EmailOtp { code } => mfa::check_code(responses, "EMAIL_OTP_CODE", code, &mut flow)?,
        Stage::SoftwareTokenMfa => mfa::check_totp(&store, responses, &mut flow)?,
        Stage::SelectMfaType => select_mfa::answer(app, &mut store, &flow, responses)?,
        Stage::MfaSetup { verified } => mfa_setup::answer(*verified, &mut flow),
        Stage::NewPasswordRequired => new_password::answer(&mut store, &mut flow, responses)?,
        _ => return Err(ApiError::invalid_session()),
    };
    match answer {
        Answer::Passed => continue_flow(app, &mut store, flow),
        Answer::Challenge(next) => Ok(next),
        // A wrong code: whether the Session stays usable for another try is not settled (the
        // switch `wrong-code-keeps-session`).
        Answer::Retry(e) => {
            if app.fidelity().wrong_code_keeps_session {
                store.sessions.insert(session_id.to_owned(), session);
            }
            Err(e)
        }
    }
}
