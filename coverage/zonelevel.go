package coverage

import (
	"math"
	"slices"

	"github.com/tidwall/rtree"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// ZonePremises is the number of premises zone z stands for in zone-level
// mode, and where it comes from: its premises count ("premises"), else its
// population × zone_level.premises_per_inhabitant ("population"), else its
// households ("households": an undercount, without second homes and
// businesses), else 0 ("").
func ZonePremises(z *Zone, p *ZoneLevelParams) (n int, from string) {
	switch {
	case z.Premises > 0:
		return z.Premises, "premises"
	case z.Population > 0 && p.PremisesPerInhabitant > 0:
		return int(math.Round(float64(z.Population) * p.PremisesPerInhabitant)), "population"
	case z.Households > 0:
		return z.Households, "households"
	}
	return 0, ""
}

// zoneShape returns a zone's area in m² and its centroid.
func zoneShape(g orb.Geometry) (areaM2 float64, c orb.Point) {
	if g == nil {
		return 0, orb.Point{}
	}
	c, a := planar.CentroidArea(g)
	return math.Abs(a), c
}

// shareSamples is about how many lattice points servedShare tests per zone.
const shareSamples = 1024

// servedShare returns the share of a zone's area inside active served
// areas, estimated on a square lattice of about shareSamples points inside
// the zone (cell centres of a grid over its bounding box, step
// √(area ÷ shareSamples)): the share of those points the Index finds in a
// served area. Deterministic; the error is a boundary effect, of the order
// of (served boundary length inside the zone × step) ÷ zone area — under
// 2 percentage points for a half-covered square (tested), less for
// smooth boundaries. A zone too small to hold a lattice point uses its
// centroid.
func (md *model) servedShare(g orb.Geometry, areaM2 float64) float64 {
	if g == nil || len(md.ix.served.polys) == 0 || areaM2 <= 0 {
		return 0
	}
	b := g.Bound()
	// Only the served areas whose box meets the zone's can hold a lattice
	// point: none, and the share is 0 without a lattice.
	var cand []int32
	md.ix.servedRT.Search(b.Min, b.Max, func(_, _ [2]float64, pi int32) bool {
		cand = append(cand, pi)
		return true
	})
	if len(cand) == 0 {
		return 0
	}
	slices.Sort(cand) // the order ZoneOf's boundary rule sees them in
	inServed := func(x, y float64) bool {
		for _, pi := range cand {
			if md.ix.served.contains(int(pi), x, y) {
				return true
			}
		}
		return false
	}
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	// A zone filling little of its box (a scattered multipolygon) gets a
	// coarser lattice: at most 16 × shareSamples points are tested.
	step := math.Sqrt(max(areaM2/shareSamples, w*h/(16*shareSamples)))
	nx := int(math.Ceil(w / step))
	ny := int(math.Ceil(h / step))
	in, all := 0, 0
	latticeInside(g, b.Min, step, nx, ny, func(x, y float64) {
		all++
		if inServed(x, y) {
			in++
		}
	})
	if all == 0 {
		_, c := zoneShape(g)
		if inServed(c[0], c[1]) {
			return 1
		}
		return 0
	}
	return float64(in) / float64(all)
}

// latticeInside calls fn for every cell centre (min + (i+½, j+½)·step,
// 0 ≤ i < nx, 0 ≤ j < ny) inside the polygon or multipolygon g, row by row
// and left to right: a scanline fill by the even-odd rule over all its
// rings (holes and parts included), in O(rings' edges × rows + points)
// instead of one point-in-polygon test per lattice point.
func latticeInside(g orb.Geometry, min orb.Point, step float64, nx, ny int, fn func(x, y float64)) {
	var rings []orb.Ring
	eachRing(g, func(r orb.Ring) { rings = append(rings, r) })
	if len(rings) == 0 {
		return
	}
	var xs []float64
	for j := range ny {
		y := min[1] + (float64(j)+0.5)*step
		xs = xs[:0]
		for _, r := range rings {
			for k := 1; k < len(r); k++ {
				a, c := r[k-1], r[k]
				if (a[1] > y) != (c[1] > y) {
					xs = append(xs, a[0]+(y-a[1])*(c[0]-a[0])/(c[1]-a[1]))
				}
			}
		}
		slices.Sort(xs)
		for k := 0; k+1 < len(xs); k += 2 {
			// Cell centres x_i = min + (i+½)·step with xs[k] < x_i < xs[k+1].
			i0 := max(0, int(math.Floor((xs[k]-min[0])/step-0.5))+1)
			for i := i0; i < nx; i++ {
				x := min[0] + (float64(i)+0.5)*step
				if x >= xs[k+1] {
					break
				}
				if x > xs[k] {
					fn(x, y)
				}
			}
		}
	}
}

// zoneLevelNet is what zone-level mode knows of the network in each zone.
type zoneLevelNet struct {
	nodes  []int32   // active fibre nodes inside each zone
	apCap  []float64 // operational access-point capacity inside each zone, Mbit/s
	apArea []float64 // their coverage area, m² (π range²)
}

func (md *model) zoneLevelNetwork() *zoneLevelNet {
	nz := len(md.ix.in.Zones)
	zn := &zoneLevelNet{nodes: make([]int32, nz), apCap: make([]float64, nz), apArea: make([]float64, nz)}
	for _, n := range md.ix.in.Nodes {
		if n.Active {
			if z := md.ix.ZoneOf(n.Pt); z >= 0 {
				zn.nodes[z]++
			}
		}
	}
	for _, a := range md.ix.in.APs {
		if !a.Operational {
			continue
		}
		if z := md.ix.ZoneOf(a.Pt); z >= 0 {
			c := a.CapacityMbps
			if c <= 0 {
				c = md.prof.CapacityMbps
			}
			zn.apCap[z] += c
			zn.apArea[z] += math.Pi * a.RangeM * a.RangeM
		}
	}
	return zn
}

// zoneFigures is what zone-level mode knows of one zone (MODEL.md §2): its
// counts, shape and position against the network. Every technology's
// zone-level model reads it.
type zoneFigures struct {
	premises int     // premises the zone stands for (counted as households)
	takeUp   float64 // the household take-up
	areaM2   float64
	centroid orb.Point
	// servedShare is the share of the zone's area inside active served
	// areas; passedH the premises in it (Scenario.ZoneLevel.ServedDensityRatio).
	servedShare float64
	passedH     int
	// fibreDistM is the centroid's distance to the network (0 and passed
	// when it is in a served area); nodeDistM to the nearest active node.
	fibreDistM float64
	passed     bool
	nodeDistM  float64
	// nodes are the active nodes inside the zone; meanNodeM the mean
	// premise-to-node distance ½·√(area ÷ nodes) (Oughton's podis), or the
	// centroid's distance to the nearest node (or the network) without one.
	nodes     int32
	meanNodeM float64
	// apCapMbps and apAreaM2 are the operational access points inside the
	// zone: their capacity and coverage area (π range²).
	apCapMbps, apAreaM2 float64
	// reachable is true when the network is within fibre reach of the
	// zone's premises (meanNodeM × route factor ≤ reach).
	reachable bool
	// radiusM is the radius of a disc of the zone's unpassed area; rootM
	// its distance to the network; feederM the edge joining its tree
	// (zoneFeeders).
	radiusM, rootM, feederM float64
}

// zoneFigures measures zone z (h premises) against the network.
func (md *model) zoneFigures(z int, zone *Zone, h int) zoneFigures {
	zf := zoneFigures{premises: h, takeUp: md.sc.Demand[KindHousehold].TakeUp}
	area, c := zoneShape(zone.Geom)
	zf.areaM2, zf.centroid = max(area, 1), c
	zn := md.zl
	zf.fibreDistM, zf.passed = md.ix.FibreDist(c)
	_, zf.nodeDistM = md.ix.NearestNode(c)
	zf.nodes = zn.nodes[z]
	zf.meanNodeM = zf.nodeDistM
	if zf.nodes > 0 {
		zf.meanNodeM = 0.5 * math.Sqrt(zf.areaM2/float64(zf.nodes))
	}
	if math.IsInf(zf.meanNodeM, 1) {
		zf.meanNodeM = zf.fibreDistM
	}
	// A served area's edge is network whose node serves the area: within reach.
	zf.meanNodeM = min(zf.meanNodeM, md.ix.ServedDist(c))
	zf.servedShare = md.servedShare(zone.Geom, zf.areaM2)
	hshare := zf.servedShare
	if rho := md.sc.ZoneLevel.ServedDensityRatio; hshare > 0 && hshare < 1 && rho > 0 {
		hshare = rho * hshare / (rho*hshare + 1 - hshare)
	}
	zf.passedH = int(math.Round(float64(h) * hshare))
	zf.apCapMbps, zf.apAreaM2 = zn.apCap[z], zn.apArea[z]
	f := &md.sc.Fibre
	zf.reachable = zf.meanNodeM*f.RouteFactor <= f.ReachM && !math.IsInf(zf.fibreDistM, 1)
	return zf
}

// evaluateZoneLevel evaluates every option of a zone from its counts and
// area (MODEL.md §2): its premises (ZonePremises, counted as households); each
// technology's zone-level model prices them (fibreZone, wifiZone, satZone,
// mixedZone).
func (md *model) evaluateZoneLevel(zv *ZoneEval, zf *zoneFigures) {
	h := zf.premises
	zv.Premises, zv.Units = h, h
	zv.ByKind[KindHousehold] = h
	if h == 0 {
		return
	}
	zv.Options[TechFibre] = md.fibreZone(zf)
	zv.Options[TechWifi] = md.wifiZone(zf)
	zv.Options[TechLEO], zv.satCells[0] = md.satZone(zf, TechLEO)
	zv.Options[TechGEO], zv.satCells[1] = md.satZone(zf, TechGEO)
	md.judgeOptions(zv.Premises, &zv.Options)
	if md.mixed {
		zv.Mixed, zv.MixedMix = md.mixedZone(zf, &zv.Options)
	}
}

// zoneLevelFigures measures every zone (zoneFigures, in parallel), then
// joins the zones' trees by their feeders: the minimum spanning tree of the
// zones and the network (zoneFeeders).
func (e *evaluator) zoneLevelFigures() []zoneFigures {
	md := e.md
	zfs := make([]zoneFigures, len(e.in.Zones))
	forEach(len(zfs), e.workers, func(z int) {
		zone := &e.in.Zones[z]
		h, _ := ZonePremises(zone, &md.sc.ZoneLevel)
		if h > 0 {
			zfs[z] = md.zoneFigures(z, zone, h)
		}
	})
	md.zoneFeeders(zfs)
	return zfs
}

// zoneFeeders sets every zone's feeder (zoneFigures.feederM) at zone
// level, as the area pass does at premise level (shared.go): the edge that
// joins the zone's tree in the minimum spanning tree of the zones and the
// network. A zone with an active node inside, or on new nodes, joins at 0;
// otherwise the network is its centroid's distance to it less the radius
// of a disc of its unpassed area. Two zones are joined across the gap
// between such discs, and at least by the mean distance between two
// settlements, c·√(settlement area): their nearest settlements are that
// far apart even when the zones touch.
func (md *model) zoneFeeders(zfs []zoneFigures) {
	zl := &md.sc.ZoneLevel
	spacing := zl.MSTConstant * math.Sqrt(zl.SettlementKm2*1e6)
	var rt rtree.RTreeG[int32]
	for z := range zfs {
		zf := &zfs[z]
		if zf.premises-zf.passedH <= 0 {
			continue
		}
		zf.radiusM = math.Sqrt(zf.areaM2 * (1 - zf.servedShare) / math.Pi)
		zf.rootM = 0
		if zf.nodes == 0 && zf.reachable {
			zf.rootM = max(0, zf.fibreDistM-zf.radiusM)
		}
		c := zf.centroid
		rt.Insert([2]float64{c[0] - zf.radiusM, c[1] - zf.radiusM}, [2]float64{c[0] + zf.radiusM, c[1] + zf.radiusM}, int32(z))
	}
	adj := make([][]zoneEdge, len(zfs))
	for z := range zfs {
		a := &zfs[z]
		if a.premises-a.passedH <= 0 || a.rootM == 0 {
			continue
		}
		r := a.radiusM + a.rootM
		c := a.centroid
		rt.Search([2]float64{c[0] - r, c[1] - r}, [2]float64{c[0] + r, c[1] + r}, func(_, _ [2]float64, y32 int32) bool {
			b := &zfs[y32]
			if int(y32) == z {
				return true
			}
			d := max(spacing, math.Hypot(c[0]-b.centroid[0], c[1]-b.centroid[1])-a.radiusM-b.radiusM)
			if d < a.rootM {
				adj[z] = append(adj[z], zoneEdge{y32, d})
				adj[y32] = append(adj[y32], zoneEdge{int32(z), d})
			}
			return true
		})
	}
	key := make([]float64, len(zfs))
	done := make([]bool, len(zfs))
	pq := make(zoneHeap, 0, len(zfs))
	for z := range zfs {
		key[z] = zfs[z].rootM
		if zfs[z].premises-zfs[z].passedH > 0 {
			pq = append(pq, zoneEdge{int32(z), key[z]})
		} else {
			done[z] = true
		}
	}
	primZones(&pq, adj, key, done)
	for z := range zfs {
		zfs[z].feederM = key[z]
	}
}
