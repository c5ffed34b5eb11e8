//! The command line. `main.rs` calls [`main`]; each subcommand is a thin wrapper over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Utc;
use clap::{Parser, Subcommand};

use crate::configuration::{CommandLineOverrides, Settings};
use crate::domain::{EmailAddress, FullName, Password, Role};
use crate::service::accounts;
use crate::startup::Application;

#[derive(Parser, Debug)]
#[command(
    name = "essay-portal",
    version,
    about = "Upload, check and assess 'Key challenges' essays"
)]
pub struct Cli {
    /// A TOML configuration file (keys as in the README); also ESSAY_PORTAL_CONFIG.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web service (the default).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(DataArgs),
    /// Manage accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Inspect a document: format, pages, paper, and what could not be read.
    Inspect {
        file: PathBuf,
        /// Print one JSON object (the stable contract) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Check a document against a vacancy's rules, as the server does at upload.
    Check(crate::offline::CheckArgs),
    /// Read a vacancy notice's plain text and propose a draft vacancy.
    ImportNotice {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Verify a receipt's signature offline.
    VerifyReceipt {
        file: PathBuf,
        /// The server's published public key (base64), from
        /// `GET /.well-known/essay-portal-receipt-key`. Required: the key inside a receipt file
        /// proves nothing, since a forger would put their own there.
        #[arg(long)]
        public_key: String,
    },
    /// Write a consistent backup (database, and the data folder's receipt key) while the
    /// service runs: SQLite through `VACUUM INTO`, PostgreSQL through `pg_dump`.
    Backup {
        /// The backup file to write (a ZIP); it must not exist yet.
        #[arg(long)]
        to: PathBuf,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Bring a backup back into an empty data folder or an empty PostgreSQL database.
    Restore {
        file: PathBuf,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Delete the personal data of every vacancy whose retention period has run out, and carry
    /// out erasure requests whose assessments have ended (the server also does it daily).
    Purge {
        /// Only say what would be deleted.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Receipt signing keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Internal: inspect bytes from stdin in a sandboxed child process.
    #[command(hide = true)]
    InspectWorker {
        /// CPU seconds each file may use before the worker is stopped.
        #[arg(long, default_value_t = 5)]
        cpu_seconds_per_file: u64,
        /// The user id this worker takes when started as root (each worker its own).
        #[arg(long, default_value_t = crate::service::worker_sandbox::WORKER_UID_BASE)]
        uid: u32,
    },
}

#[derive(clap::Args, Debug, Default)]
pub struct ServeArgs {
    /// Address to listen on, e.g. 127.0.0.1:8080 (port 0 picks a free port).
    #[arg(long)]
    pub bind: Option<std::net::SocketAddr>,
    #[command(flatten)]
    pub data: DataArgs,
    /// Load demo vacancies and one account per role into an empty database.
    #[arg(long)]
    pub demo: bool,
}

#[derive(clap::Args, Debug, Default)]
pub struct DataArgs {
    /// Directory for all local state (the SQLite database, the receipt signing key).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Make a new receipt signing key (PKCS#8 PEM, readable by this user only) for the
    /// `receipt_key_file` setting that every instance of a deployment shares.
    Generate {
        /// Where to write it; an existing file is never overwritten.
        #[arg(long)]
        to: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create an administrator; the password is read from standard input or a prompt.
    Create {
        #[arg(long)]
        email: String,
        /// Full name shown in the audit log.
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
}

pub fn main() -> ExitCode {
    release_large_blocks_to_the_os();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    // Offline commands need neither the runtime nor the settings.
    match &cli.command {
        Some(Command::InspectWorker {
            cpu_seconds_per_file,
            uid,
        }) => return crate::service::inspector::worker_main(*cpu_seconds_per_file, *uid),
        Some(Command::Inspect { file, json }) => return crate::offline::inspect(file, *json),
        Some(Command::Check(args)) => return crate::offline::check(args),
        Some(Command::ImportNotice { file, json }) => {
            return crate::offline::import_notice(file, *json)
        }
        Some(Command::VerifyReceipt { file, public_key }) => {
            return crate::offline::verify_receipt(file, public_key)
        }
        Some(Command::Keys {
            command: KeysCommand::Generate { to },
        }) => return generate_key(to),
        _ => {}
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cli))
}

fn load_settings(
    config: Option<&std::path::Path>,
    overrides: CommandLineOverrides,
) -> Result<Settings, ExitCode> {
    Settings::load(config, &overrides).map_err(|error| {
        eprintln!("{error}");
        ExitCode::from(2)
    })
}

/// The settings, with `--data-dir` from the command line when given.
fn settings_with_data(
    config: Option<&std::path::Path>,
    data: DataArgs,
) -> Result<Settings, ExitCode> {
    let overrides = CommandLineOverrides {
        data_dir: data.data_dir,
        ..Default::default()
    };
    load_settings(config, overrides)
}

/// Prints what an operator command did, or why it failed, and exits accordingly.
fn finish(what: &str, outcome: Result<String, String>) -> ExitCode {
    match outcome {
        Ok(done) => {
            println!("{done}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{what} failed: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> ExitCode {
    let config = cli.config.as_deref();
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => {
            let overrides = CommandLineOverrides {
                bind: args.bind,
                data_dir: args.data.data_dir,
                demo: args.demo.then_some(true),
            };
            let settings = match load_settings(config, overrides) {
                Ok(settings) => settings,
                Err(code) => return code,
            };
            serve(settings).await
        }
        Command::Migrate(args) => {
            let overrides = CommandLineOverrides {
                data_dir: args.data_dir,
                ..Default::default()
            };
            let settings = match load_settings(config, overrides) {
                Ok(settings) => settings,
                Err(code) => return code,
            };
            match migrate(&settings).await {
                Ok(()) => {
                    println!("migrations applied");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("migration failed: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Admin {
            command: AdminCommand::Create { email, name },
        } => {
            let settings = match load_settings(config, CommandLineOverrides::default()) {
                Ok(settings) => settings,
                Err(code) => return code,
            };
            create_admin(&settings, &email, &name).await
        }
        Command::Backup { to, data } => match settings_with_data(config, data) {
            Ok(settings) => finish(
                "backup",
                crate::backup::backup(&settings, &to).await.map(|manifest| {
                    format!(
                        "backup of the {} database written to {} ({} document versions{})",
                        manifest.database,
                        to.display(),
                        manifest.document_versions,
                        if manifest.includes_receipt_key {
                            ", with the receipt signing key: keep it as secret as the data"
                        } else {
                            ""
                        }
                    )
                }),
            ),
            Err(code) => code,
        },
        Command::Restore { file, data } => match settings_with_data(config, data) {
            Ok(settings) => finish(
                "restore",
                crate::backup::restore(&settings, &file)
                    .await
                    .map(|manifest| {
                        format!(
                            "restored the {} backup of {} ({} document versions); start the \
                         server to apply any newer migrations",
                            manifest.database, manifest.created_at, manifest.document_versions
                        )
                    }),
            ),
            Err(code) => code,
        },
        Command::Purge { dry_run, data } => match settings_with_data(config, data) {
            Ok(settings) => purge(&settings, dry_run).await,
            Err(code) => code,
        },
        Command::Inspect { .. }
        | Command::Keys { .. }
        | Command::Check(_)
        | Command::ImportNotice { .. }
        | Command::VerifyReceipt { .. }
        | Command::InspectWorker { .. } => ExitCode::from(2),
    }
}

/// `essay-portal purge [--dry-run]`: one line per vacancy purged, then the erasures.
async fn purge(settings: &Settings, dry_run: bool) -> ExitCode {
    let outcome = async {
        let db = crate::database::connect(settings)
            .await
            .map_err(|e| e.to_string())?;
        crate::database::migrate(&db)
            .await
            .map_err(|e| e.to_string())?;
        crate::service::privacy::purge(&db, settings.retention_months, Utc::now(), dry_run)
            .await
            .map_err(|e| e.to_string())
    }
    .await;
    match outcome {
        Ok(report) => {
            let verb = if dry_run { "would delete" } else { "deleted" };
            for vacancy in &report.vacancies {
                let c = &vacancy.counts;
                println!(
                    "{}: closed {}, kept {} months: {verb} {} applications, {} versions, {} files, \
                     {} upload attempts, {} scores, {} decisions",
                    vacancy.reference,
                    vacancy.closed_at.format("%Y-%m-%d"),
                    vacancy.retention_months,
                    c.applications,
                    c.document_versions,
                    c.files,
                    c.upload_attempts,
                    c.scores,
                    c.decisions
                );
            }
            println!(
                "{} vacancies {}; {} accounts {} on their owners' request",
                report.vacancies.len(),
                if dry_run { "due" } else { "purged" },
                report.accounts_erased,
                if dry_run { "due for erasure" } else { "erased" }
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("purge failed: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `essay-portal keys generate --to FILE`: prints the public key to publish beside it.
fn generate_key(to: &std::path::Path) -> ExitCode {
    match crate::service::receipts::ReceiptSigner::generate_to(to) {
        Ok(signer) => {
            println!(
                "receipt signing key written to {}; its public key is {}",
                to.display(),
                signer.public_key_base64()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("cannot write the key: {error}");
            ExitCode::FAILURE
        }
    }
}

fn read_password() -> std::io::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Password (at least 12 characters): ")
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

/// `essay-portal admin create --email E`: the password comes from standard input or a prompt.
async fn create_admin(settings: &Settings, email: &str, name: &str) -> ExitCode {
    let parsed = EmailAddress::parse(email).and_then(|e| FullName::parse(name).map(|n| (e, n)));
    let (email, name) = match parsed {
        Ok(parts) => parts,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let password = match read_password()
        .map_err(|e| e.to_string())
        .and_then(|p| Password::parse(&p))
    {
        Ok(password) => password,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let outcome = async {
        let db = crate::database::connect(settings).await?;
        crate::database::migrate(&db).await?;
        Ok::<_, sea_orm::DbErr>(db)
    }
    .await;
    let db = match outcome {
        Ok(db) => db,
        Err(error) => {
            eprintln!("database: {error}");
            return ExitCode::FAILURE;
        }
    };
    let created = accounts::create_with_password(
        &db,
        &email,
        &name,
        None,
        Role::Admin,
        &password,
        Utc::now(),
    )
    .await;
    match created {
        Ok(account) => {
            println!("admin {} created", account.email);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate(settings: &Settings) -> Result<(), sea_orm::DbErr> {
    let db = crate::database::connect(settings).await?;
    crate::database::migrate(&db).await
}

async fn serve(settings: Settings) -> ExitCode {
    crate::telemetry::init_tracing(&settings);
    let application = match Application::build(settings).await {
        Ok(application) => application,
        Err(error) => {
            tracing::error!(%error, "cannot start");
            eprintln!("cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(port = application.port(), "listening");
    match application.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("server error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// glibc raises its mmap threshold after large frees, so argon2's 19 MiB blocks would stay in
/// per-thread arenas (hundreds of MiB after a burst of logins). A fixed threshold keeps such
/// blocks mmapped and returns them to the OS when freed.
fn release_large_blocks_to_the_os() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
    }
}
