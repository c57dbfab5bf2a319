package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/covplan/covplan/coverage"
	"github.com/covplan/covplan/geodata"
	"github.com/covplan/covplan/render"
	"github.com/paulmach/orb"
	"github.com/urfave/cli/v2"
)

func planCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "zones", Usage: "zones `FILE`: Polygon/MultiPolygon features in GeoJSON, KML/KMZ or a shapefile (.shp or .zip)"},
		&cli.StringFlag{Name: "zone-id-field", Usage: "property holding the zone id (default: id, zone_id, code, code_insee or insee)"},
		&cli.StringFlag{Name: "zone-table", Usage: "CSV `FILE` of population/households per zone id, joined to the zones"},
		&cli.StringFlag{Name: "zone-table-key", Usage: "id column of --zone-table (default: zone_id, id, code_insee, insee, code)"},
		&cli.StringFlag{Name: "zone-table-where", Usage: "use only the --zone-table rows where `COLUMN=VALUE` (e.g. type=commune-actuelle)"},
		&cli.Float64Flag{Name: "grid-m", Usage: "without --zones: square grid cells of this size in metres over the premises", Value: 1000},
		&cli.StringFlag{Name: "premises", Usage: "premises `FILE`: CSV (lon/lat, x/y, WKT columns), GeoJSON, KML or shapefile points; without it, zone-level mode"},
		&cli.StringSliceFlag{Name: "fibre", Usage: "existing fibre network `FILE` (repeatable): node CSV/GeoJSON points, GeoJSON lines, served-area polygons"},
		&cli.StringSliceFlag{Name: "aps", Usage: "existing Wi-Fi / fixed-wireless access points `FILE` (repeatable): CSV or GeoJSON points"},
		&cli.StringFlag{Name: "out", Usage: "output `DIR` (created if missing)", Required: true},
		&cli.BoolFlag{Name: "no-report", Usage: "write the data outputs only, not report.html"},
		&cli.BoolFlag{Name: "excel", Usage: "also write zones-excel.csv for spreadsheets in a French locale (BOM, ';', decimal commas)"},
		&cli.StringFlag{Name: "title", Usage: "area name shown in the report"},
		&cli.StringFlag{Name: "lang", Value: "fr", Usage: "report language shown first: fr or en (the page switches between both)"},
		&cli.StringFlag{Name: "crs", Usage: "force the CRS of every input: EPSG:4326 or EPSG:2154 (default: detect)"},
		&cli.IntFlag{Name: "workers", Usage: "goroutines for measuring and evaluating (default: one per CPU)"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress and no summary on stderr/stdout"},
		&cli.BoolFlag{Name: "timings", Usage: "print on stderr the wall time of every stage, then the total with CPU time and peak memory"},
		&cli.StringFlag{Name: "cpuprofile", Usage: "write a Go CPU profile to `FILE` (for performance work)", Hidden: true},
		&cli.StringFlag{Name: "memprofile", Usage: "write a Go allocation profile to `FILE` at the end (for performance work)", Hidden: true},
	}
	return &cli.Command{
		Name:  "plan",
		Usage: "plan coverage zone by zone and write zones.csv, zones.geojson, premises.csv, summary.json and report.html",
		Description: "Examples:\n" +
			"  covplan plan --zones communes.geojson --zone-table population.csv --fibre nro.geojson --out out/\n" +
			"  covplan plan --premises adresses.csv --grid-m 250 --fibre nodes.csv --aps wifi.csv --out out/\n" +
			"  covplan plan ... --target us-bead --policy budget --budget-eur 2e6 --set leo.kit_eur=0",
		Flags:  append(flags, scenarioFlags()...),
		Action: planAction,
	}
}

// planRun is one planning run's state, stage after stage.
type planRun struct {
	c      *cli.Context
	pg     *progress
	quiet  bool
	meta   render.Meta
	crs    string
	stderr io.Writer

	// premisesLL are the premises' coordinates as read (WGS84 lon/lat),
	// aligned with Input.Premises: zones are assigned on them.
	premisesLL []orb.Point
}

func planAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("plan: unexpected argument %q (inputs are given with --zones, --premises, --fibre, --aps)", c.Args().First())
	}
	if !c.IsSet("zones") && !c.IsSet("premises") {
		return usagef("plan: give --zones, --premises or both")
	}
	if (c.IsSet("zone-table-where") || c.IsSet("zone-table-key")) && !c.IsSet("zone-table") {
		return usagef("plan: --zone-table-where and --zone-table-key need --zone-table")
	}
	if c.IsSet("zone-table") && !c.IsSet("zones") {
		return usagef("plan: --zone-table needs --zones")
	}
	if g := c.Float64("grid-m"); g < 10 || g > 100000 {
		return usagef("--grid-m: want 10 to 100000 metres, got %g", g)
	}
	if l := c.String("lang"); l != "fr" && l != "en" {
		return usagef("--lang: want fr or en, got %q", l)
	}
	sc, err := scenarioFromFlags(c)
	if err != nil {
		return err
	}
	sc.Workers = c.Int("workers")
	if path := c.String("cpuprofile"); path != "" {
		stop, err := startCPUProfile(path)
		if err != nil {
			return err
		}
		defer stop()
	}
	quiet := c.Bool("quiet")
	r := newPlanRun(c)
	r.meta = render.Meta{Title: c.String("title"), Version: version}

	ds, err := r.load()
	if err != nil {
		r.pg.wait()
		return err
	}
	in := ds.Input

	done := r.pg.stage("indexing")
	ix := coverage.NewIndex(in)
	done()
	done = r.pg.stage("measuring")
	workers := c.Int("workers")
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	measures := r.measure(ix, ds, workers)
	done()

	done = r.pg.stage("evaluating")
	ev, err := coverage.Evaluate(in, ix, measures, sc, coverage.EvaluateOptionsFor(sc))
	done()
	if err != nil {
		r.pg.wait()
		return err
	}
	done = r.pg.stage("deciding")
	plan, err := coverage.Decide(ev, sc)
	done()
	if err != nil {
		r.pg.wait()
		return err
	}
	r.meta.Frame = ds.Frame.Name()
	src := &render.Source{
		Plan:      plan,
		Input:     in,
		Measures:  measures,
		ZonesLL:   ds.ZonesLL,
		Unproject: ds.Frame.Inverse,
		Meta:      r.meta,
	}
	written, err := r.write(src)
	r.pg.wait()
	if err != nil {
		return err
	}
	r.pg.total()
	if !quiet {
		printPlanSummary(c.App.Writer, src, written)
	}
	if path := c.String("memprofile"); path != "" {
		return writeMemProfile(path)
	}
	return nil
}

func newPlanRun(c *cli.Context) *planRun {
	quiet := c.Bool("quiet")
	r := &planRun{c: c, pg: newProgress(c.App.ErrWriter, quiet), quiet: quiet, crs: c.String("crs"), stderr: c.App.ErrWriter}
	if c.Bool("timings") {
		r.pg.timings, r.pg.start = c.App.ErrWriter, time.Now()
	}
	return r
}

// measure measures every premise. The containing zone is found on the
// coordinates exactly as read (lon/lat), as PostGIS's ST_Contains and
// GeoPandas' sjoin do on the input CRS, so a premise a millimetre from a
// shared boundary gets the same zone as in those tools whatever the
// metric frame; distances are measured in metres in the frame.
func (r *planRun) measure(ix *coverage.Index, ds *geodata.Dataset, workers int) []coverage.PremiseMeasure {
	in := ds.Input
	if len(in.Premises) == 0 {
		return nil
	}
	if len(r.premisesLL) != len(in.Premises) {
		return ix.Measure(in.Premises, workers)
	}
	return ix.MeasureLocated(in.Premises, coverage.NewZoneLocator(ds.ZonesLL), r.premisesLL, workers)
}

