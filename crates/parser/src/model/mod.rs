//! The typed model rules read. Every top-level object carries its [`Origin`](crate::Origin).

pub mod common;
pub mod conditional_access;
pub mod directory;
pub mod roles;

pub use common::{DirectoryObject, Flags};
pub use conditional_access::*;
pub use directory::*;
pub use roles::*;
