//! Command line of `konvergen-server`: serving is the default, tools are subcommands.

use clap::{Parser, Subcommand};
use tokio::net::TcpListener;

use crate::{AppState, Config};

/// konvergen sync server and its tools.
#[derive(Debug, Parser)]
#[command(name = "konvergen-server", version, about)]
pub struct Cli {
    /// Server and database settings.
    #[command(flatten)]
    pub config: Config,

    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (the default).
    Serve,
}

/// Runs the chosen command.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.config),
    }
}

fn serve(config: Config) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let bind = config.bind;
        let state = AppState::open(config)?;
        let listener = TcpListener::bind(bind).await?;
        tracing::info!(address = %listener.local_addr()?, "konvergen-server listening");
        crate::serve(listener, state, crate::shutdown_signal()).await?;
        tracing::info!("server stopped");
        Ok(())
    })
}
