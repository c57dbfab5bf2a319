package coverage

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Param describes one scenario parameter: its --set key, current and
// default values (formatted as Set accepts them), unit, meaning and source.
type Param struct {
	Key     string `json:"key"`
	Value   string `json:"value"`
	Default string `json:"default"`
	Unit    string `json:"unit"`
	Doc     string `json:"doc"`
	Source  string `json:"source"`
}

// param is one row of the parameter table. get returns a pointer into a
// Scenario: *float64, *int, *bool, *string, *Tech, *Policy or *[]Kind.
type param struct {
	Key      string
	Unit     string
	Doc      string
	Source   string
	Min, Max float64  // inclusive bounds for numbers
	Choices  []string // allowed values of a string parameter
	get      func(*Scenario) any
}

const (
	srcModel    = "MODEL.md"
	srcAssume   = "covplan assumption; override with local figures"
	srcFBA      = "Fiber Broadband Association / Cartesian, Fiber Deployment Annual Report 2023 (US medians $16.25/ft underground, $6.49/ft aerial)"
	srcGiga     = "Giga (UNICEF/ITU) open cost model: route factor 1.2; ITU connectivity planning platform uses 1.1"
	srcCambium  = "Cambium Networks CBRS example: 40 MHz sector, 204 subscribers at 25/3 Mbit/s at 5 miles with 8:1 oversubscription (204 × 25 ÷ 8 = 637.5 Mbit/s)"
	srcStarlink = "Starlink France consumer offer 2024–25 (kit €349, about €40/month), Ookla Speedtest reports for speeds"
	srcGEO      = "GEO consumer offers in France (Nordnet/Eutelsat Konnect class): kit about €400, €35/month, 600 ms round trip"
	srcFrance   = "France: 4 % public discount rate (Lebègue report, Commissariat général du Plan, 2005; MODEL.md); UK Green Book 3.5 %, US OMB Circular A-4 3 % and 7 %"
	srcVoucher  = "France, dispositif « cohésion numérique des territoires »: €150 towards a satellite or wireless kit"
	srcGPON     = "ITU-T G.984 (GPON): 20 km logical reach, split 1:32 typical, 1:64 maximum"
)

func fp(f func(*Scenario) *float64) func(*Scenario) any { return func(s *Scenario) any { return f(s) } }
func ip(f func(*Scenario) *int) func(*Scenario) any     { return func(s *Scenario) any { return f(s) } }

// paramTable is every --set key, in documentation order.
var paramTable = buildParamTable()

