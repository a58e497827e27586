//! MFA_SETUP: MFA is required and the user has none; TOTP is associated and verified with the
//! challenge's Session (AssociateSoftwareToken, VerifySoftwareToken), then the answer passes.

use serde_json::{Value, json};

use super::flow::{Answer, Flow};
use crate::error::{ApiError, ApiResult};
use crate::store::{Session, Stage, Store};

/// MFAS_CAN_SETUP.
pub(super) fn parameters() -> Value {
    json!({ "MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]" })
}

/// The answer passes once VerifySoftwareToken succeeded with the session.
pub(super) fn answer(verified: bool, flow: &mut Flow) -> Answer {
    if !verified {
        return Answer::Retry(ApiError::invalid_parameter(
            "Software token MFA has not been verified for this session.",
        ));
    }
    flow.mfa_passed();
    Answer::Passed
}

/// The MFA_SETUP session `id`, or NotAuthorizedException.
fn setup_session<'s>(store: &'s mut Store, id: &str) -> ApiResult<&'s mut Session> {
    let session = store
        .sessions
        .get_mut(id)
        .ok_or_else(ApiError::invalid_session)?;
    if !matches!(session.stage, Stage::MfaSetup { .. }) {
        return Err(ApiError::invalid_session());
    }
    Ok(session)
}

/// The user the MFA_SETUP session `id` belongs to (AssociateSoftwareToken or
/// VerifySoftwareToken with a Session): (pool id, username).
pub fn mfa_setup_user(store: &mut Store, id: &str) -> ApiResult<(String, String)> {
    let session = setup_session(store, id)?;
    Ok((session.pool_id.clone(), session.username.clone()))
}

/// Marks the MFA_SETUP session `id` verified (VerifySoftwareToken with a Session succeeded).
pub fn verify_mfa_setup(store: &mut Store, id: &str) -> ApiResult<()> {
    let session = setup_session(store, id)?;
    if let Stage::MfaSetup { verified } = &mut session.stage {
        *verified = true;
    }
    Ok(())
}
