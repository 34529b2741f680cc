//! Seizure statistics through the API: each reader counts exactly the seizures they may read in
//! full (the owner's under-cleared officer, another member, an observer, the auditor), bad
//! filters are named, and the CSV carries the same figures with record text kept from running
//! as a spreadsheet formula.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::support::{demo_config, TestApp};

on_every_engine!(
    statistics_count_only_what_each_reader_may_see,
    bad_filters_are_named,
    routes_add_up_the_legs_each_reader_may_see,
    a_link_chart_shows_hits_but_never_their_content,
);

fn seizure(
    date: &str,
    group: &str,
    substance: &str,
    qty: &str,
    unit: &str,
    class: &str,
    d: Value,
) -> Value {
    json!({"schema": "Seizure",
           "properties": {"date": [date], "country": ["KZ"], "substance": [substance], "substanceGroup": [group],
                          "quantity": [qty], "unit": [unit], "originCountry": ["AF"], "destinationCountry": ["RU"]},
           "meta": {"classification": class, "dissemination": d}})
}

const MARCH: &str = "/api/v1/analysis/seizures?from=2026-03-01&to=2026-03-31";

/// (key, count, kg, litres, units) of the current period, and the year-before count.
fn rows(v: &Value) -> Vec<(String, i64, f64, f64, f64, i64)> {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_string(),
                r["current"]["count"].as_i64().unwrap(),
                r["current"]["kg"].as_f64().unwrap(),
                r["current"]["litres"].as_f64().unwrap(),
                r["current"]["units"].as_f64().unwrap(),
                r["year_before"]["count"].as_i64().unwrap(),
            )
        })
        .collect()
}

mod scenarios {
    use super::*;

    pub async fn statistics_count_only_what_each_reader_may_see(t: &TestApp) {
        let focal = t.login("kz.focal").await;
        for body in [
            seizure(
                "2026-03-05",
                "opiates",
                "Heroin",
                "2",
                "kg",
                "CONFIDENTIAL",
                json!({"all_members": true}),
            ),
            seizure(
                "2025-03-10",
                "cannabis",
                "Hashish",
                "500",
                "g",
                "RESTRICTED",
                json!({"countries": ["TJ"]}),
            ),
            seizure(
                "2026-03-20",
                "opiates",
                "heroin ",
                "1",
                "l",
                "SECRET",
                json!({}),
            ),
            seizure(
                "2026-03-25",
                "ats",
                "=cmd|' /C calc'!A0",
                "3",
                "tablets",
                "RESTRICTED",
                json!({"agencies": ["FR-OFAST"]}),
            ),
        ] {
            let r = t.post("/api/v1/records", &focal, body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        }
        let ask = |who: &'static str, uri: String| async move {
            let token = t.login(who).await;
            let r = t.get(&uri, &token).await;
            assert_eq!(r.status, StatusCode::OK, "{who}: {}", r.text());
            r.json()
        };
        let s = |k: &str, c, kg, l, u, y| (k.to_string(), c, kg, l, u, y);

        // The owner's focal point (SECRET) sees all four, the year before included.
        let v = ask("kz.focal", MARCH.to_string()).await;
        assert_eq!(
            rows(&v),
            vec![
                s("opiates", 2, 2.0, 1.0, 0.0, 0),
                s("ats", 1, 0.0, 0.0, 3.0, 0),
                s("cannabis", 0, 0.0, 0.0, 0.0, 1),
            ]
        );
        assert_eq!(v["total"]["current"]["count"], 2 + 1);
        assert_eq!(v["total"]["year_before"]["kg"], 0.5);
        assert_eq!(v["year_before"]["from"], "2025-03-01");
        // The same agency's CONFIDENTIAL officer does not count the SECRET seizure.
        let v = ask("kz.officer", MARCH.to_string()).await;
        assert_eq!(v["total"]["current"]["count"], 2);
        assert_eq!(v["total"]["current"]["litres"], 0.0);
        // Another member: the seizure to all members, and the one to its country a year before.
        let v = ask("tj.officer", MARCH.to_string()).await;
        assert_eq!(
            rows(&v),
            vec![
                s("opiates", 1, 2.0, 0.0, 0.0, 0),
                s("cannabis", 0, 0.0, 0.0, 0.0, 1)
            ]
        );
        let v = ask("kg.officer", MARCH.to_string()).await;
        assert_eq!(rows(&v), vec![s("opiates", 1, 2.0, 0.0, 0.0, 0)]);
        // An observer: only what names its agency (not what goes to all members).
        let v = ask("fr.observer", format!("{MARCH}&by=substance")).await;
        assert_eq!(v["rows"].as_array().unwrap().len(), 1);
        assert_eq!(v["rows"][0]["key"], "=cmd|' /c calc'!a0");
        // Filters narrow; months list every month of the period with the same month a year before.
        let v = ask(
            "kz.focal",
            format!("{MARCH}&group=opiates,ats&country=KZ&by=route"),
        )
        .await;
        assert_eq!(rows(&v), vec![s("AF>RU", 3, 2.0, 1.0, 3.0, 0)]);
        assert_eq!(v["rows"][0]["label"], "Afghanistan (AF) → Russia (RU)");
        let v = ask(
            "kz.focal",
            "/api/v1/analysis/seizures?from=2026-02-01&to=2026-03-31&by=month&lang=ru".into(),
        )
        .await;
        let months: Vec<&str> = v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["key"].as_str().unwrap())
            .collect();
        assert_eq!(months, ["2026-02", "2026-03"]);
        assert_eq!(v["rows"][1]["year_before"]["count"], 1);
        assert_eq!(v["rows"][1]["previous"], Value::Null);
        assert_eq!(v["total"]["label"], "Итого");
        // The auditor reads no records, so no statistics either.
        let auditor = t.login("auditor").await;
        assert_eq!(t.get(MARCH, &auditor).await.status, StatusCode::FORBIDDEN);