func buildParamTable() []param {
	t := []param{
		{Key: "target", Unit: "preset", Doc: "target preset: fr-thd, fr-2025, eu-gigabit or us-bead (sets the three target.* keys)", Source: "MODEL.md §5",
			get: func(s *Scenario) any { return &s.Target }},
		{Key: "target.down_mbps", Unit: "Mbit/s", Doc: "minimum download speed per subscriber", Source: "MODEL.md §5", Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Target.DownMbps })},
		{Key: "target.up_mbps", Unit: "Mbit/s", Doc: "minimum upload speed per subscriber (0 = none)", Source: "MODEL.md §5", Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Target.UpMbps })},
		{Key: "target.latency_ms", Unit: "ms", Doc: "maximum round-trip latency (0 = no limit)", Source: "MODEL.md §5", Min: 0, Max: 1e5,
			get: fp(func(s *Scenario) *float64 { return &s.Target.LatencyMs })},
		{Key: "policy", Unit: "name", Doc: "least-cost, fibre-first, lowest-cost-band, budget or hybrid", Source: "MODEL.md §5",
			get: func(s *Scenario) any { return &s.Policy }},
		{Key: "policy.threshold_eur", Unit: "€/premise", Doc: "fibre-first: fibre CAPEX per premise above which another technology is chosen", Source: "BEAD 2022 'extremely high cost per location threshold' (set by each state); value: " + srcAssume, Min: 0, Max: 1e9,
			get: fp(func(s *Scenario) *float64 { return &s.ThresholdEUR })},
		{Key: "policy.priority_tech", Unit: "technology", Doc: "lowest-cost-band: technology that wins when within the band", Source: "BEAD 2025 restructuring notice (priority broadband project)",
			get: func(s *Scenario) any { return &s.PriorityTech }},
		{Key: "policy.band_share", Unit: "share", Doc: "lowest-cost-band: how far above the cheapest NPV per premise the priority technology may be", Source: "BEAD 2025 restructuring notice: +15 %", Min: 0, Max: 10,
			get: fp(func(s *Scenario) *float64 { return &s.BandShare })},
		{Key: "policy.min_served_share", Unit: "share", Doc: "an option must serve at least this share of a zone's premises to be feasible", Source: srcAssume, Min: 0, Max: 1,
			get: fp(func(s *Scenario) *float64 { return &s.MinServedShare })},
		{Key: "priority", Unit: "kinds", Doc: "premise kinds served first by the budget policy and the rollout, e.g. schools,public", Source: "MODEL.md",
			get: func(s *Scenario) any { return &s.Priority }},
		{Key: "policy.budget_pick", Unit: "name", Doc: "budget policy: the option each zone offers: capex (lowest CAPEX per premise: the most premises for the money) or npv (its least-cost option by NPV per premise: the technology that is cheapest over the horizon)", Source: srcAssume,
			Choices: []string{"capex", "npv"},
			get:     func(s *Scenario) any { return &s.BudgetPick }},
		{Key: "budget_eur", Unit: "€", Doc: "budget policy: total CAPEX available (0 = no total cap)", Source: "user", Min: 0, Max: 1e15,
			get: fp(func(s *Scenario) *float64 { return &s.BudgetEUR })},
		{Key: "annual_budget_eur", Unit: "€/year", Doc: "CAPEX available per rollout year (0 = no phasing)", Source: "user", Min: 0, Max: 1e15,
			get: fp(func(s *Scenario) *float64 { return &s.AnnualBudgetEUR })},
		{Key: "money.discount_rate", Unit: "share/year", Doc: "discount rate r of the NPV", Source: srcFrance, Min: 0, Max: 1,
			get: fp(func(s *Scenario) *float64 { return &s.DiscountRate })},
		{Key: "money.horizon_years", Unit: "years", Doc: "NPV horizon", Source: "MODEL.md §4", Min: 1, Max: 100,
			get: ip(func(s *Scenario) *int { return &s.HorizonYears })},
		{Key: "money.voucher_eur", Unit: "€/kit", Doc: "public subsidy per satellite or wireless subscriber kit", Source: srcVoucher, Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.VoucherEUR })},
		{Key: "money.fibre_public_share", Unit: "share", Doc: "share of fibre's total cost borne by the public body (1 = all, as in a public-initiative network)", Source: srcAssume, Min: 0, Max: 1,
			get: fp(func(s *Scenario) *float64 { return &s.FibrePublicShare })},

		{Key: "fibre.route_factor", Unit: "×", Doc: "route length ÷ straight-line length", Source: srcGiga, Min: 1, Max: 5,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.RouteFactor })},
		{Key: "fibre.aerial_share", Unit: "share", Doc: "share of new route built aerial (on poles)", Source: srcModel + "; " + srcAssume, Min: 0, Max: 1,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.AerialShare })},
		{Key: "fibre.aerial_eur_per_m", Unit: "€/m", Doc: "aerial build cost per route metre", Source: srcFBA, Min: 0, Max: 1e5,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.AerialEURPerM })},
		{Key: "fibre.underground_eur_per_m", Unit: "€/m", Doc: "underground build cost per route metre (rocky ground about double)", Source: srcFBA, Min: 0, Max: 1e5,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.UndergroundEURPerM })},
		{Key: "fibre.connection_eur", Unit: "€/unit", Doc: "connection of one subscribing unit: drop, optical outlet, ONT, planning", Source: "UK digital_comms model items; French cost per prise €300–6,000 (MODEL.md §3)", Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.ConnectionEUR })},
		{Key: "fibre.ont_eur", Unit: "€/unit", Doc: "part of the connection that is electronics (ONT), replaced with the OLT ports", Source: srcAssume, Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.ONTEUR })},
		{Key: "fibre.olt_port_eur", Unit: "€/port", Doc: "OLT port with its share of chassis and optics", Source: srcAssume, Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.OLTPortEUR })},
		{Key: "fibre.split", Unit: "units/port", Doc: "optical split: subscribing units per OLT port", Source: srcGPON, Min: 1, Max: 128,
			get: ip(func(s *Scenario) *int { return &s.Fibre.Split })},
		{Key: "fibre.reach_m", Unit: "m", Doc: "maximum route distance from an active node (GPON reach)", Source: srcGPON, Min: 1, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.ReachM })},
		{Key: "fibre.opex_share", Unit: "share of CAPEX/year", Doc: "yearly operation and maintenance", Source: srcModel, Min: 0, Max: 1,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.OpexShare })},
		{Key: "fibre.electronics_years", Unit: "years", Doc: "life of OLT ports and ONTs before replacement", Source: srcModel, Min: 1, Max: 100,
			get: ip(func(s *Scenario) *int { return &s.Fibre.ElectronicsYears })},
		{Key: "fibre.down_mbps", Unit: "Mbit/s", Doc: "service download speed", Source: srcModel, Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.DownMbps })},
		{Key: "fibre.up_mbps", Unit: "Mbit/s", Doc: "service upload speed", Source: srcModel, Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.UpMbps })},
		{Key: "fibre.latency_ms", Unit: "ms", Doc: "round-trip latency", Source: srcModel, Min: 0, Max: 1e5,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.LatencyMs })},
		{Key: "fibre.allow_new_nodes", Unit: "true/false", Doc: "premises beyond reach of the existing network (or with none) get new optical nodes (NRO, central office); false: FIBRE_TOO_FAR", Source: srcAssume,
			get: func(s *Scenario) any { return &s.Fibre.AllowNewNodes }},
		{Key: "fibre.new_node_eur", Unit: "€/node", Doc: "one new optical node: shelter, power, OLT chassis (ports are counted apart)", Source: srcAssume + " (French public-initiative NRO shelters are commonly quoted €100k–300k)", Min: 0, Max: 1e9,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.NewNodeEUR })},
		{Key: "fibre.node_max_units", Unit: "units/node", Doc: "units one new node serves; a cluster of premises with more units gets several nodes", Source: srcAssume + " (ARCEP: an NRO serves at least 1,000 lines; large urban NROs serve tens of thousands)", Min: 1, Max: 1e9,
			get: ip(func(s *Scenario) *int { return &s.Fibre.NodeMaxUnits })},
		{Key: "fibre.link_max_m", Unit: "m", Doc: "a new node's collection link is built as fibre (route factor × €/m) to the nearest active node within this straight-line distance; else transit is leased", Source: srcAssume, Min: 0, Max: 1e7,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.LinkMaxM })},
		{Key: "fibre.transit_eur", Unit: "€/link", Doc: "leased collection link (IRU) for a new node with no active node within link_max_m, or for a wireless site with no fibre within microwave reach", Source: srcAssume, Min: 0, Max: 1e9,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.TransitEUR })},

		{Key: "wifi.profile", Unit: "name", Doc: "wireless profile used: fwa (fixed wireless, « THD radio ») or public-wifi", Source: srcModel,
			Choices: []string{"fwa", "public-wifi"},
			get:     func(s *Scenario) any { return &s.Wifi.Profile }},
	}
	for _, pr := range []struct {
		name   string
		get    func(*Scenario) *WifiProfile
		source string
	}{
		{"fwa", func(s *Scenario) *WifiProfile { return &s.Wifi.FWA }, srcCambium},
		{"public-wifi", func(s *Scenario) *WifiProfile { return &s.Wifi.PublicWifi }, srcModel + " (public Wi-Fi 150–300 m)"},
	} {
		g := pr.get
		pre := "wifi." + pr.name + "."
		t = append(t,
			param{Key: pre + "range_m", Unit: "m", Doc: pr.name + ": reach of a new site", Source: pr.source, Min: 1, Max: 1e5,
				get: fp(func(s *Scenario) *float64 { return &g(s).RangeM })},
			param{Key: pre + "capacity_mbps", Unit: "Mbit/s", Doc: pr.name + ": shared busy-hour capacity of a site (also existing APs without a capacity)", Source: pr.source, Min: 1, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).CapacityMbps })},
			param{Key: pre + "oversubscription", Unit: "×", Doc: pr.name + ": oversubscription: a site takes capacity × this ÷ target speed subscribers", Source: srcCambium, Min: 1, Max: 1000,
				get: fp(func(s *Scenario) *float64 { return &g(s).Oversubscription })},
			param{Key: pre + "down_mbps", Unit: "Mbit/s", Doc: pr.name + ": peak download speed per subscriber", Source: srcAssume, Min: 0, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).DownMbps })},
			param{Key: pre + "up_mbps", Unit: "Mbit/s", Doc: pr.name + ": peak upload speed per subscriber", Source: srcAssume, Min: 0, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).UpMbps })},
			param{Key: pre + "latency_ms", Unit: "ms", Doc: pr.name + ": round-trip latency", Source: srcModel + " (10–20 ms)", Min: 0, Max: 1e5,
				get: fp(func(s *Scenario) *float64 { return &g(s).LatencyMs })},
			param{Key: pre + "site_eur", Unit: "€/site", Doc: pr.name + ": civil works, mast and power of a new site", Source: srcAssume, Min: 0, Max: 1e9,
				get: fp(func(s *Scenario) *float64 { return &g(s).SiteEUR })},
			param{Key: pre + "radio_eur", Unit: "€/site", Doc: pr.name + ": radio equipment of a new site, replaced every equipment_years", Source: srcAssume, Min: 0, Max: 1e9,
				get: fp(func(s *Scenario) *float64 { return &g(s).RadioEUR })},
			param{Key: pre + "cpe_eur", Unit: "€/subscriber", Doc: pr.name + ": customer equipment and installation", Source: srcAssume, Min: 0, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).CPEEUR })},
			param{Key: pre + "site_opex_eur", Unit: "€/site/year", Doc: pr.name + ": site rent, power, maintenance", Source: srcAssume, Min: 0, Max: 1e9,
				get: fp(func(s *Scenario) *float64 { return &g(s).SiteOpexEUR })},
			param{Key: pre + "equipment_years", Unit: "years", Doc: pr.name + ": life of radios and CPE", Source: srcAssume, Min: 1, Max: 100,
				get: ip(func(s *Scenario) *int { return &g(s).EquipmentYears })},
			param{Key: pre + "fibre_backhaul_max_m", Unit: "m", Doc: pr.name + ": a site this close to the fibre network is backhauled by fibre (at fibre's €/m), otherwise by microwave", Source: srcAssume, Min: 0, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).FibreBackhaulMaxM })},
			param{Key: pre + "microwave_eur", Unit: "€/site", Doc: pr.name + ": microwave backhaul link", Source: srcAssume, Min: 0, Max: 1e9,
				get: fp(func(s *Scenario) *float64 { return &g(s).MicrowaveEUR })},
			param{Key: pre + "microwave_max_m", Unit: "m", Doc: pr.name + ": longest microwave hop to the network; farther sites have no backhaul (WIFI_NO_SITE)", Source: srcAssume, Min: 0, Max: 1e7,
				get: fp(func(s *Scenario) *float64 { return &g(s).MicrowaveMaxM })},
			param{Key: pre + "max_sites_per_zone", Unit: "sites", Doc: pr.name + ": most new sites in one zone; premises left over are WIFI_CAPACITY", Source: srcAssume, Min: 1, Max: 1e6,
				get: ip(func(s *Scenario) *int { return &g(s).MaxSitesPerZone })},
		)
	}
	for _, sat := range []struct {
		name   string
		get    func(*Scenario) *SatParams
		source string
	}{
		{"leo", func(s *Scenario) *SatParams { return &s.LEO }, srcStarlink},
		{"geo", func(s *Scenario) *SatParams { return &s.GEO }, srcGEO},
	} {
		g := sat.get
		pre := sat.name + "."
		t = append(t,
			param{Key: pre + "kit_eur", Unit: "€/subscriber", Doc: sat.name + ": terminal kit", Source: sat.source, Min: 0, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).KitEUR })},
			param{Key: pre + "monthly_eur", Unit: "€/month", Doc: sat.name + ": subscription (OPEX, paid by the subscriber)", Source: sat.source, Min: 0, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).MonthlyEUR })},
			param{Key: pre + "down_mbps", Unit: "Mbit/s", Doc: sat.name + ": download speed", Source: sat.source, Min: 0, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).DownMbps })},
			param{Key: pre + "up_mbps", Unit: "Mbit/s", Doc: sat.name + ": upload speed", Source: sat.source, Min: 0, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).UpMbps })},
			param{Key: pre + "latency_ms", Unit: "ms", Doc: sat.name + ": round-trip latency", Source: sat.source, Min: 0, Max: 1e5,
				get: fp(func(s *Scenario) *float64 { return &g(s).LatencyMs })},
			param{Key: pre + "terminal_years", Unit: "years", Doc: sat.name + ": terminal life before replacement", Source: srcModel, Min: 1, Max: 100,
				get: ip(func(s *Scenario) *int { return &g(s).TerminalYears })},
			param{Key: pre + "obstructed_share", Unit: "share", Doc: sat.name + ": share of premises without a clear view of the sky (not served, SAT_OBSTRUCTED)", Source: srcModel, Min: 0, Max: 1,
				get: fp(func(s *Scenario) *float64 { return &g(s).ObstructedShare })},
		)
		if sat.name == "leo" {
			t = append(t,
				param{Key: "leo.cell_width_m", Unit: "m", Doc: "leo: width of a capacity cell (hexagon, flat to flat)", Source: srcModel + " (~25 km hexagons)", Min: 100, Max: 1e6,
					get: fp(func(s *Scenario) *float64 { return &s.LEO.CellWidthM })},
				param{Key: "leo.cell_max_subs", Unit: "subscribers/cell", Doc: "leo: subscribers one cell can take, over all zones choosing LEO (0 = unlimited); beyond: SAT_CAPACITY", Source: srcAssume + " (operators cap sales per cell: 'sold out' areas)", Min: 0, Max: 1e9,
					get: fp(func(s *Scenario) *float64 { return &s.LEO.CellMaxSubs })},
			)
		}
	}
	for k := Kind(0); k < NumKinds; k++ {
		k := k
		pre := "demand." + k.String() + "."
		t = append(t,
			param{Key: pre + "busy_hour_mbps", Unit: "Mbit/s", Doc: k.String() + ": average traffic per subscriber in the busy hour (sizes shared wireless sites)", Source: srcAssume, Min: 0, Max: 1e5,
				get: fp(func(s *Scenario) *float64 { return &s.Demand[k].BusyHourMbps })},
			param{Key: pre + "take_up", Unit: "share", Doc: k.String() + ": share of units that subscribe (connections, kits, subscriptions)", Source: map[bool]string{true: srcModel + " (take-up 0.7)", false: srcAssume}[k == KindHousehold], Min: 0, Max: 1,
				get: fp(func(s *Scenario) *float64 { return &s.Demand[k].TakeUp })},
		)
	}
	t = append(t,
		param{Key: "zone_level.persons_per_household", Unit: "persons", Doc: "zone-level mode: households = population ÷ this when a zone has no household count", Source: "INSEE: 2.1–2.2 persons per household in France", Min: 0.1, Max: 100,
			get: fp(func(s *Scenario) *float64 { return &s.ZoneLevel.PersonsPerHousehold })},
		param{Key: "zone_level.mst_constant", Unit: "×", Doc: "zone-level mode: distribution length = this × √(premises × area) (minimum spanning tree of points spread over the area)", Source: "Beardwood–Halton–Hammersley / Steele asymptotics for random points; value measured with covplan's MST on uniform points", Min: 0, Max: 10,
			get: fp(func(s *Scenario) *float64 { return &s.ZoneLevel.MSTConstant })},
		param{Key: "zone_level.served_density_ratio", Unit: "×", Doc: "zone-level mode: household density inside active served areas ÷ density in the rest of the zone; passed share = ρ·s ÷ (ρ·s + 1 − s) for an area share s (1 = households spread evenly; deployment areas drawn around villages hold more)", Source: srcAssume, Min: 0.01, Max: 1000,
			get: fp(func(s *Scenario) *float64 { return &s.ZoneLevel.ServedDensityRatio })},
	)
	return t
}

