package coverage

import (
	"math"

	"github.com/paulmach/orb"
)

// fibreBuf is a worker's scratch space for the fibre model. After
// fibrePremises it holds the zone's new-network tree, which mixedPremises
// reads.
type fibreBuf struct {
	mst  mstBuf
	pts  []orb.Point // premises newly passed (tree vertices)
	idx  []int32     // position in the zone of each of pts
	clus []int32     // new-node cluster of each of pts, -1 when reached from the network
	node []nodeClus  // the new-node clusters
}

// fibrePremises evaluates FTTH for the premises of one zone (MODEL.md §3).
//
// Premises inside an active served area are already passed: only their
// connection costs. The others are passed by new network: a feeder from the
// existing network to the zone (the shortest premise-to-network distance
// among them) and a distribution tree over them (the Euclidean minimum
// spanning tree), both × route factor × blended €/m. Premises farther than
// the reach from an active node (route distance), or all of them when there
// is no network, get new optical nodes (newNodes) when the scenario allows
// them; otherwise they cannot be served: FIBRE_TOO_FAR.
//
//	CAPEX = (feeder + tree) × route factor × €/m + new nodes and their links
//	      + connection € × connected units + OLT port € × ⌈connected units ÷ split⌉
//	connected units = Σ units × take-up of the premise's kind
//	OPEX  = opex share × CAPEX a year
//	reinvestment every electronics_years: OLT ports + ONT € × connected units
func (md *model) fibrePremises(zi *zoneIn, b *fibreBuf) Option {
	f := &md.sc.Fibre
	o := Option{Tech: TechFibre, DownMbps: f.DownMbps, UpMbps: f.UpMbps, LatencyMs: f.LatencyMs}
	b.pts, b.idx, b.clus = b.pts[:0], b.idx[:0], b.clus[:0]
	feeder := math.Inf(1)
	var conn float64
	tooFar := 0
	for q := range zi.prem {
		m := &zi.ms[q]
		p := &zi.prem[q]
		if !m.Passed {
			c := int32(-1)
			if !md.fibreReachable(m) {
				if !f.AllowNewNodes {
					tooFar++
					continue
				}
				c = 0 // clustered below
			} else {
				feeder = min(feeder, m.FibreDistM)
			}
			b.pts = append(b.pts, p.Pt)
			b.idx = append(b.idx, int32(q))
			b.clus = append(b.clus, c)
		} else {
			o.PassedPremises++
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
	linked := !math.IsInf(feeder, 1)
	if !linked {
		feeder = 0 // nothing reached from the network: the new nodes feed the tree
	}
	md.newNodes(zi, b)
	nodes, nodeEUR := md.nodeCost(b.node, nil, linked)
	tree := b.mst.build(b.pts)
	md.fibreCost(&o, feeder+tree, conn, len(b.pts), nodes, nodeEUR)
	return o
}

// fibreZone evaluates FTTH for a zone from its counts and area (MODEL.md
// §2; zf from zoneFigures):
//
//   - the households in active served areas (the zone's served share) are
//     passed: only their connection costs;
//   - the others are reached from the network when the mean distance to a
//     node is within reach: a feeder (0 with a node inside the zone, else
//     the centroid's distance to the network minus the radius of a disc of
//     the unpassed area) and a distribution tree of mst_constant × √(n × A);
//   - otherwise, when new nodes are allowed, one node per disc of GPON
//     reach the unpassed area needs (more when its households exceed what
//     a node serves), the tree joining them and one collection link to the
//     nearest active node (or leased transit); else FIBRE_TOO_FAR.
func (md *model) fibreZone(zf *zoneFigures) Option {
	f := &md.sc.Fibre
	o := Option{Tech: TechFibre, DownMbps: f.DownMbps, UpMbps: f.UpMbps, LatencyMs: f.LatencyMs}
	restH := zf.households - zf.passedH
	restA := zf.areaM2 * (1 - zf.servedShare)
	rf := float64(restH)
	var lineM, nodeEUR float64
	nodes, newly := 0, 0
	switch {
	case restH == 0:
	case zf.meanNodeM*f.RouteFactor <= f.ReachM && !math.IsInf(zf.fibreDistM, 1):
		feeder := 0.0
		if zf.nodes == 0 {
			feeder = max(0, zf.fibreDistM-math.Sqrt(restA/math.Pi))
		}
		lineM = feeder + md.sc.ZoneLevel.MSTConstant*math.Sqrt(rf*restA)
		newly = restH
	case f.AllowNewNodes:
		rad := f.ReachM / f.RouteFactor
		nodes = max(1, int(math.Ceil(restA/(math.Pi*rad*rad)-1e-9)),
			int(math.Ceil(rf/float64(max(f.NodeMaxUnits, 1))-1e-9)))
		nodeEUR = float64(nodes)*f.NewNodeEUR + md.linkEUR(zf.nodeDistM)
		lineM = md.sc.ZoneLevel.MSTConstant * math.Sqrt(rf*restA)
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

// nodeClus is one cluster of premises beyond reach of the existing
// network, served by new optical nodes at its seed premise.
type nodeClus struct {
	Seed  orb.Point
	Units int
	Nodes int     // ⌈units ÷ node_max_units⌉
	LinkM float64 // straight-line distance to the nearest active node (+Inf: none)
}

// newNodes groups the premises of b.pts marked for new nodes (b.clus 0)
// into clusters within GPON reach: the first premise not yet in a cluster
// is a seed, and every unclustered premise within reach ÷ route factor of
// it (straight line) joins it. It sets b.clus to the cluster index (from 0)
// and fills b.node. Deterministic: premises are taken in zone order.
func (md *model) newNodes(zi *zoneIn, b *fibreBuf) {
	f := &md.sc.Fibre
	b.node = b.node[:0]
	for v := range b.clus {
		if b.clus[v] == 0 {
			b.clus[v] = -2 // to cluster
		}
	}
	rad := f.ReachM / f.RouteFactor
	rad2 := rad * rad
	for v := range b.clus {
		if b.clus[v] != -2 {
			continue
		}
		seed := b.pts[v]
		c := int32(len(b.node))
		units := 0
		for u := v; u < len(b.clus); u++ {
			if b.clus[u] != -2 {
				continue
			}
			dx, dy := b.pts[u][0]-seed[0], b.pts[u][1]-seed[1]
			if dx*dx+dy*dy <= rad2 {
				b.clus[u] = c
				units += int(max(zi.prem[b.idx[u]].Units, 1))
			}
		}
		_, d := md.ix.NearestNode(seed)
		b.node = append(b.node, nodeClus{Seed: seed, Units: units, LinkM: d,
			Nodes: max(1, int(math.Ceil(float64(units)/float64(max(f.NodeMaxUnits, 1))-1e-9)))})
	}
}

// nodeCost prices the clusters (those with keep[c] true; all when keep is
// nil): new_node_eur per node. The distribution tree joins the clusters to
// each other and to the premises reached from the network, so it carries
// their collection traffic; only when no premise of the zone is reached
// from the network (linked false) does the zone need one collection link
// of its own: from the cluster nearest an active node, fibre to it when
// within link_max_m (× route factor × €/m), else leased transit.
func (md *model) nodeCost(cl []nodeClus, keep []bool, linked bool) (nodes int, eur float64) {
	link := math.Inf(1)
	for c := range cl {
		if keep != nil && !keep[c] {
			continue
		}
		nodes += cl[c].Nodes
		link = min(link, md.linkEUR(cl[c].LinkM))
	}
	if nodes == 0 {
		return 0, 0
	}
	eur = float64(nodes) * md.sc.Fibre.NewNodeEUR
	if !linked {
		eur += link
	}
	return nodes, eur
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
// active nodes the distance to the nearest active line is used.
func (md *model) fibreReachable(m *PremiseMeasure) bool {
	d := m.NodeDistM
	if math.IsInf(d, 1) {
		d = m.FibreDistM
	}
	return d*md.sc.Fibre.RouteFactor <= md.sc.Fibre.ReachM
}

// fibreCost fills the money of a fibre option from the straight-line new
// network length, the connected units, the premises newly passed and the
// new nodes.
func (md *model) fibreCost(o *Option, lineM, connected float64, newlyPassed, nodes int, nodeEUR float64) {
	f := &md.sc.Fibre
	o.RouteM = lineM * f.RouteFactor
	o.NewNodes, o.NewNodeEUR = nodes, nodeEUR
	o.PassingCapexEUR = o.RouteM*f.EURPerM() + nodeEUR
	ports := math.Ceil(connected/float64(f.Split) - 1e-9)
	portsEUR := ports * f.OLTPortEUR
	o.Subscribers = connected
	o.CapexEUR = o.PassingCapexEUR + connected*f.ConnectionEUR + portsEUR
	o.CapexByItem = [NumCostItems]float64{}
	o.CapexByItem[ItemRoute] = o.RouteM * f.EURPerM()
	o.CapexByItem[ItemNodes] = nodeEUR
	o.CapexByItem[ItemConnection] = connected * f.ConnectionEUR
	o.CapexByItem[ItemOLTPorts] = portsEUR
	o.OpexEURPerYear = f.OpexShare * o.CapexEUR
	if newlyPassed > 0 {
		o.CostPerPassedEUR = o.PassingCapexEUR / float64(newlyPassed)
	}
	if connected > 0 {
		o.CostPerConnectedEUR = o.CapexEUR / connected
	}
	md.finishOption(o, []reinvestment{{CostEUR: portsEUR + connected*f.ONTEUR, Years: f.ElectronicsYears}}, 0, 0)
}
