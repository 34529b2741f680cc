//! The demo's messages: between agencies, to a focal point, on a BLO channel, with
//! acknowledgements.

use crate::{App, AppResult};

/// A few messages between the demo's agencies, a BLO channel conversation and an
/// acknowledged urgent request, so that inboxes are not empty. Returns how many were sent.
pub async fn seed_messages(app: &App) -> AppResult<usize> {
    use crate::messaging::MessageInput;
    use pamir_domain::{handling::HandlingCode, message::Priority};
    let to = |agencies: &[&str], countries: &[&str]| MessageInput {
        agencies: agencies.iter().map(|a| a.to_string()).collect(),
        countries: countries.iter().map(|c| c.to_string()).collect(),
        ..MessageInput::default()
    };
    let mut sent = 0;
    let focal = app.identity().context_for("kz.focal").await?;
    app.messaging().send(
        &focal,
        MessageInput {
            subject: "Operation Reflex: new synthetic cathinones via Korday".into(),
            body: "Since September the Kazakh police have seized three consignments of alpha-PVP declared as \
                   \"industrial salts\", each driven through Korday towards Almaty. Please check your \
                   records for the consignors listed in the attached case and report any first detections."
                .into(),
            priority: Priority::Urgent,
            handling_codes: [HandlingCode::LeOnly].into(),
            ..to(&[], &["TJ"])
        },
    )
    .await?;
    sent += 1;
    let uz = app.identity().context_for("uz.officer").await?;
    let question = app
        .messaging()
        .send(
            &uz,
            MessageInput {
                subject: "Запрос: владелец грузовика 01 A 777 AA".into(),
                body:
                    "Грузовик 01 A 777 AA пересёк пункт пропуска Ойбек 12 ноября с грузом хлопка. \
                       Просим сообщить, известен ли вам владелец (ООО «Восток-Агро»)."
                        .into(),
                ..to(&["TJ-AKN"], &[])
            },
        )
        .await?;
    sent += 1;
    let tj = app.identity().context_for("tj.officer").await?;
    app.messaging().read(&tj, &question.id).await?;
    app.messaging()
        .send(
            &tj,
            MessageInput {
                body: "По нашим учётам владелец не проходит. Проверим водителя и сообщим.".into(),
                reply_to: Some(question.id.clone()),
                ..MessageInput::default()
            },
        )
        .await?;
    sent += 1;
    let analyst = app.identity().context_for("ru.analyst").await?;
    let alert = app
        .messaging().send(
            &analyst,
            MessageInput {
                subject: "Operation Substitute: acetic anhydride declared as solvent".into(),
                body: "Two containers of acetic anhydride declared as industrial solvent are moving by rail \
                       towards Tashkent and Almaty. Please acknowledge and tell us whether the consignees are known."
                    .into(),
                priority: Priority::Immediate,
                classification: pamir_domain::Classification::Confidential,
                handling_codes: [HandlingCode::NoOnward].into(),
                ..to(&["KZ-MVD", "UZ-IIV"], &[])
            },
        )
        .await?;
    sent += 1;
    app.messaging().ack(&uz, &alert.id).await?;
    let kz_blo = app.identity().context_for("kz.blo").await?;
    let kg_blo = app.identity().context_for("kg.blo").await?;
    let line = app
        .messaging().send(
            &kz_blo,
            MessageInput {
                channel: Some("kz-kg-korday".into()),
                subject: "Фура 777 KZA 02 с прицепом".into(),
                body: "Фура 777 KZA 02 с прицепом прошла наш контроль в 14:20, идёт к вам. Просим досмотр прицепа."
                    .into(),
                priority: Priority::Immediate,
                ..MessageInput::default()
            },
        )
        .await?;
    sent += 1;
    app.messaging().ack(&kg_blo, &line.id).await?;
    app.messaging()
        .send(
            &kg_blo,
            MessageInput {
                body: "Принято, досмотр организуем на Ак-Жол.".into(),
                reply_to: Some(line.id),
                ..MessageInput::default()
            },
        )
        .await?;
    sent += 1;
    Ok(sent)
}
