//! Security classification of an item and clearance of a person: one ordered scale.

use std::{fmt, str::FromStr};

use crate::error::Reason;

/// UNCLASSIFIED < RESTRICTED < CONFIDENTIAL < SECRET. A user reads an item only with clearance ≥ it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Classification {
    Unclassified = 0,
    Restricted = 1,
    Confidential = 2,
    Secret = 3,
}

impl Classification {
    pub const ALL: [Classification; 4] = [
        Self::Unclassified,
        Self::Restricted,
        Self::Confidential,
        Self::Secret,
    ];

    pub fn level(self) -> i64 {
        self as i64
    }

    pub fn from_level(level: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.level() == level)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unclassified => "UNCLASSIFIED",
            Self::Restricted => "RESTRICTED",
            Self::Confidential => "CONFIDENTIAL",
            Self::Secret => "SECRET",
        }
    }
}

impl fmt::Display for Classification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Classification {
    type Err = Reason;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let upper = s.trim().to_ascii_uppercase();
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == upper)
            .ok_or_else(|| Reason::coded("classification-unknown", &[("value", &format!("{s:?}"))]))
    }
}
