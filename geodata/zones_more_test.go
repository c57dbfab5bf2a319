package geodata

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestReadZonesRepairs(t *testing.T) {
	in := fc(
		feat(`{"id":"open"}`, `{"type":"Polygon","coordinates":[[[2,45],[2.1,45],[2.1,45.1],[2,45.1]]]}`),
		feat(`{"id":"dup"}`, `{"type":"Polygon","coordinates":[[[3,45],[3.1,45],[3.1,45],[3.1,45.1],[3,45.1],[3,45.1],[3,45]]]}`),
		feat(`{"id":"flat hole"}`, `{"type":"Polygon","coordinates":[[[4,45],[4.1,45],[4.1,45.1],[4,45.1],[4,45]],[[4.01,45.01],[4.02,45.02],[4.03,45.03],[4.01,45.01]]]}`),
		feat(`{"id":"flat part"}`, `{"type":"MultiPolygon","coordinates":[[[[5,45],[5.1,45],[5.1,45.1],[5,45.1],[5,45]]],[[[6,45],[6.1,45],[6.2,45],[6,45]]]]}`),
	)
	z, err := ReadZones(strings.NewReader(in), "z.geojson", ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range z.Diagnostics {
		got = append(got, d.String())
	}
	want := []string{
		`z.geojson: 1 unclosed ring(s) closed (the first position repeated at the end) (repaired): e.g. feature 0 (id "open") at 2.000000,45.000000: ring 0`,
		`z.geojson: 1 repeated consecutive position(s) removed (repaired): e.g. feature 1 (id "dup") at 3.000000,45.000000: 2 in ring 0`,
		`z.geojson: 1 hole(s) of zero area dropped (repaired): e.g. feature 2 (id "flat hole") at 4.010000,45.010000: ring 1`,
		`z.geojson: 1 MultiPolygon part(s) of zero area dropped (repaired): e.g. feature 3 (id "flat part"): part 1`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r := z.Geoms[1].(orb.Polygon)[0]; len(r) != 5 {
		t.Errorf("deduplicated ring %v", r)
	}
	if p := z.Geoms[2].(orb.Polygon); len(p) != 1 {
		t.Errorf("flat hole kept: %v", p)
	}
	if mp := z.Geoms[3].(orb.MultiPolygon); len(mp) != 1 {
		t.Errorf("flat part kept: %v", mp)
	}
	// Strict refuses the first repair.
	_, err = ReadZones(strings.NewReader(in), "z.geojson", ZoneOptions{Strict: true})
	if !errors.Is(err, ErrStrict) || !strings.Contains(err.Error(), `z.geojson: strict: 1 unclosed ring(s) closed`) || !strings.Contains(err.Error(), "and 3 more") {
		t.Errorf("strict: %v", err)
	}
}

func TestReadZonesInvalid(t *testing.T) {
	bowtie := `{"type":"Polygon","coordinates":[[[2,45],[2.1,45.1],[2.1,45],[2,45.1],[2,45]]]}`
	tests := []struct {
		name, in string
		sentinel error
		want     string
	}{
		{"bow-tie", fc(feat(`{"id":"a"}`, sq), feat(`{"id":"b"}`, bowtie)), ErrGeometry,
			`geodata: z.geojson: feature 1 (id "b"): geometry: ring 0 crosses itself at 2.0500000,45.0500000: a self-intersecting geometry has no unambiguous repair`},
		{"flat zone", fc(feat(`{"id":"a"}`, `{"type":"Polygon","coordinates":[[[2,45],[2.1,45],[2.2,45],[2,45]]]}`)), ErrGeometry,
			`geodata: z.geojson: feature 0 (id "a"): geometry: ring 0 (the outer ring) has zero area`},
		{"no features", `{"type":"FeatureCollection","features":[]}`, ErrEmpty, `geodata: z.geojson: no zones: the file has no features`},
		{"only null geometries", fc(feat(`{"id":"a"}`, `null`), feat(`{"id":"b"}`, `null`)), ErrEmpty,
			`geodata: z.geojson: no zones: none of the 2 features is a usable polygon (skipped: 2 empty geometry)`},
		{"duplicates listed", fc(feat(`{"code":"1"}`, sq), feat(`{"code":"1"}`, sq), feat(`{"code":"2"}`, sq), feat(`{"code":"2"}`, sq), feat(`{"code":"2"}`, sq)), ErrDuplicateID,
			`geodata: z.geojson: feature 1: id: "1" is also the id of feature 0; 2 ids are used by more than one zone: "1", "2"`},
		{"one-number position", fc(feat(`{"id":"a"}`, sq), feat(`{"id":"b"}`, `{"type":"Polygon","coordinates":[[[2,45],[2.1],[2.1,45.1],[2,45]]]}`)), ErrSyntax,
			`geodata: z.geojson: feature 1 (id "b"): a position needs at least 2 numbers (invalid JSON at byte`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadZones(strings.NewReader(tt.in), "z.geojson", ZoneOptions{})
			if !errors.Is(err, tt.sentinel) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant %v starting %s", err, tt.sentinel, tt.want)
			}
		})
	}
}

