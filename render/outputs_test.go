package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

type writerFunc func(io.Writer, *Source) error

var outputWriters = []struct {
	file  string
	write writerFunc
}{
	{"zones.csv", WriteZonesCSV},
	{"zones.geojson", WriteZonesGeoJSON},
	{"premises.csv", WritePremisesCSV},
	{"summary.json", WriteSummaryJSON},
}

var outputSources = []struct {
	name string
	src  func() *Source
}{
	{"premise", premiseSource},
	{"zonelevel", zoneLevelSource},
}

func write(t testing.TB, f writerFunc, src *Source) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f(&buf, src); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestOutputsGolden compares every writer's output for the fixtures with
// testdata/outputs/<source>-<file>.golden, and checks that two runs are
// byte-identical. go test ./render -run Outputs -update rewrites them.
func TestOutputsGolden(t *testing.T) {
	for _, s := range outputSources {
		for _, w := range outputWriters {
			t.Run(s.name+"/"+w.file, func(t *testing.T) {
				got := write(t, w.write, s.src())
				again := write(t, w.write, s.src())
				if !bytes.Equal(got, again) {
					t.Fatalf("two runs differ:\n%s\n---\n%s", got, again)
				}
				path := filepath.Join("testdata", "outputs", s.name+"-"+w.file+".golden")
				if updateGolden() {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					failed := filepath.Join(t.TempDir(), filepath.Base(path))
					_ = os.WriteFile(failed, got, 0o644)
					t.Errorf("%s differs from the golden file; got written to %s\n%s", path, failed, firstDiff(got, want))
				}
			})
		}
	}
}

// firstDiff describes the first differing line of two texts.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return "(same lines)"
}

func readCSV(t *testing.T, b []byte) (header []string, rows []map[string]string) {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	recs, err := r.ReadAll() // also checks every row has the header's field count
	if err != nil {
		t.Fatalf("written CSV does not parse: %v", err)
	}
	header = recs[0]
	for _, rec := range recs[1:] {
		m := make(map[string]string, len(header))
		for i, h := range header {
			m[h] = rec[i]
		}
		rows = append(rows, m)
	}
	return header, rows
}

