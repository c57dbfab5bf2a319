package render

import (
	"fmt"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// zoneRow is one zone with everything its zones.csv row and zones.geojson
// feature say, gathered once so that the two files cannot disagree.
type zoneRow struct {
	zone   *coverage.Zone
	plan   *coverage.ZonePlan
	chosen coverage.Option
	level  string
	stats  coverage.ZoneStats
	// measured is true when the source has premise measures (premise level).
	measured bool
	// kinds and mix are true when the plan counts premises by kind
	// (ZonePlan.ByKind, Reached) and by serving technology (ZonePlan.Mix).
	kinds, mix bool
	areaM2     float64
	scenario   *coverage.Scenario
	// centroidLL is the zone's area centroid in lon/lat; hasCentroid is
	// false when the zone has no geometry or no way to lon/lat.
	centroidLL  orb.Point
	hasCentroid bool
}

// valueEncoder receives the values of one zone, column by column. The CSV
// and GeoJSON writers implement it.
type valueEncoder interface {
	str(s string)
	integer(v int64)
	// optInt writes v, or an empty field / null when ok is false.
	optInt(v int64, ok bool)
	// fixed writes v with prec decimals; empty / null for NaN, ±Inf or when
	// ok is false.
	fixed(v float64, prec int, ok bool)
	// boolean writes v, or empty / null when ok is false.
	boolean(v, ok bool)
	reasons(rs []coverage.Reason)
}

// zoneColumn is one column of zones.csv and one property of zones.geojson.
type zoneColumn struct {
	name string
	put  func(e valueEncoder, r *zoneRow)
}

// evaluated reports whether a zone plan carries an evaluation of tech t: the
// model sets Option.Tech on every option it evaluates; an Option still at
// its zero value (no Tech, not feasible, no reasons, no cost) was not
// evaluated and its fields are written empty.
func evaluated(zp *coverage.ZonePlan, t coverage.Tech) bool {
	o := &zp.Options[t]
	return o.Tech == t || o.Feasible || len(o.Reasons) > 0 || o.PresentCostEUR != 0 || o.CapexEUR != 0
}

// zoneColumns is the column contract of zones.csv and zones.geojson, in
// order. Documented on WriteZonesCSV and in docs/outputs.md: keep the three
// in step. Columns are only ever added at the end.
var zoneColumns = buildZoneColumns()

func buildZoneColumns() []zoneColumn {
	hasChoice := func(r *zoneRow) bool { return r.plan.Chosen != coverage.TechNone }
	cols := []zoneColumn{
		{"zone_id", func(e valueEncoder, r *zoneRow) { e.str(r.zone.ID) }},
		{"name", func(e valueEncoder, r *zoneRow) { e.str(r.zone.Name) }},
		{"premises", func(e valueEncoder, r *zoneRow) { e.integer(int64(r.plan.Premises)) }},
		{"units", func(e valueEncoder, r *zoneRow) { e.integer(int64(r.plan.Units)) }},
		{"technology", func(e valueEncoder, r *zoneRow) { e.str(r.plan.Chosen.String()) }},
		{"capex_eur", func(e valueEncoder, r *zoneRow) { e.fixed(r.chosen.CapexEUR, precMoney, hasChoice(r)) }},
		{"opex_eur_per_year", func(e valueEncoder, r *zoneRow) { e.fixed(r.chosen.OpexEURPerYear, precMoney, hasChoice(r)) }},
		{"npv_eur", func(e valueEncoder, r *zoneRow) { e.fixed(r.chosen.NPVEUR, precMoney, hasChoice(r) && r.chosen.HasNPV) }},
		{"npv_per_premise_eur", func(e valueEncoder, r *zoneRow) {
			e.fixed(r.chosen.NPVEUR/float64(r.chosen.PremisesServed), precMoney, hasChoice(r) && r.chosen.HasNPV && r.chosen.PremisesServed > 0)
		}},
		{"down_mbps", func(e valueEncoder, r *zoneRow) { e.fixed(r.chosen.DownMbps, precSpeed, hasChoice(r)) }},
		{"up_mbps", func(e valueEncoder, r *zoneRow) { e.fixed(r.chosen.UpMbps, precSpeed, hasChoice(r)) }},
		{"latency_ms", func(e valueEncoder, r *zoneRow) { e.fixed(r.chosen.LatencyMs, precSpeed, hasChoice(r)) }},
		{"meets_target", func(e valueEncoder, r *zoneRow) { e.boolean(r.plan.MeetsTarget, true) }},
		{"reasons", func(e valueEncoder, r *zoneRow) { e.reasons(r.plan.Reasons) }},
	}
	for _, t := range coverage.Techs {
		cols = append(cols,
			zoneColumn{t.String() + "_npv_eur", func(e valueEncoder, r *zoneRow) {
				e.fixed(r.plan.Options[t].NPVEUR, precMoney, evaluated(r.plan, t) && r.plan.Options[t].HasNPV)
			}},
			zoneColumn{t.String() + "_feasible", func(e valueEncoder, r *zoneRow) {
				e.boolean(r.plan.Options[t].Feasible, evaluated(r.plan, t))
			}},
			zoneColumn{t.String() + "_reasons", func(e valueEncoder, r *zoneRow) {
				e.reasons(r.plan.Options[t].Reasons)
			}},
		)
	}
	cols = append(cols,
		zoneColumn{"level", func(e valueEncoder, r *zoneRow) { e.str(r.level) }},
		zoneColumn{"year", func(e valueEncoder, r *zoneRow) { e.optInt(int64(r.plan.Year), r.plan.Year > 0) }},
		zoneColumn{"public_cost_eur", func(e valueEncoder, r *zoneRow) {
			e.fixed(r.chosen.PublicCostEUR, precMoney, hasChoice(r))
		}},
		zoneColumn{"premises_served", func(e valueEncoder, r *zoneRow) {
			e.optInt(int64(r.chosen.PremisesServed), hasChoice(r))
		}},
		zoneColumn{"units_served", func(e valueEncoder, r *zoneRow) {
			e.optInt(int64(r.chosen.UnitsServed), hasChoice(r))
		}},
		zoneColumn{"population", func(e valueEncoder, r *zoneRow) {
			e.optInt(int64(r.zone.Population), r.zone.Population > 0)
		}},
		zoneColumn{"households", func(e valueEncoder, r *zoneRow) {
			e.optInt(int64(r.zone.Households), r.zone.Households > 0)
		}},
		zoneColumn{"area_km2", func(e valueEncoder, r *zoneRow) { e.fixed(r.areaM2/1e6, precArea, r.zone.Geom != nil) }},
		zoneColumn{"fibre_dist_mean_m", func(e valueEncoder, r *zoneRow) {
			e.fixed(r.stats.FibreDistMeanM, precDistM, r.stats.FibreDistN > 0)
		}},
		zoneColumn{"fibre_dist_max_m", func(e valueEncoder, r *zoneRow) {
			e.fixed(r.stats.FibreDistMaxM, precDistM, r.stats.FibreDistN > 0)
		}},
		zoneColumn{"passed_premises", func(e valueEncoder, r *zoneRow) {
			if r.measured {
				e.optInt(int64(r.stats.PassedPremises), true)
				return
			}
			// Zone level: the households inside active served areas, as
			// the fibre model counted them.
			e.optInt(int64(r.plan.Options[coverage.TechFibre].PassedPremises), evaluated(r.plan, coverage.TechFibre))
		}},
		zoneColumn{"wifi_covered_premises", func(e valueEncoder, r *zoneRow) {
			e.optInt(int64(r.stats.WifiPremises), r.measured)
		}},
	)
	for _, t := range coverage.Techs {
		cols = append(cols, zoneColumn{t.String() + "_capex_eur", func(e valueEncoder, r *zoneRow) {
			e.fixed(r.plan.Options[t].CapexEUR, precMoney, evaluated(r.plan, t))
		}})
	}
	cols = append(cols,
		zoneColumn{"premises_reached", func(e valueEncoder, r *zoneRow) {
			e.optInt(int64(countSum(r.plan.Reached[:])), r.kinds)
		}},
		zoneColumn{"subscribers", func(e valueEncoder, r *zoneRow) {
			e.fixed(r.chosen.Subscribers, precSpeed, hasChoice(r))
		}},
		zoneColumn{"premises_unserved", func(e valueEncoder, r *zoneRow) {
			e.optInt(int64(r.chosen.PremisesUnserved), hasChoice(r))
		}},
		zoneColumn{"fibre_route_m", func(e valueEncoder, r *zoneRow) {
			e.fixed(r.plan.Options[coverage.TechFibre].RouteM, precDistM, evaluated(r.plan, coverage.TechFibre))
		}},
		zoneColumn{"fibre_new_nodes", func(e valueEncoder, r *zoneRow) {
			e.fixed(r.plan.Options[coverage.TechFibre].NewNodes, precShare3, evaluated(r.plan, coverage.TechFibre))
		}},
		zoneColumn{"wifi_sites", func(e valueEncoder, r *zoneRow) {
			e.fixed(r.plan.Options[coverage.TechWifi].Sites, precShare3, evaluated(r.plan, coverage.TechWifi))
		}},
	)
	for _, t := range append(coverage.Techs[:], coverage.TechNone) {
		cols = append(cols, zoneColumn{"mix_" + t.String(), func(e valueEncoder, r *zoneRow) {
			e.optInt(int64(r.plan.Mix[t]), r.mix)
		}})
	}
	for k := range coverage.NumKinds {
		cols = append(cols, zoneColumn{"premises_" + k.String(), func(e valueEncoder, r *zoneRow) {
			e.optInt(int64(r.plan.ByKind[k]), r.kinds)
		}})
	}
	for k := range coverage.NumKinds {
		cols = append(cols, zoneColumn{"reached_" + k.String(), func(e valueEncoder, r *zoneRow) {
			e.optInt(int64(r.plan.Reached[k]), r.kinds)
		}})
	}
	cols = append(cols,
		zoneColumn{"centroid_lon", func(e valueEncoder, r *zoneRow) { e.fixed(r.centroidLL[0], precLonLat, r.hasCentroid) }},
		zoneColumn{"centroid_lat", func(e valueEncoder, r *zoneRow) { e.fixed(r.centroidLL[1], precLonLat, r.hasCentroid) }},
	)
	return append(cols, moneyColumns(hasChoice)...)
}

// ZoneColumns returns the column names of zones.csv, in order; they are also
// the property names of every zones.geojson feature.
func ZoneColumns() []string {
	names := make([]string, len(zoneColumns))
	for i, c := range zoneColumns {
		names[i] = c.name
	}
	return names
}

// zoneRows checks that the plan is aligned with the input and returns the
// zones in plan order (which is input order), with their premise measures
// summed.
func zoneRows(src *Source, what string) ([]zoneRow, error) {
	if src == nil || src.Plan == nil || src.Input == nil {
		return nil, fmt.Errorf("%w (%s)", errNoPlan, what)
	}
	zones, plans := src.Input.Zones, src.Plan.Zones
	if len(plans) != len(zones) {
		return nil, fmt.Errorf("render: %s: plan has %d zones, input has %d", what, len(plans), len(zones))
	}
	aggs, err := aggregateMeasures(src, what)
	if err != nil {
		return nil, err
	}
	kinds, mix := planCounts(src.Plan)
	rows := make([]zoneRow, len(plans))
	for i := range plans {
		zp := &plans[i]
		if zp.Zone < 0 || zp.Zone >= len(zones) {
			return nil, fmt.Errorf("render: %s: plan zone %d refers to input zone %d of %d", what, i, zp.Zone, len(zones))
		}
		if zp.Chosen >= coverage.NumTechs {
			return nil, fmt.Errorf("render: %s: zone %q: unknown technology %d", what, zones[zp.Zone].ID, zp.Chosen)
		}
		level := levelPremise
		if zp.ZoneLevel || src.Plan.ZoneLevel {
			level = levelZone
		}
		z := &zones[zp.Zone]
		rows[i] = zoneRow{zone: z, plan: zp, chosen: zp.ChosenOption(), level: level, kinds: kinds, mix: mix, scenario: &src.Plan.Scenario}
		rows[i].centroidLL, rows[i].areaM2, rows[i].hasCentroid = zoneCentroid(src, zp.Zone)
		if aggs != nil {
			rows[i].stats = aggs[zp.Zone]
			rows[i].measured = true
		}
	}
	return rows, nil
}

// planCounts reports whether the plan counts premises by kind and by
// serving technology: a plan built by coverage.Evaluate does; a plan that
// does not leaves those columns empty rather than claiming zeros.
func planCounts(p *coverage.Plan) (kinds, mix bool) {
	kinds = p.Premises > 0
	for i := range p.Zones {
		zp := &p.Zones[i]
		kinds = kinds || countSum(zp.ByKind[:]) > 0
		mix = mix || countSum(zp.Mix[:]) > 0
	}
	return kinds, mix
}

func countSum(v []int) int {
	n := 0
	for _, x := range v {
		n += x
	}
	return n
}

// aggregateMeasures sums the premise measures per input zone
// (coverage.Aggregate); nil when the source has no measures (zone-level
// mode).
func aggregateMeasures(src *Source, what string) ([]coverage.ZoneStats, error) {
	if len(src.Measures) == 0 {
		return nil, nil
	}
	if len(src.Measures) != len(src.Input.Premises) {
		return nil, fmt.Errorf("render: %s: %d measures for %d premises", what, len(src.Measures), len(src.Input.Premises))
	}
	return coverage.Aggregate(src.Input, src.Measures), nil
}

// zoneCentroid returns zone i's area centroid in lon/lat and its area in
// m² of the metric frame. The centroid is computed in the metric frame and
// mapped through src.Unproject; without Unproject it is the planar centroid
// of src.ZonesLL[i] (close enough for a label point). ok is false without
// geometry or without any lon/lat. The centroid of a concave zone may lie
// outside it.
func zoneCentroid(src *Source, i int) (ll orb.Point, areaM2 float64, ok bool) {
	g := src.Input.Zones[i].Geom
	if g == nil {
		return ll, 0, false
	}
	c, areaM2 := planar.CentroidArea(g)
	switch {
	case areaM2 <= 0:
		return ll, areaM2, false
	case src.Unproject != nil:
		ll = src.Unproject(c)
	case len(src.ZonesLL) > i && src.ZonesLL[i] != nil:
		ll, _ = planar.CentroidArea(src.ZonesLL[i])
	default:
		return ll, areaM2, false
	}
	return ll, areaM2, finite(ll[0]) && finite(ll[1])
}

// zoneGeometryLL returns zone i's geometry in lon/lat: src.ZonesLL[i] when
// given, else the metric geometry mapped through src.Unproject, else nil.
func zoneGeometryLL(src *Source, i int) orb.Geometry {
	if len(src.ZonesLL) > 0 {
		return src.ZonesLL[i]
	}
	if src.Unproject == nil {
		return nil
	}
	switch g := src.Input.Zones[i].Geom.(type) {
	case orb.Polygon:
		return unprojectPolygon(g, src.Unproject)
	case orb.MultiPolygon:
		mp := make(orb.MultiPolygon, len(g))
		for j, p := range g {
			mp[j] = unprojectPolygon(p, src.Unproject)
		}
		return mp
	}
	return nil
}

func unprojectPolygon(p orb.Polygon, f func(orb.Point) orb.Point) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		rr := make(orb.Ring, len(r))
		for j, pt := range r {
			rr[j] = f(pt)
		}
		out[i] = rr
	}
	return out
}

