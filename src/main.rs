//! The `omnideck` binary: parse the command line and dispatch.

use std::process::ExitCode;

use clap::Parser;

use omnideck::cli::{CheckFormat, Cli, Command};
use omnideck::config::{self, Config, gates};
use omnideck::report;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("omnideck: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Check { format, probe } => check(cli, *format, *probe),
        Command::Cockpit { theme } => {
            let config = load_config(cli)?;
            let code = omnideck::ui::run(config, &omnideck::ui::Options { theme: *theme })?;
            Ok(ExitCode::from(code))
        }
    }
}

fn load_config(cli: &Cli) -> anyhow::Result<Config> {
    let env = std::env::var("OMNIDECK_CONFIG").ok();
    let path = config::locate(cli.config.as_deref(), env.as_deref())
        .ok_or_else(|| anyhow::anyhow!("no config given and no platform config dir; pass --config PATH"))?;
    Config::load(&path).map_err(|e| anyhow::anyhow!("{e}"))
}

fn check(cli: &Cli, format: CheckFormat, probe: bool) -> anyhow::Result<ExitCode> {
    let config = load_config(cli)?;
    if probe {
        anyhow::bail!("--probe needs the channel connectors, which this build does not include yet");
    }
    let report = gates::evaluate(&config, &|k| std::env::var(k).ok(), None);
    let out = match format {
        CheckFormat::Text => report::check::text(&report),
        CheckFormat::Json => report::check::json(&report)?,
    };
    print!("{out}");
    Ok(if report.blocked { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
