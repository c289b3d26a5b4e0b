//! Microsoft365DSC configurations (`.ps1` with its `ConfigurationData.psd1`), over
//! examples/contoso-risky-m365dsc — the tenant of examples/contoso-risky as
//! `Export-M365DSCConfiguration` writes it — and small configurations written here:
//!
//! - the example's findings, located on the lines of the `.ps1`, are snapshotted
//!   (tests/snapshots/m365dsc__*.snap), and match contoso-risky's wherever the format can
//!   express the fault;
//! - the inventory counts the resources of each type read, counted here from the text;
//! - what is not statically evaluable (a loop, a call, an unknown variable) is reported and read
//!   as unknown, never guessed; `Ensure = "Absent"` resources and types entralint does not read are
//!   named; a broken file is reported where it breaks and the others are still linted.

mod common;

use common::{compact, counts, entralint, entralint_in, json, root, snapshot, stderr};
use serde_json::Value;
use std::collections::BTreeSet;

const EXAMPLE: &str = "examples/contoso-risky-m365dsc";
const CONFIG: &str = "examples/contoso-risky-m365dsc/M365TenantConfig.ps1";

fn report_in(dir: &std::path::Path, path: &str) -> Value {
    let o = entralint_in(dir, &["check", path, "--format", "json"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    json(&o)
}

fn codes(report: &Value) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

fn messages(report: &Value, code: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn example_findings_are_located_on_the_lines_of_the_configuration() {
    let r = report_in(&root(), EXAMPLE);
    let text = std::fs::read_to_string(root().join(CONFIG)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for f in r["findings"].as_array().unwrap() {
        let l = &f["location"];
        let file = l["file"].as_str().unwrap();
        if file != CONFIG {
            continue;
        }
        // Each finding sits on a line that writes a property or opens a resource.
        let line = lines[l["line"].as_u64().unwrap() as usize - 1].trim();
        assert!(
            line.contains(" = ") || line.starts_with("AAD"),
            "{f}\n{line}"
        );
    }
    let out = compact(&r);
    snapshot("m365dsc_example", || {
        insta::assert_snapshot!("m365dsc_example", out)
    });
}

/// The faults of contoso-risky that a Microsoft365DSC configuration can express are found in its
/// configuration too; what it cannot (users, groups, registrations, assignments: not in the
/// configuration) is not evaluated, never passed.
#[test]
fn example_finds_what_contoso_risky_finds_where_the_format_can_express_it() {
    let dsc = report_in(&root(), EXAMPLE);
    let graph = report_in(&root(), "examples/contoso-risky");
    let (dsc_codes, graph_codes) = (codes(&dsc), codes(&graph));
    for code in [
        "ADM001", "ADM002", "ADM005", "ADM006", "BG001", "HYG001", "HYG003", "HYG004", "HYG007",
        "PIM001", "PIM002", "PIM003", "PIM004", "PIM005", "PIM006", "PIM010", "PIM011", "PIM012",
        "PIM013", "PIM014", "ROL004",
    ] {
        assert!(dsc_codes.contains(code), "{code} not found: {dsc_codes:?}");
        assert!(graph_codes.contains(code), "{code} not in contoso-risky");
    }
    // Nothing beyond contoso-risky's, but the names it cannot resolve without users or groups.
    let extra: Vec<&String> = dsc_codes
        .difference(&graph_codes)
        .filter(|c| *c != "JSON012")
        .collect();
    assert!(extra.is_empty(), "{extra:?}");
    let not_evaluated: BTreeSet<&str> = dsc["notEvaluated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].as_str().unwrap())
        .collect();
    for code in ["BG002", "BG003", "HYG002", "HYG006", "ROL002"] {
        assert!(not_evaluated.contains(code), "{code}: {not_evaluated:?}");
        assert!(!dsc_codes.contains(code));
    }
    // The break-glass accounts are written `…@$OrganizationName`, resolved through
    // ConfigurationData.psd1, and match their declaration by UPN.
    let bg = messages(&dsc, "BG001").join("\n");
    assert!(bg.contains("bg-admin01@contoso.onmicrosoft.com"), "{bg}");
}

/// Counted here from the text: one object per resource block of each type read.
#[test]
fn the_inventory_counts_the_resources_read() {
    let text = std::fs::read_to_string(root().join(CONFIG)).unwrap();
    let blocks = |ty: &str| {
        text.lines()
            .filter(|l| l.trim_start().starts_with(&format!("{ty} \"")))
            .count() as u64
    };
    let r = report_in(&root(), EXAMPLE);
    let c = counts(&r);
    let get = |k: &str| c.get(k).copied().unwrap_or(0);
    assert_eq!(
        get("conditionalAccessPolicies"),
        blocks("AADConditionalAccessPolicy")
    );
    assert_eq!(
        get("authenticationContextClassReferences"),
        blocks("AADAuthenticationContextClassReference")
    );
    assert_eq!(
        get("authenticationStrengthPolicies"),
        blocks("AADAuthenticationStrengthPolicy")
    );
    assert_eq!(get("namedLocations"), blocks("AADNamedLocationPolicy"));
    assert_eq!(
        get("roleManagementPolicies"),
        blocks("AADRoleSetting") + blocks("AADPIMGroupSetting")
    );
    assert_eq!(
        get("roleEligibilitySchedules"),
        blocks("AADRoleEligibilityScheduleRequest")
    );
    assert_eq!(
        get("roleAssignmentSchedules"),
        blocks("AADRoleAssignmentScheduleRequest")
    );
    assert_eq!(
        get("groupEligibilitySchedules"),
        blocks("AADGroupEligibilitySchedule")
    );
    assert!(get("roleAssignmentSchedules") > 0 && get("groupEligibilitySchedules") > 0);
    assert!(get("conditionalAccessPolicies") > 0 && get("roleEligibilitySchedules") > 0);
}

/// The PIM settings of a role become its policy's rules, each finding on the setting.
#[test]
fn role_settings_are_judged_on_the_setting_that_causes_the_finding() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.ps1"),
        r#"Configuration C
{
    Import-DscResource -ModuleName 'Microsoft365DSC'
    Node localhost
    {
        AADRoleSetting 62e90394-69f5-4237-9190-012177145e10
        {
            Displayname                   = "Global Administrator";
            ActivationMaxDuration         = "PT8H";
            ActivationReqMFA              = $False;
            ActivationReqJustification    = $True;
            AuthenticationContextRequired = $False;
            ApprovaltoActivate            = $False;
        }
        AADRoleEligibilityScheduleRequest "GA-alice"
        {
            Principal        = "alice@contoso.com";
            PrincipalType    = "User";
            RoleDefinition   = "Global Administrator";
            DirectoryScopeId = "/";
        }
    }
}
"#,
    )
    .unwrap();
    let r = report_in(dir.path(), ".");
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "PIM002")
        .unwrap_or_else(|| panic!("{}", compact(&r)));
    // `ActivationReqMFA = $False;` is the line that lets the role activate on a password.
    assert_eq!(f["location"]["line"], 10, "{f}");
    // The same role asking for MFA no longer has PIM002.
    let fixed = std::fs::read_to_string(dir.path().join("config.ps1"))
        .unwrap()
        .replace(
            "ActivationReqMFA              = $False",
            "ActivationReqMFA = $True",
        );
    std::fs::write(dir.path().join("config.ps1"), fixed).unwrap();
    let r = report_in(dir.path(), ".");
    assert!(!codes(&r).contains("PIM002"), "{}", compact(&r));
    assert!(codes(&r).contains("PIM001"), "{}", compact(&r));
}

/// Loops, calls and variables entralint does not know are reported, once, and not guessed.
#[test]
fn what_is_not_statically_evaluable_is_reported_and_not_guessed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.ps1"),
        r#"Configuration C
{
    Import-DscResource -ModuleName Microsoft365DSC
    Node localhost
    {
        foreach ($p in $ConfigurationData.NonNodeData.Policies)
        {
            AADConditionalAccessPolicy $p.Name { DisplayName = $p.Name; State = "enabled" }
        }
        AADConditionalAccessPolicy "Block legacy"
        {
            DisplayName     = "Block legacy";
            State           = (Get-State);
            IncludeUsers    = @("All");
            ExcludeUsers    = @("bg@$OrganizationName");
            ClientAppTypes  = @("exchangeActiveSync","other");
            BuiltInControls = @("block");
            IncludeApplications = @("All");
        }
        AADConditionalAccessPolicy "Removed"
        {
            DisplayName = "Removed";
            State       = "enabled";
            Ensure      = "Absent";
        }
        AADUser "someone"
        {
            UserPrincipalName = "someone@contoso.com";
        }
    }
}
"#,
    )
    .unwrap();
    let r = report_in(dir.path(), ".");
    let out = compact(&r);
    let json013 = messages(&r, "JSON013").join("\n");
    assert!(
        json013.contains("a `foreach` statement is outside what entralint evaluates"),
        "{out}"
    );
    assert!(
        json013.contains("1 value of this configuration is not statically evaluable"),
        "{out}"
    );
    assert!(json013.contains("`$OrganizationName`"), "{out}");
    assert!(
        json013.contains("'Removed' is declared `Ensure = \"Absent\"`"),
        "{out}"
    );
    assert!(json013.contains("1 `AADUser`"), "{out}");
    // One policy is read, its state unknown: not taken as enabled, nor as off.
    assert_eq!(
        counts(&r).get("conditionalAccessPolicies"),
        Some(&1),
        "{out}"
    );
    assert!(!out.contains("'Removed'") || json013.contains("'Removed'"));
    snapshot("m365dsc_not_evaluable", || {
        insta::assert_snapshot!("m365dsc_not_evaluable", out)
    });
}

