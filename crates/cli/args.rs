//! The command line; README.md ("Use it") documents it for users.

use clap::{Args, Parser, Subcommand, ValueEnum};
use entralint_lint::Severity;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "entralint",
    version,
    about = "Offline linter for Microsoft Entra ID tenant exports: Conditional Access, PIM activation chains, authentication strengths"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint export files and directories (default: the current directory).
    Check(CheckArgs),
    /// Show each privileged role's activation chain and its weakest link.
    Chains(ChainsArgs),
    /// Write a self-contained HTML report (and optionally a CSV action plan) for a security lead.
    Report(ReportArgs),
    /// List the rules.
    Rules {
        #[arg(short, long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
        /// Only these codes or prefixes, comma-separated (PIM, JSON001, ...).
        #[arg(long, value_delimiter = ',', value_name = "CODES")]
        select: Vec<String>,
    },
    /// Print a rule's documentation.
    Explain {
        /// A rule code or name, e.g. PIM001 or activation-mfa-claim-only.
        code: String,
    },
    /// Write a first entralint.toml for the export at PATH, with the break-glass accounts
    /// entralint would infer written commented out, for you to confirm.
    Init {
        /// The export's folder; the file is written in it (default: the current directory).
        #[arg(default_value = ".")]
        path: PathBuf,
    },
    /// Compare two exports: the findings introduced and resolved, and what changed in security
    /// terms (policies, scope, controls, activation chains). Exits 1 when a finding at or above
    /// --fail-on is introduced.
    Diff(DiffArgs),
    /// Which Conditional Access policies apply to one sign-in, decided offline from the export;
    /// with --activate, the PIM step of activating a role.
    Whatif(WhatifArgs),
    /// Print a completion script for SHELL (bash, elvish, fish, powershell, zsh).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `entralint man > entralint.1`.
    Man,
}

/// Which entralint.toml applies.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Use this configuration file (default: the nearest entralint.toml upward from the first PATH,
    /// else from the current directory).
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Use no configuration file.
    #[arg(long)]
    pub isolated: bool,
    /// The date suppressions expire against (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

#[derive(Debug, Args)]
pub struct ChainsArgs {
    /// Files and directories to read (default: the current directory; `-` is standard input).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[arg(short, long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// Accept a path with no JSON to read, or a run in which nothing is recognised.
    #[arg(long)]
    pub allow_empty: bool,
    /// Exit 0 even when a chain is broken or an input could not be read.
    #[arg(long)]
    pub exit_zero: bool,
}

#[derive(Debug, Args)]
pub struct WhatifArgs {
    /// The export (one tenant).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// The user signing in: object id or user principal name.
    #[arg(long)]
    pub user: String,
    /// The application: its id, or `Office365`. Without it (and with an authentication context
    /// or --activate), the step-up for the context alone.
    #[arg(long)]
    pub app: Option<String>,
    /// browser, mobileAppsAndDesktopClients, exchangeActiveSync or other.
    #[arg(long, default_value = "browser")]
    pub client: String,
    /// android, iOS, windows, macOS, linux, windowsPhone.
    #[arg(long)]
    pub platform: Option<String>,
    /// A named location id, `trusted` or `untrusted`.
    #[arg(long)]
    pub location: Option<String>,
    /// low, medium or high.
    #[arg(long)]
    pub user_risk: Option<String>,
    /// low, medium or high.
    #[arg(long)]
    pub sign_in_risk: Option<String>,
    /// An authentication context requested (c1 … c99).
    #[arg(long)]
    pub auth_context: Option<String>,
    /// Follow the activation of this directory role (its display name): its PIM requirement, and
    /// the policies on its authentication context.
    #[arg(long, value_name = "ROLE")]
    pub activate: Option<String>,
    #[arg(short, long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// OLD and NEW, folders or files; with --git, the one path to compare between revisions.
    #[arg(required = true, num_args = 1..=2, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Compare PATH at two revisions of its git repository: `main..HEAD`, `v1..v2`.
    #[arg(long, value_name = "A..B")]
    pub git: Option<String>,
    /// human, json (schemas/diff.schema.json), or markdown for a pull-request comment.
    #[arg(short, long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Lowest severity of an introduced finding that makes the exit status 1 (default: low).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Files and directories to read (default: the current directory; `-` is standard input).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Accept a path with no JSON to read, or a run in which nothing is recognised.
    #[arg(long)]
    pub allow_empty: bool,
    /// Write the HTML report to this file.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Also write the action plan, one CSV row per finding (code, severity, object, location,
    /// fix), to this file.
    #[arg(long, value_name = "FILE.csv")]
    pub action_plan: Option<PathBuf>,
    /// Absolute base URL of docs/rules/, for links to each rule's page (default: the
    /// repository's).
    #[arg(long, value_name = "BASE")]
    pub docs_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and directories to lint (`-` is standard input). Directories are walked for
    /// *.json, honouring .gitignore.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Accept a path with no JSON to read, or a run in which nothing is recognised.
    #[arg(long)]
    pub allow_empty: bool,
    #[arg(short, long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// How human output shows each finding: in full, with the excerpt of its file, or one line.
    #[arg(long, value_enum, value_name = "LAYOUT")]
    pub output_format: Option<OutputFormat>,
    /// Human output: the number of findings of each rule instead of the findings.
    #[arg(long, conflicts_with = "output_format")]
    pub statistics: bool,
    /// Human output: the findings only, no summary.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Human output: the summary in full (every kind loaded, every reason a rule was not
    /// evaluated, the configuration of each tenant); in every format, what each input was read as
    /// and the time taken, on standard error.
    #[arg(short, long)]
    pub verbose: bool,
    /// Exit 0 even when there are findings (usage and configuration errors are still 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Rule codes or prefixes to run, comma-separated (PIM, JSON001, ...). Default: all.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,
    /// Rule codes or prefixes not to run, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,
    /// Lowest severity that makes the exit status 1 (default: the configuration's, else low).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub baseline: BaselineArgs,
    /// Absolute base URL of docs/rules/, for links to each rule's page.
    #[arg(long, value_name = "BASE")]
    pub docs_url: Option<String>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Print suppressed findings in full in human output (default: one line each).
    #[arg(long)]
    pub show_suppressed: bool,
    /// Human output: end each finding's header line with the object id a `[[suppress]]` entry
    /// names to cover it (the concise layout always shows it).
    #[arg(long)]
    pub show_ids: bool,
    /// Append a `[[suppress]]` entry with a TODO justification for each current finding to its
    /// tenant's entralint.toml, and exit 0.
    #[arg(long, conflicts_with_all = ["write_baseline", "output"])]
    pub add_suppressions: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    // SARIF 2.1.0, for code scanning.
    Sarif,
    // GitHub Actions workflow commands (annotations), plus a step summary.
    Github,
    // JUnit XML, for Azure DevOps, GitLab and Jenkins.
    Junit,
    // The action plan: one CSV row per active finding (code, severity, rule, object, location,
    // finding, fix), as `report --action-plan` writes it.
    Csv,
}

