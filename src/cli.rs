//! The command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "omnideck", version, about = "One operating read across every sales channel")]
pub struct Cli {
    /// The config file (else `$OMNIDECK_CONFIG`, else the platform config dir).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Without a command: the cockpit on the resolved config.
    #[command(subcommand)]
    pub command: Option<Command>,
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
    /// Run the cockpit on the resolved config (the default command).
    Cockpit {
        /// Colour theme (`NO_COLOR` forces mono).
        #[arg(long, value_enum, default_value_t = crate::ui::ThemeName::Default)]
        theme: crate::ui::ThemeName,
    },
    /// The cockpit on the built-in demo brand, against the sandbox on a
    /// free loopback port. No credentials needed.
    Demo {
        #[arg(long, value_enum, default_value_t = crate::ui::ThemeName::Default)]
        theme: crate::ui::ThemeName,
        /// Inject sandbox faults, e.g. `shopify:429@2,amazon:500@3`.
        #[arg(long, default_value = "")]
        faults: String,
    },
    /// Poll once, evaluate, print the weekly read.
    Report {
        /// Against the built-in demo sandbox instead of the config.
        #[arg(long)]
        demo: bool,
        /// The ISO week to read, e.g. `2026-W48` (default: the last complete week).
        #[arg(long)]
        week: Option<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
        format: ReportFormat,
    },
    /// The price each channel should show, with why.
    Pricebook {
        #[arg(long)]
        demo: bool,
        /// Only this channel.
        #[arg(long)]
        channel: Option<String>,
        #[arg(long, value_enum, default_value_t = PriceFormat::Text)]
        format: PriceFormat,
    },
    /// A channel's hand-over document in Markdown.
    Runbook {
        /// The channel id, e.g. `amazon-us-fba`.
        channel: String,
        #[arg(long)]
        demo: bool,
    },
    /// Serve the imitation channel APIs alone.
    Sandbox {
        #[arg(long, default_value_t = 8787)]
        port: u16,
        /// Address to bind; loopback unless told otherwise.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Faults to inject, e.g. `shopify:429@2,amazon:truncated@1`.
        #[arg(long, default_value = "")]
        faults: String,
        /// Serve a synthetic catalog of N SKUs instead of the demo brand.
        #[arg(long)]
        scale: Option<usize>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PriceFormat {
    Text,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}
