//! Matches on the record page, the hits inbox, disclosure requests and the screening form.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::{html, Markup};
use pamir_app::{
    format_time,
    matching::{MatchSide, MatchView, ScreenInput},
    AppError,
};
use pamir_domain::{handling::HandlingCode, schema, schema::Lang};
use pamir_store::Disclosure;
use serde_json::json;

use pamir_app::matching::explain::{self, Reason};

use crate::extract::WebUser;
use crate::web::{
    check_csrf, error_page,
    i18n::{t, M},
    layout::{csrf_field, error_box, name_with_reading, notice},
    render, FormData,
};
use pamir_app::App;

fn schema_label(lang: Lang, name: &str) -> String {
    schema::schema(name)
        .map(|s| s.label(lang).to_string())
        .unwrap_or_else(|| name.to_string())
}

/// Why two records match, in the page's language: the reasons as catalogue messages, names and
/// dates passed as they are written. A match stored before its reasons were kept shows its
/// English explanation as it is.
fn explanation(lang: Lang, reasons: &[Reason], english: &str) -> String {
    if reasons.is_empty() {
        return english.to_string();
    }
    explain::render(reasons, lang)
}

fn strength(score: f64) -> String {
    format!("{:.0}%", score * 100.0)
}

/// A local address to come back to after a form, never another site's.
fn back_to(form: &FormData, default: &str) -> String {
    form.get("next")
        .and_then(crate::extract::local_path)
        .unwrap_or_else(|| default.to_string())
}

fn status_label(lang: Lang, status: &str) -> &'static str {
    match status {
        "pending" => t(lang, M::RequestPending),
        "approved" => t(lang, M::RequestApproved),
        "declined" => t(lang, M::RequestDeclined),
        _ => "",
    }
}

/// The form a hit offers: ask its owner, saying why. (On a hit's own page the reference is
/// the record id the caller opened.)
pub fn request_form(lang: Lang, csrf: &str, reference: &str, next: &str) -> Markup {
    html! {
        details.request {
            summary { (t(lang, M::RequestDisclosure)) }
            form method="post" action="/disclosures" {
                (csrf_field(csrf))
                input type="hidden" name="reference" value=(reference);
                input type="hidden" name="next" value=(next);
                label { (t(lang, M::Justification))
                    textarea name="justification" rows="3" required minlength="10" maxlength="4000" {}
                }
                button type="submit" { (t(lang, M::SendRequest)) }
            }
        }
    }
}

/// One match as a table row: the other record in full, or only "hit".
fn match_row(lang: Lang, v: &MatchView, csrf: &str, next: &str, show_mine: bool) -> Markup {
    html! {
        tr {
            @if show_mine {
                td { @if let Some((id, caption)) = &v.record { a href={ "/records/" (id) } { (name_with_reading(lang, caption)) } } }
            }
            td.score { (strength(v.score)) }
            @match &v.other {
                MatchSide::Full { id, schema, caption, owner, explanation, reasons } => {
                    td { a href={ "/records/" (id) } { (name_with_reading(lang, caption)) } br; span.muted { (schema_label(lang, schema)) " · " (owner) } }
                    td.explanation { (self::explanation(lang, reasons, explanation)) }
                }
                MatchSide::Hit { reference, schema, owner, request } => {
                    td.hit { strong { (t(lang, M::HitLabel)) } br; span.muted { (schema_label(lang, schema)) " · " (owner) } br; span.code.muted { (t(lang, M::Reference)) " " (reference) } }
                    td {
                        @match request {
                            Some(status) => { span class={ "status " (status) } { (status_label(lang, status)) } }
                            None => { (request_form(lang, csrf, reference, next)) }
                        }
                    }
                }
            }
        }
    }
}

fn match_table(lang: Lang, views: &[MatchView], csrf: &str, next: &str, show_mine: bool) -> Markup {
    html! {
        table.matches {
            thead { tr {
                @if show_mine { th { (t(lang, M::YourRecord)) } }
                th { (t(lang, M::Strength)) } th { (t(lang, M::MatchedRecord)) } th { (t(lang, M::Why)) }
            } }
            tbody { @for v in views { (match_row(lang, v, csrf, next, show_mine)) } }
        }
    }
}

/// The matches section of a record page.
pub fn matches_section(lang: Lang, views: &[MatchView], csrf: &str, next: &str) -> Markup {
    html! {
        section #matches {
            h2 { (t(lang, M::Matches)) }
            @if views.is_empty() {
                p.muted { (t(lang, M::NoMatches)) }
            } @else {
                (match_table(lang, views, csrf, next, false))
            }
        }
    }
}