func TestOutputsZonesCSVParsesBack(t *testing.T) {
	src := premiseSource()
	header, rows := readCSV(t, write(t, WriteZonesCSV, src))
	if !slices.Equal(header, ZoneColumns()) {
		t.Fatalf("header = %v\nwant %v", header, ZoneColumns())
	}
	required := strings.Split("zone_id,name,premises,units,technology,capex_eur,opex_eur_per_year,npv_eur,npv_per_premise_eur,down_mbps,up_mbps,latency_ms,meets_target,reasons,fibre_npv_eur,fibre_feasible,fibre_reasons,wifi_npv_eur,wifi_feasible,wifi_reasons,leo_npv_eur,leo_feasible,leo_reasons,geo_npv_eur,geo_feasible,geo_reasons", ",")
	if !slices.Equal(header[:len(required)], required) {
		t.Errorf("the contract's first columns changed:\n got %v\nwant %v", header[:len(required)], required)
	}
	if len(rows) != len(src.Input.Zones) {
		t.Fatalf("%d rows for %d zones", len(rows), len(src.Input.Zones))
	}
	for i, z := range src.Input.Zones {
		if rows[i]["zone_id"] != z.ID || rows[i]["name"] != z.Name {
			t.Errorf("row %d: zone_id %q name %q, want %q %q", i, rows[i]["zone_id"], rows[i]["name"], z.ID, z.Name)
		}
	}
	tests := []struct {
		row       int
		col, want string
	}{
		{0, "technology", "fibre"},
		{0, "capex_eur", "123456.79"},
		{0, "present_cost_per_premise_eur", "57929.82"},
		{0, "down_mbps", "1000.0"},
		{0, "meets_target", "true"},
		{0, "reasons", ""},
		{0, "geo_feasible", "false"},
		{0, "geo_reasons", "SAT_LATENCY"},
		{0, "leo_feasible", "true"},
		{0, "leo_reasons", "SAT_OBSTRUCTED"},
		{0, "level", "premise"},
		{0, "year", ""},
		{0, "population", "25000"},
		{0, "area_km2", "1.000000"},
		{0, "fibre_dist_mean_m", "565.685"}, // (0 + 565.685 + 1131.371) / 3
		{0, "fibre_dist_max_m", "1131.371"},
		{0, "passed_premises", "1"},
		{0, "wifi_covered_premises", "2"},
		{0, "centroid_lon", "2.4050000"}, // (500 m, 500 m) through metreToLL
		{0, "centroid_lat", "44.9050000"},
		{1, "fibre_reasons", "FIBRE_OVER_THRESHOLD|FIBRE_TOO_FAR"},
		{1, "fibre_present_cost_eur", "3600000.00"}, // no scientific notation
		{1, "fibre_capex_eur", "2500000.00"},
		{1, "capex_eur", "30000.01"}, // 30000.005 is 30000.00500000000101863 in binary
		{1, "latency_ms", "12.2"},    // 12.25 is exact: round half to even
		{1, "area_km2", "1.210000"},  // 1 km² - 0.04 hole + 0.25
		{1, "households", ""},
		// A zone without premises: no choice, nothing evaluated.
		{2, "technology", "none"},
		{2, "premises", "0"},
		{2, "capex_eur", ""},
		{2, "present_cost_per_premise_eur", ""},
		{2, "meets_target", "false"},
		{2, "fibre_present_cost_eur", ""},
		{2, "fibre_npv_eur", ""},
		{2, "fibre_feasible", ""},
		{2, "fibre_dist_mean_m", ""},
		{2, "passed_premises", "0"},
		{2, "name", "L'Abergement-Clémenciat"},
		{3, "wifi_feasible", "false"},
		{3, "wifi_present_cost_eur", "0.00"},
		{3, "geo_present_cost_eur", ""}, // NaN
		{3, "geo_feasible", "false"},
		// Nothing feasible.
		{4, "technology", "none"},
		{4, "reasons", "BELOW_TARGET"},
		{4, "npv_eur", ""},
		{4, "leo_feasible", "false"},
		{4, "leo_reasons", "SAT_CAPACITY"},
		{4, "geo_reasons", "SAT_LATENCY|BELOW_TARGET"},
		{4, "fibre_dist_mean_m", ""}, // only premise has no reachable network
		{4, "name", `Neuvéglise-sur-Truyère, "bourg"`},
	}
	for _, tc := range tests {
		if got := rows[tc.row][tc.col]; got != tc.want {
			t.Errorf("row %d (%s) %s = %q, want %q", tc.row, rows[tc.row]["zone_id"], tc.col, got, tc.want)
		}
	}
}

// TestOutputsNoBadNumbers checks every numeric field of every CSV output:
// plain decimal, no exponent, no NaN/Inf, no negative zero.
func TestOutputsNoBadNumbers(t *testing.T) {
	for _, s := range outputSources {
		for _, w := range []struct {
			name string
			f    writerFunc
		}{{"zones.csv", WriteZonesCSV}, {"premises.csv", WritePremisesCSV}} {
			_, rows := readCSV(t, write(t, w.f, s.src()))
			for i, row := range rows {
				for col, v := range row {
					if strings.ContainsAny(v, "eE") && isNumeric(v) || strings.Contains(v, "NaN") || strings.Contains(v, "Inf") || strings.HasPrefix(v, "-0.0") && strings.Trim(v, "-0.") == "" {
						t.Errorf("%s %s row %d %s = %q", s.name, w.name, i, col, v)
					}
				}
			}
		}
	}
}

func isNumeric(s string) bool { _, err := strconv.ParseFloat(s, 64); return err == nil }

