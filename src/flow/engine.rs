//! The engine behind the steps: InitiateAuth, every challenge response, and the automatic
//! steps (PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER).

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{AuthFlowType, AuthenticationResultType, ChallengeNameType};
use tokio::sync::Mutex;

use super::{
    CodeStep, FlowRef, MfaType, NewPasswordStep, SelectMfaStep, SignInStep, TotpSetupStep, device,
};
use crate::client::Inner;
use crate::error::{Error, ServiceDetails};
use crate::srp::{
    DeviceSrpSession, OtpAuthUri, Password, PasswordVerifierChallenge, Timestamp, TotpSecret,
    UserSrpSession, param,
};
use crate::store::DeviceRecord;
use crate::store::record::Lookup;
use crate::transport::{Failure, Retry, RoundTrips, with_retry};

/// A device record in use by this sign-in, with the user name it was read under (the name to
/// delete it under, docs/protocol.md 5.2).
pub(crate) struct UsedDevice {
    pub account_user: String,
    pub record: DeviceRecord,
}

/// A record to clean up once the sign-in has tokens: an unreadable record.
pub(crate) struct StaleDevice {
    pub account_user: String,
    pub aliases: Vec<String>,
    pub device_key: Option<String>,
}

/// The state of one sign-in.
pub(crate) struct Flow {
    pub inner: Arc<Inner>,
    /// The name as the user typed it.
    pub typed: String,
    /// The user's password, wiped (dropped: `Password` zeroizes) as soon as no step can need
    /// it: after PASSWORD_VERIFIER when no device is in use (only a restart without the device
    /// sends it again, docs/protocol.md 5.2), and when the sign-in is done. Never kept until
    /// the app drops its step handles (through the bindings, whenever a garbage collector runs).
    password: Option<Password>,
    /// The internal name, from the first challenge.
    pub username: Option<String>,
    pub device: Option<UsedDevice>,
    pub stale: Vec<StaleDevice>,
    pub session: Option<String>,
    pub trips: RoundTrips,
    pub mfa: Option<String>,
    /// Set once the sign-in restarted without a forgotten device: never loop.
    restarted_without_device: bool,
    /// This sign-in proved the device with DEVICE_SRP_AUTH.
    pub device_proved: bool,
    device_session: Option<DeviceSrpSession>,
    /// After ConfirmDevice answered UserConfirmationNecessary: the result waiting for the
    /// app's answer.
    pub pending_done: Option<super::SignedIn>,
}

impl Flow {
    /// NEW_PASSWORD_REQUIRED: from now on a restart without the device must send the new
    /// password; returns the one it replaces (to put back if the server refuses the new one).
    /// Kept only while a restart is possible (a device is in use, no tokens yet).
    pub(crate) fn replace_password(&mut self, password: Password) -> Option<Password> {
        let before = self.password.take();
        if before.is_some() && self.device.is_some() {
            self.password = Some(password);
        }
        before
    }

    /// Puts back the password [`Flow::replace_password`] replaced (the server refused the new
    /// one, so the old one is still the user's), unless the sign-in is over.
    pub(crate) fn restore_password(&mut self, before: Option<Password>) {
        if self.password.is_some() {
            self.password = before;
        }
    }

    /// Drops the password: no step can need it any more.
    pub(crate) fn wipe_password(&mut self) {
        self.password = None;
    }

    /// The name challenge responses carry: the internal name once known.
    fn response_username(&self) -> &str {
        self.username.as_deref().unwrap_or(&self.typed)
    }

    fn device_key(&self) -> Option<&str> {
        self.device.as_ref().map(|d| d.record.device_key.as_str())
    }
}

/// What advancing produced: a step for the app, or "the device was forgotten, start over".
enum Advance {
    Step(SignInStep),
    Restart(ServiceDetails),
}

