//! The step-by-step sign-in: [`SignInStep`] says what the app must do next and carries the
//! object that takes the answer.
//!
//! Kotlin: `when (val step = client.signIn(user, password)) { is SignInStep.SmsCode ->
//! step.step.submit(code) ... is SignInStep.Done -> step.signedIn }`; Swift: `switch step {
//! case .smsCode(let s): try await s.submit(code: code) ... case .done(let signedIn): ... }`.
//!
//! Each step object wraps the core's step, which is consumed by its answer. Kotlin and Swift
//! objects are shared references, so this layer alone keeps the guard: the core step is taken
//! out for the answer, put back when the core hands it back (a wrong code, a refused password:
//! answer again), and a step already answered fails with `Misuse`.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use cognito_device_auth::RememberedStatus;
use cognito_device_auth::flow::{self, DeviceOutcome, MfaType, StepError};
use cognito_device_auth::srp::{OtpAuthUri, TotpSecret};

use super::error::CognitoError;
use super::tokens::Tokens;

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
                step: CodeStep::new(s),
            },
            S::TotpCode(s) => Self::TotpCode {
                step: CodeStep::new(s),
            },
            S::EmailCode(s) => Self::EmailCode {
                step: CodeStep::new(s),
            },
            S::SelectMfaType(s) => Self::SelectMfaType {
                step: SelectMfaStep::new(s),
            },
            S::SetUpTotp(s) => Self::SetUpTotp {
                step: TotpSetupStep::new(s),
            },
            S::NewPassword(s) => Self::NewPassword {
                step: NewPasswordStep::new(s),
            },
            S::RememberDevice(s) => Self::RememberDevice {
                step: RememberDeviceStep::new(s),
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

/// A core step behind a shared reference: present until answered, put back after an answer
/// the user can fix.
struct Held<S>(Mutex<Option<S>>);

impl<S> Held<S> {
    fn new(step: S) -> Self {
        Self(Mutex::new(Some(step)))
    }

    fn take(&self) -> Result<S, CognitoError> {
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        slot.take().ok_or_else(|| {
            cognito_device_auth::Error::Misuse(
                "this step was already answered (or is being answered)".into(),
            )
            .into()
        })
    }

    /// The core's answer: the next step, or the error, with the step put back when the core
    /// handed it back.
    fn settle(
        &self,
        answered: Result<flow::SignInStep, StepError<S>>,
    ) -> Result<SignInStep, CognitoError> {
        match answered {
            Ok(next) => Ok(next.into()),
            Err(StepError { error, step }) => {
                if let Some(step) = step {
                    *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(step);
                }
                Err(error.into())
            }
        }
    }
}

/// The step objects print what their core step prints (never a secret).
macro_rules! debug_as_core {
    ($($name:ident),*) => {$(
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.debug)
            }
        }
    )*};
}

debug_as_core!(
    CodeStep,
    SelectMfaStep,
    TotpSetupStep,
    NewPasswordStep,
    RememberDeviceStep
);

/// A step that wants a code (SMS, authenticator app, e-mail).
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct CodeStep {
    held: Held<flow::CodeStep>,
    mfa: MfaType,
    destination: Option<String>,
    debug: String,
}

