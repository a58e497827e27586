//! The step-by-step sign-in: [`SignInStep`] says what the app must do next and carries the
//! object that takes the answer.
//!
//! Kotlin: `when (val step = client.signIn(user, password)) { is SignInStep.SmsCode ->
//! step.step.submit(code) ... is SignInStep.Done -> step.signedIn }`; Swift: `switch step {
//! case .smsCode(let s): try await s.submit(code: code) ... case .done(let signedIn): ... }`.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use super::error::CognitoError;
use super::tokens::Tokens;
use cognito_device_auth::RememberedStatus;
use cognito_device_auth::flow::{self, DeviceOutcome, MfaType};

/// What the app must do next. Each case but `Done` carries the step object that takes the
/// answer; answering returns the next step.
// `Done` is large, but the value only lives until uniffi serialises it for the app.
#[allow(clippy::large_enum_variant)]
#[derive(uniffi::Enum)]
pub enum SignInStep {
    /// Ask for the code sent by SMS (`step.destination` says where).
    SmsCode {
        /// Takes the code.
        step: Arc<CodeStep>,
    },
    /// Ask for the code of the user's authenticator app.
    TotpCode {
        /// Takes the code.
        step: Arc<CodeStep>,
    },
    /// Ask for the code sent by e-mail.
    EmailCode {
        /// Takes the code.
        step: Arc<CodeStep>,
    },
    /// Let the user choose an MFA method among `step.allowed`.
    SelectMfaType {
        /// Takes the choice.
        step: Arc<SelectMfaStep>,
    },
    /// The user must set up an authenticator app: show the secret (or the otpauth URI as a QR
    /// code) and ask for a first code.
    SetUpTotp {
        /// Shows the secret and takes the first code.
        step: Arc<TotpSetupStep>,
    },
    /// The user must choose a new password (first sign-in with a temporary password).
    NewPassword {
        /// Takes the new password.
        step: Arc<NewPasswordStep>,
    },
    /// Ask the user whether to remember this device (the pool lets users choose).
    RememberDevice {
        /// Takes the answer.
        step: Arc<RememberDeviceStep>,
    },
    /// Signed in.
    Done {
        /// The tokens and what happened with the device.
        signed_in: SignedIn,
    },
}

impl From<flow::SignInStep> for SignInStep {
    fn from(step: flow::SignInStep) -> Self {
        use flow::SignInStep as S;
        match step {
            S::SmsCode(s) => Self::SmsCode {
                step: Arc::new(CodeStep(s)),
            },
            S::TotpCode(s) => Self::TotpCode {
                step: Arc::new(CodeStep(s)),
            },
            S::EmailCode(s) => Self::EmailCode {
                step: Arc::new(CodeStep(s)),
            },
            S::SelectMfaType(s) => Self::SelectMfaType {
                step: Arc::new(SelectMfaStep(s)),
            },
            S::SetUpTotp(s) => Self::SetUpTotp {
                step: Arc::new(TotpSetupStep(s)),
            },
            S::NewPassword(s) => Self::NewPassword {
                step: Arc::new(NewPasswordStep(s)),
            },
            S::RememberDevice(s) => Self::RememberDevice {
                step: Arc::new(RememberDeviceStep(s)),
            },
            S::Done(s) => Self::Done {
                signed_in: s.into(),
            },
        }
    }
}

/// The result of a completed sign-in. `toString()` / `description` redact the tokens.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SignedIn {
    /// The internal user name: pass it to `refresh`, `forgetDevice` and the like.
    pub username: String,
    /// The tokens.
    pub tokens: Tokens,
    /// What happened with the device.
    pub device: DeviceOutcome,
    /// The MFA method whose code was answered in this sign-in, if any.
    pub mfa: Option<MfaType>,
    /// HTTP round trips of the whole sign-in, retries included.
    pub round_trips: u32,
}

