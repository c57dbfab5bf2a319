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

func newModel(in *Input, ix *Index, sc *Scenario) *model {
	md := &model{sc: sc, prof: sc.Wifi.Active(), ix: ix}
	md.dem = newKindDemand(sc, md.prof)
	return md
}

// judge checks an option of a zone of n premises against the target and
// the minimum served share, sets Feasible (adding the target's reason when
// it is missed) and the NPV per premise served.
func (md *model) judge(n int, o *Option) {
	ok, why := md.sc.Target.Meets(o.Tech, o.DownMbps, o.UpMbps, o.LatencyMs)
	if !ok {
		o.Reasons = addReason(o.Reasons, why)
	}
	if o.PremisesServed == 0 || float64(o.PremisesServed) < md.sc.MinServedShare*float64(n)-1e-9 {
		ok = false
	}
	o.Feasible = ok
	if o.PremisesServed > 0 {
		o.NPVPerPremiseEUR = o.NPVEUR / float64(o.PremisesServed)
	} else {
		o.NPVPerPremiseEUR = 0
	}
}

// finishOption fills NPV, replacements, the subscribers' share and the
// public cost from CAPEX, OPEX and replacements. subscriberEUR is the
// present value of what subscribers pay themselves (kits, CPE,
// subscriptions); publicSubsidyEUR what the public adds to it (vouchers).
// Fibre's public cost is the scenario's public share of its NPV.
func (md *model) finishOption(o *Option, reinv []reinvestment, subscriberEUR, publicSubsidyEUR float64) {
	o.NPVEUR, o.ReinvestEUR = md.sc.NPV(o.CapexEUR, o.OpexEURPerYear, reinv...)
	o.SubscriberEUR = subscriberEUR
	if o.Tech == TechFibre {
		o.PublicCostEUR = o.NPVEUR * md.sc.FibrePublicShare
		return
	}
	o.PublicCostEUR = max(0, o.NPVEUR-subscriberEUR) + publicSubsidyEUR
}
