//! Command line of `konvergen-server`: serving is the default, tools are subcommands.

use std::io::BufRead;

use anyhow::Context;
use clap::{Parser, Subcommand};
use konvergen_shared::api::Role;
use tokio::net::TcpListener;

use crate::auth::hash_password;
use crate::db::NewUser;
use crate::db::Store;
use crate::util::now_ms;
use crate::{AppState, Config, demo};
use konvergen_shared::district::MAX_AGENCY_CHARS;

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
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage the agency list of a regency (the OPD of its team).
    #[command(subcommand)]
    Agency(AgencyCommand),
    /// Add the demo logins (and demo data) to the database.
    SeedDemo {
        /// 1000-HPK households per demo village (150 is a large real village).
        #[arg(long, default_value_t = demo::DEMO_HOUSEHOLDS)]
        households: usize,
    },
    /// Compute WHO z-scores for a CSV of measurements (columns sex,age_days,weight_kg,
    /// length_cm,measured and optionally oedema); writes the completed CSV to standard output.
    Anthro {
        /// Read this file instead of standard input.
        #[arg(long)]
        input: Option<std::path::PathBuf>,
    },
}

/// `konvergen-server user ...`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is read from KONVERGEN_PASSWORD or the first line of
    /// standard input, never from the command line (it would show in `ps` and shell history).
    Add {
        /// Account name.
        #[arg(long)]
        username: String,
        /// Name to show.
        #[arg(long)]
        name: String,
        /// cadre, supervisor, agency, province or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Area code(s): villages for a cadre, a regency for a supervisor or an agency, a
        /// province.
        #[arg(long = "area")]
        areas: Vec<String>,
        /// For `--role agency`: the agency, as on the regency's list (`agency list`).
        #[arg(long)]
        agency: Option<String>,
    },
    /// List accounts.
    List,
    /// Disable an account and end its sessions.
    Disable {
        /// Account name.
        username: String,
    },
    /// Set a new password (from KONVERGEN_PASSWORD or standard input) and end all sessions.
    ResetPassword {
        /// Account name.
        username: String,
    },
}

/// `konvergen-server agency ...`
#[derive(Debug, Subcommand)]
pub enum AgencyCommand {
    /// Put an agency on a regency's list.
    Add {
        /// The regency or city, e.g. 63.03.
        #[arg(long)]
        area: String,
        /// Its name, e.g. "Dinas Kesehatan".
        #[arg(long)]
        name: String,
    },
    /// Show a regency's list.
    List {
        /// The regency or city.
        #[arg(long)]
        area: String,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| {
        format!("unknown role {text:?}: cadre, supervisor, agency, province or admin")
    })
}

/// Runs the chosen command.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.config),
        Command::User(command) => block_on(user(&cli.config, command)),
        Command::Agency(command) => block_on(agency(&cli.config, command)),
        Command::Anthro { input } => anthro(input.as_deref()),
        Command::SeedDemo { households } => block_on(async {
            let store = Store::open(&cli.config.database_path())?;
            demo::seed(&store).await?;
            demo::seed_records(&store, crate::util::today_wita(now_ms()), households).await?;
            println!("demo logins and demo data seeded");
            Ok(())
        }),
    }
}

/// Runs a one-off command's storage calls, which are async like the server's, to completion.
fn block_on(work: impl Future<Output = anyhow::Result<()>>) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(work)
}

fn anthro(input: Option<&std::path::Path>) -> anyhow::Result<()> {
    use konvergen_shared::anthro::batch;
    let output = std::io::BufWriter::new(std::io::stdout().lock());
    let summary = match input {
        Some(path) => {
            let file =
                std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
            batch::run(std::io::BufReader::new(file), output)?
        }
        None => batch::run(std::io::stdin().lock(), output)?,
    };
    eprintln!("{} rows, {} with errors", summary.rows, summary.errors);
    Ok(())
}

fn serve(config: Config) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let bind = config.bind;
        let seed_demo = config.demo;
        let state = AppState::open(config)?;
        if seed_demo && demo::seed_if_empty(&state.store).await? {
            tracing::info!("empty database: demo logins and data seeded (see README)");
        }
        refuse_public_address_with_demo_passwords(&state.store, bind).await?;
        crate::blobs::start_sweeper(&state)?;
        let listener = TcpListener::bind(bind).await?;
        tracing::info!(address = %listener.local_addr()?, "konvergen-server listening");
        crate::serve(listener, state, crate::shutdown_signal()).await?;
        tracing::info!("server stopped");
        Ok(())
    })
}

/// The demo passwords are published in the README: a server still accepting one must not be
/// reachable from other machines.
async fn refuse_public_address_with_demo_passwords(
    store: &Store,
    bind: std::net::SocketAddr,
) -> anyhow::Result<()> {
    if bind.ip().is_loopback() {
        return Ok(());
    }
    let published = demo::accounts_with_published_passwords(store).await?;
    anyhow::ensure!(
        published.is_empty(),
        "refusing to listen on {bind}: these accounts still have the demo password published \
         in the README: {}. Change each with `konvergen-server user reset-password <name>` (or \
         `user disable <name>`), or listen on 127.0.0.1.",
        published.join(", ")
    );
    Ok(())
}

