//! The controlled delivery of an operation of that kind: its consignment, its status, and its
//! legs from one participant to the next. Every change is pushed live to every participant
//! with the consignment's position on the route; nobody else learns of it.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};
use pamir_domain::{
    audit::Action,
    authorisation::{self, AuthorisationDraft, Consent},
    delivery::{
        self, DeliveryDraft, DeliveryKind, DeliveryStatus, LegDraft, LegStatus, PlannedLeg,
        Substitution,
    },
    error::Reason,
    event::Event,
    operation::{self, OperationKind, Party},
    CountryCode,
};
use pamir_store::{AuthorisationRow, DeliveryRow, LegRow};
use serde_json::{json, Value};

use super::{Loaded, Operations};
use crate::{secrets, AppError, AppResult, UserContext};

/// A controlled delivery as a participant sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub operation: String,
    pub kind: DeliveryKind,
    pub substance: String,
    pub declared_quantity: Option<f64>,
    pub actual_quantity: Option<f64>,
    pub unit: String,
    pub concealment: String,
    pub conveyance: String,
    pub vehicle: String,
    pub markers: String,
    pub substitution: Substitution,
    pub status: DeliveryStatus,
    /// Why it was terminated.
    pub status_reason: Option<String>,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: i64,
    pub legs: Vec<Leg>,
    /// The leg the consignment is on or waits for (`seq`); `None` once every leg is closed.
    pub position: Option<i64>,
    /// Each state's authorisation, by country.
    pub authorisations: Vec<Authorisation>,
    /// The states on the route (the legs' ends) without consent given: while any is, the
    /// delivery is neither authorised nor let run.
    pub missing_consent: Vec<CountryCode>,
}

