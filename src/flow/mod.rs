//! The sign-in. [`Client::sign_in`](crate::Client::sign_in) returns a [`SignInStep`]; the app
//! answers it (a code, a choice, a new password, "remember this device?") and gets the next
//! one, until [`SignInStep::Done`]. Everything else (the SRP exchanges, what every response
//! carries, the device's proof, ConfirmDevice) runs behind those steps.
//!
//! Each state of a sign-in is a type that owns exactly what it needs, and each step consumes
//! the state it leaves: the password lives only until PASSWORD_VERIFIER unless a device is
//! presented (then until tokens arrive, for the one restart without it); the device's SRP
//! session only between DEVICE_SRP_AUTH and its verifier; a challenge's Session only in the
//! step that answers it.
//!
//! One file per Cognito step:
//!
//! | File | Cognito step |
//! |---|---|
//! | `context.rs` | what a sign-in holds, as states; the one function writing USERNAME, SECRET_HASH, DEVICE_KEY and Session |
//! | `machine.rs` | InitiateAuth(USER_SRP_AUTH), following the server's answers, starting over without a forgotten device |
//! | `presented.rs` | the stored device this sign-in presents, and its deletion when the server forgot it |
//! | `password_verifier.rs` | PASSWORD_VERIFIER |
//! | `device_srp.rs` | DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER |
//! | `mfa.rs` | SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP codes; SELECT_MFA_TYPE |
//! | `totp_setup.rs` | MFA_SETUP (AssociateSoftwareToken, VerifySoftwareToken) |
//! | `new_password.rs` | NEW_PASSWORD_REQUIRED |
//! | `new_device.rs` | tokens arrived: ConfirmDevice of a new device, "remember it?", the presented device's record |
//! | `steps.rs` | the steps the app answers (each a state) |
//! | `answers.rs` | the app's answers to them |

mod answers;
mod context;
mod device_srp;
mod machine;
mod mfa;
mod new_device;
mod new_password;
mod outcome;
mod password_verifier;
mod presented;
mod steps;
mod totp_setup;

pub use outcome::{DeviceOutcome, MfaType, SignedIn};
pub use steps::{
    CodeStep, NewPasswordStep, RememberDeviceStep, SelectMfaStep, SignInStep, StepError,
    TotpSetupStep,
};

pub(crate) use machine::start;
