package coverage

import (
	"container/heap"
	"math"
)

// wifiBuf is a worker's scratch space for site placement.
type wifiBuf struct {
	prem     []Premise        // the zone's premises (zoneIn.prem)
	ms       []PremiseMeasure // and their measures
	pts      []int32          // premises still to cover (positions in prem)
	load     []float64
	covered  []bool
	cellOf   []int32
	start    []int32
	members  []int32
	cand     candHeap
	noSiteAt []bool  // no site can stand at this premise (no backhaul)
	transit  bool    // a site backhauls to a point of presence on leased transit
	live     []int32 // per bucket: how many uncovered premises lead it
	pos      []int32 // index of each premise in members
	took     []int32
}

type candEntry struct {
	gain float64
	pos  int32 // index into pts of the candidate site
}

type candHeap []candEntry

func (h candHeap) Len() int { return len(h) }
func (h candHeap) Less(i, j int) bool {
	if h[i].gain != h[j].gain {
		return h[i].gain > h[j].gain
	}
	return h[i].pos < h[j].pos
}
func (h candHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *candHeap) Push(x any)   { *h = append(*h, x.(candEntry)) }
func (h *candHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// maxCandidates bounds the candidate sites examined at once per zone.
const maxCandidates = 256

// placeSites covers b.pts greedily with new sites (lazy greedy: a
// candidate's gain only falls as premises get covered, so a stale gain is an
// upper bound and only the top candidate is re-evaluated). It marks
// b.covered and returns the sites built, their backhaul cost, the lowest
// per-subscriber speed among them, and whether premises were left for lack
// of a site with backhaul or for lack of capacity.
func (md *model) placeSites(b *wifiBuf) (sites int, backhaulEUR, minSpeed float64, noSite, capacity bool) {
	pf := md.prof
	n := len(b.pts)
	capMbps := pf.CapacityMbps
	b.covered = growB(b.covered, n)
	b.noSiteAt = growB(b.noSiteAt, n)
	for q := range n {
		b.covered[q] = false
		b.noSiteAt[q] = false
	}
	md.siteGrid(b, capMbps)
	sizing := sizingMbps(md.sc, pf)
	minSpeed = math.Inf(1)
	for q := range n {
		if b.load[q] > capMbps {
			capacity = true // a premise whose own load exceeds a site
		}
	}
	for sites < pf.MaxSitesPerZone {
		// (Re)build the candidate heap from the uncovered premises where a
		// site can stand, sampled evenly.
		b.cand = b.cand[:0]
		unc, bound := 0, 0.0
		for q := range n {
			if !b.covered[q] && b.load[q] <= capMbps {
				bound += b.load[q]
				if !b.noSiteAt[q] {
					unc++
				}
			}
		}
		if unc == 0 {
			break
		}
		// A site takes at most its capacity and at most what is left: a
		// tight common upper bound lets the first candidate that reaches it
		// win without evaluating the others.
		bound = min(bound, capMbps)
		stride := max(1, unc/maxCandidates)
		k := 0
		for q := range n {
			if b.covered[q] || b.noSiteAt[q] || b.load[q] > capMbps {
				continue
			}
			if k%stride == 0 {
				b.cand = append(b.cand, candEntry{gain: bound, pos: int32(q)})
			}
			k++
		}
		heap.Init(&b.cand)
		built := 0
		for b.cand.Len() > 0 && sites < pf.MaxSitesPerZone {
			top := b.cand[0]
			if b.noSiteAt[top.pos] {
				heap.Pop(&b.cand)
				continue
			}
			g := md.siteGain(b, int(top.pos), capMbps)
			if g <= 0 {
				heap.Pop(&b.cand)
				continue
			}
			if b.cand.Len() > 1 {
				second := b.cand[1].gain
				if b.cand.Len() > 2 {
					second = max(second, b.cand[2].gain)
				}
				if g < second-1e-9 {
					b.cand[0].gain = g
					heap.Fix(&b.cand, 0)
					continue
				}
			}
			heap.Pop(&b.cand)
			cost, ok := md.backhaul(&b.ms[b.pts[top.pos]])
			if !ok {
				b.noSiteAt[top.pos] = true
				continue
			}
			if m := &b.ms[b.pts[top.pos]]; !m.Passed && m.FibreDistM > md.prof.MicrowaveMaxM {
				b.transit = true
			}
			used, cnt := md.buildSite(b, int(top.pos), capMbps)
			if cnt == 0 {
				continue
			}
			sites++
			built++
			backhaulEUR += cost
			minSpeed = min(minSpeed, pf.DownMbps, sizing*capMbps/max(used, 1e-9))
		}
		if built == 0 && stride == 1 {
			break // every remaining premise was a candidate: nothing more to build
		}
	}
	if sites == 0 {
		minSpeed = pf.DownMbps
	}
	for q := range n {
		if b.covered[q] || b.load[q] > capMbps {
			continue
		}
		if sites >= pf.MaxSitesPerZone {
			capacity = true // left over when the zone's site limit was reached
		} else {
			noSite = true // no site with backhaul reaches it
		}
	}
	return sites, backhaulEUR, minSpeed, noSite, capacity
}

// siteGrid buckets the coverable premises (load within a site's capacity)
// into square cells of the profile's range, hashed into 2n+1 buckets. Each
// bucket keeps its uncovered premises first (live[b] of them), so that
// scans skip covered ones.
func (md *model) siteGrid(b *wifiBuf, capMbps float64) {
	n := len(b.pts)
	cell := md.prof.RangeM
	b.cellOf = growI(b.cellOf, n)
	nb := 2*n + 1
	b.start = growI(b.start, nb+1)
	clear(b.start)
	for q, k := range b.pts {
		p := b.prem[k].Pt
		h := cellHash(int64(math.Floor(p[0]/cell)), int64(math.Floor(p[1]/cell)), nb)
		b.cellOf[q] = h
		if b.load[q] <= capMbps {
			b.start[h+1]++
		}
	}
	for c := 1; c <= nb; c++ {
		b.start[c] += b.start[c-1]
	}
	b.live = growI(b.live, nb)
	clear(b.live)
	b.members = growI(b.members, n)
	b.pos = growI(b.pos, n)
	for q := range n {
		if b.load[q] > capMbps {
			continue
		}
		c := b.cellOf[q]
		at := b.start[c] + b.live[c]
		b.members[at] = int32(q)
		b.pos[q] = at
		b.live[c]++
	}
}

// cover marks premise q covered and moves it out of its bucket's live part.
func (b *wifiBuf) cover(q int) {
	b.covered[q] = true
	c := b.cellOf[q]
	last := b.start[c] + b.live[c] - 1
	at := b.pos[q]
	other := b.members[last]
	b.members[at], b.members[last] = other, int32(q)
	b.pos[other], b.pos[q] = at, last
	b.live[c]--
}

func cellHash(cx, cy int64, nb int) int32 {
	h := uint64(cx)*0x9E3779B97F4A7C15 ^ uint64(cy)*0xC2B2AE3D27D4EB4F
	h ^= h >> 29
	return int32(h % uint64(nb))
}

// eachInRange calls fn for every uncovered, coverable premise within range
// of b.pts[pos], until fn returns false. fn must not cover premises (the
// bucket it scans would shift under it); buildSite collects first.
func (md *model) eachInRange(b *wifiBuf, pos int, fn func(q int, d float64) bool) {
	cell := md.prof.RangeM
	p := b.prem[b.pts[pos]].Pt
	cx, cy := int64(math.Floor(p[0]/cell)), int64(math.Floor(p[1]/cell))
	nb := len(b.start) - 1
	var seen [9]int32
	ns := 0
	r2 := cell * cell
	for dy := int64(-1); dy <= 1; dy++ {
		for dx := int64(-1); dx <= 1; dx++ {
			h := cellHash(cx+dx, cy+dy, nb)
			dup := false
			for _, s := range seen[:ns] {
				if s == h {
					dup = true
				}
			}
			if dup {
				continue
			}
			seen[ns] = h
			ns++
			for _, q := range b.members[b.start[h] : b.start[h]+b.live[h]] {
				pq := b.prem[b.pts[q]].Pt
				ddx, ddy := pq[0]-p[0], pq[1]-p[1]
				if d := ddx*ddx + ddy*ddy; d <= r2 {
					if !fn(int(q), d) {
						return
					}
				}
			}
		}
	}
}

// siteGain is the uncovered load a site at b.pts[pos] would take, capped
// at its capacity.
func (md *model) siteGain(b *wifiBuf, pos int, capMbps float64) float64 {
	g := 0.0
	md.eachInRange(b, pos, func(q int, _ float64) bool {
		if g+b.load[q] <= capMbps {
			g += b.load[q]
		}
		return g < capMbps
	})
	return g
}

// buildSite covers premises in range of b.pts[pos] up to capacity and
// returns the load taken and the number covered.
func (md *model) buildSite(b *wifiBuf, pos int, capMbps float64) (used float64, cnt int) {
	b.took = b.took[:0]
	md.eachInRange(b, pos, func(q int, _ float64) bool {
		if used+b.load[q] <= capMbps {
			used += b.load[q]
			b.took = append(b.took, int32(q))
		}
		return used < capMbps
	})
	for _, q := range b.took {
		b.cover(int(q))
	}
	return used, len(b.took)
}
