//! Early warning on new psychoactive substances and precursors (issue 12): the substance
//! registry (`registry.rs`), reached as `app.substances()`; detections (`detections.rs`); and
//! pre-export notifications of precursor shipments (`pre_exports.rs`); precursor
//! incidents (`incidents.rs`); risk communications about substances (`risks.rs`). The rules — identifiers, classes,
//! control status, who keeps the registry — are the domain's `substance` module.

pub mod detections;
pub mod incidents;
pub mod interchange;
pub mod pre_exports;
pub mod registry;
pub mod risks;

pub use detections::{BoardRow, Detection, Detections};
pub use incidents::{Incident, Incidents};
pub use pre_exports::{Notification, PreExports, Step};
pub use registry::{RegistryFilter, Substance, Substances};
pub use risks::{RiskCommunication, RiskCommunications};

/// The starting registry Pamir ships (`data/substances.json`; its sources in `data/SOURCE.md`):
/// the drugs under international control, new psychoactive substances across the monitored
/// classes, and the precursors of the 1988 Convention, in the registry's JSON interchange form.
pub const STARTING_REGISTRY: &str = include_str!("../../data/substances.json");
