package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strings"
	"sync"

	"github.com/covplan/covplan/coverage"
	"github.com/covplan/covplan/render"
	"github.com/urfave/cli/v2"
)

func planCommand() *cli.Command {
	flags := append(inputFlags(),
		onceFlag(&cli.GenericFlag{Name: "out", Usage: "output `DIR` (created if missing); see docs/cli.md for how it is written"}),
		&cli.BoolFlag{Name: "no-report", Usage: "write the data outputs only, not report.html"},
		&cli.BoolFlag{Name: "excel", Usage: "also write zones-excel.csv for spreadsheets in a French locale (BOM, ';', decimal commas)"},
		&cli.StringFlag{Name: "title", Usage: "area name shown in the report"},
		&cli.StringFlag{Name: "lang", Value: "fr", Usage: "report language shown first: fr or en (the page switches between both)"},
		&cli.StringFlag{Name: "crs", Usage: "force the CRS of every input: EPSG:4326 or EPSG:2154 (default: detect)"},
	)
	flags = append(flags, reportMetaFlags()...)
	flags = append(flags, checkFlags()...)
	flags = append(flags, runFlags()...)
	flags = append(flags,
		&cli.StringFlag{Name: "cpuprofile", Usage: "write a Go CPU profile to `FILE` (for performance work)", Hidden: true},
		&cli.StringFlag{Name: "memprofile", Usage: "write a Go allocation profile to `FILE` at the end (for performance work)", Hidden: true},
	)
	return &cli.Command{
		Name:  "plan",
		Usage: "plan coverage zone by zone and write zones.csv, zones.geojson, zones.gpkg, premises.csv, summary.json and report.html",
		Description: "Examples:\n" +
			"  covplan plan --zones communes.geojson --zone-table population.csv --fibre nro.geojson --out out/\n" +
			"  covplan plan --premises adresses.csv --grid-m 250 --fibre nodes.csv --aps wifi.csv --out out/\n" +
			"  covplan plan ... --target us-bead --policy budget --budget-eur 2e6 --set leo.kit_eur=0",
		Flags: append(flags, scenarioFlags()...),
		Action: func(c *cli.Context) error {
			opt, err := planOptionsFromCLI(c)
			if err != nil {
				return err
			}
			_, err = runPlan(c.Context, opt, c.App.Writer, c.App.ErrWriter)
			return err
		},
	}
}

// planOptionsFromCLI turns the plan command's flags into PlanOptions; the
// scenario file, if any, is read here, so that a bad scenario is reported
// before any input is read.
func planOptionsFromCLI(c *cli.Context) (PlanOptions, error) {
	opt, err := readAreaOptions(c, "inputs are given with --zones, --premises, --fibre, --aps")
	if err != nil {
		return opt, err
	}
	opt.Report.Excel = c.Bool("excel")
	opt.CPUProfile, opt.MemProfile = c.String("cpuprofile"), c.String("memprofile")
	if err := reportMetaFromCLI(c, &opt.Report); err != nil {
		return opt, err
	}
	if err := opt.validate(); err != nil {
		return opt, err
	}
	opt.Scenario, opt.AutoCosts, err = scenariosFromFlags(c, opt.Run.Workers)
	return opt, err
}

// planResult is what a plan run produced.
type planResult struct {
	Source  *render.Source // the plan and everything the outputs were written from
	Written []string       // paths of the files written, in writing order
}

