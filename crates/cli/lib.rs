//! The command line's parts, as a library: `main.rs` is the command itself, and the fuzz targets
//! (fuzz/) and tests drive the renderers through this. Not a stable interface: the supported ways
//! to use entralint are the command line and its report formats.

pub mod add_suppressions;
pub mod args;
pub mod baseline;
pub mod config;
pub mod diff;
pub mod discover;
pub mod files;
pub mod init;
pub mod own_output;
pub mod render;
pub mod tenants;
