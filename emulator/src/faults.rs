//! Injected failures (`POST /_emulator/faults`): make the next calls of an operation throttle,
//! fail, drop the connection or stall; optionally after `skip` calls, or at random with
//! `probability`.

use std::sync::Mutex;

use serde::Deserialize;

use crate::error::ApiError;

/// What a fault does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultKind {
    /// 400 `TooManyRequestsException` "Rate exceeded".
    Throttle,
    /// 500 `InternalErrorException`.
    Internal,
    /// Close the TCP connection without a response.
    Reset,
    /// Sleep `delay_ms`, then answer normally.
    Delay,
    /// Carry the call out (its effects stay), then close the connection without answering:
    /// a response lost on the way back, e.g. after the server rotated a refresh token.
    #[serde(rename = "lose_response")]
    LoseResponse,
    /// Answer with the service error `error_type` / `message` (HTTP 400, 500 for
    /// `InternalErrorException`): an answer the real service gives that the emulator's state
    /// would not produce here, such as "User pool client ... does not exist." in the middle
    /// of a sign-in.
    Error,
    /// Answer as an endpoint that does not have the operation, in the words of the
    /// `unknown-operation-answer` switch: e.g. GetTokensFromRefreshToken on an endpoint that
    /// predates it (with a large `count`, for the whole test).
    #[serde(rename = "unknown_operation")]
    UnknownOperation,
}

/// One fault as posted.
#[derive(Debug, Clone, Deserialize)]
pub struct Fault {
    /// Operation name, e.g. `ConfirmDevice` (or `*` for every operation).
    pub operation: String,
    /// What happens.
    pub kind: FaultKind,
    /// How many calls it affects (default 1).
    #[serde(default = "one")]
    pub count: u32,
    /// Delay for `delay`.
    #[serde(default)]
    pub delay_ms: u64,
    /// Calls of the operation to let through before the fault starts (default 0): targets the
    /// n-th call, e.g. `RespondToAuthChallenge` with `skip` 2 is the third challenge answer
    /// of a sign-in.
    #[serde(default)]
    pub skip: u32,
    /// Chance (0 to 1) that a matching call is affected (default 1): random faults for soak
    /// tests. Calls that escape do not use up `count`.
    #[serde(default = "certain")]
    pub probability: f64,
    /// For `error`: Cognito's `__type`, e.g. `ResourceNotFoundException`.
    #[serde(default)]
    pub error_type: Option<String>,
    /// For `error`: the message.
    #[serde(default)]
    pub message: Option<String>,
}

impl Fault {
    /// The error an `error` fault answers with.
    pub fn service_error(&self) -> ApiError {
        let kind: &'static str = match self.error_type.as_deref() {
            None | Some("") => "InternalErrorException",
            Some(t) => intern(t),
        };
        ApiError {
            status: if kind == "InternalErrorException" {
                500
            } else {
                400
            },
            kind,
            message: self.message.clone().unwrap_or_default(),
        }
    }
}

/// A `'static` copy of an error type name; each distinct name is allocated once.
fn intern(name: &str) -> &'static str {
    static NAMES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(known) = names.iter().find(|n| **n == name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.push(leaked);
    leaked
}

fn one() -> u32 {
    1
}

fn certain() -> f64 {
    1.0
}

/// The fault plan.
#[derive(Debug, Default)]
pub struct Faults {
    plan: Mutex<Vec<Fault>>,
}

impl Faults {
    /// Adds a fault.
    pub fn add(&self, fault: Fault) {
        self.lock().push(fault);
    }

    /// Clears every fault.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Takes one use of the first fault for `operation` that applies to this call: a fault
    /// still skipping lets the call through; a random one that does not fire defers to the
    /// next matching fault.
    pub fn take(&self, operation: &str) -> Option<Fault> {
        let mut plan = self.lock();
        for index in 0..plan.len() {
            let fault = &mut plan[index];
            if fault.operation != operation && fault.operation != "*" {
                continue;
            }
            if fault.skip > 0 {
                fault.skip -= 1;
                return None;
            }
            if fault.probability < 1.0 && rand::random::<f64>() >= fault.probability {
                continue;
            }
            let taken = fault.clone();
            if fault.count <= 1 {
                plan.remove(index);
            } else {
                fault.count -= 1;
            }
            return Some(taken);
        }
        None
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        self.plan.lock().unwrap_or_else(|p| p.into_inner())
    }
}
