//! Dates of birth as people write them: whole, year and month, year only; day and month
//! swapped by an American form; a digit mistyped.

use std::fmt;

/// A possibly partial date. Month and day are kept as written even when impossible (a
/// swapped 1985-14-03 is still evidence), but only dates with a four-digit year are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl PartialDate {
    /// Reads `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (also with `/` or `.`), `DD.MM.YYYY` and
    /// `YYYYMMDD`; anything else is `None`.
    pub fn parse(text: &str) -> Option<PartialDate> {
        let text = text.trim();
        let parts: Vec<&str> = text
            .split(['-', '.', '/', 'T', ' '])
            .filter(|p| !p.is_empty())
            .collect();
        let num = |s: &str| -> Option<u16> {
            if !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().ok()
            } else {
                None
            }
        };
        let small = |s: &str| {
            num(s)
                .and_then(|n| u8::try_from(n).ok())
                .filter(|n| *n <= 99 && *n > 0)
        };
        let year = |s: &str| num(s).filter(|y| s.len() == 4 && (1000..=2999).contains(y));
        match parts.as_slice() {
            [one] if one.len() == 8 && one.bytes().all(|b| b.is_ascii_digit()) => Some(
                PartialDate {
                    year: year(&one[..4])?,
                    month: small(&one[4..6]),
                    day: small(&one[6..8]),
                }
                .consistent(),
            ),
            [y] => Some(PartialDate {
                year: year(y)?,
                month: None,
                day: None,
            }),
            [y, m] if y.len() == 4 => Some(PartialDate {
                year: year(y)?,
                month: small(m),
                day: None,
            }),
            [m, y] if y.len() == 4 => Some(PartialDate {
                year: year(y)?,
                month: small(m),
                day: None,
            }),
            [y, m, d, ..] if y.len() == 4 => Some(
                PartialDate {
                    year: year(y)?,
                    month: small(m),
                    day: small(d),
                }
                .consistent(),
            ),
            [d, m, y, ..] if y.len() == 4 => Some(
                PartialDate {
                    year: year(y)?,
                    month: small(m),
                    day: small(d),
                }
                .consistent(),
            ),
            _ => None,
        }
    }

    /// A day without a month says nothing.
    fn consistent(self) -> PartialDate {
        if self.month.is_none() {
            PartialDate { day: None, ..self }
        } else {
            self
        }
    }

    fn digits(&self) -> Option<[u8; 8]> {
        let (m, d) = (self.month?, self.day?);
        let s = format!("{:04}{:02}{:02}", self.year, m, d);
        let mut out = [0u8; 8];
        for (o, b) in out.iter_mut().zip(s.bytes()) {
            *o = b;
        }
        Some(out)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateAgreement {
    Same,
    /// One side gives less (a year, a year and month) and agrees with the other.
    Partial,
    DayMonthSwapped,
    OneDigit,
    DigitsTransposed,
    Conflict,
}

impl DateAgreement {
    /// How much the agreement supports the match, in [0, 1]; Conflict is 0.
    pub fn strength(self) -> f32 {
        match self {
            DateAgreement::Same => 1.0,
            DateAgreement::Partial => 0.8,
            DateAgreement::DayMonthSwapped => 0.75,
            DateAgreement::OneDigit => 0.6,
            DateAgreement::DigitsTransposed => 0.6,
            DateAgreement::Conflict => 0.0,
        }
    }

    pub fn describe(self, a: &PartialDate, b: &PartialDate) -> crate::explain::Reason {
        let what = match self {
            DateAgreement::Same => "same",
            DateAgreement::Partial if a.month.is_some() && b.month.is_some() => "year-month",
            DateAgreement::Partial => "year",
            DateAgreement::DayMonthSwapped => "swapped",
            DateAgreement::OneDigit => "one-digit",
            DateAgreement::DigitsTransposed => "transposed",
            DateAgreement::Conflict => "differs",
        };
        crate::explain::reason("match-date", &[("what", &what), ("a", a), ("b", b)])
    }
}

pub fn compare_dates(a: &PartialDate, b: &PartialDate) -> DateAgreement {
    if a == b && a.day.is_some() {
        return DateAgreement::Same;
    }
    if let (Some(da), Some(db)) = (a.digits(), b.digits()) {
        if a.year == b.year && a.month == b.day && a.day == b.month {
            return DateAgreement::DayMonthSwapped;
        }
        let diff: Vec<usize> = (0..8).filter(|k| da[*k] != db[*k]).collect();
        return match diff.as_slice() {
            [_] => DateAgreement::OneDigit,
            [x, y] if *y == x + 1 && da[*x] == db[*y] && da[*y] == db[*x] => {
                DateAgreement::DigitsTransposed
            }
            _ => DateAgreement::Conflict,
        };
    }
    // At least one side is partial: compare what both give.
    if a.year != b.year {
        let (ya, yb) = (format!("{:04}", a.year), format!("{:04}", b.year));
        // With less than a whole date to corroborate it, only a neighbouring year (an age
        // turned into a birth year, 1985/1986) is forgiven; 1991/1999 are two people.
        let only_last = a.year.abs_diff(b.year) == 1 && ya[..3] == yb[..3];
        let same_rest = match (a.month, b.month) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        };
        return if only_last && same_rest {
            DateAgreement::OneDigit
        } else {
            DateAgreement::Conflict
        };
    }
    match (a.month, b.month) {
        (Some(x), Some(y)) if x != y => {
            // Year-month against a whole date whose day is that month: swapped.
            let swapped = (a.day == Some(y)) || (b.day == Some(x));
            if swapped {
                DateAgreement::DayMonthSwapped
            } else {
                DateAgreement::Conflict
            }
        }
        _ => DateAgreement::Partial,
    }
}

