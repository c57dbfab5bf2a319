package render

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
	orbproject "github.com/paulmach/orb/project"
	"github.com/paulmach/orb/simplify"

	"github.com/covplan/covplan/coverage"
)

// The map's layers besides the zones: premises (a sample thinned where
// they are dense), the existing network (optical nodes, fibre lines,
// served areas, access points), the sites the plan builds (new optical
// nodes, new wireless sites) and the names of the largest places. They go
// to the page in one data block ("cp-layers"): points as [lon, lat] or
// [lon, lat, id or count], lines and area outlines as writeRing arrays;
// the legend beside the map switches them.

// premiseOutside is the sample category of premises in no zone.
const premiseOutside = int(coverage.NumTechs)

// premiseSample is the premises drawn on the map: per category (the
// technology serving them, or premiseOutside), lon, lat, zone index.
type premiseSample struct {
	Points [coverage.NumTechs + 1][][3]float64
	Shown  int
	Total  int
	Cap    int // most premises kept per grid cell (0: all kept)
}

// sampleGrid is the side, in cells, of the grid over the map on which
// premises are thinned: at the map's first zoom a cell is a few pixels.
const sampleGrid = 300

// samplePremises keeps at most limit premises for the map: the map box
// (lon/lat) is cut into a grid of cells and each cell keeps at most Cap
// premises, evenly through the input order, Cap being the largest that
// fits the limit. Sparse areas keep every premise and a town no longer
// turns into a blob. The grid has sampleGrid cells a side, fewer when more
// cells hold premises than the limit allows (a coarser grid then keeps one
// premise a cell). The pick depends only on the input.
func samplePremises(src *Source, box orb.Bound, limit int) premiseSample {
	prem := src.Input.Premises
	ps := premiseSample{Total: len(prem)}
	if len(prem) == 0 || src.Unproject == nil || limit <= 0 {
		return ps
	}
	techs := src.Plan.PremiseTechs()
	type pt struct {
		ll   orb.Point
		zone int32
		cat  int8
	}
	pts := make([]pt, len(prem))
	for i := range prem {
		cat := int(coverage.TechNone)
		if len(techs) == len(prem) && techs[i] < coverage.NumTechs {
			cat = int(techs[i])
		}
		z := premiseZone(src, i)
		if z < 0 {
			cat = premiseOutside
		}
		pts[i] = pt{ll: src.Unproject(prem[i].Pt), zone: int32(z), cat: int8(cat)}
	}
	w, h := math.Max(box.Max[0]-box.Min[0], 1e-9), math.Max(box.Max[1]-box.Min[1], 1e-9)
	cells := make([]int32, len(pts))
	var counts []int32
	for g := sampleGrid; ; {
		counts = make([]int32, g*g)
		used := 0
		for i, p := range pts {
			cells[i] = -1
			if !finite(p.ll[0]) || !finite(p.ll[1]) {
				continue
			}
			cx := min(g-1, max(0, int(float64(g)*(p.ll[0]-box.Min[0])/w)))
			cy := min(g-1, max(0, int(float64(g)*(p.ll[1]-box.Min[1])/h)))
			c := int32(cy*g + cx)
			cells[i] = c
			if counts[c] == 0 {
				used++
			}
			counts[c]++
		}
		if used <= limit || g == 1 {
			break
		}
		g = max(1, min(g-1, int(float64(g)*math.Sqrt(float64(limit)/float64(used))*0.95)))
	}
	capN := cellCap(counts, limit)
	if capN < slices.Max(counts) {
		ps.Cap = int(capN)
	}
	seen := make([]int32, len(counts))
	for i, p := range pts {
		c := cells[i]
		if c < 0 {
			continue
		}
		j, n := int64(seen[c]), int64(counts[c])
		seen[c]++
		k := int64(min(capN, counts[c]))
		// keep the j-th premise of the cell when j·k/n reaches a new integer
		if (j+1)*k/n == j*k/n {
			continue
		}
		ps.Points[p.cat] = append(ps.Points[p.cat], [3]float64{roundTo(p.ll[0], coordDecimals), roundTo(p.ll[1], coordDecimals), float64(p.zone)})
		ps.Shown++
	}
	return ps
}

