package coverage

// Sources of the defaults (docs/model.md cites them in full; docs/sources.md
// and docs/anchors.md give the addresses).
const (
	srcModel    = "covplan's model brief (an assumption, not a published figure; override with local figures)"
	srcAssume   = "covplan assumption; override with local figures"
	srcCalib    = "covplan calibration: chosen with the Auvergne THD anchor in view (docs/validation.md, in sample); not a measured settlement density (docs/calibration.md §4)"
	srcFBA      = "Fiber Broadband Association / Cartesian, Fiber Deployment Annual Report 2023 (US medians $16.25/ft underground, $6.49/ft aerial)"
	srcGiga     = "Giga (UNICEF/ITU) open cost model: route factor 1.2; ITU connectivity planning platform uses 1.1"
	srcCambium  = "Cambium Networks CBRS example: 40 MHz sector, 204 subscribers at 25/3 Mbit/s at 5 miles with 8:1 oversubscription (204 × 25 ÷ 8 = 637.5 Mbit/s)"
	srcStarlink = "Starlink France: kit €349 (2025), subscription from €29/month (2025; €50 from Aug 2022; €40 for the Mini), €40 taken; Ookla 2025: median 105–118 Mbit/s down, 15–17 up; 47 ms median latency (Maine, Q4 2024) (docs/sources.md §4)"
	srcGEO      = "Orange/Nordnet on Eutelsat Konnect, 2026: kit €299, €39.99/month; Nordnet offers 30 Mbit/s (2020) and 100 Mbit/s (2022), 50/5 Mbit/s taken; round trip ≥ 480 ms by physics (35,786 km), 600 ms a covplan assumption (docs/sources.md §4)"
	srcKonnect  = "Eutelsat Konnect: 75 Gbit/s over 65 beams (Air & Cosmos, 2020): about 1,150 Mbit/s per beam; beams a few hundred km wide"
	srcFrance   = "France: 4 % public discount rate (Lebègue report, Commissariat général du Plan, 2005); UK Green Book 3.5 %, US OMB Circular A-4 3 % and 7 %"
	srcVoucher  = "France, « cohésion numérique des territoires » (ANCT): up to €300 towards a THD (≥ 30 Mbit/s) satellite or wireless terminal since April 2022 (€150 in 2019; €600 for modest households; the satellite part suspended in Sept 2025)"
	srcGPON     = "ITU-T G.984 (GPON): 20 km logical reach, split 1:32 typical, 1:64 maximum"
	srcAumont   = "FTTH pilot of Aumont-Aubrac (Lozère, 2011, 619 prises, 11.4 km of route): 53 % in existing ducts (France Télécom 35 %, communal 18 %), 26 % on poles and 5 % on façades, 16 % new civil works (docs/anchors.md §1.3)"
	srcRetailFR = "ARCEP observatory, 2023: average fixed broadband bill €34.50–35.40 HT a month, ADSL and fibre together (no fibre-only average found) (docs/anchors.md §2)"
	srcRIPPrice = "ARCEP draft guidelines 2015: a passive FTTH line €13 ± 0.50 a month (FNCCR 2025: €500 right of use + €5 a month) (docs/anchors.md)"
	srcTHDRadio = "THD radio in France (Dégroupnews): offers €35–55/month TTC, 10–30 Mbit/s measured on average"
	srcMast     = "a new rural mast « environ 150 000 € » (Ardennes, 2017); New Deal 4G masts €200–250k (FFT) (docs/anchors.md)"
	srcTower    = "Vendée THD radio on existing high points: about €2 M for 23 sites, ≈ €87k each with the radio (docs/anchors.md)"
	srcCETE     = "CETE de l'Ouest (c. 2010): new trench €50–90/m (€15/m in bare ground to €250/m in a town centre), cable on existing aerial supports €15–30/m (docs/anchors.md)"
	srcBEAD     = "BEAD (Quilty Space, Jan 2026): LEO about 20 % of locations for about 5 % ($1.04 bn) of the awards: about $1,000 a location"
	srcLocaux   = "ARCEP « locaux » (dwellings incl. second homes and vacant, plus business sites); published premises counts give 0.62–0.69 per inhabitant in rural départements (Haute-Vienne 0.62, Manche 0.64, Cantal ≈ 0.68, Limousin 0.69; Lozère 0.82) (docs/anchors.md §4, docs/sources.md §8)"
	srcFit      = "fitted on the BAN addresses of Mont-Bonvillers (docs/calibration.md): 15.1 m of tree per address within a settlement"
)

