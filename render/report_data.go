package render

import (
	"github.com/covplan/covplan/coverage"
)

// reportData is everything the page shows, computed once from the source:
// the plan's totals are read as they are; the chart data, map layers and
// zone data are formatted from the plan's zones.
type reportData struct {
	lang lang
	opt  ReportOptions
	src  *Source
	plan *coverage.Plan

	zoneLevel bool // figures from zone counts, no premise points
	phased    bool // the plan has rollout years

	hist    histogram
	rollout []rolloutYear
	sample  premiseSample
	zmap    *zoneMap  // nil without outlines
	layers  mapLayers // network, planned sites, places
	zones   zoneTable // the zone table and "why" panel data
}

// prepare computes the chart data, map layers and zone data of src.
func prepare(src *Source, l lang, opt ReportOptions) (*reportData, error) {
	p := src.Plan
	d := &reportData{lang: l, opt: opt, src: src, plan: p,
		zoneLevel: zoneLevel(src), phased: p.Rollout != nil}
	d.hist = costHistogram(p)
	d.rollout = rolloutYears(p)
	if src.ZonesLL != nil {
		zm := buildZoneMap(src.ZonesLL, opt.MaxMapVertices)
		if zm.Zones > 0 {
			d.zmap = &zm
		}
	}
	if !d.zoneLevel && d.zmap != nil {
		d.sample = samplePremises(src, d.zmap.Bound, opt.MaxMapPremises)
	}
	if d.zmap != nil {
		d.layers = buildLayers(src, d.zmap, &d.sample, opt.MaxMapVertices)
	}
	d.zones = buildZoneTable(src, opt.MaxTableZones)
	return d, nil
}

// zoneLevel tells whether src's figures come from zone counts (no premise
// points).
func zoneLevel(src *Source) bool { return src.Plan.ZoneLevel || len(src.Input.Premises) == 0 }
