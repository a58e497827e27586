//! The sign-in state machine. [`Client::sign_in`](crate::Client::sign_in) returns a
//! [`SignInStep`]; the app answers it (a code, a choice, a new password, "remember this
//! device?") and gets the next one, until [`SignInStep::Done`]. Everything else — the SRP
//! exchanges, DEVICE_KEY on every response, SECRET_HASH, the device steps, ConfirmDevice — runs
//! behind those steps.
//!
//! Steps are cheap handles on one shared sign-in: a step that failed with a retryable error
//! (a wrong code) can be answered again.

pub(crate) mod device;
mod engine;
pub(crate) mod pending;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use tokio::sync::Mutex;

use crate::error::Error;
use crate::srp::{OtpAuthUri, Password, TotpSecret};
use crate::tokens::Tokens;

pub(crate) use device::{forget_on_server, update_device_status};
pub(crate) use engine::start;

type FlowRef = Arc<Mutex<engine::Flow>>;

/// An MFA method Cognito can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MfaType {
    /// A code sent by SMS (`SMS_MFA`).
    Sms,
    /// A code from an authenticator app (`SOFTWARE_TOKEN_MFA`).
    Totp,
    /// A code sent by e-mail (`EMAIL_OTP`).
    Email,
}

impl MfaType {
    /// Cognito's name of the challenge.
    pub fn challenge_name(self) -> &'static str {
        match self {
            Self::Sms => "SMS_MFA",
            Self::Totp => "SOFTWARE_TOKEN_MFA",
            Self::Email => "EMAIL_OTP",
        }
    }

    pub(crate) fn from_challenge_name(name: &str) -> Option<Self> {
        match name {
            "SMS_MFA" | "SMS_OTP" => Some(Self::Sms),
            "SOFTWARE_TOKEN_MFA" => Some(Self::Totp),
            "EMAIL_OTP" => Some(Self::Email),
            _ => None,
        }
    }

    fn code_parameter(self) -> &'static str {
        match self {
            Self::Sms => "SMS_MFA_CODE",
            Self::Totp => "SOFTWARE_TOKEN_MFA_CODE",
            Self::Email => "EMAIL_OTP_CODE",
        }
    }
}

/// What the app must do next.
#[derive(Debug)]
pub enum SignInStep {
    /// Ask for the code sent by SMS.
    SmsCode(CodeStep),
    /// Ask for the code of the user's authenticator app.
    TotpCode(CodeStep),
    /// Ask for the code sent by e-mail.
    EmailCode(CodeStep),
    /// Let the user choose an MFA method.
    SelectMfaType(SelectMfaStep),
    /// The user must set up an authenticator app: show the secret (or the otpauth URI as a
    /// QR code) and ask for a first code.
    SetUpTotp(TotpSetupStep),
    /// The user must choose a new password (first sign-in with a temporary password).
    NewPassword(NewPasswordStep),
    /// Ask the user whether to remember this device (the pool asks users).
    RememberDevice(RememberDeviceStep),
    /// Signed in.
    Done(SignedIn),
}

impl SignInStep {
    /// The signed-in result, when this is the last step.
    pub fn done(self) -> Option<SignedIn> {
        match self {
            Self::Done(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the step, for logs and tests.
    pub fn name(&self) -> &'static str {
        match self {
            Self::SmsCode(_) => "SmsCode",
            Self::TotpCode(_) => "TotpCode",
            Self::EmailCode(_) => "EmailCode",
            Self::SelectMfaType(_) => "SelectMfaType",
            Self::SetUpTotp(_) => "SetUpTotp",
            Self::NewPassword(_) => "NewPassword",
            Self::RememberDevice(_) => "RememberDevice",
            Self::Done(_) => "Done",
        }
    }
}

/// What happened with this device during the sign-in. Every field states what the server
/// holds, never what the client hoped for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeviceOutcome {
    /// The device's key, when the pool tracks devices and one is stored.
    pub device_key: Option<String>,
    /// A new device was confirmed during this sign-in.
    pub newly_confirmed: bool,
    /// The server holds the device as remembered (`remembered` in UpdateDeviceStatus or
    /// GetDevice, or ConfirmDevice answered that no user confirmation is necessary): sign-ins
    /// with it skip SMS and TOTP MFA.
    pub remembered: bool,
    /// The device proved itself in this sign-in (DEVICE_SRP_AUTH), after an MFA step or
    /// instead of one.
    pub proved: bool,
    /// No MFA step happened in this sign-in, and the device proved itself (DEVICE_SRP_AUTH).
    /// False whenever a code was asked, even if the device was then proved.
    pub skipped_mfa: bool,
    /// ConfirmDevice is not known to have succeeded: the device secret is kept (state
    /// `pending`), and the confirmation is finished with this session's still-valid access
    /// token by the next [`Client::refresh`](crate::Client::refresh) or sign-in of this
    /// client, or by [`Client::confirm_pending_device`](crate::Client::confirm_pending_device).
    /// The session is never given up for it: a failed confirmation never makes the client
    /// forget the device (ForgetDevice would make the session's refresh token unusable).
    pub pending_confirmation: bool,
    /// Why the device could not be remembered, when something failed on the way (the sign-in
    /// itself succeeded).
    pub warning: Option<String>,
}

/// The result of a completed sign-in.
#[derive(Debug)]
pub struct SignedIn {
    /// The internal user name (USER_ID_FOR_SRP): the name device records are kept under.
    pub username: String,
    /// The tokens.
    pub tokens: Tokens,
    /// What happened with the device.
    pub device: DeviceOutcome,
    /// The MFA challenge answered, if any (e.g. `SMS_MFA`).
    pub mfa: Option<String>,
    /// HTTP round trips of the whole sign-in, retries included.
    pub round_trips: u32,
}

/// A step that wants a code (SMS, authenticator app, e-mail).
pub struct CodeStep {
    flow: FlowRef,
    mfa: MfaType,
    destination: Option<String>,
}

impl CodeStep {
    /// Where the code was sent, masked as Cognito gives it (`+*******1234`, `j***@e***`).
    pub fn destination(&self) -> Option<&str> {
        self.destination.as_deref()
    }

