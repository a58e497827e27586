//! HTTP: Cognito's JSON 1.1 protocol on `POST /` (operation in `X-Amz-Target`), the JWKS, and
//! the emulator's own `/_emulator/*` endpoints. Faults are applied here, before the operation.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::HeaderValue;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::app::App;
use crate::error::ApiError;
use crate::faults::{Fault, FaultKind};
use crate::ops;

const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
const MAX_BODY: usize = 1 << 20;

/// Returned by the service to make hyper drop the connection without answering (fault `reset`).
#[derive(Debug)]
pub struct ResetConnection;

impl std::fmt::Display for ResetConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by fault injection")
    }
}

impl std::error::Error for ResetConnection {}

type HttpResponse = Response<Full<Bytes>>;

/// Accepts connections until `shutdown` flips.
pub async fn serve(listener: TcpListener, app: Arc<App>, mut shutdown: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else { continue };
                let app = app.clone();
                connections.spawn(async move {
                    let service =
                        hyper::service::service_fn(move |req| handle(app.clone(), req, peer.ip()));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            _ = shutdown.changed() => break,
        }
        while connections.try_join_next().is_some() {}
    }
    connections.abort_all();
}

fn json_response(status: u16, body: &Value) -> HttpResponse {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let headers = response.headers_mut();
    headers.insert(
        "content-type",
        hyper::header::HeaderValue::from_static("application/x-amz-json-1.1"),
    );
    if let Ok(id) = uuid::Uuid::new_v4().to_string().parse() {
        headers.insert("x-amzn-requestid", id);
    }
    response
}

fn error_response(error: &ApiError) -> HttpResponse {
    let mut response = json_response(error.status, &error.body());
    if let Ok(kind) = error.kind.parse() {
        response.headers_mut().insert("x-amzn-errortype", kind);
    }
    response
}

async fn read_body(req: Request<Incoming>) -> Option<Bytes> {
    Limited::new(req.into_body(), MAX_BODY)
        .collect()
        .await
        .ok()
        .map(|c| c.to_bytes())
}

async fn handle(
    app: Arc<App>,
    req: Request<Incoming>,
    peer: std::net::IpAddr,
) -> Result<HttpResponse, ResetConnection> {
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or("").to_owned();
    match (req.method().clone(), path.as_str()) {
        (Method::POST, "/") => operation(app, req, peer).await,
        (Method::OPTIONS, _) => Ok(preflight(&req)),
        (Method::GET, "/_emulator/health") => Ok(json_response(200, &json!({ "status": "ok" }))),
        (Method::GET, "/_emulator/sms") => Ok(sms(&app, &query)),
        (Method::GET, "/_emulator/calls") => {
            let calls = app.calls.lock().unwrap_or_else(|p| p.into_inner()).clone();
            Ok(json_response(200, &json!(calls)))
        }
        (Method::GET, "/_emulator/fidelity") => Ok(json_response(200, &app.fidelity().to_json())),
        (Method::POST, "/_emulator/fidelity") => {
            let body = read_body(req).await.unwrap_or_default();
            Ok(set_fidelity(&app, serde_json::from_slice(&body).ok()))
        }
        (Method::POST, "/_emulator/faults") => {
            let body = read_body(req).await.unwrap_or_default();
            // `{"fidelity": {...}}` sets switches, as /_emulator/fidelity does.
            if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&body)
                && let Some(settings) = map.get("fidelity")
            {
                return Ok(set_fidelity(&app, Some(settings.clone())));
            }
            Ok(match serde_json::from_slice::<Fault>(&body) {
                Ok(fault) => {
                    app.faults.add(fault);
                    json_response(200, &json!({}))
                }
                Err(e) => error_response(&ApiError::new(
                    "SerializationException",
                    format!("Invalid fault: {e}"),
                )),
            })
        }
        (Method::DELETE, "/_emulator/faults") => {
            app.faults.clear();
            Ok(json_response(200, &json!({})))
        }
        (Method::GET, p) if p.ends_with("/.well-known/jwks.json") => {
            let pool_id = p
                .trim_start_matches('/')
                .trim_end_matches("/.well-known/jwks.json");
            if app.store().pools.contains_key(pool_id) {
                Ok(json_response(200, &app.key.jwks()))
            } else {
                Ok(json_response(
                    404,
                    &json!({ "message": format!("User pool {pool_id} does not exist.") }),
                ))
            }
        }
        (method, p) => Ok(json_response(
            404,
            &json!({ "__type": "UnknownOperationException", "message": format!("No route for {method} {p}") }),
        )),
    }
}

fn set_fidelity(app: &App, settings: Option<Value>) -> HttpResponse {
    match settings.map(|v| app.set_fidelity(&v)) {
        Some(Ok(now)) => json_response(200, &now.to_json()),
        Some(Err(e)) => error_response(&ApiError::new("InvalidParameterException", e)),
        None => error_response(&ApiError::new(
            "SerializationException",
            "the fidelity settings are a JSON object of NAME: VALUE",
        )),
    }
}

