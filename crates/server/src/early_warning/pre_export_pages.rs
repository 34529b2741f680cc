//! Pre-export notifications' pages: the list (late and overdue ones flagged, for both sides),
//! the form that sends one from the user's country, and one notification with its history and
//! the steps the user may take on it.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::{html, Markup};
use pamir_app::{
    early_warning::{Notification, RegistryFilter},
    format_time, App, AppError,
};
use pamir_domain::{
    pre_export::{Side, Timeliness, TransportMode, Unit},
    schema::Lang,
    Classification, CountryStatus,
};
use serde_json::{json, Value};

use crate::extract::WebUser;
use crate::records::report::country_options;
use crate::web::{
    check_csrf, error_page,
    i18n::{t, M},
    layout::{country_name, csrf_field, error_box},
    render, FormData,
};

const NAV: &str = "/pre-exports";

fn substance_name(lang: Lang, n: &Notification) -> &str {
    if lang == Lang::RU {
        &n.substance_names.1
    } else {
        &n.substance_names.0
    }
}

fn quantity(lang: Lang, n: &Notification) -> String {
    let d = &n.draft;
    let unit = pamir_i18n::text(lang, &format!("unit-{}", d.unit.as_str()));
    match d.mixture_percent {
        Some(p) => format!("{} {unit} ({p} %)", d.quantity),
        None => format!("{} {unit}", d.quantity),
    }
}

fn status(lang: Lang, n: &Notification) -> Markup {
    html! {
        @match n.status {
            Some(k) => { (pamir_i18n::text(lang, &k.label_key())) }
            None => { (t(lang, M::PenAwaiting)) }
        }
    }
}

/// The reply's timeliness as a flag: late and overdue stand out.
fn timeliness(lang: Lang, n: &Notification) -> Markup {
    html! {
        @match n.timeliness {
            Timeliness::Late { days } => span.badge.first { (M::PenLate.with(lang, &[("days", &days.to_string())])) },
            Timeliness::Overdue { days } => span.badge.first { (M::PenOverdue.with(lang, &[("days", &days.to_string())])) },
            Timeliness::OnTime => span.muted { (t(lang, M::PenOnTime)) },
            Timeliness::Awaiting | Timeliness::Withdrawn => {},
        }
    }
}

/// The timeliness as a code, for scripts and tests to read.
fn timeliness_code(n: &Notification) -> &'static str {
    match n.timeliness {
        Timeliness::Awaiting => "awaiting",
        Timeliness::OnTime => "on_time",
        Timeliness::Overdue { .. } => "overdue",
        Timeliness::Late { .. } => "late",
        Timeliness::Withdrawn => "withdrawn",
    }
}

fn may_send(user: &WebUser) -> bool {
    let s = &user.ctx.subject;
    s.active
        && s.country_status != CountryStatus::Centre
        && s.roles.iter().any(|r| r.writes_records())
}

pub async fn list(State(app): State<Arc<App>>, user: WebUser) -> Response {
    let lang = user.lang;
    let all = match app.pre_exports().list(&user.ctx).await {
        Ok(all) => all,
        Err(e) => return error_page(&app, &user, &e),
    };
    let body = html! {
        h1 { (t(lang, M::NavPreExports)) }
        p.muted { (t(lang, M::PenIntro)) }
        @if may_send(&user) { p { a.button href="/pre-exports/new" { (t(lang, M::PenNew)) } } }
        div #pre-exports-live { @if all.is_empty() {
            p.muted { (t(lang, M::PenNone)) }
        } @else {
            div.table-scroll { table.pre-exports {
                thead { tr {
                    th { (t(lang, M::PenSubstance)) }
                    th { (t(lang, M::PenStatus)) }
                    th { (t(lang, M::PenDue)) }
                    th.opt { (t(lang, M::PenQuantity)) }
                    th.opt { (t(lang, M::PenSent)) }
                } }
                // The substance and its way first, the answer next: what a phone shows without
                // scrolling sideways.
                tbody { @for n in &all { tr data-id=(n.id) data-timeliness=(timeliness_code(n)) {
                    td {
                        a href={ "/pre-exports/" (n.id) } { (substance_name(lang, n)) }
                        br; span.muted.nowrap { (n.draft.exporter_country) " → " (n.draft.importer_country) }
                    }
                    td { (status(lang, n)) " " (timeliness(lang, n)) }
                    td.code.nowrap { (n.due_on) }
                    td.opt.nowrap { (quantity(lang, n)) }
                    td.opt.code.nowrap { (format_time(n.sent_at).get(..10).unwrap_or_default()) }
                } } }
            } }
        } }
    };
    render(&app, &user, t(lang, M::NavPreExports), NAV, body)
}

