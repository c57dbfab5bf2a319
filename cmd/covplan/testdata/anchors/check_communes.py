#!/usr/bin/env python3
"""Check the hand-transcribed commune polygon files communes-<dep>.geojson against
communes-<dep>.csv and the département's official area. Exits 1 on any failure.

usage: python3 check_communes.py [--outline departements.geojson] DEP [DEP ...]
  e.g. python3 check_communes.py --outline \\
         /work/shared/data/france-communes-geojson/departements-version-simplifiee.geojson 12 48

Checks, per file:
  - valid JSON, a FeatureCollection, properties code/nom/population/area_km2/parts typed
    as in communes-48.geojson, geometry Polygon or MultiPolygon in WGS84 lon/lat;
  - exactly one feature per commune actuelle of communes-<dep>.csv, with the same nom and
    population, and no other feature; every code in `parts` listed once;
  - rings closed, >= 4 positions, coordinates rounded to 1e-4 degree;
  - no ring crosses itself, and no two rings of one feature cross (Polygon holes and
    MultiPolygon parts included: covplan rejects such a feature as self-intersecting);
  - area_km2 equals the area of the stored geometry (spherical, R = 6371008.8 m) to 0.01;
  - the sum of area_km2 is within 3 % of the official area below;
  - the bounding box lies inside the département's bounding box (from --outline, 0.02
    degree margin) and no segment is longer than 3 km (a mistyped digit shows up as a
    long jump);
  - (with --outline) every vertex is within 1.5 km of another commune's boundary or
    within 2.5 km of the département outline: a vertex far from both cannot be a
    source vertex of a shared or external boundary.
"""
import csv
import json
import math
import os
import sys

R = 6371008.8  # mean Earth radius, metres

# Official areas (km²), with the page they are quoted from.
OFFICIAL_KM2 = {
    "19": (5857.0, "https://fr.m.wikipedia.org/wiki/D%C3%A9partement_de_la_Corr%C3%A8ze (« Superficie 5 857 km2 »)"),
    "12": (8735.0, "https://fr.wikipedia.org/wiki/Aveyron_(d%C3%A9partement) (« Superficie 8 735 km2 »)"),
    "46": (5217.0, "https://lot.fr/portrait-du-lot (« répartis sur 5 217 km² »)"),
    "48": (5167.0, "https://fr.wikipedia.org/wiki/Loz%C3%A8re_(d%C3%A9partement) (« Superficie 5 167 km2 »)"),
}

HERE = os.path.dirname(os.path.abspath(__file__))


def ring_area_m2(ring):
    s = 0.0
    for (lo1, la1), (lo2, la2) in zip(ring, ring[1:]):
        s += math.radians(lo2 - lo1) * (2 + math.sin(math.radians(la1)) + math.sin(math.radians(la2)))
    return abs(s * R * R / 2)


def polygons(geom):
    return [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]


def to_xy(lon, lat, lat0):
    """Local equirectangular projection, metres."""
    return (math.radians(lon) * R * math.cos(math.radians(lat0)), math.radians(lat) * R)


def seg_cross(p1, p2, q1, q2):
    """True when segments p1p2 and q1q2 intersect in anything but a shared endpoint."""
    def orient(a, b, c):
        v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return 0 if v == 0 else (1 if v > 0 else -1)

    def on_seg(a, b, c):
        return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])

    shared = {tuple(p1), tuple(p2)} & {tuple(q1), tuple(q2)}
    o1, o2, o3, o4 = orient(p1, p2, q1), orient(p1, p2, q2), orient(q1, q2, p1), orient(q1, q2, p2)
    if shared:
        # adjacent segments: they may only meet at the shared point, i.e. not overlap collinearly
        if o1 == 0 and o2 == 0:
            others = [p for p in (p1, p2, q1, q2) if tuple(p) not in shared]
            return any(on_seg(p1, p2, o) and on_seg(q1, q2, o) for o in others)
        return False
    if o1 != o2 and o3 != o4:
        return True
    return ((o1 == 0 and on_seg(p1, p2, q1)) or (o2 == 0 and on_seg(p1, p2, q2)) or
            (o3 == 0 and on_seg(q1, q2, p1)) or (o4 == 0 and on_seg(q1, q2, p2)))


def crossings(rings):
    """Pairs of crossing segments among all rings of one feature (brute force, small n)."""
    segs = []
    for ri, ring in enumerate(rings):
        for i in range(len(ring) - 1):
            segs.append((ri, i, ring[i], ring[i + 1], len(ring) - 1))
    out = []
    for a in range(len(segs)):
        ra, ia, p1, p2, na = segs[a]
        for b in range(a + 1, len(segs)):
            rb, ib, q1, q2, nb = segs[b]
            if ra == rb and (ib == ia + 1 or (ia == 0 and ib == na - 1)):
                continue  # neighbours in the same ring share a vertex by construction
            if max(p1[0], p2[0]) < min(q1[0], q2[0]) or max(q1[0], q2[0]) < min(p1[0], p2[0]):
                continue
            if max(p1[1], p2[1]) < min(q1[1], q2[1]) or max(q1[1], q2[1]) < min(p1[1], p2[1]):
                continue
            if seg_cross(p1, p2, q1, q2) or (ra != rb and {tuple(p1), tuple(p2)} == {tuple(q1), tuple(q2)}):
                # two rings sharing a whole segment "run along" each other: covplan rejects that too
                out.append((ra, ia, rb, ib))
    return out


