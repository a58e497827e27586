//! Injected failures (`POST /_emulator/faults`): make the next calls of an operation throttle,
//! fail, drop the connection or stall.

use std::sync::Mutex;

use serde::Deserialize;

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
}

fn one() -> u32 {
    1
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

    /// Takes one use of the first fault for `operation`.
    pub fn take(&self, operation: &str) -> Option<Fault> {
        let mut plan = self.lock();
        let index = plan
            .iter()
            .position(|f| f.operation == operation || f.operation == "*")?;
        let fault = plan[index].clone();
        if plan[index].count <= 1 {
            plan.remove(index);
        } else {
            plan[index].count -= 1;
        }
        Some(fault)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        self.plan.lock().unwrap_or_else(|p| p.into_inner())
    }
}
