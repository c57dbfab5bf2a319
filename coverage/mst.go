package coverage

import (
	"math"
	"math/bits"

	"github.com/paulmach/orb"
)

// mstEdge is one edge of a spanning tree: indices into the points given to
// mstBuf.build and the Euclidean length in metres.
type mstEdge struct {
	A, B int32
	LenM float64
}

// mstBuf computes Euclidean minimum spanning trees and keeps its scratch
// space between calls, so that a worker allocates only while its buffers
// grow. The zero value is ready to use; a mstBuf is not safe for
// concurrent use.
//
// Up to primMax points the tree is exact (Prim, O(n²)). Above, it is the
// minimum spanning forest of a k-nearest-neighbour graph found on a grid
// (Kruskal), whose components are then joined by a tree over a few extreme
// points of each component. On points spread like premises the result is
// within a fraction of a percent of the exact tree (see the differential
// test) and runs in O(n log n).
type mstBuf struct {
	Edges []mstEdge

	best   []float64
	from   []int32
	inTree []bool

	cellStart []int32
	cellPts   []int32
	cellOf    []int32
	keys      []uint64
	ea, eb    []int32
	ed        []float64
	uf        []int32

	nbr    []int32
	nbrD   []float64
	sx, sy []float64
	blkX   []float64 // knn: the points of a cell's 3×3 block
	blkY   []float64
	blkS   []int32
	nbrCnt []int32
	tmp    []uint64

	comp    []int32
	repPts  []orb.Point
	repComp []int32
}

const (
	primMax  = 200
	mstK     = 5
	ringMaxR = 3
)

// build computes the spanning tree of pts into b.Edges (len(pts)-1 edges,
// or none for fewer than 2 points) and returns its total length in metres.
func (b *mstBuf) build(pts []orb.Point) float64 {
	b.Edges = b.Edges[:0]
	n := len(pts)
	if n < 2 {
		return 0
	}
	if n <= primMax {
		return b.prim(pts)
	}
	return b.grid(pts)
}

func (b *mstBuf) prim(pts []orb.Point) float64 {
	n := len(pts)
	// The points not yet in the tree are kept compact at the front of
	// parallel arrays (coordinates, point index, best key), removed by
	// swapping with the last, so the inner loop reads memory in order. A
	// point's key packs its squared distance to the tree (as float32 bits,
	// which order like the distances) above the tree point achieving it, so
	// that keeping the best is a branch-free integer min. Edge lengths are
	// then recomputed exactly.
	b.keys = growU(b.keys, n)
	b.nbr = growI(b.nbr, n)
	b.nbrD = growF(b.nbrD, 2*n)
	m := n - 1
	xs, ys := b.nbrD[:m], b.nbrD[n:n+m]
	id, best := b.nbr[:m], b.keys[:m]
	for q := range m {
		xs[q], ys[q] = pts[q+1][0], pts[q+1][1]
		id[q] = int32(q + 1)
		best[q] = math.MaxUint64
	}
	total := 0.0
	cx, cy := pts[0][0], pts[0][1]
	cur := uint64(0)
	for m > 0 {
		xs, ys, id, best = xs[:m], ys[:m], id[:m], best[:m]
		bq, bk := 0, uint64(math.MaxUint64)
		for q := range xs {
			dx, dy := xs[q]-cx, ys[q]-cy
			k := min(best[q], uint64(math.Float32bits(float32(dx*dx+dy*dy)))<<32|cur)
			best[q] = k
			if k < bk {
				bk, bq = k, q
			}
		}
		next := id[bq]
		from := int32(uint32(bk))
		l := math.Hypot(xs[bq]-pts[from][0], ys[bq]-pts[from][1])
		b.Edges = append(b.Edges, mstEdge{A: from, B: next, LenM: l})
		total += l
		cx, cy, cur = xs[bq], ys[bq], uint64(next)
		m--
		xs[bq], ys[bq], id[bq], best[bq] = xs[m], ys[m], id[m], best[m]
	}
	return total
}

