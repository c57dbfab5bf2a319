package render

import (
	"math"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"

	"github.com/covplan/covplan/coverage"
)

// The map registers the zones as a custom echarts map (a GeoJSON object
// whose feature names are zone indexes), colours them by chosen technology
// and draws a sample of premises on top. Coordinates are rounded to 1e-5°
// (about a metre) and outlines are simplified to a vertex budget so that a
// national plan still gives a page of reasonable size.

// mapName is the name the zones are registered under with echarts.registerMap.
const mapName = "covplan-zones"

// coordDecimals is the precision of lon/lat in the page: 1e-5° ≈ 1.1 m.
const coordDecimals = 5

// zoneMap is the zones' outlines ready for the page.
type zoneMap struct {
	GeoJSON       []byte // a FeatureCollection; feature property "name" is the zone index
	Zones         int    // zones with an outline
	Vertices      int    // vertices written
	TotalVertices int    // vertices of the outlines as given
	ToleranceDeg  float64
}

// buildZoneMap writes the outlines of geoms (lon/lat, aligned with the
// input zones; nil entries are skipped) as GeoJSON, simplified with
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
		zm.Zones++
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
					buf = appendLL(buf, pt[0])
					buf = append(buf, ',')
					buf = appendLL(buf, pt[1])
					buf = append(buf, ']')
					zm.Vertices++
				}
				buf = append(buf, ']')
			}
			buf = append(buf, ']')
		}
		buf = append(buf, `]}}`...)
	}
	buf = append(buf, `]}`...)
	zm.GeoJSON = buf
	return zm
}

