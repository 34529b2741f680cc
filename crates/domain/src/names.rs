//! A name in each language it is known in: reference data (countries, agencies) is named this
//! way, so a third language is more names, never another column.

use std::collections::BTreeMap;

use crate::error::Reason;
use crate::schema::Lang;

/// Names by language code (`en`, `ru`, …). English is always present once validated: it is the
/// name shown where a language has none.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Names(BTreeMap<String, String>);

/// The longest name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 200;

impl Names {
    /// Names from (language, name) pairs as given: each language must be one the catalogue has
    /// and each name 1–200 printable characters; English is required. The error names the
    /// language at fault (`en`, or the code as given).
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Names, (String, Reason)> {
        let mut names = BTreeMap::new();
        for (code, name) in pairs {
            let lang = Lang::exact(code).ok_or_else(|| (code.to_string(), language_unknown()))?;
            let name = name.trim();
            if name.is_empty()
                || name.chars().count() > MAX_NAME_CHARS
                || name.chars().any(char::is_control)
            {
                return Err((
                    lang.code().to_string(),
                    Reason::coded("name-printable-200", &[]),
                ));
            }
            names.insert(lang.code().to_string(), name.to_string());
        }
        if !names.contains_key(Lang::EN.code()) {
            return Err((
                Lang::EN.code().to_string(),
                Reason::coded("name-printable-200", &[]),
            ));
        }
        Ok(Names(names))
    }

    /// Whether these names would pass [`Names::parse`] (names built from stored rows or by
    /// hand are checked again before they are written).
    pub fn check(&self) -> Result<(), (String, Reason)> {
        Names::parse(self.iter()).map(|_| ())
    }

    /// Names as stored, unchecked (rows written by this program).
    pub fn from_stored(names: BTreeMap<String, String>) -> Names {
        Names(names)
    }

    /// The name in `lang`, else the English one, else any.
    pub fn get(&self, lang: Lang) -> &str {
        self.0
            .get(lang.code())
            .or_else(|| self.0.get(Lang::EN.code()))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The name in `lang` only, if there is one.
    pub fn exactly(&self, lang: Lang) -> Option<&str> {
        self.0.get(lang.code()).map(String::as_str)
    }

    /// These names with `given` (language, name) replacing them language by language, checked
    /// as [`Names::parse`] checks them: how an update or a form over known names is applied.
    pub fn updated<'a>(
        &'a self,
        given: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Names, (String, Reason)> {
        let mut pairs: Vec<(&str, &str)> = self.iter().collect();
        for (lang, name) in given {
            pairs.retain(|(l, _)| !l.eq_ignore_ascii_case(lang.trim()));
            pairs.push((lang, name));
        }
        Names::parse(pairs)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(l, n)| (l.as_str(), n.as_str()))
    }

    pub fn as_map(&self) -> &BTreeMap<String, String> {
        &self.0
    }
}

/// The reason a language code is refused: it lists the catalogue's languages.
pub fn language_unknown() -> Reason {
    let codes: Vec<&str> = Lang::all().map(Lang::code).collect();
    Reason::coded("language-unknown", &[("languages", &codes.join(", "))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_required_and_each_language_must_be_known() {
        let n = Names::parse([("en", " Customs "), ("ru", "Таможня")]).unwrap();
        assert_eq!(n.get(Lang::RU), "Таможня");
        assert_eq!(n.get(Lang::EN), "Customs");
        assert!(Names::parse([("ru", "Таможня")]).is_err());
        assert_eq!(
            Names::parse([("en", "A"), ("xx", "B")]).unwrap_err().0,
            "xx"
        );
        assert_eq!(
            Names::parse([("en", "A"), ("ru-RU", "B")]).unwrap_err().0,
            "ru-RU"
        );
        assert_eq!(
            Names::parse([("en", "A"), ("ru", " ")]).unwrap_err().0,
            "ru"
        );
        assert!(Names::parse([("en", &"x".repeat(201)[..])]).is_err());
    }

    #[test]
    fn a_language_without_a_name_shows_the_english_one() {
        let n = Names::parse([("en", "Customs")]).unwrap();
        assert_eq!(n.get(Lang::RU), "Customs");
        assert_eq!(n.exactly(Lang::RU), None);
        let m = n
            .updated([("en", "Customs service"), ("ru", "Таможня")])
            .unwrap();
        assert_eq!(m.get(Lang::EN), "Customs service");
        assert_eq!(m.get(Lang::RU), "Таможня");
        assert_eq!(
            m.updated([("RU", "Таможенная служба")])
                .unwrap()
                .get(Lang::RU),
            "Таможенная служба"
        );
        assert!(m.updated([("en", "")]).is_err());
    }
}