func (b *mstBuf) grid(pts []orb.Point) float64 {
	n := len(pts)
	minX, minY, maxX, maxY := pts[0][0], pts[0][1], pts[0][0], pts[0][1]
	for _, p := range pts[1:] {
		minX, maxX = min(minX, p[0]), max(maxX, p[0])
		minY, maxY = min(minY, p[1]), max(maxY, p[1])
	}
	w, h := maxX-minX, maxY-minY
	cell := math.Sqrt(max(w*h, 1) / float64(n))
	if cell <= 0 || math.IsNaN(cell) {
		cell = 1
	}
	// Clustered premises leave most of the bounding box empty: shrink the
	// cells (up to 16 per point) until occupied ones hold about two points.
	nx, ny := 0, 0
	for try := 0; ; try++ {
		nx, ny = int(w/cell)+1, int(h/cell)+1
		for nx*ny > 16*n {
			cell *= 1.25
			nx, ny = int(w/cell)+1, int(h/cell)+1
		}
		if try == 3 {
			break
		}
		occ := b.occupied(pts, minX, minY, cell, nx, ny)
		if float64(n) <= 3*float64(occ) || nx*ny*2 > 16*n {
			break
		}
		cell /= math.Sqrt(float64(n) / float64(occ) / 2)
	}
	inv := 1 / cell
	nc := nx * ny
	b.cellStart = growI(b.cellStart, nc+1)
	clear(b.cellStart)
	b.cellOf = growI(b.cellOf, n)
	for i, p := range pts {
		cx := min(int((p[0]-minX)*inv), nx-1)
		cy := min(int((p[1]-minY)*inv), ny-1)
		c := int32(cy*nx + cx)
		b.cellOf[i] = c
		b.cellStart[c+1]++
	}
	for c := 1; c <= nc; c++ {
		b.cellStart[c] += b.cellStart[c-1]
	}
	b.cellPts = growI(b.cellPts, n)
	// fill using best as a per-cell cursor would need another slice; reuse from.
	b.from = growI(b.from, nc)
	copy(b.from, b.cellStart[:nc])
	for i := range n {
		c := b.cellOf[i]
		b.cellPts[b.from[c]] = int32(i)
		b.from[c]++
	}

	// k nearest neighbours of every point, searched ring by ring, kept in
	// nbr/nbrD (k slots per point; nbrCnt says how many are used).
	b.nbr = growI(b.nbr, n*mstK)
	b.nbrD = growF(b.nbrD, n*mstK)
	b.nbrCnt = growI(b.nbrCnt, n)
	// Coordinates in cell order, so that scanning a cell reads memory in order.
	b.sx = growF(b.sx, n)
	b.sy = growF(b.sy, n)
	for s, i := range b.cellPts[:n] {
		b.sx[s], b.sy[s] = pts[i][0], pts[i][1]
	}
	b.knn(n, nx, ny, minX, minY, cell)
	total := b.kruskal(n)
	if len(b.Edges) < n-1 {
		total += b.join(pts)
	}
	return total
}

// kruskal builds the minimum spanning forest of the n points' k-nearest-
// neighbour graph (knn's lists) into b.Edges and returns its length.
func (b *mstBuf) kruskal(n int) float64 {
	// Candidate edges: each undirected edge once. (i, j) with i > j is
	// kept only when i is not among j's neighbours (j's list holds every
	// point closer than its last entry when full).
	b.ea, b.eb, b.ed = b.ea[:0], b.eb[:0], b.ed[:0]
	for i := range n {
		for q := range int(b.nbrCnt[i]) {
			j := b.nbr[i*mstK+q]
			d := b.nbrD[i*mstK+q]
			if int(j) < i {
				if b.listed(int(j), int32(i)) {
					continue
				}
			}
			b.ea = append(b.ea, int32(i))
			b.eb = append(b.eb, j)
			b.ed = append(b.ed, d)
		}
	}

	// Kruskal on the candidate edges, sorted by length (radix sort on the
	// float32 bits of the length, which order like the lengths).
	m := len(b.ea)
	b.keys = growU(b.keys, m)
	for e := range m {
		b.keys[e] = uint64(math.Float32bits(float32(b.ed[e])))<<32 | uint64(e)
	}
	b.tmp = growU(b.tmp, m)
	radixSortHigh32(b.keys, b.tmp)
	b.uf = growI(b.uf, n)
	for i := range n {
		b.uf[i] = int32(i)
	}
	total := 0.0
	for _, k := range b.keys {
		e := int(uint32(k))
		if b.union(b.ea[e], b.eb[e]) {
			b.Edges = append(b.Edges, mstEdge{A: b.ea[e], B: b.eb[e], LenM: b.ed[e]})
			total += b.ed[e]
			if len(b.Edges) == n-1 {
				break
			}
		}
	}
	return total
}

