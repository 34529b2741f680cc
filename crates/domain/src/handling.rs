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
    /// Its label's key in the catalogue.
    pub fn label_key(self) -> &'static str {
        match self {
            HandlingCode::LeOnly => "handling-LE_ONLY",
            HandlingCode::NoEvidence => "handling-NO_EVIDENCE",
            HandlingCode::NoOnward => "handling-NO_ONWARD",
            HandlingCode::IntelOnly => "handling-INTEL_ONLY",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        pamir_i18n::text(lang, self.label_key())
    }

    /// Whether this code forbids the item from leaving its dissemination scope (export, forward)
    /// unless the one moving it belongs to the owner agency.
    pub fn restricts_onward(self) -> bool {
        matches!(self, Self::NoOnward)
    }
}
