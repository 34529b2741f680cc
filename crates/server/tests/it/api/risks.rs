//! Risk communications through the API: issued by an analyst, updated with the version read,
//! retracted — each pushed live to the substance's detection readers (the retraction too), and
//! to nobody else, who read nothing of it.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::messaging::Events;
use crate::support::{demo_config, TestApp};

on_every_engine!(a_retraction_is_pushed_live_like_the_communication);

mod scenarios {
    use super::*;

    pub async fn a_retraction_is_pushed_live_like_the_communication(t: &TestApp) {
        tokio::spawn(t.app.clone().follow_live());
        let told = ["ru.analyst", "tj.focal", "kz.focal", "caricc.analyst"];
        let others = ["tj.officer", "fr.observer", "auditor"];
        let mut tokens = std::collections::BTreeMap::new();
        let mut streams = Vec::new();
        for user in told.iter().chain(others.iter()) {
            let token = t.login(user).await;
            streams.push((*user, Events::open(t, &token, None).await.unwrap()));
            tokens.insert(*user, token);
        }
        let analyst = tokens["caricc.analyst"].clone();
        let s = t
            .post(
                "/api/v1/substances",
                &analyst,
                json!({"names": [{"text": "Protonitazene", "lang": "en"}, {"text": "Протонитазен", "lang": "ru"}],
                       "class": "opioid"}),
            )
            .await
            .json();
        let body = json!({"substance": s["id"], "title": "Nitazene tablets sold as oxycodone",
            "severity": "alert", "risk": "Two deaths in a week.", "advice": "Naloxone at hand."});
        let r = t
            .post(
                "/api/v1/risk-communications",
                &tokens["tj.officer"],
                body.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let mut bad = body.clone();
        bad["severity"] = json!("panic");
        bad["title"] = json!("");
        let r = t.post("/api/v1/risk-communications", &analyst, bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let r = t
            .post("/api/v1/risk-communications", &analyst, body.clone())
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["id"].as_str().unwrap().to_string();
        let mut update = body.clone();
        update["advice"] = json!("Naloxone at hand; test tablets.");
        update["version"] = json!(1);
        let path = format!("/api/v1/risk-communications/{id}");
        let r = t
            .call(
                Method::PUT,
                &path,
                Some(&tokens["ru.analyst"]),
                Some(update.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let r = t
            .call(Method::PUT, &path, Some(&analyst), Some(update.clone()))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = t
            .call(Method::PUT, &path, Some(&analyst), Some(update))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        let r = t
            .post(
                &format!("{path}/retract"),
                &analyst,
                json!({"reason": "The deaths had another cause."}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["retraction"], "The deaths had another cause.");

        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
        while !t.app.live_caught_up().await.unwrap() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "live events not routed"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        for (user, events) in &mut streams {
            let mut got = Vec::new();
            let wait = if told.contains(user) { 5000 } else { 500 };
            while let Some(e) = events
                .next_within(std::time::Duration::from_millis(wait))
                .await
            {
                if e.event == "risk" {
                    got.push(e.data["change"].as_str().unwrap_or("").to_string());
                    if got.len() == 3 {
                        break;
                    }
                }
            }
            let r = t.get(&path, &tokens[user]).await;
            if told.contains(user) {
                assert_eq!(got, vec!["issued", "updated", "retracted"], "{user}");
                assert_eq!(r.status, StatusCode::OK, "{user}");
            } else {
                assert!(got.is_empty(), "{user} was told: {got:?}");
                assert_eq!(r.status, StatusCode::NOT_FOUND, "{user}: {}", r.text());
            }
        }
    }
}
