//! The statistics page: shared filters, one tab per dimension, a chart and its table with the
//! comparison periods, and the same figures as CSV.

use std::sync::Arc;

use axum::{
    extract::State,
    http::Uri,
    response::{IntoResponse, Response},
};
use maud::{html, Markup};
use pamir_app::{
    analysis::{Routes, Statistic},
    App, AppError,
};
use pamir_domain::{
    analysis::{Dimension, Period, StatRow, Tally},
    schema::{Lang, SUBSTANCE_GROUPS},
};

use super::chart::{self, Bar};
use super::view::{change, country_short, key_label, number, read_query};
use crate::extract::{urlencode, WebUser};
use crate::web::{
    error_page,
    i18n::{t, M},
    layout::{country_name, error_box},
    render, FormData,
};

/// The query string without `by` (to link each tab with the same filters).
fn filters_query(form: &FormData) -> String {
    form.0
        .iter()
        .filter(|(k, v)| k != "by" && !v.trim().is_empty())
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn dimension_label(lang: Lang, d: Dimension) -> &'static str {
    pamir_i18n::text(lang, d.label_key())
}

/// The analysis views, each keeping the filters of the one it was reached from.
pub(super) fn views_nav(lang: Lang, here: &str) -> Markup {
    html! {
        nav.views aria-label=(t(lang, M::NavAnalysis)) {
            @for (href, label) in [("/analysis", M::AnTitle), ("/analysis/routes", M::AnRoutesTitle), ("/analysis/chart", M::AnChartTitle)] {
                @if href == here {
                    span.current aria-current="page" { (t(lang, label)) }
                } @else {
                    a href=(href) { (t(lang, label)) }
                }
            }
        }
    }
}

/// The filters every analysis view shares, as a GET form to `action` (with `hidden` fields of
/// the view's own), showing the period actually used.
async fn filters_form(
    app: &App,
    user: &WebUser,
    form: &FormData,
    period: Option<&Period>,
    action: &str,
    hidden: &[(&str, &str)],
) -> Markup {
    let lang = user.lang;
    let countries = app.list_countries().await.unwrap_or_default();
    let operations: Vec<(String, String)> = app
        .operations()
        .list(&user.ctx)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|o| user.ctx.subject.operations.contains(&o.id))
        .map(|o| (o.id, o.code_name))
        .collect();
    let chosen = |name: &str, v: &str| {
        form.all(name)
            .iter()
            .any(|x| x.split(',').any(|x| x.trim() == v))
    };
    let (from, to) = match period {
        Some(p) => (p.from.to_string(), p.to.to_string()),
        None => (form.text("from").to_string(), form.text("to").to_string()),
    };
    html! {
        form.filters method="get" action=(action) {
            @for (name, value) in hidden { input type="hidden" name=(name) value=(value); }
            div.row {
                label { (t(lang, M::AnFrom)) " " input type="date" name="from" value=(from) required; }
                label { (t(lang, M::AnTo)) " " input type="date" name="to" value=(to) required; }
                @if !operations.is_empty() {
                    label { (t(lang, M::AnOperation)) " "
                        select name="operation" {
                            option value="" { (t(lang, M::AnAnyOperation)) }
                            @for (id, name) in &operations { option value=(id) selected[form.get("operation") == Some(id.as_str())] { (name) } }
                        }
                    }
                }
            }
            details open[!form.all("country").is_empty() || !form.all("group").is_empty()] {
                summary { (t(lang, M::AnCountriesAndGroups)) }
                fieldset {
                    legend { (t(lang, M::AnSeizingCountry)) }
                    @for c in &countries {
                        label.check { input type="checkbox" name="country" value=(c.code) checked[chosen("country", c.code.as_str())]; " " (country_name(lang, c.code.as_str())) }
                    }
                }
                fieldset {
                    legend { (t(lang, M::AnGroups)) }
                    @for g in SUBSTANCE_GROUPS.codes() {
                        label.check { input type="checkbox" name="group" value=(g) checked[chosen("group", g)]; " " (SUBSTANCE_GROUPS.label(g, lang).unwrap_or(g)) }
                    }
                }
            }
            button type="submit" { (t(lang, M::AnShow)) }
        }
    }
}

