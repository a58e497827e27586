//! What the sign-in asks of the app next: the data of each app step (the handles the app holds
//! are made from it in `steps`).

use std::sync::Arc;

use super::outcome::{MfaType, SignedIn};
use crate::pool::Pool;
use crate::srp::{OtpAuthUri, TotpSecret};

/// What the app must do next.
pub(super) enum Next {
    Code {
        mfa: MfaType,
        destination: Option<String>,
    },
    SelectMfa(Vec<MfaType>),
    SetUpTotp {
        secret: TotpSecret,
        uri: OtpAuthUri,
    },
    NewPassword {
        required_attributes: Vec<String>,
    },
    /// Tokens arrived; the new device waits for the user's "remember it?".
    RememberDevice {
        pool: Arc<Pool>,
        done: SignedIn,
    },
    Done(SignedIn),
}
