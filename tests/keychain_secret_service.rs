//! The OS keychain store against a real Secret Service (gnome-keyring-daemon on a private
//! D-Bus session bus, a fresh temporary HOME, the login keyring unlocked with a throw-away
//! password), and always through fresh processes: each keychain step runs in a new process
//! of this test binary (the ignored `child_process` test, driven by environment variables),
//! so what is read back really came from the keychain and not from memory.
//!
//! The emulator runs in the parent test process and outlives the children; they reach it over
//! HTTP and use [`ClientConfig::new`]'s default store, which is the OS keychain.
//!
//! Needs `dbus-daemon`, `dbus-send` and `gnome-keyring-daemon` (Debian: `dbus-daemon dbus-bin
//! gnome-keyring`; `.ci/run` installs them). Without them the tests FAIL when `CI` is set, and
//! otherwise print a loud SKIPPED banner.

#![cfg(all(unix, not(target_vendor = "apple"), not(target_os = "android")))]

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cognito_device_auth::store::keychain::DEFAULT_SERVICE;
use cognito_device_auth::store::{KeychainBackend, KeychainStore, SecretStore, StoreError};
use cognito_device_auth::{ClientConfig, Error, SignInStep};
use common::*;

/// The step a child process runs (unset: not a child).
const STEP: &str = "COGNITO_KEYCHAIN_STEP";

/// A private session bus with an unlocked gnome-keyring-daemon; everything is killed and the
/// temporary directory removed on drop.
struct SecretService {
    root: PathBuf,
    home: PathBuf,
    address: String,
    keyring: Child,
    bus: Child,
}

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// No Secret Service: fails under CI, else a loud skip.
fn unavailable(reason: &str) -> Option<SecretService> {
    let help =
        "install them (Debian: apt-get install dbus-daemon dbus-bin gnome-keyring; .ci/run does)";
    if ci() {
        panic!("CI is set and no Secret Service can be started: {reason}; {help}");
    }
    eprintln!(
        "\n{bar}\n!! SKIPPED: the Secret Service tests did not run: {reason}.\n!! {help}.\n!! (With CI set they fail instead.)\n{bar}\n",
        bar = "!".repeat(78)
    );
    None
}

impl SecretService {
    fn start() -> Option<Self> {
        let missing: Vec<&str> = ["dbus-daemon", "dbus-send", "gnome-keyring-daemon"]
            .into_iter()
            .filter(|p| !on_path(p))
            .collect();
        if !missing.is_empty() {
            return unavailable(&format!("{} not found on PATH", missing.join(", ")));
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let root =
            std::env::temp_dir().join(format!("cognito-keychain-{}-{nanos}", std::process::id()));
        let home = root.join("home");
        std::fs::create_dir_all(&home).unwrap();
        let run = root.join("run");
        std::fs::create_dir_all(&run).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o700)).unwrap();

        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon starts");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_owned();
        if address.is_empty() {
            let _ = bus.kill();
            let _ = bus.wait();
            return unavailable("dbus-daemon printed no address");
        }

