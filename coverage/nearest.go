package coverage

import (
	"math"
)

// pointGrid is a uniform grid over points for exact nearest-neighbour
// queries by ring search. Points are stored cell by cell, so a query reads a
// few contiguous runs of memory. The zero value holds no points.
type pointGrid struct {
	x0, y0  float64 // lower-left corner of cell (0, 0)
	cs, inv float64 // cell size in metres and its inverse
	nx, ny  int
	off     []int32 // points of cell c are pts[off[c]:off[c+1]]
	pts     []gridPt
}

type gridPt struct {
	x, y float64
	id   int32
}

// newPointGrid indexes the points (xs[i], ys[i]) with ids[i], aiming at
// about perCell points per cell.
func newPointGrid(xs, ys []float64, ids []int32, perCell float64) pointGrid {
	var g pointGrid
	n := len(xs)
	if n == 0 {
		return g
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := range n {
		minX, maxX = min(minX, xs[i]), max(maxX, xs[i])
		minY, maxY = min(minY, ys[i]), max(maxY, ys[i])
	}
	w, h := maxX-minX, maxY-minY
	cells := max(1, float64(n)/perCell)
	cs := math.Sqrt(w * h / cells)
	if cs == 0 || math.IsNaN(cs) { // points on a line or on one spot
		cs = max(w, h) / cells
	}
	if cs == 0 {
		cs = 1
	}
	// Cap the cell count so that a very elongated extent cannot blow up.
	for (w/cs+1)*(h/cs+1) > 4*cells+16 {
		cs *= 1.25
	}
	g.x0, g.y0, g.cs, g.inv = minX, minY, cs, 1/cs
	g.nx, g.ny = int(w*g.inv)+1, int(h*g.inv)+1
	cnt := make([]int32, g.nx*g.ny+1)
	cell := make([]int32, n)
	for i := range n {
		c := g.cellOf(xs[i], ys[i])
		cell[i] = int32(c)
		cnt[c+1]++
	}
	for c := 1; c < len(cnt); c++ {
		cnt[c] += cnt[c-1]
	}
	g.off = cnt
	g.pts = make([]gridPt, n)
	fill := make([]int32, g.nx*g.ny)
	copy(fill, cnt[:g.nx*g.ny])
	for i := range n { // in input order, so each cell lists ids ascending
		c := cell[i]
		g.pts[fill[c]] = gridPt{xs[i], ys[i], ids[i]}
		fill[c]++
	}
	return g
}

func (g *pointGrid) cellXY(x, y float64) (cx, cy int) {
	fx, fy := (x-g.x0)*g.inv, (y-g.y0)*g.inv
	switch {
	case !(fx >= 0): // also NaN
		cx = 0
	case fx >= float64(g.nx-1):
		cx = g.nx - 1
	default:
		cx = int(fx)
	}
	switch {
	case !(fy >= 0):
		cy = 0
	case fy >= float64(g.ny-1):
		cy = g.ny - 1
	default:
		cy = int(fy)
	}
	return cx, cy
}

func (g *pointGrid) cellOf(x, y float64) int {
	cx, cy := g.cellXY(x, y)
	return cy*g.nx + cx
}

// nearest returns the id of the point nearest to (x, y) and the squared
// distance, or -1 and +Inf when the grid is empty. Ties go to the lowest id.
// The search is exact: rings of cells are scanned until no unscanned cell
// can hold a point nearer than the best found.
func (g *pointGrid) nearest(x, y float64) (id int32, d2 float64) {
	id, d2 = -1, math.Inf(1)
	if len(g.pts) == 0 || math.IsNaN(x) || math.IsNaN(y) {
		return id, d2
	}
	cx, cy := g.cellXY(x, y)
	// Rounding in cellXY may put a point a hair outside its cell: keep a
	// small slack on the lower bound so that no candidate is missed.
	slack := g.cs*1e-9 + 1e-12*(math.Abs(x)+math.Abs(y)+math.Abs(g.x0)+math.Abs(g.y0))
	scan := func(c int) {
		for _, p := range g.pts[g.off[c]:g.off[c+1]] {
			dx, dy := x-p.x, y-p.y
			d := dx*dx + dy*dy
			if d < d2 || (d == d2 && p.id < id) {
				id, d2 = p.id, d
			}
		}
	}
	for r := 0; ; r++ {
		y0, y1 := cy-r, cy+r
		x0, x1 := cx-r, cx+r
		for yy := max(y0, 0); yy <= min(y1, g.ny-1); yy++ {
			row := yy * g.nx
			if yy == y0 || yy == y1 {
				for xx := max(x0, 0); xx <= min(x1, g.nx-1); xx++ {
					scan(row + xx)
				}
				continue
			}
			if x0 >= 0 {
				scan(row + x0)
			}
			if x1 < g.nx && x1 != x0 {
				scan(row + x1)
			}
		}
		// Lower bound of the distance to any cell outside this ring.
		gap, open := math.Inf(1), false
		if x0 > 0 {
			gap, open = min(gap, x-(g.x0+float64(x0)*g.cs)), true
		}
		if x1 < g.nx-1 {
			gap, open = min(gap, g.x0+float64(x1+1)*g.cs-x), true
		}
		if y0 > 0 {
			gap, open = min(gap, y-(g.y0+float64(y0)*g.cs)), true
		}
		if y1 < g.ny-1 {
			gap, open = min(gap, g.y0+float64(y1+1)*g.cs-y), true
		}
		if !open {
			return id, d2
		}
		if id >= 0 {
			if gap -= slack; gap > 0 && gap*gap > d2 {
				return id, d2
			}
		}
	}
}