// cellCap is the largest number of premises per cell that keeps at most
// limit premises in all (at least 1).
func cellCap(counts []int32, limit int) int32 {
	kept := func(c int32) int {
		n := 0
		for _, k := range counts {
			n += int(min(k, c))
		}
		return n
	}
	hi := slices.Max(counts)
	if kept(hi) <= limit {
		return hi
	}
	lo := int32(0)
	for lo < hi-1 { // kept(lo) <= limit < kept(hi)
		mid := (lo + hi) / 2
		if kept(mid) <= limit {
			lo = mid
		} else {
			hi = mid
		}
	}
	return max(lo, 1)
}

// premiseZone is the input zone index of premise i, or -1.
func premiseZone(src *Source, i int) int {
	if i < len(src.Measures) {
		return int(src.Measures[i].Zone)
	}
	return -1
}

// mapLayers is the map's data block and what the legend says of it.
type mapLayers struct {
	JSON []byte

	Nodes, NodesOff int // existing optical nodes, active and not
	Lines, LinesOff int // existing fibre lines, active and not
	Served          int // active served areas (inactive ones are not drawn)
	APs, APsOff     int // access points, operational and not
	NewNodes        int // node sites the plan builds (a site may hold several nodes)
	NewSites        int // wireless sites the plan builds
	Places          int // place names

	// LineTol and ServedTol are the simplification of the lines and
	// served areas, in degrees (0: as given).
	LineTol, ServedTol float64
}

// maxPlaces is how many place names the map shows: the zones with the
// most premises.
const maxPlaces = 15

// buildLayers writes the map's layers: the chosen technology of every zone
// (for the colours), the premise sample, the network, the planned sites
// and the places. Lines and served areas get a fifth of maxVertices each.
func buildLayers(src *Source, zm *zoneMap, sample *premiseSample, maxVertices int) mapLayers {
	var ml mapLayers
	p, in := src.Plan, src.Input
	w := &jsonWriter{b: make([]byte, 0, 1<<16)}
	w.raw("{")
	zt := make([]int, len(in.Zones))
	for i := range zt {
		zt[i] = -1 // not in the plan
	}
	for i := range p.Zones {
		zt[p.Zones[i].Zone] = int(p.Zones[i].Chosen)
	}
	w.key("zt", true)
	w.ints(len(zt), func(i int) int { return zt[i] })
	for c, pts := range sample.Points {
		if len(pts) == 0 {
			continue
		}
		w.key("p"+strconv.Itoa(c), false)
		writePoints(w, len(pts), func(i int) (orb.Point, string, float64) { return orb.Point{pts[i][0], pts[i][1]}, "", pts[i][2] })
	}
	if un := src.Unproject; un != nil {
		ml.writeNetwork(w, &in.Network, un, maxVertices/5)
		ml.writePlanned(w, p, un)
	}
	ml.writePlaces(w, src, zm)
	view := mapView(zm.Bound, &in.Network, src.Unproject, p)
	w.key("view", false)
	writeBound(w, view)
	w.raw("}")
	ml.JSON = w.b
	return ml
}

// mapView is the box the map opens on: the zones, and the network's
// points and the planned sites that lie near them (within the zones' size
// of their box), so that a node a little outside the area still shows.
func mapView(zones orb.Bound, nw *coverage.Network, un func(orb.Point) orb.Point, p *coverage.Plan) orb.Bound {
	if un == nil {
		return zones
	}
	dx, dy := zones.Max[0]-zones.Min[0], zones.Max[1]-zones.Min[1]
	near := orb.Bound{Min: orb.Point{zones.Min[0] - dx, zones.Min[1] - dy}, Max: orb.Point{zones.Max[0] + dx, zones.Max[1] + dy}}
	view := zones
	add := func(pt orb.Point) {
		if ll := un(pt); finite(ll[0]) && finite(ll[1]) && near.Contains(ll) {
			view = view.Extend(ll)
		}
	}
	for i := range nw.Nodes {
		add(nw.Nodes[i].Pt)
	}
	for i := range nw.APs {
		add(nw.APs[i].Pt)
	}
	nodes, sites := p.PlannedSites()
	for _, s := range append(nodes, sites...) {
		add(s.Pt)
	}
	return view
}

