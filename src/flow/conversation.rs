//! What one sign-in holds between the server's answers, and the one function that writes what
//! every challenge response carries (USERNAME, SECRET_HASH, DEVICE_KEY, Session).

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

/// The conversation of one sign-in with Cognito, shared by the step handles the app holds
/// (a step that failed with a wrong code can be answered again).
pub(super) type Shared = Arc<tokio::sync::Mutex<Conversation>>;

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

/// Which attempt this is: the first presents the stored device; after the server said the
/// device is gone, the sign-in starts over once without any (never a loop).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Attempt {
    WithStoredDevice,
    WithoutDevice,
}

/// What this sign-in has done so far, for the outcome.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Progress {
    /// The MFA method whose code was answered.
    pub mfa: Option<MfaType>,
    /// The device proved itself (DEVICE_PASSWORD_VERIFIER accepted).
    pub device_proved: bool,
}

/// The conversation's state between server answers.
pub(super) struct Conversation {
    pub pool: Arc<Pool>,
    pub trips: RoundTrips,
    pub typed: TypedName,
    /// The internal name, from the first challenge.
    pub user: Option<UserIdForSrp>,
    /// Cognito's Session for the next response.
    pub session: Option<String>,
    pub device: Option<UsedDevice>,
    pub stale: Vec<StaleDevice>,
    pub attempt: Attempt,
    pub progress: Progress,
    /// The user's password, kept only while a step can need it: a restart without the device
    /// sends it again (docs/protocol.md 5.2). Dropped (`Password` zeroizes) after
    /// PASSWORD_VERIFIER when no device is in use, when tokens arrive and when an error ends
    /// the sign-in; never kept until the app drops its step handles.
    password: Option<Password>,
}

/// A server answer: a challenge or tokens.
pub(super) struct ServerStep {
    pub challenge: Option<ChallengeNameType>,
    pub parameters: HashMap<String, String>,
    pub session: Option<String>,
    pub result: Option<AuthenticationResultType>,
}

impl From<cip::operation::initiate_auth::InitiateAuthOutput> for ServerStep {
    fn from(o: cip::operation::initiate_auth::InitiateAuthOutput) -> Self {
        Self {
            challenge: o.challenge_name,
            parameters: o.challenge_parameters.unwrap_or_default(),
            session: o.session,
            result: o.authentication_result,
        }
    }
}

impl From<cip::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput> for ServerStep {
    fn from(o: cip::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput) -> Self {
        Self {
            challenge: o.challenge_name,
            parameters: o.challenge_parameters.unwrap_or_default(),
            session: o.session,
            result: o.authentication_result,
        }
    }
}

impl Conversation {
    pub(super) fn new(pool: Arc<Pool>, typed: TypedName, password: Password) -> Self {
        Self {
            pool,
            trips: RoundTrips::default(),
            typed,
            user: None,
            session: None,
            device: None,
            stale: Vec::new(),
            attempt: Attempt::WithStoredDevice,
            progress: Progress::default(),
            password: Some(password),
        }
    }

    /// Takes in what a challenge tells: the Session for the next response and, when named,
    /// the user's internal name.
    pub(super) fn absorb(&mut self, step: &ServerStep) {
        self.session = step.session.clone();
        if let Some(name) = step.parameters.get(param::USERNAME)
            && !name.is_empty()
        {
            self.user = Some(UserIdForSrp::new(name.as_str()));
        }
    }

    /// The name challenge responses carry: the internal name once known.
    pub(super) fn response_username(&self) -> &str {
        self.user.as_deref().unwrap_or(&self.typed)
    }

    /// The internal name, or the typed one before the first challenge.
    pub(super) fn user_id(&self) -> UserIdForSrp {
        self.user
            .clone()
            .unwrap_or_else(|| UserIdForSrp::new(self.typed.as_str()))
    }

    pub(super) fn device_key(&self) -> Option<&DeviceKey> {
        self.device.as_ref().map(|d| &d.record.device_key)
    }

    /// The password, while the sign-in still holds it.
    pub(super) fn password(&self) -> Option<&Password> {
        self.password.as_ref()
    }

    /// Drops the password: no step can need it any more.
    pub(super) fn wipe_password(&mut self) {
        self.password = None;
    }

