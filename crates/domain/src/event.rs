//! Typed events: what happened, carrying ids and never content, and whom it may concern.
//!
//! The outbox stores each event as a kind, a subject and a JSON payload; this type is the one
//! place that says what each holds. Writers build an [`Event`] and store its [`Event::kind`],
//! [`Event::subject`] and [`Event::payload`]; consumers read it back once with [`Event::read`]
//! and match on variants instead of strings (a round-trip test keeps the two halves agreeing).

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::{
    message::Addressing,
    operation::{OperationScope, Party},
    AgencyCode, CountryCode,
};

/// Something that happened. Unknown kinds read as `None`.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    RecordCreated(RecordRef),
    RecordUpdated(RecordRef),
    RecordDeleted(RecordRef),
    LinkCreated {
        id: String,
        kind: String,
        source: String,
        target: String,
    },
    LinkDeleted {
        id: String,
    },
    MessageCreated {
        id: String,
        sender: String,
        priority: String,
        channel: Option<String>,
        addressing: Addressing,
    },
    MessageReceipt {
        id: String,
        /// The recipient row (its kind, and agency or country code) the receipt is about.
        recipient_kind: String,
        recipient: String,
        /// `delivered`, `read` or `acknowledged`.
        state: String,
        by: String,
        addressing: Addressing,
    },
    MessageEscalated {
        id: String,
        recipient_kind: String,
        recipient: String,
        country: String,
        addressing: Addressing,
    },
    MatchFound {
        id: String,
        records: [String; 2],
        owners: [AgencyCode; 2],
        score: f64,
    },
    DisclosureRequested {
        id: String,
        record: String,
        owner: AgencyCode,
        requester: AgencyCode,
    },
    DisclosureDecided {
        id: String,
        record: String,
        requester: AgencyCode,
        status: String,
    },
    AlertRaised {
        id: String,
    },
    /// A detection was reported (early warning); `first_in_country` / `first_in_region` when it
    /// is the first confirmed detection of its substance there — an alert.
    DetectionReported {
        id: String,
        substance: Option<String>,
        country: String,
        first_in_country: bool,
        first_in_region: bool,
        scope: crate::detection::DetectionScope,
    },
    /// A pre-export notification was sent (`change` = `sent`) or took a step (its kind);
    /// `late` when the importing country's reply came after the deadline.
    PreExportChanged {
        id: String,
        change: String,
        late: bool,
        scope: crate::pre_export::NotificationScope,
    },
    /// A precursor incident was reported: the countries on its way are alerted.
    PrecursorIncidentReported {
        id: String,
        country: String,
        substance: String,
        scope: crate::precursor_incident::IncidentScope,
    },
    /// A risk communication was issued, updated or retracted (`change`).
    RiskCommunicationChanged {
        id: String,
        substance: String,
        change: String,
        version: i64,
        scope: crate::detection::DetectionScope,
    },
    /// An operation was opened (`change` = `opened`) or changed.
    OperationChanged {
        id: String,
        change: String,
        scope: OperationScope,
    },
    /// A party of an operation was invited, accepted, declined or was removed (`state`).
    ParticipantChanged {
        id: String,
        party: String,
        state: String,
        scope: OperationScope,
    },
    /// A task of an operation was set or its status changed (`status`).
    TaskChanged {
        id: String,
        operation: String,
        status: String,
        assignee: AgencyCode,
        scope: OperationScope,
    },
    /// A task is past its due date and still pending: its coordinator (and the assignee's
    /// focal point) are told.
    TaskOverdue {
        id: String,
        operation: String,
        assignee: AgencyCode,
        scope: OperationScope,
    },
    /// A task's reminder date came: its assignee agency is reminded.
    TaskReminder {
        id: String,
        operation: String,
        assignee: AgencyCode,
        scope: OperationScope,
    },
    /// A controlled delivery was described or its status changed (`id` is the operation's).
    DeliveryChanged {
        id: String,
        status: String,
        scope: OperationScope,
    },
    /// A state recorded (or changed) its authorisation of a controlled delivery (`id` is the
    /// operation's; `consent` is `given` or `withdrawn`).
    AuthorisationChanged {
        id: String,
        country: CountryCode,
        consent: String,
        scope: OperationScope,
    },
    /// A leg of a controlled delivery was planned or reported on: the consignment's position.
    LegChanged {
        id: String,
        operation: String,
        seq: i64,
        status: String,
        scope: OperationScope,
    },
    /// A participating agency reported results under an operation.
    ResultReported {
        id: String,
        operation: String,
        agency: AgencyCode,
        scope: OperationScope,
    },
    /// A user's standing changed (disabled, roles, clearance, password) or one of their sessions
    /// ended (`session`).
    AccountChanged {
        username: String,
        agency: AgencyCode,
        session: Option<String>,
    },
}

