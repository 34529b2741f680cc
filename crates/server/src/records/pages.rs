//! Dashboard, search and the record page.

use std::sync::Arc;

use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use maud::{html, Markup};
use pamir_app::{
    format_time,
    records::{RecordAccess, SearchParams},
    App,
};
use pamir_domain::{
    access,
    handling::HandlingCode,
    schema::{self, enum_label, Lang, PropType, SCHEMATA},
    Classification,
};
use pamir_store::StoredRecord;

use crate::extract::{urlencode, WebUser};
use crate::web::{
    check_csrf, error_page,
    i18n::{t, M},
    layout::{classification_badge, country_name, csrf_field, name_with_reading, notice},
    render, FormData,
};

fn schema_label(lang: Lang, name: &str) -> &str {
    schema::schema(name).map(|s| s.label(lang)).unwrap_or(name)
}

/// A record's caption; names of people and organisations also get their Latin reading.
fn caption_markup(lang: Lang, schema_name: &str, caption: &str) -> Markup {
    if matches!(schema_name, "Person" | "Organization" | "Company") {
        name_with_reading(lang, caption)
    } else {
        html! { (caption) }
    }
}

fn results_table(lang: Lang, items: &[StoredRecord]) -> Markup {
    html! {
        @if items.is_empty() {
            p.muted { (t(lang, M::NoRecords)) }
        } @else {
            table {
                thead { tr {
                    th { (t(lang, M::Caption)) } th { (t(lang, M::Schema)) } th { (t(lang, M::Owner)) }
                    th { (t(lang, M::Classification)) } th.opt { (t(lang, M::Updated)) }
                } }
                tbody {
                    @for r in items {
                        tr {
                            td { a href={ "/records/" (urlencode(r.entity.id.as_str())) } { (caption_markup(lang, r.entity.schema.name, &r.caption)) } }
                            td { (schema_label(lang, r.entity.schema.name)) }
                            td { (r.meta.owner) }
                            td { (classification_badge(r.meta.classification)) }
                            td.opt.muted { (format_time(r.updated_at)) }
                        }
                    }
                }
            }
        }
    }
}

pub async fn dashboard(State(app): State<Arc<App>>, user: WebUser) -> Response {
    let lang = user.lang;
    let ctx = &user.ctx;
    let reads = ctx.user.roles.iter().any(|r| r.reads_records());
    let counts = match app.records().counts(ctx).await {
        Ok(c) => c,
        Err(e) => return error_page(&app, &user, &e),
    };
    let recent = if reads {
        match app
            .records()
            .search(
                ctx,
                &SearchParams {
                    limit: Some(10),
                    ..Default::default()
                },
            )
            .await
        {
            Ok(p) => p.items,
            Err(e) => return error_page(&app, &user, &e),
        }
    } else {
        Vec::new()
    };
    let roles: Vec<&str> = ctx.user.roles.iter().map(|r| r.label(lang)).collect();
    // A BLO officer's first screen is their channels with the neighbours.
    let channels = app.messaging().channels_of(ctx);
    let unread = app.messaging().unread_count(ctx).await.unwrap_or(0);
    let body = html! {
        h1 { (t(lang, M::Welcome)) ", " (ctx.user.display_name) }
        @if !channels.is_empty() {
            section.channels {
                h2 { (t(lang, M::DashYourBloChannels)) }
                ul { @for c in &channels { li { a href={ "/channels/" (c.id) } { (c.name) } } } }
            }
        }
        @if pamir_domain::message::messages_allowed(&ctx.subject) {
            p { a href="/messages" { (t(lang, M::MsgMessages)) } ": "
                span data-live="unread" id="dashboard-unread" { (unread) } " "
                (t(lang, M::MsgUnread)) }
        }
        div.card {
            table.props {
                tr { th { (t(lang, M::YourAgency)) } td { (ctx.user.agency) " · " (country_name(lang, ctx.subject.country.as_str())) } }
                tr { th { (t(lang, M::YourRoles)) } td { (roles.join(", ")) } }
                tr { th { (t(lang, M::YourClearance)) } td { (classification_badge(ctx.user.clearance)) } }
            }
        }
        @if reads {
            form.inline method="get" action="/records" role="search" {
                input type="text" name="q" size="40" placeholder=(t(lang, M::SearchPlaceholder)) aria-label=(t(lang, M::Search));
                button type="submit" { (t(lang, M::Search)) }
            }
            h2 { (t(lang, M::RecordsYouMaySee)) }
            div.counts {
                @for (schema_name, n) in &counts {
                    a href={ "/records?schema=" (schema_name) } { b { (n) } (schema_label(lang, schema_name)) }
                }
            }
            h2 { (t(lang, M::RecentRecords)) }
            (results_table(lang, &recent))
        }
    };
    render(&app, &user, t(lang, M::NavDashboard), "/", body)
}

