//! Messages between agencies: priorities, addressing, who may read a message and which live
//! events a user is shown. Pure rules; the application stores and delivers.
//!
//! A message belongs to its sender's agency (the owner). It is addressed to agencies, to
//! countries (delivered to the country's national focal points, who route it onward) or to a
//! Border Liaison Office channel (the BLO officers of the channel's agencies), or to operations
//! (whoever takes part in one, for as long as they do). Whoever is on either side reads it when
//! cleared for its classification; nobody else learns it exists.

use std::{collections::BTreeSet, fmt, str::FromStr};

use crate::{
    handling::HandlingCode, identity::str_enum, AgencyCode, Classification, CountryCode, Role,
    Subject,
};

str_enum! {
    /// How fast the sender needs a reaction. Urgent and immediate messages must be acknowledged.
    Priority ("priority") {
        Routine = "routine",
        Urgent = "urgent",
        Immediate = "immediate",
    }
}

// `str_enum!` writes the enum, so the default cannot be derived there.
#[allow(clippy::derivable_impls)]
impl Default for Priority {
    fn default() -> Self {
        Priority::Routine
    }
}

impl Priority {
    pub fn requires_ack(self) -> bool {
        !matches!(self, Priority::Routine)
    }
}

str_enum! {
    /// What a recipient has done with a message, in the order it happens.
    Receipt ("receipt state") {
        Delivered = "delivered",
        Read = "read",
        Acknowledged = "acknowledged",
    }
}

str_enum! {
    /// How a recipient was addressed.
    RecipientKind ("recipient kind") {
        Agency = "agency",
        Country = "country",
        Channel = "channel",
        Operation = "operation",
    }
}

/// Longest subject, in characters.
pub const MAX_SUBJECT_CHARS: usize = 200;
/// Most recipients (agencies plus countries) of one message.
pub const MAX_RECIPIENTS: usize = 60;
/// Most records, cases or operations one message links to.
pub const MAX_LINKS: usize = 50;

/// Who a message is addressed to and how it is protected: everything the access rule needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct Addressing {
    pub sender_agency: String,
    pub classification: i64,
    #[serde(default)]
    pub agencies: Vec<String>,
    #[serde(default)]
    pub countries: Vec<String>,
    /// The agencies of the BLO channel the message was posted to (both sides).
    #[serde(default)]
    pub channel_agencies: Vec<String>,
    /// Operation ids: every party taking part in one reads the message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
    /// The agency and country codes taking part in those operations when the message was sent:
    /// where live events are routed, never who may read (that is who takes part now).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operation_parties: Vec<String>,
    /// For a forward, quote or reply of onward-restricted content: its first owner and the
    /// scope that owner sent it to. It travels with every further copy, to any depth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

/// Where onward-restricted content came from: the owner agency and the recipients it chose.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct Origin {
    pub owner: String,
    #[serde(default)]
    pub agencies: Vec<String>,
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub channel_agencies: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
}

impl Addressing {
    /// The owner and scope that bind whatever this message passes on: its recorded origin, or,
    /// for content that starts here, its own sender and recipients.
    pub fn origin_scope(&self) -> Origin {
        self.origin.clone().unwrap_or_else(|| Origin {
            owner: self.sender_agency.clone(),
            agencies: self.agencies.clone(),
            countries: self.countries.clone(),
            channel_agencies: self.channel_agencies.clone(),
            operations: self.operations.clone(),
        })
    }
}

/// How a subject stands to a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// Of the sending agency.
    pub sender: bool,
    /// Addressed: by agency, as focal point of an addressed country, as a channel member, or as
    /// a party taking part in an addressed operation.
    pub recipient: bool,
}

/// Whether the subject may take part in messaging at all: auditors read the audit trail,
/// nothing else.
pub fn messages_allowed(subject: &Subject) -> bool {
    subject.active && subject.roles.iter().any(|r| *r != Role::Auditor)
}

/// Whether the subject is a member of a BLO channel between `agencies`.
pub fn channel_member(subject: &Subject, agencies: &[String]) -> bool {
    messages_allowed(subject)
        && subject.has(Role::BloOfficer)
        && agencies.iter().any(|a| a == subject.agency.as_str())
}

