//! The fuzz harnesses. Each takes raw bytes and panics only on a bug. They are shared by the
//! cargo-fuzz targets (`fuzz/fuzz_targets/`) and by `tests/fuzz_regressions.rs`, which replays
//! the seed corpus and every saved crash input (`fuzz/regressions/<target>/`) in the normal
//! test run.
//!
//! Inputs are decoded with [`Reader`], a small length-prefixed format (no `arbitrary`), so that
//! a saved input means the same thing to both.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cognito_device_auth::srp::{
    self, DevicePassword, DeviceSrpSession, Ephemeral, Password, PasswordVerifierChallenge,
    Timestamp, UserSrpSession, param,
};
use cognito_device_auth::{Client, ClientConfig, MfaType, SignInStep};
use cognito_device_auth::{DeviceGroupKey, DeviceKey, UserIdForSrp};
use cognito_emulator::srp as server;
use num_bigint::BigUint;

/// Reads fields from fuzz bytes; past the end, every read is empty or zero.
pub struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    pub fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((b, rest)) => {
                self.data = rest;
                *b
            }
            None => 0,
        }
    }

    pub fn u32(&mut self) -> u32 {
        u32::from_be_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }

    /// A field: a big-endian u16 length, then that many bytes (fewer at the end).
    pub fn field(&mut self) -> &'a [u8] {
        let len = usize::from(u16::from_be_bytes([self.u8(), self.u8()]));
        let (field, rest) = self.data.split_at(len.min(self.data.len()));
        self.data = rest;
        field
    }

    pub fn text(&mut self) -> String {
        String::from_utf8_lossy(self.field()).into_owned()
    }
}

const POOL_ID: &str = "us-east-1_FuzzPool";
const PASSWORD: &str = "Fuzz-Password-8c1e";

/// The SRP client given arbitrary SALT / SRP_B / SECRET_BLOCK, and differentially against the
/// emulator's independent server-side SRP.
///
/// First byte even: raw challenge parameters (each present or not): parsing and answering never
/// panic, and an accepted answer carries a 32-byte signature. Odd: an honest server with a
/// fuzzed salt, server secret b, client secret a, secret block, user and password (user or device
/// SRP by the next bit): the answer must verify on the server side.
pub fn srp_session(data: &[u8]) {
    srp_session_verified(data);
}

/// [`srp_session`], telling whether an honest server verified a proof (so that a seed meant to
/// reach that check can be held to it).
pub fn srp_session_verified(data: &[u8]) -> bool {
    let mut r = Reader::new(data);
    let mode = r.u8();
    if mode & 1 == 0 {
        srp_raw(&mut r, mode);
        false
    } else {
        srp_honest(&mut r, mode & 2 != 0)
    }
}

