//! The early-warning board: new substances by the date of their first detection in the region,
//! how each spread across countries month by month (a table shaded as a heat map), and the
//! latest detections — all over what the reader may read.

use std::sync::Arc;

use axum::{
    extract::{Path, RawQuery, State},
    response::Response,
};
use maud::{html, Markup};
use pamir_app::{
    early_warning::{Detection, Substance},
    App, AppError,
};
use pamir_domain::{
    detection::Spread,
    schema::Lang,
    substance::{self, NameKind},
};

use super::api::ListParams;
use super::pages::{class_and_control, list_params};
use crate::extract::WebUser;
use crate::web::{
    error_page,
    i18n::{t, M},
    layout::{country_name, error_box},
    render, FormData,
};

fn shown(lang: Lang, s: &Substance) -> String {
    let kind = if lang == Lang::RU {
        NameKind::Ru
    } else {
        NameKind::En
    };
    s.draft.name(kind).to_string()
}

fn detection_name(lang: Lang, d: &Detection) -> String {
    match &d.substance_names {
        Some((en, ru)) => {
            if lang == Lang::RU {
                ru.clone()
            } else {
                en.clone()
            }
        }
        None => format!("{} — {}", t(lang, M::EwUnidentified), d.draft.unidentified),
    }
}

/// A country by name, by its code on a phone.
fn country(lang: Lang, code: &str) -> Markup {
    html! { span.wide { (country_name(lang, code)) } abbr.narrow title=(country_name(lang, code)) { (code) } }
}

fn flags(lang: Lang, d: &Detection) -> Markup {
    html! {
        // On a phone, a star with the words as its tooltip.
        @if d.first_in_region {
            span.badge.first title=(t(lang, M::EwFirstInRegion)) { span.wide { (t(lang, M::EwFirstInRegion)) } span.narrow { "★" } } " "
        }
        @else if d.first_in_country {
            span.badge.first-country title=(t(lang, M::EwFirstInCountry)) { span.wide { (t(lang, M::EwFirstInCountry)) } span.narrow { "☆" } } " "
        }
    }
}

fn detections_table(lang: Lang, list: &[Detection], with_substance: bool) -> Markup {
    html! {
        div.table-scroll { table.detections {
            thead { tr {
                th { (t(lang, M::EwDate)) }
                @if with_substance { th { (t(lang, M::SrName)) } }
                th { (t(lang, M::SrCountry)) } th.opt { (t(lang, M::EwConfidence)) } th.opt { (t(lang, M::EwLaboratory)) } th { "" }
            } }
            tbody { @for d in list { tr {
                td.code.nowrap { a href={ "/detections/" (d.id) } { (d.draft.detected_on) } }
                @if with_substance {
                    td { @match &d.draft.substance {
                        Some(id) => { a href={ "/early-warning/" (id) } { (detection_name(lang, d)) } }
                        None => { (detection_name(lang, d)) }
                    } }
                }
                td { (country(lang, d.draft.country.as_str())) }
                td.opt { (pamir_i18n::text(lang, &format!("confidence-{}", d.draft.confidence.as_str()))) }
                td.opt { (d.draft.laboratory) }
                td { (flags(lang, d)) }
            } } }
        } }
    }
}

pub async fn board(State(app): State<Arc<App>>, user: WebUser, RawQuery(q): RawQuery) -> Response {
    let lang = user.lang;
    let form = FormData::parse(q.as_deref().unwrap_or("").as_bytes());
    // The board filters by class and control only; a name search is the registry's.
    let params = ListParams {
        q: None,
        ..list_params(&form)
    };
    let rows = match params.filter() {
        Ok(filter) => app.detections().board(&user.ctx, &filter).await,
        Err(e) => Err(e),
    };
    let rows = match rows {
        Ok(r) => Ok(r),
        Err(e @ AppError::Invalid(_)) => Err(e),
        Err(e) => return error_page(&app, &user, &e),
    };
    let risks = match app.risk_communications().list(&user.ctx, None).await {
        Ok(mut l) => {
            l.retain(|r| r.retraction.is_none());
            l.truncate(10);
            l
        }
        Err(e) => return error_page(&app, &user, &e),
    };
    let latest = match app.detections().list(&user.ctx, None).await {
        Ok(mut l) => {
            l.truncate(15);
            l
        }
        Err(e) => return error_page(&app, &user, &e),
    };
    let body = html! {
        h1 { (t(lang, M::EwTitle)) }
        p.muted { (t(lang, M::EwIntro)) }
        form.filters method="get" action="/early-warning" { div.row {
            (class_and_control(lang, &form))
            button type="submit" { (t(lang, M::AnShow)) }
        } }
        div #early-warning-live {
        @if !risks.is_empty() {
            h2 { (t(lang, M::RiskTitle)) }
            (super::risk_pages::risk_list(lang, &risks, true))
        }
        h2 { (t(lang, M::EwNewSubstances)) }
        @match &rows {
            Err(e) => { (error_box(lang, e)) }
            Ok(rows) if rows.is_empty() => { p.muted { (t(lang, M::EwNone)) } }
            Ok(rows) => {
                div.table-scroll { table.board {
                    thead { tr {
                        th { (t(lang, M::SrName)) } th.opt { (t(lang, M::SrClass)) } th { (t(lang, M::EwFirstDetected)) }
                        th.opt { (t(lang, M::EwCountries)) } th.num.opt { (t(lang, M::EwDetections)) }
                    } }
                    tbody { @for r in rows { tr {
                        td { a href={ "/early-warning/" (r.substance.id) } { (shown(lang, &r.substance)) } }
                        td.opt { (pamir_i18n::text(lang, &r.substance.draft.class.label_key())) }
                        td { @if let Some((c, d)) = r.first() { span.code.nowrap { (d) } " " (country(lang, c.as_str())) } }
                        td.opt { @for (i, (c, d)) in r.spread.countries.iter().enumerate() {
                            @if i > 0 { " → " } abbr title=(d) { (c) }
                        } }
                        td.num.opt { (r.detections) }
                    } } }
                } }
            }
        }
        h2 { (t(lang, M::EwLatest)) }
        @if latest.is_empty() { p.muted { (t(lang, M::EwNone)) } } @else { (detections_table(lang, &latest, true)) }
        }
    };
    let mut resp = render(&app, &user, t(lang, M::EwTitle), "/early-warning", body);
    if let Err(e) = &rows {
        *resp.status_mut() = crate::error::status_of(e);
    }
    resp
}