impl CodeStep {
    fn new(step: flow::CodeStep) -> Arc<Self> {
        Arc::new(Self {
            mfa: step.mfa_type(),
            destination: step.destination().map(str::to_owned),
            debug: format!("{step:?}"),
            held: Held::new(step),
        })
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl CodeStep {
    /// Where the code was sent, masked as Cognito gives it (`+*******1234`).
    pub fn destination(&self) -> Option<String> {
        self.destination.clone()
    }

    /// The MFA method asked for.
    pub fn mfa_type(&self) -> MfaType {
        self.mfa
    }

    /// Answers with the code. A wrong code fails with `CodeMismatch` and this step can be
    /// answered again; a step already answered fails with `Misuse`.
    pub async fn submit(&self, code: String) -> Result<SignInStep, CognitoError> {
        let step = self.held.take()?;
        self.held.settle(step.submit(&code).await)
    }
}

/// A step that offers a choice of MFA methods.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct SelectMfaStep {
    held: Held<flow::SelectMfaStep>,
    allowed: Vec<MfaType>,
    debug: String,
}

impl SelectMfaStep {
    fn new(step: flow::SelectMfaStep) -> Arc<Self> {
        Arc::new(Self {
            allowed: step.allowed().to_vec(),
            debug: format!("{step:?}"),
            held: Held::new(step),
        })
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl SelectMfaStep {
    /// The methods the user may choose from.
    pub fn allowed(&self) -> Vec<MfaType> {
        self.allowed.clone()
    }

    /// Chooses a method; the next step asks for its code.
    pub async fn select(&self, mfa_type: MfaType) -> Result<SignInStep, CognitoError> {
        let step = self.held.take()?;
        self.held.settle(step.select(mfa_type).await)
    }
}

/// A step that sets up an authenticator app. `toString()` / `description` hide the secret.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct TotpSetupStep {
    held: Held<flow::TotpSetupStep>,
    secret: TotpSecret,
    uri: OtpAuthUri,
    debug: String,
}

impl TotpSetupStep {
    fn new(step: flow::TotpSetupStep) -> Arc<Self> {
        Arc::new(Self {
            secret: step.secret().clone(),
            uri: step.otpauth_uri().clone(),
            debug: format!("{step:?}"),
            held: Held::new(step),
        })
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl TotpSetupStep {
    /// The shared secret (base32) to type into the authenticator app. Show it to the user only.
    pub fn secret(&self) -> String {
        self.secret.expose().to_owned()
    }

    /// The `otpauth://totp/...` URI to show as a QR code. Contains the secret.
    pub fn otpauth_uri(&self) -> String {
        self.uri.expose().to_owned()
    }

    /// Verifies a first code from the app and finishes the set-up; `friendlyName` names the
    /// authenticator in the user's account.
    pub async fn verify(
        &self,
        code: String,
        friendly_name: Option<String>,
    ) -> Result<SignInStep, CognitoError> {
        let step = self.held.take()?;
        self.held
            .settle(step.verify(&code, friendly_name.as_deref()).await)
    }
}

/// A step that asks for a new password (first sign-in with a temporary password).
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct NewPasswordStep {
    held: Held<flow::NewPasswordStep>,
    required_attributes: Vec<String>,
    debug: String,
}

impl NewPasswordStep {
    fn new(step: flow::NewPasswordStep) -> Arc<Self> {
        Arc::new(Self {
            required_attributes: step.required_attributes().to_vec(),
            debug: format!("{step:?}"),
            held: Held::new(step),
        })
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl NewPasswordStep {
    /// Attributes the pool requires that the user has not set yet, e.g. `name`.
    pub fn required_attributes(&self) -> Vec<String> {
        self.required_attributes.clone()
    }

    /// Sets the new password and the required attributes (name to value; may be empty).
    /// A password the policy rejects fails with `InvalidPassword`, and this step can be
    /// answered again.
    pub async fn submit(
        &self,
        new_password: String,
        attributes: HashMap<String, String>,
    ) -> Result<SignInStep, CognitoError> {
        let step = self.held.take()?;
        self.held
            .settle(step.submit(new_password, &attributes).await)
    }
}

/// A step that asks whether to remember this device.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct RememberDeviceStep {
    held: Held<flow::RememberDeviceStep>,
    device_key: String,
    debug: String,
}

impl RememberDeviceStep {
    fn new(step: flow::RememberDeviceStep) -> Arc<Self> {
        Arc::new(Self {
            device_key: step.device_key().to_string(),
            debug: format!("{step:?}"),
            held: Held::new(step),
        })
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl RememberDeviceStep {
    /// The new device's key.
    pub fn device_key(&self) -> String {
        self.device_key.clone()
    }

    /// Remembers the device (future sign-ins skip MFA) or not. The sign-in completes either
    /// way: a failure to update the status is reported in `DeviceOutcome.warning`. Answering
    /// twice fails with `Misuse`.
    pub async fn answer(&self, status: RememberedStatus) -> Result<SignInStep, CognitoError> {
        let step = self.held.take()?;
        Ok(SignInStep::Done {
            signed_in: step.answer(status).await.into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{SecretStore, SecretStoreError};
    use crate::testing::{PASSWORD, with_client};

    #[derive(Default)]
    struct Memory(Mutex<HashMap<String, Vec<u8>>>);

    impl SecretStore for Memory {
        fn read(&self, account: String) -> Result<Option<Vec<u8>>, SecretStoreError> {
            Ok(self.0.lock().unwrap().get(&account).cloned())
        }
        fn write(&self, account: String, secret: Vec<u8>) -> Result<(), SecretStoreError> {
            self.0.lock().unwrap().insert(account, secret);
            Ok(())
        }
        fn delete(&self, account: String) -> Result<(), SecretStoreError> {
            self.0.lock().unwrap().remove(&account);
            Ok(())
        }
    }

    /// A shared step object: a wrong code keeps it answerable, the right one consumes it, and
    /// a second answer is `Misuse` (the core's steps make that a compile error in Rust).
    #[test]
    fn a_step_object_takes_one_accepted_answer() {
        let pool = serde_json::json!({
            "Id": "us-east-1_FfiSteps1",
            "PoolName": "ffisteps",
            "MfaConfiguration": "ON",
            "Clients": [{ "ClientId": "ffistepsclient", "ClientName": "ffi",
                          "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }],
            "Users": [{ "Username": "walt", "Password": PASSWORD,
                        "Attributes": { "phone_number": "+15555550199",
                                        "phone_number_verified": "true" } }]
        });
        // An app store in memory keeps this test off the machine's keychain.
        let store = Arc::new(Memory::default());
        with_client(pool, store, |emulator, client| async move {
            let step = client
                .sign_in("walt".into(), PASSWORD.into())
                .await
                .expect("the password is right");
            let SignInStep::SmsCode { step } = step else {
                panic!("expected the SMS step");
            };
            assert_eq!(step.mfa_type(), MfaType::Sms);
            let code = emulator
                .sms_outbox(Some("walt"))
                .last()
                .unwrap()
                .code
                .clone();
            let wrong = if code == "000000" { "111111" } else { "000000" };
            match step.submit(wrong.into()).await {
                Err(CognitoError::CodeMismatch { retryable, .. }) => assert!(!retryable),
                Err(e) => panic!("expected CodeMismatch, got {e:?}"),
                Ok(_) => panic!("a wrong code was accepted"),
            }
            // The same object, answered again.
            let done = step.submit(code.clone()).await.expect("the right code");
            assert!(matches!(
                done,
                SignInStep::Done { .. } | SignInStep::RememberDevice { .. }
            ));
            match step.submit(code).await {
                Err(CognitoError::Misuse { retryable, .. }) => assert!(!retryable),
                Err(e) => panic!("expected Misuse, got {e:?}"),
                Ok(_) => panic!("a step was answered twice"),
            }
        });
    }
}
