//! The matching index: prepared records, and blocking keys under which true matches meet.
//!
//! Each name word is filed under its skeleton and, for longer words, its skeleton with one
//! symbol deleted, so one typo or one transliteration difference in a word still meets.
//! Numbers (documents, phones, plates, VINs) are filed under their normalised forms. A query
//! collects the records that share keys with it, counts for each how many of the query's words
//! (or numbers, which count double) it shares, and scores the best-supported candidates in full.

use std::collections::HashMap;

use crate::dates::PartialDate;
use crate::record::{Kind, Prepared, Record};
use crate::score::{compare, score_at_least, Comparison, SimCache};
use crate::word::{hash_key, Lexicon, ReadOnly};

/// How many candidates a query scores in full, at most.
pub const MAX_CANDIDATES: usize = 400;
/// Postings a query reads before it stops reading its commonest words.
const POSTINGS_BUDGET: usize = 20_000;
/// Support a shared number gives: as much as two words.
const NUMBER_WEIGHT: u16 = 4;
/// A record's birth date packed as `yyyymmdd` (`00` for an unknown month or day), for ranking
/// candidates without touching the record; `DEAD` for a removed record.
const NO_DATE: u32 = 0;
const DEAD: u32 = u32::MAX;

#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    pub id: String,
    pub score: f32,
    pub explanation: String,
    pub reasons: Vec<crate::explain::Reason>,
}

#[derive(Clone, Copy, Debug)]
pub struct SearchOptions<'a> {
    pub top: usize,
    pub threshold: f32,
    /// A record not to report (the query itself, when an indexed record is matched).
    pub exclude: Option<&'a str>,
}

struct Entry {
    id: Box<str>,
    prepared: Prepared,
}

/// Keys of one query or record, grouped: a record found through several keys of one group
/// counts once for it.
struct KeyGroup {
    keys: Vec<u64>,
    /// Keys before this position are exact (they score `weight`); the rest are neighbours
    /// one edit away (they score 1).
    exact: usize,
    weight: u16,
}

fn kind_tag(kind: Kind) -> u64 {
    match kind {
        Kind::Person => 0x9e37_79b9_7f4a_7c15,
        Kind::Organization => 0xc2b2_ae3d_27d4_eb4f,
        Kind::Vehicle => 0x1656_67b1_9e37_79f9,
    }
}

fn key_groups(p: &Prepared) -> Vec<KeyGroup> {
    let tag = kind_tag(p.kind);
    let mut groups: Vec<KeyGroup> = Vec::new();
    let mut seen_words: Vec<*const crate::word::Word> = Vec::new();
    let name_words = p
        .names
        .iter()
        .flat_map(|n| n.tokens.iter().map(|t| &t.word))
        .chain(p.org_names.iter().flatten());
    for w in name_words {
        let ptr = std::sync::Arc::as_ptr(w);
        if seen_words.contains(&ptr) || w.is_initial() {
            continue;
        }
        seen_words.push(ptr);
        groups.push(KeyGroup {
            keys: w.keys.iter().map(|k| k ^ tag).collect(),
            exact: usize::from(w.exact_keys),
            weight: 2,
        });
    }
    let mut numbers = |keys: Vec<u64>| {
        groups.push(KeyGroup {
            exact: keys.len(),
            keys: keys.into_iter().map(|k| k ^ tag).collect(),
            weight: NUMBER_WEIGHT,
        })
    };
    for (_, code) in &p.identifiers {
        numbers(vec![hash_key(b'i', &code.key)]);
    }
    for phone in &p.phones {
        numbers(vec![hash_key(b'p', &phone.tail)]);
    }
    for plate in &p.plates {
        let chars: Vec<char> = plate.key.chars().collect();
        let mut keys = vec![hash_key(b'l', &plate.key)];
        for skip in 0..chars.len().min(12) {
            let del: String = chars
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != skip)
                .map(|(_, c)| *c)
                .collect();
            keys.push(hash_key(b'L', &del));
        }
        numbers(keys);
    }
    for vin in &p.vins {
        numbers(vec![
            hash_key(b'v', &vin.key),
            hash_key(b'V', &vin.key[9..]),
            hash_key(b'W', &vin.key[..9]),
        ]);
    }
    groups
}

/// Per-thread scratch space for queries, reused from one query to the next.
/// One word per slot holds both the tick of the last group that counted it (high half) and
/// its count (low half), so counting touches one cache line per posting.
#[derive(Default)]
pub struct Scratch {
    state: Vec<u32>,
    touched: Vec<u32>,
    tick: u32,
}

