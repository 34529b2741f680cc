//! Detections as a service, reached as `app.detections()`: a laboratory's report of a substance
//! found, and what each reader may see of them. A detection is read by the domain's
//! `detection::may_read` (its reporting agency; analysts, focal points and coordinators of member
//! countries and of the centre; observers only where named; each cleared for it) — anyone else
//! gets the same "not found" as for one that does not exist. First detections are computed
//! (`detection::firsts`): when a report is the first confirmed detection of its substance in its
//! country or in the region, its event says so, and the live push alerts every reader at once.
//! A reader's view computes first detections over what that reader may read, so a flag never
//! tells of a detection the reader may not see.

use chrono::NaiveDate;
use pamir_domain::{
    access::{self, Access},
    audit::Action,
    detection::{self, Confidence, Dated, DetectionDraft, DetectionScope, Spread},
    error::Reason,
    event::Event,
    AgencyCode, Classification, CountryCode,
};
use pamir_store::DetectionRow;
use serde_json::{json, Value};

use std::collections::BTreeMap;

use super::{RegistryFilter, Substance};
use crate::{secrets, App, AppError, AppResult, UserContext};

/// A detection as one reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub id: String,
    pub draft: DetectionDraft,
    /// The substance's English and Russian names, when a registry substance.
    pub substance_names: Option<(String, String)>,
    pub reporter: AgencyCode,
    pub created_by: String,
    pub created_at: i64,
    /// The first confirmed detection of its substance in its country, of those the reader sees.
    pub first_in_country: bool,
    /// The first in the region, of those the reader sees.
    pub first_in_region: bool,
}

#[derive(Clone, Copy)]
pub struct Detections<'a> {
    app: &'a App,
}

impl App {
    pub fn detections(&self) -> Detections<'_> {
        Detections { app: self }
    }
}

const LIST_MAX: i64 = 5_000;

impl<'a> Detections<'a> {
    /// Reports a detection.
    pub async fn report(&self, ctx: &UserContext, body: &Value) -> AppResult<Detection> {
        let draft = DetectionDraft::parse(body, self.app.clock.today())?;
        if let Err(reason) = detection::may_report(&ctx.subject, draft.country) {
            let e = AppError::Forbidden(reason.as_str().to_string());
            return Err(self.app.refused(ctx, "detection.report", "-", e).await);
        }
        if draft.classification > ctx.subject.clearance {
            return Err(AppError::invalid(
                "classification",
                Reason::coded("denied-above-clearance", &[]),
            ));
        }
        for (i, id) in draft.seizures.iter().enumerate() {
            // A seizure the reporter may not read answers as one that does not exist.
            let seizure = self.app.store.get_record(id).await?.is_some_and(|r| {
                r.entity.schema.name == "Seizure"
                    && access::decide(&ctx.subject, &r.meta) == Access::Full
            });
            if !seizure {
                return Err(AppError::invalid(
                    &format!("seizures[{i}]"),
                    Reason::coded("detection-seizure-unknown", &[("value", id)]),
                ));
            }
        }
        let now = self.app.clock.now_ms();
        let row = DetectionRow {
            id: format!("det-{}", secrets::new_handle()),
            substance_id: draft.substance.clone(),
            country: draft.country.to_string(),
            detected_on: draft.detected_on.format("%Y-%m-%d").to_string(),
            confirmed: draft.confidence == Confidence::Confirmed,
            reporter: ctx.agency().to_string(),
            classification: draft.classification.level(),
            observers: draft
                .observers
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            draft: draft.to_json().to_string(),
            created_by: ctx.username().to_string(),
            created_at: now,
        };
        let mut tx = self.app.store.begin().await?;
        let (mut first_in_country, mut first_in_region) = (false, false);
        if let Some(substance) = &draft.substance {
            if !tx.hold_substance(substance).await? {
                return Err(AppError::invalid(
                    "substance",
                    Reason::coded("detection-substance-unknown", &[("value", substance)]),
                ));
            }
            tx.insert_detection(&row).await?;
            let all = tx.detections_of_substance_in_tx(substance).await?;
            let dated: Vec<Dated> = all.iter().filter_map(dated).collect();
            let (countries, region) = detection::firsts(&dated);
            first_in_country = countries.contains(&row.id);
            first_in_region = region.as_deref() == Some(row.id.as_str());
        } else {
            tx.insert_detection(&row).await?;
        }
        let scope = draft.scope(ctx.user.agency.clone());
        tx.emit(&Event::DetectionReported {
            id: row.id.clone(),
            substance: draft.substance.clone(),
            country: draft.country.to_string(),
            first_in_country,
            first_in_region,
            scope,
        })
        .await?;
        tx.audit(&ctx.draft(Action::DetectionReport, &row.id).details(json!({
            "substance": draft.substance,
            "country": draft.country,
            "first_in_country": first_in_country,
            "first_in_region": first_in_region,
        })))
        .await?;
        tx.commit().await?;
        self.app.live.wake();
        self.get(ctx, &row.id).await
    }