func TestReadZonesOverlapDiagnostic(t *testing.T) {
	in := fc(feat(`{"id":"a"}`, sq), feat(`{"id":"b"}`, `{"type":"Polygon","coordinates":[[[2.05,45],[2.15,45],[2.15,45.1],[2.05,45.1],[2.05,45]]]}`),
		feat(`{"id":"c"}`, `{"type":"Polygon","coordinates":[[[2.1,45],[2.2,45],[2.2,45.1],[2.1,45.1],[2.1,45]]]}`))
	z, err := ReadZones(strings.NewReader(in), "z.geojson", ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(z.Diagnostics) != 1 {
		t.Fatalf("diagnostics %v", z.Diagnostics)
	}
	d := z.Diagnostics[0]
	want := `z.geojson: 2 pair(s) of zones overlap (warning): e.g. feature 0 (id "a") and feature 1 (id "b") at 2.075000,45.050000: overlap of 43.68 km²; feature 1 (id "b") and feature 2 (id "c") at 2.125000,45.050000: overlap of 43.68 km² — a premise in an overlap belongs to the zone that comes first`
	if !strings.HasPrefix(d.String(), want) {
		t.Errorf("got  %s\nwant %s", d, want)
	}
	if _, err := ReadZones(strings.NewReader(in), "z.geojson", ZoneOptions{Strict: true}); !errors.Is(err, ErrStrict) {
		t.Errorf("strict: %v", err)
	}
}

func TestReadZonesCSV(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"semicolon WKT", "code_insee;nom;population;geom\n15014;Aurillac;26214;POLYGON ((2.4 44.9, 2.5 44.9, 2.5 45, 2.4 45, 2.4 44.9))\n",
			"[15014] [Aurillac] [26214] Polygon EPSG:4326 (WGS84 lon/lat)"},
		{"comma, quoted, multipolygon, BOM", "\ufeffid,wkt\n01004,\"MULTIPOLYGON (((5.3 45.9, 5.4 45.9, 5.4 46, 5.3 45.9)), ((5.5 45.9, 5.6 45.9, 5.6 46, 5.5 45.9)))\"\n",
			"[01004] [] [0] MultiPolygon EPSG:4326 (WGS84 lon/lat)"},
		{"EWKT Lambert-93, Z", "id\twkt_geom\nz1\tSRID=2154;POLYGON Z ((700000 6600000 1, 701000 6600000 1, 701000 6601000 1, 700000 6600000 1))\n",
			"[z1] [] [0] Polygon EPSG:2154 (declared in the file)"},
		{"GeoJSON cell", "id;Geo Shape\nA;{\"type\": \"Polygon\", \"coordinates\": [[[2,45],[2.1,45],[2.1,45.1],[2,45]]]}\n",
			"[A] [] [0] Polygon EPSG:4326 (WGS84 lon/lat)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, err := ReadZones(strings.NewReader(tt.in), "z.csv", ZoneOptions{})
			if err != nil {
				t.Fatal(err)
			}
			typ := "Polygon"
			if _, ok := z.Geoms[0].(orb.MultiPolygon); ok {
				typ = "MultiPolygon"
			}
			if got := fmt.Sprint(z.IDs, " ", z.Names, " ", z.Population, " ", typ, " ", z.CRS); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if z.Format != "csv" {
				t.Errorf("format %q", z.Format)
			}
		})
	}
	for _, bad := range []struct{ in, want string }{
		{"id,wkt\n1,POLYGON ((2 45, 2.1 45, 2.1 45.1, 2 45))\n", `z.csv:2: 5 fields, the header has 2 (separator ','; a WKT cell that holds the separator must be quoted)`},
		{"id;wkt\n1;POINT (2 45)\n", `z.csv:2: wkt: POINT is not a POLYGON or MULTIPOLYGON`},
		{"id;wkt\n1;POLYGON ((2 45, 2.1 45, 2.1))\n", `z.csv:2: wkt: bad WKT POLYGON: a position needs 2 numbers`},
		{"id;nom\n1;a\n", `z.csv:1: not GeoJSON, and as CSV no geometry column`},
		{"id;wkt\nz1;POLYGON ((2 45, 2.1 45.1, 2.1 45, 2 45.1, 2 45))\n", `z.csv:2 (id "z1"): geometry: ring 0 crosses itself`},
		{"id;wkt\n", `z.csv: no zones: the file has no features`},
	} {
		_, err := ReadZones(strings.NewReader(bad.in), "z.csv", ZoneOptions{})
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: err = %v\nwant %s", bad.in, err, bad.want)
		}
	}
	// /dev/zero as zones fails on the record limit, fast.
	if _, err := ReadZones(zeros{}, "zero", ZoneOptions{Limits: Limits{MaxRecordBytes: 1 << 20}}); !errors.Is(err, ErrLimit) {
		t.Errorf("zeros: %v", err)
	}
}
