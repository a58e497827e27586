//! Kept sessions: tokens valid for the app's margin, refreshed once for every concurrent caller
//! (and without signing out another process that shares the store), written before they are
//! handed out, and ended only by a final answer of the server.

mod sign_out;

use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use crate::cognito_errors::session_end;
use crate::error::{Error, ServiceDetails};
use crate::ids::{DeviceKey, UserIdForSrp};
use crate::pool::{Held, Pool, SessionEndReason, SessionEvent, SessionState};
use crate::store::sessions::SessionRecord;
use crate::tokens::Tokens;

pub use sign_out::{SignOut, SignOutReport, SignOutScope};
pub(crate) use sign_out::{revoke, sign_out};

/// Tokens of a kept session ([`Client::session`](crate::Client::session)).
#[derive(Debug, Clone)]
pub struct Session {
    /// The internal user name.
    pub username: UserIdForSrp,
    /// Tokens valid for at least the margin asked (or the freshest the server gave).
    pub tokens: Tokens,
    /// The DeviceKey the tokens are bound to.
    pub device_key: Option<DeviceKey>,
    /// Whether the tokens were refreshed for this call (by it or by a call it waited for).
    pub refreshed: bool,
    /// When the session ends (the refresh token's expiry), when the app set
    /// [`SessionConfig::refresh_token_validity`](crate::SessionConfig).
    pub ends_at: Option<SystemTime>,
}

/// The session of `name` (typed or internal; `None`: the current one), valid for `margin`.
pub(crate) async fn session(
    pool: &Pool,
    name: Option<&str>,
    margin: Option<Duration>,
) -> Result<Session, Error> {
    let state = &pool.sessions;
    let config = state.config.ok_or_else(not_kept)?;
    let margin = margin.unwrap_or(config.min_validity).as_secs() as i64;
    let username = resolve(state, name).await?;
    let gate = state.gate(&username);
    let seen = gate.generation.load(Ordering::SeqCst);
    let mut held = gate.held.lock().await;
    let record = current(state, &username, &mut held).await?;
    let waited_for_one = gate.generation.load(Ordering::SeqCst) != seen;
    if waited_for_one || record.expires_at - margin > state.clock.server_seconds() {
        return Ok(handed_out(state, &record, waited_for_one));
    }
    // At most twice: once more with a newer token another process stored meanwhile.
    let mut record = record;
    for _ in 0..2 {
        match refreshed(pool, &record).await {
            Ok(new) => {
                *held = Some(Held {
                    record: new,
                    unsaved: true,
                });
                gate.generation.fetch_add(1, Ordering::SeqCst);
                let record = flush(state, &mut held).await?;
                state.emit(SessionEvent::Refreshed(UserIdForSrp::new(&username)));
                return Ok(handed_out(state, &record, true));
            }
            Err(e) => {
                let Some(reason) = session_end(&e) else {
                    return Err(e);
                };
                match newer_in_store(state, &username, &record).await? {
                    Some(stored) => {
                        // Another process refreshed (and rotated): its token is the live one.
                        let valid = stored.expires_at - margin > state.clock.server_seconds();
                        *held = Some(Held {
                            record: stored.clone(),
                            unsaved: false,
                        });
                        if valid {
                            return Ok(handed_out(state, &stored, true));
                        }
                        record = stored;
                    }
                    None => {
                        let reason = refine(pool, &record, reason).await;
                        return Err(end(state, &username, &mut held, reason, &e).await);
                    }
                }
            }
        }
    }
    Err(Error::SessionEnded(
        SessionEndReason::RotatedAway,
        ServiceDetails::default(),
    ))
}

/// A session another process stored with a newer refresh token than `used`. That process's
/// refresh may have been answered just before ours was refused, and be writing: one more look
/// a moment later before the session is given up.
async fn newer_in_store(
    state: &SessionState,
    username: &str,
    used: &SessionRecord,
) -> Result<Option<SessionRecord>, Error> {
    for pause in [0, 300] {
        tokio::time::sleep(Duration::from_millis(pause)).await;
        if let Some(stored) = state.entries.read(username).await?
            && stored.refresh_token != used.refresh_token
        {
            return Ok(Some(stored));
        }
    }
    Ok(None)
}

fn not_kept() -> Error {
    Error::Misuse(
        "sessions are not kept: configure the client with ClientConfig::with_sessions".into(),
    )
}

/// The internal name of the session asked for.
pub(crate) async fn resolve(state: &SessionState, name: Option<&str>) -> Result<String, Error> {
    let found = match name {
        Some(name) => state.entries.resolve(name).await?,
        None => state.entries.current().await?,
    };
    found.ok_or_else(|| {
        Error::NoSession(match name {
            Some(_) => "no session is kept for this user on this device".into(),
            None => "no session is kept on this device".into(),
        })
    })
}

