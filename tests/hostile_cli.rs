//! What the command line does with paths that would hurt it: an output that is an input or a
//! configuration is refused before anything is written; a configuration, baseline or step summary
//! that is not a regular file is refused rather than waited on or read without end; a folder that
//! cannot be listed is a finding and the rest is linted; and a baseline does not depend on the
//! folder the run starts from.
//!
//! Every run is bounded in time: a run that blocks is killed and fails its test.

#![cfg(unix)]

mod common;

use common::{command, risky_copy};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const CA211: &str = "tenant/Identity/Conditional/AccessPolicies/3c4d5e6f-0211-4000-8000-000000000211/3c4d5e6f-0211-4000-8000-000000000211.json";
const GA_PIM: &str = "tenant/PIM/DirectoryRoles/f0e1d2c3-0001-4000-8000-000000000001.json";

/// How long one run of the example tenant may take, debug build included, on a busy machine.
const LIMIT: Duration = Duration::from_secs(60);

/// Runs `cmd` with `stdin` as its standard input; a run that has not finished within [`LIMIT`]
/// is killed and fails the test.
fn run(mut cmd: Command, stdin: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("entralint runs");
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        // A run that does not read its standard input closes it: not an error here.
        let _ = input.write_all(&stdin);
    });
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > LIMIT {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("entralint did not finish within {LIMIT:?}: it blocked or read without end");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    feeder.join().unwrap();
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// Runs entralint in `dir`, bounded in time, with an empty standard input.
fn entralint(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = command(dir);
    cmd.args(args);
    run(cmd, b"")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn report(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not a JSON report ({e}, exit {:?}): {}",
            o.status.code(),
            stderr(o)
        )
    })
}

fn codes_in(report: &Value, code: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .map(|f| f["location"]["file"].as_str().unwrap().to_owned())
        .collect()
}

/// Every file under `dir` and its bytes.
fn snapshot_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                out.push((
                    entry.path().display().to_string(),
                    std::fs::read(entry.path()).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
}

#[test]
fn an_output_that_is_an_input_or_a_configuration_is_refused_before_anything_is_written() {
    let dir = risky_copy();
    let d = dir.path();
    let tree = snapshot_tree(&d.join("tenant"));
    std::os::unix::fs::symlink(d.join(CA211), d.join("link.json")).unwrap();
    std::os::unix::fs::symlink("tenant/entralint.toml", d.join("config-link")).unwrap();
    std::fs::hard_link(d.join(GA_PIM), d.join("hard.json")).unwrap();

    let cases: &[(&[&str], Option<&str>, &str)] = &[
        (&["--output", CA211], None, "input"),
        (&["--output", "link.json"], None, "input"),
        (&["--output", "hard.json"], None, "input"),
        (
            &["--output", "tenant/entralint.toml"],
            None,
            "entralint.toml",
        ),
        (&["--output", "config-link"], None, "entralint.toml"),
        (&["--write-baseline", GA_PIM], None, "input"),
        (&["--write-baseline", "link.json"], None, "input"),
        (
            &["--write-baseline", "tenant/entralint.toml"],
            None,
            "entralint.toml",
        ),
        (&["--format", "github"], Some(CA211), "input"),
        (&["--format", "github"], Some("link.json"), "input"),
        (
            &["--format", "github"],
            Some("tenant/entralint.toml"),
            "entralint.toml",
        ),
        // Nothing is written when one of the outputs is refused, the others included.
        (
            &["--output", "report.txt", "--write-baseline", "link.json"],
            None,
            "input",
        ),
        (
            &["--format", "github", "--write-baseline", "baseline.json"],
            Some(GA_PIM),
            "input",
        ),
        (
            &["--format", "github", "--output", "config-link"],
            Some("summary.md"),
            "entralint.toml",
        ),
    ];
    for (extra, summary, why) in cases {
        let mut cmd = command(d);
        cmd.args(["check", "tenant"]).args(*extra);
        if let Some(summary) = summary {
            cmd.env("GITHUB_STEP_SUMMARY", summary);
        }
        let o = run(cmd, b"");
        let err = stderr(&o);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{extra:?} (step summary {summary:?}) must be refused: {err}"
        );
        assert!(
            err.contains(why) && err.contains("refus"),
            "{extra:?} (step summary {summary:?}): the message says why: {err}"
        );
        assert!(o.stdout.is_empty(), "{extra:?}: no report is printed");
        for written in ["report.txt", "baseline.json", "summary.md"] {
            assert!(
                !d.join(written).exists(),
                "{extra:?} (step summary {summary:?}) wrote {written}"
            );
        }
        assert_eq!(
            snapshot_tree(&d.join("tenant")),
            tree,
            "{extra:?} (step summary {summary:?}) changed the export"
        );
    }

    // Outputs elsewhere are written as before.
    let mut cmd = command(d);
    cmd.args(["check", "tenant", "--format", "github"])
        .args([
            "--output",
            "report.txt",
            "--write-baseline",
            "baseline.json",
        ])
        .env("GITHUB_STEP_SUMMARY", "summary.md");
    let o = run(cmd, b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for written in ["report.txt", "baseline.json", "summary.md"] {
        assert!(d.join(written).is_file(), "{written} is written");
    }
}

#[test]
fn a_configuration_baseline_or_step_summary_that_is_not_a_regular_file_is_refused_without_blocking()
{
    let dir = risky_copy();
    let d = dir.path();
    mkfifo(&d.join("fifo"));
    // 100 MiB that take no room on disk: more than any configuration or baseline.
    let huge = std::fs::File::create(d.join("huge")).unwrap();
    huge.set_len(100 << 20).unwrap();
    drop(huge);

    let cases: &[(&[&str], Option<&str>, &str)] = &[
        (&["--config", "fifo"], None, "not a regular file"),
        (&["--config", "/dev/zero"], None, "not a regular file"),
        (&["--config", "tenant"], None, "not a regular file"),
        (&["--config", "huge"], None, "larger than"),
        (&["--baseline", "fifo"], None, "not a regular file"),
        (&["--baseline", "/dev/zero"], None, "not a regular file"),
        (&["--baseline", "huge"], None, "larger than"),
        (&["--write-baseline", "fifo"], None, "not a regular file"),
        (
            &["--write-baseline", "/dev/zero"],
            None,
            "not a regular file",
        ),
        (&["--format", "github"], Some("fifo"), "not a regular file"),
        (
            &["--format", "github"],
            Some("/dev/zero"),
            "not a regular file",
        ),
    ];
    for (extra, summary, why) in cases {
        let mut cmd = command(d);
        cmd.args(["check", "tenant"]).args(*extra);
        if let Some(summary) = summary {
            cmd.env("GITHUB_STEP_SUMMARY", summary);
        }
        let o = run(cmd, b"");
        let err = stderr(&o);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{extra:?} (step summary {summary:?}) must be refused: {err}"
        );
        assert!(
            err.contains(why),
            "{extra:?} (step summary {summary:?}): the message says `{why}`: {err}"
        );
    }
}

