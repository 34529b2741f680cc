//! Precursor incidents' pages: the list, the form that reports one, one incident with the
//! notification it came from, and the action that turns a notification into an incident.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::{html, Markup};
use pamir_app::{early_warning::Incident, format_time, App, AppError};
use pamir_domain::{
    pre_export::Unit, precursor_incident::IncidentKind, schema::Lang, Classification, CountryStatus,
};
use serde_json::{json, Value};

use super::pre_export_pages::chemicals;
use crate::extract::WebUser;
use crate::records::report::country_options;
use crate::web::{
    check_csrf, error_page,
    i18n::{t, M},
    layout::{country_name, csrf_field, error_box},
    render, FormData,
};

const NAV: &str = "/precursor-incidents";

fn substance_name(lang: Lang, i: &Incident) -> &str {
    if lang == Lang::RU {
        &i.substance_names.1
    } else {
        &i.substance_names.0
    }
}

fn kind_label(lang: Lang, k: IncidentKind) -> &'static str {
    pamir_i18n::text(lang, &k.label_key())
}

fn quantity(lang: Lang, i: &Incident) -> String {
    let unit = pamir_i18n::text(lang, &format!("unit-{}", i.draft.unit.as_str()));
    format!("{} {unit}", i.draft.quantity)
}

/// Origin → transit → destination, as far as known.
fn way(i: &Incident) -> String {
    let d = &i.draft;
    let mut parts: Vec<String> = Vec::new();
    parts.push(d.origin.map_or("?".to_string(), |c| c.to_string()));
    parts.extend(d.transit.iter().map(|c| c.to_string()));
    parts.push(d.destination.map_or("?".to_string(), |c| c.to_string()));
    parts.join(" → ")
}

fn may_report(user: &WebUser) -> bool {
    let s = &user.ctx.subject;
    s.active
        && s.country_status != CountryStatus::Observer
        && s.roles.iter().any(|r| r.writes_records())
}

pub async fn list(State(app): State<Arc<App>>, user: WebUser) -> Response {
    let lang = user.lang;
    let all = match app.precursor_incidents().list(&user.ctx).await {
        Ok(all) => all,
        Err(e) => return error_page(&app, &user, &e),
    };
    let body = html! {
        h1 { (t(lang, M::NavPrecursorIncidents)) }
        p.muted { (t(lang, M::PciIntro)) }
        @if may_report(&user) { p { a.button href="/precursor-incidents/new" { (t(lang, M::PciNew)) } } }
        div #incidents-live { @if all.is_empty() {
            p.muted { (t(lang, M::PciNone)) }
        } @else {
            div.table-scroll { table.incidents {
                thead { tr {
                    th { (t(lang, M::PenSubstance)) }
                    th { (t(lang, M::PciWhere)) }
                    th { (t(lang, M::PciDate)) }
                    th.opt { (t(lang, M::PciWay)) }
                    th.opt { (t(lang, M::PenQuantity)) }
                } }
                tbody { @for i in &all { tr {
                    td {
                        a href={ "/precursor-incidents/" (i.id) } { (substance_name(lang, i)) }
                        br; span.muted { (kind_label(lang, i.draft.kind)) }
                    }
                    td { span.wide { (country_name(lang, i.draft.country.as_str())) } abbr.narrow title=(country_name(lang, i.draft.country.as_str())) { (i.draft.country) } @if !i.draft.place.is_empty() { br; span.muted { (i.draft.place) } } }
                    td.code.nowrap { (i.draft.occurred_on) }
                    td.opt.nowrap { (way(i)) }
                    td.opt.nowrap { (quantity(lang, i)) }
                } } }
            } }
        } }
    };
    render(&app, &user, t(lang, M::NavPrecursorIncidents), NAV, body)
}

