//! From text as written to comparison forms.
//!
//! A word is first cleaned (NFKC, lower case, apostrophes and look-alike letters of the other
//! script inside one word), then read into a *phonetic form*: a string over Latin letters in
//! which one symbol stands for one sound whatever alphabet or standard wrote it. `Хасанов`,
//! `Khasanov`, `Xasanov`, `Hasanov` and `Chasanow` all read `Hasanov` (`H` is the sound of
//! Cyrillic х). Latin spellings are ambiguous (`ch` is ч in English, х in German, ш in French;
//! `j` is дж in English and Uzbek, й in German), so a word has up to [`MAX_FORMS`] forms.
//!
//! Symbols: `S` ш/щ, `C` ч, `J` ж/дж/ҷ, `H` х/ҳ/һ, `c` ц; `y`, `й` and `ы` read `i`.

use unicode_normalization::UnicodeNormalization;

/// Most forms kept for one word; the first is the most likely reading.
pub const MAX_FORMS: usize = 4;
/// Longest word, in characters, that is read; longer input is cut (bounded work per word).
pub const MAX_WORD_CHARS: usize = 48;
/// Most words read from one name.
pub const MAX_WORDS: usize = 10;

pub(crate) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{052F}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | 'ʻ' | 'ʼ' | '`' | '’' | '‘' | 'ʹ' | 'ʽ' | '´')
}

pub(crate) fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Splits a name into cleaned words: NFKC, lower case, apostrophes dropped, hyphenated parts
/// joined (`Abdu-Rahim` is one word), look-alike letters of the other script replaced inside a
/// word that mixes scripts. Everything that is not a letter or digit separates words; at most
/// [`MAX_WORDS`] words of at most [`MAX_WORD_CHARS`] characters are kept.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<char> = Vec::new();
    let push = |current: &mut Vec<char>, out: &mut Vec<String>| {
        if !current.is_empty() && out.len() < MAX_WORDS {
            fix_mixed_script(current);
            current.truncate(MAX_WORD_CHARS);
            out.push(current.iter().collect());
        }
        current.clear();
    };
    for c in text.nfkc() {
        if is_apostrophe(c) || c == '-' || c == '\u{2010}' || c == '\u{2011}' {
            // Inside a word: oʻgʻli, Abdu-Rahim.
        } else if c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        } else {
            push(&mut current, &mut out);
        }
    }
    push(&mut current, &mut out);
    out
}

/// Latin letters that look like Cyrillic ones, and back. Applied only when a word mixes the two
/// scripts (a clerk's keyboard switching mid-word): the minority script gives way.
fn fix_mixed_script(word: &mut [char]) {
    let cyr = word.iter().filter(|c| is_cyrillic(**c)).count();
    let lat = word.iter().filter(|c| c.is_ascii_alphabetic()).count();
    if cyr == 0 || lat == 0 {
        return;
    }
    const PAIRS: [(char, char); 12] = [
        ('a', 'а'),
        ('e', 'е'),
        ('o', 'о'),
        ('p', 'р'),
        ('c', 'с'),
        ('y', 'у'),
        ('x', 'х'),
        ('k', 'к'),
        ('m', 'м'),
        ('t', 'т'),
        ('h', 'н'),
        ('b', 'в'),
    ];
    for c in word.iter_mut() {
        if cyr >= lat {
            if let Some((_, cy)) = PAIRS.iter().find(|(l, _)| l == c) {
                *c = *cy;
            }
        } else if let Some((l, _)) = PAIRS.iter().find(|(_, cy)| cy == c) {
            *c = *l;
        } else if *c == 'і' {
            *c = 'i';
        } else if *c == 'ј' {
            *c = 'j';
        }
    }
}

/// One Cyrillic letter's sound. `None` for letters outside the alphabets Pamir reads.
fn cyrillic_sound(c: char) -> Option<&'static str> {
    Some(match c {
        'а' | 'ә' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ғ' | 'ґ' | 'ѓ' => "g",
        'д' => "d",
        'е' | 'э' | 'є' => "e",
        'ж' | 'ҷ' | 'җ' => "J",
        'з' => "z",
        'и' | 'ӣ' | 'і' | 'ы' | 'й' | 'ј' | 'ї' => "i",
        'к' | 'қ' | 'ќ' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'ң' => "ng",
        'о' | 'ө' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ү' | 'ұ' | 'ӯ' | 'ў' => "u",
        'ф' => "f",
        'х' | 'ҳ' | 'һ' => "H",
        'ц' => "c",
        'ч' | 'ҹ' => "C",
        'ш' | 'щ' => "S",
        'ъ' | 'ь' => "",
        'ю' => "iu",
        'я' => "ia",
        'ё' => "io",
        _ => return None,
    })
}