fn srp_raw(r: &mut Reader<'_>, present: u8) {
    let mut parameters = HashMap::new();
    for (bit, name) in [
        (1, param::SALT),
        (2, param::SRP_B),
        (3, param::SECRET_BLOCK),
        (4, param::USER_ID_FOR_SRP),
        (5, param::USERNAME),
    ] {
        let value = r.text();
        if present & (1 << bit) != 0 {
            parameters.insert(name.to_owned(), value);
        }
    }
    let challenge = match PasswordVerifierChallenge::from_parameters(&parameters) {
        Ok(challenge) => challenge,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let timestamp = Timestamp::from_unix_seconds(u64::from(r.u32()));
    let user = UserSrpSession::new(POOL_ID).expect("a session");
    if let Ok(answer) = user.answer(&challenge, &Password::new(PASSWORD), &timestamp) {
        assert_signature(&answer.signature);
    }
    let device = DeviceSrpSession::new(
        &UserIdForSrp::new("alice"),
        &DeviceKey::new("us-east-1_device"),
        &DeviceGroupKey::new("group"),
    )
    .expect("a session");
    if let Ok(answer) = device.answer(&challenge, &DevicePassword::new(PASSWORD), &timestamp) {
        assert_signature(&answer.signature);
    }
}

fn cap(field: &[u8], max: usize) -> &[u8] {
    &field[..field.len().min(max)]
}

fn assert_signature(signature: &str) {
    let bytes = STANDARD.decode(signature).expect("the signature is base64");
    assert_eq!(
        bytes.len(),
        32,
        "PASSWORD_CLAIM_SIGNATURE is an HMAC-SHA256"
    );
}

fn srp_honest(r: &mut Reader<'_>, device: bool) -> bool {
    // Within what the client accepts from a server (and what Cognito sends): SALT up to 1,024
    // bits, names up to 1 KiB, SECRET_BLOCK up to 32 KiB of base64. b is capped at 1,024 bits
    // (Cognito's is 256): the emulator's modpow is the cost of a run.
    let a = r.field();
    let salt = BigUint::from_bytes_be(cap(r.field(), 128));
    let b = BigUint::from_bytes_be(cap(r.field(), 128));
    let block = cap(r.field(), 16 * 1024).to_vec();
    let user = String::from_utf8_lossy(cap(r.field(), 256)).into_owned();
    let password = r.text();
    let timestamp = Timestamp::from_unix_seconds(u64::from(r.u32()));
    let Ok(ephemeral) = Ephemeral::from_private_bytes(a) else {
        return false; // Empty, too long, or A mod N == 0: refused, which is right.
    };
    let client_a = BigUint::from_bytes_be(ephemeral.public_bytes());
    let (realm, user_id) = if device {
        (
            "us-east-1_fuzzgroup".to_owned(),
            format!("us-east-1_{user}"),
        )
    } else {
        (srp::pool_name(POOL_ID).unwrap().to_owned(), user.clone())
    };
    if user_id.is_empty() || block.is_empty() {
        return false; // Cognito never sends these; the client rightly refuses them.
    }
    let v = server::verifier(&salt, &realm, &user_id, &password);
    let Some(eph) = server::ServerEphemeral::from_private(b, &v) else {
        return false;
    };
    let parameters = HashMap::from([
        (param::SALT.to_owned(), server::to_hex(&salt)),
        (param::SRP_B.to_owned(), server::to_hex(&eph.public_b)),
        (param::SECRET_BLOCK.to_owned(), STANDARD.encode(&block)),
        (param::USER_ID_FOR_SRP.to_owned(), user_id.clone()),
        // Another name than USER_ID_FOR_SRP (an alias was typed): the maths must not use it.
        (param::USERNAME.to_owned(), format!("{user_id}@alias")),
    ]);
    let challenge = PasswordVerifierChallenge::from_parameters(&parameters)
        .expect("an honest server's challenge parses");
    let answer = if device {
        DeviceSrpSession::with_ephemeral(
            &UserIdForSrp::new("alice"),
            &DeviceKey::new(user_id.as_str()),
            &DeviceGroupKey::new(realm.as_str()),
            ephemeral,
        )
        .answer(&challenge, &DevicePassword::new(password), &timestamp)
    } else {
        UserSrpSession::with_ephemeral(POOL_ID, ephemeral)
            .expect("a session")
            .answer(&challenge, &Password::new(password), &timestamp)
    };
    let answer = match answer {
        Ok(answer) => answer,
        // u = H(A || B) == 0 cannot be produced on purpose; anything else is a bug.
        Err(e) => panic!("an honest challenge was refused: {e}"),
    };
    let key = server::server_key(&client_a, &eph, &v).expect("legal A and u");
    let signature = STANDARD.decode(&answer.signature).expect("base64");
    assert!(
        server::verify_claim(
            &key,
            &realm,
            &user_id,
            &block,
            timestamp.as_str(),
            &signature
        ),
        "the server rejects the client's proof (device: {device})"
    );
    true
}

/// An HTTP client that answers each call with the next canned response, then fails with an
/// I/O error once they run out.
#[derive(Debug, Clone)]
struct Canned {
    answers: Arc<Mutex<Answers>>,
    calls: Arc<Mutex<Vec<String>>>,
}

/// HTTP statuses and bodies, in the order the calls get them.
type Answers = std::vec::IntoIter<(u16, Vec<u8>)>;

impl HttpClient for Canned {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for Canned {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let operation = request
            .headers()
            .get("x-amz-target")
            .unwrap_or_default()
            .trim_start_matches("AWSCognitoIdentityProviderService.")
            .to_owned();
        let challenge = request
            .body()
            .bytes()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
            .and_then(|v| v.get("ChallengeName")?.as_str().map(str::to_owned));
        self.calls.lock().unwrap().push(match challenge {
            Some(challenge) => format!("{operation}:{challenge}"),
            None => operation,
        });
        let next = self.answers.lock().unwrap().next();
        HttpConnectorFuture::ready(match next {
            Some((status, body)) => {
                let response = http::Response::builder()
                    .status(status)
                    .header("content-type", "application/x-amz-json-1.1")
                    .body(SdkBody::from(body))
                    .expect("a response");
                Ok(HttpResponse::try_from(response).expect("an SDK response"))
            }
            None => Err(ConnectorError::io("no more answers".into())),
        })
    }
}

/// The whole client against a server that answers with fuzz bytes: every challenge's
/// parameters, AuthenticationResult and NewDeviceMetadata go through the SDK's deserializer
/// and the sign-in state machine. Two sign-ins run on one client, so a device remembered by
/// the first makes the second take the device path. Whatever the answers, the client returns
/// a step or a typed error, never panics, and never puts the password in an error.
///
/// Input: responses separated by `\0\0`; the first byte of each picks the HTTP status.
pub fn server_answers(data: &[u8]) {
    server_answers_trace(data);
}

/// What the client did with the answers: the calls it made (`Operation` or
/// `RespondToAuthChallenge:CHALLENGE`) and how each of the two sign-ins ended (`Done` or the
/// error's kind), so that a seed meant to reach a path can be held to it.
#[derive(Debug, Default)]
pub struct Trace {
    pub calls: Vec<String>,
    pub outcomes: Vec<String>,
}

/// [`server_answers`], returning its [`Trace`].
pub fn server_answers_trace(data: &[u8]) -> Trace {
    const STATUSES: [u16; 8] = [200, 200, 200, 200, 400, 500, 503, 302];
    let answers: Vec<(u16, Vec<u8>)> = split(data, b"\0\0")
        .take(16)
        .map(|chunk| match chunk.split_first() {
            Some((s, body)) => (STATUSES[usize::from(*s % 8)], body.to_vec()),
            None => (200, Vec::new()),
        })
        .collect();
    let canned = Canned {
        answers: Arc::new(Mutex::new(answers.into_iter())),
        calls: Arc::default(),
    };
    let http = SharedHttpClient::new(canned.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime");
    let outcomes = runtime.block_on(async {
        let client = Client::with_http_client(
            ClientConfig::new(POOL_ID, "fuzzclient")
                .with_memory_store()
                .with_timeout(Duration::from_secs(2)),
            http,
        )
        .expect("a client");
        let mut outcomes = Vec::new();
        for _ in 0..2 {
            outcomes.push(drive(&client).await);
        }
        outcomes
    });
    let calls = std::mem::take(&mut *canned.calls.lock().unwrap());
    Trace { calls, outcomes }
}

async fn drive(client: &Client) -> String {
    let mut step = client.sign_in("alice", PASSWORD).await;
    for _ in 0..8 {
        let current = match step {
            Ok(SignInStep::Done(signed_in)) => {
                assert!(!signed_in.tokens.access_token.is_empty());
                assert!(!signed_in.tokens.id_token.is_empty());
                return "Done".into();
            }
            Ok(current) => current,
            Err(e) => {
                let text = format!("{e} {e:?}");
                assert!(!text.contains(PASSWORD), "the password leaked: {text}");
                return format!("{:?}", e)
                    .split('(')
                    .next()
                    .unwrap_or_default()
                    .to_owned();
            }
        };
        step = match current {
            SignInStep::SmsCode(code)
            | SignInStep::TotpCode(code)
            | SignInStep::EmailCode(code) => code.submit("123456").await.map_err(Into::into),
            SignInStep::SelectMfaType(select) => {
                let mfa = select.allowed().first().copied().unwrap_or(MfaType::Sms);
                select.select(mfa).await.map_err(Into::into)
            }
            SignInStep::SetUpTotp(setup) => setup.verify("123456", None).await.map_err(Into::into),
            SignInStep::NewPassword(new) => new
                .submit("Fuzz-New-Password-77", &HashMap::new())
                .await
                .map_err(Into::into),
            SignInStep::RememberDevice(remember) => Ok(SignInStep::Done(
                remember
                    .answer(cognito_device_auth::RememberedStatus::Remembered)
                    .await,
            )),
            SignInStep::Done(_) => unreachable!(),
        };
    }
    "step limit".into()
}

fn split<'a>(data: &'a [u8], separator: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let data = rest?;
        match data.windows(separator.len()).position(|w| w == separator) {
            Some(i) => {
                rest = Some(&data[i + separator.len()..]);
                Some(&data[..i])
            }
            None => {
                rest = None;
                Some(data)
            }
        }
    })
}

