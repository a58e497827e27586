//! PASSWORD_VERIFIER: the user's SRP proof (docs/protocol.md 2.3 to 2.7). Its parameters also
//! name the user (USER_ID_FOR_SRP), which decides which stored device this sign-in presents.

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::types::ChallengeNameType;

use super::conversation::{Conversation, Sent};
use super::presented::load_device;
use crate::error::Error;
use crate::ids::UserIdForSrp;
use crate::srp::{PasswordVerifierChallenge, SrpError, Timestamp, UserSrpSession, param};
use crate::transport::{Failure, Retry};

/// Answers PASSWORD_VERIFIER. A retried attempt signs a fresh TIMESTAMP.
pub(super) async fn answer(
    conv: &mut Conversation,
    user_srp: &UserSrpSession,
    parameters: &HashMap<String, String>,
) -> Result<Sent, Error> {
    let challenge = PasswordVerifierChallenge::from_parameters(parameters)?;
    let internal =
        challenge
            .user_id_for_srp()
            .or(challenge.username())
            .ok_or(SrpError::MissingParameter {
                name: param::USER_ID_FOR_SRP,
            })?;
    let internal = UserIdForSrp::new(internal);
    conv.user = Some(UserIdForSrp::new(challenge.username().unwrap_or(&internal)));
    choose_device(conv, &internal).await?;

    let password = conv.password().cloned().ok_or_else(|| {
        Error::Misuse("this sign-in no longer holds the password: start a new one".into())
    })?;
    let sent = conv
        .respond(
            ChallengeNameType::PasswordVerifier,
            Retry::ThrottlingOnly,
            || {
                user_srp
                    .answer(&challenge, &password, &Timestamp::now())
                    .map(|answer| answer.to_parameters())
                    .map_err(|e| Failure::Construction(e.to_string()))
            },
        )
        .await;
    drop(password);
    match sent {
        Ok(step) => {
            if conv.device.is_none() {
                // No device: nothing can restart the sign-in, so nothing sends it again.
                conv.wipe_password();
            }
            Ok(Sent::Answered(step))
        }
        // NotAuthorized here is a wrong password, not a forgotten device.
        Err(f) => conv.failed(f, false),
    }
}

/// The device this sign-in presents. One found for the typed name must belong to this user
/// (docs/protocol.md 5.5); one not found for the typed name may be stored under the internal
/// name (docs/protocol.md 5.1), and then the typed name becomes its alias.
async fn choose_device(conv: &mut Conversation, internal: &UserIdForSrp) -> Result<(), Error> {
    if let Some(used) = &conv.device
        && used.record.username != internal.as_str()
    {
        tracing::warn!("the device stored for the typed name belongs to another user; not sent");
        conv.device = None;
    }
    if conv.device.is_none() && *internal != conv.typed.as_str() {
        load_device(conv, internal).await?;
    }
    let typed = conv.typed.to_string();
    if let Some(used) = &mut conv.device
        && typed != used.record.username
        && !used.record.aliases.contains(&typed)
    {
        // Remember the alias so the next sign-in sends DEVICE_KEY from the first request.
        used.record.aliases.push(typed);
        if let Err(e) = conv.pool.records.save(&used.record).await {
            tracing::warn!(error = %e, "could not store the alias of the device record");
        }
    }
    Ok(())
}
