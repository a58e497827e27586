//! MFA answers: a code (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP) and the choice of a method
//! (SELECT_MFA_TYPE).

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::types::ChallengeNameType;

use super::context::json_list;
use super::outcome::MfaType;
use crate::error::Error;

impl MfaType {
    fn challenge(self) -> ChallengeNameType {
        ChallengeNameType::from(self.challenge_name())
    }

    /// The ChallengeResponses parameter that carries the code.
    fn code_parameter(self) -> &'static str {
        match self {
            Self::Sms => "SMS_MFA_CODE",
            Self::Totp => "SOFTWARE_TOKEN_MFA_CODE",
            Self::Email => "EMAIL_OTP_CODE",
        }
    }
}

/// The methods SELECT_MFA_TYPE offers (MFAS_CAN_CHOOSE) that this SDK can answer.
pub(super) fn offered(parameters: &HashMap<String, String>) -> Vec<MfaType> {
    json_list(parameters.get("MFAS_CAN_CHOOSE"))
        .iter()
        .filter_map(|n| MfaType::from_challenge_name(n))
        .collect()
}

/// A challenge and its answer, as ChallengeResponses (what every response carries is added
/// when it is sent).
pub(super) type Answer = (ChallengeNameType, HashMap<String, String>);

/// The answer to a code challenge.
pub(super) fn code_answer(mfa: MfaType, code: &str) -> Answer {
    let responses = HashMap::from([(mfa.code_parameter().to_owned(), code.to_owned())]);
    (mfa.challenge(), responses)
}

/// The answer to SELECT_MFA_TYPE: one of the offered methods.
pub(super) fn select_answer(offered: &[MfaType], mfa: MfaType) -> Result<Answer, Error> {
    if !offered.contains(&mfa) {
        return Err(Error::InvalidStepAnswer(format!(
            "{} is not among the offered methods",
            mfa.challenge_name()
        )));
    }
    let responses = HashMap::from([("ANSWER".to_owned(), mfa.challenge_name().to_owned())]);
    Ok((ChallengeNameType::SelectMfaType, responses))
}
