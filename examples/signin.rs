//! A command-line sign-in for a real user pool or a running emulator.
//!
//! ```text
//! cargo run --example signin -- [sign-in|session|sign-out] --endpoint URL --user-pool-id ID \
//!     --client-id ID [--client-secret S] --username NAME [--json] [--store memory|os|file:PATH]
//!     [--min-validity SECONDS] [--everywhere] [--forget-device]
//! ```
//!
//! The session is kept in the store too: `session` prints the kept session of `--username`
//! (refreshed when its tokens are valid for less than `--min-validity`, default 300), as
//! `{"signed_in": true, "username": "...", "refreshed": bool, "expires_in": N, "device_key":
//! "..."}` (never a token); `sign-out` signs it out (this session, or `--everywhere`; the device
//! stays remembered unless `--forget-device`) and prints `{"signed_out": true, "server_done":
//! bool, "device_forgotten": bool, "server_error": "..." | null}`. Without a kept session,
//! `{"signed_in": false, "error": "...", "no_session": true}` and exit code 1.
//!
//! The password comes from `COGNITO_PASSWORD` or a hidden prompt; the app client's secret, for
//! clients that have one, from `COGNITO_CLIENT_SECRET` (`--client-secret` works too, but any
//! process of the machine can read a command line). Each step prompts on stdout
//! (`SMS code: `, `authenticator code: `, `e-mail code: `, `MFA type [sms/totp/email]: `,
//! `remember this device? [y/n]: `, `new password: `) and reads the answer from stdin. With
//! `--json` the last line is
//! `{"signed_in": true, "mfa": "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | null, "device_key": "...",
//! "device_auth": bool, "skipped_mfa": bool, "remembered": bool, "pending_confirmation": bool,
//! "round_trips": N}`: `device_auth`, the device proved itself (DEVICE_SRP_AUTH);
//! `skipped_mfa`, no MFA step happened; `remembered`, the device's state as the server holds it
//! after this sign-in; `pending_confirmation`, ConfirmDevice is not yet known to have succeeded.
//!
//! Device secrets persist between runs in the chosen store: `os` (the default: the OS
//! keychain), `memory` (nothing persists), or `file:PATH` — a plain JSON file holding the
//! secrets in clear, **for tests only**. The file is readable and writable by its owner only
//! (mode 0600 on Unix) and replaced atomically (a new file, then a rename); processes sharing
//! it take turns (`PATH.lock`).

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use cognito_device_auth::store::{KeychainStore, MemoryStore, SecretStore};
use cognito_device_auth::{
    Client, ClientConfig, Error, MfaType, RememberedStatus, SessionConfig, SignInStep, SignOut,
    StepError,
};

#[path = "support/file_store.rs"]
mod file_store;

use file_store::FileStore;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// What to do.
#[derive(PartialEq)]
enum Command {
    SignIn,
    Session {
        min_validity: u64,
    },
    SignOut {
        everywhere: bool,
        forget_device: bool,
    },
}

struct Args {
    command: Command,
    endpoint: Option<String>,
    user_pool_id: String,
    client_id: String,
    client_secret: Option<String>,
    username: String,
    json: bool,
    store: String,
}

fn usage() -> ! {
    eprintln!(
        "usage: signin [sign-in|session|sign-out] --endpoint URL --user-pool-id ID \
         --client-id ID [--client-secret S] --username NAME [--json] \
         [--store memory|os|file:PATH] [--min-validity SECONDS] [--everywhere] [--forget-device]"
    );
    std::process::exit(2);
}

fn parse_args() -> Args {
    let mut args = std::env::args().skip(1).peekable();
    let command = args
        .next_if(|a| !a.starts_with('-'))
        .unwrap_or_else(|| "sign-in".to_owned());
    let mut values: HashMap<String, String> = HashMap::new();
    let (mut json, mut everywhere, mut forget_device) = (false, false, false);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--json" => json = true,
            "--everywhere" => everywhere = true,
            "--forget-device" => forget_device = true,
            "--help" | "-h" => usage(),
            "--endpoint" | "--user-pool-id" | "--client-id" | "--client-secret" | "--username"
            | "--store" | "--min-validity" => {
                let value = args.next().unwrap_or_else(|| usage());
                values.insert(flag.trim_start_matches("--").to_owned(), value);
            }
            other => {
                eprintln!("unknown argument {other}");
                usage()
            }
        }
    }
    let min_validity = values
        .remove("min-validity")
        .map(|v| v.parse().unwrap_or_else(|_| usage()))
        .unwrap_or(300);
    let command = match command.as_str() {
        "sign-in" => Command::SignIn,
        "session" => Command::Session { min_validity },
        "sign-out" => Command::SignOut {
            everywhere,
            forget_device,
        },
        _ => usage(),
    };
    let mut required = |name: &str| values.remove(name).unwrap_or_else(|| usage());
    Args {
        command,
        user_pool_id: required("user-pool-id"),
        client_id: required("client-id"),
        username: required("username"),
        endpoint: values.remove("endpoint"),
        client_secret: values.remove("client-secret"),
        store: values.remove("store").unwrap_or_else(|| "os".to_owned()),
        json,
    }
}