/// One state's authorisation of the delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct Authorisation {
    pub country: CountryCode,
    pub authority: String,
    pub legal_basis: String,
    pub reference: String,
    pub date: NaiveDate,
    pub consent: Consent,
    pub duty_contact: String,
    pub updated_by: String,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Leg {
    pub id: String,
    pub seq: i64,
    pub from: Party,
    pub to: Party,
    pub crossing_point: String,
    pub planned_departure: NaiveDateTime,
    pub planned_handover: NaiveDateTime,
    pub actual_departure: Option<NaiveDateTime>,
    pub actual_handover: Option<NaiveDateTime>,
    pub status: LegStatus,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// A report on a leg: its new status and, where known, the actual times.
#[derive(Debug, Clone, Default)]
pub struct LegReport {
    pub status: String,
    pub actual_departure: Option<String>,
    pub actual_handover: Option<String>,
    /// The version the reporter saw; a report made meanwhile is then a conflict.
    pub version: Option<i64>,
}

use pamir_domain::delivery::MOMENT;

impl<'a> Operations<'a> {
    /// The operation's controlled delivery, if described. Only for those taking part.
    pub async fn delivery(
        &self,
        ctx: &UserContext,
        operation: &str,
    ) -> AppResult<Option<Delivery>> {
        self.taking_part(ctx, operation, "delivery.read").await?;
        let Some(row) = self.app.store.get_delivery(operation).await? else {
            return Ok(None);
        };
        let legs = self.app.store.delivery_legs(operation).await?;
        let authorisations = self.app.store.delivery_authorisations(operation).await?;
        delivery_of(row, legs, authorisations).map(Some)
    }

    /// Records a state's authorisation of the delivery (`{"authority", "legal_basis",
    /// "reference", "date", "consent", "duty_contact"}`), replacing what it recorded before: a
    /// coordinator, or a participant of that state who works with records. It changes the
    /// delivery's version, so a status change decided on the old consents is a conflict.
    pub async fn set_authorisation(
        &self,
        ctx: &UserContext,
        operation: &str,
        country: &str,
        body: &Value,
    ) -> AppResult<Delivery> {
        let (loaded, standing) = self
            .taking_part(ctx, operation, "delivery.authorisation")
            .await?;
        if loaded.row.kind != OperationKind::ControlledDelivery.as_str() {
            return Err(AppError::invalid(
                "kind",
                Reason::coded("delivery-not-controlled", &[]),
            ));
        }
        let country =
            CountryCode::parse(country.trim()).map_err(|r| AppError::invalid("country", r))?;
        if !delivery::party_takes_part(&loaded.scope, &Party::Country(country)) {
            return Err(AppError::invalid(
                "country",
                Reason::coded(
                    "authorisation-country-not-participant",
                    &[("value", &country)],
                ),
            ));
        }
        if !authorisation::may_record(&ctx.subject, standing, country) {
            let e = AppError::Forbidden(
                "only the coordinator or that state's participants record its authorisation".into(),
            );
            return Err(self
                .app
                .refused(ctx, "delivery.authorisation", operation, e)
                .await);
        }
        let draft = AuthorisationDraft::parse(body)?;
        let old = self
            .app
            .store
            .get_delivery(operation)
            .await?
            .ok_or_else(|| AppError::not_found("delivery"))?;
        let now = self.app.clock.now_ms();
        let row = AuthorisationRow {
            operation_id: operation.to_string(),
            country: country.to_string(),
            authority: draft.authority,
            legal_basis: draft.legal_basis,
            reference: draft.reference,
            authorised_on: draft.date.to_string(),
            consent: draft.consent.as_str().into(),
            duty_contact: draft.duty_contact,
            updated_by: ctx.username().to_string(),
            updated_at: now,
        };
        let touched = DeliveryRow {
            version: old.version + 1,
            updated_by: ctx.username().to_string(),
            updated_at: now,
            ..old.clone()
        };
        let mut tx = self.app.store.begin().await?;
        tx.put_authorisation(&row).await?;
        if !tx.update_delivery(&touched, old.version).await? {
            return Err(AppError::VersionConflict {
                current: old.version,
            });
        }
        tx.emit(&Event::AuthorisationChanged {
            id: operation.to_string(),
            country,
            consent: row.consent.clone(),
            scope: loaded.scope.clone(),
        })
        .await?;
        tx.audit(
            &ctx.draft(Action::DeliveryUpdate, operation).details(json!({
                "authorisation": country, "consent": row.consent, "reference": row.reference
            })),
        )
        .await?;
        tx.commit().await?;
        self.app.live.wake();
        self.described(ctx, operation).await
    }

    /// Describes the consignment (coordinator), or changes its description; a new delivery
    /// starts as requested.
    pub async fn set_delivery(
        &self,
        ctx: &UserContext,
        operation: &str,
        body: &Value,
    ) -> AppResult<Delivery> {
        let loaded = self.coordinating(ctx, operation, "delivery.set").await?;
        let draft = DeliveryDraft::parse(body)?;
        let now = self.app.clock.now_ms();
        let mut tx = self.app.store.begin().await?;
        let existing = self.app.store.get_delivery(operation).await?;
        let mut row = DeliveryRow {
            operation_id: operation.to_string(),
            kind: draft.kind.as_str().into(),
            substance: draft.substance,
            declared_quantity: draft.declared_quantity.map(|q| q.to_string()),
            actual_quantity: draft.actual_quantity.map(|q| q.to_string()),
            unit: draft.unit,
            concealment: draft.concealment,
            conveyance: draft.conveyance,
            vehicle: draft.vehicle,
            markers: draft.markers,
            substitution: draft.substitution.as_str().into(),
            status: DeliveryStatus::Requested.as_str().into(),
            status_reason: None,
            version: 1,
            updated_by: ctx.username().to_string(),
            updated_at: now,
        };
        match &existing {
            None => tx.insert_delivery(&row).await?,
            Some(old) => {
                row.status = old.status.clone();
                row.status_reason = old.status_reason.clone();
                row.version = old.version + 1;
                if !tx.update_delivery(&row, old.version).await? {
                    return Err(AppError::VersionConflict {
                        current: old.version,
                    });
                }
            }
        }
        self.delivery_changed(&mut tx, ctx, &loaded, &row.status, Action::DeliveryUpdate)
            .await?;
        tx.commit().await?;
        self.app.live.wake();
        self.described(ctx, operation).await
    }

    /// Moves the delivery on (coordinator): authorised, in transit, delivered, or terminated
    /// with a reason.
    pub async fn set_delivery_status(
        &self,
        ctx: &UserContext,
        operation: &str,
        status: &str,
        reason: Option<&str>,
    ) -> AppResult<Delivery> {
        let loaded = self.coordinating(ctx, operation, "delivery.status").await?;
        let next: DeliveryStatus = status.parse().map_err(|r| AppError::invalid("status", r))?;
        let old = self
            .app
            .store
            .get_delivery(operation)
            .await?
            .ok_or_else(|| AppError::not_found("delivery"))?;
        let current: DeliveryStatus = old
            .status
            .parse()
            .map_err(|_| AppError::Internal(format!("delivery {operation} has a bad status")))?;
        if !current.may_become(next) {
            return Err(AppError::invalid(
                "status",
                Reason::coded(
                    "delivery-status-move",
                    &[("from", &current.as_str()), ("to", &next.as_str())],
                ),
            ));
        }
        if matches!(next, DeliveryStatus::Authorised | DeliveryStatus::InTransit) {
            let store = &self.app.store;
            let known = delivery_of(
                old.clone(),
                store.delivery_legs(operation).await?,
                store.delivery_authorisations(operation).await?,
            )?;
            if let Some(r) = authorisation::consent_missing(&known.missing_consent) {
                return Err(AppError::invalid("status", r));
            }
        }
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if next == DeliveryStatus::Terminated && reason.is_none() {
            return Err(AppError::invalid(
                "reason",
                Reason::coded("delivery-reason-required", &[]),
            ));
        }
        let row = DeliveryRow {
            status: next.as_str().into(),
            status_reason: reason.map(str::to_string),
            version: old.version + 1,
            updated_by: ctx.username().to_string(),
            updated_at: self.app.clock.now_ms(),
            ..old.clone()
        };
        let mut tx = self.app.store.begin().await?;
        if !tx.update_delivery(&row, old.version).await? {
            return Err(AppError::VersionConflict {
                current: old.version,
            });
        }
        self.delivery_changed(&mut tx, ctx, &loaded, &row.status, Action::DeliveryUpdate)
            .await?;
        tx.commit().await?;
        self.app.live.wake();
        self.described(ctx, operation).await
    }

    /// Plans the next leg (coordinator): it starts where the last one ends, after it.
    pub async fn add_leg(
        &self,
        ctx: &UserContext,
        operation: &str,
        body: &Value,
    ) -> AppResult<Delivery> {
        let loaded = self.coordinating(ctx, operation, "delivery.leg").await?;
        if self.app.store.get_delivery(operation).await?.is_none() {
            return Err(AppError::not_found("delivery"));
        }
        let mut tx = self.app.store.begin().await?;
        let legs = tx.delivery_legs_in_tx(operation).await?;
        let previous = match legs.last() {
            Some(l) => Some(PlannedLeg {
                to: stored_party(&l.to_party)?,
                planned_handover: stored_moment(&l.planned_handover)?,
            }),
            None => None,
        };
        let draft = LegDraft::parse(body, previous.as_ref())?;
        for (field, party) in [("from", &draft.from), ("to", &draft.to)] {
            if !delivery::party_takes_part(&loaded.scope, party) {
                return Err(AppError::invalid(
                    field,
                    Reason::coded("leg-party-not-participant", &[("value", party)]),
                ));
            }
        }
        let now = self.app.clock.now_ms();
        let row = LegRow {
            id: format!("leg-{}", secrets::new_handle()),
            operation_id: operation.to_string(),
            seq: legs.last().map_or(1, |l| l.seq + 1),
            from_party: draft.from.to_string(),
            to_party: draft.to.to_string(),
            crossing_point: draft.crossing_point,
            planned_departure: draft.planned_departure.format(MOMENT).to_string(),
            planned_handover: draft.planned_handover.format(MOMENT).to_string(),
            actual_departure: None,
            actual_handover: None,
            status: LegStatus::Planned.as_str().into(),
            version: 1,
            updated_by: ctx.username().to_string(),
            updated_at: now,
        };
        tx.insert_leg(&row).await?;
        self.leg_changed(&mut tx, ctx, &loaded, &row).await?;
        tx.commit().await?;
        self.app.live.wake();
        self.described(ctx, operation).await
    }

    /// Reports on a leg: departed, handed over, intercepted or lost, with the actual times
    /// (now, when not given). The coordinator, or a participant at one of the leg's ends.
    pub async fn report_leg(
        &self,
        ctx: &UserContext,
        operation: &str,
        leg_id: &str,
        report: LegReport,
    ) -> AppResult<Delivery> {
        let (loaded, standing) = self.taking_part(ctx, operation, "delivery.leg").await?;
        let delivery = self
            .delivery(ctx, operation)
            .await?
            .ok_or_else(|| AppError::not_found("delivery"))?;
        let leg = delivery
            .legs
            .iter()
            .find(|l| l.id == leg_id)
            .ok_or_else(|| AppError::not_found("leg"))?;
        if !delivery::may_report_leg(&ctx.subject, standing, &leg.from, &leg.to) {
            let e = AppError::Forbidden(
                "only the coordinator or a participant at one end of the leg reports on it".into(),
            );
            return Err(self.app.refused(ctx, "delivery.leg", leg_id, e).await);
        }
        let next: LegStatus = report
            .status
            .parse()
            .map_err(|r| AppError::invalid("status", r))?;
        if !leg.status.may_become(next) {
            return Err(AppError::invalid(
                "status",
                Reason::coded(
                    "leg-status-move",
                    &[("from", &leg.status.as_str()), ("to", &next.as_str())],
                ),
            ));
        }
        let now = chrono::DateTime::from_timestamp_millis(self.app.clock.now_ms())
            .map(|d| d.naive_utc())
            .unwrap_or_default();
        let given = |field: &str, v: &Option<String>| -> AppResult<Option<NaiveDateTime>> {
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(s) => delivery::moment(s)
                    .map(Some)
                    .map_err(|r| AppError::invalid(field, r)),
                None => Ok(None),
            }
        };
        let mut departed =
            given("actual_departure", &report.actual_departure)?.or(leg.actual_departure);
        let mut handed = given("actual_handover", &report.actual_handover)?.or(leg.actual_handover);
        if next == LegStatus::InTransit && departed.is_none() {
            departed = Some(now);
        }
        if next == LegStatus::HandedOver && handed.is_none() {
            handed = Some(now);
        }
        if let (Some(d), Some(h)) = (departed, handed) {
            if h < d {
                return Err(AppError::invalid(
                    "actual_handover",
                    Reason::coded("leg-handover-before-departure", &[]),
                ));
            }
        }
        let seen = report.version.unwrap_or(leg.version);
        let row = LegRow {
            id: leg.id.clone(),
            operation_id: operation.to_string(),
            seq: leg.seq,
            from_party: leg.from.to_string(),
            to_party: leg.to.to_string(),
            crossing_point: leg.crossing_point.clone(),
            planned_departure: leg.planned_departure.format(MOMENT).to_string(),
            planned_handover: leg.planned_handover.format(MOMENT).to_string(),
            actual_departure: departed.map(|d| d.format(MOMENT).to_string()),
            actual_handover: handed.map(|d| d.format(MOMENT).to_string()),
            status: next.as_str().into(),
            version: seen + 1,
            updated_by: ctx.username().to_string(),
            updated_at: self.app.clock.now_ms(),
        };
        let mut tx = self.app.store.begin().await?;
        if !tx.update_leg(&row, seen).await? {
            return Err(AppError::VersionConflict {
                current: leg.version,
            });
        }
        self.leg_changed(&mut tx, ctx, &loaded, &row).await?;
        tx.commit().await?;
        self.app.live.wake();
        self.described(ctx, operation).await
    }

    /// The delivery as it now stands, after a change the caller made.
    async fn described(&self, ctx: &UserContext, operation: &str) -> AppResult<Delivery> {
        self.delivery(ctx, operation)
            .await?
            .ok_or_else(|| AppError::not_found("delivery"))
    }

    /// The operation, when it is a controlled delivery the caller coordinates.
    async fn coordinating(
        &self,
        ctx: &UserContext,
        operation: &str,
        attempted: &str,
    ) -> AppResult<Loaded> {
        let loaded = self.coordinated(ctx, operation, attempted).await?;
        if loaded.row.kind != OperationKind::ControlledDelivery.as_str() {
            return Err(AppError::invalid(
                "kind",
                Reason::coded("delivery-not-controlled", &[]),
            ));
        }
        Ok(loaded)
    }

    async fn delivery_changed(
        &self,
        tx: &mut pamir_store::WriteTx,
        ctx: &UserContext,
        loaded: &Loaded,
        status: &str,
        action: Action,
    ) -> AppResult<()> {
        tx.emit(&Event::DeliveryChanged {
            id: loaded.row.id.clone(),
            status: status.to_string(),
            scope: loaded.scope.clone(),
        })
        .await?;
        tx.audit(
            &ctx.draft(action, &loaded.row.id)
                .details(json!({"status": status})),
        )
        .await?;
        Ok(())
    }

    async fn leg_changed(
        &self,
        tx: &mut pamir_store::WriteTx,
        ctx: &UserContext,
        loaded: &Loaded,
        row: &LegRow,
    ) -> AppResult<()> {
        tx.emit(&Event::LegChanged {
            id: row.id.clone(),
            operation: loaded.row.id.clone(),
            seq: row.seq,
            status: row.status.clone(),
            scope: loaded.scope.clone(),
        })
        .await?;
        tx.audit(
            &ctx.draft(Action::DeliveryLeg, &row.id)
                .details(json!({"operation": loaded.row.id, "seq": row.seq, "status": row.status})),
        )
        .await?;
        Ok(())
    }
}

