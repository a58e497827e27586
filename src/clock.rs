//! The client's idea of the time, and of the server's.
//!
//! A phone's clock can be minutes off. Two decisions depend on the server's clock, not the
//! device's: the SRP TIMESTAMP (Cognito rejects one too far from its own time, docs/protocol.md
//! 2.5) and whether a token is still valid (its `exp` is in the server's time). The offset is
//! estimated from the `Date` header of every answer (RFC 9110 5.6.7, one-second resolution) and
//! from the `iat` of every token received; it is the server's time minus this machine's.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_cognitoidentityprovider::config::interceptors::BeforeDeserializationInterceptorContextRef;
use aws_sdk_cognitoidentityprovider::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_types::date_time::{DateTime, Format};

/// This machine's clock (shifted in tests) and the estimated offset of the server's.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    /// Seconds added to the system clock: a test's "client clock 10 minutes fast".
    test_offset: i64,
    /// Server time minus local time, in seconds.
    skew: AtomicI64,
    /// Whether `skew` was measured yet.
    measured: AtomicBool,
}

impl Clock {
    pub(crate) fn new(test_offset: i64) -> Arc<Self> {
        Arc::new(Self {
            test_offset,
            ..Self::default()
        })
    }

    /// Seconds since the epoch on this machine's clock.
    pub(crate) fn local_seconds(&self) -> i64 {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        now.saturating_add(self.test_offset)
    }

    /// Seconds since the epoch on the server's clock, as far as it is known (the local clock
    /// until an answer told otherwise).
    pub(crate) fn server_seconds(&self) -> i64 {
        self.local_seconds()
            .saturating_add(self.skew.load(Ordering::Relaxed))
    }

    /// The estimated offset of the server's clock, in seconds, once measured.
    pub(crate) fn skew(&self) -> Option<i64> {
        self.measured
            .load(Ordering::Relaxed)
            .then(|| self.skew.load(Ordering::Relaxed))
    }

    /// Takes an offset measured earlier (kept with a session) until an answer measures it.
    pub(crate) fn assume_skew(&self, skew: i64) {
        if !self.measured.load(Ordering::Relaxed) {
            self.skew.store(skew, Ordering::Relaxed);
        }
    }

    /// Takes a server time (a `Date` header, a token's `iat`) as the current one.
    pub(crate) fn observe_server_seconds(&self, server: i64) {
        self.skew
            .store(server - self.local_seconds(), Ordering::Relaxed);
        self.measured.store(true, Ordering::Relaxed);
    }
}

/// Reads the `Date` header of every answer into the clock.
#[derive(Debug, Clone)]
pub(crate) struct ServerDate(pub(crate) Arc<Clock>);

impl Intercept for ServerDate {
    fn name(&self) -> &'static str {
        "ServerDate"
    }

    fn read_before_deserialization(
        &self,
        context: &BeforeDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let date = context.response().headers().get("date");
        if let Some(date) = date.and_then(|d| DateTime::from_str(d, Format::HttpDate).ok()) {
            self.0.observe_server_seconds(date.secs());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offset_follows_what_the_server_said() {
        let clock = Clock::new(-600);
        assert_eq!(clock.skew(), None);
        let truth = clock.local_seconds() + 600;
        clock.observe_server_seconds(truth);
        assert_eq!(clock.skew(), Some(600));
        assert!((clock.server_seconds() - truth).abs() <= 1);
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        assert!((clock.local_seconds() - (real - 600)).abs() <= 1);
    }
}
