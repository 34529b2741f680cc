//! Link charts over HTTP: the chart as JSON, GraphML, FtM JSON lines or SVG (the API), and the
//! page that draws it, lists centrality and the timeline, and expands a node on click.

use std::sync::Arc;

use axum::{
    extract::State,
    http::Uri,
    response::{IntoResponse, Response},
    Json,
};
use maud::{html, Markup, PreEscaped};
use pamir_app::{
    analysis::chart::{Chart, ChartRequest, EdgeKind, NodeKind, MAX_DEPTH},
    App, AppError,
};
use pamir_domain::{error::Reason, schema::Lang, ValidationErrors};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::view::{download, lang_param, list, number};
use crate::error::{ApiError, ApiResult};
use crate::extract::{urlencode, ApiUser, WebUser};
use crate::web::{
    error_page,
    i18n::{t, M},
    layout::error_box,
    render, FormData,
};

/// The request from a query string: `root` repeated (or comma-separated), `depth`, `limit`,
/// `connect`.
fn request_of(form: &FormData) -> Result<ChartRequest, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let mut number_of = |name: &str| -> Option<i64> {
        let v = form.get(name)?;
        match v.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(
                    name,
                    Reason::coded("number-invalid", &[("value", &format!("{v:?}"))]),
                );
                None
            }
        }
    };
    let depth = number_of("depth");
    let limit = number_of("limit");
    let request = ChartRequest {
        roots: list(form, "root"),
        depth,
        limit,
        connect: matches!(form.get("connect"), Some("1" | "true" | "on")),
    };
    errors.into_result(request)
}

fn schema_label(lang: Lang, schema: &str) -> String {
    pamir_domain::schema::schema(schema)
        .map(|s| s.label(lang).to_string())
        .unwrap_or_else(|| schema.to_string())
}

