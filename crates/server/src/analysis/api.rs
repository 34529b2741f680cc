//! The analysis API: seizure statistics as JSON or CSV.

use std::sync::Arc;

use axum::{
    extract::State,
    http::{header, Uri},
    response::{IntoResponse, Response},
    Json,
};
use pamir_app::{analysis::Statistic, App, AppError};
use pamir_domain::{
    analysis::{Dimension, Period, StatRow, Tally},
    schema::Lang,
    ValidationErrors,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::view::{csv, key_label, read_query};
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
    let mut errors = ValidationErrors::default();
    let lang = match form.get("lang") {
        None => Lang::EN,
        Some(l) => Lang::parse(l).unwrap_or_else(|| {
            errors.push(
                "lang",
                pamir_domain::error::Reason::coded("language-unknown", &[("languages", &"en, ru")]),
            );
            Lang::EN
        }),
    };
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
    let stat = app
        .analysis()
        .seizure_statistics(&ctx, &raw, by.as_deref())
        .await?;
    if format == "csv" {
        return Ok(csv_response(lang, &stat));
    }
    Ok(Json(StatisticOut::of(lang, &stat)).into_response())
}

/// The statistic as a CSV download.
pub fn csv_response(lang: Lang, s: &Statistic) -> Response {
    let name = format!(
        "seizures-by-{}-{}-{}.csv",
        s.by.as_str(),
        s.filters.period.from,
        s.filters.period.to
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        csv(lang, s),
    )
        .into_response()
}
