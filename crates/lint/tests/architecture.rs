//! The lint crate's modules depend on each other in one direction: settings and severity at the
//! bottom, the analysis on settings, rules on the analysis, the runner and the settings-file
//! reader on top. This test reads the sources' `crate::` paths (outside comments and unit tests)
//! and fails on any cycle between top-level modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Items the crate root re-exports, by the module that defines them.
const REEXPORTS: [(&str, &str); 21] = [
    ("Check", "check"),
    ("Finding", "check"),
    ("Key", "check"),
    ("Outcome", "check"),
    ("Related", "check"),
    ("Subject", "check"),
    ("SubjectKind", "check"),
    ("Need", "rule"),
    ("Rule", "rule"),
    ("Runs", "rule"),
    ("declare_rule", "rule"),
    ("Settings", "settings"),
    ("Severity", "severity"),
    ("NotEvaluated", "run"),
    ("Report", "run"),
    ("Resolved", "run"),
    ("ResolvedRelated", "run"),
    ("Suppressed", "run"),
    ("is_known_pattern", "run"),
    ("run", "run"),
    ("run_rules", "run"),
];

/// What `crate::prelude` brings in.
const PRELUDE: [&str; 4] = ["analysis", "check", "rule", "severity"];

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The names following `crate::`, including each name of a `crate::{a, b}` group.
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push(name);
            }
        } else {
            out.push(
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| top_module(&src, f))
        .filter(|m| m != "lib")
        .collect();
    let reexports: BTreeMap<&str, &str> = REEXPORTS.into_iter().collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let module = top_module(&src, file);
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let deps = graph.entry(module.clone()).or_default();
        for name in crate_paths(&code) {
            let targets: Vec<String> = if name == "prelude" {
                PRELUDE.iter().map(|m| (*m).to_owned()).collect()
            } else if let Some(m) = reexports.get(name.as_str()) {
                vec![(*m).to_owned()]
            } else if modules.contains(&name) {
                vec![name]
            } else {
                panic!("{}: `crate::{name}` is neither a module nor a known re-export; add it to REEXPORTS", file.display());
            };
            deps.extend(targets.into_iter().filter(|t| *t != module));
        }
    }
    graph
}

fn top_module(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap();
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_owned()
}

/// A cycle through `start`, if there is one.
fn cycle_from(
    graph: &BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    let last = path.last().unwrap().clone();
    for next in graph.get(&last).into_iter().flatten() {
        if let Some(i) = path.iter().position(|m| m == next) {
            let mut cycle = path[i..].to_vec();
            cycle.push(next.clone());
            return Some(cycle);
        }
        path.push(next.clone());
        if let Some(c) = cycle_from(graph, path) {
            return Some(c);
        }
        path.pop();
    }
    None
}

#[test]
fn modules_depend_on_each_other_in_one_direction() {
    let graph = graph();
    assert!(graph.contains_key("analysis") && graph.contains_key("rules"));
    for module in graph.keys() {
        if let Some(cycle) = cycle_from(&graph, &mut vec![module.clone()]) {
            panic!("import cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.insert("a".into(), BTreeSet::from(["b".into()]));
    graph.insert("b".into(), BTreeSet::from(["a".into()]));
    assert_eq!(
        cycle_from(&graph, &mut vec!["a".to_owned()]),
        Some(vec!["a".to_owned(), "b".to_owned(), "a".to_owned()])
    );
    assert_eq!(
        crate_paths("use crate::{rules, Rule};\nuse crate::analysis::x;"),
        ["rules", "Rule", "analysis"]
    );
}
