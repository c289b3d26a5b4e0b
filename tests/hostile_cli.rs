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
