//! SELECT_MFA_TYPE: the user has several MFA methods and prefers none; the answer picks one.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::flow::{Answer, Flow, challenge as open_challenge};
use super::mfa::{email_challenge, sms_challenge};
use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::ops::param;
use crate::store::{Pool, Stage, Store, User};

/// MFAS_CAN_CHOOSE: the user's methods that the pool allows.
pub(super) fn parameters(pool: &Pool, user: &User) -> Value {
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

/// ANSWER: the chosen method's challenge (an SMS or e-mail code is sent now).
pub(super) fn answer(
    app: &App,
    store: &mut Store,
    flow: &Flow,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Answer> {
    let answer = param(responses, "ANSWER")?;
    let stage = match answer {
        "SMS_MFA" => return sms_challenge(app, store, flow).map(Answer::Challenge),
        "EMAIL_OTP" => return email_challenge(app, store, flow).map(Answer::Challenge),
        "SOFTWARE_TOKEN_MFA" => Stage::SoftwareTokenMfa,
        _ => {
            return Ok(Answer::Retry(ApiError::invalid_parameter(
                "ANSWER must be SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP",
            )));
        }
    };
    Ok(Answer::Challenge(open_challenge(
        app,
        store,
        flow,
        stage,
        json!({}),
    )))
}