func buildParamTable() []param {
	var t []param
	for _, section := range [][]param{targetParams(), policyParams(), moneyParams(), fibreParams(), wifiParams(),
		satelliteParams(), demandParams(), zoneLevelParams()} {
		t = append(t, section...)
	}
	return t
}

func targetParams() []param {
	return []param{
		{Key: "target", Unit: "preset", Doc: "target preset: fr-thd, fr-2025, eu-gigabit or us-bead (sets every target.* key)", Source: "each preset's text, quoted in docs/model.md §6",
			get: func(s *Scenario) any { return &s.Target }},
		{Key: "target.down_mbps", Unit: "Mbit/s", Doc: "minimum busy-hour download speed per subscriber", Source: "the target preset's text (docs/model.md §6)", Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Target.DownMbps })},
		{Key: "target.up_mbps", Unit: "Mbit/s", Doc: "minimum busy-hour upload speed per subscriber (0 = none)", Source: "the target preset's text (docs/model.md §6)", Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Target.UpMbps })},
		{Key: "target.latency_ms", Unit: "ms", Doc: "maximum round-trip latency (0 = no limit)", Source: "the target preset's text (docs/model.md §6)", Min: 0, Max: 1e5,
			get: fp(func(s *Scenario) *float64 { return &s.Target.LatencyMs })},
		{Key: "target.fibre_grade", Unit: "true/false", Doc: "fibre-grade target: met by FTTH; another technology meets it only where fibre is infeasible or its CAPEX per premise exceeds target.alt_over_eur (FIBRE_PREFERRED)", Source: "Plan France THD: « généralisation de la fibre optique en 2025 »",
			get: func(s *Scenario) any { return &s.Target.FibreGrade }},
		{Key: "target.alt_down_mbps", Unit: "Mbit/s", Doc: "fibre-grade target: minimum busy-hour download speed of the alternatives where they are allowed", Source: "Plan France THD: « très haut débit » ≥ 30 Mbit/s", Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Target.AltDownMbps })},
		{Key: "target.alt_over_eur", Unit: "€/premise", Doc: "fibre-grade target: fibre CAPEX per premise above which alternatives are allowed", Source: "top of the French range of cost per prise, €300–6,000 (Sénat; docs/sources.md)", Min: 0, Max: 1e9,
			get: fp(func(s *Scenario) *float64 { return &s.Target.AltOverEUR })},
	}
}

func policyParams() []param {
	return []param{
		{Key: "policy", Unit: "name", Doc: "least-cost, fibre-first, lowest-cost-band, budget or hybrid", Source: "docs/model.md §7 (least-cost: Giga's baseline; lowest-cost-band and fibre-first: BEAD's rules)",
			get: func(s *Scenario) any { return &s.Policy }},
		{Key: "policy.rank_by", Unit: "name", Doc: "what the policies rank options on, per premise served: total (present cost: what the public body and the subscribers pay together), public (public cost) or npv (the programme's NPV, highest first); empty: public under lowest-cost-band (BEAD ranks bids on subsidy), total otherwise", Source: "docs/model.md §1 and §7; NTIA BEAD restructuring notice (June 2025): lowest BEAD outlay",
			Choices: []string{string(RankTotal), string(RankPublic), string(RankNPV)},
			get:     func(s *Scenario) any { return &s.RankBy }},
		{Key: "policy.threshold_eur", Unit: "€/premise", Doc: "fibre-first: fibre CAPEX per premise above which another technology is chosen", Source: "BEAD 2022 'extremely high cost per location threshold' (set by each state); value: " + srcAssume, Min: 0, Max: 1e9,
			get: fp(func(s *Scenario) *float64 { return &s.ThresholdEUR })},
		{Key: "policy.priority_tech", Unit: "technology", Doc: "lowest-cost-band: technology that wins when within the band", Source: "BEAD 2025 restructuring notice (priority broadband project)",
			get: func(s *Scenario) any { return &s.PriorityTech }},
		{Key: "policy.band_share", Unit: "share", Doc: "lowest-cost-band: how far above the cheapest (under policy.rank_by) the priority technology may be", Source: "BEAD 2025 restructuring notice: +15 %", Min: 0, Max: 10,
			get: fp(func(s *Scenario) *float64 { return &s.BandShare })},
		{Key: "policy.min_served_share", Unit: "share", Doc: "an option must serve at least this share of a zone's premises to be feasible", Source: srcAssume, Min: 0, Max: 1,
			get: fp(func(s *Scenario) *float64 { return &s.MinServedShare })},
		{Key: "priority", Unit: "kinds", Doc: "premise kinds served first by the budget policy and the rollout, e.g. schools,public", Source: "MODEL.md",
			get: func(s *Scenario) any { return &s.Priority }},
		{Key: "policy.budget_pick", Unit: "name", Doc: "budget policy: the option each zone offers: capex (lowest CAPEX per premise: the most premises for the money) or rank (the option policy.rank_by ranks first)", Source: srcAssume,
			Choices: []string{"capex", "rank"},
			get:     func(s *Scenario) any { return &s.BudgetPick }},
		{Key: "budget_eur", Unit: "€", Doc: "budget policy: total CAPEX available (0 = no total cap)", Source: "user", Min: 0, Max: 1e15,
			get: fp(func(s *Scenario) *float64 { return &s.BudgetEUR })},
		{Key: "annual_budget_eur", Unit: "€/year", Doc: "CAPEX available per rollout year (0 = no phasing)", Source: "user", Min: 0, Max: 1e15,
			get: fp(func(s *Scenario) *float64 { return &s.AnnualBudgetEUR })},
	}
}

