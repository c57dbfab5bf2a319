package render

import (
	"math"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/covplan/covplan/coverage"
)

// The zone table and the "why this technology" panel are drawn by the page
// script from one data block ("cp-zones"), column by column:
//
//	id, name, z (input zone index: the map's region name), prem, units,
//	tech (chosen), meets (0/1), year (rollout year, 0 = not programmed; only
//	when phased), zr (the choice's reasons, a bit mask over "codes"),
//	lon, lat, span (label point and size in degrees, when there is a map),
//	o: per technology t (1..4) the option as evaluated: f (feasible), r
//	   (reasons mask), ps, pu, us (premises served and unserved, units
//	   served), cx (CAPEX), i (CAPEX by item: item index -> column), ox
//	   (OPEX a year), nc, sc, rv, sb (present values of the network cost,
//	   the subscribers' cost, the network's revenues, the subsidies), pc
//	   (present cost), pb (public cost), nv (NPV, null without), dn, up, lt
//	   (busy-hour Mbit/s and latency),
//	b: what is built where it differs from the chosen option (a mixed
//	   option, a satellite's fallback): row (table row), the same fields,
//	   mix (premises per technology serving them), fb (fallback), mx (mixed).
//
// Money is in whole euros: the panel shows it rounded, with the exact euro
// in a tooltip (zones.csv has cents).

// zoneTable is the zone data of the page.
type zoneTable struct {
	Rows  int // zones in the table
	Total int // zones in the plan
	JSON  []byte
	Codes []coverage.Reason // bit i of a reasons mask is Codes[i]
}

// optionFields are the option columns of the zone data, in order.
var optionFields = []struct {
	key string
	dec int
	get func(o *coverage.Option) float64
}{
	{"ps", 0, func(o *coverage.Option) float64 { return float64(o.PremisesServed) }},
	{"pu", 0, func(o *coverage.Option) float64 { return float64(o.PremisesUnserved) }},
	{"us", 0, func(o *coverage.Option) float64 { return float64(o.UnitsServed) }},
	{"cx", 0, func(o *coverage.Option) float64 { return o.CapexEUR }},
	{"ox", 0, func(o *coverage.Option) float64 { return o.OpexEURPerYear }},
	{"nc", 0, func(o *coverage.Option) float64 { return o.NetworkCostEUR }},
	{"sc", 0, func(o *coverage.Option) float64 { return o.SubscriberCostEUR }},
	{"rv", 0, func(o *coverage.Option) float64 { return o.RevenueEUR }},
	{"sb", 0, func(o *coverage.Option) float64 { return o.SubsidyEUR }},
	{"pc", 0, func(o *coverage.Option) float64 { return o.PresentCostEUR }},
	{"pb", 0, func(o *coverage.Option) float64 { return o.PublicCostEUR }},
	{"nv", 0, func(o *coverage.Option) float64 {
		if !o.HasNPV {
			return math.NaN()
		}
		return o.NPVEUR
	}},
	{"dn", 1, func(o *coverage.Option) float64 { return o.DownMbps }},
	{"up", 1, func(o *coverage.Option) float64 { return o.UpMbps }},
	{"lt", 0, func(o *coverage.Option) float64 { return o.LatencyMs }},
}

// reasonCodes lists the reason codes of the plan, MODEL.md's first, then
// any other code the plan's zones carry (in the plan's order).
func reasonCodes(p *coverage.Plan) []coverage.Reason {
	codes := coverage.ReasonOrder()
	for _, rc := range p.Reasons {
		if !slices.Contains(codes, rc.Code) {
			codes = append(codes, rc.Code)
		}
	}
	return codes
}

// reasonMask is the bit mask of rs over codes (codes beyond 31 are left out).
func reasonMask(rs []coverage.Reason, codes []coverage.Reason) int {
	m := 0
	for _, r := range rs {
		if i := slices.Index(codes, r); i >= 0 && i < 31 {
			m |= 1 << i
		}
	}
	return m
}

