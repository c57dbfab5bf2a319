package coverage

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Scenario is everything a planning run assumes: the target, the policy,
// budgets, money and every technology's parameters. DefaultScenario gives
// MODEL.md's defaults; Set changes one parameter by key. A Scenario is a
// plain value: copy it freely. summary.json embeds it (json tags).
type Scenario struct {
	Target Target `json:"target"`
	Policy Policy `json:"policy"`

	// BudgetEUR caps the total CAPEX under the budget policy (0 = none).
	BudgetEUR float64 `json:"budget_eur"`
	// AnnualBudgetEUR caps the CAPEX of each rollout year (0 = no phasing).
	AnnualBudgetEUR float64 `json:"annual_budget_eur"`
	// BudgetPick is the option each zone offers under the budget policy:
	// "capex" (lowest CAPEX per premise) or "npv" (least-cost by NPV).
	BudgetPick string `json:"budget_pick"`
	// ThresholdEUR is fibre-first's cap on fibre CAPEX per premise.
	ThresholdEUR float64 `json:"threshold_eur"`
	// PriorityTech is the technology lowest-cost-band favours.
	PriorityTech Tech `json:"priority_tech"`
	// BandShare is lowest-cost-band's tolerance: 0.15 lets the priority
	// technology win when its NPV per premise is at most 15 % above the cheapest.
	BandShare float64 `json:"band_share"`
	// MinServedShare is the share of a zone's premises an option must serve
	// to be feasible (fibre beyond reach, obstructed sky, ... leave some out).
	MinServedShare float64 `json:"min_served_share"`
	// Priority kinds are served first by the budget policy and the rollout.
	Priority []Kind `json:"priority"`

	DiscountRate float64 `json:"discount_rate"`
	HorizonYears int     `json:"horizon_years"`
	// VoucherEUR is the public subsidy per satellite or wireless kit
	// (France's "cohésion numérique" voucher).
	VoucherEUR float64 `json:"voucher_eur"`
	// FibrePublicShare is the share of fibre's cost the public body bears.
	FibrePublicShare float64 `json:"fibre_public_share"`

	Demand    DemandByKind    `json:"demand"`
	Fibre     FibreParams     `json:"fibre"`
	Wifi      WifiParams      `json:"wifi"`
	LEO       SatParams       `json:"leo"`
	GEO       SatParams       `json:"geo"`
	ZoneLevel ZoneLevelParams `json:"zone_level"`

	// Workers bounds the goroutines of Evaluate; <= 0 means one per CPU.
	// It never changes results.
	Workers int `json:"-"`
}

// Demand is what one kind of premise asks of a shared network.
type Demand struct {
	// BusyHourMbps is the average traffic per subscriber in the busy hour.
	BusyHourMbps float64 `json:"busy_hour_mbps"`
	// TakeUp is the share of units that subscribe once service is available.
	TakeUp float64 `json:"take_up"`
}

// DemandByKind is the demand of each premise kind, indexed by Kind. In
// JSON it is an object keyed by kind name ({"household": {...}, ...}).
type DemandByKind [NumKinds]Demand

