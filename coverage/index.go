package coverage

import (
	"math"

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

	zones  polySet
	zoneRT rtree.RTreeG[int32] // bbox of zones.polys[i] -> i
	// zoneGrid lists, per cell of a uniform grid over the zones, the
	// prepared polygons whose bounding box meets the cell (built from
	// zoneRT), so that the per-premise lookup is one array access.
	zoneGrid cellLists

	served   polySet
	servedRT rtree.RTreeG[int32]

	nodes pointGrid // active nodes; ids index Input.Nodes

	segs   []edge // segments of active lines
	segRT  rtree.RTreeG[int32]
	segMax float64 // longest segment, metres

	aps  []apDisc
	apRT rtree.RTreeG[int32] // disc bbox of aps[i] -> i
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
	for i, z := range in.Zones {
		ix.zones.addGeometry(z.Geom, int32(i))
	}
	for i := range ix.zones.polys {
		p := &ix.zones.polys[i]
		ix.zoneRT.Insert([2]float64{p.minX, p.minY}, [2]float64{p.maxX, p.maxY}, int32(i))
	}
	ix.zoneGrid = newCellLists(&ix.zones, &ix.zoneRT)

	for i, s := range in.Served {
		if s.Active {
			ix.served.addGeometry(s.Geom, int32(i))
		}
	}
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
	ix.nodes = newPointGrid(xs, ys, ids, 2)

	for _, l := range in.Lines {
		if !l.Active {
			continue
		}
		for k := 0; k+1 < len(l.Line); k++ {
			a, b := l.Line[k], l.Line[k+1]
			if !finite(a[0], a[1]) || !finite(b[0], b[1]) {
				continue
			}
			ix.segRT.Insert([2]float64{math.Min(a[0], b[0]), math.Min(a[1], b[1])},
				[2]float64{math.Max(a[0], b[0]), math.Max(a[1], b[1])}, int32(len(ix.segs)))
			ix.segs = append(ix.segs, edge{a[0], a[1], b[0], b[1]})
			ix.segMax = math.Max(ix.segMax, math.Hypot(b[0]-a[0], b[1]-a[1]))
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
	return ix
}

// cellLists is a uniform grid whose cells list the ids of the prepared
// polygons whose bounding box meets the cell, ascending.
type cellLists struct {
	x0, y0, inv float64
	nx, ny      int
	off         []int32
	ids         []int32
}

// newCellLists builds the grid over the polygons of s, with about four cells
// per polygon, asking rt (the R-tree of the polygons' bounding boxes) for the
// candidates of each cell.
func newCellLists(s *polySet, rt *rtree.RTreeG[int32]) cellLists {
	var g cellLists
	n := len(s.polys)
	if n == 0 {
		return g
	}
	bmin, bmax := rt.Bounds()
	w, h := bmax[0]-bmin[0], bmax[1]-bmin[1]
	cells := 4 * float64(n)
	cs := math.Sqrt(w * h / cells)
	if !(cs > 0) {
		cs = math.Max(math.Max(w, h)/cells, 1)
	}
	for (w/cs+1)*(h/cs+1) > 2*cells+16 {
		cs *= 1.25
	}
	g.x0, g.y0, g.inv = bmin[0], bmin[1], 1/cs
	g.nx, g.ny = int(w*g.inv)+1, int(h*g.inv)+1
	g.off = make([]int32, 0, g.nx*g.ny+1)
	var buf []int32
	for cy := range g.ny {
		for cx := range g.nx {
			g.off = append(g.off, int32(len(g.ids)))
			// The cell, widened by a hair so that rounding in cellOf can
			// never leave out a polygon that touches the cell.
			lo := [2]float64{g.x0 + float64(cx)*cs, g.y0 + float64(cy)*cs}
			hi := [2]float64{g.x0 + float64(cx+1)*cs, g.y0 + float64(cy+1)*cs}
			eps := cs * 1e-9
			lo[0], lo[1], hi[0], hi[1] = lo[0]-eps, lo[1]-eps, hi[0]+eps, hi[1]+eps
			buf = buf[:0]
			rt.Search(lo, hi, func(_, _ [2]float64, id int32) bool {
				buf = append(buf, id)
				return true
			})
			sortInt32(buf)
			g.ids = append(g.ids, buf...)
		}
	}
	g.off = append(g.off, int32(len(g.ids)))
	return g
}

// cell returns the candidate ids for (x, y), nil when outside the grid.
func (g *cellLists) cell(x, y float64) []int32 {
	if g.nx == 0 {
		return nil
	}
	fx, fy := (x-g.x0)*g.inv, (y-g.y0)*g.inv
	if !(fx >= 0 && fy >= 0 && fx < float64(g.nx) && fy < float64(g.ny)) {
		return nil // outside every bounding box, or NaN
	}
	c := int(fy)*g.nx + int(fx)
	return g.ids[g.off[c]:g.off[c+1]]
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

// zoneOf returns the lowest-index zone containing (x, y), or -1.
func (ix *Index) zoneOf(x, y float64) int32 {
	best := int32(-1)
	zs := &ix.zones
	for _, pi := range ix.zoneGrid.cell(x, y) {
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
