//! Shared by the lint crate's tests: load a fixture (a file or a folder of files) and render
//! findings the way a terminal without colour would show them.

#![allow(dead_code)]

use entralint_lint::diagnostic::{diagnostic, Sources};
use entralint_lint::settings::Date;
use entralint_lint::{config_file, Report, Settings};
use entralint_parser::{load, Encoding, Input, Tenant};
use miette::{GraphicalReportHandler, GraphicalTheme};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// The one command that regenerates every snapshot and docs/rules/ (then review the diff).
pub const REGENERATE: &str = "INSTA_UPDATE=always cargo test --workspace";

/// Runs an insta assertion (written at the call site, so that the snapshot stays next to the
/// calling test file) and turns its failure into an error that names the command to regenerate.
pub fn snapshot(name: &str, assert: impl FnOnce()) -> Result<(), libtest_mimic::Failed> {
    catch_unwind(AssertUnwindSafe(assert)).map_err(|_| {
        format!(
            "snapshot {name} is missing or differs (diff above); if the new output is right, \
             run `{REGENERATE}` and review the changes"
        )
        .into()
    })
}

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every file below `path` (or `path` itself), sorted, named relative to `base`.
pub fn inputs(path: &Path, base: &Path) -> Vec<Input> {
    let mut files = Vec::new();
    collect(path, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            Input::new(
                f.strip_prefix(base)
                    .unwrap_or(&f)
                    .to_string_lossy()
                    .replace('\\', "/"),
                std::fs::read(&f).map_err(|e| e.to_string()),
            )
        })
        .collect()
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).expect("readable fixture folder") {
            collect(&entry.expect("entry").path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "json") {
        out.push(path.to_path_buf());
    }
}

/// The date fixtures are linted on (suppression expiry).
pub fn today() -> Date {
    Date::parse("2026-11-22").expect("a date")
}

/// Loads a fixture: its JSON files, and the `entralint.toml` of a fixture folder if it has one.
pub fn load_fixture(path: &Path, base: &Path) -> (Tenant, Settings) {
    let mut tenant = load(inputs(path, base));
    let toml = path.join("entralint.toml");
    let settings = match std::fs::read_to_string(&toml) {
        Ok(text) => with_settings(
            &mut tenant,
            &toml.strip_prefix(base).unwrap().to_string_lossy(),
            &text,
        ),
        Err(_) => no_settings(),
    };
    (tenant, settings)
}

/// No entralint.toml, on the fixtures' date.
pub fn no_settings() -> Settings {
    let mut settings = Settings::default();
    settings.run.today = Some(today());
    settings
}

/// Reads entralint.toml text and registers it as a source of the tenant (for CFG findings).
pub fn with_settings(tenant: &mut Tenant, name: &str, text: &str) -> Settings {
    let mut settings = config_file::parse(text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    settings.file = Some(tenant.sources.add(
        name.replace('\\', "/"),
        text.to_owned(),
        Some(Encoding::Utf8),
        0,
    ));
    settings.run.today = Some(today());
    settings
}

/// Loads JSON given as text under the name `name`.
pub fn load_text(name: &str, text: &str) -> Tenant {
    load([Input::new(name.to_owned(), Ok(text.as_bytes().to_vec()))])
}

pub fn render(tenant: &Tenant, report: &Report) -> String {
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_links(false)
        .with_width(100);
    let sources = Sources::new(&tenant.sources);
    let mut out = String::new();
    for r in &report.findings {
        handler
            .render_report(&mut out, &diagnostic(r, &sources, None))
            .expect("renders");
        out.push('\n');
    }
    for ne in &report.not_evaluated {
        out.push_str(&format!("not evaluated: {} ({})\n", ne.code, ne.reason));
    }
    out
}
