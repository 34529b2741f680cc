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

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (LinkKind::SeizureInvolves, Lang::En) => "involves",
            (LinkKind::SeizureInvolves, Lang::Ru) => "причастен(-но)",
            (LinkKind::CarriedBy, Lang::En) => "carried by",
            (LinkKind::CarriedBy, Lang::Ru) => "перевозилось на",
            (LinkKind::Owns, Lang::En) => "owns",
            (LinkKind::Owns, Lang::Ru) => "владеет",
            (LinkKind::Uses, Lang::En) => "uses",
            (LinkKind::Uses, Lang::Ru) => "использует",
            (LinkKind::MemberOf, Lang::En) => "member of",
            (LinkKind::MemberOf, Lang::Ru) => "член / участник",
            (LinkKind::AssociateOf, Lang::En) => "associate of",
            (LinkKind::AssociateOf, Lang::Ru) => "связан с",
            (LinkKind::RelativeOf, Lang::En) => "relative of",
            (LinkKind::RelativeOf, Lang::Ru) => "родственник",
            (LinkKind::HoldsDocument, Lang::En) => "holds document",
            (LinkKind::HoldsDocument, Lang::Ru) => "владеет документом",
            (LinkKind::LocatedAt, Lang::En) => "located at",
            (LinkKind::LocatedAt, Lang::Ru) => "находится по адресу",
            (LinkKind::PartOfCase, Lang::En) => "part of case",
            (LinkKind::PartOfCase, Lang::Ru) => "относится к делу",
            (LinkKind::LinkedTo, Lang::En) => "linked to",
            (LinkKind::LinkedTo, Lang::Ru) => "связано с",
        }
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
