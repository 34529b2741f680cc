//! Analysis: the seizure facts kept beside each Seizure record, and statistics over them that
//! count only what the reader may see in full.
//!
//! `sql.rs` holds its SQL, shared by both engines (`include!`d by `crate::shared_sql!`).

use pamir_domain::analysis::{Dimension, Filters, Tallied};

use crate::*;
use pamir_domain::access::FullAccessFilter;

forward! { &self Store;
    pub async fn seizure_statistics(filter: &FullAccessFilter, filters: &Filters, by: Dimension) -> Result<Tallied>;
}
