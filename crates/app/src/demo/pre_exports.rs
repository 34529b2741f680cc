//! The demo's pre-export notifications: precursor shipments between member countries over the
//! last weeks, answered in time, late, not at all (overdue), after a request for information,
//! and one withdrawn — sent and answered in the past through the same service as live ones.

use serde_json::json;

use crate::{App, AppResult};

const DAY_MS: i64 = 86_400_000;

/// One step: (user, kind, text, days ago).
type Plan = (&'static str, &'static str, &'static str, i64);

/// Sends the demo's notifications when there are none; returns how many it sent.
pub async fn seed_pre_exports(app: &App) -> AppResult<usize> {
    if !app.store.pre_exports(None, 1).await?.is_empty() {
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
    // (sender, importer, exporter firm, importer firm, substance, quantity, unit, HS code,
    //  transport, transit, days ago, steps)
    #[allow(clippy::type_complexity)]
    let plan: &[(&str, &str, &str, &str, &str, &str, &str, &str, &str, &[&str], i64, &[Plan])] = &[
        ("kz.officer", "UZ", "Shymkent Chemical Trading LLP", "Tashkent Leather Works JSC", "Acetic anhydride",
         "18000", "l", "2915.24", "rail", &[], 40,
         &[("uz.officer", "acknowledged", "", 39), ("uz.officer", "no_objection", "", 37)]),
        ("ru.analyst", "KZ", "Uralkhimprom LLC", "Karaganda Water Treatment LLP", "Potassium permanganate",
         "5000", "kg", "2841.61", "road", &[], 30,
         &[("kz.focal", "objection", "The importer holds no licence for 1988 Table I substances; the consignee's address is a residential building.", 20)]),
        ("kz.officer", "KG", "Pavlodar Petrochem LLP", "Bishkek Mining Supply LLC", "Hydrochloric acid",
         "24000", "l", "2806.10", "rail", &[], 12,
         &[("kg.officer", "information_requested", "Please send the end-user certificate and the mine's licence number.", 10),
           ("kz.officer", "information_given", "End-user certificate 2026/118 and licence KG-M-00417 are attached to the licence file.", 9)]),
        ("ru.analyst", "TJ", "Volga Solvents LLC", "Dushanbe Paint Factory", "Acetone",
         "12000", "l", "2914.11", "road", &["KZ", "UZ"], 9,
         &[("tj.officer", "acknowledged", "", 8)]),
        ("uz.officer", "KZ", "Navoi Pharm JSC", "Almaty Pharmaceutical Plant JSC", "Ephedrine",
         "150", "kg", "2939.41", "air", &[], 2, &[]),
        ("kz.officer", "TJ", "Aktobe Reagents LLP", "Khujand Textile LLC", "Sulphuric acid",
         "30000", "l", "2807.00", "rail", &["UZ"], 15,
         &[("kz.officer", "withdrawn", "The buyer cancelled the contract.", 13)]),
        ("az.officer", "TM", "Sumgait Chemical Industrial Park", "Balkanabat Oil Services", "Toluene",
         "20000", "l", "2902.30", "sea", &[], 21,
         &[("tm.officer", "no_objection", "", 11)]),
    ];
    let mut n = 0;
    for (
        sender,
        importer,
        exporter_firm,
        importer_firm,
        substance,
        qty,
        unit,
        hs,
        transport,
        transit,
        ago,
        steps,
    ) in plan
    {
        let Some(id) = by_name.get(*substance) else {
            continue;
        };
        let ctx = app.identity().context_for(sender).await?;
        let sent_at = now - ago * DAY_MS;
        let day = |d: i64| {
            chrono::DateTime::from_timestamp_millis(now + d * DAY_MS)
                .map(|t| t.date_naive().format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        };
        let body = json!({
            "exporter_country": ctx.subject.country.as_str(), "importer_country": importer,
            "reference": format!("{}-PEN-{}", ctx.subject.country.as_str(), 410 + n),
            "exporter": exporter_firm, "importer": importer_firm, "substance": id,
            "quantity": qty, "unit": unit, "customs_code": hs, "transport": transport, "transit": transit,
            "departure_on": day(14 - ago), "arrival_on": day(18 - ago),
        });
        let sent = app.pre_exports().send_at(&ctx, &body, sent_at).await?;
        for (who, kind, text, days) in steps.iter() {
            let ctx = app.identity().context_for(who).await?;
            let step = json!({"kind": kind, "text": text});
            app.pre_exports()
                .step_at(&ctx, &sent.id, &step, now - days * DAY_MS)
                .await?;
        }
        n += 1;
    }
    Ok(n)
}