func TestOutputsZonesGeoJSONParsesBack(t *testing.T) {
	for _, s := range outputSources {
		t.Run(s.name, func(t *testing.T) {
			src := s.src()
			gj := write(t, WriteZonesGeoJSON, src)
			fc, err := geojson.UnmarshalFeatureCollection(gj)
			if err != nil {
				t.Fatalf("orb/geojson: %v", err)
			}
			if len(fc.Features) != len(src.Input.Zones) {
				t.Fatalf("%d features for %d zones", len(fc.Features), len(src.Input.Zones))
			}
			for i, f := range fc.Features {
				z := src.Input.Zones[i]
				if f.ID != z.ID {
					t.Errorf("feature %d id = %v, want %q", i, f.ID, z.ID)
				}
				if f.Properties["zone_id"] != z.ID || f.Properties["name"] != z.Name {
					t.Errorf("feature %d properties zone_id/name = %v/%v", i, f.Properties["zone_id"], f.Properties["name"])
				}
				if got, want := f.Geometry.GeoJSONType(), z.Geom.GeoJSONType(); got != want {
					t.Errorf("feature %d geometry %s, want %s", i, got, want)
				}
				checkClosedLL(t, i, f.Geometry)
				// Within 1e-7° of the source after rounding.
				if want := zoneGeometryLL(src, i); !geomNear(f.Geometry, want, 0.6e-7) {
					t.Errorf("feature %d geometry is not the zone's:\n got %v\nwant %v", i, f.Geometry, want)
				}
			}
			checkGeoJSONMatchesCSV(t, gj, write(t, WriteZonesCSV, src))
		})
	}
}

func checkClosedLL(t *testing.T, i int, g orb.Geometry) {
	t.Helper()
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	for _, p := range polys {
		for _, r := range p {
			if len(r) < 4 || !r.Closed() {
				t.Errorf("feature %d: ring of %d positions, closed %v", i, len(r), r.Closed())
			}
			for _, pt := range r {
				if pt[0] < -180 || pt[0] > 180 || pt[1] < -90 || pt[1] > 90 {
					t.Errorf("feature %d: %v is not lon/lat", i, pt)
				}
			}
		}
	}
}

// geomNear compares two polygonal geometries position by position, allowing
// a closing position that the source ring did not have.
func geomNear(got, want orb.Geometry, tol float64) bool {
	flat := func(g orb.Geometry) []orb.Ring {
		var rs []orb.Ring
		switch g := g.(type) {
		case orb.Polygon:
			rs = append(rs, g...)
		case orb.MultiPolygon:
			for _, p := range g {
				rs = append(rs, p...)
			}
		}
		return rs
	}
	gr, wr := flat(got), flat(want)
	if len(gr) != len(wr) {
		return false
	}
	for i := range gr {
		w := wr[i]
		if !w.Closed() {
			w = append(w[:len(w):len(w)], w[0])
		}
		if len(gr[i]) != len(w) {
			return false
		}
		for j := range w {
			if math.Abs(gr[i][j][0]-w[j][0]) > tol || math.Abs(gr[i][j][1]-w[j][1]) > tol {
				return false
			}
		}
	}
	return true
}

// checkGeoJSONMatchesCSV checks that each feature's properties are the
// zones.csv row: same keys in the same order, numbers with the same text,
// null where the CSV is empty, arrays where it has "|"-joined reasons.
func checkGeoJSONMatchesCSV(t *testing.T, gj, zonesCSV []byte) {
	t.Helper()
	var fc struct {
		Type     string
		Features []struct {
			Type       string
			ID         json.RawMessage
			Properties json.RawMessage
		}
	}
	if err := json.Unmarshal(gj, &fc); err != nil {
		t.Fatal(err)
	}
	header, rows := readCSV(t, zonesCSV)
	if fc.Type != "FeatureCollection" || len(fc.Features) != len(rows) {
		t.Fatalf("type %q, %d features for %d rows", fc.Type, len(fc.Features), len(rows))
	}
	for i, f := range fc.Features {
		keys, vals := objectMembers(t, f.Properties)
		if !slices.Equal(keys, header) {
			t.Fatalf("feature %d keys %v\nwant %v", i, keys, header)
		}
		for j, col := range header {
			want, raw := rows[i][col], vals[j]
			var got string
			switch {
			case string(raw) == "null":
				got = ""
			case raw[0] == '"':
				_ = json.Unmarshal(raw, &got)
			case raw[0] == '[':
				var rs []string
				if err := json.Unmarshal(raw, &rs); err != nil {
					t.Fatalf("feature %d %s: %s is not an array of strings", i, col, raw)
				}
				got = strings.Join(rs, "|")
			default: // number or boolean: same text as the CSV
				got = string(raw)
			}
			if got != want {
				t.Errorf("feature %d %s = %s, csv has %q", i, col, raw, want)
			}
			if strings.HasSuffix(col, "_reasons") || col == "reasons" {
				if (raw[0] != '[') != (want == "") || string(raw) == "[]" {
					t.Errorf("feature %d %s = %s, want an array, or null when empty", i, col, raw)
				}
			}
		}
	}
}

