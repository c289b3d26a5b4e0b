//! The whole binary: exit statuses, formats, selection, explain/rules, the bundled examples.
//! Whole-output snapshots are in formats.rs, over a fixture made for them; the examples are held
//! to invariants here (every documented fault found, the hardened tenant clean, valid reports).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs entralint in the repository root with a fixed environment.
fn entralint(args: &[&str]) -> Output {
    entralint_in(&root(), args)
}

fn entralint_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_entralint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("entralint runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

fn codes(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).expect("the report schema compiles")
}

fn assert_valid(report: &serde_json::Value) {
    let v = validator();
    let errors: Vec<String> = v
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "report does not match schemas/report.schema.json: {errors:#?}"
    );
}

/// The faults examples/contoso-risky/README.md documents, each with the rule that reports it and
/// a phrase of the README that names it. A rule added to the registry needs no entry here; a fault
/// added to (or removed from) the README does.
const RISKY_README_FAULTS: &[(&str, &str)] = &[
    // The five broken chains, a–e.
    ("PIM001", "Activation asks only for an MFA claim"),
    ("PIM002", "Activation asks for a justification only"),
    ("PIM004", "no Conditional Access policy targets `c2`"),
    ("PIM006", "grants with plain MFA"),
    ("PIM009", "sign-in frequency \"every time\""),
    // More broken links, f–j.
    ("PIM003", "which the tenant does not define"),
    ("PIM005", "is report-only: worse than none"),
    ("PIM008", "skips sign-ins from the trusted named location"),
    ("PIM007", "scoped to the User Administrator role itself"),
    ("PIM011", "PIM for Groups"),
    // Also wrong, on purpose.
    ("PIM013", "holds Helpdesk Administrator permanently"),
    ("BG004", "a group that is not role-assignable"),
    ("BG006", "`svc-adsync` holds Helpdesk Administrator"),
    (
        "ADM002",
        "no enforced policy requires a phishing-resistant strength for admins",
    ),
    ("BG001", "it does not exclude the break-glass accounts"),
    ("ROL002", "while FIDO2 is turned off"),
    (
        "ROL004",
        "without the break-glass exclusion: Microsoft will enable it",
    ),
    (
        "PIM012",
        "Privileged Role Administrator activates without approval",
    ),
    (
        "ROL005",
        "its only approver is Alice Admin, its eligible requester",
    ),
    ("PIM014", "Every role can be active for 8 hours"),
    ("PIM010", "is weaker than Global Administrator"),
    ("ROL003", "so no active Global Administrator could sign in"),
    ("BG002", "`bg-admin02` is synchronised from on-premises"),
    ("BG003", "has no registered authentication method"),
    ("BG007", "they are excluded from every enabled policy"),
    ("ROL001", "would be locked out of her elevation path"),
    ("ADM005", "grants with `OR` over MFA and a compliant device"),
    (
        "ADM001",
        "so no enforced policy requires MFA from the admins",
    ),
    ("ADM006", "It sets no sign-in frequency either"),
    (
        "BG005",
        "who is neither a break-glass nor a service account",
    ),
    ("ADM004", "excludes Frank Fischer"),
    ("ADM003", "CA100's role targeting does not see him either"),
    // Policy hygiene.
    ("HYG004", "covers Exchange ActiveSync only"),
    ("HYG002", "a contractor whose account was deleted"),
    ("HYG001", "sit in report-only with no enabled equivalent"),
    (
        "HYG005",
        "a plain security group any Groups Administrator can add members to",
    ),
    ("HYG003", "it applies to nobody"),
    ("HYG007", "no policy targets it and no PIM rule requires it"),
    ("HYG006", "no other policy requires MFA of them"),
];

