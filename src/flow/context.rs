//! What one sign-in holds, as types that own their data: [`SignIn`] (fixed from the start),
//! [`Challenged`] (between the server's challenges, once the user is named), [`Presenting`]
//! (the device presented, and the password only while a restart without it is possible), and
//! the one function that writes what every challenge response carries (USERNAME, SECRET_HASH,
//! DEVICE_KEY and the challenge's Session).

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{AuthenticationResultType, ChallengeNameType};

use super::outcome::MfaType;
use crate::error::{Error, ServiceDetails};
use crate::ids::{DeviceKey, TypedName, UserIdForSrp};
use crate::pool::Pool;
use crate::srp::{Password, param};
use crate::store::DeviceRecord;
use crate::transport::{Failure, Retry, RoundTrips, with_retry};

/// Which attempt this is: the first presents the stored device; after the server said the
/// device is gone, the sign-in starts over once without any (never a loop).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Attempt {
    WithStoredDevice,
    WithoutDevice,
}

/// What every state of one sign-in shares, fixed when it starts.
pub(super) struct SignIn {
    pub pool: Arc<Pool>,
    pub trips: RoundTrips,
    /// The name the user typed (an alias, or the user name in any case).
    pub typed: TypedName,
    pub attempt: Attempt,
    /// Records found unreadable, forgotten once the sign-in has an access token
    /// (docs/protocol.md 5.6).
    pub stale: Vec<StaleDevice>,
}

/// A device record presented in this sign-in, with the user name it was read under (the name
/// to delete it under, docs/protocol.md 5.2).
pub(super) struct UsedDevice {
    pub account_user: String,
    pub record: DeviceRecord,
}

/// A record found unreadable at the start: forgotten on the server and deleted once the
/// sign-in has an access token (docs/protocol.md 5.6).
pub(super) struct StaleDevice {
    pub account_user: String,
    pub device_key: Option<DeviceKey>,
}

/// The device a sign-in presents after PASSWORD_VERIFIER, and with it the user's password:
/// kept exactly while a restart without the device is possible (the restart sends it again,
/// docs/protocol.md 5.2), so a sign-in that presents no device holds no password at all.
/// `Password` zeroizes when dropped.
pub(super) enum Presenting {
    /// No device: nothing can restart the sign-in.
    Nothing,
    /// A stored device, sent as DEVICE_KEY with every response until tokens arrive.
    Device {
        used: UsedDevice,
        password: Password,
    },
}

impl Presenting {
    /// The device found for the user, if any; without one the password is dropped here.
    pub(super) fn new(device: Option<UsedDevice>, password: Password) -> Self {
        match device {
            Some(used) => Self::Device { used, password },
            None => Self::Nothing,
        }
    }
}

/// What this sign-in has done so far, for the outcome.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Progress {
    /// The MFA method whose code was answered.
    pub mfa: Option<MfaType>,
    /// The device proved itself (DEVICE_PASSWORD_VERIFIER accepted).
    pub device_proved: bool,
}

/// The state between the server's challenges, once the first challenge named the user.
pub(super) struct Challenged {
    pub ctx: SignIn,
    /// The user's name as challenges name it (USERNAME), which responses carry.
    pub user: UserIdForSrp,
    pub presenting: Presenting,
    pub progress: Progress,
}

/// A challenge the server put, with its parameters and Session.
pub(super) struct Challenge {
    pub name: ChallengeNameType,
    pub parameters: HashMap<String, String>,
    /// Cognito's Session for the answer, as sent (PASSWORD_VERIFIER may come without one).
    pub session: Option<String>,
}

/// A server answer: the next challenge, or tokens.
pub(super) enum ServerAnswer {
    Challenge(Challenge),
    Tokens(Box<AuthenticationResultType>),
}

impl ServerAnswer {
    fn read(
        name: Option<ChallengeNameType>,
        parameters: Option<HashMap<String, String>>,
        session: Option<String>,
        result: Option<AuthenticationResultType>,
    ) -> Result<Self, Failure> {
        match (result, name) {
            (Some(result), _) => Ok(Self::Tokens(Box::new(result))),
            (None, Some(name)) => Ok(Self::Challenge(Challenge {
                name,
                parameters: parameters.unwrap_or_default(),
                session,
            })),
            (None, None) => Err(Failure::BadResponse {
                status: None,
                text: "the answer has neither tokens nor a challenge".into(),
            }),
        }
    }
}

impl TryFrom<cip::operation::initiate_auth::InitiateAuthOutput> for ServerAnswer {
    type Error = Failure;
    fn try_from(o: cip::operation::initiate_auth::InitiateAuthOutput) -> Result<Self, Failure> {
        Self::read(
            o.challenge_name,
            o.challenge_parameters,
            o.session,
            o.authentication_result,
        )
    }
}

impl TryFrom<cip::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput>
    for ServerAnswer
{
    type Error = Failure;
    fn try_from(
        o: cip::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput,
    ) -> Result<Self, Failure> {
        Self::read(
            o.challenge_name,
            o.challenge_parameters,
            o.session,
            o.authentication_result,
        )
    }
}

/// The server forgot the device presented: what starting over without it needs.
pub(super) struct Restart {
    pub ctx: SignIn,
    pub used: UsedDevice,
    pub password: Password,
    pub details: ServiceDetails,
}

