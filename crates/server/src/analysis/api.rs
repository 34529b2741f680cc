//! The analysis API: seizure statistics as JSON or CSV.

use std::sync::Arc;

use axum::{
    extract::State,
    http::Uri,
    response::{IntoResponse, Response},
    Json,
};
use pamir_app::{
    analysis::{Routes, Statistic},
    App, AppError,
};
use pamir_domain::{
    analysis::{Dimension, Flow, Period, StatRow, Tally},
    schema::Lang,
    ValidationErrors,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::view::{country_short, csv, download, key_label, lang_param, legs_csv, read_query};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiUser;

#[derive(Serialize, ToSchema)]
pub struct PeriodOut {
    pub from: String,
    pub to: String,
}

impl PeriodOut {
    fn of(p: &Period) -> PeriodOut {
        PeriodOut {
            from: p.from.to_string(),
            to: p.to.to_string(),
        }
    }
}

/// Seizures and their quantities by kind: mass in kilograms (grams converted), volume in
/// litres, counted items (tablets, units).
#[derive(Serialize, ToSchema)]
pub struct TallyOut {
    pub count: i64,
    pub kg: f64,
    pub litres: f64,
    pub units: f64,
}

impl TallyOut {
    fn of(t: &Tally) -> TallyOut {
        TallyOut {
            count: t.count,
            kg: t.kg,
            litres: t.litres,
            units: t.units,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RowOut {
    /// The value grouped by (`""` when not stated; a route is `ORIGIN>DESTINATION`).
    pub key: String,
    pub label: String,
    pub current: TallyOut,
    /// The period of the same length before (absent for months).
    pub previous: Option<TallyOut>,
    /// The same period a year before (for months, the same month a year before).
    pub year_before: TallyOut,
    /// Change of the count against the previous period, in per cent; null when it had none.
    pub change_previous_pct: Option<f64>,
    pub change_year_pct: Option<f64>,
}

impl RowOut {
    fn of(lang: Lang, by: Dimension, r: &StatRow, label: Option<String>) -> RowOut {
        let months = by == Dimension::Month && label.is_none();
        RowOut {
            key: r.key.clone(),
            label: label.unwrap_or_else(|| key_label(lang, by, &r.key)),
            current: TallyOut::of(&r.current),
            previous: (!months).then(|| TallyOut::of(&r.previous)),
            year_before: TallyOut::of(&r.year_before),
            change_previous_pct: if months {
                None
            } else {
                r.current.change_pct(&r.previous)
            },
            change_year_pct: r.current.change_pct(&r.year_before),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct StatisticOut {
    pub by: String,
    pub period: PeriodOut,
    pub previous: PeriodOut,
    pub year_before: PeriodOut,
    pub countries: Vec<String>,
    pub groups: Vec<String>,
    pub operation: Option<String>,
    /// Largest first (months in order).
    pub rows: Vec<RowOut>,
    pub total: RowOut,
}

impl StatisticOut {
    pub fn of(lang: Lang, s: &Statistic) -> StatisticOut {
        let f = &s.filters;
        StatisticOut {
            by: s.by.as_str().to_string(),
            period: PeriodOut::of(&f.period),
            previous: PeriodOut::of(&f.period.previous()),
            year_before: PeriodOut::of(&f.period.year_before()),
            countries: f.countries.iter().map(|c| c.as_str().to_string()).collect(),
            groups: f.groups.iter().cloned().collect(),
            operation: f.operation.clone(),
            rows: s
                .rows
                .iter()
                .map(|r| RowOut::of(lang, s.by, r, None))
                .collect(),
            total: RowOut::of(
                lang,
                s.by,
                &s.total,
                Some(crate::web::i18n::t(lang, crate::web::i18n::M::AnTotal).to_string()),
            ),
        }
    }
}

/// The query parameters of the statistics, documented for OpenAPI; they are read from the query
/// string directly (countries and groups may repeat).
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct StatisticParams {
    /// substance_group (default), substance, country, month, transport, concealment, detection or route.
    by: Option<String>,
    /// First day, YYYY-MM-DD (default: a year before `to`).
    from: Option<String>,
    /// Last day, YYYY-MM-DD (default: today).
    to: Option<String>,
    /// Seizing country (ISO 3166-1 alpha-2); repeat or separate with commas.
    country: Option<String>,
    /// Substance group; repeat or separate with commas.
    group: Option<String>,
    /// Only seizures in the scope of this operation (one you take part in).
    operation: Option<String>,
    /// `json` (default) or `csv`.
    format: Option<String>,
    /// Language of labels: `en` (default) or `ru`.
    lang: Option<String>,
}

/// Seizure statistics over what you may read in full: counts and quantities by a dimension for
/// the period, the period before and the same period a year before. Audited.
#[utoipa::path(get, path = "/api/v1/analysis/seizures", tag = "analysis", params(StatisticParams),
    responses((status = 200, body = StatisticOut, description = "JSON, or CSV with format=csv"),
              (status = 403, body = crate::api::types::ErrorBody), (status = 422, body = crate::api::types::ErrorBody)),
    security(("bearer" = [])))]
pub async fn seizures(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    uri: Uri,
) -> ApiResult<Response> {
    let (form, raw, by) = read_query(uri.query());
    let (lang, csv_wanted) = output_of(&form)?;
    let stat = app
        .analysis()
        .seizure_statistics(&ctx, &raw, by.as_deref())
        .await?;
    if csv_wanted {
        return Ok(csv_response(lang, &stat));
    }
    Ok(Json(StatisticOut::of(lang, &stat)).into_response())
}

/// The language of labels and whether CSV is wanted, from `lang` and `format`.
fn output_of(form: &crate::web::FormData) -> Result<(Lang, bool), ApiError> {
    let mut errors = ValidationErrors::default();
    let lang = lang_param(form, &mut errors);
    let format = form.get("format").unwrap_or("json");
    if !matches!(format, "json" | "csv") {
        errors.push(
            "format",
            pamir_domain::error::Reason::coded(
                "value-not-one-of",
                &[("value", &format!("{format:?}")), ("allowed", &"json, csv")],
            ),
        );
    }
    if !errors.is_empty() {
        return Err(ApiError::from(AppError::Invalid(errors)));
    }
    Ok((lang, format == "csv"))
}

/// The statistic as a CSV download.
pub fn csv_response(lang: Lang, s: &Statistic) -> Response {
    let p = &s.filters.period;
    let name = format!("seizures-by-{}-{}-{}.csv", s.by.as_str(), p.from, p.to);
    download("text/csv; charset=utf-8", &name, csv(lang, s))
}

/// The legs as a CSV download.
pub fn legs_csv_response(lang: Lang, r: &Routes) -> Response {
    let name = format!(
        "routes-{}-{}.csv",
        r.filters.period.from, r.filters.period.to
    );
    download("text/csv; charset=utf-8", &name, legs_csv(lang, r))
}

/// One leg of the reported routes: seizures whose route goes from one country to the next.
#[derive(Serialize, ToSchema)]
pub struct LegOut {
    pub from: String,
    pub to: String,
    pub from_label: String,
    pub to_label: String,
    pub current: TallyOut,
    pub previous: TallyOut,
    pub change_previous_pct: Option<f64>,
}

impl LegOut {
    fn of(lang: Lang, f: &Flow) -> LegOut {
        LegOut {
            from: f.from.clone(),
            to: f.to.clone(),
            from_label: country_short(lang, &f.from),
            to_label: country_short(lang, &f.to),
            current: TallyOut::of(&f.current),
            previous: TallyOut::of(&f.previous),
            change_previous_pct: f.current.change_pct(&f.previous),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RoutesOut {
    pub period: PeriodOut,
    pub previous: PeriodOut,
    /// Legs (country to next country), strongest first; a seizure counts once on each leg of
    /// its route.
    pub legs: Vec<LegOut>,
    /// Whole routes as reported (`ORIGIN|TRANSIT …|DESTINATION`), strongest first.
    pub routes: Vec<RowOut>,
}

/// The routes of the seizures you may read in full: legs and whole routes (origin, transit
/// countries, destination) over the period, against the period before. Audited.
#[utoipa::path(get, path = "/api/v1/analysis/routes", tag = "analysis", params(StatisticParams),
    responses((status = 200, body = RoutesOut, description = "JSON, or the legs as CSV with format=csv (`by` is ignored)"),
              (status = 403, body = crate::api::types::ErrorBody), (status = 422, body = crate::api::types::ErrorBody)),
    security(("bearer" = [])))]
pub async fn routes(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    uri: Uri,
) -> ApiResult<Response> {
    let (form, raw, _) = read_query(uri.query());
    let (lang, csv_wanted) = output_of(&form)?;
    let r = app.analysis().routes(&ctx, &raw).await?;
    if csv_wanted {
        return Ok(legs_csv_response(lang, &r));
    }
    let p = &r.filters.period;
    Ok(Json(RoutesOut {
        period: PeriodOut::of(p),
        previous: PeriodOut::of(&p.previous()),
        legs: r.flows.iter().map(|f| LegOut::of(lang, f)).collect(),
        routes: r
            .paths
            .iter()
            .map(|row| RowOut::of(lang, Dimension::Path, row, None))
            .collect(),
    })
    .into_response())
}
