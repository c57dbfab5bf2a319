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

	// Subscribers is the expected number of subscribing units (units × take-up).
	Subscribers float64
	// PremisesUnserved are premises the option leaves out (beyond fibre
	// reach, obstructed sky, no wireless site or capacity).
	PremisesUnserved int
	// ReinvestEUR is the undiscounted replacement spending over the horizon
	// (electronics, terminals, radios).
	ReinvestEUR float64
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

// ZonePlan is the evaluation and decision for one zone. zones[i] of a Plan
// belongs to Input.Zones[i].
type ZonePlan struct {
	Zone        int // index into Input.Zones
	Premises    int
	Units       int
	Options     [NumTechs]Option // indexed by Tech; Options[TechNone] is unused
	Chosen      Tech
	MeetsTarget bool     // the chosen option meets the target (for its served premises; see Built.PremisesUnserved)
	Reasons     []Reason // why the chosen option won, or why none did
	Year        int      // rollout year (1-based) under a phased plan; 0 when not phased
	ZoneLevel   bool     // figures come from zone counts, not premises

	// Built is what is actually built: Options[Chosen], or under the hybrid
	// policy fibre for part of the zone plus the best alternative for the
	// rest (Built.Tech == Chosen, the technology serving most premises).
	Built Option
	// Mix counts the zone's premises by the technology serving them.
	Mix [NumTechs]int
	// ByKind counts the zone's premises by kind, and Reached those the
	// built option brings to the target.
	ByKind  [NumKinds]int
	Reached [NumKinds]int
}

// ChosenOption returns what is built in the zone (Built when set, else
// Options[Chosen]), or the zero Option when nothing is chosen.
func (z *ZonePlan) ChosenOption() Option {
	if z.Chosen == TechNone {
		return Option{}
	}
	if z.Built.Tech == z.Chosen {
		return z.Built
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
	PublicCostEUR  float64
	Subscribers    float64
	Reached        int // premises brought to the target
}

// Plan is the result of one planning run.
type Plan struct {
	Zones       []ZonePlan
	PremiseTech []Tech // technology of each premise (aligned with Input.Premises); nil in zone-level mode
	ByTech      [NumTechs]TechTotals
	Total       TechTotals
	MeetTarget  int // premises the chosen options bring to the target (served premises of zones whose choice meets it)
	ZoneLevel   bool

	// Scenario is the scenario the plan was made under.
	Scenario Scenario
	// Premises and PremisesByKind count every premise (or zone-level
	// household) of the input; ReachedByKind those brought to the target.
	Premises       int
	PremisesByKind [NumKinds]int
	ReachedByKind  [NumKinds]int
	// Unzoned counts premises outside every zone (not planned).
	Unzoned int
	// Rollout is the year-by-year plan when the scenario has an annual
	// budget; nil otherwise.
	Rollout []RolloutYear
	// LEOCells is the load of every LEO capacity cell that has premises of a
	// zone choosing LEO, sorted by cell.
	LEOCells []LEOCell
}

// RolloutYear is one year of a phased plan.
type RolloutYear struct {
	Year          int // 1-based
	Zones         int
	Premises      int
	CapexEUR      float64
	CumPremises   int
	CumCapexEUR   float64
	ReachedByKind [NumKinds]int // premises reached this year, by kind
}

// LEOCell is one hexagonal LEO capacity cell. Q and R are its axial
// coordinates in the plan's metric frame; X and Y its centre in metres.
type LEOCell struct {
	Q, R         int32
	X, Y         float64
	Subscribers  float64 // subscribers of the zones choosing LEO in this cell
	CapacitySubs float64 // 0 = unlimited
	Full         bool    // some zone lost LEO here (SAT_CAPACITY)
}
