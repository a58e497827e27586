//! Kept sessions: tokens valid for the app's margin, refreshed once for every concurrent caller
//! (and without signing out another process that shares the store), written before they are
//! handed out, and ended only by a final answer of the server.

mod sign_out;

use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use crate::cognito_errors::session_end;
use crate::error::Error;
use crate::ids::{DeviceKey, UserIdForSrp};
use crate::pool::{Held, Pool, SessionEndReason, SessionEvent, SessionState, UserGate};
use crate::store::sessions::SessionRecord;
use crate::tokens::{Tokens, claim_i64};

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

/// The session of `name` (typed or internal; `None`: the current one), valid for `explicit`
/// (else the configured margin, at most half the tokens' lifetime).
pub(crate) async fn session(
    pool: &Pool,
    name: Option<&str>,
    explicit: Option<Duration>,
) -> Result<Session, Error> {
    let state = &pool.sessions;
    let config = state.config.ok_or_else(not_kept)?;
    let username = resolve(state, name).await?;
    let gate = state.gate(&username);
    let seen = gate.generation.load(Ordering::SeqCst);
    let mut held = gate.held.lock().await;
    let record = current(state, &username, &mut held).await?;
    let margin = margin_for(&record, explicit, config.min_validity);
    let waited_for_one = gate.generation.load(Ordering::SeqCst) != seen;
    if waited_for_one || valid_for(state, &record, margin) {
        return Ok(handed_out(state, &record, waited_for_one));
    }
    refresh_held(pool, &username, &gate, &mut held, record, margin).await
}

/// Refreshes the held session (the gate is held): the new session is written before it is
/// handed out; a final answer ends it unless another process stored a newer token, which is
/// taken instead (at most twice).
async fn refresh_held(
    pool: &Pool,
    username: &str,
    gate: &UserGate,
    held: &mut Option<Held>,
    mut record: SessionRecord,
    margin: i64,
) -> Result<Session, Error> {
    let state = &pool.sessions;
    let mut last = None;
    for _ in 0..2 {
        let e = match refreshed(pool, &record).await {
            Ok(new) => {
                *held = Some(Held {
                    record: new,
                    unsaved: true,
                });
                let written = flush(state, held).await;
                gate.generation.fetch_add(1, Ordering::SeqCst);
                let record = written?;
                state.emit(SessionEvent::Refreshed(UserIdForSrp::new(username)));
                return Ok(handed_out(state, &record, true));
            }
            Err(e) => e,
        };
        let Some(reason) = session_end(&e) else {
            return Err(e);
        };
        let reason = refine(pool, &record, reason).await;
        // Read last, just before giving up: another process may have refreshed meanwhile.
        let Some(stored) = newer_in_store(state, username, &record).await? else {
            return Err(end(state, username, held, reason, &e).await);
        };
        *held = Some(Held {
            record: stored.clone(),
            unsaved: false,
        });
        if valid_for(state, &stored, margin) {
            return Ok(handed_out(state, &stored, true));
        }
        record = stored;
        last = Some(e);
    }
    let e = last.unwrap_or_else(|| Error::NoSession("no refresh was tried".into()));
    Err(end(state, username, held, SessionEndReason::RotatedAway, &e).await)
}

/// The margin a call asks for: what the app passed, else the configured one, at most half the
/// tokens' lifetime (a margin as long as the tokens live would refresh on every call).
fn margin_for(record: &SessionRecord, explicit: Option<Duration>, default: Duration) -> i64 {
    let seconds = |d: Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 4);
    if let Some(margin) = explicit {
        return seconds(margin);
    }
    let lifetime = claim_i64(&record.access_token, "iat").map(|iat| record.expires_at - iat);
    match lifetime {
        Some(lifetime) if lifetime > 0 => seconds(default).min(lifetime / 2),
        _ => seconds(default),
    }
}

/// Whether the session's tokens are valid for `margin` more seconds on the server's clock.
pub(super) fn valid_for(state: &SessionState, record: &SessionRecord, margin: i64) -> bool {
    record.expires_at.saturating_sub(margin) > state.clock.server_seconds()
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
    // A sign-in of this process whose session the store could not take comes first for
    // "the current user"; by name, the store first.
    let found = match name {
        Some(name) => match state.entries.resolve(name).await? {
            Some(found) => Some(found),
            None => state.memory_only(Some(name)),
        },
        None => match state.memory_only(None) {
            Some(found) => Some(found),
            None => state.entries.current().await?,
        },
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
        // A sign-in the store could not take becomes the current session once written.
        let sign_in = state.memory_only(Some(&h.record.username)).is_some();
        state.entries.write(&h.record, sign_in).await?;
        h.unsaved = false;
        state.saved(&h.record.username);
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
    if !ask || !valid_for(&pool.sessions, record, 0) {
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

/// A time on the server's clock as a `SystemTime` of this machine (what `Tokens` carry).
fn local_time(state: &SessionState, server_seconds: i64) -> SystemTime {
    let left = server_seconds.saturating_sub(state.clock.server_seconds());
    SystemTime::now() + Duration::from_secs(u64::try_from(left).unwrap_or(0))
}

fn handed_out(state: &SessionState, record: &SessionRecord, refreshed: bool) -> Session {
    Session {
        username: UserIdForSrp::new(&record.username),
        tokens: Tokens {
            id_token: record.id_token.clone(),
            access_token: record.access_token.clone(),
            refresh_token: Some(record.refresh_token.clone()),
            token_type: "Bearer".into(),
            expires_at: local_time(state, record.expires_at),
        },
        device_key: record.device_key.clone().map(DeviceKey::new),
        refreshed,
        ends_at: record.ends_at.map(|at| local_time(state, at)),
    }
}