impl Scratch {
    fn prepare(&mut self, slots: usize) {
        if self.state.len() < slots {
            self.state.resize(slots, 0);
        }
        // Every cell a query touches is cleared when it ends, so ticks restart per query.
        self.tick = 0;
    }
}

#[derive(Default)]
pub struct Index {
    lexicon: Lexicon,
    entries: Vec<Option<Entry>>,
    /// Per slot: packed birth date, [`NO_DATE`] or [`DEAD`] (see [`NO_DATE`]).
    dates: Vec<u32>,
    slots: HashMap<Box<str>, u32>,
    postings: HashMap<u64, Vec<u32>>,
    live: usize,
}

impl Index {
    pub fn new() -> Index {
        Index::default()
    }

    /// Records in the index.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Distinct words the index has read.
    pub fn words(&self) -> usize {
        self.lexicon.len()
    }

    /// Adds a record, replacing any earlier version with its id. Returns false (and removes any
    /// earlier version) when the record holds nothing to match on.
    pub fn insert(&mut self, id: &str, record: &Record) -> bool {
        self.remove(id);
        let Some(prepared) = Prepared::new(record, &mut self.lexicon) else {
            return false;
        };
        let slot = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        for group in key_groups(&prepared) {
            for key in group.keys {
                let list = self.postings.entry(key).or_default();
                if list.last() != Some(&slot) {
                    list.push(slot);
                }
            }
        }
        self.dates
            .push(prepared.birth_dates.first().map_or(NO_DATE, pack_date));
        self.entries.push(Some(Entry {
            id: id.into(),
            prepared,
        }));
        self.slots.insert(id.into(), slot);
        self.live += 1;
        true
    }