/// A broken configuration is reported where it breaks; the other files are still linted; a
/// script that is no configuration is listed as unrecognised, not as broken.
#[test]
fn broken_and_foreign_scripts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.ps1"),
        "Configuration C {\n    Import-DscResource -ModuleName Microsoft365DSC\n    Node localhost {\n        AADConditionalAccessPolicy \"x\" {\n            DisplayName = \"never closed\n        }\n    }\n}\n",
    )
    .unwrap();
    // Broken before its `Import-DscResource`: still a configuration, by its keyword.
    std::fs::write(
        dir.path().join("broken-early.ps1"),
        "Configuration C\n{\n    Node localhost\n    {\n        AADConditionalAccessPolicy \"x\"\n        {\n            DisplayName = \"never closed;\n        }\n    }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("deploy.ps1"),
        "param([string]$Path)\n$x = Get-ChildItem $Path | Where-Object { $_.Name -like '*.json' }\nWrite-Host \"found $($x.Count) ``\"files\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("ok.ps1"),
        "Configuration C {\n Import-DscResource -ModuleName Microsoft365DSC\n Node localhost {\n  AADAuthenticationContextClassReference \"c1\" { Id = \"c1\"; DisplayName = \"Step-up\"; IsAvailable = $True }\n }\n}\n",
    )
    .unwrap();
    // A module manifest is no configuration's data; a broken data file that is one is reported.
    std::fs::write(
        dir.path().join("Module.psd1"),
        "@{ RootModule = 'x.psm1'; FunctionsToExport = @('*') ",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("ConfigurationData.psd1"),
        "@{ NonNodeData = @( @{ OrganizationName = 'contoso.onmicrosoft.com }) }",
    )
    .unwrap();
    let r = report_in(dir.path(), ".");
    let broken: Vec<&Value> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "JSON001")
        .collect();
    assert_eq!(broken.len(), 3, "{}", compact(&r));
    assert_eq!(broken[0]["location"]["file"], "ConfigurationData.psd1");
    assert_eq!(broken[1]["location"]["file"], "broken-early.ps1");
    assert_eq!(broken[1]["location"]["line"], 7);
    assert_eq!(broken[2]["location"]["file"], "broken.ps1");
    assert_eq!(broken[2]["location"]["line"], 5);
    for b in broken {
        assert!(
            b["message"].as_str().unwrap().contains("never closed"),
            "{b}"
        );
    }
    assert_eq!(
        counts(&r).get("authenticationContextClassReferences"),
        Some(&1)
    );
    let unrecognized = r["inventory"]["unrecognized"].to_string();
    assert!(unrecognized.contains("deploy.ps1"), "{unrecognized}");
    assert!(unrecognized.contains("Module.psd1"), "{unrecognized}");
}

