//! The operations pages: the list (with the form that opens one, for coordinators) and one
//! operation's workspace (header, description, participants; invitations to answer).

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::{html, Markup};
use pamir_app::{
    format_time,
    operations::{Delivery, LegReport, Operation, Task},
    App, AppError,
};
use pamir_domain::{
    delivery::{DeliveryKind, DeliveryStatus, LegStatus, Substitution},
    operation::{OperationKind, ParticipantState, Party, SeizureForm, Standing},
    schema::Lang,
    task::TaskStatus,
    Classification, Role,
};
use pamir_store::Agency;
use serde_json::{json, Map, Value};

use crate::extract::WebUser;
use crate::web::layout::country_name;
use crate::web::{
    check_csrf, error_page,
    i18n::{t, M},
    layout::{classification_badge, csrf_field, error_box},
    render, FormData,
};

fn standing_label(lang: Lang, s: Standing) -> &'static str {
    match s {
        Standing::Coordinator => t(lang, M::OpStandingCoordinator),
        Standing::Member => t(lang, M::OpStandingMember),
        Standing::Invited => t(lang, M::OpStandingInvited),
    }
}

fn period(op: &Operation) -> String {
    match op.ends {
        Some(end) => format!("{} – {}", op.starts, end),
        None => format!("{} –", op.starts),
    }
}

/// The fields of the form that opens or changes an operation (the API's body).
const OPERATION_FIELDS: &[&str] = &[
    "code_name",
    "kind",
    "lead_country",
    "starts",
    "ends",
    "classification",
    "ceiling",
    "description",
    "objectives",
    "seizure_form",
];

/// The form that opens an operation, refilled with what was sent after an error.
fn open_form(lang: Lang, csrf: &str, sent: Option<&FormData>) -> Markup {
    let v = |name: &str| {
        sent.and_then(|f| f.get(name))
            .unwrap_or_default()
            .to_string()
    };
    operation_form(lang, csrf, OperationFormKind::Open, &v, sent.is_some())
}

/// The form that changes an operation (its coordinator): the operation's values, or what was
/// sent after an error.
fn edit_form(lang: Lang, csrf: &str, op: &Operation, failed: Option<&Failed<'_>>) -> Markup {
    let sent = failed.filter(|f| f.which == "edit").map(|f| f.form);
    let details = op.details.as_ref();
    let own = |name: &str| -> String {
        match name {
            "code_name" => op.code_name.clone(),
            "kind" => op.kind.as_str().into(),
            "lead_country" => op.lead_country.to_string(),
            "starts" => op.starts.to_string(),
            "ends" => op.ends.map(|d| d.to_string()).unwrap_or_default(),
            "classification" => op.classification.as_str().into(),
            "ceiling" => op.ceiling.as_str().into(),
            "description" => details.map(|d| d.description.clone()).unwrap_or_default(),
            "objectives" => details.map(|d| d.objectives.clone()).unwrap_or_default(),
            "seizure_form" => details
                .map(|d| d.seizure_form.as_str().to_string())
                .unwrap_or_default(),
            _ => String::new(),
        }
    };
    let v = |name: &str| match sent {
        Some(f) => f.get(name).unwrap_or_default().to_string(),
        None => own(name),
    };
    operation_form(
        lang,
        csrf,
        OperationFormKind::Edit(&op.id, op.kind),
        &v,
        sent.is_some(),
    )
}

enum OperationFormKind<'a> {
    Open,
    /// The operation's id, and its kind (fixed once opened).
    Edit(&'a str, OperationKind),
}

fn operation_form(
    lang: Lang,
    csrf: &str,
    which: OperationFormKind<'_>,
    v: &dyn Fn(&str) -> String,
    open: bool,
) -> Markup {
    let kind = v("kind");
    let class = v("classification");
    let ceiling = v("ceiling");
    let form = v("seizure_form");
    let (action, summary, button) = match &which {
        OperationFormKind::Open => ("/operations".to_string(), M::OpOpen, M::OpOpenButton),
        OperationFormKind::Edit(id, _) => (format!("/operations/{id}/edit"), M::OpEdit, M::OpSave),
    };
    html! {
        details.open-operation open[open] {
            summary { (t(lang, summary)) }
            form.stack method="post" action=(action) {
                (csrf_field(csrf))
                label { (t(lang, M::OpCodeName)) input type="text" name="code_name" value=(v("code_name")) required maxlength="64"; }
                @match which {
                    OperationFormKind::Edit(_, fixed) => {
                        input type="hidden" name="kind" value=(fixed.as_str());
                    }
                    OperationFormKind::Open => {
                        label { (t(lang, M::Kind))
                            select name="kind" {
                                @for k in OperationKind::ALL {
                                    option value=(k.as_str()) selected[kind == k.as_str()] { (pamir_i18n::text(lang, &k.label_key())) }
                                }
                            }
                        }
                    }
                }
                label { (t(lang, M::OpLeadCountry)) input type="text" name="lead_country" value=(v("lead_country")) maxlength="2" placeholder="TJ"; }
                label { (t(lang, M::OpStarts)) input type="date" name="starts" value=(v("starts")) required; }
                label { (t(lang, M::OpEnds)) input type="date" name="ends" value=(v("ends")); }
                label { (t(lang, M::Classification))
                    select name="classification" {
                        @for c in Classification::ALL {
                            option value=(c.as_str()) selected[class == c.as_str() || (class.is_empty() && c == Classification::Restricted)] { (c.as_str()) }
                        }
                    }
                }
                label { (t(lang, M::OpCeiling))
                    select name="ceiling" {
                        option value="" { (t(lang, M::OpCeilingSame)) }
                        @for c in Classification::ALL {
                            option value=(c.as_str()) selected[ceiling == c.as_str()] { (c.as_str()) }
                        }
                    }
                }
                label { (t(lang, M::OpSeizureForm))
                    select name="seizure_form" {
                        @for f in SeizureForm::ALL {
                            option value=(f.as_str()) selected[form == f.as_str()] { (pamir_i18n::text(lang, &f.label_key())) }
                        }
                    }
                }
                label { (t(lang, M::OpDescription)) textarea name="description" rows="4" maxlength="10000" { (v("description")) } }
                label { (t(lang, M::OpObjectives)) textarea name="objectives" rows="3" maxlength="10000" { (v("objectives")) } }
                button type="submit" { (t(lang, button)) }
            }
        }
    }
}

