package coverage

import "fmt"

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

// Option is one technology evaluated for one zone. Money is in euros; NPV
// is the discounted total cost of ownership over the scenario horizon.
type Option struct {
	Tech             Tech
	Feasible         bool
	Reasons          []Reason // why infeasible or degraded; empty when clean
	CapexEUR         float64
	OpexEURPerYear   float64
	NPVEUR           float64
	NPVPerPremiseEUR float64
	PublicCostEUR    float64 // what the public body pays after subscribers' share and subsidies
	DownMbps         float64
	UpMbps           float64
	LatencyMs        float64
	PremisesServed   int // premises the option brings to the target
	UnitsServed      int
}

// ZonePlan is the evaluation and decision for one zone. zones[i] of a Plan
// belongs to Input.Zones[i].
type ZonePlan struct {
	Zone        int // index into Input.Zones
	Premises    int
	Units       int
	Options     [NumTechs]Option // indexed by Tech; Options[TechNone] is unused
	Chosen      Tech
	MeetsTarget bool
	Reasons     []Reason // why the chosen option won, or why none did
	Year        int      // rollout year (1-based) under a phased plan; 0 when not phased
	ZoneLevel   bool     // figures come from zone counts, not premises
}

// Chosen returns the chosen option, or the zero Option when none.
func (z *ZonePlan) ChosenOption() Option {
	if z.Chosen == TechNone {
		return Option{}
	}
	return z.Options[z.Chosen]
}

// TechTotals are the totals over the zones that chose one technology.
type TechTotals struct {
	Zones          int
	Premises       int
	Units          int
	CapexEUR       float64
	OpexEURPerYear float64
	NPVEUR         float64
}

// Plan is the result of one planning run.
type Plan struct {
	Zones       []ZonePlan
	PremiseTech []Tech // technology of each premise (aligned with Input.Premises); nil in zone-level mode
	ByTech      [NumTechs]TechTotals
	Total       TechTotals
	MeetTarget  int // premises whose zone's chosen option meets the target
	ZoneLevel   bool
}
