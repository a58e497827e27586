//! A hostile or broken server: truncated or invalid JSON, wrong types, missing challenge
//! parameters, B = 0, B = N, a huge B, a 1 MB SECRET_BLOCK, an unknown challenge, a redirect,
//! a response that never finishes, a TLS certificate no root signs. For each, the client returns a typed error within its
//! timeout, never panics or hangs, and never puts a secret in the error text.

use std::time::{Duration, Instant};

use cognito_device_auth::{Client, ClientConfig, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const PASSWORD: &str = "Hunter2-Secret-Password";
const TIMEOUT: Duration = Duration::from_millis(700);
const N_HEX: &str = cognito_device_auth::srp::N_HEX;

/// What the server sends back to every request: raw bytes, or nothing at all for a while.
#[derive(Clone)]
enum Answer {
    Raw(Vec<u8>),
    /// Headers promising a body that never comes.
    Stall,
}

fn http(status: &str, body: &str) -> Answer {
    Answer::Raw(
        format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

fn challenge(parameters: &str) -> Answer {
    http(
        "200 OK",
        &format!(
            r#"{{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{parameters},"Session":"s"}}"#
        ),
    )
}

fn verifier(salt: &str, b: &str, block: &str) -> Answer {
    challenge(&format!(
        r#"{{"SALT":"{salt}","SRP_B":"{b}","SECRET_BLOCK":"{block}","USER_ID_FOR_SRP":"alice","USERNAME":"alice"}}"#
    ))
}

/// Serves `answer` to every connection; returns the endpoint.
async fn serve(answer: Answer) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut request = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut request).await;
                match answer {
                    Answer::Raw(bytes) => {
                        let _ = socket.write_all(&bytes).await;
                        let _ = socket.shutdown().await;
                    }
                    Answer::Stall => {
                        let _ = socket
                            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"Chal")
                            .await;
                        tokio::time::sleep(Duration::from_secs(30)).await;
                    }
                }
            });
        }
    });
    endpoint
}

