//! Import upload with the per-line error report.

use std::sync::Arc;

use axum::{
    extract::{Multipart, State},
    response::Response,
};
use maud::{html, Markup};
use pamir_app::{
    import::{parse_mapping, Format, ImportReport, Importer},
    App, AppError,
};
use pamir_domain::{
    handling::HandlingCode,
    meta::MetaInput,
    schema::{Lang, SCHEMATA},
    Classification,
};
use pamir_store::Country;
use serde_json::json;

use crate::extract::WebUser;
use crate::web::{
    check_csrf,
    i18n::{reason, t, M},
    layout::{csrf_field, error_box},
    render, FormData,
};

fn page_body(
    lang: Lang,
    user: &WebUser,
    outcome: Option<(&str, Result<&ImportReport, &AppError>)>,
    registered: &[Country],
) -> Markup {
    let clearance = user.ctx.user.clearance;
    html! {
        h1 { (t(lang, M::ImportTitle)) }
        p.muted { (t(lang, M::ImportIntro)) }
        @if let Some((file_name, result)) = outcome {
            @match result {
                Ok(report) => {
                    div.notice role="status" {
                        strong { (t(lang, M::ImportDone)) } " — " span.code { (file_name) }
                        ul {
                            li { (t(lang, M::LinesRead)) ": " (report.lines) }
                            li { (t(lang, M::RecordsCreated)) ": " (report.created) }
                            li { (t(lang, M::RecordsUpdated)) ": " (report.updated) }
                        }
                    }
                }
                Err(AppError::ImportRejected(lines)) => {
                    div.errors role="alert" {
                        strong { (t(lang, M::ImportRejected)) } " — " span.code { (file_name) }
                    }
                    table {
                        thead { tr { th { (t(lang, M::Line)) } th { (t(lang, M::Field)) } th { (t(lang, M::Reason)) } } }
                        tbody { @for l in lines.iter() { tr { td { (l.line) } td.code { (l.field) } td { (reason(lang, &l.reason)) } } } }
                    }
                }
                Err(e) => { (error_box(lang, e)) }
            }
        }
        form.stack method="post" action="/import" enctype="multipart/form-data" {
            (csrf_field(&user.csrf))
            label for="file" { (t(lang, M::File)) }
            input #file type="file" name="file" required accept=".jsonl,.json,.ndjson,.csv,text/csv,application/json";
            label for="format" { (t(lang, M::Format)) }
            select #format name="format" {
                option value="jsonl" { "FtM JSON lines" }
                option value="csv" { "CSV" }
            }
            label for="schema" { (t(lang, M::CsvSchema)) }
            select #schema name="schema" { @for s in SCHEMATA { option value=(s.name) { (s.label(lang)) } } }
            label for="map" { (t(lang, M::Mapping)) }
            input #map type="text" name="map" placeholder=(t(lang, M::ImportMapExample));
            label for="classification" { (t(lang, M::Classification)) }
            select #classification name="classification" {
                @for c in Classification::ALL.iter().filter(|c| **c <= clearance) { option value=(c.as_str()) { (c.as_str()) } }
            }
            label { (t(lang, M::Dissemination)) }
            div.checks { label { input type="checkbox" name="all_members" value="1" checked; " " (t(lang, M::AllMembers)) } }
            div.checks {
                @for c in registered {
                    label { input type="checkbox" name="countries" value=(c.code); " " (c.name(lang)) }
                }
            }
            label { (t(lang, M::HandlingCodes)) }
            div.checks { @for c in HandlingCode::ALL { label { input type="checkbox" name="handling" value=(c.as_str()); " " (c.label(lang)) } } }
            p { button type="submit" { (t(lang, M::NavImport)) } }
        }
    }
}

pub async fn form(State(app): State<Arc<App>>, user: WebUser) -> Response {
    render(
        &app,
        &user,
        t(user.lang, M::ImportTitle),
        "/import",
        page_body(
            user.lang,
            &user,
            None,
            &app.list_countries().await.unwrap_or_default(),
        ),
    )
}

pub async fn submit(State(app): State<Arc<App>>, user: WebUser, multipart: Multipart) -> Response {
    let lang = user.lang;
    let registered = app.list_countries().await.unwrap_or_default();
    let failure = |e: AppError| {
        render(
            &app,
            &user,
            t(lang, M::ImportTitle),
            "/import",
            page_body(lang, &user, Some(("", Err(&e))), &registered),
        )
    };
    let (form, file) = match crate::web::read_upload(multipart).await {
        Ok(parts) => parts,
        Err(e) => return failure(e),
    };
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let Some((file_name, bytes)) = file else {
        return failure(AppError::invalid(
            "file",
            pamir_domain::error::Reason::coded("field-required", &[]),
        ));
    };
    let result = run_import(&app, &user, &form, bytes).await;
    let outcome = Some((file_name.as_str(), result.as_ref()));
    let mut resp = render(
        &app,
        &user,
        t(lang, M::ImportTitle),
        "/import",
        page_body(lang, &user, outcome, &registered),
    );
    if let Err(e) = &result {
        *resp.status_mut() = crate::error::status_of(e);
    }
    resp
}

async fn run_import(
    app: &App,
    user: &WebUser,
    form: &FormData,
    bytes: axum::body::Bytes,
) -> Result<ImportReport, AppError> {
    let format = match form.text("format") {
        "csv" => {
            let schema_name = form.text("schema");
            let schema = pamir_domain::schema::schema(schema_name).ok_or_else(|| {
                AppError::invalid(
                    "schema",
                    pamir_domain::error::Reason::coded(
                        "search-schema-unknown",
                        &[("value", &format!("{schema_name:?}"))],
                    ),
                )
            })?;
            let mapping =
                parse_mapping(form.text("map")).map_err(|e| AppError::invalid("map", e))?;
            Format::Csv {
                schema,
                mapping,
                delimiter: None,
            }
        }
        _ => Format::JsonLines,
    };
    let meta = json!({
        "classification": form.text("classification"),
        "dissemination": {"all_members": form.checked("all_members"), "countries": form.all("countries")},
        "handling_codes": form.all("handling"),
    });
    let defaults = MetaInput::parse(&meta, "meta").map_err(AppError::Invalid)?;
    let importer = Importer {
        actor: user.ctx.username().to_string(),
        agency: user.ctx.user.agency.clone(),
        subject: Some(&user.ctx.subject),
    };
    app.imports()
        .run(
            &importer,
            &format,
            defaults,
            std::io::Cursor::new(bytes),
            &|_, _| {},
        )
        .await
}