pub async fn statistics(State(app): State<Arc<App>>, user: WebUser, uri: Uri) -> Response {
    let lang = user.lang;
    let (form, raw, by) = read_query(uri.query());
    let result = app
        .analysis()
        .seizure_statistics(&user.ctx, &raw, by.as_deref())
        .await;
    if let Err(e @ AppError::Forbidden(_)) = &result {
        return error_page(&app, &user, e);
    }
    let current = result
        .as_ref()
        .map(|s| s.by)
        .unwrap_or(Dimension::SubstanceGroup);
    let period = result.as_ref().ok().map(|s| s.filters.period);
    let filters = filters_form(
        &app,
        &user,
        &form,
        period.as_ref(),
        "/analysis",
        &[("by", current.as_str())],
    )
    .await;
    let qs = filters_query(&form);
    let body = html! {
        (views_nav(lang, "/analysis"))
        h1 { (t(lang, M::AnTitle)) }
        p.muted { (t(lang, M::AnIntro)) }
        (filters)
        nav.tabs aria-label=(t(lang, M::AnBy)) {
            @for d in Dimension::ALL {
                @if d == current {
                    span.current aria-current="page" { (dimension_label(lang, d)) }
                } @else {
                    a href={ "/analysis?by=" (d.as_str()) @if !qs.is_empty() { "&" (qs) } } { (dimension_label(lang, d)) }
                }
            }
        }
        @match &result {
            Err(e) => { (error_box(lang, e)) }
            Ok(s) => { (statistic(lang, s, &qs)) }
        }
    };
    render(&app, &user, t(lang, M::AnTitle), "/analysis", body)
}

fn tally_cells(lang: Lang, t: &Tally) -> Markup {
    html! {
        td.num { (number(lang, t.count as f64)) }
        td.num { (number(lang, t.kg)) }
        td.num { (number(lang, t.litres)) }
        td.num { (number(lang, t.units)) }
    }
}

fn statistic(lang: Lang, s: &Statistic, qs: &str) -> Markup {
    let months = s.by == Dimension::Month;
    let p = &s.filters.period;
    let (prev, year) = (p.previous(), p.year_before());
    let shown = |r: &StatRow| number(lang, r.current.count as f64);
    let bars: Vec<Bar> = s
        .rows
        .iter()
        .take(if months { usize::MAX } else { 20 })
        .map(|r| Bar {
            label: if months {
                r.key.clone()
            } else {
                key_label(lang, s.by, &r.key)
            },
            value: r.current.count as f64,
            earlier: Some(r.year_before.count as f64),
            shown: shown(r),
        })
        .collect();
    let title = format!(
        "{} — {}",
        t(lang, M::AnSeizures),
        dimension_label(lang, s.by)
    );
    let legend = (t(lang, M::AnThisPeriod), t(lang, M::AnYearBefore));
    let max_shown = number(
        lang,
        bars.iter()
            .flat_map(|b| [b.value, b.earlier.unwrap_or(0.0)])
            .fold(0.0, f64::max),
    );
    let csv_href = format!(
        "/analysis/seizures.csv?by={}{}{}",
        s.by.as_str(),
        if qs.is_empty() { "" } else { "&" },
        qs
    );
    html! {
        section.summary aria-label=(t(lang, M::AnTotal)) {
            div.table-scroll { table.totals {
                thead { tr { th {} th.num { (t(lang, M::AnSeizures)) } th.num { (t(lang, M::AnKg)) } th.num { (t(lang, M::AnLitres)) } th.num { (t(lang, M::AnUnits)) } th.num { "Δ" } } }
                tbody {
                    tr { th scope="row" { (t(lang, M::AnThisPeriod)) " " span.muted { (p.from) " – " (p.to) } } (tally_cells(lang, &s.total.current)) td {} }
                    tr { th scope="row" { (t(lang, M::AnPreviousPeriod)) " " span.muted { (prev.from) " – " (prev.to) } } (tally_cells(lang, &s.total.previous)) td.num { (change(lang, &s.total.current, &s.total.previous)) } }
                    tr { th scope="row" { (t(lang, M::AnYearBefore)) " " span.muted { (year.from) " – " (year.to) } } (tally_cells(lang, &s.total.year_before)) td.num { (change(lang, &s.total.current, &s.total.year_before)) } }
                }
            } }
        }
        @if s.rows.iter().all(|r| r.current.count == 0) {
            p.empty { (t(lang, M::AnNothing)) }
        } @else {
            figure.chart {
                @if months { (chart::columns(&title, legend, &bars, &max_shown)) } @else { (chart::bars(&title, legend, &bars)) }
                @if !months && s.rows.len() > bars.len() {
                    figcaption.muted { (M::AnTopShown.with(lang, &[("shown", &bars.len().to_string()), ("all", &s.rows.len().to_string())])) }
                }
            }
        }
        div.table-scroll {
            table.stats {
                caption { (title) }
                thead { tr {
                    th scope="col" { (dimension_label(lang, s.by)) }
                    th.num scope="col" { (t(lang, M::AnSeizures)) }
                    th.num scope="col" { (t(lang, M::AnKg)) }
                    th.num scope="col" { (t(lang, M::AnLitres)) }
                    th.num scope="col" { (t(lang, M::AnUnits)) }
                    @if !months {
                        th.num scope="col" { (t(lang, M::AnPreviousPeriod)) }
                        th.num scope="col" { "Δ" }
                    }
                    th.num scope="col" { (t(lang, M::AnYearBefore)) }
                    th.num scope="col" { "Δ" }
                } }
                tbody {
                    @for r in &s.rows {
                        tr {
                            th scope="row" { (key_label(lang, s.by, &r.key)) }
                            (tally_cells(lang, &r.current))
                            @if !months {
                                td.num { (number(lang, r.previous.count as f64)) }
                                td.num { (change(lang, &r.current, &r.previous)) }
                            }
                            td.num { (number(lang, r.year_before.count as f64)) }
                            td.num { (change(lang, &r.current, &r.year_before)) }
                        }
                    }
                }
            }
        }
        p {
            a href=(csv_href) download { (t(lang, M::AnCsv)) }
            " · "
            a href={ "/api/v1/analysis/seizures?by=" (s.by.as_str()) @if !qs.is_empty() { "&" (qs) } } { (t(lang, M::AnApi)) }
        }
        p.muted.small { (t(lang, M::AnQuantitiesNote)) }
    }
}

