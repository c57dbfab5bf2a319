package coverage

// ZonePlan is the decision for one zone: its options (as evaluated, with
// what the decision added, e.g. SAT_CAPACITY on LEO), the choice and what
// is built. Plan.Zones[i] belongs to Input.Zones[i].
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

	// Mixed is true when the zone's mixed option was chosen (hybrid policy).
	Mixed bool
	// Fallback serves the premises a chosen satellite cannot (obstructed
	// sky): the zone's cheapest other usable option (TechNone: none).
	Fallback Tech
	// Built is what is actually built: Options[Chosen], or the zone's mixed
	// option (fibre for part of the zone plus the best alternative for the
	// rest; Built.Tech == Chosen, the technology serving most premises), with
	// a satellite choice's fallback for premises without a clear sky.
	Built Option
	// Mix counts the zone's premises by the technology serving them.
	Mix [NumTechs]int
	// ByKind counts the zone's premises by kind, and Reached those the
	// built option brings to the target.
	ByKind  [NumKinds]int
	Reached [NumKinds]int
}

// PlannedSites returns the new optical nodes and wireless sites that the
// plan builds — those used by a zone whose built option uses fibre
// (nodes) or fixed wireless (sites) — in Evaluation order; nil for a plan
// built by hand or at zone level, where sites are shares of a density.
func (p *Plan) PlannedSites() (nodes, sites []Site) {
	ev := p.ev
	if ev == nil || ev.ZoneLevel {
		return nil, nil
	}
	usedN := make([]bool, len(ev.NewNodes))
	usedS := make([]bool, len(ev.WirelessSites))
	for z := range p.Zones {
		zp := &p.Zones[z]
		if zp.Mix[TechFibre] > 0 {
			for _, c := range ev.Zones[z].nodes {
				usedN[c] = true
			}
		}
		if zp.Mix[TechWifi] > 0 {
			for _, s := range ev.Zones[z].sites {
				usedS[s] = true
			}
		}
	}
	for c, u := range usedN {
		if u {
			nodes = append(nodes, ev.NewNodes[c])
		}
	}
	for s, u := range usedS {
		if u {
			sites = append(sites, ev.WirelessSites[s])
		}
	}
	return nodes, sites
}

// ChosenOption returns what is built in the zone (Built when set, else
// Options[Chosen]), or the zero Option when nothing is chosen.
func (z *ZonePlan) ChosenOption() Option { return *z.chosen() }

// noOption is the zero Option chosen reports for a zone without a choice.
var noOption Option

// chosen is ChosenOption without the copy; the result must not be modified.
func (z *ZonePlan) chosen() *Option {
	if z.Chosen == TechNone {
		return &noOption
	}
	if z.Built.Tech == z.Chosen {
		return &z.Built
	}
	return &z.Options[z.Chosen]
}

// TechTotals are the totals over a set of zones (those that chose one
// technology, or all). Money is the built options'.
type TechTotals struct {
	Zones    int
	Premises int
	Units    int
	// Money sums the built options' money.
	Money
	// NPVZones counts the zones whose built option has an NPV (HasNPV)
	// and NPVPremises the premises those options serve; Money.NPVEUR sums
	// those options' NPV only.
	NPVZones    int
	NPVPremises int
	Subscribers float64
	Reached     int // premises brought to the target
}

