//! The device proves itself: DEVICE_SRP_AUTH (SRP_A of a fresh private value, never the user
//! step's), then the DEVICE_PASSWORD_VERIFIER answer with the stored device password
//! (docs/protocol.md 4). Both requests are built here.

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::types::ChallengeNameType;

use super::context::{Challenge, Challenged, Presenting, Sent, ServerAnswer};
use crate::error::Error;
use crate::srp::{DevicePassword, DeviceSrpSession, PasswordVerifierChallenge, param};
use crate::transport::Failure;

/// After DEVICE_SRP_AUTH went out: the one state that holds the device's SRP session and its
/// password, until the server's DEVICE_PASSWORD_VERIFIER is answered.
struct ExpectDevicePasswordVerifier {
    conv: Challenged,
    srp: DeviceSrpSession,
    device_password: DevicePassword,
}

/// Answers DEVICE_SRP_AUTH and, when the server goes on with DEVICE_PASSWORD_VERIFIER as it
/// should, that too. Returns the server's next answer, or the restart when the device is gone.
pub(super) async fn prove(conv: Challenged, challenge: Challenge) -> Result<Sent, Error> {
    let Presenting::Device { used, .. } = &conv.presenting else {
        return Err(Error::InvalidServerAnswer(
            "the server asked for DEVICE_SRP_AUTH, but this sign-in sent no DEVICE_KEY".into(),
        ));
    };
    let record = &used.record;
    let srp = DeviceSrpSession::new(&conv.user, &record.device_key, &record.device_group_key)?;
    let device_password = record.device_password.clone();
    let srp_a = srp.srp_a();
    let build = || Ok(HashMap::from([(param::SRP_A.to_owned(), srp_a.clone())]));
    let sent = conv
        .send(
            ChallengeNameType::DeviceSrpAuth,
            challenge.session,
            build,
            true,
        )
        .await?;
    match sent {
        Sent::Answered(mut conv, ServerAnswer::Challenge(next))
            if next.name == ChallengeNameType::DevicePasswordVerifier =>
        {
            conv.absorb(&next);
            let state = ExpectDevicePasswordVerifier {
                conv,
                srp,
                device_password,
            };
            state.answer(next).await
        }
        // Not what the protocol says comes next: the driver decides what it is.
        other => Ok(other),
    }
}

impl ExpectDevicePasswordVerifier {
    /// The DEVICE_PASSWORD_VERIFIER answer; a retried attempt signs a fresh TIMESTAMP.
    async fn answer(self, challenge: Challenge) -> Result<Sent, Error> {
        let verifier = PasswordVerifierChallenge::from_parameters(&challenge.parameters)?;
        let Self {
            conv,
            srp,
            device_password,
        } = self;
        let clock = std::sync::Arc::clone(&conv.ctx.pool.clock);
        let build = || {
            srp.answer(
                &verifier,
                &device_password,
                &super::password_verifier::server_time(&clock),
            )
            .map(|answer| answer.to_parameters())
            .map_err(|e| Failure::Construction(e.to_string()))
        };
        let sent = conv
            .send(challenge.name, challenge.session, build, true)
            .await?;
        Ok(match sent {
            Sent::Answered(mut conv, answer) => {
                conv.progress.device_proved = true;
                Sent::Answered(conv, answer)
            }
            restart => restart,
        })
    }
}
