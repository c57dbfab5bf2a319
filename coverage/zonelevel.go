package coverage

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// zoneHouseholds is the number of premises a zone stands for in zone-level
// mode: its household count, else its population ÷ persons per household.
func (md *model) zoneHouseholds(z *Zone) int {
	if z.Households > 0 {
		return z.Households
	}
	if z.Population > 0 && md.sc.ZoneLevel.PersonsPerHousehold > 0 {
		return int(math.Round(float64(z.Population) / md.sc.ZoneLevel.PersonsPerHousehold))
	}
	return 0
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
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	// A zone filling little of its box (a scattered multipolygon) gets a
	// coarser lattice: at most 16 × shareSamples points are tested.
	step := math.Sqrt(max(areaM2/shareSamples, w*h/(16*shareSamples)))
	nx := int(math.Ceil(w / step))
	ny := int(math.Ceil(h / step))
	in, all := 0, 0
	for j := range ny {
		y := b.Min[1] + (float64(j)+0.5)*step
		for i := range nx {
			x := b.Min[0] + (float64(i)+0.5)*step
			if !geomContains(g, orb.Point{x, y}) {
				continue
			}
			all++
			if md.ix.inServed(x, y) {
				in++
			}
		}
	}
	if all == 0 {
		_, c := zoneShape(g)
		if md.ix.inServed(c[0], c[1]) {
			return 1
		}
		return 0
	}
	return float64(in) / float64(all)
}

// geomContains reports whether a polygon or multipolygon contains p.
func geomContains(g orb.Geometry, p orb.Point) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return planar.PolygonContains(g, p)
	case orb.MultiPolygon:
		return planar.MultiPolygonContains(g, p)
	case orb.Bound:
		return g.Contains(p)
	}
	return false
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
	zone       int
	households int     // premises the zone stands for (all of kind household)
	takeUp     float64 // households' take-up
	areaM2     float64
	centroid   orb.Point
	// servedShare is the share of the zone's area inside active served
	// areas; passedH the households in it (Scenario.ZoneLevel.ServedDensityRatio).
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
}

// zoneFigures measures zone z (h households) against the network.
func (md *model) zoneFigures(z int, zone *Zone, h int) zoneFigures {
	zf := zoneFigures{zone: z, households: h, takeUp: md.sc.Demand[KindHousehold].TakeUp}
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
	zf.servedShare = md.servedShare(zone.Geom, zf.areaM2)
	hshare := zf.servedShare
	if rho := md.sc.ZoneLevel.ServedDensityRatio; hshare > 0 && hshare < 1 && rho > 0 {
		hshare = rho * hshare / (rho*hshare + 1 - hshare)
	}
	zf.passedH = int(math.Round(float64(h) * hshare))
	zf.apCapMbps, zf.apAreaM2 = zn.apCap[z], zn.apArea[z]
	return zf
}

// evaluateZoneLevel evaluates every option of a zone from its counts and
// area (MODEL.md §2): premises = households (all of kind household); each
// technology's zone-level model prices them (fibreZone, wifiZone, satZone,
// mixedZone).
func (md *model) evaluateZoneLevel(zv *ZoneEval, zone *Zone) {
	h := md.zoneHouseholds(zone)
	zv.Premises, zv.Units = h, h
	zv.ByKind[KindHousehold] = h
	if h == 0 {
		return
	}
	zf := md.zoneFigures(zv.Zone, zone, h)
	zv.Options[TechFibre] = md.fibreZone(&zf)
	zv.Options[TechWifi] = md.wifiZone(&zf)
	zv.Options[TechLEO], zv.leoCells = md.satZone(&zf, TechLEO)
	zv.Options[TechGEO], _ = md.satZone(&zf, TechGEO)
	for _, t := range Techs {
		md.judge(zv.Premises, &zv.Options[t])
	}
	if md.mixed {
		zv.Mixed, zv.MixedMix = md.mixedZone(&zf, &zv.Options)
	}
}
