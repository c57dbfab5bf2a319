package coverage

import (
	"fmt"
	"math"
	"slices"
)

// Tech is a technology option for a zone.
type Tech uint8

const (
	TechNone Tech = iota // no feasible option, or a zone without premises
	TechFibre
	TechWifi
	TechLEO
	TechGEO
	NumTechs
)

// Techs lists the real options in report order.
var Techs = [...]Tech{TechFibre, TechWifi, TechLEO, TechGEO}

var techNames = [NumTechs]string{"none", "fibre", "wifi", "leo", "geo"}

func (t Tech) String() string {
	if t < NumTechs {
		return techNames[t]
	}
	return fmt.Sprintf("Tech(%d)", uint8(t))
}

// ParseTech maps "fibre", "wifi", "leo", "geo" or "none" to a Tech.
func ParseTech(s string) (Tech, bool) {
	for i, n := range techNames {
		if n == s {
			return Tech(i), true
		}
	}
	switch s {
	case "fiber", "ftth":
		return TechFibre, true
	case "fwa", "wireless":
		return TechWifi, true
	}
	return TechNone, false
}

// Reason explains why an option is infeasible, or why a zone got its choice.
type Reason string

// Reason codes, as in MODEL.md §5.
const (
	FibreTooFar        Reason = "FIBRE_TOO_FAR"
	FibreOverThreshold Reason = "FIBRE_OVER_THRESHOLD"
	// FibrePreferred: a fibre-grade target (fr-2025) accepts this
	// alternative only where fibre is infeasible or over its stated cost.
	FibrePreferred Reason = "FIBRE_PREFERRED"
	WifiNoSite     Reason = "WIFI_NO_SITE"
	WifiCapacity   Reason = "WIFI_CAPACITY"
	SatLatency     Reason = "SAT_LATENCY"
	SatCapacity    Reason = "SAT_CAPACITY"
	SatObstructed  Reason = "SAT_OBSTRUCTED"
	BelowTarget    Reason = "BELOW_TARGET"
	OverBudget     Reason = "OVER_BUDGET"
)

// Option is one technology (or, for a zone's mixed option, fibre plus one
// alternative) evaluated for one zone: what it would cost, what service it
// gives, whom it serves and whether it is feasible. It holds no choice:
// Decide chooses among a zone's options.
type Option struct {
	Tech     Tech
	Feasible bool
	// Reasons are this option's own reason codes: why it is infeasible or
	// degraded (empty when clean). They belong to the option, not to the
	// zone's choice.
	Reasons []Reason

	// Money is the option's costs and revenues on one basis.
	Money
	// HasNPV is true when the option's NPV is modelled: a network (fibre,
	// fixed wireless) whose revenues the scenario gives. Satellites build
	// no network of the programme's own: no NPV.
	HasNPV bool
	// PresentCostPerPremiseEUR is PresentCostEUR per premise served.
	PresentCostPerPremiseEUR float64

	// DownMbps and UpMbps are the busy-hour throughput each subscriber can
	// count on (at most the service's peak); LatencyMs the round trip.
	DownMbps  float64
	UpMbps    float64
	LatencyMs float64

	PremisesServed int // premises the option brings to the target
	UnitsServed    int
	// Subscribers is the expected number of subscribing units (units × take-up).
	Subscribers float64
	// PremisesUnserved are premises the option leaves out (beyond fibre
	// reach, obstructed sky, no wireless site or capacity).
	PremisesUnserved int

	// Fibre: the passing part of CAPEX (feeder and distribution) and its
	// route metres; cost per premise passed and per connected unit.
	PassingCapexEUR     float64
	RouteM              float64
	CostPerPassedEUR    float64
	CostPerConnectedEUR float64
	// Fibre: new optical nodes priced for premises beyond reach of the
	// existing network (their share, when shared with other zones), and
	// their CAPEX with collection links (part of PassingCapexEUR).
	NewNodes   float64
	NewNodeEUR float64
	// Fibre: premises already passed (inside an active served area; in
	// zone-level mode the zone's premises × its area share inside them).
	PassedPremises int
	// Wi-Fi / FWA: new sites (the zone's share of shared sites) and
	// premises served by existing access points.
	Sites         float64
	PremisesOnAPs int
}

// Money is an option's costs and revenues on one basis (MODEL.md §4), in
// euros; present values (PV) are over the scenario's horizon at its
// discount rate.
//
//	PresentCostEUR = NetworkCostEUR + SubscriberCostEUR − RevenueEUR
//	NPVEUR         = RevenueEUR − NetworkCostEUR (when the revenues are modelled)
//	PublicCostEUR  = max(0, NetworkCostEUR − RevenueEUR) + SubsidyEUR
//	                 (NetworkCostEUR × network public share + SubsidyEUR
//	                 when the network's revenues are not modelled)
//
// The present cost is what the public body and the subscribers pay
// together: the network, the terminals and the retail subscriptions, less
// what the subscriptions already pay the network (its revenues).
type Money struct {
	// CapexEUR is the investment: network items and the subscribers'
	// terminals, the sum of CapexByItem.
	CapexEUR    float64
	CapexByItem [NumCostItems]float64
	// OpexEURPerYear is the network's yearly operations (not the
	// subscriptions).
	OpexEURPerYear float64
	// ReinvestEUR is the undiscounted renewals over the horizon: network
	// electronics, radios and terminals.
	ReinvestEUR float64
	// SubscriptionsEURPerYear is the retail subscriptions subscribers pay
	// a year; RevenueEURPerYear what the network's owner earns from them
	// (0 without a network of its own or when not modelled).
	SubscriptionsEURPerYear float64
	RevenueEURPerYear       float64

	// NetworkCostEUR is the network's CAPEX (terminals apart) and the PV of
	// its operations and renewals.
	NetworkCostEUR float64
	// SubscriberCostEUR is the PV of the terminals, their renewals and the
	// subscriptions, before subsidies.
	SubscriberCostEUR float64
	// RevenueEUR is the PV of the network's revenues.
	RevenueEUR float64
	// SubsidyEUR is the PV of the public's subsidies to subscribers and
	// operators: terminal vouchers and per-premise awards.
	SubsidyEUR float64

	PresentCostEUR float64
	NPVEUR         float64
	PublicCostEUR  float64
}

