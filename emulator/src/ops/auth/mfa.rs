//! The MFA code challenges: SMS_MFA, EMAIL_OTP (codes sent through the outbox) and
//! SOFTWARE_TOKEN_MFA (TOTP); which one a user owes, issuing it, checking the code.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::flow::{Answer, Flow, challenge as open_challenge};
use crate::app::{App, six_digits};
use crate::error::{ApiError, ApiResult};
use crate::ops::param;
use crate::ops::users::mask;
use crate::store::{Pool, SmsMessage, Stage, Store, User, now};
use crate::totp;

/// The MFA step a user owes, if any: `None` for no MFA.
pub(super) fn mfa_stage(pool: &Pool, user: &User) -> Option<Stage> {
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

/// Puts a new code for the user's `attribute` (its value is the destination) in the outbox:
/// (destination, code).
fn send_code(store: &mut Store, flow: &Flow, attribute: &str) -> ApiResult<(String, String)> {
    let destination = store
        .pool(&flow.pool_id)?
        .users
        .get(&flow.username)
        .and_then(|u| u.attributes.get(attribute).cloned())
        .unwrap_or_default();
    let code = six_digits();
    store.sms_outbox.push(SmsMessage {
        username: flow.username.clone(),
        typed_username: flow.typed_username.clone(),
        destination: destination.clone(),
        code: code.clone(),
        sent_at: now(),
    });
    Ok((destination, code))
}

/// The challenge of a code sent by `medium` to a destination shown as `masked`.
fn code_sent(
    app: &App,
    store: &mut Store,
    flow: &Flow,
    stage: Stage,
    medium: &str,
    masked: String,
) -> Value {
    let parameters = json!({
        "CODE_DELIVERY_DELIVERY_MEDIUM": medium,
        "CODE_DELIVERY_DESTINATION": masked,
        "USER_ID_FOR_SRP": flow.username,
    });
    open_challenge(app, store, flow, stage, parameters)
}

pub(super) fn sms_challenge(app: &App, store: &mut Store, flow: &Flow) -> ApiResult<Value> {
    let (phone, code) = send_code(store, flow, "phone_number")?;
    tracing::info!(username = %flow.username, destination = %phone, code = %code, "SMS MFA code sent");
    let stage = Stage::SmsMfa { code };
    Ok(code_sent(app, store, flow, stage, "SMS", mask(&phone)))
}

/// EMAIL_OTP: the code goes to the same outbox as SMS codes, with the e-mail address as
/// destination.
pub(super) fn email_challenge(app: &App, store: &mut Store, flow: &Flow) -> ApiResult<Value> {
    let (email, code) = send_code(store, flow, "email")?;
    tracing::info!(username = %flow.username, destination = %email, code = %code, "e-mail MFA code sent");
    let stage = Stage::EmailOtp { code };
    Ok(code_sent(
        app,
        store,
        flow,
        stage,
        "EMAIL",
        mask_email(&email),
    ))
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

/// SMS_MFA_CODE or EMAIL_OTP_CODE (`name`) against the code `sent`.
pub(super) fn check_code(
    responses: &BTreeMap<String, String>,
    name: &str,
    sent: &str,
    flow: &mut Flow,
) -> ApiResult<Answer> {
    let given = param(responses, name)?;
    if given != sent {
        return Ok(Answer::Retry(ApiError::code_mismatch()));
    }
    flow.mfa_passed();
    Ok(Answer::Passed)
}

/// SOFTWARE_TOKEN_MFA_CODE against the user's TOTP secret.
pub(super) fn check_totp(
    store: &Store,
    responses: &BTreeMap<String, String>,
    flow: &mut Flow,
) -> ApiResult<Answer> {
    let given = param(responses, "SOFTWARE_TOKEN_MFA_CODE")?;
    let secret = store
        .pool(&flow.pool_id)?
        .users
        .get(&flow.username)
        .and_then(|u| u.totp_secret.clone())
        .unwrap_or_default();
    if !totp::verify(&secret, given, now() as i64) {
        return Ok(Answer::Retry(ApiError::code_mismatch()));
    }
    flow.mfa_passed();
    Ok(Answer::Passed)
}