// objectMembers returns the keys and raw values of a JSON object, in order.
func objectMembers(t *testing.T, obj []byte) (keys []string, vals []json.RawMessage) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(obj))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", obj)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		keys, vals = append(keys, tok.(string)), append(vals, v)
	}
	return keys, vals
}

func TestOutputsPremisesCSVParsesBack(t *testing.T) {
	src := premiseSource()
	header, rows := readCSV(t, write(t, WritePremisesCSV, src))
	want := []string{"premise_id", "zone_id", "fibre_dist_m", "aps_in_range", "technology", "units", "kind", "passed", "node_dist_m"}
	if !slices.Equal(header, want) {
		t.Fatalf("header %v, want %v", header, want)
	}
	if len(rows) != len(src.Input.Premises) {
		t.Fatalf("%d rows for %d premises", len(rows), len(src.Input.Premises))
	}
	for i, p := range src.Input.Premises {
		if rows[i]["premise_id"] != p.ID {
			t.Errorf("row %d premise_id %q, want %q", i, rows[i]["premise_id"], p.ID)
		}
		zoneID := ""
		if z := src.Measures[i].Zone; z >= 0 {
			zoneID = src.Input.Zones[z].ID
		}
		if rows[i]["zone_id"] != zoneID {
			t.Errorf("row %d zone_id %q, want %q", i, rows[i]["zone_id"], zoneID)
		}
		if got, want := rows[i]["technology"], src.Plan.PremiseTech[i].String(); got != want {
			t.Errorf("row %d technology %q, want %q", i, got, want)
		}
	}
	tests := []struct {
		row       int
		col, want string
	}{
		{0, "fibre_dist_m", "0.000"},
		{0, "passed", "true"},
		{0, "node_dist_m", "141.421"},
		{1, "fibre_dist_m", "565.685"},
		{1, "aps_in_range", "2"},
		{1, "kind", "business"},
		{1, "units", "4"},
		{2, "technology", "leo"}, // its own technology, not the zone's fibre
		{3, "premise_id", "15187_b,1"},
		{6, "zone_id", ""},
		{6, "technology", "none"},
		{7, "fibre_dist_m", ""},
		{7, "node_dist_m", ""},
	}
	for _, tc := range tests {
		if got := rows[tc.row][tc.col]; got != tc.want {
			t.Errorf("row %d %s = %q, want %q", tc.row, tc.col, got, tc.want)
		}
	}
}

func TestOutputsPremisesCSVWithoutPremiseTech(t *testing.T) {
	src := premiseSource()
	src.Plan.PremiseTech = nil
	_, rows := readCSV(t, write(t, WritePremisesCSV, src))
	for i, m := range src.Measures {
		want := "none"
		if m.Zone >= 0 {
			want = src.Plan.Zones[m.Zone].Chosen.String()
		}
		if rows[i]["technology"] != want {
			t.Errorf("row %d technology %q, want the zone's %q", i, rows[i]["technology"], want)
		}
	}
}

func TestOutputsZoneLevelPremisesCSVIsHeaderOnly(t *testing.T) {
	got := write(t, WritePremisesCSV, zoneLevelSource())
	if want := "premise_id,zone_id,fibre_dist_m,aps_in_range,technology,units,kind,passed,node_dist_m\n"; string(got) != want {
		t.Errorf("got %q, want the header alone", got)
	}
}

func TestOutputsSummaryMatchesZonesCSV(t *testing.T) {
	for _, s := range outputSources {
		t.Run(s.name, func(t *testing.T) { checkSummaryMatchesCSV(t, s.src()) })
	}
}