func findParam(key string) (*param, bool) {
	for i := range paramTable {
		if paramTable[i].Key == key {
			return &paramTable[i], true
		}
	}
	return nil, false
}

// Set changes the parameter key to value, as given by --set key=value.
// An unknown key, an unparsable value or a value out of range is an error
// naming the key; s is then unchanged.
func (s *Scenario) Set(key, value string) error {
	key = strings.ToLower(strings.TrimSpace(key))
	value = strings.TrimSpace(value)
	p, ok := findParam(key)
	if !ok {
		return fmt.Errorf("coverage: scenario: unknown key %q (see `covplan scenario` for the list)%s", key, suggest(key))
	}
	if err := p.set(p.get(s), value); err != nil {
		return fmt.Errorf("coverage: scenario: %s=%q: %w", key, value, err)
	}
	if strings.HasPrefix(key, "target.") {
		s.Target.Name = "custom"
	}
	return nil
}

func suggest(key string) string {
	var near []string
	for _, p := range paramTable {
		if strings.HasSuffix(p.Key, "."+lastDot(key)) || strings.HasPrefix(p.Key, key) {
			near = append(near, p.Key)
		}
	}
	if len(near) == 0 || len(near) > 6 {
		return ""
	}
	return "; did you mean " + strings.Join(near, ", ") + "?"
}

