#!/usr/bin/env python3
"""Crops Natural Earth admin-0 country borders to the centre's region, for the map module.

Input: countries-50m.json of the npm package world-atlas 2.0.2 (Natural Earth 4.1.0, 1:50m, as
TopoJSON; Natural Earth is in the public domain). Output: region.txt, one line per ring,
`CODE lon,lat lon,lat ...` in degrees (two decimals), where CODE is the ISO 3166-1 alpha-2 code
for the countries named below and `--` for the rest. Rings wholly outside the frame are dropped;
points outside it are clamped to its edge (the map is drawn inside the frame, so the clamped part
is never seen), consecutive repeats removed and the rest simplified (Douglas-Peucker).

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 tools/map/crop_region.py package/countries-50m.json > crates/map/data/region.txt
"""
import json
import sys

# The frame, in degrees: lon west, lon east, lat south, lat north (padded around the view).
WEST, EAST, SOUTH, NORTH = 18.0, 102.0, 22.0, 68.0
TOLERANCE = 0.1  # degrees, for the simplification

# ISO 3166-1 numeric → alpha-2, for the countries the map names.
CODES = {
    "398": "KZ", "417": "KG", "762": "TJ", "795": "TM", "860": "UZ", "643": "RU", "031": "AZ",
    "004": "AF", "364": "IR", "156": "CN", "586": "PK", "051": "AM", "268": "GE", "792": "TR",
    "356": "IN", "496": "MN", "804": "UA", "112": "BY", "233": "EE", "428": "LV", "440": "LT",
    "246": "FI", "368": "IQ", "760": "SY", "682": "SA", "784": "AE", "512": "OM", "634": "QA",
    "048": "BH", "414": "KW", "400": "JO", "376": "IL", "422": "LB", "196": "CY", "642": "RO",
    "498": "MD", "100": "BG", "300": "GR", "524": "NP", "064": "BT", "616": "PL",
}


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring_points(arcs, ring):
    pts = []
    for i in ring:
        a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts.extend(a if not pts else a[1:])
    return pts


def simplify(pts, tol):
    if len(pts) < 4:
        return pts
    def dist(p, a, b):
        (x, y), (x1, y1), (x2, y2) = p, a, b
        dx, dy = x2 - x1, y2 - y1
        if dx == 0 and dy == 0:
            return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
        t = max(0, min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
        return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        s, e = stack.pop()
        best, idx = 0.0, None
        for i in range(s + 1, e):
            d = dist(pts[i], pts[s], pts[e])
            if d > best:
                best, idx = d, i
        if idx is not None and best > tol:
            keep[idx] = True
            stack += [(s, idx), (idx, e)]
    return [p for p, k in zip(pts, keep) if k]


def main(path):
    topo = json.load(open(path))
    arcs = decode_arcs(topo)
    out = []
    for g in topo["objects"]["countries"]["geometries"]:
        code = CODES.get(g.get("id"), "--")
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]] if g["type"] == "Polygon" else []
        for poly in polys:
            for ring in poly:
                pts = ring_points(arcs, ring)
                xs = [p[0] for p in pts]
                ys = [p[1] for p in pts]
                if max(xs) < WEST or min(xs) > EAST or max(ys) < SOUTH or min(ys) > NORTH:
                    continue
                clamped = [(min(max(x, WEST), EAST), min(max(y, SOUTH), NORTH)) for x, y in pts]
                rounded = []
                for x, y in simplify(clamped, TOLERANCE):
                    p = (round(x, 2), round(y, 2))
                    if not rounded or rounded[-1] != p:
                        rounded.append(p)
                if len(rounded) >= 4:
                    out.append(code + " " + " ".join(f"{x:g},{y:g}" for x, y in rounded))
    out.sort(key=lambda l: l[:2])
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
