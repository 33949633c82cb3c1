//! `konvergen-server`: loads configuration, starts logging and hands over to the library.

use clap::Parser;
use konvergen_backend::cli::Cli;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    konvergen_backend::telemetry::init();
    konvergen_backend::cli::run(cli)
}
