//! Mutated real-shaped input never panics the loader, the rules or the rendering: the entry points
//! of the fuzz targets (fuzz/), exercised on the stable toolchain on every `cargo test`. The seeds
//! are the example tenants' files; each case mutates one of them (bytes flipped, inserted,
//! removed; the file cut short; a value swapped for another JSON type) and lints it with the
//! other files of its tenant.

mod common;

use entralint_lint::diagnostic::{diagnostic, Sources};
use entralint_lint::run;
use entralint_parser::{load, Input};
use miette::{GraphicalReportHandler, GraphicalTheme};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// The example tenant's files, path and bytes.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/contoso-risky");
    let mut paths = Vec::new();
    files(&root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, bits: u8 },
    Insert { at: usize, text: &'static str },
    Remove { at: usize, len: usize },
    Truncate { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    const TOKENS: [&str; 16] = [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "null",
        "[]",
        "{}",
        "0",
        "\"All\"",
        "\\u0000",
        "\\ud800",
        "\u{1b}[2J",
        "\"id\":",
    ];
    prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(at, bits)| Mutation::Flip { at, bits }),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, i)| Mutation::Insert {
            at,
            text: TOKENS[i]
        }),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Remove { at, len }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let n = bytes.len().max(1);
    match m {
        Mutation::Flip { at, bits } => {
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] ^= bits;
            }
        }
        Mutation::Insert { at, text } => {
            let i = at % n;
            let i = i.min(bytes.len());
            bytes.splice(i..i, text.bytes());
        }
        Mutation::Remove { at, len } => {
            let i = (at % n).min(bytes.len());
            let end = (i + len).min(bytes.len());
            bytes.drain(i..end);
        }
        Mutation::Truncate { at } => {
            let i = (at % n).min(bytes.len());
            bytes.truncate(i);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn mutated_exports_never_panic(
        which in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let seeds = seeds();
        let target = which % seeds.len();
        let inputs = seeds.iter().enumerate().map(|(i, (path, bytes))| {
            let mut bytes = bytes.clone();
            if i == target {
                for m in &mutations {
                    apply(&mut bytes, m);
                }
            }
            Input::new(path.clone(), Ok(bytes))
        });
        let tenant = load(inputs);
        let report = run(&tenant, &common::no_settings());
        let sources = Sources::new(&tenant.sources);
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_links(false)
            .with_width(100);
        let mut out = String::new();
        for r in &report.findings {
            handler.render_report(&mut out, &diagnostic(r, &sources, None)).unwrap();
            out.clear();
        }
    }
}
