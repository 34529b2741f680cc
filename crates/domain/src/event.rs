//! Typed events: what happened, carrying ids and never content, and whom it may concern.
//!
//! The outbox still stores each event as a kind and a JSON payload. [`Event::read`] turns a stored
//! event back into this type once, where it is consumed, so consumers match on variants instead of
//! strings and derive a country from an agency code by its type, not by slicing text. The live
//! push reads events this way; matching and escalation are to follow, and then the writers build
//! them (see the structure issue).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::{message::Addressing, AgencyCode};

/// An event the live push and its consumers understand. Unknown kinds read as `None`.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    MessageCreated {
        id: String,
        priority: String,
        channel: Option<String>,
        addressing: Addressing,
    },
    MessageReceipt {
        id: String,
        /// The recipient row (agency or country code) the receipt is about.
        recipient: String,
        /// `delivered`, `read` or `acknowledged`.
        state: String,
        by: String,
        addressing: Addressing,
    },
    MessageEscalated {
        id: String,
        recipient: String,
        country: String,
        addressing: Addressing,
    },
    MatchFound {
        id: String,
        owners: [AgencyCode; 2],
    },
    DisclosureRequested {
        id: String,
        owner: AgencyCode,
    },
    DisclosureDecided {
        id: String,
        requester: AgencyCode,
        status: String,
    },
    AlertRaised {
        id: String,
    },
    /// A user's standing changed (disabled, roles, clearance, password) or one of their sessions
    /// ended (`session`).
    AccountChanged {
        username: String,
        agency: AgencyCode,
        session: Option<String>,
    },
}

/// Whom an event may concern: a pre-filter for routing, never the decision (the consumer still
/// applies the access rules to each user).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Audience {
    pub everyone: bool,
    /// Users of these agencies.
    pub agencies: BTreeSet<String>,
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

impl Event {
    /// The stored kinds [`Event::read`] understands (the live push reads only these).
    pub const KINDS: &'static [&'static str] = &[
        "message.created",
        "message.receipt",
        "message.escalated",
        "match.found",
        "disclosure.requested",
        "disclosure.decided",
        "alert.raised",
        "account.changed",
    ];

    /// Reads a stored event; `None` for kinds this type does not cover yet, or a payload that does
    /// not have what the kind needs.
    pub fn read(kind: &str, p: &Value) -> Option<Event> {
        let id = || text(p, "id");
        Some(match kind {
            "message.created" => Event::MessageCreated {
                id: id()?,
                priority: text(p, "priority").unwrap_or_default(),
                channel: text(p, "channel"),
                addressing: addressing(p)?,
            },
            "message.receipt" => Event::MessageReceipt {
                id: id()?,
                recipient: text(p, "code").unwrap_or_default(),
                state: text(p, "state")?,
                by: text(p, "by").unwrap_or_default(),
                addressing: addressing(p)?,
            },
            "message.escalated" => Event::MessageEscalated {
                id: id()?,
                recipient: text(p, "code").unwrap_or_default(),
                country: text(p, "country").unwrap_or_default(),
                addressing: addressing(p)?,
            },
            "match.found" => Event::MatchFound {
                id: id()?,
                owners: [agency(p, "a_owner")?, agency(p, "b_owner")?],
            },
            "disclosure.requested" => Event::DisclosureRequested {
                id: id()?,
                owner: agency(p, "owner")?,
            },
            "disclosure.decided" => Event::DisclosureDecided {
                id: id()?,
                requester: agency(p, "requester")?,
                status: text(p, "status")?,
            },
            "alert.raised" => Event::AlertRaised { id: id()? },
            "account.changed" => Event::AccountChanged {
                username: text(p, "username")?,
                agency: agency(p, "agency")?,
                session: text(p, "session"),
            },
            _ => return None,
        })
    }

    /// The agencies and focal-point countries the event may concern.
    pub fn audience(&self) -> Audience {
        match self {
            Event::AlertRaised { .. } => Audience {
                everyone: true,
                ..Audience::default()
            },
            Event::AccountChanged { agency, .. } => Audience::of_agencies([agency.as_str()]),
            Event::MatchFound { owners, .. } => Audience {
                everyone: false,
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
            | Event::MessageEscalated { addressing, .. } => Audience {
                everyone: false,
                agencies: std::iter::once(&addressing.sender_agency)
                    .chain(&addressing.agencies)
                    .chain(&addressing.channel_agencies)
                    .cloned()
                    .collect(),
                focal_countries: addressing.countries.iter().cloned().collect(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
