//! The conventions linter users reach for: the run's own outputs are never read back as input,
//! colour follows CLICOLOR_FORCE and NO_COLOR, `init` writes a first configuration,
//! `--add-suppressions` accepts today's findings with a TODO each, `completions` and `man`.

mod common;

use common::{command, entralint_in, json, risky_copy, stderr, stdout};

/// The findings and files of a run over `tenant`, for comparisons.
fn counts(dir: &std::path::Path) -> (usize, u64) {
    let report = json(&entralint_in(dir, &["check", "tenant", "--format", "json"]));
    (
        report["findings"].as_array().unwrap().len(),
        report["inventory"]["files"].as_u64().unwrap(),
    )
}

#[test]
fn reports_and_baselines_written_inside_the_tree_are_not_read_back() {
    let dir = risky_copy();
    let d = dir.path();
    let before = counts(d);
    let report = json(&entralint_in(d, &["check", "tenant", "--format", "json"]));
    assert_eq!(report["inventory"]["skipped"], serde_json::json!([]));

    let o = entralint_in(
        d,
        &["check", "tenant", "--write-baseline", "tenant/bl.json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for (format, file) in [
        ("json", "tenant/report.json"),
        ("sarif", "tenant/r.sarif.json"),
    ] {
        let o = entralint_in(d, &["check", "tenant", "-f", format, "-o", file]);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
    }
    let o = entralint_in(d, &["chains", "tenant", "--format", "json"]);
    std::fs::write(d.join("tenant/chains.json"), &o.stdout).unwrap();

    // The same findings over the same files: the outputs are not inputs, and each is named.
    assert_eq!(counts(d), before);
    let report = json(&entralint_in(d, &["check", "tenant", "--format", "json"]));
    let skipped: Vec<(&str, &str)> = report["inventory"]["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["file"].as_str().unwrap(), s["what"].as_str().unwrap()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("tenant/bl.json", "baseline"),
            ("tenant/chains.json", "chains table"),
            ("tenant/r.sarif.json", "SARIF report"),
            ("tenant/report.json", "report"),
        ]
    );
    assert_eq!(report["inventory"]["unrecognized"], serde_json::json!([]));
    let human = stdout(&entralint_in(d, &["check", "tenant"]));
    assert!(
        human.contains(" · 4 entralint outputs not read (the baseline tenant/bl.json and 3 more)"),
        "{human}"
    );
    // In formats without a human summary, standard error names each.
    let o = entralint_in(d, &["check", "tenant", "-f", "sarif"]);
    assert!(
        stderr(&o).contains(
            "entralint: tenant/report.json: entralint's own report, not read as an export"
        ),
        "{}",
        stderr(&o)
    );
    // Not an input, an old report may be written over.
    let o = entralint_in(
        d,
        &["check", "tenant", "-f", "json", "-o", "tenant/report.json"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // Named alone, an output is refused as holding nothing to lint, and said to be one.
    let o = entralint_in(d, &["check", "--isolated", "tenant/report.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("tenant/report.json is entralint's own report, not an export"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn colour_follows_clicolor_force_and_no_color_when_piped() {
    let dir = risky_copy();
    let run = |vars: &[(&str, &str)]| {
        let mut c = command(dir.path());
        c.env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR");
        for (k, v) in vars {
            c.env(k, v);
        }
        let o = c.args(["check", "tenant"]).output().unwrap();
        stdout(&o).contains('\u{1b}')
    };
    assert!(!run(&[]), "piped: no colour");
    assert!(run(&[("CLICOLOR_FORCE", "1")]));
    assert!(!run(&[("CLICOLOR_FORCE", "0")]));
    assert!(!run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
}

#[test]
fn init_writes_a_configuration_that_parses_and_proposes_the_inferred_break_glass() {
    let dir = risky_copy();
    let d = dir.path();
    std::fs::remove_file(d.join("tenant/entralint.toml")).unwrap();
    let o = entralint_in(d, &["init", "tenant"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with(
            "wrote tenant/entralint.toml (1 inferred break-glass account written commented out: confirm it; every key: https://"
        ),
        "{}",
        stdout(&o)
    );
    let text = std::fs::read_to_string(d.join("tenant/entralint.toml")).unwrap();
    common::snapshot("init", || insta::assert_snapshot!("init", text));
    // Commented out, the proposal changes nothing: the run is as without a configuration.
    let with = json(&entralint_in(d, &["check", "tenant", "--format", "json"]));
    let without = json(&entralint_in(
        d,
        &["check", "--isolated", "tenant", "--format", "json"],
    ));
    assert_eq!(
        with["findings"].as_array().unwrap().len(),
        without["findings"].as_array().unwrap().len()
    );
    assert_eq!(with["tenants"][0]["config"], "tenant/entralint.toml");
    // Confirmed (uncommented), it declares the group.
    let confirmed = text
        .replace("# break-glass = [", "break-glass = [")
        .replace("#   { group-id", "  { group-id")
        .replace("# ]\n", "]\n");
    std::fs::write(d.join("tenant/entralint.toml"), confirmed).unwrap();
    let o = entralint_in(d, &["check", "tenant", "--format", "json"]);
    assert!(o.status.code() == Some(1), "{}", stderr(&o));
    let messages = stdout(&o);
    assert!(
        !messages.contains("break-glass accounts inferred"),
        "declared now"
    );

    // A second init leaves the file as it is.
    let o = entralint_in(d, &["init", "tenant"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("tenant/entralint.toml exists; it was left as it is"));
    // A folder with nothing to read is refused, as `check` refuses it.
    std::fs::create_dir(d.join("empty")).unwrap();
    let o = entralint_in(d, &["init", "empty"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!d.join("empty/entralint.toml").exists());
    let o = entralint_in(d, &["init", "nowhere"]);
    assert!(
        stderr(&o).contains("nowhere is not a folder"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn add_suppressions_accepts_every_finding_a_suppression_can_cover() {
    let dir = risky_copy();
    let d = dir.path();
    let config = d.join("tenant/entralint.toml");
    let original = std::fs::read_to_string(&config).unwrap();
    let before = json(&entralint_in(d, &["check", "tenant", "--format", "json"]));
    let active = |r: &serde_json::Value| -> Vec<String> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["suppressed"].is_null())
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(active(&before).len() > 10);

    let o = entralint_in(d, &["check", "tenant", "--add-suppressions"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let line = stdout(&o);
    assert!(
        line.starts_with("added ")
            && line.ends_with(" to tenant/entralint.toml (replace each TODO justification)\n"),
        "{line}"
    );
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.starts_with(&original), "what the file held is kept");
    let added =
        text.matches("\n[[suppress]]\n").count() - original.matches("\n[[suppress]]\n").count();
    assert!(
        line.starts_with(&format!("added {added} suppressions")),
        "{line}"
    );
    assert!(text.contains("justification = \"TODO: say why"));
    // The findings about the tenant as a whole are named on standard error: `CODE at file:l:c`.
    let err = stderr(&o);
    let (_, listed) = err
        .split_once("name no object a suppression can cover (fix, baseline or --ignore them): ")
        .unwrap_or_else(|| panic!("{err}"));
    let uncovered: Vec<String> = listed
        .trim_end()
        .split(", ")
        .map(|item| item.split(" at ").next().unwrap().to_owned())
        .collect();
    assert!(!uncovered.is_empty());

    // Now only those are left.
    let after = json(&entralint_in(d, &["check", "tenant", "--format", "json"]));
    let mut left = active(&after);
    left.sort();
    let mut expected = uncovered.clone();
    expected.sort();
    assert_eq!(left, expected);
    // And a second run adds nothing.
    let o = entralint_in(d, &["check", "tenant", "--add-suppressions"]);
    assert_eq!(
        stdout(&o),
        "no finding left that a suppression can cover: nothing added\n"
    );
    assert_eq!(std::fs::read_to_string(&config).unwrap(), text);
}

#[test]
fn add_suppressions_without_a_configuration_says_to_write_one_and_writes_nothing() {
    let dir = risky_copy();
    let d = dir.path();
    std::fs::remove_file(d.join("tenant/entralint.toml")).unwrap();
    let o = entralint_in(d, &["check", "--isolated", "tenant", "--add-suppressions"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("entralint init"), "{}", stderr(&o));
    assert!(!d.join("tenant/entralint.toml").exists());
    let o = entralint_in(
        d,
        &[
            "check",
            "tenant",
            "--add-suppressions",
            "--write-baseline",
            "b.json",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "conflicting flags");
}

#[test]
fn completions_and_man_page_come_from_the_command_line_definition() {
    let d = common::root();
    let bash = stdout(&entralint_in(&d, &["completions", "bash"]));
    for word in [
        "check",
        "chains",
        "explain",
        "init",
        "--add-suppressions",
        "--output-format",
    ] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    let fish = stdout(&entralint_in(&d, &["completions", "fish"]));
    assert!(fish.contains("complete -c entralint"), "{fish}");
    let man = stdout(&entralint_in(&d, &["man"]));
    assert!(man.contains(".TH entralint 1"), "{man}");
    assert!(man.contains("completions"), "subcommands listed");
    let o = entralint_in(&d, &["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn chains_fit_the_width_they_are_given() {
    let d = common::root();
    let o = command(&d)
        .env("COLUMNS", "72")
        .args(["chains", "examples/contoso-risky"])
        .output()
        .unwrap();
    let text = stdout(&o);
    assert!(text.contains("BROKEN"), "{text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 72, "wider than 72: {line:?}");
    }
    assert!(text.contains('…'), "names cut to fit: {text}");
    // Piped with no width asked for, nothing is cut but the longest cells.
    let o = command(&d)
        .env_remove("COLUMNS")
        .args(["chains", "examples/contoso-risky"])
        .output()
        .unwrap();
    assert!(stdout(&o).contains("Privileged Authentication Administrator"));
}

#[test]
fn verbose_says_what_each_input_was_read_as_and_the_time_on_standard_error() {
    let dir = risky_copy();
    let d = dir.path();
    std::fs::write(d.join("tenant/package.json"), "{\"name\": \"x\"}").unwrap();
    let quiet = entralint_in(d, &["check", "tenant", "-f", "json"]);
    let o = entralint_in(d, &["check", "tenant", "-f", "json", "-v"]);
    // The report is the same; the log is on standard error.
    assert_eq!(o.stdout, quiet.stdout);
    let err = stderr(&o);
    assert!(
        err.contains(
            "entralint: read tenant/graph/authenticationStrengthPolicies.json: 5 strengths\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("entralint: read tenant/package.json: valid JSON of no shape entralint knows: skipped\n"),
        "{err}"
    );
    let files = json(&quiet)["inventory"]["files"].as_u64().unwrap();
    assert_eq!(err.matches("entralint: read tenant/").count() as u64, files);
    assert!(
        err.contains(&format!("entralint: read and linted {files} files ("))
            && err.contains(" ms; reported in "),
        "{err}"
    );
}

#[test]
fn findings_on_one_value_are_shown_together_the_most_severe_first() {
    let o = entralint_in(&common::root(), &["check", "examples/contoso-risky"]);
    let text = stdout(&o);
    let headers: Vec<&str> = text.lines().filter(|l| common::is_header(l)).collect();
    // Each header ends with its location; one that repeats the previous one's follows it at once
    // and shows no excerpt of its own.
    let place = |h: &str| h.rsplit(" — ").next().unwrap().to_owned();
    let mut seen = std::collections::HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        if let Some(first) = seen.insert(place(h), i) {
            assert_eq!(first + 1, i, "not adjacent: {h}");
        }
    }
    assert!(text.contains("  ↳ the same value as the finding above; help: "));
    // BG006 and HYG006 on the service-account exclusion of CA100: the high one first.
    let bg006 = headers
        .iter()
        .position(|h| h.contains("BG006") && h.ends_with(".json:41:9"))
        .unwrap();
    assert!(
        headers[bg006 + 1].starts_with("○ HYG006"),
        "{}",
        headers[bg006 + 1]
    );
}

#[test]
fn check_writes_the_action_plan_that_report_writes() {
    let dir = risky_copy();
    let d = dir.path();
    let o = entralint_in(
        d,
        &[
            "report",
            "tenant",
            "-o",
            "r.html",
            "--action-plan",
            "plan.csv",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = entralint_in(d, &["check", "tenant", "--format", "csv"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "findings fail the check as in any format"
    );
    let plan = std::fs::read_to_string(d.join("plan.csv")).unwrap();
    assert_eq!(stdout(&o), plan);
    assert!(
        plan.starts_with("code,severity,rule,object,location,finding,fix\r\n"),
        "{plan}"
    );
}
