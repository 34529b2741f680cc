//! A word read once: its phonetic forms, blocking keys and given-name class, shared by every
//! record that spells it the same way (a lexicon interns them), and the distance between two.

use std::collections::HashMap;
use std::sync::Arc;

use crate::given::given_class;
use crate::normalise::{is_vowel, phonetic, skeleton, MAX_WORD_CHARS};

#[derive(Debug)]
pub struct Word {
    /// The cleaned word (lower case, NFKC), as shown in explanations.
    pub text: Box<str>,
    /// Phonetic forms, most likely first; never empty.
    pub forms: Box<[Box<str>]>,
    /// The same forms as symbols, for the edit distance.
    symbols: Box<[Box<[char]>]>,
    /// Keys under which records holding this word are found: the skeleton of each form and,
    /// for longer skeletons, each skeleton with one symbol deleted. Both kinds share one key
    /// space, so words one insertion, deletion or substitution apart meet.
    pub keys: Box<[u64]>,
    /// How many of `keys`, from the start, are skeletons of the word itself (not neighbours).
    pub exact_keys: u8,
    /// Equivalence class of a given name (Muhammad, Magomed, Mukhammad …), if known.
    pub given: Option<u16>,
}

pub type WordRef = Arc<Word>;

pub(crate) fn hash_key(tag: u8, text: &str) -> u64 {
    // FNV-1a: stable across runs and platforms, fast on short keys.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(tag);
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

impl Word {
    pub fn new(text: &str) -> Word {
        Self::from_forms(text, phonetic(text))
    }

    /// A word whose forms are given (a patronymic's root, cut from its forms).
    pub fn from_forms(text: &str, forms: Vec<String>) -> Word {
        let forms: Vec<String> = if forms.is_empty() {
            vec![text.to_string()]
        } else {
            forms
        };
        // Exact skeletons first, then the one-deletion neighbours.
        let mut keys: Vec<u64> = Vec::new();
        for form in &forms {
            let key = hash_key(b'w', &skeleton(form));
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        let exact_keys = keys.len();
        for form in &forms {
            let sk = skeleton(form);
            let chars: Vec<char> = sk.chars().collect();
            // Deleting from a shorter skeleton leaves two or three symbols that thousands of
            // unrelated words share: too many candidates for what it finds.
            if chars.len() >= 5 {
                for skip in 0..chars.len() {
                    let del: String = chars
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| *k != skip)
                        .map(|(_, c)| *c)
                        .collect();
                    let key = hash_key(b'w', &del);
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
            }
        }
        let given = forms.iter().find_map(|f| given_class(f));
        Word {
            text: text.into(),
            symbols: forms
                .iter()
                .map(|f| f.chars().take(MAX_WORD_CHARS).collect())
                .collect(),
            forms: forms.into_iter().map(String::into_boxed_str).collect(),
            keys: keys.into_boxed_slice(),
            exact_keys: u8::try_from(exact_keys).unwrap_or(u8::MAX),
            given,
        }
    }

    /// A single letter (an initial).
    pub fn is_initial(&self) -> bool {
        self.text.chars().count() == 1
    }
}

/// Interns words so that a million records spelling `Ivanov` share one [`Word`].
#[derive(Default, Debug)]
pub struct Lexicon {
    words: HashMap<Box<str>, WordRef>,
}

impl Lexicon {
    pub fn intern(&mut self, text: &str) -> WordRef {
        if let Some(w) = self.words.get(text) {
            return w.clone();
        }
        let w = Arc::new(Word::new(text));
        self.words.insert(text.into(), w.clone());
        w
    }

    /// The interned word, or a fresh one that is not kept (queries must not grow the index).
    pub fn lookup(&self, text: &str) -> WordRef {
        self.words
            .get(text)
            .cloned()
            .unwrap_or_else(|| Arc::new(Word::new(text)))
    }

    fn root_key(of: &Word) -> String {
        format!("{}\u{1}root", of.text)
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Where prepared records get their words: interned into the index's lexicon when a record is
/// indexed, looked up without keeping when a query is read.
pub trait WordSource {
    fn word(&mut self, text: &str) -> WordRef;
    /// The root of a patronymic written as one word (Rustamovich → rustam), as a word of its own.
    fn root(&mut self, of: &Word, forms: Vec<String>) -> WordRef;
}

impl WordSource for Lexicon {
    fn word(&mut self, text: &str) -> WordRef {
        self.intern(text)
    }

    fn root(&mut self, of: &Word, forms: Vec<String>) -> WordRef {
        let key = Lexicon::root_key(of);
        if let Some(w) = self.words.get(key.as_str()) {
            return w.clone();
        }
        let w = Arc::new(Word::from_forms(&of.text, forms));
        self.words.insert(key.into(), w.clone());
        w
    }
}

/// Reads words from a lexicon without adding to it.
pub struct ReadOnly<'a>(pub &'a Lexicon);

impl WordSource for ReadOnly<'_> {
    fn word(&mut self, text: &str) -> WordRef {
        self.0.lookup(text)
    }

    fn root(&mut self, of: &Word, forms: Vec<String>) -> WordRef {
        match self.0.words.get(Lexicon::root_key(of).as_str()) {
            Some(w) => w.clone(),
            None => Arc::new(Word::from_forms(&of.text, forms)),
        }
    }
}

/// How two words relate, for the explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Likeness {
    Same,
    Transliteration,
    EquivalentName,
    Initial,
    SpellingVariant,
    Different,
}

impl Likeness {
    /// The likeness as a catalogue selector (`match-word-like`).
    pub fn code(self) -> &'static str {
        match self {
            Likeness::Same => "same",
            Likeness::Transliteration => "transliteration",
            Likeness::EquivalentName => "equivalent",
            Likeness::Initial => "initial",
            Likeness::SpellingVariant => "spelling",
            Likeness::Different => "different",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Likeness::Same => "same",
            Likeness::Transliteration => "transliteration match",
            Likeness::EquivalentName => "equivalent name",
            Likeness::Initial => "initial",
            Likeness::SpellingVariant => "spelling variant",
            Likeness::Different => "different",
        }
    }
}