/// The best agreement among all pairs of two lists of dates, with the pair; `None` when
/// either list is empty.
pub fn best_agreement(
    a: &[PartialDate],
    b: &[PartialDate],
) -> Option<(DateAgreement, PartialDate, PartialDate)> {
    let mut best: Option<(DateAgreement, PartialDate, PartialDate)> = None;
    for x in a {
        for y in b {
            let agreement = compare_dates(x, y);
            if best.is_none_or(|(b, _, _)| agreement.strength() > b.strength()) {
                best = Some((agreement, *x, *y));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    #[test]
    fn forms_people_write() {
        assert_eq!(d("1985-03-14"), d("14.03.1985"));
        assert_eq!(d("19850314"), d("1985/03/14"));
        assert_eq!(d("1985").month, None);
        assert_eq!(d("1985-03").day, None);
        assert!(PartialDate::parse("85").is_none());
        assert!(PartialDate::parse("yesterday").is_none());
        assert!(PartialDate::parse("").is_none());
    }

    #[test]
    fn agreements() {
        use DateAgreement::*;
        assert_eq!(compare_dates(&d("1985-03-14"), &d("1985-03-14")), Same);
        assert_eq!(compare_dates(&d("1985"), &d("1985-03-14")), Partial);
        assert_eq!(compare_dates(&d("1985-03"), &d("1985-03-14")), Partial);
        assert_eq!(
            compare_dates(&d("1985-03-04"), &d("1985-04-03")),
            DayMonthSwapped
        );
        assert_eq!(compare_dates(&d("1985-03-14"), &d("1985-03-15")), OneDigit);
        assert_eq!(
            compare_dates(&d("1985-03-14"), &d("1958-03-14")),
            DigitsTransposed
        );
        assert_eq!(compare_dates(&d("1985-03-14"), &d("1990-07-02")), Conflict);
        assert_eq!(compare_dates(&d("1985"), &d("1991-03-14")), Conflict);
        assert_eq!(compare_dates(&d("1985"), &d("1986-03-14")), OneDigit);
        assert_eq!(compare_dates(&d("1976"), &d("1986-03-14")), Conflict);
        assert_eq!(compare_dates(&d("1999"), &d("1991-03-07")), Conflict);
        assert_eq!(compare_dates(&d("1985-03"), &d("1985-07-14")), Conflict);
    }
}
