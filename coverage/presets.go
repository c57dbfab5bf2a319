package coverage

import (
	"fmt"
	"slices"
	"strings"
)

// Cost presets set every cost, price and service figure of the
// technologies (and the money keys that go with them) to one country's
// published figures; docs/model.md gives each figure's source. "fr" is the
// default: French public-initiative networks reuse the incumbent's ducts
// and poles, French mast, terminal and subscription prices. "us" is US new
// build (Fiber Broadband Association medians), US prices and BEAD's
// per-location LEO awards, in euros at 0.925 € per US dollar (2023 average).
var costPresets = map[string]func(*Scenario){
	"fr": costsFR,
	"us": costsUS,
}

// CostPresetNames lists the cost presets in sorted order.
func CostPresetNames() []string {
	names := make([]string, 0, len(costPresets))
	for n := range costPresets {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// applyCosts sets the cost preset called name.
func (s *Scenario) applyCosts(name string) error {
	name = strings.ToLower(strings.TrimSpace(name))
	set, ok := costPresets[name]
	if !ok {
		return fmt.Errorf("unknown cost preset %q (want %s)", name, strings.Join(CostPresetNames(), " or "))
	}
	set(s)
	s.Costs = name
	return nil
}

func costsFR(s *Scenario) {
	s.DiscountRate = 0.04
	s.VoucherEUR = 300
	s.NetworkPublicShare = 1
	s.Fibre = FibreParams{
		RouteFactor: 1.2, DuctShare: 0.53, AerialShare: 0.31,
		DuctEURPerM: 10, AerialEURPerM: 20, UndergroundEURPerM: 70,
		PassiveEUR: 150, ConnectionEUR: 600, ONTEUR: 100, OLTPortEUR: 1000, Split: 32, ReachM: 20000,
		OpexShare: 0.03, ElectronicsYears: 10, DownMbps: 1000, UpMbps: 500, LatencyMs: 5,
		RetailEURPerMonth: 35, RevenueEURPerMonth: 13,
		AllowNewNodes: true, NewNodeEUR: 200000, NodeMaxUnits: 20000, LinkMaxM: 50000, TransitEUR: 50000,
	}
	s.Wifi = WifiParams{
		Profile: "fwa",
		PublicWifi: WifiProfile{
			RangeM: 200, CapacityMbps: 400, Oversubscription: 8, DownMbps: 50, UpMbps: 10, LatencyMs: 15,
			SiteEUR: 2000, TowerEUR: 1000, TowerShare: 0.5, RadioEUR: 1000, CPEEUR: 0, SiteOpexEUR: 500, EquipmentYears: 7,
			FibreBackhaulMaxM: 500, MicrowaveEUR: 3000, MicrowaveMaxM: 10000, MaxSitesPerTile: 2000,
		},
		FWA: WifiProfile{
			RangeM: 8000, CapacityMbps: 637.5, Oversubscription: 8, DownMbps: 100, UpMbps: 20, LatencyMs: 20,
			SiteEUR: 150000, TowerEUR: 67000, TowerShare: 0.5, RadioEUR: 20000, CPEEUR: 300, SiteOpexEUR: 6000, EquipmentYears: 7,
			FibreBackhaulMaxM: 2000, MicrowaveEUR: 15000, MicrowaveMaxM: 30000, MaxSitesPerTile: 1000,
			RetailEURPerMonth: 40, RevenueEURPerMonth: 13,
		},
	}
	s.LEO = SatParams{KitEUR: 349, MonthlyEUR: 40, DownMbps: 100, UpMbps: 20, LatencyMs: 40,
		TerminalYears: 6, ObstructedShare: 0.05, CellWidthM: 25000, CellCapacityMbps: 2500}
	s.GEO = SatParams{KitEUR: 299, MonthlyEUR: 40, DownMbps: 50, UpMbps: 5, LatencyMs: 600,
		TerminalYears: 6, ObstructedShare: 0.05, CellWidthM: 250000, CellCapacityMbps: 1150}
}

// usd converts US dollars to euros at the preset's rate.
func usd(v float64) float64 { return v * 0.925 }

func costsUS(s *Scenario) {
	costsFR(s) // the service figures and the structure; costs follow
	s.DiscountRate = 0.07
	s.VoucherEUR = 0
	const perFt = 1 / 0.3048
	s.Fibre.DuctShare, s.Fibre.AerialShare = 0, 0.4
	s.Fibre.DuctEURPerM = 0
	s.Fibre.AerialEURPerM = usd(6.49 * perFt)
	s.Fibre.UndergroundEURPerM = usd(16.25 * perFt)
	s.Fibre.RetailEURPerMonth, s.Fibre.RevenueEURPerMonth = usd(70), usd(25)
	s.Wifi.FWA.SiteEUR, s.Wifi.FWA.TowerEUR = usd(200000), usd(60000)
	s.Wifi.FWA.RetailEURPerMonth, s.Wifi.FWA.RevenueEURPerMonth = usd(60), usd(20)
	s.LEO.KitEUR, s.LEO.MonthlyEUR, s.LEO.SubsidyEURPerPremise = usd(349), usd(120), usd(1000)
	s.GEO.KitEUR, s.GEO.MonthlyEUR = usd(300), usd(75)
}