/// The same statistic as CSV, for the signed-in browser.
pub async fn csv(State(app): State<Arc<App>>, user: WebUser, uri: Uri) -> Response {
    let (_, raw, by) = read_query(uri.query());
    match app
        .analysis()
        .seizure_statistics(&user.ctx, &raw, by.as_deref())
        .await
    {
        Ok(s) => super::api::csv_response(user.lang, &s),
        Err(e) => error_page(&app, &user, &e).into_response(),
    }
}

/// The routes page: the legs of the reported routes on the map (width by number of seizures or
/// by mass), the table of legs and the table of whole routes, each against the period before.
pub async fn routes(State(app): State<Arc<App>>, user: WebUser, uri: Uri) -> Response {
    let lang = user.lang;
    let (form, raw, _) = read_query(uri.query());
    let by_kg = form.get("weight") == Some("kg");
    let result = app.analysis().routes(&user.ctx, &raw).await;
    if let Err(e @ AppError::Forbidden(_)) = &result {
        return error_page(&app, &user, e);
    }
    let period = result.as_ref().ok().map(|r| r.filters.period);
    let weight = if by_kg { "kg" } else { "count" };
    let filters = filters_form(
        &app,
        &user,
        &form,
        period.as_ref(),
        "/analysis/routes",
        &[("weight", weight)],
    )
    .await;
    let qs = filters_query(&form);
    let body = html! {
        (views_nav(lang, "/analysis/routes"))
        h1 { (t(lang, M::AnRoutesTitle)) }
        p.muted { (t(lang, M::AnRoutesIntro)) }
        (filters)
        @match &result {
            Err(e) => { (error_box(lang, e)) }
            Ok(r) => { (routes_view(lang, r, by_kg, &qs)) }
        }
    };
    render(&app, &user, t(lang, M::AnRoutesTitle), "/analysis", body)
}

/// The legs drawn on the map: the strongest, so that the map stays readable.
const MAP_LEGS: usize = 30;

