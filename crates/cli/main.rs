//! entralint: the command line. Thin by design: arguments, file discovery, rendering.
//! The model lives in entralint-parser, the rules in entralint-lint.

use entralint::{add_suppressions, args, baseline, diff, files, init, render, tenants};

use args::{
    ChainsArgs, CheckArgs, Cli, Command, FailOn, Format, ListFormat, OutputFormat, ReportArgs,
};
use clap::{Parser, ValueEnum};
use entralint_lint::{docs, rules, Severity};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Chains(args) => chains(args),
        Command::Report(args) => report(args),
        Command::Rules { format, select } => list_rules(format, &select),
        Command::Explain { code } => explain(&code),
        Command::Init { path } => init_config(&path),
        Command::Diff(args) => compare(args),
        Command::Whatif(args) => whatif(args),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command, "entralint", &mut out);
            write_stdout(&String::from_utf8_lossy(&out)).map(|()| ExitCode::SUCCESS)
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut out)
                .map_err(|e| e.to_string())
                .and_then(|()| write_stdout(&String::from_utf8_lossy(&out)))
                .map(|()| ExitCode::SUCCESS)
        }
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
    let started = std::time::Instant::now();
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
    check_docs_url(args.docs_url.as_deref())?;
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
    // The tenant (its index among the run's) of each file, for --add-suppressions.
    let mut tenant_of = std::collections::HashMap::new();
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
            tenant_of.entry(file).or_insert(reports.len());
        }
        reports.push(report);
        Ok(())
    })?;
    let tenant = &run.tenant;
    let loaded = started.elapsed();
    if args.verbose {
        log_inputs(&run);
    }
    // The outputs of earlier runs met among the inputs are said where the summary cannot say it.
    if args.format != Format::Human || args.quiet {
        for (path, what) in &run.skipped {
            eprintln!(
                "entralint: {}: entralint's own {what}, not read as an export",
                entralint_lint::diagnostic::printable(path)
            );
        }
    }
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
    if args.add_suppressions {
        return add_to_configs(&run, &report, &tenant_of);
    }

    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let text = match args.format {
        Format::Json => {
            render::json::render(tenant, &run.tenants, &report, baselined, &run.skipped)
        }
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
        Format::Csv => render::csv::action_plan(tenant, &report),
        Format::Human => {
            let color = args
                .color
                .enabled(to_terminal, |name| std::env::var_os(name));
            let width = terminal_width(to_terminal).unwrap_or(100);
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
                skipped: run.skipped.clone(),
            };
            render::human::render(tenant, &report, baselined, &style)
        }
    };
    let wrote = baseline.write()?;
    match (&args.output, wrote) {
        (Some(path), wrote) => {
            std::fs::write(path, text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            if let Some(line) = wrote {
                write_stdout(&format!("{line}\n"))?;
            }
        }
        // Writing a baseline prints one line, not the findings it accepts.
        (None, Some(line)) => write_stdout(&format!("{line}\n"))?,
        (None, None) => write_stdout(&text)?,
    }
    if args.verbose {
        eprintln!(
            "entralint: read and linted {} ({:.1} MB) in {} ms; reported in {} ms",
            plural(run.inputs.len(), "file"),
            run.bytes as f64 / 1e6,
            loaded.as_millis(),
            (started.elapsed() - loaded).as_millis()
        );
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

/// `--verbose`: what each input was read as, on standard error (the report stays as it is).
fn log_inputs(run: &tenants::Run) {
    let sources = &run.tenant.sources;
    let inv = &run.tenant.inventory;
    let ids: std::collections::HashMap<&str, entralint_parser::FileId> = sources
        .files()
        .map(|(id, f)| (f.path.as_str(), id))
        .collect();
    let mut out = String::new();
    for path in &run.inputs {
        let id = ids.get(path.as_str());
        let what = match id.and_then(|id| inv.per_file.get(id)) {
            Some(kinds) => kinds
                .iter()
                .map(|(kind, n)| kind.label(*n))
                .collect::<Vec<_>>()
                .join(", "),
            None if id.is_some_and(|id| inv.unrecognized.contains(id)) => {
                "valid JSON of no shape entralint knows: skipped".to_owned()
            }
            None => "nothing read (its findings say why)".to_owned(),
        };
        out.push_str(&format!(
            "entralint: read {}: {what}\n",
            entralint_lint::diagnostic::printable(path)
        ));
    }
    for (path, what) in &run.skipped {
        out.push_str(&format!(
            "entralint: skipped {}: entralint's own {what}\n",
            entralint_lint::diagnostic::printable(path)
        ));
    }
    eprint!("{out}");
}

fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// `--add-suppressions`: appends an entry per current finding to its tenant's entralint.toml.
fn add_to_configs(
    run: &tenants::Run,
    report: &entralint_lint::Report,
    tenant_of: &std::collections::HashMap<entralint_parser::FileId, usize>,
) -> Result<ExitCode, String> {
    let plan = add_suppressions::plan(&run.tenant.sources, report, |file| {
        let info = tenant_of.get(&file).and_then(|i| run.tenants.get(*i));
        match info.and_then(|t| t.config.clone()) {
            Some(config) => Ok(config),
            None => {
                let root = info.map_or(".", |t| t.root.as_str());
                Err(format!(
                    "no entralint.toml applies to the findings in {root}: write one with `entralint init {root}` (or name one with --config), then add the suppressions"
                ))
            }
        }
    })?;
    // Every file is made and checked before any is written.
    let mut writes = Vec::new();
    for (config, entries) in &plan.files {
        let existing =
            std::fs::read_to_string(config).map_err(|e| format!("cannot read {config}: {e}"))?;
        let text = add_suppressions::appended(&existing, entries);
        entralint_lint::config_file::parse(&text).map_err(|e| {
            format!(
                "{config}: the suppressions cannot be added ({}); nothing was written",
                e.message
            )
        })?;
        writes.push((config, text, entries.matches("[[suppress]]").count()));
    }
    for (config, text, _) in &writes {
        std::fs::write(config, text).map_err(|e| format!("cannot write {config}: {e}"))?;
    }
    let mut out = String::new();
    for (config, _, n) in &writes {
        out.push_str(&format!(
            "added {n} suppression{} to {} (replace each TODO justification)\n",
            if *n == 1 { "" } else { "s" },
            entralint_lint::diagnostic::printable(config)
        ));
    }
    if writes.is_empty() {
        out.push_str("no finding left that a suppression can cover: nothing added\n");
    }
    write_stdout(&out)?;
    if !plan.uncovered.is_empty() {
        eprintln!(
            "entralint: {} finding{} name no object a suppression can cover (fix, baseline or --ignore them): {}",
            plan.uncovered.len(),
            if plan.uncovered.len() == 1 { "" } else { "s" },
            entralint_lint::diagnostic::printable(&plan.uncovered.join(", "))
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `entralint diff`.
fn compare(args: args::DiffArgs) -> Result<ExitCode, String> {
    let (old, new) = match (&args.git, args.paths.as_slice()) {
        (None, [old, new]) => (
            diff::read(std::slice::from_ref(old), &args.config)?,
            diff::read(std::slice::from_ref(new), &args.config)?,
        ),
        (None, _) => return Err("diff compares two paths: OLD NEW (or --git A..B PATH)".to_owned()),
        (Some(range), [path]) => {
            let Some((a, b)) = range
                .split_once("..")
                .filter(|(a, b)| !a.is_empty() && !b.is_empty())
            else {
                return Err(format!("--git `{range}` is not a range A..B"));
            };
            // Each revision in a folder of its own, read from there so that paths show as in the
            // repository and the configuration is the revision's.
            let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
            let side = |rev: &str, label: &str| -> Result<(diff::Side, diff::TempDir), String> {
                let dir = diff::TempDir::new(label)?;
                let inside = diff::checkout(rev, path, &dir.0)?;
                std::env::set_current_dir(&dir.0).map_err(|e| e.to_string())?;
                let read = diff::read(&[inside], &args.config);
                std::env::set_current_dir(&cwd).map_err(|e| e.to_string())?;
                Ok((read?, dir))
            };
            let (old, _old_dir) = side(a, "old")?;
            let (new, _new_dir) = side(b, "new")?;
            (old, new)
        }
        (Some(_), _) => return Err("--git compares one PATH between two revisions".to_owned()),
    };
    let comparison = diff::compare(&old, &new)?;
    write_stdout(&diff::render(&comparison, &old, &new, args.format))?;
    let threshold = args.fail_on.map_or(Severity::Low, FailOn::severity);
    Ok(ExitCode::from(u8::from(diff::fails(
        &comparison,
        threshold,
    ))))
}

/// `entralint whatif`.
fn whatif(args: args::WhatifArgs) -> Result<ExitCode, String> {
    use entralint_lint::whatif;
    let mut out: Option<Result<String, String>> = None;
    let mut tenants_seen = 0;
    tenants::load(&args.paths, &args.config, false, |loaded| {
        tenants_seen += 1;
        let (tenant, symbols) =
            entralint_lint::symbols::resolve(loaded.tenant, &loaded.settings.tenant);
        let analysis = entralint_lint::analysis::Analysis::new(&tenant, &loaded.settings)
            .with_symbols(symbols);
        let wanted = args.user.as_str();
        let user = tenant.users.iter().find(|u| {
            u.id.as_ref()
                .is_some_and(|i| i.eq_ignore_ascii_case(wanted))
                || u.user_principal_name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(wanted))
        });
        let Some(user) = user.and_then(|u| u.id.clone().map(|id| (id, u))) else {
            out = Some(Err(format!(
                "no user `{wanted}` in the export: whatif needs the user's object (and their group and role memberships) to decide"
            )));
            return Ok(());
        };
        let mut request = whatif::Request {
            user: user.0.clone(),
            app: args.app.clone(),
            client: args.client.clone(),
            platform: args.platform.clone(),
            location: args.location.clone(),
            user_risk: args.user_risk.clone(),
            sign_in_risk: args.sign_in_risk.clone(),
            auth_context: args.auth_context.clone(),
        };
        let activation = match &args.activate {
            Some(role) => match whatif::activation(&analysis, role, &user.0) {
                Some(a) => {
                    if a.context.is_some() {
                        request.auth_context = a.context.clone();
                    }
                    Some(a)
                }
                None => {
                    out = Some(Err(format!(
                        "no PIM policy for a role named `{role}` in the export"
                    )));
                    return Ok(());
                }
            },
            None => None,
        };
        let results = whatif::evaluate(&analysis, &request);
        let name = user
            .1
            .display_name
            .clone()
            .unwrap_or_else(|| user.0.to_string());
        out = Some(Ok(match args.format {
            ListFormat::Json => {
                let mut s = serde_json::to_string_pretty(&serde_json::json!({
                    "version": 1,
                    "user": user.0.to_string(),
                    "activation": activation,
                    "policies": results,
                }))
                .expect("the what-if serialises");
                s.push('\n');
                s
            }
            ListFormat::Human => {
                render::whatif::human(&name, &request, activation.as_ref(), &results)
            }
        }));
        Ok(())
    })?;
    if tenants_seen > 1 {
        return Err("whatif reads one tenant: name one export".to_owned());
    }
    write_stdout(&out.unwrap_or_else(|| Err("nothing read".to_owned()))?)?;
    Ok(ExitCode::SUCCESS)
}

/// `entralint init [PATH]`.
fn init_config(path: &std::path::Path) -> Result<ExitCode, String> {
    if !path.is_dir() {
        return Err(format!(
            "{} is not a folder: `entralint init` writes entralint.toml into the export's folder",
            path.display()
        ));
    }
    let target = path.join(entralint::config::FILE_NAME);
    let shown = entralint::discover::display(&target);
    if target.exists() {
        return Err(format!("{shown} exists; it was left as it is"));
    }
    let isolated = args::ConfigArgs {
        config: None,
        isolated: true,
        today: None,
    };
    let mut text = None;
    tenants::load(&[path.to_path_buf()], &isolated, false, |loaded| {
        text = Some(init::config_text(loaded.tenant));
        Ok(())
    })?;
    let (text, proposed) = text.unwrap_or_default();
    entralint_lint::config_file::parse(&text).map_err(|e| {
        format!(
            "the configuration made for {shown} does not parse: {}",
            e.message
        )
    })?;
    // Created, never replaced: a file that appeared meanwhile is kept.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .map_err(|e| format!("cannot write {shown}: {e}"))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {shown}: {e}"))?;
    let accounts = match proposed {
        0 => "no break-glass account could be inferred: declare yours".to_owned(),
        n => format!(
            "{n} inferred break-glass account{} written commented out: confirm {}",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        ),
    };
    write_stdout(&format!(
        "wrote {} ({accounts}; every key: {})\n",
        entralint_lint::diagnostic::printable(&shown),
        init::docs_link()
    ))?;
    Ok(ExitCode::SUCCESS)
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
        ListFormat::Human => {
            render::chains::human(&rows, terminal_width(std::io::stdout().is_terminal()))
        }
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

/// `entralint report`: the HTML report and, with `--action-plan`, the CSV action plan.
fn report(args: ReportArgs) -> Result<ExitCode, String> {
    check_docs_url(args.docs_url.as_deref())?;
    if args.action_plan.as_ref() == Some(&args.output) {
        return Err("--output and --action-plan name the same file".to_owned());
    }
    let mut rows = Vec::new();
    let mut coverage = Vec::new();
    let mut reports = Vec::new();
    let run = tenants::load(&args.paths, &args.config, args.allow_empty, |loaded| {
        let mut report = entralint_lint::run(loaded.tenant, &loaded.settings);
        loaded.keep(&mut report);
        rows.extend(entralint_lint::chains::chain_rows(
            loaded.tenant,
            &loaded.settings,
            &report,
        ));
        coverage.extend(entralint_lint::coverage::coverage(
            loaded.tenant,
            &loaded.settings,
        ));
        reports.push(report);
        Ok(())
    })?;
    let outputs: Vec<files::Output> = [
        Some(files::Output {
            what: "the report (--output)",
            path: &args.output,
            regular: false,
        }),
        args.action_plan.as_deref().map(|path| files::Output {
            what: "the action plan (--action-plan)",
            path,
            regular: false,
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    files::check_outputs(&outputs, &run.read)?;
    let tenant = &run.tenant;
    let report = tenants::merge(&tenant.sources, reports);
    let page = render::html::Page {
        tenant,
        tenants: &run.tenants,
        report: &report,
        chains: &rows,
        coverage: &coverage,
        docs_url: args.docs_url.as_deref(),
        skipped: &run.skipped,
    };
    let write = |path: &std::path::Path, text: String| {
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(&args.output, render::html::render(&page))?;
    let mut line = format!(
        "wrote {} ({}, {})",
        entralint_lint::diagnostic::printable(&args.output.display().to_string()),
        plural(
            report.findings.len() - render::suppressed(&report),
            "finding"
        ),
        plural(rows.len(), "activation chain")
    );
    if let Some(path) = &args.action_plan {
        write(path, render::csv::action_plan(tenant, &report))?;
        line.push_str(&format!(
            " and {}",
            entralint_lint::diagnostic::printable(&path.display().to_string())
        ));
    }
    write_stdout(&format!("{line}\n"))?;
    Ok(ExitCode::SUCCESS)
}

/// `--docs-url` is an absolute http(s) URL.
fn check_docs_url(url: Option<&str>) -> Result<(), String> {
    match url {
        Some(url) if !(url.starts_with("https://") || url.starts_with("http://")) => Err(format!(
            "--docs-url `{url}` must be an absolute http(s) URL"
        )),
        _ => Ok(()),
    }
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
/// The width human output fits: `COLUMNS` when set (shells do not export it, so it is a choice),
/// else the terminal's, when the output goes to one.
fn terminal_width(to_terminal: bool) -> Option<usize> {
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok());
    columns.filter(|c| *c > 0).or_else(|| {
        to_terminal
            .then(terminal_size::terminal_size)
            .flatten()
            .map(|(terminal_size::Width(w), _)| usize::from(w))
    })
}

fn write_stdout(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write to standard output: {e}")),
    }
}