fn list_page(
    app: &App,
    user: &WebUser,
    ops: &[Operation],
    sent: Option<(&FormData, &AppError)>,
) -> Response {
    let lang = user.lang;
    let body = html! {
        h1 { (t(lang, M::NavOperations)) }
        p.muted { (t(lang, M::OpIntro)) }
        @if let Some((_, e)) = sent { (error_box(lang, e)) }
        @if user.ctx.has(Role::Coordinator) {
            (open_form(lang, &user.csrf, sent.map(|(f, _)| f)))
        }
        @if ops.is_empty() {
            p.muted { (t(lang, M::OpNone)) }
        } @else {
            div.table-scroll {
                table.operations {
                    thead { tr {
                        th { (t(lang, M::OpCodeName)) } th { (t(lang, M::Kind)) } th.opt { (t(lang, M::OpCoordinator)) }
                        th { (t(lang, M::OpPeriod)) } th { (t(lang, M::Classification)) } th { (t(lang, M::OpStanding)) }
                    } }
                    tbody {
                        @for op in ops {
                            tr {
                                td { a href={ "/operations/" (op.id) } { (op.code_name) } }
                                td { (pamir_i18n::text(lang, &op.kind.label_key())) }
                                td.code.opt { (op.coordinator) }
                                td.period { (period(op)) }
                                td { (classification_badge(op.classification)) }
                                td { (standing_label(lang, op.standing)) }
                            }
                        }
                    }
                }
            }
        }
    };
    render(app, user, t(lang, M::NavOperations), "/operations", body)
}

pub async fn list(State(app): State<Arc<App>>, user: WebUser) -> Response {
    match app.operations().list(&user.ctx).await {
        Ok(ops) => list_page(&app, &user, &ops, None),
        Err(e) => error_page(&app, &user, &e),
    }
}

pub async fn open(State(app): State<Arc<App>>, user: WebUser, form: FormData) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let body = form_body(&form, OPERATION_FIELDS);
    match app.operations().open(&user.ctx, &body).await {
        Ok(op) => Redirect::to(&format!("/operations/{}", op.id)).into_response(),
        Err(e @ AppError::Invalid(_)) => match app.operations().list(&user.ctx).await {
            Ok(ops) => {
                let mut resp = list_page(&app, &user, &ops, Some((&form, &e)));
                *resp.status_mut() = crate::error::status_of(&e);
                resp
            }
            Err(e) => error_page(&app, &user, &e),
        },
        Err(e) => error_page(&app, &user, &e),
    }
}

fn state_label(lang: Lang, s: ParticipantState) -> &'static str {
    pamir_i18n::text(lang, &s.label_key())
}

pub async fn show(State(app): State<Arc<App>>, user: WebUser, Path(id): Path<String>) -> Response {
    match app.operations().get(&user.ctx, &id).await {
        Ok(op) => show_page(&app, &user, &op, None).await,
        Err(e) => error_page(&app, &user, &e),
    }
}

/// What went wrong with a form on the operation's page, and what was sent (to fill it again).
struct Failed<'a> {
    error: &'a AppError,
    form: &'a FormData,
    /// `invite`, `task` or `comment:<task id>`: which form it was.
    which: String,
}

/// A party's name in the page's language: the agency's, or the country's.
fn party_name(lang: Lang, party: &Party, agencies: &[Agency]) -> String {
    match party {
        Party::Agency(code) => agencies
            .iter()
            .find(|a| &a.code == code)
            .map(|a| a.name(lang).to_string())
            .unwrap_or_default(),
        Party::Country(code) => code.name(lang).unwrap_or_default().to_string(),
    }
}

