//! `entralint report --action-plan FILE.csv`: the action plan, one row per finding that is not
//! suppressed, in the report's order (most severe first, then by rule): code, severity, rule,
//! object, location, finding, fix.
//!
//! RFC 4180 (<https://www.rfc-editor.org/rfc/rfc4180>): records end with CRLF; a field holding a
//! comma, a double quote, a line break or a leading or trailing space is quoted, its quotes
//! doubled. Strings from the export may hold any of these, and line breaks are kept in their
//! quoted field; the other control characters are written as escapes. A field that a spreadsheet
//! would read as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) is
//! prefixed with `'`, as OWASP's guidance on CSV injection advises
//! (<https://owasp.org/www-community/attacks/CSV_Injection>).

use entralint_lint::diagnostic::is_escaped;
use entralint_lint::Report;
use entralint_parser::Tenant;

pub const HEADER: [&str; 7] = [
    "code", "severity", "rule", "object", "location", "finding", "fix",
];

pub fn action_plan(tenant: &Tenant, report: &Report) -> String {
    let mut out = String::new();
    record(&mut out, &HEADER.map(str::to_owned));
    for r in super::html::ordered(tenant, report)
        .into_iter()
        .filter(|r| r.suppressed.is_none())
    {
        let f = &r.finding;
        let object = match &f.subject {
            Some(s) => match (&s.display_name, &s.id) {
                (Some(n), Some(id)) => format!("{} {n} ({id})", s.kind.as_str()),
                (Some(n), None) => format!("{} {n}", s.kind.as_str()),
                (None, Some(id)) => format!("{} {id}", s.kind.as_str()),
                (None, None) => s.kind.as_str().to_owned(),
            },
            None => String::new(),
        };
        record(
            &mut out,
            &[
                f.code.to_owned(),
                f.severity.as_str().to_owned(),
                f.name.to_owned(),
                object,
                format!(
                    "{}:{}:{} {}",
                    tenant.sources.path(r.file),
                    r.start.line,
                    r.start.column,
                    r.pointer
                ),
                f.message.clone(),
                f.help.clone().unwrap_or_default(),
            ],
        );
    }
    out
}

fn record(out: &mut String, fields: &[String]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&field(f));
    }
    out.push_str("\r\n");
}

/// One field, neutralised and quoted as needed.
pub fn field(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        s.push('\'');
    }
    for c in value.chars() {
        match c {
            '\n' => s.push('\n'),
            c if is_escaped(c) => {
                s.push_str(&entralint_lint::diagnostic::printable(&c.to_string()))
            }
            c => s.push(c),
        }
    }
    let quote = s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ');
    if quote {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_neutralised() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("-1"), "'-1");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("\tx"), "'\\tx");
        assert_eq!(field("a\u{1b}[31m"), "a\\u{1b}[31m");
    }
}
