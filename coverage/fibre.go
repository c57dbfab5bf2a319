package coverage

import (
	"math"

	"github.com/paulmach/orb"
)

// fibreBuf is a worker's scratch space for the fibre model. After
// fibrePremises it holds the zone's new-network tree, which mixedPremises
// reads.
type fibreBuf struct {
	mst     mstBuf
	pts     []orb.Point // premises newly passed (tree vertices)
	idx     []int32     // position in the zone of each of pts
	reached []bool      // the vertex is within reach of the existing network (else on a new node)
	nodes   []float64   // the vertex's share of its new nodes (0 when reached)
	nodeEUR []float64   // and of their cost
}

// fibrePremises evaluates FTTH for the premises of one zone (MODEL.md §3).
//
// Premises inside an active served area are already passed: only their
// connection costs. The others are passed by new network: the zone's
// feeder (the area pass's shortest join of the zone's tree to the network,
// a new node or a neighbouring zone's tree) and a distribution tree over
// them (the Euclidean minimum spanning tree), both × route factor ×
// blended €/m. Premises farther than the reach from an active node (route
// distance), or all of them when there is no network, are served by the
// area's new optical nodes when the scenario allows them, and pay their
// share of the nodes and collection links by units; otherwise they cannot
// be served: FIBRE_TOO_FAR.
func (md *model) fibrePremises(zi *zoneIn, fa *fibreArea, b *fibreBuf) Option {
	f := &md.sc.Fibre
	o := Option{Tech: TechFibre, DownMbps: f.DownMbps, UpMbps: f.UpMbps, LatencyMs: f.LatencyMs}
	b.pts, b.idx, b.reached, b.nodes, b.nodeEUR = b.pts[:0], b.idx[:0], b.reached[:0], b.nodes[:0], b.nodeEUR[:0]
	var conn, nodes, nodeEUR float64
	tooFar := 0
	for q := range zi.prem {
		m := &zi.ms[q]
		p := &zi.prem[q]
		vertex, nn := fa.vertexAt(zi.pos + int32(q))
		switch {
		case m.Passed:
			o.PassedPremises++
		case !vertex:
			tooFar++
			continue
		default:
			var n, eur float64
			if nn {
				c := fa.clusterOf[zi.idx[q]]
				n, eur = fa.nodeShare(c, p.Units)
				nodes += n
				nodeEUR += eur
				zi.nodes = addSite(zi.nodes, c)
			}
			b.pts = append(b.pts, p.Pt)
			b.idx = append(b.idx, int32(q))
			b.reached = append(b.reached, !nn)
			b.nodes = append(b.nodes, n)
			b.nodeEUR = append(b.nodeEUR, eur)
		}
		zi.serve(q, TechFibre)
		o.PremisesServed++
		o.UnitsServed += int(max(p.Units, 1))
		conn += md.dem.subs(p)
	}
	if tooFar > 0 {
		o.Reasons = addReason(o.Reasons, FibreTooFar)
		o.PremisesUnserved = tooFar
	}
	feeder := 0.0
	if len(b.pts) > 0 {
		feeder = fa.feederM[zi.zone]
	}
	tree := b.mst.build(b.pts)
	md.fibreCost(&o, feeder+tree, conn, len(b.pts), nodes, nodeEUR)
	return o
}

// fibreZone evaluates FTTH for a zone from its counts and area (MODEL.md
// §2; zf from zoneFigures):
//
//   - the premises in active served areas (the zone's served share) are
//     passed: only their connection costs;
//   - the others get a distribution tree (settlementTree) and, when the
//     mean distance to a node is within reach, the zone's feeder: its edge
//     in the minimum spanning tree of the zones and the network
//     (zoneFeeders);
//   - beyond reach, when new nodes are allowed, new nodes shared with the
//     neighbouring zones: the zone pays the share of a node its unpassed
//     area and premises take (area ÷ the disc of GPON reach, or premises ÷
//     node_max_units, whichever is larger), with the same share of the
//     node's collection link; else FIBRE_TOO_FAR.
func (md *model) fibreZone(zf *zoneFigures) Option {
	f := &md.sc.Fibre
	o := Option{Tech: TechFibre, DownMbps: f.DownMbps, UpMbps: f.UpMbps, LatencyMs: f.LatencyMs}
	restH := zf.premises - zf.passedH
	restA := zf.areaM2 * (1 - zf.servedShare)
	var lineM, nodes, nodeEUR float64
	newly := 0
	switch {
	case restH == 0:
	case zf.reachable:
		lineM = zf.feederM + md.settlementTree(restH, restA)
		newly = restH
	case f.AllowNewNodes:
		rad := f.ReachM / f.RouteFactor
		nodes = max(restA/(math.Pi*rad*rad), float64(restH)/float64(max(f.NodeMaxUnits, 1)))
		nodeEUR = nodes * (f.NewNodeEUR + md.linkEUR(zf.nodeDistM))
		lineM = md.settlementTree(restH, restA)
		newly = restH
	default:
		o.Reasons = addReason(o.Reasons, FibreTooFar)
		o.PremisesUnserved = restH
	}
	o.PremisesServed = zf.passedH + newly
	o.UnitsServed = o.PremisesServed
	o.PassedPremises = zf.passedH
	md.fibreCost(&o, lineM, float64(o.PremisesServed)*zf.takeUp, newly, nodes, nodeEUR)
	return o
}