pub async fn search(
    State(app): State<Arc<App>>,
    user: WebUser,
    Query(q): Query<SearchParams>,
) -> Response {
    let lang = user.lang;
    let params = SearchParams {
        limit: Some(50),
        ..q.clone()
    };
    let result = app.records().search(&user.ctx, &params).await;
    let countries = app.list_countries().await.unwrap_or_default();
    let sel = |v: &Option<String>, x: &str| v.as_deref() == Some(x);
    let body = html! {
        h1 { (t(lang, M::NavSearch)) }
        form.inline method="get" action="/records" role="search" {
            input type="text" name="q" value=[q.q.as_deref()] size="32" placeholder=(t(lang, M::SearchPlaceholder)) aria-label=(t(lang, M::Search));
            select name="schema" aria-label=(t(lang, M::Schema)) {
                option value="" { (t(lang, M::AnySchema)) }
                @for s in SCHEMATA { option value=(s.name) selected[sel(&q.schema, s.name)] { (s.label(lang)) } }
            }
            select name="country" aria-label=(t(lang, M::Country)) {
                option value="" { (t(lang, M::AnyCountry)) }
                @for c in &countries { option value=(c.code) selected[sel(&q.country, c.code.as_str())] { (country_name(lang, c.code.as_str())) } }
            }
            input type="text" name="agency" value=[q.agency.as_deref()] size="10" placeholder=(t(lang, M::OwnerAgency)) aria-label=(t(lang, M::OwnerAgency));
            select name="classification" aria-label=(t(lang, M::Classification)) {
                option value="" { (t(lang, M::AnyClassification)) }
                @for c in Classification::ALL { option value=(c.as_str()) selected[sel(&q.classification, c.as_str())] { (c.as_str()) } }
            }
            button type="submit" { (t(lang, M::Search)) }
        }
        @match &result {
            Err(e) => { (crate::web::layout::error_box(lang, e)) }
            Ok(page) => {
                h2 { (t(lang, M::Results)) }
                (results_table(lang, &page.items))
                @if let Some(next) = page.next {
                    p { a href={ "/records?q=" (urlencode(q.q.as_deref().unwrap_or(""))) "&schema=" (urlencode(q.schema.as_deref().unwrap_or("")))
                                 "&country=" (urlencode(q.country.as_deref().unwrap_or(""))) "&agency=" (urlencode(q.agency.as_deref().unwrap_or("")))
                                 "&classification=" (urlencode(q.classification.as_deref().unwrap_or(""))) "&before=" (next) } { (t(lang, M::NextPage)) " →" } }
                }
            }
        }
    };
    render(&app, &user, t(lang, M::NavSearch), "/records", body)
}

fn value_markup(lang: Lang, ty: PropType, def: &schema::PropDef, v: &str) -> Markup {
    match ty {
        PropType::Name | PropType::String | PropType::Address => name_with_reading(lang, v),
        PropType::Country => html! { (country_name(lang, v)) },
        PropType::Enum(_) | PropType::Gender => html! { (enum_label(def, v, lang).unwrap_or(v)) },
        PropType::Entity => html! { a href={ "/records/" (urlencode(v)) } { (v) } },
        PropType::Url => html! { a href=(v) rel="noreferrer noopener" { (v) } },
        PropType::Identifier | PropType::Phone | PropType::Email => html! { span.code { (v) } },
        _ => html! { (v) },
    }
}

