//! The scorer: compares two prepared records of one kind and says how likely they are one
//! person, organisation or vehicle, in [0, 1], with the reasons in words.
//!
//! A person's score starts from the agreement of their names (each word's similarity,
//! multiplied, so one wrong given name is enough to sink it), then evidence moves it: a birth
//! date that agrees keeps it, one that conflicts cuts it hard; opposite gender forms (Ivanov,
//! Ivanova) cut it hard; a shared document number lifts it towards 1.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use crate::dates::{best_agreement, DateAgreement};
use crate::explain::{self, Reason};
use crate::ids::{plate_similarity, vin_similarity};
use crate::names::{Name, Role};
use crate::normalise::display;
use crate::record::{IdKind, Kind, Prepared};
use crate::word::{word_similarity, Likeness, WordRef};

/// The default threshold: scores at or above it are matches.
pub const DEFAULT_THRESHOLD: f32 = 0.7;

#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub score: f32,
    /// The reasons in English, one after another (`pamir match`, the API).
    pub explanation: String,
    /// The reasons as catalogue messages, for every language.
    pub reasons: Vec<Reason>,
}

/// Word similarities already computed while answering one query.
#[derive(Default)]
pub struct SimCache {
    /// Keyed by the words' addresses: every word compared lives in the index or the query,
    /// both of which outlive the cache (one query).
    map: HashMap<(usize, usize), (f32, Likeness), BuildHasherDefault<PtrHasher>>,
}

/// Keys are pairs of addresses: a multiply-xor is enough, SipHash is not needed.
#[derive(Default)]
struct PtrHasher(u64);

impl Hasher for PtrHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

impl SimCache {
    fn get(&mut self, a: &WordRef, b: &WordRef) -> (f32, Likeness) {
        let key = (Arc::as_ptr(a) as usize, Arc::as_ptr(b) as usize);
        if let Some(v) = self.map.get(&key) {
            return *v;
        }
        let v = word_similarity(a, b);
        if self.map.len() < 100_000 {
            self.map.insert(key, v);
        }
        v
    }
}

/// Compares two prepared records, with the explanation; `None` when they are of different
/// kinds.
pub fn compare(q: &Prepared, r: &Prepared, cache: &mut SimCache) -> Option<Comparison> {
    let mut reasons = Reasons::new(true);
    let score = evaluate(q, r, cache, 0.0, &mut reasons)?;
    Some(Comparison {
        score,
        explanation: explain::render(&reasons.list, pamir_i18n::Lang::EN),
        reasons: reasons.list,
    })
}

/// The score alone, or `None` when it is certainly below `floor` (or the kinds differ).
pub fn score_at_least(q: &Prepared, r: &Prepared, cache: &mut SimCache, floor: f32) -> Option<f32> {
    let score = evaluate(q, r, cache, floor, &mut Reasons::new(false))?;
    (score >= floor).then_some(score)
}

fn evaluate(
    q: &Prepared,
    r: &Prepared,
    cache: &mut SimCache,
    floor: f32,
    reasons: &mut Reasons,
) -> Option<f32> {
    if q.kind != r.kind {
        return None;
    }
    let score = match q.kind {
        Kind::Person => person(q, r, cache, floor, reasons)?,
        Kind::Organization => organisation(q, r, cache, reasons),
        Kind::Vehicle => vehicle(q, r, cache, reasons),
    };
    let score = if score.is_finite() {
        score.clamp(0.0, 1.0)
    } else {
        0.0
    };
    Some((score * 1000.0).round() / 1000.0)
}

struct NameOutcome {
    score: f32,
    reasons: Reasons,
}

/// The reasons for a score, written only when they will be shown: most comparisons end below
/// the threshold and need no words.
struct Reasons {
    on: bool,
    list: Vec<Reason>,
}

impl Reasons {
    fn new(on: bool) -> Reasons {
        Reasons {
            on,
            list: Vec::new(),
        }
    }