/// A server answer: a challenge or tokens.
pub(crate) struct ServerStep {
    challenge: Option<String>,
    parameters: HashMap<String, String>,
    session: Option<String>,
    result: Option<AuthenticationResultType>,
}

impl From<cip::operation::initiate_auth::InitiateAuthOutput> for ServerStep {
    fn from(o: cip::operation::initiate_auth::InitiateAuthOutput) -> Self {
        Self {
            challenge: o.challenge_name.map(|c| c.as_str().to_owned()),
            parameters: o.challenge_parameters.unwrap_or_default(),
            session: o.session,
            result: o.authentication_result,
        }
    }
}

impl From<cip::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput> for ServerStep {
    fn from(o: cip::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput) -> Self {
        Self {
            challenge: o.challenge_name.map(|c| c.as_str().to_owned()),
            parameters: o.challenge_parameters.unwrap_or_default(),
            session: o.session,
            result: o.authentication_result,
        }
    }
}

/// Starts a sign-in.
pub(crate) async fn start(
    inner: Arc<Inner>,
    typed: &str,
    password: Password,
) -> Result<SignInStep, Error> {
    if typed.is_empty() {
        return Err(Error::InvalidStepAnswer("the user name is empty".into()));
    }
    let flow = Flow {
        inner,
        typed: typed.to_owned(),
        password: Some(password),
        username: None,
        device: None,
        stale: Vec::new(),
        session: None,
        trips: RoundTrips::default(),
        mfa: None,
        restarted_without_device: false,
        device_proved: false,
        device_session: None,
        pending_done: None,
    };
    let flow_ref: FlowRef = Arc::new(Mutex::new(flow));
    let mut flow = flow_ref.lock().await;
    let outcome = initiate(&flow_ref, &mut flow).await;
    settle(&flow_ref, &mut flow, outcome).await
}

