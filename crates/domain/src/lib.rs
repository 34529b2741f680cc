//! Pamir's domain layer: the vocabulary of the centre and the rules every other layer obeys.
//!
//! It owns reference data types (countries, agencies, users' roles and clearances), records
//! (FollowTheMoney-compatible entities plus Pamir's Seizure and Case), their protective metadata,
//! validation, the access policy ([`access::decide`]) and the hash chain of the audit trail.
//!
//! It must not know HTTP, SQL, files or an async runtime: everything here is a pure function of
//! its inputs (the current date is passed in, never read), so it can be property-tested and reused
//! by the store, the server and the CLI alike.

pub mod access;
pub mod analysis;
pub mod audit;
pub mod authorisation;
pub mod classification;
pub mod country;
pub mod delivery;
pub mod detection;
pub mod entity;
pub mod error;
pub mod event;
pub mod ftm;
pub mod graph;
pub mod handling;
pub mod identity;
pub mod link;
pub mod message;
pub mod meta;
pub mod names;
pub mod operation;
pub mod outcome;
pub mod pre_export;
pub mod precursor_incident;
pub mod risk_communication;
pub mod schema;
pub mod secret;
pub mod substance;
pub mod task;
pub mod text;

pub use access::{Access, Subject};
pub use classification::Classification;
pub use country::{CountryCode, CountryStatus};
pub use entity::{Entity, EntityId};
pub use error::{FieldError, ValidationErrors};
pub use identity::{AgencyCode, AgencyKind, Role, Username};
pub use meta::{Dissemination, Evaluation, RecordMeta};

/// Every catalogue key the domain's labels use: schemata, properties and vocabularies, handling
/// codes, link kinds, agency kinds, roles and the countries it names (for the catalogue's
/// completeness test).
pub fn label_keys() -> Vec<String> {
    let mut keys: Vec<String> = schema::label_keys().map(str::to_string).collect();
    keys.extend(
        handling::HandlingCode::ALL
            .iter()
            .map(|c| c.label_key().to_string()),
    );
    keys.extend(
        link::LinkKind::ALL
            .iter()
            .map(|k| k.label_key().to_string()),
    );
    keys.extend(AgencyKind::ALL.iter().map(|k| k.label_key().to_string()));
    keys.extend(Role::ALL.iter().map(|r| r.label_key().to_string()));
    keys.extend(operation::label_keys());
    keys.extend(task::label_keys());
    keys.extend(
        analysis::Dimension::ALL
            .iter()
            .map(|d| d.label_key().to_string()),
    );
    keys.extend(delivery::label_keys());
    keys.extend(authorisation::Consent::ALL.iter().map(|c| c.label_key()));
    keys.extend(substance::label_keys());
    keys.extend(detection::label_keys());
    keys.extend(pre_export::label_keys());
    keys.extend(precursor_incident::label_keys());
    keys.extend(risk_communication::label_keys());
    keys.extend(
        country::named_countries()
            .iter()
            .map(|c| format!("country-{c}")),
    );
    keys.sort();
    keys.dedup();
    keys
}