#[derive(Serialize, ToSchema)]
pub struct ChartNodeOut {
    /// The record id, or `hit-` and the match's reference for a hit.
    pub key: String,
    /// `record` (read in full) or `hit` (known to exist: owner and schema only).
    pub kind: String,
    pub schema: String,
    pub owner: String,
    /// Records only.
    pub caption: Option<String>,
    pub classification: Option<String>,
    pub date: Option<String>,
    /// Hits only: the reference for a disclosure request.
    pub reference: Option<String>,
    pub depth: i64,
    pub degree: usize,
    pub betweenness: f64,
    pub x: f64,
    pub y: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ChartEdgeOut {
    pub source: String,
    pub target: String,
    /// `link` or `match`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Links: the link kind and role.
    pub link_kind: Option<String>,
    pub role: Option<String>,
    /// Matches: the strength, 0–1.
    pub score: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct ChartOut {
    pub roots: Vec<String>,
    pub depth: i64,
    pub limit: i64,
    /// Whether the node limit stopped the chart before its depth.
    pub truncated: bool,
    pub nodes: Vec<ChartNodeOut>,
    pub edges: Vec<ChartEdgeOut>,
}

fn chart_out(c: &Chart) -> ChartOut {
    let keys: Vec<String> = c.nodes.iter().map(|n| n.key()).collect();
    ChartOut {
        roots: c.roots.iter().map(|&i| keys[i].clone()).collect(),
        depth: c.depth,
        limit: c.limit,
        truncated: c.truncated,
        nodes: c
            .nodes
            .iter()
            .zip(&keys)
            .map(|(n, key)| {
                let (kind, schema, owner, caption, classification, date, reference) = match &n.kind
                {
                    NodeKind::Record {
                        schema,
                        caption,
                        owner,
                        classification,
                        date,
                        ..
                    } => (
                        "record",
                        schema.to_string(),
                        owner.to_string(),
                        Some(caption.clone()),
                        Some(classification.as_str().to_string()),
                        date.clone(),
                        None,
                    ),
                    NodeKind::Hit {
                        reference,
                        schema,
                        owner,
                    } => (
                        "hit",
                        schema.clone(),
                        owner.clone(),
                        None,
                        None,
                        None,
                        Some(reference.clone()),
                    ),
                };
                ChartNodeOut {
                    key: key.clone(),
                    kind: kind.into(),
                    schema,
                    owner,
                    caption,
                    classification,
                    date,
                    reference,
                    depth: n.depth,
                    degree: n.degree,
                    betweenness: n.betweenness,
                    x: n.position.0,
                    y: n.position.1,
                }
            })
            .collect(),
        edges: c
            .edges
            .iter()
            .map(|e| {
                let (kind, link_kind, role, score) = match &e.kind {
                    EdgeKind::Link { kind, role, .. } => {
                        ("link", Some(kind.as_str().to_string()), role.clone(), None)
                    }
                    EdgeKind::Match { score, .. } => ("match", None, None, Some(*score)),
                };
                ChartEdgeOut {
                    source: keys[e.a].clone(),
                    target: keys[e.b].clone(),
                    kind: kind.into(),
                    link_kind,
                    role,
                    score,
                }
            })
            .collect(),
    }
}

fn xml(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .map(|c| match c {
            '&' => "&amp;".into(),
            '<' => "&lt;".into(),
            '>' => "&gt;".into(),
            '"' => "&quot;".into(),
            '\'' => "&apos;".into(),
            c => c.to_string(),
        })
        .collect()
}

/// The chart as GraphML (for yEd, Gephi, i2 through its importers): node and edge attributes
/// declared as keys.
pub fn graphml(c: &Chart) -> String {
    let out = chart_out(c);
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n",
    );
    for (id, of, ty) in [
        ("label", "node", "string"),
        ("kind", "node", "string"),
        ("schema", "node", "string"),
        ("owner", "node", "string"),
        ("classification", "node", "string"),
        ("date", "node", "string"),
        ("degree", "node", "int"),
        ("betweenness", "node", "double"),
        ("x", "node", "double"),
        ("y", "node", "double"),
        ("type", "edge", "string"),
        ("link_kind", "edge", "string"),
        ("role", "edge", "string"),
        ("score", "edge", "double"),
    ] {
        s.push_str(&format!(
            "  <key id=\"{id}\" for=\"{of}\" attr.name=\"{id}\" attr.type=\"{ty}\"/>\n"
        ));
    }
    s.push_str("  <graph id=\"chart\" edgedefault=\"undirected\">\n");
    let data = |k: &str, v: &str| format!("<data key=\"{k}\">{}</data>", xml(v));
    for n in &out.nodes {
        let label = n
            .caption
            .clone()
            .unwrap_or_else(|| format!("{} · {}", n.schema, n.owner));
        s.push_str(&format!("    <node id=\"{}\">", xml(&n.key)));
        s.push_str(&data("label", &label));
        s.push_str(&data("kind", &n.kind));
        s.push_str(&data("schema", &n.schema));
        s.push_str(&data("owner", &n.owner));
        if let Some(c) = &n.classification {
            s.push_str(&data("classification", c));
        }
        if let Some(d) = &n.date {
            s.push_str(&data("date", d));
        }
        s.push_str(&data("degree", &n.degree.to_string()));
        s.push_str(&data("betweenness", &format!("{:.6}", n.betweenness)));
        s.push_str(&data("x", &format!("{:.4}", n.x)));
        s.push_str(&data("y", &format!("{:.4}", n.y)));
        s.push_str("</node>\n");
    }
    for (i, e) in out.edges.iter().enumerate() {
        s.push_str(&format!(
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\">",
            xml(&e.source),
            xml(&e.target)
        ));
        s.push_str(&data("type", &e.kind));
        if let Some(k) = &e.link_kind {
            s.push_str(&data("link_kind", k));
        }
        if let Some(r) = &e.role {
            s.push_str(&data("role", r));
        }
        if let Some(sc) = e.score {
            s.push_str(&data("score", &format!("{sc:.4}")));
        }
        s.push_str("</edge>\n");
    }
    s.push_str("  </graph>\n</graphml>\n");
    s
}

/// The chart as FtM JSON lines in FtM's own model (`pamir_domain::ftm`: a seizure as an Event, a
/// case as a Project): every record read in full, every typed link as an `UnknownLink` between
/// them. Hits have no content and are left out.
pub fn ftm_lines(c: &Chart) -> String {
    let mut s = String::new();
    let mut line = |v: Value| {
        s.push_str(&v.to_string());
        s.push('\n');
    };
    for n in &c.nodes {
        if let NodeKind::Record { entity, .. } = &n.kind {
            line(pamir_domain::ftm::to_ftm(entity));
        }
    }
    for e in &c.edges {
        if let EdgeKind::Link { id, kind, role } = &e.kind {
            let (NodeKind::Record { id: a, .. }, NodeKind::Record { id: b, .. }) =
                (&c.nodes[e.a].kind, &c.nodes[e.b].kind)
            else {
                continue;
            };
            let mut role_text = kind.as_str().to_string();
            if let Some(r) = role {
                role_text = format!("{role_text}: {r}");
            }
            line(json!({"id": id, "schema": "UnknownLink",
                        "properties": {"subject": [a], "object": [b], "role": [role_text]}}));
        }
    }
    s
}

const W: f64 = 960.0;
const H: f64 = 720.0;

fn node_class(n: &NodeKind) -> &'static str {
    match n {
        NodeKind::Hit { .. } => "hit",
        NodeKind::Record { schema, .. } => match *schema {
            "Person" => "person",
            "Seizure" => "seizure",
            "Case" => "case",
            "Vehicle" | "Vessel" => "vehicle",
            "Company" | "Organization" => "organisation",
            "BankAccount" | "CryptoWallet" | "Payment" => "money",
            _ => "other",
        },
    }
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// The chart drawn as SVG. With `expand`, each record links to the same chart with it added as
/// a root (the page); without, the SVG stands alone (the export). Labels are drawn for the
/// roots and the best-connected nodes; every node carries its full label as a title.
pub fn svg(lang: Lang, c: &Chart, expand: Option<&str>) -> String {
    // Room on the right for the labels written after each node.
    let px = |p: (f64, f64)| (10.0 + p.0 * (W - 190.0), 10.0 + p.1 * (H - 20.0));
    let mut by_degree: Vec<usize> = (0..c.nodes.len()).collect();
    by_degree.sort_by(|a, b| c.nodes[*b].degree.cmp(&c.nodes[*a].degree).then(a.cmp(b)));
    let labelled: std::collections::BTreeSet<usize> = by_degree
        .into_iter()
        .take(40)
        .chain(c.roots.iter().copied())
        .collect();
    let title = t(lang, M::AnChartTitle);
    let markup = html! {
        svg.link-chart viewBox={ "0 0 " (W) " " (H) } width="100%" role="img" aria-label=(title)
            xmlns="http://www.w3.org/2000/svg" {
            title { (title) }
            rect.paper width=(W) height=(H) {}
            @for e in &c.edges {
                @let (a, b) = (px(c.nodes[e.a].position), px(c.nodes[e.b].position));
                @match &e.kind {
                    EdgeKind::Link { kind, role, .. } => {
                        line.link x1=(format!("{:.1}", a.0)) y1=(format!("{:.1}", a.1)) x2=(format!("{:.1}", b.0)) y2=(format!("{:.1}", b.1)) {
                            title { (kind.label(lang)) @if let Some(r) = role { " (" (r) ")" } }
                        }
                    }
                    EdgeKind::Match { score, .. } => {
                        line.match x1=(format!("{:.1}", a.0)) y1=(format!("{:.1}", a.1)) x2=(format!("{:.1}", b.0)) y2=(format!("{:.1}", b.1))
                            stroke-width=(format!("{:.1}", 1.0 + 3.0 * score)) {
                            title { (t(lang, M::AnMatchEdge)) " " (format!("{:.0} %", score * 100.0)) }
                        }
                        text.score x=(format!("{:.1}", (a.0 + b.0) / 2.0)) y=(format!("{:.1}", (a.1 + b.1) / 2.0 - 3.0)) { (format!("{:.0}%", score * 100.0)) }
                    }
                }
            }
            @for (i, n) in c.nodes.iter().enumerate() {
                @let (x, y) = px(n.position);
                @let r = 5.0 + 2.0 * (n.degree as f64).sqrt();
                @let root = c.roots.contains(&i);
                @let label = match &n.kind {
                    NodeKind::Record { caption, schema, .. } => format!("{} · {}", caption, schema_label(lang, schema)),
                    NodeKind::Hit { schema, owner, .. } => format!("{}: {} · {}", t(lang, M::AnHitNode), schema_label(lang, schema), owner),
                };
                g class={ "node " (node_class(&n.kind)) @if root { " root" } } {
                    @match (&n.kind, expand) {
                        (NodeKind::Record { id, .. }, Some(base)) => {
                            a href={ (base) "&root=" (urlencode(id)) } {
                                circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r=(format!("{r:.1}")) { title { (label) } }
                            }
                        }
                        _ => {
                            circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r=(format!("{r:.1}")) { title { (label) } }
                        }
                    }
                    @if labelled.contains(&i) {
                        text x=(format!("{:.1}", x + r + 2.0)) y=(format!("{:.1}", y + 4.0)) {
                            @match &n.kind {
                                NodeKind::Record { caption, .. } => { (short(caption, 26)) }
                                NodeKind::Hit { owner, .. } => { (t(lang, M::AnHitNode)) " · " (owner) }
                            }
                        }
                    }
                }
            }
        }
    };
    markup.into_string()
}

/// The query parameters of a link chart, documented for OpenAPI (read from the query string).
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ChartParams {
    /// A record to start from (you must read it in full); repeat, or separate with commas (1–10).
    root: Option<String>,
    /// Steps from the roots, 1–4 (default 2).
    depth: Option<i64>,
    /// The most nodes, 1–500 (default 200).
    limit: Option<i64>,
    /// `true`: keep only the shortest network connecting the roots (two or more).
    connect: Option<bool>,
    /// `json` (default), `graphml`, `ftm` (JSON lines) or `svg`. The files leave the system:
    /// records marked for no onward dissemination are left out unless your agency owns them.
    format: Option<String>,
    /// Language of labels in SVG: `en` (default) or `ru`.
    lang: Option<String>,
}

fn format_of(form: &FormData) -> Result<&str, ValidationErrors> {
    let f = form.get("format").unwrap_or("json");
    if matches!(f, "json" | "graphml" | "ftm" | "svg") {
        Ok(f)
    } else {
        Err(ValidationErrors::single(
            "format",
            Reason::coded(
                "value-not-one-of",
                &[
                    ("value", &format!("{f:?}")),
                    ("allowed", &"json, graphml, ftm, svg"),
                ],
            ),
        ))
    }
}

/// A chart as a file in `format` (anything but JSON), after the export rule.
async fn file(
    app: &App,
    ctx: &pamir_app::UserContext,
    lang: Lang,
    c: &Chart,
    format: &str,
) -> Result<Response, AppError> {
    let (c, _) = app.analysis().export_chart(ctx, c, format).await?;
    let (body, mime, ext) = match format {
        "graphml" => (
            graphml(&c),
            "application/graphml+xml; charset=utf-8",
            "graphml",
        ),
        "ftm" => (
            ftm_lines(&c),
            "application/x-ndjson; charset=utf-8",
            "ftm.jsonl",
        ),
        _ => (
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}",
                svg(lang, &c, None)
            ),
            "image/svg+xml; charset=utf-8",
            "svg",
        ),
    };
    Ok(download(mime, &format!("link-chart.{ext}"), body))
}

