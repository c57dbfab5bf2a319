package main

import (
	"fmt"

	"github.com/covplan/covplan/coverage"
	"github.com/covplan/covplan/geodata"
	"github.com/covplan/covplan/render"
	"github.com/urfave/cli/v2"
)

// The commands turn their flags into these option structs once (the
// *FromCLI functions), then call a run function that knows nothing of
// urfave/cli (runPlan, runMeasure): tests, and commands that run the
// pipeline many times, fill the structs themselves.

// InputOptions names a run's input files and how to read them. The zero
// value is no input at all.
type InputOptions struct {
	Zones          string   // zones file; "" = square grid cells over the premises
	ZoneIDField    string   // property holding the zone id; "" = detect
	ZoneTable      string   // CSV of figures per zone id, joined to Zones; "" = none
	ZoneTableKey   string   // id column of ZoneTable; "" = detect
	ZoneTableWhere string   // "COLUMN=VALUE": use only those ZoneTable rows; "" = all
	GridM          float64  // grid cell size in metres, without Zones (10 to 100000)
	Premises       string   // premises file; "" = zone-level mode
	LonField       string   // premises column holding the longitude (or x); "" = detect
	LatField       string   // premises column holding the latitude (or y); "" = detect
	Fibre          []string // existing fibre network files, in order
	APs            []string // existing access point files, in order
	CRS            string   // CRS forced on every input (EPSG:4326 or EPSG:2154); "" = detect

	// Limits bound what one input file may make a reader hold, inflate or
	// echo; a zero field is geodata's default (docs/inputs.md §6).
	Limits geodata.Limits
	// Strict makes every finding about the inputs an error: a repair, a
	// skipped record, a caveat, a duplicate id, an overlap, a far feature,
	// a zone without a zone-table row, a premise outside every zone.
	Strict bool
}

// RunOptions say how a run uses the machine and reports to its user.
type RunOptions struct {
	Workers   int       // goroutines for building, measuring and evaluating; 0 = one per CPU
	Quiet     bool      // errors only: no progress bar, notice, warning or summary
	Timings   bool      // each stage's wall time, then the total with CPU time and peak memory
	LogFormat LogFormat // how stderr is written: LogText (also for "") or LogJSON
}

// ReportOptions choose the plan's outputs beyond the data files.
type ReportOptions struct {
	NoReport bool   // do not write report.html
	Excel    bool   // also write zones-excel.csv
	Title    string // area name shown in the report; may be empty
	Lang     string // report language shown first: "fr" or "en"
	// Sources are the data sources and licences the report credits, one
	// line each (--source; "file.geojson: text" goes with that input).
	Sources []string
	// Date is the run's date on the report's cover, YYYY-MM-DD ("" = none);
	// StartYear the calendar year of rollout year 1 (0 = "year 1, 2, …").
	Date      string
	StartYear int
}

// PlanOptions is everything one plan run needs.
type PlanOptions struct {
	Inputs   InputOptions
	Scenario coverage.Scenario // validated
	// AutoCosts, when not nil, replaces Scenario for an area outside
	// metropolitan France: the same scenario on the "us" cost preset. The
	// default cost preset, "fr", is French prices for French networks;
	// the command sets AutoCosts when the user chose no cost preset.
	AutoCosts *coverage.Scenario
	Out       string // output directory, created if missing
	Report    ReportOptions
	Run       RunOptions

	CPUProfile string // write a CPU profile of the run there; "" = none
	MemProfile string // write an allocation profile there at the end; "" = none

	// For batch: stamp is recorded in the output set's manifest, and
	// extra lists files written into the set after the plan's own.
	stamp string
	extra func(src *render.Source) []output
}

// MeasureOptions is everything one measure run needs.
type MeasureOptions struct {
	Inputs InputOptions
	Out    string // output directory, created if missing
	Run    RunOptions
}

// validate checks what the run functions need of the inputs, as usage
// errors.
func (o InputOptions) validate() error {
	if o.Zones == "" && o.Premises == "" {
		return usagef("give --zones, --premises or both")
	}
	if (o.ZoneTableWhere != "" || o.ZoneTableKey != "") && o.ZoneTable == "" {
		return usagef("--zone-table-where and --zone-table-key need --zone-table")
	}
	if o.ZoneTable != "" && o.Zones == "" {
		return usagef("--zone-table needs --zones")
	}
	if (o.LonField == "") != (o.LatField == "") {
		return usagef("--lon-field and --lat-field go together: give both")
	}
	if o.LonField != "" && o.Premises == "" {
		return usagef("--lon-field and --lat-field name columns of --premises: give --premises")
	}
	return nil
}

// validate checks the running options, as usage errors.
func (o RunOptions) validate() error {
	if o.Workers < 0 {
		return usagef("--workers: want 1 or more (or 0: one per CPU), got %d", o.Workers)
	}
	if _, err := parseLogFormat(string(o.LogFormat)); err != nil {
		return err
	}
	return nil
}