    /// The detections the reader may see, newest first (of one substance when given).
    pub async fn list(
        &self,
        ctx: &UserContext,
        substance: Option<&str>,
    ) -> AppResult<Vec<Detection>> {
        let rows = self.app.store.detections(substance, LIST_MAX).await?;
        let views = self.views(ctx, rows).await?;
        self.audit_reads(ctx, &views, "list").await?;
        Ok(views)
    }

    /// Records the reads of detections above UNCLASSIFIED in one entry.
    async fn audit_reads(
        &self,
        ctx: &UserContext,
        views: &[Detection],
        via: &str,
    ) -> AppResult<()> {
        let ids: Vec<&str> = views
            .iter()
            .filter(|d| d.draft.classification > Classification::Unclassified)
            .map(|d| d.id.as_str())
            .collect();
        if ids.is_empty() {
            return Ok(());
        }
        let target = if ids.len() == 1 { ids[0] } else { "detections" };
        self.app
            .store
            .audit(
                &ctx.draft(Action::DetectionRead, target)
                    .details(json!({"via": via, "ids": ids})),
            )
            .await?;
        Ok(())
    }

    /// One detection; "not found" for a reader who may not read it.
    pub async fn get(&self, ctx: &UserContext, id: &str) -> AppResult<Detection> {
        let Some(row) = self.app.store.get_detection(id).await? else {
            return Err(AppError::not_found("the detection"));
        };
        let views = self.views(ctx, vec![row]).await?;
        self.audit_reads(ctx, &views, "get").await?;
        views
            .into_iter()
            .next()
            .ok_or_else(|| AppError::not_found("the detection"))
    }

    /// The rows the reader may read, as views with first detections computed over what the
    /// reader may read of each substance's detections.
    async fn views(&self, ctx: &UserContext, rows: Vec<DetectionRow>) -> AppResult<Vec<Detection>> {
        let mut out = Vec::new();
        // What each substance's detections give, read once per substance.
        let mut known: BTreeMap<String, PerSubstance> = BTreeMap::new();
        for row in rows {
            let scope = scope_of(&row)?;
            if !detection::may_read(&ctx.subject, &scope) {
                continue;
            }
            let draft = parse_draft(&row)?;
            let (mut first_in_country, mut first_in_region) = (false, false);
            let mut substance_names = None;
            if let Some(s) = &row.substance_id {
                if !known.contains_key(s) {
                    let all = self.app.store.detections(Some(s), i64::MAX).await?;
                    let mut visible = Vec::new();
                    for r in &all {
                        if detection::may_read(&ctx.subject, &scope_of(r)?) {
                            visible.extend(dated(r));
                        }
                    }
                    let names = self
                        .app
                        .store
                        .get_substance(s)
                        .await?
                        .map(|sub| (sub.name_en, sub.name_ru));
                    let (countries, region) = detection::firsts(&visible);
                    known.insert(
                        s.clone(),
                        PerSubstance {
                            countries,
                            region,
                            names,
                        },
                    );
                }
                if let Some(k) = known.get(s) {
                    first_in_country = k.countries.contains(&row.id);
                    first_in_region = k.region.as_deref() == Some(row.id.as_str());
                    substance_names = k.names.clone();
                }
            }
            out.push(Detection {
                id: row.id.clone(),
                draft,
                substance_names,
                reporter: scope.reporter,
                created_by: row.created_by.clone(),
                created_at: row.created_at,
                first_in_country,
                first_in_region,
            });
        }
        Ok(out)
    }
}

/// One substance as a reader's views need it: its first detections among those the reader may
/// read, and its names.
struct PerSubstance {
    countries: std::collections::BTreeSet<String>,
    region: Option<String>,
    names: Option<(String, String)>,
}

fn dated(r: &DetectionRow) -> Option<Dated> {
    Some(Dated {
        id: r.id.clone(),
        country: CountryCode::parse(&r.country).ok()?,
        detected_on: NaiveDate::parse_from_str(&r.detected_on, "%Y-%m-%d").ok()?,
        reported_at: r.created_at,
        confirmed: r.confirmed,
    })
}

fn scope_of(r: &DetectionRow) -> AppResult<DetectionScope> {
    let bad = |what: &str| AppError::Internal(format!("detection {} has a bad {what}", r.id));
    Ok(DetectionScope {
        reporter: AgencyCode::parse(&r.reporter).map_err(|_| bad("reporter"))?,
        classification: Classification::from_level(r.classification)
            .ok_or_else(|| bad("classification"))?,
        observers: r
            .observers
            .split_whitespace()
            .map(|c| CountryCode::parse(c).map_err(|_| bad("observer")))
            .collect::<AppResult<_>>()?,
    })
}

