//! The `signin` example as a user drives it: prompts on stdout, answers on stdin, a final JSON
//! line, and device secrets that persist between runs in the chosen store.

mod common;

use std::process::Stdio;

use common::*;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;

/// The example's command line for `user` on `pool`, with JSON output and `store`; `command`
/// first (a subcommand and its options; none: a sign-in).
fn signin(pool: &Pool, store: &str, user: &str, command: &[&str]) -> Command {
    let mut signin = Command::new(example_binary("signin"));
    signin
        .args(command)
        .args(["--endpoint", &pool.emulator.endpoint()])
        .args(["--user-pool-id", &pool.pool_id])
        .args(["--client-id", &pool.client_id])
        .args(["--username", user, "--json", "--store", store]);
    signin
}

/// Runs the example; answers an SMS prompt from the outbox; returns the parsed JSON line.
async fn run(pool: &Pool, store: &str, user: &str) -> serde_json::Value {
    run_answering(pool, store, user, "y").await
}

/// The same, answering "remember this device?" with `remember`.
async fn run_answering(pool: &Pool, store: &str, user: &str, remember: &str) -> serde_json::Value {
    let mut child = signin(pool, store, user, &[])
        .env("COGNITO_PASSWORD", PASSWORD)
        // From the environment, never the command line (other processes can read argv).
        .env(
            "COGNITO_CLIENT_SECRET",
            pool.client_secret.as_deref().unwrap_or_default(),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the example starts");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    let json = loop {
        // Prompts end without a newline: read byte-wise up to ": " or a newline.
        let mut chunk = Vec::new();
        loop {
            let mut byte = [0u8; 1];
            if stdout.read(&mut byte).await.unwrap() == 0 {
                let mut err = String::new();
                child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut err)
                    .await
                    .unwrap();
                panic!("the example ended early; stdout: {seen}\nstderr: {err}");
            }
            chunk.push(byte[0]);
            if byte[0] == b'\n' || chunk.ends_with(b"code: ") || chunk.ends_with(b"[y/n]: ") {
                break;
            }
        }
        let text = String::from_utf8(chunk).unwrap();
        seen.push_str(&text);
        if text.ends_with("SMS code: ") {
            let code = pool.last_sms_code(user);
            stdin
                .write_all(format!("{code}\n").as_bytes())
                .await
                .unwrap();
        } else if text.ends_with("[y/n]: ") {
            stdin
                .write_all(format!("{remember}\n").as_bytes())
                .await
                .unwrap();
        } else if text.starts_with('{') {
            break serde_json::from_str::<serde_json::Value>(text.trim()).expect("a JSON line");
        }
    };
    let mut rest = String::new();
    stdout.read_line(&mut rest).await.unwrap();
    assert!(child.wait().await.unwrap().success(), "{seen}");
    json
}