func moneyParams() []param {
	return []param{
		{Key: "costs", Unit: "preset", Doc: "cost preset: fr (French public networks reusing ducts and poles, French prices) or us (US new build, US prices, BEAD awards); sets every cost and price key, the discount rate and the voucher", Source: "docs/model.md",
			get: func(s *Scenario) any { return costsRef{s} }},
		{Key: "money.discount_rate", Unit: "share/year", Doc: "discount rate r of present values", Source: srcFrance, Min: 0, Max: 1,
			get: fp(func(s *Scenario) *float64 { return &s.DiscountRate })},
		{Key: "money.horizon_years", Unit: "years", Doc: "horizon of present values", Source: "MODEL.md §4", Min: 1, Max: 100,
			get: ip(func(s *Scenario) *int { return &s.HorizonYears })},
		{Key: "money.voucher_eur", Unit: "€/subscriber", Doc: "public subsidy towards each satellite or wireless subscriber's terminal (at most its price)", Source: srcVoucher, Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.VoucherEUR })},
		{Key: "money.network_public_share", Unit: "share", Doc: "share of a built network's cost (fibre, fixed wireless) the public body bears when its revenues are not modelled (revenue_eur_month 0); with revenues the public pays the funding gap", Source: srcAssume + " (1: a public-initiative network)", Min: 0, Max: 1,
			get: fp(func(s *Scenario) *float64 { return &s.NetworkPublicShare })},
	}
}

