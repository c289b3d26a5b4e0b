//! `entralint diff OLD NEW` and `entralint diff --git A..B PATH`: the findings a change introduces
//! and resolves (matched by fingerprint, which survives reformatting and moved files), and what
//! changed in security terms (crates/lint/src/diff.rs). A revision is read with `git ls-tree` and
//! `git show` into a temporary folder, laid out as in the repository; nothing is fetched.

use crate::args::{ConfigArgs, DiffFormat};
use crate::render::human::symbol;
use crate::tenants;
use entralint_lint::chains::{chain_rows, ChainRow};
use entralint_lint::diagnostic::printable;
use entralint_lint::diff::{changes, Change};
use entralint_lint::{Report, Resolved, Settings, Severity};
use entralint_parser::Tenant;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One side of the comparison: each tenant read (a copy, with its settings and chains) and the
/// run's merged report and source map.
pub struct Side {
    tenants: Vec<(Tenant, Settings, Vec<ChainRow>)>,
    report: Report,
    run: tenants::Run,
}

/// Reads `paths` as `check` would.
pub fn read(paths: &[PathBuf], config: &ConfigArgs) -> Result<Side, String> {
    let mut tenants = Vec::new();
    let mut reports = Vec::new();
    let run = tenants::load(paths, config, false, |loaded| {
        let mut report = entralint_lint::run(loaded.tenant, &loaded.settings);
        loaded.keep(&mut report);
        let rows = chain_rows(loaded.tenant, &loaded.settings, &report);
        tenants.push((loaded.tenant.clone(), loaded.settings.clone(), rows));
        reports.push(report);
        Ok(())
    })?;
    let report = tenants::merge(&run.tenant.sources, reports);
    Ok(Side {
        tenants,
        report,
        run,
    })
}

/// Reads `path` as it is at revision `rev` of the git repository around it: the files below it
/// and the entralint.toml files of the folders above it are written into `into`, at their place
/// in the repository. Returns the path to read, relative to `into`.
pub fn checkout(rev: &str, path: &Path, into: &Path) -> Result<PathBuf, String> {
    let git = |args: &[&str]| -> Result<Vec<u8>, String> {
        let o = Command::new("git")
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if o.status.success() {
            Ok(o.stdout)
        } else {
            Err(format!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&o.stderr).trim()
            ))
        }
    };
    let top = String::from_utf8_lossy(&git(&["rev-parse", "--show-toplevel"])?)
        .trim()
        .to_owned();
    let absolute = std::env::current_dir()
        .map_err(|e| e.to_string())?
        .join(path);
    let absolute = absolute.canonicalize().unwrap_or(absolute);
    let inside = absolute
        .strip_prefix(
            Path::new(&top)
                .canonicalize()
                .unwrap_or(PathBuf::from(&top)),
        )
        .map_err(|_| format!("{} is not in the git repository at {top}", path.display()))?
        .to_string_lossy()
        .replace('\\', "/");
    let spec = if inside.is_empty() {
        ".".to_owned()
    } else {
        inside.clone()
    };
    let listed = git(&[
        "-C",
        &top,
        "ls-tree",
        "-r",
        "-z",
        "--name-only",
        rev,
        "--",
        &spec,
    ])?;
    let mut files: Vec<String> = listed
        .split(|b| *b == 0)
        .filter(|n| !n.is_empty())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    // The configurations above the path, as at that revision.
    let mut dir = Path::new(&inside).parent();
    while let Some(d) = dir {
        let name = d
            .join(crate::config::FILE_NAME)
            .to_string_lossy()
            .replace('\\', "/");
        if git(&["-C", &top, "cat-file", "-e", &format!("{rev}:{name}")]).is_ok() {
            files.push(name);
        }
        dir = d.parent();
    }
    if files.is_empty() {
        return Err(format!(
            "{} holds no file at revision {rev}",
            path.display()
        ));
    }
    for name in &files {
        let bytes = git(&["-C", &top, "show", &format!("{rev}:{name}")])?;
        let target = into.join(name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&target, bytes).map_err(|e| e.to_string())?;
    }
    Ok(PathBuf::from(spec))
}