/// The seed the emulator harness starts from: one pool with device tracking, one client, one
/// user with SMS MFA.
pub const EMULATOR_SEED: &str = r#"{ "pools": [{
    "Id": "us-east-1_FuzzPool",
    "PoolName": "fuzz",
    "MfaConfiguration": "ON",
    "DeviceConfiguration": { "ChallengeRequiredOnNewDevice": true,
                             "DeviceOnlyRememberedOnUserPrompt": false },
    "Clients": [{ "ClientId": "fuzzclient", "ClientName": "fuzz",
                  "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                                        "ALLOW_REFRESH_TOKEN_AUTH"] }],
    "Users": [{ "Username": "alice", "Password": "Fuzz-Password-8c1e",
                "Attributes": { "phone_number": "+15550100", "email": "alice@example.com" },
                "MfaPreference": "SMS" }]
}]}"#;

/// The emulator's request handling: a sequence of calls (`Operation\nbody`, separated by
/// `\0`) against a seeded in-process emulator. Every call answers a status and a JSON body;
/// errors carry Cognito's `__type`; nothing panics.
pub fn emulator_requests(data: &[u8]) {
    static SEEDED: std::sync::OnceLock<cognito_emulator::InProcess> = std::sync::OnceLock::new();
    let emulator = SEEDED
        .get_or_init(|| {
            let emulator = cognito_emulator::InProcess::new(Default::default());
            emulator
                .seed(&serde_json::from_str(EMULATOR_SEED).expect("seed JSON"))
                .expect("the seed applies");
            emulator
        })
        .fork();
    for call in split(data, b"\0").take(16) {
        let (operation, body) = match call.iter().position(|b| *b == b'\n') {
            Some(i) => (&call[..i], &call[i + 1..]),
            None => (call, &[][..]),
        };
        let target = format!(
            "AWSCognitoIdentityProviderService.{}",
            String::from_utf8_lossy(operation)
        );
        let (status, answer) = emulator.call(&target, body);
        assert!((200..600).contains(&status), "status {status}");
        if status != 200 {
            let kind = answer.get("__type").and_then(|t| t.as_str());
            assert!(kind.is_some_and(|k| !k.is_empty()), "{answer}");
        }
    }
}
