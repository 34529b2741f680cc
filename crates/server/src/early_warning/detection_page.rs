//! One detection's page: what the laboratory reported, and the analysts' assessment notes with
//! the form that adds one (for analysts).

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::html;
use pamir_app::{format_time, App, AppError};
use pamir_domain::{detection, schema::Lang};
use serde_json::json;

use crate::extract::WebUser;
use crate::web::{
    check_csrf, error_page,
    i18n::{t, M},
    layout::{country_name, csrf_field, error_box},
    render, FormData,
};

async fn page(
    app: &App,
    user: &WebUser,
    id: &str,
    sent: Option<(&FormData, &AppError)>,
) -> Response {
    let lang = user.lang;
    let d = match app.detections().get(&user.ctx, id).await {
        Ok(d) => d,
        Err(e) => return error_page(app, user, &e),
    };
    let notes = match app.detections().notes(&user.ctx, id).await {
        Ok(n) => n,
        Err(e) => return error_page(app, user, &e),
    };
    let r = &d.draft;
    let name = match &d.substance_names {
        Some((en, ru)) => {
            if lang == Lang::RU {
                ru.clone()
            } else {
                en.clone()
            }
        }
        None => format!("{} — {}", t(lang, M::EwUnidentified), r.unidentified),
    };
    let title = format!("{name} — {}, {}", r.country, r.detected_on);
    let back = r
        .substance
        .as_ref()
        .map_or("/early-warning".to_string(), |s| {
            format!("/early-warning/{s}")
        });
    let body = html! {
        p { a href=(back) { "← " (name) } }
        h1 { (title) }
        p {
            @if d.first_in_region { span.badge.first { (t(lang, M::EwFirstInRegion)) } " " }
            @else if d.first_in_country { span.badge.first-country { (t(lang, M::EwFirstInCountry)) } " " }
        }
        dl.facts {
            dt { (t(lang, M::SrCountry)) } dd { (country_name(lang, r.country.as_str())) @if !r.place.is_empty() { ", " (r.place) } }
            dt { (t(lang, M::EwDate)) } dd.code { (r.detected_on) }
            dt { (t(lang, M::EwConfidence)) } dd { (pamir_i18n::text(lang, &format!("confidence-{}", r.confidence.as_str()))) }
            @if !r.methods.is_empty() {
                dt { (t(lang, M::DetMethods)) }
                dd { @for (i, m) in r.methods.iter().enumerate() { @if i > 0 { ", " } (pamir_i18n::text(lang, &format!("method-{}", m.as_str()))) } }
            }
            @if !r.laboratory.is_empty() { dt { (t(lang, M::EwLaboratory)) } dd { (r.laboratory) } }
            @if !r.seizures.is_empty() {
                dt { (t(lang, M::PciSeizures)) }
                dd { @for s in &r.seizures { a.code href={ "/records/" (s) } { (s) } " " } }
            }
            @if !r.adverse_events.is_empty() { dt { (t(lang, M::DetAdverse)) } dd.prewrap { (r.adverse_events) } }
            @if !r.notes.is_empty() { dt { (t(lang, M::DetReporterNotes)) } dd.prewrap { (r.notes) } }
            dt { (t(lang, M::Classification)) } dd { (r.classification.as_str()) }
        }
        p.muted { (M::PciReportedBy.with(lang, &[("who", &d.created_by), ("agency", d.reporter.as_str()), ("when", &format_time(d.created_at))])) }
        h2 { (t(lang, M::DetAssessments)) }
        @if notes.is_empty() {
            p.muted { (t(lang, M::DetNoAssessments)) }
        } @else {
            ol.notes { @for n in &notes { li {
                span.muted { (n.author) " (" (n.agency) "), " (format_time(n.at)) }
                p.prewrap { (n.text) }
            } } }
        }
        @if let Some((_, e)) = sent { (error_box(lang, e)) }
        @if detection::may_assess(&user.ctx.subject).is_ok() {
            form.stack method="post" action={ "/detections/" (d.id) "/notes" } {
                (csrf_field(&user.csrf))
                label { (t(lang, M::DetAddAssessment))
                    textarea name="text" rows="3" maxlength="4000" required { (sent.map(|(f, _)| f.text("text")).unwrap_or_default()) }
                }
                button type="submit" { (t(lang, M::DetAddButton)) }
            }
        }
    };
    let mut resp = render(app, user, &title, "/early-warning", body);
    if let Some((_, e)) = sent {
        *resp.status_mut() = crate::error::status_of(e);
    }
    resp
}

pub async fn show(State(app): State<Arc<App>>, user: WebUser, Path(id): Path<String>) -> Response {
    page(&app, &user, &id, None).await
}

pub async fn add_note(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let body = json!({"text": form.text("text")});
    match app.detections().add_note(&user.ctx, &id, &body).await {
        Ok(_) => Redirect::to(&format!("/detections/{id}")).into_response(),
        Err(e @ AppError::Invalid(_)) => page(&app, &user, &id, Some((&form, &e))).await,
        Err(e) => error_page(&app, &user, &e),
    }
}