/// The link chart around records you may read in full: typed links between records you may read
/// in full, cross-matches with their strength (to hits too: owner and schema only), degree and
/// betweenness centrality, positions. Audited.
#[utoipa::path(get, path = "/api/v1/analysis/chart", tag = "analysis", params(ChartParams),
    responses((status = 200, body = ChartOut, description = "JSON, or a GraphML, FtM JSON lines or SVG file"),
              (status = 404, body = crate::api::types::ErrorBody), (status = 422, body = crate::api::types::ErrorBody)),
    security(("bearer" = [])))]
pub async fn chart(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    uri: Uri,
) -> ApiResult<Response> {
    let form = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let mut errors = ValidationErrors::default();
    let request = request_of(&form).map_err(|e| errors.extend(e)).ok();
    let format = format_of(&form).map_err(|e| errors.extend(e)).ok();
    let lang = lang_param(&form, &mut errors);
    let (Some(request), Some(format)) = (request, format) else {
        return Err(ApiError::from(AppError::Invalid(errors)));
    };
    if !errors.is_empty() {
        return Err(ApiError::from(AppError::Invalid(errors)));
    }
    let c = app.analysis().link_chart(&ctx, &request).await?;
    if format == "json" {
        return Ok(Json(chart_out(&c)).into_response());
    }
    Ok(file(&app, &ctx, lang, &c, format).await?)
}

