//! The demo's substance registry: the starting list Pamir ships, imported as the centre's analyst.

use serde_json::Value;

use crate::{early_warning::STARTING_REGISTRY, App, AppError, AppResult};

/// Imports the shipped registry when the registry is empty; returns how many substances it added.
pub async fn seed_registry(app: &App) -> AppResult<usize> {
    if !app.store.substances().await?.is_empty() {
        return Ok(0);
    }
    let analyst = app.identity().context_for("caricc.analyst").await?;
    let entries: Vec<Value> = serde_json::from_str(STARTING_REGISTRY)
        .map_err(|e| AppError::Internal(format!("the shipped registry: {e}")))?;
    let done = app.substances().import(&analyst, &entries).await?;
    Ok(done.created)
}
