package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"time"

	"github.com/covplan/covplan/coverage"
	"github.com/covplan/covplan/geodata"
	"github.com/covplan/covplan/render"
)

// session is one run's reporting and record: its context, the progress
// bars and timings, the console for warnings and the summary, and the
// inputs and skipped records it read (for summary.json and the report).
type session struct {
	ctx     context.Context
	pg      *progress
	con     *console
	workers int // resolved: at least 1
	meta    render.Meta
	// inputBytes is the total size of the input files (adviseHeap).
	inputBytes int64
}

func newSession(ctx context.Context, ro RunOptions, stdout, stderr io.Writer) *session {
	con := newConsole(stdout, stderr, ro.LogFormat, ro.Quiet)
	s := &session{ctx: ctx, pg: newProgress(stderr, ro.Quiet || ro.LogFormat == LogJSON), con: con, workers: ro.Workers}
	if s.workers <= 0 {
		s.workers = runtime.GOMAXPROCS(0)
	}
	if ro.Timings {
		s.pg.timings, s.pg.start = con, time.Now()
	}
	return s
}

// measured is a run's inputs loaded, indexed and measured: everything
// before evaluation, which may then run once per scenario.
type measured struct {
	ds       *geodata.Dataset
	ix       *coverage.Index
	measures []coverage.PremiseMeasure // aligned with ds.Input.Premises; nil at zone level
}

// prepare loads the inputs, indexes them and measures every premise.
func (s *session) prepare(in InputOptions) (*measured, error) {
	ds, l, err := s.load(in)
	if err != nil {
		return nil, err
	}
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	stageGC(s.inputBytes)
	done := s.pg.stage("indexing")
	ix := coverage.NewIndex(ds.Input)
	done()
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	done = s.pg.stage("measuring")
	m := &measured{ds: ds, ix: ix, measures: s.measure(ix, ds, l.premises)}
	done()
	stageGC(s.inputBytes)
	s.meta.Frame = ds.Frame.Name()
	if err := s.checkOutside(l, ds, m.measures, in.Strict); err != nil {
		return nil, err
	}
	return m, s.ctx.Err()
}

// source is everything the writers need to write plan's outputs.
func (m *measured) source(plan *coverage.Plan, meta render.Meta) *render.Source {
	return &render.Source{
		Plan:      plan,
		Input:     m.ds.Input,
		Measures:  m.measures,
		ZonesLL:   m.ds.ZonesLL,
		Unproject: m.ds.Frame.Inverse,
		Meta:      meta,
	}
}

// measure measures every premise. The containing zone is found on the
// coordinates exactly as read (lon/lat, premisesLL), as PostGIS's
// ST_Contains and GeoPandas' sjoin do on the input CRS, so a premise a
// millimetre from a shared boundary gets the same zone as in those tools
// whatever the metric frame; distances are measured in metres in the frame.
func (s *session) measure(ix *coverage.Index, ds *geodata.Dataset, premises *geodata.PointLayer) []coverage.PremiseMeasure {
	in := ds.Input
	if len(in.Premises) == 0 {
		return nil
	}
	if premises == nil || len(premises.Pts) != len(in.Premises) {
		return ix.Measure(in.Premises, s.workers)
	}
	return ix.MeasureLocated(in.Premises, coverage.NewZoneLocator(ds.ZonesLL), premises.Pts, s.workers)
}

// checkOutside says which premises fall in no zone (geodata.OutsideZones:
// how many, examples, and why when a sample tells: lon and lat swapped,
// premises of another region). A run where no premise falls in any zone
// is an error, since nothing would be planned; under strict, so is a run
// with any premise outside. measures are aligned with l.premises.
func (s *session) checkOutside(l *layers, ds *geodata.Dataset, measures []coverage.PremiseMeasure, strict bool) error {
	premises := l.premises
	if premises == nil || len(measures) != premises.Len() {
		return nil
	}
	o := geodata.OutsideZones(premises, ds.ZonesLL, func(i int) int32 { return measures[i].Zone })
	if o == nil {
		return nil
	}
	d := o.Diagnostic
	if o.All() {
		msg := fmt.Sprintf("%s: none of the %d premises falls in a zone of %s: nothing would be planned", d.File, o.Total, l.zones.Name)
		sep := "; e.g. "
		for _, e := range d.Examples[:min(3, len(d.Examples))] {
			msg, sep = msg+sep+e.String(), "; "
		}
		if d.Hint != "" {
			msg += " — " + d.Hint
		}
		return errors.New(msg)
	}
	if strict {
		return geodata.StrictError([]geodata.Diagnostic{d})
	}
	s.finding(d)
	return nil
}

