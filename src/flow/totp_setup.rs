//! MFA_SETUP: the user sets up an authenticator app. AssociateSoftwareToken gives the secret
//! to show, VerifySoftwareToken checks a first code, then MFA_SETUP is answered.

use super::context::{Challenge, Challenged, json_list};
use super::steps::{SignInStep, TotpSetupStep};
use crate::error::{Error, ServiceDetails};
use crate::srp::{OtpAuthUri, TotpSecret};
use crate::transport::{Failure, Retry, with_retry};

/// AssociateSoftwareToken now, so the step can show the secret.
pub(super) async fn begin(conv: Challenged, challenge: Challenge) -> Result<SignInStep, Error> {
    let can_set_up = json_list(challenge.parameters.get("MFAS_CAN_SETUP"));
    if !can_set_up.is_empty() && !can_set_up.iter().any(|m| m == "SOFTWARE_TOKEN_MFA") {
        return Err(Error::InvalidServerAnswer(format!(
            "MFA_SETUP offers only {can_set_up:?}; this SDK sets up authenticator apps"
        )));
    }
    let pool = &conv.ctx.pool;
    let session = &challenge.session;
    let out = with_retry(Retry::Transient, &conv.ctx.trips, || {
        let call = pool
            .sdk
            .associate_software_token()
            .set_session(session.clone());
        async move { call.send().await.map_err(Failure::from) }
    })
    .await?;
    let secret = out.secret_code().ok_or_else(|| {
        Error::InvalidServerAnswer("AssociateSoftwareToken without a secret".into())
    })?;
    let session = out.session().map(str::to_owned).or(challenge.session);
    let pool_name = &conv.ctx.pool.pool_name;
    let label = format!("{pool_name}:{}", conv.user);
    let uri = OtpAuthUri::new(format!(
        "otpauth://totp/{}?secret={secret}&issuer={}",
        percent_encode(&label),
        percent_encode(pool_name)
    ));
    Ok(SignInStep::SetUpTotp(TotpSetupStep {
        secret: TotpSecret::new(secret),
        uri,
        conv,
        session,
    }))
}

/// VerifySoftwareToken; the MFA_SETUP response follows (an empty answer) with the Session it
/// returns.
pub(super) async fn verify(
    conv: &Challenged,
    session: &Option<String>,
    code: &str,
    friendly_name: Option<&str>,
) -> Result<Option<String>, Error> {
    let pool = &conv.ctx.pool;
    let out = with_retry(Retry::ThrottlingOnly, &conv.ctx.trips, || {
        let call = pool
            .sdk
            .verify_software_token()
            .set_session(session.clone())
            .user_code(code)
            .set_friendly_device_name(friendly_name.map(str::to_owned));
        async move { call.send().await.map_err(Failure::from) }
    })
    .await?;
    if out.status().map(|s| s.as_str()) != Some("SUCCESS") {
        return Err(Error::CodeMismatch(ServiceDetails {
            message: Some("VerifySoftwareToken did not succeed".into()),
            ..ServiceDetails::default()
        }));
    }
    Ok(out.session().map(str::to_owned).or_else(|| session.clone()))
}

/// Percent-encoding for the otpauth URI label and issuer.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':' | b'@') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
