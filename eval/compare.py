#!/usr/bin/env python3
"""Runs Pamir's matcher and the tools a user would otherwise pick on the same evaluation set, in
one invocation, and prints per-category recall@1, recall@5 and false-match rate, each tool's
time, and Pamir's ratios to the others. See eval/README.md.

    python3 eval/compare.py [--pamir target/release/pamir] [--data eval/data]
                            [--tools pamir,nomenklatura,rapidfuzz] [--threshold T]

Pamir runs as `pamir match --index --queries` (its own blocking and scoring). The Python tools
have no index of their own here, so each query's candidates are the 50 index names closest to
it by rapidfuzz `token_sort_ratio` on ASCII-transliterated names (rigour's `ascii_text`); the
share of queries whose true match is among them is printed as the blocking recall. Those
candidates are then scored by nomenklatura's `logic-v2` algorithm (the engine behind yente),
threshold 0.7, and by rapidfuzz `token_sort_ratio` / 100, threshold 0.85. Neither baseline
is given birth dates beyond what nomenklatura itself reads from the entities.

nomenklatura and rapidfuzz come from PyPI (`pip install nomenklatura rapidfuzz`); a tool that is
not installed is reported as skipped.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run_pamir(binary, data, threshold):
    cmd = [binary, "match", "--index", os.path.join(data, "index.jsonl"),
           "--queries", os.path.join(data, "queries.jsonl"), "--top", "5"]
    if threshold is not None:
        cmd += ["--threshold", str(threshold)]
    started = time.time()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    elapsed = time.time() - started
    results = {}
    for line in out.stdout.splitlines():
        row = json.loads(line)
        results[row["query"]] = [(m["id"], m["score"], m.get("explanation", "")) for m in row["matches"]]
    return results, elapsed


def names_of(entity):
    props = entity.get("properties", {})
    return props.get("name", []) or [" ".join(props.get("firstName", []) + props.get("lastName", []))]


def python_tools(index, queries, tools, blocking_size=50):
    """Shared blocking, then each tool's scoring. Returns {tool: (results, seconds)} and the
    blocking time."""
    from rapidfuzz import fuzz, process
    try:
        from rigour.text.scripts import ascii_text  # type: ignore
    except ImportError:  # older rigour
        from normality import ascii_text  # type: ignore

    def fold(text):
        return (ascii_text(text) or "").lower()

    choices = [fold(names_of(e)[0]) for e in index]
    started = time.time()
    candidates = {}
    for q in queries:
        hits = process.extract(fold(names_of(q)[0]), choices, scorer=fuzz.token_sort_ratio,
                               limit=blocking_size)
        candidates[q["id"]] = [(index[i]["id"], score) for _, score, i in hits]
    blocking_seconds = time.time() - started
    by_id = {e["id"]: e for e in index}
    out = {}
    if "rapidfuzz" in tools:
        started = time.time()
        res = {}
        for q in queries:
            scored = [(cid, s / 100.0, "") for cid, s in candidates[q["id"]] if s / 100.0 >= 0.85]
            scored.sort(key=lambda x: -x[1])
            res[q["id"]] = scored[:5]
        out["rapidfuzz"] = (res, time.time() - started + blocking_seconds)
    if "nomenklatura" in tools:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig
        algorithm = get_algorithm("logic-v2")
        config = ScoringConfig.defaults()

        def proxy(e):
            p = model.make_entity(e["schema"])
            p.id = e["id"]
            for prop, values in e.get("properties", {}).items():
                for v in values:
                    p.add(prop, v, quiet=True)
            return p

        proxies = {}
        started = time.time()
        res = {}
        for q in queries:
            qp = proxy(q)
            scored = []
            for cid, _ in candidates[q["id"]]:
                cp = proxies.get(cid)
                if cp is None:
                    cp = proxies[cid] = proxy(by_id[cid])
                score = algorithm.compare(qp, cp, config).score
                if score >= 0.7:
                    scored.append((cid, score, ""))
            scored.sort(key=lambda x: -x[1])
            res[q["id"]] = scored[:5]
        out["nomenklatura"] = (res, time.time() - started + blocking_seconds)
    blocking_recall = candidates
    return out, blocking_recall


def evaluate(results, truth):
    """Per category: (n, recall@1, recall@5, false-match rate)."""
    per = defaultdict(lambda: {"n": 0, "r1": 0, "r5": 0, "false": 0, "negative": False})
    for t in truth:
        row = per[t["category"]]
        row["n"] += 1
        found = results.get(t["query"], [])
        if t["expected"] is None:
            row["negative"] = True
            if found:
                row["false"] += 1
        else:
            ids = [m[0] for m in found]
            if ids[:1] == [t["expected"]]:
                row["r1"] += 1
            if t["expected"] in ids[:5]:
                row["r5"] += 1
            if ids and ids[0] != t["expected"]:
                row["false"] += 1
    return per


def totals(per):
    pos = [r for r in per.values() if not r["negative"]]
    neg = [r for r in per.values() if r["negative"]]
    n_pos = sum(r["n"] for r in pos)
    n_neg = sum(r["n"] for r in neg)
    return {
        "recall@1": sum(r["r1"] for r in pos) / max(1, n_pos),
        "recall@5": sum(r["r5"] for r in pos) / max(1, n_pos),
        "false_pos": sum(r["false"] for r in pos) / max(1, n_pos),
        "false_neg": sum(r["false"] for r in neg) / max(1, n_neg),
    }


def print_table(name, per, seconds, queries):
    print(f"\n== {name}: {seconds:.2f} s for {queries} queries ({queries / max(seconds, 1e-9):.0f}/s)")
    print(f"{'category':32} {'n':>5} {'recall@1':>9} {'recall@5':>9} {'false':>7}")
    for cat, r in per.items():
        if r["negative"]:
            print(f"{cat:32} {r['n']:>5} {'':>9} {'':>9} {r['false'] / r['n']:>7.3f}")
        else:
            print(f"{cat:32} {r['n']:>5} {r['r1'] / r['n']:>9.3f} {r['r5'] / r['n']:>9.3f} "
                  f"{r['false'] / r['n']:>7.3f}")
    t = totals(per)
    print(f"{'ALL positives':32} {'':>5} {t['recall@1']:>9.3f} {t['recall@5']:>9.3f} {t['false_pos']:>7.3f}")
    print(f"{'ALL hard negatives':32} {'':>5} {'':>9} {'':>9} {t['false_neg']:>7.3f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pamir", default=os.path.join(HERE, "..", "target", "release", "pamir"))
    ap.add_argument("--data", default=os.path.join(HERE, "data"))
    ap.add_argument("--tools", default="pamir,nomenklatura,rapidfuzz")
    ap.add_argument("--threshold", type=float, default=None, help="Pamir's threshold (default: its own)")
    ap.add_argument("--misses", type=int, default=0, help="print this many of Pamir's misses per category")
    args = ap.parse_args()
    tools = args.tools.split(",")
    index = read_jsonl(os.path.join(args.data, "index.jsonl"))
    queries = read_jsonl(os.path.join(args.data, "queries.jsonl"))
    truth = read_jsonl(os.path.join(args.data, "truth.jsonl"))
    print(f"{len(index)} index persons, {len(queries)} queries")
    summary = {}
    if "pamir" in tools:
        results, seconds = run_pamir(args.pamir, args.data, args.threshold)
        per = evaluate(results, truth)
        print_table("pamir", per, seconds, len(queries))
        summary["pamir"] = (totals(per), seconds)
        if args.misses:
            qtext = {q["id"]: q for q in queries}
            itext = {e["id"]: e for e in index}
            shown = defaultdict(int)
            for t in truth:
                found = results.get(t["query"], [])
                ok = (not found) if t["expected"] is None else (found[:1] and found[0][0] == t["expected"])
                if ok or shown[t["category"]] >= args.misses:
                    continue
                shown[t["category"]] += 1
                q = qtext[t["query"]]["properties"]
                target = t["expected"] or t.get("confusable")
                e = itext[target]["properties"]
                print(f"\n  MISS {t['category']} ({t['written']}): {q['name']} {q.get('birthDate')} "
                      f"-> {e['name']} {e.get('birthDate')}")
                for m in found[:3]:
                    print(f"     got {m[0]} {m[1]} {m[2]}")
    others = [t for t in tools if t in ("nomenklatura", "rapidfuzz")]
    if others:
        try:
            out, candidates = python_tools(index, queries, others)
        except ImportError as e:
            print(f"\nskipped {', '.join(others)}: {e} (pip install nomenklatura rapidfuzz)")
            out, candidates = {}, {}
        if candidates:
            positives = [t for t in truth if t["expected"]]
            hit = sum(1 for t in positives if t["expected"] in [c for c, _ in candidates[t["query"]]])
            print(f"\nblocking recall of the Python tools' shared candidates (top 50): "
                  f"{hit / max(1, len(positives)):.3f}")
        for name, (results, seconds) in out.items():
            per = evaluate(results, truth)
            print_table(name, per, seconds, len(queries))
            summary[name] = (totals(per), seconds)
    if "pamir" in summary and len(summary) > 1:
        p, ps = summary["pamir"]
        print("\n== Pamir relative to each tool")
        print(f"{'tool':14} {'recall@1':>10} {'false(neg)':>11} {'speed':>8}")
        for name, (t, secs) in summary.items():
            if name == "pamir":
                continue
            r1 = p["recall@1"] / t["recall@1"] if t["recall@1"] else float("inf")
            fn = (f"{p['false_neg'] / t['false_neg']:.2f}x" if t["false_neg"] else "n/a")
            print(f"{name:14} {r1:>9.2f}x {fn:>11} {secs / max(ps, 1e-9):>7.1f}x")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