func appendLL(buf []byte, v float64) []byte {
	return strconv.AppendFloat(buf, roundTo(v, coordDecimals), 'f', -1, 64)
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
	out := make(orb.Ring, 0, len(r)+1)
	for _, pt := range r {
		pt = orb.Point{roundTo(pt[0], coordDecimals), roundTo(pt[1], coordDecimals)}
		if len(out) > 0 && out[len(out)-1] == pt {
			continue
		}
		out = append(out, pt)
	}
	if len(out) > 0 && out[0] != out[len(out)-1] {
		out = append(out, out[0])
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

// premiseSample is the premises drawn on the map, by technology: for each,
// a flat list of lon, lat, zone index triples.
type premiseSample struct {
	Points [coverage.NumTechs][][3]float64
	Shown  int
	Total  int
}

// minPerTech is the least number of premises of one technology the sample
// keeps (all of them when there are fewer; at most a tenth of the limit),
// so that a rare technology still shows on the map.
const minPerTech = 200

// samplePremises picks at most about limit premises, evenly spread through
// the input order within each technology, each technology getting a quota
// proportional to its premises (at least minPerTech, or a tenth of limit).
// The pick depends only on the input, so the page is deterministic.
func samplePremises(src *Source, d *reportData, limit int) premiseSample {
	var ps premiseSample
	prem := src.Input.Premises
	ps.Total = len(prem)
	if len(prem) == 0 || src.Unproject == nil || limit <= 0 {
		return ps
	}
	pt := src.Plan.PremiseTechs()
	techOf := func(i int) coverage.Tech {
		if len(pt) == len(prem) {
			if t := pt[i]; t < coverage.NumTechs {
				return t
			}
			return coverage.TechNone
		}
		if z := premiseZone(src, i); z >= 0 && z < len(d.zoneTech) {
			return d.zoneTech[z]
		}
		return coverage.TechNone
	}
	var counts [coverage.NumTechs]int
	for i := range prem {
		counts[techOf(i)]++
	}
	floor := min(minPerTech, max(1, limit/10))
	var quota [coverage.NumTechs]int
	for t, c := range counts {
		if len(prem) <= limit {
			quota[t] = c
			continue
		}
		q := int(int64(limit) * int64(c) / int64(len(prem)))
		quota[t] = min(c, max(q, floor))
	}
	var seen [coverage.NumTechs]int
	for i := range prem {
		t := techOf(i)
		j := seen[t]
		seen[t]++
		c, q := int64(counts[t]), int64(quota[t])
		// keep the j-th premise of t when j·q/c reaches a new integer
		if q == 0 || (int64(j+1)*q/c) == (int64(j)*q/c) {
			continue
		}
		ll := src.Unproject(prem[i].Pt)
		if math.IsNaN(ll[0]) || math.IsNaN(ll[1]) || math.IsInf(ll[0], 0) || math.IsInf(ll[1], 0) {
			continue
		}
		ps.Points[t] = append(ps.Points[t], [3]float64{roundTo(ll[0], coordDecimals), roundTo(ll[1], coordDecimals), float64(premiseZone(src, i))})
		ps.Shown++
	}
	return ps
}

// premiseZone is the input zone index of premise i, or -1.
func premiseZone(src *Source, i int) int {
	if i < len(src.Measures) {
		return int(src.Measures[i].Zone)
	}
	return -1
}

// mapChart builds the map's option: a geo component on the registered
// zones, a map series (geoIndex 0) carrying each zone's technology for the
// piecewise colouring and the tooltip, and one scatter series of premises
// per technology. The data of these series is attached by the page script
// from the shared data ("zones", "p<tech>").
func mapChart(d *reportData) (chartSpec, error) {
	spec := chartSpec{ID: "chart-map", Height: "640px"}
	spec.Fill = append(spec.Fill, seriesFill{Series: 0, Key: "zones"})
	for li, l := range langs {
		// the legend lists the premise series only (the zones have the
		// visual map); no premises, no legend
		var names []string
		for _, t := range reportTechs {
			if len(d.sample.Points[t]) > 0 {
				names = append(names, premiseSeriesName(t, l))
			}
		}
		legend := opts.Legend{Show: opts.Bool(len(names) > 0), Top: "0", Left: "center", Data: names}
		g := charts.NewGeo()
		g.SetGlobalOptions(append(baseOpts(spec.ID, spec.Height),
			charts.WithGeoComponentOpts(opts.GeoComponent{Map: mapName}),
			charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item",
				Formatter: opts.FuncOpts(`function (p) { return cpMapTip(p); }`)}),
			charts.WithLegendOpts(legend),
		)...)
		g.MultiSeries = append(g.MultiSeries, charts.SingleSeries{
			Name: label("map.zones").in(l), Type: types.ChartMap, MapType: mapName,
		})
		ex := &extras{
			top: map[string]any{
				"geo": map[string]any{
					"map":       mapName,
					"roam":      true,
					"top":       40,
					"bottom":    10,
					"itemStyle": map[string]any{"borderColor": "#555", "borderWidth": 0.5, "areaColor": techColors[coverage.TechNone]},
					"emphasis":  map[string]any{"itemStyle": map[string]any{"areaColor": "#ffd54f"}, "label": map[string]any{"show": false}},
					"label":     map[string]any{"show": false},
				},
			},
			series: map[int]map[string]any{0: {"geoIndex": 0}},
		}
		pieces := make([]map[string]any, 0, len(reportTechs))
		for _, t := range reportTechs {
			if d.plan.ByTech[t].Zones == 0 {
				continue
			}
			pieces = append(pieces, map[string]any{"value": int(t), "label": techLabels[t].in(l), "color": tint(techColors[t], 0.45)})
		}
		ex.top["visualMap"] = []any{map[string]any{
			"type": "piecewise", "seriesIndex": 0, "pieces": pieces,
			"left": 10, "bottom": 10, "orient": "vertical",
			"backgroundColor": "rgba(255,255,255,0.8)",
		}}
		si := 1
		for _, t := range reportTechs {
			if len(d.sample.Points[t]) == 0 {
				continue
			}
			g.AddSeries(premiseSeriesName(t, l), types.ChartScatter, nil,
				charts.WithSeriesOpts(func(s *charts.SingleSeries) {
					s.Color = techColors[t]
					s.SymbolSize = 4
					s.Large = opts.Bool(true)
					s.LargeThreshold = 2000
				}))
			ex.series[si] = map[string]any{"itemStyle": map[string]any{"borderColor": "#1d2733", "borderWidth": 0.5}}
			if li == 0 {
				spec.Fill = append(spec.Fill, seriesFill{Series: si, Key: "p" + strconv.Itoa(int(t))})
			}
			si++
		}
		g.Accept(ex)
		js, err := optionJS(g)
		if err != nil {
			return spec, err
		}
		spec.Opt[li] = js
	}
	return spec, nil
}

func premiseSeriesName(t coverage.Tech, l lang) string {
	return label("fig.premises").in(l) + " · " + techLabels[t].in(l)
}

// tint mixes a "#rrggbb" colour with white: f = 0 keeps it, 1 is white.
// Zones are drawn in tints so that premises, in the full colour, show on
// them.
func tint(hex string, f float64) string {
	if len(hex) != 7 || hex[0] != '#' {
		return hex
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return hex
	}
	out := []byte{'#'}
	for shift := 16; shift >= 0; shift -= 8 {
		c := float64((v >> uint(shift)) & 0xff)
		c = math.Round(c + (255-c)*f)
		out = append(out, "0123456789abcdef"[int(c)>>4], "0123456789abcdef"[int(c)&15])
	}
	return string(out)
}
