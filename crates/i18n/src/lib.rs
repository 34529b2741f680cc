//! Pamir's translation catalogue: every visible string, one [Fluent](https://projectfluent.org)
//! file per language under `locales/`, with arguments for user data (a value is passed to the
//! message, never found and replaced in text). A language is a value ([`Lang`]): adding Kazakh
//! or Uzbek is a new file and a line in [`SOURCES`], nothing else.
//!
//! Messages without arguments are rendered once, when the catalogue is first used, so pages get
//! `&'static str` and pay nothing per lookup.

use std::{
    collections::{BTreeSet, HashMap},
    sync::OnceLock,
};

use fluent_bundle::{concurrent::FluentBundle, FluentArgs, FluentResource};

pub use fluent_bundle::FluentValue as Arg;

/// Every language's catalogue as shipped: its code and its Fluent source. English first: it
/// is the language of the API and of anything a request does not say.
pub const SOURCES: &[(&str, &str)] = &[
    ("en", include_str!("../locales/en.ftl")),
    ("ru", include_str!("../locales/ru.ftl")),
];

/// A language of the interface, by its code (`en`, `ru`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lang(&'static str);

impl Lang {
    pub const EN: Lang = Lang("en");
    pub const RU: Lang = Lang("ru");

    /// The language with this code, if the catalogue has it (`ru`, `RU`, `ru-RU` alike).
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next()?.trim().to_ascii_lowercase();
        SOURCES
            .iter()
            .find(|(c, _)| *c == primary)
            .map(|(c, _)| Lang(c))
    }

    /// The language whose code this is exactly (`ru`, `RU`; not `ru-RU` or `russian`): for codes
    /// that are stored, such as a user's language or the language of a name.
    pub fn exact(code: &str) -> Option<Lang> {
        let code = code.trim();
        SOURCES
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map(|(c, _)| Lang(c))
    }

    /// Every language the catalogue has, English first.
    pub fn all() -> impl Iterator<Item = Lang> {
        SOURCES.iter().map(|(c, _)| Lang(c))
    }

    pub fn code(self) -> &'static str {
        self.0
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

struct Catalogue {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
    /// Messages without arguments, rendered once: (language, key) → text.
    plain: HashMap<(&'static str, &'static str), &'static str>,
    /// Problems found reading the sources (a test requires none).
    problems: Vec<String>,
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let mut bundles = HashMap::new();
        let mut plain = HashMap::new();
        let mut problems = Vec::new();
        for (code, source) in SOURCES {
            let resource = match FluentResource::try_new(source.to_string()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    problems.extend(errors.iter().map(|e| format!("{code}: {e:?}")));
                    r
                }
            };
            let id = code.parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Direction marks around arguments would end up inside attribute values and URLs.
            bundle.set_use_isolating(false);
            if let Err(errors) = bundle.add_resource(resource) {
                problems.extend(errors.iter().map(|e| format!("{code}: {e:?}")));
            }
            bundles.insert(*code, bundle);
        }
        // Render the plain messages of each bundle once, leaked: they live as long as the
        // process, as the catalogue does.
        for (code, source) in SOURCES {
            let bundle = &bundles[code];
            for key in message_keys(source) {
                let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
                    continue;
                };
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, None, &mut errors);
                if errors.is_empty() {
                    let text: &'static str = Box::leak(text.into_owned().into_boxed_str());
                    plain.insert((*code, key), text);
                }
            }
        }
        Catalogue {
            bundles,
            plain,
            problems,
        }
    })
}

/// The message keys a Fluent source defines, in order (terms and comments left out).
fn message_keys(source: &'static str) -> impl Iterator<Item = &'static str> {
    source.lines().filter_map(|line| {
        let (key, _) = line.split_once('=')?;
        let key = key.trim_end();
        let first = key.chars().next()?;
        (first.is_ascii_alphabetic()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .then_some(key)
    })
}

/// The text of a message without arguments. A key the language lacks gives the English text,
/// and a key no language has gives `?` (the catalogue tests rule both out).
pub fn text(lang: Lang, key: &str) -> &'static str {
    let c = catalogue();
    c.plain
        .get(&(lang.0, key))
        .or_else(|| c.plain.get(&(Lang::EN.0, key)))
        .copied()
        .unwrap_or("?")
}

/// A message with arguments: each value is passed to the message as it is, so user data is
/// never translated or altered.
pub fn format(lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    let c = catalogue();
    let found = [lang.0, Lang::EN.0].into_iter().find_map(|code| {
        let bundle = c.bundles.get(code)?;
        Some((bundle, bundle.get_message(key)?.value()?))
    });
    let Some((bundle, pattern)) = found else {
        return key.to_string();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors)
        .into_owned()
}

/// A message with its arguments — the values exactly as given, passed to the message, never
/// found and replaced in its text. Arguments are kept in name order, so two messages built
/// alike are equal whatever order their arguments were given in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Message {
    pub fn new(key: &'static str, args: &[(&'static str, &dyn std::fmt::Display)]) -> Message {
        let mut args: Vec<(&'static str, String)> =
            args.iter().map(|(n, v)| (*n, v.to_string())).collect();
        args.sort_by_key(|(n, _)| *n);
        Message { key, args }
    }

    /// The message in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let args: Vec<(&str, Arg<'_>)> = self
            .args
            .iter()
            .map(|(n, v)| (*n, Arg::from(v.as_str())))
            .collect();
        format(lang, self.key, &args)
    }
}

/// The keys a language's file defines (for the catalogue's completeness test).
pub fn keys(lang: Lang) -> BTreeSet<&'static str> {
    SOURCES
        .iter()
        .find(|(c, _)| *c == lang.0)
        .map(|(_, source)| message_keys(source).collect())
        .unwrap_or_default()
}

/// Problems reading the sources: syntax errors, keys defined twice.
pub fn problems() -> Vec<String> {
    let mut out = catalogue().problems.clone();
    for (code, source) in SOURCES {
        let mut seen = BTreeSet::new();
        for key in message_keys(source) {
            if !seen.insert(key) {
                out.push(format!("{code}: {key} is defined twice"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_key_and_reads_cleanly() {
        assert_eq!(problems(), Vec::<String>::new());
        let english = keys(Lang::EN);
        assert!(english.len() > 100, "{}", english.len());
        for lang in Lang::all() {
            let theirs = keys(lang);
            let missing: Vec<_> = english.difference(&theirs).collect();
            let extra: Vec<_> = theirs.difference(&english).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{lang}: missing {missing:?}, not in English {extra:?}"
            );
        }
    }

    #[test]
    fn languages_are_values() {
        assert_eq!(Lang::parse("ru-RU"), Some(Lang::RU));
        assert_eq!(Lang::parse("EN"), Some(Lang::EN));
        assert_eq!(Lang::parse("xx"), None);
        assert_eq!(Lang::all().next(), Some(Lang::EN));
    }

    #[test]
    fn plain_messages_are_looked_up() {
        assert_eq!(text(Lang::RU, "app-name"), "Памир");
        assert_eq!(text(Lang::EN, "no-such-key"), "?");
    }
}
