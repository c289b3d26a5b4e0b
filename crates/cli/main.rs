//! entralint: the command line. Thin by design: arguments, file discovery, rendering.
//! The model lives in entralint-parser, the rules in entralint-lint.

mod args;
mod baseline;
mod config;
mod discover;
mod render;

use args::{ChainsArgs, CheckArgs, Cli, Command, ConfigArgs, FailOn, Format, ListFormat};
use clap::Parser;
use entralint_lint::{docs, rules, Settings, Severity};
use entralint_parser::{Encoding, Input, Tenant};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Chains(args) => chains(args),
        Command::Rules { format } => list_rules(format),
        Command::Explain { code } => explain(&code),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn check(args: CheckArgs) -> Result<ExitCode, String> {
    if let Some(url) = &args.docs_url {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(format!(
                "--docs-url `{url}` must be an absolute http(s) URL"
            ));
        }
    }
    let unknown: Vec<String> = args
        .select
        .iter()
        .chain(&args.ignore)
        .filter(|p| !entralint_lint::is_known_pattern(p))
        .map(|p| format!("`{p}`"))
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "no rule matches {} (see `entralint rules`)",
            unknown.join(", ")
        ));
    }
    let (tenant, mut settings) = load(&args.paths, &args.config)?;
    settings
        .run
        .select_from_command_line(&args.select, &args.ignore);
    let mut report = entralint_lint::run(&tenant, &settings);
    let baseline = baseline::Baseline::apply(&args.baseline, &tenant, &mut report)?;
    let baselined = baseline.outcome.as_ref();

    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let text = match args.format {
        Format::Json => render::json::render(&tenant, &report, baselined),
        Format::Sarif => {
            render::sarif::render(&tenant, &report, &settings.run, args.docs_url.as_deref())
        }
        Format::Github => {
            render::github::append_step_summary(&tenant, &report, baselined)?;
            render::github::render(&tenant, &report, baselined)
        }
        Format::Junit => render::junit::render(&tenant, &report),
        Format::Human => {
            let color = match args.color {
                args::Color::Always => true,
                args::Color::Never => false,
                args::Color::Auto => {
                    to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            let width = std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(100);
            let style = render::human::Style {
                color,
                width,
                docs_url: args.docs_url.clone(),
                show_suppressed: args.show_suppressed,
            };
            render::human::render(&tenant, &report, baselined, &style)
        }
    };
    baseline.write()?;
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => write_stdout(&text)?,
    }
    if baseline.writes() {
        // Writing a baseline accepts today's findings: it is not a failing run.
        return Ok(ExitCode::SUCCESS);
    }
    let threshold = args
        .fail_on
        .map(FailOn::severity)
        .or(settings.run.fail_on)
        .unwrap_or(Severity::Low);
    let failing = report
        .findings
        .iter()
        .any(|f| f.suppressed.is_none() && f.finding.severity >= threshold);
    Ok(ExitCode::from(u8::from(failing)))
}

/// Discovers and loads the files under `paths` as one tenant, with the settings that apply.
fn load(paths: &[PathBuf], args: &ConfigArgs) -> Result<(Tenant, Settings), String> {
    let files = discover::discover(paths).map_err(|e| e.0)?;
    let inputs = files.iter().map(|path| Input {
        path: discover::display(path),
        bytes: std::fs::read(path).map_err(|e| e.to_string()),
    });
    let config_file = if args.isolated {
        None
    } else {
        config::find(args.config.as_deref(), paths.first().map(PathBuf::as_path))
    };
    // Read the configuration before the export, so that a bad one stops early.
    let parsed = match &config_file {
        Some(path) => Some(config::read(path, &discover::display(path))?),
        None => None,
    };
    let mut tenant = entralint_parser::load(inputs);
    let mut settings = Settings::default();
    if let (Some(path), Some((text, parsed))) = (&config_file, parsed) {
        settings = parsed;
        settings.file = Some(tenant.sources.add(
            discover::display(path),
            text,
            Some(Encoding::Utf8),
            0,
        ));
    }
    settings.run.today = Some(config::today(args.today.as_deref())?);
    Ok((tenant, settings))
}

fn chains(args: ChainsArgs) -> Result<ExitCode, String> {
    let (tenant, settings) = load(&args.paths, &args.config)?;
    let report = entralint_lint::run(&tenant, &settings);
    let rows = entralint_lint::chains::chain_rows(&tenant, &settings, &report);
    let text = match args.format {
        ListFormat::Json => render::chains::json(&rows),
        ListFormat::Human => render::chains::human(&rows),
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn list_rules(format: ListFormat) -> Result<ExitCode, String> {
    let text = match format {
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = rules::ALL
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code,
                        "name": r.name,
                        "severity": r.severity.as_str(),
                        "summary": r.summary(),
                        "needs": r.needs.iter().map(|n| n.describe()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let mut s =
                serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "rules": list }))
                    .expect("the catalogue serialises");
            s.push('\n');
            s
        }
        ListFormat::Human => {
            let mut s = String::new();
            for r in rules::ALL.iter() {
                s.push_str(&format!(
                    "{:<8} {:<40} {:<9} {}\n",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.summary()
                ));
            }
            s
        }
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn explain(code: &str) -> Result<ExitCode, String> {
    let rule =
        rules::by_code(code).ok_or_else(|| format!("no rule `{code}` (see `entralint rules`)"))?;
    write_stdout(&docs::markdown(rule))?;
    write_stdout("\n")?;
    Ok(ExitCode::SUCCESS)
}

/// Writes to standard output; a closed pipe (`| head`) is not an error worth a panic.
fn write_stdout(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write to standard output: {e}")),
    }
}
