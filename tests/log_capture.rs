//! No secret reaches a log, at any level: everything emitted at TRACE through `tracing` (events
//! and span fields of every crate, on every thread: the blocking threads that run the store
//! too) and through the `log` crate (`keyring-core`, which the keychain store runs on) is
//! captured during a full sign-in with SMS MFA and a new device, a sign-in with the remembered
//! device, a refresh, a new-password sign-in and a TOTP set-up, with an app client that has a
//! secret and the keychain store (over `keyring-core`'s mock credential store). The capture
//! must hold none of the passwords, the device passwords, the tokens, the client secret, the
//! TOTP secret or the codes.
//!
//! Request bodies print as `BoxBody` because this SDK's own interceptor
//! (src/transport/redact.rs) makes them opaque before transmit (the client turns the AWS SDK's
//! stalled-stream protection off, which would otherwise wrap them too). Response bodies of the operations that carry secrets are redacted
//! by the AWS SDK unless `LOG_SENSITIVE_BODIES=true` is set (the README names that limit).
//!
//! The emulator runs in this process too; its own events (target `cognito_emulator`) are left
//! out, since it is the server and sees the secrets by design. Provisioning (admin calls with
//! the users' passwords) happens before the capture starts.

mod common;

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use aws_sdk_cognitoidentityprovider as cip;
use cognito_device_auth::store::{DeviceRecord, KeychainStore, SecretStore};
use cognito_device_auth::{SignInStep, SignedIn};
use common::*;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::{Layer, filter};

const TEMPORARY: &str = "Temp-Pass-Log-4821";
const NEW_PASSWORD: &str = "New-Horse-Log-7734";
const CONTROL: &str = "control-secret-5521-xq";

/// Everything the subscriber writes, in memory.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// The `log` crate's records, written into the same capture.
struct LogBridge(Mutex<Capture>);

impl log::Log for LogBridge {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let line = format!(
            "{} {}: {}\n",
            record.level(),
            record.target(),
            record.args()
        );
        let _ = self.0.lock().unwrap().write_all(line.as_bytes());
    }
    fn flush(&self) {}
}

/// Secrets the log must not hold, with what each one is.
#[derive(Default)]
struct Secrets(Vec<(String, String)>);

impl Secrets {
    fn add(&mut self, what: &str, value: &str) {
        assert!(value.len() >= 6, "{what} is too short to search for");
        self.0.push((what.to_owned(), value.to_owned()));
    }
    fn signed_in(&mut self, what: &str, done: &SignedIn) {
        self.add(&format!("{what}: ID token"), &done.tokens.id_token);
        self.add(&format!("{what}: access token"), &done.tokens.access_token);
        if let Some(refresh) = &done.tokens.refresh_token {
            self.add(&format!("{what}: refresh token"), refresh);
        }
    }
    /// A six-digit code can occur inside any number, so it is searched for as a quoted value
    /// (how a JSON body, a `Debug` string or a field prints it).
    fn code(&mut self, what: &str, code: &str) {
        for quoted in [
            format!("\"{code}\""),
            format!("\\\"{code}\\\""),
            format!("={code}"),
        ] {
            self.add(what, &quoted);
        }
    }
}

async fn sms(pool: &Pool, step: SignInStep, user: &str, secrets: &mut Secrets) -> SignInStep {
    let SignInStep::SmsCode(code) = step else {
        panic!("expected the SMS code, got {}", step.name())
    };
    let text = pool.last_sms_code(user);
    secrets.code(&format!("{user}: SMS code"), &text);
    code.submit(&text).await.expect("the right code")
}

