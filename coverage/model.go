package coverage

// model is what every technology model reads besides its zone: the
// scenario's parameters, the demand per kind of premise and the shared
// network (the Index, the existing access points shared among premises,
// and at zone level what each zone holds of the network). It is read-only
// while zones are evaluated, so the models (fibre.go, wifi.go,
// satellite.go, mixed.go) are functions of a zone's premises and measures,
// the shared network and the parameters.
type model struct {
	sc    *Scenario
	prof  WifiProfile // the active wireless profile
	dem   kindDemand
	ix    *Index
	apOf  []int32       // premise level: existing access point serving each premise, or -1
	zl    *zoneLevelNet // zone level: the network per zone
	mixed bool          // price the mixed options (EvaluateOptions.Mixed)
}

func newModel(ix *Index, sc *Scenario) *model {
	md := &model{sc: sc, prof: sc.Wifi.Active(), ix: ix}
	md.dem = newKindDemand(sc, md.prof)
	return md
}

// judge checks an option of a zone of n premises against the target and
// the minimum served share, sets Feasible (adding the target's reason when
// it is missed) and the present cost per premise served.
func (md *model) judge(n int, o *Option) { md.judgeAs(n, o, o.Tech) }

// judgeAs is judge with the target tested as for technology tech.
func (md *model) judgeAs(n int, o *Option, tech Tech) {
	ok, why := md.sc.Target.Meets(tech, o.DownMbps, o.UpMbps, o.LatencyMs)
	if !ok {
		o.Reasons = addReason(o.Reasons, why)
	}
	if o.PremisesServed == 0 || float64(o.PremisesServed) < md.sc.MinServedShare*float64(n)-1e-9 {
		ok = false
	}
	o.Feasible = ok
	o.PresentCostPerPremiseEUR = 0
	if o.PremisesServed > 0 {
		o.PresentCostPerPremiseEUR = o.PresentCostEUR / float64(o.PremisesServed)
	}
}

// judgeOptions judges every option of a zone of n premises, fibre first:
// under a fibre-grade target (Target.FibreGrade) an alternative that
// would be feasible is not where fibre is viable (feasible, and its CAPEX
// per premise within Target.AltOverEUR): FIBRE_PREFERRED.
func (md *model) judgeOptions(n int, opts *[NumTechs]Option) {
	md.judge(n, &opts[TechFibre])
	viable := md.fibreViable(&opts[TechFibre])
	for _, t := range Techs[1:] {
		md.judge(n, &opts[t])
		md.fibreRule(&opts[t], viable)
	}
}

// fibreViable reports whether fibre o is what a fibre-grade target asks
// for: feasible and within the target's stated cost per premise.
func (md *model) fibreViable(o *Option) bool {
	return o.Feasible && o.CapexEUR <= md.sc.Target.AltOverEUR*float64(o.PremisesServed)
}

// fibreRule turns a feasible option other than fibre infeasible under a
// fibre-grade target where fibre is viable.
func (md *model) fibreRule(o *Option, fibreViable bool) {
	if md.sc.Target.FibreGrade && fibreViable && o.Feasible && o.Tech != TechFibre {
		o.Feasible = false
		o.Reasons = addReason(o.Reasons, FibrePreferred)
	}
}

// priceIn is what a model hands to price: the CAPEX by item (ItemTerminals
// are the subscribers' terminals), the network's yearly operations, the
// renewals of network equipment and of terminals, and the prices per
// subscriber.
type priceIn struct {
	capex       [NumCostItems]float64
	opexPerYear float64
	netRenew    reinvestment // network electronics, radios
	termRenew   reinvestment // terminals
	subs        float64      // subscribers
	premises    int          // premises served (per-premise subsidies)
	// network is true for an option that builds a network (fibre, fixed
	// wireless): its revenues, or the network public share, apply.
	network            bool
	retailEURPerMonth  float64
	revenueEURPerMonth float64
	voucherPerSub      float64 // public subsidy per terminal
	subsidyPerPremise  float64
}

// price fills o's Money (see Money for the formulas) and HasNPV.
func (md *model) price(o *Option, p priceIn) {
	sc := md.sc
	r, h := sc.DiscountRate, sc.HorizonYears
	a := annuity(r, h)
	pvN, nN := replacementFactor(r, p.netRenew.Years, h)
	pvT, nT := replacementFactor(r, p.termRenew.Years, h)
	m := Money{CapexByItem: p.capex, OpexEURPerYear: p.opexPerYear}
	for _, v := range p.capex {
		m.CapexEUR += v
	}
	term := p.capex[ItemTerminals]
	m.ReinvestEUR = p.netRenew.CostEUR*float64(nN) + p.termRenew.CostEUR*float64(nT)
	m.SubscriptionsEURPerYear = 12 * p.retailEURPerMonth * p.subs
	if p.network {
		m.RevenueEURPerYear = 12 * p.revenueEURPerMonth * p.subs
	}
	m.NetworkCostEUR = m.CapexEUR - term + p.opexPerYear*a + p.netRenew.CostEUR*pvN
	m.SubscriberCostEUR = term + p.termRenew.CostEUR*pvT + m.SubscriptionsEURPerYear*a
	m.RevenueEUR = m.RevenueEURPerYear * a
	m.SubsidyEUR = p.voucherPerSub*p.subs + p.subsidyPerPremise*float64(p.premises)
	m.PresentCostEUR = m.NetworkCostEUR + m.SubscriberCostEUR - m.RevenueEUR
	m.NPVEUR = m.RevenueEUR - m.NetworkCostEUR
	modelled := p.network && p.revenueEURPerMonth > 0
	switch {
	case !p.network:
		m.PublicCostEUR = m.SubsidyEUR
		m.NPVEUR = 0
	case modelled:
		m.PublicCostEUR = max(0, m.NetworkCostEUR-m.RevenueEUR) + m.SubsidyEUR
	default:
		m.PublicCostEUR = m.NetworkCostEUR*sc.NetworkPublicShare + m.SubsidyEUR
	}
	o.Money, o.HasNPV = m, modelled
}
