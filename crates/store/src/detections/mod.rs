//! Early warning's detections.
//!
//! `sql.rs` holds its SQL, shared by both engines (`include!`d by `crate::shared_sql!`).

use crate::*;

/// A detection as stored: the columns first detections and lists are computed on, and the
/// whole report as the domain's draft JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectionRow {
    pub id: String,
    pub substance_id: Option<String>,
    pub country: String,
    /// `YYYY-MM-DD`.
    pub detected_on: String,
    pub confirmed: bool,
    pub reporter: String,
    pub classification: i64,
    /// Observer country codes separated by spaces.
    pub observers: String,
    pub draft: String,
    pub created_by: String,
    pub created_at: i64,
}

forward! { &self Store;
    pub async fn detections(substance_id: Option<&str>, limit: i64) -> Result<Vec<DetectionRow>>;
    pub async fn get_detection(id: &str) -> Result<Option<DetectionRow>>;
}

forward! { &mut self WriteTx;
    pub async fn hold_substance(id: &str) -> Result<bool>;
    pub async fn detections_of_substance_in_tx(substance_id: &str) -> Result<Vec<DetectionRow>>;
    pub async fn insert_detection(row: &DetectionRow) -> Result<()>;
}

/// An analyst's assessment note on a detection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectionNoteRow {
    pub detection_id: String,
    pub seq: i64,
    pub agency: String,
    pub author: String,
    pub body: String,
    pub created_at: i64,
}

forward! { &self Store;
    pub async fn detection_notes(detection_id: &str) -> Result<Vec<DetectionNoteRow>>;
}

forward! { &mut self WriteTx;
    pub async fn add_detection_note(detection_id: &str, agency: &str, author: &str, body: &str, at: i64) -> Result<i64>;
}