// checkSummaryMatchesCSV checks that summary.json's totals are the sums of
// the zones.csv columns, overall and per technology.
func checkSummaryMatchesCSV(t *testing.T, src *Source) {
	t.Helper()
	var sum Summary
	if err := json.Unmarshal(write(t, WriteSummaryJSON, src), &sum); err != nil {
		t.Fatal(err)
	}
	_, rows := readCSV(t, write(t, WriteZonesCSV, src))
	col := func(name string, keep func(map[string]string) bool) float64 {
		total := 0.0
		for _, r := range rows {
			if v, err := strconv.ParseFloat(r[name], 64); err == nil && (keep == nil || keep(r)) {
				total += v
			}
		}
		return total
	}
	near := func(what string, got Euros, want float64) {
		t.Helper()
		// Each CSV figure is rounded to the cent.
		if math.Abs(float64(got)-want) > 0.005*float64(len(rows))+1e-6*math.Abs(want) {
			t.Errorf("%s = %.2f, sum of zones.csv %.2f", what, float64(got), want)
		}
	}
	if sum.Totals.Zones != len(rows) {
		t.Errorf("zones %d, rows %d", sum.Totals.Zones, len(rows))
	}
	if got, want := float64(sum.Totals.Premises), col("premises", nil); got != want {
		t.Errorf("premises %v, csv %v", got, want)
	}
	if sum.Totals.PremisesReached != nil {
		if got, want := float64(*sum.Totals.PremisesReached), col("premises_reached", nil); got != want {
			t.Errorf("premises reached %v, csv %v", got, want)
		}
	}
	near("capex_eur", sum.Totals.CapexEUR, col("capex_eur", nil))
	near("present_cost_eur", sum.Totals.PresentCostEUR, col("present_cost_eur", nil))
	near("public_cost_eur", sum.Totals.PublicCostEUR, col("public_cost_eur", nil))
	meets := func(r map[string]string) bool { return r["meets_target"] == "true" }
	if got, want := float64(sum.Target.PremisesMeeting), col("premises", meets); got != want {
		t.Errorf("premises meeting %v, csv %v", got, want)
	}
	if len(sum.ByTechnology) != 5 {
		t.Fatalf("%d technologies", len(sum.ByTechnology))
	}
	zones, premises := 0, 0
	for _, bt := range sum.ByTechnology {
		tech := func(r map[string]string) bool { return r["technology"] == bt.Technology }
		near(bt.Technology+" capex_eur", bt.CapexEUR, col("capex_eur", tech))
		if got, want := float64(bt.Premises), col("premises", tech); got != want {
			t.Errorf("%s premises %v, csv %v", bt.Technology, got, want)
		}
		zones += bt.Zones
		premises += bt.Premises
	}
	if zones != sum.Totals.Zones || premises != sum.Totals.Premises {
		t.Errorf("per technology: %d zones %d premises; totals %d %d", zones, premises, sum.Totals.Zones, sum.Totals.Premises)
	}
	// Reason counts are the zones.csv rows carrying each code.
	has := func(col, code string) func(map[string]string) bool {
		return func(r map[string]string) bool { return slices.Contains(strings.Split(r[col], "|"), code) }
	}
	count := func(keep func(map[string]string) bool) int {
		n := 0
		for _, r := range rows {
			if keep(r) {
				n++
			}
		}
		return n
	}
	seen := map[string]bool{}
	for _, rc := range sum.Reasons {
		seen[rc.Code] = true
		got := []int{rc.Zones, int(col("premises", has("reasons", rc.Code))), rc.Fibre, rc.Wifi, rc.LEO, rc.GEO}
		want := []int{count(has("reasons", rc.Code)), got[1], count(has("fibre_reasons", rc.Code)),
			count(has("wifi_reasons", rc.Code)), count(has("leo_reasons", rc.Code)), count(has("geo_reasons", rc.Code))}
		if rc.Premises != got[1] || !slices.Equal(got, want) {
			t.Errorf("reason %s: summary %+v, zones.csv %v", rc.Code, rc, want)
		}
	}
	for _, r := range rows {
		for _, c := range []string{"reasons", "fibre_reasons", "wifi_reasons", "leo_reasons", "geo_reasons"} {
			for _, code := range strings.Split(r[c], "|") {
				if code != "" && !seen[code] {
					t.Errorf("code %s of zone %s (%s) missing from summary reasons", code, r["zone_id"], c)
				}
			}
		}
	}
}

