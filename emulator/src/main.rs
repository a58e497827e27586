//! `cognito-emulator --port 9229 [--host H] [--state FILE] [--seed FILE] [--region R]
//! [--fidelity NAME=VALUE]...` (the switches of `cognito_emulator::fidelity`)

use std::path::PathBuf;

use cognito_emulator::{Emulator, EmulatorConfig};

const USAGE: &str = "usage: cognito-emulator [--port PORT] [--host HOST] [--state FILE] [--seed FILE] [--region REGION] [--fidelity NAME=VALUE]...";

fn parse_args() -> Result<EmulatorConfig, String> {
    let mut config = EmulatorConfig {
        port: 9229,
        ..EmulatorConfig::default()
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.to_owned());
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--port" => config.port = value.parse().map_err(|_| format!("invalid port {value}"))?,
            "--host" => config.host = value,
            "--state" => config.state_file = Some(PathBuf::from(value)),
            "--seed" => config.seed_file = Some(PathBuf::from(value)),
            "--region" => config.region = value,
            "--fidelity" => config.fidelity.apply(&value)?,
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    Ok(config)
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = match parse_args() {
        Ok(c) => c,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let emulator = match Emulator::start(config).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    println!("cognito-emulator listening on {}", emulator.endpoint());
    let _ = tokio::signal::ctrl_c().await;
    emulator.stop().await;
}