/// How `subject` stands to a message addressed as `a`; `None` when they may not know it exists
/// (not on either side, or not cleared for its classification).
pub fn standing(subject: &Subject, a: &Addressing) -> Option<Standing> {
    if !messages_allowed(subject) || subject.clearance.level() < a.classification {
        return None;
    }
    let agency = subject.agency.as_str();
    let sender = a.sender_agency == agency;
    let recipient = a.agencies.iter().any(|x| x == agency)
        || (subject.has(Role::NationalFocalPoint)
            && a.countries.iter().any(|c| c == subject.country.as_str()))
        || channel_member(subject, &a.channel_agencies)
        || a.operations.iter().any(|o| subject.operations.contains(o));
    (sender || recipient).then_some(Standing { sender, recipient })
}

/// The recipient rows of a message that stand for `subject`: their agency, their country when
/// they are its focal point, their agency's side of the channel when they are a BLO officer.
/// Their reading or acknowledging the message sets these rows' states.
pub fn recipient_keys(subject: &Subject, a: &Addressing) -> Vec<(RecipientKind, String)> {
    let mut out = Vec::new();
    let agency = subject.agency.as_str();
    if a.agencies.iter().any(|x| x == agency) {
        out.push((RecipientKind::Agency, agency.to_string()));
    }
    if subject.has(Role::NationalFocalPoint)
        && a.countries.iter().any(|c| c == subject.country.as_str())
    {
        out.push((RecipientKind::Country, subject.country.as_str().to_string()));
    }
    if channel_member(subject, &a.channel_agencies) && a.sender_agency != agency {
        out.push((RecipientKind::Channel, agency.to_string()));
    }
    if messages_allowed(subject) {
        for o in a
            .operations
            .iter()
            .filter(|o| subject.operations.contains(*o))
        {
            out.push((RecipientKind::Operation, o.clone()));
        }
    }
    out
}

/// Where a message goes, as `can_forward` weighs it.
#[derive(Debug, Clone, Copy)]
pub struct Recipients<'a> {
    pub agencies: &'a [AgencyCode],
    pub countries: &'a [CountryCode],
    pub channel_agencies: &'a [String],
    pub operations: &'a [String],
}

/// Why a forward was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForwardDenied {
    #[error("the message is marked NO_ONWARD by its owner {owner}: it may not go to {outside} without the owner's consent; ask {owner} to send it on")]
    NoOnward { owner: String, outside: String },
}

/// May `subject` pass on content whose origin is `origin`, carrying `codes`, to `to` (agencies,
/// countries, a BLO channel between agencies, operations)? NO_ONWARD keeps it inside the
/// scope its owner first sent it to, however many forwards, replies or quotes later, unless
/// the owner agency itself sends it further.
pub fn can_forward(
    subject: &Subject,
    origin: &Origin,
    codes: &BTreeSet<HandlingCode>,
    to: &Recipients<'_>,
) -> Result<(), ForwardDenied> {
    let Recipients {
        agencies,
        countries,
        channel_agencies,
        operations,
    } = *to;
    if !codes.iter().any(|c| c.restricts_onward()) || origin.owner == subject.agency.as_str() {
        return Ok(());
    }
    let inside_agency = |a: &str| {
        a == origin.owner
            || origin.agencies.iter().any(|x| x == a)
            || origin.channel_agencies.iter().any(|x| x == a)
            || origin
                .countries
                .iter()
                .any(|c| a.get(..2).is_some_and(|p| p == c))
    };
    let outside: Vec<String> = agencies
        .iter()
        .map(|a| a.as_str())
        .chain(channel_agencies.iter().map(String::as_str))
        .filter(|a| !inside_agency(a))
        .map(str::to_string)
        .chain(
            countries
                .iter()
                .filter(|c| !origin.countries.iter().any(|x| x == c.as_str()))
                .map(|c| c.to_string()),
        )
        .chain(
            operations
                .iter()
                .filter(|o| !origin.operations.contains(o))
                .cloned(),
        )
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if outside.is_empty() {
        Ok(())
    } else {
        Err(ForwardDenied::NoOnward {
            owner: origin.owner.clone(),
            outside: outside.join(", "),
        })
    }
}