// knn finds the mstK nearest neighbours of every point into nbr/nbrD
// (mstK slots per point; nbrCnt says how many are used), searched ring by
// ring of grid cells around the point's own: ring 0 (its cell) and ring 1
// from a buffer gathered once per cell for all its points, farther rings
// cell by cell while they can still hold a nearer point. Of points at the
// same distance the first met is kept (own cell, then the others row by
// row). The hot loops work on locals, which the compiler keeps in
// registers.
func (b *mstBuf) knn(n, nx, ny int, minX, minY, cell float64) {
	inv := 1 / cell
	sx, sy := b.sx[:n], b.sy[:n]
	cellStart := b.cellStart[:nx*ny+1]
	cellPts := b.cellPts[:n]
	nbr, nbrD, nbrCnt := b.nbr[:n*mstK], b.nbrD[:n*mstK], b.nbrCnt[:n]
	maxR := max(nx, ny)
	blkX, blkY, blkS := b.blkX[:0], b.blkY[:0], b.blkS[:0]
	const none = uint64(math.MaxUint64)
	mask := uint64(1)<<bits.Len(uint(n)) - 1
	for c := range nx * ny {
		lo, hi := int(cellStart[c]), int(cellStart[c+1])
		if lo == hi {
			continue
		}
		cx, cy := c%nx, c/nx
		// The block: the cell's own points, then ring 1 row by row.
		blkX, blkY, blkS = blkX[:0], blkY[:0], blkS[:0]
		blkX, blkY = append(blkX, sx[lo:hi]...), append(blkY, sy[lo:hi]...)
		for t := lo; t < hi; t++ {
			blkS = append(blkS, int32(t))
		}
		for yy := max(cy-1, 0); yy <= min(cy+1, ny-1); yy++ {
			for xx := max(cx-1, 0); xx <= min(cx+1, nx-1); xx++ {
				if xx == cx && yy == cy {
					continue
				}
				cc := yy*nx + xx
				l, h := int(cellStart[cc]), int(cellStart[cc+1])
				blkX, blkY = append(blkX, sx[l:h]...), append(blkY, sy[l:h]...)
				for t := l; t < h; t++ {
					blkS = append(blkS, int32(t))
				}
			}
		}
		for s := lo; s < hi; s++ {
			px, py := sx[s], sy[s]
			// The mstK nearest so far, ascending, as keys: the squared
			// distance's bits (which order like the distances) with the
			// low bits replaced by the point's position in cell order, so
			// that keeping the nearest is a branch-free min/max chain.
			// Distances within 2^-(52-bits) relative tie, broken by position.
			k0, k1, k2, k3, k4 := none, none, none, none, none
			for q := range blkX {
				if int(blkS[q]) == s {
					continue
				}
				dx, dy := blkX[q]-px, blkY[q]-py
				k := math.Float64bits(dx*dx+dy*dy)&^mask | uint64(blkS[q])
				k0, k = min(k0, k), max(k0, k)
				k1, k = min(k1, k), max(k1, k)
				k2, k = min(k2, k), max(k2, k)
				k3, k = min(k3, k), max(k3, k)
				k4 = min(k4, k)
			}
			// Points of ring r lie outside the (2r-1)² block of cells
			// around the point's own, so at least (r-1 + m) cells away, m
			// being the point's distance to its cell's nearest edge (in
			// cells, less a margin for rounding).
			fx, fy := (px-minX)*inv-float64(cx), (py-minY)*inv-float64(cy)
			m := max(min(fx, 1-fx, fy, 1-fy)-1e-9, 0)
			for r := 2; r <= maxR; r++ {
				// k4|mask bounds the 5th distance from above.
				if lb := (float64(r-1) + m) * cell; k4 != none && lb*lb > math.Float64frombits(k4|mask) {
					break
				}
				if k0 != none && r > ringMaxR {
					break
				}
				for yy := max(cy-r, 0); yy <= min(cy+r, ny-1); yy++ {
					step := 1
					if yy != cy-r && yy != cy+r {
						step = 2 * r
					}
					row := yy * nx
					for xx := cx - r; xx <= cx+r; xx += step {
						if xx < 0 || xx >= nx {
							continue
						}
						l, h := int(cellStart[row+xx]), int(cellStart[row+xx+1])
						for t := l; t < h; t++ {
							dx, dy := sx[t]-px, sy[t]-py
							k := math.Float64bits(dx*dx+dy*dy)&^mask | uint64(t)
							k0, k = min(k0, k), max(k0, k)
							k1, k = min(k1, k), max(k1, k)
							k2, k = min(k2, k), max(k2, k)
							k3, k = min(k3, k), max(k3, k)
							k4 = min(k4, k)
						}
					}
				}
			}
			// Exact lengths of the kept ones.
			i := int(cellPts[s])
			cnt := 0
			for _, k := range [mstK]uint64{k0, k1, k2, k3, k4} {
				if k == none {
					break
				}
				t := int(k & mask)
				dx, dy := sx[t]-px, sy[t]-py
				nbr[i*mstK+cnt] = cellPts[t]
				nbrD[i*mstK+cnt] = math.Sqrt(dx*dx + dy*dy)
				cnt++
			}
			nbrCnt[i] = int32(cnt)
		}
	}
	b.blkX, b.blkY, b.blkS = blkX, blkY, blkS
}