fn routes_view(lang: Lang, r: &Routes, by_kg: bool, qs: &str) -> Markup {
    use pamir_map::{anchor, Drawing, Flow, Route, Stop};
    let value = |t: &Tally| if by_kg { t.kg } else { t.count as f64 };
    let drawn: Vec<_> = r
        .flows
        .iter()
        .filter(|f| value(&f.current) > 0.0)
        .take(MAP_LEGS)
        .collect();
    let max = drawn.iter().map(|f| value(&f.current)).fold(0.0, f64::max);
    let mut codes: Vec<String> = Vec::new();
    let mut stops: Vec<Stop> = Vec::new();
    let mut flows = Vec::new();
    let mut missing = std::collections::BTreeSet::new();
    for f in &drawn {
        let mut at = |code: &str| -> Option<usize> {
            if let Some(i) = codes.iter().position(|c| *c == code) {
                return Some(i);
            }
            let Some((lon, lat)) = anchor(code) else {
                missing.insert(code.to_string());
                return None;
            };
            codes.push(code.to_string());
            stops.push(Stop {
                lon,
                lat,
                label: country_short(lang, code),
            });
            Some(stops.len() - 1)
        };
        if let (Some(a), Some(b)) = (at(&f.from), at(&f.to)) {
            flows.push(Flow {
                from: a,
                to: b,
                weight: if max > 0.0 {
                    value(&f.current) / max
                } else {
                    0.0
                },
                title: format!(
                    "{} → {}: {} {}, {} {}",
                    country_short(lang, &f.from),
                    country_short(lang, &f.to),
                    number(lang, f.current.count as f64),
                    t(lang, M::AnSeizures).to_lowercase(),
                    number(lang, f.current.kg),
                    t(lang, M::AnKg)
                ),
            });
        }
    }
    let p = &r.filters.period;
    let title = M::AnMapTitle.with(
        lang,
        &[("from", &p.from.to_string()), ("to", &p.to.to_string())],
    );
    let map = pamir_map::svg(&Drawing {
        highlight: codes.iter().map(String::as_str).collect(),
        route: Route {
            stops,
            flows,
            ..Default::default()
        },
        title: &title,
    });
    let here = |weight: &str| {
        let mut q = format!("/analysis/routes?weight={weight}");
        if !qs.is_empty() {
            q.push('&');
            q.push_str(
                &qs.split('&')
                    .filter(|kv| !kv.starts_with("weight="))
                    .collect::<Vec<_>>()
                    .join("&"),
            );
        }
        q
    };
    let sep = if qs.is_empty() { "" } else { "&" };
    html! {
        @if r.flows.is_empty() {
            p.empty { (t(lang, M::AnNoRoutes)) }
        } @else {
            figure.route-map {
                (maud::PreEscaped(map))
                figcaption.muted {
                    (t(lang, M::AnWidthBy)) " "
                    @if by_kg { a href=(here("count")) { (t(lang, M::AnSeizures)) } " · " strong { (t(lang, M::AnKg)) } }
                    @else { strong { (t(lang, M::AnSeizures)) } " · " a href=(here("kg")) { (t(lang, M::AnKg)) } }
                    @if r.flows.len() > drawn.len() {
                        ". " (M::AnTopShown.with(lang, &[("shown", &drawn.len().to_string()), ("all", &r.flows.len().to_string())]))
                    }
                    @if !missing.is_empty() {
                        ". " (M::AnNotOnMap.with(lang, &[("countries", &missing.iter().map(|c| country_short(lang, c)).collect::<Vec<_>>().join(", "))]))
                    }
                }
            }
            div.table-scroll {
                table.stats.legs {
                    caption { (t(lang, M::AnLegs)) }
                    thead { tr {
                        th scope="col" { (t(lang, M::AnLegFrom)) }
                        th scope="col" { (t(lang, M::AnLegTo)) }
                        th.num scope="col" { (t(lang, M::AnSeizures)) }
                        th.num scope="col" { (t(lang, M::AnKg)) }
                        th.num scope="col" { (t(lang, M::AnPreviousPeriod)) }
                        th.num scope="col" { "Δ" }
                    } }
                    tbody {
                        @for f in &r.flows {
                            tr {
                                th scope="row" { (country_short(lang, &f.from)) }
                                td { (country_short(lang, &f.to)) }
                                td.num { (number(lang, f.current.count as f64)) }
                                td.num { (number(lang, f.current.kg)) }
                                td.num { (number(lang, f.previous.count as f64)) }
                                td.num { (change(lang, &f.current, &f.previous)) }
                            }
                        }
                    }
                }
            }
            div.table-scroll {
                table.stats.paths {
                    caption { (t(lang, M::AnPaths)) }
                    thead { tr {
                        th scope="col" { (pamir_i18n::text(lang, Dimension::Path.label_key())) }
                        th.num scope="col" { (t(lang, M::AnSeizures)) }
                        th.num scope="col" { (t(lang, M::AnKg)) }
                        th.num scope="col" { (t(lang, M::AnLitres)) }
                        th.num scope="col" { (t(lang, M::AnUnits)) }
                        th.num scope="col" { (t(lang, M::AnPreviousPeriod)) }
                        th.num scope="col" { "Δ" }
                    } }
                    tbody {
                        @for row in &r.paths {
                            tr {
                                th scope="row" { (key_label(lang, Dimension::Path, &row.key)) }
                                (tally_cells(lang, &row.current))
                                td.num { (number(lang, row.previous.count as f64)) }
                                td.num { (change(lang, &row.current, &row.previous)) }
                            }
                        }
                    }
                }
            }
            p {
                a href={ "/analysis/routes.csv?" (qs) } download { (t(lang, M::AnCsvLegs)) }
                " · "
                a href={ "/analysis/seizures.csv?by=path" (sep) (qs) } download { (t(lang, M::AnCsvPaths)) }
                " · "
                a href={ "/api/v1/analysis/routes?" (qs) } { (t(lang, M::AnApi)) }
            }
        }
    }
}

/// The legs as CSV, for the signed-in browser.
pub async fn routes_csv(State(app): State<Arc<App>>, user: WebUser, uri: Uri) -> Response {
    let (_, raw, _) = read_query(uri.query());
    match app.analysis().routes(&user.ctx, &raw).await {
        Ok(r) => super::api::legs_csv_response(user.lang, &r),
        Err(e) => error_page(&app, &user, &e).into_response(),
    }
}
