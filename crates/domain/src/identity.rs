//! Agencies, users and roles: who acts, on behalf of whom.

use std::{fmt, str::FromStr};

use crate::{country::CountryCode, error::Reason};

macro_rules! string_newtype_serde {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(self.as_str())
            }
        }
        impl FromStr for $t {
            type Err = Reason;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}

/// An agency's code: its country's code, a dash and a short upper-case name, e.g. `KZ-MVD`.
/// The country prefix makes codes unique across countries and readable in dissemination lists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AgencyCode(String);

impl AgencyCode {
    pub fn parse(s: &str) -> Result<Self, Reason> {
        let t = s.trim().to_ascii_uppercase();
        let err = || Reason::coded("agency-code-invalid", &[("value", &format!("{s:?}"))]);
        let (country, rest) = t.split_once('-').ok_or_else(err)?;
        CountryCode::parse(country).map_err(|_| err())?;
        let ok_rest = (2..=16).contains(&rest.len())
            && rest
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
        if !ok_rest || rest.starts_with('-') || rest.ends_with('-') {
            return Err(err());
        }
        Ok(Self(t))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The country the code names; always valid because `parse` checked it.
    pub fn country(&self) -> CountryCode {
        let b = self.0.as_bytes();
        CountryCode::from_checked_bytes([b[0], b[1]])
    }
}

string_newtype_serde!(AgencyCode);

/// A login name: 3–64 of lower-case letters, digits, `.`, `_`, `-`, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Self, Reason> {
        let t = s.trim().to_lowercase();
        let ok = (3..=64).contains(&t.len())
            && t.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
            && t.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if ok {
            Ok(Self(t))
        } else {
            Err(Reason::coded(
                "username-invalid",
                &[("value", &format!("{s:?}"))],
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype_serde!(Username);

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident ($what:literal) { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.pad(self.as_str()) }
        }
        impl FromStr for $name {
            type Err = $crate::error::Reason;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let t = s.trim();
                Self::ALL.iter().copied().find(|v| v.as_str() == t).ok_or_else(|| {
                    let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    $crate::error::Reason::coded(
                        "enum-value-unknown",
                        &[
                            ("what", &$what.replace(' ', "-")),
                            ("value", &format!("{s:?}")),
                            ("allowed", &names.join(", ")),
                        ],
                    )
                })
            }
        }
    };
}
pub(crate) use str_enum;

str_enum! {
    /// What an agency does; it decides nothing about access, but shapes routing and reports.
    AgencyKind ("agency kind") {
        Police = "police",
        DrugControl = "drug_control",
        Customs = "customs",
        Border = "border",
        Security = "security",
        Fiu = "fiu",
        Prosecutor = "prosecutor",
        Centre = "centre",
    }
}

impl AgencyKind {
    /// Its label's key in the catalogue.
    pub fn label_key(self) -> &'static str {
        match self {
            AgencyKind::Police => "agency-kind-police",
            AgencyKind::DrugControl => "agency-kind-drug_control",
            AgencyKind::Customs => "agency-kind-customs",
            AgencyKind::Border => "agency-kind-border",
            AgencyKind::Security => "agency-kind-security",
            AgencyKind::Fiu => "agency-kind-fiu",
            AgencyKind::Prosecutor => "agency-kind-prosecutor",
            AgencyKind::Centre => "agency-kind-centre",
        }
    }

    pub fn label(self, lang: crate::schema::Lang) -> &'static str {
        pamir_i18n::text(lang, self.label_key())
    }
}

str_enum! {
    /// The roles of DESIGN.md. A user may hold several.
    Role ("role") {
        Officer = "officer",
        BloOfficer = "blo_officer",
        Analyst = "analyst",
        Coordinator = "coordinator",
        NationalFocalPoint = "national_focal_point",
        CentreAdmin = "centre_admin",
        Auditor = "auditor",
    }
}

impl Role {
    /// Its label's key in the catalogue.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Officer => "role-officer",
            Role::BloOfficer => "role-blo_officer",
            Role::Analyst => "role-analyst",
            Role::Coordinator => "role-coordinator",
            Role::NationalFocalPoint => "role-national_focal_point",
            Role::CentreAdmin => "role-centre_admin",
            Role::Auditor => "role-auditor",
        }
    }

    pub fn label(self, lang: crate::schema::Lang) -> &'static str {
        pamir_i18n::text(lang, self.label_key())
    }

    /// Roles whose work needs the content of records. The auditor reads the audit trail and nothing else.
    pub fn reads_records(self) -> bool {
        !matches!(self, Role::Auditor)
    }

    /// Roles that submit and maintain records on behalf of their agency.
    pub fn writes_records(self) -> bool {
        matches!(
            self,
            Role::Officer
                | Role::BloOfficer
                | Role::Analyst
                | Role::Coordinator
                | Role::NationalFocalPoint
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_codes_carry_a_valid_country() {
        let a = AgencyCode::parse("kz-mvd").unwrap();
        assert_eq!(a.as_str(), "KZ-MVD");
        assert_eq!(a.country().as_str(), "KZ");
        for bad in [
            "KZMVD",
            "QQ-MVD",
            "KZ-",
            "KZ-M",
            "KZ-MVD'; DROP TABLE x",
            "KZ--X",
            "KZ-ЖКХ",
        ] {
            assert!(AgencyCode::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn usernames_are_plain() {
        assert_eq!(
            Username::parse("KZ.Officer").unwrap().as_str(),
            "kz.officer"
        );
        for bad in ["ab", "1abc", "a b", "../etc", "a'b"] {
            assert!(Username::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), *r);
        }
        assert!("wizard".parse::<Role>().is_err());
    }
}
