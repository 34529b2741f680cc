//! Controlled deliveries: a consignment let run under surveillance across borders, leg by leg,
//! until the whole chain is caught at the end. What a delivery and its legs hold, the order
//! their statuses move in, and the checks that keep legs in order. Pure.

use std::{fmt, str::FromStr};

use chrono::NaiveDateTime;
use serde_json::Value;

use crate::{
    access::Subject,
    error::{Reason, ValidationErrors},
    identity::str_enum,
    operation::{OperationScope, Party, Standing},
};

str_enum! {
    DeliveryKind ("delivery kind") {
        Import = "import",
        Export = "export",
        Transit = "transit",
    }
}

str_enum! {
    /// Whether the drugs were replaced by a harmless substance before the run.
    Substitution ("substitution") {
        NoSubstitution = "none",
        Partial = "partial",
        Full = "full",
    }
}

str_enum! {
    DeliveryStatus ("delivery status") {
        Requested = "requested",
        Authorised = "authorised",
        InTransit = "in_transit",
        Delivered = "delivered",
        Terminated = "terminated",
    }
}

str_enum! {
    LegStatus ("leg status") {
        Planned = "planned",
        InTransit = "in_transit",
        HandedOver = "handed_over",
        Intercepted = "intercepted",
        Lost = "lost",
    }
}

impl DeliveryStatus {
    /// requested → authorised → in transit → delivered, or terminated from any open state.
    pub fn may_become(self, next: DeliveryStatus) -> bool {
        use DeliveryStatus::*;
        matches!(
            (self, next),
            (Requested, Authorised | Terminated)
                | (Authorised, InTransit | Terminated)
                | (InTransit, Delivered | Terminated)
        )
    }
    pub fn label_key(self) -> String {
        format!("delivery-status-{}", self.as_str())
    }
}

impl LegStatus {
    /// planned → in transit → handed over; a leg may be intercepted or lost on the way.
    pub fn may_become(self, next: LegStatus) -> bool {
        use LegStatus::*;
        matches!(
            (self, next),
            (Planned, InTransit | Intercepted | Lost)
                | (InTransit, HandedOver | Intercepted | Lost)
        )
    }
    pub fn label_key(self) -> String {
        format!("leg-status-{}", self.as_str())
    }
}

impl DeliveryKind {
    pub fn label_key(self) -> String {
        format!("delivery-kind-{}", self.as_str())
    }
}

impl Substitution {
    pub fn label_key(self) -> String {
        format!("substitution-{}", self.as_str())
    }
}

/// The catalogue keys of the deliveries' vocabularies.
pub fn label_keys() -> impl Iterator<Item = String> {
    let kinds = DeliveryKind::ALL.iter().map(|k| k.label_key());
    let subs = Substitution::ALL.iter().map(|s| s.label_key());
    let statuses = DeliveryStatus::ALL.iter().map(|s| s.label_key());
    let legs = LegStatus::ALL.iter().map(|s| s.label_key());
    kinds.chain(subs).chain(statuses).chain(legs)
}

/// The consignment and how it runs, as a coordinator describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryDraft {
    pub kind: DeliveryKind,
    pub substance: String,
    pub declared_quantity: Option<f64>,
    pub actual_quantity: Option<f64>,
    /// `kg`, `g`, `l` or `units`.
    pub unit: String,
    pub concealment: String,
    pub conveyance: String,
    /// Container, trailer or registration number.
    pub vehicle: String,
    /// Markers or tracking devices fitted.
    pub markers: String,
    pub substitution: Substitution,
}

const SHORT_MAX: usize = 200;
const UNITS: &[&str] = &["kg", "g", "l", "units"];

/// Reads `obj[field]` as a short one-line text (empty when absent).
fn short(
    obj: &serde_json::Map<String, Value>,
    field: &str,
    errors: &mut ValidationErrors,
) -> String {
    let s = crate::operation::text_field(obj, field, false, errors).unwrap_or_default();
    if let Err(r) = crate::operation::one_line(&s, SHORT_MAX) {
        errors.push(field, r);
    }
    s
}

fn quantity(
    obj: &serde_json::Map<String, Value>,
    field: &str,
    errors: &mut ValidationErrors,
) -> Option<f64> {
    let v = match obj.get(field) {
        None | Some(Value::Null) => return None,
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) if s.trim().is_empty() => return None,
        Some(Value::String(s)) => s.trim().replace(',', ".").parse::<f64>().ok(),
        Some(_) => None,
    };
    match v {
        Some(q) if q.is_finite() && q >= 0.0 => Some(q),
        Some(_) => {
            errors.push(field, Reason::coded("number-negative", &[]));
            None
        }
        None => {
            errors.push(
                field,
                Reason::coded("number-invalid", &[("value", &obj[field].to_string())]),
            );
            None
        }
    }
}

