package render

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/covplan/covplan/coverage"
)

// ReportOptions tunes WriteReport. The zero value is a complete English
// report with the default size caps.
type ReportOptions struct {
	// Lang is the language the page opens in: "fr" or "en" ("" = "en").
	// Both languages are always in the page, with a toggle.
	Lang string
	// RequireAssets makes WriteReport fail with ErrNoEcharts when this
	// build has no embedded echarts, instead of writing a report whose
	// charts are replaced by a banner.
	RequireAssets bool
	// MaxMapPremises caps the premises drawn on the map (a deterministic
	// sample, thinned where premises are dense): 0 means
	// DefaultMaxMapPremises, a negative value none.
	MaxMapPremises int
	// MaxMapVertices caps the vertices of the zone outlines on the map,
	// which are simplified to fit: 0 means DefaultMaxMapVertices. The
	// existing network's lines and served areas get a budget of their own
	// of a fifth of it each.
	MaxMapVertices int
	// MaxTableZones caps the zones of the zone table and of the "why this
	// technology" panel: 0 means DefaultMaxTableZones, a negative value no
	// cap.
	MaxTableZones int
	// DataFiles are the files written beside the report (names relative to
	// it, e.g. "zones.csv", "zones.geojson", "summary.json"), which the
	// page links to.
	DataFiles []string
}

// Default size caps of the report. With them a national plan (35,000
// communes) gives a page of well under 15 MB (docs/report.md).
const (
	DefaultMaxMapPremises = 20000
	DefaultMaxMapVertices = 250000
	DefaultMaxTableZones  = 50000
)

// WriteReport writes report.html: one self-contained page (echarts inlined,
// no network access: a Content-Security-Policy forbids any request) with a
// warnings panel, the key figures, the technology mix, cost curve, cost
// distribution and rollout, a map of the zones with the existing network
// and the planned sites, a sortable and filterable table of every zone (up
// to opt.MaxTableZones) whose rows open a panel explaining the choice, the
// method, the sources and every scenario parameter, in French and English,
// with a print layout that starts with a cover.
//
// Every figure is read from the plan's totals (render never sums zones).
// The output depends only on src and opt: the same inputs give the same
// bytes (no clock, no random ids, sorted data, fixed number formatting and
// compression). Without embedded echarts the page still has every table
// and a banner saying that charts need `make assets`, unless
// opt.RequireAssets.
func WriteReport(w io.Writer, src *Source, opt ReportOptions) error {
	l, err := parseLang(opt.Lang)
	if err != nil {
		return err
	}
	if err := checkSource(src); err != nil {
		return err
	}
	if !HasEcharts() && opt.RequireAssets {
		return ErrNoEcharts
	}
	opt = withDefaults(opt)
	d, err := prepare(src, l, opt)
	if err != nil {
		return err
	}
	page, err := buildPage(d)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := pageTemplate.Execute(bw, page); err != nil {
		return fmt.Errorf("render: report: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("render: report: %w", err)
	}
	return nil
}

// checkSource rejects a source the report cannot show truthfully.
func checkSource(src *Source) error {
	if src == nil || src.Plan == nil {
		return errors.New("render: report: no plan")
	}
	if src.Input == nil {
		return errors.New("render: report: no input")
	}
	in, p := src.Input, src.Plan
	if src.ZonesLL != nil && len(src.ZonesLL) != len(in.Zones) {
		return fmt.Errorf("render: report: %d zone outlines for %d zones", len(src.ZonesLL), len(in.Zones))
	}
	if n := len(p.PremiseTech); n != 0 && n != len(in.Premises) { // a hand-built plan's
		return fmt.Errorf("render: report: %d premise technologies for %d premises", n, len(in.Premises))
	}
	if n := len(src.Measures); n != 0 && n != len(in.Premises) {
		return fmt.Errorf("render: report: %d premise measures for %d premises", n, len(in.Premises))
	}
	for i := range p.Zones {
		zp := &p.Zones[i]
		if zp.Zone < 0 || zp.Zone >= len(in.Zones) {
			return fmt.Errorf("render: report: zone plan %d refers to zone %d of %d", i, zp.Zone, len(in.Zones))
		}
		if zp.Chosen >= coverage.NumTechs {
			return fmt.Errorf("render: report: zone plan %d (zone %q) has technology %v", i, in.Zones[zp.Zone].ID, zp.Chosen)
		}
	}
	return nil
}

func withDefaults(opt ReportOptions) ReportOptions {
	if opt.MaxMapPremises == 0 {
		opt.MaxMapPremises = DefaultMaxMapPremises
	}
	if opt.MaxMapVertices <= 0 {
		opt.MaxMapVertices = DefaultMaxMapVertices
	}
	if opt.MaxTableZones == 0 {
		opt.MaxTableZones = DefaultMaxTableZones
	}
	return opt
}
