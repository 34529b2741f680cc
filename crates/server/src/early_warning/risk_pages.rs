//! Risk communications' pages: the list on the early-warning board and on a substance's page,
//! the form that issues one (for analysts), and one communication with its update and retraction
//! forms (for its issuing agency's analysts, while it stands).

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::{html, Markup};
use pamir_app::{early_warning::RiskCommunication, format_time, App, AppError};
use pamir_domain::{
    risk_communication::{self, Severity},
    schema::Lang,
    Classification,
};
use serde_json::{json, Value};

use crate::extract::WebUser;
use crate::web::{
    check_csrf, error_page,
    i18n::{t, M},
    layout::{csrf_field, error_box},
    render, FormData,
};

fn substance_name(lang: Lang, r: &RiskCommunication) -> &str {
    if lang == Lang::RU {
        &r.substance_names.1
    } else {
        &r.substance_names.0
    }
}

fn severity(lang: Lang, s: Severity) -> Markup {
    let cls = match s {
        Severity::Alert => "badge first",
        Severity::Warning => "badge first-country",
        Severity::Information => "muted",
    };
    html! { span class=(cls) { (pamir_i18n::text(lang, &s.label_key())) } }
}

/// The communications as a list: severity, title, substance, date; retracted ones marked.
pub fn risk_list(lang: Lang, list: &[RiskCommunication], with_substance: bool) -> Markup {
    html! {
        ul.risks { @for r in list { li {
            (severity(lang, r.draft.severity)) " "
            a href={ "/risk-communications/" (r.id) } { (r.draft.title) }
            @if with_substance { " — " (substance_name(lang, r)) }
            " " span.muted.code { (format_time(r.updated_at).get(..10).unwrap_or_default()) }
            @if r.retraction.is_some() { " " strong { (t(lang, M::RiskRetractedLabel)) } }
        } } }
    }
}

/// The form that writes a communication: empty to issue one about `substance`, filled to update
/// `current`.
fn risk_form(
    lang: Lang,
    user: &WebUser,
    substance: &str,
    current: Option<&RiskCommunication>,
    sent: Option<&FormData>,
) -> Markup {
    let value = |name: &str| -> String {
        if let Some(f) = sent {
            return f.text(name).to_string();
        }
        match (current, name) {
            (Some(r), "title") => r.draft.title.clone(),
            (Some(r), "severity") => r.draft.severity.as_str().to_string(),
            (Some(r), "risk") => r.draft.risk.clone(),
            (Some(r), "advice") => r.draft.advice.clone(),
            (Some(r), "detections") => r.draft.detections.join(" "),
            (Some(r), "classification") => r.draft.classification.as_str().to_string(),
            (None, "classification") => Classification::Restricted.as_str().to_string(),
            _ => String::new(),
        }
    };
    let (action, button) = match current {
        Some(r) => (
            format!("/risk-communications/{}/edit", r.id),
            M::RiskUpdateButton,
        ),
        None => ("/risk-communications/new".to_string(), M::RiskIssueButton),
    };
    let clearance = user.ctx.subject.clearance;
    html! {
        form.stack.risk-form method="post" action=(action) {
            (csrf_field(&user.csrf))
            input type="hidden" name="substance" value=(substance);
            @if let Some(r) = current { input type="hidden" name="version" value=(r.version); }
            label { (t(lang, M::RiskHeading)) input type="text" name="title" value=(value("title")) maxlength="200" required; }
            label { (t(lang, M::RiskSeverity))
                select name="severity" { @for s in Severity::ALL {
                    option value=(s.as_str()) selected[value("severity") == s.as_str()] { (pamir_i18n::text(lang, &s.label_key())) }
                } }
            }
            label { (t(lang, M::RiskRisk)) textarea name="risk" rows="4" maxlength="10000" required { (value("risk")) } }
            label { (t(lang, M::RiskAdvice)) textarea name="advice" rows="3" maxlength="10000" { (value("advice")) } }
            label { (t(lang, M::RiskDetections)) small.muted { " " (t(lang, M::PciRecordsHelp)) }
                input type="text" name="detections" value=(value("detections")) maxlength="2000"; }
            label { (t(lang, M::Classification))
                select name="classification" { @for c in Classification::ALL.iter().filter(|c| **c <= clearance) {
                    option value=(c.as_str()) selected[value("classification") == c.as_str()] { (c.as_str()) }
                } }
            }
            button type="submit" { (t(lang, button)) }
        }
    }
}

/// The issue form on a substance's page, for those who may issue.
pub fn issue_section(lang: Lang, user: &WebUser, substance: &str) -> Markup {
    html! {
        @if risk_communication::may_issue(&user.ctx.subject).is_ok() {
            details.risk-issue {
                summary { (t(lang, M::RiskIssue)) }
                (risk_form(lang, user, substance, None, None))
            }
        }
    }
}