    /// Removes a record. Its postings stay until [`Index::compact`] and are skipped.
    pub fn remove(&mut self, id: &str) -> bool {
        match self.slots.remove(id) {
            Some(slot) => {
                if let Some(e) = self.entries.get_mut(slot as usize) {
                    *e = None;
                }
                if let Some(d) = self.dates.get_mut(slot as usize) {
                    *d = DEAD;
                }
                self.live -= 1;
                true
            }
            None => false,
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.slots.contains_key(id)
    }

    /// Releases memory after bulk loading.
    pub fn shrink(&mut self) {
        for list in self.postings.values_mut() {
            list.shrink_to_fit();
        }
        self.postings.shrink_to_fit();
        self.entries.shrink_to_fit();
        self.dates.shrink_to_fit();
    }

    /// Reads a query record against this index's words (without adding to them).
    pub fn prepare(&self, record: &Record) -> Option<Prepared> {
        Prepared::new(record, &mut ReadOnly(&self.lexicon))
    }

    /// Compares a query with one indexed record, whatever the blocking says.
    pub fn compare_with(&self, query: &Prepared, id: &str) -> Option<Comparison> {
        let slot = *self.slots.get(id)?;
        let entry = self.entries.get(slot as usize)?.as_ref()?;
        compare(query, &entry.prepared, &mut SimCache::default())
    }

    /// The best matches of a prepared query, best first, at or above the threshold.
    pub fn search(
        &self,
        query: &Prepared,
        options: &SearchOptions<'_>,
        scratch: &mut Scratch,
    ) -> Vec<Match> {
        let candidates = self.candidates(query, scratch);
        let mut cache = SimCache::default();
        let mut scored: Vec<(f32, u32)> = Vec::new();
        for slot in candidates {
            let Some(entry) = &self.entries[slot as usize] else {
                continue;
            };
            if options.exclude == Some(&*entry.id) {
                continue;
            }
            if let Some(score) =
                score_at_least(query, &entry.prepared, &mut cache, options.threshold)
            {
                scored.push((score, slot));
            }
        }
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0).then_with(|| {
                let id = |s: u32| self.entries[s as usize].as_ref().map(|e| &*e.id);
                id(a.1).cmp(&id(b.1))
            })
        });
        scored.truncate(options.top);
        // Words only for what is shown.
        scored
            .into_iter()
            .filter_map(|(_, slot)| {
                let entry = self.entries[slot as usize].as_ref()?;
                let c = compare(query, &entry.prepared, &mut cache)?;
                Some(Match {
                    id: entry.id.to_string(),
                    score: c.score,
                    explanation: c.explanation,
                    reasons: c.reasons,
                })
            })
            .collect()
    }

    /// Records sharing enough keys with the query, best supported first, at most
    /// [`MAX_CANDIDATES`].
    ///
    /// Groups are read rarest first. Once the postings read pass a budget, the remaining
    /// (common) groups are not read: a record that shares one of them also shares a rarer one
    /// if it is a likely match, and it is then counted by that one alone.
    fn candidates(&self, query: &Prepared, scratch: &mut Scratch) -> Vec<u32> {
        scratch.prepare(self.entries.len());
        let mut groups: Vec<(usize, KeyGroup)> = key_groups(query)
            .into_iter()
            .map(|g| {
                let size = g
                    .keys
                    .iter()
                    .map(|k| self.postings.get(k).map_or(0, Vec::len))
                    .sum();
                (size, g)
            })
            .collect();
        groups.sort_by_key(|(size, g)| (std::cmp::Reverse(g.weight == NUMBER_WEIGHT), *size));
        let word_groups = groups
            .iter()
            .filter(|(_, g)| g.weight != NUMBER_WEIGHT)
            .count();
        let cap = (self.live / 10).max(50_000);
        let neighbour_cap = (self.live / 250).max(2_000);
        let mut read = 0usize;
        let mut words_read = 0usize;
        scratch.touched.clear();
        for (size, group) in &groups {
            let is_word = group.weight != NUMBER_WEIGHT;
            if is_word && read > 0 && read + size > POSTINGS_BUDGET {
                continue;
            }
            read += size;
            words_read += usize::from(is_word);
            scratch.tick = (scratch.tick + 1).min(0xffff);
            let tick = scratch.tick;
            for (k, key) in group.keys.iter().enumerate() {
                let Some(list) = self.postings.get(key) else {
                    continue;
                };
                let exact = k < group.exact;
                // A neighbour key shared by thousands of records finds near-misses of common
                // words; the exact keys of the query's other words find those records anyway.
                if list.len() > cap || (!exact && list.len() > neighbour_cap) {
                    continue;
                }
                let weight = u32::from(if exact { group.weight } else { 1 });
                let stamp = tick << 16;
                for &slot in list {
                    let cell = &mut scratch.state[slot as usize];
                    if *cell & 0xffff_0000 == stamp {
                        continue;
                    }
                    let count = *cell & 0xffff;
                    if count == 0 {
                        scratch.touched.push(slot);
                    }
                    *cell = stamp | (count + weight).min(0xffff);
                }
            }
        }
        // Two words read: a candidate must share one exactly and come near the other.
        // One word read (or one in the query): sharing it, even one edit away, is enough.
        let needed: u16 = if words_read >= 2 && word_groups >= 2 {
            3
        } else {
            1
        };
        let query_dates: Vec<u32> = query.birth_dates.iter().map(pack_date).collect();
        let mut candidates: Vec<(u16, u32)> = Vec::new();
        for &slot in &scratch.touched {
            let s = slot as usize;
            let count = u16::try_from(scratch.state[s] & 0xffff).unwrap_or(u16::MAX);
            scratch.state[s] = 0;
            let date = self.dates[s];
            if count < needed || date == DEAD {
                continue;
            }
            // Among equals, candidates born nearer the query's date rank first.
            let rank = count * 4 + date_closeness(&query_dates, date);
            candidates.push((rank, slot));
        }
        if candidates.len() > MAX_CANDIDATES {
            candidates.select_nth_unstable_by(MAX_CANDIDATES - 1, |a, b| b.0.cmp(&a.0));
            candidates.truncate(MAX_CANDIDATES);
        }
        candidates.into_iter().map(|(_, slot)| slot).collect()
    }
}

fn pack_date(d: &PartialDate) -> u32 {
    u32::from(d.year) * 10_000
        + u32::from(d.month.unwrap_or(0)) * 100
        + u32::from(d.day.unwrap_or(0))
}

/// 3 for the same whole date, 2 for the same year, 1 for a neighbouring year, else 0.
fn date_closeness(query: &[u32], date: u32) -> u16 {
    if date == NO_DATE {
        return 0;
    }
    let mut best = 0;
    for &q in query {
        let (qy, y) = (q / 10_000, date / 10_000);
        let c = if q == date && q % 100 != 0 {
            3
        } else if qy == y {
            2
        } else if qy.abs_diff(y) == 1 {
            1
        } else {
            0
        };
        best = best.max(c);
    }
    best
}
