package coverage

import (
	"container/heap"
	"math"

	"github.com/paulmach/orb"
)

// wifiBuf is a worker's scratch space for site placement over one tile.
type wifiBuf struct {
	prem     []Premise        // the tile's premises to cover
	ms       []PremiseMeasure // and their measures
	pts      []int32          // premises to cover (positions in prem)
	load     []float64
	covered  []bool
	siteOf   []int32   // per premise of pts: the site covering it (index into sites), -1
	sites    []siteRec // the sites built
	status   []int8    // per premise of pts left uncovered: wifiNoSite or wifiNoCapacity
	cellOf   []int32
	start    []int32
	members  []int32
	cand     candHeap
	noSiteAt []bool  // no site can stand at this premise (no backhaul)
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

// siteRec is one new wireless site: where it stands, its backhaul (with
// its share of a point of presence on leased transit when it needs one),
// the load it carries and the busy-hour speed it gives each subscriber.
type siteRec struct {
	at          orb.Point // where it stands (a premise)
	backhaulEUR float64
	loadMbps    float64
	speedMbps   float64
	transit     bool
}

// maxCandidates bounds the candidate sites examined at once per tile.
const maxCandidates = 256

// placeSites covers b.pts greedily with new sites (lazy greedy: a
// candidate's gain only falls as premises get covered, so a stale gain is
// an upper bound and only the top candidate is re-evaluated), up to
// max_sites_per_tile. It fills b.covered, b.siteOf and b.sites, and
// b.status for the premises left: no site with backhaul reaches them, or
// the tile ran out of sites or a premise's own load exceeds a site.
func (md *model) placeSites(b *wifiBuf) {
	pf := md.prof
	n := len(b.pts)
	capMbps := pf.CapacityMbps
	b.covered = growB(b.covered, n)
	b.noSiteAt = growB(b.noSiteAt, n)
	clear(b.covered)
	clear(b.noSiteAt)
	b.siteOf = growI(b.siteOf, n)
	for q := range b.siteOf {
		b.siteOf[q] = -1
	}
	b.sites = b.sites[:0]
	md.siteGrid(b, capMbps)
	sizing := sizingMbps(md.sc, pf)
	for len(b.sites) < pf.MaxSitesPerTile {
		if !md.siteRound(b, capMbps, sizing) {
			break
		}
	}
	b.status = growI8(b.status, n)
	for q := range n {
		switch {
		case b.covered[q]:
			b.status[q] = 0
		case b.load[q] > capMbps || len(b.sites) >= pf.MaxSitesPerTile:
			b.status[q] = wifiNoCapacity
		default:
			b.status[q] = wifiNoSite // no site with backhaul reaches it
		}
	}
}

// siteRound (re)builds the candidate heap from the uncovered premises where
// a site can stand, sampled evenly, and builds sites from it. It reports
// whether another round may build more.
func (md *model) siteRound(b *wifiBuf, capMbps, sizing float64) bool {
	pf := md.prof
	n := len(b.pts)
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
		return false
	}
	// A site takes at most its capacity and at most what is left: a tight
	// common upper bound lets the first candidate that reaches it win
	// without evaluating the others.
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
	for b.cand.Len() > 0 && len(b.sites) < pf.MaxSitesPerTile {
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
		m := &b.ms[b.pts[top.pos]]
		cost, viaPoP, ok := md.siteBackhaul(m.FibreDistM, m.Passed)
		if !ok {
			b.noSiteAt[top.pos] = true
			continue
		}
		used, cnt := md.buildSite(b, int(top.pos), capMbps, int32(len(b.sites)))
		if cnt == 0 {
			continue
		}
		b.sites = append(b.sites, siteRec{at: b.prem[b.pts[top.pos]].Pt, backhaulEUR: cost, loadMbps: used,
			transit:   viaPoP,
			speedMbps: min(pf.DownMbps, sizing*capMbps/max(used, 1e-9))})
		built++
	}
	return built > 0 || stride > 1 // every remaining premise was a candidate: nothing more to build
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

// buildSite covers premises in range of b.pts[pos] up to capacity with
// site number site and returns the load taken and the number covered.
func (md *model) buildSite(b *wifiBuf, pos int, capMbps float64, site int32) (used float64, cnt int) {
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
		b.siteOf[q] = site
	}
	return used, len(b.took)
}
