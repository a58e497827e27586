//! The emulator's test endpoints (`/_emulator/...`) over plain HTTP: faults and fidelity
//! switches.

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::TestPool;

/// A minimal HTTP/1.1 request (Connection: close) to the emulator at `endpoint`: (status,
/// body). For the test endpoints and for requests the AWS SDK would not send.
pub async fn http(
    endpoint: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let address = endpoint.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("the emulator accepts connections");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

impl TestPool {
    /// Sends JSON to one of the emulator's test endpoints; anything but success fails the test.
    async fn send(&self, method: &str, path: &str, body: &Value) {
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        let headers = [("Content-Type", "application/json")];
        let (status, text) = http(&self.endpoint(), method, path, &headers, &body).await;
        assert!(status < 300, "{method} {path} answered {status}: {text}");
    }

    /// Adds a fault as `POST /_emulator/faults` takes it (see the emulator's README).
    pub async fn add_fault(&self, fault: Value) {
        self.send("POST", "/_emulator/faults", &fault).await;
    }

    /// Makes the next `count` calls of `operation` fail with `kind`.
    pub async fn fault(&self, operation: &str, kind: &str, count: u32, delay_ms: u64) {
        self.fault_after(operation, kind, count, delay_ms, 0).await;
    }

    /// The same, after letting `skip` calls of the operation through.
    pub async fn fault_after(
        &self,
        operation: &str,
        kind: &str,
        count: u32,
        delay_ms: u64,
        skip: u32,
    ) {
        self.add_fault(json!({
            "operation": operation, "kind": kind, "count": count, "delay_ms": delay_ms,
            "skip": skip,
        }))
        .await;
    }

    /// Makes the next call of `operation` (after `skip` calls) answer with a service error.
    pub async fn fault_error(&self, operation: &str, skip: u32, error_type: &str, message: &str) {
        self.add_fault(json!({
            "operation": operation, "kind": "error", "count": 1, "skip": skip,
            "error_type": error_type, "message": message,
        }))
        .await;
    }

    /// Removes every fault.
    pub async fn clear_faults(&self) {
        self.send("DELETE", "/_emulator/faults", &Value::Null).await;
    }

    /// Sets the emulator's fidelity switches (`{"NAME": value}`).
    pub async fn set_fidelity(&self, settings: Value) {
        self.send("POST", "/_emulator/fidelity", &settings).await;
    }
}
