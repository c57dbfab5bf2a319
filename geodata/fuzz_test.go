package geodata

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds adds the testdata fixtures (cut to 4 KiB) and small snippets.
func fuzzSeeds(f *testing.F, snippets ...string) {
	for _, name := range []string{"ban-54084.csv", "paris-wifi-24.csv", "cantal-3-communes.geojson", "auvergne-4-nro.geojson"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 4096)])
	}
	for _, s := range snippets {
		f.Add([]byte(s))
	}
}

func FuzzReadPoints(f *testing.F) {
	fuzzSeeds(f,
		"id,lon,lat,units\n1,2.5,45.1,3\n",
		"id;x;y\n1;905959;6917588,2\n",
		"wkt\n\"POINT (1 2)\"\n",
		"\ufeffa;geo_point_2d\n1;\"48.8, 2.3\"\n",
		"lon,lat\n\"1\n",
		`{"type":"Point","coordinates":[1,2]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"units":"2"},"geometry":{"type":"MultiPoint","coordinates":[[1,2],[3,4]]}}]}`,
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ReadPoints(bytes.NewReader(data), "fuzz", PointOptions{})
		if err != nil {
			return
		}
		for i := range l.Len() {
			_ = l.ID(i)
			p := l.Pts[i]
			if !(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90) {
				t.Fatalf("point %d out of range: %v", i, p)
			}
			if l.UnitsAt(i) < 1 {
				t.Fatalf("units %d", l.UnitsAt(i))
			}
		}
		if l.Len()+l.Skipped() > l.Records && l.Format == "csv" {
			t.Fatalf("kept %d + skipped %d > records %d", l.Len(), l.Skipped(), l.Records)
		}
	})
}

func FuzzReadZones(f *testing.F) {
	fuzzSeeds(f,
		sq,
		fc(feat(`{"zone_id":1}`, sq)),
		`{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[]]}`,
		`{"type":"Feature","id":"x\u00e9\ud83d\ude00","properties":{"population":1e3},"geometry":null}`,
		`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:2154"}},"features":[]}`,
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		z, err := ReadZones(bytes.NewReader(data), "fuzz", ZoneOptions{})
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for i, g := range z.Geoms {
			if seen[z.IDs[i]] {
				t.Fatalf("duplicate id %q", z.IDs[i])
			}
			seen[z.IDs[i]] = true
			if g == nil {
				t.Fatalf("zone %d has no geometry", i)
			}
			_ = g.Bound()
		}
		if z.Len() > 0 {
			if _, err := Build(z, nil, nil, nil, BuildOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func FuzzReadFibre(f *testing.F) {
	fuzzSeeds(f,
		fc(feat(`{"id":"n","status":"oui"}`, `{"type":"Point","coordinates":[2,45]}`)),
		`{"type":"GeometryCollection","geometries":[{"type":"LineString","coordinates":[[0,0],[1,1]]},{"type":"GeometryCollection","geometries":[]}]}`,
		"id,lon,lat\nN1,2,45\n",
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		fl, err := ReadFibre(bytes.NewReader(data), "fuzz", FibreOptions{})
		if err != nil {
			return
		}
		if len(fl.NodeIDs) != len(fl.Nodes) || len(fl.LineIDs) != len(fl.Lines) || len(fl.AreaIDs) != len(fl.Areas) {
			t.Fatal("misaligned slices")
		}
		for _, l := range fl.Lines {
			if len(l) < 2 {
				t.Fatalf("line with %d positions", len(l))
			}
		}
		if _, err := Inspect(bytes.NewReader(data), "fuzz"); err != nil {
			t.Fatalf("ReadFibre accepted what Inspect refuses: %v", err)
		}
	})
}
