//! Analysis as a service, reached as `app.analysis()`: seizure statistics over exactly what the
//! reader may see in full, with the same period before and a year before to compare against.
//! Every query is on the audit trail with its filters: aggregates are information too.

use pamir_domain::{
    analysis::{flows, parse_dimension, Dimension, Filters, Flow, RawFilters, StatRow, Tallied},
    audit::Action,
    error::Reason,
    ValidationErrors,
};
use serde_json::json;

use crate::{App, AppError, AppResult, UserContext};

pub mod chart;

/// A statistic as computed: what was asked, its rows (largest first; months in order) and the
/// totals of every row.
#[derive(Debug, Clone, PartialEq)]
pub struct Statistic {
    pub filters: Filters,
    pub by: Dimension,
    pub rows: Vec<StatRow>,
    pub total: StatRow,
}

/// The routes of the seizures in a period: every reported route (origin, transit countries,
/// destination) with its tallies, and the legs they add up to, strongest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Routes {
    pub filters: Filters,
    pub paths: Vec<StatRow>,
    pub flows: Vec<Flow>,
}

#[derive(Clone, Copy)]
pub struct Analysis<'a> {
    app: &'a App,
}

impl App {
    pub fn analysis(&self) -> Analysis<'_> {
        Analysis { app: self }
    }
}

impl<'a> Analysis<'a> {
    /// Checks filters as given: the period, ISO countries, known substance groups, and an
    /// operation the reader takes part in (any other reads as unknown, so that the answer says
    /// nothing of operations the reader may not see).
    pub fn check_filters(&self, ctx: &UserContext, raw: &RawFilters) -> AppResult<Filters> {
        let filters = raw
            .check(self.app.clock.today())
            .map_err(AppError::Invalid)?;
        if let Some(op) = &filters.operation {
            if !ctx.subject.operations.contains(op) {
                return Err(AppError::Invalid(ValidationErrors::single(
                    "operation",
                    Reason::coded(
                        "analysis-operation-unknown",
                        &[("value", &format!("{op:?}"))],
                    ),
                )));
            }
        }
        Ok(filters)
    }

    /// The routes of the seizures the filters select, against the period before. Audited.
    pub async fn routes(&self, ctx: &UserContext, raw: &RawFilters) -> AppResult<Routes> {
        let stat = self.statistic(ctx, raw, Some("path"), "routes").await?;
        let mut paths = stat.rows;
        // Seizures that name no country of their route make no route.
        paths.retain(|r| !pamir_domain::analysis::path_stops(&r.key).is_empty());
        Ok(Routes {
            flows: flows(&paths),
            filters: stat.filters,
            paths,
        })
    }

    /// The seizure statistic of `by` (a dimension's name; substance group when absent).
    pub async fn seizure_statistics(
        &self,
        ctx: &UserContext,
        raw: &RawFilters,
        by: Option<&str>,
    ) -> AppResult<Statistic> {
        self.statistic(ctx, raw, by, "statistics").await
    }

    async fn statistic(
        &self,
        ctx: &UserContext,
        raw: &RawFilters,
        by: Option<&str>,
        view: &str,
    ) -> AppResult<Statistic> {
        let Some(access) = ctx.subject.full_access_filter() else {
            let e = AppError::Forbidden("your roles do not include reading records".into());
            return Err(self
                .app
                .refused(ctx, &format!("analysis.{view}"), "seizures", e)
                .await);
        };
        let mut errors = ValidationErrors::default();
        let filters = match self.check_filters(ctx, raw) {
            Ok(f) => Some(f),
            Err(AppError::Invalid(e)) => {
                errors.extend(e);
                None
            }
            Err(e) => return Err(e),
        };
        let by = parse_dimension(by).map_err(|e| errors.extend(e)).ok();
        let (Some(filters), Some(by)) = (filters, by) else {
            return Err(AppError::Invalid(errors));
        };
        let Tallied { rows, total } = self
            .app
            .store
            .seizure_statistics(&access, &filters, by)
            .await?;
        self.app
            .store
            .audit(
                &ctx.draft(Action::AnalysisQuery, "seizures").details(json!({
                    "view": view,
                    "by": by.as_str(),
                    "from": filters.period.from.to_string(),
                    "to": filters.period.to.to_string(),
                    "countries": filters.countries.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                    "groups": filters.groups,
                    "operation": filters.operation,
                    "seizures": total.current.count,
                })),
            )
            .await?;
        Ok(Statistic {
            filters,
            by,
            rows,
            total,
        })
    }
}
