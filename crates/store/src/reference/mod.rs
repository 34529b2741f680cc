//! Countries and agencies: the reference data, named per language.
//!
//! `sql.rs` holds its SQL, shared by both engines (`include!`d by `crate::shared_sql!`).

use pamir_domain::{names::Names, AgencyCode, AgencyKind, CountryCode, CountryStatus};

use crate::*;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Country {
    pub code: CountryCode,
    /// Its name in each language it has one in; English always.
    pub names: Names,
    pub status: CountryStatus,
}

impl Country {
    /// The name in `lang`; English where the row has none in that language.
    pub fn name(&self, lang: pamir_domain::schema::Lang) -> &str {
        self.names.get(lang)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Agency {
    pub code: AgencyCode,
    pub country: CountryCode,
    pub kind: AgencyKind,
    /// Its name in each language it has one in; English always.
    pub names: Names,
}

impl Agency {
    /// The name in `lang`; English where the row has none in that language.
    pub fn name(&self, lang: pamir_domain::schema::Lang) -> &str {
        self.names.get(lang)
    }
}

forward! { &self Store;
    pub async fn list_countries() -> Result<Vec<Country>>;
    pub async fn get_country(code: &str) -> Result<Option<Country>>;
    pub async fn list_agencies() -> Result<Vec<Agency>>;
    pub async fn get_agency(code: &str) -> Result<Option<Agency>>;
}

forward! { &mut self WriteTx;
    pub async fn upsert_country(c: &Country) -> Result<()>;
    pub async fn insert_country(c: &Country) -> Result<()>;
    pub async fn insert_agency(a: &Agency) -> Result<()>;
}
