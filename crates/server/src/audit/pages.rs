//! The audit viewer, for auditors.

use std::sync::Arc;

use axum::{
    extract::{Query, State},
    response::Response,
};
use maud::html;
use pamir_app::{audit::VerifyOutcome, format_time, App, AppError};
use pamir_domain::{audit::Action, Role};

use crate::web::{
    error_page,
    i18n::{t, M},
    layout::error_box,
    render,
};
use crate::{
    audit::api::AuditParams,
    extract::{urlencode, WebUser},
};

pub async fn list(
    State(app): State<Arc<App>>,
    user: WebUser,
    Query(p): Query<AuditParams>,
) -> Response {
    let lang = user.lang;
    let result = match p.to_query() {
        Ok(q) => app
            .audit_trail()
            .read(&user.ctx, &q)
            .await
            .map(|e| (e, q.limit)),
        Err(e) => Err(e),
    };
    if let Err(AppError::Forbidden(msg)) = &result {
        return error_page(&app, &user, &AppError::Forbidden(msg.clone()));
    }
    let v = |s: &Option<String>| s.clone().unwrap_or_default();
    let body = html! {
        h1 { (t(lang, M::AuditTitle)) }
        p.muted { (t(lang, M::AuditIntro)) " " a href="/audit/verify" { (t(lang, M::VerifyChain)) } }
        form.inline method="get" action="/audit" {
            input type="text" name="actor" value=(v(&p.actor)) placeholder=(t(lang, M::Actor)) aria-label=(t(lang, M::Actor)) size="12";
            select name="action" aria-label=(t(lang, M::Action)) {
                option value="" { (t(lang, M::Action)) }
                @for a in Action::ALL { option value=(a.as_str()) selected[p.action.as_deref() == Some(a.as_str())] { (a.as_str()) } }
            }
            input type="text" name="target" value=(v(&p.target)) placeholder=(t(lang, M::Target)) aria-label=(t(lang, M::Target)) size="14";
            input type="text" name="agency" value=(v(&p.agency)) placeholder=(t(lang, M::Agency)) aria-label=(t(lang, M::Agency)) size="10";
            label { (t(lang, M::From)) " " input type="date" name="from" value=(v(&p.from)); }
            label { (t(lang, M::To)) " " input type="date" name="to" value=(v(&p.to)); }
            button type="submit" { (t(lang, M::Filter)) }
        }
        @match &result {
            Err(e) => { (error_box(lang, e)) }
            Ok((entries, limit)) => {
                table {
                    thead { tr {
                        th { "#" } th { (t(lang, M::When)) } th { (t(lang, M::Actor)) } th { (t(lang, M::Action)) }
                        th { (t(lang, M::Target)) } th { (t(lang, M::Outcome)) } th.opt { (t(lang, M::Details)) }
                    } }
                    tbody {
                        @for e in entries {
                            tr {
                                td { (e.seq) } td { (format_time(e.at)) } td { (e.actor) br; span.muted { (e.agency) } }
                                td.code.nowrap { (e.action) } td.code { (e.target) } td { (e.outcome) } td.opt.code { (e.details) }
                            }
                        }
                    }
                }
                @if entries.len() as i64 == *limit {
                    @if let Some(last) = entries.last() {
                        p { a href={ "/audit?actor=" (urlencode(&v(&p.actor))) "&action=" (urlencode(&v(&p.action))) "&target=" (urlencode(&v(&p.target)))
                                     "&agency=" (urlencode(&v(&p.agency))) "&from=" (urlencode(&v(&p.from))) "&to=" (urlencode(&v(&p.to))) "&before=" (last.seq) }
                            { (t(lang, M::NextPage)) " →" } }
                    }
                }
            }
        }
    };
    render(&app, &user, t(lang, M::AuditTitle), "/audit", body)
}

pub async fn verify(State(app): State<Arc<App>>, user: WebUser) -> Response {
    let lang = user.lang;
    if let Err(e) = user.ctx.require(Role::Auditor) {
        return error_page(&app, &user, &e);
    }
    let outcome = match app.audit_trail().verify(&|_| {}).await {
        Ok(o) => o,
        Err(e) => return error_page(&app, &user, &e),
    };
    let body = html! {
        h1 { (t(lang, M::VerifyChain)) }
        @match outcome {
            VerifyOutcome::Intact { entries } => { div.notice role="status" { (t(lang, M::ChainIntact)) " " (entries) } }
            VerifyOutcome::Broken(b) => { div.errors role="alert" { (t(lang, M::ChainBroken)) " " (b.seq) ": " (b.reason) } }
        }
        p { a href="/audit" { (t(lang, M::AuditTitle)) } }
    };
    render(&app, &user, t(lang, M::VerifyChain), "/audit", body)
}