impl DeliveryDraft {
    /// Parses `{"kind", "substance", "declared_quantity"?, "actual_quantity"?, "unit"?,
    /// "concealment"?, "conveyance"?, "vehicle"?, "markers"?, "substitution"?}`.
    pub fn parse(v: &Value) -> Result<DeliveryDraft, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let Some(obj) = v.as_object() else {
            return Err(ValidationErrors::single(
                "",
                Reason::coded("entity-not-object", &[]),
            ));
        };
        const FIELDS: &[&str] = &[
            "kind",
            "substance",
            "declared_quantity",
            "actual_quantity",
            "unit",
            "concealment",
            "conveyance",
            "vehicle",
            "markers",
            "substitution",
        ];
        for key in obj.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
            errors.push(key.clone(), Reason::coded("field-unknown", &[]));
        }
        let kind_text = short(obj, "kind", &mut errors);
        let kind = if kind_text.is_empty() {
            errors.push("kind", Reason::coded("field-required", &[]));
            None
        } else {
            kind_text
                .parse::<DeliveryKind>()
                .map_err(|r| errors.push("kind", r))
                .ok()
        };
        let substance = short(obj, "substance", &mut errors);
        if substance.is_empty() {
            errors.push("substance", Reason::coded("field-required", &[]));
        }
        let declared_quantity = quantity(obj, "declared_quantity", &mut errors);
        let actual_quantity = quantity(obj, "actual_quantity", &mut errors);
        let mut unit = short(obj, "unit", &mut errors);
        if unit.is_empty() {
            unit = "kg".into();
        }
        if !UNITS.contains(&unit.as_str()) {
            errors.push(
                "unit",
                Reason::coded(
                    "value-not-one-of",
                    &[
                        ("value", &format!("{unit:?}")),
                        ("allowed", &UNITS.join(", ")),
                    ],
                ),
            );
        }
        let concealment = short(obj, "concealment", &mut errors);
        let conveyance = short(obj, "conveyance", &mut errors);
        let vehicle = short(obj, "vehicle", &mut errors);
        let markers = short(obj, "markers", &mut errors);
        let sub_text = short(obj, "substitution", &mut errors);
        let substitution = if sub_text.is_empty() {
            Some(Substitution::NoSubstitution)
        } else {
            sub_text
                .parse::<Substitution>()
                .map_err(|r| errors.push("substitution", r))
                .ok()
        };
        match (kind, substitution) {
            (Some(kind), Some(substitution)) if errors.is_empty() => Ok(DeliveryDraft {
                kind,
                substance,
                declared_quantity,
                actual_quantity,
                unit,
                concealment,
                conveyance,
                vehicle,
                markers,
                substitution,
            }),
            _ => Err(errors),
        }
    }
}

/// How a moment is written and stored: `YYYY-MM-DDTHH:MM`, UTC.
pub const MOMENT: &str = "%Y-%m-%dT%H:%M";

/// A moment written `YYYY-MM-DDTHH:MM` (UTC), as a `datetime-local` field sends it.
pub fn moment(s: &str) -> Result<NaiveDateTime, Reason> {
    let t = s.trim();
    NaiveDateTime::parse_from_str(t, MOMENT)
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M"))
        .map_err(|_| Reason::coded("leg-moment-invalid", &[("value", &format!("{s:?}"))]))
}

/// A leg as planned: from one party to the next, across a crossing point.
#[derive(Debug, Clone, PartialEq)]
pub struct LegDraft {
    pub from: Party,
    pub to: Party,
    pub crossing_point: String,
    pub planned_departure: NaiveDateTime,
    pub planned_handover: NaiveDateTime,
}

/// A leg as stored, for checking the next one against.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedLeg {
    pub to: Party,
    pub planned_handover: NaiveDateTime,
}

