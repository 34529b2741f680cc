//! Early warning on new psychoactive substances and precursors (issue 12): the substance
//! registry (`registry.rs`), reached as `app.substances()`. The rules — identifiers, classes,
//! control status, who keeps the registry — are the domain's `substance` module.

pub mod interchange;
pub mod registry;

pub use registry::{RegistryFilter, Substance, Substances};
