package render

import (
	"math"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// The map is drawn by the page's own canvas renderer (web/map.js), which
// draws a national plan's 35,000 zones in a fraction of a second. Its
// outlines come in the "cp-geo" block: each zone's rings as flat arrays of
// integer coordinates in units of 1e-5° (about a metre), the first point
// absolute and the others as differences from the previous one, which
// keeps the page small. Outlines are simplified to a vertex budget so that
// a national plan still gives a page of reasonable size.

// coordScale is the number of coordinate units per degree in the page's
// outlines and lines.
const coordScale = 100000

// mapName is the name the comparison, sweep and batch pages register the
// zones under with echarts.registerMap (zoneMap.GeoJSON).
const mapName = "covplan-zones"

// coordDecimals is the precision of lon/lat in the page: 1e-5° ≈ 1.1 m.
const coordDecimals = 5

// zoneMap is the zones' outlines ready for the page.
type zoneMap struct {
	JSON []byte // {"scale": coordScale, "bound": [w, s, e, n], "z": [rings or null per input zone]}
	// GeoJSON is the same outlines as a FeatureCollection whose feature
	// property "name" is the zone index, for the pages that draw maps with
	// echarts (comparison, sweep, batch).
	GeoJSON       []byte
	Zones         int // zones with an outline
	Vertices      int // vertices written
	TotalVertices int // vertices of the outlines as given
	ToleranceDeg  float64
	// Bound is the box of every outline (lon/lat); Label is each zone's
	// label point (labelPoint; NaN for a zone without an outline), aligned
	// with the input zones.
	Bound orb.Bound
	Label []orb.Point
}

// buildZoneMap writes the outlines of geoms (lon/lat, aligned with the
// input zones; nil entries are null) for the page's map, simplified with
// Douglas-Peucker at a tolerance that keeps at most maxVertices vertices. A
// zone whose outline collapses keeps its bounding box, so that every zone
// stays visible and can be pointed at.
//
// The tolerance is searched on an even sample of the zones (growing by
// 25 % from 1e-5°), then checked on all of them, so that a national map
// costs a few passes over its outlines.
func buildZoneMap(geoms []orb.Geometry, maxVertices int) zoneMap {
	var zm zoneMap
	for _, g := range geoms {
		zm.TotalVertices += countVertices(g)
	}
	tol := 0.0
	polys := simplifyAll(geoms, tol)
	if n := countAll(polys); n > maxVertices {
		sample, sampleVerts := sampleGeoms(geoms, 2000)
		scale := float64(n) / float64(max(sampleVerts, 1))
		tol = 1e-5
		for tol < 1 && float64(countAll(simplifyAll(sample, tol)))*scale > float64(maxVertices) {
			tol *= 1.25
		}
		polys = simplifyAll(geoms, tol)
		for tol < 1 && countAll(polys) > maxVertices {
			tol *= 1.25
			polys = simplifyAll(geoms, tol)
		}
	}
	zm.ToleranceDeg = tol
	zm.Label = make([]orb.Point, len(geoms))
	first := true
	for i, mp := range polys {
		zm.Label[i] = orb.Point{math.NaN(), math.NaN()}
		if len(mp) == 0 {
			continue
		}
		zm.Label[i] = labelPoint(geoms[i])
		if first {
			zm.Bound, first = mp.Bound(), false
		} else {
			zm.Bound = zm.Bound.Union(mp.Bound())
		}
	}
	w := &jsonWriter{b: make([]byte, 0, 64+countAll(polys)*8)}
	w.raw(`{"scale":`)
	w.int(coordScale)
	w.key("bound", false)
	writeBound(w, zm.Bound)
	w.raw(`,"z":[`)
	for i, mp := range polys {
		if i > 0 {
			w.raw(",")
		}
		if len(mp) == 0 {
			w.raw("null")
			continue
		}
		zm.Zones++
		w.raw("[")
		first := true
		for _, p := range mp {
			for _, r := range p {
				if !first {
					w.raw(",")
				}
				first = false
				zm.Vertices += len(r)
				writeRing(w, r)
			}
		}
		w.raw("]")
	}
	w.raw("]}")
	zm.JSON = w.b
	zm.GeoJSON = geoJSON(polys)
	return zm
}

// geoJSON writes outlines as a FeatureCollection named by zone index,
// coordinates as rounded; zones without an outline are left out.
func geoJSON(polys []orb.MultiPolygon) []byte {
	buf := make([]byte, 0, 64+countAll(polys)*20)
	buf = append(buf, `{"type":"FeatureCollection","features":[`...)
	first := true
	for i, mp := range polys {
		if len(mp) == 0 {
			continue
		}
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = append(buf, `{"type":"Feature","properties":{"name":"`...)
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, `"},"geometry":{"type":"MultiPolygon","coordinates":[`...)
		for pi, p := range mp {
			if pi > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, '[')
			for ri, r := range p {
				if ri > 0 {
					buf = append(buf, ',')
				}
				buf = append(buf, '[')
				for k, pt := range r {
					if k > 0 {
						buf = append(buf, ',')
					}
					buf = append(buf, '[')
					buf = strconv.AppendFloat(buf, roundTo(pt[0], coordDecimals), 'f', -1, 64)
					buf = append(buf, ',')
					buf = strconv.AppendFloat(buf, roundTo(pt[1], coordDecimals), 'f', -1, 64)
					buf = append(buf, ']')
				}
				buf = append(buf, ']')
			}
			buf = append(buf, ']')
		}
		buf = append(buf, `]}}`...)
	}
	return append(buf, `]}`...)
}