func fibreParams() []param {
	return []param{
		{Key: "fibre.route_factor", Unit: "×", Doc: "route length ÷ straight-line length", Source: srcGiga, Min: 1, Max: 5,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.RouteFactor })},
		{Key: "fibre.duct_share", Unit: "share", Doc: "share of new route metres pulled in existing ducts (the incumbent's, at regulated access prices)", Source: srcAumont + "; ARCEP: FTTH is deployed « principalement » in Orange's civil works", Min: 0, Max: 1,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.DuctShare })},
		{Key: "fibre.aerial_share", Unit: "share", Doc: "share of new route metres on existing poles (aerial, façades); the rest is new underground civil works", Source: srcAumont, Min: 0, Max: 1,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.AerialShare })},
		{Key: "fibre.duct_eur_per_m", Unit: "€/m", Doc: "cable pulled in an existing duct: cable, labour, duct access", Source: srcAssume + " (no GC-BLO price per metre found; docs/anchors.md)", Min: 0, Max: 1e5,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.DuctEURPerM })},
		{Key: "fibre.aerial_eur_per_m", Unit: "€/m", Doc: "cable on existing poles or façades, with the poles to replace", Source: "fr: " + srcCETE + "; ARCEP 2021: €300 per pole replaced; us: " + srcFBA, Min: 0, Max: 1e5,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.AerialEURPerM })},
		{Key: "fibre.underground_eur_per_m", Unit: "€/m", Doc: "new underground civil works and cable (classic and light trenching; rocky ground about double)", Source: "fr: " + srcCETE + "; us: " + srcFBA, Min: 0, Max: 1e5,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.UndergroundEURPerM })},
		{Key: "fibre.passive_eur", Unit: "€/premise passed", Doc: "passive equipment per premise newly passed: PM cabinets, PBO boxes, splicing, studies", Source: srcAssume + " (ARCEP 2010: a PM costs €30–40 per dwelling in dense areas; PBO and studies add to it)", Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.PassiveEUR })},
		{Key: "fibre.connection_eur", Unit: "€/unit", Doc: "connection of one subscribing unit: drop, optical outlet, ONT, planning", Source: "UK digital_comms model items; French connections €200–400 urban, more in rural areas (docs/sources.md)", Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.ConnectionEUR })},
		{Key: "fibre.ont_eur", Unit: "€/unit", Doc: "part of the connection that is electronics (ONT), replaced with the OLT ports", Source: srcAssume, Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.ONTEUR })},
		{Key: "fibre.olt_port_eur", Unit: "€/port", Doc: "OLT port with its share of chassis and optics", Source: srcAssume, Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.OLTPortEUR })},
		{Key: "fibre.split", Unit: "units/port", Doc: "optical split: subscribing units per OLT port", Source: srcGPON, Min: 1, Max: 128,
			get: ip(func(s *Scenario) *int { return &s.Fibre.Split })},
		{Key: "fibre.reach_m", Unit: "m", Doc: "maximum route distance from an active node (GPON reach)", Source: srcGPON, Min: 1, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.ReachM })},
		{Key: "fibre.opex_share", Unit: "share of CAPEX/year", Doc: "yearly operation and maintenance of the network", Source: srcModel, Min: 0, Max: 1,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.OpexShare })},
		{Key: "fibre.electronics_years", Unit: "years", Doc: "life of OLT ports and ONTs before replacement", Source: srcModel, Min: 1, Max: 100,
			get: ip(func(s *Scenario) *int { return &s.Fibre.ElectronicsYears })},
		{Key: "fibre.down_mbps", Unit: "Mbit/s", Doc: "service download speed", Source: srcModel, Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.DownMbps })},
		{Key: "fibre.up_mbps", Unit: "Mbit/s", Doc: "service upload speed", Source: srcModel, Min: 0, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.UpMbps })},
		{Key: "fibre.latency_ms", Unit: "ms", Doc: "round-trip latency", Source: srcModel, Min: 0, Max: 1e5,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.LatencyMs })},
		{Key: "fibre.retail_eur_month", Unit: "€/month", Doc: "retail subscription a fibre subscriber pays (a subscriber's cost)", Source: srcRetailFR + "; us: $70 (US retail $89–98, docs/anchors.md)", Min: 0, Max: 1e5,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.RetailEURPerMonth })},
		{Key: "fibre.revenue_eur_month", Unit: "€/month", Doc: "what the network's owner earns per subscriber (wholesale in an open public network); 0: revenues not modelled (no NPV; the public pays money.network_public_share of the cost)", Source: srcRIPPrice + "; us: $25 net of retail costs (assumption)", Min: 0, Max: 1e5,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.RevenueEURPerMonth })},
		{Key: "fibre.allow_new_nodes", Unit: "true/false", Doc: "premises beyond reach of the existing network (or with none) get new optical nodes (NRO, central office), placed once for the area; false: FIBRE_TOO_FAR", Source: srcAssume,
			get: func(s *Scenario) any { return &s.Fibre.AllowNewNodes }},
		{Key: "fibre.new_node_eur", Unit: "€/node", Doc: "one new optical node: shelter, power, OLT chassis (ports are counted apart); shared by the zones it serves", Source: srcAssume + " (no published NRO cost found, docs/anchors.md §7)", Min: 0, Max: 1e9,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.NewNodeEUR })},
		{Key: "fibre.node_max_units", Unit: "units/node", Doc: "units one new node serves; a cluster of premises with more units gets several nodes", Source: srcAssume + " (Rosace, Alsace: new NROs of about 7,500 lines each, docs/anchors.md §2)", Min: 1, Max: 1e9,
			get: ip(func(s *Scenario) *int { return &s.Fibre.NodeMaxUnits })},
		{Key: "fibre.link_max_m", Unit: "m", Doc: "a new node's collection link is built as fibre (route factor × €/m) to the nearest active node within this straight-line distance; else transit is leased", Source: srcAssume, Min: 0, Max: 1e7,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.LinkMaxM })},
		{Key: "fibre.transit_eur", Unit: "€/link", Doc: "leased collection link (IRU) for a new node with no active node within link_max_m, or for a wireless point of presence with no fibre within microwave reach", Source: srcAssume, Min: 0, Max: 1e9,
			get: fp(func(s *Scenario) *float64 { return &s.Fibre.TransitEUR })},
	}
}

