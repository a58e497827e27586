//! The steps the app answers. Each step is a state of the sign-in that owns what it needs (the
//! conversation with Cognito, the Session of the challenge it answers, what it shows) and is
//! consumed by its answer (`answers.rs`): a sign-in cannot be driven twice from the same step.
//! An answer the server refuses in a way the user can fix (a wrong code, a password the policy
//! refuses) hands the same step back in [`StepError::step`], ready for another try.
//!
//! A step answered twice does not compile:
//!
//! ```compile_fail
//! # async fn twice(step: cognito_device_auth::flow::CodeStep) {
//! let _ = step.submit("123456").await;
//! let _ = step.submit("123456").await; // error[E0382]: use of moved value: `step`
//! # }
//! ```

use std::fmt;
use std::sync::Arc;

use super::context::Challenged;
use super::outcome::{MfaType, SignedIn};
use crate::error::Error;
use crate::ids::DeviceKey;
use crate::pool::Pool;
use crate::srp::{OtpAuthUri, TotpSecret};
use crate::transport::RoundTrips;

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

/// An answer that failed. [`StepError::step`] is the same step, handed back when the user can
/// answer again (a wrong code, a refused new password, an answer that does not fit, a failure
/// worth retrying); `None` when the sign-in is over and a new one must start. Converts into
/// [`Error`] for `?`.
pub struct StepError<S> {
    /// Why the answer failed.
    pub error: Error,
    /// The step, ready for another answer, when the sign-in goes on.
    pub step: Option<S>,
}

impl<S> StepError<S> {
    /// A failure that ends the sign-in.
    pub(super) fn ended(error: Error) -> Self {
        Self { error, step: None }
    }
}

impl<S> From<StepError<S>> for Error {
    fn from(e: StepError<S>) -> Self {
        e.error
    }
}

impl<S> fmt::Debug for StepError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StepError")
            .field("error", &self.error)
            .field("step_handed_back", &self.step.is_some())
            .finish()
    }
}

impl<S> fmt::Display for StepError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl<S> std::error::Error for StepError<S> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// A step that wants a code (SMS, authenticator app, e-mail).
pub struct CodeStep {
    pub(super) conv: Challenged,
    pub(super) session: Option<String>,
    pub(super) mfa: MfaType,
    pub(super) destination: Option<String>,
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
    pub(super) conv: Challenged,
    pub(super) session: Option<String>,
    pub(super) offered: Vec<MfaType>,
}

impl SelectMfaStep {
    /// The methods the user may choose from.
    pub fn allowed(&self) -> &[MfaType] {
        &self.offered
    }
}

impl fmt::Debug for SelectMfaStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SelectMfaStep")
            .field("allowed", &self.offered)
            .finish()
    }
}

/// A step that sets up an authenticator app (MFA_SETUP).
pub struct TotpSetupStep {
    pub(super) conv: Challenged,
    pub(super) session: Option<String>,
    pub(super) secret: TotpSecret,
    pub(super) uri: OtpAuthUri,
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
    pub(super) conv: Challenged,
    pub(super) session: Option<String>,
    pub(super) required_attributes: Vec<String>,
}

impl NewPasswordStep {
    /// Attributes the pool requires that the user has not set (without the `userAttributes.`
    /// prefix), e.g. `name`.
    pub fn required_attributes(&self) -> &[String] {
        &self.required_attributes
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
/// UserConfirmationNecessary). The sign-in already has its tokens: this step holds only the
/// result and what UpdateDeviceStatus needs.
pub struct RememberDeviceStep {
    pub(super) pool: Arc<Pool>,
    pub(super) trips: RoundTrips,
    pub(super) device_key: DeviceKey,
    pub(super) done: SignedIn,
}

impl RememberDeviceStep {
    /// The new device's key.
    pub fn device_key(&self) -> &DeviceKey {
        &self.device_key
    }
}

impl fmt::Debug for RememberDeviceStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RememberDeviceStep")
            .field("device_key", &self.device_key)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::context::Presenting;
    use crate::{Client, ClientConfig};

    /// The password leaves the sign-in as soon as no step can need it, even while the app
    /// still holds a step (as a garbage-collected binding would): a step with no device
    /// presented holds none.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_password_is_gone_once_no_step_can_need_it() {
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
        // The app still holds the step: no device in use, so no password in it.
        assert!(matches!(code.conv.presenting, Presenting::Nothing));
        let sent = emulator.sms_outbox(Some("walt"));
        let text = &sent.last().expect("an SMS").code;
        let done = code.submit(text).await.expect("the right code");
        assert!(matches!(
            done,
            SignInStep::Done(_) | SignInStep::RememberDevice(_)
        ));
    }
}
