//! The demo's early warning: the starting registry Pamir ships (imported as the centre's
//! analyst), and a year of detections reported by member countries' laboratories.

use serde_json::Value;

use crate::{early_warning::STARTING_REGISTRY, App, AppError, AppResult};

/// Imports the shipped registry when the registry is empty; returns how many substances it added.
pub async fn seed_registry(app: &App) -> AppResult<usize> {
    if !app.store.substances().await?.is_empty() {
        return Ok(0);
    }
    let analyst = app.identity().context_for("caricc.analyst").await?;
    let entries: Vec<Value> = serde_json::from_str(STARTING_REGISTRY)
        .map_err(|e| AppError::Internal(format!("the shipped registry: {e}")))?;
    let done = app.substances().import(&analyst, &entries).await?;
    Ok(done.created)
}

/// A year of demo detections up to `today`, by the laboratories of several member countries:
/// some substances first detected in the region in one country and spreading to others, and
/// one new nitazene first detected in Kyrgyzstan a few days ago. Returns how many it reported.
pub async fn seed_detections(app: &App) -> AppResult<usize> {
    if !app.store.detections(None, 1).await?.is_empty() {
        return Ok(0);
    }
    let today = app.clock.today();
    let by_name: std::collections::BTreeMap<String, String> = app
        .store
        .substances()
        .await?
        .into_iter()
        .map(|s| (s.name_en, s.id))
        .collect();
    // (reporter, country, substance, days ago, confidence, laboratory, note)
    const PLAN: &[(&str, &str, &str, i64, &str, &str, &str)] = &[
        (
            "kz.officer",
            "KZ",
            "alpha-PVP",
            340,
            "confirmed",
            "Forensic centre, Almaty",
            "Crystals from a courier parcel.",
        ),
        (
            "ru.analyst",
            "RU",
            "alpha-PVP",
            300,
            "confirmed",
            "Expert-forensic centre, Moscow",
            "",
        ),
        (
            "uz.officer",
            "UZ",
            "alpha-PVP",
            210,
            "confirmed",
            "Forensic laboratory, Tashkent",
            "",
        ),
        (
            "kg.officer",
            "KG",
            "alpha-PVP",
            150,
            "confirmed",
            "Forensic service, Bishkek",
            "",
        ),
        (
            "ru.analyst",
            "RU",
            "MDMB-4en-PINACA",
            320,
            "confirmed",
            "Expert-forensic centre, Moscow",
            "Herbal mixture sold online.",
        ),
        (
            "kz.officer",
            "KZ",
            "MDMB-4en-PINACA",
            260,
            "confirmed",
            "Forensic centre, Almaty",
            "",
        ),
        (
            "kg.officer",
            "KG",
            "MDMB-4en-PINACA",
            190,
            "provisional",
            "Forensic service, Bishkek",
            "Confirmation pending.",
        ),
        (
            "kg.officer",
            "KG",
            "MDMB-4en-PINACA",
            175,
            "confirmed",
            "Forensic service, Bishkek",
            "",
        ),
        (
            "tj.officer",
            "TJ",
            "MDMB-4en-PINACA",
            90,
            "confirmed",
            "Central laboratory, Dushanbe",
            "",
        ),
        (
            "kz.officer",
            "KZ",
            "Mephedrone",
            330,
            "confirmed",
            "Forensic centre, Almaty",
            "",
        ),
        (
            "az.officer",
            "AZ",
            "Mephedrone",
            240,
            "confirmed",
            "Forensic centre, Baku",
            "",
        ),
        (
            "tm.officer",
            "TM",
            "Mephedrone",
            120,
            "confirmed",
            "Forensic laboratory, Ashgabat",
            "",
        ),
        (
            "ru.analyst",
            "RU",
            "Bromazolam",
            200,
            "confirmed",
            "Expert-forensic centre, Moscow",
            "Tablets sold as alprazolam.",
        ),
        (
            "kz.officer",
            "KZ",
            "Bromazolam",
            100,
            "confirmed",
            "Forensic centre, Almaty",
            "",
        ),
        (
            "uz.officer",
            "UZ",
            "Protonitazene",
            80,
            "confirmed",
            "Forensic laboratory, Tashkent",
            "Two fatal poisonings.",
        ),
        (
            "kz.officer",
            "KZ",
            "Protonitazene",
            45,
            "confirmed",
            "Forensic centre, Almaty",
            "",
        ),
        (
            "kg.officer",
            "KG",
            "N-Pyrrolidino protonitazene",
            4,
            "confirmed",
            "Forensic service, Bishkek",
            "First seen in the region: powder in a postal item from abroad; GC-MS and NMR agree.",
        ),
    ];
    let mut n = 0;
    for (user, country, substance, days, confidence, lab, note) in PLAN {
        let Some(id) = by_name.get(*substance) else {
            continue;
        };
        let ctx = app.identity().context_for(user).await?;
        let on = today - chrono::Duration::days(*days);
        let mut methods = vec!["gc_ms"];
        if *confidence == "confirmed" && substance.contains("nitazene") {
            methods.push("nmr");
        }
        let body = serde_json::json!({
            "substance": id, "methods": methods, "laboratory": lab, "confidence": confidence,
            "country": country, "detected_on": on.format("%Y-%m-%d").to_string(), "notes": note,
            "adverse_events": if substance.contains("nitazene") && *days > 50 { "Two deaths reported." } else { "" },
        });
        app.detections().report(&ctx, &body).await?;
        n += 1;
    }
    Ok(n)
}
