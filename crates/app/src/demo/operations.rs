//! The demo's operations: the standing regional programmes Reflex (synthetic drugs and new
//! psychoactive substances) and Substitute (precursors), one joint operation on the Caspian
//! route and one controlled delivery of heroin from Tajikistan through Uzbekistan and
//! Kazakhstan to Russia, each with its parties invited and most of them taking part.

use serde_json::json;

use crate::{App, AppResult};

/// One operation: its description, the parties invited, who accepts for which party, and its
/// tasks (title, assignee, days from today until due).
struct Demo {
    body: serde_json::Value,
    invited: &'static [&'static str],
    accepted: &'static [(&'static str, &'static str)],
    tasks: &'static [(&'static str, &'static str, i64)],
}

/// Opens the demo's operations as `coordinator`; returns how many.
pub async fn seed_operations(app: &App) -> AppResult<usize> {
    let demos = [
        Demo {
            body: json!({"code_name": "Reflex", "kind": "standing_programme", "lead_country": "KZ",
                "starts": "2026-01-01", "classification": "RESTRICTED", "ceiling": "CONFIDENTIAL",
                "seizure_form": "full",
                "description": "The region's standing programme against synthetic drugs and new psychoactive substances: \
                    mephedrone and alpha-PVP laboratories, their chemists and the couriers who ship their products by post \
                    and through dead drops ordered on the darknet.",
                "objectives": "1. Report every first detection of a new substance within 48 hours.\n\
                    2. Trace the equipment and precursor purchases of each laboratory dismantled.\n\
                    3. Identify the shops' administrators behind the dead-drop networks."}),
            invited: &["KZ", "KG", "TJ", "UZ", "RU-MVD"],
            accepted: &[
                ("kz.focal", "KZ"),
                ("tj.focal", "TJ"),
                ("ru.analyst", "RU-MVD"),
            ],
            tasks: &[
                (
                    "Report the September alpha-PVP seizures at Korday with laboratory results",
                    "KZ-MVD",
                    7,
                ),
                (
                    "Share the darknet shop names seen in seized phones",
                    "TJ-AKN",
                    14,
                ),
            ],
        },
        Demo {
            body: json!({"code_name": "Substitute", "kind": "standing_programme", "lead_country": "UZ",
                "starts": "2026-02-01", "classification": "RESTRICTED", "ceiling": "CONFIDENTIAL",
                "description": "Precursor chemicals diverted towards Afghanistan and towards synthetic-drug laboratories \
                    in the region: acetic anhydride, 1-phenyl-2-propanone and their substitutes declared under other names.",
                "objectives": "Check consignments of listed and non-scheduled substitutes at the Termez, Hairatan and \
                    Nizhny Panj crossings; share pre-export notifications; report diversions."}),
            invited: &["KZ-MVD", "UZ-IIV", "TJ-AKN"],
            accepted: &[("kz.officer", "KZ-MVD"), ("uz.officer", "UZ-IIV")],
            tasks: &[(
                "List acetic anhydride consignments cleared at Termez since June",
                "UZ-IIV",
                10,
            )],
        },
        Demo {
            body: json!({"code_name": "Caspian Gate", "kind": "joint_operation", "lead_country": "AZ",
                "starts": "2026-11-01", "ends": "2026-12-31", "classification": "CONFIDENTIAL", "ceiling": "CONFIDENTIAL",
                "description": "Joint checks of ferries and lorries on the Turkmenbashi to Alat crossing of the Caspian Sea.",
                "objectives": "Profile lorries whose declared cargo does not match their route; exchange crew lists \
                    before each sailing."}),
            invited: &["AZ-DIN", "TM-IIM", "KZ-MVD"],
            accepted: &[("az.officer", "AZ-DIN"), ("tm.officer", "TM-IIM")],
            tasks: &[("Send the crew lists of the next three ferries", "TM-IIM", 3)],
        },
        Demo {
            body: json!({"code_name": "Silk Thread", "kind": "controlled_delivery", "lead_country": "TJ",
                "starts": "2026-12-01", "ends": "2026-12-20", "classification": "CONFIDENTIAL", "ceiling": "SECRET",
                "description": "About 40 kg of heroin in the floor of a refrigerated lorry loaded in Dushanbe, let run \
                    under surveillance through Uzbekistan and Kazakhstan to its receivers in Russia.",
                "objectives": "Keep the consignment in sight at every hand-over; identify the receivers in Moscow \
                    region; arrest the whole chain on delivery."}),
            invited: &["TJ-AKN", "UZ-IIV", "KZ-MVD", "RU-MVD"],
            accepted: &[
                ("tj.officer", "TJ-AKN"),
                ("uz.officer", "UZ-IIV"),
                ("kz.officer", "KZ-MVD"),
                ("ru.analyst", "RU-MVD"),
            ],
            tasks: &[
                (
                    "Fit the tracking device and photograph the markers",
                    "TJ-AKN",
                    1,
                ),
                (
                    "Confirm the transit authorisation and the officer on duty",
                    "UZ-IIV",
                    2,
                ),
                (
                    "Post surveillance teams at Zhibek Zholy and Saryagash",
                    "KZ-MVD",
                    4,
                ),
                (
                    "Identify the receivers' warehouse in Moscow region",
                    "RU-MVD",
                    12,
                ),
            ],
        },
    ];
    let coordinator = app.identity().context_for("coordinator").await?;
    let ops = app.operations();
    for demo in &demos {
        let op = ops.open(&coordinator, &demo.body).await?;
        for party in demo.invited {
            ops.invite(&coordinator, &op.id, party).await?;
        }
        for (user, party) in demo.accepted {
            let ctx = app.identity().context_for(user).await?;
            ops.answer(&ctx, &op.id, party, true).await?;
        }
        for (title, assignee, days) in demo.tasks {
            let due = app.clock.today() + chrono::Days::new(*days as u64);
            ops.add_task(
                &coordinator,
                &op.id,
                &json!({"title": title, "assignee": assignee, "due": due.to_string()}),
            )
            .await?;
        }
    }
    // The Tajik agency is at work on its first task of the delivery.
    let tj = app.identity().context_for("tj.officer").await?;
    let silk = ops
        .list(&tj)
        .await?
        .into_iter()
        .find(|o| o.code_name == "Silk Thread");
    if let Some(op) = silk {
        for task in ops.tasks(&tj, &op.id).await? {
            if task.assignee.as_str() == "TJ-AKN" {
                ops.set_task_status(&tj, &op.id, &task.id, "in_progress", None)
                    .await?;
            }
        }
    }
    seed_delivery(app).await?;
    seed_results(app).await?;
    Ok(demos.len())
}

