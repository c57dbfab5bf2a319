package coverage

import "math"

// hybridMoney is the money of a zone split between fibre (fib, what the
// fibre part costs) and an alternative ao serving share of its own
// subscribers: the fibre part plus that share of each of ao's figures.
func hybridMoney(fib, ao *Option, share float64) Option {
	o := Option{Tech: TechFibre, Money: fib.Money, HasNPV: npvAlso(TechFibre, fib.HasNPV, ao)}
	o.addShare(&ao.Money, share)
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
// on the same zone) and feederM is the zone's feeder. It returns the mixed option and its premises by
// technology, and sets h.tech to each premise's technology (TechNone for
// all when the zone has no mixed option).
func (md *model) mixedPremises(zi *zoneIn, opts *[NumTechs]Option, w *fibreBuf, feederM float64, h *mixedBuf) (Option, [NumTechs]int) {
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
	// Per subscriber: connection and electronics, and the subscription
	// less what it pays the network, over the horizon (present cost basis).
	retail := 12 * (f.RetailEURPerMonth - f.RevenueEURPerMonth) * annuity(md.sc.DiscountRate, md.sc.HorizonYears)
	c := mixedCosts{
		perSub:  (f.ConnectionEUR+portPerSub)*lam + (f.ONTEUR+portPerSub)*pvRepl + retail,
		passive: f.PassiveEUR * lam,
		perM:    f.RouteFactor * f.EURPerM() * lam,
		alt:     alt, zi: zi, dem: &md.dem, lam: lam,
	}
	if ao.Subscribers > 0 {
		c.altPerSub = ao.PresentCostEUR / ao.Subscribers
	}
	n := len(w.pts)
	h.toAlt = growB(h.toAlt, n)
	clear(h.toAlt)
	if n > 0 {
		root := h.rootTree(zi, w)
		h.split(w, &c, root, feederM*c.perM)
	}
	parts := md.assignMixed(w, h, &c)
	return md.mixedMoney(zi, opts, alt, w, h, feederM, &parts)
}

// mixedCosts are the per-premise costs the split compares, as present
// costs: fibre's per subscriber (connection, electronics, subscription less
// revenue), per premise newly passed (passive equipment), per tree metre
// and per euro of new node (lam), and the alternative's per subscriber (its
// average). Both cost functions take a premise's position q in the zone.
type mixedCosts struct {
	perSub, passive, perM, altPerSub, lam float64
	alt                                   Tech
	zi                                    *zoneIn
	dem                                   *kindDemand
}

func (c *mixedCosts) fibre(q int32) float64 { return c.perSub * c.dem.subs(&c.zi.prem[q]) }

func (c *mixedCosts) altCost(q int32) float64 {
	if c.zi.served[q]&(1<<c.alt) == 0 {
		return math.Inf(1) // the alternative cannot serve it either
	}
	return c.altPerSub * c.dem.subs(&c.zi.prem[q])
}

// rootTree builds the adjacency of the zone's fibre tree (w.mst) and its
// breadth-first order from the root: the premise reached from the network
// nearest to it, or, when every premise is on a new node, the first one.
// The zone's feeder joins the tree at the root.
func (h *mixedBuf) rootTree(zi *zoneIn, w *fibreBuf) (root int) {
	n := len(w.pts)
	edges := w.mst.Edges
	h.adjStart = growI(h.adjStart, n+1)
	clear(h.adjStart)
	for _, e := range edges {
		h.adjStart[e.A+1]++
		h.adjStart[e.B+1]++
	}
	for v := 1; v <= n; v++ {
		h.adjStart[v] += h.adjStart[v-1]
	}
	h.adj = growI(h.adj, 2*len(edges))
	h.adjLen = growF(h.adjLen, 2*len(edges))
	h.parent = growI(h.parent, n) // cursor first
	copy(h.parent, h.adjStart[:n])
	for _, e := range edges {
		h.adj[h.parent[e.A]], h.adjLen[h.parent[e.A]] = e.B, e.LenM
		h.parent[e.A]++
		h.adj[h.parent[e.B]], h.adjLen[h.parent[e.B]] = e.A, e.LenM
		h.parent[e.B]++
	}
	feeder := math.Inf(1)
	for v, q := range w.idx {
		if d := zi.ms[q].FibreDistM; w.reached[v] && d < feeder {
			root, feeder = v, d
		}
	}
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
	return root
}

// split marks the branches of the tree that leave fibre (h.toAlt), by an
// exact dynamic programme: bottom-up, keep[v] is the cost of fibre at v
// with the best choice for each child branch and altAll[v] the
// alternative for v's whole branch; top-down, a branch leaves when its
// alternative costs less than its edge and its kept cost (the root's edge
// is rootEUR).
func (h *mixedBuf) split(w *fibreBuf, c *mixedCosts, root int, rootEUR float64) {
	n := len(w.pts)
	h.keep = growF(h.keep, n)
	h.altAll = growF(h.altAll, n)
	for v := range n {
		h.keep[v] = c.fibre(w.idx[v]) + c.passive + w.nodeEUR[v]*c.lam
		h.altAll[v] = c.altCost(w.idx[v])
	}
	for q := len(h.order) - 1; q > 0; q-- {
		ch := h.order[q]
		p := h.parent[ch]
		h.keep[p] += min(h.upLen[ch]*c.perM+h.keep[ch], h.altAll[ch])
		h.altAll[p] += h.altAll[ch]
	}
	h.toAlt[root] = h.altAll[root] < rootEUR+h.keep[root]
	for q := 1; q < len(h.order); q++ {
		ch := h.order[q]
		p := h.parent[ch]
		h.toAlt[ch] = h.toAlt[p] || h.altAll[ch] < h.upLen[ch]*c.perM+h.keep[ch]
	}
}

// mixedParts tallies the two parts of a mixed option.
type mixedParts struct {
	onTree                             bool    // a tree premise keeps fibre: the zone's feeder is built
	nodes, nodeEUR                     float64 // the kept premises' shares of new nodes
	mix                                [NumTechs]int
	fibreSubs, altSubs, lineM, feederM float64
	fibreServed, altServed, unserved   int
	fibreUnits, altUnits               int
}

// assignMixed gives every premise of the zone its technology (h.tech):
// tree premises keep fibre unless their branch left; premises already
// passed keep fibre when their connection costs less than the alternative;
// the others take the alternative, or fibre when only fibre serves them.
// It tallies both parts.
func (md *model) assignMixed(w *fibreBuf, h *mixedBuf, c *mixedCosts) mixedParts {
	zi, alt, n := c.zi, c.alt, len(w.pts)
	var pt mixedParts
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
				pt.onTree = true
				pt.nodes += w.nodes[v]
				pt.nodeEUR += w.nodeEUR[v]
				if par := h.parent[v]; par >= 0 {
					pt.lineM += h.upLen[v]
				}
			} else if sv&(1<<alt) != 0 {
				t = alt
			}
			v++
		case m.Passed && c.fibre(int32(q)) <= c.altCost(int32(q)):
			t = TechFibre
		case sv&(1<<alt) != 0:
			t = alt
		case sv&(1<<TechFibre) != 0:
			t = TechFibre
		}
		h.tech[q] = t
		pt.mix[t]++
		switch t {
		case TechFibre:
			pt.fibreSubs += md.dem.subs(p)
			pt.fibreServed++
			pt.fibreUnits += int(max(p.Units, 1))
		case TechNone:
			pt.unserved++
		default:
			pt.altSubs += md.dem.subs(p)
			pt.altServed++
			pt.altUnits += int(max(p.Units, 1))
		}
	}
	return pt
}