/// The session as it stands: what this process could not write yet (written now), else what
/// the store holds (another process may have refreshed or signed out).
async fn current(
    state: &SessionState,
    username: &str,
    held: &mut Option<Held>,
) -> Result<SessionRecord, Error> {
    if held.as_ref().is_some_and(|h| h.unsaved) {
        return flush(state, held).await;
    }
    match state.entries.read(username).await? {
        Some(stored) => {
            if let Some(skew) = stored.skew {
                state.clock.assume_skew(skew);
            }
            *held = Some(Held {
                record: stored.clone(),
                unsaved: false,
            });
            Ok(stored)
        }
        None => {
            *held = None;
            Err(Error::NoSession(
                "the session was signed out on this device".into(),
            ))
        }
    }
}

/// Writes the held session to the store; its tokens are handed out only once written.
async fn flush(state: &SessionState, held: &mut Option<Held>) -> Result<SessionRecord, Error> {
    let h = held
        .as_mut()
        .ok_or_else(|| Error::NoSession("no session".into()))?;
    if h.unsaved {
        state.entries.write(&h.record).await?;
        h.unsaved = false;
    }
    Ok(h.record.clone())
}

/// New tokens for a session; the new record keeps the session's end, names and device.
async fn refreshed(pool: &Pool, old: &SessionRecord) -> Result<SessionRecord, Error> {
    let bound = old.device_key.clone().map(DeviceKey::new);
    let tokens =
        crate::refresh::refresh_bound(pool, &old.username, &old.refresh_token, bound.clone())
            .await?;
    let refresh = tokens
        .refresh_token
        .clone()
        .unwrap_or_else(|| old.refresh_token.clone());
    let username = UserIdForSrp::new(&old.username);
    let mut new = pool
        .sessions
        .record_of(&username, &tokens, refresh, bound.as_ref());
    new.client_id = old.client_id.clone();
    new.ends_at = old.ends_at;
    new.aliases = old.aliases.clone();
    new.signed_in_at = old.signed_in_at;
    Ok(new)
}

/// A refused or revoked refresh token bound to a device (forgetting a device revokes its
/// tokens): when the access token still works, GetDevice tells whether the device was
/// forgotten ("Device does not exist.", docs/protocol.md 4); then its local secret is deleted
/// too. Otherwise the reason stands and the device stays.
async fn refine(pool: &Pool, record: &SessionRecord, reason: SessionEndReason) -> SessionEndReason {
    let Some(key) = record.device_key.clone().map(DeviceKey::new) else {
        return reason;
    };
    let ask = matches!(
        reason,
        SessionEndReason::Refused | SessionEndReason::Revoked
    );
    if !ask || record.expires_at <= pool.sessions.clock.server_seconds() {
        return reason;
    }
    let tokens = handed_out(&pool.sessions, record, false).tokens;
    let trips = crate::transport::RoundTrips::default();
    match crate::devices::get(pool, &trips, &tokens, &key).await {
        Err(f) if f.is_device_not_found() => {
            if let Err(e) = crate::devices::forget_key_locally(pool, &record.username, &key).await {
                tracing::warn!(error = %e, "could not delete the forgotten device's record");
            }
            SessionEndReason::DeviceForgotten
        }
        _ => reason,
    }
}

/// Ends the session locally after a final answer: its entry goes, the device stays.
async fn end(
    state: &SessionState,
    username: &str,
    held: &mut Option<Held>,
    reason: SessionEndReason,
    error: &Error,
) -> Error {
    *held = None;
    if let Err(e) = state.entries.delete(username).await {
        tracing::warn!(error = %e, "the ended session could not be removed from the store");
    }
    let username = UserIdForSrp::new(username);
    state.emit(SessionEvent::Ended(username, reason));
    Error::SessionEnded(reason, error.service_details().cloned().unwrap_or_default())
}

fn handed_out(state: &SessionState, record: &SessionRecord, refreshed: bool) -> Session {
    let left = record.expires_at - state.clock.server_seconds();
    let expires_at = SystemTime::now() + Duration::from_secs(u64::try_from(left).unwrap_or(0));
    Session {
        username: UserIdForSrp::new(&record.username),
        tokens: Tokens {
            id_token: record.id_token.clone(),
            access_token: record.access_token.clone(),
            refresh_token: Some(record.refresh_token.clone()),
            token_type: "Bearer".into(),
            expires_at,
        },
        device_key: record.device_key.clone().map(DeviceKey::new),
        refreshed,
        ends_at: record.ends_at.map(|at| {
            let left = at - state.clock.server_seconds();
            SystemTime::now() + Duration::from_secs(u64::try_from(left).unwrap_or(0))
        }),
    }
}