/// Reflex's first results: seizures of synthetic drugs the Kazakh and Tajik agencies made under
/// it, with arrests and cases, so that its report adds something up.
async fn seed_results(app: &App) -> AppResult<()> {
    let coordinator = app.identity().context_for("coordinator").await?;
    let ops = app.operations();
    let Some(op) = ops
        .list(&coordinator)
        .await?
        .into_iter()
        .find(|o| o.code_name == "Reflex")
    else {
        return Ok(());
    };
    let seizure = |country: &str, place: &str, substance: &str, q: f64, unit: &str| {
        json!({"schema": "Seizure", "properties": {"date": [app.clock.today().to_string()], "country": [country],
            "place": [place], "substance": [substance], "quantity": [q.to_string()], "unit": [unit],
            "substanceGroup": ["ats"]},
            "meta": {"classification": "RESTRICTED", "dissemination": {"all_members": true}}})
    };
    for (user, seizures, arrests, cases) in [
        (
            "kz.officer",
            vec![
                seizure("kz", "Korday", "alpha-PVP", 2.4, "kg"),
                seizure("kz", "Almaty", "mephedrone", 11.8, "kg"),
            ],
            4,
            2,
        ),
        (
            "tj.officer",
            vec![seizure("tj", "Dushanbe", "mephedrone", 650.0, "g")],
            1,
            1,
        ),
    ] {
        let ctx = app.identity().context_for(user).await?;
        let mut ids = Vec::new();
        for body in seizures {
            let input = crate::records::parse_record_input(&body, app.clock.today(), "")?;
            ids.push(
                app.records()
                    .create(&ctx, input)
                    .await?
                    .entity
                    .id
                    .to_string(),
            );
        }
        ops.report_result(
            &ctx,
            &op.id,
            &json!({"seizures": ids, "arrests": arrests, "cases_opened": cases}),
        )
        .await?;
    }
    Ok(())
}