    fn add(&mut self, reason: impl FnOnce() -> Reason) {
        if self.on {
            self.list.push(reason());
        }
    }
}

fn role_of(a: Role, b: Role) -> Role {
    if a == b || b == Role::Unknown {
        a
    } else if a == Role::Unknown {
        b
    } else {
        // Roles guessed differently on each side: the surname guess is the firmer one.
        if a == Role::Surname || b == Role::Surname {
            Role::Surname
        } else {
            a
        }
    }
}

fn compare_names(q: &Name, r: &Name, cache: &mut SimCache, explain: bool) -> NameOutcome {
    let (n, m) = (q.tokens.len(), r.tokens.len());
    let mut pairs: Vec<(f32, usize, usize, Likeness)> = Vec::with_capacity(n * m);
    for (i, a) in q.tokens.iter().enumerate() {
        for (j, b) in r.tokens.iter().enumerate() {
            let (mut sim, like) = cache.get(&a.word, &b.word);
            let patronymics =
                usize::from(a.role == Role::Patronymic) + usize::from(b.role == Role::Patronymic);
            let initial = a.word.is_initial() || b.word.is_initial();
            if patronymics == 1 && !initial {
                // A father's name is not the son's own name (Rustam Karimov / Jamshid
                // Rustamovich Karimov).
                sim *= 0.55;
            }
            pairs.push((sim, i, j, like));
        }
    }
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0));
    let mut used_q = vec![false; n];
    let mut used_r = vec![false; m];
    let mut chosen: Vec<(f32, usize, usize, Likeness)> = Vec::new();
    for p in pairs {
        if !used_q[p.1] && !used_r[p.2] {
            used_q[p.1] = true;
            used_r[p.2] = true;
            chosen.push(p);
        }
    }
    let mut score = 1.0f32;
    let mut reasons = Reasons::new(explain);
    chosen.sort_by_key(|p| p.1);
    let reordered = chosen.windows(2).any(|w| w[1].2 < w[0].2);
    for &(sim, i, j, like) in &chosen {
        let (a, b) = (&q.tokens[i], &r.tokens[j]);
        let weight = if a.role == Role::Patronymic && b.role == Role::Patronymic {
            0.6
        } else if a.word.is_initial() || b.word.is_initial() {
            0.5
        } else {
            1.0
        };
        score *= sim.max(0.0).powf(weight);
        let role = role_of(a.role, b.role).code();
        let like = if sim < 0.8 && like != Likeness::Initial {
            Likeness::Different
        } else {
            like
        };
        reasons.add(|| {
            let (x, y) = (display(&a.shown.text), display(&b.shown.text));
            match like {
                Likeness::Same => {
                    explain::reason("match-word-same", &[("role", &role), ("word", &x)])
                }
                _ => explain::reason(
                    "match-word-like",
                    &[
                        ("role", &role),
                        ("likeness", &like.code()),
                        ("word", &x),
                        ("other", &y),
                    ],
                ),
            }
        });
    }
    let unmatched = q
        .tokens
        .iter()
        .enumerate()
        .filter(|(i, _)| !used_q[*i])
        .chain(r.tokens.iter().enumerate().filter(|(j, _)| !used_r[*j]));
    for (_, t) in unmatched {
        let soft = t.role == Role::Patronymic || t.shown.is_initial();
        score *= if soft { 0.95 } else { 0.88 };
        reasons.add(|| {
            explain::reason(
                "match-word-one-side",
                &[("role", &t.role.code()), ("word", &display(&t.shown.text))],
            )
        });
    }
    if chosen.len() == 1 {
        // One word in common is weak evidence, however rare the word.
        score *= if n.max(m) > 1 { 0.6 } else { 0.75 };
    }
    if reordered {
        reasons.add(|| explain::reason("match-word-order", &[]));
    }
    NameOutcome { score, reasons }
}