// occupied counts the grid cells holding at least one of pts.
func (b *mstBuf) occupied(pts []orb.Point, minX, minY, cell float64, nx, ny int) int {
	b.inTree = growB(b.inTree, nx*ny)
	clear(b.inTree)
	inv := 1 / cell
	occ := 0
	for _, p := range pts {
		cx := min(int((p[0]-minX)*inv), nx-1)
		cy := min(int((p[1]-minY)*inv), ny-1)
		if c := cy*nx + cx; !b.inTree[c] {
			b.inTree[c] = true
			occ++
		}
	}
	return occ
}

// listed reports whether q is among point j's neighbours.
func (b *mstBuf) listed(j int, q int32) bool {
	for _, x := range b.nbr[j*mstK : j*mstK+int(b.nbrCnt[j])] {
		if x == q {
			return true
		}
	}
	return false
}

// radixSortHigh32 sorts keys by their high 32 bits (stable, LSD, 4 passes
// of 8 bits), using tmp (same length) as scratch.
func radixSortHigh32(keys, tmp []uint64) {
	src, dst := keys, tmp
	for shift := uint(32); shift < 64; shift += 8 {
		var cnt [257]int
		for _, k := range src {
			cnt[(k>>shift)&0xff+1]++
		}
		for i := 1; i < 257; i++ {
			cnt[i] += cnt[i-1]
		}
		for _, k := range src {
			d := (k >> shift) & 0xff
			dst[cnt[d]] = k
			cnt[d]++
		}
		src, dst = dst, src
	}
	// 4 passes: the result is back in keys.
}

func (b *mstBuf) find(x int32) int32 {
	for b.uf[x] != x {
		b.uf[x] = b.uf[b.uf[x]]
		x = b.uf[x]
	}
	return x
}

func (b *mstBuf) union(x, y int32) bool {
	rx, ry := b.find(x), b.find(y)
	if rx == ry {
		return false
	}
	if rx < ry {
		b.uf[ry] = rx
	} else {
		b.uf[rx] = ry
	}
	return true
}

