// Package render writes covplan's outputs from a finished plan: the HTML
// report, zones.csv, zones.geojson, premises.csv and summary.json. It knows
// nothing about files by name: every writer takes an io.Writer.
package render

import (
	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
)

// Source is everything the writers need, as plain data.
type Source struct {
	Plan     *coverage.Plan
	Input    *coverage.Input
	Measures []coverage.PremiseMeasure // aligned with Input.Premises; nil in zone-level mode

	// ZonesLL is each zone's geometry in WGS84 lon/lat (orb.Polygon or
	// orb.MultiPolygon), aligned with Input.Zones, for GeoJSON and maps.
	ZonesLL []orb.Geometry
	// Unproject maps a point of the plan's metric frame back to lon/lat.
	Unproject func(orb.Point) orb.Point

	Meta Meta
}

// Meta describes the run: versions, inputs, what was skipped and what
// was found about the inputs. The command fills it; the writers never read
// the clock or the environment.
type Meta struct {
	Title   string // e.g. "Cantal (15)"; may be empty
	Version string // covplan version
	Frame   string // metric frame used inside the core, e.g. "EPSG:2154 Lambert-93"
	Inputs  []InputFile
	Skipped []SkipCount
	// Findings are what the run said about its inputs on stderr, in the
	// order it said them (the input files in reading order, then the
	// features skipped as far, then the premises outside every zone). A
	// run with findings planned on inputs that were repaired, cut or
	// doubtful: the report shows them first. Records counted in Skipped
	// are findings too, with examples.
	Findings []Finding

	// Warnings are anything else the command told the user that changes
	// the meaning of the plan, one sentence each; the report shows them,
	// as given, at the top of the page.
	Warnings []string
	// Sources are the data sources and licences to credit (--source,
	// repeatable), one line each. A line that starts with an input's file
	// name or role followed by ":" ("communes.geojson: IGN Admin Express
	// 2018, Licence Ouverte") is shown with that input; the others are
	// listed as they are.
	Sources []string
	// StartYear is the calendar year of rollout year 1 (--start-year; the
	// command defaults it to the current year). 0 shows "Year 1, 2, …".
	StartYear int
	// Date is the date of the run, YYYY-MM-DD, for the report's cover; ""
	// shows none.
	Date string
}

// Finding is one kind of thing found about one input file: a repair
// (an unclosed ring closed), records skipped, records kept with a caveat,
// overlapping zones, duplicate ids, features far from the area, premises
// outside every zone.
type Finding struct {
	File     string
	Code     string   // stable, e.g. "unclosed-ring", "skipped", "overlap", "far-feature", "outside-zones" (docs/inputs.md §7)
	Severity string   // "repaired", "skipped" or "warning"
	Count    int      // features, records or pairs of zones concerned
	Message  string   // what was found, e.g. "pair(s) of zones overlap"
	Hint     string   // what it means or what to do; may be empty
	Examples []string // up to 5, in file order, e.g. `line 3 (id "p1") at 2.444600,44.926400`
}

// InputFile is one input file with its role and digest.
type InputFile struct {
	Role    string // zones, premises, fibre, aps
	Name    string // base name as given
	SHA256  string // hex
	Records int    // records loaded
	Skipped int    // records skipped (see Meta.Skipped for reasons)
	CRS     string // CRS detected or assumed
}

// SkipCount counts the records of one file skipped for one reason.
type SkipCount struct {
	File   string
	Reason string
	Count  int
}