/// Similarity of two words in [0, 1] and what kind of likeness it is.
pub fn word_similarity(a: &Word, b: &Word) -> (f32, Likeness) {
    if a.text == b.text {
        return (1.0, Likeness::Same);
    }
    if a.is_initial() || b.is_initial() {
        let (i, w) = if a.is_initial() { (a, b) } else { (b, a) };
        // The word's first sound, and the sound of its first letter alone (Джамшид begins
        // with J, but its initial is written D).
        let mut firsts: Vec<char> = w.forms.iter().filter_map(|f| f.chars().next()).collect();
        if let Some(letter) = w.text.chars().next() {
            firsts.extend(
                phonetic(&letter.to_string())
                    .iter()
                    .filter_map(|f| f.chars().next()),
            );
        }
        let initials: Vec<char> = i.forms.iter().filter_map(|f| f.chars().next()).collect();
        let exact = initials.iter().any(|c| firsts.contains(c));
        let near = initials
            .iter()
            .any(|c| firsts.iter().any(|f| substitution(*c, *f) < 0.5));
        return if exact {
            (0.85, Likeness::Initial)
        } else if near {
            (0.75, Likeness::Initial)
        } else {
            (0.1, Likeness::Different)
        };
    }
    let mut best = 0.0f32;
    for fa in a.symbols.iter() {
        for fb in b.symbols.iter() {
            if fa == fb {
                return (1.0, Likeness::Transliteration);
            }
            best = best.max(symbol_similarity(fa, fb));
        }
    }
    if a.given.is_some() && a.given == b.given && best < 0.93 {
        return (0.93, Likeness::EquivalentName);
    }
    let kind = if best >= 0.8 {
        Likeness::SpellingVariant
    } else {
        Likeness::Different
    };
    (best, kind)
}

