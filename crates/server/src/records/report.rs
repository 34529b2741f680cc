//! The seizure report: one form for the seizure, the persons involved and the vehicles, stored
//! together with their links in one transaction on behalf of the officer's agency.

use std::sync::Arc;

use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use maud::{html, Markup};
use pamir_app::{
    records::{parse_record_input, LinkInput},
    App, AppError,
};
use pamir_domain::{
    country::named_countries,
    handling::HandlingCode,
    link::LinkKind,
    schema::{self, Lang, PropType},
    Classification, CountryCode, ValidationErrors,
};
use pamir_store::Country;
use serde_json::{json, Map, Value};

use crate::extract::{urlencode, WebUser};
use crate::web::{
    check_csrf, error_page,
    i18n::{reason, t, M},
    layout::{csrf_field, error_box},
    render, FormData,
};

const PERSONS: usize = 3;
const VEHICLES: usize = 2;

const SEIZURE_FIELDS: &[&str] = &[
    "date",
    "country",
    "place",
    "latitude",
    "longitude",
    "substance",
    "substanceGroup",
    "quantity",
    "unit",
    "purity",
    "packaging",
    "concealment",
    "transportMode",
    "originCountry",
    "transitCountries",
    "destinationCountry",
    "detectionMethod",
    "caseReference",
    "description",
];
const PERSON_FIELDS: &[&str] = &[
    "name",
    "birthDate",
    "nationality",
    "passportNumber",
    "phone",
];
const VEHICLE_FIELDS: &[&str] = &["registrationNumber", "model", "country", "vin"];
/// A person's role in a seizure: the value stored (as national reports write it) and its label.
const ROLES: &[(&str, M)] = &[
    ("курьер", M::RoleCourier),        // data, not text
    ("организатор", M::RoleOrganiser), // data, not text
    ("водитель", M::RoleDriver),       // data, not text
    ("получатель", M::RoleRecipient),  // data, not text
    ("отправитель", M::RoleSender),    // data, not text
];

/// Countries for a place or a nationality, by name in the page's language; the centre is not one.
pub(crate) fn country_options(lang: Lang, selected: &str, with_blank: bool) -> Markup {
    let mut countries: Vec<(&str, &str)> = named_countries()
        .iter()
        .filter(|c| **c != "XC")
        .filter_map(|c| Some((*c, CountryCode::parse(c).ok()?.name(lang)?)))
        .collect();
    countries.sort_by(|a, b| a.1.cmp(b.1));
    html! {
        @if with_blank { option value="" { (t(lang, M::Choose)) } }
        @for (code, name) in countries {
            option value=(code.to_ascii_lowercase()) selected[selected.eq_ignore_ascii_case(code)] { (name) " (" (code) ")" }
        }
    }
}

/// One input for property `prop` of `schema_name`, named `name`, shaped by the property's type.
fn input_for(lang: Lang, schema_name: &str, prop: &str, name: &str, form: &FormData) -> Markup {
    let Some(def) = schema::schema(schema_name).and_then(|s| s.prop(prop)) else {
        return html! {};
    };
    let value = form.text(name);
    html! {
        label for=(name) { (def.label(lang)) }
        @match def.ty {
            PropType::Enum(vocabulary) => {
                select id=(name) name=(name) {
                    option value="" { (t(lang, M::Choose)) }
                    @for (v, key) in vocabulary.values { option value=(v) selected[value == *v] { (pamir_i18n::text(lang, key)) } }
                }
            }
            PropType::Country if prop != "transitCountries" => {
                select id=(name) name=(name) { (country_options(lang, value, true)) }
            }
            // A birth date is often known only in part: 1985, 03.1985, 1985-03-14.
            PropType::Date if prop == "birthDate" => { input id=(name) type="text" name=(name) value=(value) placeholder=(t(lang, M::PartialDateHint)); }
            PropType::Date => { input id=(name) type="date" name=(name) value=(value); }
            PropType::Text => { textarea id=(name) name=(name) rows="3" { (value) } }
            _ => { input id=(name) type="text" name=(name) value=(value); }
        }
    }
}

