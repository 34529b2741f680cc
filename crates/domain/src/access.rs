//! The access policy: one pure function decides what a subject may learn of an item.
//!
//! Every path that returns records (API, pages, search, export, match results, notifications)
//! calls [`decide`]. Listing and search queries pre-filter in SQL with [`FullAccessFilter`],
//! which states the same `Full` rule as data; a property test checks the two agree.
//!
//! The rules:
//! 1. A disabled subject, or one without a role that reads records (the auditor), learns nothing.
//! 2. An item is *in scope* for a subject when the subject's agency owns it, or its dissemination
//!    names all members and the subject's country is a member or the centre, or it names the
//!    subject's country, or it names the subject's agency, or it names an operation the
//!    subject's agency takes part in (coordinates, or accepted as an agency or as its country).
//! 3. In scope with clearance ≥ classification: **full** access.
//! 4. In scope but cleared too low: **hit** — the subject learns the item exists and its owner.
//! 5. Out of scope: **hit** for subjects of member countries and the centre (hit/no-hit is how
//!    they learn that another agency holds something); **none** for observers, who see only
//!    what is disseminated to them.

use std::collections::BTreeSet;

use crate::{
    classification::Classification,
    country::{CountryCode, CountryStatus},
    error::Reason,
    identity::{AgencyCode, Role, Username},
    meta::RecordMeta,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    None,
    Hit,
    Full,
}

/// The acting user, as far as the policy cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub username: Username,
    pub agency: AgencyCode,
    pub country: CountryCode,
    pub country_status: CountryStatus,
    pub roles: BTreeSet<Role>,
    pub clearance: Classification,
    pub active: bool,
    /// The operations the subject's agency takes part in (those it coordinates and those it,
    /// or its whole country, accepted) whose workspace the subject is cleared for: who sees the
    /// operation (`operation::standing`). Read afresh with the subject, so a removed party loses
    /// what an operation's scope gave it at once.
    pub operations: BTreeSet<String>,
}

impl Subject {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
    /// Whether the subject may read records at all (an active user with a reading role).
    pub fn reads_records(&self) -> bool {
        self.active && self.roles.iter().any(|r| r.reads_records())
    }
    fn writes_records(&self) -> bool {
        self.active && self.roles.iter().any(|r| r.writes_records())
    }

    /// The `Full` rule as data for a storage query, or `None` when the subject reads nothing.
    pub fn full_access_filter(&self) -> Option<FullAccessFilter> {
        self.reads_records().then(|| FullAccessFilter {
            max_classification: self.clearance,
            agency: self.agency.clone(),
            country: self.country,
            all_members_visible: self.country_status != CountryStatus::Observer,
            operations: self.operations.clone(),
        })
    }
}

/// The `Full` rule in a form a query can state: `classification ≤ max_classification AND
/// (owner = agency OR (all_members AND all_members_visible) OR country ∈ countries OR agency ∈ agencies
/// OR operations ∩ item's operations ≠ ∅)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullAccessFilter {
    pub max_classification: Classification,
    pub agency: AgencyCode,
    pub country: CountryCode,
    pub all_members_visible: bool,
    pub operations: BTreeSet<String>,
}

pub fn in_scope(subject: &Subject, meta: &RecordMeta) -> bool {
    let d = &meta.dissemination;
    meta.owner == subject.agency
        || (d.all_members && subject.country_status != CountryStatus::Observer)
        || d.countries.contains(&subject.country)
        || d.agencies.contains(&subject.agency)
        || !d.operations.is_disjoint(&subject.operations)
}

/// What `subject` may learn of an item with `meta`.
pub fn decide(subject: &Subject, meta: &RecordMeta) -> Access {
    if !subject.reads_records() {
        return Access::None;
    }
    if in_scope(subject, meta) {
        if subject.clearance >= meta.classification {
            Access::Full
        } else {
            Access::Hit
        }
    } else if subject.country_status == CountryStatus::Observer {
        Access::None
    } else {
        Access::Hit
    }
}

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("your roles do not allow submitting or changing records")]
    NoWriterRole,
    #[error("only the owner agency {0} may change this record")]
    NotOwner(AgencyCode),
    #[error("classification {classification} is above your clearance {clearance}")]
    AboveClearance {
        classification: Classification,
        clearance: Classification,
    },
}