// MarshalJSON writes the table as an object keyed by kind name, in Kind order.
func (d DemandByKind) MarshalJSON() ([]byte, error) {
	var b []byte
	b = append(b, '{')
	for k := range NumKinds {
		if k > 0 {
			b = append(b, ',')
		}
		v, err := json.Marshal(d[k])
		if err != nil {
			return nil, err
		}
		b = append(b, '"')
		b = append(b, k.String()...)
		b = append(b, '"', ':')
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads an object keyed by kind name; kinds not given keep
// their value.
func (d *DemandByKind) UnmarshalJSON(data []byte) error {
	var m map[string]Demand
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	for name, v := range m {
		k, ok := ParseKind(name)
		if !ok {
			return fmt.Errorf("coverage: demand: unknown premise kind %q", name)
		}
		d[k] = v
	}
	return nil
}

// FibreParams are the FTTH cost and service figures (MODEL.md §3).
type FibreParams struct {
	RouteFactor        float64 `json:"route_factor"`
	AerialShare        float64 `json:"aerial_share"`
	AerialEURPerM      float64 `json:"aerial_eur_per_m"`
	UndergroundEURPerM float64 `json:"underground_eur_per_m"`
	ConnectionEUR      float64 `json:"connection_eur"`
	ONTEUR             float64 `json:"ont_eur"`
	OLTPortEUR         float64 `json:"olt_port_eur"`
	Split              int     `json:"split"`
	ReachM             float64 `json:"reach_m"`
	OpexShare          float64 `json:"opex_share"`
	ElectronicsYears   int     `json:"electronics_years"`
	DownMbps           float64 `json:"down_mbps"`
	UpMbps             float64 `json:"up_mbps"`
	LatencyMs          float64 `json:"latency_ms"`

	// AllowNewNodes lets fibre reach premises beyond the existing network's
	// reach (or with no network at all) by building new optical nodes (NRO,
	// central office); when false those premises are FIBRE_TOO_FAR.
	AllowNewNodes bool `json:"allow_new_nodes"`
	// NewNodeEUR is one new node: shelter, power, OLT chassis.
	NewNodeEUR float64 `json:"new_node_eur"`
	// NodeMaxUnits is the units one new node serves; a cluster of more
	// premises' units gets several nodes.
	NodeMaxUnits int `json:"node_max_units"`
	// LinkMaxM is how far (straight line) an existing active node may be for
	// a new node's collection link to be built as fibre to it; farther, or
	// without any node, the new node leases transit at TransitEUR.
	LinkMaxM float64 `json:"link_max_m"`
	// TransitEUR is the one-off cost of a leased collection link (IRU) for a
	// new node, or for a wireless site with no fibre within microwave reach.
	TransitEUR float64 `json:"transit_eur"`
}

// EURPerM is the blended cost per route metre: aerial share at the aerial
// price, the rest underground.
func (f FibreParams) EURPerM() float64 {
	return f.AerialShare*f.AerialEURPerM + (1-f.AerialShare)*f.UndergroundEURPerM
}

// WifiParams selects a wireless profile and holds both profiles' figures.
type WifiParams struct {
	Profile    string      `json:"profile"` // "fwa" or "public-wifi"
	PublicWifi WifiProfile `json:"public_wifi"`
	FWA        WifiProfile `json:"fwa"`
}

// Active returns the profile selected by Profile.
func (w WifiParams) Active() WifiProfile {
	if w.Profile == "public-wifi" {
		return w.PublicWifi
	}
	return w.FWA
}

// WifiProfile describes one kind of wireless site.
type WifiProfile struct {
	RangeM            float64 `json:"range_m"`
	CapacityMbps      float64 `json:"capacity_mbps"`
	Oversubscription  float64 `json:"oversubscription"`
	DownMbps          float64 `json:"down_mbps"` // peak per subscriber
	UpMbps            float64 `json:"up_mbps"`
	LatencyMs         float64 `json:"latency_ms"`
	SiteEUR           float64 `json:"site_eur"`  // civil works, mast, power
	RadioEUR          float64 `json:"radio_eur"` // radio equipment per site, replaced every EquipmentYears
	CPEEUR            float64 `json:"cpe_eur"`
	SiteOpexEUR       float64 `json:"site_opex_eur"` // per site per year
	EquipmentYears    int     `json:"equipment_years"`
	FibreBackhaulMaxM float64 `json:"fibre_backhaul_max_m"`
	MicrowaveEUR      float64 `json:"microwave_eur"`
	MicrowaveMaxM     float64 `json:"microwave_max_m"`
	MaxSitesPerZone   int     `json:"max_sites_per_zone"`
}

// SatParams describes a satellite service (LEO or GEO).
type SatParams struct {
	KitEUR          float64 `json:"kit_eur"`
	MonthlyEUR      float64 `json:"monthly_eur"`
	DownMbps        float64 `json:"down_mbps"`
	UpMbps          float64 `json:"up_mbps"`
	LatencyMs       float64 `json:"latency_ms"`
	TerminalYears   int     `json:"terminal_years"`
	ObstructedShare float64 `json:"obstructed_share"`
	// CellWidthM is the flat-to-flat width of a capacity cell (LEO only; 0 = no cells).
	CellWidthM float64 `json:"cell_width_m"`
	// CellMaxSubs is the number of subscribers one cell can take (0 = unlimited).
	CellMaxSubs float64 `json:"cell_max_subs"`
}

// ZoneLevelParams drive the density estimates used without premises.
type ZoneLevelParams struct {
	PersonsPerHousehold float64 `json:"persons_per_household"`
	// MSTConstant c gives the distribution length c·√(n·A) of n premises
	// spread over an area A.
	MSTConstant float64 `json:"mst_constant"`
	// ServedDensityRatio ρ is how many times denser households are inside
	// active served areas than in the rest of a zone: a zone with area
	// share s inside them has ρ·s ÷ (ρ·s + 1 − s) of its households
	// passed. 1 spreads households evenly.
	ServedDensityRatio float64 `json:"served_density_ratio"`
}

// DefaultScenario returns every default of MODEL.md, documented with its
// source in docs/model.md and by Params.
func DefaultScenario() Scenario {
	t, _ := ParseTarget("fr-thd")
	return Scenario{
		Target:           t,
		Policy:           PolicyLeastCost,
		ThresholdEUR:     5000,
		BudgetPick:       "capex",
		PriorityTech:     TechFibre,
		BandShare:        0.15,
		MinServedShare:   0.9,
		DiscountRate:     0.04,
		HorizonYears:     20,
		VoucherEUR:       150,
		FibrePublicShare: 1,
		Demand: DemandByKind{
			KindHousehold: {BusyHourMbps: 2.5, TakeUp: 0.7},
			KindBusiness:  {BusyHourMbps: 10, TakeUp: 0.8},
			KindSchool:    {BusyHourMbps: 50, TakeUp: 1},
			KindPublic:    {BusyHourMbps: 10, TakeUp: 1},
			KindOther:     {BusyHourMbps: 2.5, TakeUp: 0.5},
		},
		Fibre: FibreParams{
			RouteFactor: 1.2, AerialShare: 0.4, AerialEURPerM: 21, UndergroundEURPerM: 53,
			ConnectionEUR: 600, ONTEUR: 100, OLTPortEUR: 1000, Split: 32, ReachM: 20000,
			OpexShare: 0.03, ElectronicsYears: 10, DownMbps: 1000, UpMbps: 500, LatencyMs: 5,
			AllowNewNodes: true, NewNodeEUR: 200000, NodeMaxUnits: 20000, LinkMaxM: 50000, TransitEUR: 50000,
		},
		Wifi: WifiParams{
			Profile: "fwa",
			PublicWifi: WifiProfile{
				RangeM: 200, CapacityMbps: 400, Oversubscription: 8, DownMbps: 50, UpMbps: 10, LatencyMs: 15,
				SiteEUR: 2000, RadioEUR: 1000, CPEEUR: 100, SiteOpexEUR: 500, EquipmentYears: 7,
				FibreBackhaulMaxM: 500, MicrowaveEUR: 3000, MicrowaveMaxM: 10000, MaxSitesPerZone: 2000,
			},
			FWA: WifiProfile{
				RangeM: 8000, CapacityMbps: 637.5, Oversubscription: 8, DownMbps: 100, UpMbps: 20, LatencyMs: 15,
				SiteEUR: 40000, RadioEUR: 20000, CPEEUR: 300, SiteOpexEUR: 4000, EquipmentYears: 7,
				FibreBackhaulMaxM: 2000, MicrowaveEUR: 15000, MicrowaveMaxM: 30000, MaxSitesPerZone: 200,
			},
		},
		LEO: SatParams{
			KitEUR: 349, MonthlyEUR: 40, DownMbps: 100, UpMbps: 15, LatencyMs: 35,
			TerminalYears: 6, ObstructedShare: 0.05, CellWidthM: 25000, CellMaxSubs: 1000,
		},
		GEO: SatParams{
			KitEUR: 400, MonthlyEUR: 35, DownMbps: 50, UpMbps: 5, LatencyMs: 600,
			TerminalYears: 6,
		},
		ZoneLevel: ZoneLevelParams{PersonsPerHousehold: 2.1, MSTConstant: 0.65, ServedDensityRatio: 1},
	}
}

// Validate checks cross-parameter consistency Set cannot see one key at a time.
func (s *Scenario) Validate() error {
	if s.Policy == PolicyBudget && s.BudgetEUR <= 0 && s.AnnualBudgetEUR <= 0 {
		return fmt.Errorf("coverage: scenario: policy budget needs budget_eur or annual_budget_eur > 0")
	}
	if _, err := ParsePolicy(string(s.Policy)); err != nil {
		return fmt.Errorf("coverage: scenario: %w", err)
	}
	for _, p := range paramTable {
		if err := p.check(p.get(s)); err != nil {
			return fmt.Errorf("coverage: scenario: %s: %w", p.Key, err)
		}
	}
	return nil
}

// prioRank returns each kind's priority rank: 0 for the first priority kind,
// len(Priority) for kinds that are not a priority.
func (s *Scenario) prioRank() [NumKinds]int {
	var r [NumKinds]int
	for k := range r {
		r[k] = len(s.Priority)
	}
	for i, k := range s.Priority {
		if k < NumKinds && r[k] == len(s.Priority) {
			r[k] = i
		}
	}
	return r
}

// MarshalText writes a Kind as its name ("school").
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads a Kind name.
func (k *Kind) UnmarshalText(b []byte) error {
	v, ok := ParseKind(strings.ToLower(string(b)))
	if !ok {
		return fmt.Errorf("coverage: unknown premise kind %q", b)
	}
	*k = v
	return nil
}

// MarshalText writes a Tech as its name ("fibre").
func (t Tech) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads a Tech name.
func (t *Tech) UnmarshalText(b []byte) error {
	v, ok := ParseTech(strings.ToLower(string(b)))
	if !ok {
		return fmt.Errorf("coverage: unknown technology %q", b)
	}
	*t = v
	return nil
}

// decisionKeys are the parameters only Decide reads: a scenario differing
// from another in these alone is decided from the same Evaluation.
var decisionKeys = map[string]bool{
	"policy": true, "policy.threshold_eur": true, "policy.priority_tech": true, "policy.band_share": true,
	"policy.budget_pick": true, "budget_eur": true, "annual_budget_eur": true,
}

// IsDecisionKey reports whether parameter key (a --set key) is read only
// when deciding: changing it needs no new Evaluation.
func IsDecisionKey(key string) bool { return decisionKeys[key] }

// SameEvaluation reports whether options priced under s serve decisions
// under o: the two differ at most in decision keys (IsDecisionKey).
func (s Scenario) SameEvaluation(o Scenario) bool { return s.evaluationDiff(o) == "" }

// evaluationDiff names the first parameter outside the decision keys whose
// value differs between s and o, or returns "".
func (s Scenario) evaluationDiff(o Scenario) string {
	for i := range paramTable {
		p := &paramTable[i]
		if decisionKeys[p.Key] {
			continue
		}
		if formatValue(p.get(&s)) != formatValue(p.get(&o)) {
			return p.Key
		}
	}
	return ""
}