fn open_store(spec: &str) -> Result<Arc<dyn SecretStore>> {
    match spec {
        "memory" => Ok(Arc::new(MemoryStore::new())),
        "os" => os_store(),
        _ => match spec.strip_prefix("file:") {
            Some(path) if !path.is_empty() => {
                eprintln!(
                    "note: the file store keeps device secrets in clear; use it for tests only"
                );
                Ok(Arc::new(FileStore {
                    path: PathBuf::from(path),
                    lock: Mutex::new(()),
                }))
            }
            _ => Err(format!("unknown store {spec:?}: use memory, os or file:PATH").into()),
        },
    }
}

/// The OS keychain, checked now so a missing Secret Service is reported before the password
/// prompt rather than after the sign-in.
fn os_store() -> Result<Arc<dyn SecretStore>> {
    let store = KeychainStore::new();
    store.check()?;
    Ok(Arc::new(store))
}

/// Prints `prompt` and reads one line from stdin.
fn ask(prompt: &str) -> Result<String> {
    print!("{prompt}");
    std::io::stdout().flush()?;
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line)? == 0 {
        return Err(format!("no answer on stdin for {prompt:?}").into());
    }
    Ok(line.trim().to_owned())
}

/// Reads a password without echo when stdin is a terminal.
fn ask_hidden(prompt: &str) -> Result<String> {
    let tty = std::process::Command::new("stty")
        .arg("-echo")
        .stdin(std::process::Stdio::inherit())
        .status()
        .is_ok_and(|s| s.success());
    let answer = ask(prompt);
    if tty {
        let _ = std::process::Command::new("stty")
            .arg("echo")
            .stdin(std::process::Stdio::inherit())
            .status();
        println!();
    }
    answer
}

/// Asks for a code until it is accepted (a wrong code may be retried, as Cognito allows).
macro_rules! until_accepted {
    ($prompt:expr, $step:ident, |$code:ident| $call:expr) => {
        loop {
            let $code = ask($prompt)?;
            match $call.await {
                Err(StepError {
                    error: Error::CodeMismatch(_),
                    step: Some(step),
                }) => {
                    eprintln!("wrong code, try again");
                    $step = step;
                }
                other => break other?,
            }
        }
    };
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    if let Err(e) = run(&args).await {
        eprintln!("error: {e}");
        if args.json {
            let no_session = matches!(e.downcast_ref::<Error>(), Some(Error::NoSession(_)));
            println!(
                "{}",
                serde_json::json!({
                    "signed_in": false, "error": e.to_string(), "no_session": no_session,
                })
            );
        }
        std::process::exit(1);
    }
}

async fn run(args: &Args) -> Result<()> {
    let mut config =
        ClientConfig::new(&args.user_pool_id, &args.client_id).with_store(open_store(&args.store)?);
    if let Some(endpoint) = &args.endpoint {
        config = config.with_endpoint(endpoint);
    }
    let client_secret = match std::env::var("COGNITO_CLIENT_SECRET") {
        Ok(secret) if !secret.is_empty() => Some(secret),
        _ => {
            if args.client_secret.is_some() {
                eprintln!(
                    "note: --client-secret is visible to every process of this machine; \
                     prefer COGNITO_CLIENT_SECRET"
                );
            }
            args.client_secret.clone()
        }
    };
    if let Some(secret) = &client_secret {
        config = config.with_client_secret(secret.as_str());
    }
    let client = Client::new(config.with_sessions(SessionConfig::default()))?;
    match args.command {
        Command::SignIn => sign_in(args, &client).await,
        Command::Session { min_validity } => session(args, &client, min_validity).await,
        Command::SignOut {
            everywhere,
            forget_device,
        } => sign_out(args, &client, everywhere, forget_device).await,
    }
}