/// `$OrganizationName` is the `NonNodeData.OrganizationName` of the ConfigurationData.psd1
/// beside the configuration; without it, the UPNs that hold it match no declaration, and that
/// is said.
#[test]
fn organization_name_comes_from_the_data_file_beside_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("M365TenantConfig.ps1"),
        r#"Configuration M365TenantConfig
{
    $OrganizationName = $ConfigurationData.NonNodeData.OrganizationName
    Import-DscResource -ModuleName 'Microsoft365DSC'
    Node localhost
    {
        AADConditionalAccessPolicy "AADConditionalAccessPolicy-Require MFA"
        {
            DisplayName         = "Require MFA";
            State               = "enabled";
            IncludeUsers        = @("All");
            ExcludeUsers        = @("bg@$OrganizationName");
            IncludeApplications = @("All");
            ClientAppTypes      = @("all");
            BuiltInControls     = @("mfa");
            GrantControlOperator = "OR";
            TenantId            = $OrganizationName;
        }
    }
}
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("ConfigurationData.psd1"),
        "@{\n    AllNodes = @(@{ NodeName = 'localhost' })\n    NonNodeData = @(\n        @{\n            OrganizationName = \"contoso.onmicrosoft.com\"\n        }\n    )\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("entralint.toml"),
        "[accounts]\nbreak-glass = [{ upn = \"bg@contoso.onmicrosoft.com\" }]\n",
    )
    .unwrap();
    let r = report_in(dir.path(), ".");
    let out = compact(&r);
    // Resolved: the exclusion is the declared account.
    assert!(!codes(&r).contains("JSON012"), "{out}");
    assert!(!codes(&r).contains("BG001"), "{out}");
    assert!(!out.contains("$OrganizationName"), "{out}");
    std::fs::remove_file(dir.path().join("ConfigurationData.psd1")).unwrap();
    let r = report_in(dir.path(), ".");
    let json013 = messages(&r, "JSON013").join("\n");
    assert!(
        json013.contains("none was read") && json013.contains("`$OrganizationName`"),
        "{}",
        compact(&r)
    );
    assert!(codes(&r).contains("JSON012"), "{}", compact(&r));
}

