//! The sign-in's driver: InitiateAuth(USER_SRP_AUTH), then the server's answers one after the
//! other. Automatic steps (PASSWORD_VERIFIER, the device's SRP exchange) are answered here,
//! each by its own file; a challenge for the app becomes its step ([`SignInStep`]), which owns
//! the conversation until the app answers it. When the server says the device presented is
//! gone, the sign-in starts over once without it (docs/protocol.md 5.2).

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType};

use super::context::{
    Attempt, Challenge, Challenged, Presenting, Progress, Restart, Sent, ServerAnswer, SignIn,
};
use super::outcome::MfaType;
use super::steps::{CodeStep, NewPasswordStep, SelectMfaStep, SignInStep, StepError};
use super::{device_srp, mfa, new_device, new_password, password_verifier, presented, totp_setup};
use crate::cognito_errors;
use crate::error::Error;
use crate::ids::UserIdForSrp;
use crate::pool::Pool;
use crate::srp::{Password, UserSrpSession, param};
use crate::transport::{Failure, Retry, RoundTrips, with_retry};

/// What following the server produced: a step for the app, or "the device is gone, start
/// over without it".
enum Advance {
    Step(SignInStep),
    StartOver(Restart),
}

/// Starts a sign-in: InitiateAuth and every automatic step after it.
pub(crate) async fn start(
    pool: Arc<Pool>,
    typed: &str,
    password: Password,
) -> Result<SignInStep, Error> {
    if typed.is_empty() {
        return Err(Error::Misuse("the user name is empty".into()));
    }
    let ctx = SignIn {
        pool,
        trips: RoundTrips::default(),
        typed: typed.into(),
        attempt: Attempt::WithStoredDevice,
        stale: Vec::new(),
    };
    settle(begin(ctx, password).await).await
}

/// Turns an [`Advance`] into the app's step, starting over once without the device when the
/// server forgot it.
async fn settle(mut advanced: Result<Advance, Error>) -> Result<SignInStep, Error> {
    loop {
        let restart = match advanced? {
            Advance::Step(step) => return Ok(step),
            Advance::StartOver(restart) => restart,
        };
        let Restart {
            mut ctx,
            used,
            password,
            details,
        } = restart;
        if ctx.attempt == Attempt::WithoutDevice {
            return Err(Error::DeviceForgotten(details));
        }
        ctx.attempt = Attempt::WithoutDevice;
        presented::forget_local_device(&ctx, used).await?;
        advanced = begin(ctx, password).await;
    }
}

/// InitiateAuth(USER_SRP_AUTH) with the device stored for the typed name, then whatever
/// follows.
async fn begin(mut ctx: SignIn, password: Password) -> Result<Advance, Error> {
    let typed = ctx.typed.clone();
    let found = presented::load_device(&mut ctx, &typed).await?;
    let user_srp = UserSrpSession::new(&ctx.pool.user_pool_id)?;
    let mut parameters = HashMap::from([
        (param::USERNAME.to_owned(), typed.to_string()),
        (param::SRP_A.to_owned(), user_srp.srp_a()),
    ]);
    if let Some(hash) = ctx.pool.secret_hash(&typed) {
        parameters.insert(param::SECRET_HASH.to_owned(), hash);
    }
    if let Some(used) = &found {
        parameters.insert(
            param::DEVICE_KEY.to_owned(),
            used.record.device_key.to_string(),
        );
    }
    let pool = &ctx.pool;
    let sent = with_retry(Retry::Transient, &ctx.trips, || {
        let call = pool
            .sdk
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::UserSrpAuth)
            .set_auth_parameters(Some(parameters.clone()));
        async move { ServerAnswer::try_from(call.send().await.map_err(Failure::from)?) }
    })
    .await;
    let answer = match (sent, found) {
        (Ok(answer), found) => (answer, found),
        (Err(f), Some(used)) if f.is_device_gone(false) => {
            let details = f.details().cloned().unwrap_or_default();
            return Ok(Advance::StartOver(Restart {
                ctx,
                used,
                password,
                details,
            }));
        }
        (Err(f), _) => return Err(f.into()),
    };
    match answer {
        (ServerAnswer::Challenge(c), found) if c.name == ChallengeNameType::PasswordVerifier => {
            let sent = password_verifier::answer(ctx, found, &user_srp, c, password).await?;
            follow_sent(sent).await
        }
        // Not SRP's order; followed under the typed name all the same.
        (answer, found) => {
            let conv = Challenged {
                user: UserIdForSrp::new(typed.as_str()),
                presenting: Presenting::new(found, password),
                progress: Progress::default(),
                ctx,
            };
            follow(conv, answer).await
        }
    }
}