/// CORS preflight: everything is allowed.
fn preflight(req: &Request<Incoming>) -> HttpResponse {
    let mut response = json_response(200, &json!({}));
    let headers = response.headers_mut();
    headers.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("GET, POST, DELETE, OPTIONS"),
    );
    let requested = req
        .headers()
        .get("access-control-request-headers")
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("*"));
    headers.insert("access-control-allow-headers", requested);
    headers.insert("access-control-max-age", HeaderValue::from_static("86400"));
    response
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(
                    std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                    16,
                ) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn sms(app: &App, query: &str) -> HttpResponse {
    let username = query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "username")
        .map(|(_, v)| percent_decode(v));
    let store = app.store();
    let messages: Vec<Value> = store
        .sms_outbox
        .iter()
        .filter(|m| {
            username
                .as_deref()
                .is_none_or(|u| u == m.username || u == m.typed_username)
        })
        .map(|m| serde_json::to_value(m).unwrap_or(Value::Null))
        .collect();
    json_response(200, &Value::Array(messages))
}

async fn operation(
    app: Arc<App>,
    req: Request<Incoming>,
    peer: std::net::IpAddr,
) -> Result<HttpResponse, ResetConnection> {
    let target = req
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let op = match operation_name(&target) {
        Ok(op) => op,
        Err(e) => return Ok(error_response(&e)),
    };
    app.count_call(&op);
    let mut lose_response = false;
    if let Some(fault) = app.faults.take(&op) {
        tracing::info!(operation = %op, kind = ?fault.kind, "injecting fault");
        match fault.kind {
            FaultKind::Reset => return Err(ResetConnection),
            FaultKind::Throttle => {
                return Ok(error_response(&ApiError::new(
                    "TooManyRequestsException",
                    "Rate exceeded",
                )));
            }
            FaultKind::Internal => {
                return Ok(error_response(&ApiError::internal("Internal server error")));
            }
            FaultKind::Error => {
                return Ok(error_response(&fault.service_error()));
            }
            FaultKind::UnknownOperation => {
                let answer = app.fidelity().unknown_operation_answer.error(&op);
                return Ok(error_response(&answer));
            }
            FaultKind::Delay => {
                tokio::time::sleep(std::time::Duration::from_millis(fault.delay_ms)).await
            }
            FaultKind::LoseResponse => lose_response = true,
        }
    }
    let Some(body) = read_body(req).await else {
        return Ok(error_response(&ApiError::new(
            "SerializationException",
            "Request body could not be read",
        )));
    };
    let request = match request_body(&body) {
        Ok(request) => request,
        Err(e) => return Ok(error_response(&e)),
    };
    let started = std::time::Instant::now();
    let result = run_blocking(&app, &op, request, peer).await;
    let millis = started.elapsed().as_millis();
    if lose_response {
        tracing::info!(operation = %op, millis, ok = result.is_ok(), "done; response lost by fault");
        return Err(ResetConnection);
    }
    Ok(match result {
        Ok(body) => {
            tracing::info!(operation = %op, millis, "ok");
            json_response(200, &body)
        }
        Err(e) => {
            tracing::info!(operation = %op, millis, error = %e.kind, "rejected");
            error_response(&e)
        }
    })
}

/// Runs an operation off the async threads, with the caller's address known to it, and saves
/// the state after a success.
async fn run_blocking(
    app: &Arc<App>,
    op: &str,
    request: Value,
    peer: std::net::IpAddr,
) -> Result<Value, ApiError> {
    let worker = app.clone();
    let op = op.to_owned();
    tokio::task::spawn_blocking(move || {
        let result = crate::app::with_peer(Some(peer), || ops::dispatch(&worker, &op, &request));
        if result.is_ok() && worker.config.state_file.is_some() {
            crate::persist::save(&worker);
        }
        result
    })
    .await
    .unwrap_or_else(|_| Err(ApiError::internal("Internal server error")))
}

/// The operation named by an `X-Amz-Target` header (`AWSCognitoIdentityProviderService.<Op>`).
fn operation_name(target: &str) -> Result<String, ApiError> {
    match target.strip_prefix(TARGET_PREFIX) {
        Some(op) => Ok(op.to_owned()),
        None if target.is_empty() => Err(ApiError::new(
            "UnknownOperationException",
            "Missing X-Amz-Target header",
        )),
        None => Err(ApiError::new(
            "UnknownOperationException",
            format!("Unknown operation {target}"),
        )),
    }
}

/// A request body: a JSON object, or nothing (an empty object).
fn request_body(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    match serde_json::from_slice(body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(ApiError::new(
            "SerializationException",
            "Start of structure or map found where not expected.",
        )),
    }
}

/// One API call handled in the calling thread, as the HTTP server handles it minus faults,
/// persistence and the socket: the `X-Amz-Target` value and the raw body in, the JSON answer
/// or the error out. A panic here is a bug (the server would turn it into a 500).
pub fn handle_call(app: &App, target: &str, body: &[u8]) -> Result<Value, ApiError> {
    let op = operation_name(target)?;
    let request = request_body(body)?;
    ops::dispatch(app, &op, &request)
}
