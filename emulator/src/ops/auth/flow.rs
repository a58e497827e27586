//! One sign-in in progress, and the single-use challenge sessions that carry it from one answer
//! to the next.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{check_secret_hash, client_of};
use crate::app::{App, random_b64};
use crate::error::{ApiError, ApiResult};
use crate::fidelity::FirstFactor;
use crate::store::{Pool, Session, Stage, Store, User, now};

/// One sign-in in progress.
#[derive(Debug, Clone)]
pub(super) struct Flow {
    pub(super) pool_id: String,
    pub(super) client_id: String,
    pub(super) username: String,
    pub(super) typed_username: String,
    pub(super) device_key: Option<String>,
    pub(super) mfa_done: bool,
    pub(super) mfa_answered: bool,
    pub(super) new_password_set: bool,
    /// How the password was proven (SRP unless the flow says otherwise).
    pub(super) first_factor: FirstFactor,
}

impl Flow {
    /// A sign-in of `user`, who typed `typed`, with the DEVICE_KEY of InitiateAuth if any.
    pub(super) fn start(
        pool: &Pool,
        client_id: &str,
        user: &User,
        typed: &str,
        device_key: Option<String>,
    ) -> Self {
        Flow {
            pool_id: pool.id.clone(),
            client_id: client_id.to_owned(),
            username: user.username.clone(),
            typed_username: typed.to_owned(),
            device_key,
            mfa_done: false,
            mfa_answered: false,
            new_password_set: false,
            first_factor: FirstFactor::PasswordSrp,
        }
    }

    pub(super) fn from_session(s: &Session) -> Self {
        Flow {
            pool_id: s.pool_id.clone(),
            client_id: s.client_id.clone(),
            username: s.username.clone(),
            typed_username: s.typed_username.clone(),
            device_key: s.device_key.clone(),
            mfa_done: s.mfa_done,
            mfa_answered: s.mfa_answered,
            new_password_set: s.new_password_set,
            first_factor: s.first_factor,
        }
    }

    /// An MFA challenge was answered: MFA is done for this sign-in.
    pub(super) fn mfa_passed(&mut self) {
        self.mfa_done = true;
        self.mfa_answered = true;
    }
}

/// Where the answer to a Session-bound challenge leads (an `Err` beside it ends the sign-in:
/// the session stays used up).
pub(super) enum Answer {
    /// Accepted: on to what comes next (`continue_flow`).
    Passed,
    /// Accepted, and it opened another challenge (SELECT_MFA_TYPE's choice): this response.
    Challenge(Value),
    /// A wrong answer: the session stays usable for another try under the switch
    /// `wrong-code-keeps-session` (the default).
    Retry(ApiError),
}

pub(super) fn open_session(app: &App, store: &mut Store, flow: &Flow, stage: Stage) -> String {
    store.expire_sessions(app.session_ttl());
    let id = random_b64(192);
    if let Stage::PasswordVerifier { secret_block, .. }
    | Stage::DevicePasswordVerifier { secret_block, .. } = &stage
    {
        store.secret_blocks.insert(secret_block.clone(), id.clone());
    }
    if let (Stage::DeviceSrpAuth, Some(key)) = (&stage, &flow.device_key) {
        store.pending_device_auth.insert(
            (flow.pool_id.clone(), flow.username.clone(), key.clone()),
            id.clone(),
        );
    }
    store.sessions.insert(
        id.clone(),
        Session {
            pool_id: flow.pool_id.clone(),
            client_id: flow.client_id.clone(),
            username: flow.username.clone(),
            typed_username: flow.typed_username.clone(),
            stage,
            device_key: flow.device_key.clone(),
            mfa_done: flow.mfa_done,
            mfa_answered: flow.mfa_answered,
            new_password_set: flow.new_password_set,
            first_factor: flow.first_factor,
            created: now(),
        },
    );
    id
}

/// Opens a session for `stage` and answers with the challenge it waits for.
pub(super) fn challenge(
    app: &App,
    store: &mut Store,
    flow: &Flow,
    stage: Stage,
    parameters: Value,
) -> Value {
    let name = stage.name();
    let id = open_session(app, store, flow, stage);
    json!({ "ChallengeName": name, "Session": id, "ChallengeParameters": parameters })
}

/// Removes a session (single use) and checks it is alive, of the right client and challenge.
pub(super) fn take_session(
    app: &App,
    store: &mut Store,
    id: &str,
    client_id: &str,
    challenge: &str,
) -> ApiResult<Session> {
    let session = store
        .sessions
        .remove(id)
        .ok_or_else(ApiError::invalid_session)?;
    store.secret_blocks.retain(|_, s| s != id);
    store.pending_device_auth.retain(|_, s| s != id);
    if session.created + app.session_ttl() < now() || session.client_id != client_id {
        return Err(ApiError::invalid_session());
    }
    if session.stage.name() != challenge {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid challenge name {challenge}: the session expects {}",
            session.stage.name()
        )));
    }
    Ok(session)
}

/// USERNAME in a challenge response may be USER_ID_FOR_SRP, the challenge's USERNAME, or the
/// name typed at InitiateAuth (docs/protocol.md section 2); anything else is refused.
fn check_username(pool: &Pool, session: &Session, given: &str) -> ApiResult<()> {
    if given == session.username
        || given == session.typed_username
        || pool.resolve_username(given).as_deref() == Some(session.username.as_str())
    {
        Ok(())
    } else {
        Err(ApiError::incorrect_password())
    }
}

/// Checks who answers a challenge: the app client, the USERNAME given (`username`) and the
/// SECRET_HASH, which is over the challenge's USERNAME (the internal name). Returns the pool.
pub(super) fn check_answerer<'s>(
    store: &'s Store,
    client_id: &str,
    session: &Session,
    username: &str,
    responses: &BTreeMap<String, String>,
) -> ApiResult<&'s Pool> {
    let (pool, client) = client_of(store, client_id)?;
    check_username(pool, session, username)?;
    check_secret_hash(
        client,
        &session.username,
        responses.get("SECRET_HASH").map(String::as_str),
    )?;
    Ok(pool)
}