#[test]
fn a_baseline_can_be_read_from_standard_input() {
    let dir = risky_copy();
    let d = dir.path();
    let o = entralint(d, &["check", "tenant", "--write-baseline", "bl.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let baseline = std::fs::read(d.join("bl.json")).unwrap();
    let mut cmd = command(d);
    cmd.args(["check", "tenant", "--baseline", "-", "--format", "json"]);
    let o = run(cmd, &baseline);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = report(&o);
    assert_eq!(r["summary"]["staleBaseline"], 0, "{}", r["summary"]);
    assert!(r["summary"]["baselined"].as_u64().unwrap() > 10);

    // Standard input cannot be both an input and the baseline.
    let o = entralint(d, &["check", "-", "--baseline", "-"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("standard input"), "{}", stderr(&o));
}

/// Runs `args` in `dir` as a user without privileges when the tests run as root (whom permissions
/// do not stop); `None` when that is not possible here.
fn entralint_unprivileged(dir: &Path, args: &[&str]) -> Option<Output> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;
    let mut cmd = command(dir);
    cmd.args(args);
    if std::fs::metadata("/proc/self").map(|m| m.uid()).ok() == Some(0) {
        // The temporary folder is private to its owner; the unprivileged user needs to enter it.
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        cmd.uid(65534).gid(65534);
        // Whether this machine lets root change user at all.
        let probe = Command::new("true").uid(65534).gid(65534).status();
        if !probe.is_ok_and(|s| s.success()) {
            eprintln!("skipped: cannot run as an unprivileged user here");
            return None;
        }
    }
    Some(run(cmd, b""))
}

#[test]
fn an_unreadable_folder_is_a_finding_and_the_rest_is_linted() {
    use std::os::unix::fs::PermissionsExt;
    let dir = risky_copy();
    let d = dir.path();
    let locked = d.join("tenant/Extra/locked");
    std::fs::create_dir_all(&locked).unwrap();
    std::fs::write(locked.join("policy.json"), "{}").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let o = entralint_unprivileged(d, &["check", "tenant", "--format", "json"]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let Some(o) = o else { return };
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r = report(&o);
    assert_eq!(
        codes_in(&r, "JSON001"),
        ["tenant/Extra/locked"],
        "the folder is located: {r}"
    );
    let json001 = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "JSON001")
        .unwrap();
    assert!(
        json001["message"]
            .as_str()
            .unwrap()
            .contains("ermission denied"),
        "{json001}"
    );
    assert!(
        !codes_in(&r, "PIM001").is_empty(),
        "the rest of the export is linted: {r}"
    );

    // A named folder that does not exist is still a usage error.
    let o = entralint(d, &["check", "tenant", "tenant/missing"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn a_path_over_the_os_limit_is_a_finding_and_the_rest_is_linted() {
    let dir = risky_copy();
    let d = dir.path();
    // Built from the bottom up, each step renaming a short path, so that the path from `tenant`
    // grows past the limit of a whole path (4,096 bytes on Linux, 1,024 on macOS) while every
    // name stays within the limit of one name.
    let name = "d".repeat(200);
    let work = d.join("work");
    let mut deepest = work.join("0");
    std::fs::create_dir_all(&deepest).unwrap();
    std::fs::write(deepest.join("policy.json"), "{}").unwrap();
    for i in 1..=24 {
        let above = work.join(i.to_string());
        std::fs::create_dir(&above).unwrap();
        std::fs::rename(&deepest, above.join(&name)).unwrap();
        deepest = above;
    }
    std::fs::rename(&deepest, d.join("tenant/Deep")).unwrap();
    let o = entralint(d, &["check", "tenant", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r = report(&o);
    let unread = codes_in(&r, "JSON001");
    assert_eq!(
        unread.len(),
        1,
        "one finding for the deep folder: {unread:?}"
    );
    assert!(
        unread[0].starts_with("tenant/Deep/dddd"),
        "located at the folder: {}",
        unread[0]
    );
    assert!(
        !codes_in(&r, "PIM001").is_empty(),
        "the rest of the export is linted"
    );
}
