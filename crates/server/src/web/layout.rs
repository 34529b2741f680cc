//! The page shell and the small pieces every page uses.

use maud::{html, Markup, DOCTYPE};
use pamir_app::AppError;
use pamir_domain::{schema::Lang, text, Classification, CountryCode};

use super::i18n::{error_text, reason, t, M};
use crate::extract::{urlencode, WebUser};

pub struct Shell<'a> {
    pub lang: Lang,
    pub title: &'a str,
    pub user: Option<&'a WebUser>,
    pub demo: bool,
    /// The menu entry to highlight.
    pub path: &'a str,
    /// The page's address with its query, for the language switch.
    pub here: &'a str,
}

fn nav_link(current: &str, href: &str, label: &str) -> Markup {
    let is_current = if href == "/" {
        current == "/"
    } else {
        current.starts_with(href)
    };
    html! { a href=(href) class=[is_current.then_some("current")] { (label) } }
}

pub fn page(shell: Shell<'_>, body: Markup) -> Markup {
    let lang = shell.lang;
    // The other languages, each named in itself.
    let others: Vec<(&str, &str)> = Lang::all()
        .filter(|l| *l != lang)
        .map(|l| (l.code(), M::LanguageName.text(l)))
        .collect();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (shell.title) " — " (t(lang, M::AppName)) }
                link rel="stylesheet" href=(super::assets::STYLESHEET.href());
                @if shell.user.is_some() {
                    script src=(super::assets::LIVE_SCRIPT.href()) defer {}
                }
            }
            body {
                header.top {
                    a.brand href="/" { (t(lang, M::AppName)) }
                    @if let Some(u) = shell.user {
                        nav {
                            @for e in crate::capability::nav(&u.ctx) {
                                @if let Some(live) = e.badge {
                                    a href=(e.href) class=[shell.path.starts_with(e.href).then_some("current")] {
                                        (t(lang, e.label))
                                        " " span.badge.unread data-live=(live) {}
                                    }
                                } @else {
                                    (nav_link(shell.path, e.href, t(lang, e.label)))
                                }
                            }
                        }
                        // Filled in by the live script (nothing shows without it): whether the
                        // page is connected, so that an officer on a poor link knows what they see.
                        span #live-state.live-state role="status" data-on=(t(lang, M::LiveOn)) data-off=(t(lang, M::LiveOff)) {}
                        span.who { (u.ctx.user.display_name) " · " (u.ctx.user.agency) }
                        form method="post" action="/logout" {
                            (csrf_field(&u.csrf))
                            button type="submit" { (t(lang, M::Logout)) }
                        }
                    } @else {
                        nav {}
                    }
                    @for (code, name) in &others {
                        a href={ "/lang/" (code) "?next=" (urlencode(shell.here)) } lang=(code) { (name) }
                    }
                }
                @if shell.demo {
                    div.banner role="note" { (t(lang, M::DemoBanner)) }
                }
                @if shell.user.is_some() {
                    // Early-warning alerts, put here by the live script as they come.
                    div #live-alerts role="status" aria-live="assertive"
                        data-region=(t(lang, M::EwFirstInRegion)) data-country=(t(lang, M::EwFirstInCountry))
                        data-incident=(t(lang, M::PciAlert)) data-late=(t(lang, M::PenLateAlert)) data-overdue=(t(lang, M::PenOverdueAlert))
                        data-risk=(t(lang, M::RiskAlert)) data-risk-retracted=(t(lang, M::RiskRetractedAlert)) {}
                }
                main { (body) }
            }
        }
    }
}

pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

pub fn classification_badge(c: Classification) -> Markup {
    html! { span class={ "badge c-" (c.as_str()) } { (c.as_str()) } }
}

/// A name as written, with its Latin reading beside it when it is in Cyrillic.
pub fn name_with_reading(lang: Lang, s: &str) -> Markup {
    html! {
        span.name { (s) }
        @if let Some(latin) = text::latin_reading(s) {
            " " span.reading title=(t(lang, M::LatinReading)) { "(" (latin) ")" }
        }
    }
}

pub fn country_name(lang: Lang, code: &str) -> String {
    match CountryCode::parse(code) {
        Ok(c) => match c.name(lang) {
            Some(name) => format!("{name} ({c})"),
            None => c.to_string(),
        },
        Err(_) => code.to_string(),
    }
}

/// The translated summary of an error and, for invalid input, each field with its reason.
pub fn error_box(lang: Lang, e: &AppError) -> Markup {
    html! {
        div.errors role="alert" {
            strong { (error_text(lang, e)) }
            @match e {
                AppError::Invalid(errors) => {
                    ul { @for f in &errors.0 { li { span.code { (f.field) } ": " (reason(lang, &f.reason)) } } }
                }
                // The detail is in English; the summary above already says it in the page's language.
                AppError::Forbidden(msg) | AppError::BadRequest(msg) if lang == Lang::EN => { " " span.muted { (msg) } }
                _ => {}
            }
        }
    }
}

pub fn notice(text: &str) -> Markup {
    html! { div.notice role="status" { (text) } }
}