// runPlan runs the whole pipeline for one area under one scenario: load,
// index, measure, evaluate and decide, write the outputs into opt.Out. It
// prints progress, warnings and timings on stderr and, unless quiet, a
// short summary on stdout. It stops early with ctx's error when ctx is
// cancelled.
func runPlan(ctx context.Context, opt PlanOptions, stdout, stderr io.Writer) (*planResult, error) {
	if err := opt.validate(); err != nil {
		return nil, err
	}
	if opt.CPUProfile != "" {
		stop, err := startCPUProfile(opt.CPUProfile)
		if err != nil {
			return nil, err
		}
		defer stop()
	}
	s := newSession(ctx, opt.Run, stdout, stderr)
	s.meta = render.Meta{Title: opt.Report.Title, Version: version,
		Sources: opt.Report.Sources, Date: opt.Report.Date, StartYear: opt.Report.StartYear}
	// --out is created, checked and locked before any input is read.
	set, err := openOutputSet(opt.Out, "plan", s.con.warn)
	if err != nil {
		return nil, err
	}
	defer set.close()
	set.stamp = opt.stamp
	m, err := s.prepare(opt.Inputs)
	if err != nil {
		s.pg.wait()
		return nil, err
	}
	opt.Scenario = s.costsFor(opt.Scenario, opt.AutoCosts, "")
	done := s.pg.stage("evaluating")
	ev, err := evaluate(m, opt.Scenario)
	done()
	if err != nil {
		s.pg.wait()
		return nil, err
	}
	done = s.pg.stage("deciding")
	plan, err := coverage.Decide(ev, opt.Scenario)
	done()
	if err != nil {
		s.pg.wait()
		return nil, err
	}
	stageGC(s.inputBytes)
	src := m.source(plan, s.meta)
	outs := planOutputs(src, opt.Report)
	if opt.extra != nil {
		outs = append(outs, opt.extra(src)...)
	}
	written, err := writeOutputs(s, set, outs)
	s.pg.wait()
	if err != nil {
		return nil, err
	}
	s.pg.total()
	s.con.summary("plan written", func(w io.Writer) { printPlanSummary(w, src, written) }, planSummaryAttrs(src, opt.Out, written)...)
	if opt.MemProfile != "" {
		if err := writeMemProfile(opt.MemProfile); err != nil {
			return nil, err
		}
	}
	return &planResult{Source: src, Written: written}, nil
}

// evaluate prices every option of every zone on the measured inputs under
// scs[0] (coverage.Decide then chooses), with what deciding under any of
// scs needs (coverage.EvaluateOptionsFor). It is the one call into
// coverage's evaluation; scenarios that differ only in decision keys
// (coverage.Scenario.SameEvaluation) share its result.
func evaluate(m *measured, scs ...coverage.Scenario) (*coverage.Evaluation, error) {
	return coverage.Evaluate(m.ds.Input, m.ix, m.measures, scs[0], coverage.EvaluateOptionsFor(scs...))
}

// output is one file of a run's output set: its name in the output
// directory and the function that writes it.
type output struct {
	name string
	fn   func(io.Writer) error
}

// planOutputs lists the files a plan writes, in writing order.
func planOutputs(src *render.Source, ro ReportOptions) []output {
	outs := []output{
		{"zones.csv", func(w io.Writer) error { return render.WriteZonesCSV(w, src) }},
		{"zones.geojson", func(w io.Writer) error { return render.WriteZonesGeoJSON(w, src) }},
		{"zones.gpkg", func(w io.Writer) error { return writeZonesGeoPackage(w, src) }},
	}
	if ro.Excel {
		outs = append(outs, output{"zones-excel.csv", func(w io.Writer) error { return render.WriteZonesCSVExcel(w, src) }})
	}
	if len(src.Input.Premises) > 0 {
		outs = append(outs, output{"premises.csv", func(w io.Writer) error { return render.WritePremisesCSV(w, src) }})
	}
	outs = append(outs, output{"summary.json", func(w io.Writer) error { return render.WriteSummaryJSON(w, src) }})
	if !ro.NoReport {
		var dataFiles []string // what the page links to: the files beside it
		for _, o := range outs {
			dataFiles = append(dataFiles, o.name)
		}
		outs = append(outs, output{"report.html", func(w io.Writer) error {
			return render.WriteReport(w, src, render.ReportOptions{Lang: ro.Lang, DataFiles: dataFiles})
		}})
	}
	return outs
}

