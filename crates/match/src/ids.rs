//! Identifiers: document numbers, phone numbers (E.164 with each member's national rules),
//! vehicle plates (Cyrillic letters that look Latin) and VINs (with their check digit), and the
//! legal forms to remove from an organisation's name.

/// Cyrillic capitals used on plates and in document series that look like Latin ones.
fn latin_lookalike(c: char) -> Option<char> {
    Some(match c {
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'У' => 'Y',
        'Х' => 'X',
        'І' => 'I',
        _ => return None,
    })
}

/// Upper case letters and digits only, Cyrillic look-alikes as Latin: `AB 123-456`,
/// `АВ123456` (Cyrillic) and `ab123456` are one number.
pub fn normalise_code(value: &str) -> String {
    value
        .chars()
        .flat_map(char::to_uppercase)
        .filter(|c| c.is_alphanumeric())
        .map(|c| latin_lookalike(c).unwrap_or(c))
        .collect()
}

/// A document or registration number worth comparing: at least four characters with a digit.
pub fn document_key(value: &str) -> Option<String> {
    let code = normalise_code(value);
    (code.chars().count() >= 4 && code.chars().any(|c| c.is_ascii_digit())).then_some(code)
}

/// Country calling codes and national rules of the members and their neighbours: (ISO code,
/// calling code, national trunk prefix, national significant number length).
const PHONE_RULES: &[(&str, &str, &str, usize)] = &[
    ("KZ", "7", "8", 10),
    ("RU", "7", "8", 10),
    ("KG", "996", "0", 9),
    ("TJ", "992", "8", 9),
    ("UZ", "998", "8", 9),
    ("TM", "993", "8", 8),
    ("AZ", "994", "0", 9),
    ("AF", "93", "0", 9),
    ("CN", "86", "0", 11),
    ("IR", "98", "0", 10),
    ("TR", "90", "0", 10),
    ("UA", "380", "0", 9),
    ("BY", "375", "8", 9),
];

/// A phone number in E.164 digits (no `+`) when it can be read: international forms (`+`,
/// `00`, `810` from the old Soviet exit code) directly, national forms by the rules of the
/// record's countries. The second value is the number's last nine digits, which every
/// writing of it shares.
pub fn phone_e164(value: &str, countries: &[String]) -> Option<(Option<String>, String)> {
    let trimmed = value.trim();
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 7 || digits.len() > 15 + 3 {
        return None;
    }
    let tail = digits[digits.len().saturating_sub(9)..].to_string();
    let international = if trimmed.starts_with('+') {
        Some(digits.clone())
    } else if let Some(rest) = digits.strip_prefix("00") {
        Some(rest.to_string())
    } else if let Some(rest) = digits.strip_prefix("810") {
        (rest.len() >= 10).then(|| rest.to_string())
    } else {
        None
    };
    if let Some(e164) = international {
        return Some((Some(e164), tail));
    }
    for country in countries {
        let rule = PHONE_RULES
            .iter()
            .find(|(iso, ..)| iso.eq_ignore_ascii_case(country));
        if let Some((_, cc, trunk, len)) = rule {
            if digits.len() == *len {
                return Some((Some(format!("{cc}{digits}")), tail));
            }
            if digits.len() == len + trunk.len() && digits.starts_with(trunk) {
                return Some((Some(format!("{cc}{}", &digits[trunk.len()..])), tail));
            }
            if digits.len() == len + cc.len() && digits.starts_with(cc) {
                return Some((Some(digits.clone()), tail));
            }
        }
    }
    Some((None, tail))
}

/// A plate as compared: upper case, Cyrillic look-alikes as Latin, separators dropped.
pub fn plate_key(value: &str) -> Option<String> {
    let code = normalise_code(value);
    (code.chars().count() >= 4).then_some(code)
}

/// Plates that differ only by letters and digits read alike (O/0, I/1, B/8, S/5, Z/2).
fn confusable(a: char, b: char) -> bool {
    let pair = (a.min(b), a.max(b));
    matches!(
        pair,
        ('0', 'O')
            | ('0', 'D')
            | ('0', 'Q')
            | ('1', 'I')
            | ('1', 'L')
            | ('8', 'B')
            | ('5', 'S')
            | ('2', 'Z')
    )
}

