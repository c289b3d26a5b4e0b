//! Any bytes, as one input file: decoding, detection and loading never panic.
#![no_main]

use entralint_parser::{load, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let tenant = load([Input::new("fuzz.json".to_owned(), Ok(bytes.to_vec()))]);
    // Every object and issue points into the file: resolving its location must not panic either.
    for issue in &tenant.issues {
        let _ = tenant.sources.path(issue.file);
    }
});