/// Latin letters whose diacritic carries a sound of its own in the Turkic and Slavic Latin
/// alphabets; other marks (é, á) carry no identity and are dropped.
fn latin_special(c: char) -> Option<&'static str> {
    Some(match c {
        'ş' | 'š' | 'ș' | 'ŝ' => "S",
        'û' => "iu",
        'â' => "ia",
        'ç' | 'č' => "C",
        'ž' => "J",
        'ğ' => "g",
        'ə' | 'ä' | 'æ' => "a",
        'ö' | 'ø' | 'ő' => "o",
        'ü' | 'ű' => "u",
        'ı' | 'ý' | 'ÿ' => "i",
        'ñ' | 'ň' => "n",
        'ß' => "s",
        _ => return None,
    })
}

/// A piece of a reading: one sound, or alternatives when the spelling is ambiguous.
enum Piece {
    One(&'static str),
    Alt(&'static [&'static str]),
    Char(char),
}

/// Latin multigraphs, longest first, and what they may stand for (most likely first).
const LATIN_RULES: &[(&str, &[&str])] = &[
    ("shch", &["S"]),
    ("tsch", &["C"]),
    ("dsch", &["J"]),
    ("dž", &["J"]),
    ("sch", &["S"]),
    ("dzh", &["J"]),
    ("tch", &["C"]),
    ("zh", &["J"]),
    ("kh", &["H"]),
    ("gh", &["g"]),
    ("sh", &["S"]),
    ("ch", &["C", "H", "S"]),
    ("dj", &["J", "di"]),
    ("cz", &["c"]),
    ("ts", &["c"]),
    ("tz", &["c"]),
    ("ph", &["f"]),
    ("ck", &["k"]),
    ("ou", &["u"]),
    ("x", &["H", "ks"]),
    ("j", &["J", "i"]),
    ("q", &["k"]),
    ("w", &["v"]),
    ("c", &["k", "J", "c"]),
    ("y", &["i"]),
    ("h", &["H"]),
];

/// The phonetic forms of one cleaned word (see the module documentation), most likely first,
/// at most [`MAX_FORMS`]. Digits are kept; letters of other alphabets pass through unchanged.
pub fn phonetic(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().take(MAX_WORD_CHARS).collect();
    let mut pieces: Vec<Piece> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_cyrillic(c) {
            let prev_vowelish = i == 0
                || matches!(
                    chars[i - 1],
                    'а' | 'е'
                        | 'ё'
                        | 'и'
                        | 'о'
                        | 'у'
                        | 'ы'
                        | 'э'
                        | 'ю'
                        | 'я'
                        | 'ъ'
                        | 'ь'
                        | 'ә'
                        | 'ө'
                        | 'ү'
                        | 'ұ'
                        | 'ӯ'
                        | 'ӣ'
                        | 'і'
                );
            if c == 'д' && chars.get(i + 1) == Some(&'ж') {
                pieces.push(Piece::One("J"));
                i += 2;
                continue;
            }
            if c == 'е' && prev_vowelish {
                pieces.push(Piece::One("ie"));
            } else if c == 'к' && chars.get(i + 1) == Some(&'с') {
                // кс is the reading of Latin x (Aleksandr, Alexander).
                pieces.push(Piece::One("ks"));
                i += 2;
                continue;
            } else {
                match cyrillic_sound(c) {
                    Some(s) => pieces.push(Piece::One(s)),
                    None => pieces.push(Piece::Char(c)),
                }
            }
            i += 1;
            continue;
        }
        if let Some(s) = latin_special(c) {
            pieces.push(Piece::One(s));
            i += 1;
            continue;
        }
        if c.is_ascii_lowercase() {
            let rule = LATIN_RULES.iter().find(|(pat, _)| {
                pat.chars()
                    .enumerate()
                    .all(|(k, p)| chars.get(i + k) == Some(&p))
            });
            match rule {
                Some((pat, alts)) if alts.len() == 1 => {
                    pieces.push(Piece::One(alts[0]));
                    i += pat.chars().count();
                }
                Some((pat, alts)) => {
                    pieces.push(Piece::Alt(alts));
                    i += pat.chars().count();
                }
                None => {
                    pieces.push(Piece::Char(c));
                    i += 1;
                }
            }
            continue;
        }
        // Marks that carry no identity (é → e); other scripts pass through.
        let mut base = c
            .nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c));
        match base.next() {
            Some(b) if b.is_ascii_lowercase() => pieces.push(Piece::Char(b)),
            Some(b) => pieces.push(Piece::Char(b)),
            None => {}
        }
        i += 1;
    }
    let mut forms: Vec<String> = vec![String::with_capacity(chars.len() + 2)];
    for piece in &pieces {
        match piece {
            Piece::One(s) => forms.iter_mut().for_each(|f| f.push_str(s)),
            Piece::Char(c) => forms.iter_mut().for_each(|f| f.push(*c)),
            Piece::Alt(alts) => {
                let mut next = Vec::with_capacity(MAX_FORMS);
                // Keep every form's most likely continuation first, then the alternatives.
                for alt in alts.iter() {
                    for f in &forms {
                        if next.len() < MAX_FORMS {
                            let mut g = f.clone();
                            g.push_str(alt);
                            next.push(g);
                        }
                    }
                }
                forms = next;
            }
        }
    }
    let mut out: Vec<String> = Vec::with_capacity(forms.len());
    for f in forms {
        let f = tidy(&f);
        if !out.contains(&f) {
            out.push(f);
        }
    }
    out
}

