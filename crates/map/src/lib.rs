//! The map of the region, drawn by the server as SVG: country borders from Natural Earth
//! (public domain; version 4.1.0 at 1:50m, through the npm package world-atlas 2.0.2), cropped
//! to the centre's region by `tools/map/crop_region.py` into `data/region.txt`. A page draws
//! routes on it (a controlled delivery's legs; the routes of analysis) with no script and no
//! tile server: what the officer sees is what the server sent.

use std::{collections::BTreeSet, fmt::Write, sync::OnceLock};

/// Where the borders come from, for the map's own caption.
pub const SOURCE: &str = "Natural Earth 4.1.0 (1:50m), public domain";

/// One ring of a country's border: its ISO 3166-1 alpha-2 code (`--` for a country the map does
/// not name) and its points as (longitude, latitude) in degrees.
struct Ring {
    code: [u8; 2],
    points: Vec<(f64, f64)>,
}

fn rings() -> &'static [Ring] {
    static RINGS: OnceLock<Vec<Ring>> = OnceLock::new();
    RINGS.get_or_init(|| parse(include_str!("../data/region.txt")))
}

fn parse(text: &str) -> Vec<Ring> {
    text.lines()
        .filter_map(|line| {
            let (code, rest) = line.split_once(' ')?;
            let code: [u8; 2] = code.as_bytes().try_into().ok()?;
            let points = rest
                .split(' ')
                .filter_map(|p| {
                    let (x, y) = p.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect();
            Some(Ring { code, points })
        })
        .collect()
}

/// Where a route stops in a country on the map: its capital (or, where the capital lies
/// outside the region, none). Longitude, latitude.
pub fn anchor(country: &str) -> Option<(f64, f64)> {
    Some(match country {
        "KZ" => (71.43, 51.13),
        "KG" => (74.59, 42.87),
        "TJ" => (68.78, 38.56),
        "TM" => (58.38, 37.95),
        "UZ" => (69.24, 41.30),
        "RU" => (37.62, 55.75),
        "AZ" => (49.87, 40.41),
        "AF" => (69.18, 34.53),
        "IR" => (51.39, 35.69),
        "PK" => (73.05, 33.68),
        "AM" => (44.51, 40.18),
        "GE" => (44.79, 41.72),
        "TR" => (32.86, 39.93),
        "UA" => (30.52, 50.45),
        "BY" => (27.56, 53.90),
        _ => return None,
    })
}

/// A place on a route.
#[derive(Debug, Clone, PartialEq)]
pub struct Stop {
    pub lon: f64,
    pub lat: f64,
    /// Shown beside the stop (escaped here).
    pub label: String,
}

/// How a leg is drawn: its state decides the stroke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegState {
    Planned,
    Moving,
    Done,
    Stopped,
    Lost,
}

impl LegState {
    fn class(self) -> &'static str {
        match self {
            LegState::Planned => "planned",
            LegState::Moving => "moving",
            LegState::Done => "done",
            LegState::Stopped => "stopped",
            LegState::Lost => "lost",
        }
    }
}

/// A flow between two stops (indexes into `stops`): an arc whose width says its weight (0–1,
/// the strongest flow 1), with an arrowhead where it ends. Arcs bend to their right, so that
/// flows both ways between two countries stay apart.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub from: usize,
    pub to: usize,
    pub weight: f64,
    /// Shown on hover and read by screen readers (escaped here).
    pub title: String,
}

/// A route: stops, and legs between them (indexes into `stops`); or, for analysis, flows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Route {
    pub stops: Vec<Stop>,
    pub legs: Vec<(usize, usize, LegState)>,
    pub flows: Vec<Flow>,
    /// The leg the consignment is on (index into `legs`): marked half-way along it, or at its
    /// start while it waits to leave.
    pub position: Option<usize>,
}

/// What to draw: the countries to shade, the route, and the text for screen readers.
#[derive(Debug, Clone, Default)]
pub struct Drawing<'a> {
    pub highlight: BTreeSet<&'a str>,
    pub route: Route,
    pub title: &'a str,
}

/// The frame the data covers (the crop), and the smallest span a drawing shows, in degrees.
const FRAME: (f64, f64, f64, f64) = (18.0, 102.0, 22.0, 68.0);
const MIN_SPAN: f64 = 24.0;
const WIDTH: f64 = 720.0;

/// The view: the route's stops with a margin (the whole region when there are none), kept in
/// the frame; an equirectangular projection scaled for the view's middle latitude.
struct View {
    west: f64,
    north: f64,
    kx: f64,
    ky: f64,
    height: f64,
}

