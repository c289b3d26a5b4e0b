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

/// The table, fitted to `width` columns when given (a terminal's): the widest of the role, policy
/// and strength columns give way first, their cells cut with `…`, and the notes below a row wrap.
pub fn human(rows: &[ChainRow], width: Option<usize>) -> String {
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
            *w = (*w).max(cell.chars().count().min(MAX_CELL));
        }
    }
    if let Some(width) = width {
        fit(&mut widths, width);
    }
    let line = |cells: &[String]| -> String {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let cell = clip(cell, w);
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
            let lines = wrap(note, width.map(|w| w.saturating_sub(4)));
            for (i, part) in lines.iter().enumerate() {
                let lead = if i == 0 { "  ↳ " } else { "    " };
                out.push_str(&format!("{lead}{part}\n"));
            }
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

/// The widest a cell is shown, whatever the width.
const MAX_CELL: usize = 60;
/// The columns that give way when the table is too wide (role, policy, strength), and the
/// narrowest they become.
const SHRINKABLE: [usize; 3] = [0, 3, 4];
const MIN_SHRUNK: usize = 12;

/// Narrows the shrinkable columns, the widest first, until the table (columns two spaces apart)
/// fits in `width` or none can give way.
fn fit(widths: &mut [usize; 6], width: usize) {
    loop {
        let total: usize = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
        if total <= width {
            return;
        }
        let widest = SHRINKABLE
            .iter()
            .copied()
            .filter(|&i| widths[i] > MIN_SHRUNK)
            .max_by_key(|&i| (widths[i], std::cmp::Reverse(i)));
        match widest {
            Some(i) => widths[i] -= 1,
            None => return,
        }
    }
}

/// The text cut into lines of at most `width` characters at spaces (a longer word is cut).
fn wrap(text: &str, width: Option<usize>) -> Vec<String> {
    let Some(width) = width.filter(|w| *w >= 20) else {
        return vec![text.to_owned()];
    };
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word = word.to_owned();
        loop {
            let used = line.chars().count();
            let needed = word.chars().count() + usize::from(used > 0);
            if used + needed <= width {
                if used > 0 {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut line).trim_end().to_owned());
                continue;
            }
            // A word longer than a line: cut it.
            let cut: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            lines.push(cut);
            if word.is_empty() {
                break;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
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

#[cfg(test)]
mod tests {
    use super::{clip, fit, wrap};

    #[test]
    fn the_widest_shrinkable_column_gives_way_first() {
        let mut widths = [40, 8, 20, 50, 30, 18];
        fit(&mut widths, 120);
        assert_eq!(widths.iter().sum::<usize>() + 10, 120);
        // The fixed columns keep their width; role, policy and strength end within one of
        // each other.
        assert_eq!([widths[1], widths[2], widths[5]], [8, 20, 18]);
        let shrunk = [widths[0], widths[3], widths[4]];
        assert!(
            shrunk.iter().max().unwrap() - shrunk.iter().min().unwrap() <= 1,
            "{widths:?}"
        );
        let mut narrow = [40, 8, 20, 50, 30, 18];
        fit(&mut narrow, 40);
        assert_eq!(
            narrow,
            [12, 8, 20, 12, 12, 18],
            "no narrower than the minimum"
        );
    }

    #[test]
    fn notes_wrap_at_spaces_and_cut_long_words() {
        assert_eq!(
            wrap("the policy is report-only and excludes admins", Some(20)),
            ["the policy is", "report-only and", "excludes admins"]
        );
        assert_eq!(wrap(&"x".repeat(45), Some(20)).len(), 3);
        assert_eq!(wrap("short", None), ["short"]);
        assert_eq!(clip("Global Administrator", 10), "Global Ad…");
    }
}