async fn sign_in_against(answer: Answer) -> Error {
    let endpoint = serve(answer).await;
    let client = Client::new(
        ClientConfig::new("us-east-1_Hostile1", "hostileclient")
            .with_endpoint(endpoint)
            .with_memory_store()
            .with_timeout(TIMEOUT),
    )
    .unwrap();
    let started = Instant::now();
    let result = tokio::time::timeout(Duration::from_secs(10), client.sign_in("alice", PASSWORD))
        .await
        .expect("the client gave up within its timeout and retries");
    let err = match result {
        Ok(step) => panic!("a hostile answer gave a step: {step:?}"),
        Err(e) => e,
    };
    // Three attempts at most, each bounded by the timeout, plus back-off.
    assert!(
        started.elapsed() < TIMEOUT * 3 + Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let text = format!("{err} {err:?}");
    assert!(!text.contains(PASSWORD), "the password leaked: {text}");
    assert!(!text.contains("Hunter2"), "the password leaked: {text}");
    err
}

fn assert_invalid_answer(err: &Error, what: &str) {
    assert!(
        matches!(err, Error::InvalidServerAnswer(_)),
        "{what}: expected InvalidServerAnswer, got {err:?}"
    );
}

#[tokio::test]
async fn truncated_json() {
    let err = sign_in_against(http("200 OK", r#"{"ChallengeName":"PASSWORD_VERI"#)).await;
    assert_invalid_answer(&err, "truncated JSON");
}

#[tokio::test]
async fn not_json() {
    let err = sign_in_against(http("200 OK", "<html>gateway</html>")).await;
    assert_invalid_answer(&err, "HTML");
}

#[tokio::test]
async fn wrong_types() {
    let err = sign_in_against(http(
        "200 OK",
        r#"{"ChallengeName":42,"ChallengeParameters":["SALT"],"Session":{}}"#,
    ))
    .await;
    assert_invalid_answer(&err, "wrong types");
}

#[tokio::test]
async fn neither_tokens_nor_challenge() {
    let err = sign_in_against(http("200 OK", "{}")).await;
    assert_invalid_answer(&err, "empty object");
}

#[tokio::test]
async fn missing_challenge_parameters() {
    let err = sign_in_against(challenge(r#"{"SALT":"abcd","USER_ID_FOR_SRP":"alice"}"#)).await;
    assert_invalid_answer(&err, "no SRP_B");
    assert!(err.to_string().contains("SRP_B"), "{err}");
    let err = sign_in_against(challenge("{}")).await;
    assert_invalid_answer(&err, "no parameters");
}

#[tokio::test]
async fn b_zero_b_n_and_huge_b() {
    for (b, what) in [
        ("0".to_owned(), "B = 0"),
        (N_HEX.to_owned(), "B = N"),
        (format!("{N_HEX}{N_HEX}"), "B of 6144 bits"),
        ("f".repeat(100_000), "B of 400,000 bits"),
    ] {
        let err = sign_in_against(verifier("abcd", &b, "AAAA")).await;
        assert_invalid_answer(&err, what);
    }
}

#[tokio::test]
async fn megabyte_secret_block() {
    let block = "A".repeat(1 << 20);
    let err = sign_in_against(verifier("abcd", "1234", &block)).await;
    assert_invalid_answer(&err, "1 MB SECRET_BLOCK");
    assert!(err.to_string().contains("SECRET_BLOCK"), "{err}");
}

#[tokio::test]
async fn unknown_challenge() {
    let err = sign_in_against(http(
        "200 OK",
        r#"{"ChallengeName":"QUANTUM_ENTANGLEMENT","ChallengeParameters":{},"Session":"s"}"#,
    ))
    .await;
    assert_invalid_answer(&err, "unknown challenge");
}

#[tokio::test]
async fn redirect() {
    let err = sign_in_against(Answer::Raw(
        b"HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:1/\r\nContent-Length: 0\r\n\r\n"
            .to_vec(),
    ))
    .await;
    assert!(
        matches!(err, Error::InvalidServerAnswer(_) | Error::Service(_)),
        "redirect: {err:?}"
    );
}

#[tokio::test]
async fn server_error_with_secret_looking_message() {
    let err = sign_in_against(http(
        "400 Bad Request",
        r#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#,
    ))
    .await;
    assert!(matches!(err, Error::NotAuthorized(_)), "{err:?}");
}

#[tokio::test]
async fn a_response_that_never_finishes() {
    let err = sign_in_against(Answer::Stall).await;
    assert!(matches!(err, Error::Network(_)), "stalled body: {err:?}");
}

/// A server that predates GetTokensFromRefreshToken: the client falls back to
/// REFRESH_TOKEN_AUTH and still sends the DeviceKey (none is stored here, so none is sent).
#[tokio::test]
async fn refresh_falls_back_to_refresh_token_auth() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let n = socket.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]).to_string();
                let answer = if request.contains("GetTokensFromRefreshToken") {
                    log.lock().unwrap().push("GetTokensFromRefreshToken".into());
                    http(
                        "400 Bad Request",
                        r#"{"__type":"UnknownOperationException","message":"Unknown operation GetTokensFromRefreshToken"}"#,
                    )
                } else {
                    assert!(request.contains("REFRESH_TOKEN_AUTH"), "{request}");
                    assert!(request.contains("old-refresh-token"), "{request}");
                    log.lock().unwrap().push("REFRESH_TOKEN_AUTH".into());
                    http(
                        "200 OK",
                        r#"{"AuthenticationResult":{"IdToken":"id","AccessToken":"access","ExpiresIn":3600,"TokenType":"Bearer"}}"#,
                    )
                };
                if let Answer::Raw(bytes) = answer {
                    let _ = socket.write_all(&bytes).await;
                    let _ = socket.shutdown().await;
                }
            });
        }
    });
    let client = Client::new(
        ClientConfig::new("us-east-1_Hostile1", "hostileclient")
            .with_endpoint(endpoint)
            .with_memory_store()
            .with_timeout(TIMEOUT),
    )
    .unwrap();
    let tokens = client.refresh("alice", "old-refresh-token").await.unwrap();
    assert_eq!(tokens.access_token, "access");
    // No new refresh token came back: the old one is kept.
    assert_eq!(tokens.refresh_token.as_deref(), Some("old-refresh-token"));
    assert_eq!(
        *seen.lock().unwrap(),
        vec!["GetTokensFromRefreshToken", "REFRESH_TOKEN_AUTH"]
    );
}

/// TLS: a server whose certificate no trusted root signs is refused by the platform verifier
/// with a typed network error that names the certificate, before any request (and so any
/// secret) is sent.
#[tokio::test]
async fn untrusted_tls_certificate_is_refused() {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let fixture = |name: &str| format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let cert = CertificateDer::from_pem_file(fixture("self-signed-localhost.crt")).unwrap();
    let key = PrivateKeyDer::from_pem_file(fixture("self-signed-localhost.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![cert], key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (hellos, requests) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (h, r) = (Arc::clone(&hellos), Arc::clone(&requests));
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            h.fetch_add(1, Ordering::SeqCst);
            let (acceptor, r) = (acceptor.clone(), Arc::clone(&r));
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(socket).await {
                    let mut buf = [0u8; 1024];
                    if matches!(tls.read(&mut buf).await, Ok(n) if n > 0) {
                        r.fetch_add(1, Ordering::SeqCst);
                    }
                }
            });
        }
    });

    let client = Client::new(
        ClientConfig::new("us-east-1_Hostile1", "hostileclient")
            .with_endpoint(format!("https://localhost:{port}"))
            .with_memory_store()
            .with_timeout(Duration::from_secs(5)),
    )
    .unwrap();
    let err = client.sign_in("alice", PASSWORD).await.unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(matches!(err, Error::Network(_)), "{text}");
    assert!(text.to_lowercase().contains("certificate"), "{text}");
    assert!(!text.contains(PASSWORD), "the password leaked: {text}");
    // Retrying cannot make the certificate trusted: one connection, no retry.
    assert_eq!(hellos.load(Ordering::SeqCst), 1, "connections: {text}");
    assert_eq!(
        requests.load(Ordering::SeqCst),
        0,
        "a request crossed an untrusted TLS link"
    );
}
