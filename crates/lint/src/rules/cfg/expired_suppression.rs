use crate::prelude::*;

declare_rule! {
    /// A suppression in entralint.toml has expired.
    ///
    /// ## Why is this bad?
    /// A suppression with `expires` records a decision to accept a finding until a date: a
    /// waiver with a deadline. Once the date has passed the suppression stops applying, so the
    /// finding it covered is reported again, and this finding says which waiver ran out so that it
    /// is renewed with a new justification or the underlying fault is fixed.
    ///
    /// The date is today's (or `--today YYYY-MM-DD`).
    ///
    /// ## Example
    /// ```toml fail
    /// [[suppress]]
    /// rule = "PIM013"
    /// object = "1a2b3c4d-0007-4000-8000-000000000007"
    /// justification = "Directory sync account, replaced by cloud sync in Q3 (CAB-1234)"
    /// expires = 2025-09-30
    /// ```
    ///
    /// ```toml pass
    /// [[suppress]]
    /// rule = "PIM013"
    /// object = "1a2b3c4d-0007-4000-8000-000000000007"
    /// justification = "Directory sync account, replaced by cloud sync in Q3 (CAB-1234)"
    /// expires = 2099-09-30
    /// ```
    ///
    /// ## How to fix
    /// Fix the finding the suppression covered, or, if the risk is still accepted, renew the
    /// suppression with a new `expires` and an updated `justification`.
    pub static EXPIRED_SUPPRESSION = {
        code: "CFG001",
        name: "expired-suppression",
        severity: Severity::Low,
        runs: Runs::AfterFindings,
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    let settings = cx.settings;
    let run = &settings.run;
    let (Some(file), Some(today)) = (settings.file, run.today) else {
        return;
    };
    for s in run.suppressions.iter().filter(|s| run.is_expired(s)) {
        let expires = s.expires.map(|d| d.to_string()).unwrap_or_default();
        cx.report(
            Origin::new(file, Pointer::root()),
            format!(
                "the suppression of {} for `{}` expired on {expires} (today is {today})",
                s.rule, s.object
            ),
        )
        .span(s.expires_span.clone().unwrap_or_else(|| s.span.clone()))
        .label("no longer applies: the finding is reported again")
        .help("fix the finding, or renew the suppression with a new expiry date and justification")
        .key(Key::Suppression {
            rule: s.rule,
            object: s.object.clone(),
        });
    }
}