func wifiParams() []param {
	t := []param{
		{Key: "wifi.profile", Unit: "name", Doc: "wireless profile used: fwa (fixed wireless, « THD radio ») or public-wifi", Source: srcModel,
			Choices: []string{"fwa", "public-wifi"},
			get:     func(s *Scenario) any { return &s.Wifi.Profile }},
	}
	for _, pr := range []struct {
		name, source, siteSource string
		get                      func(*Scenario) *WifiProfile
	}{
		{"fwa", srcCambium, srcMast, func(s *Scenario) *WifiProfile { return &s.Wifi.FWA }},
		{"public-wifi", srcModel + " (public Wi-Fi 150–300 m)", srcAssume, func(s *Scenario) *WifiProfile { return &s.Wifi.PublicWifi }},
	} {
		g := pr.get
		pre := "wifi." + pr.name + "."
		t = append(t,
			param{Key: pre + "range_m", Unit: "m", Doc: pr.name + ": reach of a new site", Source: pr.source, Min: 1, Max: 1e5,
				get: fp(func(s *Scenario) *float64 { return &g(s).RangeM })},
			param{Key: pre + "capacity_mbps", Unit: "Mbit/s", Doc: pr.name + ": shared busy-hour capacity of a site (also existing APs without a capacity)", Source: pr.source, Min: 1, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).CapacityMbps })},
			param{Key: pre + "oversubscription", Unit: "×", Doc: pr.name + ": subscribers per simultaneous busy-hour user: a site takes capacity × this ÷ target speed subscribers", Source: srcCambium, Min: 1, Max: 1000,
				get: fp(func(s *Scenario) *float64 { return &g(s).Oversubscription })},
			param{Key: pre + "down_mbps", Unit: "Mbit/s", Doc: pr.name + ": peak download speed per subscriber", Source: srcAssume, Min: 0, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).DownMbps })},
			param{Key: pre + "up_mbps", Unit: "Mbit/s", Doc: pr.name + ": peak upload speed per subscriber", Source: srcAssume, Min: 0, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).UpMbps })},
			param{Key: pre + "latency_ms", Unit: "ms", Doc: pr.name + ": round-trip latency", Source: srcModel + " (10–20 ms)", Min: 0, Max: 1e5,
				get: fp(func(s *Scenario) *float64 { return &g(s).LatencyMs })},
			param{Key: pre + "site_eur", Unit: "€/site", Doc: pr.name + ": civil works, mast and power of a new site on a new mast", Source: pr.siteSource, Min: 0, Max: 1e9,
				get: fp(func(s *Scenario) *float64 { return &g(s).SiteEUR })},
			param{Key: pre + "tower_eur", Unit: "€/site", Doc: pr.name + ": a new site on an existing tower or high point (mounting, power, set-up)", Source: srcTower + " less the radio; " + srcAssume + " for public-wifi", Min: 0, Max: 1e9,
				get: fp(func(s *Scenario) *float64 { return &g(s).TowerEUR })},
			param{Key: pre + "tower_share", Unit: "share", Doc: pr.name + ": share of new sites that can use an existing tower", Source: srcAssume, Min: 0, Max: 1,
				get: fp(func(s *Scenario) *float64 { return &g(s).TowerShare })},
			param{Key: pre + "radio_eur", Unit: "€/site", Doc: pr.name + ": radio equipment of a new site, replaced every equipment_years", Source: srcAssume, Min: 0, Max: 1e9,
				get: fp(func(s *Scenario) *float64 { return &g(s).RadioEUR })},
			param{Key: pre + "cpe_eur", Unit: "€/subscriber", Doc: pr.name + ": subscriber's terminal and installation (a subscriber's cost; the voucher goes towards it)", Source: srcAssume + " (about the voucher's amount)", Min: 0, Max: 1e6,
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
			param{Key: pre + "max_sites_per_tile", Unit: "sites", Doc: pr.name + ": most new sites in one placement tile (squares of 4 × range_m over the area); premises left over are WIFI_CAPACITY", Source: srcAssume, Min: 1, Max: 1e6,
				get: ip(func(s *Scenario) *int { return &g(s).MaxSitesPerTile })},
			param{Key: pre + "retail_eur_month", Unit: "€/month", Doc: pr.name + ": retail subscription a subscriber pays", Source: srcTHDRadio + " (public Wi-Fi: free)", Min: 0, Max: 1e5,
				get: fp(func(s *Scenario) *float64 { return &g(s).RetailEURPerMonth })},
			param{Key: pre + "revenue_eur_month", Unit: "€/month", Doc: pr.name + ": what the network's owner earns per subscriber; 0: revenues not modelled", Source: srcAssume + " (as fibre's wholesale)", Min: 0, Max: 1e5,
				get: fp(func(s *Scenario) *float64 { return &g(s).RevenueEURPerMonth })},
		)
	}
	return t
}