// layers are the input layers as read, before projection.
type layers struct {
	zones    *geodata.ZoneLayer
	premises *geodata.PointLayer
	fibre    []*geodata.FibreLayer
	aps      []*geodata.PointLayer
}

// load reads every input, joins the zone table, makes grid zones when
// needed and projects everything once into the metric frame. It returns
// the layers as read (lon/lat; the premises aligned with the dataset's,
// nil at zone level), for measure and checkOutside.
func (s *session) load(in InputOptions) (*geodata.Dataset, *layers, error) {
	s.adviseHeap(in)
	l, err := s.readLayers(in)
	if err != nil {
		return nil, nil, err
	}
	done := s.pg.stage("projecting")
	defer done()
	opt := geodata.BuildOptions{Workers: s.workers, Strict: in.Strict}
	if l.zones == nil {
		// No zone polygons: square cells over the premises, in the frame
		// of the area (the premises), which Build then uses too: a far
		// fibre or access-point layer cannot move it.
		opt.Frame = geodata.AreaFrame(nil, l.premises)
		g, err := geodata.GridZones(l.premises, opt.Frame, in.GridM)
		if err != nil {
			return nil, nil, err
		}
		l.zones = g
		s.con.notice(fmt.Sprintf("no --zones: %d grid cells of %g m over the premises", g.Len(), in.GridM), "cells", g.Len(), "grid_m", in.GridM)
	}
	if l.premises == nil {
		if err := checkZoneLevelCounts(l.zones); err != nil {
			return nil, nil, err
		}
	}
	ds, err := geodata.Build(l.zones, l.premises, l.fibre, l.aps, opt)
	if err != nil {
		return nil, nil, err
	}
	s.addFindings(l, ds)
	return ds, l, nil
}

// addFindings says what the readers and Build found, once each, and
// records it for summary.json and the report: every layer's diagnostics
// (repairs, overlaps, duplicate ids) with its skipped records and its
// records kept with a caveat, then Build's own (features far from the
// area). The skips are also counted by file and reason in Meta.Skipped.
func (s *session) addFindings(l *layers, ds *geodata.Dataset) {
	layerDiags := 0
	each := func(diags, all []geodata.Diagnostic) {
		layerDiags += len(diags)
		for _, d := range all {
			s.finding(d)
		}
	}
	each(l.zones.Diagnostics, l.zones.AllDiagnostics())
	if l.premises != nil {
		each(l.premises.Diagnostics, l.premises.AllDiagnostics())
	}
	for _, f := range l.fibre {
		each(f.Diagnostics, f.AllDiagnostics())
	}
	for _, a := range l.aps {
		each(a.Diagnostics, a.AllDiagnostics())
	}
	// Dataset.Diagnostics are the layers' Diagnostics, in input order,
	// then Build's.
	for _, d := range ds.Diagnostics[min(layerDiags, len(ds.Diagnostics)):] {
		s.finding(d)
	}
	for _, sk := range ds.Skipped {
		s.meta.Skipped = append(s.meta.Skipped, render.SkipCount{File: sk.File, Reason: sk.Reason, Count: sk.Count})
	}
}

// finding says d on stderr and records it (see say).
func (s *session) finding(d geodata.Diagnostic) {
	f := render.Finding{File: d.File, Code: d.Code, Severity: string(d.Severity), Count: d.Count, Message: d.Message, Hint: d.Hint}
	for _, e := range d.Examples {
		f.Examples = append(f.Examples, e.String())
	}
	s.say(f, d.String())
}

// say writes line on stderr as a warning (hidden by --quiet only; the
// JSON record carries f's fields) and records f for summary.json and the
// report.
func (s *session) say(f render.Finding, line string) {
	s.meta.Findings = append(s.meta.Findings, f)
	attrs := []any{"file", f.File, "code", f.Code, "severity", f.Severity, "count", f.Count, "message", f.Message}
	if f.Hint != "" {
		attrs = append(attrs, "hint", f.Hint)
	}
	if len(f.Examples) > 0 {
		attrs = append(attrs, "examples", f.Examples)
	}
	s.con.warn(line, attrs...)
}

// checkZoneLevelCounts checks that zone-level mode (no premises) has a
// premises, population or households figure for at least one zone.
func checkZoneLevelCounts(zones *geodata.ZoneLayer) error {
	for i := range zones.IDs {
		if zones.Premises[i] > 0 || zones.Population[i] > 0 || zones.Households[i] > 0 {
			return nil
		}
	}
	return fmt.Errorf("%s: zone-level mode (no --premises) needs a premises, population or households figure per zone, and none of the %d zones has one (properties: %s); give --premises, a --zone-table, or zones with a premises/population/households property",
		zones.Name, zones.Len(), listSome(zones.Columns, 12))
}

