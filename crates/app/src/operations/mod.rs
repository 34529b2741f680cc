//! Joint operations as a service, reached as `app.operations()`: opening an operation, inviting
//! parties, their answers, removal, and reading what the caller may see of it. Who sees what is
//! the domain's `operation::standing`; a user who may not see an operation gets the same
//! "not found" as for one that does not exist, and every change and read is audited.

use chrono::NaiveDate;
use pamir_domain::{
    audit::Action,
    event::Event,
    operation::{
        self, check_invitation, OperationDraft, OperationKind, OperationScope, ParticipantState,
        Party, SeizureForm, Standing,
    },
    AgencyCode, Classification, CountryCode,
};
use pamir_store::{OperationRow, ParticipantRow};
use serde_json::{json, Value};

use crate::{secrets, App, AppError, AppResult, UserContext};

mod delivery;
mod journal;
mod results;
mod scope;
mod tasks;
pub use delivery::{Authorisation, Delivery, Leg, LegReport};
pub use journal::{JournalEntry, JournalPart};
pub use results::{OperationReport, ResultEntry};
pub use scope::Taggable;
pub use tasks::{Task, TaskComment};

/// An operation as one user may see it. `details` is there for those taking part; an invited
/// user sees the name, kind, coordinator and period, to decide.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub id: String,
    pub code_name: String,
    pub kind: OperationKind,
    pub lead_country: CountryCode,
    pub coordinator: AgencyCode,
    pub starts: NaiveDate,
    pub ends: Option<NaiveDate>,
    pub classification: Classification,
    pub ceiling: Classification,
    pub standing: Standing,
    /// The open invitations the caller may answer (their agency's, or their country's for its
    /// focal point).
    pub answerable: Vec<Party>,
    pub created_at: i64,
    pub details: Option<OperationDetails>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OperationDetails {
    pub description: String,
    pub objectives: String,
    pub seizure_form: SeizureForm,
    pub created_by: String,
    pub participants: Vec<Participant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub party: Party,
    pub state: ParticipantState,
    pub invited_by: String,
    pub invited_at: i64,
    pub changed_by: String,
    pub changed_at: i64,
}

/// The operations service.
#[derive(Clone, Copy)]
pub struct Operations<'a> {
    app: &'a App,
}

impl App {
    pub fn operations(&self) -> Operations<'_> {
        Operations { app: self }
    }
}

/// An operation read from the store, with its participants.
pub(super) struct Loaded {
    pub(super) row: OperationRow,
    pub(super) participants: Vec<Participant>,
    pub(super) scope: OperationScope,
}

impl<'a> Operations<'a> {
    /// Opens an operation coordinated by the caller's agency.
    pub async fn open(&self, ctx: &UserContext, body: &Value) -> AppResult<Operation> {
        // Who may open one is settled before the body is read: a refused caller learns nothing
        // from what the service would have said of their input.
        if !(ctx.subject.active && ctx.has(pamir_domain::Role::Coordinator)) {
            let e = AppError::Forbidden(
                "only a user with the coordinator role opens an operation".into(),
            );
            return Err(self.app.refused(ctx, "operation.open", "-", e).await);
        }
        let draft = OperationDraft::parse(body, ctx.subject.country)?;
        if let Err(reason) = operation::may_open(&ctx.subject, &draft) {
            let e = AppError::Forbidden(reason.as_str().to_string());
            return Err(self.app.refused(ctx, "operation.open", "-", e).await);
        }
        if self
            .app
            .store
            .get_country(draft.lead_country.as_str())
            .await?
            .is_none()
        {
            return Err(AppError::invalid(
                "lead_country",
                pamir_domain::error::Reason::coded(
                    "country-not-registered",
                    &[("value", &draft.lead_country)],
                ),
            ));
        }
        let now = self.app.clock.now_ms();
        let row = OperationRow {
            id: format!("op-{}", secrets::new_handle()),
            code_name: draft.code_name,
            kind: draft.kind.as_str().to_string(),
            lead_country: draft.lead_country.to_string(),
            coordinator_agency: ctx.agency().to_string(),
            starts: draft.starts.to_string(),
            ends: draft.ends.map(|d| d.to_string()),
            classification: draft.classification.level(),
            ceiling: draft.ceiling.level(),
            description: draft.description,
            objectives: draft.objectives,
            seizure_form: draft.seizure_form.as_str().to_string(),
            created_by: ctx.username().to_string(),
            created_at: now,
            updated_at: now,
        };
        let scope = scope_of(&row, &[])?;
        let mut tx = self.app.store.begin().await?;
        tx.insert_operation(&row).await?;
        tx.emit(&Event::OperationChanged {
            id: row.id.clone(),
            change: "opened".into(),
            scope: scope.clone(),
        })
        .await?;
        tx.audit(
            &ctx.draft(Action::OperationOpen, &row.id)
                .details(json!({"kind": row.kind, "classification": draft.classification})),
        )
        .await?;
        tx.commit().await?;
        self.app.live.wake();
        let loaded = Loaded {
            row,
            participants: Vec::new(),
            scope,
        };
        view(loaded, &ctx.subject, Standing::Coordinator)
    }