#[tokio::test]
async fn signin_cli_remembers_the_device_between_runs() {
    let pool = Pool::start(PoolSetup::default()).await;
    pool.user("quinn", &[]).await;
    let dir = std::env::temp_dir().join(format!("signin-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = format!("file:{}", dir.join("secrets.json").display());

    let first = run(&pool, &store, "quinn").await;
    assert_eq!(first["signed_in"], true);
    assert_eq!(first["mfa"], "SMS_MFA");
    assert_eq!(first["device_auth"], false);
    let device_key = first["device_key"]
        .as_str()
        .expect("a device key")
        .to_owned();

    let second = run(&pool, &store, "quinn").await;
    assert_eq!(second["signed_in"], true);
    assert_eq!(second["mfa"], serde_json::Value::Null);
    assert_eq!(second["device_auth"], true);
    assert_eq!(second["device_key"], device_key.as_str());
    assert_eq!(second["round_trips"], 4);

    // The file holds device secrets in clear: only its owner may read it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("secrets.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name != "secrets.json")
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    // The memory store forgets: MFA again.
    let third = run(&pool, "memory", "quinn").await;
    assert_eq!(third["mfa"], "SMS_MFA");
    std::fs::remove_dir_all(&dir).ok();
}

/// Remember = no, as a user answers it at the prompt: the JSON line never says remembered or
/// skipped for a sign-in that asked the code.
#[tokio::test]
async fn signin_cli_reports_a_declined_device_as_the_server_holds_it() {
    // An app client with a secret: the CLI reads it from COGNITO_CLIENT_SECRET (`run`).
    let pool = Pool::start(PoolSetup {
        devices: Some((true, true)),
        secret: true,
        ..PoolSetup::default()
    })
    .await;
    assert!(pool.client_secret.is_some());
    pool.user("rosa", &[]).await;
    let dir = std::env::temp_dir().join(format!("signin-cli-no-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = format!("file:{}", dir.join("secrets.json").display());

    let first = run_answering(&pool, &store, "rosa", "n").await;
    assert_eq!(first["mfa"], "SMS_MFA");
    assert_eq!(first["remembered"], false);
    assert_eq!(first["skipped_mfa"], false);

    let second = run_answering(&pool, &store, "rosa", "n").await;
    assert_eq!(
        second["mfa"], "SMS_MFA",
        "the device is not remembered: the code is asked"
    );
    assert_eq!(second["device_auth"], true);
    assert_eq!(second["skipped_mfa"], false);
    assert_eq!(second["remembered"], false);
    assert_eq!(second["device_key"], first["device_key"]);
    // The record on disk (account -> base64 record) says not remembered.
    let file: std::collections::BTreeMap<String, String> =
        serde_json::from_slice(&std::fs::read(dir.join("secrets.json")).unwrap()).unwrap();
    let (_, encoded) = file
        .iter()
        .find(|(account, _)| account.starts_with("device:"))
        .expect("a device record");
    use base64::Engine;
    let record: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(record["remembered"], false, "{record}");
    assert_eq!(record["state"], "confirmed");
    std::fs::remove_dir_all(&dir).ok();
}

/// Runs a `session` or `sign-out` subcommand of the example (no prompts); returns the JSON line
/// and whether the process succeeded.
async fn run_command(
    pool: &Pool,
    store: &str,
    user: &str,
    extra: &[&str],
) -> (serde_json::Value, bool) {
    let out = signin(pool, store, user, extra)
        .stdin(Stdio::null())
        .output()
        .await
        .expect("the example runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    let json = serde_json::from_str(line).unwrap_or_else(|e| {
        panic!(
            "{e}: {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (json, out.status.success())
}

/// The session outlives the process: restored by a fresh one, refreshed by two processes at
/// once on one store (rotation without a grace period), signed out, and the device stays.
#[tokio::test]
async fn signin_cli_keeps_the_session_between_processes() {
    let pool = Pool::start(PoolSetup {
        rotation: Some(0),
        ..PoolSetup::default()
    })
    .await;
    pool.user("rosa", &[]).await;
    let dir = std::env::temp_dir().join(format!("signin-cli-session-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = format!("file:{}", dir.join("secrets.json").display());
    let first = run(&pool, &store, "rosa").await;
    assert_eq!(first["mfa"], "SMS_MFA");

    let (restored, ok) = run_command(&pool, &store, "rosa", &["session"]).await;
    assert!(ok, "{restored}");
    assert_eq!(restored["signed_in"], true);
    assert_eq!(restored["refreshed"], false);
    assert_eq!(restored["device_key"], first["device_key"]);
    assert_eq!(pool.calls("GetTokensFromRefreshToken"), 0);

    // Two processes on one store refreshing at once: both stay signed in.
    let force = ["session", "--min-validity", "36000"];
    let ((a, a_ok), (b, b_ok)) = tokio::join!(
        run_command(&pool, &store, "rosa", &force),
        run_command(&pool, &store, "rosa", &force)
    );
    assert!(a_ok && b_ok, "{a}\n{b}");
    assert_eq!(
        (a["refreshed"].clone(), b["refreshed"].clone()),
        (true.into(), true.into())
    );
    let (again, ok) = run_command(&pool, &store, "rosa", &force).await;
    assert!(ok, "{again}");

    let (out, ok) = run_command(&pool, &store, "rosa", &["sign-out"]).await;
    assert!(ok, "{out}");
    assert_eq!(out["server_done"], true);
    assert_eq!(out["device_forgotten"], false);
    let (gone, ok) = run_command(&pool, &store, "rosa", &["session"]).await;
    assert!(!ok);
    assert_eq!(gone["no_session"], true, "{gone}");
    // The device stayed remembered.
    let next = run(&pool, &store, "rosa").await;
    assert_eq!(next["skipped_mfa"], true, "{next}");
    std::fs::remove_dir_all(&dir).ok();
}
