//! Whatever an export's strings hold, every output format stays what its reader expects: the JSON
//! report and SARIF parse as JSON and hold every finding, JUnit parses as XML, and a GitHub
//! workflow command cannot be forged from a policy's name. The entry point of the fuzz target
//! `render` (fuzz/), exercised on the stable toolchain on every `cargo test`: each case puts
//! hostile text into the string values of one file of the example tenant (or mangles its bytes)
//! and renders the report of the whole tenant in every format.

mod common;

use entralint::render::every_format;
use entralint::tenants::TenantInfo;
use entralint_lint::chains::chain_rows;
use entralint_lint::{config_file, run};
use entralint_parser::{load, Encoding, Input};
use proptest::prelude::*;
use std::path::Path;

/// Text that means something to a renderer's reader: a workflow command on a new line, markup,
/// terminal escapes, XML's CDATA end, a bidirectional override, characters JSON must escape.
const HOSTILE: [&str; 12] = [
    "\\n::error file=x.json::forged",
    "\\r\\n::warning::forged",
    "<script>alert(1)</script>",
    "]]></failure><testcase name=\\\"forged\\\">",
    "\\u001b[31m",
    "\\u0000",
    "%0A::error::encoded",
    "\\u202e",
    "\\\"",
    "&amp;&lt;",
    "| a | b |\\n|---|",
    "𝔘nicode",
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Hostile text at the start of the n-th `displayName` of the file: findings quote names.
    IntoName {
        nth: usize,
        text: &'static str,
    },
    /// Hostile text at the start of the n-th string of the file (modulo their number).
    IntoString {
        nth: usize,
        text: &'static str,
    },
    Flip {
        at: usize,
        bits: u8,
    },
    Truncate {
        at: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), 0..HOSTILE.len()).prop_map(|(nth, i)| Mutation::IntoName {
            nth,
            text: HOSTILE[i]
        }),
        2 => (any::<usize>(), 0..HOSTILE.len()).prop_map(|(nth, i)| Mutation::IntoString {
            nth,
            text: HOSTILE[i]
        }),
        1 => (any::<usize>(), 1u8..=255).prop_map(|(at, bits)| Mutation::Flip { at, bits }),
        1 => any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    match m {
        Mutation::IntoName { nth, text } => {
            let key = b"\"displayName\"";
            let names: Vec<usize> = (0..bytes.len())
                .filter(|&i| bytes[i..].starts_with(key))
                .filter_map(|i| {
                    let open =
                        i + key.len() + bytes[i + key.len()..].iter().position(|&b| b == b'"')?;
                    Some(open + 1)
                })
                .collect();
            if let Some(&at) = names.get(nth % names.len().max(1)) {
                bytes.splice(at..at, text.bytes());
            }
        }
        Mutation::IntoString { nth, text } => {
            // After a quote that opens a value (`: "` or `[ "` / `, "`), so the text lands inside it.
            let opens: Vec<usize> = (1..bytes.len())
                .filter(|&i| bytes[i] == b'"' && matches!(bytes[i - 1], b' ' | b':' | b'[' | b','))
                .collect();
            if let Some(&at) = opens.get(nth % opens.len().max(1)) {
                bytes.splice(at + 1..at + 1, text.bytes());
            }
        }
        Mutation::Flip { at, bits } => {
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] ^= bits;
            }
        }
        Mutation::Truncate { at } => {
            let i = at % (bytes.len() + 1);
            bytes.truncate(i);
        }
    }
}

/// The example tenant's JSON files, path and bytes, and its entralint.toml.
fn example() -> (Vec<(String, Vec<u8>)>, String) {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "json") {
                out.push(p);
            }
        }
    }
    let root = common::root().join("examples/contoso-risky");
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    paths.sort();
    let files = paths
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(&root).unwrap().to_string_lossy();
            (format!("tenant/{name}"), std::fs::read(&p).unwrap())
        })
        .collect();
    let toml = std::fs::read_to_string(root.join("entralint.toml")).unwrap();
    (files, toml)
}

/// Lints the tenant of `inputs` with the example's settings and checks every format's output.
fn check_every_format(
    inputs: impl IntoIterator<Item = Input>,
    toml: &str,
) -> Result<(), TestCaseError> {
    let mut tenant = load(inputs);
    let mut settings = config_file::parse(toml).unwrap();
    settings.file = Some(tenant.sources.add(
        "tenant/entralint.toml".to_owned(),
        toml.to_owned(),
        Some(Encoding::Utf8),
        0,
    ));
    settings.run.today = entralint_lint::settings::Date::parse("2026-11-22");
    let report = run(&tenant, &settings);
    let rows = chain_rows(&tenant, &settings, &report);
    let tenants = [TenantInfo {
        root: "tenant".to_owned(),
        config: Some("tenant/entralint.toml".to_owned()),
    }];
    let active = report
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .count();
    for (format, text) in every_format(&tenant, &tenants, &report, &settings.run, &rows) {
        match format {
            "json" => {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                prop_assert_eq!(
                    v["findings"].as_array().unwrap().len(),
                    report.findings.len()
                );
            }
            "sarif" => {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                prop_assert_eq!(
                    v["runs"][0]["results"].as_array().unwrap().len(),
                    report.findings.len()
                );
            }
            "chains-json" => {
                serde_json::from_str::<serde_json::Value>(&text).unwrap();
            }
            "junit" => {
                let doc = roxmltree::Document::parse(&text).unwrap();
                let failures = doc
                    .descendants()
                    .filter(|n| n.has_tag_name("failure"))
                    .count();
                prop_assert_eq!(failures, active);
            }
            "github" => {
                // One workflow command per active finding; nothing a string holds starts
                // another line.
                let commands = text.lines().filter(|l| l.starts_with("::")).count();
                prop_assert_eq!(commands, active, "{}", text);
            }
            "human" | "github-summary" | "chains-human" => {
                // No terminal escape from the export reaches a plain-text output.
                prop_assert!(!text.contains('\u{1b}'), "{}: {}", format, text);
            }
            _ => {}
        }
    }
    Ok(())
}

#[test]
fn hostile_names_never_escape_any_format() {
    // Deterministic: each hostile text in every displayName of the tenant at once.
    let (files, toml) = example();
    for text in HOSTILE {
        let inputs = files.iter().map(|(path, bytes)| {
            let mut bytes = bytes.clone();
            let names = bytes
                .windows(13)
                .filter(|w| w == b"\"displayName\"")
                .count();
            for nth in (0..names).rev() {
                apply(&mut bytes, &Mutation::IntoName { nth, text });
            }
            Input::new(path.clone(), Ok(bytes))
        });
        if let Err(e) = check_every_format(inputs, &toml) {
            panic!("{text:?}: {e}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_format_survives_hostile_strings(
        which in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let (files, toml) = example();
        let target = which % files.len();
        let inputs = files.iter().enumerate().map(|(i, (path, bytes))| {
            let mut bytes = bytes.clone();
            if i == target {
                for m in &mutations {
                    apply(&mut bytes, m);
                }
            }
            Input::new(path.clone(), Ok(bytes))
        });
        check_every_format(inputs, &toml)?;
    }
}