// readLayers reads every input file, in the order premises, zones (and
// zone table), fibre, access points.
func (s *session) readLayers(in InputOptions) (*layers, error) {
	var l layers
	var err error
	popt := geodata.PointOptions{CRS: in.CRS, Limits: in.Limits, Strict: in.Strict}
	if in.Premises != "" {
		o := popt
		o.LonField, o.LatField = in.LonField, in.LatField
		if l.premises, err = readLayer(s, "premises", in.Premises, pointReaders(o), pointInfo); err != nil {
			return nil, err
		}
	}
	if in.Zones != "" {
		zopt := geodata.ZoneOptions{IDField: in.ZoneIDField, CRS: in.CRS, Limits: in.Limits, Strict: in.Strict}
		if l.zones, err = readLayer(s, "zones", in.Zones, zoneReaders(zopt), zoneInfo); err != nil {
			return nil, err
		}
		if in.ZoneTable != "" {
			if err := s.joinZoneTable(l.zones, in); err != nil {
				return nil, err
			}
		}
	}
	fibre := fibreReaders(geodata.FibreOptions{CRS: in.CRS, Limits: in.Limits, Strict: in.Strict})
	for _, path := range in.Fibre {
		f, err := readLayer(s, "fibre", path, fibre, fibreInfo)
		if err != nil {
			return nil, err
		}
		l.fibre = append(l.fibre, f)
	}
	aps := pointReaders(popt)
	for _, path := range in.APs {
		a, err := readLayer(s, "aps", path, aps, pointInfo)
		if err != nil {
			return nil, err
		}
		l.aps = append(l.aps, a)
	}
	return &l, nil
}

// pointReaders read premises or access points with popt.
func pointReaders(popt geodata.PointOptions) layerReaders[*geodata.PointLayer] {
	return layerReaders[*geodata.PointLayer]{
		text: func(rd io.Reader, name string, size int64) (*geodata.PointLayer, error) {
			o := popt
			o.SizeHint = size
			return geodata.ReadPoints(rd, name, o)
		},
		kml: func(rd io.Reader, name string) (*geodata.PointLayer, error) {
			return geodata.ReadKMLPoints(rd, name, popt)
		},
		shp:  func(l *geodata.ShapefileLayer) (*geodata.PointLayer, error) { return l.Points(popt) },
		gpkg: func(l *geodata.GeoPackageLayer) (*geodata.PointLayer, error) { return l.Points(popt) },
		lim:  popt.Limits,
	}
}

// zoneReaders read zones with zopt.
func zoneReaders(zopt geodata.ZoneOptions) layerReaders[*geodata.ZoneLayer] {
	return layerReaders[*geodata.ZoneLayer]{
		text: func(rd io.Reader, name string, size int64) (*geodata.ZoneLayer, error) {
			o := zopt
			o.SizeHint = size
			return geodata.ReadZones(rd, name, o)
		},
		kml: func(rd io.Reader, name string) (*geodata.ZoneLayer, error) {
			return geodata.ReadKMLZones(rd, name, zopt)
		},
		shp:  func(l *geodata.ShapefileLayer) (*geodata.ZoneLayer, error) { return l.Zones(zopt) },
		gpkg: func(l *geodata.GeoPackageLayer) (*geodata.ZoneLayer, error) { return l.Zones(zopt) },
		lim:  zopt.Limits,
	}
}

// fibreReaders read fibre networks with fopt.
func fibreReaders(fopt geodata.FibreOptions) layerReaders[*geodata.FibreLayer] {
	return layerReaders[*geodata.FibreLayer]{
		text: func(rd io.Reader, name string, size int64) (*geodata.FibreLayer, error) {
			o := fopt
			o.SizeHint = size
			return geodata.ReadFibre(rd, name, o)
		},
		kml: func(rd io.Reader, name string) (*geodata.FibreLayer, error) {
			return geodata.ReadKMLFibre(rd, name, fopt)
		},
		shp:  func(l *geodata.ShapefileLayer) (*geodata.FibreLayer, error) { return l.Fibre(fopt) },
		gpkg: func(l *geodata.GeoPackageLayer) (*geodata.FibreLayer, error) { return l.Fibre(fopt) },
		lim:  fopt.Limits,
	}
}

// adviseHeap asks for huge pages for the heap, sized from the inputs
// (hugepages.go), and says so with --timings.
func (s *session) adviseHeap(in InputOptions) {
	paths := append(append([]string{in.Zones, in.Premises}, in.Fibre...), in.APs...)
	var total int64
	for _, p := range paths {
		if fi, err := os.Stat(p); p != "" && err == nil {
			total += fi.Size()
		}
	}
	s.inputBytes = total
	if n := adviseHeap(total); n > 0 && s.pg.timings != nil {
		s.pg.timings.timing(fmt.Sprintf("heap: %d MiB advised for transparent huge pages", n>>20), slog.String("stage", "heap advice"), slog.Int64("huge_page_bytes", n))
	}
}