fn parse_draft(r: &DetectionRow) -> AppResult<DetectionDraft> {
    let v: Value = serde_json::from_str(&r.draft)
        .map_err(|e| AppError::Internal(format!("detection {}: {e}", r.id)))?;
    // Stored reports were checked when written; their date is not weighed against today again.
    DetectionDraft::parse(&v, NaiveDate::MAX)
        .map_err(|e| AppError::Internal(format!("detection {}: {e}", r.id)))
}

/// A substance on the early-warning board: how it spread among what the reader may read.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardRow {
    pub substance: Substance,
    pub spread: Spread,
    /// Detections of it the reader may read (provisional ones too).
    pub detections: usize,
}

impl BoardRow {
    /// The first confirmed detection in the region: when and where.
    pub fn first(&self) -> Option<(CountryCode, NaiveDate)> {
        self.spread.countries.first().copied()
    }
}

impl<'a> Detections<'a> {
    /// The early-warning board: the substances detected (confirmed) in what the reader may read,
    /// newest first detection first, with how each spread; `filter` picks by class and control.
    pub async fn board(
        &self,
        ctx: &UserContext,
        filter: &RegistryFilter,
    ) -> AppResult<Vec<BoardRow>> {
        let visible = self.list(ctx, None).await?;
        let mut by_substance: BTreeMap<String, Vec<Dated>> = BTreeMap::new();
        for d in &visible {
            if let Some(s) = &d.draft.substance {
                by_substance.entry(s.clone()).or_default().push(dated_of(d));
            }
        }
        let mut rows = Vec::new();
        for (id, dated) in by_substance {
            let spread = detection::spread(&dated);
            if spread.countries.is_empty() {
                continue;
            }
            let substance = match self.app.substances().get(ctx, &id).await {
                Ok(s) => s,
                Err(AppError::NotFound(_)) => continue,
                Err(e) => return Err(e),
            };
            if !filter.admits(&substance) {
                continue;
            }
            rows.push(BoardRow {
                substance,
                detections: dated.len(),
                spread,
            });
        }
        rows.sort_by_key(|r| std::cmp::Reverse(r.first().map(|(_, d)| d)));
        Ok(rows)
    }

    /// One substance's spread and the detections of it the reader may read.
    pub async fn of_substance(
        &self,
        ctx: &UserContext,
        id: &str,
    ) -> AppResult<(Substance, Spread, Vec<Detection>)> {
        let substance = self.app.substances().get(ctx, id).await?;
        let detections = self.list(ctx, Some(id)).await?;
        let dated: Vec<Dated> = detections.iter().map(dated_of).collect();
        Ok((substance, detection::spread(&dated), detections))
    }
}

fn dated_of(d: &Detection) -> Dated {
    Dated {
        id: d.id.clone(),
        country: d.draft.country,
        detected_on: d.draft.detected_on,
        reported_at: d.created_at,
        confirmed: d.draft.confidence == Confidence::Confirmed,
    }
}

/// An analyst's assessment note on a detection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub agency: String,
    pub author: String,
    pub text: String,
    pub at: i64,
}

impl<'a> Detections<'a> {
    /// A detection's assessment notes, for a reader of the detection.
    pub async fn notes(&self, ctx: &UserContext, id: &str) -> AppResult<Vec<Note>> {
        self.get(ctx, id).await?;
        self.notes_of(id).await
    }

    async fn notes_of(&self, id: &str) -> AppResult<Vec<Note>> {
        Ok(self
            .app
            .store
            .detection_notes(id)
            .await?
            .into_iter()
            .map(|r| Note {
                agency: r.agency,
                author: r.author,
                text: r.body,
                at: r.created_at,
            })
            .collect())
    }

    /// Adds an analyst's assessment note (`{"text"}`) to a detection the analyst reads; returns
    /// the detection's notes.
    pub async fn add_note(
        &self,
        ctx: &UserContext,
        id: &str,
        body: &Value,
    ) -> AppResult<Vec<Note>> {
        self.get(ctx, id).await?;
        if let Err(reason) = detection::may_assess(&ctx.subject) {
            let e = AppError::Forbidden(reason.as_str().to_string());
            return Err(self.app.refused(ctx, "detection.note", id, e).await);
        }
        let text = detection::parse_note(body)?;
        // Two notes written at once may take the same number: the later one tries again.
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut tx = self.app.store.begin().await?;
            let seq = match tx
                .add_detection_note(
                    id,
                    ctx.agency(),
                    ctx.username(),
                    &text,
                    self.app.clock.now_ms(),
                )
                .await
            {
                Ok(seq) => seq,
                Err(pamir_store::StoreError::Duplicate(_)) if attempt < 5 => continue,
                Err(e) => return Err(e.into()),
            };
            tx.audit(
                &ctx.draft(Action::DetectionNote, id)
                    .details(json!({"note": seq})),
            )
            .await?;
            tx.commit().await?;
            break;
        }
        self.notes_of(id).await
    }
}
