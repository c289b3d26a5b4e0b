//! The performance budget of DESIGN.md: on a large synthetic tenant, `check` (load + every rule)
//! stays within 2× the time of `serde_json::from_slice::<Value>` over the same bytes, with peak
//! memory under 3× the input size.
//!
//! `cargo bench --bench check` prints both times, their ratio, and the peak resident memory of a
//! separate process that only runs `check`. Set `ENTRALINT_BENCH_MB` to change the size (default 50).

use entralint_lint::{run, Config};
use entralint_parser::builtin::BUILT_IN_ROLES;
use entralint_parser::{load, Input};
use std::time::{Duration, Instant};

const GA: &str = "62e90394-69f5-4237-9190-012177145e10";

/// A tenant of roughly `mb` megabytes, shaped like a very large real one: every built-in role with
/// its PIM policy (17-rule shape trimmed to the rules that matter), thousands of Conditional Access
/// policies (a few of them targeting authentication contexts), and many eligibilities, as Graph
/// collections.
fn tenant(mb: usize) -> Vec<(String, Vec<u8>)> {
    let target = mb * 1024 * 1024;
    let roles: Vec<&str> = BUILT_IN_ROLES.iter().map(|r| r.0).collect();
    let mut pim = String::new();
    let mut assignments = String::new();
    for (i, role) in roles.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        let policy = format!("DirectoryRole_t_{i}");
        pim.push_str(&format!(
            r##"{sep}{{"id":"{policy}","scopeId":"/","scopeType":"DirectoryRole","rules":[{{"@odata.type":"#microsoft.graph.unifiedRoleManagementPolicyEnablementRule","id":"Enablement_EndUser_Assignment","enabledRules":["MultiFactorAuthentication","Justification"],"target":{{"caller":"EndUser","operations":["all"],"level":"Assignment"}}}},{{"@odata.type":"#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule","id":"AuthenticationContext_EndUser_Assignment","isEnabled":{},"claimValue":"c{}","target":{{"caller":"EndUser","operations":["all"],"level":"Assignment"}}}},{{"@odata.type":"#microsoft.graph.unifiedRoleManagementPolicyExpirationRule","id":"Expiration_EndUser_Assignment","isExpirationRequired":true,"maximumDuration":"PT8H"}}]}}"##,
            i.is_multiple_of(2),
            i % 5 + 1
        ));
        assignments.push_str(&format!(
            r#"{sep}{{"id":"{policy}_{role}","policyId":"{policy}","scopeId":"/","scopeType":"DirectoryRole","roleDefinitionId":"{role}"}}"#
        ));
    }
    let mut ca = String::new();
    let mut eligibility = String::new();
    let mut i = 0usize;
    while ca.len() + eligibility.len() + pim.len() < target {
        let sep = if i == 0 { "" } else { "," };
        // One policy in 200 targets an authentication context; the rest protect applications.
        let (apps, contexts) = if i.is_multiple_of(200) {
            ("[]", format!(r#"["c{}"]"#, i / 200 % 5 + 1))
        } else {
            (r#"["All"]"#, "[]".to_owned())
        };
        ca.push_str(&format!(
            r#"{sep}{{"id":"3c4d5e6f-0000-4000-8000-{i:012}","displayName":"CA{i} - Require phishing-resistant MFA – contrôle d'accès 中文","state":"{}","conditions":{{"users":{{"includeUsers":[],"excludeUsers":["1a2b3c4d-0000-4000-8000-{i:012}"],"includeGroups":[],"excludeGroups":["2b3c4d5e-0001-4000-8000-000000000001"],"includeRoles":["{GA}"],"excludeRoles":[]}},"applications":{{"includeApplications":{apps},"excludeApplications":[],"includeUserActions":[],"includeAuthenticationContextClassReferences":{contexts}}},"clientAppTypes":["all"],"platforms":null,"locations":null}},"grantControls":{{"operator":"OR","builtInControls":["mfa"],"authenticationStrength":{{"id":"00000000-0000-0000-0000-000000000004"}}}},"sessionControls":{{"signInFrequency":{{"isEnabled":true,"frequencyInterval":"everyTime","type":null,"value":null}}}}}}"#,
            if i.is_multiple_of(3) { "enabledForReportingButNotEnforced" } else { "enabled" },
        ));
        let role = roles[i % roles.len()];
        eligibility.push_str(&format!(
            r#"{sep}{{"id":"e{i}","principalId":"1a2b3c4d-0000-4000-8000-{i:012}","roleDefinitionId":"{role}","directoryScopeId":"/","memberType":"Direct","scheduleInfo":{{"expiration":{{"type":"noExpiration"}}}}}}"#
        ));
        i += 1;
    }
    let envelope = |context: &str, body: String| -> Vec<u8> {
        format!(r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#{context}","value":[{body}]}}"#).into_bytes()
    };
    vec![
        (
            "ca.json".to_owned(),
            envelope("identity/conditionalAccess/policies", ca),
        ),
        (
            "pim.json".to_owned(),
            envelope("policies/roleManagementPolicies(rules())", pim),
        ),
        (
            "assignments.json".to_owned(),
            envelope("policies/roleManagementPolicyAssignments", assignments),
        ),
        (
            "eligibility.json".to_owned(),
            envelope(
                "roleManagement/directory/roleEligibilitySchedules",
                eligibility,
            ),
        ),
    ]
}

fn best_of(n: usize, mut f: impl FnMut()) -> Duration {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn check(files: Vec<(String, Vec<u8>)>) -> usize {
    let tenant = load(files.into_iter().map(|(path, bytes)| Input {
        path,
        bytes: Ok(bytes),
    }));
    run(&tenant, &Config::default()).findings.len()
}

/// Peak resident set size of this process (Linux), in bytes.
fn peak_rss() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn main() {
    let mb = std::env::var("ENTRALINT_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let files = tenant(mb);
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    if std::env::var_os("ENTRALINT_BENCH_CHILD").is_some() {
        let before = peak_rss().unwrap_or(0);
        let n = check(files);
        let after = peak_rss().unwrap_or(0);
        println!("{n} {before} {after}");
        return;
    }
    let baseline = best_of(3, || {
        for (_, b) in &files {
            std::hint::black_box(serde_json::from_slice::<serde_json::Value>(b).unwrap());
        }
    });
    let mut findings = 0;
    // The copy is made outside the timing: the CLI hands the bytes it read to the loader.
    let ours = (0..3)
        .map(|_| {
            let copy = files.clone();
            let t = Instant::now();
            findings = check(copy);
            t.elapsed()
        })
        .min()
        .unwrap();
    println!(
        "input: {:.1} MB in {} files",
        bytes as f64 / 1e6,
        files.len()
    );
    println!("serde_json::from_slice::<Value>: {baseline:?}");
    println!("entralint check (load + all rules, {findings} findings): {ours:?}");
    let ratio = ours.as_secs_f64() / baseline.as_secs_f64();
    println!(
        "time ratio: {ratio:.2} (budget 2.00) {}",
        if ratio <= 2.0 { "ok" } else { "OVER BUDGET" }
    );

    // Memory in a fresh process, so the baseline's allocations do not count.
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .env("ENTRALINT_BENCH_CHILD", "1")
        .env("ENTRALINT_BENCH_MB", mb.to_string())
        .output()
        .expect("child runs");
    let line = String::from_utf8_lossy(&out.stdout);
    let nums: Vec<usize> = line
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    if let [_, before, after] = nums[..] {
        // `before` holds the generated input itself; what check adds on top is what counts.
        let added = after.saturating_sub(before);
        let factor = added as f64 / bytes as f64;
        println!(
            "peak memory added by check: {:.1} MB = {factor:.2}× the input (budget 3.00) {}",
            added as f64 / 1e6,
            if factor <= 3.0 { "ok" } else { "OVER BUDGET" }
        );
    } else {
        println!("peak memory: not measurable on this platform");
    }
}
