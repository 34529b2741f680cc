//! FollowTheMoney as other tools read it (followthemoney 4.x, Aleph, OpenAleph, yente): Pamir's
//! own schemata and the few properties FtM does not define, mapped onto FtM's model so that a
//! file of these entities is accepted whole by FtM's model. Nothing is dropped: what FtM has no
//! property for is written into `notes`, one `label: value` line each.
//!
//! - a Seizure becomes an `Event` (name, date, country, location, summary, and the seizure's
//!   facts in `notes`);
//! - a Case becomes a `Project` (name, projectId, status, country, start and end dates);
//! - a Vehicle's `vin` and a UserAccount's `number` go to `notes`;
//! - countries are written lower-case, as FtM writes them.
//!
//! Pamir's own JSON lines (export and import) keep the Pamir schemata; this is for other tools.

use serde_json::{json, Map, Value};

use crate::{
    entity::Entity,
    schema::{Lang, PropType},
};

fn values<'a>(e: &'a Entity, prop: &str) -> &'a [String] {
    e.properties.get(prop).map(Vec::as_slice).unwrap_or(&[])
}

/// `label: value` lines for the given properties, labels in English.
fn note_lines(e: &Entity, props: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for p in props {
        let vs = values(e, p);
        if vs.is_empty() {
            continue;
        }
        let label = e.schema.prop(p).map(|d| d.label(Lang::EN)).unwrap_or(p);
        let shown: Vec<String> = vs
            .iter()
            .map(|v| match e.schema.prop(p).map(|d| d.ty) {
                Some(PropType::Enum(voc)) => voc.label(v, Lang::EN).unwrap_or(v).to_string(),
                _ => v.clone(),
            })
            .collect();
        out.push(format!("{label}: {}", shown.join(", ")));
    }
    out
}

/// The properties of `e` under their own names, countries lower-cased, except `skip`.
fn own_props(e: &Entity, skip: &[&str]) -> Map<String, Value> {
    let mut m = Map::new();
    for (name, vs) in &e.properties {
        if skip.contains(&name.as_str()) || vs.is_empty() {
            continue;
        }
        let country = e
            .schema
            .prop(name)
            .is_some_and(|d| d.ty == PropType::Country);
        let vs: Vec<Value> = vs
            .iter()
            .map(|v| Value::String(if country { v.to_lowercase() } else { v.clone() }))
            .collect();
        m.insert(name.clone(), Value::Array(vs));
    }
    m
}

fn put(m: &mut Map<String, Value>, name: &str, vs: Vec<String>) {
    if !vs.is_empty() {
        m.insert(name.into(), json!(vs));
    }
}

fn add_notes(m: &mut Map<String, Value>, e: &Entity, extra: Vec<String>) {
    let mut notes: Vec<String> = values(e, "notes").to_vec();
    if !extra.is_empty() {
        notes.push(extra.join("\n"));
    }
    put(m, "notes", notes);
}

/// The entity in FtM's model.
pub fn to_ftm(e: &Entity) -> Value {
    let lower = |vs: &[String]| vs.iter().map(|v| v.to_lowercase()).collect::<Vec<_>>();
    let (schema, props) = match e.schema.name {
        "Seizure" => {
            let mut m = Map::new();
            put(&mut m, "name", vec![e.caption()]);
            put(&mut m, "date", values(e, "date").to_vec());
            put(&mut m, "country", lower(values(e, "country")));
            put(&mut m, "location", values(e, "place").to_vec());
            put(&mut m, "summary", values(e, "description").to_vec());
            let mut facts = note_lines(
                e,
                &[
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
                    "seizingAgency",
                    "traffickerNationalities",
                    "caseReference",
                    "latitude",
                    "longitude",
                ],
            );
            facts.insert(0, "Pamir seizure".to_string());
            add_notes(&mut m, e, facts);
            ("Event", m)
        }
        "Case" => {
            let mut m = Map::new();
            let name = values(e, "title")
                .first()
                .or(values(e, "nationalReference").first())
                .cloned();
            put(&mut m, "name", name.into_iter().collect());
            put(&mut m, "projectId", values(e, "nationalReference").to_vec());
            put(&mut m, "status", values(e, "status").to_vec());
            put(&mut m, "country", lower(values(e, "country")));
            put(&mut m, "startDate", values(e, "openedDate").to_vec());
            put(&mut m, "endDate", values(e, "closedDate").to_vec());
            put(&mut m, "description", values(e, "description").to_vec());
            let mut facts = note_lines(e, &["article"]);
            facts.insert(0, "Pamir case".to_string());
            add_notes(&mut m, e, facts);
            ("Project", m)
        }
        "Vehicle" => {
            let mut m = own_props(e, &["vin", "notes"]);
            add_notes(&mut m, e, note_lines(e, &["vin"]));
            ("Vehicle", m)
        }
        "UserAccount" => {
            let mut m = own_props(e, &["number", "notes"]);
            add_notes(&mut m, e, note_lines(e, &["number"]));
            ("UserAccount", m)
        }
        other => (other, own_props(e, &[])),
    };
    json!({"id": e.id.as_str(), "schema": schema, "properties": props})
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::entity::parse_entity;

    fn entity(v: Value) -> Entity {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        parse_entity(&v, today).unwrap().1
    }

    #[test]
    fn pamir_schemata_become_ftm_ones_and_nothing_is_lost() {
        let s = entity(json!({"schema": "Seizure", "properties": {
            "date": ["2026-03-05"], "country": ["KZ"], "place": ["Khorgos"], "substance": ["heroin"],
            "substanceGroup": ["opiates"], "quantity": ["12.5"], "unit": ["kg"], "transitCountries": ["TJ", "UZ"],
            "notes": ["seen before"]}}));
        let f = to_ftm(&s);
        assert_eq!(f["schema"], "Event");
        assert_eq!(f["properties"]["country"], json!(["kz"]));
        assert_eq!(f["properties"]["location"], json!(["Khorgos"]));
        let notes = f["properties"]["notes"].to_string();
        assert!(
            notes.contains("seen before") && notes.contains("heroin") && notes.contains("12.5"),
            "{notes}"
        );
        let c = entity(
            json!({"schema": "Case", "properties": {"nationalReference": ["KZ-1"], "status": ["open"]}}),
        );
        let f = to_ftm(&c);
        assert_eq!(
            (f["schema"].as_str(), f["properties"]["name"][0].as_str()),
            (Some("Project"), Some("KZ-1"))
        );
        let v = entity(
            json!({"schema": "Vehicle", "properties": {"registrationNumber": ["777 ABC 02"], "vin": ["WVWZZZ1JZXW000001"]}}),
        );
        let f = to_ftm(&v);
        assert!(f["properties"].get("vin").is_none());
        assert!(f["properties"]["notes"][0]
            .as_str()
            .unwrap()
            .contains("WVWZZZ1JZXW000001"));
        let p = entity(
            json!({"schema": "Person", "properties": {"name": ["A"], "nationality": ["TJ"]}}),
        );
        assert_eq!(to_ftm(&p)["properties"]["nationality"], json!(["tj"]));
    }
}