/// A temporary folder, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Result<Self, String> {
        let base = std::env::temp_dir();
        for n in 0..1000u32 {
            let dir = base.join(format!("entralint-{label}-{}-{n}", std::process::id()));
            if std::fs::create_dir(&dir).is_ok() {
                return Ok(TempDir(dir));
            }
        }
        Err("cannot make a temporary folder".to_owned())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The comparison of two sides.
pub struct Comparison<'a> {
    pub introduced: Vec<&'a Resolved>,
    pub resolved: Vec<&'a Resolved>,
    pub changes: Vec<Change>,
}

pub fn compare<'a>(old: &'a Side, new: &'a Side) -> Result<Comparison<'a>, String> {
    if old.tenants.len() != new.tenants.len() {
        return Err(format!(
            "the old side holds {} tenants and the new side {}: compare one tenant at a time",
            old.tenants.len(),
            new.tenants.len()
        ));
    }
    let active = |r: &Report| -> BTreeSet<String> {
        r.findings
            .iter()
            .filter(|f| f.suppressed.is_none())
            .map(|f| f.fingerprint.clone())
            .collect()
    };
    let (before, after) = (active(&old.report), active(&new.report));
    let pick = |side: &'a Side, other: &BTreeSet<String>| -> Vec<&'a Resolved> {
        side.report
            .findings
            .iter()
            .filter(|f| f.suppressed.is_none() && !other.contains(&f.fingerprint))
            .collect()
    };
    let mut all = Vec::new();
    for ((ot, os, orows), (nt, ns, nrows)) in old.tenants.iter().zip(&new.tenants) {
        all.extend(changes((ot, os, orows), (nt, ns, nrows)));
    }
    Ok(Comparison {
        introduced: sorted(pick(new, &before)),
        resolved: sorted(pick(old, &after)),
        changes: all,
    })
}

fn sorted(mut v: Vec<&Resolved>) -> Vec<&Resolved> {
    v.sort_by(|a, b| {
        (
            std::cmp::Reverse(a.finding.severity),
            a.finding.code,
            &a.finding.message,
        )
            .cmp(&(
                std::cmp::Reverse(b.finding.severity),
                b.finding.code,
                &b.finding.message,
            ))
    });
    v
}

/// Whether the change introduces a finding at or above `threshold`.
pub fn fails(c: &Comparison<'_>, threshold: Severity) -> bool {
    c.introduced.iter().any(|f| f.finding.severity >= threshold)
}

pub fn render(c: &Comparison<'_>, old: &Side, new: &Side, format: DiffFormat) -> String {
    match format {
        DiffFormat::Json => json(c, old, new),
        DiffFormat::Human => human(c, old, new),
        DiffFormat::Markdown => markdown(c, old, new),
    }
}

/// A pull-request comment: the counts, then tables. Customer text is escaped for Markdown and
/// HTML (a displayName can hold `|`, backticks or `<script>`).
fn markdown(c: &Comparison<'_>, old: &Side, new: &Side) -> String {
    let cell = |s: &str| {
        printable(s)
            .chars()
            .map(|ch| match ch {
                '|' => "\\|".to_owned(),
                '`' => "\\`".to_owned(),
                '<' => "&lt;".to_owned(),
                '>' => "&gt;".to_owned(),
                '&' => "&amp;".to_owned(),
                '*' | '_' | '[' | ']' | '\\' => format!("\\{ch}"),
                '\n' | '\r' => " ".to_owned(),
                other => other.to_string(),
            })
            .collect::<String>()
    };
    let mut out = format!(
        "### entralint diff\n\n**{}** introduced, **{}** resolved, **{}** change{} in security terms\n",
        c.introduced.len(),
        c.resolved.len(),
        c.changes.len(),
        if c.changes.len() == 1 { "" } else { "s" }
    );
    for (title, findings, side) in [
        ("Introduced", &c.introduced, new),
        ("Resolved", &c.resolved, old),
    ] {
        if findings.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n#### {title}\n\n| Severity | Rule | Finding | Location |\n|---|---|---|---|\n"
        ));
        for r in findings.iter() {
            out.push_str(&format!(
                "| {} {} | {} | {} | {}:{}:{} |\n",
                symbol(r.finding.severity),
                r.finding.severity,
                r.finding.code,
                cell(&r.finding.message),
                cell(side.run.tenant.sources.path(r.file)),
                r.start.line,
                r.start.column
            ));
        }
    }
    if !c.changes.is_empty() {
        out.push_str(
            "\n#### Changed\n\n| | Object | Field | Before | After |\n|---|---|---|---|---|\n",
        );
        for ch in &c.changes {
            let value = |v: &Option<String>| match v {
                Some(v) if v.is_empty() => "(none)".to_owned(),
                Some(v) => cell(v),
                None => "(absent)".to_owned(),
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                ch.kind,
                cell(&ch.object),
                ch.field,
                value(&ch.before),
                value(&ch.after)
            ));
        }
    }
    out
}

