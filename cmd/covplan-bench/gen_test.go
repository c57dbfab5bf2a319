package main

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

func TestGenerateDeterministic(t *testing.T) {
	sc, _ := scaleByName("S")
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if err := generate(d, sc, 7); err != nil {
			t.Fatal(err)
		}
	}
	if err := generate(c, sc, 8); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"zones.geojson", "premises.csv", "fibre_nodes.csv", "wifi_aps.csv", "meta.json"} {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		z, _ := os.ReadFile(filepath.Join(c, f))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s: two runs with the same seed differ", f)
		}
		if f != "meta.json" && bytes.Equal(x, z) {
			t.Errorf("%s: seeds 7 and 8 give the same file", f)
		}
	}
}

// TestGenerateShape checks the data's promised characteristics on S: the
// zones tile the bounding box exactly with 25–77 vertices each, every
// premise lies in exactly one zone, the counts and ranges are as documented.
func TestGenerateShape(t *testing.T) {
	sc, _ := scaleByName("S")
	dir := t.TempDir()
	if err := generate(dir, sc, 20240601); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "zones.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != sc.ZX*sc.ZY {
		t.Fatalf("%d zones, want %d", len(fc.Features), sc.ZX*sc.ZY)
	}
	in := &coverage.Input{}
	area := 0.0
	bound := fc.Features[0].Geometry.Bound()
	nonConvex := 0
	for _, f := range fc.Features {
		pg := f.Geometry.(orb.Polygon)
		if n := len(pg[0]); n < 25 || n > 77 {
			t.Errorf("zone %v: %d vertices, want 25-77", f.Properties["zone_id"], n)
		}
		if pg[0][0] != pg[0][len(pg[0])-1] {
			t.Errorf("zone %v: ring not closed", f.Properties["zone_id"])
		}
		a := planar.Area(pg)
		if a <= 0 {
			t.Errorf("zone %v: area %g", f.Properties["zone_id"], a)
		}
		area += a
		bound = bound.Union(pg.Bound())
		if !convex(pg[0]) {
			nonConvex++
		}
		in.Zones = append(in.Zones, coverage.Zone{Geom: pg})
	}
	if box := (bound.Max[0] - bound.Min[0]) * (bound.Max[1] - bound.Min[1]); math.Abs(area-box) > 1e-9*box {
		t.Errorf("zones cover %.12g, bounding box %.12g: not an exact tiling", area, box)
	}
	if nonConvex < len(fc.Features)/2 {
		t.Errorf("only %d of %d zones are non-convex", nonConvex, len(fc.Features))
	}
	// Every premise in exactly one zone (lon/lat planar, as the peers test).
	ix := coverage.NewIndex(in)
	rows := readRows(t, filepath.Join(dir, "premises.csv"))
	if len(rows) != sc.Premises {
		t.Fatalf("%d premises, want %d", len(rows), sc.Premises)
	}
	multi := 0
	for _, r := range rows {
		p := orb.Point{parse(t, r[1]), parse(t, r[2])}
		if z := ix.ZoneOf(p); z < 0 {
			t.Fatalf("premise %s at %v is in no zone", r[0], p)
		}
		n := 0
		for _, z := range in.Zones {
			if planar.PolygonContains(z.Geom.(orb.Polygon), p) {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("premise %s is in %d zones", r[0], n)
		}
		if r[3] != "1" {
			multi++
		}
	}
	if multi == 0 || multi > len(rows)/5 {
		t.Errorf("%d multi-unit premises of %d", multi, len(rows))
	}
	if n := len(readRows(t, filepath.Join(dir, "fibre_nodes.csv"))); n != sc.Premises/100 {
		t.Errorf("%d fibre nodes, want %d", n, sc.Premises/100)
	}
	aps := readRows(t, filepath.Join(dir, "wifi_aps.csv"))
	if len(aps) != sc.Premises/50 {
		t.Errorf("%d access points, want %d", len(aps), sc.Premises/50)
	}
	for _, r := range aps {
		if v := parse(t, r[3]); v < 100 || v > 3000 {
			t.Errorf("access point %s: range %v", r[0], v)
		}
	}
}

func convex(r orb.Ring) bool {
	sign := 0
	for i := 0; i+2 < len(r)+1; i++ {
		a, b, c := r[i%(len(r)-1)], r[(i+1)%(len(r)-1)], r[(i+2)%(len(r)-1)]
		cr := (b[0]-a[0])*(c[1]-b[1]) - (b[1]-a[1])*(c[0]-b[0])
		s := 0
		if cr > 0 {
			s = 1
		} else if cr < 0 {
			s = -1
		}
		if s != 0 && sign != 0 && s != sign {
			return false
		}
		if s != 0 {
			sign = s
		}
	}
	return true
}

func readRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[1:]
}

func parse(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCompareOutputs(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	head := "zone_id,premises,fibre_dist_mean_m,decision\n"
	os.WriteFile(filepath.Join(a, "zone_counts.csv"), []byte(head+"1,10,100.000,fibre\n2,0,,none\n"), 0o644)
	for _, tc := range []struct {
		name, body string
		want       int
	}{
		{"equal", "2,0,,none\n1,10,100.000,fibre\n", 0},
		{"metres within tolerance", "1,10,100.009,fibre\n2,0,,none\n", 0},
		{"metres beyond tolerance", "1,10,100.020,fibre\n2,0,,none\n", 1},
		{"count and label differ", "1,11,100.000,wifi\n2,0,,none\n", 2},
		{"missing and extra rows", "1,10,100.000,fibre\n3,0,,none\n", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.WriteFile(filepath.Join(b, "zone_counts.csv"), []byte(head+tc.body), 0o644)
			got, err := compareOutputs(a, b, 0.01)
			if err != nil || got != tc.want {
				t.Errorf("compareOutputs = %d, %v; want %d", got, err, tc.want)
			}
		})
	}
	os.WriteFile(filepath.Join(b, "zone_counts.csv"), []byte("zone_id,other\n"), 0o644)
	if _, err := compareOutputs(a, b, 0.01); err == nil || !strings.Contains(err.Error(), "header") {
		t.Errorf("different headers: err = %v", err)
	}
}

func TestParseFlags(t *testing.T) {
	var errb bytes.Buffer
	for _, tc := range []struct {
		args []string
		ok   bool
	}{
		{[]string{"-scales", "s,L", "-reps", "2", "-no-peers"}, true},
		{[]string{"-scales", "XXL"}, false},
		{[]string{"-reps", "0"}, false},
		{[]string{"-gen", "other"}, false},
		{[]string{"extra"}, false},
	} {
		opt, err := parseFlags(tc.args, &errb)
		if (err == nil) != tc.ok {
			t.Errorf("parseFlags(%v): err = %v", tc.args, err)
		}
		if err == nil && (len(opt.scales) != 2 || opt.scales[0].Name != "S" || opt.peerReps != 2) {
			t.Errorf("parseFlags(%v) = %+v", tc.args, opt)
		}
	}
}