async fn form_page(app: &App, user: &WebUser, sent: Option<(&FormData, &AppError)>) -> Response {
    let lang = user.lang;
    let empty = FormData(Vec::new());
    let f = sent.map_or(&empty, |(f, _)| f);
    let own = user.ctx.subject.country;
    let centre = user.ctx.subject.country_status == CountryStatus::Centre;
    let substances = chemicals(app, user).await;
    let clearance = user.ctx.subject.clearance;
    let chosen_class = match f.text("classification") {
        "" => Classification::Restricted.as_str(),
        c => c,
    };
    let title = t(lang, M::PciNew);
    let body = html! {
        p { a href="/precursor-incidents" { "← " (t(lang, M::NavPrecursorIncidents)) } }
        h1 { (title) }
        @if let Some((_, e)) = sent { (error_box(lang, e)) }
        form.stack method="post" action="/precursor-incidents/new" {
            (csrf_field(&user.csrf))
            label { (t(lang, M::PciKind))
                select name="kind" { @for k in IncidentKind::ALL {
                    option value=(k.as_str()) selected[f.text("kind") == k.as_str()] { (kind_label(lang, *k)) }
                } }
            }
            label { (t(lang, M::PenSubstance))
                select name="substance" required {
                    option value="" { (t(lang, M::Choose)) }
                    @for (id, name) in &substances { option value=(id) selected[f.text("substance") == id] { (name) } }
                }
            }
            div.row {
                label { (t(lang, M::PenQuantity)) input type="text" inputmode="decimal" name="quantity" value=(f.text("quantity")) required; }
                label { (t(lang, M::PenUnit))
                    select name="unit" { @for u in Unit::ALL { option value=(u.as_str()) selected[f.text("unit") == u.as_str()] { (pamir_i18n::text(lang, &format!("unit-{}", u.as_str()))) } } }
                }
            }
            @if centre {
                label { (t(lang, M::PciWhere))
                    select name="country" required { (country_options(lang, f.text("country"), true)) }
                }
            } @else {
                p { (t(lang, M::PciWhere)) ": " strong { (country_name(lang, own.as_str())) } }
            }
            label { (t(lang, M::PciPlace)) input type="text" name="place" value=(f.text("place")) maxlength="200"; }
            label { (t(lang, M::PciDate)) input type="date" name="occurred_on" value=(f.text("occurred_on")) required; }
            div.row {
                label { (t(lang, M::PciOrigin)) select name="origin" { (country_options(lang, f.text("origin"), true)) } }
                label { (t(lang, M::PciDestination)) select name="destination" { (country_options(lang, f.text("destination"), true)) } }
            }
            label { (t(lang, M::PenTransit)) small.muted { " " (t(lang, M::PenTransitHelp)) }
                input type="text" name="transit" value=(f.text("transit")) maxlength="100"; }
            label { (t(lang, M::PciModus)) textarea name="modus_operandi" rows="3" maxlength="4000" { (f.text("modus_operandi")) } }
            label { (t(lang, M::PciCompanies)) small.muted { " " (t(lang, M::PciRecordsHelp)) }
                input type="text" name="companies" value=(f.text("companies")) maxlength="2000"; }
            label { (t(lang, M::PciSeizures)) small.muted { " " (t(lang, M::PciRecordsHelp)) }
                input type="text" name="seizures" value=(f.text("seizures")) maxlength="2000"; }
            label { (t(lang, M::PenNotes)) textarea name="notes" rows="3" maxlength="10000" { (f.text("notes")) } }
            label { (t(lang, M::Classification))
                select name="classification" { @for c in Classification::ALL.iter().filter(|c| **c <= clearance) {
                    option value=(c.as_str()) selected[chosen_class == c.as_str()] { (c.as_str()) }
                } }
            }
            button type="submit" { (t(lang, M::PciReport)) }
        }
    };
    let mut resp = render(app, user, title, NAV, body);
    if let Some((_, e)) = sent {
        *resp.status_mut() = crate::error::status_of(e);
    }
    resp
}

pub async fn new_form(State(app): State<Arc<App>>, user: WebUser) -> Response {
    form_page(&app, &user, None).await
}

fn words(s: &str) -> Vec<&str> {
    s.split([' ', ',', ';', '\n'])
        .filter(|w| !w.is_empty())
        .collect()
}

/// The form read into the body the service takes.
fn body_of(user: &WebUser, form: &FormData) -> Value {
    let country = if user.ctx.subject.country_status == CountryStatus::Centre {
        form.text("country").to_string()
    } else {
        user.ctx.subject.country.to_string()
    };
    let mut body = json!({
        "country": country,
        "transit": words(form.text("transit")),
        "companies": words(form.text("companies")),
        "seizures": words(form.text("seizures")),
    });
    for field in [
        "kind",
        "substance",
        "quantity",
        "unit",
        "place",
        "occurred_on",
        "origin",
        "destination",
        "modus_operandi",
        "notes",
        "classification",
    ] {
        if !form.text(field).trim().is_empty() {
            body[field] = Value::String(form.text(field).to_string());
        }
    }
    body
}

pub async fn create(State(app): State<Arc<App>>, user: WebUser, form: FormData) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    match app
        .precursor_incidents()
        .report(&user.ctx, &body_of(&user, &form))
        .await
    {
        Ok(i) => Redirect::to(&format!("/precursor-incidents/{}", i.id)).into_response(),
        Err(e @ AppError::Invalid(_)) => form_page(&app, &user, Some((&form, &e))).await,
        Err(e) => error_page(&app, &user, &e),
    }
}

