//! The registry's pages: the list with its search and filters, one substance, the form that
//! adds or changes one (for those who keep the registry), and the import of a file.

use std::sync::Arc;

use axum::{
    extract::{Multipart, Path, RawQuery, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::{html, Markup};
use pamir_app::{
    early_warning::{interchange, registry::RegistryImport, Substance},
    format_time, App, AppError,
};
use pamir_domain::{
    error::Reason,
    schema::Lang,
    substance::{self, Control, NameKind, SubstanceClass},
    ValidationErrors,
};
use serde_json::{json, Value};

use super::api::{export_file, import_bytes, ListParams};
use crate::extract::WebUser;
use crate::web::{
    check_csrf, error_page,
    i18n::{reason, t, M},
    layout::{country_name, csrf_field, error_box, notice},
    render, FormData,
};

fn class_label(lang: Lang, c: SubstanceClass) -> &'static str {
    pamir_i18n::text(lang, &c.label_key())
}

/// The name shown in `lang`, and the other language's after it.
fn names_shown(lang: Lang, s: &Substance) -> (String, String) {
    let (en, ru) = (s.draft.name(NameKind::En), s.draft.name(NameKind::Ru));
    if lang == Lang::RU {
        (ru.to_string(), en.to_string())
    } else {
        (en.to_string(), ru.to_string())
    }
}

fn controls(s: &Substance) -> String {
    s.draft
        .controls
        .iter()
        .map(|c| c.code())
        .collect::<Vec<_>>()
        .join(", ")
}

fn may_edit(user: &WebUser) -> bool {
    substance::may_edit(&user.ctx.subject).is_ok()
}

pub(super) fn list_params(form: &FormData) -> ListParams {
    let get = |name: &str| form.get(name).map(str::to_string);
    ListParams {
        q: get("q"),
        class: get("class"),
        control: get("control"),
    }
}

/// The class and international-control filters, shared by the registry and the board.
pub(super) fn class_and_control(lang: Lang, form: &FormData) -> Markup {
    let class = form.text("class");
    let control = form.text("control");
    html! {
            label { (t(lang, M::SrClass)) " "
                select name="class" {
                    option value="" { (t(lang, M::SrAnyClass)) }
                    @for c in SubstanceClass::ALL {
                        option value=(c.as_str()) selected[class == c.as_str()] { (class_label(lang, *c)) }
                    }
                }
            }
            label { (t(lang, M::SrInternational)) " "
                select name="control" {
                    option value="" { (t(lang, M::SrAnyControl)) }
                    @for (v, m) in [("1961", M::SrConvention1961), ("1971", M::SrConvention1971), ("1988", M::SrConvention1988), ("none", M::SrNotControlled)] {
                        option value=(v) selected[control == v] { (t(lang, m)) }
                    }
                    @for c in Control::ALL {
                        option value=(c.code()) selected[control == c.code()] { (c.code()) }
                    }
                }
            }
    }
}

fn filter_form(lang: Lang, form: &FormData) -> Markup {
    html! {
        form.filters method="get" action="/substances" { div.row {
            label { (t(lang, M::Search)) " "
                input type="search" name="q" value=(form.text("q")) maxlength="500" placeholder=(t(lang, M::SrSearchHint));
            }
            (class_and_control(lang, form))
            button type="submit" { (t(lang, M::AnShow)) }
        } }
    }
}

pub async fn list(State(app): State<Arc<App>>, user: WebUser, RawQuery(q): RawQuery) -> Response {
    let lang = user.lang;
    let form = FormData::parse(q.as_deref().unwrap_or("").as_bytes());
    let params = list_params(&form);
    let result = match params.filter() {
        Ok(filter) => app.substances().list(&user.ctx, &filter).await,
        Err(e) => Err(e),
    };
    let found = match result {
        Ok(mut found) => {
            // In the reader's language's order.
            found.sort_by_cached_key(|s| names_shown(lang, s).0.to_lowercase());
            Ok(found)
        }
        Err(e @ AppError::Invalid(_)) => Err(e),
        Err(e) => return error_page(&app, &user, &e),
    };
    let body = html! {
        h1 { (t(lang, M::SrTitle)) }
        p.muted { (t(lang, M::SrIntro)) }
        p.actions {
            @if may_edit(&user) {
                a.button href="/substances/new" { (t(lang, M::SrAdd)) } " "
                a.button.secondary href="/substances/import" { (t(lang, M::SrImport)) } " "
            }
            a href="/substances.csv" download { (t(lang, M::AnCsv)) } " · "
            a href="/substances.json" download { "JSON" }
        }
        (filter_form(lang, &form))
        @match &found {
            Err(e) => { (error_box(lang, e)) }
            Ok(found) if found.is_empty() => { p.muted { (t(lang, M::SrNone)) } }
            Ok(found) => {
                p.muted { (M::SrCount.with(lang, &[("n", &found.len().to_string())])) }
                div.table-scroll {
                    table.substances {
                        thead { tr {
                            th { (t(lang, M::SrName)) } th { (t(lang, M::SrClass)) } th { (t(lang, M::SrInternational)) }
                            th.opt { "CAS" } th.opt { (t(lang, M::SrFormula)) }
                        } }
                        tbody {
                            @for s in found {
                                @let (shown, other) = names_shown(lang, s);
                                tr {
                                    td { a href={ "/substances/" (s.id) } { (shown) } br; span.muted { (other) } }
                                    td { (class_label(lang, s.draft.class)) }
                                    td.code { @if s.draft.controls.is_empty() { span.muted { "—" } } @else { (controls(s)) } }
                                    td.code.opt { (s.draft.cas.as_ref().map(|c| c.to_string()).unwrap_or_default()) }
                                    td.code.opt { (s.draft.formula.as_ref().map(|c| c.to_string()).unwrap_or_default()) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let mut resp = render(&app, &user, t(lang, M::SrTitle), "/substances", body);
    if let Err(e) = &found {
        *resp.status_mut() = crate::error::status_of(e);
    }
    resp
}

/// The form's values: the substance's, or what was sent after an error.
fn form_values<'a>(
    s: Option<&Substance>,
    sent: Option<&'a FormData>,
) -> impl Fn(&str) -> String + 'a {
    let json = s.map(|s| s.draft.to_json());
    move |name: &str| {
        if let Some(f) = sent {
            return f.text(name).to_string();
        }
        let Some(j) = &json else { return String::new() };
        match name {
            "names" => interchange::names_to_lines(&j["names"]),
            "countries" => interchange::countries_to_lines(&j["countries"]),
            "sources" => interchange::strings_to_lines(&j["sources"]),
            other => j[other].as_str().unwrap_or_default().to_string(),
        }
    }
}

fn substance_form(
    lang: Lang,
    csrf: &str,
    s: Option<&Substance>,
    sent: Option<&FormData>,
) -> Markup {
    let v = form_values(s, sent);
    let class = v("class");
    let checked: Vec<String> = match (sent, s) {
        (Some(f), _) => f
            .all("international")
            .into_iter()
            .map(str::to_string)
            .collect(),
        (None, Some(s)) => s.draft.controls.iter().map(|c| c.code()).collect(),
        (None, None) => Vec::new(),
    };
    let (action, button) = match s {
        Some(s) => (format!("/substances/{}/edit", s.id), M::Save),
        None => ("/substances/new".to_string(), M::SrAdd),
    };
    html! {
        form.stack.substance-form method="post" action=(action) {
            (csrf_field(csrf))
            @if let Some(s) = s { input type="hidden" name="version" value=(s.version); }
            label { (t(lang, M::SrNames)) small.muted { (t(lang, M::SrNamesHelp)) }
                textarea name="names" rows="5" required placeholder=(t(lang, M::SrNamesPlaceholder)) { (v("names")) }
            }
            label { (t(lang, M::SrClass))
                select name="class" required {
                    @for c in SubstanceClass::ALL {
                        option value=(c.as_str()) selected[class == c.as_str()] { (class_label(lang, *c)) }
                    }
                }
            }
            label { "CAS" input type="text" name="cas" value=(v("cas")) maxlength="12" placeholder="1189805-46-6"; }
            label { "InChIKey" input type="text" name="inchikey" value=(v("inchikey")) maxlength="27"; }
            label { (t(lang, M::SrFormula)) input type="text" name="formula" value=(v("formula")) maxlength="200" placeholder="C11H15NO"; }
            fieldset {
                legend { (t(lang, M::SrInternational)) }
                @for c in Control::ALL {
                    label.inline { input type="checkbox" name="international" value=(c.code()) checked[checked.contains(&c.code())]; " " (c.code()) }
                }
            }
            label { (t(lang, M::SrCountries)) small.muted { (t(lang, M::SrCountriesHelp)) }
                textarea name="countries" rows="4" placeholder="KZ controlled 2012-03-01" { (v("countries")) }
            }
            label { (t(lang, M::SrSources)) textarea name="sources" rows="2" { (v("sources")) } }
            label { (t(lang, M::SrNotes)) textarea name="notes" rows="3" maxlength="4000" { (v("notes")) } }
            button type="submit" { (t(lang, button)) }
        }
    }
}

/// The form read into the body the service takes; lines it cannot read are named.
fn body_of(form: &FormData) -> Result<Value, AppError> {
    let (names, mut bad) = interchange::names_from_lines(form.text("names"));
    let (countries, bad_countries) = interchange::countries_from_lines(form.text("countries"));
    bad.extend(bad_countries);
    if !bad.is_empty() {
        let mut errors = ValidationErrors::default();
        for (field, r) in bad {
            errors.push(field, r);
        }
        return Err(AppError::Invalid(errors));
    }
    let mut body = json!({
        "names": names,
        "class": form.text("class"),
        "international": form.all("international"),
        "countries": countries,
        "sources": interchange::strings_from_lines(form.text("sources")),
        "notes": form.text("notes"),
    });
    for field in ["cas", "inchikey", "formula"] {
        if !form.text(field).trim().is_empty() {
            body[field] = Value::String(form.text(field).to_string());
        }
    }
    Ok(body)
}

fn form_page(
    app: &App,
    user: &WebUser,
    s: Option<&Substance>,
    sent: Option<(&FormData, &AppError)>,
) -> Response {
    let lang = user.lang;
    let title = match s {
        Some(s) => names_shown(lang, s).0,
        None => t(lang, M::SrAdd).to_string(),
    };
    let body = html! {
        p { a href=(s.map_or("/substances".to_string(), |s| format!("/substances/{}", s.id))) { "← " (t(lang, M::Back)) } }
        h1 { (title) }
        @if let Some((_, e)) = sent { (error_box(lang, e)) }
        (substance_form(lang, &user.csrf, s, sent.map(|(f, _)| f)))
    };
    let mut resp = render(app, user, &title, "/substances", body);
    if let Some((_, e)) = sent {
        *resp.status_mut() = crate::error::status_of(e);
    }
    resp
}

pub async fn new_form(State(app): State<Arc<App>>, user: WebUser) -> Response {
    if let Err(reason) = substance::may_edit(&user.ctx.subject) {
        return error_page(
            &app,
            &user,
            &AppError::Forbidden(reason.as_str().to_string()),
        );
    }
    form_page(&app, &user, None, None)
}

pub async fn create(State(app): State<Arc<App>>, user: WebUser, form: FormData) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let result = match body_of(&form) {
        Ok(body) => app.substances().create(&user.ctx, &body).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(s) => Redirect::to(&format!("/substances/{}", s.id)).into_response(),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            form_page(&app, &user, None, Some((&form, &e)))
        }
        Err(e) => error_page(&app, &user, &e),
    }
}

pub async fn edit(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let version: i64 = form.text("version").parse().unwrap_or(0);
    let result = match body_of(&form) {
        Ok(body) => {
            app.substances()
                .update(&user.ctx, &id, version, &body)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(s) => Redirect::to(&format!("/substances/{}", s.id)).into_response(),
        Err(
            e @ (AppError::Invalid(_) | AppError::Conflict(_) | AppError::VersionConflict { .. }),
        ) => match app.substances().get(&user.ctx, &id).await {
            Ok(s) => form_page(&app, &user, Some(&s), Some((&form, &e))),
            Err(e) => error_page(&app, &user, &e),
        },
        Err(e) => error_page(&app, &user, &e),
    }
}

pub async fn edit_form(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
) -> Response {
    if let Err(reason) = substance::may_edit(&user.ctx.subject) {
        return error_page(
            &app,
            &user,
            &AppError::Forbidden(reason.as_str().to_string()),
        );
    }
    match app.substances().get(&user.ctx, &id).await {
        Ok(s) => form_page(&app, &user, Some(&s), None),
        Err(e) => error_page(&app, &user, &e),
    }
}

pub async fn show(State(app): State<Arc<App>>, user: WebUser, Path(id): Path<String>) -> Response {
    let lang = user.lang;
    let s = match app.substances().get(&user.ctx, &id).await {
        Ok(s) => s,
        Err(e) => return error_page(&app, &user, &e),
    };
    let (shown, other) = names_shown(lang, &s);
    let d = &s.draft;
    let body = html! {
        p { a href="/substances" { "← " (t(lang, M::SrTitle)) } }
        h1 { (shown) " " span.muted { "/ " (other) } }
        p {
            @if may_edit(&user) { a.button href={ "/substances/" (s.id) "/edit" } { (t(lang, M::SrEdit)) } " " }
            a.button.secondary href={ "/early-warning/" (s.id) } { (t(lang, M::EwSeeSpread)) }
        }
        dl.facts {
            dt { (t(lang, M::SrClass)) } dd { (class_label(lang, d.class)) }
            dt { (t(lang, M::SrNames)) }
            dd { ul.plain { @for n in &d.names { li { (n.text) " " span.muted.code { "(" (n.kind.as_str()) ")" } } } } }
            @if let Some(c) = &d.cas { dt { "CAS" } dd.code { (c) } }
            @if let Some(k) = &d.inchikey { dt { "InChIKey" } dd.code { (k) } }
            @if let Some(f) = &d.formula { dt { (t(lang, M::SrFormula)) } dd.code { (f) } }
            dt { (t(lang, M::SrInternational)) }
            dd { @if d.controls.is_empty() { (t(lang, M::SrNotControlled)) } @else { span.code { (controls(&s)) } } }
        }
        h2 { (t(lang, M::SrCountries)) }
        @if d.countries.is_empty() {
            p.muted { (t(lang, M::SrNoCountries)) }
        } @else {
            div.table-scroll { table {
                thead { tr { th { (t(lang, M::SrCountry)) } th { (t(lang, M::SrStatus)) } th { (t(lang, M::SrEffective)) } th { (t(lang, M::SrNote)) } } }
                tbody { @for c in &d.countries { tr {
                    td { (country_name(lang, c.country.as_str())) }
                    td { (pamir_i18n::text(lang, &c.status.label_key())) }
                    td.code { (c.effective) }
                    td { (c.note) }
                } } }
            } }
        }
        @if !d.sources.is_empty() {
            h2 { (t(lang, M::SrSources)) }
            ul { @for src in &d.sources { li { (src) } } }
        }
        @if !d.notes.is_empty() {
            h2 { (t(lang, M::SrNotes)) }
            p.prewrap { (d.notes) }
        }
        p.muted { (M::SrChanged.with(lang, &[("version", &s.version.to_string()), ("who", &s.updated_by), ("when", &format_time(s.updated_at))])) }
    };
    render(&app, &user, &shown, "/substances", body)
}

pub async fn csv(State(app): State<Arc<App>>, user: WebUser) -> Response {
    match export_file(&app, &user.ctx, true).await {
        Ok(r) => r,
        Err(e) => error_page(&app, &user, &e),
    }
}

pub async fn json(State(app): State<Arc<App>>, user: WebUser) -> Response {
    match export_file(&app, &user.ctx, false).await {
        Ok(r) => r,
        Err(e) => error_page(&app, &user, &e),
    }
}

fn import_body(
    lang: Lang,
    user: &WebUser,
    outcome: Option<(&str, Result<&RegistryImport, &AppError>)>,
) -> Markup {
    html! {
        p { a href="/substances" { "← " (t(lang, M::SrTitle)) } }
        h1 { (t(lang, M::SrImport)) }
        p.muted { (t(lang, M::SrImportIntro)) }
        @if let Some((file_name, result)) = outcome {
            @match result {
                Ok(done) => {
                    (notice(&M::SrImportDone.with(lang, &[
                        ("file", file_name),
                        ("created", &done.created.to_string()),
                        ("updated", &done.updated.to_string()),
                        ("unchanged", &done.unchanged.to_string()),
                    ])))
                }
                Err(AppError::ImportRejected(lines)) => {
                    div.errors role="alert" { strong { (t(lang, M::ImportRejected)) } " — " span.code { (file_name) } }
                    div.table-scroll { table {
                        thead { tr { th { (t(lang, M::Line)) } th { (t(lang, M::Field)) } th { (t(lang, M::Reason)) } } }
                        tbody { @for l in lines.iter() { tr { td { (l.line) } td.code { (l.field) } td { (reason(lang, &l.reason)) } } } }
                    } }
                }
                Err(e) => { (error_box(lang, e)) }
            }
        }
        form.stack method="post" action="/substances/import" enctype="multipart/form-data" {
            (csrf_field(&user.csrf))
            label for="file" { (t(lang, M::File)) }
            input #file type="file" name="file" required accept=".csv,.json,text/csv,application/json";
            button type="submit" { (t(lang, M::SrImport)) }
        }
    }
}

pub async fn import_form(State(app): State<Arc<App>>, user: WebUser) -> Response {
    if let Err(reason) = substance::may_edit(&user.ctx.subject) {
        return error_page(
            &app,
            &user,
            &AppError::Forbidden(reason.as_str().to_string()),
        );
    }
    let lang = user.lang;
    render(
        &app,
        &user,
        t(lang, M::SrImport),
        "/substances",
        import_body(lang, &user, None),
    )
}

pub async fn import(State(app): State<Arc<App>>, user: WebUser, multipart: Multipart) -> Response {
    let lang = user.lang;
    let result = match crate::web::read_upload(multipart).await {
        Ok((form, file)) => {
            if let Some(resp) = check_csrf(&app, &user, &form) {
                return resp;
            }
            match file {
                Some((name, bytes)) => {
                    // CSV unless it reads as JSON: a file's name says little.
                    let csv = bytes
                        .iter()
                        .find(|b| !b.is_ascii_whitespace())
                        .is_none_or(|b| *b != b'[');
                    (name, import_bytes(&app, &user.ctx, csv, &bytes).await)
                }
                None => (
                    String::new(),
                    Err(AppError::invalid(
                        "file",
                        Reason::coded("field-required", &[]),
                    )),
                ),
            }
        }
        Err(e) => (String::new(), Err(e)),
    };
    let (name, result) = result;
    let mut resp = render(
        &app,
        &user,
        t(lang, M::SrImport),
        "/substances",
        import_body(lang, &user, Some((&name, result.as_ref()))),
    );
    if let Err(e) = &result {
        *resp.status_mut() = crate::error::status_of(e);
    }
    resp
}