/// The seizures of the last twelve months the reader may see whose substance is written as one
/// of the registry entry's names (in any script or case the name key folds): their count and
/// weights, and the first day counted. `None` for a reader who sees no seizure statistics.
async fn seized_under_names(
    app: &App,
    user: &WebUser,
    s: &Substance,
) -> Option<(pamir_domain::analysis::Tally, String)> {
    let today = app.clock.today();
    let from = (today - chrono::Duration::days(364))
        .format("%Y-%m-%d")
        .to_string();
    let raw = pamir_domain::analysis::RawFilters {
        from: Some(from.clone()),
        to: Some(today.format("%Y-%m-%d").to_string()),
        ..Default::default()
    };
    let stat = app
        .analysis()
        .seizure_statistics(&user.ctx, &raw, Some("substance"))
        .await
        .ok()?;
    let names: std::collections::BTreeSet<String> = s
        .draft
        .names
        .iter()
        .map(|n| substance::name_key(&n.text))
        .collect();
    let mut tally = pamir_domain::analysis::Tally::default();
    for row in stat
        .rows
        .iter()
        .filter(|r| names.contains(&substance::name_key(&r.key)))
    {
        tally.count += row.current.count;
        tally.kg += row.current.kg;
        tally.litres += row.current.litres;
        tally.units += row.current.units;
    }
    Some((tally, from))
}

/// The spread as a table of countries by month, each cell shaded by its count (a heat map that
/// reads without script or colour: the count is written in it).
fn spread_table(lang: Lang, s: &Spread) -> Markup {
    let max = s.counts.values().copied().max().unwrap_or(1).max(1);
    html! {
        div.table-scroll { table.spread {
            thead { tr { th { (t(lang, M::SrCountry)) } @for m in &s.months { th.code.nowrap { (m) } } } }
            tbody { @for (c, first) in &s.countries { tr {
                th { (country_name(lang, c.as_str())) }
                @for m in &s.months {
                    @let n = s.count(*c, m);
                    @let level = if n == 0 { 0 } else { 1 + (n * 3 / max).min(3) };
                    @let is_first = first.format("%Y-%m").to_string() == *m;
                    td class={ "heat l" (level) } title=[is_first.then(|| first.to_string())] {
                        @if n > 0 { (n) @if is_first { "★" } }
                    }
                }
            } } }
        } }
        p.muted { (t(lang, M::EwSpreadNote)) }
    }
}

pub async fn substance(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
) -> Response {
    let lang = user.lang;
    let (s, spread, detections) = match app.detections().of_substance(&user.ctx, &id).await {
        Ok(v) => v,
        Err(e) => return error_page(&app, &user, &e),
    };
    let risks = match app.risk_communications().list(&user.ctx, Some(&id)).await {
        Ok(r) => r,
        Err(e) => return error_page(&app, &user, &e),
    };
    let seized = seized_under_names(&app, &user, &s).await;
    let name = shown(lang, &s);
    let body = html! {
        p { a href="/early-warning" { "← " (t(lang, M::EwTitle)) } }
        h1 { (name) }
        p { a href={ "/substances/" (s.id) } { (t(lang, M::EwRegistryEntry)) } }
        h2 { (t(lang, M::RiskTitle)) }
        @if risks.is_empty() { p.muted { (t(lang, M::RiskNone)) } } @else { (super::risk_pages::risk_list(lang, &risks, false)) }
        (super::risk_pages::issue_section(lang, &user, &s.id))
        h2 { (t(lang, M::EwSpreadTitle)) }
        @if spread.countries.is_empty() { p.muted { (t(lang, M::EwNone)) } } @else { (spread_table(lang, &spread)) }
        h2 { (t(lang, M::EwSeizures)) }
        @match seized {
            Some((tally, from)) if tally.count > 0 => {
                p { (M::EwSeizuresUnderNames.with(lang, &[
                    ("count", &tally.count.to_string()), ("kg", &format!("{:.1}", tally.kg)),
                    ("litres", &format!("{:.1}", tally.litres)), ("from", &from),
                ])) " " a href={ "/analysis?by=substance&from=" (from) } { (t(lang, M::EwSeizuresSee)) } }
            }
            _ => { p.muted { (t(lang, M::EwSeizuresNone)) } }
        }
        h2 { (t(lang, M::EwDetections)) }
        @if detections.is_empty() { p.muted { (t(lang, M::EwNone)) } } @else { (detections_table(lang, &detections, false)) }
    };
    render(&app, &user, &name, "/early-warning", body)
}