func satelliteParams() []param {
	var t []param
	for _, sat := range []struct {
		name, source, capSource string
		get                     func(*Scenario) *SatParams
	}{
		{"leo", srcStarlink, srcAssume + " (1,000 subscribers at 2.5 Mbit/s in the busy hour; operators cap sales per cell: 'sold out' areas)", func(s *Scenario) *SatParams { return &s.LEO }},
		{"geo", srcGEO, srcKonnect, func(s *Scenario) *SatParams { return &s.GEO }},
	} {
		g := sat.get
		pre := sat.name + "."
		t = append(t,
			param{Key: pre + "kit_eur", Unit: "€/subscriber", Doc: sat.name + ": terminal kit (a subscriber's cost; the voucher goes towards it)", Source: sat.source, Min: 0, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).KitEUR })},
			param{Key: pre + "monthly_eur", Unit: "€/month", Doc: sat.name + ": retail subscription (a subscriber's cost)", Source: sat.source, Min: 0, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).MonthlyEUR })},
			param{Key: pre + "down_mbps", Unit: "Mbit/s", Doc: sat.name + ": busy-hour download speed per subscriber", Source: sat.source, Min: 0, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).DownMbps })},
			param{Key: pre + "up_mbps", Unit: "Mbit/s", Doc: sat.name + ": busy-hour upload speed per subscriber", Source: sat.source + (map[bool]string{true: "; 20 is what BEAD accepted for LEO (100/20 priority broadband); Ookla medians are 15–17: set 17 to plan on them", false: ""})[sat.name == "leo"], Min: 0, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).UpMbps })},
			param{Key: pre + "latency_ms", Unit: "ms", Doc: sat.name + ": round-trip latency", Source: sat.source, Min: 0, Max: 1e5,
				get: fp(func(s *Scenario) *float64 { return &g(s).LatencyMs })},
			param{Key: pre + "terminal_years", Unit: "years", Doc: sat.name + ": terminal life before replacement", Source: srcModel, Min: 1, Max: 100,
				get: ip(func(s *Scenario) *int { return &g(s).TerminalYears })},
			param{Key: pre + "obstructed_share", Unit: "share", Doc: sat.name + ": share of premises without a clear view of the sky (not served, SAT_OBSTRUCTED)", Source: srcModel + "; " + srcAssume, Min: 0, Max: 1,
				get: fp(func(s *Scenario) *float64 { return &g(s).ObstructedShare })},
			param{Key: pre + "cell_width_m", Unit: "m", Doc: sat.name + ": width of a capacity cell or beam (hexagon, flat to flat); 0 = no cells", Source: map[string]string{"leo": srcModel + " (~25 km hexagons); an analyst estimate puts a Starlink cell in a 24 km circle (Pekhterev, 2021; docs/anchors.md §3)", "geo": srcKonnect}[sat.name], Min: 0, Max: 1e7,
				get: fp(func(s *Scenario) *float64 { return &g(s).CellWidthM })},
			param{Key: pre + "cell_capacity_mbps", Unit: "Mbit/s", Doc: sat.name + ": busy-hour capacity of a cell or beam for the area's subscribers, who take their kind's busy-hour traffic from it (0 = unlimited); beyond: SAT_CAPACITY", Source: sat.capSource, Min: 0, Max: 1e9,
				get: fp(func(s *Scenario) *float64 { return &g(s).CellCapacityMbps })},
			param{Key: pre + "subsidy_eur_per_premise", Unit: "€/premise", Doc: sat.name + ": public award per premise served, paid to the operator (BEAD-style), on top of the voucher", Source: "fr: none; us: " + srcBEAD, Min: 0, Max: 1e6,
				get: fp(func(s *Scenario) *float64 { return &g(s).SubsidyEURPerPremise })},
		)
	}
	return t
}