#[test]
fn risky_example_reports_every_documented_fault_and_exits_1() {
    let readme = std::fs::read_to_string(root().join("examples/contoso-risky/README.md")).unwrap();
    // Compare with the line breaks and indentation of the Markdown folded away.
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    for (code, phrase) in RISKY_README_FAULTS {
        assert!(
            readme.contains(phrase),
            "{code}: examples/contoso-risky/README.md no longer says {phrase:?}; update RISKY_README_FAULTS"
        );
    }
    let o = entralint(&["check", "examples/contoso-risky", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let found = codes(&json(&o));
    let missing: Vec<&str> = RISKY_README_FAULTS
        .iter()
        .map(|(code, _)| *code)
        .filter(|code| !found.iter().any(|f| f == code))
        .collect();
    assert!(
        missing.is_empty(),
        "documented faults not reported: {missing:?}"
    );
    for n in 1..=14 {
        let code = format!("PIM{n:03}");
        assert!(
            RISKY_README_FAULTS.iter().any(|(c, _)| *c == code),
            "every PIM rule up to PIM014 has a documented fault: {code}"
        );
    }

    let o = entralint(&["check", "examples/contoso-risky"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    for (code, _) in RISKY_README_FAULTS {
        assert!(
            out.lines()
                .any(|l| common::is_header(l) && l.contains(&format!(" {code} ["))),
            "{code} missing:\n{out}"
        );
    }

    // Without entralint.toml, BG008 asks for the declaration the README describes.
    assert!(readme.contains("BG008 then asks for the declaration"));
    let isolated = json(&entralint(&[
        "check",
        "examples/contoso-risky",
        "--format",
        "json",
        "--isolated",
    ]));
    assert!(codes(&isolated).contains(&"BG008".to_owned()));
}

#[test]
fn hardened_example_is_clean_and_exits_0() {
    let o = entralint(&["check", "examples/contoso-hardened"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.starts_with("no findings in "), "{out}");
    let report = json(&entralint(&[
        "check",
        "examples/contoso-hardened",
        "--format",
        "json",
    ]));
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
    assert_eq!(
        report["notEvaluated"].as_array().unwrap().len(),
        0,
        "every rule had its input"
    );
    assert_valid(&report);
}

#[test]
fn json_report_matches_its_schema_and_adds_up() {
    let o = entralint(&["check", "examples/contoso-risky", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let report = json(&o);
    assert_valid(&report);
    let found = codes(&report);
    assert_eq!(found.len(), report["findings"].as_array().unwrap().len());
    let critical = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "critical")
        .count();
    assert_eq!(report["summary"]["critical"], critical);
    assert_eq!(report["inventory"]["objects"]["roleManagementPolicies"], 8);
    assert_eq!(
        report["inventory"]["objects"]["groupEligibilitySchedules"],
        1
    );
}

#[test]
fn schema_rejects_a_report_that_breaks_the_contract() {
    let mut report = json(&entralint(&[
        "check",
        "examples/contoso-risky",
        "--format",
        "json",
    ]));
    report["findings"][0]["severity"] = "fatal".into();
    assert!(
        !validator().is_valid(&report),
        "the schema must be able to fail"
    );
}

#[test]
fn output_is_deterministic() {
    let a = entralint(&["check", "examples/contoso-risky", "--format", "json"]);
    let b = entralint(&["check", "examples/contoso-risky", "--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
    let a = entralint(&["check", "examples/contoso-risky"]);
    let b = entralint(&["check", "examples/contoso-risky"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn select_ignore_and_fail_on() {
    let only = json(&entralint(&[
        "check",
        "examples/contoso-risky",
        "--format",
        "json",
        "--select",
        "PIM001",
    ]));
    assert_eq!(codes(&only), ["PIM001"]);
    let some = json(&entralint(&[
        "check",
        "examples/contoso-risky",
        "--format",
        "json",
        "--select",
        "PIM",
        "--ignore",
        "PIM006,PIM0",
    ]));
    assert!(
        codes(&some).is_empty(),
        "prefixes ignore everything selected"
    );

    // PIM004 is high: failing on critical only, selecting PIM004 alone exits 0.
    let o = entralint(&[
        "check",
        "examples/contoso-risky",
        "--select",
        "PIM004",
        "--fail-on",
        "critical",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let o = entralint(&[
        "check",
        "examples/contoso-risky",
        "--select",
        "PIM004",
        "--fail-on",
        "high",
    ]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn output_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.json");
    let o = entralint(&[
        "check",
        "examples/contoso-risky",
        "--format",
        "json",
        "--output",
        target.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_valid(&written);
}

#[test]
fn usage_errors_exit_2() {
    let cases: [&[&str]; 6] = [
        &[
            "check",
            "examples/contoso-risky",
            "--docs-url",
            "docs/rules",
        ],
        &["check", "no/such/dir"],
        &["check", "examples/contoso-risky", "--select", "PIMM"],
        &["check", "examples/contoso-risky", "--format", "yaml"],
        &["check", "examples/contoso-risky", "--fail-on", "severe"],
        &["explain", "NOPE001"],
    ];
    for args in cases {
        let o = entralint(args);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!o.stderr.is_empty(), "{args:?} says why");
    }
    let dir = tempfile::tempdir().unwrap();
    let o = entralint(&[
        "check",
        "examples/contoso-risky",
        "--output",
        dir.path().join("missing/x.txt").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn broken_file_in_a_directory_is_json001_and_the_rest_is_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    let tenant = dir.path().join("tenant");
    copy_dir(&root().join("examples/contoso-risky"), &tenant);
    std::fs::write(
        tenant.join("broken.json"),
        "{\n  \"displayName\": \"half a policy\",\n  \"state\": \n",
    )
    .unwrap();
    let o = entralint_in(dir.path(), &["check", "tenant", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let report = json(&o);
    let findings = report["findings"].as_array().unwrap();
    let broken = findings
        .iter()
        .find(|f| f["code"] == "JSON001")
        .expect("JSON001");
    assert_eq!(broken["location"]["file"], "tenant/broken.json");
    assert_eq!(broken["location"]["line"], 4);
    assert_eq!(broken["location"]["column"], 1);
    for code in ["PIM001", "PIM002", "PIM004", "PIM006"] {
        assert!(
            findings.iter().any(|f| f["code"] == code),
            "{code} still reported"
        );
    }
    let human = stdout(&entralint_in(dir.path(), &["check", "tenant"]));
    assert!(human.contains("tenant/broken.json:4:1"), "{human}");
}

#[test]
fn inputs_are_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let tenant = dir.path().join("tenant");
    copy_dir(&root().join("examples/contoso-risky"), &tenant);
    let before = snapshot_tree(&tenant);
    entralint_in(dir.path(), &["check", "tenant"]);
    entralint_in(dir.path(), &["check", "tenant", "--format", "json"]);
    assert_eq!(before, snapshot_tree(&tenant));
}

#[test]
fn gitignored_and_hidden_files_are_skipped_but_named_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gitignore"), "ignored/\n").unwrap();
    std::fs::create_dir(dir.path().join("ignored")).unwrap();
    std::fs::write(dir.path().join("ignored/bad.json"), "{").unwrap();
    std::fs::write(dir.path().join(".hidden.json"), "{").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "{").unwrap();
    let report = json(&entralint_in(
        dir.path(),
        &["check", ".", "--format", "json", "--allow-empty"],
    ));
    assert_eq!(report["inventory"]["files"], 0, "{report}");
    let report = json(&entralint_in(
        dir.path(),
        &["check", "ignored/bad.json", "--format", "json"],
    ));
    assert_eq!(codes(&report), ["JSON001"]);
}

#[test]
fn minified_megabyte_line_renders_without_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::from("[");
    while body.len() < 1_000_000 {
        body.push_str(r#"{"id":"c9","displayName":"padding context","isAvailable":true},"#);
    }
    body.push_str(r#"{"id":"c1","isAvailable":true,"isAvailable":false}]"#);
    std::fs::write(dir.path().join("min.json"), &body).unwrap();
    let o = entralint_in(dir.path(), &["check", "min.json"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = stdout(&o);
    assert!(out.contains("JSON002"));
    assert!(
        out.len() < 8_000,
        "long lines are windowed, not printed whole ({} bytes)",
        out.len()
    );
    assert!(out.contains("min.json:1:"), "{out}");
}

#[test]
fn explain_prints_the_rule_page() {
    let o = entralint(&["explain", "pim001"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.starts_with("# PIM001 activation-mfa-claim-only\n"),
        "{out}"
    );
    assert!(out.contains("## How to fix"));
    // The same page as docs/rules, less the path of the rule's source file (the binary is read
    // far from the repository).
    let page = std::fs::read_to_string(root().join("docs/rules/PIM001.md")).unwrap();
    assert!(page.contains("\n- Source: `crates/"), "{page}");
    let without_source: Vec<&str> = page
        .lines()
        .filter(|l| !l.starts_with("- Source: "))
        .collect();
    assert_eq!(
        out.trim_end(),
        without_source.join("\n").trim_end(),
        "explain and docs/rules come from the same source"
    );
    assert!(!out.contains("crates/"), "{out}");
    // A rule's name finds the same page; an unknown one is a usage error.
    let by_name = entralint(&["explain", "activation-mfa-claim-only"]);
    assert_eq!(by_name.status.code(), Some(0));
    assert_eq!(stdout(&by_name), out);
    let o = entralint(&["explain", "activation-mfa"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no rule `activation-mfa`"));
}

#[test]
fn quiet_prints_the_findings_only() {
    let full = stdout(&entralint(&["check", "examples/contoso-risky"]));
    let o = entralint(&["check", "examples/contoso-risky", "-q"]);
    assert_eq!(o.status.code(), Some(1));
    let quiet = stdout(&o);
    assert!(!quiet.contains(" findings ("), "no summary: {quiet}");
    assert!(
        full.starts_with(&quiet),
        "the findings as without --quiet, the summary left out"
    );
    let concise = stdout(&entralint(&[
        "check",
        "examples/contoso-risky",
        "--quiet",
        "--output-format",
        "concise",
    ]));
    let report = json(&entralint(&[
        "check",
        "examples/contoso-risky",
        "--format",
        "json",
    ]));
    assert_eq!(
        concise.lines().count(),
        report["findings"].as_array().unwrap().len(),
        "one line per finding and nothing else: {concise}"
    );
    // Nothing to report: nothing printed.
    let o = entralint(&["check", "examples/contoso-hardened", "--quiet"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "");
}

#[test]
fn exit_zero_reports_findings_and_exits_0() {
    let o = entralint(&[
        "check",
        "examples/contoso-risky",
        "--exit-zero",
        "-f",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!codes(&json(&o)).is_empty());
    // A usage error is still one.
    let o = entralint(&[
        "check",
        "examples/contoso-risky",
        "--exit-zero",
        "--select",
        "XYZ",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn select_and_ignore_lists_may_have_spaces() {
    let run = |select: &str, ignore: &str| {
        let o = entralint(&[
            "check",
            "examples/contoso-risky",
            "--format",
            "json",
            "--select",
            select,
            "--ignore",
            ignore,
        ]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let mut found = codes(&json(&o));
        found.sort();
        found.dedup();
        found
    };
    let spaced = run("PIM, BG ,HYG004", " PIM00 , BG001");
    assert_eq!(spaced, run("PIM,BG,HYG004", "PIM00,BG001"));
    for code in ["PIM011", "BG004", "HYG004"] {
        assert!(spaced.contains(&code.to_owned()), "{code}: {spaced:?}");
    }
    assert!(
        !spaced
            .iter()
            .any(|c| c.starts_with("PIM00") || c == "BG001"),
        "{spaced:?}"
    );
    // A list of nothing but spaces and commas is a usage error, not "every rule".
    let o = entralint(&["check", "examples/contoso-risky", "--select", " , "]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--select names no rule"));
}

#[test]
fn rules_select_lists_only_the_codes_and_prefixes_named() {
    let o = entralint(&["rules", "--format", "json", "--select", "PIM01, json012 "]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let codes: Vec<String> = json(&o)["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        codes,
        ["JSON012", "PIM010", "PIM011", "PIM012", "PIM013", "PIM014"]
    );
    let human = stdout(&entralint(&["rules", "--select", "BG001"]));
    assert_eq!(human.lines().count(), 1, "{human}");
    assert!(human.starts_with("BG001 "), "{human}");
    for bad in ["XYZ", " , "] {
        let o = entralint(&["rules", "--select", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
    }
}

#[test]
fn rules_lists_the_catalogue() {
    let o = entralint(&["rules", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let list = json(&o);
    let codes: Vec<&str> = list["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(codes.windows(2).all(|w| w[0] < w[1]), "sorted: {codes:?}");
    for code in [
        "JSON001", "JSON002", "JSON003", "JSON004", "PIM001", "PIM002", "PIM004", "PIM006",
    ] {
        assert!(codes.contains(&code), "{code}");
    }
    let pim001 = list["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "PIM001")
        .unwrap();
    assert!(
        pim001["needs"][0]
            .as_str()
            .is_some_and(|n| n.starts_with("PIM role management policies")),
        "the catalogue says what each rule needs: {pim001}"
    );
    let human = stdout(&entralint(&["rules"]));
    assert!(
        human
            .lines()
            .any(|l| l.starts_with("PIM001") && l.contains("critical")),
        "{human}"
    );
}

#[test]
fn missing_input_is_listed_as_not_evaluated() {
    let report = json(&entralint(&[
        "check",
        "examples/contoso-risky/Identity/Conditional/AccessPolicies",
        "--format",
        "json",
    ]));
    let ne: Vec<&str> = report["notEvaluated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].as_str().unwrap())
        .collect();
    for n in 1..=14 {
        assert!(ne.contains(&format!("PIM{n:03}").as_str()), "{ne:?}");
    }
    for code in ["ADM003", "ADM004", "BG002", "BG003", "BG004", "BG006"] {
        assert!(
            ne.contains(&code),
            "{code} needs users, registrations, groups, roles: {ne:?}"
        );
    }
    // By default, one line counts the rules and the reasons.
    let short = stdout(&entralint(&[
        "check",
        "examples/contoso-risky/Identity/Conditional/AccessPolicies",
    ]));
    let last = short.lines().last().unwrap();
    assert!(
        last.starts_with(&format!("{} rules not evaluated, for ", ne.len()))
            && last.ends_with(" reasons (--verbose lists them)"),
        "{short}"
    );
    // Under --verbose, the summary groups the rules by reason, one line each:
    // `not evaluated: A, B (reason)`.
    let human = stdout(&entralint(&[
        "check",
        "examples/contoso-risky/Identity/Conditional/AccessPolicies",
        "--verbose",
    ]));
    let groups = not_evaluated_groups(&human);
    let reasons: std::collections::BTreeSet<&str> =
        groups.iter().map(|(_, reason)| reason.as_str()).collect();
    assert_eq!(reasons.len(), groups.len(), "each reason once: {human}");
    for (codes, reason) in &groups {
        let expected: Vec<&str> = report["notEvaluated"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["reason"] == reason.as_str())
            .map(|n| n["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, &expected, "{reason}");
    }
    let group_of = |code: &str| {
        groups
            .iter()
            .find(|(codes, _)| codes.contains(&code))
            .map(|(_, reason)| reason.as_str())
    };
    for code in ["PIM001", "PIM002", "PIM004", "PIM012", "PIM014", "ROL005"] {
        assert_eq!(
            group_of(code),
            Some("no PIM role management policies in input"),
            "{code}: {human}"
        );
    }
    for code in ["BG003", "ROL001", "ROL003"] {
        assert_eq!(
            group_of(code),
            Some("no userRegistrationDetails in input"),
            "{code}: {human}"
        );
    }
    let listed: usize = groups.iter().map(|(codes, _)| codes.len()).sum();
    assert_eq!(listed, ne.len(), "{human}");
}

/// The `not evaluated: A, B (reason)` lines of the verbose human summary, as (codes, reason).
fn not_evaluated_groups(human: &str) -> Vec<(Vec<&str>, String)> {
    let groups: Vec<(Vec<&str>, String)> = human
        .lines()
        .filter_map(|l| l.strip_prefix("not evaluated: "))
        .map(|rest| {
            let open = rest.find(" (").expect("a reason in parentheses");
            let reason = rest[open + 2..]
                .strip_suffix(')')
                .expect("the reason ends the line");
            (rest[..open].split(", ").collect(), reason.to_owned())
        })
        .collect();
    assert!(!groups.is_empty(), "no not-evaluated lines: {human}");
    groups
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>, Option<std::time::SystemTime>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let modified = std::fs::metadata(&p).unwrap().modified().ok();
                out.push((p.clone(), std::fs::read(&p).unwrap(), modified));
            }
        }
    }
    out.sort();
    out
}

fn chains_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/chains.schema.json")).unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).expect("the chains schema compiles")
}

#[test]
fn chains_show_every_role_and_its_weakest_link() {
    for example in ["contoso-risky", "contoso-hardened"] {
        let path = format!("examples/{example}");
        let o = entralint(&["chains", &path]);
        // A gate: contoso-risky has broken chains (exit 1), contoso-hardened none.
        let broken = example == "contoso-risky";
        assert_eq!(o.status.code(), Some(i32::from(broken)), "{example}");
        let human = stdout(&o);
        let o = entralint(&["chains", &path, "--format", "json"]);
        let value = json(&o);
        let errors: Vec<String> = chains_validator()
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        // The table counts the roles the JSON lists.
        let roles = value["roles"].as_array().unwrap().len();
        assert!(
            human
                .lines()
                .last()
                .unwrap()
                .starts_with(&format!("{roles} chains · ")),
            "{roles} roles:\n{human}"
        );
        // The hardened tenant has no findings, so its chains are whole-output snapshots that no
        // new rule changes; contoso-risky's would list every rule that fires.
        if example == "contoso-hardened" {
            let json_text = stdout(&o);
            common::snapshot(&format!("chains_{example}_human"), || {
                insta::assert_snapshot!(format!("chains_{example}_human"), human)
            });
            common::snapshot(&format!("chains_{example}_json"), || {
                insta::assert_snapshot!(format!("chains_{example}_json"), json_text)
            });
        }
    }
    let risky = json(&entralint(&[
        "chains",
        "examples/contoso-risky",
        "--format",
        "json",
    ]));
    let ga = risky["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["roleName"] == "Global Administrator")
        .unwrap();
    assert_eq!(ga["requirement"], "mfaClaim");
    assert_eq!(ga["verdict"], "broken");
    assert!(ga["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "PIM001"));
    let hardened = json(&entralint(&[
        "chains",
        "examples/contoso-hardened",
        "--format",
        "json",
    ]));
    assert!(hardened["roles"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["verdict"] == "phishingResistant"));
}

#[test]
fn declaring_break_glass_accounts_replaces_the_inference() {
    let declared = json(&entralint(&[
        "check",
        "examples/contoso-risky",
        "--format",
        "json",
    ]));
    let inferred = json(&entralint(&[
        "check",
        "examples/contoso-risky",
        "--format",
        "json",
        "--isolated",
    ]));
    let messages = |r: &serde_json::Value, code: &str| -> Vec<String> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .map(|f| f["message"].as_str().unwrap().to_owned())
            .collect()
    };
    // Without entralint.toml: BG008 says the set is inferred, and the rules that used it say so.
    assert_eq!(messages(&inferred, "BG008").len(), 1);
    assert!(messages(&declared, "BG008").is_empty());
    for code in ["BG001", "BG003", "BG007"] {
        assert!(
            messages(&inferred, code)
                .iter()
                .all(|m| m.contains("inferred")),
            "{code} in {:?}",
            messages(&inferred, code)
        );
        assert!(
            messages(&declared, code)
                .iter()
                .all(|m| !m.contains("inferred")),
            "{code}"
        );
        assert!(
            !messages(&declared, code).is_empty(),
            "{code} fires on contoso-risky"
        );
    }
    // The declaration also names the service account, which only then is called one.
    assert!(messages(&declared, "BG006")
        .iter()
        .any(|m| m.starts_with("service account svc-adsync")));
    assert!(messages(&inferred, "BG006")
        .iter()
        .all(|m| m.starts_with("account svc-adsync")));
}

#[test]
fn configuration_errors_exit_2_and_point_into_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("[rules]\nselectt = [\"PIM\"]\n", "selectt"),
        ("[rules.severity]\nPIM999 = \"low\"\n", "PIM999"),
        (
            "[[suppress]]\nrule = \"PIM013\"\nobject = \"x\"\n",
            "justification",
        ),
    ];
    for (text, expected) in cases {
        let path = dir.path().join("entralint.toml");
        std::fs::write(&path, text).unwrap();
        let o = entralint(&[
            "check",
            "examples/contoso-risky",
            "--config",
            path.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{text}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains(expected) && err.contains("entralint.toml:"),
            "{err}"
        );
    }
}

#[test]
fn suppressions_mark_findings_and_expire() {
    let dir = tempfile::tempdir().unwrap();
    let tenant = dir.path().join("tenant");
    copy_dir(&root().join("examples/contoso-risky"), &tenant);
    let mut config = std::fs::read_to_string(tenant.join("entralint.toml")).unwrap();
    config.push_str(
        "\n[[suppress]]\nrule = \"PIM013\"\nobject = \"1a2b3c4d-0007-4000-8000-000000000007\"\njustification = \"Replaced by cloud sync in Q1 (CAB-1234)\"\nexpires = 2027-01-31\n",
    );
    std::fs::write(tenant.join("entralint.toml"), config).unwrap();
    let run = |today: &str| {
        json(&entralint_in(
            dir.path(),
            &["check", "tenant", "--format", "json", "--today", today],
        ))
    };
    let before = run("2026-12-01");
    let pim013: Vec<&serde_json::Value> = before["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "PIM013")
        .collect();
    assert_eq!(pim013.len(), 1);
    assert_eq!(
        pim013[0]["suppressed"]["justification"],
        "Replaced by cloud sync in Q1 (CAB-1234)"
    );
    assert_eq!(before["summary"]["suppressed"], 1);
    assert!(!codes(&before).contains(&"CFG001".to_owned()));
    let after = run("2027-02-01");
    assert!(after["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "PIM013" && f["suppressed"].is_null()));
    assert!(
        codes(&after).contains(&"CFG001".to_owned()),
        "the expired suppression is reported"
    );
    assert_valid(&before);
}

#[test]
fn configuration_schema_accepts_the_examples_and_rejects_mistakes() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/entralint.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the configuration schema compiles");
    // TOML dates become strings for the JSON Schema.
    fn to_json(v: toml::Value) -> serde_json::Value {
        match v {
            toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
            toml::Value::Table(t) => {
                serde_json::Value::Object(t.into_iter().map(|(k, v)| (k, to_json(v))).collect())
            }
            toml::Value::Array(a) => serde_json::Value::Array(a.into_iter().map(to_json).collect()),
            other => serde_json::to_value(other).unwrap(),
        }
    }
    let read = |text: &str| to_json(toml::from_str::<toml::Value>(text).unwrap());
    for example in ["contoso-risky", "contoso-hardened"] {
        let text =
            std::fs::read_to_string(root().join("examples").join(example).join("entralint.toml"))
                .unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&read(&text))
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{example}: {errors:?}");
    }
    let full = "[accounts]\nbreak-glass = [{ object-id = \"a\" }]\n[rules]\nselect = [\"PIM\"]\nfail-on = \"high\"\n[rules.severity]\nPIM009 = \"off\"\n[[suppress]]\nrule = \"PIM013\"\nobject = \"x\"\njustification = \"y\"\nexpires = 2027-01-31\n";
    assert!(validator.is_valid(&read(full)));
    let names = "[accounts]\nbreak-glass = [{ group-name = \"CA-BreakGlass\" }, { upn = \"bg@contoso.com\" }]\nimport = [{ maester = \"maester-config.json\" }, { easypim = \"pim.jsonc\" }, { scubagear = \"scuba-config.yaml\" }]\n";
    assert!(validator.is_valid(&read(names)));
    for bad in [
        "[accounts]\nimport = [{ maester = \"a.json\", easypim = \"b.json\" }]\n",
        "[accounts]\nimport = [{ scuba = \"a.yaml\" }]\n",
        "[accounts]\nbreak-glass = [{ group-name = \"a\", group-id = \"b\" }]\n",
        "[rules]\nselectt = [\"PIM\"]\n",
        "[accounts]\nbreak-glass = [{ object-id = \"a\", upn = \"b\" }]\n",
        "[[suppress]]\nrule = \"PIM013\"\nobject = \"x\"\n",
        "[roles]\nadmin-profile = \"everyone\"\n",
    ] {
        assert!(!validator.is_valid(&read(bad)), "{bad}");
    }
}
