package coverage

import (
	"math"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
)

// hilbertD returns the distance along the Hilbert curve of order `order`
// (a 2^order × 2^order grid) of cell (x, y). It is branch-free: the
// quadrant bits of random points are unpredictable.
func hilbertD(order uint, x, y uint32) uint32 {
	var d uint32
	for k := int(order) - 1; k >= 0; k-- {
		s := uint32(1) << k
		rx, ry := (x>>k)&1, (y>>k)&1
		d += s * s * ((3 * rx) ^ ry)
		// Rotate the quadrant: when ry == 0, flip (if rx == 1) then swap.
		flip := -(rx & (ry ^ 1)) & (s - 1)
		x, y = x^flip, y^flip
		swap := -(ry ^ 1) & (x ^ y)
		x, y = x^swap, y^swap
	}
	return d
}

// spatialOrder returns a permutation of the premises that visits them cell
// by cell along a Hilbert curve over their bounding box, so that consecutive
// premises are near each other and hit the same index nodes, polygon edges
// and grid cells in cache, and their points in that order (pts[k] is
// premises[perm[k]].Pt), so that the measuring loop reads memory
// sequentially. Within a cell the input order is kept, so the result is
// deterministic. It is a counting sort: two passes over the premises, no
// comparison sort.
func spatialOrder(premises []Premise) (perm []int32, pts []orb.Point) {
	return spatialOrderOf(len(premises), func(i int) orb.Point { return premises[i].Pt })
}

// spatialOrderOf is spatialOrder over n points given by ptOf.
func spatialOrderOf(n int, ptOf func(i int) orb.Point) (perm []int32, pts []orb.Point) {
	perm, pts, _ = spatialOrderWith(n, ptOf, nil)
	return perm, pts
}

// spatialOrderWith is spatialOrderOf that also gathers a second point per
// index in the same order (also[k] is alsoOf(perm[k])), when alsoOf is not
// nil: the gather then reads sequentially and writes at random, which costs
// far less than reading at random later.
func spatialOrderWith(n int, ptOf, alsoOf func(i int) orb.Point) (perm []int32, pts, also []orb.Point) {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := range n {
		p := ptOf(i)
		if !finite(p[0], p[1]) {
			continue
		}
		minX, maxX = min(minX, p[0]), max(maxX, p[0])
		minY, maxY = min(minY, p[1]), max(maxY, p[1])
	}
	// About 8 premises per cell, at most 2^10 × 2^10 cells.
	order := uint(min(max((bits.Len(uint(n/8))+1)/2, 1), 10))
	side := float64(uint32(1) << order)
	sx, sy := 0.0, 0.0
	if maxX > minX {
		sx = side / (maxX - minX)
	}
	if maxY > minY {
		sy = side / (maxY - minY)
	}
	cellOf := func(p [2]float64) uint32 {
		if !finite(p[0], p[1]) {
			return 0
		}
		cx := min(uint32(max((p[0]-minX)*sx, 0)), uint32(side)-1)
		cy := min(uint32(max((p[1]-minY)*sy, 0)), uint32(side)-1)
		return hilbertD(order, cx, cy)
	}
	// The keys in parallel, the counting sort serially.
	keys := make([]uint32, n)
	const chunk = 1 << 14
	parallelRows((n+chunk-1)/chunk, func(c int) {
		for i := c * chunk; i < min((c+1)*chunk, n); i++ {
			keys[i] = cellOf(ptOf(i))
		}
	})
	perm = make([]int32, n)
	pts = make([]orb.Point, n)
	if alsoOf != nil {
		also = make([]orb.Point, n)
	}
	nc := int(side * side)
	if parts := min(runtime.GOMAXPROCS(0), n/(1<<16)); parts > 1 {
		// Parallel counting sort: each part counts its keys, then every
		// bucket is laid out part after part, so the order is the serial
		// one (stable: input order within a cell).
		bound := func(p int) int { return n * p / parts }
		cnts := make([][]int32, parts)
		parallelRows(parts, func(p int) {
			c := make([]int32, nc)
			for _, k := range keys[bound(p):bound(p+1)] {
				c[k]++
			}
			cnts[p] = c
		})
		var off int32
		for k := range nc {
			for p := range parts {
				c := cnts[p][k]
				cnts[p][k] = off
				off += c
			}
		}
		parallelRows(parts, func(p int) {
			c := cnts[p]
			for i := bound(p); i < bound(p+1); i++ {
				k := keys[i]
				perm[c[k]] = int32(i)
				pts[c[k]] = ptOf(i)
				if also != nil {
					also[c[k]] = alsoOf(i)
				}
				c[k]++
			}
		})
		return perm, pts, also
	}
	cnt := make([]int32, nc+1)
	for _, k := range keys {
		cnt[k+1]++
	}
	for c := 1; c < len(cnt); c++ {
		cnt[c] += cnt[c-1]
	}
	if alsoOf != nil {
		for i, k := range keys {
			perm[cnt[k]] = int32(i)
			pts[cnt[k]] = ptOf(i)
			also[cnt[k]] = alsoOf(i)
			cnt[k]++
		}
		return perm, pts, also
	}
	for i, k := range keys {
		perm[cnt[k]] = int32(i)
		pts[cnt[k]] = ptOf(i)
		cnt[k]++
	}
	return perm, pts, nil
}

// forEachSpatial calls fn(i, ptOf(i)) for i in 0..n-1 on workers goroutines
// (<= 0: one per CPU), in Hilbert order from spatialOrderMin points, in
// chunks claimed through an atomic counter. fn must only write state of i.
func forEachSpatial(n int, ptOf func(i int) orb.Point, workers int, fn func(i int, p orb.Point)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var order []int32
	var pts []orb.Point
	if n >= spatialOrderMin {
		order, pts = spatialOrderOf(n, ptOf)
	}
	const chunk = 4096
	var next atomic.Int64
	work := func() {
		for {
			start := int(next.Add(chunk)) - chunk
			if start >= n {
				return
			}
			for k := start; k < min(start+chunk, n); k++ {
				if order != nil {
					fn(int(order[k]), pts[k])
				} else {
					fn(k, ptOf(k))
				}
			}
		}
	}
	workers = min(workers, (n+chunk-1)/chunk)
	if workers <= 1 {
		work()
		return
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(work)
	}
	wg.Wait()
}
