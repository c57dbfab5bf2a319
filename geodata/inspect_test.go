package geodata

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func TestInspectGolden(t *testing.T) {
	files := []string{"ban-54084.csv", "paris-wifi-24.csv", "cantal-3-communes.geojson", "auvergne-4-nro.geojson"}
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			info, err := Inspect(openT(t, filepath.Join("testdata", name)), name)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := info.WriteText(&buf); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", name+".inspect.txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("Inspect(%s) =\n%s\nwant\n%s", name, buf.Bytes(), want)
			}
		})
	}
}

func TestInspectKinds(t *testing.T) {
	tests := []struct {
		name, in, kind string
		contains       []string
	}{
		{"duplicate zone ids", fc(feat(`{"code":"15014"}`, sq), feat(`{"code":"15014"}`, sq)), "zones",
			[]string{`duplicates:  1 ids used more than once (e.g. 15014)`, `problem:     feature 1: id: "15014" is also the id of feature 0`}},
		{"mixed points and polygons", fc(feat(`{"id":"a"}`, sq), feat(`{"id":"b"}`, `{"type":"Point","coordinates":[2,45]}`)), "mixed",
			[]string{"features:    2 (Point 1, Polygon 1)"}},
		{"network with lines", fc(feat(`{"id":"a"}`, `{"type":"LineString","coordinates":[[2,45],[3,45]]}`), feat(`{"id":"b"}`, `null`)), "fibre",
			[]string{"empty geoms: 1", "features:    2 (LineString 1, null 1)"}},
		{"points with skips", "id,lon,lat\n1,2,45\n1,2,45\n3,999,45\n", "points",
			[]string{"skipped:     1", "lon out of range", "e.g. line 4: lon out of range (999)", "duplicates:  1 ids used more than once (e.g. 1)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := Inspect(strings.NewReader(tt.in), "f")
			if err != nil {
				t.Fatal(err)
			}
			if info.Kind != tt.kind {
				t.Errorf("Kind = %q, want %q", info.Kind, tt.kind)
			}
			var buf bytes.Buffer
			info.WriteText(&buf)
			for _, c := range tt.contains {
				if !strings.Contains(buf.String(), c) {
					t.Errorf("output lacks %q:\n%s", c, buf.String())
				}
			}
		})
	}
	info, err := Inspect(strings.NewReader("code_insee;population\n15014;26214\n15187;5000\n"), "pop.csv")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	info.WriteText(&buf)
	want := `pop.csv
  kind:        table
  format:      csv
  rows:        2
  usable:      0
  columns:     code_insee, population
  problem:     line 1: no coordinate columns (want lon/lat, longitude/latitude, x/y, geo_point_2d, geo_shape or a WKT column); columns found: "code_insee", "population"
`
	if buf.String() != want {
		t.Errorf("table:\n%s\nwant\n%s", buf.String(), want)
	}
	if _, err := Inspect(strings.NewReader(`{"type":`), "f.geojson"); err == nil {
		t.Error("invalid JSON: no error")
	}
}

func TestInfoDups(t *testing.T) {
	tests := []struct {
		ids  []string
		n    int
		want string
	}{
		{nil, 0, "[]"},
		{[]string{"a", "b", "c"}, 0, "[]"},
		{[]string{"b", "a", "b", "c", "a", "b", "d", "e", "f", "g", "g"}, 3, "[a b g]"},
		{[]string{"z", "y", "x", "w", "v", "u", "z", "y", "x", "w", "v", "u"}, 6, "[u v w x y]"},
	}
	for _, tt := range tests {
		var info Info
		info.dups(tt.ids)
		if info.DuplicateIDs != tt.n || fmt.Sprint(info.DuplicateSample) != tt.want {
			t.Errorf("dups(%v) = %d %v, want %d %s", tt.ids, info.DuplicateIDs, info.DuplicateSample, tt.n, tt.want)
		}
	}
}