// layerInfo is what load records of every layer read.
type layerInfo struct {
	records int
	skips   []geodata.ReasonCount
	crs     string
}

func pointInfo(l *geodata.PointLayer) layerInfo { return layerInfo{l.Len(), l.SkipCounts, l.CRS} }
func zoneInfo(l *geodata.ZoneLayer) layerInfo   { return layerInfo{l.Len(), l.SkipCounts, l.CRS} }
func fibreInfo(l *geodata.FibreLayer) layerInfo { return layerInfo{l.Len(), l.SkipCounts, l.CRS} }

// readInput opens one input file, reads it with read (timed, with a
// progress bar), and records its digest, record count and skips.
func readInput[T any](s *session, role, path string, read func(rd io.Reader, name string, size int64) (T, error), info func(T) layerInfo) (T, error) {
	var zero T
	if err := s.ctx.Err(); err != nil {
		return zero, err
	}
	f, err := openInput(s.ctx, s.pg, role, path)
	if err != nil {
		return zero, err
	}
	done := s.pg.time("reading " + f.name())
	l, err := read(f.r, f.name(), f.size)
	done()
	if err != nil {
		f.f.Close()
		return zero, err
	}
	li := info(l)
	return l, s.addInput(f, li.records, li.skips, li.crs)
}

// addInput records an input file's digest and skips.
func (s *session) addInput(f *inputFile, records int, skips []geodata.ReasonCount, crs string) error {
	n := 0
	for _, sk := range skips {
		n += sk.Count
	}
	fi, err := f.finish(records, n, crs)
	if err != nil {
		return err
	}
	s.meta.Inputs = append(s.meta.Inputs, fi)
	return nil
}

// joinZoneTable reads the zone table of in and joins its figures to the
// zones, reporting rows left out, zones without a row (an error under
// in.Strict) and rows without a zone.
func (s *session) joinZoneTable(zones *geodata.ZoneLayer, in InputOptions) error {
	f, err := openInput(s.ctx, s.pg, "zone-table", in.ZoneTable)
	if err != nil {
		return err
	}
	t, err := readZoneTable(f.r, f.name(), in.ZoneTableKey, in.ZoneTableWhere)
	if err != nil {
		f.f.Close()
		return err
	}
	if err := s.addInput(f, t.rows, nil, ""); err != nil {
		return err
	}
	name := f.name()
	if t.filtered > 0 {
		s.tableFinding(render.Finding{File: name, Code: "zone-table-where", Severity: "skipped", Count: t.filtered,
			Message: "row(s) left out by --zone-table-where " + in.ZoneTableWhere}, "row left out by --zone-table-where",
			fmt.Sprintf("%s: %d row(s) left out by --zone-table-where %s", name, t.filtered, in.ZoneTableWhere))
	}
	res := t.join(zones)
	if res.matched == 0 {
		return fmt.Errorf("%s: no row matches a zone id (table column %s; zone ids look like %s)", name, t.keyCol, listSome(zones.IDs, 3))
	}
	if n := len(res.zonesNoRow); n > 0 {
		msg := fmt.Sprintf("%s: %d zone(s) have no row: %s", name, n, listSome(res.zonesNoRow, 5))
		if in.Strict {
			return errors.New("strict: " + msg)
		}
		s.tableFinding(render.Finding{File: name, Code: "zone-without-row", Severity: "warning", Count: n,
			Message: "zone(s) without a row in the zone table", Hint: "these zones get no population or households from the table",
			Examples: first(res.zonesNoRow, 5)}, "zone without a row in the zone table (no population)", msg)
	}
	if n := len(res.rowsNoZone); n > 0 {
		s.tableFinding(render.Finding{File: name, Code: "row-without-zone", Severity: "skipped", Count: n,
			Message: "row(s) whose id is no zone's (not used)", Examples: first(res.rowsNoZone, 5)},
			"row without a zone (not used)", fmt.Sprintf("%s: %d row(s) match no zone: %s", name, n, listSome(res.rowsNoZone, 5)))
	}
	return nil
}

// tableFinding says and records a finding about the zone table, and
// counts its rows or zones in Meta.Skipped for reason.
func (s *session) tableFinding(f render.Finding, reason, line string) {
	s.meta.Skipped = append(s.meta.Skipped, render.SkipCount{File: f.File, Reason: reason, Count: f.Count})
	s.say(f, line)
}

// first returns at most n items of s.
func first(s []string, n int) []string { return s[:min(n, len(s))] }