/// `session`: the kept session, refreshed when needed.
async fn session(args: &Args, client: &Client, min_validity: u64) -> Result<()> {
    let margin = std::time::Duration::from_secs(min_validity);
    let session = client
        .session_valid_for(Some(&args.username), margin)
        .await?;
    let expires_in = session.tokens.expires_in().as_secs();
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "signed_in": true,
                "username": session.username.as_str(),
                "refreshed": session.refreshed,
                "expires_in": expires_in,
                "device_key": session.device_key.as_deref(),
            })
        );
    } else {
        println!(
            "signed in as {}; tokens valid for {expires_in} s (refreshed: {})",
            session.username, session.refreshed
        );
    }
    Ok(())
}

/// `sign-out`: this session or everywhere, keeping or forgetting the device.
async fn sign_out(args: &Args, client: &Client, everywhere: bool, forget: bool) -> Result<()> {
    let mut how = if everywhere {
        SignOut::everywhere()
    } else {
        SignOut::this_session()
    };
    how.forget_device = forget;
    let report = client.end_session(Some(&args.username), how).await?;
    let server_error = report.server_error.as_ref().map(ToString::to_string);
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "signed_out": true,
                "server_done": report.server_done(),
                "device_forgotten": report.device_forgotten,
                "server_error": server_error,
            })
        );
    } else {
        match server_error {
            None => println!("signed out of {}", report.username),
            Some(e) => println!("signed out here; the server was not told: {e}"),
        }
    }
    Ok(())
}

/// `sign-in` (the default): every step at the prompt.
async fn sign_in(args: &Args, client: &Client) -> Result<()> {
    let password = match std::env::var("COGNITO_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => ask_hidden("password: ")?,
    };

    let mut step = client.sign_in(&args.username, password).await?;
    let done = loop {
        step = match step {
            SignInStep::Done(done) => break done,
            SignInStep::SmsCode(s) | SignInStep::TotpCode(s) | SignInStep::EmailCode(s) => {
                let prompt = match s.mfa_type() {
                    MfaType::Sms => "SMS code: ",
                    MfaType::Totp => "authenticator code: ",
                    MfaType::Email => "e-mail code: ",
                };
                if let Some(destination) = s.destination() {
                    println!("a code was sent to {destination}");
                }
                let mut s = s;
                until_accepted!(prompt, s, |code| s.submit(&code))
            }
            SignInStep::SelectMfaType(s) => {
                let choice = ask("MFA type [sms/totp/email]: ")?;
                let mfa = match choice.as_str() {
                    "sms" => MfaType::Sms,
                    "totp" => MfaType::Totp,
                    "email" => MfaType::Email,
                    other => return Err(format!("unknown MFA type {other:?}").into()),
                };
                s.select(mfa).await?
            }
            SignInStep::SetUpTotp(s) => {
                println!("add this account to your authenticator app:");
                println!("  secret: {}", s.secret().expose());
                println!("  {}", s.otpauth_uri().expose());
                let mut s = s;
                until_accepted!("authenticator code: ", s, |code| s.verify(&code, None))
            }
            SignInStep::NewPassword(s) => {
                let new_password = ask_hidden("new password: ")?;
                let mut attributes = HashMap::new();
                for name in s.required_attributes() {
                    attributes.insert(name.clone(), ask(&format!("{name}: "))?);
                }
                s.submit(new_password, &attributes).await?
            }
            SignInStep::RememberDevice(s) => {
                let answer = ask("remember this device? [y/n]: ")?;
                let status = if matches!(answer.as_str(), "y" | "Y" | "yes") {
                    RememberedStatus::Remembered
                } else {
                    RememberedStatus::NotRemembered
                };
                SignInStep::Done(s.answer(status).await)
            }
        };
    };

    if let Some(warning) = &done.device.warning {
        eprintln!("warning: {warning}");
    }
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "signed_in": true,
                "mfa": done.mfa.map(MfaType::challenge_name),
                "device_key": done.device.device_key.as_deref(),
                // The device proved itself (DEVICE_SRP_AUTH) in this sign-in.
                "device_auth": done.device.proved,
                // No MFA step happened in this sign-in.
                "skipped_mfa": done.device.skipped_mfa,
                // The device's state as the server holds it after this sign-in.
                "remembered": done.device.remembered,
                "pending_confirmation": done.device.pending_confirmation,
                "round_trips": done.round_trips,
            })
        );
    } else {
        println!(
            "signed in as {} ({} round trips); device {} remembered={} MFA skipped={}",
            done.username,
            done.round_trips,
            done.device.device_key.as_deref().unwrap_or("-"),
            done.device.remembered,
            done.device.skipped_mfa
        );
    }
    Ok(())
}
