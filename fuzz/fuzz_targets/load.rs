//! Any bytes, as one input file of each kind the loader tells by name (JSON, Terraform,
//! Microsoft365DSC's PowerShell and its data file): decoding, detection and loading never panic.
#![no_main]

use entralint_parser::{load, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let names = ["fuzz.json", "fuzz.tf", "fuzz.ps1", "fuzz.psd1"];
    let tenant = load(
        names
            .iter()
            .map(|n| Input::new((*n).to_owned(), Ok(bytes.to_vec()))),
    );
    // Every object and issue points into the file: resolving its location must not panic either.
    for issue in &tenant.issues {
        let _ = tenant.sources.path(issue.file);
    }
});
