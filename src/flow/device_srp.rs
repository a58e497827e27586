//! The device proves itself: DEVICE_SRP_AUTH (SRP_A of a fresh private value, never the user
//! step's), then the DEVICE_PASSWORD_VERIFIER answer with the stored device password
//! (docs/protocol.md 4). Both requests are built here.

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::types::ChallengeNameType;

use super::conversation::{Conversation, Sent, ServerStep};
use crate::error::Error;
use crate::srp::{DeviceSrpSession, PasswordVerifierChallenge, Timestamp, param};
use crate::transport::{Failure, Retry};

/// After DEVICE_SRP_AUTH went out: the one state that holds the device's SRP session, until
/// the server's DEVICE_PASSWORD_VERIFIER is answered.
struct ExpectDevicePasswordVerifier {
    srp: DeviceSrpSession,
}

/// Answers DEVICE_SRP_AUTH and, when the server goes on with DEVICE_PASSWORD_VERIFIER as it
/// should, that too. Returns the server's next answer, or that the device is gone.
pub(super) async fn prove(conv: &mut Conversation) -> Result<Sent, Error> {
    let Some(used) = &conv.device else {
        return Err(Error::InvalidServerAnswer(
            "DEVICE_SRP_AUTH without a device in this sign-in".into(),
        ));
    };
    let srp = DeviceSrpSession::new(
        &conv.user_id(),
        &used.record.device_key,
        &used.record.device_group_key,
    )?;
    let responses = HashMap::from([(param::SRP_A.to_owned(), srp.srp_a())]);
    let sent = conv
        .respond_with(
            ChallengeNameType::DeviceSrpAuth,
            Retry::ThrottlingOnly,
            responses,
        )
        .await;
    let step = match sent {
        Ok(step) => step,
        Err(f) => return conv.failed(f, true),
    };
    if step.result.is_some() || step.challenge != Some(ChallengeNameType::DevicePasswordVerifier) {
        // Not what the protocol says comes next: the driver decides what it is.
        return Ok(Sent::Answered(step));
    }
    conv.absorb(&step);
    ExpectDevicePasswordVerifier { srp }
        .answer(conv, &step)
        .await
}

impl ExpectDevicePasswordVerifier {
    /// The DEVICE_PASSWORD_VERIFIER answer; a retried attempt signs a fresh TIMESTAMP.
    async fn answer(self, conv: &mut Conversation, step: &ServerStep) -> Result<Sent, Error> {
        let challenge = PasswordVerifierChallenge::from_parameters(&step.parameters)?;
        let Some(used) = &conv.device else {
            return Err(Error::InvalidServerAnswer(
                "DEVICE_PASSWORD_VERIFIER without a device in this sign-in".into(),
            ));
        };
        let password = used.record.device_password.clone();
        let sent = conv
            .respond(
                ChallengeNameType::DevicePasswordVerifier,
                Retry::ThrottlingOnly,
                || {
                    self.srp
                        .answer(&challenge, &password, &Timestamp::now())
                        .map(|answer| answer.to_parameters())
                        .map_err(|e| Failure::Construction(e.to_string()))
                },
            )
            .await;
        match sent {
            Ok(next) => {
                conv.progress.device_proved = true;
                Ok(Sent::Answered(next))
            }
            Err(f) => conv.failed(f, true),
        }
    }
}