func demandParams() []param {
	var t []param
	for k := Kind(0); k < NumKinds; k++ {
		pre := "demand." + k.String() + "."
		takeUpSource := srcAssume
		if k == KindHousehold {
			takeUpSource = srcModel + " (take-up 0.7)"
		}
		t = append(t,
			param{Key: pre + "busy_hour_mbps", Unit: "Mbit/s", Doc: k.String() + ": average traffic per subscriber in the busy hour (sizes shared wireless sites and satellite cells)", Source: srcAssume, Min: 0, Max: 1e5,
				get: fp(func(s *Scenario) *float64 { return &s.Demand[k].BusyHourMbps })},
			param{Key: pre + "take_up", Unit: "share", Doc: k.String() + ": share of units that subscribe (connections, terminals, subscriptions, revenues)", Source: takeUpSource, Min: 0, Max: 1,
				get: fp(func(s *Scenario) *float64 { return &s.Demand[k].TakeUp })},
		)
	}
	return t
}

func zoneLevelParams() []param {
	return []param{
		{Key: "zone_level.premises_per_inhabitant", Unit: "premises", Doc: "zone-level mode: premises = population × this when a zone gives no premises count", Source: srcLocaux, Min: 0.01, Max: 100,
			get: fp(func(s *Scenario) *float64 { return &s.ZoneLevel.PremisesPerInhabitant })},
		{Key: "zone_level.mst_constant", Unit: "×", Doc: "zone-level mode: c in c·√(n·A), the tree joining n premises (or settlements) spread evenly over an area A", Source: "Beardwood–Halton–Hammersley / Steele asymptotics for random points; value measured with covplan's MST on uniform points", Min: 0, Max: 10,
			get: fp(func(s *Scenario) *float64 { return &s.ZoneLevel.MSTConstant })},
		{Key: "zone_level.tree_m_per_premise", Unit: "m/premise", Doc: "zone-level mode: distribution tree per premise inside a settlement (village, hamlet); tree = min(c·√(n·A), λ·(n − m) + c·√(m·A))", Source: srcFit, Min: 0, Max: 1e4,
			get: fp(func(s *Scenario) *float64 { return &s.ZoneLevel.TreeMPerPremise })},
		{Key: "zone_level.settlement_km2", Unit: "km²/settlement", Doc: "zone-level mode: area per settlement: a zone of A km² holds m = A ÷ this settlements (at least 1, at most its premises)", Source: srcCalib, Min: 0.001, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.ZoneLevel.SettlementKm2 })},
		{Key: "zone_level.settlement_min_premises", Unit: "premises", Doc: "zone-level mode: the fewest premises a settlement holds (a hamlet): m is at most premises ÷ this", Source: srcAssume, Min: 1, Max: 1e6,
			get: fp(func(s *Scenario) *float64 { return &s.ZoneLevel.SettlementMinPremises })},
		{Key: "zone_level.served_density_ratio", Unit: "×", Doc: "zone-level mode: premise density inside active served areas ÷ density in the rest of the zone; passed share = ρ·s ÷ (ρ·s + 1 − s) for an area share s (1 = premises spread evenly; deployment areas drawn around villages hold more)", Source: srcAssume, Min: 0.01, Max: 1000,
			get: fp(func(s *Scenario) *float64 { return &s.ZoneLevel.ServedDensityRatio })},
	}
}