fn stored_party(s: &str) -> AppResult<Party> {
    Party::parse(s).map_err(|_| AppError::Internal(format!("a stored leg names a bad party {s:?}")))
}

fn stored_moment(s: &str) -> AppResult<NaiveDateTime> {
    delivery::moment(s)
        .map_err(|_| AppError::Internal(format!("a stored leg has a bad moment {s:?}")))
}

fn delivery_of(
    row: DeliveryRow,
    legs: Vec<LegRow>,
    authorisations: Vec<AuthorisationRow>,
) -> AppResult<Delivery> {
    let bad =
        |what: &str| AppError::Internal(format!("delivery {} has a bad {what}", row.operation_id));
    let qty = |q: &Option<String>| q.as_deref().and_then(|s| s.parse::<f64>().ok());
    let legs = legs
        .into_iter()
        .map(|l| {
            Ok(Leg {
                from: stored_party(&l.from_party)?,
                to: stored_party(&l.to_party)?,
                planned_departure: stored_moment(&l.planned_departure)?,
                planned_handover: stored_moment(&l.planned_handover)?,
                actual_departure: l
                    .actual_departure
                    .as_deref()
                    .map(stored_moment)
                    .transpose()?,
                actual_handover: l
                    .actual_handover
                    .as_deref()
                    .map(stored_moment)
                    .transpose()?,
                status: l.status.parse().map_err(|_| bad("leg status"))?,
                id: l.id,
                seq: l.seq,
                crossing_point: l.crossing_point,
                version: l.version,
                updated_by: l.updated_by,
                updated_at: l.updated_at,
            })
        })
        .collect::<AppResult<Vec<Leg>>>()?;
    let position = legs
        .iter()
        .find(|l| matches!(l.status, LegStatus::Planned | LegStatus::InTransit))
        .map(|l| l.seq);
    let authorisations = authorisations
        .into_iter()
        .map(|a| {
            Ok(Authorisation {
                country: CountryCode::parse(&a.country)
                    .map_err(|_| bad("authorisation country"))?,
                date: operation::full_date(&a.authorised_on)
                    .map_err(|_| bad("authorisation date"))?,
                consent: a.consent.parse().map_err(|_| bad("consent"))?,
                authority: a.authority,
                legal_basis: a.legal_basis,
                reference: a.reference,
                duty_contact: a.duty_contact,
                updated_by: a.updated_by,
                updated_at: a.updated_at,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let route: BTreeSet<CountryCode> = legs
        .iter()
        .flat_map(|l| [l.from.country(), l.to.country()])
        .collect();
    let given: BTreeSet<CountryCode> = authorisations
        .iter()
        .filter(|a| a.consent == Consent::Given)
        .map(|a| a.country)
        .collect();
    let missing_consent = authorisation::missing_consent(&route, &given);
    Ok(Delivery {
        kind: row.kind.parse().map_err(|_| bad("kind"))?,
        substitution: row.substitution.parse().map_err(|_| bad("substitution"))?,
        status: row.status.parse().map_err(|_| bad("status"))?,
        declared_quantity: qty(&row.declared_quantity),
        actual_quantity: qty(&row.actual_quantity),
        operation: row.operation_id,
        substance: row.substance,
        unit: row.unit,
        concealment: row.concealment,
        conveyance: row.conveyance,
        vehicle: row.vehicle,
        markers: row.markers,
        status_reason: row.status_reason,
        version: row.version,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
        legs,
        position,
        authorisations,
        missing_consent,
    })
}