/// A message's classification must be at least that of what it forwards.
pub fn forwarded_classification(own: Classification, original: Classification) -> Classification {
    own.max(original)
}

impl fmt::Display for Standing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.sender, self.recipient) {
            (true, true) => f.write_str("sender and recipient"),
            (true, false) => f.write_str("sender"),
            _ => f.write_str("recipient"),
        }
    }
}

/// Parses a priority the way a form or API sends it; empty means routine.
pub fn parse_priority(s: &str) -> Result<Priority, crate::error::Reason> {
    if s.trim().is_empty() {
        Ok(Priority::Routine)
    } else {
        Priority::from_str(&s.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CountryStatus, Username};

    fn to_all<'a>(
        agencies: &'a [AgencyCode],
        countries: &'a [CountryCode],
        channel_agencies: &'a [String],
    ) -> Recipients<'a> {
        Recipients {
            agencies,
            countries,
            channel_agencies,
            operations: &[],
        }
    }

    fn subject(agency: &str, roles: &[Role], clearance: Classification) -> Subject {
        let agency = AgencyCode::parse(agency).unwrap();
        Subject {
            username: Username::parse("someone").unwrap(),
            country: agency.country(),
            agency,
            country_status: CountryStatus::Member,
            roles: roles.iter().copied().collect(),
            clearance,
            active: true,
            operations: Default::default(),
        }
    }

    fn to(agencies: &[&str], countries: &[&str]) -> Addressing {
        Addressing {
            sender_agency: "KZ-MVD".into(),
            classification: Classification::Restricted.level(),
            agencies: agencies.iter().map(|s| s.to_string()).collect(),
            countries: countries.iter().map(|s| s.to_string()).collect(),
            channel_agencies: vec![],
            origin: None,
            ..Default::default()
        }
    }

    #[test]
    fn sender_recipients_and_focal_points_read_others_do_not() {
        let a = to(&["TJ-AKN"], &["KG"]);
        let officer = Classification::Confidential;
        assert!(
            standing(&subject("KZ-MVD", &[Role::Officer], officer), &a).is_some_and(|s| s.sender)
        );
        assert!(standing(&subject("TJ-AKN", &[Role::Officer], officer), &a)
            .is_some_and(|s| s.recipient));
        assert!(standing(&subject("TJ-PV", &[Role::Officer], officer), &a).is_none());
        // A country is reached through its focal point, not every officer in it.
        assert!(standing(&subject("KG-SBNON", &[Role::Officer], officer), &a).is_none());
        assert!(standing(
            &subject("KG-SBNON", &[Role::NationalFocalPoint], officer),
            &a
        )
        .is_some());
        // Clearance below the classification: nothing, not even that it exists.
        let low = subject("TJ-AKN", &[Role::Officer], Classification::Unclassified);
        assert!(standing(&low, &a).is_none());
        assert!(standing(&subject("TJ-AKN", &[Role::Auditor], officer), &a).is_none());
    }

    #[test]
    fn channels_reach_their_blo_officers_only() {
        let mut a = to(&[], &[]);
        a.sender_agency = "KZ-PS".into();
        a.channel_agencies = vec!["KZ-PS".into(), "KG-GTS".into()];
        let blo = subject("KG-GTS", &[Role::BloOfficer], Classification::Restricted);
        assert!(standing(&blo, &a).is_some_and(|s| s.recipient));
        let officer = subject("KG-GTS", &[Role::Officer], Classification::Secret);
        assert!(standing(&officer, &a).is_none());
    }

    #[test]
    fn no_onward_keeps_a_forward_inside_the_original_scope() {
        let a = to(&["TJ-AKN"], &[]);
        let codes: BTreeSet<_> = [HandlingCode::NoOnward].into();
        let tj = subject("TJ-AKN", &[Role::Officer], Classification::Confidential);
        let ag = |s: &str| AgencyCode::parse(s).unwrap();
        assert!(can_forward(
            &tj,
            &a.origin_scope(),
            &codes,
            &to_all(&[ag("TJ-AKN")], &[], &[])
        )
        .is_ok());
        let e = can_forward(
            &tj,
            &a.origin_scope(),
            &codes,
            &to_all(&[ag("UZ-IIV")], &[], &[]),
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("UZ-IIV") && e.to_string().contains("KZ-MVD"),
            "{e}"
        );
        // The owner consents by sending it on itself; without the code anyone may forward.
        let kz = subject("KZ-MVD", &[Role::Officer], Classification::Confidential);
        assert!(can_forward(
            &kz,
            &a.origin_scope(),
            &codes,
            &to_all(&[ag("UZ-IIV")], &[], &[])
        )
        .is_ok());
        assert!(can_forward(
            &tj,
            &a.origin_scope(),
            &BTreeSet::new(),
            &to_all(&[ag("UZ-IIV")], &[], &[])
        )
        .is_ok());
    }

    #[test]
    fn the_origin_binds_forwards_of_forwards_and_channels() {
        let codes: BTreeSet<_> = [HandlingCode::NoOnward].into();
        let ag = |s: &str| AgencyCode::parse(s).unwrap();
        // KZ-MVD sent it to TJ-AKN; TJ-AKN forwarded inside the scope; the copy names its origin.
        let first = to(&["TJ-AKN"], &[]);
        let copy = Addressing {
            sender_agency: "TJ-AKN".into(),
            agencies: vec!["TJ-PV".into()],
            origin: Some(first.origin_scope()),
            ..Default::default()
        };
        let tj_pv = subject("TJ-PV", &[Role::BloOfficer], Classification::Restricted);
        let tj = subject("TJ-AKN", &[Role::Officer], Classification::Confidential);
        // The copy's own sender is not the owner: forwarding it on stays bound by KZ-MVD's scope.
        assert!(can_forward(
            &tj,
            &copy.origin_scope(),
            &codes,
            &to_all(&[ag("UZ-IIV")], &[], &[])
        )
        .is_err());
        // Nor does a BLO channel escape it.
        let channel = ["TJ-PV".to_string(), "UZ-DBQ".to_string()];
        let e = can_forward(
            &tj_pv,
            &copy.origin_scope(),
            &codes,
            &to_all(&[], &[], &channel),
        )
        .unwrap_err();
        assert!(e.to_string().contains("UZ-DBQ"), "{e}");
        // A country in the scope covers its agencies.
        let to_tj = to(&[], &["TJ"]).origin_scope();
        assert!(can_forward(&tj, &to_tj, &codes, &to_all(&[ag("TJ-PV")], &[], &[])).is_ok());
        // An operation is inside only when the owner sent it there.
        let ops = ["op-silk".to_string()];
        let into_op = Recipients {
            operations: &ops,
            ..to_all(&[], &[], &[])
        };
        assert!(can_forward(&tj, &to_tj, &codes, &into_op).is_err());
        let mut in_op = to_tj.clone();
        in_op.operations = ops.to_vec();
        assert!(can_forward(&tj, &in_op, &codes, &into_op).is_ok());
    }

    #[test]
    fn an_operation_message_reaches_whoever_takes_part_now() {
        let a = Addressing {
            sender_agency: "XC-CARICC".into(),
            classification: 1,
            operations: vec!["op-silk".into()],
            ..Default::default()
        };
        let mut tj = subject("TJ-AKN", &[Role::Officer], Classification::Confidential);
        assert_eq!(standing(&tj, &a), None);
        tj.operations.insert("op-silk".into());
        assert_eq!(
            standing(&tj, &a),
            Some(Standing {
                sender: false,
                recipient: true
            })
        );
        assert_eq!(
            recipient_keys(&tj, &a),
            [(RecipientKind::Operation, "op-silk".to_string())]
        );
        let mut low = subject("TJ-AKN", &[Role::Officer], Classification::Unclassified);
        low.operations.insert("op-silk".into());
        assert_eq!(standing(&low, &a), None);
    }

    #[test]
    fn priorities_parse_and_say_whether_they_need_an_ack() {
        assert_eq!(parse_priority("").unwrap(), Priority::Routine);
        assert_eq!(parse_priority("URGENT").unwrap(), Priority::Urgent);
        assert!(parse_priority("asap")
            .unwrap_err()
            .as_str()
            .contains("routine, urgent, immediate"));
        assert!(Priority::Immediate.requires_ack() && !Priority::Routine.requires_ack());
    }
}
