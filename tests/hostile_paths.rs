//! Where an export sits, and where the run starts from, change nothing: folder names above the
//! export (a home directory under `/Users`, a checkout under a folder named `DirectoryRoles` or
//! `Groups/<id>/Members`) are never read as EntraExporter folders, and a baseline written from one
//! folder matches the same findings from another.

mod common;

use common::{entralint_in, risky_copy};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn report(dir: &Path, args: &[&str]) -> Value {
    let o = entralint_in(dir, args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{args:?}: exit {:?}: {err}",
        o.status.code()
    );
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {err}"))
}

/// How many findings of each fingerprint (code and fingerprint, which do not name the folder the
/// export is in) the report holds.
fn fingerprints(report: &Value) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        let key = format!("{} {}", f["code"], f["fingerprint"]);
        *out.entry(key).or_default() += 1;
    }
    out
}

/// The inventory, less the count of files (the same in every run here).
fn inventory(report: &Value) -> Value {
    report["inventory"].clone()
}

#[test]
fn folders_above_the_export_are_not_read_as_exporter_folders() {
    for extra in [&[][..], &["--isolated"][..]] {
        let reference = risky_copy();
        let mut args = vec!["check", "tenant", "--format", "json"];
        args.extend_from_slice(extra);
        let want = report(reference.path(), &args);
        assert!(
            want["findings"].as_array().unwrap().len() > 20,
            "the example has findings: {want}"
        );
        for above in [
            "DirectoryRoles",
            "Groups/g1/Members/u1",
            "Users/alice",
            "PIM",
        ] {
            let dir = risky_copy();
            let d = dir.path();
            let moved = d.join(above).join("tenant");
            std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
            std::fs::rename(d.join("tenant"), &moved).unwrap();
            let named = format!("{above}/tenant");
            let mut args = vec!["check", named.as_str(), "--format", "json"];
            args.extend_from_slice(extra);
            let got = report(d, &args);
            assert_eq!(
                inventory(&got),
                inventory(&want),
                "under {above}/ {extra:?}: the same objects are read"
            );
            assert_eq!(
                fingerprints(&got),
                fingerprints(&want),
                "under {above}/ {extra:?}: the same findings"
            );
        }
    }
}

#[test]
fn exporter_folders_inside_the_export_still_say_what_a_file_holds() {
    // The example's PIM/DirectoryRoles files hold PIM policies: read as such whether the run is
    // started at the export, above it or inside it.
    let dir = risky_copy();
    let d = dir.path();
    let from_above = report(d, &["check", "tenant", "--format", "json", "--isolated"]);
    let from_inside = report(
        &d.join("tenant"),
        &["check", ".", "--format", "json", "--isolated"],
    );
    let objects = &from_above["inventory"]["objects"];
    for kind in ["roleManagementPolicies", "groupMembers"] {
        assert!(
            objects[kind].as_u64().is_some_and(|n| n > 0),
            "{kind} are read from their folders: {objects}"
        );
    }
    assert_eq!(inventory(&from_inside), inventory(&from_above));
}

#[test]
fn a_baseline_matches_from_whichever_folder_the_run_starts() {
    for extra in [&[][..], &["--isolated"][..]] {
        let dir = risky_copy();
        let d = dir.path();
        let mut args = vec!["check", "tenant", "--write-baseline", "bl.json"];
        args.extend_from_slice(extra);
        let o = entralint_in(d, &args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        // The same tenant, from inside it.
        let mut args = vec!["check", ".", "--baseline", "../bl.json", "--format", "json"];
        args.extend_from_slice(extra);
        let got = report(&d.join("tenant"), &args);
        let summary = &got["summary"];
        assert_eq!(
            got["findings"].as_array().unwrap().len(),
            0,
            "{extra:?}: nothing is new: {}",
            got["findings"]
        );
        assert_eq!(summary["staleBaseline"], 0, "{extra:?}: {summary}");
        assert!(
            summary["baselined"].as_u64().is_some_and(|n| n > 20),
            "{extra:?}: {summary}"
        );
    }
}