/// A response sent in a state that owns the conversation: the server's next answer, or the
/// device presented is gone.
pub(super) enum Sent {
    Answered(Challenged, ServerAnswer),
    StartOver(Restart),
}

impl Challenged {
    /// Takes in what a challenge tells: when named, the user's name for the responses.
    pub(super) fn absorb(&mut self, challenge: &Challenge) {
        if let Some(name) = challenge.parameters.get(param::USERNAME)
            && !name.is_empty()
        {
            self.user = UserIdForSrp::new(name.as_str());
        }
    }

    pub(super) fn device_key(&self) -> Option<&DeviceKey> {
        match &self.presenting {
            Presenting::Device { used, .. } => Some(&used.record.device_key),
            Presenting::Nothing => None,
        }
    }

    /// Writes what every challenge response carries: USERNAME, SECRET_HASH over it when the
    /// client has a secret, and DEVICE_KEY of the device this sign-in presents
    /// (docs/protocol.md 3, 4 and 5.1).
    fn carry(&self, responses: &mut HashMap<String, String>) {
        let username = self.user.to_string();
        if let Some(hash) = self.ctx.pool.secret_hash(&username) {
            responses.insert(param::SECRET_HASH.to_owned(), hash);
        }
        responses.insert(param::USERNAME.to_owned(), username);
        if let Some(key) = self.device_key() {
            responses.insert(param::DEVICE_KEY.to_owned(), key.to_string());
        }
    }

    /// RespondToAuthChallenge with the answer `build` makes afresh for each attempt (so a
    /// retried verifier signs a fresh TIMESTAMP), what every response carries, and `session`.
    pub(super) async fn respond(
        &self,
        challenge: ChallengeNameType,
        session: Option<String>,
        retry: Retry,
        build: impl Fn() -> Result<HashMap<String, String>, Failure>,
    ) -> Result<ServerAnswer, Failure> {
        let pool = &self.ctx.pool;
        with_retry(retry, &self.ctx.trips, || {
            let built = build().map(|mut responses| {
                self.carry(&mut responses);
                responses
            });
            let call = pool
                .sdk
                .respond_to_auth_challenge()
                .client_id(&pool.client_id)
                .challenge_name(challenge.clone())
                .set_session(session.clone());
            async move {
                let responses = built?;
                let out = call
                    .set_challenge_responses(Some(responses))
                    .send()
                    .await
                    .map_err(Failure::from)?;
                ServerAnswer::try_from(out)
            }
        })
        .await
    }

    /// An answer the app gave (a code, a choice, a new password). Answers can be secrets: our
    /// copy is wiped once sent; the copies handed to the AWS SDK are its own.
    pub(super) async fn respond_with(
        &self,
        challenge: ChallengeNameType,
        session: Option<String>,
        mut responses: HashMap<String, String>,
    ) -> Result<ServerAnswer, Failure> {
        let sent = self
            .respond(challenge, session, Retry::ThrottlingOnly, || {
                Ok(responses.clone())
            })
            .await;
        for value in responses.values_mut() {
            zeroize::Zeroize::zeroize(value);
        }
        sent
    }

    /// Whether `f` says the device this sign-in presents is gone (only Cognito's device
    /// answers say so). `in_device_step`: the call was DEVICE_SRP_AUTH or
    /// DEVICE_PASSWORD_VERIFIER, where "Incorrect username or password." means a wrong device
    /// secret.
    pub(super) fn loses_the_device(&self, f: &Failure, in_device_step: bool) -> bool {
        matches!(self.presenting, Presenting::Device { .. }) && f.is_device_gone(in_device_step)
    }

    /// A failed call in a state that ends with it: start over without the device when the
    /// server forgot it, else the error for the app.
    pub(super) fn failed(self, f: Failure, in_device_step: bool) -> Result<Restart, Error> {
        let gone = self.loses_the_device(&f, in_device_step);
        match self.presenting {
            Presenting::Device { used, password } if gone => Ok(Restart {
                ctx: self.ctx,
                used,
                password,
                details: f.details().cloned().unwrap_or_default(),
            }),
            _ => Err(f.into()),
        }
    }

    /// Sends a response in a state that ends with it (automatic steps): the server's answer,
    /// or the restart when the device presented is gone.
    pub(super) async fn send(
        self,
        challenge: ChallengeNameType,
        session: Option<String>,
        build: impl Fn() -> Result<HashMap<String, String>, Failure>,
        in_device_step: bool,
    ) -> Result<Sent, Error> {
        let sent = self
            .respond(challenge, session, Retry::ThrottlingOnly, build)
            .await;
        match sent {
            Ok(answer) => Ok(Sent::Answered(self, answer)),
            Err(f) => self.failed(f, in_device_step).map(Sent::StartOver),
        }
    }
}

/// A JSON array of strings, as Cognito sends MFAS_CAN_CHOOSE, MFAS_CAN_SETUP and
/// requiredAttributes.
pub(super) fn json_list(value: Option<&String>) -> Vec<String> {
    value
        .and_then(|v| serde_json::from_str::<Vec<String>>(v).ok())
        .unwrap_or_default()
}
