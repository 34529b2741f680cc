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

/// The demo's risk communications: an alert on the nitazene first detected in Kyrgyzstan
/// (resting on that detection), a warning on alpha-PVP updated since, and one retracted.
/// Returns how many it issued.
pub async fn seed_risk_communications(app: &App) -> AppResult<usize> {
    if !app.store.risk_communications(None, 1).await?.is_empty() {
        return Ok(0);
    }
    let by_name: std::collections::BTreeMap<String, String> = app
        .store
        .substances()
        .await?
        .into_iter()
        .map(|s| (s.name_en, s.id))
        .collect();
    let centre = app.identity().context_for("caricc.analyst").await?;
    let ru = app.identity().context_for("ru.analyst").await?;
    let risks = app.risk_communications();
    let mut n = 0;
    if let Some(id) = by_name.get("N-Pyrrolidino protonitazene") {
        let detections: Vec<String> = app
            .detections()
            .list(&centre, Some(id))
            .await?
            .into_iter()
            .filter(|d| d.first_in_region)
            .map(|d| d.id)
            .collect();
        risks
            .issue(
                &centre,
                &serde_json::json!({"substance": id, "severity": "alert", "detections": detections,
                    "title": "A nitazene opioid new to the region, in postal items",
                    "risk": "Far more potent than fentanyl; first seen in the region in Kyrgyzstan in powder from abroad. Users may take it for heroin.",
                    "advice": "Laboratories: add it to GC-MS libraries. Services: handle powders with gloves and masks; keep naloxone at hand."}),
            )
            .await?;
        n += 1;
    }
    if let Some(id) = by_name.get("alpha-PVP") {
        let r = risks
            .issue(
                &ru,
                &serde_json::json!({"substance": id, "severity": "warning",
                    "title": "alpha-PVP crystals of high purity sold online",
                    "risk": "Seized crystals were above 90 % pure; agitation and hyperthermia cases reported."}),
            )
            .await?;
        risks
            .update(
                &ru,
                &r.id,
                &serde_json::json!({"substance": id, "severity": "warning", "version": r.version,
                    "title": "alpha-PVP crystals of high purity sold online",
                    "risk": "Seized crystals were above 90 % pure; agitation and hyperthermia cases reported in three member countries.",
                    "advice": "Report purity with each detection."}),
            )
            .await?;
        n += 1;
    }
    if let Some(id) = by_name.get("MDMB-4en-PINACA") {
        let r = risks
            .issue(
                &centre,
                &serde_json::json!({"substance": id, "severity": "information",
                    "title": "Herbal mixtures with MDMB-4en-PINACA in vape liquids",
                    "risk": "Reported in vape liquids sold to teenagers."}),
            )
            .await?;
        risks
            .retract(
                &centre,
                &r.id,
                &serde_json::json!({"reason": "The laboratory found another cannabinoid; see the corrected detection."}),
            )
            .await?;
        n += 1;
    }
    Ok(n)
}
