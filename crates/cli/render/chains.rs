//! `entralint chains`: one row per activation chain, then its weakest link and findings.

use entralint_lint::chains::ChainRow;
use entralint_lint::diagnostic::printable;
use serde::Serialize;

pub fn json(rows: &[ChainRow]) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        version: u32,
        roles: &'a [ChainRow],
    }
    let mut s = serde_json::to_string_pretty(&Out {
        version: 1,
        roles: rows,
    })
    .expect("chains serialise");
    s.push('\n');
    s
}

pub fn human(rows: &[ChainRow]) -> String {
    if rows.is_empty() {
        return "no PIM role policies in input: nothing to show (export the PIM policies and their assignments; see docs/exporting.md)\n".to_owned();
    }
    let header = [
        "ROLE",
        "ELIGIBLE",
        "ACTIVATION",
        "CONTEXT POLICY (STATE)",
        "STRENGTH",
        "VERDICT",
    ];
    let mut table: Vec<[String; 6]> = Vec::new();
    let mut notes: Vec<Option<String>> = Vec::new();
    for r in rows {
        let activation = match r.requirement {
            "none" => "nothing".to_owned(),
            "mfaClaim" => "MFA claim".to_owned(),
            _ => format!("context {}", r.context.as_deref().unwrap_or("?")),
        };
        let (policy, strength) = match r.policies.as_slice() {
            [] if r.requirement == "authenticationContext" => ("(none)".to_owned(), "-".to_owned()),
            [] => ("-".to_owned(), "-".to_owned()),
            [p, rest @ ..] => {
                let more = if rest.is_empty() {
                    String::new()
                } else {
                    format!(" +{}", rest.len())
                };
                let state = match p.state.as_str() {
                    "enabled" => "on",
                    "enabledForReportingButNotEnforced" => "report-only",
                    "disabled" => "off",
                    other => other,
                };
                let strength = match (p.strength_class, &p.strength) {
                    ("none", _) => "none".to_owned(),
                    ("block", _) => "block".to_owned(),
                    (_, Some(name)) => name.clone(),
                    (_, None) => "plain MFA".to_owned(),
                };
                (format!("{} ({state}){more}", p.display_name), strength)
            }
        };
        let verdict = match r.verdict {
            "phishingResistant" => "phishing-resistant",
            "broken" => "BROKEN",
            other => other,
        };
        // Names come from the export: shown printable.
        table.push(
            [
                r.role_name.clone(),
                r.eligible.len().to_string(),
                activation,
                policy,
                strength,
                verdict.to_owned(),
            ]
            .map(|cell| printable(&cell).into_owned()),
        );
        let note = match (r.weakest_link.is_empty(), r.findings.is_empty()) {
            (true, true) => None,
            (link_missing, _) => Some(format!(
                "{}{}",
                if link_missing {
                    String::new()
                } else {
                    r.weakest_link.clone()
                },
                if r.findings.is_empty() {
                    String::new()
                } else {
                    format!("  [{}]", r.findings.join(" "))
                }
            )),
        };
        notes.push(note.map(|n| printable(&n).into_owned()));
    }
    let mut widths = header.map(|h| h.chars().count());
    for row in &table {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count().min(60));
        }
    }
    let line = |cells: &[String]| -> String {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let cell = clip(cell, 60);
            if i + 1 == cells.len() {
                out.push_str(&cell);
            } else {
                out.push_str(&format!("{cell:<w$}  "));
            }
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = line(&header.map(str::to_owned));
    for (row, note) in table.iter().zip(&notes) {
        out.push_str(&line(row));
        if let Some(note) = note {
            out.push_str(&format!("  ↳ {note}\n"));
        }
    }
    let count = |v: &str| rows.iter().filter(|r| r.verdict == v).count();
    out.push_str(&format!(
        "\n{} chain{} · {} phishing-resistant, {} weak, {} broken\n",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        count("phishingResistant"),
        count("weak"),
        count("broken")
    ));
    out
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}