    /// Changes an operation (a coordinator of the coordinating agency), with the same body as
    /// `open`: its kind stays, its ceiling stays within the coordinator's clearance and not
    /// below what is already in its scope; checked in the writing transaction.
    pub async fn edit(&self, ctx: &UserContext, id: &str, body: &Value) -> AppResult<Operation> {
        let loaded = self.coordinated(ctx, id, "operation.edit").await?;
        let draft = OperationDraft::parse(body, ctx.subject.country)?;
        if let Err(reason) = operation::may_open(&ctx.subject, &draft) {
            let e = AppError::Forbidden(reason.as_str().to_string());
            return Err(self.app.refused(ctx, "operation.edit", id, e).await);
        }
        if self
            .app
            .store
            .get_country(draft.lead_country.as_str())
            .await?
            .is_none()
        {
            return Err(AppError::invalid(
                "lead_country",
                pamir_domain::error::Reason::coded(
                    "country-not-registered",
                    &[("value", &draft.lead_country)],
                ),
            ));
        }
        let kind: OperationKind = loaded
            .row
            .kind
            .parse()
            .map_err(|_| AppError::Internal(format!("operation {id} has a bad kind")))?;
        let seen = loaded.row.updated_at;
        let row = OperationRow {
            code_name: draft.code_name.clone(),
            lead_country: draft.lead_country.to_string(),
            starts: draft.starts.to_string(),
            ends: draft.ends.map(|d| d.to_string()),
            classification: draft.classification.level(),
            ceiling: draft.ceiling.level(),
            description: draft.description.clone(),
            objectives: draft.objectives.clone(),
            seizure_form: draft.seizure_form.as_str().to_string(),
            // Strictly later than what was read: it is what the next writer compares.
            updated_at: self.app.clock.now_ms().max(seen + 1),
            ..loaded.row.clone()
        };
        // The row first (it waits for an item being tagged to it), then what is tagged: an item
        // written meanwhile is seen, and one written after waits for this change.
        let mut tx = self.app.store.begin().await?;
        if !tx.update_operation(&row, seen).await? {
            return Err(AppError::Conflict(
                "the operation was changed meanwhile: reload it and edit again".into(),
            ));
        }
        let tagged = tx
            .highest_tagged(id)
            .await?
            .and_then(Classification::from_level);
        operation::check_edit(kind, &draft, tagged)?;
        let scope = scope_of(&row, &loaded.participants)?;
        tx.emit(&Event::OperationChanged {
            id: id.to_string(),
            change: "edited".into(),
            scope: scope.clone(),
        })
        .await?;
        tx.audit(&ctx.draft(Action::OperationEdit, id).details(json!({
            "classification": draft.classification, "ceiling": draft.ceiling
        })))
        .await?;
        tx.commit().await?;
        self.app.live.wake();
        let standing = operation::standing(&ctx.subject, &scope)
            .ok_or_else(|| AppError::not_found("operation"))?;
        view(
            Loaded {
                row,
                participants: loaded.participants,
                scope,
            },
            &ctx.subject,
            standing,
        )
    }

