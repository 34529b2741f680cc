//! `pamir match`: batch matching of FtM JSON lines against an index file, for analysts and for
//! evaluation. Prints one JSON line per query, best matches first.

use std::{
    fs::File,
    io::{BufRead, BufReader, BufWriter, Write},
    path::{Path, PathBuf},
    process::ExitCode,
};

use anyhow::{bail, Context};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use pamir_match::{Index, Prepared, Record, Scratch, SearchOptions};
use serde_json::{json, Value};

#[derive(Args)]
pub struct MatchArgs {
    /// FtM JSON lines to match against (Person, Organization, Company, Vehicle; others are skipped).
    #[arg(long, value_name = "INDEX.jsonl")]
    pub index: PathBuf,
    /// FtM JSON lines to look for in the index.
    #[arg(long, value_name = "QUERIES.jsonl")]
    pub queries: PathBuf,
    /// Most matches printed per query.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Lowest score printed, in [0, 1] (default: the server's `matching.threshold`, 0.7 unless
    /// configured).
    #[arg(long)]
    pub threshold: Option<f32>,
    /// Write here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Queries read and answered per round, so memory stays bounded whatever the file's size.
const ROUND: usize = 8192;

fn bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template(&format!(
        "{{spinner}} {what} [{{elapsed_precise}}] {{bar:30}} {{bytes}}/{{total_bytes}} ({{bytes_per_sec}}) {{msg}}"
    ))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// Reads FtM lines, calling `f` with each line's number, id and record (`None` for schemata
/// that are not matched). A line that is not an entity stops with its line number.
fn read_lines(
    path: &Path,
    what: &str,
    mut f: impl FnMut(usize, String, Option<Record>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let progress = bar(size, what);
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line = String::new();
    let mut number = 0usize;
    loop {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .with_context(|| format!("{}: cannot read line {}", path.display(), number + 1))?;
        if n == 0 {
            break;
        }
        number += 1;
        progress.inc(n as u64);
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(text)
            .with_context(|| format!("{} line {number}: not JSON", path.display()))?;
        let (id, record) = Record::from_ftm_json(&value)
            .map_err(|e| anyhow::anyhow!("{} line {number}: {e}", path.display()))?;
        f(number, id, record)?;
    }
    progress.finish_and_clear();
    Ok(())
}

pub fn run(data: &crate::DataArgs, args: MatchArgs) -> anyhow::Result<ExitCode> {
    let configured = crate::commands::load_config(data, None)?.matching.threshold as f32;
    let threshold = args.threshold.unwrap_or(configured);
    if !(0.0..=1.0).contains(&threshold) {
        bail!("--threshold must be between 0 and 1");
    }
    let started = std::time::Instant::now();
    let mut index = Index::new();
    let mut skipped = 0usize;
    let mut duplicates = 0usize;
    read_lines(&args.index, "index", |_, id, record| {
        if index.contains(&id) {
            duplicates += 1;
        }
        match record {
            Some(r) if index.insert(&id, &r) => {}
            _ => skipped += 1,
        }
        Ok(())
    })?;
    index.shrink();
    eprintln!(
        "indexed {} records ({} words) in {:.1} s; {skipped} skipped (schemata not matched, or nothing to match on)",
        index.len(),
        index.words(),
        started.elapsed().as_secs_f64()
    );
    if duplicates > 0 {
        eprintln!("warning: {duplicates} ids appear more than once in the index; the last line of each is used");
    }
    let out: Box<dyn Write> = match &args.output {
        Some(p) => {
            Box::new(File::create(p).with_context(|| format!("cannot create {}", p.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(out);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let options = SearchOptions {
        top: args.top,
        threshold,
        exclude: None,
    };
    let mut pending: Vec<(String, Option<Prepared>)> = Vec::with_capacity(ROUND);
    let mut answered = 0usize;
    let query_started = std::time::Instant::now();
    let mut flush = |pending: &mut Vec<(String, Option<Prepared>)>,
                     out: &mut BufWriter<Box<dyn Write>>|
     -> anyhow::Result<()> {
        let chunk = pending.len().div_ceil(threads).max(1);
        let results: Vec<Vec<String>> = std::thread::scope(|s| {
            let handles: Vec<_> = pending
                .chunks(chunk)
                .map(|part| {
                    let index = &index;
                    s.spawn(move || {
                        let mut scratch = Scratch::default();
                        part.iter()
                            .map(|(id, prepared)| {
                                let matches = prepared
                                    .as_ref()
                                    .map(|p| index.search(p, &options, &mut scratch))
                                    .unwrap_or_default();
                                let list: Vec<Value> = matches
                                    .into_iter()
                                    .map(|m| {
                                        json!({
                                            "id": m.id,
                                            "score": (f64::from(m.score) * 1000.0).round() / 1000.0,
                                            "explanation": m.explanation,
                                        })
                                    })
                                    .collect();
                                json!({"query": id, "matches": list}).to_string()
                            })
                            .collect::<Vec<String>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        for line in results.into_iter().flatten() {
            writeln!(out, "{line}")?;
        }
        answered += pending.len();
        pending.clear();
        Ok(())
    };
    let mut unmatchable = 0usize;
    read_lines(&args.queries, "queries", |_, id, record| {
        let prepared = record.as_ref().and_then(|r| index.prepare(r));
        if prepared.is_none() {
            unmatchable += 1;
        }
        pending.push((id, prepared));
        if pending.len() >= ROUND {
            flush(&mut pending, &mut out)?;
        }
        Ok(())
    })?;
    flush(&mut pending, &mut out)?;
    out.flush()?;
    let secs = query_started.elapsed().as_secs_f64();
    if unmatchable > 0 {
        eprintln!(
            "warning: {unmatchable} queries had nothing to match on (a schema that is not matched, or no name or number); their lines list no matches"
        );
    }
    eprintln!(
        "answered {answered} queries in {secs:.2} s ({:.0}/s)",
        answered as f64 / secs.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}
