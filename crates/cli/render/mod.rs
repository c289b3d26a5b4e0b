//! Output formats.

pub mod chains;
pub mod csv;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod whatif;

use crate::tenants::TenantInfo;
use entralint_lint::chains::ChainRow;
use entralint_lint::settings::RunPolicy;
use entralint_lint::{Report, Resolved, Severity};
use entralint_parser::Tenant;

/// The report in every format `check` writes (human with and without colour, concise and as
/// statistics, JSON, SARIF, GitHub
/// with its step summary, JUnit), `report`'s HTML page and action plan, and the chains table in both of `chains`' formats, each named:
/// what the fuzz target `render` and the property test over the renderers exercise.
pub fn every_format(
    tenant: &Tenant,
    tenants: &[TenantInfo],
    report: &Report,
    policy: &RunPolicy,
    rows: &[ChainRow],
) -> Vec<(&'static str, String)> {
    let style = |color, layout| human::Style {
        color,
        width: 100,
        docs_url: Some("https://example.org/rules".to_owned()),
        show_suppressed: true,
        show_ids: true,
        tenants: tenants.to_vec(),
        layout,
        quiet: false,
        verbose: true,
        skipped: Vec::new(),
    };
    vec![
        (
            "human",
            human::render(tenant, report, None, &style(false, human::Layout::Full)),
        ),
        (
            "human-color",
            human::render(tenant, report, None, &style(true, human::Layout::Full)),
        ),
        (
            "human-concise",
            human::render(tenant, report, None, &style(false, human::Layout::Concise)),
        ),
        (
            "human-statistics",
            human::render(
                tenant,
                report,
                None,
                &style(false, human::Layout::Statistics),
            ),
        ),
        ("json", json::render(tenant, tenants, report, None, &[])),
        ("sarif", sarif::render(tenant, report, policy, None)),
        ("github", github::render(tenant, report, None)),
        (
            "github-summary",
            github::step_summary(tenant, report, None, 1 << 20),
        ),
        ("junit", junit::render(tenant, report)),
        (
            "html",
            html::render(&html::Page {
                tenant,
                tenants,
                report,
                chains: rows,
                coverage: &[],
                docs_url: None,
                skipped: &[],
            }),
        ),
        ("action-plan", csv::action_plan(tenant, report)),
        ("chains-json", chains::json(rows)),
        ("chains-human", chains::human(rows, None)),
        ("chains-human-narrow", chains::human(rows, Some(60))),
    ]
}

/// Findings per severity, most severe first (suppressed findings are counted apart).
pub fn counts(report: &Report) -> [(Severity, usize); 4] {
    Severity::ALL.map(|s| {
        let n = report
            .findings
            .iter()
            .filter(|f| f.suppressed.is_none() && f.finding.severity == s)
            .count();
        (s, n)
    })
}

pub fn suppressed(report: &Report) -> usize {
    report
        .findings
        .iter()
        .filter(|f| f.suppressed.is_some())
        .count()
}

/// The id a suppression names to cover the finding: its subject's, else the first object of its
/// key; `None` for a finding about the tenant as a whole or a file that could not be read.
pub fn suppression_object(r: &Resolved) -> Option<&str> {
    let f = &r.finding;
    f.subject
        .as_ref()
        .and_then(|s| s.id.as_deref())
        .or_else(|| {
            f.key
                .as_ref()
                .and_then(|k| k.objects().first().map(|id| &***id))
        })
}

#[cfg(test)]
mod tests {
    //! Behaviour that needs a suppressed finding, which only a configuration produces: the tests
    //! mark one by hand.

    use entralint_lint::settings::RunPolicy;
    use entralint_lint::{Report, Settings, Suppressed};
    use entralint_parser::{Input, Tenant};

    /// A policy with a duplicate key (JSON002), its finding suppressed.
    fn suppressed() -> (Tenant, Report) {
        let text = "{\n  \"displayName\": \"x\",\n  \"state\": \"enabled\",\n  \"state\": \"disabled\"\n}\n";
        let tenant = entralint_parser::load([Input::new(
            "tenant/policy.json".to_owned(),
            Ok(text.as_bytes().to_vec()),
        )]);
        let settings = Settings {
            run: RunPolicy {
                select: Some(vec!["JSON002".to_owned()]),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut report = entralint_lint::run(&tenant, &settings);
        assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
        report.findings[0].suppressed = Some(Suppressed {
            justification: "kept on purpose (CAB-1)".to_owned(),
            expires: Some("2030-01-31".to_owned()),
        });
        (tenant, report)
    }

    #[test]
    fn sarif_marks_suppressed_results() {
        let (tenant, report) = suppressed();
        let log: serde_json::Value = serde_json::from_str(&super::sarif::render(
            &tenant,
            &report,
            &RunPolicy::default(),
            None,
        ))
        .unwrap();
        let result = &log["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "JSON002");
        assert_eq!(
            result["suppressions"],
            serde_json::json!([{
                "kind": "external",
                "status": "accepted",
                "justification": "kept on purpose (CAB-1)",
                "properties": { "expires": "2030-01-31" }
            }])
        );
    }

    #[test]
    fn junit_skips_suppressed_findings() {
        let (tenant, report) = suppressed();
        let xml = super::junit::render(&tenant, &report);
        assert!(
            xml.contains("<skipped message=\"suppressed: kept on purpose (CAB-1)\"/>"),
            "{xml}"
        );
        assert!(!xml.contains("<failure"), "{xml}");
    }

    #[test]
    fn github_does_not_annotate_suppressed_findings() {
        let (tenant, report) = suppressed();
        let out = super::github::render(&tenant, &report, None);
        assert!(!out.contains("::"), "{out}");
        let summary = super::github::step_summary(&tenant, &report, None, 1 << 20);
        assert!(!summary.contains("| JSON002 |"), "{summary}");
    }
}