    /// The MFA method asked for.
    pub fn mfa_type(&self) -> MfaType {
        self.mfa
    }

    /// Answers with the code. A wrong code gives [`Error::CodeMismatch`] and this step can be
    /// answered again.
    pub async fn submit(&self, code: &str) -> Result<SignInStep, Error> {
        let mut flow = self.flow.lock().await;
        let responses = HashMap::from([(self.mfa.code_parameter().to_owned(), code.to_owned())]);
        engine::answer(
            &self.flow,
            &mut flow,
            self.mfa.challenge_name(),
            responses,
            Some(self.mfa),
        )
        .await
    }
}

impl fmt::Debug for CodeStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeStep")
            .field("mfa", &self.mfa)
            .field("destination", &self.destination)
            .finish()
    }
}

/// A step that offers a choice of MFA methods.
pub struct SelectMfaStep {
    flow: FlowRef,
    allowed: Vec<MfaType>,
}

impl SelectMfaStep {
    /// The methods the user may choose from.
    pub fn allowed(&self) -> &[MfaType] {
        &self.allowed
    }

    /// Chooses a method; the next step asks for its code.
    pub async fn select(&self, mfa: MfaType) -> Result<SignInStep, Error> {
        if !self.allowed.contains(&mfa) {
            return Err(Error::InvalidStepAnswer(format!(
                "{} is not among the offered methods",
                mfa.challenge_name()
            )));
        }
        let mut flow = self.flow.lock().await;
        let responses = HashMap::from([("ANSWER".to_owned(), mfa.challenge_name().to_owned())]);
        engine::answer(&self.flow, &mut flow, "SELECT_MFA_TYPE", responses, None).await
    }
}

impl fmt::Debug for SelectMfaStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SelectMfaStep")
            .field("allowed", &self.allowed)
            .finish()
    }
}

/// A step that sets up an authenticator app (MFA_SETUP).
pub struct TotpSetupStep {
    flow: FlowRef,
    secret: TotpSecret,
    uri: OtpAuthUri,
}

impl TotpSetupStep {
    /// The shared secret (base32) to type into the authenticator app. Secret: show it to
    /// the user only (`expose()` gives the text); wiped when the step is dropped.
    pub fn secret(&self) -> &TotpSecret {
        &self.secret
    }

    /// The `otpauth://totp/...` URI to show as a QR code. Contains the secret; wiped when the
    /// step is dropped.
    pub fn otpauth_uri(&self) -> &OtpAuthUri {
        &self.uri
    }

    /// Verifies a first code from the app (VerifySoftwareToken) and finishes the setup.
    pub async fn verify(
        &self,
        code: &str,
        friendly_name: Option<&str>,
    ) -> Result<SignInStep, Error> {
        let mut flow = self.flow.lock().await;
        engine::verify_totp_setup(&self.flow, &mut flow, code, friendly_name).await
    }
}

impl fmt::Debug for TotpSetupStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TotpSetupStep")
            .field("secret", &"[redacted]")
            .finish()
    }
}

/// A step that asks for a new password (NEW_PASSWORD_REQUIRED).
pub struct NewPasswordStep {
    flow: FlowRef,
    required_attributes: Vec<String>,
}

impl NewPasswordStep {
    /// Attributes the pool requires that the user has not set (without the `userAttributes.`
    /// prefix), e.g. `name`.
    pub fn required_attributes(&self) -> &[String] {
        &self.required_attributes
    }

    /// Sets the new password (and the required attributes).
    pub async fn submit(
        &self,
        new_password: impl Into<Password>,
        attributes: &HashMap<String, String>,
    ) -> Result<SignInStep, Error> {
        let new_password = new_password.into();
        let mut responses =
            HashMap::from([("NEW_PASSWORD".to_owned(), new_password.expose().to_owned())]);
        for (name, value) in attributes {
            responses.insert(format!("userAttributes.{name}"), value.clone());
        }
        let mut flow = self.flow.lock().await;
        // A restart without the device within this very answer (docs/protocol.md 5.2) must
        // send the new password: it is the flow's before the answer goes out.
        let before = flow.replace_password(new_password);
        let step = engine::answer(
            &self.flow,
            &mut flow,
            "NEW_PASSWORD_REQUIRED",
            responses,
            None,
        )
        .await;
        if step.is_err() {
            flow.restore_password(before);
        }
        step
    }
}

impl fmt::Debug for NewPasswordStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewPasswordStep")
            .field("required_attributes", &self.required_attributes)
            .finish()
    }
}

/// A step that asks whether to remember this device (ConfirmDevice answered
/// UserConfirmationNecessary).
pub struct RememberDeviceStep {
    flow: FlowRef,
    device_key: String,
}

impl RememberDeviceStep {
    /// The new device's key.
    pub fn device_key(&self) -> &str {
        &self.device_key
    }

    /// Remembers the device (future sign-ins skip MFA) or not (UpdateDeviceStatus). The
    /// sign-in is complete either way: a failure to update the status is reported in
    /// [`DeviceOutcome::warning`], never by losing the tokens.
    pub async fn answer(&self, remember: bool) -> Result<SignInStep, Error> {
        let mut flow = self.flow.lock().await;
        device::answer_remember(&mut flow, remember).await
    }
}

impl fmt::Debug for RememberDeviceStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RememberDeviceStep")
            .field("device_key", &self.device_key)
            .finish()
    }
}
