//! The demo's precursor incidents: seizures, stopped shipments and a diversion attempt along
//! the routes into Afghanistan and the region's synthetic-drug markets, one of them a
//! suspicious pre-export notification turned into an incident by the importing country.

use serde_json::json;

use crate::{App, AppResult};

const DAY_MS: i64 = 86_400_000;

/// Reports the demo's incidents when there are none; returns how many it reported.
pub async fn seed_precursor_incidents(app: &App) -> AppResult<usize> {
    if !app.store.precursor_incidents(1).await?.is_empty() {
        return Ok(0);
    }
    let by_name: std::collections::BTreeMap<String, String> = app
        .store
        .substances()
        .await?
        .into_iter()
        .map(|s| (s.name_en, s.id))
        .collect();
    let now = app.clock.now_ms();
    let today = app.clock.today();
    let day = |ago: i64| {
        (today - chrono::Duration::days(ago))
            .format("%Y-%m-%d")
            .to_string()
    };
    // (reporter, kind, substance, quantity, unit, country, place, days ago, origin, transit,
    //  destination, modus operandi)
    #[allow(clippy::type_complexity)]
    let plan: &[(&str, &str, &str, &str, &str, &str, &str, i64, &str, &[&str], &str, &str)] = &[
        ("kz.officer", "seizure", "Acetic anhydride", "2400", "l", "KZ", "Khorgos", 58, "CN", &["UZ", "TJ"], "AF",
         "Drums declared as industrial solvent under a forged certificate of analysis."),
        ("tj.officer", "diversion_attempt", "Acetone", "3000", "l", "TJ", "Nizhny Panj", 33, "KZ", &[], "AF",
         "A licensed paint maker ordered ten times its yearly need; the surplus was to cross the river."),
        ("kg.officer", "seizure", "Sulphuric acid", "1200", "l", "KG", "Dostuk", 19, "CN", &[], "TJ",
         "Hidden behind a load of tiles; the consignee is a shell company."),
        ("ru.analyst", "seizure", "APAAN", "150", "kg", "RU", "Moscow, postal hub", 9, "CN", &["KZ"], "RU",
         "Courier parcels declared as dyes, to a private address."),
    ];
    let mut n = 0;
    for (
        who,
        kind,
        substance,
        qty,
        unit,
        country,
        place,
        ago,
        origin,
        transit,
        destination,
        modus,
    ) in plan
    {
        let Some(id) = by_name.get(*substance) else {
            continue;
        };
        let ctx = app.identity().context_for(who).await?;
        let body = json!({"kind": kind, "substance": id, "quantity": qty, "unit": unit, "country": country,
            "place": place, "occurred_on": day(*ago), "origin": origin, "transit": transit,
            "destination": destination, "modus_operandi": modus});
        app.precursor_incidents()
            .report_at(&ctx, &body, now - ago * DAY_MS)
            .await?;
        n += 1;
    }
    // Russia's notification Kazakhstan objected to, turned into an incident there.
    let notifications = app.store.pre_exports(Some("KZ"), 100).await?;
    if let Some(row) = notifications
        .iter()
        .find(|r| r.exporter_country == "RU" && r.importer_country == "KZ")
    {
        let focal = app.identity().context_for("kz.focal").await?;
        let notification = app.pre_exports().get(&focal, &row.id).await?;
        let kz = pamir_domain::CountryCode::parse("KZ")
            .map_err(|e| crate::AppError::Internal(e.to_string()))?;
        let body = pamir_domain::precursor_incident::from_notification(
            &row.id,
            &notification.draft,
            kz,
            today - chrono::Duration::days(20),
            &json!({"modus_operandi": "The consignee's address is a residential building; no licence for Table I substances.",
                    "kind": "stopped_shipment"}),
        );
        app.precursor_incidents()
            .report_at(&focal, &body, now - 20 * DAY_MS)
            .await?;
        n += 1;
    }
    Ok(n)
}