impl From<Denied> for Reason {
    fn from(d: Denied) -> Reason {
        match d {
            Denied::NoWriterRole => Reason::coded("denied-no-writer-role", &[]),
            Denied::NotOwner(owner) => Reason::coded("denied-not-owner", &[("owner", &owner)]),
            Denied::AboveClearance {
                classification,
                clearance,
            } => Reason::coded(
                "denied-above-clearance",
                &[
                    ("classification", &classification),
                    ("clearance", &clearance),
                ],
            ),
        }
    }
}

/// May `subject` submit a record with this metadata? (The owner is always the subject's agency.)
pub fn can_create(subject: &Subject, meta: &RecordMeta) -> Result<(), Denied> {
    if !subject.writes_records() {
        return Err(Denied::NoWriterRole);
    }
    if meta.owner != subject.agency {
        return Err(Denied::NotOwner(meta.owner.clone()));
    }
    if meta.classification > subject.clearance {
        return Err(Denied::AboveClearance {
            classification: meta.classification,
            clearance: subject.clearance,
        });
    }
    Ok(())
}

/// May `subject` change or delete an item that has `current` metadata (and, for a change, will
/// have `next`)? The data-owner principle: only the owner agency, within its clearance.
pub fn can_modify(
    subject: &Subject,
    current: &RecordMeta,
    next: Option<&RecordMeta>,
) -> Result<(), Denied> {
    if !subject.writes_records() {
        return Err(Denied::NoWriterRole);
    }
    if current.owner != subject.agency {
        return Err(Denied::NotOwner(current.owner.clone()));
    }
    for m in std::iter::once(current).chain(next) {
        if m.classification > subject.clearance {
            return Err(Denied::AboveClearance {
                classification: m.classification,
                clearance: subject.clearance,
            });
        }
    }
    Ok(())
}

/// Whether `id` lies in `agency`'s namespace. Ids a caller chooses begin with the agency's code
/// and a colon (`kz-mvd:case-17`, in any case): no other agency can hold an id there, so choosing
/// one never tells whether a record the caller may not know of exists (no `409`, no "in use").
pub fn id_in_namespace(agency: &AgencyCode, id: &str) -> bool {
    id.split_once(':')
        .is_some_and(|(ns, rest)| ns.eq_ignore_ascii_case(agency.as_str()) && !rest.is_empty())
}