// network reports whether technology t builds a network of the
// programme's own (fibre, fixed wireless), whose NPV needs its revenues.
func network(t Tech) bool { return t == TechFibre || t == TechWifi }

// npvAlso reports whether an option combining parts a (with HasNPV ha)
// and b still has an NPV: every network part has its revenues, and one
// part at least is a network.
func npvAlso(a Tech, ha bool, b *Option) bool {
	ok := func(t Tech, h bool) bool { return h || !network(t) }
	return ok(a, ha) && ok(b.Tech, b.HasNPV) && (network(a) || network(b.Tech))
}

// addShare adds share of each of m2's figures to m.
func (m *Money) addShare(m2 *Money, share float64) {
	m.CapexEUR += share * m2.CapexEUR
	for c := range m.CapexByItem {
		m.CapexByItem[c] += share * m2.CapexByItem[c]
	}
	m.OpexEURPerYear += share * m2.OpexEURPerYear
	m.ReinvestEUR += share * m2.ReinvestEUR
	m.SubscriptionsEURPerYear += share * m2.SubscriptionsEURPerYear
	m.RevenueEURPerYear += share * m2.RevenueEURPerYear
	m.NetworkCostEUR += share * m2.NetworkCostEUR
	m.SubscriberCostEUR += share * m2.SubscriberCostEUR
	m.RevenueEUR += share * m2.RevenueEUR
	m.SubsidyEUR += share * m2.SubsidyEUR
	m.PresentCostEUR += share * m2.PresentCostEUR
	m.NPVEUR += share * m2.NPVEUR
	m.PublicCostEUR += share * m2.PublicCostEUR
}

// CostPerPremise is the option's figure the ranking r compares, per
// premise served: present cost (RankTotal), public cost (RankPublic) or
// the NPV's opposite (RankNPV: the highest NPV ranks first; an option
// without an NPV, a satellite, ranks on its public cost). +Inf when it
// serves no premise.
func (o *Option) CostPerPremise(r RankBy) float64 {
	if o.PremisesServed <= 0 {
		return math.Inf(1)
	}
	n := float64(o.PremisesServed)
	switch r {
	case RankPublic:
		return o.PublicCostEUR / n
	case RankNPV:
		if !o.HasNPV {
			return o.PublicCostEUR / n
		}
		return -o.NPVEUR / n
	}
	return o.PresentCostEUR / n
}

// CostItem is one line of an option's investment (Option.CapexByItem).
type CostItem uint8

// Cost items, in report order.
const (
	ItemRoute      CostItem = iota // fibre route: feeder and distribution (civil works and cable)
	ItemPassive                    // fibre passive equipment per premise passed: PM cabinets, PBO boxes, splicing, studies
	ItemNodes                      // new optical nodes and their collection links or leased transit
	ItemConnection                 // fibre connections: drop, outlet, ONT and installation
	ItemOLTPorts                   // OLT ports
	ItemSites                      // wireless sites: civil works, mast, power
	ItemRadios                     // wireless radio equipment
	ItemBackhaul                   // wireless backhaul (fibre, microwave) and its transit
	ItemTerminals                  // subscribers' terminals: wireless CPE, satellite kits
	NumCostItems
)

var costItemNames = [NumCostItems]string{"route", "passive", "nodes", "connection", "olt_ports", "sites", "radios", "backhaul", "terminals"}

func (c CostItem) String() string {
	if c < NumCostItems {
		return costItemNames[c]
	}
	return fmt.Sprintf("CostItem(%d)", uint8(c))
}

// reasonOrder is the fixed order reasons are reported in.
var reasonOrder = []Reason{FibreTooFar, FibreOverThreshold, FibrePreferred, WifiNoSite, WifiCapacity, SatLatency,
	SatCapacity, SatObstructed, BelowTarget, OverBudget}

// ReasonOrder returns every reason code in MODEL.md §5's order, the order
// reasons are reported in.
func ReasonOrder() []Reason { return slices.Clone(reasonOrder) }

// addReason returns rs with r added once, keeping reasonOrder. It never
// writes into rs's backing array (it copies on append), so reason slices
// may be shared between an Evaluation and the plans decided from it.
func addReason(rs []Reason, r Reason) []Reason {
	if r == "" || slices.Contains(rs, r) {
		return rs
	}
	rs = append(rs[:len(rs):len(rs)], r)
	rank := func(x Reason) int {
		if i := slices.Index(reasonOrder, x); i >= 0 {
			return i
		}
		return len(reasonOrder)
	}
	for i := len(rs) - 1; i > 0 && rank(rs[i]) < rank(rs[i-1]); i-- {
		rs[i], rs[i-1] = rs[i-1], rs[i]
	}
	return rs
}