// buildZoneTable writes the zone data of the first maxRows zones of the
// plan (all when maxRows < 0).
func buildZoneTable(src *Source, maxRows int) zoneTable {
	p, in := src.Plan, src.Input
	zt := zoneTable{Rows: len(p.Zones), Total: len(p.Zones), Codes: reasonCodes(p)}
	if maxRows >= 0 && zt.Rows > maxRows {
		zt.Rows = maxRows
	}
	n := zt.Rows
	zs := p.Zones[:n]
	w := &jsonWriter{b: make([]byte, 0, 256+n*400)}
	w.raw("{")
	w.key("id", true)
	w.strs(n, func(i int) string { return in.Zones[zs[i].Zone].ID })
	w.key("name", false)
	w.strs(n, func(i int) string { return in.Zones[zs[i].Zone].Name })
	w.key("z", false)
	w.ints(n, func(i int) int { return zs[i].Zone })
	w.key("prem", false)
	w.ints(n, func(i int) int { return zs[i].Premises })
	w.key("units", false)
	w.ints(n, func(i int) int { return zs[i].Units })
	w.key("tech", false)
	w.ints(n, func(i int) int { return int(zs[i].Chosen) })
	w.key("meets", false)
	w.ints(n, func(i int) int { return b2i(zs[i].MeetsTarget) })
	if p.Rollout != nil {
		w.key("year", false)
		w.ints(n, func(i int) int { return zs[i].Year })
	}
	w.key("zr", false)
	w.ints(n, func(i int) int { return reasonMask(zs[i].Reasons, zt.Codes) })
	w.key("o", false)
	w.raw("{")
	for k, t := range coverage.Techs {
		w.key(strconv.Itoa(int(t)), k == 0)
		writeOptions(w, n, zt.Codes, func(i int) *coverage.Option { return &zs[i].Options[t] })
	}
	w.raw("}")
	var built []int
	for i := range zs {
		zp := &zs[i]
		if zp.Chosen != coverage.TechNone && (zp.Mixed || zp.Fallback != coverage.TechNone) {
			built = append(built, i)
		}
	}
	w.key("b", false)
	w.raw("{")
	w.key("row", true)
	w.ints(len(built), func(k int) int { return built[k] })
	w.key("mx", false)
	w.ints(len(built), func(k int) int { return b2i(zs[built[k]].Mixed) })
	w.key("fb", false)
	w.ints(len(built), func(k int) int { return int(zs[built[k]].Fallback) })
	w.key("mix", false)
	w.array(len(built), func(k int) {
		w.ints(int(coverage.NumTechs), func(t int) int { return zs[built[k]].Mix[t] })
	})
	w.key("opt", false)
	writeOptions(w, len(built), zt.Codes, func(k int) *coverage.Option { return &zs[built[k]].Built })
	w.raw("}}")
	zt.JSON = w.b
	return zt
}

// writeOptions writes n options (get(i)) as an object of columns.
func writeOptions(w *jsonWriter, n int, codes []coverage.Reason, get func(i int) *coverage.Option) {
	w.raw("{")
	w.key("f", true)
	w.ints(n, func(i int) int { return b2i(get(i).Feasible) })
	w.key("r", false)
	w.ints(n, func(i int) int { return reasonMask(get(i).Reasons, codes) })
	for _, f := range optionFields {
		w.key(f.key, false)
		w.nums(n, f.dec, func(i int) float64 { return f.get(get(i)) })
	}
	w.key("i", false)
	w.raw("{")
	first := true
	for c := range coverage.NumCostItems {
		used := false
		for i := 0; i < n && !used; i++ {
			used = roundTo(get(i).CapexByItem[c], 0) != 0
		}
		if !used {
			continue
		}
		w.key(strconv.Itoa(int(c)), first)
		first = false
		w.nums(n, 0, func(i int) float64 { return get(i).CapexByItem[c] })
	}
	w.raw("}}")
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// labelPoint is where a zone's name goes on the map: on the horizontal
// line through the centroid of its largest polygon, the middle of the
// widest stretch inside it (so that it falls inside a concave outline).
func labelPoint(g orb.Geometry) orb.Point {
	var poly orb.Polygon
	best := -1.0
	switch g := g.(type) {
	case orb.Polygon:
		poly = g
	case orb.MultiPolygon:
		for _, p := range g {
			if a := math.Abs(planar.Area(p)); a > best {
				best, poly = a, p
			}
		}
	default:
		return orb.Point{math.NaN(), math.NaN()}
	}
	if len(poly) == 0 || len(poly[0]) == 0 {
		return orb.Point{math.NaN(), math.NaN()}
	}
	c, _ := planar.CentroidArea(poly)
	if math.IsNaN(c[0]) || math.IsNaN(c[1]) {
		return poly.Bound().Center()
	}
	y := c[1]
	var xs []float64
	for _, r := range poly {
		for i := 1; i < len(r); i++ {
			a, e := r[i-1], r[i]
			if (a[1] > y) != (e[1] > y) {
				xs = append(xs, a[0]+(y-a[1])*(e[0]-a[0])/(e[1]-a[1]))
			}
		}
	}
	slices.Sort(xs)
	pt, width := c, -1.0
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > width {
			width, pt = w, orb.Point{(xs[i] + xs[i+1]) / 2, y}
		}
	}
	return pt
}