    /// The operation as the caller may see it; "not found" when they may not see it at all.
    pub async fn get(&self, ctx: &UserContext, id: &str) -> AppResult<Operation> {
        let (loaded, standing) = self.visible(ctx, id).await?;
        self.app
            .store
            .audit(&ctx.draft(Action::OperationRead, id))
            .await?;
        view(loaded, &ctx.subject, standing)
    }

    /// The operations an agency coordinates, or where it or its country is invited or takes
    /// part, newest first, with their participants: two reads, whatever their number.
    pub(super) async fn concerning(&self, agency: &AgencyCode) -> AppResult<Vec<Loaded>> {
        let store = &self.app.store;
        let rows = store
            .operations_concerning(agency.as_str(), agency.country().as_str())
            .await?;
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let mut by_operation: std::collections::HashMap<String, Vec<ParticipantRow>> =
            std::collections::HashMap::new();
        for p in store.participants_of_operations(&ids).await? {
            by_operation
                .entry(p.operation_id.clone())
                .or_default()
                .push(p);
        }
        rows.into_iter()
            .map(|row| {
                let participants = participants(by_operation.remove(&row.id).unwrap_or_default());
                let scope = scope_of(&row, &participants)?;
                Ok(Loaded {
                    row,
                    participants,
                    scope,
                })
            })
            .collect()
    }

    /// The operations the caller coordinates, takes part in or is invited to, newest first.
    pub async fn list(&self, ctx: &UserContext) -> AppResult<Vec<Operation>> {
        let mut out = Vec::new();
        for loaded in self.concerning(&ctx.user.agency).await? {
            if let Some(standing) = operation::standing(&ctx.subject, &loaded.scope) {
                let mut op = view(loaded, &ctx.subject, standing)?;
                // A list shows headers; the page of one operation shows the rest.
                if let Some(d) = op.details.as_mut() {
                    d.description.clear();
                    d.objectives.clear();
                }
                out.push(op);
            }
        }
        Ok(out)
    }

    /// Invites a party (an agency code, or a country code for a whole member country).
    pub async fn invite(&self, ctx: &UserContext, id: &str, party: &str) -> AppResult<Operation> {
        let loaded = self.coordinated(ctx, id, "operation.invite").await?;
        let party = Party::parse(party).map_err(|r| AppError::invalid("party", r))?;
        let country = self
            .app
            .store
            .get_country(party.country().as_str())
            .await?
            .ok_or_else(|| {
                AppError::invalid(
                    "party",
                    pamir_domain::error::Reason::coded(
                        "country-not-registered",
                        &[("value", &party.country())],
                    ),
                )
            })?;
        if let Party::Agency(a) = &party {
            if self.app.store.get_agency(a.as_str()).await?.is_none() {
                return Err(AppError::invalid(
                    "party",
                    pamir_domain::error::Reason::coded("agency-not-registered", &[("value", a)]),
                ));
            }
        }
        let mut tx = self.app.store.begin().await?;
        let now_rows = participants(tx.operation_participants_in_tx(id).await?);
        let current = now_rows.iter().find(|p| p.party == party).map(|p| p.state);
        check_invitation(&loaded.scope, &party, country.status, current)
            .map_err(|r| AppError::invalid("party", r))?;
        if !tx.invite_party(id, party.code(), ctx.username()).await? {
            return Err(AppError::Conflict(format!(
                "{party} was invited or answered meanwhile; reload the operation"
            )));
        }
        let rows = participants(tx.operation_participants_in_tx(id).await?);
        let scope = scope_of(&loaded.row, &rows)?;
        self.participant_changed(
            &mut tx,
            ctx,
            Action::OperationInvite,
            id,
            &party,
            ParticipantState::Invited,
            &scope,
        )
        .await?;
        tx.commit().await?;
        self.app.live.wake();
        self.get(ctx, id).await
    }