fn person(
    q: &Prepared,
    r: &Prepared,
    cache: &mut SimCache,
    floor: f32,
    reasons: &mut Reasons,
) -> Option<f32> {
    let dates = best_agreement(&q.birth_dates, &r.birth_dates);
    let date_factor = match dates {
        Some((agreement, ..)) => match agreement {
            DateAgreement::Same => 1.0,
            DateAgreement::Partial => 0.95,
            DateAgreement::DayMonthSwapped => 0.93,
            DateAgreement::OneDigit | DateAgreement::DigitsTransposed => 0.85,
            DateAgreement::Conflict => 0.35,
        },
        None => 0.88,
    };
    let gender_conflict = matches!((q.gender, r.gender), (Some(a), Some(b)) if a != b);
    let gender_factor = if gender_conflict { 0.3 } else { 1.0 };
    let numbers = (!q.identifiers.is_empty() && !r.identifiers.is_empty())
        || (!q.phones.is_empty() && !r.phones.is_empty());
    if !numbers && date_factor * gender_factor < floor {
        // Names cannot lift it back: skip comparing them.
        return None;
    }
    let mut best: Option<NameOutcome> = None;
    for nq in &q.names {
        for nr in &r.names {
            let outcome = compare_names(nq, nr, cache, reasons.on);
            if best.as_ref().is_none_or(|b| outcome.score > b.score) {
                best = Some(outcome);
            }
        }
    }
    let mut score = match best {
        Some(outcome) => {
            reasons.list.extend(outcome.reasons.list);
            outcome.score
        }
        None => 0.0,
    };
    score *= date_factor * gender_factor;
    if let Some((agreement, a, b)) = dates {
        reasons.add(|| agreement.describe(&a, &b));
    }
    if let (true, Some(a), Some(b)) = (gender_conflict, q.gender, r.gender) {
        reasons.add(|| explain::reason("match-gender", &[("a", &a.label()), ("b", &b.label())]));
    }
    score = identifiers(q, r, score, reasons);
    let shared_phone = q.phones.iter().find(|a| {
        r.phones.iter().any(|b| match (&a.e164, &b.e164) {
            (Some(x), Some(y)) => x == y,
            _ => a.tail == b.tail,
        })
    });
    if let Some(p) = shared_phone {
        score += (1.0 - score) * 0.4;
        reasons.add(|| explain::reason("match-phone-same", &[("phone", &p.shown)]));
    }
    Some(score)
}

/// Shared numbers lift the score; different numbers of a kind that is unique per holder
/// (registration, tax) lower it.
fn identifiers(q: &Prepared, r: &Prepared, mut score: f32, reasons: &mut Reasons) -> f32 {
    let same = q.identifiers.iter().find(|(ka, a)| {
        r.identifiers
            .iter()
            .any(|(kb, b)| a.key == b.key && (ka == kb || q.kind == Kind::Person))
    });
    if let Some((kind, code)) = same {
        score = score.max(0.5);
        score += (1.0 - score) * 0.7;
        reasons.add(|| {
            explain::reason(
                "match-id-same",
                &[("kind", &kind.code()), ("code", &code.shown)],
            )
        });
        return score;
    }
    for kind in [IdKind::Registration, IdKind::Tax, IdKind::Passport] {
        let a: Vec<_> = q.identifiers.iter().filter(|(k, _)| *k == kind).collect();
        let b: Vec<_> = r.identifiers.iter().filter(|(k, _)| *k == kind).collect();
        if let (Some((_, x)), Some((_, y))) = (a.first(), b.first()) {
            score *= match kind {
                IdKind::Passport => 0.85,
                _ => 0.6,
            };
            reasons.add(|| {
                explain::reason(
                    "match-id-differs",
                    &[("kind", &kind.code()), ("a", &x.shown), ("b", &y.shown)],
                )
            });
            break;
        }
    }
    score
}