fn form_page(
    app: &App,
    user: &WebUser,
    form: &FormData,
    error: Option<&AppError>,
    sections: &[(&'static str, String)],
    registered: &[Country],
    registry: &[(String, String)],
) -> Response {
    let lang = user.lang;
    let clearance = user.ctx.user.clearance;
    let chosen_class = form.get("classification").unwrap_or("RESTRICTED");
    let all_members = form.get("csrf").is_none() || form.checked("all_members");
    let countries = form.all("countries");
    let handling = form.all("handling");
    let body = html! {
        h1 { (t(lang, M::ReportTitle)) }
        p.muted { (t(lang, M::ReportIntro)) }
        @if let Some(e) = error { (report_errors(lang, e, sections)) }
        form.stack method="post" action="/report/seizure" {
            (csrf_field(&user.csrf))
            fieldset {
                legend { (t(lang, M::SeizureSection)) }
                div.grid {
                    @for f in SEIZURE_FIELDS {
                        div {
                            @if *f == "substance" {
                                // The registry's substances offered by name, in the page's
                                // language (the other language's name beside it).
                                label for="s_substance" { (schema::schema("Seizure").and_then(|s| s.prop("substance")).map_or("", |d| d.label(lang))) }
                                input id="s_substance" type="text" name="s_substance" value=(form.text("s_substance")) list="registry-substances" autocomplete="off";
                                datalist #registry-substances {
                                    @for (name, other) in registry { option value=(name) { (other) } }
                                }
                            } @else if *f == "transitCountries" {
                                label for="s_transitCountries" { (t(lang, M::TransitCountries)) }
                                input id="s_transitCountries" type="text" name="s_transitCountries" value=(form.text("s_transitCountries")) placeholder="TJ, KG, KZ";
                            } @else {
                                (input_for(lang, "Seizure", f, &format!("s_{f}"), form))
                            }
                        }
                    }
                }
            }
            fieldset {
                legend { (t(lang, M::PersonsSection)) }
                @for i in 0..PERSONS {
                    h2 { (t(lang, M::Person)) " " (i + 1) }
                    div.grid {
                        div {
                            label for={ "p" (i) "_name" } { (t(lang, M::FullName)) }
                            input id={ "p" (i) "_name" } type="text" name={ "p" (i) "_name" } value=(form.text(&format!("p{i}_name")));
                        }
                        @for f in &PERSON_FIELDS[1..] { div { (input_for(lang, "Person", f, &format!("p{i}_{f}"), form)) } }
                        div {
                            label for={ "p" (i) "_role" } { (t(lang, M::Role)) }
                            select id={ "p" (i) "_role" } name={ "p" (i) "_role" } {
                                @for (v, label) in ROLES { option value=(v) selected[form.text(&format!("p{i}_role")) == *v] { (t(lang, *label)) } }
                            }
                        }
                    }
                }
            }
            fieldset {
                legend { (t(lang, M::VehiclesSection)) }
                @for i in 0..VEHICLES {
                    h2 { (t(lang, M::Vehicle)) " " (i + 1) }
                    div.grid { @for f in VEHICLE_FIELDS { div { (input_for(lang, "Vehicle", f, &format!("v{i}_{f}"), form)) } } }
                }
            }
            fieldset {
                legend { (t(lang, M::ProtectionSection)) }
                label for="classification" { (t(lang, M::Classification)) }
                select #classification name="classification" {
                    @for c in Classification::ALL.iter().filter(|c| **c <= clearance) {
                        option value=(c.as_str()) selected[chosen_class == c.as_str()] { (c.as_str()) }
                    }
                }
                label { (t(lang, M::Dissemination)) }
                div.checks {
                    label { input type="checkbox" name="all_members" value="1" checked[all_members]; " " (t(lang, M::AllMembers)) }
                }
                div.checks {
                    @for c in registered {
                        label { input type="checkbox" name="countries" value=(c.code) checked[countries.contains(&c.code.as_str())]; " " (c.name(lang)) }
                    }
                }
                label for="agencies" { (t(lang, M::AgenciesField)) }
                input #agencies type="text" name="agencies" value=(form.text("agencies")) placeholder="KZ-MVD, XC-CARICC";
                label { (t(lang, M::HandlingCodes)) }
                div.checks {
                    @for c in HandlingCode::ALL {
                        label { input type="checkbox" name="handling" value=(c.as_str()) checked[handling.contains(&c.as_str())]; " " (c.label(lang)) }
                    }
                }
            }
            p { button type="submit" { (t(lang, M::Submit)) } }
        }
    };
    let mut resp = render(app, user, t(lang, M::ReportTitle), "/report/seizure", body);
    if let Some(e) = error {
        *resp.status_mut() = crate::error::status_of(e);
    }
    resp
}