fn body_of(form: &FormData) -> Value {
    let mut body = json!({
        "substance": form.text("substance"),
        "title": form.text("title"),
        "severity": form.text("severity"),
        "risk": form.text("risk"),
        "advice": form.text("advice"),
        "detections": form.text("detections").split([' ', ',', ';', '\n']).filter(|s| !s.is_empty()).collect::<Vec<_>>(),
        "classification": form.text("classification"),
    });
    if let Ok(v) = form.text("version").parse::<i64>() {
        body["version"] = json!(v);
    }
    body
}

pub async fn create(State(app): State<Arc<App>>, user: WebUser, form: FormData) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    match app
        .risk_communications()
        .issue(&user.ctx, &body_of(&form))
        .await
    {
        Ok(r) => Redirect::to(&format!("/risk-communications/{}", r.id)).into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let lang = user.lang;
            let title = t(lang, M::RiskIssue);
            let substance = form.text("substance").to_string();
            let body = html! {
                p { a href={ "/early-warning/" (substance) } { "← " (t(lang, M::EwTitle)) } }
                h1 { (title) }
                (error_box(lang, &e))
                (risk_form(lang, &user, &substance, None, Some(&form)))
            };
            let mut resp = render(&app, &user, title, "/early-warning", body);
            *resp.status_mut() = crate::error::status_of(&e);
            resp
        }
        Err(e) => error_page(&app, &user, &e),
    }
}

async fn show_page(
    app: &App,
    user: &WebUser,
    id: &str,
    sent: Option<(&FormData, &AppError)>,
) -> Response {
    let lang = user.lang;
    let r = match app.risk_communications().get(&user.ctx, id).await {
        Ok(r) => r,
        Err(e) => return error_page(app, user, &e),
    };
    let d = &r.draft;
    let may_change = r.retraction.is_none()
        && risk_communication::may_change(&user.ctx.subject, &r.issuer).is_ok();
    let body = html! {
        p { a href={ "/early-warning/" (d.substance) } { "← " (substance_name(lang, &r)) } }
        h1 { (d.title) }
        div #risk-live data-id=(r.id) {
            p { (severity(lang, d.severity)) " " a href={ "/early-warning/" (d.substance) } { (substance_name(lang, &r)) } }
            @if let Some(why) = &r.retraction {
                div.errors { strong { (t(lang, M::RiskRetractedLabel)) } ": " span.prewrap { (why) } }
            }
            h2 { (t(lang, M::RiskRisk)) }
            p.prewrap { (d.risk) }
            @if !d.advice.is_empty() { h2 { (t(lang, M::RiskAdvice)) } p.prewrap { (d.advice) } }
            @if !d.detections.is_empty() {
                h2 { (t(lang, M::RiskDetections)) }
                p { @for det in &d.detections { span.code { (det) } " " } }
            }
            p.muted { (M::RiskIssuedBy.with(lang, &[
                ("agency", r.issuer.as_str()), ("who", &r.created_by), ("when", &format_time(r.created_at)),
                ("version", &r.version.to_string()), ("changed", &format_time(r.updated_at)),
            ])) " " (d.classification.as_str()) }
        }
        @if let Some((_, e)) = sent { (error_box(lang, e)) }
        @if may_change {
            details.risk-update open[sent.is_some()] {
                summary { (t(lang, M::RiskUpdateButton)) }
                (risk_form(lang, user, &d.substance, Some(&r), sent.map(|(f, _)| f)))
            }
            details.risk-retract {
                summary { (t(lang, M::RiskRetractButton)) }
                form.stack method="post" action={ "/risk-communications/" (r.id) "/retract" } {
                    (csrf_field(&user.csrf))
                    label { (t(lang, M::RiskRetractReason)) textarea name="reason" rows="2" maxlength="4000" required {} }
                    button.secondary type="submit" { (t(lang, M::RiskRetractButton)) }
                }
            }
        }
    };
    let mut resp = render(app, user, &d.title, "/early-warning", body);
    if let Some((_, e)) = sent {
        *resp.status_mut() = crate::error::status_of(e);
    }
    resp
}

pub async fn show(State(app): State<Arc<App>>, user: WebUser, Path(id): Path<String>) -> Response {
    show_page(&app, &user, &id, None).await
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
    match app
        .risk_communications()
        .update(&user.ctx, &id, &body_of(&form))
        .await
    {
        Ok(r) => Redirect::to(&format!("/risk-communications/{}", r.id)).into_response(),
        Err(e @ (AppError::Invalid(_) | AppError::VersionConflict { .. })) => {
            show_page(&app, &user, &id, Some((&form, &e))).await
        }
        Err(e) => error_page(&app, &user, &e),
    }
}

pub async fn retract(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let body = json!({"reason": form.text("reason")});
    match app
        .risk_communications()
        .retract(&user.ctx, &id, &body)
        .await
    {
        Ok(r) => Redirect::to(&format!("/risk-communications/{}", r.id)).into_response(),
        Err(e @ AppError::Invalid(_)) => show_page(&app, &user, &id, Some((&form, &e))).await,
        Err(e) => error_page(&app, &user, &e),
    }
}