pub async fn inbox(State(app): State<Arc<App>>, user: WebUser) -> Response {
    let lang = user.lang;
    let views = match app.matching().hits(&user.ctx, 500).await {
        Ok(v) => v,
        Err(e) => return error_page(&app, &user, &e),
    };
    let body = html! {
        h1 { (t(lang, M::NavHits)) }
        p.muted { (t(lang, M::HitsIntro)) }
        @if views.is_empty() {
            p.muted { (t(lang, M::NoMatches)) }
        } @else {
            (match_table(lang, &views, &user.csrf, "/hits", true))
        }
    };
    render(&app, &user, t(lang, M::NavHits), "/hits", body)
}

fn disclosure_rows(lang: Lang, list: &[Disclosure], incoming: bool, csrf: &str) -> Markup {
    html! {
        table.disclosures {
            thead { tr {
                th { (t(lang, M::Record)) }
                th { @if incoming { (t(lang, M::RequestedBy)) } @else { (t(lang, M::Owner)) } }
                th { (t(lang, M::Justification)) }
                th { (t(lang, M::Status)) }
            } }
            tbody {
                @for d in list {
                    tr {
                        td.code {
                            @if incoming || d.status == "approved" { a href={ "/records/" (d.record_id) } { (d.record_id) } }
                            @else { (t(lang, M::HitLabel)) }
                        }
                        td { @if incoming { (d.requester) " · " (d.requester_agency) } @else { (d.owner_agency) } br; span.muted { (format_time(d.created_at)) } }
                        td { (d.justification) }
                        td {
                            span class={ "status " (d.status) } { (status_label(lang, &d.status)) }
                            @if let Some(r) = &d.decision_reason { br; span.muted { (r) } }
                            @if !d.added_codes.is_empty() { br; span.code { (d.added_codes) } }
                            @if incoming && d.status == "pending" {
                                form.decide method="post" action={ "/disclosures/" (d.id) "/approve" } {
                                    (csrf_field(csrf))
                                    fieldset { legend { (t(lang, M::AddHandlingCodes)) }
                                        @for code in HandlingCode::ALL {
                                            label.inline { input type="checkbox" name="code" value=(code.as_str()); " " (code.as_str()) }
                                        }
                                    }
                                    button type="submit" name="approve" { (t(lang, M::Approve)) }
                                }
                                form.decide method="post" action={ "/disclosures/" (d.id) "/decline" } {
                                    (csrf_field(csrf))
                                    label { (t(lang, M::DeclineReason)) input type="text" name="reason" required; }
                                    button type="submit" name="decline" { (t(lang, M::Decline)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub async fn disclosures(State(app): State<Arc<App>>, user: WebUser) -> Response {
    let lang = user.lang;
    let (incoming, outgoing) = match app.matching().disclosures(&user.ctx).await {
        Ok(l) => l,
        Err(e) => return error_page(&app, &user, &e),
    };
    let body = html! {
        h1 { (t(lang, M::NavDisclosures)) }
        h2 { (t(lang, M::Incoming)) }
        @if incoming.is_empty() { p.muted { (t(lang, M::NoRequests)) } }
        @else { (disclosure_rows(lang, &incoming, true, &user.csrf)) }
        h2 { (t(lang, M::Outgoing)) }
        @if outgoing.is_empty() { p.muted { (t(lang, M::NoRequests)) } }
        @else { (disclosure_rows(lang, &outgoing, false, &user.csrf)) }
    };
    render(
        &app,
        &user,
        t(lang, M::NavDisclosures),
        "/disclosures",
        body,
    )
}

pub async fn request(State(app): State<Arc<App>>, user: WebUser, form: FormData) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let reference = form.get("reference").unwrap_or_default();
    let justification = form.get("justification").unwrap_or_default();
    match app
        .matching()
        .request_disclosure(&user.ctx, reference, justification)
        .await
    {
        Ok(_) => Redirect::to(&back_to(&form, "/disclosures")).into_response(),
        Err(e) => error_page(&app, &user, &e),
    }
}

pub async fn decide(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path((id, decision)): Path<(String, String)>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let approve = match decision.as_str() {
        "approve" => true,
        "decline" => false,
        _ => return error_page(&app, &user, &AppError::NotFound("no such decision".into())),
    };
    let codes: Vec<HandlingCode> = form
        .all("code")
        .into_iter()
        .filter_map(|c| c.parse::<HandlingCode>().ok())
        .collect();
    match app
        .matching()
        .decide_disclosure(&user.ctx, &id, approve, form.get("reason"), &codes)
        .await
    {
        Ok(_) => Redirect::to("/disclosures").into_response(),
        Err(e) => error_page(&app, &user, &e),
    }
}

fn screen_form(lang: Lang, csrf: &str, form: Option<&FormData>) -> Markup {
    let value = |name: &str| {
        form.and_then(|f| f.get(name))
            .unwrap_or_default()
            .to_string()
    };
    let kind = value("schema");
    html! {
        form.screen method="post" action="/screen" {
            (csrf_field(csrf))
            label { (t(lang, M::Schema))
                select name="schema" {
                    @for (v, label) in [("Person", M::SchemaPerson), ("Company", M::SchemaCompany), ("Vehicle", M::SchemaVehicle)] {
                        option value=(v) selected[kind == v] { (t(lang, label)) }
                    }
                }
            }
            label { (t(lang, M::ScreenName)) input type="text" name="name" value=(value("name")) autofocus; }
            label { (t(lang, M::ScreenBirthDate)) input type="text" name="birthDate" value=(value("birthDate")) placeholder="1985-03-14"; }
            label { (t(lang, M::ScreenDocument)) input type="text" name="number" value=(value("number")); }
            label { (t(lang, M::ScreenPhone)) input type="text" name="phone" value=(value("phone")); }
            label { (t(lang, M::ScreenCountry)) input type="text" name="nationality" value=(value("nationality")) placeholder="tj" maxlength="2"; }
            button type="submit" { (t(lang, M::ScreenButton)) }
        }
    }
}

pub async fn screen_page(State(app): State<Arc<App>>, user: WebUser) -> Response {
    let lang = user.lang;
    let body = html! {
        h1 { (t(lang, M::NavScreen)) }
        p.muted { (t(lang, M::ScreenIntro)) }
        (screen_form(lang, &user.csrf, None))
    };
    render(&app, &user, t(lang, M::NavScreen), "/screen", body)
}

pub async fn screen(State(app): State<Arc<App>>, user: WebUser, form: FormData) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let lang = user.lang;
    let kind = match form.get("schema") {
        Some("Company") => "Company",
        Some("Vehicle") => "Vehicle",
        _ => "Person",
    };
    let mut props = serde_json::Map::new();
    let mut put = |prop: &str, field: &str| {
        if let Some(v) = form.get(field).map(str::trim).filter(|v| !v.is_empty()) {
            props.insert(prop.into(), json!([v]));
        }
    };
    match kind {
        "Vehicle" => {
            put("registrationNumber", "name");
            put("vin", "number");
        }
        "Company" => {
            put("name", "name");
            put("registrationNumber", "number");
            put("phone", "phone");
            put("country", "nationality");
        }
        _ => {
            put("name", "name");
            put("birthDate", "birthDate");
            put("passportNumber", "number");
            put("phone", "phone");
            put("nationality", "nationality");
        }
    }
    let entity = json!({"schema": kind, "properties": props});
    let result = app
        .matching()
        .screen(&user.ctx, ScreenInput { entity })
        .await;
    let body = html! {
        h1 { (t(lang, M::NavScreen)) }
        (screen_form(lang, &user.csrf, Some(&form)))
        @match &result {
            Err(e) => (error_box(lang, e)),
            Ok(views) if views.is_empty() => (notice(t(lang, M::ScreenNothing))),
            Ok(views) => {
                h2 { (t(lang, M::ScreenResults)) }
                (match_table(lang, views, &user.csrf, "/disclosures", false))
            }
        }
    };
    render(&app, &user, t(lang, M::NavScreen), "/screen", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explanations_in_russian_keep_names_and_dates() {
        let reasons = [
            Reason::new(
                "match-word-like",
                &[
                    ("role", &"surname"),
                    ("likeness", &"transliteration"),
                    ("word", &"Қурбонов"),
                    ("other", &"Kurbonov"),
                ],
            ),
            Reason::new(
                "match-word-same",
                &[("role", &"given"), ("word", &"Alisher")],
            ),
            Reason::new(
                "match-word-one-side",
                &[("role", &"patronymic"), ("word", &"Rustamovich")],
            ),
            Reason::new(
                "match-date",
                &[
                    ("what", &"swapped"),
                    ("a", &"1990-05-03"),
                    ("b", &"1990-03-05"),
                ],
            ),
            Reason::new("match-gender", &[("a", &"male"), ("b", &"female")]),
            // A name that holds a phrase is a value: it stays as written.
            Reason::new(
                "match-word-same",
                &[("role", &"name"), ("word", &"Same Male (Differs)")],
            ),
        ];
        assert_eq!(
            explanation(Lang::RU, &reasons, "-"),
            "фамилия: совпадение транслитерации Қурбонов ~ Kurbonov; имя: совпадает Alisher; \
             отчество только в одной из записей: Rustamovich; дата рождения: год совпадает, день и месяц переставлены (1990-05-03 ~ 1990-03-05); \
             пол: мужской ~ женский; имя: совпадает Same Male (Differs)"
        );
        assert_eq!(
            explanation(Lang::EN, &reasons, "-"),
            "surname: transliteration match Қурбонов ~ Kurbonov; given name: same Alisher; \
             patronymic only on one side: Rustamovich; birth date: year matches, day and month swapped (1990-05-03 ~ 1990-03-05); \
             gender: male ~ female; name: same Same Male (Differs)"
        );
        // A match stored before its reasons were kept: its English, as stored.
        assert_eq!(
            explanation(Lang::RU, &[], "surname: same X"),
            "surname: same X"
        );
    }
}