    /// Accepts or declines an invitation of `party`, answered by the caller for it: the
    /// operation as the caller now sees it, or `None` after declining (they see it no more).
    pub async fn answer(
        &self,
        ctx: &UserContext,
        id: &str,
        party: &str,
        accept: bool,
    ) -> AppResult<Option<Operation>> {
        let (loaded, _) = self.visible(ctx, id).await?;
        let party = Party::parse(party).map_err(|r| AppError::invalid("party", r))?;
        let invited = loaded
            .participants
            .iter()
            .any(|p| p.party == party && p.state == ParticipantState::Invited);
        if !invited || !party.answered_by(&ctx.subject) {
            let e = AppError::Forbidden(format!(
                "there is no open invitation of {party} that you may answer"
            ));
            return Err(self.app.refused(ctx, "operation.answer", id, e).await);
        }
        let to = if accept {
            ParticipantState::Accepted
        } else {
            ParticipantState::Declined
        };
        let mut tx = self.app.store.begin().await?;
        if !tx
            .change_participant(id, party.code(), "invited", to.as_str(), ctx.username())
            .await?
        {
            return Err(AppError::Conflict(format!(
                "the invitation of {party} was answered or withdrawn meanwhile"
            )));
        }
        let rows = participants(tx.operation_participants_in_tx(id).await?);
        let scope = scope_of(&loaded.row, &rows)?;
        self.participant_changed(
            &mut tx,
            ctx,
            Action::OperationAnswer,
            id,
            &party,
            to,
            &scope,
        )
        .await?;
        tx.commit().await?;
        self.app.live.wake();
        if accept {
            self.get(ctx, id).await.map(Some)
        } else {
            Ok(None)
        }
    }