func TestOutputsSummaryLEOCells(t *testing.T) {
	tests := []struct {
		name  string
		cells []coverage.SatCell
		want  string
	}{
		{"none", nil, "null"},
		{"unlimited", []coverage.SatCell{{Subscribers: 12.25, LoadMbps: 30.625}}, `{"cells":1,"full":0,"subscribers":12.2,"max_load_share":null,"load_mbps":30.6}`},
		{"loaded", []coverage.SatCell{
			{Subscribers: 200, LoadMbps: 500, CapacityMbps: 1000},
			{Subscribers: 400, LoadMbps: 1000, CapacityMbps: 1000, Full: true},
			{Subscribers: 4, LoadMbps: 10},
		}, `{"cells":3,"full":1,"subscribers":604.0,"max_load_share":1.000000,"load_mbps":1510.0}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &coverage.Plan{}
			p.SatCells[0] = tc.cells
			p.SumZones()
			b, err := json.Marshal(summarySat(p.SatLoad[0]))
			if err != nil || string(b) != tc.want {
				t.Errorf("got %s (%v), want %s", b, err, tc.want)
			}
		})
	}
}

func TestOutputsSummaryFields(t *testing.T) {
	s, err := NewSummary(premiseSource())
	if err != nil {
		t.Fatal(err)
	}
	wantSkipped := []SummarySkip{
		{"communes.geojson", "not a polygon", 1},
		{"premises.csv", "bad units", 1},
		{"premises.csv", "no coordinates", 2},
	}
	if !slices.Equal(s.Skipped, wantSkipped) {
		t.Errorf("skipped = %v, want %v (sorted, merged)", s.Skipped, wantSkipped)
	}
	if s.Level != "premise" || s.Totals.PremisesOutsideZones != 1 || s.Totals.ZonesWithoutOption != 1 || s.Totals.ZonesWithPremises != 4 {
		t.Errorf("level %q, outside %d, without option %d, with premises %d", s.Level, s.Totals.PremisesOutsideZones, s.Totals.ZonesWithoutOption, s.Totals.ZonesWithPremises)
	}
	if s.Target.PremisesMeeting != 6 || float64(s.Target.PremisesShare) != 6.0/7 {
		t.Errorf("target %+v", s.Target)
	}
	if s.Rollout != nil {
		t.Errorf("unphased plan has a rollout: %+v", s.Rollout)
	}

	z, err := NewSummary(zoneLevelSource())
	if err != nil {
		t.Fatal(err)
	}
	if z.Level != "zone" || z.Rollout == nil || len(z.Rollout.Years) != 2 {
		t.Fatalf("zone level: level %q rollout %+v", z.Level, z.Rollout)
	}
	y1, y2, un := z.Rollout.Years[0], z.Rollout.Years[1], z.Rollout.Unscheduled
	if y1.Year != 1 || y1.Premises != 95 || y2.Year != 2 || y2.CumulativePremises != 95+390 || un.Zones != 1 || un.Premises != 170 {
		t.Errorf("rollout %+v %+v unscheduled %+v", y1, y2, un)
	}
	if got, want := float64(y2.CumulativeCapexEUR), (95+390)*2100.0; got != want {
		t.Errorf("cumulative capex %v, want %v", got, want)
	}
}

func TestOutputsEmptyPlan(t *testing.T) {
	src := &Source{Plan: &coverage.Plan{}, Input: &coverage.Input{}}
	for _, w := range outputWriters {
		t.Run(w.file, func(t *testing.T) {
			got := write(t, w.write, src)
			if len(got) == 0 || got[len(got)-1] != '\n' {
				t.Errorf("%q", got)
			}
		})
	}
	var s Summary
	if err := json.Unmarshal(write(t, WriteSummaryJSON, src), &s); err != nil {
		t.Fatal(err)
	}
	// Shares of nothing are null, not NaN (which would not be JSON).
	if !bytes.Contains(write(t, WriteSummaryJSON, src), []byte(`"premises_share": null`)) {
		t.Error("share of no premises is not null")
	}
}

type failWriter struct{ after int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.after <= 0 {
		return 0, errors.New("disk full")
	}
	f.after--
	return len(p), nil
}

func TestOutputsErrors(t *testing.T) {
	misaligned := premiseSource()
	misaligned.Plan.Zones = misaligned.Plan.Zones[:2]
	badMeasures := premiseSource()
	badMeasures.Measures = badMeasures.Measures[:3]
	badLL := premiseSource()
	badLL.ZonesLL = badLL.ZonesLL[:1]
	nanLL := premiseSource()
	nanLL.ZonesLL[2] = orb.Polygon{{{2.4, 45}, {math.NaN(), 45}, {2.5, 45.1}, {2.4, 45}}}
	badTech := premiseSource()
	badTech.Plan.PremiseTech = badTech.Plan.PremiseTech[:1]

	tests := []struct {
		name string
		f    writerFunc
		src  *Source
		w    io.Writer
		want string
	}{
		{"nil source", WriteZonesCSV, nil, io.Discard, "no plan"},
		{"no plan", WriteSummaryJSON, &Source{Input: &coverage.Input{}}, io.Discard, "no plan"},
		{"no input", WritePremisesCSV, &Source{Plan: &coverage.Plan{}}, io.Discard, "no plan"},
		{"misaligned plan csv", WriteZonesCSV, misaligned, io.Discard, "plan has 2 zones, input has 5"},
		{"misaligned plan json", WriteSummaryJSON, misaligned, io.Discard, "plan has 2 zones"},
		{"measures", WritePremisesCSV, badMeasures, io.Discard, "3 measures for 8 premises"},
		{"measures zones", WriteZonesGeoJSON, badMeasures, io.Discard, "3 measures for 8 premises"},
		{"premise tech", WritePremisesCSV, badTech, io.Discard, "1 premise technologies for 8 premises"},
		{"zones LL", WriteZonesGeoJSON, badLL, io.Discard, "1 lon/lat geometries for 5 zones"},
		{"NaN coordinate", WriteZonesGeoJSON, nanLL, io.Discard, `zone "01001": coordinate [NaN, 45]`},
		{"write zones.csv", WriteZonesCSV, premiseSource(), &failWriter{}, "zones.csv: disk full"},
		{"write zones.geojson", WriteZonesGeoJSON, premiseSource(), &failWriter{}, "zones.geojson: disk full"},
		{"write premises.csv", WritePremisesCSV, premiseSource(), &failWriter{}, "premises.csv: disk full"},
		{"write summary.json", WriteSummaryJSON, premiseSource(), &failWriter{}, "summary.json: disk full"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.f(tc.w, tc.src)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "render: ") {
				t.Errorf("err = %v, want render: ...%s...", err, tc.want)
			}
		})
	}
}

// TestOutputsPremisesCSVLarge crosses the flush threshold many times and
// checks that nothing is lost or reordered between chunks, and that a write
// error in the middle of the stream is reported.
func TestOutputsPremisesCSVLarge(t *testing.T) {
	src := benchSource(50_000, 1)
	got := write(t, WritePremisesCSV, src)
	_, rows := readCSV(t, got)
	if len(rows) != len(src.Input.Premises) {
		t.Fatalf("%d rows", len(rows))
	}
	for i, p := range src.Input.Premises {
		if rows[i]["premise_id"] != p.ID {
			t.Fatalf("row %d id %q, want %q", i, rows[i]["premise_id"], p.ID)
		}
	}
	if err := WritePremisesCSV(&failWriter{after: 3}, src); err == nil {
		t.Error("a failing writer went unnoticed")
	}
}

func TestOutputsUnprojectFallback(t *testing.T) {
	src := premiseSource()
	withLL := write(t, WriteZonesGeoJSON, src)
	src.ZonesLL = nil // the writer unprojects Input.Zones itself
	if got := write(t, WriteZonesGeoJSON, src); !bytes.Equal(got, withLL) {
		t.Errorf("unprojected output differs from ZonesLL output")
	}
	src.Unproject = nil // no way to lon/lat: null geometries, still valid
	fc, err := geojson.UnmarshalFeatureCollection(write(t, WriteZonesGeoJSON, src))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range fc.Features {
		if f.Geometry != nil {
			t.Errorf("feature %d has geometry %v without lon/lat", i, f.Geometry)
		}
	}
}

// FuzzOutputsZones writes one zone with fuzzed id, name, reason and figures
// and checks that zones.csv parses back to the same id and name, that
// zones.geojson is valid JSON with the same properties, and that no number
// is written as NaN, Inf or in scientific notation.
func FuzzOutputsZones(f *testing.F) {
	f.Add("15187", "Saint-Flour", "FIBRE_TOO_FAR", 123456.789, -0.001, 1e300, 2.5, true)
	f.Add("01001", "L'Hôpital, \"bourg\"\n", "A|B", math.Inf(1), math.NaN(), -1e-300, 600.0, false)
	f.Fuzz(func(t *testing.T, id, name, reason string, capex, npv, down, lat float64, feasible bool) {
		src := &Source{
			Input: &coverage.Input{Zones: []coverage.Zone{{ID: id, Name: name, Geom: orb.Polygon{square(0, 0, 100, false)}}}},
			Plan: &coverage.Plan{Zones: []coverage.ZonePlan{{
				Premises: 3, Units: 4, Chosen: coverage.TechFibre, Reasons: []coverage.Reason{coverage.Reason(reason)},
				Options: [coverage.NumTechs]coverage.Option{coverage.TechFibre: {
					Tech: coverage.TechFibre, Feasible: feasible, Money: coverage.Money{CapexEUR: capex, PresentCostEUR: npv}, DownMbps: down, LatencyMs: lat,
				}},
			}}},
			Unproject: metreToLL,
		}
		zonesCSV := write(t, WriteZonesCSV, src)
		_, rows := readCSV(t, zonesCSV)
		if len(rows) != 1 {
			t.Fatalf("%d rows", len(rows))
		}
		norm := func(s string) string { return strings.ReplaceAll(validUTF8(s), "\r\n", "\n") }
		if rows[0]["zone_id"] != norm(id) || rows[0]["name"] != norm(name) {
			t.Errorf("id %q name %q read back as %q %q", id, name, rows[0]["zone_id"], rows[0]["name"])
		}
		for col, v := range rows[0] {
			if col == "zone_id" || col == "name" || strings.HasSuffix(col, "reasons") || col == "technology" || col == "level" || col == "premises_from" {
				continue
			}
			if v != "" && v != "true" && v != "false" && (strings.ContainsAny(v, "eEIN") || !isNumeric(v)) {
				t.Errorf("%s = %q", col, v)
			}
		}
		gj := write(t, WriteZonesGeoJSON, src)
		if !json.Valid(gj) {
			t.Fatalf("invalid JSON:\n%s", gj)
		}
		if !strings.Contains(reason, "|") && !strings.Contains(reason, "\r") {
			checkGeoJSONMatchesCSV(t, gj, zonesCSV)
		}
		if !json.Valid(write(t, WriteSummaryJSON, src)) {
			t.Fatal("invalid summary.json")
		}
	})
}

func TestOutputsAppendGeometry(t *testing.T) {
	tri := orb.Ring{{1, 2}, {3, 2}, {3, 4}}
	tests := []struct {
		name string
		g    orb.Geometry
		want string
		err  string
	}{
		{"nil", nil, "null", ""},
		{"open ring closed", orb.Polygon{tri}, `{"type":"Polygon","coordinates":[[[1,2],[3,2],[3,4],[1,2]]]}`, ""},
		{"degenerate hole dropped", orb.Polygon{tri, {{1, 2}, {2, 2}, {1, 2}}}, `{"type":"Polygon","coordinates":[[[1,2],[3,2],[3,4],[1,2]]]}`, ""},
		{"degenerate exterior", orb.Polygon{{{1, 2}, {2, 2}, {1, 2}}}, "null", ""},
		{"empty polygon", orb.Polygon{}, "null", ""},
		{"multi keeps usable parts", orb.MultiPolygon{{{{0, 0}, {1, 1}}}, {tri}},
			`{"type":"MultiPolygon","coordinates":[[[[1,2],[3,2],[3,4],[1,2]]]]}`, ""},
		{"rounding", orb.Polygon{{{2.123456789, -0.00000001}, {3, 2}, {3, 4}}},
			`{"type":"Polygon","coordinates":[[[2.1234568,0],[3,2],[3,4],[2.1234568,0]]]}`, ""},
		{"line", orb.LineString{{0, 0}, {1, 1}}, "", "LineString"},
		{"inf", orb.Polygon{{{0, 0}, {math.Inf(1), 0}, {1, 1}}}, "", "not a number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := appendGeometry(nil, tc.g)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || string(got) != tc.want {
				t.Errorf("got %s (%v)\nwant %s", got, err, tc.want)
			}
		})
	}
}
