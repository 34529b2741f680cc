//! This installation as a node of the centre's network. Every event it writes names the node
//! and its place in the node's sequence, so that federation can merge the streams of national
//! nodes and border posts later. The id is chosen (`node.id`) or made on first use, then fixed:
//! events written before a change would otherwise name a node that no longer exists.

use pamir_domain::event::{Event, Stamped};

use crate::{App, AppError, AppResult};

impl App {
    /// This node's id: the stored one, given to the database on first use. A configured id
    /// that differs from the stored one is refused (start-up fails with it).
    pub async fn node_id(&self) -> AppResult<&str> {
        self.node
            .get_or_try_init(|| async {
                let wanted = self.config.node.id.as_str();
                let held = match self.store.node_id().await? {
                    Some(held) => held,
                    None => {
                        let proposed = if wanted.is_empty() {
                            format!("node-{}", &uuid::Uuid::new_v4().simple().to_string()[..12])
                        } else {
                            wanted.to_string()
                        };
                        let mut tx = self.store.begin().await?;
                        let held = tx.claim_node_id(&proposed).await?;
                        tx.commit().await?;
                        held
                    }
                };
                if !wanted.is_empty() && wanted != held {
                    return Err(AppError::Conflict(format!(
                        "node.id is {wanted:?} in the configuration, but this database belongs to node {held:?}; \
                         a node's id cannot change (set node.id = {held:?}, or leave it empty)"
                    )));
                }
                Ok(held)
            })
            .await
            .map(String::as_str)
    }

    /// The events after `after` (this node's sequence), at most `limit`, each with its origin
    /// and its place there. Kinds this version does not know are left out.
    pub async fn events_after(&self, after: i64, limit: i64) -> AppResult<Vec<(i64, Stamped)>> {
        let node = self.node_id().await?.to_string();
        let events = self.store.outbox_after(after, limit).await?;
        Ok(events
            .into_iter()
            .filter_map(|e| {
                let event = Event::read(&e.kind, &e.payload)?;
                Some((
                    e.seq,
                    Stamped {
                        origin: e.origin.unwrap_or_else(|| node.clone()),
                        origin_seq: e.origin_seq,
                        at: e.at,
                        event,
                    },
                ))
            })
            .collect())
    }
}
