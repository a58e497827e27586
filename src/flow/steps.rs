//! The steps the app answers. Each is a small handle: what the step shows (a destination, the
//! offered methods, a TOTP secret) and one method that answers it: the Cognito step's own file
//! (`mfa`, `totp_setup`, `new_password`, `new_device`) builds the answer, and the driver
//! (`machine`) sends it and follows the server to the next step.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use tokio::sync::Mutex;

use aws_sdk_cognitoidentityprovider::types::ChallengeNameType;

use super::conversation::{Conversation, Shared};
use super::machine;
use super::next::Next;
use super::outcome::{MfaType, SignedIn};
use super::{mfa, new_device, new_password, totp_setup};
use crate::devices::RememberedStatus;
use crate::error::Error;
use crate::ids::DeviceKey;
use crate::pool::Pool;
use crate::srp::{OtpAuthUri, Password, TotpSecret};
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

/// Starts a sign-in and returns the first step for the app.
pub(crate) async fn start(
    pool: Arc<Pool>,
    typed: &str,
    password: Password,
) -> Result<SignInStep, Error> {
    let mut conv = Conversation::new(Arc::clone(&pool), typed.into(), password);
    let next = machine::start(&mut conv).await?;
    Ok(step(&Arc::new(Mutex::new(conv)), next))
}

/// The handle for what the driver asks next.
fn step(conv: &Shared, next: Next) -> SignInStep {
    let conv = Arc::clone(conv);
    match next {
        Next::Code { mfa, destination } => {
            let code = CodeStep {
                conv,
                mfa,
                destination,
            };
            match mfa {
                MfaType::Sms => SignInStep::SmsCode(code),
                MfaType::Totp => SignInStep::TotpCode(code),
                MfaType::Email => SignInStep::EmailCode(code),
            }
        }
        Next::SelectMfa(offered) => SignInStep::SelectMfaType(SelectMfaStep { conv, offered }),
        Next::SetUpTotp { secret, uri } => {
            SignInStep::SetUpTotp(TotpSetupStep { conv, secret, uri })
        }
        Next::NewPassword {
            required_attributes,
        } => SignInStep::NewPassword(NewPasswordStep {
            conv,
            required_attributes,
        }),
        Next::RememberDevice { pool, done } => SignInStep::RememberDevice(RememberDeviceStep {
            pool,
            trips: RoundTrips::starting_at(done.round_trips),
            device_key: done.device.device_key.clone().unwrap_or_default(),
            done: Mutex::new(Some(done)),
        }),
        Next::Done(done) => SignInStep::Done(done),
    }
}

/// A step that wants a code (SMS, authenticator app, e-mail).
pub struct CodeStep {
    conv: Shared,
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
        let (challenge, responses) = mfa::code_answer(self.mfa, code);
        let mut conv = self.conv.lock().await;
        let next = machine::answer(&mut conv, challenge, responses, Some(self.mfa)).await?;
        Ok(step(&self.conv, next))
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
    conv: Shared,
    offered: Vec<MfaType>,
}

impl SelectMfaStep {
    /// The methods the user may choose from.
    pub fn allowed(&self) -> &[MfaType] {
        &self.offered
    }

    /// Chooses a method; the next step asks for its code. A method not offered is
    /// [`Error::InvalidStepAnswer`].
    pub async fn select(&self, mfa: MfaType) -> Result<SignInStep, Error> {
        let (challenge, responses) = mfa::select_answer(&self.offered, mfa)?;
        let mut conv = self.conv.lock().await;
        let next = machine::answer(&mut conv, challenge, responses, None).await?;
        Ok(step(&self.conv, next))
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
    conv: Shared,
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
        let mut conv = self.conv.lock().await;
        totp_setup::verify(&mut conv, code, friendly_name).await?;
        let mfa_setup = (ChallengeNameType::MfaSetup, HashMap::new());
        let next =
            machine::answer(&mut conv, mfa_setup.0, mfa_setup.1, Some(MfaType::Totp)).await?;
        Ok(step(&self.conv, next))
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
    conv: Shared,
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
        let responses = new_password::responses(&new_password, attributes);
        let mut conv = self.conv.lock().await;
        let before = conv.replace_password(new_password);
        let next = machine::answer(
            &mut conv,
            ChallengeNameType::NewPasswordRequired,
            responses,
            None,
        )
        .await;
        if next.is_err() {
            conv.restore_password(before);
        }
        Ok(step(&self.conv, next?))
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
    pool: Arc<Pool>,
    trips: RoundTrips,
    device_key: DeviceKey,
    done: Mutex<Option<SignedIn>>,
}

impl RememberDeviceStep {
    /// The new device's key.
    pub fn device_key(&self) -> &DeviceKey {
        &self.device_key
    }

    /// Remembers the device (future sign-ins skip MFA) or not (UpdateDeviceStatus). The
    /// sign-in is complete either way: a failure to update the status is reported in
    /// [`DeviceOutcome::warning`](super::DeviceOutcome::warning), never by losing the tokens.
    /// Answering twice is [`Error::Misuse`].
    pub async fn answer(&self, status: RememberedStatus) -> Result<SignInStep, Error> {
        let Some(done) = self.done.lock().await.take() else {
            return Err(Error::Misuse(
                "this device question was already answered".into(),
            ));
        };
        let done = new_device::answer_remember(&self.pool, &self.trips, done, status).await;
        Ok(SignInStep::Done(done))
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
    use crate::{Client, ClientConfig};

    /// The password leaves the sign-in as soon as no step can need it, even while the app
    /// still holds a step handle (as a garbage-collected binding would).
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
        assert!(code.conv.lock().await.password().is_none());
        let sent = emulator.sms_outbox(Some("walt"));
        let text = &sent.last().expect("an SMS").code;
        let done = code.submit(text).await.expect("the right code");
        assert!(matches!(
            done,
            SignInStep::Done(_) | SignInStep::RememberDevice(_)
        ));
    }
}