/// The registry's precursors and chemicals a notification may name.
pub(super) async fn chemicals(app: &App, user: &WebUser) -> Vec<(String, String)> {
    let Ok(all) = app
        .substances()
        .list(&user.ctx, &RegistryFilter::default())
        .await
    else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = all
        .into_iter()
        .filter(|s| {
            s.draft.class.is_chemical() || s.draft.controls.iter().any(|c| c.convention() == 1988)
        })
        .map(|s| {
            let kind = if user.lang == Lang::RU {
                pamir_domain::substance::NameKind::Ru
            } else {
                pamir_domain::substance::NameKind::En
            };
            (s.id.clone(), s.draft.name(kind).to_string())
        })
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

async fn form_page(app: &App, user: &WebUser, sent: Option<(&FormData, &AppError)>) -> Response {
    let lang = user.lang;
    let empty = FormData(Vec::new());
    let f = sent.map_or(&empty, |(f, _)| f);
    let own = user.ctx.subject.country;
    let substances = chemicals(app, user).await;
    let clearance = user.ctx.subject.clearance;
    let chosen_class = match f.text("classification") {
        "" => Classification::Restricted.as_str(),
        c => c,
    };
    let title = t(lang, M::PenNew);
    let body = html! {
        p { a href="/pre-exports" { "← " (t(lang, M::NavPreExports)) } }
        h1 { (title) }
        @if let Some((_, e)) = sent { (error_box(lang, e)) }
        form.stack method="post" action="/pre-exports/new" {
            (csrf_field(&user.csrf))
            p { (t(lang, M::PenExporterCountry)) ": " strong { (country_name(lang, own.as_str())) } }
            label { (t(lang, M::PenImporterCountry))
                select name="importer_country" required { (country_options(lang, f.text("importer_country"), true)) }
            }
            label { (t(lang, M::PenReference)) input type="text" name="reference" value=(f.text("reference")) maxlength="60"; }
            label { (t(lang, M::PenExporter)) input type="text" name="exporter" value=(f.text("exporter")) maxlength="200" required; }
            label { (t(lang, M::PenExporterAddress)) input type="text" name="exporter_address" value=(f.text("exporter_address")) maxlength="300"; }
            label { (t(lang, M::PenImporter)) input type="text" name="importer" value=(f.text("importer")) maxlength="200" required; }
            label { (t(lang, M::PenImporterAddress)) input type="text" name="importer_address" value=(f.text("importer_address")) maxlength="300"; }
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
                label { (t(lang, M::PenMixture)) input type="text" inputmode="decimal" name="mixture_percent" value=(f.text("mixture_percent")); }
            }
            div.row {
                label { (t(lang, M::PenCustomsCode)) input type="text" name="customs_code" value=(f.text("customs_code")) maxlength="14" placeholder="2915.24" required; }
                label { (t(lang, M::PenTransport))
                    select name="transport" { @for m in TransportMode::ALL { option value=(m.as_str()) selected[f.text("transport") == m.as_str()] { (pamir_i18n::text(lang, &format!("transport-{}", m.as_str()))) } } }
                }
            }
            label { (t(lang, M::PenTransit)) small.muted { " " (t(lang, M::PenTransitHelp)) }
                input type="text" name="transit" value=(f.text("transit")) maxlength="100"; }
            label { (t(lang, M::PenRoute)) textarea name="route" rows="2" maxlength="2000" { (f.text("route")) } }
            div.row {
                label { (t(lang, M::PenPortExit)) input type="text" name="port_of_exit" value=(f.text("port_of_exit")) maxlength="200"; }
                label { (t(lang, M::PenPortEntry)) input type="text" name="port_of_entry" value=(f.text("port_of_entry")) maxlength="200"; }
            }
            div.row {
                label { (t(lang, M::PenDeparture)) input type="date" name="departure_on" value=(f.text("departure_on")) required; }
                label { (t(lang, M::PenArrival)) input type="date" name="arrival_on" value=(f.text("arrival_on")) required; }
            }
            label { (t(lang, M::PenNotes)) textarea name="notes" rows="3" maxlength="10000" { (f.text("notes")) } }
            label { (t(lang, M::Classification))
                select name="classification" { @for c in Classification::ALL.iter().filter(|c| **c <= clearance) {
                    option value=(c.as_str()) selected[chosen_class == c.as_str()] { (c.as_str()) }
                } }
            }
            button type="submit" { (t(lang, M::PenSend)) }
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

/// The form read into the body the service takes.
fn body_of(user: &WebUser, form: &FormData) -> Value {
    let mut body = json!({
        "exporter_country": user.ctx.subject.country.as_str(),
        "transit": form.text("transit").split([' ', ',', ';']).filter(|s| !s.is_empty()).collect::<Vec<_>>(),
    });
    for field in [
        "importer_country",
        "reference",
        "exporter",
        "exporter_address",
        "importer",
        "importer_address",
        "substance",
        "quantity",
        "unit",
        "mixture_percent",
        "customs_code",
        "transport",
        "route",
        "port_of_exit",
        "port_of_entry",
        "departure_on",
        "arrival_on",
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
        .pre_exports()
        .send(&user.ctx, &body_of(&user, &form))
        .await
    {
        Ok(n) => Redirect::to(&format!("/pre-exports/{}", n.id)).into_response(),
        Err(e @ AppError::Invalid(_)) => form_page(&app, &user, Some((&form, &e))).await,
        Err(e) => error_page(&app, &user, &e),
    }
}

fn step_form(lang: Lang, csrf: &str, n: &Notification, sent: Option<&FormData>) -> Markup {
    let next = n.next_steps();
    let chosen = sent.map(|f| f.text("kind")).unwrap_or_default();
    let text = sent.map(|f| f.text("text")).unwrap_or_default();
    html! {
        @if !next.is_empty() {
            h2 { (t(lang, M::PenTakeStep)) }
            p.muted { (t(lang, match n.side { Some(Side::Exporter) => M::PenSideExporter, _ => M::PenSideImporter })) }
            form.stack.pen-step method="post" action={ "/pre-exports/" (n.id) "/steps" } {
                (csrf_field(csrf))
                label { (t(lang, M::PenStepKind))
                    select name="kind" { @for k in &next {
                        option value=(k.as_str()) selected[chosen == k.as_str()] { (pamir_i18n::text(lang, &k.label_key())) }
                    } }
                }
                label { (t(lang, M::PenStepText)) textarea name="text" rows="3" maxlength="4000" { (text) } }
                button type="submit" { (t(lang, M::PenStepButton)) }
            }
        }
    }
}

async fn show_page(
    app: &App,
    user: &WebUser,
    id: &str,
    sent: Option<(&FormData, &AppError)>,
) -> Response {
    let lang = user.lang;
    let n = match app.pre_exports().get(&user.ctx, id).await {
        Ok(n) => n,
        Err(e) => return error_page(app, user, &e),
    };
    let incidents = match app
        .precursor_incidents()
        .of_notification(&user.ctx, id)
        .await
    {
        Ok(i) => i,
        Err(e) => return error_page(app, user, &e),
    };
    let d = &n.draft;
    let title = format!(
        "{} — {} → {}",
        substance_name(lang, &n),
        d.exporter_country,
        d.importer_country
    );
    let body = html! {
        p { a href="/pre-exports" { "← " (t(lang, M::NavPreExports)) } }
        h1 { (title) }
        div #pre-export-live data-id=(n.id) {
        p.pen-status data-timeliness=(timeliness_code(&n)) { strong { (status(lang, &n)) } " " (timeliness(lang, &n)) }
        @if let Some((_, e)) = sent { (error_box(lang, e)) }
        dl.facts {
            dt { (t(lang, M::PenExporterCountry)) } dd { (country_name(lang, d.exporter_country.as_str())) }
            dt { (t(lang, M::PenImporterCountry)) } dd { (country_name(lang, d.importer_country.as_str())) }
            @if !d.reference.is_empty() { dt { (t(lang, M::PenReference)) } dd.code { (d.reference) } }
            dt { (t(lang, M::PenExporter)) } dd { (d.exporter) @if !d.exporter_address.is_empty() { br; span.muted { (d.exporter_address) } } }
            dt { (t(lang, M::PenImporter)) } dd { (d.importer) @if !d.importer_address.is_empty() { br; span.muted { (d.importer_address) } } }
            dt { (t(lang, M::PenSubstance)) } dd { a href={ "/substances/" (d.substance) } { (substance_name(lang, &n)) } }
            dt { (t(lang, M::PenQuantity)) } dd { (quantity(lang, &n)) }
            dt { (t(lang, M::PenCustomsCode)) } dd.code { (d.customs_code) }
            dt { (t(lang, M::PenTransport)) } dd { (pamir_i18n::text(lang, &format!("transport-{}", d.transport.as_str()))) }
            @if !d.transit.is_empty() {
                dt { (t(lang, M::PenTransit)) }
                dd { @for (i, c) in d.transit.iter().enumerate() { @if i > 0 { ", " } (country_name(lang, c.as_str())) } }
            }
            @if !d.route.is_empty() { dt { (t(lang, M::PenRoute)) } dd.prewrap { (d.route) } }
            @if !d.port_of_exit.is_empty() { dt { (t(lang, M::PenPortExit)) } dd { (d.port_of_exit) } }
            @if !d.port_of_entry.is_empty() { dt { (t(lang, M::PenPortEntry)) } dd { (d.port_of_entry) } }
            dt { (t(lang, M::PenDeparture)) } dd.code { (d.departure_on) }
            dt { (t(lang, M::PenArrival)) } dd.code { (d.arrival_on) }
            dt { (t(lang, M::PenDue)) } dd.code { (n.due_on) }
            dt { (t(lang, M::Classification)) } dd { (d.classification.as_str()) }
            @if !d.notes.is_empty() { dt { (t(lang, M::PenNotes)) } dd.prewrap { (d.notes) } }
        }
        p.muted { (M::PenSentBy.with(lang, &[("who", &n.sent_by), ("agency", n.sender_agency.as_str()), ("when", &format_time(n.sent_at))])) }
        h2 { (t(lang, M::PenSteps)) }
        @if n.steps.is_empty() {
            p.muted { (t(lang, M::PenNoSteps)) }
        } @else {
            ol.pen-steps { @for s in &n.steps { li {
                strong { (pamir_i18n::text(lang, &s.kind.label_key())) }
                " — " span.muted { (s.by) " (" (s.agency) "), " (format_time(s.at)) }
                @if !s.body.is_empty() { p.prewrap { (s.body) } }
            } } }
        }
        (step_form(lang, &user.csrf, &n, sent.map(|(f, _)| f)))
        }
        @if n.side.is_some() {
            (super::incident_pages::from_notification_form(lang, &user.csrf, &n.id, &incidents))
        }
    };
    let mut resp = render(app, user, &title, NAV, body);
    if let Some((_, e)) = sent {
        *resp.status_mut() = crate::error::status_of(e);
    }
    resp
}

pub async fn show(State(app): State<Arc<App>>, user: WebUser, Path(id): Path<String>) -> Response {
    show_page(&app, &user, &id, None).await
}

pub async fn step(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let body = json!({"kind": form.text("kind"), "text": form.text("text")});
    match app.pre_exports().step(&user.ctx, &id, &body).await {
        Ok(n) => Redirect::to(&format!("/pre-exports/{}", n.id)).into_response(),
        Err(e @ (AppError::Invalid(_) | AppError::Forbidden(_))) => {
            show_page(&app, &user, &id, Some((&form, &e))).await
        }
        Err(e) => error_page(&app, &user, &e),
    }
}