async fn follow_sent(sent: Sent) -> Result<Advance, Error> {
    match sent {
        Sent::Answered(conv, answer) => follow(conv, answer).await,
        Sent::StartOver(restart) => Ok(Advance::StartOver(restart)),
    }
}

/// Follows the server's answers: automatic steps are answered here, app steps returned.
async fn follow(mut conv: Challenged, mut answer: ServerAnswer) -> Result<Advance, Error> {
    loop {
        let challenge = match answer {
            ServerAnswer::Tokens(result) => {
                return new_device::tokens_arrived(conv, &result)
                    .await
                    .map(Advance::Step);
            }
            ServerAnswer::Challenge(challenge) => challenge,
        };
        conv.absorb(&challenge);
        match challenge.name {
            ChallengeNameType::DeviceSrpAuth => match device_srp::prove(conv, challenge).await? {
                Sent::Answered(next, next_answer) => (conv, answer) = (next, next_answer),
                Sent::StartOver(restart) => return Ok(Advance::StartOver(restart)),
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
            _ => return app_step(conv, challenge).await.map(Advance::Step),
        }
    }
}

/// A challenge the app answers: the step that asks it, owning the conversation.
async fn app_step(conv: Challenged, challenge: Challenge) -> Result<SignInStep, Error> {
    let Challenge {
        name,
        parameters,
        session,
    } = challenge;
    if let Some(mfa) = MfaType::from_challenge_name(name.as_str()) {
        let step = CodeStep {
            destination: parameters.get("CODE_DELIVERY_DESTINATION").cloned(),
            conv,
            session,
            mfa,
        };
        return Ok(match mfa {
            MfaType::Sms => SignInStep::SmsCode(step),
            MfaType::Totp => SignInStep::TotpCode(step),
            MfaType::Email => SignInStep::EmailCode(step),
        });
    }
    match name {
        ChallengeNameType::SelectMfaType => Ok(SignInStep::SelectMfaType(SelectMfaStep {
            offered: mfa::offered(&parameters),
            conv,
            session,
        })),
        ChallengeNameType::MfaSetup => {
            let challenge = Challenge {
                name,
                parameters,
                session,
            };
            totp_setup::begin(conv, challenge).await
        }
        ChallengeNameType::NewPasswordRequired => Ok(SignInStep::NewPassword(NewPasswordStep {
            required_attributes: new_password::required_attributes(&parameters),
            conv,
            session,
        })),
        other => Err(Error::InvalidServerAnswer(format!(
            "unsupported challenge {}",
            other.as_str()
        ))),
    }
}

/// A step the app answers: it owns the conversation and the Session of its challenge.
pub(super) trait OpenStep: Sized {
    fn conversation(&self) -> &Challenged;
    fn session(&self) -> Option<String>;
    fn into_conversation(self) -> Challenged;
}

/// Sends the app's answer to `step`'s challenge, then follows the server. An answer refused in
/// a way the user can fix hands `step` back; `code_of`: the MFA method whose code this answer
/// carries, recorded once accepted.
pub(super) async fn answer<S: OpenStep>(
    step: S,
    challenge: ChallengeNameType,
    responses: HashMap<String, String>,
    code_of: Option<MfaType>,
) -> Result<SignInStep, StepError<S>> {
    let conv = step.conversation();
    let sent = conv
        .respond_with(challenge, step.session(), responses)
        .await;
    let advanced = match sent {
        Ok(answer) => {
            let mut conv = step.into_conversation();
            if code_of.is_some() {
                conv.progress.mfa = code_of;
            }
            follow(conv, answer).await
        }
        Err(f) if conv.loses_the_device(&f, false) => step
            .into_conversation()
            .failed(f, false)
            .map(Advance::StartOver),
        Err(f) => return Err(refused(step, f.into())),
    };
    settle(advanced).await.map_err(StepError::ended)
}

/// An answer refused: the step back when the user can answer again, else the end.
pub(super) fn refused<S>(step: S, error: Error) -> StepError<S> {
    if cognito_errors::keeps_the_step(&error) {
        StepError {
            error,
            step: Some(step),
        }
    } else {
        StepError::ended(error)
    }
}
