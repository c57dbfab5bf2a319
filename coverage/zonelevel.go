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
	subs := hf * tu
	zn := r.zl

	// Fibre.
	fdist, passed := r.ix.FibreDist(c)
	_, ndist := r.ix.NearestNode(c)
	meanNode := ndist
	if zn.nodes[z] > 0 {
		meanNode = 0.5 * math.Sqrt(area/float64(zn.nodes[z]))
	}
	if math.IsInf(meanNode, 1) {
		meanNode = fdist
	}
	fo := Option{Tech: TechFibre, DownMbps: r.sc.Fibre.DownMbps, UpMbps: r.sc.Fibre.UpMbps, LatencyMs: r.sc.Fibre.LatencyMs}
	switch {
	case passed:
		fo.PremisesServed, fo.UnitsServed = h, h
		r.fibreCost(&fo, 0, subs, 0)
	case meanNode*r.sc.Fibre.RouteFactor > r.sc.Fibre.ReachM || math.IsInf(fdist, 1):
		fo.Reasons = addReason(fo.Reasons, FibreTooFar)
		fo.PremisesUnserved = h
	default:
		feeder := 0.0
		if zn.nodes[z] == 0 {
			feeder = max(0, fdist-math.Sqrt(area/math.Pi))
		}
		dist := r.sc.ZoneLevel.MSTConstant * math.Sqrt(hf*area)
		fo.PremisesServed, fo.UnitsServed = h, h
		r.fibreCost(&fo, feeder+dist, subs, h)
	}
	zp.Options[TechFibre] = fo

	// Wi-Fi / FWA.
	pf := r.prof
	wo := Option{Tech: TechWifi, DownMbps: pf.DownMbps, UpMbps: pf.UpMbps, LatencyMs: pf.LatencyMs}
	share := r.dem.shareMbps[KindHousehold]
	sizing := sizingMbps(r.sc, pf)
	onAPs := 0.0
	if zn.apCap[z] > 0 && tu*share > 0 {
		onAPs = math.Floor(min(hf, hf*zn.apArea[z]/area, zn.apCap[z]/(tu*share)))
		wo.PremisesOnAPs = int(onAPs)
		wo.DownMbps = min(wo.DownMbps, sizing)
	}
	rest := hf - onAPs
	var backhaulEUR float64
	if rest > 0 {
		hexArea := 1.5 * math.Sqrt(3) * pf.RangeM * pf.RangeM
		load := rest * tu * share
		sites := math.Max(math.Ceil(area*rest/hf/hexArea), math.Ceil(load/pf.CapacityMbps))
		bh, bhOK := 0.0, true
		switch d := min(fdist, meanNode); {
		case passed:
		case d <= pf.FibreBackhaulMaxM:
			bh = d * r.sc.Fibre.RouteFactor * r.sc.Fibre.EURPerM()
		case d <= pf.MicrowaveMaxM:
			bh = pf.MicrowaveEUR
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
			backhaulEUR = bh * sites
			wo.DownMbps = min(wo.DownMbps, sizing*pf.CapacityMbps*sites/max(rest*tu*share, 1e-9))
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
}