impl From<flow::SignedIn> for SignedIn {
    fn from(s: flow::SignedIn) -> Self {
        Self {
            username: s.username.into(),
            tokens: s.tokens.into(),
            device: s.device,
            mfa: s.mfa,
            round_trips: s.round_trips,
        }
    }
}

/// A step that wants a code (SMS, authenticator app, e-mail).
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct CodeStep(flow::CodeStep);

impl fmt::Debug for CodeStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl CodeStep {
    /// Where the code was sent, masked as Cognito gives it (`+*******1234`).
    pub fn destination(&self) -> Option<String> {
        self.0.destination().map(str::to_owned)
    }

    /// The MFA method asked for.
    pub fn mfa_type(&self) -> MfaType {
        self.0.mfa_type()
    }

    /// Answers with the code. A wrong code fails with `CodeMismatch` and this step can be
    /// answered again.
    pub async fn submit(&self, code: String) -> Result<SignInStep, CognitoError> {
        Ok(self.0.submit(&code).await?.into())
    }
}

/// A step that offers a choice of MFA methods.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct SelectMfaStep(flow::SelectMfaStep);

impl fmt::Debug for SelectMfaStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl SelectMfaStep {
    /// The methods the user may choose from.
    pub fn allowed(&self) -> Vec<MfaType> {
        self.0.allowed().to_vec()
    }

    /// Chooses a method; the next step asks for its code.
    pub async fn select(&self, mfa_type: MfaType) -> Result<SignInStep, CognitoError> {
        Ok(self.0.select(mfa_type).await?.into())
    }
}

/// A step that sets up an authenticator app. `toString()` / `description` hide the secret.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct TotpSetupStep(flow::TotpSetupStep);

impl fmt::Debug for TotpSetupStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl TotpSetupStep {
    /// The shared secret (base32) to type into the authenticator app. Show it to the user only.
    pub fn secret(&self) -> String {
        self.0.secret().expose().to_owned()
    }

    /// The `otpauth://totp/...` URI to show as a QR code. Contains the secret.
    pub fn otpauth_uri(&self) -> String {
        self.0.otpauth_uri().expose().to_owned()
    }

    /// Verifies a first code from the app and finishes the set-up; `friendlyName` names the
    /// authenticator in the user's account.
    pub async fn verify(
        &self,
        code: String,
        friendly_name: Option<String>,
    ) -> Result<SignInStep, CognitoError> {
        Ok(self.0.verify(&code, friendly_name.as_deref()).await?.into())
    }
}

/// A step that asks for a new password (first sign-in with a temporary password).
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct NewPasswordStep(flow::NewPasswordStep);

impl fmt::Debug for NewPasswordStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl NewPasswordStep {
    /// Attributes the pool requires that the user has not set yet, e.g. `name`.
    pub fn required_attributes(&self) -> Vec<String> {
        self.0.required_attributes().to_vec()
    }

    /// Sets the new password and the required attributes (name to value; may be empty).
    /// A password the policy rejects fails with `InvalidPassword`.
    pub async fn submit(
        &self,
        new_password: String,
        attributes: HashMap<String, String>,
    ) -> Result<SignInStep, CognitoError> {
        Ok(self.0.submit(new_password, &attributes).await?.into())
    }
}

/// A step that asks whether to remember this device.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct RememberDeviceStep(flow::RememberDeviceStep);

impl fmt::Debug for RememberDeviceStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl RememberDeviceStep {
    /// The new device's key.
    pub fn device_key(&self) -> String {
        self.0.device_key().to_string()
    }

    /// Remembers the device (future sign-ins skip MFA) or not. The sign-in completes either
    /// way: a failure to update the status is reported in `DeviceOutcome.warning`. Answering
    /// twice fails with `Misuse`.
    pub async fn answer(&self, status: RememberedStatus) -> Result<SignInStep, CognitoError> {
        Ok(self.0.answer(status).await?.into())
    }
}