/// `--output-format`: the layout of human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A header line per finding, then the excerpt of its file (the default).
    Full,
    /// One line per finding: `path:line:column: CODE [severity] message (object ID)`.
    Concise,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether human output is coloured. `--color always|never` decides; `auto` follows the
    /// conventions terminals and CI systems set (<https://no-color.org>,
    /// <https://bixense.com/clicolors/>): `NO_COLOR` (not empty) turns colour off, then
    /// `CLICOLOR_FORCE` (not empty, not `0`) turns it on even when the output is not a terminal,
    /// then a terminal whose `TERM` is `dumb`, or `CLICOLOR=0`, gets none; else colour goes to a
    /// terminal only.
    pub fn enabled(
        self,
        to_terminal: bool,
        env: impl Fn(&str) -> Option<std::ffi::OsString>,
    ) -> bool {
        let set = |name: &str| env(name).filter(|v| !v.is_empty());
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto if set("NO_COLOR").is_some() => false,
            Color::Auto if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") => true,
            Color::Auto if set("TERM").is_some_and(|v| v == "dumb") => false,
            Color::Auto if set("CLICOLOR").is_some_and(|v| v == "0") => false,
            Color::Auto => to_terminal,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Low,
    Medium,
    High,
    Critical,
}

impl FailOn {
    pub fn severity(self) -> Severity {
        match self {
            FailOn::Low => Severity::Low,
            FailOn::Medium => Severity::Medium,
            FailOn::High => Severity::High,
            FailOn::Critical => Severity::Critical,
        }
    }
}

/// Accept today's findings as known debt (crates/cli/baseline.rs).
#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Report only findings whose fingerprint is not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the fingerprints of today's findings in FILE and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::Color;
    use std::ffi::OsString;

    fn with<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn auto_colour_follows_the_environment() {
        let auto = |terminal, vars: &[(&str, &str)]| Color::Auto.enabled(terminal, with(vars));
        assert!(auto(true, &[]));
        assert!(!auto(false, &[]));
        assert!(!auto(true, &[("NO_COLOR", "1")]));
        // An empty NO_COLOR is unset.
        assert!(auto(true, &[("NO_COLOR", "")]));
        assert!(auto(false, &[("CLICOLOR_FORCE", "1")]));
        assert!(!auto(false, &[("CLICOLOR_FORCE", "0")]));
        assert!(!auto(false, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
        assert!(!auto(true, &[("TERM", "dumb")]));
        assert!(auto(true, &[("TERM", "xterm-256color")]));
        assert!(auto(true, &[("TERM", "dumb"), ("CLICOLOR_FORCE", "1")]));
        assert!(!auto(true, &[("CLICOLOR", "0")]));
        // The flag decides whatever the environment says.
        assert!(Color::Always.enabled(false, with(&[("NO_COLOR", "1")])));
        assert!(!Color::Never.enabled(true, with(&[("CLICOLOR_FORCE", "1")])));
    }
}