/// The link chart page: the chart, its form, centrality and the timeline.
pub async fn page(State(app): State<Arc<App>>, user: WebUser, uri: Uri) -> Response {
    let lang = user.lang;
    let query = uri.query().unwrap_or("");
    let form = FormData::parse(query.as_bytes());
    let result = match request_of(&form) {
        Ok(r) if r.roots.is_empty() => Ok(None),
        Ok(r) => app.analysis().link_chart(&user.ctx, &r).await.map(Some),
        Err(e) => Err(AppError::Invalid(e)),
    };
    if let Err(e @ AppError::Forbidden(_)) = &result {
        return error_page(&app, &user, e);
    }
    // Downloads go through the export rule.
    if let (Ok(Some(c)), Some(f @ ("graphml" | "ftm" | "svg"))) = (&result, form.get("format")) {
        return match file(&app, &user.ctx, lang, c, f).await {
            Ok(r) => r,
            Err(e) => error_page(&app, &user, &e),
        };
    }
    let roots = list(&form, "root");
    let depth = form.get("depth").unwrap_or("2").to_string();
    let limit = form.get("limit").unwrap_or("200").to_string();
    let connect = form.checked("connect");
    let base = format!(
        "/analysis/chart?depth={}&limit={}{}{}",
        urlencode(&depth),
        urlencode(&limit),
        if connect { "&connect=1" } else { "" },
        roots
            .iter()
            .map(|r| format!("&root={}", urlencode(r)))
            .collect::<String>()
    );
    let without = |gone: &str| {
        format!(
            "/analysis/chart?depth={}&limit={}{}",
            urlencode(&depth),
            urlencode(&limit),
            roots
                .iter()
                .filter(|r| *r != gone)
                .map(|r| format!("&root={}", urlencode(r)))
                .collect::<String>()
        )
    };
    let body = html! {
        (super::pages::views_nav(lang, "/analysis/chart"))
        h1 { (t(lang, M::AnChartTitle)) }
        p.muted { (t(lang, M::AnChartIntro)) }
        form.filters method="get" action="/analysis/chart" {
            div.row {
                @for r in &roots { input type="hidden" name="root" value=(r); }
                label { (t(lang, M::AnChartAdd)) " " input type="text" name="root" size="28" placeholder=(t(lang, M::AnChartRecordId)); }
                label { (t(lang, M::AnDepth)) " "
                    select name="depth" { @for d in 1..=MAX_DEPTH { option value=(d) selected[depth == d.to_string()] { (d) } } }
                }
                label { (t(lang, M::AnLimit)) " " input type="number" name="limit" min="1" max="500" value=(limit) size="5"; }
                label.check { input type="checkbox" name="connect" value="1" checked[connect]; " " (t(lang, M::AnConnect)) }
            }
            @if !roots.is_empty() {
                p.roots { (t(lang, M::AnRoots)) ": "
                    @for r in &roots { span.code { (r) } " " a href=(without(r)) aria-label=(t(lang, M::AnRemove)) { "×" } " " }
                }
            }
            button type="submit" { (t(lang, M::AnShow)) }
        }
        @match &result {
            Err(e) => { (error_box(lang, e)) }
            Ok(None) => { p.empty { (t(lang, M::AnChartEmpty)) } }
            Ok(Some(c)) => { (chart_view(lang, c, &base)) }
        }
    };
    render(&app, &user, t(lang, M::AnChartTitle), "/analysis", body)
}

