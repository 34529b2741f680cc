//! The structure of a person's name: which word is the surname, the given name, the
//! patronymic — whether it is written Ivanovich, Rustam oʻgʻli, Нурланұлы or Asanbek uulu — and
//! what gender the forms tell (Ivanov/Ivanova, -ovich/-ovna, ugli/qizi).

use crate::given::is_known_given;
use crate::normalise::words;
use crate::word::{Lexicon, Word, WordRef, WordSource};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Given,
    Surname,
    Patronymic,
    Unknown,
}

impl Role {
    /// The role as a catalogue selector (`match-word-*` messages).
    pub fn code(self) -> &'static str {
        match self {
            Role::Given => "given",
            Role::Surname => "surname",
            Role::Patronymic => "patronymic",
            Role::Unknown => "name",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Given => "given name",
            Role::Surname => "surname",
            Role::Patronymic => "patronymic",
            Role::Unknown => "name",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    pub fn parse(value: &str) -> Option<Gender> {
        match value.trim().to_lowercase().as_str() {
            "male" | "m" | "м" | "муж" | "мужской" | "erkak" | "ер" => {
                Some(Gender::Male)
            }
            "female" | "f" | "ж" | "жен" | "женский" | "ayol" | "әйел" => {
                Some(Gender::Female)
            }
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct NameToken {
    /// The word as written, for the explanation.
    pub shown: WordRef,
    /// What is compared: the word itself, or a patronymic's root (Rustamovich → Rustam).
    pub word: WordRef,
    pub role: Role,
}

#[derive(Clone, Debug, Default)]
pub struct Name {
    pub tokens: Vec<NameToken>,
    /// The gender the forms of this name tell, if they tell one.
    pub gender: Option<Gender>,
}

/// Particles that follow a father's name: son of (uly, uulu, ugli, oʻgʻli, оглы, oglu) and
/// daughter of (qizi, kyzy, кызы, gyzy). Given as phonetic forms.
const SON: &[&str] = &["uli", "ulu", "ugli", "ogli", "oglu", "ogul"];
const DAUGHTER: &[&str] = &["kizi", "gizi", "kuzu"];
/// Patronymic endings, in phonetic form.
const PATRONYMIC_M: &[&str] = &["oviC", "eviC", "oviS"];
const PATRONYMIC_F: &[&str] = &["ovna", "evna", "iCna"];
/// Surname endings (phonetic forms), with the gender they tell.
const SURNAME_F: &[&str] = &["ova", "eva", "ska", "skaia", "kaia"];
const SURNAME_M: &[&str] = &["ov", "ev", "ski", "skii"];
const SURNAME_OTHER: &[&str] = &["zade", "zoda", "zada", "ian", "enko", "iuk"];

fn particle_gender(form: &str) -> Option<Gender> {
    if SON.contains(&form) {
        Some(Gender::Male)
    } else if DAUGHTER.contains(&form) {
        Some(Gender::Female)
    } else {
        None
    }
}

/// A patronymic written as one word: its root forms and gender (Rustamovich → rustam, male;
/// Нурланұлы → nurlan, male).
fn attached_patronymic(word: &Word) -> Option<(Vec<String>, Gender)> {
    let form = &*word.forms[0];
    let endings = PATRONYMIC_M
        .iter()
        .map(|e| (e, Gender::Male))
        .chain(PATRONYMIC_F.iter().map(|e| (e, Gender::Female)))
        .chain(
            SON.iter()
                .filter(|s| s.len() >= 3)
                .map(|e| (e, Gender::Male)),
        )
        .chain(DAUGHTER.iter().map(|e| (e, Gender::Female)));
    for (ending, gender) in endings {
        if form.len() >= ending.len() + 2 && form.ends_with(ending) {
            let mut roots: Vec<String> = Vec::new();
            for f in word.forms.iter() {
                if let Some(root) = f.strip_suffix(ending) {
                    roots.push(root.to_string());
                    // Doubled symbols were collapsed: Ойбекқызы reads oibekizi, whose root
                    // may be oibe or oibek.
                    let first = ending.chars().next().unwrap_or('a');
                    if !crate::normalise::is_vowel(first) {
                        roots.push(format!("{root}{first}"));
                    }
                }
            }
            roots.dedup();
            roots.truncate(crate::normalise::MAX_FORMS);
            return Some((roots, gender));
        }
    }
    None
}

fn surname_gender(word: &Word) -> Option<Gender> {
    let form = &*word.forms[0];
    if form.len() < 4 || is_known_given(form) {
        return None;
    }
    if SURNAME_F.iter().any(|e| form.ends_with(e)) {
        Some(Gender::Female)
    } else if SURNAME_M.iter().any(|e| form.ends_with(e)) {
        Some(Gender::Male)
    } else {
        None
    }
}

fn looks_like_surname(word: &Word) -> bool {
    let form = &*word.forms[0];
    surname_gender(word).is_some()
        || (form.len() >= 5 && SURNAME_OTHER.iter().any(|e| form.ends_with(e)))
}

/// The parts of a name, from the structured fields when there are some.
#[derive(Default)]
pub struct NameParts<'a> {
    pub full: Option<&'a str>,
    pub given: Vec<&'a str>,
    pub surname: Vec<&'a str>,
    pub patronymic: Vec<&'a str>,
}

/// Reads a name into tokens with roles. Words of structured fields take their field's role;
/// in a full name, roles come from the words' forms (order is not trusted: officers write
/// surname first as often as last).
pub fn parse_name(parts: &NameParts<'_>, source: &mut dyn WordSource) -> Name {
    let mut name = Name::default();
    let mut add_words = |text: &str, field_role: Option<Role>, name: &mut Name| {
        let ws = words(text);
        let mut k = 0;
        while k < ws.len() {
            let word = source.word(&ws[k]);
            // "Rustam ugli": a particle after a word makes that word a patronymic.
            if let Some(next) = ws.get(k + 1) {
                let particle = source.word(next);
                if let Some(gender) = particle_gender(&particle.forms[0]) {
                    name.gender.get_or_insert(gender);
                    name.tokens.push(NameToken {
                        shown: word.clone(),
                        word,
                        role: Role::Patronymic,
                    });
                    k += 2;
                    continue;
                }
            }
            if particle_gender(&word.forms[0]).is_some() {
                // A particle on its own (the father's name was cut off): it tells only gender.
                name.gender
                    .get_or_insert_with(|| particle_gender(&word.forms[0]).unwrap_or(Gender::Male));
                k += 1;
                continue;
            }
            let attached = if field_role.is_none_or(|r| r == Role::Patronymic) {
                attached_patronymic(&word)
            } else {
                None
            };
            if let Some((roots, gender)) = attached {
                name.gender.get_or_insert(gender);
                let root = source.root(&word, roots);
                name.tokens.push(NameToken {
                    shown: word,
                    word: root,
                    role: Role::Patronymic,
                });
                k += 1;
                continue;
            }
            let role = match field_role {
                Some(r) => r,
                None if looks_like_surname(&word) => Role::Surname,
                None if is_known_given(&word.forms[0]) => Role::Given,
                None => Role::Unknown,
            };
            if role == Role::Surname {
                if let Some(g) = surname_gender(&word) {
                    name.gender.get_or_insert(g);
                }
            }
            name.tokens.push(NameToken {
                shown: word.clone(),
                word,
                role,
            });
            k += 1;
        }
    };
    let structured = !(parts.given.is_empty() && parts.surname.is_empty());
    if structured {
        for s in &parts.surname {
            add_words(s, Some(Role::Surname), &mut name);
        }
        for g in &parts.given {
            add_words(g, Some(Role::Given), &mut name);
        }
        for p in &parts.patronymic {
            add_words(p, Some(Role::Patronymic), &mut name);
        }
    } else if let Some(full) = parts.full {
        add_words(full, None, &mut name);
        for p in &parts.patronymic {
            add_words(p, Some(Role::Patronymic), &mut name);
        }
    }
    name
}

/// Convenience for tests and one-off comparisons: a name read without a shared lexicon.
pub fn parse_full_name(full: &str) -> Name {
    let mut lex = Lexicon::default();
    parse_name(
        &NameParts {
            full: Some(full),
            ..Default::default()
        },
        &mut lex,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(full: &str) -> Vec<(String, Role)> {
        parse_full_name(full)
            .tokens
            .iter()
            .map(|t| (t.word.forms[0].to_string(), t.role))
            .collect()
    }

    #[test]
    fn patronymics_in_every_form() {
        assert_eq!(
            roles("Karimov Jamshid Rustamovich")[2],
            ("rustam".into(), Role::Patronymic)
        );
        assert_eq!(
            roles("Karimov Jamshid Rustam oʻgʻli")[2],
            ("rustam".into(), Role::Patronymic)
        );
        assert_eq!(
            roles("Каримов Джамшид Рустам оглы")[2],
            ("rustam".into(), Role::Patronymic)
        );
        assert_eq!(
            roles("Асанов Нурлан Рустамұлы")[2],
            ("rustam".into(), Role::Patronymic)
        );
        assert_eq!(
            parse_full_name("Aliyeva Leyla Rustam qizi").gender,
            Some(Gender::Female)
        );
        assert_eq!(
            parse_full_name("Иванова Мария Петровна").gender,
            Some(Gender::Female)
        );
        assert_eq!(parse_full_name("Ivanov Petr").gender, Some(Gender::Male));
    }

    #[test]
    fn surnames_and_given_names() {
        let r = roles("Jamshid Karimov");
        assert_eq!(r[0].1, Role::Given);
        assert_eq!(r[1].1, Role::Surname);
        assert_eq!(roles("Rahmonzoda Emomali")[0].1, Role::Surname);
    }
}