/// Drops the glide `i` before a vowel at the start of a word or after a vowel (Yusuf, Iusuf,
/// Юсуф → usuf; Mariya, Мария → maria) and collapses doubled symbols (Hassan → Hasan).
fn tidy(form: &str) -> String {
    let chars: Vec<char> = form.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    for (k, &c) in chars.iter().enumerate() {
        if c == 'i' {
            let next_vowel = chars.get(k + 1).is_some_and(|n| is_vowel(*n) && *n != 'i');
            let prev_vowelish = out.last().is_none_or(|p| is_vowel(*p));
            if next_vowel && prev_vowelish {
                continue;
            }
        }
        if out.last() == Some(&c) {
            continue;
        }
        out.push(c);
    }
    out.into_iter().collect()
}

/// The blocking skeleton of a phonetic form: its first symbol, then its consonants, with
/// consonants that transliterations confuse folded together (х/г/к, б/п, д/т, в/ф, с/з/ц,
/// ш/ч/ж). Vowels, which standards and languages write most differently, are left out.
pub fn skeleton(form: &str) -> String {
    let mut out = String::with_capacity(form.len());
    for (k, c) in form.chars().enumerate() {
        let class = match c {
            'H' | 'g' | 'k' => 'K',
            'b' | 'p' => 'P',
            'd' | 't' => 'T',
            'v' | 'f' => 'F',
            's' | 'z' | 'c' => 'Z',
            'S' | 'C' | 'J' => 'X',
            c if is_vowel(c) => {
                if k == 0 {
                    'A'
                } else {
                    continue;
                }
            }
            c => c,
        };
        if !out.ends_with(class) {
            out.push(class);
        }
    }
    out
}

/// Title case for showing a cleaned (lower-case) word in an explanation.
pub fn display(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(word: &str) -> String {
        phonetic(&words(word)[0])[0].clone()
    }

    fn meet(a: &str, b: &str) -> bool {
        let fa = phonetic(&words(a)[0]);
        let fb = phonetic(&words(b)[0]);
        fa.iter().any(|x| fb.contains(x))
    }

    #[test]
    fn one_surname_across_alphabets_and_standards() {
        for spelling in [
            "Хасанов",
            "ХАСАНОВ",
            "Khasanov",
            "KHASANOV",
            "Xasanov",
            "Hasanov",
            "Chasanow",
            "Ҳасанов",
            "Hassanov",
        ] {
            assert!(
                meet("Хасанов", spelling),
                "{spelling}: {:?}",
                phonetic(&words(spelling)[0])
            );
        }
    }

    #[test]
    fn kazakh_tajik_uzbek_letters() {
        assert!(meet("Қурбонов", "Qurbonov"));
        assert!(meet("Қурбонов", "Kurbonov"));
        assert!(meet("Ғафуров", "Gʻafurov"));
        assert!(meet("Ҷӯраев", "Juraev"));
        assert!(meet("Джураев", "Dzhurayev"));
        assert!(meet("Джураев", "Djouraev"));
        assert!(meet("Шарипов", "Şaripov"));
        assert!(meet("Чориев", "Çoriýew"));
        assert!(meet("Юсупов", "Yusupov"));
        assert!(meet("Юсупов", "Iusupov"));
        assert!(meet("Юсупов", "Jusupow"));
        assert!(meet("Сергей", "Sergei"));
        assert!(meet("Сергей", "Sergey"));
        assert!(meet("Сергей", "Sergej"));
        assert!(meet("Щербаков", "Shcherbakov"));
        assert!(meet("Александр", "Alexandr"));
    }

    #[test]
    fn mixed_scripts_inside_a_word_give_way_to_the_majority() {
        // Latin "a", "o" and "c" typed inside a Cyrillic word.
        assert_eq!(words("Хacанoв"), vec!["хасанов".to_string()]);
        assert_eq!(words("Ivаnov"), vec!["ivanov".to_string()]);
    }

    #[test]
    fn words_split_on_anything_but_letters() {
        assert_eq!(
            words("  KARIMOV,  Jamshid (Rustam o‘g‘li) "),
            vec!["karimov", "jamshid", "rustam", "ogli"]
        );
        assert_eq!(words("Abdu-Rahim"), vec!["abdurahim"]);
        assert!(words("!!! ... ---").is_empty());
        assert!(words("").is_empty());
    }

    #[test]
    fn skeletons_fold_what_standards_confuse() {
        assert_eq!(skeleton(&first("Хасанов")), skeleton(&first("Gasanov")));
        assert_eq!(skeleton(&first("Sobirov")), skeleton(&first("Сабиров")));
    }
}