fn full_record(
    lang: Lang,
    r: &StoredRecord,
    links: &[pamir_app::records::LinkView],
    can_delete: bool,
    csrf: &str,
) -> Markup {
    let m = &r.meta;
    let d = &m.dissemination;
    html! {
        div class={ "marking c-" (m.classification.as_str()) } { (m.classification.as_str()) }
        h1 { (caption_markup(lang, r.entity.schema.name, &r.caption)) " " span.muted { "· " (r.entity.schema.label(lang)) } }
        div.card {
            h2 { (t(lang, M::Metadata)) }
            table.props {
                tr { th { (t(lang, M::Owner)) } td { (m.owner) } }
                tr { th { (t(lang, M::Classification)) } td { (classification_badge(m.classification)) } }
                tr { th { (t(lang, M::Dissemination)) } td {
                    @if d.all_members { (t(lang, M::AllMembers)) br; }
                    @if !d.countries.is_empty() {
                        (t(lang, M::Countries)) ": " (d.countries.iter().map(|c| country_name(lang, c.as_str())).collect::<Vec<_>>().join(", ")) br;
                    }
                    @if !d.agencies.is_empty() {
                        (t(lang, M::Agencies)) ": " (d.agencies.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ")) br;
                    }
                    @if !d.operations.is_empty() {
                        (t(lang, M::NavOperations)) ": "
                        @for (i, o) in d.operations.iter().enumerate() {
                            @if i > 0 { ", " }
                            a.code href={ "/operations/" (o) } { (o) }
                        }
                    }
                    @if !d.all_members && d.countries.is_empty() && d.agencies.is_empty() && d.operations.is_empty() { (t(lang, M::OwnerOnly)) }
                } }
                tr { th { (t(lang, M::HandlingCodes)) } td {
                    @if m.handling_codes.is_empty() { span.muted { "—" } }
                    ul { @for c in &m.handling_codes { li { strong.code { (c.as_str()) } " — " (HandlingCode::label(*c, lang)) } } }
                } }
                @if let Some(e) = m.evaluation { tr { th { (t(lang, M::Evaluation)) } td { (e.code()) } } }
                tr { th { (t(lang, M::Version)) } td { (r.version) } }
                tr { th { (t(lang, M::Created)) } td { (format_time(r.created_at)) " · " (r.created_by) } }
                tr { th { (t(lang, M::Updated)) } td { (format_time(r.updated_at)) " · " (r.updated_by) } }
            }
        }
        div.card {
            h2 { (t(lang, M::Properties)) }
            table.props {
                @for def in r.entity.schema.props() {
                    @if let Some(values) = r.entity.properties.get(def.name) {
                        tr {
                            th { (def.label(lang)) }
                            td { @for (i, v) in values.iter().enumerate() { @if i > 0 { br; } (value_markup(lang, def.ty, def, v)) } }
                        }
                    }
                }
            }
        }
        div.card {
            h2 { (t(lang, M::Links)) }
            @if links.is_empty() { p.muted { (t(lang, M::NoLinks)) } }
            ul {
                @for l in links {
                    li {
                        @if !l.outgoing { "← " }
                        (l.link.kind.label(lang)) ": "
                        a href={ "/records/" (urlencode(&l.other_id)) } { (caption_markup(lang, &l.other_schema, &l.other_caption)) }
                        " " span.muted { "(" (schema_label(lang, &l.other_schema)) @if let Some(role) = &l.link.role { ", " (role) } ")" }
                    }
                }
            }
        }
        @if can_delete {
            form method="post" action={ "/records/" (urlencode(r.entity.id.as_str())) "/delete" } {
                (csrf_field(csrf))
                input type="hidden" name="version" value=(r.version);
                label { input type="checkbox" name="confirm" value="yes" required; " " (t(lang, M::DeleteConfirm)) }
                " " button.danger.small type="submit" { (t(lang, M::Delete)) }
            }
        }
    }
}

pub async fn view(State(app): State<Arc<App>>, user: WebUser, Path(id): Path<String>) -> Response {
    let lang = user.lang;
    let access = match app.records().get(&user.ctx, &id).await {
        Ok(a) => a,
        Err(e) => return error_page(&app, &user, &e),
    };
    let owner_name = match &access {
        RecordAccess::Hit { owner, .. } => app
            .list_agencies()
            .await
            .unwrap_or_default()
            .into_iter()
            .find(|a| &a.code == owner)
            .map(|a| a.name(lang).to_string()),
        RecordAccess::Full { .. } => None,
    };
    let body = match &access {
        RecordAccess::Full { record, links } => {
            let can_delete = access::can_modify(&user.ctx.subject, &record.meta, None).is_ok();
            let matches = match app.matching().record_matches(&user.ctx, &id).await {
                Ok(m) => crate::matching::pages::matches_section(lang, &m, &user.csrf, &user.here),
                Err(e) => crate::web::layout::error_box(lang, &e),
            };
            html! {
                (full_record(lang, record, links, can_delete, &user.csrf))
                p { a href={ "/analysis/chart?root=" (crate::extract::urlencode(record.entity.id.as_str())) } { (t(lang, M::AnChartOpen)) } }
                (matches)
            }
        }
        RecordAccess::Hit { id, schema, owner } => html! {
            h1 { (t(lang, M::HitTitle)) }
            div.card {
                p { (t(lang, M::HitText)) }
                table.props {
                    tr { th { (t(lang, M::Schema)) } td { (schema_label(lang, schema)) } }
                    tr { th { (t(lang, M::Owner)) } td { (owner) @if let Some(name) = &owner_name { " — " (name) } } }
                    tr { th { "ID" } td.code { (id) } }
                }
                (crate::matching::pages::request_form(lang, &user.csrf, id, &user.here))
            }
        },
    };
    // The title lands in browser history: it names the kind of record, never its subject.
    let title = match &access {
        RecordAccess::Full { record, .. } => {
            format!("{} {}", record.entity.schema.label(lang), record.entity.id)
        }
        RecordAccess::Hit { .. } => t(lang, M::HitTitle).to_string(),
    };
    render(&app, &user, &title, "/records", body)
}

pub async fn delete(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let version = form.get("version").and_then(|v| v.parse().ok());
    match app.records().delete(&user.ctx, &id, version).await {
        Ok(()) => {
            let body = html! { (notice(t(user.lang, M::Deleted))) p { a href="/records" { (t(user.lang, M::NavSearch)) } } };
            render(&app, &user, t(user.lang, M::Deleted), "/records", body)
        }
        Err(e) => error_page(&app, &user, &e),
    }
}
