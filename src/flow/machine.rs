//! The sign-in's driver: InitiateAuth(USER_SRP_AUTH), then the server's answers one after the
//! other. Automatic steps (PASSWORD_VERIFIER, the device's SRP exchange) are answered here,
//! each by its own file; what needs the app comes back as [`Next`]. When the server says the device presented is
//! gone, the sign-in starts over once without it (docs/protocol.md 5.2).

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType};

use super::conversation::{Attempt, Conversation, Sent, ServerStep};
use super::next::Next;
use super::outcome::MfaType;
use super::{device_srp, mfa, new_device, new_password, password_verifier, presented, totp_setup};
use crate::error::{Error, ServiceDetails};
use crate::srp::{UserSrpSession, param};
use crate::transport::{Failure, Retry, with_retry};

/// What advancing produced: a step for the app, or "the device is gone, start over".
pub(super) enum Advance {
    Next(Next),
    DeviceGone(ServiceDetails),
}

impl Advance {
    /// Follows a response that may have found the device gone.
    async fn from_sent(conv: &mut Conversation, sent: Sent) -> Result<Self, Error> {
        match sent {
            Sent::Answered(step) => advance(conv, step).await,
            Sent::DeviceGone(details) => Ok(Self::DeviceGone(details)),
        }
    }
}

/// Starts a sign-in: InitiateAuth and every automatic step after it.
pub(super) async fn start(conv: &mut Conversation) -> Result<Next, Error> {
    if conv.typed.is_empty() {
        return Err(Error::Misuse("the user name is empty".into()));
    }
    let advanced = initiate(conv).await;
    settle(conv, advanced).await
}

/// Sends the app's answer to the current challenge, then follows the server.
/// `code_of`: the MFA method whose code this answer carries, recorded once accepted.
pub(super) async fn answer(
    conv: &mut Conversation,
    challenge: ChallengeNameType,
    responses: HashMap<String, String>,
    code_of: Option<MfaType>,
) -> Result<Next, Error> {
    let sent = conv
        .respond_with(challenge, Retry::ThrottlingOnly, responses)
        .await;
    let advanced = match sent {
        Ok(step) => {
            if code_of.is_some() {
                conv.progress.mfa = code_of;
            }
            advance(conv, step).await
        }
        Err(f) => match conv.failed(f, false) {
            Ok(sent) => Advance::from_sent(conv, sent).await,
            Err(e) => Err(e),
        },
    };
    settle(conv, advanced).await
}

/// Turns an [`Advance`] into the app's next step, starting over once without the device when
/// the server forgot it.
pub(super) async fn settle(
    conv: &mut Conversation,
    mut advanced: Result<Advance, Error>,
) -> Result<Next, Error> {
    loop {
        match advanced {
            Err(e) => {
                if ends_the_sign_in(&e) {
                    conv.wipe_password();
                }
                return Err(e);
            }
            Ok(Advance::Next(next)) => {
                if matches!(next, Next::Done(_) | Next::RememberDevice { .. }) {
                    conv.wipe_password();
                }
                return Ok(next);
            }
            Ok(Advance::DeviceGone(details)) => {
                if conv.attempt == Attempt::WithoutDevice {
                    conv.wipe_password();
                    return Err(Error::DeviceForgotten(details));
                }
                conv.attempt = Attempt::WithoutDevice;
                presented::forget_local_device(conv).await?;
                advanced = initiate(conv).await;
            }
        }
    }
}

/// Whether an error leaves nothing to answer again in this sign-in (the app must start a new
/// one), so the password can go. A wrong code, a refused new password, a bad answer and a
/// failure worth retrying keep the step open.
fn ends_the_sign_in(e: &Error) -> bool {
    !(e.is_retryable()
        || matches!(
            e,
            Error::CodeMismatch(_) | Error::InvalidPassword(_) | Error::InvalidStepAnswer(_)
        ))
}