/// An event as a node's stream holds it: where it comes from and its place there, so that the
/// streams of several nodes can be merged without losing or repeating an event.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamped {
    /// The node that wrote it (`node.id`).
    pub origin: String,
    /// Its number in the origin node's sequence.
    pub origin_seq: i64,
    /// When it was written, in milliseconds since 1970.
    pub at: i64,
    pub event: Event,
}

/// A record an event is about: thin, so that consumers fetch what they may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRef {
    pub id: String,
    pub schema: String,
    pub owner: AgencyCode,
    pub version: i64,
}

/// Whom an event may concern: a pre-filter for routing, never the decision (the consumer still
/// applies the access rules to each user).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Audience {
    pub everyone: bool,
    /// Users of these agencies.
    pub agencies: BTreeSet<String>,
    /// Users of every agency of these countries.
    pub countries: BTreeSet<String>,
    /// The national focal points of these countries.
    pub focal_countries: BTreeSet<String>,
}

impl Audience {
    fn of_agencies<'a>(agencies: impl IntoIterator<Item = &'a str>) -> Audience {
        Audience {
            agencies: agencies.into_iter().map(str::to_string).collect(),
            ..Audience::default()
        }
    }
}

fn text(p: &Value, k: &str) -> Option<String> {
    p.get(k).and_then(Value::as_str).map(str::to_string)
}

fn agency(p: &Value, k: &str) -> Option<AgencyCode> {
    AgencyCode::parse(p.get(k)?.as_str()?).ok()
}

fn addressing(p: &Value) -> Option<Addressing> {
    serde_json::from_value(p.get("addressing")?.clone()).ok()
}

fn scope(p: &Value) -> Option<OperationScope> {
    serde_json::from_value(p.get("scope")?.clone()).ok()
}

/// Everyone who may see an operation: its coordinating agency, the agencies invited or taking
/// part, the countries taking part, and the focal points answering for invited countries.
fn operation_audience(scope: &OperationScope) -> Audience {
    let mut a = Audience::default();
    a.agencies
        .extend(scope.coordinator.iter().map(|c| c.to_string()));
    for party in scope.members.iter().chain(&scope.invited) {
        match party {
            Party::Agency(code) => {
                a.agencies.insert(code.to_string());
            }
            Party::Country(code) => {
                a.focal_countries.insert(code.to_string());
            }
        }
    }
    for party in &scope.members {
        if let Party::Country(code) = party {
            a.countries.insert(code.to_string());
        }
    }
    a
}

