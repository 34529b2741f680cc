//! Handling codes: conditions the owner attaches to an item, shown wherever it is shown and
//! enforced where the system can (export, forwarding, disclosure).

use crate::identity::str_enum;
use crate::schema::Lang;
use std::{fmt, str::FromStr};

str_enum! {
    HandlingCode ("handling code") {
        LeOnly = "LE_ONLY",
        NoEvidence = "NO_EVIDENCE",
        NoOnward = "NO_ONWARD",
        IntelOnly = "INTEL_ONLY",
    }
}

impl HandlingCode {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::LeOnly, Lang::En) => "For law-enforcement use only",
            (Self::LeOnly, Lang::Ru) => "Только для использования правоохранительными органами",
            (Self::NoEvidence, Lang::En) => "Not for use as evidence without the owner's consent",
            (Self::NoEvidence, Lang::Ru) => "Не использовать в качестве доказательства без согласия владельца",
            (Self::NoOnward, Lang::En) => "No onward dissemination without the owner's consent",
            (Self::NoOnward, Lang::Ru) => "Не передавать третьим сторонам без согласия владельца",
            (Self::IntelOnly, Lang::En) => "Intelligence only: no operational action without the owner's consent",
            (Self::IntelOnly, Lang::Ru) => {
                "Только для аналитической работы: без согласия владельца не использовать для оперативных действий"
            }
        }
    }

    /// Whether this code forbids the item from leaving its dissemination scope (export, forward)
    /// unless the one moving it belongs to the owner agency.
    pub fn restricts_onward(self) -> bool {
        matches!(self, Self::NoOnward)
    }
}
