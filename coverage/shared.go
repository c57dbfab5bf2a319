package coverage

import (
	"container/heap"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Fixed costs belong to sites, not to zones (MODEL.md §3): the area pass
// places the new optical nodes once for the whole area and joins every
// zone's fibre tree to the network by the shortest way — to the existing
// network, a new node, or a neighbouring zone's tree — so that splitting
// an area into smaller zones does not multiply nodes, collection links and
// feeders. The zones then pay their share: a node by the units it serves,
// a feeder by the zone it joins.

// newNode is one cluster of premises beyond reach of the existing network,
// served by new optical nodes at its seed premise.
type newNode struct {
	seed  orb.Point
	units int
	nodes int     // ⌈units ÷ node_max_units⌉
	eur   float64 // nodes × new_node_eur + its collection link
}

// fibreArea is the area pass's result at premise level.
type fibreArea struct {
	// clusterOf is each premise's new-node cluster (-1: none); nil when no
	// premise needs a new node.
	clusterOf []int32
	clusters  []newNode
	// feederM is each zone's feeder: the straight-line distance joining its
	// tree to the network, a new node or a neighbouring zone's tree (0 when
	// it has no tree).
	feederM []float64
	// vclass is each premise's fibreVertex result, computed once, by
	// position in the evaluation's zone order (Evaluation.order):
	// vertexNone, vertexReached or vertexNewNode.
	vclass []uint8
	// zv are the zones' tree vertices, for the feeders.
	zv []zoneVertices
}

const (
	vertexNone    = 0
	vertexReached = 1 // a vertex fed from the existing network
	vertexNewNode = 2 // a vertex served by a new node
)

// vertexAt returns fibreVertex's result for the premise at position pos
// of the evaluation's zone order.
func (fa *fibreArea) vertexAt(pos int32) (vertex, newNode bool) {
	c := fa.vclass[pos]
	return c != vertexNone, c == vertexNewNode
}

// classify fills fa.vclass and gathers each zone's tree vertices (their
// positions, box, and root distance to the existing network; newNodes adds
// the distance to their new nodes), zone by zone in parallel: one pass
// over the premises in zone order.
func (e *evaluator) classify(fa *fibreArea) {
	fa.vclass = make([]uint8, len(e.ev.order))
	fa.zv = make([]zoneVertices, len(e.in.Zones))
	forEach(len(e.in.Zones), e.workers, func(z int) {
		zv := zoneVertices{rootM: math.Inf(1), lo: [2]float64{math.Inf(1), math.Inf(1)}, hi: [2]float64{math.Inf(-1), math.Inf(-1)}}
		lo, hi := e.ev.zoneSpan(z)
		for pos := lo; pos < hi; pos++ {
			i := e.ev.order[pos]
			m := &e.m[i]
			v, nn := e.md.fibreVertex(m)
			if !v {
				continue
			}
			fa.vclass[pos] = vertexReached
			if nn {
				fa.vclass[pos] = vertexNewNode
			} else {
				zv.rootM = min(zv.rootM, m.FibreDistM)
			}
			p := e.in.Premises[i].Pt
			zv.pts = append(zv.pts, [2]float32{float32(p[0]), float32(p[1])})
			zv.lo = [2]float64{min(zv.lo[0], p[0]), min(zv.lo[1], p[1])}
			zv.hi = [2]float64{max(zv.hi[0], p[0]), max(zv.hi[1], p[1])}
		}
		fa.zv[z] = zv
	})
}

// nodeShare is premise p's share of its new-node cluster c: nodes and euros
// by units.
func (fa *fibreArea) nodeShare(c int32, units int32) (nodes, eur float64) {
	nc := &fa.clusters[c]
	u := float64(max(units, 1)) / float64(nc.units)
	return float64(nc.nodes) * u, nc.eur * u
}

// fibreVertex reports whether premise p (measured m) is a vertex of its
// zone's new fibre tree — not yet passed, and within reach of the network
// or given a new node — and whether it needs a new node.
func (md *model) fibreVertex(m *PremiseMeasure) (vertex, newNode bool) {
	switch {
	case m.Passed:
		return false, false
	case md.fibreReachable(m):
		return true, false
	case md.sc.Fibre.AllowNewNodes:
		return true, true
	}
	return false, false
}

// fibreArea runs the area pass: new-node clusters, then the feeders.
func (e *evaluator) fibreArea() *fibreArea {
	fa := &fibreArea{}
	e.classify(fa)
	e.newNodes(fa)
	e.feeders(fa)
	return fa
}

// newNodes groups the premises of every zone that need a new node into
// clusters within GPON reach (straight line reach ÷ route factor of the
// seed), seeds taken in input order, and prices each cluster: new_node_eur
// per node_max_units units, and its collection link — fibre to the nearest
// active node within link_max_m, else leased transit. Deterministic.
func (e *evaluator) newNodes(fa *fibreArea) {
	md, ev := e.md, e.ev
	f := &md.sc.Fibre
	var need []int32
	for pos, i := range ev.order {
		if fa.vclass[pos] == vertexNewNode {
			need = append(need, i)
		}
	}
	if len(need) == 0 {
		return
	}
	slices.Sort(need) // input order: the seeds
	rad := f.ReachM / f.RouteFactor
	cell := func(p orb.Point) [2]int64 {
		return [2]int64{int64(math.Floor(p[0] / rad)), int64(math.Floor(p[1] / rad))}
	}
	buckets := make(map[[2]int64][]int32)
	for _, i := range need {
		k := cell(e.in.Premises[i].Pt)
		buckets[k] = append(buckets[k], i)
	}
	fa.clusterOf = make([]int32, len(e.in.Premises))
	for i := range fa.clusterOf {
		fa.clusterOf[i] = -1
	}
	for _, s := range need {
		if fa.clusterOf[s] >= 0 {
			continue
		}
		c := int32(len(fa.clusters))
		seed := e.in.Premises[s].Pt
		k := cell(seed)
		units := 0
		for dy := int64(-1); dy <= 1; dy++ {
			for dx := int64(-1); dx <= 1; dx++ {
				for _, i := range buckets[[2]int64{k[0] + dx, k[1] + dy}] {
					p := &e.in.Premises[i]
					if fa.clusterOf[i] >= 0 || sqDist(p.Pt, seed) > rad*rad {
						continue
					}
					fa.clusterOf[i] = c
					units += int(max(p.Units, 1))
				}
			}
		}
		nodes := max(1, int(math.Ceil(float64(units)/float64(max(f.NodeMaxUnits, 1))-1e-9)))
		_, d := md.ix.NearestNode(seed)
		fa.clusters = append(fa.clusters, newNode{seed: seed, units: units, nodes: nodes,
			eur: float64(nodes)*f.NewNodeEUR + md.linkEUR(d)})
	}
	// A zone's tree joins its premises' new nodes at the nearest of them.
	for _, i := range need {
		z := e.m[i].Zone
		d := math.Sqrt(sqDist(e.in.Premises[i].Pt, fa.clusters[fa.clusterOf[i]].seed))
		fa.zv[z].rootM = min(fa.zv[z].rootM, d)
	}
}

func sqDist(a, b orb.Point) float64 {
	dx, dy := a[0]-b[0], a[1]-b[1]
	return dx*dx + dy*dy
}

// zoneVertices are the fibre tree vertices of one zone for the feeder
// pass: their positions (float32: to half a metre at Lambert-93
// northings, plenty for feeders) bucketed on a small grid over their bounding box (pts
// in cell order, cell c holding pts[start[c]:start[c+1]]), and the zone's
// own root distance — to the existing network, or to its premises' new
// nodes.
type zoneVertices struct {
	pts    [][2]float32
	lo, hi [2]float64
	rootM  float64 // +Inf without vertices
	cellM  float64
	nx, ny int
	start  []int32
}

// feeders computes every zone's feeder: the minimum spanning tree of the
// zones and the network, where a zone joins the network at its own root
// distance and two zones are joined by the shortest distance between their
// tree vertices (Prim's algorithm from the network). A zone pays the edge
// that joins it: for cells of one village 2 km from a node, one cell pays
// the 2 km and the others the short links between cells, as one zone
// would.
func (e *evaluator) feeders(fa *fibreArea) {
	forEach(len(fa.zv), e.workers, func(z int) { fa.zv[z].bucket() })
	fa.feederM = feedersOf(fa.zv, e.workers)
	fa.zv = nil
}

// feedersOf is the feeder of each zone given its tree vertices: the edge
// joining it in the minimum spanning tree of the zones and the network
// (0 for a zone without vertices).
func feedersOf(zs []zoneVertices, workers int) []float64 {
	nz := len(zs)
	feederM := make([]float64, nz)
	var rt rtree.RTreeG[int32]
	for z := range zs {
		if len(zs[z].pts) > 0 {
			rt.Insert(zs[z].lo, zs[z].hi, int32(z))
		}
	}
	// Candidate edges: zone z measures its distance to every zone y whose
	// box is nearer than z's own root (only such an edge can shorten z's
	// feeder); a pair both ends would measure is measured once, by the lower
	// index.
	edges := make([][]zoneEdge, nz)
	forEach(nz, workers, func(z int) {
		a := &zs[z]
		if len(a.pts) == 0 || a.rootM == 0 {
			return
		}
		r := a.rootM
		rt.Search([2]float64{a.lo[0] - r, a.lo[1] - r}, [2]float64{a.hi[0] + r, a.hi[1] + r}, func(_, _ [2]float64, y32 int32) bool {
			y := int(y32)
			b := &zs[y]
			bd := boxDist(a.lo, a.hi, b.lo, b.hi)
			if y == z || bd >= r || (bd < b.rootM && y < z) {
				return true
			}
			// The edge matters when shorter than either root; vertexDist
			// returns its bound when no pair is nearer, which is no edge.
			bound := max(r, b.rootM)
			if d := vertexDist(a, b, bound); d < bound {
				edges[z] = append(edges[z], zoneEdge{int32(y), d})
			}
			return true
		})
	})
	adj := make([][]zoneEdge, nz)
	for z := range edges {
		for _, ed := range edges[z] {
			adj[z] = append(adj[z], ed)
			adj[ed.to] = append(adj[ed.to], zoneEdge{int32(z), ed.d})
		}
	}
	// Prim from the network: a zone's key starts at its root distance.
	done := make([]bool, nz)
	pq := make(zoneHeap, 0, nz)
	for z := range zs {
		feederM[z] = zs[z].rootM
		if len(zs[z].pts) > 0 {
			pq = append(pq, zoneEdge{int32(z), zs[z].rootM})
		} else {
			feederM[z], done[z] = 0, true
		}
	}
	primZones(&pq, adj, feederM, done)
	return feederM
}

// primZones runs Prim's algorithm from the network over the zones: pq
// holds every zone not done with its key (its distance to the network);
// key[z] ends as the edge joining zone z to the tree.
func primZones(pq *zoneHeap, adj [][]zoneEdge, key []float64, done []bool) {
	heap.Init(pq)
	for pq.Len() > 0 {
		top := heap.Pop(pq).(zoneEdge)
		z := int(top.to)
		if done[z] || top.d > key[z] {
			continue
		}
		done[z] = true
		for _, ed := range adj[z] {
			if y := ed.to; !done[y] && ed.d < key[y] {
				key[y] = ed.d
				heap.Push(pq, zoneEdge{y, ed.d})
			}
		}
	}
}

// bucket sorts the vertices into a grid of about four per cell (at most
// 64 × 64 cells). The box grows by a metre on every side first, so that
// the float32 positions (to half a metre at Lambert-93 northings) fall
// inside their cells' boxes and pruning on boxes stays conservative.
func (zv *zoneVertices) bucket() {
	n := len(zv.pts)
	if n == 0 {
		return
	}
	zv.lo = [2]float64{zv.lo[0] - 1, zv.lo[1] - 1}
	zv.hi = [2]float64{zv.hi[0] + 1, zv.hi[1] + 1}
	w, h := zv.hi[0]-zv.lo[0], zv.hi[1]-zv.lo[1]
	zv.cellM = max(math.Sqrt(w*h/float64(n)*4), w/64, h/64, 1)
	zv.nx, zv.ny = int(w/zv.cellM)+1, int(h/zv.cellM)+1
	zv.start = make([]int32, zv.nx*zv.ny+1)
	cells := make([]int32, n)
	for k, p := range zv.pts {
		cells[k] = int32(zv.cellOf(p))
		zv.start[cells[k]+1]++
	}
	for c := range zv.nx * zv.ny {
		zv.start[c+1] += zv.start[c]
	}
	sorted := make([][2]float32, n)
	next := slices.Clone(zv.start[:zv.nx*zv.ny])
	for k, p := range zv.pts {
		sorted[next[cells[k]]] = p
		next[cells[k]]++
	}
	zv.pts = sorted
}

func (zv *zoneVertices) cellOf(p [2]float32) int {
	cx := min(max(int((float64(p[0])-zv.lo[0])/zv.cellM), 0), zv.nx-1)
	cy := min(max(int((float64(p[1])-zv.lo[1])/zv.cellM), 0), zv.ny-1)
	return cy*zv.nx + cx
}

// cellBox is the box of cell (cx, cy).
func (zv *zoneVertices) cellBox(cx, cy int) (lo, hi [2]float64) {
	lo = [2]float64{zv.lo[0] + float64(cx)*zv.cellM, zv.lo[1] + float64(cy)*zv.cellM}
	return lo, [2]float64{lo[0] + zv.cellM, lo[1] + zv.cellM}
}

// boxDist is the distance between two boxes (0 when they overlap).
func boxDist(alo, ahi, blo, bhi [2]float64) float64 {
	dx := max(0, blo[0]-ahi[0], alo[0]-bhi[0])
	dy := max(0, blo[1]-ahi[1], alo[1]-bhi[1])
	return math.Hypot(dx, dy)
}

// vertexDist is the shortest distance between a vertex of a and one of b,
// or bound when none is nearer. Only the cells of a nearer to b's box than
// the best distance so far are visited, nearest first; each of their
// vertices near enough to b's box is compared with the vertices of b's
// cells near enough to it.
func vertexDist(a, b *zoneVertices, bound float64) float64 {
	type cellAt struct {
		d      float64
		cx, cy int
	}
	var cells []cellAt
	for cy := range a.ny {
		for cx := range a.nx {
			c := cy*a.nx + cx
			if a.start[c] == a.start[c+1] {
				continue
			}
			lo, hi := a.cellBox(cx, cy)
			if d := boxDist(lo, hi, b.lo, b.hi); d < bound {
				cells = append(cells, cellAt{d, cx, cy})
			}
		}
	}
	slices.SortFunc(cells, func(x, y cellAt) int { return cmpFloat(x.d, y.d) })
	best := bound * bound
	for _, c := range cells {
		if c.d*c.d >= best {
			break
		}
		k := c.cy*a.nx + c.cx
		for _, p := range a.pts[a.start[k]:a.start[k+1]] {
			if boxPointD2(b.lo, b.hi, p) < best {
				best = b.nearestWithin(p, best)
			}
		}
	}
	return math.Sqrt(best)
}

// nearestWithin is the smallest squared distance from p to a vertex of zv,
// or best when none is nearer.
func (zv *zoneVertices) nearestWithin(p [2]float32, best float64) float64 {
	r := math.Sqrt(best)
	x, y := float64(p[0]), float64(p[1])
	cx0 := max(int((x-r-zv.lo[0])/zv.cellM), 0)
	cx1 := min(int((x+r-zv.lo[0])/zv.cellM), zv.nx-1)
	cy0 := max(int((y-r-zv.lo[1])/zv.cellM), 0)
	cy1 := min(int((y+r-zv.lo[1])/zv.cellM), zv.ny-1)
	for cy := cy0; cy <= cy1; cy++ {
		for cx := cx0; cx <= cx1; cx++ {
			k := cy*zv.nx + cx
			if zv.start[k] == zv.start[k+1] {
				continue
			}
			if lo, hi := zv.cellBox(cx, cy); boxPointD2(lo, hi, p) >= best {
				continue
			}
			for _, q := range zv.pts[zv.start[k]:zv.start[k+1]] {
				best = min(best, d2f(p, q))
			}
		}
	}
	return best
}

// boxPointD2 is the squared distance from p to the box lo..hi.
func boxPointD2(lo, hi [2]float64, p [2]float32) float64 {
	x, y := float64(p[0]), float64(p[1])
	dx := max(0, lo[0]-x, x-hi[0])
	dy := max(0, lo[1]-y, y-hi[1])
	return dx*dx + dy*dy
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func d2f(p, q [2]float32) float64 {
	dx, dy := float64(p[0])-float64(q[0]), float64(p[1])-float64(q[1])
	return dx*dx + dy*dy
}

// zoneEdge is an edge of the zones' graph (to a zone, length d metres).
type zoneEdge struct {
	to int32
	d  float64
}

type zoneHeap []zoneEdge

func (h zoneHeap) Len() int { return len(h) }
func (h zoneHeap) Less(i, j int) bool {
	if h[i].d != h[j].d {
		return h[i].d < h[j].d
	}
	return h[i].to < h[j].to
}
func (h zoneHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *zoneHeap) Push(x any)   { *h = append(*h, x.(zoneEdge)) }
func (h *zoneHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