// load reads every input, joins the zone table, makes grid zones when
// needed and projects everything once into the metric frame.
func (r *planRun) load() (*geodata.Dataset, error) {
	c := r.c
	var (
		zones    *geodata.ZoneLayer
		premises *geodata.PointLayer
		fibre    []*geodata.FibreLayer
		aps      []*geodata.PointLayer
	)
	var err error
	r.adviseHeap()
	points := layerReaders[*geodata.PointLayer]{
		text: func(rd io.Reader, name string, size int64) (*geodata.PointLayer, error) {
			return geodata.ReadPoints(rd, name, geodata.PointOptions{CRS: r.crs, SizeHint: size})
		},
		kml: func(rd io.Reader, name string) (*geodata.PointLayer, error) {
			return geodata.ReadKMLPoints(rd, name, geodata.PointOptions{CRS: r.crs})
		},
		shp: func(l *geodata.ShapefileLayer) (*geodata.PointLayer, error) {
			return l.Points(geodata.PointOptions{CRS: r.crs})
		},
	}
	if path := c.String("premises"); path != "" {
		if premises, err = readLayer(r, "premises", path, points, pointInfo); err != nil {
			return nil, err
		}
	}
	if path := c.String("zones"); path != "" {
		zopt := geodata.ZoneOptions{IDField: c.String("zone-id-field"), CRS: r.crs}
		zones, err = readLayer(r, "zones", path, layerReaders[*geodata.ZoneLayer]{
			text: func(rd io.Reader, name string, size int64) (*geodata.ZoneLayer, error) {
				o := zopt
				o.SizeHint = size
				return geodata.ReadZones(rd, name, o)
			},
			kml: func(rd io.Reader, name string) (*geodata.ZoneLayer, error) {
				return geodata.ReadKMLZones(rd, name, zopt)
			},
			shp: func(l *geodata.ShapefileLayer) (*geodata.ZoneLayer, error) { return l.Zones(zopt) },
		}, func(l *geodata.ZoneLayer) layerInfo { return layerInfo{l.Len(), l.SkipCounts, l.CRS} })
		if err != nil {
			return nil, err
		}
		if tpath := c.String("zone-table"); tpath != "" {
			if err := r.joinZoneTable(zones, tpath); err != nil {
				return nil, err
			}
		}
	}
	fopt := geodata.FibreOptions{CRS: r.crs}
	fibreReaders := layerReaders[*geodata.FibreLayer]{
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
	for _, path := range c.StringSlice("fibre") {
		l, err := readLayer(r, "fibre", path, fibreReaders, func(l *geodata.FibreLayer) layerInfo { return layerInfo{l.Len(), l.SkipCounts, l.CRS} })
		if err != nil {
			return nil, err
		}
		fibre = append(fibre, l)
	}
	for _, path := range c.StringSlice("aps") {
		l, err := readLayer(r, "aps", path, points, pointInfo)
		if err != nil {
			return nil, err
		}
		aps = append(aps, l)
	}
	done := r.pg.stage("projecting")
	defer done()
	opt := geodata.BuildOptions{Workers: c.Int("workers")}
	if zones == nil {
		// No zone polygons: square cells over the premises, in the frame
		// the whole run uses.
		var b orb.Bound
		first := true
		add := func(x orb.Bound) {
			if first {
				b, first = x, false
			} else {
				b = b.Union(x)
			}
		}
		add(premises.Bound())
		for _, l := range fibre {
			if l.Len() > 0 {
				add(l.Bound())
			}
		}
		for _, l := range aps {
			if l.Len() > 0 {
				add(l.Bound())
			}
		}
		opt.Frame = geodata.ChooseFrame(b)
		g, err := geodata.GridZones(premises, opt.Frame, c.Float64("grid-m"))
		if err != nil {
			return nil, err
		}
		zones = g
		if !r.quiet {
			fmt.Fprintf(r.stderr, "covplan: no --zones: %d grid cells of %g m over the premises\n", zones.Len(), c.Float64("grid-m"))
		}
	}
	if premises == nil {
		counted := 0
		for i := range zones.IDs {
			if zones.Premises[i] > 0 || zones.Population[i] > 0 || zones.Households[i] > 0 {
				counted++
			}
		}
		if counted == 0 {
			return nil, fmt.Errorf("%s: zone-level mode (no --premises) needs a premises, population or households figure per zone, and none of the %d zones has one (properties: %s); give --premises, a --zone-table, or zones with a premises/population/households property",
				zones.Name, zones.Len(), listSome(zones.Columns, 12))
		}
	}
	ds, err := geodata.Build(zones, premises, fibre, aps, opt)
	if err != nil {
		return nil, err
	}
	if premises != nil {
		r.premisesLL = premises.Pts
	}
	r.addSkips(ds.Skipped)
	return ds, nil
}

// adviseHeap asks for huge pages for the heap, sized from the inputs
// named on the command line (hugepages.go), and says so with --timings.
func (r *planRun) adviseHeap() {
	c := r.c
	paths := append(append([]string{c.String("zones"), c.String("premises")}, c.StringSlice("fibre")...), c.StringSlice("aps")...)
	var total int64
	for _, p := range paths {
		if fi, err := os.Stat(p); p != "" && err == nil {
			total += fi.Size()
		}
	}
	if n := adviseHeap(total); n > 0 && r.pg.timings != nil {
		fmt.Fprintf(r.pg.timings, "covplan: heap: %d MiB advised for transparent huge pages\n", n>>20)
	}
}

// layerInfo is what load records of every layer read.
type layerInfo struct {
	records int
	skips   []geodata.ReasonCount
	crs     string
}

func pointInfo(l *geodata.PointLayer) layerInfo { return layerInfo{l.Len(), l.SkipCounts, l.CRS} }

// readInput opens one input file, reads it with read (timed, with a
// progress bar), and records its digest, record count and skips.
func readInput[T any](r *planRun, role, path string, read func(rd io.Reader, name string, size int64) (T, error), info func(T) layerInfo) (T, error) {
	var zero T
	f, err := openInput(r.pg, role, path)
	if err != nil {
		return zero, err
	}
	done := r.pg.time("reading " + f.name())
	l, err := read(f.r, f.name(), f.size)
	done()
	if err != nil {
		f.f.Close()
		return zero, err
	}
	li := info(l)
	return l, r.addInput(f, li.records, li.skips, li.crs)
}

// addInput records an input file's digest and skips, and tells stderr
// what was skipped so nothing is dropped silently.
func (r *planRun) addInput(f *inputFile, records int, skips []geodata.ReasonCount, crs string) error {
	n := 0
	for _, s := range skips {
		n += s.Count
	}
	fi, err := f.finish(records, n, crs)
	if err != nil {
		return err
	}
	r.meta.Inputs = append(r.meta.Inputs, fi)
	return nil
}

// addSkips records the skipped records of the layers (counted by geodata)
// and tells stderr, so nothing is dropped silently.
func (r *planRun) addSkips(skips []geodata.FileSkip) {
	for _, s := range skips {
		r.meta.Skipped = append(r.meta.Skipped, render.SkipCount{File: s.File, Reason: s.Reason, Count: s.Count})
		fmt.Fprintf(r.stderr, "covplan: %s: skipped %d record(s): %s\n", s.File, s.Count, s.Reason)
	}
}

func (r *planRun) joinZoneTable(zones *geodata.ZoneLayer, path string) error {
	f, err := openInput(r.pg, "zone-table", path)
	if err != nil {
		return err
	}
	t, err := readZoneTable(f.r, f.name(), r.c.String("zone-table-key"), r.c.String("zone-table-where"))
	if err != nil {
		f.f.Close()
		return err
	}
	if err := r.addInput(f, t.rows, nil, ""); err != nil {
		return err
	}
	if t.filtered > 0 {
		r.meta.Skipped = append(r.meta.Skipped, render.SkipCount{File: f.name(), Reason: "row left out by --zone-table-where", Count: t.filtered})
		fmt.Fprintf(r.stderr, "covplan: %s: %d row(s) left out by --zone-table-where %s\n", f.name(), t.filtered, r.c.String("zone-table-where"))
	}
	res := t.join(zones)
	if res.matched == 0 {
		return fmt.Errorf("%s: no row matches a zone id (table column %s; zone ids look like %s)", f.name(), t.keyCol, listSome(zones.IDs, 3))
	}
	if len(res.zonesNoRow) > 0 {
		r.meta.Skipped = append(r.meta.Skipped, render.SkipCount{File: f.name(), Reason: "zone without a row in the zone table (no population)", Count: len(res.zonesNoRow)})
		fmt.Fprintf(r.stderr, "covplan: %s: %d zone(s) have no row: %s\n", f.name(), len(res.zonesNoRow), listSome(res.zonesNoRow, 5))
	}
	if len(res.rowsNoZone) > 0 {
		r.meta.Skipped = append(r.meta.Skipped, render.SkipCount{File: f.name(), Reason: "row without a zone (not used)", Count: len(res.rowsNoZone)})
		fmt.Fprintf(r.stderr, "covplan: %s: %d row(s) match no zone: %s\n", f.name(), len(res.rowsNoZone), listSome(res.rowsNoZone, 5))
	}
	return nil
}

// write writes every output atomically into --out.
func (r *planRun) write(src *render.Source) ([]string, error) {
	dir := r.c.String("out")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("--out %s: %w", dir, unwrapPathError(err))
	}
	type output struct {
		name string
		fn   func(io.Writer) error
	}
	outs := []output{
		{"zones.csv", func(w io.Writer) error { return render.WriteZonesCSV(w, src) }},
		{"zones.geojson", func(w io.Writer) error { return render.WriteZonesGeoJSON(w, src) }},
	}
	if r.c.Bool("excel") {
		outs = append(outs, output{"zones-excel.csv", func(w io.Writer) error { return render.WriteZonesCSVExcel(w, src) }})
	}
	if len(src.Input.Premises) > 0 {
		outs = append(outs, output{"premises.csv", func(w io.Writer) error { return render.WritePremisesCSV(w, src) }})
	}
	outs = append(outs, output{"summary.json", func(w io.Writer) error { return render.WriteSummaryJSON(w, src) }})
	if !r.c.Bool("no-report") {
		lang := r.c.String("lang")
		outs = append(outs, output{"report.html", func(w io.Writer) error {
			return render.WriteReport(w, src, render.ReportOptions{Lang: lang})
		}})
	}
	var written []string
	for _, o := range outs {
		done := r.pg.stage("writing " + o.name)
		path := filepath.Join(dir, o.name)
		err := writeAtomic(path, o.fn)
		done()
		if err != nil {
			return written, err
		}
		written = append(written, path)
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
	fmt.Fprintf(w, "  target %s met for %d premises (%.1f %%); CAPEX %s EUR, NPV %s EUR\n",
		p.Scenario.Target.Name, p.MeetTarget, share, groupThousands(p.Total.CapexEUR), groupThousands(p.Total.NPVEUR))
	for _, path := range written {
		fmt.Fprintf(w, "  wrote %s\n", path)
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
