package coverage

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Index answers the spatial queries of the planner over one Input. It is
// built once by NewIndex and is then safe for concurrent use by any number
// of goroutines; its zero value is not usable.
//
// Queries are two-phase: a bounding-box search in an R-tree
// (github.com/tidwall/rtree) or a uniform grid, then an exact test:
//   - zones and served areas: R-tree of polygon bounding boxes, then a
//     prepared polygon (edges bucketed in y-slabs, exact orientation
//     predicate), see ZoneOf for the boundary rule;
//   - fibre nodes: uniform grid, exact ring search;
//   - fibre lines: R-tree of segment bounding boxes, exact point-segment
//     distance;
//   - access points: R-tree of the bounding boxes of their discs, then the
//     exact distance <= RangeM.
type Index struct {
	in *Input

	// zl locates the zones in the Input's metric frame. It is built on
	// first use (zlOnce), so a caller that passes its own zones to
	// MeasureZoned and never asks ZoneOf does not pay for it.
	zlOnce sync.Once
	zl     ZoneLocator

	served   polySet
	servedRT rtree.RTreeG[int32]

	nodes pointGrid // active nodes; ids index Input.Nodes

	lines segSet // segments of active lines
	// edges are the boundary segments of active served areas: a served
	// area's edge is network too (MODEL.md §1).
	edges segSet

	aps    []apDisc
	apRT   rtree.RTreeG[int32] // disc bbox of aps[i] -> i
	apGrid apCells             // apRT's candidates cached per grid cell
}

// apDisc is an operational access point: its position, range and index in
// Input.APs.
type apDisc struct {
	x, y, r float64
	id      int32
}

// NewIndex indexes the zones, fibre network and access points of in.
// in must not be modified afterwards. Inactive nodes, lines and served
// areas and non-operational access points are not indexed: they never serve.
// Geometry with NaN or infinite coordinates is ignored.
func NewIndex(in *Input) *Index {
	ix := &Index{in: in}

	ix.served.addAll(len(in.Served), func(i int) orb.Geometry { return in.Served[i].Geom },
		func(i int) bool { return !in.Served[i].Active })
	for i := range ix.served.polys {
		p := &ix.served.polys[i]
		ix.servedRT.Insert([2]float64{p.minX, p.minY}, [2]float64{p.maxX, p.maxY}, int32(i))
	}

	var xs, ys []float64
	var ids []int32
	for i, n := range in.Nodes {
		if n.Active && finite(n.Pt[0], n.Pt[1]) {
			xs, ys, ids = append(xs, n.Pt[0]), append(ys, n.Pt[1]), append(ids, int32(i))
		}
	}
	ix.nodes = newPointGrid(xs, ys, ids, nodesPerCell)

	for _, l := range in.Lines {
		if l.Active {
			ix.lines.addLine(l.Line)
		}
	}
	for _, sa := range in.Served {
		if sa.Active {
			eachRing(sa.Geom, func(r orb.Ring) { ix.edges.addLine(orb.LineString(r)) })
		}
	}

	for i, a := range in.APs {
		if !a.Operational || !(a.RangeM >= 0) || !finite(a.Pt[0], a.Pt[1]) || math.IsInf(a.RangeM, 0) {
			continue
		}
		ix.aps = append(ix.aps, apDisc{a.Pt[0], a.Pt[1], a.RangeM, int32(i)})
	}
	for i, a := range ix.aps {
		ix.apRT.Insert([2]float64{a.x - a.r, a.y - a.r}, [2]float64{a.x + a.r, a.y + a.r}, int32(i))
	}
	ix.apGrid = newAPCells(ix.aps, &ix.apRT)
	return ix
}

// cellGrid maps points to the cells of a uniform grid; off[c]:off[c+1] is
// the range of cell c in the owner's flat candidate array.
type cellGrid struct {
	x0, y0, cs, inv float64
	nx, ny          int
	off             []int32
}

