//! The sign-in. [`Client::sign_in`](crate::Client::sign_in) returns a [`SignInStep`]; the app
//! answers it (a code, a choice, a new password, "remember this device?") and gets the next
//! one, until [`SignInStep::Done`]. Everything else (the SRP exchanges, what every response
//! carries, the device's proof, ConfirmDevice) runs behind those steps.
//!
//! One file per Cognito step:
//!
//! | File | Cognito step |
//! |---|---|
//! | `machine.rs` | InitiateAuth(USER_SRP_AUTH), following the server's answers, starting over without a forgotten device |
//! | `conversation.rs` | what a sign-in holds between answers; the one function writing USERNAME, SECRET_HASH, DEVICE_KEY and Session |
//! | `presented.rs` | the stored device this sign-in presents, and its deletion when the server forgot it |
//! | `next.rs` | what the app is asked next |
//! | `password_verifier.rs` | PASSWORD_VERIFIER |
//! | `device_srp.rs` | DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER |
//! | `mfa.rs` | SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP codes; SELECT_MFA_TYPE |
//! | `totp_setup.rs` | MFA_SETUP (AssociateSoftwareToken, VerifySoftwareToken) |
//! | `new_password.rs` | NEW_PASSWORD_REQUIRED |
//! | `new_device.rs` | tokens arrived: ConfirmDevice of a new device, "remember it?", the presented device's record |
//! | `steps.rs` | the handles the app answers |
//!
//! Steps are cheap handles on one shared sign-in: a step that failed with a retryable error
//! (a wrong code) can be answered again.

mod conversation;
mod device_srp;
mod machine;
mod mfa;
mod new_device;
mod new_password;
mod next;
mod outcome;
mod password_verifier;
mod presented;
mod steps;
mod totp_setup;

pub use outcome::{DeviceOutcome, MfaType, SignedIn};
pub use steps::{
    CodeStep, NewPasswordStep, RememberDeviceStep, SelectMfaStep, SignInStep, TotpSetupStep,
};

pub(crate) use steps::start;
