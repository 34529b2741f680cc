//! Operations as dissemination scopes: which operations an item may be tagged to, and up to what
//! classification. What a tag then gives each reader is the domain's access policy.

use std::collections::{BTreeMap, BTreeSet};

use pamir_domain::{
    error::ValidationErrors, meta::Dissemination, operation, task, AgencyCode, Classification,
    RecordMeta, Subject,
};

use super::{Loaded, Operations};
use crate::AppResult;

/// The operations one writer may tag items (or address messages) to: each one's classification
/// ceiling and the parties taking part (agency and country codes, the coordinator first).
#[derive(Debug, Clone, Default)]
pub struct Taggable(BTreeMap<String, (Classification, Vec<String>)>);

impl Operations<'_> {
    /// The operations `agency` takes part in and, when a user acts, that this user may add items
    /// to (`operation::may_tag`), with their ceilings. Read once per request or import, with the
    /// same two reads as the operations list.
    pub async fn taggable(
        &self,
        agency: &AgencyCode,
        subject: Option<&Subject>,
    ) -> AppResult<Taggable> {
        let mut out = BTreeMap::new();
        for Loaded { row, scope, .. } in self.concerning(agency).await? {
            // An invited party does not tag yet; a user, only where they take part themselves.
            let takes_part = match subject {
                Some(s) => operation::may_tag(s, &scope),
                None => task::may_be_assigned(&scope, agency),
            };
            if !takes_part {
                continue;
            }
            if let Some(ceiling) = Classification::from_level(row.ceiling) {
                let parties = scope
                    .coordinator
                    .iter()
                    .map(|c| c.to_string())
                    .chain(scope.members.iter().map(|p| p.code().to_string()))
                    .collect();
                out.insert(row.id, (ceiling, parties));
            }
        }
        Ok(Taggable(out))
    }

    /// The ceilings of operations an item already names (kept on a change even when the writer
    /// no longer takes part).
    async fn ceilings_of(
        &self,
        ids: &BTreeSet<String>,
    ) -> AppResult<BTreeMap<String, Classification>> {
        let mut out = BTreeMap::new();
        for id in ids {
            if let Some(row) = self.app.store.get_operation(id).await? {
                if let Some(c) = Classification::from_level(row.ceiling) {
                    out.insert(id.clone(), c);
                }
            }
        }
        Ok(out)
    }

    /// Checks the operations each item's dissemination names; `current` is the item's stored
    /// metadata on a change (its tags may stay), `prefix` names the item in field paths.
    pub async fn check_tags(
        &self,
        subject: &Subject,
        items: &[(&Dissemination, Classification, Option<&RecordMeta>, String)],
    ) -> AppResult<ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if items.iter().all(|(d, ..)| d.operations.is_empty()) {
            return Ok(errors);
        }
        let taggable = self.taggable(&subject.agency, Some(subject)).await?;
        let kept: BTreeSet<String> = items
            .iter()
            .filter_map(|(_, _, current, _)| *current)
            .flat_map(|m| m.dissemination.operations.iter().cloned())
            .collect();
        let kept = self.ceilings_of(&kept).await?;
        for (d, classification, current, prefix) in items {
            for (i, id) in d.operations.iter().enumerate() {
                let was_there = current.is_some_and(|m| m.dissemination.operations.contains(id));
                let ceiling = if was_there {
                    kept.get(id)
                } else {
                    taggable.0.get(id).map(|(c, _)| c)
                };
                if let Err(reason) = operation::check_tag(id, ceiling.copied(), *classification) {
                    errors.push(
                        format!("{prefix}meta.dissemination.operations[{i}]"),
                        reason,
                    );
                }
            }
        }
        Ok(errors)
    }
}

impl Operations<'_> {
    /// Inside the transaction that writes `meta`, holds each operation it names (see
    /// `WriteTx::hold_operation_scope`): refused, naming the field, when an operation's ceiling
    /// was lowered below the item since it was checked.
    pub async fn hold_tags(
        &self,
        tx: &mut pamir_store::WriteTx,
        items: &[(&RecordMeta, String)],
    ) -> AppResult<()> {
        // Each operation once, in id order (two writers never wait on each other in a circle),
        // for the most restricted item naming it.
        let mut held: BTreeMap<&str, (Classification, String)> = BTreeMap::new();
        for (meta, prefix) in items {
            for (i, id) in meta.dissemination.operations.iter().enumerate() {
                let field = format!("{prefix}meta.dissemination.operations[{i}]");
                let entry = held
                    .entry(id.as_str())
                    .or_insert((meta.classification, field.clone()));
                if meta.classification > entry.0 {
                    *entry = (meta.classification, field);
                }
            }
        }
        for (id, (classification, field)) in held {
            if !tx.hold_operation_scope(id, classification.level()).await? {
                let ceiling = self
                    .app
                    .store
                    .get_operation(id)
                    .await?
                    .and_then(|o| Classification::from_level(o.ceiling));
                let reason = operation::check_tag(id, ceiling, classification)
                    .err()
                    .unwrap_or_else(|| {
                        pamir_domain::error::Reason::coded(
                            "operation-tag-not-party",
                            &[("value", &id)],
                        )
                    });
                return Err(crate::AppError::invalid(&field, reason));
            }
        }
        Ok(())
    }
}

impl Taggable {
    /// Why an item of `classification` may not name `id`, if it may not.
    pub fn check(
        &self,
        id: &str,
        classification: Classification,
    ) -> Result<(), pamir_domain::error::Reason> {
        operation::check_tag(id, self.0.get(id).map(|(c, _)| *c), classification)
    }

    /// The parties taking part in operation `id` (empty for one the writer may not tag to).
    pub fn parties(&self, id: &str) -> &[String] {
        self.0
            .get(id)
            .map(|(_, p)| p.as_slice())
            .unwrap_or_default()
    }
}
