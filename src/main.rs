//! The `omnideck` binary: parse the command line and dispatch.

use std::process::ExitCode;

use clap::Parser;

use omnideck::cli::{Cli, Command};
use omnideck::commands;
use omnideck::config::{self, Config};
use omnideck::ui::ThemeName;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("omnideck: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<u8> {
    let cockpit = Command::Cockpit { theme: ThemeName::Default };
    Ok(match cli.command.as_ref().unwrap_or(&cockpit) {
        Command::Check { format, probe } => commands::check(&load_config(cli)?, *format, *probe)?,
        Command::Cockpit { theme } => commands::cockpit(load_config(cli)?, *theme)?,
        Command::Demo { theme, faults } => commands::demo(*theme, faults)?,
        Command::Report { demo, week, format } => {
            commands::report(config_unless_demo(cli, *demo)?, week.as_deref(), *format)?
        }
        Command::Pricebook { demo, channel, format } => {
            commands::pricebook(config_unless_demo(cli, *demo)?, channel.as_deref(), *format)?
        }
        Command::Runbook { channel, demo } => commands::runbook(config_unless_demo(cli, *demo)?, channel)?,
        Command::Sandbox { port, bind, faults, scale } => commands::sandbox(*port, *bind, faults, *scale)?,
    })
}

fn config_unless_demo(cli: &Cli, demo: bool) -> anyhow::Result<Option<Config>> {
    if demo { Ok(None) } else { load_config(cli).map(Some) }
}

fn load_config(cli: &Cli) -> anyhow::Result<Config> {
    let env = std::env::var("OMNIDECK_CONFIG").ok();
    let path = config::locate(cli.config.as_deref(), env.as_deref())
        .ok_or_else(|| anyhow::anyhow!("no config given and no platform config dir; pass --config PATH"))?;
    Config::load(&path).map_err(|e| anyhow::anyhow!("{e}"))
}
