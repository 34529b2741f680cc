//! Pamir's matching engine, pure: no I/O, no async, no SQL.
//!
//! - [`normalise`]: from text as written to phonetic forms common to every alphabet and
//!   transliteration standard the members use;
//! - [`names`]: the structure of a person's name (surname, given name, patronymic, particles,
//!   gendered forms); [`given`]: given names spelled differently by different languages;
//! - [`dates`], [`ids`]: comparators for birth dates, documents, phones, plates, VINs and
//!   organisations' legal forms;
//! - [`record`]: what matching reads from an FtM record; [`score`]: the explainable scorer, whose
//!   reasons are catalogue messages ([`explain`]);
//! - [`index`]: blocking keys and the in-memory index that answers queries.

pub mod dates;
pub mod explain;
pub mod given;
pub mod ids;
pub mod index;
pub mod names;
pub mod normalise;
pub mod record;
pub mod score;
pub mod word;

pub use index::{Index, Match, Scratch, SearchOptions};
pub use record::{Kind, Prepared, Record};
pub use score::{compare, Comparison, SimCache, DEFAULT_THRESHOLD};