async fn user(config: &Config, command: UserCommand) -> anyhow::Result<()> {
    let store = Store::open(&config.database_path())?;
    match command {
        UserCommand::Add {
            username,
            name,
            role,
            areas,
            agency,
        } => {
            anyhow::ensure!(
                (role == Role::Agency) == agency.is_some(),
                "--agency goes with --role agency, and only with it"
            );
            anyhow::ensure!(
                !username.trim().is_empty() && username.len() <= crate::routes::MAX_USERNAME_BYTES,
                "the username needs 1 to {} bytes",
                crate::routes::MAX_USERNAME_BYTES
            );
            check_areas(&store, role, &areas).await?;
            let hash = hash_password(&read_password()?)?;
            let new = NewUser {
                username: username.clone(),
                display_name: name,
                role,
                password_hash: hash,
                areas,
                agency,
            };
            let id = store
                .create_user(new, now_ms())
                .await
                .map_err(|err| anyhow::anyhow!("{err}"))?;
            println!("created user {username} (id {id})");
        }
        UserCommand::List => {
            let users = store.users().await.map_err(|e| anyhow::anyhow!("{e}"))?;
            for (me, disabled) in users {
                let areas: Vec<&str> = me.areas.iter().map(|a| a.code.as_str()).collect();
                let state = if disabled { "disabled" } else { "active" };
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    me.username,
                    me.role.as_str(),
                    areas.join(","),
                    state,
                    me.display_name,
                    me.agency.as_deref().unwrap_or("")
                );
            }
        }
        UserCommand::Disable { username } => {
            store
                .disable_user(username.clone(), now_ms())
                .await
                .map_err(|err| anyhow::anyhow!("{username}: {err}"))?;
            println!("disabled {username}; its sessions are revoked");
        }
        UserCommand::ResetPassword { username } => {
            let hash = hash_password(&read_password()?)?;
            store
                .set_password(username.clone(), hash, now_ms())
                .await
                .map_err(|err| anyhow::anyhow!("{username}: {err}"))?;
            println!("password of {username} changed; its sessions are revoked");
        }
    }
    Ok(())
}

/// Areas must exist and match the role: villages for cadres, one regency for supervisors,
/// one province for the province role, none for admins.
async fn agency(config: &Config, command: AgencyCommand) -> anyhow::Result<()> {
    let store = Store::open(&config.database_path())?;
    let regency = match &command {
        AgencyCommand::Add { area, .. } | AgencyCommand::List { area } => area.clone(),
    };
    check_areas(&store, Role::Agency, std::slice::from_ref(&regency)).await?;
    match command {
        AgencyCommand::Add { name, .. } => {
            let name = name.trim().to_owned();
            anyhow::ensure!(
                !name.is_empty() && name.chars().count() <= MAX_AGENCY_CHARS,
                "the agency name needs 1 to {MAX_AGENCY_CHARS} characters"
            );
            store
                .add_agency(regency.clone(), name.clone(), now_ms())
                .await
                .map_err(|err| anyhow::anyhow!("{err}"))?;
            println!("{name} is on the list of {regency}");
        }
        AgencyCommand::List { .. } => {
            let names = store
                .agencies(regency)
                .await
                .map_err(|err| anyhow::anyhow!("{err}"))?;
            for name in names {
                println!("{name}");
            }
        }
    }
    Ok(())
}

async fn check_areas(store: &Store, role: Role, areas: &[String]) -> anyhow::Result<()> {
    let expected = match role {
        Role::Cadre => "village",
        Role::Supervisor | Role::Agency => "regency",
        Role::Province | Role::Assessor => "province",
        Role::Admin => {
            anyhow::ensure!(areas.is_empty(), "admins have no area");
            return Ok(());
        }
    };
    anyhow::ensure!(!areas.is_empty(), "a {} needs --area", role.as_str());
    anyhow::ensure!(
        role == Role::Cadre || areas.len() == 1,
        "a {} has exactly one area",
        role.as_str()
    );
    for code in areas {
        let level = store
            .region_level(code.clone())
            .await
            .map_err(|err| anyhow::anyhow!("{err}"))?;
        anyhow::ensure!(
            level.as_deref() == Some(expected),
            "{code} is not a known {expected} code"
        );
    }
    Ok(())
}

/// Shortest password the tools accept (the same rule as the desk's account forms).
pub use konvergen_shared::district::MIN_PASSWORD_CHARS;

fn read_password() -> anyhow::Result<String> {
    let password = match std::env::var("KONVERGEN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("reading the password from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    anyhow::ensure!(
        password.chars().count() >= MIN_PASSWORD_CHARS,
        "the password needs at least {MIN_PASSWORD_CHARS} characters"
    );
    anyhow::ensure!(
        password.len() <= crate::routes::MAX_PASSWORD_BYTES,
        "the password may have at most {} bytes",
        crate::routes::MAX_PASSWORD_BYTES
    );
    Ok(password)
}
