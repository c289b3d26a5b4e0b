//! entralint's own outputs met among the inputs: a report (`--format json` or `sarif`), a
//! baseline, or a `chains --format json` table written inside the tree a later run walks. They
//! are never read back as exports; the run names each one it skipped (the summary, `--verbose`,
//! and the JSON report's `inventory.skipped`), so nothing is left out unsaid.

use serde_json::{Map, Value};

/// How much of a file's start is searched for the words every such output holds before the
/// whole file is parsed: an export that does not hold them near its start is not parsed twice.
const SNIFF: usize = 64 << 10;

/// What entralint output the bytes are, if they are one: `report`, `SARIF report`, `baseline` or
/// `chains table`.
pub fn kind(bytes: &[u8]) -> Option<&'static str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    if bytes[start] != b'{' {
        return None;
    }
    let head = &bytes[..bytes.len().min(SNIFF)];
    let holds = |word: &[u8]| head.windows(word.len()).any(|w| w == word);
    if !(holds(b"\"entralint\"") || holds(b"\"fingerprint\"") || holds(b"\"weakestLink\"")) {
        return None;
    }
    let value: Value = serde_json::from_slice(bytes).ok()?;
    let top = value.as_object()?;
    let name = |v: Option<&Value>| v.and_then(Value::as_str) == Some("entralint");
    if name(top.get("tool").and_then(|t| t.get("name"))) && top.contains_key("findings") {
        return Some("report");
    }
    let sarif_run = |run: &Value| name(run.pointer("/tool/driver/name"));
    if top
        .get("runs")
        .and_then(Value::as_array)
        .is_some_and(|runs| runs.iter().any(sarif_run))
    {
        return Some("SARIF report");
    }
    if only_keys(top, &["version", "findings"])
        && every(top.get("findings"), &["fingerprint", "code"])
    {
        return Some("baseline");
    }
    if only_keys(top, &["version", "roles"])
        && every(top.get("roles"), &["roleName", "verdict", "weakestLink"])
    {
        return Some("chains table");
    }
    None
}

/// Whether the object has exactly these members.
fn only_keys(object: &Map<String, Value>, keys: &[&str]) -> bool {
    object.len() == keys.len() && keys.iter().all(|k| object.contains_key(*k))
}

/// Whether `list` is an array whose every element is an object with these members.
fn every(list: Option<&Value>, members: &[&str]) -> bool {
    list.and_then(Value::as_array).is_some_and(|items| {
        items.iter().all(|item| {
            item.as_object()
                .is_some_and(|o| members.iter().all(|m| o.contains_key(*m)))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::kind;

    #[test]
    fn each_output_is_recognised() {
        let report =
            br#"{"version":1,"tool":{"name":"entralint","version":"0.1.0"},"findings":[]}"#;
        assert_eq!(kind(report), Some("report"));
        let sarif = br#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"entralint"}}}]}"#;
        assert_eq!(kind(sarif), Some("SARIF report"));
        let baseline = b"\xEF\xBB\xBF {\"version\":1,\"findings\":[{\"fingerprint\":\"ab\",\"code\":\"PIM001\"}]}";
        assert_eq!(kind(baseline), Some("baseline"));
        let chains =
            br#"{"version":1,"roles":[{"roleName":"x","verdict":"weak","weakestLink":""}]}"#;
        assert_eq!(kind(chains), Some("chains table"));
    }

    #[test]
    fn exports_and_other_tools_outputs_are_not() {
        // A Graph collection that happens to name entralint.
        let graph = br#"{"@odata.context":"x","value":[{"displayName":"entralint","id":"1"}]}"#;
        assert_eq!(kind(graph), None);
        // Another tool's SARIF.
        let sarif = br#"{"runs":[{"tool":{"driver":{"name":"checkov"}}}],"x":"entralint"}"#;
        assert_eq!(kind(sarif), None);
        // A baseline-like object with one more member.
        let more = br#"{"version":1,"findings":[{"fingerprint":"a","code":"b"}],"value":[]}"#;
        assert_eq!(kind(more), None);
        // A finding without a fingerprint.
        let partial = br#"{"version":1,"findings":[{"fingerprint":"a","code":"b"},{"code":"c"}]}"#;
        assert_eq!(kind(partial), None);
        assert_eq!(kind(b"[\"entralint\"]"), None);
        assert_eq!(kind(b"{\"entralint\": "), None);
        assert_eq!(kind(b""), None);
    }
}
