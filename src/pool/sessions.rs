//! What the client holds about kept sessions: the store entries, one gate per user (the single
//! flight of refreshes), what could not be written yet, and the event channel. The refresh
//! itself is `crate::session`'s; the sign-in only calls [`SessionState::keep`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::broadcast;

use super::lock;
use crate::clock::Clock;
pub use crate::error::SessionEndReason;
use crate::ids::{DeviceKey, UserIdForSrp};
use crate::store::sessions::{SESSION_FORMAT_VERSION, SessionEntries, SessionRecord};
use crate::tokens::{Tokens, claim_i64};

/// How kept sessions behave ([`ClientConfig::with_sessions`](crate::ClientConfig::with_sessions)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionConfig {
    /// [`Client::session`](crate::Client::session) hands out tokens valid for at least this
    /// long, refreshing first when they are not; at most half the tokens' lifetime (a margin
    /// as long as they live would refresh on every call). Default: 5 minutes.
    pub min_validity: Duration,
    /// The app client's refresh token validity (RefreshTokenValidity; Cognito does not send
    /// it), so that a session knows when it ends ([`Session::ends_at`](crate::Session)).
    /// Default: unknown.
    pub refresh_token_validity: Option<Duration>,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            min_validity: Duration::from_secs(300),
            refresh_token_validity: None,
        }
    }
}

/// What happened to a session, for an app that observes them
/// ([`Client::session_events`](crate::Client::session_events)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionEvent {
    /// A sign-in completed and its session is kept.
    SignedIn(UserIdForSrp),
    /// The session's tokens were refreshed.
    Refreshed(UserIdForSrp),
    /// The app signed the user out.
    SignedOut(UserIdForSrp),
    /// The server ended the session (the user must sign in again).
    Ended(UserIdForSrp, SessionEndReason),
}

/// One user's gate: held while a refresh is in flight, so concurrent callers wait for it and
/// share its result.
#[derive(Default)]
pub(crate) struct UserGate {
    /// The session held in memory: what was last read or written, and whether the store
    /// still lacks it (a write failed after the server rotated the refresh token).
    pub(crate) held: tokio::sync::Mutex<Option<Held>>,
    /// Counts refreshes: a caller that waited through one takes its tokens.
    pub(crate) generation: AtomicU64,
}

pub(crate) struct Held {
    pub(crate) record: SessionRecord,
    pub(crate) unsaved: bool,
}

/// The client's side of kept sessions.
pub(crate) struct SessionState {
    pub(crate) config: Option<SessionConfig>,
    pub(crate) entries: SessionEntries,
    pub(crate) clock: Arc<Clock>,
    gates: Mutex<HashMap<String, Arc<UserGate>>>,
    events: broadcast::Sender<SessionEvent>,
    /// Sessions held in memory only (the store failed when they were kept), by internal name,
    /// with the names typed to sign in: still found by `session()` until written.
    unsaved: Mutex<HashMap<String, Vec<String>>>,
    /// The user of this process's last sign-in.
    last_signed_in: Mutex<Option<String>>,
}

impl SessionState {
    pub(crate) fn new(
        config: Option<SessionConfig>,
        entries: SessionEntries,
        clock: Arc<Clock>,
    ) -> Self {
        Self {
            config,
            entries,
            clock,
            gates: Mutex::default(),
            events: broadcast::channel(64).0,
            unsaved: Mutex::default(),
            last_signed_in: Mutex::default(),
        }
    }

    /// A session this process holds in memory only: the last sign-in's (`None`), or the one
    /// `name` (internal or typed) signed in to.
    pub(crate) fn memory_only(&self, name: Option<&str>) -> Option<String> {
        let unsaved = lock(&self.unsaved);
        match name {
            None => lock(&self.last_signed_in)
                .clone()
                .filter(|u| unsaved.contains_key(u)),
            Some(name) => unsaved
                .iter()
                .find(|(user, typed)| *user == name || typed.iter().any(|t| t == name))
                .map(|(user, _)| user.clone()),
        }
    }

    /// The session of `username` is in the store now.
    pub(crate) fn saved(&self, username: &str) {
        lock(&self.unsaved).remove(username);
    }

    /// The gate of the internal name `username`.
    pub(crate) fn gate(&self, username: &str) -> Arc<UserGate> {
        Arc::clone(lock(&self.gates).entry(username.to_owned()).or_default())
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<SessionEvent> {
        self.events.subscribe()
    }

    pub(crate) fn emit(&self, event: SessionEvent) {
        // No receiver is not an error.
        let _ = self.events.send(event);
    }

    /// A record of fresh tokens, on the server's clock (the tokens' `iat` measures it when no
    /// answer's `Date` header did).
    pub(crate) fn record_of(
        &self,
        username: &UserIdForSrp,
        tokens: &Tokens,
        refresh_token: String,
        device_key: Option<&DeviceKey>,
    ) -> SessionRecord {
        if self.clock.skew().is_none()
            && let Some(iat) = claim_i64(&tokens.access_token, "iat")
        {
            self.clock.observe_server_seconds(iat);
        }
        let now = self.clock.server_seconds();
        let expires_at = claim_i64(&tokens.access_token, "exp")
            .unwrap_or_else(|| now + tokens.expires_in().as_secs() as i64);
        let device_key = crate::tokens::claim(&tokens.access_token, "device_key")
            .or_else(|| device_key.map(|k| k.to_string()));
        SessionRecord {
            v: SESSION_FORMAT_VERSION,
            username: username.to_string(),
            client_id: String::new(),
            id_token: tokens.id_token.clone(),
            access_token: tokens.access_token.clone(),
            refresh_token,
            expires_at,
            ends_at: self
                .config
                .and_then(|c| c.refresh_token_validity)
                .map(|v| now + v.as_secs() as i64),
            device_key,
            aliases: Vec::new(),
            signed_in_at: now,
            skew: self.clock.skew(),
        }
    }

    /// Keeps the session of a completed sign-in (when sessions are on and the sign-in gave a
    /// refresh token). A store that fails keeps it in memory: [`Client::session`](crate::Client::session)
    /// finds it and writes it (handing nothing out until it could); the sign-in is never
    /// failed for it.
    pub(crate) async fn keep(
        &self,
        client_id: &str,
        username: &UserIdForSrp,
        typed: &str,
        tokens: &Tokens,
        device_key: Option<&DeviceKey>,
    ) {
        let (Some(_), Some(refresh)) = (self.config, tokens.refresh_token.clone()) else {
            return;
        };
        let mut record = self.record_of(username, tokens, refresh, device_key);
        record.client_id = client_id.to_owned();
        if typed != username.as_str() {
            record.aliases.push(typed.to_owned());
        }
        let gate = self.gate(username);
        let mut held = gate.held.lock().await;
        *lock(&self.last_signed_in) = Some(username.to_string());
        let unsaved = match self.entries.write(&record, true).await {
            Ok(()) => {
                self.saved(username);
                false
            }
            Err(e) => {
                tracing::warn!(error = %e, "the session could not be stored; kept in memory");
                lock(&self.unsaved).insert(username.to_string(), record.aliases.clone());
                true
            }
        };
        *held = Some(Held { record, unsaved });
        gate.generation.fetch_add(1, Ordering::SeqCst);
        drop(held);
        self.emit(SessionEvent::SignedIn(username.clone()));
    }
}
