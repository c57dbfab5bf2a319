package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"time"

	"github.com/covplan/covplan/coverage"
	"github.com/covplan/covplan/geodata"
	"github.com/covplan/covplan/render"
	"github.com/paulmach/orb"
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
	ds, premisesLL, err := s.load(in)
	if err != nil {
		return nil, err
	}
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	done := s.pg.stage("indexing")
	ix := coverage.NewIndex(ds.Input)
	done()
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	done = s.pg.stage("measuring")
	m := &measured{ds: ds, ix: ix, measures: s.measure(ix, ds, premisesLL)}
	done()
	s.meta.Frame = ds.Frame.Name()
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
func (s *session) measure(ix *coverage.Index, ds *geodata.Dataset, premisesLL []orb.Point) []coverage.PremiseMeasure {
	in := ds.Input
	if len(in.Premises) == 0 {
		return nil
	}
	if len(premisesLL) != len(in.Premises) {
		return ix.Measure(in.Premises, s.workers)
	}
	return ix.MeasureLocated(in.Premises, coverage.NewZoneLocator(ds.ZonesLL), premisesLL, s.workers)
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
// the premises' coordinates as read (lon/lat), aligned with the dataset's
// premises, for measure.
func (s *session) load(in InputOptions) (*geodata.Dataset, []orb.Point, error) {
	s.adviseHeap(in)
	l, err := s.readLayers(in)
	if err != nil {
		return nil, nil, err
	}
	done := s.pg.stage("projecting")
	defer done()
	opt := geodata.BuildOptions{Workers: s.workers}
	if l.zones == nil {
		// No zone polygons: square cells over the premises, in the frame
		// the whole run uses.
		opt.Frame = geodata.ChooseFrame(l.bound())
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
	var premisesLL []orb.Point
	if l.premises != nil {
		premisesLL = l.premises.Pts
	}
	s.addSkips(ds.Skipped)
	return ds, premisesLL, nil
}

// bound is the bounding box of the premises and of every non-empty fibre
// and access point layer, for choosing a frame without zones.
func (l *layers) bound() orb.Bound {
	b := l.premises.Bound()
	for _, f := range l.fibre {
		if f.Len() > 0 {
			b = b.Union(f.Bound())
		}
	}
	for _, a := range l.aps {
		if a.Len() > 0 {
			b = b.Union(a.Bound())
		}
	}
	return b
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
	points := pointReaders(in.CRS)
	if in.Premises != "" {
		if l.premises, err = readLayer(s, "premises", in.Premises, points, pointInfo); err != nil {
			return nil, err
		}
	}
	if in.Zones != "" {
		zopt := geodata.ZoneOptions{IDField: in.ZoneIDField, CRS: in.CRS}
		if l.zones, err = readLayer(s, "zones", in.Zones, zoneReaders(zopt), zoneInfo); err != nil {
			return nil, err
		}
		if in.ZoneTable != "" {
			if err := s.joinZoneTable(l.zones, in.ZoneTable, in.ZoneTableKey, in.ZoneTableWhere); err != nil {
				return nil, err
			}
		}
	}
	fibre := fibreReaders(geodata.FibreOptions{CRS: in.CRS})
	for _, path := range in.Fibre {
		f, err := readLayer(s, "fibre", path, fibre, fibreInfo)
		if err != nil {
			return nil, err
		}
		l.fibre = append(l.fibre, f)
	}
	for _, path := range in.APs {
		a, err := readLayer(s, "aps", path, points, pointInfo)
		if err != nil {
			return nil, err
		}
		l.aps = append(l.aps, a)
	}
	return &l, nil
}

func pointReaders(crs string) layerReaders[*geodata.PointLayer] {
	return layerReaders[*geodata.PointLayer]{
		text: func(rd io.Reader, name string, size int64) (*geodata.PointLayer, error) {
			return geodata.ReadPoints(rd, name, geodata.PointOptions{CRS: crs, SizeHint: size})
		},
		kml: func(rd io.Reader, name string) (*geodata.PointLayer, error) {
			return geodata.ReadKMLPoints(rd, name, geodata.PointOptions{CRS: crs})
		},
		shp: func(l *geodata.ShapefileLayer) (*geodata.PointLayer, error) {
			return l.Points(geodata.PointOptions{CRS: crs})
		},
	}
}

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
		shp: func(l *geodata.ShapefileLayer) (*geodata.ZoneLayer, error) { return l.Zones(zopt) },
	}
}

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
		shp: func(l *geodata.ShapefileLayer) (*geodata.FibreLayer, error) { return l.Fibre(fopt) },
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

// addSkips records the skipped records of the layers (counted by geodata)
// and tells stderr, so nothing is dropped silently.
func (s *session) addSkips(skips []geodata.FileSkip) {
	for _, sk := range skips {
		s.skipped(sk.File, sk.Reason, sk.Count, fmt.Sprintf("%s: skipped %d record(s): %s", sk.File, sk.Count, sk.Reason))
	}
}

// joinZoneTable reads the zone table at path and joins its figures to the
// zones, reporting rows and zones left unmatched.
func (s *session) joinZoneTable(zones *geodata.ZoneLayer, path, key, where string) error {
	f, err := openInput(s.ctx, s.pg, "zone-table", path)
	if err != nil {
		return err
	}
	t, err := readZoneTable(f.r, f.name(), key, where)
	if err != nil {
		f.f.Close()
		return err
	}
	if err := s.addInput(f, t.rows, nil, ""); err != nil {
		return err
	}
	if t.filtered > 0 {
		s.skipped(f.name(), "row left out by --zone-table-where", t.filtered, fmt.Sprintf("%s: %d row(s) left out by --zone-table-where %s", f.name(), t.filtered, where))
	}
	res := t.join(zones)
	if res.matched == 0 {
		return fmt.Errorf("%s: no row matches a zone id (table column %s; zone ids look like %s)", f.name(), t.keyCol, listSome(zones.IDs, 3))
	}
	if len(res.zonesNoRow) > 0 {
		s.skipped(f.name(), "zone without a row in the zone table (no population)", len(res.zonesNoRow),
			fmt.Sprintf("%s: %d zone(s) have no row: %s", f.name(), len(res.zonesNoRow), listSome(res.zonesNoRow, 5)), "examples", first(res.zonesNoRow, 5))
	}
	if len(res.rowsNoZone) > 0 {
		s.skipped(f.name(), "row without a zone (not used)", len(res.rowsNoZone),
			fmt.Sprintf("%s: %d row(s) match no zone: %s", f.name(), len(res.rowsNoZone), listSome(res.rowsNoZone, 5)), "examples", first(res.rowsNoZone, 5))
	}
	return nil
}

// skipped records records of file left out for reason, and warns with msg
// (the JSON record has file, reason and count, and any extra attrs).
func (s *session) skipped(file, reason string, count int, msg string, extra ...any) {
	s.meta.Skipped = append(s.meta.Skipped, render.SkipCount{File: file, Reason: reason, Count: count})
	s.con.warn(msg, append([]any{"file", file, "reason", reason, "count", count}, extra...)...)
}

// first returns at most n items of s.
func first(s []string, n int) []string { return s[:min(n, len(s))] }