// Plan is the decision of one scenario over an Evaluation, with every total
// the outputs show: the report, summary.json and the command line read
// them here and never sum zones themselves. Totals are sums over Zones in
// zone order, so they equal the sums of the zones' figures.
type Plan struct {
	Zones []ZonePlan
	// PremiseTech is the technology of each premise (aligned with
	// Input.Premises) for plans built by hand; nil in plans from Decide,
	// which label premises only when asked (PremiseTechs).
	PremiseTech []Tech
	// ByTech are the totals of the zones by chosen technology
	// (ByTech[TechNone]: zones without a choice, no money); Total over all zones.
	ByTech     [NumTechs]TechTotals
	Total      TechTotals
	MeetTarget int // premises the chosen options bring to the target (Total.Reached)
	ZoneLevel  bool

	// Scenario is the scenario the plan was decided under.
	Scenario Scenario

	// Premises and PremisesByKind count every premise of the input (or
	// zone-level household), inside zones or not; ReachedByKind those
	// brought to the target. InZonesByKind counts the premises of the zones
	// by kind (PremisesByKind less the Unzoned ones).
	Premises       int
	PremisesByKind [NumKinds]int
	InZonesByKind  [NumKinds]int
	ReachedByKind  [NumKinds]int
	// Unzoned counts premises outside every zone (not planned).
	Unzoned int

	// ServedBy counts the premises of the zones by the technology serving
	// them (the zones' Mix: a hybrid zone splits, a satellite zone's
	// obstructed premises may fall back to another option);
	// ServedBy[TechNone] are premises no built option serves.
	ServedBy [NumTechs]int
	// ZonesWithPremises counts the zones with at least one premise;
	// ZonesWithoutOption those of them with no feasible option;
	// ZonesWithoutPremises the others (they need nothing).
	ZonesWithPremises    int
	ZonesWithoutOption   int
	ZonesWithoutPremises int
	// PremisesServed counts the premises of the zones a built option
	// serves (Total.Premises less ServedBy[TechNone]).
	PremisesServed int
	// ProgrammedReached counts the premises brought to the target by the
	// zones the programme schedules (MeetTarget less NotProgrammed's).
	ProgrammedReached int
	// ChosenPremises counts the premises of the zones with a chosen option.
	ChosenPremises int
	// PremisesMeeting and UnitsMeeting count the premises and units of the
	// zones whose chosen option meets the target.
	PremisesMeeting int
	UnitsMeeting    int
	// Reasons counts each reason code over the zones (MODEL.md order, then
	// any other code); codes that occur nowhere are left out.
	Reasons []ReasonCount

	// Rollout is the year-by-year plan when at least one zone has a rollout
	// year (an annual budget); nil otherwise. Unscheduled gathers the zones
	// with a chosen option but no year (beyond the budget or the horizon).
	// NotProgrammed gathers every zone without a year: Unscheduled plus
	// the zones without an option (ByTech[TechNone] counts their premises).
	Rollout       []RolloutYear
	Unscheduled   RolloutYear
	NotProgrammed RolloutYear
	// SatCells[satIndex(t)] is the load of every capacity cell (LEO) or
	// beam (GEO) of satellite t that has premises of a zone whose plan uses
	// t, sorted by cell; SatLoad sums them up.
	SatCells [2][]SatCell
	SatLoad  [2]SatLoad
	// ev is the evaluation the plan was decided from (nil for a plan built
	// by hand): PremiseTechs labels premises from it.
	ev *Evaluation

	// CostCurve is the supply curve: the zones with a chosen option and
	// premises, cheapest present cost per premise served first (ties: zone
	// order), with cumulative premises served and money; it starts at the
	// origin.
	CostCurve []CurvePoint
}

// ReasonCount counts one reason code. Zones and Premises count the zones
// whose choice carries it (ZonePlan.Reasons) and their premises;
// ByOption[t] counts the zones whose option t carries it.
type ReasonCount struct {
	Code     Reason
	Zones    int
	Premises int
	ByOption [NumTechs]int
}

// RolloutYear is one year of a phased plan (Year 0: the unscheduled zones).
type RolloutYear struct {
	Year int // 1-based
	// Zones and Units count the zones scheduled this year and their units;
	// ZonePremises their premises, ByTech split by chosen technology.
	Zones        int
	ZonePremises int
	ByTech       [NumTechs]int
	Units        int
	// Premises counts the premises the built options serve.
	Premises int
	// PremisesMeeting counts the premises of the zones meeting the target.
	PremisesMeeting int
	CapexEUR        float64
	PublicCostEUR   float64
	// ReachedByKind are the premises reached this year, by kind;
	// PriorityReached those of the scenario's priority kinds.
	ReachedByKind   [NumKinds]int
	Reached         int
	PriorityReached int
	// Cumulative figures from year 1 (zero for Unscheduled).
	CumPremises      int
	CumZonePremises  int
	CumCapexEUR      float64
	CumPublicCostEUR float64
}

// SatCell is one hexagonal capacity cell (LEO) or beam (GEO). Q and R are
// its axial coordinates in the plan's metric frame; X and Y its centre in
// metres.
type SatCell struct {
	Tech         Tech
	Q, R         int32
	X, Y         float64
	Subscribers  float64 // subscribers of the zones using it
	LoadMbps     float64 // their busy-hour traffic
	CapacityMbps float64 // 0 = unlimited
	Full         bool    // some zone lost the satellite here (SAT_CAPACITY)
}

// SatLoad sums up a satellite's cells.
type SatLoad struct {
	Cells       int
	Full        int // cells where some zone lost the satellite for capacity
	Subscribers float64
	LoadMbps    float64
	// Capped counts the cells with a capacity; MaxLoadShare is the highest
	// load ÷ capacity over them (0 when Capped is 0).
	Capped       int
	MaxLoadShare float64
}

// CurvePoint is one point of the cost curve: cumulative premises and money.
type CurvePoint struct {
	Premises                                int
	PresentCostEUR, CapexEUR, PublicCostEUR float64
}
