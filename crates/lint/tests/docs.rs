//! docs/rules/ is generated from the rules' doc comments. This test regenerates it in memory and
//! fails when the committed files differ. `INSTA_UPDATE=always cargo test --workspace` rewrites
//! them together with the snapshots (`UPDATE_DOCS=1` rewrites only them).

use entralint_lint::{docs, rules};
use std::path::Path;

/// Whether to rewrite the files: the snapshot tool's "write everything" setting, or UPDATE_DOCS.
fn update() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some()
        || std::env::var("INSTA_UPDATE").is_ok_and(|v| v == "always")
}

#[test]
fn docs_rules_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let update = update();
    let mut expected: Vec<(String, String)> = rules::ALL
        .iter()
        .map(|r| (format!("{}.md", r.code), docs::markdown(r) + "\n"))
        .collect();
    expected.push(("README.md".to_owned(), docs::index()));
    let mut stale = Vec::new();
    for (name, content) in &expected {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, content).unwrap();
            } else {
                stale.push(name.clone());
            }
        }
    }
    for entry in std::fs::read_dir(&dir).into_iter().flatten() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !expected.iter().any(|(n, _)| *n == name) {
            if update {
                std::fs::remove_file(dir.join(&name)).unwrap();
            } else {
                stale.push(format!("{name} (no such rule)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "docs/rules is stale: {stale:?}; run `INSTA_UPDATE=always cargo test --workspace` \
         (regenerates docs/rules and the snapshots together) and review the changes"
    );
}
