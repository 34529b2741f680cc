//! Operations over the API: open, list, read, invite, answer, remove.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use pamir_app::{
    operations::{
        Delivery, JournalEntry, JournalPart, LegReport, Operation, OperationReport, Task,
    },
    App,
};
use pamir_domain::operation::Standing;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::types::ErrorBody;
use crate::{
    error::{int_field, only_fields, required_string, ApiResult, JsonBody},
    extract::ApiUser,
};

/// An operation as the caller may see it. An invited party sees the header (to decide);
/// `description`, `objectives`, `seizure_form` and `participants` are for those taking part.
#[derive(Serialize, ToSchema, Debug)]
pub struct OperationOut {
    pub id: String,
    pub code_name: String,
    /// `joint_operation`, `controlled_delivery` or `standing_programme`.
    pub kind: String,
    pub lead_country: String,
    pub coordinator: String,
    /// `YYYY-MM-DD`.
    pub starts: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends: Option<String>,
    pub classification: String,
    /// The highest classification of anything tagged to the operation.
    pub ceiling: String,
    /// How the caller stands: `coordinator`, `member` or `invited`.
    pub standing: String,
    /// Open invitations you may accept or decline (an agency code, or your country's code for
    /// its focal point).
    pub you_answer_for: Vec<String>,
    pub created_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objectives: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seizure_form: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<ParticipantOut>>,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct ParticipantOut {
    /// An agency code, or a country code for a whole country.
    pub party: String,
    /// `invited`, `accepted`, `declined` or `removed`.
    pub state: String,
    pub invited_by: String,
    pub invited_at: i64,
    pub changed_by: String,
    pub changed_at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct OperationList {
    pub operations: Vec<OperationOut>,
}

pub(crate) fn standing_name(s: Standing) -> &'static str {
    match s {
        Standing::Coordinator => "coordinator",
        Standing::Member => "member",
        Standing::Invited => "invited",
    }
}

impl OperationOut {
    pub fn of(op: &Operation) -> OperationOut {
        let d = op.details.as_ref();
        OperationOut {
            id: op.id.clone(),
            code_name: op.code_name.clone(),
            kind: op.kind.as_str().to_string(),
            lead_country: op.lead_country.to_string(),
            coordinator: op.coordinator.to_string(),
            starts: op.starts.to_string(),
            ends: op.ends.map(|d| d.to_string()),
            classification: op.classification.as_str().to_string(),
            ceiling: op.ceiling.as_str().to_string(),
            standing: standing_name(op.standing).to_string(),
            you_answer_for: op.answerable.iter().map(|p| p.to_string()).collect(),
            created_at: op.created_at,
            description: d.map(|d| d.description.clone()),
            objectives: d.map(|d| d.objectives.clone()),
            seizure_form: d.map(|d| d.seizure_form.as_str().to_string()),
            participants: d.map(|d| {
                d.participants
                    .iter()
                    .map(|p| ParticipantOut {
                        party: p.party.to_string(),
                        state: p.state.as_str().to_string(),
                        invited_by: p.invited_by.clone(),
                        invited_at: p.invited_at,
                        changed_by: p.changed_by.clone(),
                        changed_at: p.changed_at,
                    })
                    .collect()
            }),
        }
    }
}

/// Opens an operation coordinated by your agency (coordinator role):
/// `{"code_name", "kind", "starts", "ends"?, "lead_country"?, "classification"?, "ceiling"?,
/// "description"?, "objectives"?, "seizure_form"?}`.
#[utoipa::path(post, path = "/api/v1/operations", tag = "operations", request_body = Object,
    responses((status = 201, body = OperationOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn open(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<OperationOut>)> {
    let op = app.operations().open(&ctx, &body).await?;
    Ok((StatusCode::CREATED, Json(OperationOut::of(&op))))
}

/// The operations you coordinate, take part in or are invited to, newest first.
#[utoipa::path(get, path = "/api/v1/operations", tag = "operations",
    responses((status = 200, body = OperationList), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Json<OperationList>> {
    let ops = app.operations().list(&ctx).await?;
    Ok(Json(OperationList {
        operations: ops.iter().map(OperationOut::of).collect(),
    }))
}

/// One operation; 404 for one you may not see, exactly as for one that does not exist.
#[utoipa::path(get, path = "/api/v1/operations/{id}", tag = "operations", params(("id" = String, Path)),
    responses((status = 200, body = OperationOut), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<OperationOut>> {
    let op = app.operations().get(&ctx, &id).await?;
    Ok(Json(OperationOut::of(&op)))
}

/// Changes an operation (coordinator), with the body of `POST /api/v1/operations`: the kind
/// stays, the ceiling not below what is already in the operation's scope.
#[utoipa::path(put, path = "/api/v1/operations/{id}", tag = "operations", params(("id" = String, Path)),
    request_body = Object,
    responses((status = 200, body = OperationOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn edit(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<OperationOut>> {
    let op = app.operations().edit(&ctx, &id, &body).await?;
    Ok(Json(OperationOut::of(&op)))
}

/// Invites a party (coordinator): `{"party": "KZ-MVD"}` for an agency, `{"party": "KZ"}` for a
/// whole member country (its national focal point answers).
#[utoipa::path(post, path = "/api/v1/operations/{id}/participants", tag = "operations",
    params(("id" = String, Path)), request_body = Object,
    responses((status = 200, body = OperationOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn invite(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<OperationOut>> {
    only_fields(&body, &["party"])?;
    let party = required_string(&body, "party")?;
    let op = app.operations().invite(&ctx, &id, &party).await?;
    Ok(Json(OperationOut::of(&op)))
}

/// Accepts an invitation of `party` (a user of the invited agency, or the focal point of the
/// invited country).
#[utoipa::path(post, path = "/api/v1/operations/{id}/participants/{party}/accept", tag = "operations",
    params(("id" = String, Path), ("party" = String, Path)),
    responses((status = 200, body = OperationOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn accept(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path((id, party)): Path<(String, String)>,
) -> ApiResult<Response> {
    let op = app.operations().answer(&ctx, &id, &party, true).await?;
    Ok(match op {
        Some(op) => Json(OperationOut::of(&op)).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

/// Declines an invitation of `party`; the operation is then no longer visible to you (204).
#[utoipa::path(post, path = "/api/v1/operations/{id}/participants/{party}/decline", tag = "operations",
    params(("id" = String, Path), ("party" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn decline(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path((id, party)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    app.operations().answer(&ctx, &id, &party, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a party (coordinator): it sees nothing of the operation from then on.
#[utoipa::path(delete, path = "/api/v1/operations/{id}/participants/{party}", tag = "operations",
    params(("id" = String, Path), ("party" = String, Path)),
    responses((status = 200, body = OperationOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn remove(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path((id, party)): Path<(String, String)>,
) -> ApiResult<Json<OperationOut>> {
    let op = app.operations().remove(&ctx, &id, &party).await?;
    Ok(Json(OperationOut::of(&op)))
}

/// A task of an operation, with its comments.
#[derive(Serialize, ToSchema, Debug)]
pub struct TaskOut {
    pub id: String,
    pub operation: String,
    pub title: String,
    pub description: String,
    pub assignee: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remind: Option<String>,
    /// `open`, `in_progress`, `done` or `cancelled`.
    pub status: String,
    /// Send it back with a status change: a change made meanwhile is then a conflict (409).
    pub version: i64,
    pub overdue: bool,
    pub escalated: bool,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
    pub comments: Vec<TaskCommentOut>,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct TaskCommentOut {
    pub author: String,
    pub agency: String,
    pub body: String,
    pub created_at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct TaskList {
    pub tasks: Vec<TaskOut>,
}

impl TaskOut {
    pub fn of(t: &Task) -> TaskOut {
        TaskOut {
            id: t.id.clone(),
            operation: t.operation.clone(),
            title: t.title.clone(),
            description: t.description.clone(),
            assignee: t.assignee.to_string(),
            due: t.due.to_string(),
            remind: t.remind.map(|d| d.to_string()),
            status: t.status.as_str().to_string(),
            version: t.version,
            overdue: t.overdue,
            escalated: t.escalated,
            created_by: t.created_by.clone(),
            created_at: t.created_at,
            updated_by: t.updated_by.clone(),
            updated_at: t.updated_at,
            comments: t
                .comments
                .iter()
                .map(|c| TaskCommentOut {
                    author: c.author.clone(),
                    agency: c.agency.clone(),
                    body: c.body.clone(),
                    created_at: c.created_at,
                })
                .collect(),
        }
    }
}

/// The operation's tasks, soonest due first (for those taking part).
#[utoipa::path(get, path = "/api/v1/operations/{id}/tasks", tag = "operations", params(("id" = String, Path)),
    responses((status = 200, body = TaskList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn tasks(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<TaskList>> {
    let tasks = app.operations().tasks(&ctx, &id).await?;
    Ok(Json(TaskList {
        tasks: tasks.iter().map(TaskOut::of).collect(),
    }))
}

/// Sets a task for a participating agency (coordinator):
/// `{"title", "assignee": "TJ-AKN", "due": "YYYY-MM-DD", "remind"?, "description"?}`.
#[utoipa::path(post, path = "/api/v1/operations/{id}/tasks", tag = "operations", params(("id" = String, Path)),
    request_body = Object,
    responses((status = 201, body = TaskOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn add_task(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<TaskOut>)> {
    let task = app.operations().add_task(&ctx, &id, &body).await?;
    Ok((StatusCode::CREATED, Json(TaskOut::of(&task))))
}

/// Moves a task: `{"status": "in_progress" | "done" | "open" | "cancelled", "version"?}`.
#[utoipa::path(post, path = "/api/v1/operations/{id}/tasks/{task}/status", tag = "operations",
    params(("id" = String, Path), ("task" = String, Path)), request_body = Object,
    responses((status = 200, body = TaskOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn task_status(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path((id, task)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<TaskOut>> {
    only_fields(&body, &["status", "version"])?;
    let status = required_string(&body, "status")?;
    let version = int_field(&body, "version")?;
    let task = app
        .operations()
        .set_task_status(&ctx, &id, &task, &status, version)
        .await?;
    Ok(Json(TaskOut::of(&task)))
}

/// Comments on a task (anyone taking part): `{"body": "…"}`.
#[utoipa::path(post, path = "/api/v1/operations/{id}/tasks/{task}/comments", tag = "operations",
    params(("id" = String, Path), ("task" = String, Path)), request_body = Object,
    responses((status = 200, body = TaskOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn comment_task(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path((id, task)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<TaskOut>> {
    only_fields(&body, &["body"])?;
    let text = required_string(&body, "body")?;
    let task = app
        .operations()
        .comment_task(&ctx, &id, &task, &text)
        .await?;
    Ok(Json(TaskOut::of(&task)))
}

/// A controlled delivery as a participant sees it, legs in order.
#[derive(Serialize, ToSchema, Debug)]
pub struct DeliveryOut {
    pub operation: String,
    /// `import`, `export` or `transit`.
    pub kind: String,
    pub substance: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_quantity: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual_quantity: Option<f64>,
    pub unit: String,
    pub concealment: String,
    pub conveyance: String,
    pub vehicle: String,
    pub markers: String,
    /// `none`, `partial` or `full`.
    pub substitution: String,
    /// `requested`, `authorised`, `in_transit`, `delivered` or `terminated`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    pub version: i64,
    /// The place (`seq`) of the leg the consignment is on or waits for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<i64>,
    pub legs: Vec<LegOut>,
    /// Each state's authorisation, by country.
    pub authorisations: Vec<AuthorisationOut>,
    /// States on the route without consent given: until there are none, the delivery is
    /// neither authorised nor let run.
    pub missing_consent: Vec<String>,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct AuthorisationOut {
    pub country: String,
    pub authority: String,
    pub legal_basis: String,
    pub reference: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `given` or `withdrawn`.
    pub consent: String,
    pub duty_contact: String,
    pub updated_by: String,
    pub updated_at: i64,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct LegOut {
    pub id: String,
    pub seq: i64,
    pub from: String,
    pub to: String,
    pub crossing_point: String,
    /// `YYYY-MM-DDTHH:MM`, UTC.
    pub planned_departure: String,
    pub planned_handover: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual_departure: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual_handover: Option<String>,
    /// `planned`, `in_transit`, `handed_over`, `intercepted` or `lost`.
    pub status: String,
    pub version: i64,
}

use pamir_domain::delivery::MOMENT;

impl DeliveryOut {
    pub fn of(d: &Delivery) -> DeliveryOut {
        DeliveryOut {
            operation: d.operation.clone(),
            kind: d.kind.as_str().into(),
            substance: d.substance.clone(),
            declared_quantity: d.declared_quantity,
            actual_quantity: d.actual_quantity,
            unit: d.unit.clone(),
            concealment: d.concealment.clone(),
            conveyance: d.conveyance.clone(),
            vehicle: d.vehicle.clone(),
            markers: d.markers.clone(),
            substitution: d.substitution.as_str().into(),
            status: d.status.as_str().into(),
            status_reason: d.status_reason.clone(),
            version: d.version,
            position: d.position,
            legs: d
                .legs
                .iter()
                .map(|l| LegOut {
                    id: l.id.clone(),
                    seq: l.seq,
                    from: l.from.to_string(),
                    to: l.to.to_string(),
                    crossing_point: l.crossing_point.clone(),
                    planned_departure: l.planned_departure.format(MOMENT).to_string(),
                    planned_handover: l.planned_handover.format(MOMENT).to_string(),
                    actual_departure: l.actual_departure.map(|m| m.format(MOMENT).to_string()),
                    actual_handover: l.actual_handover.map(|m| m.format(MOMENT).to_string()),
                    status: l.status.as_str().into(),
                    version: l.version,
                })
                .collect(),
            authorisations: d
                .authorisations
                .iter()
                .map(|a| AuthorisationOut {
                    country: a.country.to_string(),
                    authority: a.authority.clone(),
                    legal_basis: a.legal_basis.clone(),
                    reference: a.reference.clone(),
                    date: a.date.to_string(),
                    consent: a.consent.as_str().into(),
                    duty_contact: a.duty_contact.clone(),
                    updated_by: a.updated_by.clone(),
                    updated_at: a.updated_at,
                })
                .collect(),
            missing_consent: d.missing_consent.iter().map(|c| c.to_string()).collect(),
        }
    }
}

/// The operation's controlled delivery (for those taking part); 404 when none is described.
#[utoipa::path(get, path = "/api/v1/operations/{id}/delivery", tag = "operations", params(("id" = String, Path)),
    responses((status = 200, body = DeliveryOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delivery(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<DeliveryOut>> {
    let d = app
        .operations()
        .delivery(&ctx, &id)
        .await?
        .ok_or_else(|| pamir_app::AppError::not_found("delivery"))?;
    Ok(Json(DeliveryOut::of(&d)))
}

/// Describes the consignment (coordinator of a controlled delivery): `{"kind", "substance",
/// "declared_quantity"?, "actual_quantity"?, "unit"?, "concealment"?, "conveyance"?, "vehicle"?,
/// "markers"?, "substitution"?}`.
#[utoipa::path(put, path = "/api/v1/operations/{id}/delivery", tag = "operations", params(("id" = String, Path)),
    request_body = Object,
    responses((status = 200, body = DeliveryOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn set_delivery(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<DeliveryOut>> {
    let d = app.operations().set_delivery(&ctx, &id, &body).await?;
    Ok(Json(DeliveryOut::of(&d)))
}

/// Records a state's authorisation of the controlled delivery, replacing what it recorded
/// before (a coordinator, or a participant of that state): `{"authority", "legal_basis",
/// "reference", "date": "YYYY-MM-DD", "consent": "given|withdrawn", "duty_contact"}`.
#[utoipa::path(put, path = "/api/v1/operations/{id}/delivery/authorisations/{country}", tag = "operations",
    params(("id" = String, Path), ("country" = String, Path)), request_body = Object,
    responses((status = 200, body = DeliveryOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn set_authorisation(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path((id, country)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<DeliveryOut>> {
    let d = app
        .operations()
        .set_authorisation(&ctx, &id, &country, &body)
        .await?;
    Ok(Json(DeliveryOut::of(&d)))
}

/// Moves the delivery on (coordinator): `{"status", "reason"?}` (a reason to terminate). A
/// delivery becomes authorised, or runs, only once every state on its route gave consent.
#[utoipa::path(post, path = "/api/v1/operations/{id}/delivery/status", tag = "operations",
    params(("id" = String, Path)), request_body = Object,
    responses((status = 200, body = DeliveryOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delivery_status(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<DeliveryOut>> {
    only_fields(&body, &["status", "reason"])?;
    let status = required_string(&body, "status")?;
    let reason = crate::error::string_field(&body, "reason")?;
    let d = app
        .operations()
        .set_delivery_status(&ctx, &id, &status, reason.as_deref())
        .await?;
    Ok(Json(DeliveryOut::of(&d)))
}

/// Plans the next leg (coordinator): `{"from", "to", "crossing_point"?, "planned_departure",
/// "planned_handover"}` — parties are agency or country codes, moments `YYYY-MM-DDTHH:MM` UTC.
#[utoipa::path(post, path = "/api/v1/operations/{id}/delivery/legs", tag = "operations",
    params(("id" = String, Path)), request_body = Object,
    responses((status = 200, body = DeliveryOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn add_leg(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<DeliveryOut>> {
    let d = app.operations().add_leg(&ctx, &id, &body).await?;
    Ok(Json(DeliveryOut::of(&d)))
}

/// Reports on a leg (the coordinator, or a participant at one of its ends): `{"status",
/// "actual_departure"?, "actual_handover"?, "version"?}`.
#[utoipa::path(post, path = "/api/v1/operations/{id}/delivery/legs/{leg}", tag = "operations",
    params(("id" = String, Path), ("leg" = String, Path)), request_body = Object,
    responses((status = 200, body = DeliveryOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn report_leg(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path((id, leg)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<DeliveryOut>> {
    only_fields(
        &body,
        &["status", "actual_departure", "actual_handover", "version"],
    )?;
    let report = LegReport {
        status: required_string(&body, "status")?,
        actual_departure: crate::error::string_field(&body, "actual_departure")?,
        actual_handover: crate::error::string_field(&body, "actual_handover")?,
        version: int_field(&body, "version")?,
    };
    let d = app.operations().report_leg(&ctx, &id, &leg, report).await?;
    Ok(Json(DeliveryOut::of(&d)))
}

/// One entry of an operation's journal: the event as stored, without the operation's scope.
#[derive(Serialize, ToSchema, Debug)]
pub struct JournalEntryOut {
    pub seq: i64,
    pub at: i64,
    /// `participants`, `tasks` or `delivery`.
    pub part: String,
    /// The event's kind (`operation.participant`, `task.changed`, `delivery.leg`, …).
    pub kind: String,
    /// What the event holds: ids, states, never content.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct JournalOut {
    pub entries: Vec<JournalEntryOut>,
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JournalQuery {
    /// Only `participants`, `tasks` or `delivery`.
    pub part: Option<String>,
}

impl JournalEntryOut {
    pub fn of(e: &JournalEntry) -> JournalEntryOut {
        let mut data = e.event.payload();
        if let Some(map) = data.as_object_mut() {
            map.remove("scope");
        }
        JournalEntryOut {
            seq: e.seq,
            at: e.at,
            part: e.part.as_str().into(),
            kind: e.event.kind().into(),
            data,
        }
    }
}

/// The operation's journal, oldest first (for those taking part).
#[utoipa::path(get, path = "/api/v1/operations/{id}/journal", tag = "operations",
    params(("id" = String, Path), JournalQuery),
    responses((status = 200, body = JournalOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn journal(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<JournalQuery>,
) -> ApiResult<Json<JournalOut>> {
    let only = q
        .part
        .as_deref()
        .filter(|p| !p.is_empty())
        .map(JournalPart::parse)
        .transpose()?;
    let entries = app.operations().journal(&ctx, &id, only).await?;
    Ok(Json(JournalOut {
        entries: entries.iter().map(JournalEntryOut::of).collect(),
    }))
}

/// One agency's reported results.
#[derive(Serialize, ToSchema, Debug)]
pub struct ResultOut {
    pub id: String,
    pub agency: String,
    pub arrests: i64,
    pub cases_opened: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assets_value: Option<f64>,
    pub assets_currency: String,
    pub note: String,
    pub reported_by: String,
    pub reported_at: i64,
    /// Ids of the agency's Seizure records linked.
    pub seizures: Vec<String>,
}

/// Seizures of one country, substance and unit.
#[derive(Serialize, ToSchema, Debug)]
pub struct TotalOut {
    pub country: Option<String>,
    pub substance: String,
    pub unit: String,
    pub quantity: f64,
    pub seizures: usize,
}

/// The operation report: every result, and the linked seizures added up as they stand.
#[derive(Serialize, ToSchema, Debug)]
pub struct ReportOut {
    pub results: Vec<ResultOut>,
    pub totals: Vec<TotalOut>,
    pub arrests: i64,
    pub cases_opened: i64,
    /// Assets seized per currency: `[["USD", 15000.0]]`.
    #[schema(value_type = Vec<Object>)]
    pub assets: Vec<(String, f64)>,
    /// Linked records deleted by their owner since.
    pub missing: usize,
}

impl ReportOut {
    pub fn of(r: &OperationReport) -> ReportOut {
        ReportOut {
            results: r
                .results
                .iter()
                .map(|e| ResultOut {
                    id: e.id.clone(),
                    agency: e.agency.clone(),
                    arrests: e.arrests,
                    cases_opened: e.cases_opened,
                    assets_value: e.assets_value,
                    assets_currency: e.assets_currency.clone(),
                    note: e.note.clone(),
                    reported_by: e.reported_by.clone(),
                    reported_at: e.reported_at,
                    seizures: e.seizures.clone(),
                })
                .collect(),
            totals: r
                .totals
                .iter()
                .map(|t| TotalOut {
                    country: t.country.map(|c| c.to_string()),
                    substance: t.substance.clone(),
                    unit: t.unit.clone(),
                    quantity: t.quantity,
                    seizures: t.seizures,
                })
                .collect(),
            arrests: r.arrests,
            cases_opened: r.cases_opened,
            assets: r.assets.clone(),
            missing: r.missing,
        }
    }
}

/// The operation report (for those taking part).
#[utoipa::path(get, path = "/api/v1/operations/{id}/report", tag = "operations", params(("id" = String, Path)),
    responses((status = 200, body = ReportOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn report(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<ReportOut>> {
    let r = app.operations().report(&ctx, &id).await?;
    Ok(Json(ReportOut::of(&r)))
}

/// Reports your agency's results: `{"seizures": ["<your Seizure record id>", …], "arrests"?,
/// "cases_opened"?, "assets_value"?, "assets_currency"?, "note"?}`.
#[utoipa::path(post, path = "/api/v1/operations/{id}/results", tag = "operations", params(("id" = String, Path)),
    request_body = Object,
    responses((status = 201, body = ReportOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn report_result(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<ReportOut>)> {
    let r = app.operations().report_result(&ctx, &id, &body).await?;
    Ok((StatusCode::CREATED, Json(ReportOut::of(&r))))
}
