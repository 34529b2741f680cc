//! Tasks of an operation: who does what by when, how a task's status may move, and when it is
//! overdue. Pure: today's date is passed in.

use std::{fmt, str::FromStr};

use chrono::NaiveDate;
use serde_json::Value;

use crate::{
    access::Subject,
    error::{Reason, ValidationErrors},
    identity::{str_enum, AgencyCode},
    operation::{full_date, OperationScope, Party, Standing},
};

str_enum! {
    /// Where a task stands.
    TaskStatus ("task status") {
        Open = "open",
        InProgress = "in_progress",
        Done = "done",
        Cancelled = "cancelled",
    }
}

impl TaskStatus {
    pub fn label_key(self) -> String {
        format!("task-status-{}", self.as_str())
    }

    /// Whether the task still needs doing (and so can be late).
    pub fn pending(self) -> bool {
        matches!(self, TaskStatus::Open | TaskStatus::InProgress)
    }

    /// The moves a task may make: work starts, stops or ends; a finished or cancelled task is
    /// closed for good (a new task says what else is needed).
    pub fn may_become(self, next: TaskStatus) -> bool {
        use TaskStatus::*;
        matches!(
            (self, next),
            (Open, InProgress | Done | Cancelled) | (InProgress, Open | Done | Cancelled)
        )
    }
}

/// The catalogue keys of the task statuses.
pub fn label_keys() -> impl Iterator<Item = String> {
    TaskStatus::ALL.iter().map(|s| s.label_key())
}

pub const TITLE_MAX: usize = 200;
pub const TEXT_MAX: usize = 10_000;

/// A new task as a coordinator sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskDraft {
    pub title: String,
    pub description: String,
    pub assignee: AgencyCode,
    pub due: NaiveDate,
    /// When the assignee is reminded; on or before the due date.
    pub remind: Option<NaiveDate>,
}

