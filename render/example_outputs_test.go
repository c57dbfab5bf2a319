package render_test

import (
	"os"

	"github.com/covplan/covplan/coverage"
	"github.com/covplan/covplan/render"
	"github.com/paulmach/orb"
)

// One zone evaluated at zone level: fibre is chosen, GEO fails the latency
// target, Wi-Fi was not evaluated (its columns are empty), and no revenue
// was modelled (the NPV columns are empty).
func ExampleWriteZonesCSV() {
	in := &coverage.Input{Zones: []coverage.Zone{{
		ID:   "15187",
		Name: "Saint-Flour",
		Geom: orb.Polygon{{{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}, {0, 0}}},
	}}}
	plan := &coverage.Plan{ZoneLevel: true, Zones: []coverage.ZonePlan{{
		Zone: 0, Premises: 120, Units: 130, ZoneLevel: true,
		Chosen: coverage.TechFibre, MeetsTarget: true,
		Options: [coverage.NumTechs]coverage.Option{
			coverage.TechFibre: {Tech: coverage.TechFibre, Feasible: true, Money: coverage.Money{CapexEUR: 250000, OpexEURPerYear: 7500,
				PresentCostEUR: 351927.1, NetworkCostEUR: 351927.1, PublicCostEUR: 125000}, PresentCostPerPremiseEUR: 2932.73, DownMbps: 1000, UpMbps: 500, LatencyMs: 5,
				PremisesServed: 120, UnitsServed: 130},
			coverage.TechLEO: {Tech: coverage.TechLEO, Feasible: true, Money: coverage.Money{CapexEUR: 41880, PresentCostEUR: 824650}},
			coverage.TechGEO: {Tech: coverage.TechGEO, Reasons: []coverage.Reason{coverage.SatLatency}, Money: coverage.Money{PresentCostEUR: 733000}},
		},
	}}}
	if err := render.WriteZonesCSV(os.Stdout, &render.Source{Plan: plan, Input: in}); err != nil {
		panic(err)
	}
	// Output:
	// zone_id,name,premises,units,technology,capex_eur,opex_eur_per_year,npv_eur,npv_per_premise_eur,down_mbps,up_mbps,latency_ms,meets_target,reasons,fibre_npv_eur,fibre_feasible,fibre_reasons,wifi_npv_eur,wifi_feasible,wifi_reasons,leo_npv_eur,leo_feasible,leo_reasons,geo_npv_eur,geo_feasible,geo_reasons,level,year,public_cost_eur,premises_served,units_served,population,households,area_km2,fibre_dist_mean_m,fibre_dist_max_m,passed_premises,wifi_covered_premises,fibre_capex_eur,wifi_capex_eur,leo_capex_eur,geo_capex_eur,premises_reached,subscribers,premises_unserved,fibre_route_m,fibre_new_nodes,wifi_sites,mix_fibre,mix_wifi,mix_leo,mix_geo,mix_none,premises_household,premises_business,premises_school,premises_public,premises_other,reached_household,reached_business,reached_school,reached_public,reached_other,centroid_lon,centroid_lat,present_cost_eur,present_cost_per_premise_eur,network_cost_eur,subscriber_cost_eur,revenue_eur,subsidy_eur,subscriptions_eur_per_year,revenue_eur_per_year,reinvest_eur,capex_route_eur,capex_passive_eur,capex_nodes_eur,capex_connection_eur,capex_olt_ports_eur,capex_sites_eur,capex_radios_eur,capex_backhaul_eur,capex_terminals_eur,fibre_present_cost_eur,fibre_public_cost_eur,wifi_present_cost_eur,wifi_public_cost_eur,leo_present_cost_eur,leo_public_cost_eur,geo_present_cost_eur,geo_public_cost_eur,premises_from
	// 15187,Saint-Flour,120,130,fibre,250000.00,7500.00,,,1000.0,500.0,5.0,true,,,true,,,,,,true,,,false,SAT_LATENCY,zone,,125000.00,120,130,,,1.000000,,,0,,250000.00,,41880.00,0.00,,0.0,0,0.000,0.000,,,,,,,,,,,,,,,,,,,351927.10,2932.73,351927.10,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,351927.10,125000.00,,,824650.00,0.00,733000.00,0.00,
}
