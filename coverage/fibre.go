package coverage

import (
	"math"

	"github.com/paulmach/orb"
)

// fibre evaluates FTTH for the premises of one zone (MODEL.md §3).
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
func (r *planRun) fibre(w *planWorker, prem []int32) Option {
	f := r.sc.Fibre
	o := Option{Tech: TechFibre, DownMbps: f.DownMbps, UpMbps: f.UpMbps, LatencyMs: f.LatencyMs}
	w.pts = w.pts[:0]
	w.idx = w.idx[:0]
	w.clus = w.clus[:0]
	feeder := math.Inf(1)
	var conn float64
	tooFar := 0
	for q, i := range prem {
		m := &w.ms[q]
		p := &w.prem[q]
		if !m.Passed {
			c := int32(-1)
			if !r.fibreReachable(m) {
				if !f.AllowNewNodes {
					tooFar++
					continue
				}
				c = 0 // clustered below
			} else {
				feeder = min(feeder, m.FibreDistM)
			}
			w.pts = append(w.pts, p.Pt)
			w.idx = append(w.idx, int32(q))
			w.clus = append(w.clus, c)
		} else {
			o.PassedPremises++
		}
		r.served[i] |= 1 << TechFibre
		o.PremisesServed++
		o.UnitsServed += int(max(p.Units, 1))
		conn += r.dem.subs(p)
	}
	if tooFar > 0 {
		o.Reasons = addReason(o.Reasons, FibreTooFar)
		o.PremisesUnserved = tooFar
	}
	linked := !math.IsInf(feeder, 1)
	if !linked {
		feeder = 0 // nothing reached from the network: the new nodes feed the tree
	}
	r.newNodes(w)
	nodes, nodeEUR := r.nodeCost(w.node, nil, linked)
	tree := w.mst.build(w.pts)
	r.fibreCost(&o, feeder+tree, conn, len(w.pts), nodes, nodeEUR)
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

// newNodes groups the premises of w.pts marked for new nodes (w.clus 0)
// into clusters within GPON reach: the first premise not yet in a cluster
// is a seed, and every unclustered premise within reach ÷ route factor of
// it (straight line) joins it. It sets w.clus to the cluster index (from 0)
// and fills w.node. Deterministic: premises are taken in zone order.
func (r *planRun) newNodes(w *planWorker) {
	f := r.sc.Fibre
	w.node = w.node[:0]
	for v := range w.clus {
		if w.clus[v] == 0 {
			w.clus[v] = -2 // to cluster
		}
	}
	rad := f.ReachM / f.RouteFactor
	rad2 := rad * rad
	for v := range w.clus {
		if w.clus[v] != -2 {
			continue
		}
		seed := w.pts[v]
		c := int32(len(w.node))
		units := 0
		for u := v; u < len(w.clus); u++ {
			if w.clus[u] != -2 {
				continue
			}
			dx, dy := w.pts[u][0]-seed[0], w.pts[u][1]-seed[1]
			if dx*dx+dy*dy <= rad2 {
				w.clus[u] = c
				units += int(max(w.prem[w.idx[u]].Units, 1))
			}
		}
		_, d := r.ix.NearestNode(seed)
		w.node = append(w.node, nodeClus{Seed: seed, Units: units, LinkM: d,
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
func (r *planRun) nodeCost(cl []nodeClus, keep []bool, linked bool) (nodes int, eur float64) {
	link := math.Inf(1)
	for c := range cl {
		if keep != nil && !keep[c] {
			continue
		}
		nodes += cl[c].Nodes
		link = min(link, r.linkEUR(cl[c].LinkM))
	}
	if nodes == 0 {
		return 0, 0
	}
	eur = float64(nodes) * r.sc.Fibre.NewNodeEUR
	if !linked {
		eur += link
	}
	return nodes, eur
}

// linkEUR is the collection link of a new node distM (straight line) from
// the nearest active node.
func (r *planRun) linkEUR(distM float64) float64 {
	f := r.sc.Fibre
	if distM <= f.LinkMaxM {
		return distM * f.RouteFactor * f.EURPerM()
	}
	return f.TransitEUR
}

// fibreReachable reports whether a premise not yet passed is within reach
// of an active node along the route (straight line × route factor). Without
// active nodes the distance to the nearest active line is used.
func (r *planRun) fibreReachable(m *PremiseMeasure) bool {
	d := m.NodeDistM
	if math.IsInf(d, 1) {
		d = m.FibreDistM
	}
	return d*r.sc.Fibre.RouteFactor <= r.sc.Fibre.ReachM
}

// fibreCost fills the money of a fibre option from the straight-line new
// network length, the connected units and the premises newly passed.
func (r *planRun) fibreCost(o *Option, lineM, connected float64, newlyPassed, nodes int, nodeEUR float64) {
	f := r.sc.Fibre
	o.RouteM = lineM * f.RouteFactor
	o.NewNodes, o.NewNodeEUR = nodes, nodeEUR
	o.PassingCapexEUR = o.RouteM*f.EURPerM() + nodeEUR
	ports := math.Ceil(connected/float64(f.Split) - 1e-9)
	portsEUR := ports * f.OLTPortEUR
	o.Subscribers = connected
	o.CapexEUR = o.PassingCapexEUR + connected*f.ConnectionEUR + portsEUR
	o.OpexEURPerYear = f.OpexShare * o.CapexEUR
	if newlyPassed > 0 {
		o.CostPerPassedEUR = o.PassingCapexEUR / float64(newlyPassed)
	}
	if connected > 0 {
		o.CostPerConnectedEUR = o.CapexEUR / connected
	}
	r.finishOption(o, []reinvestment{{CostEUR: portsEUR + connected*f.ONTEUR, Years: f.ElectronicsYears}}, 0, 0)
}

// hybridMoney is the money of a zone split between fibre (fib, what the
// fibre part costs) and an alternative ao serving share of its own
// subscribers: the fibre part plus that share of each of ao's figures.
func hybridMoney(fib, ao *Option, share float64) Option {
	return Option{
		Tech:           TechFibre,
		CapexEUR:       fib.CapexEUR + share*ao.CapexEUR,
		OpexEURPerYear: fib.OpexEURPerYear + share*ao.OpexEURPerYear,
		NPVEUR:         fib.NPVEUR + share*ao.NPVEUR,
		PublicCostEUR:  fib.PublicCostEUR + share*ao.PublicCostEUR,
		ReinvestEUR:    fib.ReinvestEUR + share*ao.ReinvestEUR,
	}
}

// hybridBuf is a worker's scratch space for the hybrid split.
type hybridBuf struct {
	adjStart []int32
	adj      []int32
	adjLen   []float64
	parent   []int32
	upLen    []float64
	order    []int32
	keep     []float64
	altAll   []float64
	toAlt    []bool
	keepNode []bool // new-node clusters keeping a fibre premise
}

// hybrid splits one zone between fibre and its best alternative (MODEL.md
// §5): premises whose marginal fibre cost exceeds what the alternative
// would cost them leave the fibre tree. The tree is the zone's fibre
// distribution tree rooted at the premise nearest the network; a premise's
// marginal cost is its connection and electronics plus the tree edge to its
// parent, all as NPV; whole branches leave when the alternative serves the
// branch for less (an exact dynamic programme on the tree). Premises already
// passed keep fibre when their connection costs less than the alternative;
// premises beyond reach are in the tree on new nodes (their node and link
// cost is fixed for the root, and paid for every cluster keeping a premise)
// or, when new nodes are forbidden, take the alternative. Must run right after fibre()
// on the same worker (it reuses the tree).
func (r *planRun) hybrid(w *planWorker, z int, prem []int32) {
	zp := &r.plan.Zones[z]
	fo := &zp.Options[TechFibre]
	alt := TechNone
	for _, t := range Techs[1:] {
		o := &zp.Options[t]
		if o.Feasible && (alt == TechNone || o.NPVPerPremiseEUR < zp.Options[alt].NPVPerPremiseEUR) {
			alt = t
		}
	}
	ex := &r.extra[z]
	if alt == TechNone || !fo.Feasible && fo.PremisesServed == 0 {
		return
	}
	ao := &zp.Options[alt]
	f := r.sc.Fibre
	// NPV of 1 € of fibre CAPEX (with its OPEX), and of the per-subscriber electronics.
	lam := 1 + f.OpexShare*annuity(r.sc.DiscountRate, r.sc.HorizonYears)
	pvRepl, _ := replacementFactor(r.sc.DiscountRate, f.ElectronicsYears, r.sc.HorizonYears)
	portPerSub := f.OLTPortEUR / float64(f.Split)
	perSub := (f.ConnectionEUR+portPerSub)*lam + (f.ONTEUR+portPerSub)*pvRepl
	perM := f.RouteFactor * f.EURPerM() * lam
	altPerSub := 0.0
	if ao.Subscribers > 0 {
		altPerSub = ao.NPVEUR / ao.Subscribers
	}
	// Both take the premise's position q in the zone.
	altCost := func(q int32) float64 {
		if r.served[prem[q]]&(1<<alt) == 0 {
			return math.Inf(1) // the alternative cannot serve it either
		}
		return altPerSub * r.dem.subs(&w.prem[q])
	}
	fibreCost := func(q int32) float64 { return perSub * r.dem.subs(&w.prem[q]) }

	h := &w.hyb
	n := len(w.pts)
	h.toAlt = growB(h.toAlt, n)
	for v := range n {
		h.toAlt[v] = false
	}
	if n > 0 {
		// CSR adjacency of the tree.
		h.adjStart = growI(h.adjStart, n+1)
		clear(h.adjStart)
		for _, e := range w.mst.Edges {
			h.adjStart[e.A+1]++
			h.adjStart[e.B+1]++
		}
		for v := 1; v <= n; v++ {
			h.adjStart[v] += h.adjStart[v-1]
		}
		h.adj = growI(h.adj, 2*len(w.mst.Edges))
		h.adjLen = growF(h.adjLen, 2*len(w.mst.Edges))
		h.parent = growI(h.parent, n) // cursor first
		copy(h.parent, h.adjStart[:n])
		for _, e := range w.mst.Edges {
			h.adj[h.parent[e.A]], h.adjLen[h.parent[e.A]] = e.B, e.LenM
			h.parent[e.A]++
			h.adj[h.parent[e.B]], h.adjLen[h.parent[e.B]] = e.A, e.LenM
			h.parent[e.B]++
		}
		// Root: the premise reached from the network nearest to it; when
		// every premise needs a new node, the first one (its cluster's
		// node and link are the root's fixed cost).
		root, feeder := 0, math.Inf(1)
		for v, q := range w.idx {
			if d := w.ms[q].FibreDistM; w.clus[v] < 0 && d < feeder {
				root, feeder = v, d
			}
		}
		rootEUR := feeder * perM
		if math.IsInf(feeder, 1) {
			c := w.clus[0]
			_, e := r.nodeCost(w.node[c:c+1], nil, false)
			rootEUR = e * lam
		}
		// BFS order from the root.
		h.order = append(h.order[:0], int32(root))
		h.upLen = growF(h.upLen, n)
		for v := range n {
			h.parent[v] = -2
		}
		h.parent[root] = -1
		h.upLen[root] = 0
		for q := 0; q < len(h.order); q++ {
			v := h.order[q]
			for a := h.adjStart[v]; a < h.adjStart[v+1]; a++ {
				c := h.adj[a]
				if h.parent[c] == -2 {
					h.parent[c] = v
					h.upLen[c] = h.adjLen[a]
					h.order = append(h.order, c)
				}
			}
		}
		// Bottom-up: keep[v] = cost of fibre at v with the best choice for
		// each child branch; altAll[v] = alternative for v's whole branch.
		h.keep = growF(h.keep, n)
		h.altAll = growF(h.altAll, n)
		for v := range n {
			h.keep[v] = fibreCost(w.idx[v])
			h.altAll[v] = altCost(w.idx[v])
		}
		for q := len(h.order) - 1; q > 0; q-- {
			c := h.order[q]
			p := h.parent[c]
			h.keep[p] += min(h.upLen[c]*perM+h.keep[c], h.altAll[c])
			h.altAll[p] += h.altAll[c]
		}
		// Top-down: mark branches that leave the tree.
		h.toAlt[root] = h.altAll[root] < rootEUR+h.keep[root]
		for q := 1; q < len(h.order); q++ {
			c := h.order[q]
			p := h.parent[c]
			h.toAlt[c] = h.toAlt[p] || h.altAll[c] < h.upLen[c]*perM+h.keep[c]
		}
	}
	// Assign every premise and total both parts.
	h.keepNode = growB(h.keepNode, len(w.node))
	for c := range h.keepNode {
		h.keepNode[c] = false
	}
	var fibreSubs, altSubs, lineM float64
	var mix [NumTechs]int
	var fibreServed, altServed, fibreUnits, altUnits, unserved int
	feeder := math.Inf(1)
	v := 0
	for q, i := range prem {
		p := &w.prem[q]
		t := TechNone
		m := &w.ms[q]
		switch {
		case v < n && w.idx[v] == int32(q):
			if !h.toAlt[v] {
				t = TechFibre
				if c := w.clus[v]; c < 0 {
					feeder = min(feeder, m.FibreDistM)
				} else {
					h.keepNode[c] = true
				}
				if par := h.parent[v]; par >= 0 {
					lineM += h.upLen[v]
				}
			} else if r.served[i]&(1<<alt) != 0 {
				t = alt
			}
			v++
		case m.Passed && fibreCost(int32(q)) <= altCost(int32(q)):
			t = TechFibre
		case r.served[i]&(1<<alt) != 0:
			t = alt
		case r.served[i]&(1<<TechFibre) != 0:
			t = TechFibre
		}
		r.hybTech[i] = t
		mix[t]++
		switch t {
		case TechFibre:
			fibreSubs += r.dem.subs(p)
			fibreServed++
			fibreUnits += int(max(p.Units, 1))
		case TechNone:
			unserved++
		default:
			altSubs += r.dem.subs(p)
			altServed++
			altUnits += int(max(p.Units, 1))
		}
	}
	if math.IsInf(feeder, 1) {
		feeder = 0
	}
	// The fibre part: kept tree edges (a kept premise's parent is kept too).
	fib := Option{Tech: TechFibre}
	newly := 0
	for q := range n {
		if !h.toAlt[q] {
			newly++
		}
	}
	nodes, nodeEUR := r.nodeCost(w.node, h.keepNode, !math.IsInf(feeder, 1))
	r.fibreCost(&fib, feeder+lineM, fibreSubs, newly, nodes, nodeEUR)
	share := 0.0
	if ao.Subscribers > 0 {
		share = altSubs / ao.Subscribers
	}
	b := hybridMoney(&fib, ao, share)
	b.PremisesServed = fibreServed + altServed
	b.UnitsServed = fibreUnits + altUnits
	b.PremisesUnserved = unserved
	b.Subscribers = fibreSubs + altSubs
	b.PassingCapexEUR = fib.PassingCapexEUR
	b.NewNodes, b.NewNodeEUR = fib.NewNodes, fib.NewNodeEUR
	b.PassedPremises = fo.PassedPremises
	b.RouteM = fib.RouteM
	b.CostPerPassedEUR = fib.CostPerPassedEUR
	b.DownMbps, b.UpMbps, b.LatencyMs = fo.DownMbps, fo.UpMbps, fo.LatencyMs
	if fibreSubs > 0 {
		b.CostPerConnectedEUR = fib.CapexEUR / fibreSubs
	}
	if altServed > 0 {
		b.DownMbps = min(b.DownMbps, ao.DownMbps)
		b.UpMbps = min(b.UpMbps, ao.UpMbps)
		b.LatencyMs = max(b.LatencyMs, ao.LatencyMs)
		b.Reasons = append(b.Reasons, ao.Reasons...)
		if altServed > fibreServed {
			b.Tech = alt
		}
	}
	if fibreServed > 0 {
		for _, rs := range fo.Reasons {
			b.Reasons = addReason(b.Reasons, rs)
		}
	}
	r.judge(zp, &b)
	ex.hybrid = b
	ex.hybridMix = mix
	ex.hybridOK = b.Feasible
}
