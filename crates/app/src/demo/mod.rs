//! The demo: reference data of the centre (members, observers, their agencies), users for every
//! role with the documented password `demo`, and a deterministic synthetic data set of seizures
//! along the real routes (the northern route through Tajikistan, Kyrgyzstan, Uzbekistan and
//! Kazakhstan to Russia; the Caspian and Caucasus routes; synthetic drugs and precursors), with
//! persons, vehicles and organisations written in each country's script and habits.

mod messages;
mod operations;
mod people;
mod pre_exports;
mod precursor_incidents;
mod records;
mod reference;
mod registry;
mod routes;

pub use messages::seed_messages;
pub use operations::seed_operations;
pub use pre_exports::seed_pre_exports;
pub use precursor_incidents::seed_precursor_incidents;
pub use records::{seed_records, DemoSummary, STORY_PERSON};
pub use reference::{blo_channels, seed_reference, DEMO_PASSWORD, USERS};
pub use registry::{seed_detections, seed_registry, seed_risk_communications};
