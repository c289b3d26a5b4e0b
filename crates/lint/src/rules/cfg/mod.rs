//! CFG: problems of the configuration file itself.

mod expired_suppression;
mod unused_suppression;

pub use expired_suppression::EXPIRED_SUPPRESSION;
pub use unused_suppression::UNUSED_SUPPRESSION;
