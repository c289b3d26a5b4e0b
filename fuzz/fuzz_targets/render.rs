//! Any bytes, as one policy file of the example tenant next to its entralint.toml: the report in
//! every format (human, JSON, SARIF, GitHub, JUnit, the chains table) renders without a panic, and
//! the machine formats stay parseable whatever the file holds.
#![no_main]

use entralint::render::every_format;
use entralint::tenants::TenantInfo;
use entralint_lint::chains::chain_rows;
use entralint_lint::{config_file, run};
use entralint_parser::{load, Encoding, Input};
use libfuzzer_sys::fuzz_target;

const SETTINGS: &str = r#"
[accounts]
break-glass = [{ object-id = "1a2b3c4d-00b1-4000-8000-0000000000b1" }]
[[suppress]]
rule = "PIM001"
object = "62e90394-69f5-4237-9190-012177145e10"
justification = "fuzzing"
"#;

fuzz_target!(|bytes: &[u8]| {
    let mut tenant = load([Input::new("tenant/fuzz.json".to_owned(), Ok(bytes.to_vec()))]);
    let mut settings = config_file::parse(SETTINGS).expect("the settings parse");
    settings.file = Some(tenant.sources.add(
        "tenant/entralint.toml".to_owned(),
        SETTINGS.to_owned(),
        Some(Encoding::Utf8),
        0,
    ));
    let report = run(&tenant, &settings);
    let rows = chain_rows(&tenant, &settings, &report);
    let tenants = [TenantInfo {
        root: "tenant".to_owned(),
        config: Some("tenant/entralint.toml".to_owned()),
    }];
    for (format, text) in every_format(&tenant, &tenants, &report, &settings.run, &rows) {
        if matches!(format, "json" | "sarif" | "chains-json") {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                panic!("{format} is not JSON: {e}");
            }
        }
    }
});