impl LegDraft {
    /// Parses `{"from", "to", "crossing_point", "planned_departure", "planned_handover"}` and
    /// checks it follows `previous` (the last leg): it starts where that one ends, not before it
    /// is handed over, and is handed over after it departs.
    pub fn parse(v: &Value, previous: Option<&PlannedLeg>) -> Result<LegDraft, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let Some(obj) = v.as_object() else {
            return Err(ValidationErrors::single(
                "",
                Reason::coded("entity-not-object", &[]),
            ));
        };
        const FIELDS: &[&str] = &[
            "from",
            "to",
            "crossing_point",
            "planned_departure",
            "planned_handover",
        ];
        for key in obj.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
            errors.push(key.clone(), Reason::coded("field-unknown", &[]));
        }
        let mut party = |field: &str| {
            let text = short(obj, field, &mut errors);
            if text.is_empty() {
                errors.push(field, Reason::coded("field-required", &[]));
                return None;
            }
            Party::parse(&text).map_err(|r| errors.push(field, r)).ok()
        };
        let from = party("from");
        let to = party("to");
        let crossing_point = short(obj, "crossing_point", &mut errors);
        let mut when = |field: &str| {
            let text = short(obj, field, &mut errors);
            if text.is_empty() {
                errors.push(field, Reason::coded("field-required", &[]));
                return None;
            }
            moment(&text).map_err(|r| errors.push(field, r)).ok()
        };
        let planned_departure = when("planned_departure");
        let planned_handover = when("planned_handover");
        if let (Some(d), Some(h)) = (planned_departure, planned_handover) {
            if h <= d {
                errors.push(
                    "planned_handover",
                    Reason::coded("leg-handover-before-departure", &[]),
                );
            }
        }
        if let (Some(f), Some(t)) = (&from, &to) {
            if f == t {
                errors.push("to", Reason::coded("leg-same-party", &[]));
            }
        }
        if let Some(prev) = previous {
            if let Some(f) = &from {
                if f.country() != prev.to.country() {
                    errors.push(
                        "from",
                        Reason::coded("leg-not-chained", &[("previous", &prev.to)]),
                    );
                }
            }
            if let Some(d) = planned_departure {
                if d < prev.planned_handover {
                    errors.push(
                        "planned_departure",
                        Reason::coded(
                            "leg-overlaps",
                            &[("handover", &prev.planned_handover.format("%Y-%m-%d %H:%M"))],
                        ),
                    );
                }
            }
        }
        match (from, to, planned_departure, planned_handover) {
            (Some(from), Some(to), Some(planned_departure), Some(planned_handover))
                if errors.is_empty() =>
            {
                Ok(LegDraft {
                    from,
                    to,
                    crossing_point,
                    planned_departure,
                    planned_handover,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Whether `subject` may report on a leg between `from` and `to`: a coordinator, or a user
/// taking part whose agency is one of the leg's ends (or in one of its end countries).
pub fn may_report_leg(subject: &Subject, standing: Standing, from: &Party, to: &Party) -> bool {
    standing == Standing::Coordinator
        || (standing.takes_part()
            && subject.roles.iter().any(|r| r.writes_records())
            && (from.includes(subject) || to.includes(subject)))
}

/// Whether a party at a leg's end takes part in the operation (or coordinates it).
pub fn party_takes_part(scope: &OperationScope, party: &Party) -> bool {
    match party {
        Party::Agency(a) => crate::task::may_be_assigned(scope, a),
        Party::Country(c) => {
            scope.members.iter().any(|p| p.country() == *c)
                || scope
                    .coordinator
                    .as_ref()
                    .is_some_and(|a| a.country() == *c)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statuses_move_in_order() {
        use DeliveryStatus::*;
        assert!(Requested.may_become(Authorised) && Authorised.may_become(InTransit));
        assert!(InTransit.may_become(Delivered) && Requested.may_become(Terminated));
        assert!(
            !Requested.may_become(InTransit),
            "no skipping authorisation"
        );
        assert!(!Delivered.may_become(Terminated));
        assert!(LegStatus::Planned.may_become(LegStatus::InTransit));
        assert!(!LegStatus::Planned.may_become(LegStatus::HandedOver));
        assert!(!LegStatus::HandedOver.may_become(LegStatus::Lost));
    }

    #[test]
    fn deliveries_name_each_bad_field() {
        let ok = DeliveryDraft::parse(&json!({"kind": "transit", "substance": "heroin",
            "declared_quantity": "40,5", "substitution": "partial"}))
        .unwrap();
        assert_eq!(ok.declared_quantity, Some(40.5));
        assert_eq!(ok.unit, "kg");
        let bad = DeliveryDraft::parse(&json!({"kind": "teleport", "declared_quantity": -1,
            "unit": "bags", "substitution": "most"}))
        .unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "kind",
                "substance",
                "declared_quantity",
                "unit",
                "substitution"
            ]
        );
    }

    #[test]
    fn legs_follow_each_other() {
        let first = LegDraft::parse(
            &json!({"from": "TJ-AKN", "to": "UZ-IIV", "crossing_point": "Oybek",
                    "planned_departure": "2026-12-08T06:00", "planned_handover": "2026-12-08T14:00"}),
            None,
        )
        .unwrap();
        let prev = PlannedLeg {
            to: first.to.clone(),
            planned_handover: first.planned_handover,
        };
        assert!(LegDraft::parse(
            &json!({"from": "UZ", "to": "KZ-MVD", "planned_departure": "2026-12-09T08:00",
                    "planned_handover": "2026-12-09T20:00"}),
            Some(&prev)
        )
        .is_ok());
        let bad = LegDraft::parse(
            &json!({"from": "KG-MVD", "to": "KG-MVD", "planned_departure": "2026-12-08T10:00",
                    "planned_handover": "2026-12-08T09:00"}),
            Some(&prev),
        )
        .unwrap_err();
        let keys: Vec<(&str, Option<&str>)> = bad
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.reason.key()))
            .collect();
        assert_eq!(
            keys,
            [
                ("planned_handover", Some("leg-handover-before-departure")),
                ("to", Some("leg-same-party")),
                ("from", Some("leg-not-chained")),
                ("planned_departure", Some("leg-overlaps")),
            ]
        );
    }
}