// writeOutputs writes outs into the output set and commits it, then says
// which files of an earlier run it removed. It returns the paths written.
func writeOutputs(s *session, set *outputSet, outs []output) ([]string, error) {
	// Two at a time: the big premises.csv (itself formatted in parallel)
	// overlaps the small serial writers and every file's fsync.
	errs := make([]error, len(outs))
	lanes := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for k, o := range outs {
		wg.Go(func() {
			lanes <- struct{}{}
			defer func() { <-lanes }()
			done := s.pg.stage("writing " + o.name)
			errs[k] = set.write(s.ctx, o.name, o.fn)
			done()
		})
	}
	wg.Wait()
	var written []string
	for k, o := range outs {
		if errs[k] != nil {
			return nil, errs[k]
		}
		written = append(written, set.path(o.name))
	}
	done := s.pg.stage("committing the output set")
	removed, err := set.commit()
	done()
	if err != nil {
		return nil, err
	}
	for _, path := range removed {
		s.con.warn(fmt.Sprintf("removed %s, written by an earlier run and not by this one", path), "file", path)
	}
	return written, nil
}

// printPlanSummary tells the user in a few lines what was decided and where
// the outputs are.
func printPlanSummary(w io.Writer, src *render.Source, written []string) {
	p := src.Plan
	level := "premise level"
	if p.ZoneLevel {
		level = "zone level"
	}
	fmt.Fprintf(w, "covplan %s: %d zones, %d premises (%d units), %s, frame %s\n",
		version, len(p.Zones), p.Total.Premises, p.Total.Units, level, src.Meta.Frame)
	if p.Unzoned > 0 {
		fmt.Fprintf(w, "  %d premises outside every zone: not planned\n", p.Unzoned)
	}
	var mix []string
	for _, t := range append([]coverage.Tech{coverage.TechNone}, coverage.Techs[:]...) {
		tt := p.ByTech[t]
		if tt.Zones == 0 {
			continue
		}
		mix = append(mix, fmt.Sprintf("%s %d zones / %d premises", t, tt.Zones, tt.Premises))
	}
	fmt.Fprintf(w, "  choice: %s\n", strings.Join(mix, ", "))
	share := 0.0
	if p.Total.Premises > 0 {
		share = 100 * float64(p.MeetTarget) / float64(p.Total.Premises)
	}
	fmt.Fprintf(w, "  target %s met for %d premises (%.1f %%)\n", p.Scenario.Target.Name, p.MeetTarget, share)
	t := &p.Total
	fmt.Fprintf(w, "  CAPEX %s EUR; public cost %s EUR", groupThousands(t.CapexEUR), groupThousands(t.PublicCostEUR))
	if t.NPVZones > 0 {
		fmt.Fprintf(w, "; NPV %s EUR (%d zones with revenues)", groupThousands(t.NPVEUR), t.NPVZones)
	}
	fmt.Fprintf(w, "\n  present cost over %d years %s EUR: network %s + subscribers %s - revenues %s\n",
		p.Scenario.HorizonYears, groupThousands(t.PresentCostEUR),
		groupThousands(t.NetworkCostEUR), groupThousands(t.SubscriberCostEUR), groupThousands(t.RevenueEUR))
	for _, path := range written {
		fmt.Fprintf(w, "  wrote %s\n", path)
	}
}

// planSummaryAttrs are the figures of printPlanSummary, for the JSON log.
func planSummaryAttrs(src *render.Source, out string, written []string) []any {
	p := src.Plan
	level := "premise"
	if p.ZoneLevel {
		level = "zone"
	}
	var mix []any
	for _, t := range append([]coverage.Tech{coverage.TechNone}, coverage.Techs[:]...) {
		if tt := p.ByTech[t]; tt.Zones > 0 {
			mix = append(mix, slog.Group(t.String(), "zones", tt.Zones, "premises", tt.Premises))
		}
	}
	return []any{
		"version", version, "zones", len(p.Zones), "premises", p.Total.Premises, "units", p.Total.Units, "outside", p.Unzoned,
		"level", level, "frame", src.Meta.Frame, slog.Group("choice", mix...),
		"target", p.Scenario.Target.Name, "meet_target", p.MeetTarget,
		// whole euros, as printed
		"capex_eur", math.Round(p.Total.CapexEUR), "present_cost_eur", math.Round(p.Total.PresentCostEUR),
		"public_cost_eur", math.Round(p.Total.PublicCostEUR), "npv_eur", math.Round(p.Total.NPVEUR), "npv_zones", p.Total.NPVZones,
		"out", out, "files", written,
	}
}

// groupThousands formats whole euros with thin grouping: 1 234 567.
func groupThousands(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(ch)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
