//! The rule registry: each family's `mod.rs` lists its rules, one line per rule; [`ALL`] is
//! every family's rules in code order.

pub mod adm;
pub mod bg;
pub mod cfg;
pub mod hyg;
pub mod json;
pub mod pim;
pub mod rol;
pub(crate) mod shared;

use crate::Rule;
use std::sync::LazyLock;

/// Declares a family's rules, one line each (`module::STATIC`, in code order): the line declares
/// the rule's module, re-exports its `static`, and lists it in the family's [`RULES`](adm::RULES).
/// Adding a rule takes its file, its line in the family's `mod.rs`, its fixtures and its generated
/// docs page.
macro_rules! family {
    ($($module:ident::$rule:ident),+ $(,)?) => {
        $(mod $module;)+
        $(pub use $module::$rule;)+
        /// The family's rules, in code order.
        pub static RULES: &[&$crate::Rule] = &[$(&$rule),+];
    };
}
use family;

/// Every rule, in code order.
pub static ALL: LazyLock<Vec<&'static Rule>> = LazyLock::new(|| {
    [
        adm::RULES,
        bg::RULES,
        cfg::RULES,
        hyg::RULES,
        json::RULES,
        pim::RULES,
        rol::RULES,
    ]
    .concat()
});

/// The rule with this code (exact, case-insensitive).
pub fn by_code(code: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}