// newCellGrid covers [bmin, bmax] with square cells of about cs metres,
// coarsening so that there are at most maxCells cells.
func newCellGrid(bmin, bmax [2]float64, cs float64, maxCells int) cellGrid {
	w, h := bmax[0]-bmin[0], bmax[1]-bmin[1]
	if !(cs > 0) || math.IsInf(cs, 0) {
		cs = max(max(w, h), 1)
	}
	for (w/cs+1)*(h/cs+1) > float64(maxCells) {
		cs *= 1.25
	}
	g := cellGrid{x0: bmin[0], y0: bmin[1], cs: cs, inv: 1 / cs}
	g.nx, g.ny = int(w*g.inv)+1, int(h*g.inv)+1
	return g
}

// cellOf returns the cell of (x, y), or -1 outside the grid (or NaN).
func (g *cellGrid) cellOf(x, y float64) int {
	fx, fy := (x-g.x0)*g.inv, (y-g.y0)*g.inv
	if !(fx >= 0 && fy >= 0 && fx < float64(g.nx) && fy < float64(g.ny)) {
		return -1
	}
	return int(fy)*g.nx + int(fx)
}

// cellBox returns the box of cell (cx, cy), widened by a hair so that
// rounding in cellOf can never put a point outside the box of its cell.
func (g *cellGrid) cellBox(cx, cy int) (lo, hi [2]float64) {
	lo = [2]float64{g.x0 + float64(cx)*g.cs, g.y0 + float64(cy)*g.cs}
	hi = [2]float64{g.x0 + float64(cx+1)*g.cs, g.y0 + float64(cy+1)*g.cs}
	eps := g.cs*1e-9 + 1e-12*(math.Abs(lo[0])+math.Abs(lo[1])+math.Abs(hi[0])+math.Abs(hi[1]))
	return [2]float64{lo[0] - eps, lo[1] - eps}, [2]float64{hi[0] + eps, hi[1] + eps}
}

// zoneCells is a uniform grid over the zones. Each cell lists, ascending,
// the prepared polygons that cross it or cover it, found with the zones'
// R-tree and classified once at build time; a cell that lies wholly inside
// its lowest such polygon answers without any edge test (fast).
type zoneCells struct {
	cellGrid
	ids  []int32
	fast []int32 // per cell: the owning zone when the whole cell is in it, else -1
}

// zoneCellsPerPolygon sets the grid's resolution: more cells mean more
// cells wholly inside a zone (no edge test) but a larger table.
const zoneCellsPerPolygon = 64

func newZoneCells(s *polySet, rt *rtree.RTreeG[int32]) zoneCells {
	var g zoneCells
	n := len(s.polys)
	if n == 0 {
		return g
	}
	bmin, bmax := rt.Bounds()
	cells := float64(zoneCellsPerPolygon * n)
	g.cellGrid = newCellGrid(bmin, bmax, math.Sqrt((bmax[0]-bmin[0])*(bmax[1]-bmin[1])/cells), int(2*cells)+16)
	g.fast = make([]int32, g.nx*g.ny)
	// Rows are independent: build them in parallel, then concatenate.
	rows := make([][]int32, g.ny)
	counts := make([]int32, g.nx*g.ny)
	parallelRows(g.ny, func(cy int) {
		var buf, ids []int32
		for cx := range g.nx {
			c := cy*g.nx + cx
			g.fast[c] = -1
			lo, hi := g.cellBox(cx, cy)
			buf = boxIDs(rt, lo, hi, buf)
			first := true
			n := len(ids)
			for _, pi := range buf {
				if s.touches(int(pi), lo, hi) {
					ids = append(ids, pi)
					first = false
					continue
				}
				// No edge meets the cell: it is wholly inside or outside.
				if !s.contains(int(pi), (lo[0]+hi[0])/2, (lo[1]+hi[1])/2) {
					continue
				}
				if first {
					g.fast[c] = s.polys[pi].owner
					first = false
				}
				ids = append(ids, pi)
			}
			counts[c] = int32(len(ids) - n)
		}
		rows[cy] = ids
	})
	g.off = prefixSums(counts)
	g.ids = slices.Concat(rows...)
	return g
}

// parallelRows calls fn(0..n-1) on all CPUs.
func parallelRows(n int, fn func(row int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for {
				r := int(next.Add(1)) - 1
				if r >= n {
					return
				}
				fn(r)
			}
		})
	}
	wg.Wait()
}

