//! CFG: problems of the configuration file itself.

super::family! {
    expired_suppression::EXPIRED_SUPPRESSION,
    unused_suppression::UNUSED_SUPPRESSION,
}