#[tokio::test(flavor = "current_thread")]
async fn no_secret_reaches_any_log_level() {
    let pool = Pool::start(PoolSetup {
        secret: true,
        ..PoolSetup::default()
    })
    .await;
    let mut secrets = Secrets::default();
    secrets.add("the user's password", PASSWORD);
    secrets.add("the temporary password", TEMPORARY);
    secrets.add("the new password", NEW_PASSWORD);
    secrets.add(
        "the client secret",
        pool.client_secret
            .as_deref()
            .expect("a client with a secret"),
    );
    pool.user("lena", &[]).await;
    // No phone number: the pool requires MFA, so she sets up an authenticator app.
    pool.user_with("olga", &[]).await;
    pool.admin
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("nils")
        .temporary_password(TEMPORARY)
        .message_action(cip::types::MessageActionType::Suppress)
        .user_attributes(attribute("phone_number", "+15555550100"))
        .user_attributes(attribute("phone_number_verified", "true"))
        .send()
        .await
        .expect("AdminCreateUser");
    let store = Arc::new(KeychainStore::from_credential_store(
        keyring_core::mock::Store::new().unwrap(),
    ));
    let client = pool.client(store.clone());

    let capture = Capture::default();
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(capture.clone())
        .with_ansi(false)
        .without_time()
        .with_span_events(FmtSpan::FULL)
        .with_filter(filter::filter_fn(|m| {
            !m.target().starts_with("cognito_emulator")
        }))
        .with_filter(filter::LevelFilter::TRACE);
    // Global (every thread), and the only test of this binary.
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))
        .expect("the only subscriber");
    log::set_boxed_logger(Box::new(LogBridge(Mutex::new(capture.clone()))))
        .expect("the only logger");
    log::set_max_level(log::LevelFilter::Trace);

    // SMS MFA, a new device confirmed and remembered.
    let step = client.sign_in("lena", PASSWORD).await.expect("sign-in");
    let first = sms(&pool, step, "lena", &mut secrets)
        .await
        .done()
        .expect("signed in");
    secrets.signed_in("lena's first sign-in", &first);
    // The remembered device: DEVICE_SRP_AUTH, no code.
    let second = sign_in_without_mfa(&client, "lena").await;
    assert!(second.device.skipped_mfa);
    secrets.signed_in("lena's second sign-in", &second);
    // A refresh with the device's key.
    let refreshed = client
        .refresh(
            &second.username,
            second
                .tokens
                .refresh_token
                .as_deref()
                .expect("a refresh token"),
        )
        .await
        .expect("refresh");
    secrets.add("the refreshed ID token", &refreshed.id_token);
    secrets.add("the refreshed access token", &refreshed.access_token);

    // A temporary password, then a new one, then the SMS code.
    let step = client.sign_in("nils", TEMPORARY).await.expect("sign-in");
    let SignInStep::NewPassword(new_password) = step else {
        panic!("expected NewPassword, got {}", step.name())
    };
    let step = new_password
        .submit(NEW_PASSWORD, &HashMap::new())
        .await
        .expect("a new password");
    let done = sms(&pool, step, "nils", &mut secrets)
        .await
        .done()
        .expect("signed in");
    secrets.signed_in("nils", &done);

    // An authenticator app set up during the sign-in.
    let step = client.sign_in("olga", PASSWORD).await.expect("sign-in");
    let SignInStep::SetUpTotp(setup) = step else {
        panic!("expected the TOTP set-up, got {}", step.name())
    };
    secrets.add("the TOTP secret", setup.secret().expose());
    let code = totp(setup.secret().expose());
    secrets.code("the TOTP code", &code);
    let done = setup
        .verify(&code, Some("phone"))
        .await
        .expect("the right code")
        .done()
        .expect("signed in");
    secrets.signed_in("olga", &done);
    // A control: a secret that does reach the log is found by the search below.
    tracing::trace!(target: "log_capture_control", "control value {CONTROL}");
    log::trace!(target: "log_capture_control", "log control {CONTROL}-log");

    // Every device password the store now holds (its index names every entry).
    let index = store
        .read(cognito_device_auth::store::accounts::INDEX_ACCOUNT)
        .unwrap()
        .expect("the index");
    let accounts: Vec<String> = serde_json::from_slice(&index).unwrap();
    let mut devices = 0;
    for account in accounts {
        let Some(bytes) = store.read(&account).unwrap() else {
            continue;
        };
        if let Ok(record) = DeviceRecord::from_bytes(&bytes) {
            secrets.add("a device password", record.device_password.expose());
            devices += 1;
        }
    }
    assert!(devices >= 3, "{devices} device records");

    let log = String::from_utf8(capture.0.lock().unwrap().clone()).expect("UTF-8 log");
    // The capture is real: TRACE events of the AWS SDK's orchestrator, which logs every
    // request it transmits, and this SDK's own spans or events.
    assert!(
        log.contains("transmitting request"),
        "no TRACE output:\n{log}"
    );
    assert!(
        log.lines().count() > 100,
        "only {} lines",
        log.lines().count()
    );
    assert!(
        log.contains(CONTROL),
        "the control value is missing: the search sees nothing"
    );
    assert!(
        log.contains(&format!("{CONTROL}-log")),
        "the log crate's records are not captured"
    );
    assert!(
        log.contains("keyring"),
        "no record of the keychain store's crates: {} lines",
        log.lines().count()
    );
    for (what, value) in &secrets.0 {
        if let Some(at) = log.find(value.as_str()) {
            let line_start = log[..at].rfind('\n').map_or(0, |i| i + 1);
            let line_end = log[at..].find('\n').map_or(log.len(), |i| at + i);
            panic!(
                "{what} is in the log, in this line:\n{}",
                &log[line_start..line_end]
            );
        }
    }
    eprintln!(
        "{} lines of TRACE output, {} secrets searched, none found",
        log.lines().count(),
        secrets.0.len()
    );
}