/// 1 − weighted edit distance / length of the longer form. Vowels (which languages and
/// standards write differently: Sobirov/Сабиров) and consonants that transliterations confuse
/// (Гасанов/Hasanov) cost less than other edits.
pub fn form_similarity(a: &str, b: &str) -> f32 {
    let a: Vec<char> = a.chars().take(MAX_WORD_CHARS).collect();
    let b: Vec<char> = b.chars().take(MAX_WORD_CHARS).collect();
    symbol_similarity(&a, &b)
}

fn symbol_similarity(a: &[char], b: &[char]) -> f32 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let d = weighted_distance(a, b);
    (1.0 - d / longest as f32).max(0.0)
}

fn indel(c: char) -> f32 {
    if is_vowel(c) {
        0.45
    } else if c == 'H' {
        0.5
    } else {
        1.0
    }
}

fn substitution(x: char, y: char) -> f32 {
    if x == y {
        return 0.0;
    }
    if is_vowel(x) && is_vowel(y) {
        return match (x.min(y), x.max(y)) {
            ('a', 'o') | ('e', 'i') | ('o', 'u') => 0.2,
            _ => 0.35,
        };
    }
    let pair = (x.min(y), x.max(y));
    const NEAR: &[(char, char)] = &[
        ('H', 'g'),
        ('H', 'k'),
        ('g', 'k'),
        ('b', 'p'),
        ('d', 't'),
        ('f', 'v'),
        ('s', 'z'),
        ('C', 'S'),
        ('J', 'z'),
        ('C', 'J'),
        ('c', 's'),
        ('C', 'c'),
        ('J', 'g'),
        ('J', 'S'),
    ];
    if NEAR.contains(&pair) {
        0.45
    } else {
        1.0
    }
}

fn weighted_distance(a: &[char], b: &[char]) -> f32 {
    // Three rows of the dynamic programme on the stack (adjacent transposition needs the row
    // before last: Damerau). Words are cut to MAX_WORD_CHARS, so the rows always fit.
    let m = b.len().min(MAX_WORD_CHARS);
    let b = &b[..m];
    let mut prev2 = [0.0f32; MAX_WORD_CHARS + 1];
    let mut prev = [0.0f32; MAX_WORD_CHARS + 1];
    let mut cur = [0.0f32; MAX_WORD_CHARS + 1];
    for j in 0..m {
        prev[j + 1] = prev[j] + indel(b[j]);
    }
    for i in 0..a.len() {
        cur[0] = prev[0] + indel(a[i]);
        for j in 0..m {
            let mut best = (prev[j] + substitution(a[i], b[j]))
                .min(prev[j + 1] + indel(a[i]))
                .min(cur[j] + indel(b[j]));
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                best = best.min(prev2[j - 1] + 0.6);
            }
            cur[j + 1] = best;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str) -> f32 {
        word_similarity(&Word::new(a), &Word::new(b)).0
    }

    #[test]
    fn transliterations_are_equal_typos_close_other_names_far() {
        assert_eq!(sim("хасанов", "xasanov"), 1.0);
        assert!(sim("сабиров", "sobirov") > 0.9);
        assert!(sim("hasanov", "hasamov") > 0.8);
        assert!(sim("hasanov", "hakimov") < 0.8);
        assert!(sim("jamshid", "farhod") < 0.5);
        assert!(
            sim("ivanov", "ivanova") > 0.9,
            "gender is judged apart from spelling"
        );
    }

    #[test]
    fn equivalent_given_names() {
        assert!(sim("magomed", "muhammad") >= 0.93);
        assert!(sim("мухаммад", "mohammed") >= 0.93);
    }

    #[test]
    fn initials() {
        assert_eq!(sim("j", "jamshid"), 0.85);
        assert!(sim("k", "jamshid") < 0.2);
    }

    #[test]
    fn keys_survive_one_typo() {
        let a = Word::new("nurpeisov");
        let b = Word::new("nurpeirov");
        assert!(a.keys.iter().any(|k| b.keys.contains(k)));
    }
}