// writePoints writes n points as [lon, lat] or [lon, lat, extra] where
// extra is a string (an id) or a number.
func writePoints(w *jsonWriter, n int, get func(i int) (orb.Point, string, float64)) {
	w.raw("[")
	first := true
	for i := 0; i < n; i++ {
		pt, s, x := get(i)
		if !finite(pt[0]) || !finite(pt[1]) {
			continue
		}
		if !first {
			w.raw(",")
		}
		first = false
		w.raw("[")
		w.num(pt[0], coordDecimals)
		w.raw(",")
		w.num(pt[1], coordDecimals)
		switch {
		case s != "":
			w.raw(",")
			w.str(s)
		case !math.IsNaN(x):
			w.raw(",")
			w.num(x, 0)
		}
		w.raw("]")
	}
	w.raw("]")
}

// writeNetwork writes the existing network, in lon/lat: nodes, lines and
// served areas simplified to budget vertices each, access points.
func (ml *mapLayers) writeNetwork(w *jsonWriter, nw *coverage.Network, un func(orb.Point) orb.Point, budget int) {
	ml.Nodes, ml.NodesOff = writeSites(w, "nodes", len(nw.Nodes), func(i int) (orb.Point, string, bool) {
		return un(nw.Nodes[i].Pt), nw.Nodes[i].ID, nw.Nodes[i].Active
	})
	for _, active := range []bool{true, false} {
		var lines []orb.LineString
		for i := range nw.Lines {
			if nw.Lines[i].Active == active && len(nw.Lines[i].Line) >= 2 {
				lines = append(lines, lonLatOf(nw.Lines[i].Line, un).(orb.LineString))
			}
		}
		if len(lines) == 0 {
			continue
		}
		tol := fitTolerance(func(tol float64) int { return countLines(simplifyLines(lines, tol)) }, budget)
		lines = simplifyLines(lines, tol)
		key := "lines"
		if active {
			ml.Lines, ml.LineTol = len(lines), tol
		} else {
			ml.LinesOff, key = len(lines), "linesOff"
		}
		w.key(key, false)
		writeRings(w, len(lines), func(i int) []orb.Point { return lines[i] })
	}
	ml.writeServed(w, nw.Served, un, budget)
	ml.APs, ml.APsOff = writeSites(w, "aps", len(nw.APs), func(i int) (orb.Point, string, bool) {
		return un(nw.APs[i].Pt), nw.APs[i].ID, nw.APs[i].Operational
	})
}

