package coverage

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Scenario is everything a planning run assumes: the target, the policy,
// budgets, money, the cost preset and every technology's parameters.
// DefaultScenario gives MODEL.md's defaults (the `fr` costs); Set changes
// one parameter by key. A Scenario is a plain value: copy it freely.
// summary.json embeds it (json tags).
type Scenario struct {
	Target Target `json:"target"`
	Policy Policy `json:"policy"`
	// RankBy is what the policies rank options on (RankTotal, RankPublic,
	// RankNPV); empty means the policy's own default (Scenario.Rank).
	RankBy RankBy `json:"rank_by"`

	// BudgetEUR caps the total CAPEX under the budget policy (0 = none).
	BudgetEUR float64 `json:"budget_eur"`
	// AnnualBudgetEUR caps the CAPEX of each rollout year (0 = no phasing).
	AnnualBudgetEUR float64 `json:"annual_budget_eur"`
	// BudgetPick is the option each zone offers under the budget policy:
	// "capex" (lowest CAPEX per premise) or "rank" (the option
	// policy.rank_by ranks first).
	BudgetPick string `json:"budget_pick"`
	// ThresholdEUR is fibre-first's cap on fibre CAPEX per premise.
	ThresholdEUR float64 `json:"threshold_eur"`
	// PriorityTech is the technology lowest-cost-band favours.
	PriorityTech Tech `json:"priority_tech"`
	// BandShare is lowest-cost-band's tolerance: 0.15 lets the priority
	// technology win when its cost per premise is at most 15 % above the cheapest.
	BandShare float64 `json:"band_share"`
	// MinServedShare is the share of a zone's premises an option must serve
	// to be feasible (fibre beyond reach, obstructed sky, ... leave some out).
	MinServedShare float64 `json:"min_served_share"`
	// Priority kinds are served first by the budget policy and the rollout.
	Priority []Kind `json:"priority"`

	// Costs names the cost preset the technology parameters started from
	// ("fr", "us"); keys set by hand afterwards keep their own values
	// (summary.json's scenario shows every value).
	Costs string `json:"costs"`

	DiscountRate float64 `json:"discount_rate"`
	HorizonYears int     `json:"horizon_years"`
	// VoucherEUR is the public subsidy per satellite or wireless
	// subscriber's terminal (France's "cohésion numérique" voucher), at
	// most the terminal's price.
	VoucherEUR float64 `json:"voucher_eur"`
	// NetworkPublicShare is the share of a built network's cost (fibre,
	// fixed wireless) the public body bears when the network's revenues
	// are not modelled (revenue_eur_month 0); with revenues, the public
	// pays the funding gap (cost less revenues).
	NetworkPublicShare float64 `json:"network_public_share"`

	Demand    DemandByKind    `json:"demand"`
	Fibre     FibreParams     `json:"fibre"`
	Wifi      WifiParams      `json:"wifi"`
	LEO       SatParams       `json:"leo"`
	GEO       SatParams       `json:"geo"`
	ZoneLevel ZoneLevelParams `json:"zone_level"`

	// Workers bounds the goroutines of Evaluate and Decide; <= 0 means one
	// per CPU. It never changes results.
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
	RouteFactor float64 `json:"route_factor"`
	// Route shares: DuctShare of new route metres reuse existing ducts
	// (cable pulled in), AerialShare go on existing poles, the rest is new
	// underground civil works.
	DuctShare          float64 `json:"duct_share"`
	AerialShare        float64 `json:"aerial_share"`
	DuctEURPerM        float64 `json:"duct_eur_per_m"`
	AerialEURPerM      float64 `json:"aerial_eur_per_m"`
	UndergroundEURPerM float64 `json:"underground_eur_per_m"`
	// PassiveEUR is the passive equipment per premise passed: PM
	// cabinets, PBO boxes, splicing, studies.
	PassiveEUR       float64 `json:"passive_eur"`
	ConnectionEUR    float64 `json:"connection_eur"`
	ONTEUR           float64 `json:"ont_eur"`
	OLTPortEUR       float64 `json:"olt_port_eur"`
	Split            int     `json:"split"`
	ReachM           float64 `json:"reach_m"`
	OpexShare        float64 `json:"opex_share"`
	ElectronicsYears int     `json:"electronics_years"`
	DownMbps         float64 `json:"down_mbps"`
	UpMbps           float64 `json:"up_mbps"`
	LatencyMs        float64 `json:"latency_ms"`
	// RetailEURPerMonth is the retail subscription a subscriber pays;
	// RevenueEURPerMonth what the network's owner earns per subscriber
	// (wholesale in an open public network; 0 = revenues not modelled).
	RetailEURPerMonth  float64 `json:"retail_eur_month"`
	RevenueEURPerMonth float64 `json:"revenue_eur_month"`

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

// EURPerM is the blended cost per new route metre: the duct share at the
// duct price, the aerial share at the aerial price, the rest underground.
func (f FibreParams) EURPerM() float64 {
	return f.DuctShare*f.DuctEURPerM + f.AerialShare*f.AerialEURPerM + max(0, 1-f.DuctShare-f.AerialShare)*f.UndergroundEURPerM
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
	RangeM           float64 `json:"range_m"`
	CapacityMbps     float64 `json:"capacity_mbps"`
	Oversubscription float64 `json:"oversubscription"`
	DownMbps         float64 `json:"down_mbps"` // peak per subscriber
	UpMbps           float64 `json:"up_mbps"`
	LatencyMs        float64 `json:"latency_ms"`
	// SiteEUR is a new site's civil works, mast and power; TowerEUR the
	// same on an existing tower (rent set-up, mounting, power), which
	// TowerShare of the new sites can use.
	SiteEUR           float64 `json:"site_eur"`
	TowerEUR          float64 `json:"tower_eur"`
	TowerShare        float64 `json:"tower_share"`
	RadioEUR          float64 `json:"radio_eur"` // radio equipment per site, replaced every EquipmentYears
	CPEEUR            float64 `json:"cpe_eur"`
	SiteOpexEUR       float64 `json:"site_opex_eur"` // per site per year
	EquipmentYears    int     `json:"equipment_years"`
	FibreBackhaulMaxM float64 `json:"fibre_backhaul_max_m"`
	MicrowaveEUR      float64 `json:"microwave_eur"`
	MicrowaveMaxM     float64 `json:"microwave_max_m"`
	// MaxSitesPerTile caps the new sites of one placement tile (square
	// tiles of 4 × RangeM over the area); premises left over are WIFI_CAPACITY.
	MaxSitesPerTile int `json:"max_sites_per_tile"`
	// RetailEURPerMonth and RevenueEURPerMonth as for fibre.
	RetailEURPerMonth  float64 `json:"retail_eur_month"`
	RevenueEURPerMonth float64 `json:"revenue_eur_month"`
}

// SiteCivilEUR is the expected civil works of one new site: the tower
// share on existing towers, the rest on new masts.
func (w WifiProfile) SiteCivilEUR() float64 {
	return w.TowerShare*w.TowerEUR + (1-w.TowerShare)*w.SiteEUR
}

// SatParams describes a satellite service (LEO or GEO); both are treated
// alike: a terminal and a subscription the subscriber pays, a share of
// premises without a clear sky, and a finite capacity per cell or beam.
type SatParams struct {
	KitEUR     float64 `json:"kit_eur"`     // terminal, paid by the subscriber
	MonthlyEUR float64 `json:"monthly_eur"` // retail subscription, paid by the subscriber
	DownMbps   float64 `json:"down_mbps"`
	UpMbps     float64 `json:"up_mbps"`
	LatencyMs  float64 `json:"latency_ms"`
	// TerminalYears is the life of a terminal before replacement.
	TerminalYears   int     `json:"terminal_years"`
	ObstructedShare float64 `json:"obstructed_share"`
	// CellWidthM is the flat-to-flat width of a capacity cell (LEO) or
	// beam (GEO), a hexagon; 0 = no cells.
	CellWidthM float64 `json:"cell_width_m"`
	// CellCapacityMbps is the busy-hour capacity of one cell or beam for
	// the area's subscribers (0 = unlimited): subscribers take their kind's
	// busy-hour traffic from it.
	CellCapacityMbps float64 `json:"cell_capacity_mbps"`
	// SubsidyEURPerPremise is a public subsidy per premise served (a
	// programme's per-location award to the operator, as in BEAD), on top
	// of the terminal voucher.
	SubsidyEURPerPremise float64 `json:"subsidy_eur_per_premise"`
}

// ZoneLevelParams drive the estimates used without premises (MODEL.md §2).
type ZoneLevelParams struct {
	// PremisesPerInhabitant turns a zone's population into premises
	// (dwellings, second homes included, and business sites) when the zone
	// gives no premises count.
	PremisesPerInhabitant float64 `json:"premises_per_inhabitant"`
	// MSTConstant c gives the tree c·√(n·A) joining n points spread evenly
	// over an area A, the upper bound of the settlement estimate.
	MSTConstant float64 `json:"mst_constant"`
	// TreeMPerPremise λ is the tree length per premise inside a settlement
	// (village, hamlet); SettlementKm2 the area per settlement: a zone of
	// area A holds m = A ÷ SettlementKm2 settlements (at least 1, at most
	// one per SettlementMinPremises premises), and its distribution tree is
	// min(c·√(n·A), λ·(n − m) + c·√(m·A)).
	TreeMPerPremise       float64 `json:"tree_m_per_premise"`
	SettlementKm2         float64 `json:"settlement_km2"`
	SettlementMinPremises float64 `json:"settlement_min_premises"`
	// ServedDensityRatio ρ is how many times denser premises are inside
	// active served areas than in the rest of a zone: a zone with area
	// share s inside them has ρ·s ÷ (ρ·s + 1 − s) of its premises
	// passed. 1 spreads premises evenly.
	ServedDensityRatio float64 `json:"served_density_ratio"`
}

// DefaultScenario returns every default of MODEL.md with the `fr` cost
// preset, each documented with its source in docs/model.md and by Params.
func DefaultScenario() Scenario {
	t, _ := ParseTarget("fr-thd")
	s := Scenario{
		Target:         t,
		Policy:         PolicyLeastCost,
		ThresholdEUR:   5000,
		BudgetPick:     "capex",
		PriorityTech:   TechFibre,
		BandShare:      0.15,
		MinServedShare: 0.9,
		HorizonYears:   20,
		Demand: DemandByKind{
			KindHousehold: {BusyHourMbps: 2.5, TakeUp: 0.7},
			KindBusiness:  {BusyHourMbps: 10, TakeUp: 0.8},
			KindSchool:    {BusyHourMbps: 50, TakeUp: 1},
			KindPublic:    {BusyHourMbps: 10, TakeUp: 1},
			KindOther:     {BusyHourMbps: 2.5, TakeUp: 0.5},
		},
		ZoneLevel: ZoneLevelParams{PremisesPerInhabitant: 0.65, MSTConstant: 0.65,
			TreeMPerPremise: 15, SettlementKm2: 1, SettlementMinPremises: 10, ServedDensityRatio: 1},
	}
	s.applyCosts("fr")
	return s
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
	"policy": true, "policy.rank_by": true, "policy.threshold_eur": true, "policy.priority_tech": true, "policy.band_share": true,
	"policy.budget_pick": true, "budget_eur": true, "annual_budget_eur": true,
}

// SameEvaluation reports whether options priced under s serve decisions
// under o: the two differ at most in decision keys (decisionKeys).
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
