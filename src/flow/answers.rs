//! The app's answers: each step's method consumes the step, sends the answer (the Cognito
//! step's own file builds it: `mfa`, `totp_setup`, `new_password`, `new_device`) and follows
//! the server to the next step (`machine`).

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::types::ChallengeNameType;

use super::context::{Challenged, Presenting};
use super::machine::{self, OpenStep};
use super::outcome::{MfaType, SignedIn};
use super::steps::{
    CodeStep, NewPasswordStep, RememberDeviceStep, SelectMfaStep, SignInStep, StepError,
    TotpSetupStep,
};
use super::{mfa, new_device, new_password, totp_setup};
use crate::devices::RememberedStatus;
use crate::srp::Password;

macro_rules! open_step {
    ($($step:ident),*) => {$(
        impl OpenStep for $step {
            fn conversation(&self) -> &Challenged {
                &self.conv
            }
            fn session(&self) -> Option<String> {
                self.session.clone()
            }
            fn into_conversation(self) -> Challenged {
                self.conv
            }
        }
    )*};
}

open_step!(CodeStep, SelectMfaStep, TotpSetupStep, NewPasswordStep);

impl CodeStep {
    /// Answers with the code. A wrong code gives [`Error::CodeMismatch`](crate::Error) with
    /// this step handed back in [`StepError::step`], to be answered again.
    pub async fn submit(self, code: &str) -> Result<SignInStep, StepError<Self>> {
        let (challenge, responses) = mfa::code_answer(self.mfa, code);
        let mfa = self.mfa;
        machine::answer(self, challenge, responses, Some(mfa)).await
    }
}

impl SelectMfaStep {
    /// Chooses a method; the next step asks for its code. A method not offered is
    /// [`Error::InvalidStepAnswer`](crate::Error), with this step handed back.
    pub async fn select(self, mfa: MfaType) -> Result<SignInStep, StepError<Self>> {
        match mfa::select_answer(&self.offered, mfa) {
            Ok((challenge, responses)) => machine::answer(self, challenge, responses, None).await,
            Err(error) => Err(machine::refused(self, error)),
        }
    }
}

impl TotpSetupStep {
    /// Verifies a first code from the app (VerifySoftwareToken) and finishes the set-up. A
    /// wrong code hands this step back, to be answered again.
    pub async fn verify(
        mut self,
        code: &str,
        friendly_name: Option<&str>,
    ) -> Result<SignInStep, StepError<Self>> {
        match totp_setup::verify(&self.conv, &self.session, code, friendly_name).await {
            Ok(session) => self.session = session,
            Err(error) => return Err(machine::refused(self, error)),
        }
        let challenge = ChallengeNameType::MfaSetup;
        machine::answer(self, challenge, HashMap::new(), Some(MfaType::Totp)).await
    }
}

impl NewPasswordStep {
    /// Sets the new password (and the required attributes). A password the policy refuses is
    /// [`Error::InvalidPassword`](crate::Error), with this step handed back.
    pub async fn submit(
        mut self,
        new_password: impl Into<Password>,
        attributes: &HashMap<String, String>,
    ) -> Result<SignInStep, StepError<Self>> {
        let new_password = new_password.into();
        let responses = new_password::responses(&new_password, attributes);
        // A restart without the device within this very answer must send the new password.
        let before = match &mut self.conv.presenting {
            Presenting::Device { password, .. } => Some(std::mem::replace(password, new_password)),
            Presenting::Nothing => None,
        };
        let challenge = ChallengeNameType::NewPasswordRequired;
        let mut refused = match machine::answer(self, challenge, responses, None).await {
            Err(StepError {
                error,
                step: Some(step),
            }) => (error, step),
            other => return other,
        };
        // Refused: the old password is still the user's.
        if let (Presenting::Device { password, .. }, Some(before)) =
            (&mut refused.1.conv.presenting, before)
        {
            *password = before;
        }
        Err(StepError {
            error: refused.0,
            step: Some(refused.1),
        })
    }
}

impl RememberDeviceStep {
    /// Remembers the device (future sign-ins skip MFA) or not (UpdateDeviceStatus). The
    /// sign-in is complete either way: a failure to update the status is reported in
    /// [`DeviceOutcome::warning`](super::DeviceOutcome::warning), never by losing the tokens.
    pub async fn answer(self, status: RememberedStatus) -> SignedIn {
        new_device::answer_remember(&self.pool, &self.trips, self.done, status).await
    }
}