/// InitiateAuth(USER_SRP_AUTH), then whatever follows.
async fn initiate(conv: &mut Conversation) -> Result<Advance, Error> {
    conv.session = None;
    conv.user = None;
    conv.progress = Default::default();
    let typed = conv.typed.clone();
    presented::load_device(conv, &typed).await?;

    let user_srp = UserSrpSession::new(&conv.pool.user_pool_id)?;
    let mut parameters = HashMap::from([
        (param::USERNAME.to_owned(), typed.to_string()),
        (param::SRP_A.to_owned(), user_srp.srp_a()),
    ]);
    if let Some(hash) = conv.pool.secret_hash(&typed) {
        parameters.insert(param::SECRET_HASH.to_owned(), hash);
    }
    if let Some(key) = conv.device_key() {
        parameters.insert(param::DEVICE_KEY.to_owned(), key.to_string());
    }
    let pool = &conv.pool;
    let sent = with_retry(Retry::Transient, &conv.trips, || {
        let call = pool
            .sdk
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::UserSrpAuth)
            .set_auth_parameters(Some(parameters.clone()));
        async move { call.send().await.map_err(Failure::from) }
    })
    .await;
    let step = match sent {
        Ok(out) => ServerStep::from(out),
        Err(f) => {
            let sent = conv.failed(f, false)?;
            return Advance::from_sent(conv, sent).await;
        }
    };
    if step.challenge == Some(ChallengeNameType::PasswordVerifier) {
        conv.session = step.session.clone();
        let sent = password_verifier::answer(conv, &user_srp, &step.parameters).await?;
        return Advance::from_sent(conv, sent).await;
    }
    advance(conv, step).await
}

/// Follows the server's answers: automatic steps are answered here, app steps returned.
pub(super) async fn advance(
    conv: &mut Conversation,
    mut step: ServerStep,
) -> Result<Advance, Error> {
    loop {
        if let Some(result) = step.result.take() {
            return new_device::tokens_arrived(conv, &result)
                .await
                .map(Advance::Next);
        }
        conv.absorb(&step);
        let challenge = step.challenge.clone().ok_or_else(|| {
            Error::InvalidServerAnswer("the answer has neither tokens nor a challenge".into())
        })?;
        step = match challenge {
            ChallengeNameType::DeviceSrpAuth => match device_srp::prove(conv).await? {
                Sent::Answered(next) => next,
                Sent::DeviceGone(details) => return Ok(Advance::DeviceGone(details)),
            },
            ChallengeNameType::DevicePasswordVerifier => {
                return Err(Error::InvalidServerAnswer(
                    "DEVICE_PASSWORD_VERIFIER without DEVICE_SRP_AUTH".into(),
                ));
            }
            ChallengeNameType::PasswordVerifier => {
                return Err(Error::InvalidServerAnswer(
                    "PASSWORD_VERIFIER outside USER_SRP_AUTH".into(),
                ));
            }
            other => {
                return app_step(conv, &other, &step.parameters)
                    .await
                    .map(Advance::Next);
            }
        };
    }
}

/// A challenge the app answers: what to ask it.
async fn app_step(
    conv: &mut Conversation,
    challenge: &ChallengeNameType,
    parameters: &HashMap<String, String>,
) -> Result<Next, Error> {
    if let Some(mfa) = MfaType::from_challenge_name(challenge.as_str()) {
        return Ok(Next::Code {
            mfa,
            destination: parameters.get("CODE_DELIVERY_DESTINATION").cloned(),
        });
    }
    match challenge {
        ChallengeNameType::SelectMfaType => Ok(Next::SelectMfa(mfa::offered(parameters))),
        ChallengeNameType::MfaSetup => totp_setup::begin(conv, parameters).await,
        ChallengeNameType::NewPasswordRequired => Ok(Next::NewPassword {
            required_attributes: new_password::required_attributes(parameters),
        }),
        other => Err(Error::InvalidServerAnswer(format!(
            "unsupported challenge {}",
            other.as_str()
        ))),
    }
}
