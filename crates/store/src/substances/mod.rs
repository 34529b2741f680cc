//! The substance registry (early warning): substances with their names' keys.
//!
//! `sql.rs` holds its SQL, shared by both engines (`include!`d by `crate::shared_sql!`).

use crate::*;

/// A substance as stored: the columns lists and the board filter on, and the whole entry as the
/// domain's draft JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubstanceRow {
    pub id: String,
    pub name_en: String,
    pub name_ru: String,
    pub class: String,
    pub cas: Option<String>,
    pub inchikey: Option<String>,
    pub formula: Option<String>,
    /// Control codes separated by spaces (`1971/II 1988/I`); empty when not controlled.
    pub international: String,
    pub draft: String,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// One name's key: `unique` for English and Russian names, which no other substance may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKeyRow {
    pub key: String,
    pub unique: bool,
}

/// Something another substance holds already: which (`name`, `cas` or `inchikey`), the value,
/// and the substance (id, English name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubstanceClash {
    pub what: &'static str,
    pub value: String,
    pub id: String,
    pub name_en: String,
}

forward! { &self Store;
    pub async fn substances() -> Result<Vec<SubstanceRow>>;
    pub async fn get_substance(id: &str) -> Result<Option<SubstanceRow>>;
    pub async fn substances_named(key: &str) -> Result<Vec<String>>;
}

forward! { &mut self WriteTx;
    pub async fn substance_clashes(except: &str, keys: &[String], cas: Option<&str>, inchikey: Option<&str>) -> Result<Vec<SubstanceClash>>;
    pub async fn insert_substance(row: &SubstanceRow, names: &[NameKeyRow]) -> Result<()>;
    pub async fn update_substance(row: &SubstanceRow, seen: i64, names: &[NameKeyRow]) -> Result<bool>;
}