// mixedMoney prices the mixed option from its parts: the fibre part is
// the kept tree edges (a kept premise's parent is kept too), the zone's
// feeder when a tree premise keeps fibre, and the kept premises' shares of
// new nodes; the alternative's part is the share of its subscribers the
// option takes.
func (md *model) mixedMoney(zi *zoneIn, opts *[NumTechs]Option, alt Tech, w *fibreBuf, h *mixedBuf, feederM float64, pt *mixedParts) (Option, [NumTechs]int) {
	fo, ao := &opts[TechFibre], &opts[alt]
	feeder := 0.0
	if pt.onTree {
		feeder = feederM
	}
	fib := Option{Tech: TechFibre}
	newly := 0
	for q := range len(w.pts) {
		if !h.toAlt[q] {
			newly++
		}
	}
	md.fibreCost(&fib, feeder+pt.lineM, pt.fibreSubs, newly, pt.nodes, pt.nodeEUR)
	share := 0.0
	if ao.Subscribers > 0 {
		share = pt.altSubs / ao.Subscribers
	}
	b := hybridMoney(&fib, ao, share)
	b.PremisesServed = pt.fibreServed + pt.altServed
	b.UnitsServed = pt.fibreUnits + pt.altUnits
	b.PremisesUnserved = pt.unserved
	b.Subscribers = pt.fibreSubs + pt.altSubs
	b.PassingCapexEUR = fib.PassingCapexEUR
	b.NewNodes, b.NewNodeEUR = fib.NewNodes, fib.NewNodeEUR
	b.PassedPremises = fo.PassedPremises
	b.RouteM = fib.RouteM
	b.CostPerPassedEUR = fib.CostPerPassedEUR
	b.DownMbps, b.UpMbps, b.LatencyMs = fo.DownMbps, fo.UpMbps, fo.LatencyMs
	if pt.fibreSubs > 0 {
		b.CostPerConnectedEUR = fib.CapexEUR / pt.fibreSubs
	}
	if pt.altServed > 0 {
		b.DownMbps = min(b.DownMbps, ao.DownMbps)
		b.UpMbps = min(b.UpMbps, ao.UpMbps)
		b.LatencyMs = max(b.LatencyMs, ao.LatencyMs)
		b.Reasons = append(b.Reasons, ao.Reasons...)
		if pt.altServed > pt.fibreServed {
			b.Tech = alt
		}
	}
	if pt.fibreServed > 0 {
		for _, rs := range fo.Reasons {
			b.Reasons = addReason(b.Reasons, rs)
		}
	}
	md.judgeMixed(len(zi.idx), &b, fo, alt, pt.altServed > 0)
	return b, pt.mix
}