pub async fn show(State(app): State<Arc<App>>, user: WebUser, Path(id): Path<String>) -> Response {
    let lang = user.lang;
    let i = match app.precursor_incidents().get(&user.ctx, &id).await {
        Ok(i) => i,
        Err(e) => return error_page(&app, &user, &e),
    };
    let d = &i.draft;
    let title = format!(
        "{} — {}",
        substance_name(lang, &i),
        kind_label(lang, d.kind)
    );
    let body = html! {
        p { a href="/precursor-incidents" { "← " (t(lang, M::NavPrecursorIncidents)) } }
        h1 { (title) }
        dl.facts {
            dt { (t(lang, M::PciKind)) } dd { (kind_label(lang, d.kind)) }
            dt { (t(lang, M::PenSubstance)) } dd { a href={ "/substances/" (d.substance) } { (substance_name(lang, &i)) } }
            dt { (t(lang, M::PenQuantity)) } dd { (quantity(lang, &i)) }
            dt { (t(lang, M::PciWhere)) } dd { (country_name(lang, d.country.as_str())) @if !d.place.is_empty() { ", " (d.place) } }
            dt { (t(lang, M::PciDate)) } dd.code { (d.occurred_on) }
            @if let Some(c) = d.origin { dt { (t(lang, M::PciOrigin)) } dd { (country_name(lang, c.as_str())) } }
            @if !d.transit.is_empty() {
                dt { (t(lang, M::PenTransit)) }
                dd { @for (n, c) in d.transit.iter().enumerate() { @if n > 0 { ", " } (country_name(lang, c.as_str())) } }
            }
            @if let Some(c) = d.destination { dt { (t(lang, M::PciDestination)) } dd { (country_name(lang, c.as_str())) } }
            @if !d.modus_operandi.is_empty() { dt { (t(lang, M::PciModus)) } dd.prewrap { (d.modus_operandi) } }
            @if !d.companies.is_empty() {
                dt { (t(lang, M::PciCompanies)) }
                dd { @for c in &d.companies { a.code href={ "/records/" (c) } { (c) } " " } }
            }
            @if !d.seizures.is_empty() {
                dt { (t(lang, M::PciSeizures)) }
                dd { @for s in &d.seizures { a.code href={ "/records/" (s) } { (s) } " " } }
            }
            @if let Some(n) = &d.notification {
                dt { (t(lang, M::PciNotification)) } dd { a href={ "/pre-exports/" (n) } { (t(lang, M::PciSeeNotification)) } }
            }
            dt { (t(lang, M::Classification)) } dd { (d.classification.as_str()) }
            @if !d.notes.is_empty() { dt { (t(lang, M::PenNotes)) } dd.prewrap { (d.notes) } }
        }
        p.muted { (M::PciReportedBy.with(lang, &[("who", &i.created_by), ("agency", i.reporter.as_str()), ("when", &format_time(i.created_at))])) }
    };
    render(&app, &user, &title, NAV, body)
}

/// The notification page's action: turn it into an incident where the user's country stands.
pub fn from_notification_form(lang: Lang, csrf: &str, id: &str, incidents: &[Incident]) -> Markup {
    html! {
        h2 { (t(lang, M::PciAlert)) }
        @if !incidents.is_empty() {
            ul { @for i in incidents { li {
                a href={ "/precursor-incidents/" (i.id) } { (kind_label(lang, i.draft.kind)) ", " (i.draft.occurred_on) }
                " — " (country_name(lang, i.draft.country.as_str()))
            } } }
        }
        form.stack method="post" action={ "/pre-exports/" (id) "/incident" } {
            (csrf_field(csrf))
            label { (t(lang, M::PciKind))
                select name="kind" { @for k in IncidentKind::ALL {
                    option value=(k.as_str()) selected[*k == IncidentKind::StoppedShipment] { (kind_label(lang, *k)) }
                } }
            }
            label { (t(lang, M::PciModus)) textarea name="modus_operandi" rows="2" maxlength="4000" {} }
            button.secondary type="submit" { (t(lang, M::PciFromNotificationButton)) }
        }
    }
}

pub async fn create_from_notification(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let extra = json!({"kind": form.text("kind"), "modus_operandi": form.text("modus_operandi")});
    match app
        .precursor_incidents()
        .from_notification(&user.ctx, &id, &extra)
        .await
    {
        Ok(i) => Redirect::to(&format!("/precursor-incidents/{}", i.id)).into_response(),
        Err(e) => error_page(&app, &user, &e),
    }
}
