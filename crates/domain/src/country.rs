//! Countries: ISO 3166-1 alpha-2 codes, and each country's standing at the centre.

use std::{fmt, str::FromStr};

use crate::error::Reason;

/// Every officially assigned ISO 3166-1 alpha-2 code, plus XK (Kosovo, as used by FollowTheMoney).
const ISO_CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO \
BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER \
ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN \
IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH \
MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN \
PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ \
TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK";

fn index(code: [u8; 2]) -> usize {
    usize::from(code[0] - b'A') * 26 + usize::from(code[1] - b'A')
}

/// Which of the 26×26 letter pairs are codes we accept, built once.
fn known_codes() -> &'static [bool; 676] {
    static KNOWN: std::sync::OnceLock<[bool; 676]> = std::sync::OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut known = [false; 676];
        for c in ISO_CODES.split(' ').chain([CENTRE_CODE]) {
            let b = c.as_bytes();
            known[index([b[0], b[1]])] = true;
        }
        known
    })
}

/// The code the centre itself uses: ISO 3166-1 leaves XA–XZ to users, and an international
/// organisation has no country of its own.
pub const CENTRE_CODE: &str = "XC";

/// A valid country code, upper case (`KZ`). Records' FtM `country` values use the lower-case form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Accepts an assigned ISO code or the centre's code, in either case.
    pub fn parse(s: &str) -> Result<Self, Reason> {
        let bad = || Reason::coded("country-code-invalid", &[("value", &format!("{s:?}"))]);
        let code = match s.trim().as_bytes() {
            [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                [a.to_ascii_uppercase(), b.to_ascii_uppercase()]
            }
            _ => return Err(bad()),
        };
        if known_codes()[index(code)] {
            Ok(Self(code))
        } else {
            Err(bad())
        }
    }

    /// For bytes that already passed `parse` (an agency code's prefix).
    pub(crate) fn from_checked_bytes(b: [u8; 2]) -> Self {
        Self(b)
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII upper-case letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    pub fn lower(&self) -> String {
        self.as_str().to_ascii_lowercase()
    }

    /// The name in `lang` of a country this centre deals with; other codes have none and show
    /// as codes.
    pub fn name(&self, lang: crate::schema::Lang) -> Option<&'static str> {
        NAMED
            .iter()
            .find(|c| **c == self.as_str())
            .map(|c| pamir_i18n::text(lang, &format!("country-{c}")))
    }

    /// Its name in every language the catalogue names it in (its code, as the English name,
    /// where the catalogue does not name it).
    pub fn catalogue_names(&self) -> crate::names::Names {
        let mut pairs: Vec<(&str, &str)> = crate::schema::Lang::all()
            .filter_map(|l| Some((l.code(), self.name(l)?)))
            .collect();
        if pairs.is_empty() {
            pairs.push(("en", self.as_str()));
        }
        crate::names::Names::parse(pairs).unwrap_or_default()
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for CountryCode {
    type Err = Reason;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl serde::Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for CountryCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A country's standing: members are full participants, observers see only what is disseminated
/// to them by name, the centre is the organisation itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountryStatus {
    Member,
    Observer,
    Centre,
}

impl CountryStatus {
    pub const ALL: [CountryStatus; 3] = [Self::Member, Self::Observer, Self::Centre];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Observer => "observer",
            Self::Centre => "centre",
        }
    }
}

impl FromStr for CountryStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim())
            .ok_or_else(|| {
                format!("unknown country status {s:?}; expected member, observer or centre")
            })
    }
}

/// The codes of the countries this centre deals with, which the catalogue names.
pub fn named_countries() -> &'static [&'static str] {
    NAMED
}

/// The countries this centre deals with; each is named `country-{code}` in the catalogue.
const NAMED: &[&str] = &[
    "XC", "AZ", "KZ", "KG", "RU", "TJ", "TM", "UZ", "AF", "AM", "AT", "BY", "CA", "CN", "DE", "FI",
    "FR", "GB", "GE", "IN", "IR", "IT", "MN", "NL", "PK", "PL", "RO", "TR", "UA", "AE", "US", "LT",
    "LV", "EE", "IQ", "SA",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_assigned_codes_in_any_case_and_refuses_others() {
        assert_eq!(
            CountryCode::parse("kz").map(|c| c.to_string()),
            Ok("KZ".into())
        );
        assert!(CountryCode::parse("XC").is_ok());
        for bad in ["", "K", "KZZ", "QQ", "12", "ZZ", "k'", "ЖК"] {
            assert!(CountryCode::parse(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(ISO_CODES.split(' ').count(), 250);
    }
}