// mixedZone is the mixed option of a zone-level zone (MODEL.md §5): the
// households already passed (the zone's served share) keep fibre for
// their connection; the rest take the zone's cheapest feasible
// alternative by NPV per premise, at its average cost per premise served.
// Without passed households, or when all are, there is nothing to split:
// it returns the zero Option.
func (md *model) mixedZone(zf *zoneFigures, opts *[NumTechs]Option) (Option, [NumTechs]int) {
	h, passedH := zf.premises, zf.passedH
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
	md.judgeMixed(h, &b, &opts[TechFibre], alt, altServed > 0)
	return b, mix
}

// cheapestAlternative returns the feasible option other than fibre with
// the lowest present cost per premise served (ties: report order), or
// TechNone. The mixed option is split on the present cost basis, whatever
// the ranking a policy later uses.
func cheapestAlternative(opts *[NumTechs]Option) Tech {
	alt := TechNone
	for _, t := range Techs[1:] {
		o := &opts[t]
		if o.Feasible && (alt == TechNone || o.PresentCostPerPremiseEUR < opts[alt].PresentCostPerPremiseEUR) {
			alt = t
		}
	}
	return alt
}

// judgeMixed judges a mixed option whose fibre part is fo's and whose
// alternative is alt: its speed against the target as alt's when alt
// serves part of it (withAlt), and, under a fibre-grade target, infeasible
// with part on alt where fibre alone is viable.
func (md *model) judgeMixed(n int, b *Option, fo *Option, alt Tech, withAlt bool) {
	as := TechFibre
	if withAlt {
		as = alt
	}
	md.judgeAs(n, b, as)
	if md.sc.Target.FibreGrade && withAlt && b.Feasible && md.fibreViable(fo) {
		b.Feasible = false
		b.Reasons = addReason(b.Reasons, FibrePreferred)
	}
}