    /// NEW_PASSWORD_REQUIRED: from now on a restart without the device must send the new
    /// password; returns the one it replaces (to put back if the server refuses the new one).
    /// Kept only while a restart is possible (a device is in use, no tokens yet).
    pub(super) fn replace_password(&mut self, password: Password) -> Option<Password> {
        let before = self.password.take();
        if before.is_some() && self.device.is_some() {
            self.password = Some(password);
        }
        before
    }

    /// Puts back the password [`Conversation::replace_password`] replaced (the server refused
    /// the new one, so the old one is still the user's), unless the sign-in is over.
    pub(super) fn restore_password(&mut self, before: Option<Password>) {
        if self.password.is_some() {
            self.password = before;
        }
    }

    /// Writes what every challenge response carries: USERNAME (the internal name once known),
    /// SECRET_HASH over it when the client has a secret, and DEVICE_KEY of the device this
    /// sign-in presents (docs/protocol.md 3, 4 and 5.1). The Session goes with the call.
    fn carry(&self, responses: &mut HashMap<String, String>) {
        let username = self.response_username().to_owned();
        if let Some(hash) = self.pool.secret_hash(&username) {
            responses.insert(param::SECRET_HASH.to_owned(), hash);
        }
        responses.insert(param::USERNAME.to_owned(), username);
        if let Some(key) = self.device_key() {
            responses.insert(param::DEVICE_KEY.to_owned(), key.to_string());
        }
    }

    /// RespondToAuthChallenge with the answer `build` makes afresh for each attempt (so a
    /// retried verifier signs a fresh TIMESTAMP), plus what every response carries.
    pub(super) async fn respond(
        &self,
        challenge: ChallengeNameType,
        retry: Retry,
        build: impl Fn() -> Result<HashMap<String, String>, Failure>,
    ) -> Result<ServerStep, Failure> {
        let pool = &self.pool;
        with_retry(retry, &self.trips, || {
            let built = build().map(|mut responses| {
                self.carry(&mut responses);
                responses
            });
            let call = pool
                .sdk
                .respond_to_auth_challenge()
                .client_id(&pool.client_id)
                .challenge_name(challenge.clone())
                .set_session(self.session.clone());
            async move {
                let responses = built?;
                call.set_challenge_responses(Some(responses))
                    .send()
                    .await
                    .map(ServerStep::from)
                    .map_err(Failure::from)
            }
        })
        .await
    }

    /// An answer the app gave (a code, a choice, a new password). Answers can be secrets: our
    /// copy is wiped once sent; the copies handed to the AWS SDK are its own.
    pub(super) async fn respond_with(
        &self,
        challenge: ChallengeNameType,
        retry: Retry,
        mut responses: HashMap<String, String>,
    ) -> Result<ServerStep, Failure> {
        let sent = self
            .respond(challenge, retry, || Ok(responses.clone()))
            .await;
        for value in responses.values_mut() {
            zeroize::Zeroize::zeroize(value);
        }
        sent
    }
}

/// How a response in a sign-in that may present a device ended.
pub(super) enum Sent {
    /// The server answered: a challenge or tokens.
    Answered(ServerStep),
    /// The server said the device presented is gone (its local secret proves nothing).
    DeviceGone(ServiceDetails),
}

impl Conversation {
    /// What a failed call means: the device is gone (only Cognito's device answers say so, and
    /// only while this sign-in presents one), or an error for the app. `in_device_step`: the
    /// call was DEVICE_SRP_AUTH or DEVICE_PASSWORD_VERIFIER, where "Incorrect username or
    /// password." means a wrong device secret.
    pub(super) fn failed(&self, f: Failure, in_device_step: bool) -> Result<Sent, Error> {
        if self.device.is_some() && f.is_device_gone(in_device_step) {
            Ok(Sent::DeviceGone(details_of(&f)))
        } else {
            Err(f.into())
        }
    }
}

/// Cognito's error type and message (and request id) of a failure.
pub(super) fn details_of(f: &Failure) -> ServiceDetails {
    f.details().cloned().unwrap_or_default()
}

/// A JSON array of strings, as Cognito sends MFAS_CAN_CHOOSE, MFAS_CAN_SETUP and
/// requiredAttributes.
pub(super) fn json_list(value: Option<&String>) -> Vec<String> {
    value
        .and_then(|v| serde_json::from_str::<Vec<String>>(v).ok())
        .unwrap_or_default()
}