// join connects the components of the k-NN forest with a spanning tree over
// each component's extreme points (in 8 directions): the points where two
// separate clusters come closest are almost always among them.
func (b *mstBuf) join(pts []orb.Point) float64 {
	n := len(pts)
	b.comp = growI(b.comp, n)
	for i := range n {
		b.comp[i] = -1
	}
	nc := int32(0)
	// component ids by root, in order of first point (deterministic)
	for i := range n {
		r := b.find(int32(i))
		if b.comp[r] < 0 {
			b.comp[r] = nc
			nc++
		}
	}
	// More directions for few components (finer angular resolution), fewer
	// for many (the Prim below is quadratic in representatives).
	const dirs = 32
	perComp := dirs
	switch {
	case nc > 512:
		perComp = 2
	case nc > 64:
		perComp = 8
	}
	// best[c*dirs+d] = score, from = point index
	b.best = growF(b.best, int(nc)*dirs)
	b.from = growI(b.from, int(nc)*dirs)
	for i := range b.best[:int(nc)*dirs] {
		b.best[i] = math.Inf(-1)
		b.from[i] = -1
	}
	var dx [dirs][2]float64
	for d := range perComp {
		a := 2 * math.Pi * float64(d) / float64(perComp)
		dx[d] = [2]float64{math.Cos(a), math.Sin(a)}
	}
	for i, p := range pts {
		c := int(b.comp[b.find(int32(i))])
		for d := range perComp {
			s := dx[d][0]*p[0] + dx[d][1]*p[1]
			if s > b.best[c*dirs+d] {
				b.best[c*dirs+d] = s
				b.from[c*dirs+d] = int32(i)
			}
		}
	}
	b.repPts = b.repPts[:0]
	b.repComp = b.repComp[:0]
	repIdx := b.cellPts[:0] // reuse: point index of each rep
	for c := range int(nc) {
		for d := range perComp {
			j := b.from[c*dirs+d]
			dup := false
			for q := len(repIdx) - 1; q >= 0 && b.repComp[q] == int32(c); q-- {
				if repIdx[q] == j {
					dup = true
					break
				}
			}
			if !dup {
				repIdx = append(repIdx, j)
				b.repComp = append(b.repComp, int32(c))
			}
		}
	}
	b.cellPts = repIdx
	return b.joinReps(pts, repIdx, int(nc))
}

// joinReps joins nc components by Prim's algorithm over their
// representatives (repIdx, with b.repComp their components): a
// component's distance to the tree is its shortest representative pair.
// It appends the joining edges and returns their length.
func (b *mstBuf) joinReps(pts []orb.Point, repIdx []int32, nc int) float64 {
	R := len(repIdx)
	b.ed = growF(b.ed, R)
	b.ea = growI(b.ea, R) // nearest in-tree rep for each rep
	b.inTree = growB(b.inTree, nc)
	for i := range R {
		b.ed[i] = math.Inf(1)
		b.ea[i] = -1
	}
	for c := range nc {
		b.inTree[c] = false
	}
	total := 0.0
	addComp := func(c int32) {
		b.inTree[c] = true
		for r := range R {
			if b.repComp[r] != c {
				continue
			}
			p := pts[repIdx[r]]
			for q := range R {
				if b.inTree[b.repComp[q]] {
					continue
				}
				qp := pts[repIdx[q]]
				ddx, ddy := qp[0]-p[0], qp[1]-p[1]
				if d := ddx*ddx + ddy*ddy; d < b.ed[q] {
					b.ed[q] = d
					b.ea[q] = int32(r)
				}
			}
		}
	}
	addComp(0)
	for range nc - 1 {
		bq, bd := -1, math.Inf(1)
		for q := range R {
			if !b.inTree[b.repComp[q]] && b.ed[q] < bd {
				bq, bd = q, b.ed[q]
			}
		}
		l := math.Sqrt(bd)
		b.Edges = append(b.Edges, mstEdge{A: repIdx[b.ea[bq]], B: repIdx[bq], LenM: l})
		total += l
		addComp(b.repComp[bq])
	}
	return total
}

func growF(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n, n+n/4)
	}
	return s[:n]
}

func growI(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n, n+n/4)
	}
	return s[:n]
}

func growU(s []uint64, n int) []uint64 {
	if cap(s) < n {
		return make([]uint64, n, n+n/4)
	}
	return s[:n]
}

func growI8(s []int8, n int) []int8 {
	if cap(s) < n {
		return make([]int8, n)
	}
	return s[:n]
}

func growB(s []bool, n int) []bool {
	if cap(s) < n {
		return make([]bool, n, n+n/4)
	}
	return s[:n]
}
