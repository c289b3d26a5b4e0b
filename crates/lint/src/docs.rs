//! The rule documentation: one source (the doc comment), three outputs (`entralint explain`,
//! docs/rules/<CODE>.md, docs/rules/README.md).

use crate::{rules, Rule};

/// The doc comment without the single space rustdoc leaves after `///`.
pub fn text(rule: &Rule) -> String {
    rule.docs
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An executable example from the docs: a `json fail`/`json pass` block (export content) or a
/// `toml fail`/`toml pass` block (entralint.toml content, for the configuration rules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub fails: bool,
    /// `json` or `toml`.
    pub lang: &'static str,
    pub text: String,
}

pub fn examples(rule: &Rule) -> Vec<Example> {
    let mut out = Vec::new();
    let mut current: Option<(bool, &'static str, Vec<String>)> = None;
    for line in text(rule).lines() {
        match (&mut current, line.trim()) {
            (None, "```json fail") => current = Some((true, "json", Vec::new())),
            (None, "```json pass") => current = Some((false, "json", Vec::new())),
            (None, "```toml fail") => current = Some((true, "toml", Vec::new())),
            (None, "```toml pass") => current = Some((false, "toml", Vec::new())),
            (Some(_), "```") => {
                let (fails, lang, lines) = current.take().expect("inside a block");
                out.push(Example {
                    fails,
                    lang,
                    text: lines.join("\n"),
                });
            }
            (Some((_, _, lines)), _) => lines.push(line.to_owned()),
            (None, _) => {}
        }
    }
    out
}

/// The `## ` headings of the docs, in order.
pub fn headings(rule: &Rule) -> Vec<String> {
    text(rule)
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(str::to_owned)
        .collect()
}

/// Where the rule is defined, without the line number (which moves with every edit above it).
pub fn source_file(rule: &Rule) -> &'static str {
    rule.source.rsplit_once(':').map_or(rule.source, |(f, _)| f)
}

/// The rule's page: `entralint explain CODE` prints it, docs/rules/CODE.md holds it.
pub fn markdown(rule: &Rule) -> String {
    let text = text(rule);
    let mut lines = text.lines();
    let summary = lines.next().unwrap_or_default();
    let mut out = format!(
        "# {} {}\n\n{summary}\n\n- Default severity: **{}**\n",
        rule.code, rule.name, rule.severity,
    );
    if !rule.needs.is_empty() {
        let needs: Vec<String> = rule.needs.iter().map(|n| n.describe()).collect();
        out.push_str(&format!(
            "- Needs in the export (else not evaluated): {}\n",
            needs.join("; ")
        ));
    }
    out.push_str(&format!("- Source: `{}`\n", source_file(rule)));
    for line in lines {
        match line.trim() {
            "```json fail" => out.push_str("entralint reports this:\n\n```json\n"),
            "```json pass" => out.push_str("entralint accepts this:\n\n```json\n"),
            "```toml fail" => out.push_str("entralint reports this (entralint.toml):\n\n```toml\n"),
            "```toml pass" => out.push_str("entralint accepts this (entralint.toml):\n\n```toml\n"),
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// docs/rules/README.md: the catalogue as a table.
pub fn index() -> String {
    let mut out = String::from(
        "# entralint rules\n\nGenerated from the rules' doc comments; do not edit by hand \
         (`INSTA_UPDATE=always cargo test --workspace` regenerates).\n\n\
         | Code | Name | Default severity | Summary |\n|---|---|---|---|\n",
    );
    for r in rules::ALL.iter() {
        out.push_str(&format!(
            "| [{code}]({code}.md) | {} | {} | {} |\n",
            r.name,
            r.severity,
            r.summary(),
            code = r.code
        ));
    }
    out
}

/// The body of the docs' `## heading` section (without the heading), or `None` if it has none.
pub fn section(rule: &Rule, heading: &str) -> Option<String> {
    let text = text(rule);
    let mut lines = text
        .lines()
        .skip_while(|l| l.strip_prefix("## ") != Some(heading));
    lines.next()?;
    let body: Vec<&str> = lines.take_while(|l| !l.starts_with("## ")).collect();
    Some(body.join("\n").trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_found_by_heading() {
        let rule = rules::by_code("PIM001").expect("PIM001 exists");
        let why = section(rule, "Why is this bad?").expect("PIM001 says why");
        assert!(
            why.starts_with("\"Require multifactor authentication"),
            "{why}"
        );
        assert!(!why.contains("## "), "stops at the next heading: {why}");
        let fix = section(rule, "How to fix").expect("PIM001 says how to fix");
        assert!(fix.starts_with("In the role's PIM settings"), "{fix}");
        assert_eq!(section(rule, "No such heading"), None);
    }
}
