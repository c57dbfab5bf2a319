package coverage

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// zoneHouseholds is the number of premises a zone stands for in zone-level
// mode: its household count, else its population ÷ persons per household.
func (r *planRun) zoneHouseholds(z *Zone) int {
	if z.Households > 0 {
		return z.Households
	}
	if z.Population > 0 && r.sc.ZoneLevel.PersonsPerHousehold > 0 {
		return int(math.Round(float64(z.Population) / r.sc.ZoneLevel.PersonsPerHousehold))
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
func (r *planRun) servedShare(g orb.Geometry, areaM2 float64) float64 {
	if g == nil || len(r.ix.served.polys) == 0 || areaM2 <= 0 {
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
			if r.ix.inServed(x, y) {
				in++
			}
		}
	}
	if all == 0 {
		_, c := zoneShape(g)
		if r.ix.inServed(c[0], c[1]) {
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

func (r *planRun) zoneLevelNetwork() *zoneLevelNet {
	nz := len(r.in.Zones)
	zn := &zoneLevelNet{nodes: make([]int32, nz), apCap: make([]float64, nz), apArea: make([]float64, nz)}
	for _, n := range r.in.Nodes {
		if n.Active {
			if z := r.ix.ZoneOf(n.Pt); z >= 0 {
				zn.nodes[z]++
			}
		}
	}
	for _, a := range r.in.APs {
		if !a.Operational {
			continue
		}
		if z := r.ix.ZoneOf(a.Pt); z >= 0 {
			c := a.CapacityMbps
			if c <= 0 {
				c = r.prof.CapacityMbps
			}
			zn.apCap[z] += c
			zn.apArea[z] += math.Pi * a.RangeM * a.RangeM
		}
	}
	return zn
}

// evaluateZoneLevel evaluates a zone from its counts and area (MODEL.md §2):
//
//   - premises = households (all of kind household);
//   - mean premise-to-node distance ≈ ½·√(area ÷ active nodes in the zone)
//     (Oughton's podis), or the centroid's distance to the nearest node when
//     the zone has none;
//   - feeder = 0 with a node inside the zone, else the centroid's distance
//     to the network minus the radius of a disc of the zone's area; a zone
//     whose centroid is in an active served area is passed;
//   - distribution length = mst_constant × √(premises × area);
//   - new wireless sites = max(area ÷ hexagon of the site range, load ÷ site
//     capacity), after what existing access points in the zone take;
//   - the satellite cell is the centroid's.
func (r *planRun) evaluateZoneLevel(w *planWorker, z int) {
	zp := &r.plan.Zones[z]
	zone := &r.in.Zones[z]
	for _, t := range Techs {
		zp.Options[t].Tech = t
	}
	h := r.zoneHouseholds(zone)
	zp.Premises, zp.Units = h, h
	zp.ByKind[KindHousehold] = h
	r.extra[z].prio = r.dem.prio[KindHousehold]
	if h == 0 {
		return
	}
	area, c := zoneShape(zone.Geom)
	area = max(area, 1)
	hf := float64(h)
	tu := r.sc.Demand[KindHousehold].TakeUp
	zn := r.zl

	// Fibre.
	f := r.sc.Fibre
	fdist, passed := r.ix.FibreDist(c)
	_, ndist := r.ix.NearestNode(c)
	meanNode := ndist
	if zn.nodes[z] > 0 {
		meanNode = 0.5 * math.Sqrt(area/float64(zn.nodes[z]))
	}
	if math.IsInf(meanNode, 1) {
		meanNode = fdist
	}
	fo := Option{Tech: TechFibre, DownMbps: f.DownMbps, UpMbps: f.UpMbps, LatencyMs: f.LatencyMs}
	share := r.servedShare(zone.Geom, area)
	hshare := share
	if rho := r.sc.ZoneLevel.ServedDensityRatio; share > 0 && share < 1 && rho > 0 {
		hshare = rho * share / (rho*share + 1 - share)
	}
	passedH := int(math.Round(hf * hshare))
	restH := h - passedH
	restA := area * (1 - share)
	rf := float64(restH)
	var lineM, nodeEUR float64
	nodes, newly := 0, 0
	switch {
	case restH == 0:
	case meanNode*f.RouteFactor <= f.ReachM && !math.IsInf(fdist, 1):
		feeder := 0.0
		if zn.nodes[z] == 0 {
			feeder = max(0, fdist-math.Sqrt(restA/math.Pi))
		}
		lineM = feeder + r.sc.ZoneLevel.MSTConstant*math.Sqrt(rf*restA)
		newly = restH
	case f.AllowNewNodes:
		// New nodes: one per disc of GPON reach the unpassed area needs,
		// more when its households exceed what a node serves; the
		// distribution tree joins them, and one collection link joins the
		// zone to the nearest active node (or leased transit).
		rad := f.ReachM / f.RouteFactor
		nodes = max(1, int(math.Ceil(restA/(math.Pi*rad*rad)-1e-9)),
			int(math.Ceil(rf/float64(max(f.NodeMaxUnits, 1))-1e-9)))
		nodeEUR = float64(nodes)*f.NewNodeEUR + r.linkEUR(ndist)
		lineM = r.sc.ZoneLevel.MSTConstant * math.Sqrt(rf*restA)
		newly = restH
	default:
		fo.Reasons = addReason(fo.Reasons, FibreTooFar)
		fo.PremisesUnserved = restH
	}
	fo.PremisesServed = passedH + newly
	fo.UnitsServed = fo.PremisesServed
	fo.PassedPremises = passedH
	r.fibreCost(&fo, lineM, float64(fo.PremisesServed)*tu, newly, nodes, nodeEUR)
	zp.Options[TechFibre] = fo

	// Wi-Fi / FWA.
	pf := r.prof
	wo := Option{Tech: TechWifi, DownMbps: pf.DownMbps, UpMbps: pf.UpMbps, LatencyMs: pf.LatencyMs}
	busy := r.dem.shareMbps[KindHousehold]
	sizing := sizingMbps(r.sc, pf)
	onAPs := 0.0
	if zn.apCap[z] > 0 && tu*busy > 0 {
		onAPs = math.Floor(min(hf, hf*zn.apArea[z]/area, zn.apCap[z]/(tu*busy)))
		wo.PremisesOnAPs = int(onAPs)
		wo.DownMbps = min(wo.DownMbps, sizing)
	}
	rest := hf - onAPs
	var backhaulEUR float64
	if rest > 0 {
		hexArea := 1.5 * math.Sqrt(3) * pf.RangeM * pf.RangeM
		load := rest * tu * busy
		sites := math.Max(math.Ceil(area*rest/hf/hexArea), math.Ceil(load/pf.CapacityMbps))
		bh, bhOK, transit := 0.0, true, 0.0
		switch d := min(fdist, meanNode); {
		case passed:
		case d <= pf.FibreBackhaulMaxM:
			bh = d * f.RouteFactor * f.EURPerM()
		case d <= pf.MicrowaveMaxM:
			bh = pf.MicrowaveEUR
		case f.AllowNewNodes:
			// No fibre within microwave reach: microwave hops to one
			// point of presence on leased transit.
			bh, transit = pf.MicrowaveEUR, f.TransitEUR
		default:
			bhOK = false
		}
		switch {
		case !bhOK:
			wo.Reasons = addReason(wo.Reasons, WifiNoSite)
			wo.PremisesUnserved = int(rest)
			rest = 0
			sites = 0
		case sites > float64(pf.MaxSitesPerZone):
			covered := math.Floor(rest * float64(pf.MaxSitesPerZone) / sites)
			wo.Reasons = addReason(wo.Reasons, WifiCapacity)
			wo.PremisesUnserved = int(rest - covered)
			rest = covered
			sites = float64(pf.MaxSitesPerZone)
		}
		if sites > 0 {
			wo.Sites = int(sites)
			backhaulEUR = bh*sites + transit
			wo.DownMbps = min(wo.DownMbps, sizing*pf.CapacityMbps*sites/max(rest*tu*busy, 1e-9))
		}
	}
	served := int(onAPs + rest)
	wo.PremisesServed, wo.UnitsServed = served, served
	r.wifiCost(&wo, float64(wo.Sites), backhaulEUR, float64(served)*tu)
	zp.Options[TechWifi] = wo

	// Satellites.
	for _, t := range []Tech{TechLEO, TechGEO} {
		sp := r.sc.GEO
		if t == TechLEO {
			sp = r.sc.LEO
		}
		o := Option{Tech: t, DownMbps: sp.DownMbps, UpMbps: sp.UpMbps, LatencyMs: sp.LatencyMs}
		blocked := int(math.Round(hf * sp.ObstructedShare))
		if blocked > 0 {
			o.Reasons = addReason(o.Reasons, SatObstructed)
		}
		o.PremisesUnserved = blocked
		o.PremisesServed, o.UnitsServed = h-blocked, h-blocked
		s := float64(h-blocked) * tu
		if t == TechLEO && sp.CellWidthM > 0 {
			r.extra[z].cells = addCell(r.extra[z].cells, hexCell(c, sp.CellWidthM), s)
		}
		r.satCost(&o, sp, s)
		zp.Options[t] = o
	}
	for _, t := range Techs {
		r.judge(zp, &zp.Options[t])
	}
	if r.sc.Policy == PolicyHybrid {
		r.zoneLevelHybrid(zp, passedH, tu)
	}
}

// zoneLevelHybrid is the hybrid split of a zone-level zone (MODEL.md §5):
// the households already passed (the zone's served share) keep fibre for
// their connection; the rest take the zone's cheapest feasible
// alternative by NPV per premise, at its average cost per premise served.
// Without passed households, or when all are, there is nothing to split
// (the policy compares the plain options).
func (r *planRun) zoneLevelHybrid(zp *ZonePlan, passedH int, tu float64) {
	h := zp.Premises
	if passedH <= 0 || passedH >= h {
		return
	}
	alt := TechNone
	for _, t := range Techs[1:] {
		o := &zp.Options[t]
		if o.Feasible && o.PremisesServed > 0 && (alt == TechNone || o.NPVPerPremiseEUR < zp.Options[alt].NPVPerPremiseEUR) {
			alt = t
		}
	}
	if alt == TechNone {
		return
	}
	ao := &zp.Options[alt]
	rest := h - passedH
	altServed := min(rest, ao.PremisesServed)
	share := float64(altServed) / float64(ao.PremisesServed)
	fib := Option{Tech: TechFibre}
	r.fibreCost(&fib, 0, float64(passedH)*tu, 0, 0, 0)
	f := r.sc.Fibre
	b := hybridMoney(&fib, ao, share)
	b.PremisesServed = passedH + altServed
	b.UnitsServed = passedH + altServed
	b.PremisesUnserved = rest - altServed
	b.Subscribers = fib.Subscribers + share*ao.Subscribers
	b.PassedPremises = passedH
	b.DownMbps = min(f.DownMbps, ao.DownMbps)
	b.UpMbps = min(f.UpMbps, ao.UpMbps)
	b.LatencyMs = max(f.LatencyMs, ao.LatencyMs)
	b.Reasons = append([]Reason(nil), ao.Reasons...)
	if passedH > 0 {
		b.CostPerConnectedEUR = fib.CapexEUR / fib.Subscribers
	}
	if altServed > passedH {
		b.Tech = alt
	}
	var mix [NumTechs]int
	mix[TechFibre], mix[alt], mix[TechNone] = passedH, altServed, rest-altServed
	r.judge(zp, &b)
	ex := &r.extra[zp.Zone]
	ex.hybrid, ex.hybridMix, ex.hybridOK = b, mix, b.Feasible
}
