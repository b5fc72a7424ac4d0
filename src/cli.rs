//! The command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "omnideck", version, about = "One operating read across every sales channel")]
pub struct Cli {
    /// The config file (else `$OMNIDECK_CONFIG`, else the platform config dir).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the config and each channel's gates; exit 1 when an active
    /// channel is blocked.
    Check {
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Also call each source once.
        #[arg(long)]
        probe: bool,
    },
    /// Run the cockpit on the resolved config.
    Cockpit {
        /// Colour theme (`NO_COLOR` forces mono).
        #[arg(long, value_enum, default_value_t = crate::ui::ThemeName::Default)]
        theme: crate::ui::ThemeName,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}