func lastDot(k string) string {
	if i := strings.LastIndexByte(k, '.'); i >= 0 {
		return k[i+1:]
	}
	return k
}

func (p *param) set(ptr any, value string) error {
	switch v := ptr.(type) {
	case *float64:
		f, err := parseFloat(value)
		if err != nil {
			return err
		}
		if err := p.checkNum(f); err != nil {
			return err
		}
		*v = f
	case *int:
		f, err := parseFloat(value)
		if err != nil {
			return err
		}
		if f != math.Trunc(f) {
			return fmt.Errorf("want a whole number")
		}
		if err := p.checkNum(f); err != nil {
			return err
		}
		*v = int(f)
	case *string:
		value = strings.ToLower(value)
		if !slices.Contains(p.Choices, value) {
			return fmt.Errorf("want %s", strings.Join(p.Choices, " or "))
		}
		*v = value
	case *bool:
		switch strings.ToLower(value) {
		case "true", "yes", "1", "on":
			*v = true
		case "false", "no", "0", "off":
			*v = false
		default:
			return fmt.Errorf("want true or false")
		}
	case *Target:
		t, err := ParseTarget(value)
		if err != nil {
			return err
		}
		*v = t
	case *Policy:
		pol, err := ParsePolicy(value)
		if err != nil {
			return err
		}
		*v = pol
	case *Tech:
		t, ok := ParseTech(strings.ToLower(value))
		if !ok || t == TechNone {
			return fmt.Errorf("want fibre, wifi, leo or geo")
		}
		*v = t
	case *[]Kind:
		ks, err := ParsePriority(value)
		if err != nil {
			return err
		}
		*v = ks
	default:
		return fmt.Errorf("internal: unsupported parameter type %T", ptr)
	}
	return nil
}

