package coverage

import "math"

// hybridMoney is the money of a zone split between fibre (fib, what the
// fibre part costs) and an alternative ao serving share of its own
// subscribers: the fibre part plus that share of each of ao's figures.
func hybridMoney(fib, ao *Option, share float64) Option {
	o := Option{
		Tech:           TechFibre,
		CapexEUR:       fib.CapexEUR + share*ao.CapexEUR,
		OpexEURPerYear: fib.OpexEURPerYear + share*ao.OpexEURPerYear,
		NPVEUR:         fib.NPVEUR + share*ao.NPVEUR,
		SubscriberEUR:  fib.SubscriberEUR + share*ao.SubscriberEUR,
		PublicCostEUR:  fib.PublicCostEUR + share*ao.PublicCostEUR,
		ReinvestEUR:    fib.ReinvestEUR + share*ao.ReinvestEUR,
	}
	for c := range o.CapexByItem {
		o.CapexByItem[c] = fib.CapexByItem[c] + share*ao.CapexByItem[c]
	}
	return o
}

// mixedBuf is a worker's scratch space for the mixed option.
type mixedBuf struct {
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
	tech     []Tech // per premise of the zone: the technology serving it (set by the caller to the zone's part of Evaluation.mixed)
}

// mixedPremises splits one zone between fibre and its best alternative (MODEL.md
// §5): premises whose marginal fibre cost exceeds what the alternative
// would cost them leave the fibre tree. The tree is the zone's fibre
// distribution tree rooted at the premise nearest the network; a premise's
// marginal cost is its connection and electronics plus the tree edge to its
// parent, all as NPV; whole branches leave when the alternative serves the
// branch for less (an exact dynamic programme on the tree). Premises already
// passed keep fibre when their connection costs less than the alternative;
// premises beyond reach are in the tree on new nodes (their node and link
// cost is fixed for the root, and paid for every cluster keeping a premise)
// or, when new nodes are forbidden, take the alternative. opts are the
// zone's judged options; w must hold the zone's fibre tree (fibrePremises
// on the same zone). It returns the mixed option and its premises by
// technology, and sets h.tech to each premise's technology (TechNone for
// all when the zone has no mixed option).
func (md *model) mixedPremises(zi *zoneIn, opts *[NumTechs]Option, w *fibreBuf, h *mixedBuf) (Option, [NumTechs]int) {
	n0 := len(zi.idx)
	clear(h.tech)
	fo := &opts[TechFibre]
	alt := cheapestAlternative(opts)
	if alt == TechNone || !fo.Feasible && fo.PremisesServed == 0 {
		return Option{}, [NumTechs]int{}
	}
	ao := &opts[alt]
	f := &md.sc.Fibre
	// NPV of 1 € of fibre CAPEX (with its OPEX), and of the per-subscriber electronics.
	lam := 1 + f.OpexShare*annuity(md.sc.DiscountRate, md.sc.HorizonYears)
	pvRepl, _ := replacementFactor(md.sc.DiscountRate, f.ElectronicsYears, md.sc.HorizonYears)
	portPerSub := f.OLTPortEUR / float64(f.Split)
	perSub := (f.ConnectionEUR+portPerSub)*lam + (f.ONTEUR+portPerSub)*pvRepl
	perM := f.RouteFactor * f.EURPerM() * lam
	altPerSub := 0.0
	if ao.Subscribers > 0 {
		altPerSub = ao.NPVEUR / ao.Subscribers
	}
	// Both take the premise's position q in the zone.
	altCost := func(q int32) float64 {
		if zi.served[q]&(1<<alt) == 0 {
			return math.Inf(1) // the alternative cannot serve it either
		}
		return altPerSub * md.dem.subs(&zi.prem[q])
	}
	fibreCost := func(q int32) float64 { return perSub * md.dem.subs(&zi.prem[q]) }

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
			if d := zi.ms[q].FibreDistM; w.clus[v] < 0 && d < feeder {
				root, feeder = v, d
			}
		}
		rootEUR := feeder * perM
		if math.IsInf(feeder, 1) {
			c := w.clus[0]
			_, e := md.nodeCost(w.node[c:c+1], nil, false)
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
	for q := range zi.prem {
		p := &zi.prem[q]
		t := TechNone
		m := &zi.ms[q]
		sv := zi.served[q]
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
			} else if sv&(1<<alt) != 0 {
				t = alt
			}
			v++
		case m.Passed && fibreCost(int32(q)) <= altCost(int32(q)):
			t = TechFibre
		case sv&(1<<alt) != 0:
			t = alt
		case sv&(1<<TechFibre) != 0:
			t = TechFibre
		}
		h.tech[q] = t
		mix[t]++
		switch t {
		case TechFibre:
			fibreSubs += md.dem.subs(p)
			fibreServed++
			fibreUnits += int(max(p.Units, 1))
		case TechNone:
			unserved++
		default:
			altSubs += md.dem.subs(p)
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
	nodes, nodeEUR := md.nodeCost(w.node, h.keepNode, !math.IsInf(feeder, 1))
	md.fibreCost(&fib, feeder+lineM, fibreSubs, newly, nodes, nodeEUR)
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
	md.judge(n0, &b)
	return b, mix
}

// mixedZone is the mixed option of a zone-level zone (MODEL.md §5): the
// households already passed (the zone's served share) keep fibre for
// their connection; the rest take the zone's cheapest feasible
// alternative by NPV per premise, at its average cost per premise served.
// Without passed households, or when all are, there is nothing to split:
// it returns the zero Option.
func (md *model) mixedZone(zf *zoneFigures, opts *[NumTechs]Option) (Option, [NumTechs]int) {
	h, passedH := zf.households, zf.passedH
	if passedH <= 0 || passedH >= h {
		return Option{}, [NumTechs]int{}
	}
	alt := cheapestAlternative(opts)
	if alt == TechNone {
		return Option{}, [NumTechs]int{}
	}
	ao := &opts[alt]
	rest := h - passedH
	altServed := min(rest, ao.PremisesServed)
	share := float64(altServed) / float64(ao.PremisesServed)
	fib := Option{Tech: TechFibre}
	md.fibreCost(&fib, 0, float64(passedH)*zf.takeUp, 0, 0, 0)
	f := &md.sc.Fibre
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
	b.CostPerConnectedEUR = fib.CapexEUR / fib.Subscribers
	if altServed > passedH {
		b.Tech = alt
	}
	var mix [NumTechs]int
	mix[TechFibre], mix[alt], mix[TechNone] = passedH, altServed, rest-altServed
	md.judge(h, &b)
	return b, mix
}

// cheapestAlternative returns the feasible option other than fibre with
// the lowest NPV per premise served (ties: report order), or TechNone.
func cheapestAlternative(opts *[NumTechs]Option) Tech {
	alt := TechNone
	for _, t := range Techs[1:] {
		o := &opts[t]
		if o.Feasible && (alt == TechNone || o.NPVPerPremiseEUR < opts[alt].NPVPerPremiseEUR) {
			alt = t
		}
	}
	return alt
}
