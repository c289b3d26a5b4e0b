//! entralint: the command line. Thin by design: arguments, file discovery, rendering.
//! The model lives in entralint-parser, the rules in entralint-lint.

use entralint::{args, baseline, files, render, tenants};

use args::{ChainsArgs, CheckArgs, Cli, Command, FailOn, Format, ListFormat, OutputFormat};
use clap::{Parser, ValueEnum};
use entralint_lint::{docs, rules, Severity};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Chains(args) => chains(args),
        Command::Rules { format, select } => list_rules(format, &select),
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

fn check(mut args: CheckArgs) -> Result<ExitCode, String> {
    // `--select "PIM, BG"`: the spaces around each code are not part of it.
    for (flag, list) in [
        ("--select", &mut args.select),
        ("--ignore", &mut args.ignore),
    ] {
        let given = !list.is_empty();
        *list = trimmed(list);
        if given && list.is_empty() {
            return Err(format!("{flag} names no rule code or prefix"));
        }
    }
    if args.format != Format::Human && (args.output_format.is_some() || args.statistics) {
        return Err(format!(
            "{} shapes human output only; it cannot be used with --format {}",
            if args.statistics {
                "--statistics"
            } else {
                "--output-format"
            },
            args.format
                .to_possible_value()
                .map(|v| v.get_name().to_owned())
                .unwrap_or_default()
        ));
    }
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
    if args
        .baseline
        .baseline
        .as_ref()
        .is_some_and(|b| b.as_os_str() == "-")
        && args.paths.iter().any(|p| p.as_os_str() == "-")
    {
        return Err(
            "standard input (`-`) cannot be both an input and the baseline: name the baseline's file"
                .to_owned(),
        );
    }
    let threshold_given = args.fail_on.map(FailOn::severity);
    let mut reports = Vec::new();
    // The rule catalogue of SARIF gives each rule one severity: the first tenant's settings'.
    let mut first_policy: Option<entralint_lint::settings::RunPolicy> = None;
    // The threshold of each file's tenant (the files of earlier tenants are already in the map).
    let mut thresholds = std::collections::HashMap::new();
    let run = tenants::load(&args.paths, &args.config, args.allow_empty, |loaded| {
        let mut settings = loaded.settings.clone();
        settings
            .run
            .select_from_command_line(&args.select, &args.ignore);
        let mut report = entralint_lint::run(loaded.tenant, &settings);
        loaded.keep(&mut report);
        first_policy.get_or_insert_with(|| settings.run.clone());
        // Each tenant fails on its own threshold: the command line's, else its configuration's.
        let threshold = threshold_given
            .or(settings.run.fail_on)
            .unwrap_or(Severity::Low);
        for (file, _) in loaded.tenant.sources.files() {
            thresholds.entry(file).or_insert(threshold);
        }
        reports.push(report);
        Ok(())
    })?;
    let tenant = &run.tenant;
    // Every output is checked before any is written.
    let step_summary = match args.format {
        Format::Github => render::github::step_summary_file(),
        _ => None,
    };
    let outputs: Vec<files::Output> = [
        args.output.as_deref().map(|path| files::Output {
            what: "the report (--output)",
            path,
            regular: false,
        }),
        args.baseline
            .write_baseline
            .as_deref()
            .map(|path| files::Output {
                what: "the baseline (--write-baseline)",
                path,
                regular: true,
            }),
        step_summary.as_deref().map(|path| files::Output {
            what: "the step summary (GITHUB_STEP_SUMMARY)",
            path,
            regular: true,
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    files::check_outputs(&outputs, &run.read)?;
    let first_policy = first_policy.unwrap_or_default();
    let mut report = tenants::merge(&tenant.sources, reports);
    let baseline = baseline::Baseline::apply(&args.baseline, tenant, &mut report)?;
    let baselined = baseline.outcome.as_ref();

    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let text = match args.format {
        Format::Json => render::json::render(tenant, &run.tenants, &report, baselined),
        Format::Sarif => {
            render::sarif::render(tenant, &report, &first_policy, args.docs_url.as_deref())
        }
        Format::Github => {
            if let Some(path) = &step_summary {
                render::github::append_step_summary(path, tenant, &report, baselined)?;
            }
            render::github::render(tenant, &report, baselined)
        }
        Format::Junit => render::junit::render(tenant, &report),
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
            let layout = if args.statistics {
                render::human::Layout::Statistics
            } else if args.output_format == Some(OutputFormat::Concise) {
                render::human::Layout::Concise
            } else {
                render::human::Layout::Full
            };
            let style = render::human::Style {
                color,
                width,
                docs_url: args.docs_url.clone(),
                show_suppressed: args.show_suppressed,
                show_ids: args.show_ids,
                tenants: run.tenants.clone(),
                layout,
                quiet: args.quiet,
                verbose: args.verbose,
            };
            render::human::render(tenant, &report, baselined, &style)
        }
    };
    baseline.write()?;
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => write_stdout(&text)?,
    }
    if baseline.writes() || args.exit_zero {
        // Writing a baseline accepts today's findings: it is not a failing run.
        return Ok(ExitCode::SUCCESS);
    }
    let failing = report.findings.iter().any(|f| {
        let threshold = thresholds.get(&f.file).copied().unwrap_or(Severity::Low);
        f.suppressed.is_none() && f.finding.severity >= threshold
    });
    Ok(ExitCode::from(u8::from(failing)))
}

fn chains(args: ChainsArgs) -> Result<ExitCode, String> {
    let mut rows = Vec::new();
    let mut reports = Vec::new();
    let run = tenants::load(&args.paths, &args.config, args.allow_empty, |loaded| {
        let mut report = entralint_lint::run(loaded.tenant, &loaded.settings);
        loaded.keep(&mut report);
        rows.extend(entralint_lint::chains::chain_rows(
            loaded.tenant,
            &loaded.settings,
            &report,
        ));
        reports.push(report);
        Ok(())
    })?;
    let tenant = run.tenant;
    let report = tenants::merge(&tenant.sources, reports);
    let text = match args.format {
        ListFormat::Json => render::chains::json(&rows),
        ListFormat::Human => render::chains::human(&rows),
    };
    write_stdout(&text)?;
    // The chains of an input that could not be read (fully) are missing from the table: say so,
    // where `check` would, and fail.
    let unread: Vec<&entralint_lint::Resolved> = report
        .findings
        .iter()
        .filter(|f| f.finding.code.starts_with("JSON"))
        .collect();
    for f in &unread {
        eprintln!(
            "entralint: {}:{}:{}: {} ({}); chains from this input may be missing",
            tenant.sources.path(f.file),
            f.start.line,
            f.start.column,
            entralint_lint::diagnostic::printable(&f.finding.message),
            f.finding.code
        );
    }
    let broken = rows.iter().any(|r| r.verdict == "broken");
    let failing = (broken || !unread.is_empty()) && !args.exit_zero;
    Ok(ExitCode::from(u8::from(failing)))
}

fn list_rules(format: ListFormat, select: &[String]) -> Result<ExitCode, String> {
    let patterns = trimmed(select);
    if !select.is_empty() && patterns.is_empty() {
        return Err("--select names no rule code or prefix".to_owned());
    }
    let unknown: Vec<String> = patterns
        .iter()
        .filter(|p| !entralint_lint::is_known_pattern(p))
        .map(|p| format!("`{p}`"))
        .collect();
    if !unknown.is_empty() {
        return Err(format!("no rule matches {}", unknown.join(", ")));
    }
    let listed: Vec<&'static entralint_lint::Rule> = rules::ALL
        .iter()
        .copied()
        .filter(|r| {
            patterns.is_empty()
                || patterns
                    .iter()
                    .any(|p| entralint_lint::settings::pattern_matches(p, r.code))
        })
        .collect();
    let text = match format {
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = listed
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
            for r in &listed {
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

/// The codes of a comma-separated list, without the spaces around them; empty entries dropped.
fn trimmed(codes: &[String]) -> Vec<String> {
    codes
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `entralint explain PIM001` or `entralint explain activation-mfa-claim-only`.
fn explain(code: &str) -> Result<ExitCode, String> {
    let wanted = code.trim();
    let rule = rules::by_code(wanted)
        .or_else(|| {
            rules::ALL
                .iter()
                .copied()
                .find(|r| r.name.eq_ignore_ascii_case(wanted))
        })
        .ok_or_else(|| format!("no rule `{code}` (see `entralint rules`)"))?;
    // The page as docs/rules has it, less the path of the rule's source file: the binary is
    // read far from the repository.
    let markdown = docs::markdown(rule);
    let page: Vec<&str> = markdown
        .lines()
        .filter(|l| !l.starts_with("- Source: "))
        .collect();
    write_stdout(&page.join("\n"))?;
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