// writeBound writes a box as [west, south, east, north] in degrees.
func writeBound(w *jsonWriter, b orb.Bound) {
	v := [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
	w.nums(len(v), coordDecimals, func(i int) float64 { return v[i] })
}

// writeRing writes a ring or line as a flat array of integer coordinates
// (coordScale units): the first point, then each point's difference from
// the previous one.
func writeRing(w *jsonWriter, r []orb.Point) {
	w.raw("[")
	var px, py int64
	for k, pt := range r {
		x, y := int64(math.Round(pt[0]*coordScale)), int64(math.Round(pt[1]*coordScale))
		if k > 0 {
			w.raw(",")
		}
		w.b = strconv.AppendInt(w.b, x-px, 10)
		w.raw(",")
		w.b = strconv.AppendInt(w.b, y-py, 10)
		px, py = x, y
	}
	w.raw("]")
}

// sampleGeoms takes about n geometries evenly from geoms, and their
// vertices.
func sampleGeoms(geoms []orb.Geometry, n int) ([]orb.Geometry, int) {
	step := max(1, len(geoms)/n)
	var out []orb.Geometry
	verts := 0
	for i := 0; i < len(geoms); i += step {
		out = append(out, geoms[i])
		verts += countVertices(geoms[i])
	}
	return out, verts
}

func countVertices(g orb.Geometry) int {
	n := 0
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			n += len(r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				n += len(r)
			}
		}
	}
	return n
}

func countAll(polys []orb.MultiPolygon) int {
	n := 0
	for _, mp := range polys {
		n += countVertices(mp)
	}
	return n
}

// simplifyAll returns every zone as a MultiPolygon of rounded, deduplicated,
// closed rings, simplified at tol degrees (0: rounding only). Zones without
// a polygonal geometry, or with non-finite coordinates, are empty.
func simplifyAll(geoms []orb.Geometry, tol float64) []orb.MultiPolygon {
	out := make([]orb.MultiPolygon, len(geoms))
	for i, g := range geoms {
		var mp orb.MultiPolygon
		switch g := g.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		default:
			continue
		}
		if !finiteLL(mp) {
			continue
		}
		mp = mp.Clone()
		if tol > 0 {
			mp = simplify.DouglasPeucker(tol).MultiPolygon(mp)
		}
		mp = cleanMultiPolygon(mp)
		if len(mp) == 0 {
			mp = boundRing(g.Bound())
		}
		out[i] = mp
	}
	return out
}

func finiteLL(mp orb.MultiPolygon) bool {
	for _, p := range mp {
		for _, r := range p {
			for _, pt := range r {
				if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || math.IsInf(pt[0], 0) || math.IsInf(pt[1], 0) {
					return false
				}
			}
		}
	}
	return true
}

// cleanMultiPolygon rounds coordinates, drops consecutive duplicates, closes
// rings and drops rings with fewer than 4 points (holes) or polygons whose
// outer ring collapsed.
func cleanMultiPolygon(mp orb.MultiPolygon) orb.MultiPolygon {
	out := mp[:0]
	for _, p := range mp {
		q := p[:0]
		for ri, r := range p {
			c := cleanRing(r)
			if len(c) < 4 {
				if ri == 0 {
					break // outer ring collapsed: drop the polygon
				}
				continue
			}
			q = append(q, c)
		}
		if len(q) > 0 && len(q[0]) >= 4 {
			out = append(out, q)
		}
	}
	return out
}

func cleanRing(r orb.Ring) orb.Ring {
	out := orb.Ring(appendRounded(make([]orb.Point, 0, len(r)+1), r))
	if len(out) > 0 && out[0] != out[len(out)-1] {
		out = append(out, out[0])
	}
	return out
}

// appendRounded appends pts to out rounded to coordDecimals, without
// consecutive duplicates.
func appendRounded(out, pts []orb.Point) []orb.Point {
	for _, pt := range pts {
		pt = orb.Point{roundTo(pt[0], coordDecimals), roundTo(pt[1], coordDecimals)}
		if len(out) > 0 && out[len(out)-1] == pt {
			continue
		}
		out = append(out, pt)
	}
	return out
}

// boundRing is a zone's bounding box as a polygon, at least 2e-5° wide so
// that it survives rounding.
func boundRing(b orb.Bound) orb.MultiPolygon {
	if b.IsEmpty() && b.Min == b.Max {
		b = b.Pad(1e-5)
	}
	if b.Max[0]-b.Min[0] < 2e-5 || b.Max[1]-b.Min[1] < 2e-5 {
		b = b.Pad(1e-5)
	}
	r := orb.Ring{b.Min, {b.Max[0], b.Min[1]}, b.Max, {b.Min[0], b.Max[1]}, b.Min}
	c := cleanRing(r)
	if len(c) < 4 {
		return nil
	}
	return orb.MultiPolygon{{c}}
}