        // CSV: the same figures, and record text cannot run as a formula.
        let token = t.login("fr.observer").await;
        let r = t
            .get(&format!("{MARCH}&by=substance&format=csv"), &token)
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let text = r.text();
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("key,label,count,kg,litres,units,previous_count"),
            "{text}"
        );
        assert!(
            lines[1].starts_with("'=cmd|' /c calc'!a0,'=cmd|' /c calc'!a0,1,0,0,3,"),
            "{text}"
        );
        assert!(lines[2].starts_with(",Total,1,0,0,3,"), "{text}");
    }

    pub async fn bad_filters_are_named(t: &TestApp) {
        let token = t.login("kz.officer").await;
        for (query, field) in [
            ("from=2026-05-01&to=2026-04-01", "to"),
            ("from=2026-02-30", "from"),
            ("to=yesterday", "to"),
            ("from=1990-01-01&to=2026-01-01", "from"),
            ("country=XX", "country"),
            ("group=chocolate", "group"),
            ("by=colour", "by"),
            ("operation=Reflex", "operation"),
            ("operation=op-nothing-here", "operation"),
            ("format=xml", "format"),
            ("lang=fr", "lang"),
        ] {
            let r = t
                .get(&format!("/api/v1/analysis/seizures?{query}"), &token)
                .await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{query}: {}",
                r.text()
            );
            assert!(
                r.text().contains(&format!("\"{field}\"")),
                "{query}: {}",
                r.text()
            );
        }
    }

    pub async fn routes_add_up_the_legs_each_reader_may_see(t: &TestApp) {
        let focal = t.login("kz.focal").await;
        let with_route =
            |date: &str, origin: &str, transit: &[&str], dest: &str, class: &str, d: Value| {
                let mut s = seizure(date, "opiates", "heroin", "2", "kg", class, d);
                s["properties"]["originCountry"] = json!([origin]);
                s["properties"]["transitCountries"] = json!(transit);
                s["properties"]["destinationCountry"] = json!([dest]);
                s
            };
        for body in [
            with_route(
                "2026-03-05",
                "AF",
                &["TJ", "UZ"],
                "RU",
                "RESTRICTED",
                json!({"all_members": true}),
            ),
            with_route(
                "2026-03-06",
                "AF",
                &["TJ", "UZ"],
                "RU",
                "RESTRICTED",
                json!({"all_members": true}),
            ),
            with_route("2026-03-07", "AF", &["TJ"], "KZ", "SECRET", json!({})),
            with_route(
                "2026-02-20",
                "AF",
                &["TJ"],
                "KZ",
                "RESTRICTED",
                json!({"all_members": true}),
            ),
        ] {
            let r = t.post("/api/v1/records", &focal, body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        }
        let legs = |v: &Value| -> Vec<(String, String, i64, i64)> {
            v["legs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    (
                        l["from"].as_str().unwrap().to_string(),
                        l["to"].as_str().unwrap().to_string(),
                        l["current"]["count"].as_i64().unwrap(),
                        l["previous"]["count"].as_i64().unwrap(),
                    )
                })
                .collect()
        };
        let leg = |a: &str, b: &str, now, before| (a.to_string(), b.to_string(), now, before);
        let uri = "/api/v1/analysis/routes?from=2026-03-01&to=2026-03-31";
        let v = t.get(uri, &focal).await.json();
        assert_eq!(
            legs(&v),
            vec![
                leg("AF", "TJ", 3, 1),
                leg("TJ", "UZ", 2, 0),
                leg("UZ", "RU", 2, 0),
                leg("TJ", "KZ", 1, 1)
            ]
        );
        assert_eq!(v["routes"][0]["key"], "AF|TJ UZ|RU");
        assert_eq!(
            v["routes"][0]["label"],
            "Afghanistan → Tajikistan → Uzbekistan → Russia"
        );
        assert_eq!(v["routes"][0]["current"]["kg"], 4.0);
        // Another member does not count the seizure its owner kept to itself.
        let kg = t.login("kg.officer").await;
        let v = t.get(uri, &kg).await.json();
        assert_eq!(
            legs(&v),
            vec![
                leg("AF", "TJ", 2, 1),
                leg("TJ", "UZ", 2, 0),
                leg("UZ", "RU", 2, 0),
                leg("TJ", "KZ", 0, 1)
            ]
        );
        // The observer sees none of it.
        let fr = t.login("fr.observer").await;
        assert_eq!(t.get(uri, &fr).await.json()["legs"], json!([]));
        let r = t.get(&format!("{uri}&format=csv&lang=ru"), &kg).await;
        let text = r.text();
        let mut lines = text.lines();
        assert!(lines
            .next()
            .unwrap()
            .starts_with("from,to,from_label,to_label,count,kg"));
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("AF,TJ,Афганистан,Таджикистан,2,4,0,0,1,2,"),
            "{text}"
        );
        let r = t
            .get("/api/v1/analysis/routes?from=2026-04-01&to=2026-03-01", &kg)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("\"to\""), "{}", r.text());
    }

    pub async fn a_link_chart_shows_hits_but_never_their_content(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let person = |name: &str, class: &str, d: Value, codes: &[&str]| {
            json!({"schema": "Person", "properties": {"name": [name], "birthDate": ["1985-03-14"]},
                   "meta": {"classification": class, "dissemination": d, "handling_codes": codes}})
        };
        let r = t
            .post(
                "/api/v1/records/bundle",
                &kz,
                json!({"records": [
                    {"schema": "Case", "properties": {"nationalReference": ["KZ-2026-1"], "status": ["open"], "title": ["Route via Khorgos"]},
                     "meta": {"classification": "RESTRICTED", "dissemination": {"all_members": true}}},
                    person("Хасанов Джамшид Рустамович", "RESTRICTED", json!({"all_members": true}), &[]),
                    person("Karimov Bakhtiyor", "RESTRICTED", json!({"all_members": true}), &["NO_ONWARD"]),
                ], "links": [
                    {"kind": "part_of_case", "source": "#1", "target": "#0"},
                    {"kind": "associate_of", "source": "#1", "target": "#2", "role": "driver"},
                ]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let ids: Vec<String> = r.json()["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect();
        let (case, p1, p3) = (&ids[0], &ids[1], &ids[2]);
        // A Tajik record the Kazakh officer may not read: it matches the Kazakh person.
        let r = t
            .post(
                "/api/v1/records",
                &tj,
                person(
                    "Ҳасанов Ҷамшед",
                    "CONFIDENTIAL",
                    json!({"countries": ["TJ"]}),
                    &[],
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let p2 = r.json()["id"].as_str().unwrap().to_string();
        // The matching worker follows every write; reading the matches catches it up here.
        let r = t.get(&format!("/api/v1/records/{p1}/matches"), &kz).await;
        assert_eq!(r.json()["matches"][0]["access"], "hit", "{}", r.text());

        let r = t
            .get(&format!("/api/v1/analysis/chart?root={case}&depth=3"), &kz)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let body = r.text();
        let v = r.json();
        let kinds: Vec<(&str, &str)> = v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| (n["kind"].as_str().unwrap(), n["schema"].as_str().unwrap()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("record", "Case"),
                ("record", "Person"),
                ("record", "Person"),
                ("hit", "Person")
            ],
            "{body}"
        );
        let hit = &v["nodes"][3];
        assert_eq!(hit["owner"], "TJ-AKN");
        assert_eq!(hit["caption"], Value::Null);
        for secret in ["Ҷамшед", "Ҳасанов", p2.as_str()] {
            assert!(!body.contains(secret), "the chart leaks {secret}: {body}");
        }
        let edges: Vec<(&str, &str, &str)> = v["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["source"].as_str().unwrap(),
                    e["target"].as_str().unwrap(),
                    e["type"].as_str().unwrap(),
                )
            })
            .collect();
        let hit_key = hit["key"].as_str().unwrap();
        assert!(
            edges.contains(&(p1.as_str(), case.as_str(), "link")),
            "{edges:?}"
        );
        assert!(
            edges.contains(&(p1.as_str(), hit_key, "match")),
            "{edges:?}"
        );
        assert_eq!(v["nodes"][0]["betweenness"], 0.0);
        assert!(
            v["nodes"][1]["betweenness"].as_f64().unwrap() > 0.5,
            "the person connects everything"
        );
        // Depth 1 stops at the case's person.
        let v = t
            .get(&format!("/api/v1/analysis/chart?root={case}&depth=1"), &kz)
            .await
            .json();
        assert_eq!(v["nodes"].as_array().unwrap().len(), 2);
        // The shortest network between the case and the other person leaves the hit out.
        let v = t
            .get(
                &format!("/api/v1/analysis/chart?root={case},{p3}&connect=true"),
                &kz,
            )
            .await
            .json();
        assert_eq!(v["nodes"].as_array().unwrap().len(), 3, "{v}");

        // The Tajik officer reads their own record and the Kazakh ones disseminated to all.
        let v = t
            .get(&format!("/api/v1/analysis/chart?root={p2}&depth=2"), &tj)
            .await
            .json();
        assert_eq!(
            v["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|n| n["kind"] == "record")
                .count(),
            4,
            "{v}"
        );
        // Someone who may not read the root learns what a missing record tells.
        let fr = t.login("fr.observer").await;
        let hidden = t
            .get(&format!("/api/v1/analysis/chart?root={case}"), &fr)
            .await;
        let missing = t
            .get("/api/v1/analysis/chart?root=no-such-record", &fr)
            .await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
        assert_eq!(
            hidden.text(),
            missing.text().replace("no-such-record", case)
        );

        // Exports: GraphML and FtM, the record marked NO_ONWARD left out for others than its owner.
        let g = t
            .get(
                &format!("/api/v1/analysis/chart?root={case}&depth=3&format=graphml"),
                &kz,
            )
            .await
            .text();
        assert!(
            g.starts_with("<?xml") && g.contains("<graphml") && g.contains("TJ-AKN"),
            "{g}"
        );
        let f = t
            .get(
                &format!("/api/v1/analysis/chart?root={case}&depth=3&format=ftm"),
                &kz,
            )
            .await
            .text();
        let lines: Vec<Value> = f
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let schemas: Vec<&str> = lines
            .iter()
            .map(|l| l["schema"].as_str().unwrap())
            .collect();
        assert_eq!(
            schemas,
            ["Project", "Person", "Person", "UnknownLink", "UnknownLink"],
            "{f}"
        );
        let f = t
            .get(
                &format!("/api/v1/analysis/chart?root={p2}&depth=2&format=ftm"),
                &tj,
            )
            .await
            .text();
        assert!(
            !f.contains(p3.as_str()),
            "NO_ONWARD leaves only through its owner: {f}"
        );
        assert!(f.contains(p1.as_str()));
        let s = t
            .get(
                &format!("/api/v1/analysis/chart?root={case}&depth=3&format=svg&lang=ru"),
                &kz,
            )
            .await;
        assert!(
            s.text().contains("<svg") && s.text().contains("Совпадение"),
            "{}",
            s.text()
        );

        for (query, field) in [
            ("root=".to_string(), "root"),
            (format!("root={case}&depth=5"), "depth"),
            (format!("root={case}&depth=two"), "depth"),
            (format!("root={case}&limit=501"), "limit"),
            (format!("root={case}&connect=true"), "root"),
            (format!("root={case}&format=pdf"), "format"),
        ] {
            let r = t.get(&format!("/api/v1/analysis/chart?{query}"), &kz).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{query}: {}",
                r.text()
            );
            assert!(
                r.text().contains(&format!("\"{field}\"")),
                "{query}: {}",
                r.text()
            );
        }
    }
}

/// What a link chart exports as FtM is accepted whole by the model of the `followthemoney`
/// package (PyPI): every schema Pamir has, through `tools/ftm/check.py`. Skipped when Python
/// lacks the package, unless PAMIR_REQUIRE_FTM=1 (as `.ci/run` sets it).
#[tokio::test]
async fn chart_exports_pass_the_followthemoney_model() {
    let have = std::process::Command::new("python3")
        .args(["-c", "import followthemoney"])
        .status()
        .is_ok_and(|s| s.success());
    if !have {
        assert!(
            std::env::var("PAMIR_REQUIRE_FTM").as_deref() != Ok("1"),
            "PAMIR_REQUIRE_FTM=1 but python3 cannot import followthemoney"
        );
        eprintln!("note: FtM model check SKIPPED: pip install followthemoney to run it");
        return;
    }
    let t = TestApp::all(true, demo_config())
        .await
        .into_iter()
        .next()
        .unwrap();
    let kz = t.login("kz.officer").await;
    let meta = json!({"classification": "RESTRICTED", "dissemination": {"all_members": true}});
    let post = |schema: &str, props: Value| {
        let body = json!({"schema": schema, "properties": props, "meta": meta});
        let (t, kz) = (&t, &kz);
        async move {
            let r = t.post("/api/v1/records", kz, body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
            r.json()["id"].as_str().unwrap().to_string()
        }
    };
    let case = post("Case", json!({"nationalReference": ["KZ-2026-7"], "status": ["open"], "title": ["Khorgos"], "country": ["KZ"], "openedDate": ["2026-01-10"]})).await;
    let a = post("Person", json!({"name": ["Хасанов Джамшид"], "birthDate": ["1985-03-14"], "nationality": ["TJ"], "phone": ["+992 93 555 1234"]})).await;
    let b = post(
        "Person",
        json!({"name": ["Karimov Bakhtiyor"], "birthDate": ["1979"]}),
    )
    .await;
    let mut ids = vec![a.clone(), b.clone()];
    for (schema, props) in [
        (
            "Seizure",
            json!({"date": ["2026-03-05"], "country": ["KZ"], "place": ["Khorgos"], "substance": ["heroin"], "substanceGroup": ["opiates"],
                           "quantity": ["12.5"], "unit": ["kg"], "transportMode": ["road"], "originCountry": ["AF"], "transitCountries": ["TJ", "UZ"],
                           "destinationCountry": ["RU"], "detectionMethod": ["canine"], "latitude": ["44.2"], "longitude": ["80.4"]}),
        ),
        (
            "Organization",
            json!({"name": ["Silk Logistics"], "country": ["KZ"]}),
        ),
        (
            "Company",
            json!({"name": ["Silk Trans LLP"], "registrationNumber": ["123456789012"], "jurisdiction": ["KZ"]}),
        ),
        (
            "Vehicle",
            json!({"registrationNumber": ["777 ABC 02"], "vin": ["WVWZZZ1JZXW000001"], "model": ["Volvo FH"]}),
        ),
        (
            "Vessel",
            json!({"name": ["Aral"], "imoNumber": ["IMO 9074729"]}),
        ),
        (
            "Identification",
            json!({"number": ["AN1234567"], "country": ["KZ"]}),
        ),
        (
            "Passport",
            json!({"number": ["N12345678"], "country": ["TJ"]}),
        ),
        (
            "Address",
            json!({"full": ["Almaty, Abay 1"], "city": ["Almaty"], "country": ["KZ"]}),
        ),
        (
            "BankAccount",
            json!({"iban": ["KZ86125KZT5004100100"], "bankName": ["Halyk"]}),
        ),
        (
            "CryptoWallet",
            json!({"publicKey": ["TXYZ1234567890abcdefTXYZ1234567890"], "currencySymbol": ["USDT"]}),
        ),
        (
            "UserAccount",
            json!({"username": ["silk_road_88"], "service": ["Telegram"], "number": ["+7 701 555 1234"]}),
        ),
        (
            "Payment",
            json!({"payer": [a.clone()], "beneficiary": [b.clone()], "amount": ["1500"], "currency": ["USD"], "date": ["2026-02-01"]}),
        ),
        (
            "Ownership",
            json!({"owner": [a.clone()], "asset": [b.clone()], "percentage": ["50"]}),
        ),
    ] {
        ids.push(post(schema, props).await);
    }
    for id in &ids {
        let r = t
            .post(
                "/api/v1/links",
                &kz,
                json!({"kind": "part_of_case", "source": id, "target": case}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let r = t
        .get(
            &format!("/api/v1/analysis/chart?root={case}&depth=1&format=ftm"),
            &kz,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let text = r.text();
    assert_eq!(text.lines().count(), 1 + ids.len() + ids.len(), "{text}");
    let dir = std::env::temp_dir().join(format!("pamir-ftm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("chart.ftm.jsonl");
    std::fs::write(&file, &text).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tools/ftm/check.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "followthemoney refuses the export:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    t.cleanup().await;
}