// prefixSums returns the offsets of consecutive runs of the given lengths:
// len(counts)+1 values starting at 0.
func prefixSums(counts []int32) []int32 {
	off := make([]int32, len(counts)+1)
	for i, c := range counts {
		off[i+1] = off[i] + c
	}
	return off
}

// touches reports whether an edge of polygon i may meet the box [lo, hi]
// (its bounding box does).
func (s *polySet) touches(i int, lo, hi [2]float64) bool {
	pp := &s.polys[i]
	if hi[0] < pp.minX || lo[0] > pp.maxX || hi[1] < pp.minY || lo[1] > pp.maxY {
		return false
	}
	k0, k1 := pp.slabRange(lo[1], hi[1])
	for _, e := range s.edges[s.slabs[int(pp.so)+2*k0]:s.slabs[int(pp.so)+2*k1+2]] {
		if max(e.ax, e.bx) >= lo[0] && min(e.ax, e.bx) <= hi[0] &&
			max(e.ay, e.by) >= lo[1] && min(e.ay, e.by) <= hi[1] {
			return true
		}
	}
	return false
}

// apCells is a uniform grid over the access points' discs: each cell holds
// copies of the discs whose bounding box meets it (found with the access
// points' R-tree), so that a query scans one contiguous run.
type apCells struct {
	cellGrid
	discs []apDisc
}

func newAPCells(aps []apDisc, rt *rtree.RTreeG[int32]) apCells {
	var g apCells
	if len(aps) == 0 {
		return g
	}
	bmin, bmax := rt.Bounds()
	// Start from the median range, then coarsen until each disc is copied
	// into about 8 cells on average.
	rs := make([]float64, len(aps))
	for i, a := range aps {
		rs[i] = a.r
	}
	slices.Sort(rs)
	cs := max(rs[len(rs)/2], (bmax[0]-bmin[0]+bmax[1]-bmin[1])/1e5)
	for {
		copies := 0.0
		for _, a := range aps {
			copies += (2*a.r/cs + 1) * (2*a.r/cs + 1)
		}
		if copies <= 8*float64(len(aps)) {
			break
		}
		cs *= 1.25
	}
	g.cellGrid = newCellGrid(bmin, bmax, cs, 4*len(aps)+16)
	rows := make([][]apDisc, g.ny)
	counts := make([]int32, g.nx*g.ny)
	parallelRows(g.ny, func(cy int) {
		var buf []int32
		var discs []apDisc
		for cx := range g.nx {
			lo, hi := g.cellBox(cx, cy)
			buf = boxIDs(rt, lo, hi, buf)
			for _, ai := range buf {
				discs = append(discs, aps[ai])
			}
			counts[cy*g.nx+cx] = int32(len(buf))
		}
		rows[cy] = discs
	})
	g.off = prefixSums(counts)
	g.discs = slices.Concat(rows...)
	return g
}

// boxIDs returns, ascending, the ids of rt whose boxes meet [lo, hi], in
// buf's storage: the candidates a grid cell caches.
func boxIDs(rt *rtree.RTreeG[int32], lo, hi [2]float64, buf []int32) []int32 {
	buf = buf[:0]
	rt.Search(lo, hi, func(_, _ [2]float64, id int32) bool {
		buf = append(buf, id)
		return true
	})
	sortInt32(buf)
	return buf
}

// sortInt32 sorts a short slice in place (insertion sort: candidate lists
// hold a few ids).
func sortInt32(s []int32) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// ZoneLocator finds the zone containing a point: the zone part of Index,
// usable on its own in any planar frame. covplan's Index works in metres;
// the peer benchmarks assign zones on lon/lat as stored (planar EPSG:4326),
// and projecting moves a point within a few millimetres of an edge across
// it (8 of 10M premises at XL), so a caller that must reproduce them exactly
// locates the zones with a ZoneLocator built on the lon/lat geometry and
// passes the result to Index.MeasureZoned. Built once by NewZoneLocator,
// then safe for concurrent use. The boundary rule is ZoneOf's.
type ZoneLocator struct {
	polys polySet
	rt    rtree.RTreeG[int32] // bbox of polys.polys[i] -> i
	// grid caches rt's candidates per cell of a uniform grid, so that the
	// per-point lookup is one array access.
	grid zoneCells
}

