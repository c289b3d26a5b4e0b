//! Any bytes, as one input file next to a fixed entralint.toml: loading, every rule, and the
//! rendering of every finding (miette, as the terminal output does) never panic.
#![no_main]

use entralint_lint::diagnostic::{diagnostic, Sources};
use entralint_lint::{config_file, run};
use entralint_parser::{load, Encoding, Input};
use libfuzzer_sys::fuzz_target;
use miette::{GraphicalReportHandler, GraphicalTheme};

const SETTINGS: &str = r#"
[accounts]
break-glass = [{ object-id = "1a2b3c4d-00b1-4000-8000-0000000000b1" }]
[[suppress]]
rule = "PIM001"
object = "62e90394-69f5-4237-9190-012177145e10"
justification = "fuzzing"
"#;

fuzz_target!(|bytes: &[u8]| {
    let mut tenant = load([Input::new("fuzz.json".to_owned(), Ok(bytes.to_vec()))]);
    let mut settings = config_file::parse(SETTINGS).expect("the settings parse");
    settings.file = Some(tenant.sources.add(
        "entralint.toml".to_owned(),
        SETTINGS.to_owned(),
        Some(Encoding::Utf8),
        0,
    ));
    let report = run(&tenant, &settings);
    let sources = Sources::new(&tenant.sources);
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_links(false)
        .with_width(100);
    let mut out = String::new();
    for r in &report.findings {
        let _ = handler.render_report(&mut out, &diagnostic(r, &sources, None));
        out.clear();
    }
});