impl Event {
    /// The kinds the live push carries (what users may be told of as it happens).
    pub const KINDS: &'static [&'static str] = &[
        "message.created",
        "message.receipt",
        "message.escalated",
        "match.found",
        "disclosure.requested",
        "disclosure.decided",
        "alert.raised",
        "account.changed",
        "operation.changed",
        "operation.participant",
        "task.changed",
        "task.overdue",
        "delivery.changed",
        "delivery.leg",
        "operation.result",
        "delivery.authorisation",
        "task.reminder",
        "detection.reported",
        "pre_export.changed",
        "precursor_incident.reported",
        "risk.changed",
    ];

    /// The stored kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::RecordCreated(_) => "record.created",
            Event::RecordUpdated(_) => "record.updated",
            Event::RecordDeleted(_) => "record.deleted",
            Event::LinkCreated { .. } => "link.created",
            Event::LinkDeleted { .. } => "link.deleted",
            Event::MessageCreated { .. } => "message.created",
            Event::MessageReceipt { .. } => "message.receipt",
            Event::MessageEscalated { .. } => "message.escalated",
            Event::MatchFound { .. } => "match.found",
            Event::DisclosureRequested { .. } => "disclosure.requested",
            Event::DisclosureDecided { .. } => "disclosure.decided",
            Event::AlertRaised { .. } => "alert.raised",
            Event::DetectionReported { .. } => "detection.reported",
            Event::PreExportChanged { .. } => "pre_export.changed",
            Event::PrecursorIncidentReported { .. } => "precursor_incident.reported",
            Event::RiskCommunicationChanged { .. } => "risk.changed",
            Event::AccountChanged { .. } => "account.changed",
            Event::OperationChanged { .. } => "operation.changed",
            Event::ParticipantChanged { .. } => "operation.participant",
            Event::TaskChanged { .. } => "task.changed",
            Event::TaskOverdue { .. } => "task.overdue",
            Event::TaskReminder { .. } => "task.reminder",
            Event::DeliveryChanged { .. } => "delivery.changed",
            Event::LegChanged { .. } => "delivery.leg",
            Event::AuthorisationChanged { .. } => "delivery.authorisation",
            Event::ResultReported { .. } => "operation.result",
        }
    }

    /// What the event is about, stored beside it for lookups: an id, or a username.
    pub fn subject(&self) -> &str {
        match self {
            Event::RecordCreated(r) | Event::RecordUpdated(r) | Event::RecordDeleted(r) => &r.id,
            Event::AccountChanged { username, .. } => username,
            Event::LinkCreated { id, .. }
            | Event::LinkDeleted { id }
            | Event::MessageCreated { id, .. }
            | Event::MessageReceipt { id, .. }
            | Event::MessageEscalated { id, .. }
            | Event::MatchFound { id, .. }
            | Event::DisclosureRequested { id, .. }
            | Event::DisclosureDecided { id, .. }
            | Event::AlertRaised { id }
            | Event::DetectionReported { id, .. }
            | Event::PreExportChanged { id, .. }
            | Event::PrecursorIncidentReported { id, .. }
            | Event::RiskCommunicationChanged { id, .. }
            | Event::OperationChanged { id, .. }
            | Event::ParticipantChanged { id, .. }
            | Event::DeliveryChanged { id, .. }
            | Event::AuthorisationChanged { id, .. } => id,
            // An operation's events are filed under it, so its journal reads them in one go.
            Event::TaskChanged { operation, .. }
            | Event::TaskOverdue { operation, .. }
            | Event::TaskReminder { operation, .. }
            | Event::LegChanged { operation, .. }
            | Event::ResultReported { operation, .. } => operation,
        }
    }

    /// The stored payload, which [`Event::read`] reads back.
    pub fn payload(&self) -> Value {
        match self {
            Event::RecordCreated(r) | Event::RecordUpdated(r) | Event::RecordDeleted(r) => {
                json!({"id": r.id, "schema": r.schema, "version": r.version, "owner": r.owner})
            }
            Event::LinkCreated {
                id,
                kind,
                source,
                target,
            } => json!({"id": id, "kind": kind, "source": source, "target": target}),
            Event::LinkDeleted { id } | Event::AlertRaised { id } => json!({"id": id}),
            Event::MessageCreated {
                id,
                sender,
                priority,
                channel,
                addressing,
            } => json!({"id": id, "addressing": addressing, "sender": sender,
                        "priority": priority, "channel": channel}),
            Event::MessageReceipt {
                id,
                recipient_kind,
                recipient,
                state,
                by,
                addressing,
            } => json!({"id": id, "kind": recipient_kind, "code": recipient, "state": state,
                        "by": by, "addressing": addressing}),
            Event::MessageEscalated {
                id,
                recipient_kind,
                recipient,
                country,
                addressing,
            } => json!({"id": id, "kind": recipient_kind, "code": recipient, "country": country,
                        "addressing": addressing}),
            Event::MatchFound {
                id,
                records: [a, b],
                owners: [a_owner, b_owner],
                score,
            } => json!({"id": id, "a": a, "b": b, "a_owner": a_owner, "b_owner": b_owner,
                        "score": score}),
            Event::DisclosureRequested {
                id,
                record,
                owner,
                requester,
            } => json!({"id": id, "record": record, "owner": owner, "requester": requester}),
            Event::DisclosureDecided {
                id,
                record,
                requester,
                status,
            } => json!({"id": id, "record": record, "status": status, "requester": requester}),
            Event::AccountChanged {
                username,
                agency,
                session,
            } => json!({"username": username, "agency": agency, "session": session}),
            Event::OperationChanged { id, change, scope } => {
                json!({"id": id, "change": change, "scope": scope})
            }
            Event::DetectionReported {
                id,
                substance,
                country,
                first_in_country,
                first_in_region,
                scope,
            } => json!({"id": id, "substance": substance, "country": country,
                        "first_in_country": first_in_country, "first_in_region": first_in_region,
                        "scope": scope}),
            Event::ParticipantChanged {
                id,
                party,
                state,
                scope,
            } => json!({"id": id, "party": party, "state": state, "scope": scope}),
            Event::PreExportChanged {
                id,
                change,
                late,
                scope,
            } => json!({"id": id, "change": change, "late": late, "scope": scope}),
            Event::PrecursorIncidentReported {
                id,
                country,
                substance,
                scope,
            } => json!({"id": id, "country": country, "substance": substance, "scope": scope}),
            Event::RiskCommunicationChanged {
                id,
                substance,
                change,
                version,
                scope,
            } => json!({"id": id, "substance": substance, "change": change, "version": version,
                        "scope": scope}),
            Event::TaskChanged {
                id,
                operation,
                status,
                assignee,
                scope,
            } => json!({"id": id, "operation": operation, "status": status, "assignee": assignee,
                        "scope": scope}),
            Event::TaskOverdue {
                id,
                operation,
                assignee,
                scope,
            }
            | Event::TaskReminder {
                id,
                operation,
                assignee,
                scope,
            } => json!({"id": id, "operation": operation, "assignee": assignee, "scope": scope}),
            Event::DeliveryChanged { id, status, scope } => {
                json!({"id": id, "status": status, "scope": scope})
            }
            Event::AuthorisationChanged {
                id,
                country,
                consent,
                scope,
            } => json!({"id": id, "country": country, "consent": consent, "scope": scope}),
            Event::LegChanged {
                id,
                operation,
                seq,
                status,
                scope,
            } => json!({"id": id, "operation": operation, "seq": seq, "status": status,
                        "scope": scope}),
            Event::ResultReported {
                id,
                operation,
                agency,
                scope,
            } => json!({"id": id, "operation": operation, "agency": agency, "scope": scope}),
        }
    }

    /// Reads a stored event; `None` for an unknown kind, or a payload that does not have what
    /// the kind needs.
    pub fn read(kind: &str, p: &Value) -> Option<Event> {
        let id = || text(p, "id");
        let record = || {
            Some(RecordRef {
                id: id()?,
                schema: text(p, "schema").unwrap_or_default(),
                owner: agency(p, "owner")?,
                version: p.get("version").and_then(Value::as_i64).unwrap_or(0),
            })
        };
        Some(match kind {
            "record.created" => Event::RecordCreated(record()?),
            "record.updated" => Event::RecordUpdated(record()?),
            "record.deleted" => Event::RecordDeleted(record()?),
            "link.created" => Event::LinkCreated {
                id: id()?,
                kind: text(p, "kind").unwrap_or_default(),
                source: text(p, "source")?,
                target: text(p, "target")?,
            },
            "link.deleted" => Event::LinkDeleted { id: id()? },
            "message.created" => Event::MessageCreated {
                id: id()?,
                sender: text(p, "sender").unwrap_or_default(),
                priority: text(p, "priority").unwrap_or_default(),
                channel: text(p, "channel"),
                addressing: addressing(p)?,
            },
            "message.receipt" => Event::MessageReceipt {
                id: id()?,
                recipient_kind: text(p, "kind").unwrap_or_default(),
                recipient: text(p, "code").unwrap_or_default(),
                state: text(p, "state")?,
                by: text(p, "by").unwrap_or_default(),
                addressing: addressing(p)?,
            },
            "message.escalated" => Event::MessageEscalated {
                id: id()?,
                recipient_kind: text(p, "kind").unwrap_or_default(),
                recipient: text(p, "code").unwrap_or_default(),
                country: text(p, "country").unwrap_or_default(),
                addressing: addressing(p)?,
            },
            "match.found" => Event::MatchFound {
                id: id()?,
                records: [
                    text(p, "a").unwrap_or_default(),
                    text(p, "b").unwrap_or_default(),
                ],
                owners: [agency(p, "a_owner")?, agency(p, "b_owner")?],
                score: p.get("score").and_then(Value::as_f64).unwrap_or(0.0),
            },
            "disclosure.requested" => Event::DisclosureRequested {
                id: id()?,
                record: text(p, "record").unwrap_or_default(),
                owner: agency(p, "owner")?,
                requester: agency(p, "requester")?,
            },
            "disclosure.decided" => Event::DisclosureDecided {
                id: id()?,
                record: text(p, "record").unwrap_or_default(),
                requester: agency(p, "requester")?,
                status: text(p, "status")?,
            },
            "alert.raised" => Event::AlertRaised { id: id()? },
            "detection.reported" => Event::DetectionReported {
                id: id()?,
                substance: text(p, "substance"),
                country: text(p, "country")?,
                first_in_country: p.get("first_in_country")?.as_bool()?,
                first_in_region: p.get("first_in_region")?.as_bool()?,
                scope: serde_json::from_value(p.get("scope")?.clone()).ok()?,
            },
            "pre_export.changed" => Event::PreExportChanged {
                id: id()?,
                change: text(p, "change")?,
                late: p.get("late")?.as_bool()?,
                scope: serde_json::from_value(p.get("scope")?.clone()).ok()?,
            },
            "precursor_incident.reported" => Event::PrecursorIncidentReported {
                id: id()?,
                country: text(p, "country")?,
                substance: text(p, "substance")?,
                scope: serde_json::from_value(p.get("scope")?.clone()).ok()?,
            },
            "risk.changed" => Event::RiskCommunicationChanged {
                id: id()?,
                substance: text(p, "substance")?,
                change: text(p, "change")?,
                version: p.get("version")?.as_i64()?,
                scope: serde_json::from_value(p.get("scope")?.clone()).ok()?,
            },
            "account.changed" => Event::AccountChanged {
                username: text(p, "username")?,
                agency: agency(p, "agency")?,
                session: text(p, "session"),
            },
            "operation.changed" => Event::OperationChanged {
                id: id()?,
                change: text(p, "change").unwrap_or_default(),
                scope: scope(p)?,
            },
            "operation.participant" => Event::ParticipantChanged {
                id: id()?,
                party: text(p, "party")?,
                state: text(p, "state")?,
                scope: scope(p)?,
            },
            "task.changed" => Event::TaskChanged {
                id: id()?,
                operation: text(p, "operation")?,
                status: text(p, "status")?,
                assignee: agency(p, "assignee")?,
                scope: scope(p)?,
            },
            "task.overdue" => Event::TaskOverdue {
                id: id()?,
                operation: text(p, "operation")?,
                assignee: agency(p, "assignee")?,
                scope: scope(p)?,
            },
            "task.reminder" => Event::TaskReminder {
                id: id()?,
                operation: text(p, "operation")?,
                assignee: agency(p, "assignee")?,
                scope: scope(p)?,
            },
            "delivery.changed" => Event::DeliveryChanged {
                id: id()?,
                status: text(p, "status")?,
                scope: scope(p)?,
            },
            "delivery.authorisation" => Event::AuthorisationChanged {
                id: id()?,
                country: CountryCode::parse(&text(p, "country")?).ok()?,
                consent: text(p, "consent")?,
                scope: scope(p)?,
            },
            "operation.result" => Event::ResultReported {
                id: id()?,
                operation: text(p, "operation")?,
                agency: agency(p, "agency")?,
                scope: scope(p)?,
            },
            "delivery.leg" => Event::LegChanged {
                id: id()?,
                operation: text(p, "operation")?,
                seq: p.get("seq").and_then(Value::as_i64)?,
                status: text(p, "status")?,
                scope: scope(p)?,
            },
            _ => return None,
        })
    }

    /// The agencies and focal-point countries the event may concern.
    pub fn audience(&self) -> Audience {
        match self {
            // Changes to records and links reach users through matching, not the live push.
            Event::RecordCreated(_)
            | Event::RecordUpdated(_)
            | Event::RecordDeleted(_)
            | Event::LinkCreated { .. }
            | Event::LinkDeleted { .. } => Audience::default(),
            Event::AlertRaised { .. } => Audience {
                everyone: true,
                ..Audience::default()
            },
            // Early warning concerns analysts and focal points of every member country; the
            // live push filters each by `detection::may_read`.
            Event::DetectionReported { .. } | Event::RiskCommunicationChanged { .. } => Audience {
                everyone: true,
                ..Audience::default()
            },
            // The two countries, and the centre; the live push filters each user by
            // `pre_export::may_read`.
            Event::PreExportChanged { scope, .. } => Audience {
                countries: [
                    scope.exporter.as_str(),
                    scope.importer.as_str(),
                    crate::country::CENTRE_CODE,
                ]
                .map(str::to_string)
                .into(),
                ..Audience::default()
            },
            // The countries on its way, its reporter, and the centre; the live push filters each
            // user by `precursor_incident::may_read`.
            Event::PrecursorIncidentReported { scope, .. } => Audience {
                agencies: [scope.reporter.to_string()].into(),
                countries: scope
                    .countries
                    .iter()
                    .map(|c| c.as_str())
                    .chain([crate::country::CENTRE_CODE])
                    .map(str::to_string)
                    .collect(),
                ..Audience::default()
            },
            Event::AccountChanged { agency, .. } => Audience::of_agencies([agency.as_str()]),
            Event::OperationChanged { scope, .. }
            | Event::ParticipantChanged { scope, .. }
            | Event::TaskChanged { scope, .. }
            | Event::DeliveryChanged { scope, .. }
            | Event::AuthorisationChanged { scope, .. }
            | Event::LegChanged { scope, .. }
            | Event::ResultReported { scope, .. } => operation_audience(scope),
            Event::TaskReminder { assignee, .. } => Audience::of_agencies([assignee.as_str()]),
            Event::TaskOverdue {
                assignee, scope, ..
            } => Audience {
                everyone: false,
                agencies: scope
                    .coordinator
                    .iter()
                    .chain([assignee])
                    .map(|a| a.to_string())
                    .collect(),
                countries: BTreeSet::new(),
                focal_countries: [assignee.country().to_string()].into(),
            },
            Event::MatchFound { owners, .. } => Audience {
                everyone: false,
                countries: BTreeSet::new(),
                agencies: owners.iter().map(|a| a.to_string()).collect(),
                focal_countries: owners
                    .iter()
                    .map(|a| a.country().as_str().to_string())
                    .collect(),
            },
            Event::DisclosureRequested { owner, .. } => Audience::of_agencies([owner.as_str()]),
            Event::DisclosureDecided { requester, .. } => {
                Audience::of_agencies([requester.as_str()])
            }
            // Deliveries interest the sender's side only.
            Event::MessageReceipt {
                state, addressing, ..
            } if state == "delivered" => Audience::of_agencies([addressing.sender_agency.as_str()]),
            Event::MessageCreated { addressing, .. }
            | Event::MessageReceipt { addressing, .. }
            | Event::MessageEscalated { addressing, .. } => {
                // An operation's parties: agencies (`KZ-MVD`) and whole countries (`KZ`).
                let (party_agencies, party_countries): (Vec<&String>, Vec<&String>) = addressing
                    .operation_parties
                    .iter()
                    .partition(|p| p.contains('-'));
                Audience {
                    everyone: false,
                    countries: party_countries.into_iter().cloned().collect(),
                    agencies: std::iter::once(&addressing.sender_agency)
                        .chain(&addressing.agencies)
                        .chain(&addressing.channel_agencies)
                        .chain(party_agencies)
                        .cloned()
                        .collect(),
                    focal_countries: addressing.countries.iter().cloned().collect(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Classification;
    use serde_json::json;

    #[test]
    fn stored_events_read_back_typed_with_their_audience() {
        let a = json!({"sender_agency": "KZ-MVD", "classification": 1, "agencies": ["TJ-AKN"], "countries": ["UZ"],
                       "channel_agencies": []});
        let m = Event::read(
            "message.created",
            &json!({"id": "m1", "priority": "urgent", "addressing": a}),
        )
        .unwrap();
        let aud = m.audience();
        assert_eq!(aud.agencies, ["KZ-MVD", "TJ-AKN"].map(String::from).into());
        assert_eq!(aud.focal_countries, ["UZ".to_string()].into());
        // A delivery goes back to the sender's side only.
        let d = Event::read(
            "message.receipt",
            &json!({"id": "m1", "code": "TJ-AKN", "state": "delivered", "by": "-", "addressing": a}),
        )
        .unwrap();
        assert_eq!(d.audience().agencies, ["KZ-MVD".to_string()].into());
        // A match concerns both owners and their countries' focal points, by type.
        let h = Event::read(
            "match.found",
            &json!({"id": "x", "a_owner": "KZ-MVD", "b_owner": "TJ-AKN"}),
        )
        .unwrap();
        assert_eq!(
            h.audience().focal_countries,
            ["KZ", "TJ"].map(String::from).into()
        );
        assert!(
            Event::read("alert.raised", &json!({"id": "a"}))
                .unwrap()
                .audience()
                .everyone
        );
        // Unknown kinds and payloads missing what their kind needs are not events.
        assert_eq!(Event::read("record.created", &json!({"id": "r"})), None);
        assert_eq!(
            Event::read("match.found", &json!({"id": "x", "a_owner": "??"})),
            None
        );
    }

    fn scope(
        coordinator: &AgencyCode,
        classification: Classification,
        members: &[&str],
        invited: &[&str],
    ) -> OperationScope {
        let parties = |codes: &[&str]| codes.iter().map(|c| Party::parse(c).unwrap()).collect();
        OperationScope {
            coordinator: Some(coordinator.clone()),
            classification,
            members: parties(members),
            invited: parties(invited),
        }
    }

    /// What a writer stores is what a consumer reads, for every kind.
    #[test]
    fn every_event_reads_back_as_written() {
        let kz = AgencyCode::parse("KZ-MVD").unwrap();
        let tj = AgencyCode::parse("TJ-AKN").unwrap();
        let addressing: Addressing = serde_json::from_value(json!({
            "sender_agency": "KZ-MVD", "classification": 2, "agencies": ["TJ-AKN"],
            "countries": ["UZ"], "channel_agencies": ["KG-GTS"]}))
        .unwrap();
        let r = RecordRef {
            id: "kz-mvd:1".into(),
            schema: "Person".into(),
            owner: kz.clone(),
            version: 3,
        };
        let events = [
            Event::RecordCreated(r.clone()),
            Event::RecordUpdated(r.clone()),
            Event::RecordDeleted(r),
            Event::LinkCreated {
                id: "l1".into(),
                kind: "owns".into(),
                source: "a".into(),
                target: "b".into(),
            },
            Event::LinkDeleted { id: "l1".into() },
            Event::MessageCreated {
                id: "m1".into(),
                sender: "kz.officer".into(),
                priority: "urgent".into(),
                channel: Some("blo-kordai".into()),
                addressing: addressing.clone(),
            },
            Event::MessageReceipt {
                id: "m1".into(),
                recipient_kind: "agency".into(),
                recipient: "TJ-AKN".into(),
                state: "read".into(),
                by: "tj.officer".into(),
                addressing: addressing.clone(),
            },
            Event::MessageEscalated {
                id: "m1".into(),
                recipient_kind: "agency".into(),
                recipient: "TJ-AKN".into(),
                country: "TJ".into(),
                addressing,
            },
            Event::MatchFound {
                id: "x".into(),
                records: ["a".into(), "b".into()],
                owners: [kz.clone(), tj.clone()],
                score: 0.875,
            },
            Event::DisclosureRequested {
                id: "d".into(),
                record: "a".into(),
                owner: kz.clone(),
                requester: tj.clone(),
            },
            Event::DisclosureDecided {
                id: "d".into(),
                record: "a".into(),
                requester: tj.clone(),
                status: "approved".into(),
            },
            Event::AlertRaised { id: "al".into() },
            Event::DetectionReported {
                id: "det-1".into(),
                substance: Some("sub-1".into()),
                country: "KG".into(),
                first_in_country: true,
                first_in_region: false,
                scope: crate::detection::DetectionScope {
                    reporter: kz.clone(),
                    classification: Classification::Restricted,
                    observers: [CountryCode::parse("FR").unwrap()].into(),
                },
            },
            Event::AccountChanged {
                username: "kz.officer".into(),
                agency: kz.clone(),
                session: None,
            },
            Event::OperationChanged {
                id: "op-1".into(),
                change: "opened".into(),
                scope: scope(&kz, Classification::Confidential, &["UZ"], &["TJ-AKN"]),
            },
            Event::TaskChanged {
                id: "t-1".into(),
                operation: "op-1".into(),
                status: "done".into(),
                assignee: kz.clone(),
                scope: scope(&tj, Classification::Restricted, &["KZ-MVD"], &[]),
            },
            Event::PreExportChanged {
                id: "pen-1".into(),
                change: "no_objection".into(),
                late: true,
                scope: crate::pre_export::NotificationScope {
                    exporter: CountryCode::parse("KZ").unwrap(),
                    importer: CountryCode::parse("UZ").unwrap(),
                    classification: Classification::Restricted,
                },
            },
            Event::PrecursorIncidentReported {
                id: "pci-1".into(),
                country: "KZ".into(),
                substance: "sub-1".into(),
                scope: crate::precursor_incident::IncidentScope {
                    reporter: kz.clone(),
                    classification: Classification::Restricted,
                    countries: [
                        CountryCode::parse("KZ").unwrap(),
                        CountryCode::parse("AF").unwrap(),
                    ]
                    .into(),
                },
            },
            Event::RiskCommunicationChanged {
                id: "risk-1".into(),
                substance: "sub-1".into(),
                change: "retracted".into(),
                version: 3,
                scope: crate::detection::DetectionScope {
                    reporter: kz.clone(),
                    classification: Classification::Restricted,
                    observers: Default::default(),
                },
            },
            Event::ResultReported {
                id: "r-1".into(),
                operation: "op-1".into(),
                agency: kz.clone(),
                scope: scope(&tj, Classification::Restricted, &["KZ"], &[]),
            },
            Event::DeliveryChanged {
                id: "op-1".into(),
                status: "in_transit".into(),
                scope: scope(&tj, Classification::Restricted, &["KZ"], &[]),
            },
            Event::AuthorisationChanged {
                id: "op-1".into(),
                country: CountryCode::parse("UZ").unwrap(),
                consent: "withdrawn".into(),
                scope: scope(&tj, Classification::Restricted, &["UZ"], &[]),
            },
            Event::LegChanged {
                id: "leg-1".into(),
                operation: "op-1".into(),
                seq: 2,
                status: "handed_over".into(),
                scope: scope(&tj, Classification::Restricted, &["KZ"], &[]),
            },
            Event::TaskOverdue {
                id: "t-1".into(),
                operation: "op-1".into(),
                assignee: kz.clone(),
                scope: scope(&tj, Classification::Restricted, &["KZ-MVD"], &[]),
            },
            Event::TaskReminder {
                id: "t-1".into(),
                operation: "op-1".into(),
                assignee: kz.clone(),
                scope: scope(&tj, Classification::Restricted, &["KZ-MVD"], &[]),
            },
            Event::ParticipantChanged {
                id: "op-1".into(),
                party: "TJ-AKN".into(),
                state: "accepted".into(),
                scope: scope(&tj, Classification::Restricted, &[], &[]),
            },
        ];
        for e in events {
            assert_eq!(
                Event::read(e.kind(), &e.payload()).as_ref(),
                Some(&e),
                "{e:?}"
            );
            assert!(!e.subject().is_empty());
            assert_eq!(
                Event::KINDS.contains(&e.kind()),
                e.audience() != Audience::default() || matches!(e, Event::AccountChanged { .. }),
                "{e:?}"
            );
        }
    }
}
