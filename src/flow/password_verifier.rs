//! PASSWORD_VERIFIER: the user's SRP proof (docs/protocol.md 2.3 to 2.7). Its parameters also
//! name the user (USER_ID_FOR_SRP), which decides which stored device this sign-in presents;
//! answering it turns the start of a sign-in into the state the rest runs in
//! ([`Challenged`]), holding the password only if a device is presented.

use super::context::{Challenge, Challenged, Presenting, Progress, Sent, SignIn, UsedDevice};
use super::presented::load_device;
use crate::error::Error;
use crate::ids::UserIdForSrp;
use crate::srp::{Password, PasswordVerifierChallenge, SrpError, Timestamp, UserSrpSession, param};
use crate::transport::{Failure, Retry};

/// Answers PASSWORD_VERIFIER with `password`; `found` is the device looked up by the typed
/// name. A retried attempt signs a fresh TIMESTAMP.
pub(super) async fn answer(
    mut ctx: SignIn,
    found: Option<UsedDevice>,
    user_srp: &UserSrpSession,
    challenge: Challenge,
    password: Password,
) -> Result<Sent, Error> {
    let verifier = PasswordVerifierChallenge::from_parameters(&challenge.parameters)?;
    let internal =
        verifier
            .user_id_for_srp()
            .or(verifier.username())
            .ok_or(SrpError::MissingParameter {
                name: param::USER_ID_FOR_SRP,
            })?;
    let internal = UserIdForSrp::new(internal);
    let user = UserIdForSrp::new(verifier.username().unwrap_or(&internal));
    let device = choose_device(&mut ctx, found, &internal).await?;
    let signing = password.clone();
    let clock = std::sync::Arc::clone(&ctx.pool.clock);
    let conv = Challenged {
        ctx,
        user,
        presenting: Presenting::new(device, password),
        progress: Progress::default(),
    };
    let build = || {
        user_srp
            .answer(&verifier, &signing, &server_time(&clock))
            .map(|answer| answer.to_parameters())
            .map_err(|e| Failure::Construction(e.to_string()))
    };
    let sent = conv
        .respond(
            challenge.name.clone(),
            challenge.session.clone(),
            Retry::ThrottlingOnly,
            build,
        )
        .await;
    drop(signing);
    match sent {
        Ok(answer) => Ok(Sent::Answered(conv, answer)),
        // NotAuthorized here is a wrong password, not a forgotten device.
        Err(f) => conv.failed(f, false).map(Sent::StartOver),
    }
}

/// The device this sign-in presents. One found for the typed name must belong to this user
/// (docs/protocol.md 5.5); one not found for the typed name may be stored under the internal
/// name (docs/protocol.md 5.1), and then the typed name becomes its alias.
async fn choose_device(
    ctx: &mut SignIn,
    found: Option<UsedDevice>,
    internal: &UserIdForSrp,
) -> Result<Option<UsedDevice>, Error> {
    let mut device = found.filter(|used| {
        let same = used.record.username == *internal;
        if !same {
            tracing::warn!(
                "the device stored for the typed name belongs to another user; not sent"
            );
        }
        same
    });
    if device.is_none() && *internal != ctx.typed.as_str() {
        device = load_device(ctx, internal).await?;
    }
    let typed = ctx.typed.to_string();
    if let Some(used) = &mut device
        && typed != used.record.username
        && !used.record.aliases.contains(&typed)
    {
        // Remember the alias so the next sign-in sends DEVICE_KEY from the first request.
        used.record.aliases.push(typed);
        if let Err(e) = ctx.pool.records.save(&used.record).await {
            tracing::warn!(error = %e, "could not store the alias of the device record");
        }
    }
    Ok(device)
}

/// The TIMESTAMP on the server's clock (as the answers' `Date` headers tell it): a phone
/// whose clock is minutes off still signs a time Cognito accepts (docs/protocol.md 2.5).
pub(super) fn server_time(clock: &crate::clock::Clock) -> Timestamp {
    Timestamp::from_unix_seconds(u64::try_from(clock.server_seconds()).unwrap_or(0))
}
