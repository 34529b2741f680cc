//! Charts drawn by the server as SVG: readable without script, printable, and the same figures
//! as the table beside them. Each bar carries its value as text and a title.

use maud::{html, Markup};

/// One bar: its label, its value and, when there is one, the value to compare with (drawn as
/// a tick across the bar).
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub earlier: Option<f64>,
    /// The value as shown.
    pub shown: String,
}

const WIDTH: f64 = 480.0;
const VALUE_W: f64 = 70.0;
/// A row: the label on a line of its own (so it is never cut at phone width), the bar below.
const ROW_H: f64 = 36.0;

fn scale(max: f64) -> impl Fn(f64) -> f64 {
    let span = WIDTH - VALUE_W;
    move |v: f64| {
        if max > 0.0 {
            (v / max * span).max(0.0)
        } else {
            0.0
        }
    }
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// Horizontal bars, one per row, largest first as given.
pub fn bars(title: &str, legend: (&str, &str), bars: &[Bar]) -> Markup {
    let max = bars
        .iter()
        .flat_map(|b| [b.value, b.earlier.unwrap_or(0.0)])
        .fold(0.0, f64::max);
    let x = scale(max);
    let height = ROW_H * bars.len() as f64 + 24.0;
    html! {
        svg.chart viewBox={ "0 0 " (WIDTH) " " (height) } width="100%" role="img" aria-label=(title)
            xmlns="http://www.w3.org/2000/svg" {
            title { (title) }
            @for (i, b) in bars.iter().enumerate() {
                @let y = ROW_H * i as f64;
                @let end = x(b.value).max(b.earlier.map(&x).unwrap_or(0.0));
                g {
                    title { (b.label) ": " (b.shown) }
                    text.label x="0" y=(y + 13.0) { (short(&b.label, 60)) }
                    rect.bar x="0" y=(y + 17.0) width=(x(b.value)) height="14" {}
                    @if let Some(e) = b.earlier {
                        line.earlier x1=(x(e)) x2=(x(e)) y1=(y + 15.0) y2=(y + 33.0) {}
                    }
                    text.value x=(end + 5.0) y=(y + 29.0) { (b.shown) }
                }
            }
            (legend_row(legend, ROW_H * bars.len() as f64 + 4.0))
        }
    }
}

fn legend_row((now, earlier): (&str, &str), y: f64) -> Markup {
    html! {
        g.legend {
            rect.bar x="0" y=(y) width="14" height="10" {}
            text x="18" y=(y + 10.0) { (now) }
            line.earlier x1="200" x2="200" y1=(y - 2.0) y2=(y + 12.0) {}
            text x="206" y=(y + 10.0) { (earlier) }
        }
    }
}

/// Columns over time (months in order), labelled every few columns so that labels never crowd.
pub fn columns(title: &str, legend: (&str, &str), cols: &[Bar], max_shown: &str) -> Markup {
    let max = cols
        .iter()
        .flat_map(|b| [b.value, b.earlier.unwrap_or(0.0)])
        .fold(0.0, f64::max);
    const WIDTH: f64 = 640.0;
    let (top, plot_h, left) = (10.0, 160.0, 40.0);
    let n = cols.len().max(1) as f64;
    let step = (WIDTH - left - 10.0) / n;
    let y = |v: f64| if max > 0.0 { plot_h * v / max } else { 0.0 };
    // At most six labels: each is a month written in full.
    let every = cols.len().div_ceil(6).max(1);
    html! {
        svg.chart viewBox={ "0 0 " (WIDTH) " " (top + plot_h + 50.0) } width="100%" role="img" aria-label=(title)
            xmlns="http://www.w3.org/2000/svg" {
            title { (title) }
            line.axis x1=(left) x2=(WIDTH - 10.0) y1=(top + plot_h) y2=(top + plot_h) {}
            text.value x=(left - 4.0) y=(top + 8.0) text-anchor="end" { (max_shown) }
            @for (i, b) in cols.iter().enumerate() {
                @let x0 = left + step * i as f64;
                g {
                    title { (b.label) ": " (b.shown) }
                    rect.bar x=(x0 + step * 0.15) y=(top + plot_h - y(b.value)) width=(step * 0.7) height=(y(b.value)) {}
                    @if let Some(e) = b.earlier {
                        line.earlier x1=(x0 + step * 0.05) x2=(x0 + step * 0.95) y1=(top + plot_h - y(e)) y2=(top + plot_h - y(e)) {}
                    }
                    @if i % every == 0 {
                        text.label x=(x0 + step / 2.0) y=(top + plot_h + 14.0) text-anchor="middle" { (b.label) }
                    }
                }
            }
            (legend_row(legend, top + plot_h + 28.0))
        }
    }
}