// parseFloat accepts "1.5", "1,5" (decimal comma), "1_000" and "1e6";
// NaN and infinities are refused.
func parseFloat(s string) (float64, error) {
	s = strings.ReplaceAll(s, "_", "")
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("not a number")
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("not a finite number")
	}
	return f, nil
}

func (p *param) checkNum(f float64) error {
	if f < p.Min || f > p.Max {
		return fmt.Errorf("out of range [%s, %s]", fmtNum(p.Min), fmtNum(p.Max))
	}
	return nil
}

// check validates the current value (for Validate).
func (p *param) check(ptr any) error {
	switch v := ptr.(type) {
	case *float64:
		if math.IsNaN(*v) {
			return fmt.Errorf("not a number")
		}
		return p.checkNum(*v)
	case *int:
		return p.checkNum(float64(*v))
	case *string:
		if !slices.Contains(p.Choices, *v) {
			return fmt.Errorf("%q: want %s", *v, strings.Join(p.Choices, " or "))
		}
	}
	return nil
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func formatValue(ptr any) string {
	switch v := ptr.(type) {
	case *float64:
		return fmtNum(*v)
	case *int:
		return strconv.Itoa(*v)
	case *bool:
		return strconv.FormatBool(*v)
	case *string:
		return *v
	case *Target:
		return v.Name
	case *Policy:
		return string(*v)
	case *Tech:
		return v.String()
	case *[]Kind:
		names := make([]string, len(*v))
		for i, k := range *v {
			names[i] = k.String()
		}
		return strings.Join(names, ",")
	}
	return fmt.Sprint(ptr)
}

// Params lists every parameter with its value in s and its default, in
// documentation order.
func (s Scenario) Params() []Param {
	def := DefaultScenario()
	out := make([]Param, len(paramTable))
	for i := range paramTable {
		p := &paramTable[i]
		out[i] = Param{Key: p.Key, Value: formatValue(p.get(&s)), Default: formatValue(p.get(&def)),
			Unit: p.Unit, Doc: p.Doc, Source: p.Source}
	}
	return out
}

// ParamKeys returns every --set key, sorted.
func ParamKeys() []string {
	keys := make([]string, len(paramTable))
	for i, p := range paramTable {
		keys[i] = p.Key
	}
	sort.Strings(keys)
	return keys
}
