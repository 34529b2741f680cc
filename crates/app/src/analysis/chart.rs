//! Link charts as a service: the graph around records to a chosen depth, over exactly what the
//! reader may see. A neighbour the reader may read in full is a node with its content; one they
//! may only know exists, reached through a cross-match, is a hit (owner and schema, known by
//! the match's reference, never its id) and is not expanded; anything else is not there. Typed
//! links show only between records the reader may read in full, as on a record's page. Matches
//! are those the matching worker has stored (it follows every write).

use std::collections::{BTreeMap, BTreeSet};

use pamir_domain::{
    access::{self, Access},
    audit::Action,
    error::Reason,
    graph::Topology,
    link::LinkKind,
    AgencyCode, Classification, ValidationErrors,
};
use pamir_store::StoredRecord;
use serde_json::json;

use crate::{analysis::Analysis, AppError, AppResult, UserContext};

/// The deepest a chart may reach from its roots.
pub const MAX_DEPTH: i64 = 4;
/// The most nodes a chart may hold.
pub const MAX_NODES: i64 = 500;
/// The most records a chart may start from.
pub const MAX_ROOTS: usize = 10;

/// What the chart is asked for, as given.
#[derive(Debug, Clone, Default)]
pub struct ChartRequest {
    pub roots: Vec<String>,
    pub depth: Option<i64>,
    pub limit: Option<i64>,
    /// Keep only the shortest network connecting the roots.
    pub connect: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Record {
        id: String,
        schema: &'static str,
        caption: String,
        owner: AgencyCode,
        classification: Classification,
        /// The item's date, for the timeline (seizure date, case opened, …).
        date: Option<String>,
        /// Its content, for exports in FtM.
        entity: pamir_domain::Entity,
        /// Marked for no onward dissemination: it leaves the system only through its owner.
        onward_restricted: bool,
    },
    Hit {
        /// The match's id: the reference the hits page and disclosure requests use.
        reference: String,
        schema: String,
        owner: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChartNode {
    pub kind: NodeKind,
    /// Steps from the nearest root.
    pub depth: i64,
    pub degree: usize,
    pub betweenness: f64,
    /// In the unit square.
    pub position: (f64, f64),
}

impl ChartNode {
    /// The node's key in exports: the record id, or `hit-` and the reference.
    pub fn key(&self) -> String {
        match &self.kind {
            NodeKind::Record { id, .. } => id.clone(),
            NodeKind::Hit { reference, .. } => format!("hit-{reference}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum EdgeKind {
    /// A typed link from `a` to `b`.
    Link {
        id: String,
        kind: LinkKind,
        role: Option<String>,
    },
    /// A cross-match of this strength (0–1).
    Match { id: String, score: f64 },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChartEdge {
    pub a: usize,
    pub b: usize,
    pub kind: EdgeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub nodes: Vec<ChartNode>,
    pub edges: Vec<ChartEdge>,
    /// Indexes of the roots.
    pub roots: Vec<usize>,
    pub depth: i64,
    pub limit: i64,
    /// Whether the limit stopped the chart before its depth.
    pub truncated: bool,
    pub connect: bool,
}

/// The date a record is placed at on the timeline.
fn date_of(r: &StoredRecord) -> Option<String> {
    [
        "date",
        "openedDate",
        "startDate",
        "incorporationDate",
        "issueDate",
        "creationDate",
    ]
    .iter()
    .find_map(|p| r.entity.first(p))
    .map(str::to_string)
}

impl ChartRequest {
    fn check(&self) -> Result<(Vec<String>, i64, i64), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut roots: Vec<String> = Vec::new();
        for r in self
            .roots
            .iter()
            .map(|r| r.trim())
            .filter(|r| !r.is_empty())
        {
            if !roots.iter().any(|x| x == r) {
                roots.push(r.to_string());
            }
        }
        if roots.is_empty() || roots.len() > MAX_ROOTS {
            errors.push(
                "root",
                Reason::coded("analysis-roots-range", &[("max", &MAX_ROOTS)]),
            );
        } else if self.connect && roots.len() < 2 {
            errors.push("root", Reason::coded("analysis-connect-two", &[]));
        }
        let depth = self.depth.unwrap_or(2);
        if !(1..=MAX_DEPTH).contains(&depth) {
            errors.push(
                "depth",
                Reason::coded("analysis-depth-range", &[("max", &MAX_DEPTH)]),
            );
        }
        let limit = self.limit.unwrap_or(200);
        if !(1..=MAX_NODES).contains(&limit) {
            errors.push(
                "limit",
                Reason::coded("analysis-limit-range", &[("max", &MAX_NODES)]),
            );
        }
        errors.into_result((roots, depth, limit))
    }
}

/// The chart as it grows: nodes by record id (hits by reference), edges by their own id.
struct Builder {
    nodes: Vec<(NodeKind, i64)>,
    by_record: BTreeMap<String, usize>,
    edges: Vec<ChartEdge>,
    edge_ids: BTreeSet<String>,
    limit: usize,
    truncated: bool,
}

impl Builder {
    fn full_node(&mut self, r: &StoredRecord, depth: i64) -> Option<usize> {
        let id = r.entity.id.as_str();
        if let Some(&i) = self.by_record.get(id) {
            return Some(i);
        }
        if self.nodes.len() >= self.limit {
            self.truncated = true;
            return None;
        }
        self.nodes.push((
            NodeKind::Record {
                id: id.to_string(),
                schema: r.entity.schema.name,
                caption: r.caption.clone(),
                owner: r.meta.owner.clone(),
                classification: r.meta.classification,
                date: date_of(r),
                entity: r.entity.clone(),
                onward_restricted: r
                    .meta
                    .handling_codes
                    .iter()
                    .any(|c| pamir_domain::handling::HandlingCode::restricts_onward(*c)),
            },
            depth,
        ));
        self.by_record.insert(id.to_string(), self.nodes.len() - 1);
        Some(self.nodes.len() - 1)
    }

    fn edge(&mut self, id: &str, a: usize, b: usize, kind: EdgeKind) {
        if self.edge_ids.insert(id.to_string()) {
            self.edges.push(ChartEdge { a, b, kind });
        }
    }
}

impl Analysis<'_> {
    /// The link chart around `request.roots`, which the caller must be able to read in full
    /// (any other answers "not found", as a record's page does). Audited: the records shown
    /// are reads, the hits are hits.
    pub async fn link_chart(&self, ctx: &UserContext, request: &ChartRequest) -> AppResult<Chart> {
        let app = self.app;
        if ctx.subject.full_access_filter().is_none() {
            let e = AppError::Forbidden("your roles do not include reading records".into());
            return Err(app.refused(ctx, "analysis.link_chart", "-", e).await);
        }
        let (roots, depth, limit) = request.check().map_err(AppError::Invalid)?;
        let mut b = Builder {
            nodes: Vec::new(),
            by_record: BTreeMap::new(),
            edges: Vec::new(),
            edge_ids: BTreeSet::new(),
            limit: limit as usize,
            truncated: false,
        };
        let stored = app.store.get_records(&roots).await?;
        let mut root_nodes = Vec::new();
        for id in &roots {
            let found = stored
                .iter()
                .find(|r| r.entity.id.as_str() == id)
                .filter(|r| access::decide(&ctx.subject, &r.meta) == Access::Full);
            let Some(r) = found else {
                let e = AppError::NotFound(format!("record {id} not found"));
                return Err(app.refused(ctx, "analysis.link_chart", id, e).await);
            };
            if let Some(i) = b.full_node(r, 0) {
                root_nodes.push(i);
            }
        }
        let mut frontier: Vec<String> = roots.clone();
        // One step more than the depth reads only the edges among the nodes already there.
        for level in 1..=depth + 1 {
            if frontier.is_empty() {
                break;
            }
            let growing = level <= depth;
            let links = app.store.links_of_many(&frontier).await?;
            let matches = app.store.matches_of_many(&frontier).await?;
            let mut wanted: BTreeSet<String> = BTreeSet::new();
            for l in &links {
                for end in [&l.source, &l.target] {
                    if !b.by_record.contains_key(end) {
                        wanted.insert(end.clone());
                    }
                }
            }
            for m in &matches {
                for end in [&m.a_id, &m.b_id] {
                    if !b.by_record.contains_key(end) {
                        wanted.insert(end.clone());
                    }
                }
            }
            let wanted: Vec<String> = wanted.into_iter().collect();
            let others: BTreeMap<String, StoredRecord> = if growing {
                app.store
                    .get_records(&wanted)
                    .await?
                    .into_iter()
                    .map(|r| (r.entity.id.to_string(), r))
                    .collect()
            } else {
                BTreeMap::new()
            };
            let access_of = |id: &str| {
                others
                    .get(id)
                    .map(|r| access::decide(&ctx.subject, &r.meta))
                    .unwrap_or(Access::None)
            };
            let mut next = Vec::new();
            // A node already in the chart, or a new one the reader may read in full.
            let node_for = |b: &mut Builder, id: &str, next: &mut Vec<String>| -> Option<usize> {
                if let Some(&i) = b.by_record.get(id) {
                    return Some(i);
                }
                if !growing || access_of(id) != Access::Full {
                    return None;
                }
                let i = b.full_node(others.get(id)?, level)?;
                next.push(id.to_string());
                Some(i)
            };
            for l in &links {
                let (Some(a), Some(z)) = (
                    node_for(&mut b, &l.source, &mut next),
                    node_for(&mut b, &l.target, &mut next),
                ) else {
                    continue;
                };
                b.edge(
                    &l.id,
                    a,
                    z,
                    EdgeKind::Link {
                        id: l.id.clone(),
                        kind: l.kind,
                        role: l.role.clone(),
                    },
                );
            }
            for m in &matches {
                // The end in the frontier is in the chart; the other may be new, or a hit.
                let (mine, other) =
                    if b.by_record.contains_key(&m.a_id) && frontier.contains(&m.a_id) {
                        (&m.a_id, &m.b_id)
                    } else {
                        (&m.b_id, &m.a_id)
                    };
                let Some(&a) = b.by_record.get(mine) else {
                    continue;
                };
                let z = match node_for(&mut b, other, &mut next) {
                    Some(z) => z,
                    None if growing && access_of(other) == Access::Hit => {
                        if b.nodes.len() >= b.limit {
                            b.truncated = true;
                            continue;
                        }
                        let r = &others[other.as_str()];
                        b.nodes.push((
                            NodeKind::Hit {
                                reference: m.id.clone(),
                                schema: r.entity.schema.name.to_string(),
                                owner: r.meta.owner.to_string(),
                            },
                            level,
                        ));
                        b.nodes.len() - 1
                    }
                    None => continue,
                };
                b.edge(
                    &m.id,
                    a,
                    z,
                    EdgeKind::Match {
                        id: m.id.clone(),
                        score: m.score,
                    },
                );
            }
            frontier = next;
        }
        let topology = Topology {
            n: b.nodes.len(),
            edges: b.edges.iter().map(|e| (e.a, e.b)).collect(),
        };
        let keep: Option<BTreeSet<usize>> =
            request.connect.then(|| topology.connecting(&root_nodes));
        let (mut nodes, mut edges, mut roots_at) = (b.nodes, b.edges, root_nodes);
        if let Some(keep) = &keep {
            // Renumber the nodes kept, and keep the edges between them.
            let map: BTreeMap<usize, usize> = keep
                .iter()
                .enumerate()
                .map(|(new, old)| (*old, new))
                .collect();
            nodes = nodes
                .into_iter()
                .enumerate()
                .filter(|(i, _)| keep.contains(i))
                .map(|(_, n)| n)
                .collect();
            edges = edges
                .into_iter()
                .filter_map(|e| {
                    Some(ChartEdge {
                        a: *map.get(&e.a)?,
                        b: *map.get(&e.b)?,
                        kind: e.kind,
                    })
                })
                .collect();
            roots_at = roots_at
                .iter()
                .filter_map(|r| map.get(r).copied())
                .collect();
        }
        let topology = Topology {
            n: nodes.len(),
            edges: edges.iter().map(|e| (e.a, e.b)).collect(),
        };
        let (degree, betweenness, layout) =
            (topology.degree(), topology.betweenness(), topology.layout());
        let nodes: Vec<ChartNode> = nodes
            .into_iter()
            .enumerate()
            .map(|(i, (kind, depth))| ChartNode {
                kind,
                depth,
                degree: degree[i],
                betweenness: betweenness[i],
                position: layout[i],
            })
            .collect();
        let shown: Vec<&str> = nodes
            .iter()
            .filter_map(|n| match &n.kind {
                NodeKind::Record { id, .. } => Some(id.as_str()),
                NodeKind::Hit { .. } => None,
            })
            .collect();
        let hits: Vec<&str> = nodes
            .iter()
            .filter_map(|n| match &n.kind {
                NodeKind::Hit { reference, .. } => Some(reference.as_str()),
                NodeKind::Record { .. } => None,
            })
            .collect();
        let mut drafts = vec![ctx
            .draft(Action::AnalysisQuery, roots.join(","))
            .details(json!({
                "view": "link_chart", "roots": roots, "depth": depth, "limit": limit,
                "connect": request.connect, "ids": shown, "truncated": b.truncated,
            }))];
        if !hits.is_empty() {
            drafts.push(
                ctx.draft(Action::RecordHit, "link_chart")
                    .details(json!({"matches": hits, "via": "link_chart"})),
            );
        }
        app.store
            .audit_many(&drafts.iter().collect::<Vec<_>>())
            .await?;
        Ok(Chart {
            nodes,
            edges,
            roots: roots_at,
            depth,
            limit,
            truncated: b.truncated,
            connect: request.connect,
        })
    }
}

impl Analysis<'_> {
    /// The chart as it may leave the system in `format`: records marked for no onward
    /// dissemination stay in unless the caller's agency owns them (they and their edges are
    /// left out, and counted). Audited as an export, with the records that leave.
    pub async fn export_chart(
        &self,
        ctx: &UserContext,
        chart: &Chart,
        format: &str,
    ) -> AppResult<(Chart, usize)> {
        let withheld: BTreeSet<usize> = chart
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| {
                matches!(&n.kind, NodeKind::Record { onward_restricted: true, owner, .. } if *owner != ctx.user.agency)
            })
            .map(|(i, _)| i)
            .collect();
        let map: BTreeMap<usize, usize> = (0..chart.nodes.len())
            .filter(|i| !withheld.contains(i))
            .enumerate()
            .map(|(new, old)| (old, new))
            .collect();
        let out = Chart {
            nodes: chart
                .nodes
                .iter()
                .enumerate()
                .filter(|(i, _)| map.contains_key(i))
                .map(|(_, n)| n.clone())
                .collect(),
            edges: chart
                .edges
                .iter()
                .filter_map(|e| {
                    Some(ChartEdge {
                        a: *map.get(&e.a)?,
                        b: *map.get(&e.b)?,
                        kind: e.kind.clone(),
                    })
                })
                .collect(),
            roots: chart
                .roots
                .iter()
                .filter_map(|r| map.get(r).copied())
                .collect(),
            ..chart.clone()
        };
        let ids: Vec<&str> = out
            .nodes
            .iter()
            .filter_map(|n| match &n.kind {
                NodeKind::Record { id, .. } => Some(id.as_str()),
                NodeKind::Hit { .. } => None,
            })
            .collect();
        self.app
            .store
            .audit(&ctx.draft(Action::Export, "link_chart").details(json!({
                "format": format, "ids": ids, "withheld": withheld.len(),
            })))
            .await?;
        Ok((out, withheld.len()))
    }
}