#[test]
fn the_hook_and_a_named_file_read_the_configuration() {
    // A pre-commit hook names the changed files.
    let o = entralint(&["check", CONFIG, "--output-format", "concise"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = common::stdout(&o);
    assert!(out.contains("M365TenantConfig.ps1:"), "{out}");
    assert!(out.contains("PIM001"), "{out}");
}

/// `New-M365DSCReportFromConfiguration -Type JSON` of a configuration: the same resources, read
/// through the same mapper, each finding on the member of its element.
#[test]
fn report_json_is_read_like_the_configuration() {
    let r = report_in(&root(), "tests/fixtures/m365dsc");
    let out = compact(&r);
    for code in ["ADM005", "PIM002", "PIM012", "ADM003"] {
        assert!(codes(&r).contains(code), "{code}\n{out}");
    }
    let c = counts(&r);
    assert_eq!(c.get("conditionalAccessPolicies"), Some(&1), "{out}");
    assert_eq!(c.get("roleManagementPolicies"), Some(&1), "{out}");
    assert_eq!(c.get("roleEligibilitySchedules"), Some(&1), "{out}");
    assert!(
        messages(&r, "JSON013").join("\n").contains("1 `AADUser`"),
        "{out}"
    );
    snapshot("m365dsc_report", || {
        insta::assert_snapshot!("m365dsc_report", out)
    });
}

const PIM: &str = "tests/fixtures/m365dsc-pim";

/// The line of the first finding with `code`, and its message.
fn finding_line(report: &Value, code: &str) -> (u64, String) {
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code)
        .unwrap_or_else(|| panic!("no {code}: {}", compact(report)));
    (
        f["location"]["line"].as_u64().unwrap(),
        f["message"].as_str().unwrap().to_owned(),
    )
}

/// `AADRoleManagementPolicyRule` (one rule per resource), `AADPIMGroupSetting` and
/// `AADGroupEligibilitySchedule` are read as the PIM policies and eligibilities they declare.
#[test]
fn pim_rules_written_one_by_one_and_pim_for_groups_are_read() {
    let r = report_in(&root(), PIM);
    let out = compact(&r);
    // `enabledRules = @('Justification')` of the rule written for Global Administrator.
    let (line, _) = finding_line(&r, "PIM002");
    assert_eq!(line, 14, "{out}");
    // `ActivationReqMFA = $False` of the group's member policy; the group holds a role.
    let (line, message) = finding_line(&r, "PIM011");
    assert_eq!(line, 61, "{out}");
    assert!(message.contains("`PIM-Tier0`"), "{out}");
    let counts = counts(&r);
    assert_eq!(counts.get("roleManagementPolicies"), Some(&2), "{out}");
    assert_eq!(counts.get("groupEligibilitySchedules"), Some(&1), "{out}");
    assert_eq!(counts.get("roleEligibilitySchedules"), Some(&2), "{out}");
    snapshot("m365dsc_pim", || {
        insta::assert_snapshot!("m365dsc_pim", out)
    });
    let o = entralint_in(&root(), &["chains", PIM, "--format", "json"]);
    let chains = json(&o);
    let roles = chains["roles"].as_array().unwrap();
    let names: Vec<&str> = roles
        .iter()
        .map(|c| c["roleName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Global Administrator",
            "membership of group `PIM-Tier0` (Privileged Role Administrator)"
        ]
    );
    assert!(roles.iter().all(|c| c["verdict"] == "broken"), "{roles:?}");
}

/// A rule written one by one stands over the same rule made from the role's `AADRoleSetting`,
/// whichever comes first in the file.
#[test]
fn a_rule_written_one_by_one_stands_over_the_role_setting() {
    let setting = r#"
        AADRoleSetting "GA"
        {
            Displayname      = "Global Administrator";
            ActivationReqMFA = $True;
        }"#;
    let rule = |rules: &str| {
        format!(
            r#"
        AADRoleManagementPolicyRule "GA-Enablement"
        {{
            enablementRule  = MSFT_AADRoleManagementPolicyEnablementRule{{
                enabledRules = @({rules})
            }};
            id              = "Enablement_EndUser_Assignment";
            roleDisplayName = "Global Administrator";
        }}"#
        )
    };
    let eligible = r#"
        AADRoleEligibilityScheduleRequest "GA-alice"
        {
            Principal      = "alice@contoso.com";
            RoleDefinition = "Global Administrator";
        }"#;
    let config = |body: String| {
        format!(
            "Configuration C\n{{\n    Import-DscResource -ModuleName Microsoft365DSC\n    Node localhost\n    {{{body}{eligible}\n    }}\n}}\n"
        )
    };
    for (body, weak) in [
        (format!("{setting}{}", rule("'Justification'")), true),
        (format!("{}{setting}", rule("'Justification'")), true),
        (
            format!("{}{setting}", rule("'MultiFactorAuthentication'")),
            false,
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.ps1"), config(body.clone())).unwrap();
        let r = report_in(dir.path(), ".");
        assert_eq!(
            codes(&r).contains("PIM002"),
            weak,
            "{body}\n{}",
            compact(&r)
        );
        assert_eq!(
            counts(&r).get("roleManagementPolicies"),
            Some(&1),
            "{}",
            compact(&r)
        );
        if weak {
            let (line, _) = finding_line(&r, "PIM002");
            let text = config(body.clone());
            let at = text.lines().nth(line as usize - 1).unwrap();
            assert!(at.contains("enabledRules"), "{at}");
        }
    }
}

/// A rule of a role that is not built in, or without its rule id, is said to be unread.
#[test]
fn unreadable_pim_resources_are_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.ps1"),
        r#"Configuration C
{
    Import-DscResource -ModuleName Microsoft365DSC
    Node localhost
    {
        AADRoleManagementPolicyRule "custom"
        {
            id              = "Enablement_EndUser_Assignment";
            roleDisplayName = "Contoso Helpdesk Tier 3";
        }
        AADRoleManagementPolicyRule "no-id"
        {
            roleDisplayName = "Global Administrator";
        }
        AADPIMGroupSetting "no-group"
        {
            RoleDefinitionId = "member";
        }
        AADGroupEligibilitySchedule "no-principal"
        {
            GroupDisplayName = "PIM-Tier0";
        }
    }
}
"#,
    )
    .unwrap();
    let r = report_in(dir.path(), ".");
    let all: Vec<String> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect();
    let all = all.join("\n");
    for expected in [
        "names `Contoso Helpdesk Tier 3`, which is not a built-in directory role by name",
        "AADRoleManagementPolicyRule names no rule (`id`",
        "AADPIMGroupSetting names no group (`DisplayName`)",
        "AADGroupEligibilitySchedule names no group (`GroupDisplayName`) or no principal",
    ] {
        assert!(all.contains(expected), "{expected}\n{all}");
    }
    assert!(counts(&r)
        .get("roleManagementPolicies")
        .is_none_or(|n| *n == 0));
}

/// Two resources of one type under one name: PowerShell DSC refuses the configuration; the
/// second is reported on its own line and not read, the first is.
#[test]
fn a_duplicate_resource_identifier_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.ps1"),
        r#"Configuration C
{
    Import-DscResource -ModuleName Microsoft365DSC
    Node localhost
    {
        AADAuthenticationContextClassReference "c1"
        {
            Id = "c1"; DisplayName = "Step-up"; IsAvailable = $True
        }
        AADAuthenticationContextClassReference "C1"
        {
            Id = "c2"; DisplayName = "Other"; IsAvailable = $True
        }
    }
}
"#,
    )
    .unwrap();
    let r = report_in(dir.path(), ".");
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "JSON001")
        .unwrap_or_else(|| panic!("{}", compact(&r)));
    assert_eq!(f["location"]["line"], 10, "{f}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("declared a second time (first on line 6)"),
        "{f}"
    );
    assert_eq!(
        counts(&r).get("authenticationContextClassReferences"),
        Some(&1)
    );
}
