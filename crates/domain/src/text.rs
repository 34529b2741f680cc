//! Text helpers the whole system shares: the Latin reading shown beside a name written in
//! Cyrillic, and the search tokens under which a record is found whichever script is typed.
//!
//! Matching (issue #3) has its own, much finer transliteration; this one is for display and
//! for a search box, where one readable spelling is enough.

use unicode_normalization::UnicodeNormalization;

/// One Cyrillic letter (lower case) to Latin, after BGN/PCGN for Russian, with the letters of the
/// Kazakh, Kyrgyz, Tajik, Uzbek, Ukrainian and Belarusian alphabets read as passports usually do.
fn cyrillic_to_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "yo",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        'ә' => "a",
        'ғ' => "gh",
        'қ' => "q",
        'ң' => "ng",
        'ө' => "o",
        'ұ' | 'ү' | 'ӯ' | 'ў' => "u",
        'һ' | 'ҳ' => "h",
        'і' | 'ӣ' => "i",
        'ҷ' => "j",
        'є' => "ye",
        'ї' => "yi",
        'ґ' => "g",
        _ => return None,
    })
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

/// A Latin reading of `text` when it contains Cyrillic, `None` when it is already Latin (or has
/// no letters). Case follows the original: `ХАСАНОВ` → `KHASANOV`, `Хасанов` → `Khasanov`.
pub fn latin_reading(text: &str) -> Option<String> {
    if !text.chars().any(is_cyrillic) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
        let all_upper = letters.len() > 1 && letters.iter().all(|c| c.is_uppercase());
        for c in word.chars() {
            let lower = c.to_lowercase().next().unwrap_or(c);
            match cyrillic_to_latin(lower) {
                Some(latin) if all_upper => out.push_str(&latin.to_uppercase()),
                Some(latin) if c.is_uppercase() => {
                    let mut chars = latin.chars();
                    if let Some(first) = chars.next() {
                        out.extend(first.to_uppercase());
                        out.push_str(chars.as_str());
                    }
                }
                Some(latin) => out.push_str(latin),
                None => out.push(c),
            }
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    Some(out)
}

/// Folds a token for search: NFKD, marks dropped, lower case, Turkic dotless `ı`→`i`, schwa `ə`→`a`,
/// and the letters the Kazakh, Kyrgyz, Tajik and Uzbek Cyrillic alphabets add to the Russian one
/// folded to the Russian letter people type in their place (`Раҳимов` is often written `Рахимов`,
/// `Қодиров` as `Кодиров`). Applied to both the indexed text and the query, so they meet.
fn fold(token: &str) -> String {
    token
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(|c| c.to_lowercase())
        .map(|c| match c {
            'ё' => 'е',
            'ı' => 'i',
            'ə' => 'a',
            'ҳ' | 'һ' => 'х',
            'қ' => 'к',
            'ғ' => 'г',
            'ҷ' => 'ч',
            'ә' => 'а',
            'ө' => 'о',
            'ү' | 'ұ' => 'у',
            'ң' => 'н',
            'і' => 'и',
            'є' => 'е',
            other => other,
        })
        .collect()
}

/// Splits text into search tokens: runs of letters and digits, folded; a Cyrillic token also
/// yields its Latin reading, so `Хасанов` is found by `khasanov`. Apostrophe-like marks inside a
/// word (Uzbek `oʻ`, `gʻ`) join rather than split.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for_each_token(text, |t| {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_string())
        }
    });
    out
}

/// Calls `f` with each search token of `text` (see [`tokens`]), without allocating for plain
/// ASCII words: imports tokenise millions of values.
pub fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    for raw in text.split(|c: char| !(c.is_alphanumeric() || is_joiner(c))) {
        if raw.is_empty() {
            continue;
        }
        if raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
            buf.clear();
            buf.extend(raw.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            f(&buf);
            continue;
        }
        let raw: String = raw.chars().filter(|c| !is_joiner(*c)).collect();
        if raw.is_empty() {
            continue;
        }
        let folded = fold(&raw);
        if folded.is_empty() {
            continue;
        }
        // Read both the original and the folded form: folding turns `й` into `и` and `ё` into
        // `е`, which read differently (Кордай: korday and kordai; Фёдоров: fyodorov and fedorov).
        let mut readings: Vec<String> = Vec::with_capacity(2);
        for reading in [latin_reading(&raw), latin_reading(&folded)]
            .into_iter()
            .flatten()
        {
            let latin = fold(&reading);
            if !latin.is_empty() && latin != folded && !readings.contains(&latin) {
                readings.push(latin);
            }
        }
        for r in &readings {
            f(r);
        }
        f(&folded);
    }
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | 'ʻ' | 'ʼ' | '`' | '’' | '‘')
}

