package coverage

import (
	"fmt"
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
	WifiNoSite         Reason = "WIFI_NO_SITE"
	WifiCapacity       Reason = "WIFI_CAPACITY"
	SatLatency         Reason = "SAT_LATENCY"
	SatCapacity        Reason = "SAT_CAPACITY"
	SatObstructed      Reason = "SAT_OBSTRUCTED"
	BelowTarget        Reason = "BELOW_TARGET"
	OverBudget         Reason = "OVER_BUDGET"
)

// Option is one technology (or, for a zone's mixed option, fibre plus one
// alternative) evaluated for one zone: what it would cost, what service it
// gives, whom it serves and whether it is feasible. It holds no choice:
// Decide chooses among a zone's options. Money is in euros.
type Option struct {
	Tech     Tech
	Feasible bool
	// Reasons are this option's own reason codes: why it is infeasible or
	// degraded (empty when clean). They belong to the option, not to the
	// zone's choice.
	Reasons []Reason

	// CapexEUR is the investment, the sum of CapexByItem.
	CapexEUR float64
	// CapexByItem splits CapexEUR by cost item (CostItem order).
	CapexByItem [NumCostItems]float64
	// OpexEURPerYear is the yearly operating cost (for satellites, the
	// subscriptions).
	OpexEURPerYear float64
	// ReinvestEUR is the undiscounted replacement spending over the horizon
	// (electronics, terminals, radios).
	ReinvestEUR float64
	// NPVEUR is the present value of CAPEX, OPEX and replacements over the
	// scenario's horizon (Scenario.NPV).
	NPVEUR           float64
	NPVPerPremiseEUR float64
	// SubscriberEUR is the part of NPVEUR subscribers pay themselves
	// (present value of kits, CPE and their replacements, and for
	// satellites the subscriptions).
	SubscriberEUR float64
	// PublicCostEUR is what the public body pays after subscribers' share
	// and subsidies.
	PublicCostEUR float64

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
	// existing network, and their CAPEX with collection links (part of
	// PassingCapexEUR).
	NewNodes   int
	NewNodeEUR float64
	// Fibre: premises already passed (inside an active served area; in
	// zone-level mode the zone's households × its area share inside them).
	PassedPremises int
	// Wi-Fi / FWA: new sites and premises served by existing access points.
	Sites         int
	PremisesOnAPs int
}

// CostItem is one line of an option's investment (Option.CapexByItem).
type CostItem uint8

// Cost items, in report order.
const (
	ItemRoute      CostItem = iota // fibre route: feeder and distribution (civil works and cable)
	ItemNodes                      // new optical nodes and their collection links or leased transit
	ItemConnection                 // fibre connections: drop, outlet, ONT and installation
	ItemOLTPorts                   // OLT ports
	ItemSites                      // wireless sites: civil works, mast, power
	ItemRadios                     // wireless radio equipment
	ItemBackhaul                   // wireless backhaul (fibre, microwave) and its transit
	ItemTerminals                  // customer terminals: wireless CPE, satellite kits
	NumCostItems
)

var costItemNames = [NumCostItems]string{"route", "nodes", "connection", "olt_ports", "sites", "radios", "backhaul", "terminals"}

func (c CostItem) String() string {
	if c < NumCostItems {
		return costItemNames[c]
	}
	return fmt.Sprintf("CostItem(%d)", uint8(c))
}

// reasonOrder is the fixed order reasons are reported in.
var reasonOrder = []Reason{FibreTooFar, FibreOverThreshold, WifiNoSite, WifiCapacity, SatLatency,
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
