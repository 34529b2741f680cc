//! The committed evaluation set (eval/README.md) as a regression test: recall@1 on positives
//! and false matches on hard negatives at the default threshold, per the targets.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use pamir_match::{Index, Record, Scratch, SearchOptions, DEFAULT_THRESHOLD};
use serde_json::Value;

fn lines(name: &str) -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../eval/data/").to_string() + name;
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn recall_and_false_matches_on_the_evaluation_set() {
    let mut index = Index::new();
    for v in lines("index.jsonl") {
        let (id, record) = Record::from_ftm_json(&v).unwrap();
        assert!(index.insert(&id, &record.unwrap()), "{id}");
    }
    let truth: HashMap<String, Value> = lines("truth.jsonl")
        .into_iter()
        .map(|t| (t["query"].as_str().unwrap().to_string(), t))
        .collect();
    let options = SearchOptions {
        top: 5,
        threshold: DEFAULT_THRESHOLD,
        exclude: None,
    };
    let mut scratch = Scratch::default();
    let (mut positives, mut found, mut negatives, mut false_matches) = (0, 0, 0, 0);
    let mut misses: HashMap<String, usize> = HashMap::new();
    for v in lines("queries.jsonl") {
        let (id, record) = Record::from_ftm_json(&v).unwrap();
        let query = index.prepare(&record.unwrap()).unwrap();
        let matches = index.search(&query, &options, &mut scratch);
        let t = &truth[&id];
        match t["expected"].as_str() {
            Some(expected) => {
                positives += 1;
                if matches.first().map(|m| m.id.as_str()) == Some(expected) {
                    found += 1;
                } else {
                    *misses
                        .entry(t["category"].as_str().unwrap().into())
                        .or_default() += 1;
                }
            }
            None => {
                negatives += 1;
                if !matches.is_empty() {
                    false_matches += 1;
                }
            }
        }
    }
    let recall = f64::from(found) / f64::from(positives);
    let false_rate = f64::from(false_matches) / f64::from(negatives);
    eprintln!("recall@1 {recall:.3}, false matches {false_rate:.3}, misses by category {misses:?}");
    assert!(
        recall >= 0.97,
        "recall@1 {recall:.3} below 0.97: {misses:?}"
    );
    assert!(
        false_rate <= 0.01,
        "false-match rate {false_rate:.3} above 0.01"
    );
}
