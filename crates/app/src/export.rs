//! Export of what a user may read, as FtM JSON lines with Pamir's metadata (handling codes
//! kept). Items marked "no onward dissemination" leave the system only through their owner
//! agency; others' are withheld and counted. The export is audited when it starts, with its
//! filter, so an interrupted export is on record too.

use pamir_domain::error::Reason;
use pamir_domain::{
    access::{self, Access, FullAccessFilter},
    audit::Action,
    handling::HandlingCode,
    schema,
};
use std::sync::Arc;

use pamir_store::RecordQuery;
use serde_json::json;

use crate::{records::meta_json, App, AppError, AppResult, UserContext};

pub struct Exporter {
    app: Arc<App>,
    ctx: UserContext,
    filter: FullAccessFilter,
    query: RecordQuery,
    done: bool,
    finished: bool,
    pub exported: u64,
    pub withheld: u64,
}

impl Exporter {
    pub async fn start(
        app: Arc<App>,
        ctx: UserContext,
        schema_name: Option<&str>,
    ) -> AppResult<Exporter> {
        let Some(filter) = ctx.subject.full_access_filter() else {
            let e = AppError::Forbidden("your roles do not include reading records".into());
            return Err(app
                .refused(&ctx, "export", schema_name.unwrap_or("*"), e)
                .await);
        };
        if let Some(s) = schema_name {
            if schema::schema(s).is_none() {
                return Err(AppError::invalid(
                    "schema",
                    Reason::coded("search-schema-unknown", &[("value", &format!("{s:?}"))]),
                ));
            }
        }
        app.store
            .audit(
                &ctx.draft(Action::Export, schema_name.unwrap_or("*"))
                    .outcome("started")
                    .details(json!({"format": "ftm-jsonl"})),
            )
            .await?;
        Ok(Exporter {
            app,
            ctx,
            filter,
            query: RecordQuery {
                schema: schema_name.map(str::to_string),
                limit: 1_000,
                ..Default::default()
            },
            done: false,
            finished: false,
            exported: 0,
            withheld: 0,
        })
    }

    /// The next chunk of JSON lines, or `None` at the end.
    pub async fn next_chunk(&mut self) -> AppResult<Option<Vec<u8>>> {
        loop {
            if self.done {
                if !self.finished {
                    // The end of an export is on record too, with what left the system.
                    self.finished = true;
                    let draft = self
                        .ctx
                        .draft(Action::Export, self.query.schema.as_deref().unwrap_or("*"))
                        .details(json!({"exported": self.exported, "withheld": self.withheld}));
                    self.app.store.audit(&draft).await?;
                }
                return Ok(None);
            }
            let page = self
                .app
                .store
                .list_records(&self.filter, &self.query)
                .await?;
            if (page.len() as i64) < self.query.limit {
                self.done = true;
            }
            self.query.before = page.last().map(|r| r.rid);
            let mut out = Vec::with_capacity(page.len() * 400);
            let mut ids: Vec<&str> = Vec::with_capacity(page.len());
            for r in &page {
                if access::decide(&self.ctx.subject, &r.meta) != Access::Full {
                    continue;
                }
                let onward_restricted = r
                    .meta
                    .handling_codes
                    .iter()
                    .any(|c| HandlingCode::restricts_onward(*c));
                if onward_restricted && r.meta.owner != self.ctx.user.agency {
                    self.withheld += 1;
                    continue;
                }
                let line = json!({
                    "id": r.entity.id.as_str(),
                    "schema": r.entity.schema.name,
                    "properties": r.entity.properties,
                    "meta": meta_json(&r.meta),
                });
                serde_json::to_writer(&mut out, &line)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                out.push(b'\n');
                ids.push(r.entity.id.as_str());
                self.exported += 1;
            }
            if !out.is_empty() {
                // Which records left the system is on record before they leave, page by page.
                let draft = self
                    .ctx
                    .draft(Action::Export, self.query.schema.as_deref().unwrap_or("*"))
                    .outcome("page")
                    .details(json!({"ids": ids}));
                self.app.store.audit(&draft).await?;
                return Ok(Some(out));
            }
        }
    }
}