impl TaskDraft {
    /// Parses `{"title", "description"?, "assignee", "due", "remind"?}`, naming each bad field.
    /// The due date may not be in the past.
    pub fn parse(v: &Value, today: NaiveDate) -> Result<TaskDraft, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let Some(obj) = v.as_object() else {
            return Err(ValidationErrors::single(
                "",
                Reason::coded("entity-not-object", &[]),
            ));
        };
        const FIELDS: &[&str] = &["title", "description", "assignee", "due", "remind"];
        for key in obj.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
            errors.push(key.clone(), Reason::coded("field-unknown", &[]));
        }
        let mut text = |field: &str, required: bool| {
            crate::operation::text_field(obj, field, required, &mut errors)
        };
        let title = text("title", true);
        let description = text("description", false).unwrap_or_default();
        let assignee = text("assignee", true);
        let due = text("due", true);
        let remind = text("remind", false);
        let mut take = |field: &str, r: Result<(), Reason>| {
            if let Err(r) = r {
                errors.push(field, r);
            }
        };
        if let Some(t) = &title {
            take("title", crate::operation::one_line(t, TITLE_MAX));
        }
        take(
            "description",
            crate::operation::many_lines(&description, TEXT_MAX),
        );
        let assignee = assignee.and_then(|a| {
            AgencyCode::parse(&a)
                .map_err(|r| errors.push("assignee", r))
                .ok()
        });
        let due = due.and_then(|d| full_date(&d).map_err(|r| errors.push("due", r)).ok());
        let remind = match remind {
            Some(r) => match full_date(&r) {
                Ok(d) => Some(Some(d)),
                Err(reason) => {
                    errors.push("remind", reason);
                    None
                }
            },
            None => Some(None),
        };
        if let Some(d) = due {
            if d < today {
                errors.push("due", Reason::coded("task-due-past", &[("today", &today)]));
            }
            if let Some(Some(r)) = remind {
                if r > d {
                    errors.push(
                        "remind",
                        Reason::coded("task-remind-after-due", &[("due", &d)]),
                    );
                }
            }
        }
        match (title, assignee, due, remind) {
            (Some(title), Some(assignee), Some(due), Some(remind)) if errors.is_empty() => {
                Ok(TaskDraft {
                    title,
                    description,
                    assignee,
                    due,
                    remind,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Whether `agency` takes part in the operation and so may be given a task: the coordinating
/// agency, an accepted agency, or an agency of an accepted country.
pub fn may_be_assigned(scope: &OperationScope, agency: &AgencyCode) -> bool {
    scope.coordinator.as_ref() == Some(agency)
        || scope.members.iter().any(|p| match p {
            Party::Agency(a) => a == agency,
            Party::Country(c) => *c == agency.country(),
        })
}

/// Whether the subject (who stands as `standing` in the operation) may move a task assigned
/// to `assignee` to `next`: the assignee's users work on it; a coordinator may also cancel or
/// reopen it.
pub fn may_set_status(
    subject: &Subject,
    standing: Standing,
    assignee: &AgencyCode,
    next: TaskStatus,
) -> bool {
    let assigned = &subject.agency == assignee && subject.roles.iter().any(|r| r.writes_records());
    match next {
        TaskStatus::Cancelled => standing == Standing::Coordinator,
        _ => assigned || standing == Standing::Coordinator,
    }
}

/// Whether a task is late on `today`.
pub fn overdue(status: TaskStatus, due: NaiveDate, today: NaiveDate) -> bool {
    status.pending() && due < today
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{classification::Classification, country::CountryStatus, Role};
    use serde_json::json;

    fn day(s: &str) -> NaiveDate {
        full_date(s).unwrap()
    }

    #[test]
    fn statuses_move_in_order() {
        use TaskStatus::*;
        assert!(Open.may_become(InProgress) && InProgress.may_become(Done));
        assert!(InProgress.may_become(Open) && Open.may_become(Cancelled));
        for closed in [Done, Cancelled] {
            for next in TaskStatus::ALL {
                assert!(!closed.may_become(*next), "{closed} -> {next}");
            }
        }
        assert!(!Open.may_become(Open));
        assert!(overdue(Open, day("2026-12-01"), day("2026-12-02")));
        assert!(!overdue(Open, day("2026-12-02"), day("2026-12-02")));
        assert!(!overdue(Done, day("2026-12-01"), day("2026-12-09")));
    }

    #[test]
    fn drafts_name_each_bad_field() {
        let today = day("2026-12-07");
        let ok = TaskDraft::parse(
            &json!({"title": "Fit the tracker", "assignee": "tj-akn", "due": "2026-12-10", "remind": "2026-12-09"}),
            today,
        )
        .unwrap();
        assert_eq!(ok.assignee.as_str(), "TJ-AKN");
        let bad = TaskDraft::parse(
            &json!({"title": "", "assignee": "TJ", "due": "2026-12-01", "remind": "2026-12-08", "x": 1}),
            today,
        )
        .unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["x", "title", "assignee", "due", "remind"]);
        let late = TaskDraft::parse(
            &json!({"title": "t", "assignee": "TJ-AKN", "due": "2026-12-08", "remind": "2026-12-09"}),
            today,
        )
        .unwrap_err();
        assert_eq!(late.0[0].reason.key(), Some("task-remind-after-due"));
    }

    #[test]
    fn only_participants_are_assigned_and_only_assignees_work() {
        let scope = OperationScope {
            coordinator: Some(AgencyCode::parse("XC-CARICC").unwrap()),
            classification: Classification::Restricted,
            members: [Party::parse("TJ-AKN").unwrap(), Party::parse("UZ").unwrap()].into(),
            invited: [Party::parse("KZ-MVD").unwrap()].into(),
        };
        let a = |s: &str| AgencyCode::parse(s).unwrap();
        assert!(may_be_assigned(&scope, &a("TJ-AKN")));
        assert!(may_be_assigned(&scope, &a("UZ-IIV")));
        assert!(may_be_assigned(&scope, &a("XC-CARICC")));
        assert!(!may_be_assigned(&scope, &a("KZ-MVD")), "invited only");
        assert!(!may_be_assigned(&scope, &a("KG-MVD")));

        let tj = Subject {
            username: crate::Username::parse("tj.officer").unwrap(),
            agency: a("TJ-AKN"),
            country: a("TJ-AKN").country(),
            country_status: CountryStatus::Member,
            roles: [Role::Officer].into(),
            clearance: Classification::Secret,
            active: true,
            operations: Default::default(),
        };
        assert!(may_set_status(
            &tj,
            Standing::Member,
            &a("TJ-AKN"),
            TaskStatus::Done
        ));
        assert!(!may_set_status(
            &tj,
            Standing::Member,
            &a("TJ-AKN"),
            TaskStatus::Cancelled
        ));
        assert!(!may_set_status(
            &tj,
            Standing::Member,
            &a("UZ-IIV"),
            TaskStatus::Done
        ));
    }
}