fn chart_view(lang: Lang, c: &Chart, base: &str) -> Markup {
    let mut central: Vec<usize> = (0..c.nodes.len()).collect();
    central.sort_by(|a, b| {
        c.nodes[*b]
            .betweenness
            .total_cmp(&c.nodes[*a].betweenness)
            .then(c.nodes[*b].degree.cmp(&c.nodes[*a].degree))
            .then(a.cmp(b))
    });
    let mut dated: Vec<(&str, &str, &str)> = c
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::Record {
                date: Some(d),
                caption,
                schema,
                ..
            } => Some((d.as_str(), caption.as_str(), *schema)),
            _ => None,
        })
        .collect();
    dated.sort();
    let name = |i: usize| match &c.nodes[i].kind {
        NodeKind::Record {
            caption, schema, ..
        } => format!("{caption} · {}", schema_label(lang, schema)),
        NodeKind::Hit { schema, owner, .. } => format!(
            "{}: {} · {owner}",
            t(lang, M::AnHitNode),
            schema_label(lang, schema)
        ),
    };
    let hits = c
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Hit { .. }))
        .count();
    html! {
        p.muted {
            (M::AnChartCounts.with(lang, &[("nodes", &c.nodes.len().to_string()), ("edges", &c.edges.len().to_string()), ("hits", &hits.to_string())]))
            @if c.truncated { " " strong { (M::AnChartTruncated.with(lang, &[("limit", &c.limit.to_string())])) } }
        }
        figure.link-chart {
            (PreEscaped(svg(lang, c, Some(base))))
            figcaption.muted.legend {
                span.key.person { "●" } " " (schema_label(lang, "Person")) " "
                span.key.seizure { "●" } " " (schema_label(lang, "Seizure")) " "
                span.key.case { "●" } " " (schema_label(lang, "Case")) " "
                span.key.vehicle { "●" } " " (schema_label(lang, "Vehicle")) " "
                span.key.organisation { "●" } " " (schema_label(lang, "Company")) " "
                span.key.hit { "○" } " " (t(lang, M::AnHitNode)) " · "
                (t(lang, M::AnChartHowTo))
            }
        }
        p {
            (t(lang, M::AnDownload)) ": "
            a href={ (base) "&format=svg" } { "SVG" } " · "
            a href={ (base) "&format=graphml" } { "GraphML" } " · "
            a href={ (base) "&format=ftm" } { "FtM JSON lines" } " · "
            a href={ "/api/v1" (base.trim_start_matches("/analysis").replacen("/chart", "/analysis/chart", 1)) } { "JSON (API)" }
        }
        h2 { (t(lang, M::AnCentrality)) }
        div.table-scroll {
            table.stats {
                thead { tr {
                    th scope="col" { (t(lang, M::AnNode)) }
                    th.num scope="col" { (t(lang, M::AnDegree)) }
                    th.num scope="col" { (t(lang, M::AnBetweenness)) }
                } }
                tbody {
                    @for &i in central.iter().take(20) {
                        tr {
                            th scope="row" {
                                @match &c.nodes[i].kind {
                                    NodeKind::Record { id, .. } => { a href={ "/records/" (urlencode(id)) } { (name(i)) } }
                                    NodeKind::Hit { .. } => { (name(i)) }
                                }
                            }
                            td.num { (c.nodes[i].degree) }
                            td.num { (number(lang, (c.nodes[i].betweenness * 1000.0).round() / 1000.0)) }
                        }
                    }
                }
            }
        }
        @if !dated.is_empty() {
            h2 { (t(lang, M::AnTimeline)) }
            ol.timeline {
                @for (date, caption, schema) in &dated {
                    li { span.code { (date) } " " (caption) " " span.muted { "· " (schema_label(lang, schema)) } }
                }
            }
        }
    }
}