fn line(r: &Resolved, side: &Side) -> String {
    format!(
        "{} {} [{}] {} — {}:{}:{}",
        symbol(r.finding.severity),
        r.finding.code,
        r.finding.severity,
        printable(&r.finding.message),
        printable(side.run.tenant.sources.path(r.file)),
        r.start.line,
        r.start.column
    )
}

fn human(c: &Comparison<'_>, old: &Side, new: &Side) -> String {
    let mut out = String::new();
    if !c.introduced.is_empty() {
        out.push_str(&format!("introduced ({}):\n", c.introduced.len()));
        for r in &c.introduced {
            out.push_str(&format!("  {}\n", line(r, new)));
        }
        out.push('\n');
    }
    if !c.resolved.is_empty() {
        out.push_str(&format!("resolved ({}):\n", c.resolved.len()));
        for r in &c.resolved {
            out.push_str(&format!("  {}\n", line(r, old)));
        }
        out.push('\n');
    }
    if !c.changes.is_empty() {
        out.push_str(&format!("changed ({}):\n", c.changes.len()));
        for ch in &c.changes {
            let what = if ch.kind == "role" { "role" } else { "policy" };
            let value = |v: &Option<String>| match v {
                Some(v) if v.is_empty() => "(none)".to_owned(),
                Some(v) => printable(v).into_owned(),
                None => "(absent)".to_owned(),
            };
            out.push_str(&format!(
                "  {what} `{}` {}: {} → {}\n",
                printable(&ch.object),
                ch.field,
                value(&ch.before),
                value(&ch.after)
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "{} introduced, {} resolved, {} change{} in security terms\n",
        plural(c.introduced.len(), "finding"),
        c.resolved.len(),
        c.changes.len(),
        if c.changes.len() == 1 { "" } else { "s" }
    ));
    out
}

fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn json<'a>(c: &'a Comparison<'a>, old: &'a Side, new: &'a Side) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct FindingOut<'a> {
        code: &'static str,
        severity: Severity,
        message: &'a str,
        file: &'a str,
        line: usize,
        column: usize,
        fingerprint: &'a str,
    }
    #[derive(Serialize)]
    struct Out<'a> {
        version: u32,
        introduced: Vec<FindingOut<'a>>,
        resolved: Vec<FindingOut<'a>>,
        changes: &'a [Change],
    }
    let finding = |r: &'a Resolved, side: &'a Side| FindingOut {
        code: r.finding.code,
        severity: r.finding.severity,
        message: &r.finding.message,
        file: side.run.tenant.sources.path(r.file),
        line: r.start.line,
        column: r.start.column,
        fingerprint: &r.fingerprint,
    };
    let out = Out {
        version: 1,
        introduced: c.introduced.iter().map(|r| finding(r, new)).collect(),
        resolved: c.resolved.iter().map(|r| finding(r, old)).collect(),
        changes: &c.changes,
    };
    let mut s = serde_json::to_string_pretty(&out).expect("the diff serialises");
    s.push('\n');
    s
}