async fn show_page(
    app: &App,
    user: &WebUser,
    op: &Operation,
    failed: Option<&Failed<'_>>,
) -> Response {
    let lang = user.lang;
    // Names only dress the codes: a page without them still says everything.
    let agencies = app.list_agencies().await.unwrap_or_default();
    let tasks = if op.standing.takes_part() {
        match app.operations().tasks(&user.ctx, &op.id).await {
            Ok(t) => t,
            Err(e) => return error_page(app, user, &e),
        }
    } else {
        Vec::new()
    };
    let delivery = if op.standing.takes_part() && op.kind == OperationKind::ControlledDelivery {
        match app.operations().delivery(&user.ctx, &op.id).await {
            Ok(d) => d,
            Err(e) => return error_page(app, user, &e),
        }
    } else {
        None
    };
    let error = failed.map(|f| f.error);
    let csrf = &user.csrf;
    let coordinating = op.standing == Standing::Coordinator;
    let body = html! {
        p.muted { a href="/operations" { (t(lang, M::NavOperations)) } }
        h1 { (op.code_name) " " (classification_badge(op.classification)) }
        @if let Some(e) = error { (error_box(lang, e)) }
        @if op.standing.takes_part() {
            p { a href={ "/operations/" (op.id) "/journal" } { (t(lang, M::JrTitle)) } " · " a href={ "/operations/" (op.id) "/report" } { (t(lang, M::RpTitle)) }
                " · " a #write-participants href={ "/messages/new?operation=" (op.id) } { (t(lang, M::OpWriteToParticipants)) } }
        }
        dl.facts {
            dt { (t(lang, M::Kind)) } dd { (pamir_i18n::text(lang, &op.kind.label_key())) }
            dt { (t(lang, M::OpCoordinator)) } dd.code { (op.coordinator) }
            dt { (t(lang, M::OpLeadCountry)) } dd { (op.lead_country.name(lang).unwrap_or(op.lead_country.as_str())) }
            dt { (t(lang, M::OpPeriod)) } dd { (period(op)) }
            dt { (t(lang, M::OpCeiling)) } dd { (op.ceiling.as_str()) }
            dt { (t(lang, M::OpStanding)) } dd { (standing_label(lang, op.standing)) }
        }
        @if coordinating { (edit_form(lang, csrf, op, failed)) }
        @for party in &op.answerable {
            div.notice role="status" {
                p { (M::OpInvitedNotice.with(lang, &[("party", &format!("{} ({})", party_name(lang, party, &agencies), party.code()))])) }
                form.inline method="post" action={ "/operations/" (op.id) "/answer" } {
                    (csrf_field(csrf))
                    input type="hidden" name="party" value=(party.code());
                    button type="submit" name="answer" value="accept" { (t(lang, M::OpAccept)) }
                    " "
                    button.secondary type="submit" name="answer" value="decline" { (t(lang, M::OpDecline)) }
                }
            }
        }
        // What changes while the page is open: swapped in live by the page's event stream.
        @if let Some(d) = &op.details { div #operation-live data-operation=(op.id) {
            @if !d.description.is_empty() {
                h2 { (t(lang, M::OpDescription)) }
                p.prewrap { (d.description) }
            }
            @if !d.objectives.is_empty() {
                h2 { (t(lang, M::OpObjectives)) }
                p.prewrap { (d.objectives) }
            }
            p.muted { (pamir_i18n::text(lang, &d.seizure_form.label_key())) }
            h2 { (t(lang, M::OpParticipants)) }
            @if d.participants.is_empty() {
                p.muted { (t(lang, M::OpNoParticipants)) }
            } @else {
                div.table-scroll {
                    table.participants {
                        thead { tr {
                            th { (t(lang, M::OpParty)) } th { (t(lang, M::Status)) } th { (t(lang, M::OpSince)) }
                            @if coordinating { th {} }
                        } }
                        tbody {
                            @for p in &d.participants {
                                tr {
                                    td { span.code { (p.party) } br; span.muted { (party_name(lang, &p.party, &agencies)) } }
                                    td { span class={ "status " (p.state.as_str()) } { (state_label(lang, p.state)) } }
                                    td { (format_time(p.changed_at)) br; span.muted { (p.changed_by) } }
                                    @if coordinating {
                                        td {
                                            @if matches!(p.state, ParticipantState::Invited | ParticipantState::Accepted) {
                                                form.inline method="post" action={ "/operations/" (op.id) "/remove" } {
                                                    (csrf_field(csrf))
                                                    input type="hidden" name="party" value=(p.party.code());
                                                    button.secondary type="submit" { (t(lang, M::OpRemove)) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if op.kind == OperationKind::ControlledDelivery {
                (delivery_section(lang, user, op, delivery.as_ref(), failed))
            }
            (tasks_section(lang, user, op, &tasks, failed))
            @if coordinating {
                h2 { (t(lang, M::OpInvite)) }
                form.inline method="post" action={ "/operations/" (op.id) "/invite" } {
                    (csrf_field(csrf))
                    label { (t(lang, M::OpInviteParty))
                        input type="text" name="party" required maxlength="19" placeholder="KZ-MVD / KZ";
                    }
                    button type="submit" { (t(lang, M::OpInvite)) }
                }
            }
        } }
    };
    render(app, user, &op.code_name, "/operations", body)
}

/// After a coordinator's or an answerer's form: the operation again, with the error if any.
async fn after<T>(
    app: &Arc<App>,
    user: &WebUser,
    id: &str,
    form: &FormData,
    which: &str,
    result: Result<Option<T>, AppError>,
) -> Response {
    match result {
        Ok(Some(_)) => Redirect::to(&format!("/operations/{id}")).into_response(),
        Ok(None) => Redirect::to("/operations").into_response(),
        Err(
            e @ (AppError::Invalid(_) | AppError::Conflict(_) | AppError::VersionConflict { .. }),
        ) => match app.operations().get(&user.ctx, id).await {
            Ok(op) => {
                let failed = Failed {
                    error: &e,
                    form,
                    which: which.to_string(),
                };
                let mut resp = show_page(app, user, &op, Some(&failed)).await;
                *resp.status_mut() = crate::error::status_of(&e);
                resp
            }
            Err(e) => error_page(app, user, &e),
        },
        Err(e) => error_page(app, user, &e),
    }
}

pub async fn edit(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let body = form_body(&form, OPERATION_FIELDS);
    let r = app.operations().edit(&user.ctx, &id, &body).await;
    after(&app, &user, &id, &form, "edit", r.map(Some)).await
}

pub async fn invite(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let r = app
        .operations()
        .invite(&user.ctx, &id, form.text("party"))
        .await;
    after(&app, &user, &id, &form, "invite", r.map(Some)).await
}

pub async fn answer(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let accept = form.get("answer") == Some("accept");
    let r = app
        .operations()
        .answer(&user.ctx, &id, form.text("party"), accept)
        .await;
    after(&app, &user, &id, &form, "answer", r).await
}

pub async fn remove(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let r = app
        .operations()
        .remove(&user.ctx, &id, form.text("party"))
        .await;
    after(&app, &user, &id, &form, "remove", r.map(Some)).await
}

fn task_status_label(lang: Lang, s: TaskStatus) -> &'static str {
    pamir_i18n::text(lang, &s.label_key())
}

/// The buttons a user gets on a task: the moves its status may make that they may make.
fn task_moves(user: &WebUser, op: &Operation, task: &Task) -> Vec<(TaskStatus, M)> {
    [
        (TaskStatus::InProgress, M::TaskStart),
        (TaskStatus::Done, M::TaskDone),
        (TaskStatus::Open, M::TaskReopen),
        (TaskStatus::Cancelled, M::TaskCancel),
    ]
    .into_iter()
    .filter(|(next, _)| {
        task.status.may_become(*next)
            && pamir_domain::task::may_set_status(
                &user.ctx.subject,
                op.standing,
                &task.assignee,
                *next,
            )
    })
    .collect()
}

fn tasks_section(
    lang: Lang,
    user: &WebUser,
    op: &Operation,
    tasks: &[Task],
    failed: Option<&Failed<'_>>,
) -> Markup {
    let csrf = &user.csrf;
    let sent = |which: &str, name: &str| {
        failed
            .filter(|f| f.which == which)
            .and_then(|f| f.form.get(name))
            .unwrap_or_default()
            .to_string()
    };
    let assignable: Vec<String> = op
        .details
        .iter()
        .flat_map(|d| &d.participants)
        .filter(|p| p.state == ParticipantState::Accepted)
        .filter_map(|p| match &p.party {
            Party::Agency(a) => Some(a.to_string()),
            Party::Country(_) => None,
        })
        .chain([op.coordinator.to_string()])
        .collect();
    html! {
        h2 { (t(lang, M::TaskTitlePlural)) }
        @if tasks.is_empty() { p.muted { (t(lang, M::TaskNone)) } }
        @for task in tasks {
            article.task id=(task.id) {
                h3 {
                    (task.title) " "
                    span class={ "status " (task.status.as_str()) } { (task_status_label(lang, task.status)) }
                    @if task.overdue { " " span.overdue { (t(lang, M::TaskOverdue)) } }
                }
                p.muted {
                    (t(lang, M::TaskAssignee)) " " span.code { (task.assignee) } " · "
                    (t(lang, M::TaskDue)) " " (task.due)
                    @if let Some(r) = task.remind { " · " (t(lang, M::TaskRemind)) " " (r) }
                }
                @if !task.description.is_empty() { p.prewrap { (task.description) } }
                @let moves = task_moves(user, op, task);
                @if !moves.is_empty() {
                    form.inline method="post" action={ "/operations/" (op.id) "/tasks/" (task.id) "/status" } {
                        (csrf_field(csrf))
                        input type="hidden" name="version" value=(task.version);
                        @for (next, label) in moves {
                            button.secondary type="submit" name="status" value=(next.as_str()) { (t(lang, label)) }
                        }
                    }
                }
                @let which = format!("comment:{}", task.id);
                details.comments open[!task.comments.is_empty() || failed.is_some_and(|f| f.which == which)] {
                    summary { (t(lang, M::TaskComments)) " (" (task.comments.len()) ")" }
                    @for c in &task.comments {
                        p { strong { (c.author) } " · " span.code { (c.agency) } " · " span.muted { (format_time(c.created_at)) } br; span.prewrap { (c.body) } }
                    }
                    form method="post" action={ "/operations/" (op.id) "/tasks/" (task.id) "/comments" } {
                        (csrf_field(csrf))
                        label { (t(lang, M::TaskComment)) textarea name="body" rows="2" required maxlength="10000" { (sent(&which, "body")) } }
                        button type="submit" { (t(lang, M::TaskCommentButton)) }
                    }
                }
            }
        }
        @if op.standing == Standing::Coordinator {
            details.add-task open[failed.is_some_and(|f| f.which == "task")] {
                summary { (t(lang, M::TaskAdd)) }
                form.stack method="post" action={ "/operations/" (op.id) "/tasks" } {
                    (csrf_field(csrf))
                    label { (t(lang, M::TaskTitle)) input type="text" name="title" value=(sent("task", "title")) required maxlength="200"; }
                    label { (t(lang, M::TaskAssignee))
                        select name="assignee" {
                            @for a in &assignable { option value=(a) selected[sent("task", "assignee") == *a] { (a) } }
                        }
                    }
                    label { (t(lang, M::TaskDue)) input type="date" name="due" value=(sent("task", "due")) required; }
                    label { (t(lang, M::TaskRemind)) input type="date" name="remind" value=(sent("task", "remind")); }
                    label { (t(lang, M::OpDescription)) textarea name="description" rows="3" maxlength="10000" { (sent("task", "description")) } }
                    button type="submit" { (t(lang, M::TaskAddButton)) }
                }
            }
        }
    }
}

pub async fn add_task(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let body = form_body(
        &form,
        &["title", "assignee", "due", "remind", "description"],
    );
    let r = app.operations().add_task(&user.ctx, &id, &body).await;
    after(&app, &user, &id, &form, "task", r.map(Some)).await
}

pub async fn task_status(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path((id, task)): Path<(String, String)>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let version = form.get("version").and_then(|v| v.parse().ok());
    let r = app
        .operations()
        .set_task_status(&user.ctx, &id, &task, form.text("status"), version)
        .await;
    after(&app, &user, &id, &form, "status", r.map(Some)).await
}

pub async fn comment_task(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path((id, task)): Path<(String, String)>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let r = app
        .operations()
        .comment_task(&user.ctx, &id, &task, form.text("body"))
        .await;
    let which = format!("comment:{task}");
    after(&app, &user, &id, &form, &which, r.map(Some)).await
}

fn label(lang: Lang, key: &str) -> &'static str {
    pamir_i18n::text(lang, key)
}

/// The delivery's route on the map of the region: a stop in each country it passes (at its
/// capital), legs drawn by their state, the consignment's position on the current one.
fn route_map(lang: Lang, op: &Operation, d: &Delivery) -> String {
    use pamir_map::{anchor, Drawing, LegState, Route, Stop};
    let mut countries: Vec<String> = Vec::new();
    for l in &d.legs {
        for c in [l.from.country(), l.to.country()] {
            if !countries.contains(&c.to_string()) {
                countries.push(c.to_string());
            }
        }
    }
    let mut stops = Vec::new();
    let mut index = std::collections::HashMap::new();
    for c in &countries {
        if let Some((lon, lat)) = anchor(c) {
            index.insert(c.clone(), stops.len());
            stops.push(Stop {
                lon,
                lat,
                label: country_name(lang, c),
            });
        }
    }
    let legs: Vec<(usize, usize, LegState)> = d
        .legs
        .iter()
        .map(|l| {
            let at = |p: &pamir_domain::operation::Party| {
                index
                    .get(p.country().as_str())
                    .copied()
                    .unwrap_or(usize::MAX)
            };
            let state = match l.status {
                LegStatus::Planned => LegState::Planned,
                LegStatus::InTransit => LegState::Moving,
                LegStatus::HandedOver => LegState::Done,
                LegStatus::Intercepted => LegState::Stopped,
                LegStatus::Lost => LegState::Lost,
            };
            (at(&l.from), at(&l.to), state)
        })
        .collect();
    let position = d
        .position
        .and_then(|seq| d.legs.iter().position(|l| l.seq == seq));
    let title = M::DlvRouteMap.with(lang, &[("operation", &op.code_name)]);
    pamir_map::svg(&Drawing {
        highlight: countries.iter().map(String::as_str).collect(),
        route: Route {
            stops,
            legs,
            position,
            flows: Vec::new(),
        },
        title: &title,
    })
}

/// Each state's authorisation of the delivery, the states on the route still without consent,
/// and the form to record one (the coordinator for any participating state, a participant for
/// their own).
fn authorisations_block(
    lang: Lang,
    user: &WebUser,
    op: &Operation,
    d: &Delivery,
    failed: Option<&Failed<'_>>,
) -> Markup {
    use pamir_domain::{authorisation, CountryCode};
    let csrf = &user.csrf;
    let sent = |name: &str| {
        failed
            .filter(|f| f.which == "authorisation")
            .and_then(|f| f.form.get(name))
            .unwrap_or_default()
            .to_string()
    };
    // The states a user may record for: the countries taking part (the coordinator's and the
    // accepted parties') that they answer for.
    let mut countries: Vec<CountryCode> = op
        .details
        .iter()
        .flat_map(|det| det.participants.iter())
        .filter(|p| p.state == pamir_domain::operation::ParticipantState::Accepted)
        .map(|p| p.party.country())
        .chain(std::iter::once(op.coordinator.country()))
        .collect();
    countries.sort();
    countries.dedup();
    countries.retain(|c| authorisation::may_record(&user.ctx.subject, op.standing, *c));
    html! {
        h3 #authorisations { (t(lang, M::DlvAuthorisations)) }
        @if !d.missing_consent.is_empty() {
            p.warning { (M::DlvConsentMissing.with(lang, &[("countries", &d.missing_consent.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "))])) }
        }
        @if d.authorisations.is_empty() { p.muted { (t(lang, M::DlvNoAuthorisations)) } }
        @else {
            div.table-scroll {
                table.authorisations {
                    thead { tr {
                        th { (t(lang, M::Country)) } th { (t(lang, M::DlvAuthority)) } th { (t(lang, M::DlvLegalBasis)) }
                        th { (t(lang, M::DlvReference)) } th { (t(lang, M::DlvConsent)) } th { (t(lang, M::DlvDutyContact)) }
                    } }
                    tbody {
                        @for a in &d.authorisations {
                            tr {
                                td { (country_name(lang, a.country.as_str())) }
                                td { (a.authority) }
                                td { (a.legal_basis) }
                                td { span.code { (a.reference) } br; span.muted { (a.date) } }
                                td { span class={ "status consent-" (a.consent.as_str()) } { (label(lang, &a.consent.label_key())) } }
                                td { (a.duty_contact) }
                            }
                        }
                    }
                }
            }
        }
        @if !countries.is_empty() {
            details.add-authorisation open[failed.is_some_and(|f| f.which == "authorisation")] {
                summary { (t(lang, M::DlvRecordAuthorisation)) }
                form.stack method="post" action={ "/operations/" (op.id) "/delivery/authorisations" } {
                    (csrf_field(csrf))
                    label { (t(lang, M::Country))
                        select name="country" {
                            @for c in &countries { option value=(c.as_str()) selected[sent("country") == c.as_str()] { (country_name(lang, c.as_str())) } }
                        }
                    }
                    label { (t(lang, M::DlvAuthority)) input type="text" name="authority" value=(sent("authority")) required maxlength="200"; }
                    label { (t(lang, M::DlvLegalBasis)) input type="text" name="legal_basis" value=(sent("legal_basis")) required maxlength="200"; }
                    label { (t(lang, M::DlvReference)) input type="text" name="reference" value=(sent("reference")) required maxlength="200"; }
                    label { (t(lang, M::DlvAuthorisedOn)) input type="date" name="date" value=(sent("date")) required; }
                    label { (t(lang, M::DlvConsent))
                        select name="consent" {
                            @for c in pamir_domain::authorisation::Consent::ALL { option value=(c.as_str()) selected[sent("consent") == c.as_str()] { (label(lang, &c.label_key())) } }
                        }
                    }
                    label { (t(lang, M::DlvDutyContact)) input type="text" name="duty_contact" value=(sent("duty_contact")) required maxlength="200"; }
                    button type="submit" { (t(lang, M::DlvRecordAuthorisation)) }
                }
            }
        }
    }
}

/// The controlled delivery: its consignment, status and legs, the consignment's position, and
/// the forms each user may use (the coordinator steers; a leg's ends report on it).
fn delivery_section(
    lang: Lang,
    user: &WebUser,
    op: &Operation,
    delivery: Option<&Delivery>,
    failed: Option<&Failed<'_>>,
) -> Markup {
    let csrf = &user.csrf;
    let coordinating = op.standing == Standing::Coordinator;
    let sent = |which: &str, name: &str| {
        failed
            .filter(|f| f.which == which)
            .and_then(|f| f.form.get(name))
            .unwrap_or_default()
            .to_string()
    };
    let base = format!("/operations/{}/delivery", op.id);
    html! {
        section #delivery {
            h2 { (t(lang, M::DlvTitle)) }
            @match delivery {
                None => { p.muted { (t(lang, M::DlvNone)) } }
                Some(d) => {
                    p {
                        span class={ "status " (d.status.as_str()) } { (label(lang, &d.status.label_key())) }
                        @if let Some(r) = &d.status_reason { " — " (r) }
                    }
                    dl.facts {
                        dt { (t(lang, M::Kind)) } dd { (label(lang, &d.kind.label_key())) }
                        dt { (t(lang, M::DlvSubstance)) } dd { (d.substance) }
                        dt { (t(lang, M::DlvQuantity)) } dd {
                            @if let Some(q) = d.declared_quantity { (q) " " (d.unit) }
                            @if let Some(q) = d.actual_quantity { " (" (t(lang, M::DlvActual)) " " (q) " " (d.unit) ")" }
                        }
                        @if !d.concealment.is_empty() { dt { (t(lang, M::DlvConcealment)) } dd { (d.concealment) } }
                        @if !d.conveyance.is_empty() { dt { (t(lang, M::DlvConveyance)) } dd { (d.conveyance) } }
                        @if !d.vehicle.is_empty() { dt { (t(lang, M::DlvVehicle)) } dd.code { (d.vehicle) } }
                        @if !d.markers.is_empty() { dt { (t(lang, M::DlvMarkers)) } dd { (d.markers) } }
                        dt { (t(lang, M::DlvSubstitution)) } dd { (label(lang, &d.substitution.label_key())) }
                    }
                    @if coordinating {
                        @let next: Vec<DeliveryStatus> = DeliveryStatus::ALL.iter().copied().filter(|s| d.status.may_become(*s)).collect();
                        @if !next.is_empty() {
                            form.inline method="post" action={ (base) "/status" } {
                                (csrf_field(csrf))
                                @for s in &next {
                                    @if *s != DeliveryStatus::Terminated {
                                        button.secondary type="submit" name="status" value=(s.as_str()) { "→ " (label(lang, &s.label_key())) }
                                    }
                                }
                                @if next.contains(&DeliveryStatus::Terminated) {
                                    label { (t(lang, M::DlvReason)) input type="text" name="reason" value=(sent("status", "reason")) maxlength="200"; }
                                    button.secondary type="submit" name="status" value="terminated" { (t(lang, M::DlvTerminate)) }
                                }
                            }
                        }
                    }
                    h3 { (t(lang, M::DlvLegs)) }
                    @if d.legs.is_empty() { p.muted { (t(lang, M::DlvNoLegs)) } }
                    @else {
                        div.table-scroll {
                            table.legs {
                                thead { tr {
                                    th { "#" } th { (t(lang, M::DlvRoute)) } th { (t(lang, M::DlvPlanned)) }
                                    th { (t(lang, M::DlvActualTimes)) } th { (t(lang, M::Status)) } th {}
                                } }
                                tbody {
                                    @for l in &d.legs {
                                        tr id=(l.id) class=[(d.position == Some(l.seq)).then_some("current")] {
                                            td { (l.seq) @if d.position == Some(l.seq) { " ◀" } }
                                            td { span.code { (l.from) } " → " span.code { (l.to) }
                                                @if !l.crossing_point.is_empty() { br; span.muted { (l.crossing_point) } } }
                                            td.period { (l.planned_departure.format("%m-%d %H:%M")) " → " (l.planned_handover.format("%m-%d %H:%M")) }
                                            td.period {
                                                @if let Some(m) = l.actual_departure { (m.format("%m-%d %H:%M")) }
                                                " → "
                                                @if let Some(m) = l.actual_handover { (m.format("%m-%d %H:%M")) }
                                            }
                                            td { span class={ "status " (l.status.as_str()) } { (label(lang, &l.status.label_key())) } }
                                            td {
                                                @if pamir_domain::delivery::may_report_leg(&user.ctx.subject, op.standing, &l.from, &l.to) {
                                                    form.inline method="post" action={ (base) "/legs/" (l.id) } {
                                                        (csrf_field(csrf))
                                                        input type="hidden" name="version" value=(l.version);
                                                        @for s in LegStatus::ALL.iter().filter(|s| l.status.may_become(**s)) {
                                                            button.secondary type="submit" name="status" value=(s.as_str()) { (label(lang, &s.label_key())) }
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if !d.legs.is_empty() {
                        figure.route-map { (maud::PreEscaped(route_map(lang, op, d))) }
                    }
                    (authorisations_block(lang, user, op, d, failed))
                    @if coordinating && matches!(d.status, DeliveryStatus::Requested | DeliveryStatus::Authorised | DeliveryStatus::InTransit) {
                        details.add-leg open[failed.is_some_and(|f| f.which == "leg")] {
                            summary { (t(lang, M::DlvAddLeg)) }
                            form.stack method="post" action={ (base) "/legs" } {
                                (csrf_field(csrf))
                                label { (t(lang, M::DlvFrom)) input type="text" name="from" value=(sent("leg", "from")) required maxlength="19" placeholder="TJ-AKN"; }
                                label { (t(lang, M::DlvTo)) input type="text" name="to" value=(sent("leg", "to")) required maxlength="19" placeholder="UZ-IIV"; }
                                label { (t(lang, M::DlvCrossing)) input type="text" name="crossing_point" value=(sent("leg", "crossing_point")) maxlength="200"; }
                                label { (t(lang, M::DlvDeparture)) input type="datetime-local" name="planned_departure" value=(sent("leg", "planned_departure")) required; }
                                label { (t(lang, M::DlvHandover)) input type="datetime-local" name="planned_handover" value=(sent("leg", "planned_handover")) required; }
                                button type="submit" { (t(lang, M::DlvAddLeg)) }
                            }
                        }
                    }
                }
            }
            @if coordinating {
                @let d = delivery;
                @let v = |name: &str, current: String| { let s = sent("delivery", name); if s.is_empty() { current } else { s } };
                details.set-delivery open[failed.is_some_and(|f| f.which == "delivery") || d.is_none()] {
                    summary { (t(lang, M::DlvDescribe)) }
                    form.stack method="post" action=(base) {
                        (csrf_field(csrf))
                        @let kind = v("kind", d.map(|d| d.kind.as_str().to_string()).unwrap_or_default());
                        label { (t(lang, M::Kind)) select name="kind" {
                            @for k in DeliveryKind::ALL { option value=(k.as_str()) selected[kind == k.as_str()] { (label(lang, &k.label_key())) } }
                        } }
                        label { (t(lang, M::DlvSubstance)) input type="text" name="substance" required maxlength="200" value=(v("substance", d.map(|d| d.substance.clone()).unwrap_or_default())); }
                        label { (t(lang, M::DlvQuantity)) input type="text" name="declared_quantity" inputmode="decimal" value=(v("declared_quantity", d.and_then(|d| d.declared_quantity).map(|q| q.to_string()).unwrap_or_default())); }
                        label { (t(lang, M::DlvActual)) input type="text" name="actual_quantity" inputmode="decimal" value=(v("actual_quantity", d.and_then(|d| d.actual_quantity).map(|q| q.to_string()).unwrap_or_default())); }
                        @let unit = v("unit", d.map(|d| d.unit.clone()).unwrap_or_else(|| "kg".into()));
                        label { (t(lang, M::DlvUnit)) select name="unit" {
                            @for u in ["kg", "g", "l", "units"] { option value=(u) selected[unit == u] { (u) } }
                        } }
                        label { (t(lang, M::DlvConcealment)) input type="text" name="concealment" maxlength="200" value=(v("concealment", d.map(|d| d.concealment.clone()).unwrap_or_default())); }
                        label { (t(lang, M::DlvConveyance)) input type="text" name="conveyance" maxlength="200" value=(v("conveyance", d.map(|d| d.conveyance.clone()).unwrap_or_default())); }
                        label { (t(lang, M::DlvVehicle)) input type="text" name="vehicle" maxlength="200" value=(v("vehicle", d.map(|d| d.vehicle.clone()).unwrap_or_default())); }
                        label { (t(lang, M::DlvMarkers)) input type="text" name="markers" maxlength="200" value=(v("markers", d.map(|d| d.markers.clone()).unwrap_or_default())); }
                        @let sub = v("substitution", d.map(|d| d.substitution.as_str().to_string()).unwrap_or_default());
                        label { (t(lang, M::DlvSubstitution)) select name="substitution" {
                            @for s in Substitution::ALL { option value=(s.as_str()) selected[sub == s.as_str()] { (label(lang, &s.label_key())) } }
                        } }
                        button type="submit" { (t(lang, M::DlvSave)) }
                    }
                }
            }
        }
    }
}

fn form_body(form: &FormData, names: &[&str]) -> Value {
    let mut body = Map::new();
    for name in names {
        if let Some(v) = form.get(name) {
            body.insert((*name).into(), json!(v));
        }
    }
    Value::Object(body)
}

pub async fn set_delivery(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let body = form_body(
        &form,
        &[
            "kind",
            "substance",
            "declared_quantity",
            "actual_quantity",
            "unit",
            "concealment",
            "conveyance",
            "vehicle",
            "markers",
            "substitution",
        ],
    );
    let r = app.operations().set_delivery(&user.ctx, &id, &body).await;
    after(&app, &user, &id, &form, "delivery", r.map(Some)).await
}

pub async fn delivery_status(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let r = app
        .operations()
        .set_delivery_status(&user.ctx, &id, form.text("status"), form.get("reason"))
        .await;
    after(&app, &user, &id, &form, "status", r.map(Some)).await
}

pub async fn add_leg(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let body = form_body(
        &form,
        &[
            "from",
            "to",
            "crossing_point",
            "planned_departure",
            "planned_handover",
        ],
    );
    let r = app.operations().add_leg(&user.ctx, &id, &body).await;
    after(&app, &user, &id, &form, "leg", r.map(Some)).await
}

pub async fn set_authorisation(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let body = form_body(
        &form,
        &[
            "authority",
            "legal_basis",
            "reference",
            "date",
            "consent",
            "duty_contact",
        ],
    );
    let r = app
        .operations()
        .set_authorisation(&user.ctx, &id, form.text("country"), &body)
        .await;
    after(&app, &user, &id, &form, "authorisation", r.map(Some)).await
}

pub async fn report_leg(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path((id, leg)): Path<(String, String)>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let report = LegReport {
        status: form.text("status").to_string(),
        actual_departure: form.get("actual_departure").map(str::to_string),
        actual_handover: form.get("actual_handover").map(str::to_string),
        version: form.get("version").and_then(|v| v.parse().ok()),
    };
    let r = app
        .operations()
        .report_leg(&user.ctx, &id, &leg, report)
        .await;
    after(&app, &user, &id, &form, "report", r.map(Some)).await
}

/// One journal entry as a sentence of the page's language.
fn journal_line(lang: Lang, e: &pamir_domain::event::Event, tasks: &[Task]) -> String {
    use pamir_domain::event::Event;
    let title = |id: &str| {
        tasks
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.title.clone())
            .unwrap_or_default()
    };
    let state = |key: String| pamir_i18n::text(lang, &key).to_string();
    match e {
        Event::OperationChanged { change, .. } if change == "edited" => {
            t(lang, M::JrEdited).to_string()
        }
        Event::OperationChanged { .. } => t(lang, M::JrOpened).to_string(),
        Event::ParticipantChanged {
            party, state: s, ..
        } => M::JrParticipant.with(
            lang,
            &[
                ("party", party),
                ("state", &state(format!("participant-state-{s}"))),
            ],
        ),
        Event::TaskChanged {
            id,
            status,
            assignee,
            ..
        } => M::JrTask.with(
            lang,
            &[
                ("title", &title(id)),
                ("assignee", assignee.as_str()),
                ("status", &state(format!("task-status-{status}"))),
            ],
        ),
        Event::TaskOverdue { id, assignee, .. } => M::JrTaskOverdue.with(
            lang,
            &[("title", &title(id)), ("assignee", assignee.as_str())],
        ),
        Event::TaskReminder { id, assignee, .. } => M::JrTaskReminder.with(
            lang,
            &[("title", &title(id)), ("assignee", assignee.as_str())],
        ),
        Event::DeliveryChanged { status, .. } => M::JrDelivery.with(
            lang,
            &[("status", &state(format!("delivery-status-{status}")))],
        ),
        Event::AuthorisationChanged {
            country, consent, ..
        } => M::JrAuthorisation.with(
            lang,
            &[
                ("country", &country_name(lang, country.as_str())),
                ("consent", &state(format!("consent-{consent}"))),
            ],
        ),
        Event::LegChanged { seq, status, .. } => M::JrLeg.with(
            lang,
            &[
                ("seq", &seq.to_string()),
                ("status", &state(format!("leg-status-{status}"))),
            ],
        ),
        _ => String::new(),
    }
}

pub async fn journal(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<super::api::JournalQuery>,
) -> Response {
    use pamir_app::operations::JournalPart;
    let lang = user.lang;
    let only = match q
        .part
        .as_deref()
        .filter(|p| !p.is_empty())
        .map(JournalPart::parse)
        .transpose()
    {
        Ok(o) => o,
        Err(e) => return error_page(&app, &user, &e),
    };
    let ops = app.operations();
    let (op, entries, tasks) = match async {
        let op = ops.get(&user.ctx, &id).await?;
        let entries = ops.journal(&user.ctx, &id, only).await?;
        let tasks = ops.tasks(&user.ctx, &id).await?;
        Ok::<_, AppError>((op, entries, tasks))
    }
    .await
    {
        Ok(v) => v,
        Err(e) => return error_page(&app, &user, &e),
    };
    let part_label = |p: JournalPart| match p {
        JournalPart::Participants => t(lang, M::OpParticipants),
        JournalPart::Tasks => t(lang, M::TaskTitlePlural),
        JournalPart::Delivery => t(lang, M::DlvTitle),
    };
    let body = html! {
        p.muted { a href={ "/operations/" (op.id) } { (op.code_name) } }
        h1 { (t(lang, M::JrTitle)) " — " (op.code_name) }
        nav.filters {
            @if only.is_none() { strong { (t(lang, M::JrAll)) } } @else { a href={ "/operations/" (op.id) "/journal" } { (t(lang, M::JrAll)) } }
            @for p in JournalPart::ALL {
                " · "
                @if only == Some(p) { strong { (part_label(p)) } }
                @else { a href={ "/operations/" (op.id) "/journal?part=" (p.as_str()) } { (part_label(p)) } }
            }
        }
        @if entries.is_empty() { p.muted { (t(lang, M::JrEmpty)) } }
        ol.timeline {
            @for e in entries.iter().rev() {
                li class=(e.part.as_str()) {
                    span.muted.period { (format_time(e.at)) } " "
                    (journal_line(lang, &e.event, &tasks))
                }
            }
        }
    };
    render(&app, &user, t(lang, M::JrTitle), "/operations", body)
}

fn number(q: f64) -> String {
    let s = format!("{q:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

async fn report_page(
    app: &App,
    user: &WebUser,
    id: &str,
    failed: Option<(&FormData, &AppError)>,
) -> Response {
    let lang = user.lang;
    let ops = app.operations();
    let (op, report) = match async {
        Ok::<_, AppError>((
            ops.get(&user.ctx, id).await?,
            ops.report(&user.ctx, id).await?,
        ))
    }
    .await
    {
        Ok(v) => v,
        Err(e) => return error_page(app, user, &e),
    };
    let sent = |name: &str| {
        failed
            .and_then(|(f, _)| f.get(name))
            .unwrap_or_default()
            .to_string()
    };
    let may_report = user.ctx.subject.roles.iter().any(|r| r.writes_records());
    let body = html! {
        p.muted.noprint { a href={ "/operations/" (op.id) } { (op.code_name) } }
        h1 { (t(lang, M::RpTitle)) " — " (op.code_name) " " (classification_badge(op.classification)) }
        p.muted { (pamir_i18n::text(lang, &op.kind.label_key())) " · " (period(&op)) " · " (op.coordinator) }
        @if let Some((_, e)) = failed { (error_box(lang, e)) }
        h2 { (t(lang, M::RpSeizures)) }
        @if report.totals.is_empty() { p.muted { (t(lang, M::RpNoSeizures)) } }
        @else {
            div.table-scroll { table.totals {
                thead { tr { th { (t(lang, M::Country)) } th { (t(lang, M::DlvSubstance)) } th.num { (t(lang, M::RpQuantity)) } th.num { (t(lang, M::RpCount)) } } }
                tbody {
                    @for tot in &report.totals {
                        tr {
                            td { @match tot.country { Some(c) => { (c.name(lang).unwrap_or(c.as_str())) } None => { "—" } } }
                            td { (tot.substance) }
                            td.num { (number(tot.quantity)) " " (tot.unit) }
                            td.num { (tot.seizures) }
                        }
                    }
                }
            } }
        }
        @if report.missing > 0 { p.muted { (M::RpMissing.with(lang, &[("count", &report.missing.to_string())])) } }
        dl.facts {
            dt { (t(lang, M::RpArrests)) } dd { (report.arrests) }
            dt { (t(lang, M::RpCases)) } dd { (report.cases_opened) }
            dt { (t(lang, M::RpAssets)) } dd {
                @for (i, (cur, v)) in report.assets.iter().enumerate() { @if i > 0 { ", " } (number(*v)) " " (cur) }
                @if report.assets.is_empty() { "—" }
            }
        }
        h2 { (t(lang, M::RpResults)) }
        @if report.results.is_empty() { p.muted { (t(lang, M::RpNoResults)) } }
        @for r in &report.results {
            article.task {
                h3 { span.code { (r.agency) } " · " span.muted { (format_time(r.reported_at)) " · " (r.reported_by) } }
                p {
                    (t(lang, M::RpArrests)) ": " (r.arrests) " · " (t(lang, M::RpCases)) ": " (r.cases_opened)
                    @if let Some(v) = r.assets_value { " · " (t(lang, M::RpAssets)) ": " (number(v)) " " (r.assets_currency) }
                }
                @if !r.seizures.is_empty() {
                    p { (t(lang, M::RpSeizures)) ": " @for (i, s) in r.seizures.iter().enumerate() { @if i > 0 { ", " } a.code href={ "/records/" (s) } { (s) } } }
                }
                @if !r.note.is_empty() { p.prewrap { (r.note) } }
            }
        }
        @if may_report {
            details.noprint open[failed.is_some()] {
                summary { (t(lang, M::RpReport)) }
                form.stack method="post" action={ "/operations/" (op.id) "/report" } {
                    (csrf_field(&user.csrf))
                    label { (t(lang, M::RpSeizureIds)) textarea name="seizures" rows="2" placeholder="tj-akn:…" { (sent("seizures")) } }
                    label { (t(lang, M::RpArrests)) input type="number" name="arrests" min="0" value=(sent("arrests")); }
                    label { (t(lang, M::RpCases)) input type="number" name="cases_opened" min="0" value=(sent("cases_opened")); }
                    label { (t(lang, M::RpAssets)) input type="text" name="assets_value" inputmode="decimal" value=(sent("assets_value")); }
                    label { (t(lang, M::RpCurrency)) input type="text" name="assets_currency" maxlength="3" placeholder="USD" value=(sent("assets_currency")); }
                    label { (t(lang, M::RpNote)) textarea name="note" rows="2" maxlength="4000" { (sent("note")) } }
                    button type="submit" { (t(lang, M::RpReportButton)) }
                }
            }
        }
        p.noprint { button type="button" onclick="window.print()" { (t(lang, M::RpPrint)) } }
    };
    render(app, user, t(lang, M::RpTitle), "/operations", body)
}

pub async fn report(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
) -> Response {
    report_page(&app, &user, &id, None).await
}

pub async fn report_result(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let body = form_body(
        &form,
        &[
            "seizures",
            "arrests",
            "cases_opened",
            "assets_value",
            "assets_currency",
            "note",
        ],
    );
    match app.operations().report_result(&user.ctx, &id, &body).await {
        Ok(_) => Redirect::to(&format!("/operations/{id}/report")).into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let mut resp = report_page(&app, &user, &id, Some((&form, &e))).await;
            *resp.status_mut() = crate::error::status_of(&e);
            resp
        }
        Err(e) => error_page(&app, &user, &e),
    }
}