class SegIndex:
    """Grid of segments (metres) for nearest-distance queries."""

    def __init__(self, cell):
        self.cell = cell
        self.grid = {}

    def add(self, a, b, tag):
        c = self.cell
        for gx in range(int(min(a[0], b[0]) // c), int(max(a[0], b[0]) // c) + 1):
            for gy in range(int(min(a[1], b[1]) // c), int(max(a[1], b[1]) // c) + 1):
                self.grid.setdefault((gx, gy), []).append((a, b, tag))

    def nearest(self, p, skip, rmax):
        c = self.cell
        best = float("inf")
        gx0, gy0 = int(p[0] // c), int(p[1] // c)
        k = int(rmax // c) + 1
        for gx in range(gx0 - k, gx0 + k + 1):
            for gy in range(gy0 - k, gy0 + k + 1):
                for a, b, tag in self.grid.get((gx, gy), ()):
                    if tag == skip:
                        continue
                    best = min(best, point_seg(p, a, b))
        return best


def point_seg(p, a, b):
    dx, dy = b[0] - a[0], b[1] - a[1]
    L = dx * dx + dy * dy
    t = 0.0 if L == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / L))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def load_outline(path, dep):
    d = json.load(open(path, encoding="utf-8"))
    feats = d["features"] if d.get("type") == "FeatureCollection" else [d]
    for f in feats:
        if str(f["properties"].get("code")) == dep:
            return polygons(f["geometry"])
    return None


def check(dep, outline_path):
    errs = []
    path = os.path.join(HERE, "communes-%s.geojson" % dep)
    try:
        d = json.load(open(path, encoding="utf-8"))
    except (OSError, ValueError) as e:
        return ["%s: not valid JSON: %s" % (path, e)], {}
    if d.get("type") != "FeatureCollection":
        return ["%s: not a FeatureCollection" % path], {}
    rows = {r["code_insee"]: r for r in csv.DictReader(open(os.path.join(HERE, "communes-%s.csv" % dep), encoding="utf-8"))}
    seen, parts_seen = {}, {}
    lat0 = None
    total, nvert, maxseg = 0.0, 0, (0.0, "")
    bbox = [180, 90, -180, -90]
    for f in d["features"]:
        p, g = f.get("properties") or {}, f.get("geometry") or {}
        code = p.get("code")
        where = "%s: feature %s" % (os.path.basename(path), code)
        if not isinstance(code, str) or not isinstance(p.get("nom"), str) or \
                not isinstance(p.get("population"), int) or not isinstance(p.get("area_km2"), (int, float)) or \
                not isinstance(p.get("parts"), str):
            errs.append("%s: properties code/nom/population/area_km2/parts missing or mistyped" % where)
            continue
        if code in seen:
            errs.append("%s: duplicate feature" % where)
        seen[code] = f
        r = rows.get(code)
        if r is None:
            errs.append("%s: not a commune actuelle of communes-%s.csv" % (where, dep))
        else:
            if r["nom"] != p["nom"]:
                errs.append("%s: nom %r, csv says %r" % (where, p["nom"], r["nom"]))
            if str(p["population"]) != r["population"]:
                errs.append("%s: population %s, csv says %s" % (where, p["population"], r["population"]))
        for old in p["parts"].split():
            if old in parts_seen:
                errs.append("%s: part %s also in %s" % (where, old, parts_seen[old]))
            parts_seen[old] = code
        if not p["parts"] or any(len(c) != 5 or not c.startswith(dep) for c in p["parts"].split()):
            errs.append("%s: parts %r is not a list of the source's commune codes" % (where, p["parts"]))
        if g.get("type") not in ("Polygon", "MultiPolygon"):
            errs.append("%s: geometry type %r" % (where, g.get("type")))
            continue
        area = 0.0
        rings, ring_poly = [], []
        for pi, poly in enumerate(polygons(g)):
            for k, ring in enumerate(poly):
                ring_poly.append(pi)
                if len(ring) < 4 or ring[0] != ring[-1]:
                    errs.append("%s: ring not closed or < 4 positions" % where)
                for lon, lat in ring:
                    if round(lon, 4) != lon or round(lat, 4) != lat:
                        errs.append("%s: coordinate %s,%s not rounded to 1e-4" % (where, lon, lat))
                    bbox = [min(bbox[0], lon), min(bbox[1], lat), max(bbox[2], lon), max(bbox[3], lat)]
                a = ring_area_m2(ring)
                area += a if k == 0 else -a
                rings.append(ring)
                nvert += len(ring) - 1
        if lat0 is None:
            lat0 = rings[0][0][1]
        merged, overlaps = len(p["parts"].split()) > 1, set()
        for ra, ia, rb, ib in crossings(rings):
            if merged and ring_poly[ra] != ring_poly[rb]:
                # two former communes merged into one, decimated on their own: they overlap
                # along their shared edge, which covplan rejects as a self-intersection
                overlaps.add((ring_poly[ra], ring_poly[rb]))
            else:
                errs.append("%s: segment %d of ring %d crosses segment %d of ring %d" % (where, ia, ra, ib, rb))
        for pa, pb in sorted(overlaps):
            errs.append("%s: parts %d and %d (former communes) overlap along their shared edge" % (where, pa, pb))
        for ring in rings:
            for a, b in zip(ring, ring[1:]):
                L = math.hypot(*[u - v for u, v in zip(to_xy(*a, lat0), to_xy(*b, lat0))])
                if L > maxseg[0]:
                    maxseg = (L, "%s %s-%s" % (code, a, b))
        area /= 1e6
        if abs(area - p["area_km2"]) > 0.01:
            errs.append("%s: area_km2 %.2f, stored geometry has %.2f" % (where, p["area_km2"], area))
        total += p["area_km2"]
    for code in sorted(set(rows) - set(seen)):
        errs.append("communes-%s.geojson: no feature for %s %s" % (dep, code, rows[code]["nom"]))
    if maxseg[0] > 3000:
        errs.append("communes-%s.geojson: segment of %.0f m (> 3 km) at %s" % (dep, maxseg[0], maxseg[1]))
    official, src = OFFICIAL_KM2.get(dep, (None, None))
    if official is None:
        errs.append("no official area recorded for %s" % dep)
    elif abs(total - official) / official > 0.03:
        errs.append("communes-%s.geojson: sum of areas %.1f km2 is %.1f %% off the official %.0f km2"
                    % (dep, total, 100 * (total - official) / official, official))
    stats = {"features": len(seen), "vertices": nvert, "area_km2": round(total, 1),
             "official_km2": official, "official_source": src,
             "diff_pct": round(100 * (total - official) / official, 2) if official else None,
             "max_segment_m": round(maxseg[0]), "bbox": [round(v, 4) for v in bbox]}
    if outline_path:
        out = load_outline(outline_path, dep)
        if out is None:
            errs.append("outline for %s not found in %s" % (dep, outline_path))
        else:
            ob = [min(x for poly in out for ring in poly for x, _ in ring), min(y for poly in out for ring in poly for _, y in ring),
                  max(x for poly in out for ring in poly for x, _ in ring), max(y for poly in out for ring in poly for _, y in ring)]
            m = 0.02
            if bbox[0] < ob[0] - m or bbox[1] < ob[1] - m or bbox[2] > ob[2] + m or bbox[3] > ob[3] + m:
                errs.append("communes-%s.geojson: bbox %s not inside the département's %s" % (dep, bbox, ob))
            idx, oidx = SegIndex(2000.0), SegIndex(2000.0)
            for code, f in seen.items():
                for pi, poly in enumerate(polygons(f["geometry"])):
                    for ring in poly:
                        for a, b in zip(ring, ring[1:]):
                            idx.add(to_xy(*a, lat0), to_xy(*b, lat0), (code, pi))
            for poly in out:
                for ring in poly:
                    for a, b in zip(ring, ring[1:]):
                        oidx.add(to_xy(*a, lat0), to_xy(*b, lat0), None)
            worst = (0.0, "")
            for code, f in seen.items():
                for pi, poly in enumerate(polygons(f["geometry"])):
                    for ring in poly:
                        for v in ring[:-1]:
                            q = to_xy(*v, lat0)
                            dn = idx.nearest(q, (code, pi), 1500.0)
                            if dn <= 1500.0:
                                continue
                            do = oidx.nearest(q, "x", 2500.0)
                            if do > 2500.0:
                                errs.append("communes-%s.geojson: %s vertex %s is more than 1.5 km from any other commune and "
                                            "2.5 km from the outline" % (dep, code, v))
                            worst = max(worst, (do, "%s %s" % (code, v)))
            stats["max_outline_only_vertex_m"] = round(worst[0]) if worst[0] < float("inf") else None
    return errs, stats


def main(argv):
    outline = None
    if len(argv) > 1 and argv[0] == "--outline":
        outline, argv = argv[1], argv[2:]
    if not argv:
        print(__doc__)
        return 2
    bad = 0
    for dep in argv:
        errs, stats = check(dep, outline)
        print("communes-%s.geojson: %s" % (dep, json.dumps(stats, ensure_ascii=False)))
        for e in errs:
            print("  FAIL " + e)
        bad += len(errs)
    print("%d failed checks" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