impl View {
    fn fit(stops: &[Stop]) -> View {
        let (mut w, mut e, mut s, mut n) = if stops.is_empty() {
            (26.0, 94.0, 30.0, 60.0)
        } else {
            stops.iter().fold(
                (180.0, -180.0, 90.0, -90.0),
                |(w, e, s, n): (f64, f64, f64, f64), p| {
                    (w.min(p.lon), e.max(p.lon), s.min(p.lat), n.max(p.lat))
                },
            )
        };
        let (cx, cy) = ((w + e) / 2.0, (s + n) / 2.0);
        let span_x = (e - w + 12.0).max(MIN_SPAN);
        let span_y = (n - s + 6.0).max(MIN_SPAN * 0.55);
        w = (cx - span_x / 2.0).max(FRAME.0);
        e = (cx + span_x / 2.0).min(FRAME.1);
        s = (cy - span_y / 2.0).max(FRAME.2);
        n = (cy + span_y / 2.0).min(FRAME.3);
        let cos = ((s + n) / 2.0).to_radians().cos();
        let kx = WIDTH / (e - w);
        let ky = kx / cos;
        View {
            west: w,
            north: n,
            kx,
            ky,
            height: ((n - s) * ky).round(),
        }
    }

    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        ((lon - self.west) * self.kx, (self.north - lat) * self.ky)
    }
}