        let mut command = Command::new("gnome-keyring-daemon");
        command
            .args(["--foreground", "--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        apply_env(&mut command, &address, &home, &run);
        let mut keyring = command.spawn().expect("gnome-keyring-daemon starts");
        {
            // The login keyring's password, then end of input.
            let mut stdin = keyring.stdin.take().unwrap();
            stdin.write_all(b"throw-away-ci-password").unwrap();
        }
        let this = SecretService {
            root,
            home,
            address,
            keyring,
            bus,
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        while !this.has_owner("org.freedesktop.secrets") {
            if Instant::now() > deadline {
                return unavailable(
                    "gnome-keyring-daemon did not register org.freedesktop.secrets within 15 s",
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(this)
    }

    fn has_owner(&self, name: &str) -> bool {
        Command::new("dbus-send")
            .arg(format!("--bus={}", self.address))
            .args([
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
            ])
            .arg(format!("string:{name}"))
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
    }

    /// Runs one step in a fresh process of this test binary, in this session.
    fn child(&self, step: &str, vars: &[(&str, &str)]) -> HashMap<String, String> {
        run_child(step, vars, |command| {
            apply_env(command, &self.address, &self.home, &self.root.join("run"))
        })
    }

    /// Every regular file under the temporary HOME.
    fn home_files(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                match entry.file_type() {
                    Ok(t) if t.is_dir() => walk(&path, out),
                    Ok(t) if t.is_file() => out.push(path),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out
    }
}

/// Runs one step in a fresh process of this test binary; returns its `CHILD key=value`
/// lines. Panics (with the child's output) when the step fails.
fn run_child(
    step: &str,
    vars: &[(&str, &str)],
    environment: impl FnOnce(&mut Command),
) -> HashMap<String, String> {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args([
        "child_process",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    environment(&mut command);
    command.env(STEP, step);
    for (k, v) in vars {
        command.env(k, v);
    }
    let out = command.output().expect("the child process runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "child step {step} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    assert!(
        stdout.contains("1 passed"),
        "child step {step} did not run:\n{stdout}\n{stderr}"
    );
    stdout
        .lines()
        // libtest may print "test child_process ... " on the same line first.
        .filter_map(|l| l.split_once("CHILD ").map(|(_, rest)| rest))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

impl Drop for SecretService {
    fn drop(&mut self) {
        let _ = self.keyring.kill();
        let _ = self.keyring.wait();
        let _ = self.bus.kill();
        let _ = self.bus.wait();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// The environment of a process in the private session: the bus, the temporary HOME and XDG
/// directories (so nothing lands in the real ones), no display.
fn apply_env(command: &mut Command, address: &str, home: &Path, run: &Path) {
    command
        .env("DBUS_SESSION_BUS_ADDRESS", address)
        .env("HOME", home)
        .env("XDG_RUNTIME_DIR", run)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("GNOME_KEYRING_CONTROL")
        .env_remove("SSH_AUTH_SOCK");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

/// One step of a test, in a fresh process. Run by the tests below; it refuses to run alone.
#[tokio::test]
#[ignore = "a step the Secret Service tests run in a fresh process"]
async fn child_process() {
    let step = std::env::var(STEP).unwrap_or_else(|_| {
        panic!("child_process is run by the other tests of this file in a fresh process ({STEP} is not set)")
    });
    let store = KeychainStore::new();
    assert_eq!(store.backend(), KeychainBackend::SecretService);
    match step.as_str() {
        "write" => store
            .write(&var("ACCOUNT"), &unhex(&var("VALUE")))
            .expect("write"),
        "read" => {
            let value = store.read(&var("ACCOUNT")).expect("read");
            println!(
                "CHILD value={}",
                value.as_deref().map_or("none".to_owned(), hex)
            );
        }
        "delete" => store.delete(&var("ACCOUNT")).expect("delete"),
        "session" => {
            let config = ClientConfig::new(var("POOL_ID"), var("CLIENT_ID"))
                .with_endpoint(var("ENDPOINT"))
                .with_sessions(cognito_device_auth::SessionConfig::default());
            let client = cognito_device_auth::Client::new(config).unwrap();
            let margin = Duration::from_secs(var("MIN_VALIDITY").parse().unwrap());
            let session = client
                .session_valid_for(Some(&var("USERNAME")), margin)
                .await
                .expect("the kept session");
            println!("CHILD username={}", session.username);
            println!("CHILD refreshed={}", session.refreshed);
            println!(
                "CHILD device_key={}",
                session.device_key.clone().unwrap_or_default()
            );
        }
        "sign-in" => {
            let mut config = ClientConfig::new(var("POOL_ID"), var("CLIENT_ID"))
                .with_endpoint(var("ENDPOINT"))
                .with_device_name("keychain test device");
            if std::env::var("SESSIONS").is_ok() {
                config = config.with_sessions(cognito_device_auth::SessionConfig::default());
            }
            let client = cognito_device_auth::Client::new(config).unwrap();
            let user = var("USERNAME");
            let done = match client.sign_in(&user, PASSWORD).await.expect("sign-in") {
                SignInStep::SmsCode(step) => {
                    println!("CHILD mfa=sms");
                    let (_, body) = http(
                        &var("ENDPOINT"),
                        "GET",
                        &format!("/_emulator/sms?username={user}"),
                        "",
                    )
                    .await;
                    let messages: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
                    let code = messages.last().expect("an SMS")["code"]
                        .as_str()
                        .unwrap()
                        .to_owned();
                    step.submit(&code)
                        .await
                        .expect("code")
                        .done()
                        .expect("done")
                }
                SignInStep::Done(done) => {
                    println!("CHILD mfa=none");
                    done
                }
                other => panic!("unexpected step {}", other.name()),
            };
            println!("CHILD username={}", done.username);
            println!(
                "CHILD device_key={}",
                done.device.device_key.clone().unwrap_or_default()
            );
            println!("CHILD skipped_mfa={}", done.device.skipped_mfa);
            println!("CHILD remembered={}", done.device.remembered);
            assert_eq!(done.device.warning, None);
            if std::env::var("FORGET").is_ok() {
                client
                    .forget_device(&done.tokens, &user, None)
                    .await
                    .expect("forget");
                println!("CHILD forgotten=true");
            }
        }
        "expect-unavailable" => {
            let started = Instant::now();
            let err = store.read("device:p:c:u").expect_err("no Secret Service");
            println!("CHILD read_error={err}");
            println!("CHILD seconds={}", started.elapsed().as_secs());
            assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
            let err = store
                .write("device:p:c:u", b"x")
                .expect_err("no Secret Service");
            assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
            let err = store.delete("device:p:c:u").expect_err("no Secret Service");
            assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
            // A sign-in with the default store: the typed, retryable error.
            let config = ClientConfig::new("us-east-1_NoKeychain", "client")
                .with_endpoint("http://127.0.0.1:9")
                .with_timeout(Duration::from_secs(2));
            let client = cognito_device_auth::Client::new(config).unwrap();
            match client.sign_in("kim", PASSWORD).await {
                Err(e @ Error::StoreUnavailable(_)) => {
                    assert!(e.is_retryable());
                    println!("CHILD sign_in_error={e}");
                }
                Err(other) => panic!("expected StoreUnavailable, got {other:?}"),
                Ok(step) => panic!("expected StoreUnavailable, got step {}", step.name()),
            }
        }
        "keyutils-write" | "keyutils-read" => {
            let store = KeychainStore::linux_keyutils();
            assert_eq!(store.backend(), KeychainBackend::LinuxKeyutils);
            let account = var("ACCOUNT");
            if step == "keyutils-write" {
                store
                    .write(&account, b"kernel keyring secret")
                    .expect("write");
            } else {
                let value = store.read(&account).expect("read");
                println!(
                    "CHILD value={}",
                    value.as_deref().map_or("none".to_owned(), hex)
                );
                store.delete(&account).expect("delete");
                store.delete(&account).expect("delete again");
                assert_eq!(store.read(&account).expect("read"), None);
            }
        }
        other => panic!("unknown step {other}"),
    }
}

#[test]
fn write_read_back_in_a_fresh_process_delete() {
    let Some(ss) = SecretService::start() else {
        return;
    };
    let account = "device:us-east-1_Test:client:round-trip";
    let value = b"{\"v\":1,\"device_password\":\"not-a-real-one\"}\x00\xff binary too";
    assert_eq!(ss.child("read", &[("ACCOUNT", account)])["value"], "none");
    ss.child("write", &[("ACCOUNT", account), ("VALUE", &hex(value))]);
    assert_eq!(
        unhex(&ss.child("read", &[("ACCOUNT", account)])["value"]),
        value
    );
    // Overwrite, then the other account is untouched.
    ss.child("write", &[("ACCOUNT", account), ("VALUE", &hex(b"second"))]);
    ss.child(
        "write",
        &[
            ("ACCOUNT", "alias:us-east-1_Test:client:x"),
            ("VALUE", &hex(b"round-trip")),
        ],
    );
    assert_eq!(
        unhex(&ss.child("read", &[("ACCOUNT", account)])["value"]),
        b"second"
    );
    ss.child("delete", &[("ACCOUNT", account)]);
    ss.child("delete", &[("ACCOUNT", account)]); // idempotent
    assert_eq!(ss.child("read", &[("ACCOUNT", account)])["value"], "none");
    assert_eq!(
        unhex(&ss.child("read", &[("ACCOUNT", "alias:us-east-1_Test:client:x")])["value"]),
        b"round-trip"
    );
    // The item is where the README says: service attribute and label.
    if on_path("secret-tool") {
        let out = Command::new("secret-tool")
            .args(["search", "--all", "service", DEFAULT_SERVICE])
            .env("DBUS_SESSION_BUS_ADDRESS", &ss.address)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(
            text.contains("username = alias:us-east-1_Test:client:x"),
            "{text}"
        );
        assert!(
            text.contains(&format!("label = {DEFAULT_SERVICE}: alias:")),
            "{text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_in_one_process_skips_mfa_in_the_next_and_nothing_is_on_disk_in_clear() {
    let Some(ss) = SecretService::start() else {
        return;
    };
    let pool = Pool::start(PoolSetup::default()).await;
    let internal = pool.user("kim", &[]).await;
    let endpoint = pool.emulator.endpoint();
    let vars = [
        ("ENDPOINT", endpoint.as_str()),
        ("POOL_ID", pool.pool_id.as_str()),
        ("CLIENT_ID", pool.client_id.as_str()),
        ("USERNAME", "kim"),
    ];
    let ss = std::sync::Arc::new(ss);

    // Process 1: SMS MFA, a new device confirmed and remembered, its secret in the keychain.
    let first = {
        let (ss, vars) = (ss.clone(), vars.map(|(k, v)| (k, v.to_owned())));
        tokio::task::spawn_blocking(move || {
            let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
            ss.child("sign-in", &vars)
        })
        .await
        .unwrap()
    };
    assert_eq!(first["mfa"], "sms");
    assert_eq!(first["username"], internal);
    assert_eq!(first["remembered"], "true");
    let device_key = first["device_key"].clone();
    assert!(!device_key.is_empty());
    assert_eq!(
        pool.server_devices(&internal).await,
        vec![(device_key.clone(), Some("remembered".to_owned()))]
    );

    // The record, read from the keychain by another fresh process.
    let account =
        cognito_device_auth::store::record_account(&pool.pool_id, &pool.client_id, &internal);
    let record = {
        let ss = ss.clone();
        let account = account.clone();
        tokio::task::spawn_blocking(move || ss.child("read", &[("ACCOUNT", &account)]))
            .await
            .unwrap()
    };
    let record = unhex(&record["value"]);
    let json: serde_json::Value = serde_json::from_slice(&record).expect("a JSON record");
    assert_eq!(json["v"], 1);
    assert_eq!(json["device_key"], device_key.as_str());
    assert_eq!(json["state"], "confirmed");
    let password = json["device_password"].as_str().unwrap().to_owned();
    assert!(password.len() >= 40, "{password}");

    // Process 2: the remembered device skips MFA; then it is forgotten (local record too).
    let sms_before = pool.emulator.sms_outbox(Some("kim")).len();
    let second = {
        let (ss, vars) = (ss.clone(), vars.map(|(k, v)| (k, v.to_owned())));
        tokio::task::spawn_blocking(move || {
            let mut vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
            vars.push(("FORGET", "1"));
            ss.child("sign-in", &vars)
        })
        .await
        .unwrap()
    };
    assert_eq!(second["mfa"], "none");
    assert_eq!(second["skipped_mfa"], "true");
    assert_eq!(second["device_key"], device_key);
    assert_eq!(second["forgotten"], "true");
    assert_eq!(pool.emulator.sms_outbox(Some("kim")).len(), sms_before);
    assert!(pool.server_devices(&internal).await.is_empty());
    let after = {
        let ss = ss.clone();
        let account = account.clone();
        tokio::task::spawn_blocking(move || ss.child("read", &[("ACCOUNT", &account)]))
            .await
            .unwrap()
    };
    assert_eq!(
        after["value"], "none",
        "forgetting deletes the keychain item"
    );

    // Nothing on disk in clear: neither the device password (as text or decoded bytes) nor
    // the record, in any file of the temporary HOME (keyrings, caches, anything).
    use base64::Engine as _;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&password)
        .expect("the device password is base64");
    let needles: Vec<(&str, Vec<u8>)> = vec![
        (
            "device password (base64 text)",
            password.as_bytes().to_vec(),
        ),
        ("device password (bytes)", decoded),
        ("record JSON", record[..record.len().min(48)].to_vec()),
        ("device_password field", b"\"device_password\"".to_vec()),
    ];
    let files = ss.home_files();
    assert!(
        files.iter().any(|f| f.ends_with("login.keyring")),
        "the keyring file is under the temporary HOME: {files:?}"
    );
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_default();
        for (what, needle) in &needles {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_slice()),
                "{what} found in clear in {}",
                file.display()
            );
        }
    }
    eprintln!("scanned {} files under the temporary HOME", files.len());
}

/// A session kept in the real keychain outlives the process: restored by a fresh one without a
/// refresh, refreshed by another, and the refreshed tokens found by the next.
#[tokio::test(flavor = "multi_thread")]
async fn a_session_kept_in_the_keychain_is_restored_by_fresh_processes() {
    let Some(ss) = SecretService::start() else {
        return;
    };
    let pool = Pool::start(PoolSetup {
        rotation: Some(0),
        ..PoolSetup::default()
    })
    .await;
    let internal = pool.user("lee", &[]).await;
    let endpoint = pool.emulator.endpoint();
    let base: Vec<(&'static str, String)> = vec![
        ("ENDPOINT", endpoint),
        ("POOL_ID", pool.pool_id.clone()),
        ("CLIENT_ID", pool.client_id.clone()),
        ("USERNAME", "lee".to_owned()),
    ];
    let ss = std::sync::Arc::new(ss);
    let run = |step: &'static str, extra: Vec<(&'static str, &'static str)>| {
        let (ss, base) = (ss.clone(), base.clone());
        tokio::task::spawn_blocking(move || {
            let mut vars: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
            vars.extend(extra);
            ss.child(step, &vars)
        })
    };
    let first = run("sign-in", vec![("SESSIONS", "1")]).await.unwrap();
    assert_eq!(first["mfa"], "sms");
    let restored = run("session", vec![("MIN_VALIDITY", "300")]).await.unwrap();
    assert_eq!(restored["username"], internal);
    assert_eq!(restored["refreshed"], "false");
    assert_eq!(restored["device_key"], first["device_key"]);
    assert_eq!(pool.calls("GetTokensFromRefreshToken"), 0);
    let refreshed = run("session", vec![("MIN_VALIDITY", "36000")])
        .await
        .unwrap();
    assert_eq!(refreshed["refreshed"], "true");
    assert_eq!(pool.calls("GetTokensFromRefreshToken"), 1);
    // The rotated token was written to the keychain: the old one is spent (no grace period).
    let again = run("session", vec![("MIN_VALIDITY", "36000")])
        .await
        .unwrap();
    assert_eq!(again["refreshed"], "true");
    assert_eq!(pool.calls("GetTokensFromRefreshToken"), 2);
}

/// No session bus, or a bus address where nothing listens: every store call and a sign-in
/// with the default store are `Unavailable` / `StoreUnavailable` naming the fix, fast, in a
/// process that does not panic. Needs no Secret Service, so it never skips.
#[test]
fn no_secret_service_is_a_typed_error_that_names_the_fix() {
    let home = std::env::temp_dir().join(format!("cognito-keychain-none-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    for (case, address) in [
        ("no session bus", None),
        (
            "a dead bus address",
            Some("unix:path=/nonexistent/cognito-test-bus"),
        ),
    ] {
        let out = run_child("expect-unavailable", &[], |command| {
            command
                .env("HOME", &home)
                .env_remove("XDG_RUNTIME_DIR")
                .env_remove("DBUS_SESSION_BUS_ADDRESS");
            if let Some(address) = address {
                command.env("DBUS_SESSION_BUS_ADDRESS", address);
            }
        });
        let message = &out["read_error"];
        eprintln!("{case}: {message}\n  sign-in: {}", out["sign_in_error"]);
        for needle in [
            "gnome-keyring-daemon",
            "KeePassXC",
            "linux_keyutils()",
            "reboot",
        ] {
            assert!(
                message.contains(needle),
                "{case}: {needle} not in {message}"
            );
        }
        assert!(out["seconds"].parse::<u64>().unwrap() < 5, "{case}: fast");
        assert!(
            out["sign_in_error"].contains("unavailable"),
            "{case}: {}",
            out["sign_in_error"]
        );
    }
    let _ = std::fs::remove_dir_all(&home);
}

/// The opt-in kernel keyring (lost at reboot): written by one process, read back and deleted by
/// another, in a fresh session keyring (`keyctl session -`: containers often give processes a
/// session keyring they may not link keys into).
#[cfg(target_os = "linux")]
#[test]
fn linux_keyutils_opt_in_across_processes() {
    if !on_path("keyctl") {
        unavailable("keyctl (Debian package keyutils) not found on PATH");
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let account = format!(
        "device:us-east-1_Test:client:keyutils-{}",
        std::process::id()
    );
    let child = |step: &str| {
        format!(
            "{STEP}={step} ACCOUNT='{account}' \"$0\" child_process --exact --ignored --nocapture --test-threads=1"
        )
    };
    let script = format!("{} && {}", child("keyutils-write"), child("keyutils-read"));
    let out = Command::new("keyctl")
        .args(["session", "-", "sh", "-c", &script])
        .arg(&exe)
        .output()
        .expect("keyctl runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_eq!(stdout.matches("1 passed").count(), 2, "{stdout}\n{stderr}");
    let value = stdout
        .lines()
        .find_map(|l| l.split_once("CHILD value=").map(|(_, v)| v.to_owned()))
        .expect("the read step printed the value");
    assert_eq!(unhex(&value), b"kernel keyring secret");
}