// NewZoneLocator indexes geoms (orb.Polygon or orb.MultiPolygon, any
// planar frame): zone i is geoms[i].
func NewZoneLocator(geoms []orb.Geometry) *ZoneLocator {
	l := &ZoneLocator{}
	l.build(len(geoms), func(i int) orb.Geometry { return geoms[i] })
	return l
}

func (l *ZoneLocator) build(n int, geomOf func(int) orb.Geometry) {
	l.polys.addAll(n, geomOf, nil)
	for i := range l.polys.polys {
		p := &l.polys.polys[i]
		l.rt.Insert([2]float64{p.minX, p.minY}, [2]float64{p.maxX, p.maxY}, int32(i))
	}
	l.grid = newZoneCells(&l.polys, &l.rt)
}

// ZoneOf returns the index of the zone containing p, or -1 (the boundary
// rule of Index.ZoneOf).
func (l *ZoneLocator) ZoneOf(p orb.Point) int32 { return l.zoneOf(p[0], p[1]) }

// Locate returns the zone of every point (-1 for none), in parallel over
// workers goroutines (<= 0: one per CPU), visiting large inputs in Hilbert
// order like Index.Measure.
func (l *ZoneLocator) Locate(pts []orb.Point, workers int) []int32 {
	out := make([]int32, len(pts))
	forEachSpatial(len(pts), func(i int) orb.Point { return pts[i] }, workers, func(i int, p orb.Point) {
		out[i] = l.zoneOf(p[0], p[1])
	})
	return out
}

// zoneOf returns the lowest-index zone containing (x, y), or -1.
func (l *ZoneLocator) zoneOf(x, y float64) int32 {
	g := &l.grid
	c := g.cellOf(x, y)
	if c < 0 {
		return -1
	}
	if z := g.fast[c]; z >= 0 {
		return z
	}
	best := int32(-1)
	zs := &l.polys
	for _, pi := range g.ids[g.off[c]:g.off[c+1]] {
		pp := &zs.polys[pi]
		if best >= 0 && pp.owner >= best {
			break // ids ascend with owners: nothing lower can follow
		}
		if x < pp.minX || x > pp.maxX || y < pp.minY || y > pp.maxY {
			continue
		}
		if zs.contains(int(pi), x, y) {
			best = pp.owner
		}
	}
	return best
}

// zoneOf returns the lowest-index zone containing (x, y), or -1.
func (ix *Index) zoneOf(x, y float64) int32 { return ix.zones().zoneOf(x, y) }

// zones returns the metric-frame zone locator, building it on first use.
func (ix *Index) zones() *ZoneLocator {
	ix.zlOnce.Do(func() {
		in := ix.in
		ix.zl.build(len(in.Zones), func(i int) orb.Geometry { return in.Zones[i].Geom })
	})
	return &ix.zl
}

// nodesPerCell is the mean number of fibre nodes per cell of the nearest-node
// grid (a variable so that benchmarks can sweep it).
var nodesPerCell = 2.0

// segSet is a set of segments indexed by an R-tree of their boxes.
type segSet struct {
	segs []edge
	rt   rtree.RTreeG[int32]
}

// addLine adds the segments of l (those with finite ends).
func (s *segSet) addLine(l orb.LineString) {
	for k := 0; k+1 < len(l); k++ {
		a, b := l[k], l[k+1]
		if !finite(a[0], a[1]) || !finite(b[0], b[1]) {
			continue
		}
		s.rt.Insert([2]float64{min(a[0], b[0]), min(a[1], b[1])},
			[2]float64{max(a[0], b[0]), max(a[1], b[1])}, int32(len(s.segs)))
		s.segs = append(s.segs, edge{a[0], a[1], b[0], b[1]})
	}
}

// eachRing calls fn for every ring of a polygon or multipolygon.
func eachRing(g orb.Geometry, fn func(orb.Ring)) {
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			fn(r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				fn(r)
			}
		}
	}
}