fn organisation(q: &Prepared, r: &Prepared, cache: &mut SimCache, reasons: &mut Reasons) -> f32 {
    let mut best = 0.0f32;
    let mut best_reason = None::<Reason>;
    for a in &q.org_names {
        for b in &r.org_names {
            let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
            for (i, x) in a.iter().enumerate() {
                for (j, y) in b.iter().enumerate() {
                    pairs.push((cache.get(x, y).0, i, j));
                }
            }
            pairs.sort_by(|x, y| y.0.total_cmp(&x.0));
            let (mut ua, mut ub) = (vec![false; a.len()], vec![false; b.len()]);
            let mut total = 0.0;
            for (sim, i, j) in pairs {
                if !ua[i] && !ub[j] && sim >= 0.8 {
                    ua[i] = true;
                    ub[j] = true;
                    total += sim;
                }
            }
            let dice = 2.0 * total / (a.len() + b.len()) as f32;
            if dice > best {
                best = dice;
                let join = |ws: &[WordRef]| {
                    ws.iter()
                        .map(|w| display(&w.text))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let (x, y) = (join(a), join(b));
                best_reason = Some(if dice >= 0.999 {
                    explain::reason("match-org-same-words", &[("a", &x), ("b", &y)])
                } else {
                    let percent = format!("{:.0}", dice * 100.0);
                    explain::reason(
                        "match-org-alike",
                        &[("percent", &percent), ("a", &x), ("b", &y)],
                    )
                });
            }
        }
    }
    let mut score = best * 0.9;
    if let Some(reason) = best_reason {
        reasons.add(|| reason);
    }
    score = identifiers(q, r, score, reasons);
    if let Some(p) = q
        .phones
        .iter()
        .find(|a| r.phones.iter().any(|b| a.tail == b.tail))
    {
        score += (1.0 - score) * 0.4;
        reasons.add(|| explain::reason("match-phone-same", &[("phone", &p.shown)]));
    }
    score
}

fn vehicle(q: &Prepared, r: &Prepared, cache: &mut SimCache, reasons: &mut Reasons) -> f32 {
    let mut vin = None::<(f32, &str, &str)>;
    for a in &q.vins {
        for b in &r.vins {
            let s = vin_similarity(&a.key, &b.key);
            if vin.is_none_or(|v| s > v.0) {
                vin = Some((s, &a.shown, &b.shown));
            }
        }
    }
    let mut plate = None::<(f32, &str, &str)>;
    for a in &q.plates {
        for b in &r.plates {
            let s = plate_similarity(&a.key, &b.key);
            if plate.is_none_or(|v| s > v.0) {
                plate = Some((s, &a.shown, &b.shown));
            }
        }
    }
    let describe = |kind: &str, (s, a, b): (f32, &str, &str)| -> Reason {
        let what = if s >= 1.0 {
            "same"
        } else if s >= 0.85 {
            "read-alike"
        } else if s > 0.0 {
            "one-char"
        } else {
            "differs"
        };
        explain::reason(
            "match-vehicle",
            &[("kind", &kind), ("what", &what), ("a", &a), ("b", &b)],
        )
    };
    let mut score: f32 = 0.0;
    if let Some(v) = vin {
        score = score.max(v.0);
        reasons.add(|| describe("vin", v));
    }
    if let Some(p) = plate {
        score = score.max(p.0 * 0.9);
        reasons.add(|| describe("plate", p));
    }
    if vin.is_some_and(|v| v.0 == 0.0) {
        // Plates move between vehicles; VINs do not.
        score *= 0.3;
    }
    if !q.org_names.is_empty() && !r.org_names.is_empty() && score > 0.0 {
        let models = q.org_names.iter().any(|a| {
            r.org_names
                .iter()
                .any(|b| a.iter().any(|x| b.iter().any(|y| cache.get(x, y).0 >= 0.9)))
        });
        if models {
            score += (1.0 - score) * 0.2;
            reasons.add(|| explain::reason("match-model-alike", &[]));
        }
    }
    score
}