/// Similarity of two plate keys: 1 for equal, 0.9 when only confusable characters differ,
/// 0.75 for one other difference, 0 otherwise.
pub fn plate_similarity(a: &str, b: &str) -> f32 {
    if a == b {
        return 1.0;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() == b.len() {
        let diffs: Vec<(char, char)> = a
            .iter()
            .zip(&b)
            .filter(|(x, y)| x != y)
            .map(|(x, y)| (*x, *y))
            .collect();
        if diffs.iter().all(|(x, y)| confusable(*x, *y)) {
            return 0.9;
        }
        if diffs.len() == 1 {
            return 0.75;
        }
    }
    0.0
}

/// A VIN as compared: 17 characters, upper case, with the letters a VIN never has (I, O, Q)
/// read as the digits people meant.
pub fn vin_key(value: &str) -> Option<String> {
    let code: String = normalise_code(value)
        .chars()
        .map(|c| match c {
            'I' => '1',
            'O' | 'Q' => '0',
            c => c,
        })
        .collect();
    (code.len() == 17 && code.is_ascii()).then_some(code)
}

/// Whether a VIN's ninth character is its ISO 3779 / FMVSS 115 check digit. (Outside North
/// America it often is not, so a failure only weakens a near-equal pair.)
pub fn vin_check_digit_ok(vin: &str) -> bool {
    fn value(c: u8) -> Option<u32> {
        Some(match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A' | b'J' => 1,
            b'B' | b'K' | b'S' => 2,
            b'C' | b'L' | b'T' => 3,
            b'D' | b'M' | b'U' => 4,
            b'E' | b'N' | b'V' => 5,
            b'F' | b'W' => 6,
            b'G' | b'P' | b'X' => 7,
            b'H' | b'Y' => 8,
            b'R' | b'Z' => 9,
            _ => return None,
        })
    }
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let bytes = vin.as_bytes();
    if bytes.len() != 17 {
        return false;
    }
    let mut sum = 0;
    for (b, w) in bytes.iter().zip(WEIGHTS) {
        match value(*b) {
            Some(v) => sum += v * w,
            None => return false,
        }
    }
    let check = sum % 11;
    let expected = if check == 10 {
        b'X'
    } else {
        b'0' + check as u8
    };
    bytes[8] == expected
}

/// Similarity of two VIN keys: 1 for equal; for one differing character 0.8 when a check digit
/// fails (a typo is likely), 0.5 when both pass (two real vehicles can differ by one).
pub fn vin_similarity(a: &str, b: &str) -> f32 {
    if a == b {
        return 1.0;
    }
    let diffs = a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count();
    if diffs == 1 {
        if vin_check_digit_ok(a) && vin_check_digit_ok(b) {
            0.5
        } else {
            0.8
        }
    } else {
        0.0
    }
}

/// Words of legal forms and their spelled-out phrases, in the members' languages and English,
/// removed from an organisation's name before comparing (cleaned, lower case).
const LEGAL_FORM_WORDS: &[&str] = &[
    // Russian and Kazakh abbreviations
    "тоо",
    "ооо",
    "оао",
    "зао",
    "пао",
    "ао",
    "ип",
    "чп",
    "мчп",
    "жшс",
    "ақ",
    "ак",
    "хк",
    "мчж",
    "ҷдмм",
    "чдмм",
    "ссп",
    "too",
    "ooo",
    "oao",
    "zao",
    "pao",
    "ao",
    "ip",
    "chp",
    // Uzbek, Kyrgyz, Tajik, Turkmen, Azerbaijani
    "mchj",
    "mchjsi",
    "xk",
    "aj",
    "qk",
    "jshs",
    "jdmm",
    "hj",
    "ххж",
    "mmc",
    "qsc",
    "asc",
    // English and others
    "llp",
    "llc",
    "ltd",
    "limited",
    "jsc",
    "ojsc",
    "cjsc",
    "pjsc",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "srl",
    "bv",
    "fze",
    "fzco",
    "fzc",
    // Spelled out
    "общество",
    "с",
    "ограниченной",
    "ответственностью",
    "товарищество",
    "акционерное",
    "открытое",
    "закрытое",
    "публичное",
    "частное",
    "предприятие",
    "индивидуальный",
    "предприниматель",
    "жауапкершілігі",
    "шектеулі",
    "серіктестігі",
    "mas",
    "masuliyati",
    "cheklangan",
    "jamiyati",
    "jamiyat",
    "liability",
    "joint",
    "stock",
    "private",
    "public",
    "mahdud",
    "masuliyyətli",
    "məhdud",
    "cəmiyyəti",
];

pub fn is_legal_form(word: &str) -> bool {
    LEGAL_FORM_WORDS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_in_their_national_and_international_forms() {
        let kz = vec!["KZ".to_string()];
        let tj = vec!["TJ".to_string()];
        assert_eq!(
            phone_e164("+7 701 123 45 67", &[]).unwrap().0.unwrap(),
            "77011234567"
        );
        assert_eq!(
            phone_e164("8 (701) 123-45-67", &kz).unwrap().0.unwrap(),
            "77011234567"
        );
        assert_eq!(
            phone_e164("00992 93 555 1234", &[]).unwrap().0.unwrap(),
            "992935551234"
        );
        assert_eq!(
            phone_e164("93 555 1234", &tj).unwrap().0.unwrap(),
            "992935551234"
        );
        assert_eq!(phone_e164("93 555 1234", &[]).unwrap().1, "935551234");
        assert!(phone_e164("12", &[]).is_none());
    }

    #[test]
    fn plates_read_cyrillic_as_latin() {
        assert_eq!(
            plate_key("123 АВС 02").unwrap(),
            plate_key("123abc02").unwrap()
        );
        assert_eq!(plate_similarity("123ABC02", "123ABC02"), 1.0);
        assert_eq!(plate_similarity("12OABC02", "120ABC02"), 0.9);
        assert_eq!(plate_similarity("123ABC02", "123ABD02"), 0.75);
    }

    #[test]
    fn vin_check_digits() {
        assert!(vin_check_digit_ok("1M8GDM9AXKP042788"));
        assert!(!vin_check_digit_ok("1M8GDM9A1KP042788"));
        assert_eq!(vin_key("1m8gdm9axkp042788").unwrap(), "1M8GDM9AXKP042788");
        assert_eq!(
            vin_similarity("1M8GDM9AXKP042788", "1M8GDM9AXKP042789"),
            0.8
        );
    }
}