    /// Removes a party (invited or taking part): from then on it sees nothing of the operation.
    pub async fn remove(&self, ctx: &UserContext, id: &str, party: &str) -> AppResult<Operation> {
        let loaded = self.coordinated(ctx, id, "operation.remove").await?;
        let party = Party::parse(party).map_err(|r| AppError::invalid("party", r))?;
        let Some(current) = loaded.participants.iter().find(|p| p.party == party) else {
            return Err(AppError::not_found(&format!("participant {party}")));
        };
        if !matches!(
            current.state,
            ParticipantState::Invited | ParticipantState::Accepted
        ) {
            return Err(AppError::Conflict(format!(
                "{party} is not taking part (it is {})",
                current.state
            )));
        }
        let mut tx = self.app.store.begin().await?;
        if !tx
            .change_participant(
                id,
                party.code(),
                current.state.as_str(),
                "removed",
                ctx.username(),
            )
            .await?
        {
            return Err(AppError::Conflict(format!(
                "{party} answered meanwhile; reload the operation"
            )));
        }
        let rows = participants(tx.operation_participants_in_tx(id).await?);
        let scope = scope_of(&loaded.row, &rows)?;
        self.participant_changed(
            &mut tx,
            ctx,
            Action::OperationRemove,
            id,
            &party,
            ParticipantState::Removed,
            &scope,
        )
        .await?;
        tx.commit().await?;
        self.app.live.wake();
        self.get(ctx, id).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn participant_changed(
        &self,
        tx: &mut pamir_store::WriteTx,
        ctx: &UserContext,
        action: Action,
        id: &str,
        party: &Party,
        state: ParticipantState,
        scope: &OperationScope,
    ) -> AppResult<()> {
        tx.emit(&Event::ParticipantChanged {
            id: id.to_string(),
            party: party.to_string(),
            state: state.as_str().to_string(),
            scope: scope.clone(),
        })
        .await?;
        tx.audit(
            &ctx.draft(action, id)
                .details(json!({"party": party, "state": state.as_str()})),
        )
        .await?;
        Ok(())
    }

    /// The operation and the caller's standing, or "not found" for one they may not see.
    pub(super) async fn visible(
        &self,
        ctx: &UserContext,
        id: &str,
    ) -> AppResult<(Loaded, Standing)> {
        let missing = || AppError::not_found("operation");
        let row = self
            .app
            .store
            .get_operation(id)
            .await?
            .ok_or_else(missing)?;
        let participants = participants(self.app.store.operation_participants(id).await?);
        let scope = scope_of(&row, &participants)?;
        let standing = operation::standing(&ctx.subject, &scope).ok_or_else(missing)?;
        Ok((
            Loaded {
                row,
                participants,
                scope,
            },
            standing,
        ))
    }

    /// The operation, when the caller coordinates it; refused (and audited) for a participant
    /// who does not, "not found" for anyone else.
    pub(super) async fn coordinated(
        &self,
        ctx: &UserContext,
        id: &str,
        attempted: &str,
    ) -> AppResult<Loaded> {
        let (loaded, standing) = self.visible(ctx, id).await?;
        if standing != Standing::Coordinator {
            let e = AppError::Forbidden(
                "only a coordinator of the coordinating agency manages the operation".into(),
            );
            return Err(self.app.refused(ctx, attempted, id, e).await);
        }
        Ok(loaded)
    }
}

pub(super) fn participants(rows: Vec<ParticipantRow>) -> Vec<Participant> {
    rows.into_iter()
        .filter_map(|r| {
            Some(Participant {
                party: Party::parse(&r.party).ok()?,
                state: r.state.parse().ok()?,
                invited_by: r.invited_by,
                invited_at: r.invited_at,
                changed_by: r.changed_by,
                changed_at: r.changed_at,
            })
        })
        .collect()
}

pub(super) fn scope_of(
    row: &OperationRow,
    participants: &[Participant],
) -> AppResult<OperationScope> {
    let stored = |what: &str| AppError::Internal(format!("operation {} has a bad {what}", row.id));
    let with = |state: ParticipantState| {
        participants
            .iter()
            .filter(|p| p.state == state)
            .map(|p| p.party.clone())
            .collect()
    };
    Ok(OperationScope {
        coordinator: Some(
            AgencyCode::parse(&row.coordinator_agency).map_err(|_| stored("coordinator"))?,
        ),
        classification: Classification::from_level(row.classification)
            .ok_or_else(|| stored("classification"))?,
        members: with(ParticipantState::Accepted),
        invited: with(ParticipantState::Invited),
    })
}

fn view(
    l: Loaded,
    subject: &pamir_domain::access::Subject,
    standing: Standing,
) -> AppResult<Operation> {
    let row = l.row;
    let answerable = l
        .scope
        .invited
        .iter()
        .filter(|p| p.answered_by(subject))
        .cloned()
        .collect();
    let stored = |what: &str| AppError::Internal(format!("operation {} has a bad {what}", row.id));
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| stored("date"));
    let details = standing
        .takes_part()
        .then(|| -> AppResult<OperationDetails> {
            Ok(OperationDetails {
                description: row.description.clone(),
                objectives: row.objectives.clone(),
                seizure_form: row
                    .seizure_form
                    .parse()
                    .map_err(|_| stored("seizure form"))?,
                created_by: row.created_by.clone(),
                participants: l.participants,
            })
        });
    Ok(Operation {
        id: row.id.clone(),
        code_name: row.code_name.clone(),
        kind: row.kind.parse().map_err(|_| stored("kind"))?,
        lead_country: CountryCode::parse(&row.lead_country).map_err(|_| stored("lead country"))?,
        coordinator: l
            .scope
            .coordinator
            .clone()
            .ok_or_else(|| stored("coordinator"))?,
        starts: date(&row.starts)?,
        ends: row.ends.as_deref().map(date).transpose()?,
        classification: l.scope.classification,
        ceiling: Classification::from_level(row.ceiling).ok_or_else(|| stored("ceiling"))?,
        standing,
        answerable,
        created_at: row.created_at,
        details: details.transpose()?,
    })
}