fn escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// The drawing as an SVG element, ready to inline in a page (classes for the page's styles).
pub fn svg(d: &Drawing<'_>) -> String {
    let view = View::fit(&d.route.stops);
    let mut out = String::with_capacity(24 * 1024);
    let title = escape(d.title);
    let _ = write!(
        out,
        r#"<svg class="region-map" viewBox="0 0 {WIDTH} {h}" role="img" aria-label="{title}" xmlns="http://www.w3.org/2000/svg"><title>{title}</title><rect class="sea" width="{WIDTH}" height="{h}"/>"#,
        h = view.height
    );
    // One path per country: its rings, in view coordinates rounded to a tenth of a pixel.
    let mut by_code: Vec<(&[u8; 2], String)> = Vec::new();
    for ring in rings() {
        // Whole pixels, each point relative to the one before (`l dx dy dx dy …`): a third of
        // the bytes of absolute decimals, for links that count them. Rings out of view are left out.
        let pts: Vec<(i64, i64)> = ring
            .points
            .iter()
            .map(|(lon, lat)| {
                let (x, y) = view.xy(*lon, *lat);
                (x.round() as i64, y.round() as i64)
            })
            .collect();
        let (w, h) = (WIDTH as i64, view.height as i64);
        let outside = pts.iter().all(|p| p.0 < 0)
            || pts.iter().all(|p| p.0 > w)
            || pts.iter().all(|p| p.1 < 0)
            || pts.iter().all(|p| p.1 > h);
        let Some(first) = pts.first().filter(|_| !outside) else {
            continue;
        };
        let mut path = format!("M{} {}l", first.0, first.1);
        let mut prev = *first;
        for p in &pts[1..] {
            let (dx, dy) = (p.0 - prev.0, p.1 - prev.1);
            if (dx, dy) != (0, 0) {
                let _ = write!(path, "{dx} {dy} ");
                prev = *p;
            }
        }
        path.pop();
        path.push('Z');
        match by_code.iter_mut().find(|(c, _)| *c == &ring.code) {
            Some((_, p)) if &ring.code != b"--" => p.push_str(&path),
            _ => by_code.push((&ring.code, path)),
        }
    }
    for (code, path) in &by_code {
        let code = std::str::from_utf8(*code).unwrap_or("--");
        let class = if d.highlight.contains(code) {
            "land on-route"
        } else {
            "land"
        };
        let _ = write!(
            out,
            r#"<path class="{class}" data-country="{code}" d="{path}"/>"#
        );
    }
    let stops: Vec<(f64, f64)> = d
        .route
        .stops
        .iter()
        .map(|s| view.xy(s.lon, s.lat))
        .collect();
    for (i, (from, to, state)) in d.route.legs.iter().enumerate() {
        let (Some(a), Some(b)) = (stops.get(*from), stops.get(*to)) else {
            continue;
        };
        let _ = write!(
            out,
            r#"<line class="leg {}" data-leg="{}" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
            state.class(),
            i + 1,
            a.0,
            a.1,
            b.0,
            b.1
        );
    }
    if !d.route.flows.is_empty() {
        out.push_str(r#"<defs><marker id="flow-head" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="3" markerHeight="3" orient="auto"><path class="flow-head" d="M0 0L10 5L0 10z"/></marker></defs>"#);
    }
    for f in &d.route.flows {
        let (Some(a), Some(b)) = (stops.get(f.from), stops.get(f.to)) else {
            continue;
        };
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        // The control point: a sixth of the length off the middle, to the right of travel.
        let (cx, cy) = ((a.0 + b.0) / 2.0 - dy / 6.0, (a.1 + b.1) / 2.0 + dx / 6.0);
        let _ = write!(
            out,
            r#"<path class="flow" d="M{:.1} {:.1}Q{cx:.1} {cy:.1} {:.1} {:.1}" stroke-width="{:.1}" marker-end="url(#flow-head)"><title>{}</title></path>"#,
            a.0,
            a.1,
            b.0,
            b.1,
            1.5 + 8.5 * f.weight.clamp(0.0, 1.0),
            escape(&f.title)
        );
    }
    for (p, stop) in stops.iter().zip(&d.route.stops) {
        // Labels near the east edge read leftwards, so that they stay inside the drawing.
        let (x, side) = if p.0 > WIDTH * 0.7 {
            (p.0 - 7.0, "end")
        } else {
            (p.0 + 7.0, "start")
        };
        let _ = write!(
            out,
            r#"<circle class="stop" cx="{:.1}" cy="{:.1}" r="4"/><text class="stop-label" x="{x:.1}" y="{:.1}" text-anchor="{side}">{}</text>"#,
            p.0,
            p.1,
            p.1 - 6.0,
            escape(&stop.label)
        );
    }
    if let Some((from, to, state)) = d.route.position.and_then(|i| d.route.legs.get(i)) {
        if let (Some(a), Some(b)) = (stops.get(*from), stops.get(*to)) {
            let (x, y) = if *state == LegState::Planned {
                *a
            } else {
                ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)
            };
            let _ = write!(
                out,
                r#"<circle class="position" cx="{x:.1}" cy="{y:.1}" r="7"/>"#
            );
        }
    }
    let _ = write!(
        out,
        r#"<text class="credit" x="{:.1}" y="{:.1}">{}</text></svg>"#,
        WIDTH - 6.0,
        view.height - 6.0,
        SOURCE
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_covers_the_region() {
        let codes: BTreeSet<&str> = rings()
            .iter()
            .map(|r| std::str::from_utf8(&r.code).unwrap())
            .collect();
        for c in ["KZ", "KG", "TJ", "TM", "UZ", "RU", "AZ", "AF", "IR"] {
            assert!(codes.contains(c), "{c}");
        }
        for r in rings() {
            assert!(r.points.len() >= 4);
            for (lon, lat) in &r.points {
                assert!((FRAME.0..=FRAME.1).contains(lon) && (FRAME.2..=FRAME.3).contains(lat));
            }
        }
    }

    #[test]
    fn a_route_is_drawn_over_the_countries_it_crosses() {
        let stop = |c: &str, label: &str| {
            let (lon, lat) = anchor(c).unwrap();
            Stop {
                lon,
                lat,
                label: label.into(),
            }
        };
        let d = Drawing {
            highlight: ["TJ", "UZ", "KZ", "RU"].into(),
            route: Route {
                stops: vec![
                    stop("TJ", "Dushanbe"),
                    stop("UZ", "<b>Tashkent</b>"),
                    stop("KZ", "Astana"),
                    stop("RU", "Moscow"),
                ],
                legs: vec![
                    (0, 1, LegState::Done),
                    (1, 2, LegState::Moving),
                    (2, 3, LegState::Planned),
                ],
                position: Some(1),
                flows: Vec::new(),
            },
            title: "Silk Thread & route",
        };
        let s = svg(&d);
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        assert_eq!(s.matches("class=\"leg ").count(), 3);
        assert_eq!(s.matches("class=\"land on-route\"").count(), 4);
        assert_eq!(s.matches("class=\"position\"").count(), 1);
        assert!(s.contains("&lt;b&gt;Tashkent") && !s.contains("<b>"));
        assert!(s.contains("Silk Thread &amp; route"));
        // The view fits the route: Moscow and Dushanbe inside it.
        let view = View::fit(&d.route.stops);
        for (lon, lat) in [anchor("RU").unwrap(), anchor("TJ").unwrap()] {
            let (x, y) = view.xy(lon, lat);
            assert!((0.0..=WIDTH).contains(&x) && (0.0..=view.height).contains(&y));
        }
    }

    #[test]
    fn an_empty_route_shows_the_whole_region() {
        let s = svg(&Drawing {
            title: "Region",
            ..Drawing::default()
        });
        assert!(s.contains("data-country=\"KZ\"") && !s.contains("class=\"leg"));
    }

    #[test]
    fn flows_are_arcs_as_wide_as_their_weight() {
        let stop = |c: &str| {
            let (lon, lat) = anchor(c).unwrap();
            Stop {
                lon,
                lat,
                label: c.into(),
            }
        };
        let flow = |from, to, weight| Flow {
            from,
            to,
            weight,
            title: "AF → TJ: 12 <seizures>".into(),
        };
        let s = svg(&Drawing {
            route: Route {
                stops: vec![stop("AF"), stop("TJ")],
                flows: vec![flow(0, 1, 1.0), flow(1, 0, 0.0), flow(0, 7, 1.0)],
                ..Default::default()
            },
            title: "Routes",
            ..Default::default()
        });
        assert_eq!(
            s.matches(r#"<path class="flow""#).count(),
            2,
            "a flow to no stop is left out"
        );
        assert!(s.contains(r#"stroke-width="10.0""#) && s.contains(r#"stroke-width="1.5""#));
        assert!(s.contains("<title>AF → TJ: 12 &lt;seizures&gt;</title>"));
        assert_eq!(s.matches("<marker").count(), 1);
    }
}