// settlementTree estimates the distribution tree joining n premises over
// an area of areaM2 (MODEL.md §2): premises gather in m settlements, one
// per zone_level.settlement_km2, but at least 1 and at most one per
// zone_level.settlement_min_premises premises, with λ metres of tree per
// premise inside a settlement (zone_level.tree_m_per_premise) and the
// settlements joined as m points spread over the area; never more than the
// tree of n premises spread evenly, c·√(n·A):
//
//	tree = min(c·√(n·A), λ·(n − m) + c·√(m·A))
func (md *model) settlementTree(n int, areaM2 float64) float64 {
	if n <= 0 || areaM2 <= 0 {
		return 0
	}
	zl := &md.sc.ZoneLevel
	nf := float64(n)
	m := max(1, min(nf/max(zl.SettlementMinPremises, 1), areaM2/(zl.SettlementKm2*1e6)))
	even := zl.MSTConstant * math.Sqrt(nf*areaM2)
	return min(even, zl.TreeMPerPremise*(nf-m)+zl.MSTConstant*math.Sqrt(m*areaM2))
}

// linkEUR is the collection link of a new node distM (straight line) from
// the nearest active node.
func (md *model) linkEUR(distM float64) float64 {
	f := &md.sc.Fibre
	if distM <= f.LinkMaxM {
		return distM * f.RouteFactor * f.EURPerM()
	}
	return f.TransitEUR
}

// fibreReachable reports whether a premise not yet passed is within reach
// of an active node along the route (straight line × route factor). Without
// active nodes, or when its nearest network is a served area's edge (whose
// node serves the area), its distance to the network is used.
func (md *model) fibreReachable(m *PremiseMeasure) bool {
	d := m.NodeDistM
	if math.IsInf(d, 1) || m.ViaServed {
		d = m.FibreDistM
	}
	return d*md.sc.Fibre.RouteFactor <= md.sc.Fibre.ReachM
}

// fibreCost fills the money of a fibre option from the straight-line new
// network length, the connected units, the premises newly passed and the
// new nodes (their CAPEX with collection links):
//
//	CAPEX = route × €/m + passive € × premises newly passed + nodes
//	      + connection € × connected + OLT port € × ⌈connected ÷ split⌉
//	OPEX  = opex share × CAPEX a year
//	renewals every electronics_years: OLT ports + ONT € × connected
//
// with the retail subscription and the network's revenue per connected unit.
func (md *model) fibreCost(o *Option, lineM, connected float64, newlyPassed int, nodes, nodeEUR float64) {
	f := &md.sc.Fibre
	o.RouteM = lineM * f.RouteFactor
	o.NewNodes, o.NewNodeEUR = nodes, nodeEUR
	ports := math.Ceil(connected/float64(f.Split) - 1e-9)
	portsEUR := ports * f.OLTPortEUR
	o.Subscribers = connected
	p := priceIn{subs: connected, premises: o.PremisesServed, network: true,
		retailEURPerMonth: f.RetailEURPerMonth, revenueEURPerMonth: f.RevenueEURPerMonth,
		netRenew: reinvestment{CostEUR: portsEUR + connected*f.ONTEUR, Years: f.ElectronicsYears}}
	p.capex[ItemRoute] = o.RouteM * f.EURPerM()
	p.capex[ItemPassive] = float64(newlyPassed) * f.PassiveEUR
	p.capex[ItemNodes] = nodeEUR
	p.capex[ItemConnection] = connected * f.ConnectionEUR
	p.capex[ItemOLTPorts] = portsEUR
	o.PassingCapexEUR = p.capex[ItemRoute] + p.capex[ItemPassive] + nodeEUR
	capex := o.PassingCapexEUR + p.capex[ItemConnection] + p.capex[ItemOLTPorts]
	p.opexPerYear = f.OpexShare * capex
	md.price(o, p)
	if newlyPassed > 0 {
		o.CostPerPassedEUR = o.PassingCapexEUR / float64(newlyPassed)
	}
	if connected > 0 {
		o.CostPerConnectedEUR = o.CapexEUR / connected
	}
}