// moneyColumns are the chosen option's money on one basis (coverage.Money),
// its CAPEX by item, and every option's public cost, added in covplan 0.2.
func moneyColumns(hasChoice func(*zoneRow) bool) []zoneColumn {
	money := func(name string, v func(*coverage.Option) float64) zoneColumn {
		return zoneColumn{name, func(e valueEncoder, r *zoneRow) { e.fixed(v(&r.chosen), precMoney, hasChoice(r)) }}
	}
	cols := []zoneColumn{
		money("present_cost_eur", func(o *coverage.Option) float64 { return o.PresentCostEUR }),
		{"present_cost_per_premise_eur", func(e valueEncoder, r *zoneRow) {
			e.fixed(r.chosen.PresentCostPerPremiseEUR, precMoney, hasChoice(r) && r.chosen.PremisesServed > 0)
		}},
		money("network_cost_eur", func(o *coverage.Option) float64 { return o.NetworkCostEUR }),
		money("subscriber_cost_eur", func(o *coverage.Option) float64 { return o.SubscriberCostEUR }),
		money("revenue_eur", func(o *coverage.Option) float64 { return o.RevenueEUR }),
		money("subsidy_eur", func(o *coverage.Option) float64 { return o.SubsidyEUR }),
		money("subscriptions_eur_per_year", func(o *coverage.Option) float64 { return o.SubscriptionsEURPerYear }),
		money("revenue_eur_per_year", func(o *coverage.Option) float64 { return o.RevenueEURPerYear }),
		money("reinvest_eur", func(o *coverage.Option) float64 { return o.ReinvestEUR }),
	}
	for c := range coverage.NumCostItems {
		cols = append(cols, money("capex_"+c.String()+"_eur", func(o *coverage.Option) float64 { return o.CapexByItem[c] }))
	}
	for _, t := range coverage.Techs {
		cols = append(cols,
			zoneColumn{t.String() + "_present_cost_eur", func(e valueEncoder, r *zoneRow) {
				e.fixed(r.plan.Options[t].PresentCostEUR, precMoney, evaluated(r.plan, t))
			}},
			zoneColumn{t.String() + "_public_cost_eur", func(e valueEncoder, r *zoneRow) {
				e.fixed(r.plan.Options[t].PublicCostEUR, precMoney, evaluated(r.plan, t))
			}})
	}
	return append(cols, zoneColumn{"premises_from", func(e valueEncoder, r *zoneRow) {
		if r.level == levelPremise {
			e.str("points")
			return
		}
		_, from := coverage.ZonePremises(r.zone, &r.scenario.ZoneLevel)
		e.str(from)
	}})
}