/// Errors with their fields named as the form names them ("Person 2: Birth date").
fn report_errors(lang: Lang, e: &AppError, sections: &[(&'static str, String)]) -> Markup {
    let AppError::Invalid(errors) = e else {
        return error_box(lang, e);
    };
    html! {
        div.errors role="alert" {
            strong { (t(lang, M::FixErrors)) }
            ul { @for f in &errors.0 { li { (field_label(lang, &f.field, sections)) ": " (reason(lang, &f.reason)) } } }
        }
    }
}

/// The form's name for a bundle field; `sections` says which part of the form each record came from.
fn field_label(lang: Lang, field: &str, sections: &[(&'static str, String)]) -> String {
    // records[N].properties.prop[i] — records are the seizure, then persons, then vehicles.
    let Some(rest) = field.strip_prefix("records[") else {
        return field.to_string();
    };
    let Some((n, tail)) = rest.split_once(']') else {
        return field.to_string();
    };
    let section = n.parse::<usize>().ok().and_then(|n| sections.get(n));
    let prop = tail
        .trim_start_matches(".properties.")
        .split('[')
        .next()
        .unwrap_or("");
    match section {
        Some(label) => {
            let prop_label = schema::schema(label.0)
                .and_then(|s| s.prop(prop))
                .map(|p| p.label(lang))
                .unwrap_or(prop);
            format!("{}: {prop_label}", label.1)
        }
        None => field.to_string(),
    }
}

/// Turns the form into bundle records (seizure first) and links.
fn build(lang: Lang, form: &FormData) -> (Vec<Value>, Vec<LinkInput>, Vec<(&'static str, String)>) {
    let mut meta = Map::new();
    meta.insert("classification".into(), json!(form.text("classification")));
    let agencies: Vec<&str> = form
        .text("agencies")
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    meta.insert("dissemination".into(), json!({"all_members": form.checked("all_members"), "countries": form.all("countries"), "agencies": agencies}));
    meta.insert("handling_codes".into(), json!(form.all("handling")));
    let meta = Value::Object(meta);
    let record = |schema_name: &str, props: Map<String, Value>| json!({"schema": schema_name, "properties": props, "meta": meta.clone()});

    let mut sections = vec![("Seizure", t(lang, M::SeizureSection).to_string())];
    let mut props = Map::new();
    for f in SEIZURE_FIELDS {
        let Some(v) = form.get(&format!("s_{f}")) else {
            continue;
        };
        if *f == "transitCountries" {
            let list: Vec<&str> = v
                .split([',', ' '])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            props.insert((*f).into(), json!(list));
        } else {
            props.insert((*f).into(), json!(v));
        }
    }
    let mut records = vec![record("Seizure", props)];
    let mut links = Vec::new();
    for i in 0..PERSONS {
        let mut props = Map::new();
        for f in PERSON_FIELDS {
            if let Some(v) = form.get(&format!("p{i}_{f}")) {
                props.insert((*f).into(), json!(v));
            }
        }
        if props.is_empty() {
            continue;
        }
        if let Some(nat) = form.get(&format!("p{i}_nationality")) {
            // The traffickers' nationalities of the seizure follow from its persons.
            if let Some(Value::Object(s)) = records[0].get_mut("properties") {
                let list = s
                    .entry("traffickerNationalities")
                    .or_insert_with(|| json!([]));
                if let Value::Array(a) = list {
                    a.push(json!(nat));
                }
            }
        }
        links.push(LinkInput {
            kind: LinkKind::SeizureInvolves,
            source: "#0".into(),
            target: format!("#{}", records.len()),
            role: form.get(&format!("p{i}_role")).map(str::to_string),
        });
        sections.push(("Person", format!("{} {}", t(lang, M::Person), i + 1)));
        records.push(record("Person", props));
    }
    for i in 0..VEHICLES {
        let mut props = Map::new();
        for f in VEHICLE_FIELDS {
            if let Some(v) = form.get(&format!("v{i}_{f}")) {
                props.insert((*f).into(), json!(v));
            }
        }
        if props.is_empty() {
            continue;
        }
        links.push(LinkInput {
            kind: LinkKind::CarriedBy,
            source: "#0".into(),
            target: format!("#{}", records.len()),
            role: None,
        });
        sections.push(("Vehicle", format!("{} {}", t(lang, M::Vehicle), i + 1)));
        records.push(record("Vehicle", props));
    }
    (records, links, sections)
}

/// The registry's substances as (name in the page's language, the other language's name), for
/// the seizure form to offer.
async fn registry_names(app: &App, user: &WebUser) -> Vec<(String, String)> {
    use pamir_domain::substance::NameKind;
    let (mine, other) = if user.lang == Lang::RU {
        (NameKind::Ru, NameKind::En)
    } else {
        (NameKind::En, NameKind::Ru)
    };
    let all = app
        .substances()
        .list(&user.ctx, &Default::default())
        .await
        .unwrap_or_default();
    let mut names: Vec<(String, String)> = all
        .iter()
        .map(|s| {
            (
                s.draft.name(mine).to_string(),
                s.draft.name(other).to_string(),
            )
        })
        .collect();
    names.sort_by_key(|(n, _)| n.to_lowercase());
    names
}

pub async fn form(State(app): State<Arc<App>>, user: WebUser) -> Response {
    let registered = app.list_countries().await.unwrap_or_default();
    let registry = registry_names(&app, &user).await;
    form_page(
        &app,
        &user,
        &FormData::parse(b""),
        None,
        &[],
        &registered,
        &registry,
    )
}

pub async fn submit(State(app): State<Arc<App>>, user: WebUser, form: FormData) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let (bodies, links, sections) = build(user.lang, &form);
    let registered = app.list_countries().await.unwrap_or_default();
    let registry = registry_names(&app, &user).await;
    let mut errors = ValidationErrors::default();
    let mut inputs = Vec::new();
    for (i, b) in bodies.iter().enumerate() {
        match parse_record_input(b, app.clock.today(), &format!("records[{i}].")) {
            Ok(input) => inputs.push(input),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return form_page(
            &app,
            &user,
            &form,
            Some(&AppError::Invalid(errors)),
            &sections,
            &registered,
            &registry,
        );
    }
    match app.records().create_bundle(&user.ctx, inputs, links).await {
        Ok(stored) => match stored.first() {
            Some(seizure) => Redirect::to(&format!(
                "/records/{}",
                urlencode(seizure.entity.id.as_str())
            ))
            .into_response(),
            None => error_page(&app, &user, &AppError::Internal("nothing stored".into())),
        },
        Err(e @ (AppError::Invalid(_) | AppError::Forbidden(_) | AppError::BadRequest(_))) => {
            form_page(
                &app,
                &user,
                &form,
                Some(&e),
                &sections,
                &registered,
                &registry,
            )
        }
        Err(e) => error_page(&app, &user, &e),
    }
}