/// Turns an [`Advance`] into the app's step, restarting once without the device when the
/// server forgot it (docs/protocol.md 5.2).
async fn settle(
    flow_ref: &FlowRef,
    flow: &mut Flow,
    mut outcome: Result<Advance, Error>,
) -> Result<SignInStep, Error> {
    loop {
        let advance = match outcome {
            Ok(advance) => advance,
            Err(e) => {
                if ends_the_sign_in(&e) {
                    flow.wipe_password();
                }
                return Err(e);
            }
        };
        match advance {
            Advance::Step(step) => {
                if matches!(step, SignInStep::Done(_)) {
                    flow.wipe_password();
                }
                return Ok(step);
            }
            Advance::Restart(details) => {
                if flow.restarted_without_device {
                    flow.wipe_password();
                    return Err(Error::DeviceForgotten(details));
                }
                flow.restarted_without_device = true;
                forget_local_device(flow).await?;
                outcome = initiate(flow_ref, flow).await;
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

/// Deletes the local record of the device in use, under the name it was read with.
async fn forget_local_device(flow: &mut Flow) -> Result<(), Error> {
    if let Some(used) = flow.device.take() {
        tracing::info!(
            device_key = %used.record.device_key,
            "the server no longer knows this device; deleting the local record"
        );
        flow.inner
            .records
            .delete(&used.account_user, &used.record.aliases)
            .await?;
    }
    Ok(())
}

/// Looks up the device of `name`. Unreadable records are set aside for clean-up once the
/// sign-in has tokens; a store that is locked fails the sign-in (retryable) rather than risk
/// anything.
async fn load_device(flow: &mut Flow, name: &str) -> Result<(), Error> {
    if flow.restarted_without_device {
        return Ok(());
    }
    match flow.inner.records.find(name).await? {
        Lookup::None => {}
        Lookup::Found {
            account_user,
            mut record,
        } => {
            if record.state == crate::store::DeviceState::Pending {
                // Finish the confirmation with the session's access token when this client
                // kept it; either way the device is tried: if its confirmation did reach the
                // server it proves itself, else the server answers "Device does not exist."
                // and the sign-in restarts without it (flow::pending).
                match super::pending::finish(&flow.inner, &flow.trips, name, None).await {
                    Ok(Some(_)) => {
                        if let Lookup::Found { record: now, .. } =
                            flow.inner.records.find(name).await?
                        {
                            record = now;
                        }
                    }
                    Ok(None) => return Ok(()),
                    Err(e) => {
                        tracing::warn!(error = %e, "could not finish the pending confirmation")
                    }
                }
            }
            flow.device = Some(UsedDevice {
                account_user,
                record,
            });
        }
        Lookup::Unreadable {
            account_user,
            reason,
            device_key,
        } => {
            tracing::warn!(%reason, "the stored device record is unreadable; it will be replaced");
            if !flow.stale.iter().any(|s| s.account_user == account_user) {
                flow.stale.push(StaleDevice {
                    account_user,
                    aliases: Vec::new(),
                    device_key,
                });
            }
        }
    }
    Ok(())
}

/// InitiateAuth(USER_SRP_AUTH), then whatever follows.
async fn initiate(flow_ref: &FlowRef, flow: &mut Flow) -> Result<Advance, Error> {
    flow.session = None;
    flow.username = None;
    flow.mfa = None;
    flow.device_proved = false;
    let typed = flow.typed.clone();
    load_device(flow, &typed).await?;

    let user = UserSrpSession::new(&flow.inner.user_pool_id)?;
    let mut parameters = HashMap::from([
        (param::USERNAME.to_owned(), typed.clone()),
        (param::SRP_A.to_owned(), user.srp_a()),
    ]);
    if let Some(hash) = flow.inner.secret_hash(&typed) {
        parameters.insert(param::SECRET_HASH.to_owned(), hash);
    }
    if let Some(key) = flow.device_key() {
        parameters.insert(param::DEVICE_KEY.to_owned(), key.to_owned());
    }
    let inner = Arc::clone(&flow.inner);
    let sent = with_retry(Retry::Transient, &flow.trips, || {
        let call = inner
            .sdk
            .initiate_auth()
            .client_id(&inner.client_id)
            .auth_flow(AuthFlowType::UserSrpAuth)
            .set_auth_parameters(Some(parameters.clone()));
        async move { call.send().await.map_err(Failure::from) }
    })
    .await;
    let step = match sent {
        Ok(out) => ServerStep::from(out),
        Err(f) if flow.device.is_some() && f.is_device_gone(false) => {
            return Ok(Advance::Restart(details_of(&f)));
        }
        Err(f) => return Err(f.into()),
    };
    if step.challenge.as_deref() == Some("PASSWORD_VERIFIER") {
        flow.session = step.session.clone();
        return password_verifier(flow_ref, flow, &user, &step.parameters).await;
    }
    advance(flow_ref, flow, step).await
}

/// Answers a challenge the app answered (a code, a choice, a new password).
pub(crate) async fn answer(
    flow_ref: &FlowRef,
    flow: &mut Flow,
    challenge: &str,
    responses: HashMap<String, String>,
    mfa: Option<MfaType>,
) -> Result<SignInStep, Error> {
    let sent = respond(flow, challenge, responses, Retry::ThrottlingOnly).await;
    let outcome = match sent {
        Ok(step) => {
            if let Some(mfa) = mfa {
                flow.mfa = Some(mfa.challenge_name().to_owned());
            }
            advance(flow_ref, flow, step).await
        }
        Err(f) if flow.device.is_some() && f.is_device_gone(false) => {
            Ok(Advance::Restart(details_of(&f)))
        }
        Err(f) => Err(f.into()),
    };
    settle(flow_ref, flow, outcome).await
}

/// RespondToAuthChallenge with USERNAME, SECRET_HASH over it, DEVICE_KEY and the Session.
async fn respond(
    flow: &Flow,
    challenge: &str,
    mut responses: HashMap<String, String>,
    retry: Retry,
) -> Result<ServerStep, Failure> {
    let username = responses
        .entry(param::USERNAME.to_owned())
        .or_insert_with(|| flow.response_username().to_owned())
        .clone();
    if let Some(hash) = flow.inner.secret_hash(&username) {
        responses.insert(param::SECRET_HASH.to_owned(), hash);
    }
    // docs/protocol.md 4 and 5.1: DEVICE_KEY on every response of a flow that has a device.
    if let Some(key) = flow.device_key() {
        responses
            .entry(param::DEVICE_KEY.to_owned())
            .or_insert_with(|| key.to_owned());
    }
    let sent = send_response(flow, challenge, retry, || Ok(responses.clone())).await;
    // Answers can be secrets (NEW_PASSWORD, a code): this copy is wiped; the copies handed to
    // the AWS SDK are its own.
    for value in responses.values_mut() {
        zeroize::Zeroize::zeroize(value);
    }
    sent
}

/// Sends a challenge response built afresh by `build` for each attempt.
async fn send_response(
    flow: &Flow,
    challenge: &str,
    retry: Retry,
    build: impl Fn() -> Result<HashMap<String, String>, Failure>,
) -> Result<ServerStep, Failure> {
    let inner = &flow.inner;
    let session = flow.session.clone();
    with_retry(retry, &flow.trips, || {
        let built = build();
        let call = inner
            .sdk
            .respond_to_auth_challenge()
            .client_id(&inner.client_id)
            .challenge_name(ChallengeNameType::from(challenge))
            .set_session(session.clone());
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

/// Follows the server's answers: automatic steps are answered here, app steps returned.
async fn advance(
    flow_ref: &FlowRef,
    flow: &mut Flow,
    mut step: ServerStep,
) -> Result<Advance, Error> {
    loop {
        if let Some(result) = step.result.take() {
            return device::finish(flow_ref, flow, &result)
                .await
                .map(Advance::Step);
        }
        flow.session = step.session.clone();
        if let Some(name) = step.parameters.get(param::USERNAME)
            && !name.is_empty()
        {
            flow.username = Some(name.clone());
        }
        let challenge = step.challenge.clone().ok_or_else(|| {
            Error::InvalidServerAnswer("the answer has neither tokens nor a challenge".into())
        })?;
        // Code challenges are the app's to answer.
        if let Some(mfa) = MfaType::from_challenge_name(&challenge) {
            let code = CodeStep {
                flow: Arc::clone(flow_ref),
                mfa,
                destination: step.parameters.get("CODE_DELIVERY_DESTINATION").cloned(),
            };
            return Ok(Advance::Step(match mfa {
                MfaType::Sms => SignInStep::SmsCode(code),
                MfaType::Totp => SignInStep::TotpCode(code),
                MfaType::Email => SignInStep::EmailCode(code),
            }));
        }
        step = match challenge.as_str() {
            "DEVICE_SRP_AUTH" => match device_srp_auth(flow).await? {
                Ok(next) => next,
                Err(details) => return Ok(Advance::Restart(details)),
            },
            "DEVICE_PASSWORD_VERIFIER" => {
                match device_password_verifier(flow, &step.parameters).await? {
                    Ok(next) => next,
                    Err(details) => return Ok(Advance::Restart(details)),
                }
            }
            "SELECT_MFA_TYPE" => {
                let allowed = json_list(step.parameters.get("MFAS_CAN_CHOOSE"))
                    .iter()
                    .filter_map(|n| MfaType::from_challenge_name(n))
                    .collect();
                return Ok(Advance::Step(SignInStep::SelectMfaType(SelectMfaStep {
                    flow: Arc::clone(flow_ref),
                    allowed,
                })));
            }
            "MFA_SETUP" => return begin_totp_setup(flow_ref, flow, &step.parameters).await,
            "NEW_PASSWORD_REQUIRED" => {
                let required_attributes = json_list(step.parameters.get("requiredAttributes"))
                    .into_iter()
                    .map(|a| a.trim_start_matches("userAttributes.").to_owned())
                    .collect();
                return Ok(Advance::Step(SignInStep::NewPassword(NewPasswordStep {
                    flow: Arc::clone(flow_ref),
                    required_attributes,
                })));
            }
            "PASSWORD_VERIFIER" => {
                return Err(Error::InvalidServerAnswer(
                    "PASSWORD_VERIFIER outside USER_SRP_AUTH".into(),
                ));
            }
            other => {
                return Err(Error::InvalidServerAnswer(format!(
                    "unsupported challenge {other}"
                )));
            }
        };
    }
}

/// The PASSWORD_VERIFIER answer (docs/protocol.md 2.3 to 2.7). A retried attempt signs a fresh
/// TIMESTAMP.
async fn password_verifier(
    flow_ref: &FlowRef,
    flow: &mut Flow,
    user: &UserSrpSession,
    parameters: &HashMap<String, String>,
) -> Result<Advance, Error> {
    let challenge = PasswordVerifierChallenge::from_parameters(parameters)?;
    let internal = challenge
        .user_id_for_srp()
        .or(challenge.username())
        .ok_or(crate::srp::SrpError::MissingParameter {
            name: param::USER_ID_FOR_SRP,
        })?
        .to_owned();
    flow.username = Some(challenge.username().unwrap_or(&internal).to_owned());

    // A device found for the typed name must belong to this user (docs/protocol.md 5.5); one not
    // found for the typed name may be stored under the internal name (docs/protocol.md 5.1).
    if let Some(used) = &flow.device
        && used.record.username != internal
    {
        tracing::warn!("the device stored for the typed name belongs to another user; not sent");
        flow.device = None;
    }
    if flow.device.is_none() && internal != flow.typed {
        load_device(flow, &internal).await?;
    }
    let typed = flow.typed.clone();
    if let Some(used) = &mut flow.device
        && typed != used.record.username
        && !used.record.aliases.contains(&typed)
    {
        // Remember the alias so the next sign-in sends DEVICE_KEY from the first request.
        used.record.aliases.push(typed);
        if let Err(e) = flow.inner.records.save(&used.record).await {
            tracing::warn!(error = %e, "could not store the alias of the device record");
        }
    }

    let username = flow.response_username().to_owned();
    let device_key = flow.device_key().map(str::to_owned);
    let secret_hash = flow.inner.secret_hash(&username);
    let password = flow.password.clone().ok_or_else(|| {
        Error::InvalidStepAnswer(
            "this sign-in no longer holds the password: start a new one".into(),
        )
    })?;
    let sent = send_response(flow, "PASSWORD_VERIFIER", Retry::ThrottlingOnly, || {
        verifier_responses(
            user.answer(&challenge, &password, &Timestamp::now()),
            &username,
            secret_hash.as_deref(),
            device_key.as_deref(),
        )
    })
    .await;
    drop(password);
    match sent {
        Ok(step) => {
            if flow.device.is_none() {
                // No device: nothing can restart the sign-in, so nothing sends it again.
                flow.password = None;
            }
            advance(flow_ref, flow, step).await
        }
        // NotAuthorized here is a wrong password, not a forgotten device.
        Err(f) if flow.device.is_some() && f.is_device_gone(false) => {
            Ok(Advance::Restart(details_of(&f)))
        }
        Err(f) => Err(f.into()),
    }
}

/// A verifier answer (built afresh for each attempt, so it signs a fresh TIMESTAMP) as
/// ChallengeResponses with USERNAME, SECRET_HASH and DEVICE_KEY.
fn verifier_responses(
    answer: Result<crate::srp::PasswordVerifierAnswer, crate::srp::SrpError>,
    username: &str,
    secret_hash: Option<&str>,
    device_key: Option<&str>,
) -> Result<HashMap<String, String>, Failure> {
    let mut responses = answer
        .map_err(|e| Failure::Construction(e.to_string()))?
        .to_parameters();
    responses.insert(param::USERNAME.to_owned(), username.to_owned());
    if let Some(hash) = secret_hash {
        responses.insert(param::SECRET_HASH.to_owned(), hash.to_owned());
    }
    if let Some(key) = device_key {
        responses.insert(param::DEVICE_KEY.to_owned(), key.to_owned());
    }
    Ok(responses)
}

/// DEVICE_SRP_AUTH: a fresh private value for the device (never the user step's).
async fn device_srp_auth(flow: &mut Flow) -> Result<Result<ServerStep, ServiceDetails>, Error> {
    let Some(used) = &flow.device else {
        return Err(Error::InvalidServerAnswer(
            "DEVICE_SRP_AUTH without a device in this sign-in".into(),
        ));
    };
    let username = flow.response_username().to_owned();
    let session = DeviceSrpSession::new(
        &username,
        &used.record.device_key,
        &used.record.device_group_key,
    )?;
    let responses = HashMap::from([
        (param::USERNAME.to_owned(), username),
        (param::DEVICE_KEY.to_owned(), used.record.device_key.clone()),
        (param::SRP_A.to_owned(), session.srp_a()),
    ]);
    flow.device_session = Some(session);
    match respond(flow, "DEVICE_SRP_AUTH", responses, Retry::ThrottlingOnly).await {
        Ok(step) => Ok(Ok(step)),
        Err(f) if f.is_device_gone(true) => Ok(Err(details_of(&f))),
        Err(f) => Err(f.into()),
    }
}

/// DEVICE_PASSWORD_VERIFIER (docs/protocol.md 4).
async fn device_password_verifier(
    flow: &mut Flow,
    parameters: &HashMap<String, String>,
) -> Result<Result<ServerStep, ServiceDetails>, Error> {
    let (Some(used), Some(session)) = (&flow.device, flow.device_session.take()) else {
        return Err(Error::InvalidServerAnswer(
            "DEVICE_PASSWORD_VERIFIER without DEVICE_SRP_AUTH".into(),
        ));
    };
    let challenge = PasswordVerifierChallenge::from_parameters(parameters)?;
    let password = used.record.device_password.clone();
    let username = flow.response_username().to_owned();
    let secret_hash = flow.inner.secret_hash(&username);
    let sent = send_response(
        flow,
        "DEVICE_PASSWORD_VERIFIER",
        Retry::ThrottlingOnly,
        || {
            verifier_responses(
                session.answer(&challenge, &password, &Timestamp::now()),
                &username,
                secret_hash.as_deref(),
                None,
            )
        },
    )
    .await;
    match sent {
        Ok(step) => {
            flow.device_proved = true;
            Ok(Ok(step))
        }
        Err(f) if f.is_device_gone(true) => Ok(Err(details_of(&f))),
        Err(f) => Err(f.into()),
    }
}

/// MFA_SETUP: AssociateSoftwareToken now, so the step can show the secret.
async fn begin_totp_setup(
    flow_ref: &FlowRef,
    flow: &mut Flow,
    parameters: &HashMap<String, String>,
) -> Result<Advance, Error> {
    let can_set_up = json_list(parameters.get("MFAS_CAN_SETUP"));
    if !can_set_up.is_empty() && !can_set_up.iter().any(|m| m == "SOFTWARE_TOKEN_MFA") {
        return Err(Error::InvalidServerAnswer(format!(
            "MFA_SETUP offers only {can_set_up:?}; this SDK sets up authenticator apps"
        )));
    }
    let inner = Arc::clone(&flow.inner);
    let session = flow.session.clone();
    let out = with_retry(Retry::Transient, &flow.trips, || {
        let call = inner
            .sdk
            .associate_software_token()
            .set_session(session.clone());
        async move { call.send().await.map_err(Failure::from) }
    })
    .await?;
    let secret = out.secret_code().ok_or_else(|| {
        Error::InvalidServerAnswer("AssociateSoftwareToken without a secret".into())
    })?;
    if let Some(s) = out.session() {
        flow.session = Some(s.to_owned());
    }
    let label = format!("{}:{}", flow.inner.pool_name, flow.response_username());
    let uri = OtpAuthUri::new(format!(
        "otpauth://totp/{}?secret={secret}&issuer={}",
        percent_encode(&label),
        percent_encode(&flow.inner.pool_name)
    ));
    Ok(Advance::Step(SignInStep::SetUpTotp(TotpSetupStep {
        flow: Arc::clone(flow_ref),
        secret: TotpSecret::new(secret),
        uri,
    })))
}

/// VerifySoftwareToken, then the MFA_SETUP response.
pub(crate) async fn verify_totp_setup(
    flow_ref: &FlowRef,
    flow: &mut Flow,
    code: &str,
    friendly_name: Option<&str>,
) -> Result<SignInStep, Error> {
    let inner = Arc::clone(&flow.inner);
    let session = flow.session.clone();
    let out = with_retry(Retry::ThrottlingOnly, &flow.trips, || {
        let call = inner
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
            error_type: None,
            message: Some("VerifySoftwareToken did not succeed".into()),
        }));
    }
    if let Some(s) = out.session() {
        flow.session = Some(s.to_owned());
    }
    answer(
        flow_ref,
        flow,
        "MFA_SETUP",
        HashMap::new(),
        Some(MfaType::Totp),
    )
    .await
}

fn details_of(f: &Failure) -> ServiceDetails {
    ServiceDetails {
        error_type: f.code().map(str::to_owned),
        message: f.message().map(str::to_owned),
    }
}

/// A JSON array of strings, as Cognito sends MFAS_CAN_CHOOSE and requiredAttributes.
fn json_list(value: Option<&String>) -> Vec<String> {
    value
        .and_then(|v| serde_json::from_str::<Vec<String>>(v).ok())
        .unwrap_or_default()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Client, ClientConfig};

    /// The password leaves the flow as soon as no step can need it, even while the app still
    /// holds a step handle (as a garbage-collected binding would).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_password_is_wiped_once_no_step_can_need_it() {
        let emulator = cognito_emulator::Emulator::start(Default::default())
            .await
            .expect("the emulator starts");
        let seed = serde_json::json!({ "pools": [{
            "Id": "us-east-1_Wipe00001",
            "PoolName": "wipe",
            "MfaConfiguration": "ON",
            "Clients": [{ "ClientId": "wipeclient", "ClientName": "wipe",
                          "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }],
            "Users": [{ "Username": "walt", "Password": "Correct-Horse-9",
                        "Attributes": { "phone_number": "+15555550199",
                                        "phone_number_verified": "true" } }]
        }]});
        emulator.seed(&seed).expect("seed");
        let client = Client::new(
            ClientConfig::new("us-east-1_Wipe00001", "wipeclient")
                .with_endpoint(emulator.endpoint())
                .with_memory_store(),
        )
        .expect("a client");
        let step = client
            .sign_in("walt", "Correct-Horse-9")
            .await
            .expect("the password is right");
        let SignInStep::SmsCode(code) = step else {
            panic!("expected the SMS code step, got {step:?}");
        };
        // The app still holds the step: the password is already gone (no device in use).
        assert!(code.flow.lock().await.password.is_none());
        let sent = emulator.sms_outbox(Some("walt"));
        let text = &sent.last().expect("an SMS").code;
        let done = code.submit(text).await.expect("the right code");
        assert!(matches!(
            done,
            SignInStep::Done(_) | SignInStep::RememberDevice(_)
        ));
    }
}