/// The one answer to an id outside the caller's namespace, whether or not a record holds it.
pub fn id_outside_namespace(agency: &AgencyCode, id: &str) -> Reason {
    let shown: String = id.chars().take(60).collect();
    Reason::coded(
        "id-outside-namespace",
        &[
            ("value", &format!("{shown:?}")),
            (
                "prefix",
                &format!("{}:", agency.as_str().to_ascii_lowercase()),
            ),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::Dissemination;

    fn subject(
        agency: &str,
        status: CountryStatus,
        clearance: Classification,
        roles: &[Role],
    ) -> Subject {
        let agency = AgencyCode::parse(agency).unwrap();
        Subject {
            username: Username::parse("someone").unwrap(),
            country: agency.country(),
            agency,
            country_status: status,
            roles: roles.iter().copied().collect(),
            clearance,
            active: true,
            operations: Default::default(),
        }
    }

    fn meta(owner: &str, c: Classification, d: Dissemination) -> RecordMeta {
        RecordMeta {
            owner: AgencyCode::parse(owner).unwrap(),
            classification: c,
            dissemination: d,
            handling_codes: Default::default(),
            evaluation: None,
        }
    }

    fn to_countries(cs: &[&str]) -> Dissemination {
        Dissemination {
            countries: cs.iter().map(|c| CountryCode::parse(c).unwrap()).collect(),
            ..Default::default()
        }
    }

    use Classification::*;
    use CountryStatus::*;

    #[test]
    fn kz_only_confidential_record() {
        let m = meta("KZ-MVD", Confidential, to_countries(&["KZ"]));
        let kz = subject("KZ-KNB", Member, Secret, &[Role::Officer]);
        let tj = subject("TJ-DCA", Member, Secret, &[Role::Officer]);
        let kz_low = subject("KZ-KNB", Member, Restricted, &[Role::Officer]);
        let fr = subject("FR-OFAST", Observer, Secret, &[Role::Officer]);
        let auditor = subject("KZ-MVD", Member, Secret, &[Role::Auditor]);
        assert_eq!(decide(&kz, &m), Access::Full);
        assert_eq!(decide(&tj, &m), Access::Hit);
        assert_eq!(decide(&kz_low, &m), Access::Hit);
        assert_eq!(decide(&fr, &m), Access::None);
        assert_eq!(decide(&auditor, &m), Access::None);
    }

    #[test]
    fn observers_see_what_names_them_but_not_all_members_items() {
        let fr = subject("FR-OFAST", Observer, Confidential, &[Role::Analyst]);
        let all = meta(
            "KZ-MVD",
            Restricted,
            Dissemination {
                all_members: true,
                ..Default::default()
            },
        );
        assert_eq!(decide(&fr, &all), Access::None);
        assert_eq!(
            decide(&fr, &meta("KZ-MVD", Restricted, to_countries(&["FR"]))),
            Access::Full
        );
    }

    #[test]
    fn an_operation_scope_reaches_its_parties_only_and_still_under_clearance() {
        let m = meta(
            "KZ-MVD",
            Confidential,
            Dissemination {
                operations: ["op-silk".to_string()].into(),
                ..Default::default()
            },
        );
        let with_op = |mut s: Subject| {
            s.operations.insert("op-silk".into());
            s
        };
        let uz = with_op(subject("UZ-MVD", Member, Secret, &[Role::Officer]));
        let uz_low = with_op(subject("UZ-MVD", Member, Restricted, &[Role::Officer]));
        let fr = with_op(subject("FR-OFAST", Observer, Secret, &[Role::Analyst]));
        let tj = subject("TJ-DCA", Member, Secret, &[Role::Officer]);
        let de = subject("DE-BKA", Observer, Secret, &[Role::Officer]);
        assert_eq!(decide(&uz, &m), Access::Full);
        assert_eq!(decide(&fr, &m), Access::Full);
        assert_eq!(decide(&uz_low, &m), Access::Hit);
        assert_eq!(decide(&tj, &m), Access::Hit);
        assert_eq!(decide(&de, &m), Access::None);
    }

    #[test]
    fn only_the_owner_changes_within_clearance() {
        let m = meta("KZ-MVD", Confidential, Dissemination::default());
        let owner = subject("KZ-MVD", Member, Confidential, &[Role::Officer]);
        let other = subject("KZ-KNB", Member, Secret, &[Role::Officer]);
        assert!(can_modify(&owner, &m, None).is_ok());
        assert!(matches!(
            can_modify(&other, &m, None),
            Err(Denied::NotOwner(_))
        ));
        let secret = meta("KZ-MVD", Secret, Dissemination::default());
        assert!(matches!(
            can_modify(&owner, &m, Some(&secret)),
            Err(Denied::AboveClearance { .. })
        ));
        let admin = subject("XC-CARICC", Centre, Secret, &[Role::CentreAdmin]);
        assert_eq!(
            can_create(
                &admin,
                &meta("XC-CARICC", Unclassified, Dissemination::default())
            ),
            Err(Denied::NoWriterRole)
        );
    }
}

impl FullAccessFilter {
    /// The filter applied to one item in memory, exactly as the storage query states it.
    pub fn admits(&self, meta: &RecordMeta) -> bool {
        meta.classification <= self.max_classification
            && (meta.owner == self.agency
                || (meta.dissemination.all_members && self.all_members_visible)
                || meta.dissemination.countries.contains(&self.country)
                || meta.dissemination.agencies.contains(&self.agency)
                || !meta.dissemination.operations.is_disjoint(&self.operations))
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::meta::Dissemination;
    use proptest::prelude::*;

    const AGENCIES: &[&str] = &[
        "KZ-MVD",
        "KZ-KNB",
        "TJ-DCA",
        "UZ-MVD",
        "FR-OFAST",
        "XC-CARICC",
        "RU-MVD",
    ];

    const OPERATIONS: &[&str] = &["op-reflex", "op-substitute", "op-silk"];

    fn status_of(agency: &str) -> CountryStatus {
        match &agency[..2] {
            "FR" => CountryStatus::Observer,
            "XC" => CountryStatus::Centre,
            _ => CountryStatus::Member,
        }
    }

    fn arb_subject() -> impl Strategy<Value = Subject> {
        (
            0..AGENCIES.len(),
            0..4i64,
            proptest::collection::btree_set(0..Role::ALL.len(), 0..3),
            any::<bool>(),
            proptest::collection::btree_set(0..OPERATIONS.len(), 0..2),
        )
            .prop_map(|(a, c, roles, active, ops)| {
                let agency = AgencyCode::parse(AGENCIES[a]).unwrap();
                Subject {
                    username: Username::parse("prop.user").unwrap(),
                    country: agency.country(),
                    country_status: status_of(AGENCIES[a]),
                    agency,
                    roles: roles.into_iter().map(|i| Role::ALL[i]).collect(),
                    clearance: Classification::from_level(c).unwrap(),
                    active,
                    operations: ops.into_iter().map(|i| OPERATIONS[i].to_string()).collect(),
                }
            })
    }

    fn arb_meta() -> impl Strategy<Value = RecordMeta> {
        (
            0..AGENCIES.len(),
            0..4i64,
            any::<bool>(),
            proptest::collection::btree_set(0..AGENCIES.len(), 0..3),
            proptest::collection::btree_set(0..AGENCIES.len(), 0..3),
            proptest::collection::btree_set(0..OPERATIONS.len(), 0..2),
        )
            .prop_map(|(o, c, all, countries, agencies, ops)| RecordMeta {
                owner: AgencyCode::parse(AGENCIES[o]).unwrap(),
                classification: Classification::from_level(c).unwrap(),
                dissemination: Dissemination {
                    all_members: all,
                    countries: countries
                        .into_iter()
                        .map(|i| CountryCode::parse(&AGENCIES[i][..2]).unwrap())
                        .collect(),
                    agencies: agencies
                        .into_iter()
                        .map(|i| AgencyCode::parse(AGENCIES[i]).unwrap())
                        .collect(),
                    operations: ops.into_iter().map(|i| OPERATIONS[i].to_string()).collect(),
                },
                handling_codes: Default::default(),
                evaluation: None,
            })
    }

    proptest! {
        #[test]
        fn storage_filter_admits_exactly_what_decide_grants_in_full(s in arb_subject(), m in arb_meta()) {
            let full = decide(&s, &m) == Access::Full;
            let admitted = s.full_access_filter().is_some_and(|f| f.admits(&m));
            prop_assert_eq!(full, admitted);
        }

        #[test]
        fn whoever_may_change_an_item_may_read_it_in_full(s in arb_subject(), m in arb_meta()) {
            if can_modify(&s, &m, None).is_ok() {
                prop_assert_eq!(decide(&s, &m), Access::Full);
            }
        }

        #[test]
        fn observers_never_get_hits_outside_their_scope(s in arb_subject(), m in arb_meta()) {
            if s.country_status == CountryStatus::Observer && !in_scope(&s, &m) {
                prop_assert_eq!(decide(&s, &m), Access::None);
            }
        }
    }

    #[test]
    fn chosen_ids_live_in_the_agency_namespace() {
        let kz = AgencyCode::parse("KZ-MVD").unwrap();
        for ok in ["kz-mvd:case-17", "KZ-MVD:x", "Kz-Mvd:a:b"] {
            assert!(id_in_namespace(&kz, ok), "{ok}");
        }
        for bad in [
            "kz-mvd:",
            "kz-mvd-1",
            "kz-mvdx:1",
            "kz-mvd-x:1",
            "tj-akn:1",
            "case-17",
            ":x",
        ] {
            assert!(!id_in_namespace(&kz, bad), "{bad}");
        }
        assert!(id_outside_namespace(&kz, "tj-1")
            .as_str()
            .contains("\"kz-mvd:\""));
    }
}