/// Search tokens of a phone number: its digits, and their last nine — the part that international
/// (`+992 91 123 4567`, `+7 701 …`) and national (`91 123 4567`, `8 701 …`) spellings share.
/// Fragments such as a country code would be in every record and find nothing.
pub fn phone_tokens(value: &str) -> Vec<String> {
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 5 {
        return Vec::new();
    }
    let mut out = vec![digits.clone()];
    if digits.len() > 9 {
        out.push(digits[digits.len() - 9..].to_string());
    }
    out
}

/// What a search box query is looked up by: one term per word, each term the word's spellings
/// (folded, and Latin readings of Cyrillic). A record matches when for every term it has a token
/// starting with one of the term's spellings — so `хасанов` finds `Khasanov` written in Latin.
/// A phone-like query (digits and separators only) is one term that meets [`phone_tokens`].
pub fn query_terms(query: &str) -> Vec<Vec<String>> {
    let phone_like = query
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    if phone_like && digits.len() >= 5 {
        let key = if digits.len() > 9 {
            digits[digits.len() - 9..].to_string()
        } else {
            digits
        };
        return vec![vec![key]];
    }
    let mut terms: Vec<Vec<String>> = Vec::new();
    for word in query.split(|c: char| !(c.is_alphanumeric() || is_joiner(c))) {
        let mut spellings: Vec<String> = Vec::new();
        for_each_token(word, |t| {
            if !spellings.iter().any(|s| s == t) {
                spellings.push(t.to_string())
            }
        });
        if !spellings.is_empty() && !terms.contains(&spellings) {
            terms.push(spellings);
        }
    }
    terms
}

/// Tokens of an identifier-like value also index the whole value without separators, so that
/// `AB 123456`, `AB-123456` and `ab123456` find each other.
pub fn compact(value: &str) -> Option<String> {
    if value.is_ascii() {
        let joined: String = value
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
        return (!joined.is_empty()).then_some(joined);
    }
    let joined: String = value.chars().filter(|c| c.is_alphanumeric()).collect();
    let folded = fold(&joined);
    (!folded.is_empty()).then_some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cyrillic_names_in_latin_keeping_case() {
        assert_eq!(
            latin_reading("Хасанов Шерзод").as_deref(),
            Some("Khasanov Sherzod")
        );
        assert_eq!(latin_reading("ХАСАНОВ").as_deref(), Some("KHASANOV"));
        assert_eq!(
            latin_reading("Қурбонов Ҷамшед").as_deref(),
            Some("Qurbonov Jamshed")
        );
        assert_eq!(latin_reading("Khasanov"), None);
    }

    #[test]
    fn tokens_meet_across_scripts_and_diacritics() {
        assert!(tokens("Хасанов").contains(&"khasanov".to_string()));
        assert_eq!(tokens("Şükürov"), vec!["sukurov"]);
        assert_eq!(tokens("Gʻulomov"), vec!["gulomov"]);
        assert!(tokens("Фёдоров").contains(&"fedorov".to_string()));
        assert!(tokens("Фёдоров").contains(&"федоров".to_string()));
        assert!(tokens("  ,.;!  ").is_empty());
        assert!(tokens("Кордай").contains(&"korday".to_string()));
        // Letters of the Central Asian Cyrillic alphabets meet the Russian letters typed for them.
        assert!(tokens("Раҳимов").contains(&"рахимов".to_string()));
        assert!(tokens("Раҳимов").contains(&"rakhimov".to_string()));
        assert!(tokens("Қодиров").contains(&"кодиров".to_string()));
        assert!(tokens("Қодиров").contains(&"kodirov".to_string()));
        assert_eq!(compact("AB 12-34").as_deref(), Some("ab1234"));
    }

    #[test]
    fn phone_numbers_meet_in_international_and_national_spelling() {
        let international = phone_tokens("+992 91 123 4567");
        assert_eq!(international, vec!["992911234567", "911234567"]);
        for query in ["91 123 4567", "+992 (91) 123-45-67", "911234567"] {
            let q = query_terms(query);
            assert!(
                international.iter().any(|t| t.starts_with(&q[0][0])),
                "{query}"
            );
        }
        assert_eq!(query_terms("+992 91 12"), vec![vec!["9929112"]]);
        assert!(international[0].starts_with("9929112"));
        let ru = phone_tokens("+7 701 123 45 67");
        assert!(ru
            .iter()
            .any(|t| t.starts_with(&query_terms("8 701 123 45 67")[0][0])));
    }

    #[test]
    fn each_query_word_is_one_term_of_its_spellings() {
        assert_eq!(
            query_terms("Хасанов 1985"),
            vec![
                vec!["khasanov".to_string(), "хасанов".into()],
                vec!["1985".into()]
            ]
        );
        assert_eq!(
            query_terms("gʻulomov GULOMOV"),
            vec![vec!["gulomov".to_string()]]
        );
        assert!(query_terms(" ,.; ").is_empty());
    }
}
