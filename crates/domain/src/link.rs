//! Typed links between two records, e.g. a seizure involving a person or a person owning a
//! vehicle. A link says something about both ends, so it is shown only to those who may read
//! both in full, and made only by those who may.

use crate::identity::str_enum;
use crate::schema::Lang;
use std::{fmt, str::FromStr};

str_enum! {
    LinkKind ("link kind") {
        SeizureInvolves = "seizure_involves",
        CarriedBy = "carried_by",
        Owns = "owns",
        Uses = "uses",
        MemberOf = "member_of",
        AssociateOf = "associate_of",
        RelativeOf = "relative_of",
        HoldsDocument = "holds_document",
        LocatedAt = "located_at",
        PartOfCase = "part_of_case",
        LinkedTo = "linked_to",
    }
}

const PARTIES: &[&str] = &["Person", "Organization", "Company"];
const ANY: &[&str] = &[];

impl LinkKind {
    /// Schemata allowed at the source and at the target; empty means any.
    pub fn ends(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            LinkKind::SeizureInvolves => (
                &["Seizure"],
                &[
                    "Person",
                    "Organization",
                    "Company",
                    "Vehicle",
                    "Vessel",
                    "UserAccount",
                    "CryptoWallet",
                    "BankAccount",
                    "Passport",
                    "Identification",
                    "Address",
                ],
            ),
            LinkKind::CarriedBy => (&["Seizure"], &["Vehicle", "Vessel"]),
            LinkKind::Owns => (
                PARTIES,
                &[
                    "Vehicle",
                    "Vessel",
                    "Company",
                    "BankAccount",
                    "CryptoWallet",
                    "Address",
                ],
            ),
            LinkKind::Uses => (
                PARTIES,
                &[
                    "Vehicle",
                    "Vessel",
                    "UserAccount",
                    "CryptoWallet",
                    "BankAccount",
                    "Passport",
                    "Identification",
                    "Address",
                ],
            ),
            LinkKind::MemberOf => (
                &["Person", "Organization", "Company"],
                &["Organization", "Company"],
            ),
            LinkKind::AssociateOf | LinkKind::RelativeOf => (&["Person"], &["Person"]),
            LinkKind::HoldsDocument => (&["Person"], &["Passport", "Identification"]),
            LinkKind::LocatedAt => (
                &["Person", "Organization", "Company", "Seizure"],
                &["Address"],
            ),
            LinkKind::PartOfCase => (ANY, &["Case"]),
            LinkKind::LinkedTo => (ANY, ANY),
        }
    }

    /// `None` when the pair of schemata fits this kind, otherwise why not.
    pub fn check_ends(self, source: &str, target: &str) -> Result<(), String> {
        let (s, t) = self.ends();
        if !s.is_empty() && !s.contains(&source) {
            return Err(format!(
                "a {} link starts at {}, not at a {source}",
                self.as_str(),
                s.join(" or ")
            ));
        }
        if !t.is_empty() && !t.contains(&target) {
            return Err(format!(
                "a {} link ends at {}, not at a {target}",
                self.as_str(),
                t.join(" or ")
            ));
        }
        Ok(())
    }

    /// Its label's key in the catalogue.
    pub fn label_key(self) -> &'static str {
        match self {
            LinkKind::SeizureInvolves => "link-seizure_involves",
            LinkKind::CarriedBy => "link-carried_by",
            LinkKind::Owns => "link-owns",
            LinkKind::Uses => "link-uses",
            LinkKind::MemberOf => "link-member_of",
            LinkKind::AssociateOf => "link-associate_of",
            LinkKind::RelativeOf => "link-relative_of",
            LinkKind::HoldsDocument => "link-holds_document",
            LinkKind::LocatedAt => "link-located_at",
            LinkKind::PartOfCase => "link-part_of_case",
            LinkKind::LinkedTo => "link-linked_to",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        pamir_i18n::text(lang, self.label_key())
    }

    /// The FollowTheMoney edge schema a link exports as, with its source and target properties.
    pub fn ftm_edge(self) -> (&'static str, &'static str, &'static str) {
        match self {
            LinkKind::Owns => ("Ownership", "owner", "asset"),
            LinkKind::MemberOf => ("Membership", "member", "organization"),
            LinkKind::AssociateOf => ("Associate", "person", "associate"),
            LinkKind::RelativeOf => ("Family", "person", "relative"),
            _ => ("UnknownLink", "subject", "object"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_are_checked() {
        assert!(LinkKind::SeizureInvolves
            .check_ends("Seizure", "Person")
            .is_ok());
        assert!(LinkKind::SeizureInvolves
            .check_ends("Person", "Seizure")
            .is_err());
        assert!(LinkKind::PartOfCase.check_ends("Vehicle", "Case").is_ok());
        assert!(LinkKind::LinkedTo.check_ends("Vehicle", "Case").is_ok());
        for k in LinkKind::ALL {
            let (s, t) = k.ends();
            for name in s.iter().chain(t) {
                assert!(crate::schema::schema(name).is_some(), "{name}");
            }
        }
    }
}