// validate checks a plan's options, as usage errors.
func (o PlanOptions) validate() error {
	if err := o.Inputs.validate(); err != nil {
		return err
	}
	if err := o.Run.validate(); err != nil {
		return err
	}
	if g := o.Inputs.GridM; g < 10 || g > 100000 {
		return usagef("--grid-m: want 10 to 100000 metres, got %g", g)
	}
	if o.Out == "" {
		return usagef("give --out DIR")
	}
	if l := o.Report.Lang; l != "fr" && l != "en" {
		return usagef("--lang: want fr or en, got %q", l)
	}
	return nil
}

// inputFlags are the flags naming a run's inputs (InputOptions).
func inputFlags() []cli.Flag {
	return []cli.Flag{
		onceFlag(&cli.GenericFlag{Name: "zones", Usage: "zones `FILE`: Polygon/MultiPolygon features in GeoJSON, a WKT CSV, KML/KMZ, a GeoPackage (FILE.gpkg or FILE.gpkg|layername=NAME) or a shapefile (.shp or .zip)"}),
		&cli.StringFlag{Name: "zone-id-field", Usage: "property holding the zone id (default: id, zone_id, code, code_insee or insee)"},
		onceFlag(&cli.GenericFlag{Name: "zone-table", Usage: "CSV `FILE` of population/households per zone id, joined to the zones"}),
		&cli.StringFlag{Name: "zone-table-key", Usage: "id column of --zone-table (default: zone_id, id, code_insee, insee, code)"},
		&cli.StringFlag{Name: "zone-table-where", Usage: "use only the --zone-table rows where `COLUMN=VALUE` (e.g. type=commune-actuelle)"},
		&cli.Float64Flag{Name: "grid-m", Usage: "without --zones: square grid cells of this size in metres over the premises", Value: 1000},
		onceFlag(&cli.GenericFlag{Name: "premises", Usage: "premises `FILE`: CSV (lon/lat, x/y, WKT columns), GeoJSON, KML, GeoPackage or shapefile points; without it, zone-level mode"}),
		&cli.StringFlag{Name: "lon-field", Usage: "CSV column of --premises holding the longitude (or Lambert-93 x), with --lat-field (default: detect lon, lng, longitude, x...)"},
		&cli.StringFlag{Name: "lat-field", Usage: "CSV column of --premises holding the latitude (or Lambert-93 y), with --lon-field (default: detect lat, latitude, y...)"},
		&cli.StringSliceFlag{Name: "fibre", Usage: "existing fibre network `FILE` (repeatable): node points, route lines, served-area polygons (CSV, GeoJSON, KML/KMZ, GeoPackage, shapefile)"},
		&cli.StringSliceFlag{Name: "aps", Usage: "existing Wi-Fi / fixed-wireless access points `FILE` (repeatable): points as for --premises"},
	}
}

// inputOptionsFromCLI reads the inputFlags and the checkFlags (those c's
// command has).
func inputOptionsFromCLI(c *cli.Context) (InputOptions, error) {
	lim, err := limitsFromCLI(c)
	return InputOptions{
		Zones:          c.String("zones"),
		ZoneIDField:    c.String("zone-id-field"),
		ZoneTable:      c.String("zone-table"),
		ZoneTableKey:   c.String("zone-table-key"),
		ZoneTableWhere: c.String("zone-table-where"),
		GridM:          c.Float64("grid-m"),
		Premises:       c.String("premises"),
		LonField:       c.String("lon-field"),
		LatField:       c.String("lat-field"),
		Fibre:          c.StringSlice("fibre"),
		APs:            c.StringSlice("aps"),
		CRS:            c.String("crs"),
		Limits:         lim,
		Strict:         c.Bool("strict"),
	}, err
}

// runFlags are the flags of RunOptions.
func runFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: "workers", Usage: "goroutines for measuring and evaluating", DefaultText: "one per CPU"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print errors only: no progress, notice, warning or summary"},
		&cli.BoolFlag{Name: "timings", Usage: "print on stderr the wall time of every stage, then the total with CPU time and peak memory"},
		&cli.StringFlag{Name: "log-format", Value: string(LogText), Usage: "how stderr is written: text (for people) or json (one record per line, for scheduled jobs: warnings, timings, the summary, errors)"},
	}
}

// runOptionsFromCLI reads the runFlags.
func runOptionsFromCLI(c *cli.Context) (RunOptions, error) {
	f, err := parseLogFormat(c.String("log-format"))
	return RunOptions{Workers: c.Int("workers"), Quiet: c.Bool("quiet"), Timings: c.Bool("timings"), LogFormat: f}, err
}

// onceValue is the value of a flag that names one file or folder: given
// twice, the command line is refused, rather than one of the two silently
// used.
type onceValue struct {
	value string
	set   bool
}

func (v *onceValue) Set(s string) error {
	if v.set {
		return fmt.Errorf("given twice (%s, then %s): give it once", v.value, s)
	}
	v.value, v.set = s, true
	return nil
}

func (v *onceValue) String() string { return v.value }

// onceFlag gives f a fresh onceValue. c.String reads it.
func onceFlag(f *cli.GenericFlag) *cli.GenericFlag {
	f.Value = &onceValue{}
	return f
}