/// Silk Thread under way: authorised and in transit, handed over from Tajikistan to
/// Uzbekistan yesterday, on its way to Kazakhstan now, then to Russia.
async fn seed_delivery(app: &App) -> AppResult<()> {
    use crate::operations::LegReport;
    let coordinator = app.identity().context_for("coordinator").await?;
    let ops = app.operations();
    let Some(op) = ops
        .list(&coordinator)
        .await?
        .into_iter()
        .find(|o| o.code_name == "Silk Thread")
    else {
        return Ok(());
    };
    ops.set_delivery(
        &coordinator,
        &op.id,
        &json!({"kind": "transit", "substance": "heroin", "declared_quantity": 40, "actual_quantity": 38.6,
                "unit": "kg", "concealment": "false floor of a refrigerated trailer", "conveyance": "lorry",
                "vehicle": "TJ 4471 AA 01 / trailer 0193 AB 01", "markers": "GPS tracker; UV-marked packages",
                "substitution": "partial"}),
    )
    .await?;
    let day = |offset: i64| {
        let d = app.clock.today();
        if offset < 0 {
            d - chrono::Days::new(offset.unsigned_abs())
        } else {
            d + chrono::Days::new(offset as u64)
        }
    };
    for (from, to, crossing, dep, hand) in [
        (
            "TJ-AKN",
            "UZ-IIV",
            "Oybek",
            (day(-1), "06:00"),
            (day(-1), "14:00"),
        ),
        (
            "UZ-IIV",
            "KZ-MVD",
            "Zhibek Zholy",
            (day(0), "05:00"),
            (day(0), "18:00"),
        ),
        (
            "KZ-MVD",
            "RU-MVD",
            "Zhaisan / Sagarchin",
            (day(1), "06:00"),
            (day(2), "20:00"),
        ),
    ] {
        ops.add_leg(
            &coordinator,
            &op.id,
            &json!({"from": from, "to": to, "crossing_point": crossing,
                    "planned_departure": format!("{}T{}", dep.0, dep.1),
                    "planned_handover": format!("{}T{}", hand.0, hand.1)}),
        )
        .await?;
    }
    // Every state on the route authorises the run under its own law (invented references).
    for (user, country, authority, basis, reference, days_ago, contact) in [
        (
            "tj.officer",
            "TJ",
            "Prosecutor General's Office of the Republic of Tajikistan",
            "Law on Operational-Search Activity, art. 12",
            "PGO-OSA/2026-114",
            4,
            "Maj. F. Rahimov, AKN duty desk, +992 37 221 0000",
        ),
        (
            "uz.officer",
            "UZ",
            "General Prosecutor's Office of the Republic of Uzbekistan",
            "Law on Operational-Search Activity, art. 15",
            "GP-2026/7731",
            3,
            "Lt Col. B. Tursunov, MVD duty unit, +998 71 233 0000",
        ),
        (
            "kz.officer",
            "KZ",
            "Prosecutor General's Office of the Republic of Kazakhstan",
            "Criminal Procedure Code, art. 239 (controlled delivery)",
            "GPO-KD/2026-0419",
            3,
            "Capt. A. Seitkali, MVD operations centre, +7 7172 00 0000",
        ),
        (
            "coordinator",
            "RU",
            "Prosecutor General's Office of the Russian Federation",
            "Federal Law 144-FZ on Operational-Search Activity, art. 6",
            "GP-RF/2026-12-0057",
            2,
            "Lt Col. I. Volkov, MVD GUNK duty officer, +7 495 000 0000",
        ),
    ] {
        let ctx = app.identity().context_for(user).await?;
        ops.set_authorisation(
            &ctx,
            &op.id,
            country,
            &json!({"authority": authority, "legal_basis": basis, "reference": reference,
                    "date": day(-days_ago).to_string(), "consent": "given", "duty_contact": contact}),
        )
        .await?;
    }
    ops.set_delivery_status(&coordinator, &op.id, "authorised", None)
        .await?;
    ops.set_delivery_status(&coordinator, &op.id, "in_transit", None)
        .await?;
    let d = ops
        .delivery(&coordinator, &op.id)
        .await?
        .ok_or_else(|| crate::AppError::not_found("delivery"))?;
    let report = |status: &str, dep: Option<String>, hand: Option<String>| LegReport {
        status: status.into(),
        actual_departure: dep,
        actual_handover: hand,
        version: None,
    };
    let tj = app.identity().context_for("tj.officer").await?;
    let uz = app.identity().context_for("uz.officer").await?;
    let yesterday = day(-1);
    ops.report_leg(
        &tj,
        &op.id,
        &d.legs[0].id,
        report("in_transit", Some(format!("{yesterday}T06:25")), None),
    )
    .await?;
    ops.report_leg(
        &uz,
        &op.id,
        &d.legs[0].id,
        report("handed_over", None, Some(format!("{yesterday}T13:50"))),
    )
    .await?;
    ops.report_leg(
        &uz,
        &op.id,
        &d.legs[1].id,
        report("in_transit", Some(format!("{}T05:10", day(0))), None),
    )
    .await?;
    Ok(())
}