// writeSites writes n sites (nodes, access points) as two layers, key for
// those in service and key+"Off" for the others, and counts them.
func writeSites(w *jsonWriter, key string, n int, get func(i int) (orb.Point, string, bool)) (on, off int) {
	for _, inService := range []bool{true, false} {
		var idx []int
		for i := 0; i < n; i++ {
			if _, _, s := get(i); s == inService {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			continue
		}
		k := key
		if inService {
			on = len(idx)
		} else {
			off, k = len(idx), key+"Off"
		}
		w.key(k, false)
		writePoints(w, len(idx), func(j int) (orb.Point, string, float64) {
			pt, id, _ := get(idx[j])
			return pt, orDash(id), math.NaN()
		})
	}
	return on, off
}

// writeServed writes the outer rings of the active served areas,
// simplified to budget vertices.
func (ml *mapLayers) writeServed(w *jsonWriter, served []coverage.ServedArea, un func(orb.Point) orb.Point, budget int) {
	var areas []orb.Geometry
	for i := range served {
		if served[i].Active {
			areas = append(areas, lonLatOf(served[i].Geom, un))
		}
	}
	if len(areas) == 0 {
		return
	}
	ml.ServedTol = fitTolerance(func(tol float64) int { return countAll(simplifyAll(areas, tol)) }, budget)
	var rings [][]orb.Point
	for _, mp := range simplifyAll(areas, ml.ServedTol) {
		for _, poly := range mp {
			rings = append(rings, poly[0]) // the outer ring: the area's extent
		}
		if len(mp) > 0 {
			ml.Served++
		}
	}
	w.key("served", false)
	writeRings(w, len(rings), func(i int) []orb.Point { return rings[i] })
}

// writeRings writes n rings or lines (writeRing) as an array.
func writeRings(w *jsonWriter, n int, get func(i int) []orb.Point) {
	w.array(n, func(i int) { writeRing(w, get(i)) })
}

// writePlanned writes the new optical nodes (with their count) and
// wireless sites the plan builds.
func (ml *mapLayers) writePlanned(w *jsonWriter, p *coverage.Plan, un func(orb.Point) orb.Point) {
	nodes, sites := p.PlannedSites()
	if len(nodes) > 0 {
		ml.NewNodes = len(nodes)
		w.key("newNodes", false)
		writePoints(w, len(nodes), func(i int) (orb.Point, string, float64) { return un(nodes[i].Pt), "", float64(nodes[i].Count) })
	}
	if len(sites) > 0 {
		ml.NewSites = len(sites)
		w.key("newSites", false)
		writePoints(w, len(sites), func(i int) (orb.Point, string, float64) { return un(sites[i].Pt), "", math.NaN() })
	}
}

// writePlaces writes the names of the maxPlaces zones with the most
// premises (ties: zone order) that have a name, at their label points.
func (ml *mapLayers) writePlaces(w *jsonWriter, src *Source, zm *zoneMap) {
	type place struct{ zone, premises int }
	var ps []place
	for i := range src.Plan.Zones {
		zp := &src.Plan.Zones[i]
		if src.Input.Zones[zp.Zone].Name != "" && zp.Premises > 0 && finite(zm.Label[zp.Zone][0]) {
			ps = append(ps, place{zp.Zone, zp.Premises})
		}
	}
	slices.SortStableFunc(ps, func(a, b place) int { return cmp.Compare(b.premises, a.premises) })
	ps = ps[:min(len(ps), maxPlaces)]
	if len(ps) == 0 {
		return
	}
	ml.Places = len(ps)
	w.key("places", false)
	writePoints(w, len(ps), func(i int) (orb.Point, string, float64) {
		return zm.Label[ps[i].zone], src.Input.Zones[ps[i].zone].Name, math.NaN()
	})
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// fitTolerance is the Douglas-Peucker tolerance (degrees) at which count
// falls within budget: 0 when it already does, else growing by 25 % from
// 1e-5° (at most 1°).
func fitTolerance(count func(tol float64) int, budget int) float64 {
	if count(0) <= budget {
		return 0
	}
	tol := 1e-5
	for tol < 1 && count(tol) > budget {
		tol *= 1.25
	}
	return tol
}

// lonLatOf returns a copy of g in lon/lat.
func lonLatOf(g orb.Geometry, un func(orb.Point) orb.Point) orb.Geometry {
	return orbproject.Geometry(orb.Clone(g), un)
}

// simplifyLines simplifies lines at tol degrees (0: rounding only) and
// rounds their coordinates; lines that collapse keep their two ends.
func simplifyLines(lines []orb.LineString, tol float64) []orb.LineString {
	out := make([]orb.LineString, len(lines))
	for i, l := range lines {
		s := l.Clone()
		if tol > 0 {
			s = simplify.DouglasPeucker(tol).LineString(s)
		}
		r := orb.LineString(appendRounded(make([]orb.Point, 0, len(s)), s))
		if len(r) < 2 {
			r = orb.LineString{l[0], l[len(l)-1]}
		}
		out[i] = r
	}
	return out
}

func countLines(ls []orb.LineString) int {
	n := 0
	for _, l := range ls {
		n += len(l)
	}
	return n
}
