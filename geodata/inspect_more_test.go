package geodata

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestInspectJSON(t *testing.T) {
	in := fc(feat(`{"id":"a"}`, `{"type":"Polygon","coordinates":[[[2,45],[2.1,45],[2.1,45.1],[2,45.1]]]}`),
		feat(`{"id":"b"}`, `{"type":"Polygon","coordinates":[[[2.05,45],[2.15,45],[2.15,45.1],[2.05,45.1],[2.05,45]]]}`))
	info, err := Inspect(strings.NewReader(in), "z.geojson")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	if bv, _ := json.Marshal(*info); !bytes.Equal(bv, b) {
		t.Errorf("Info and *Info marshal differently:\n%s\n%s", bv, b)
	}
	for _, want := range []string{`"name":"z.geojson"`, `"kind":"zones"`, `"usable":2`, `"bounds":[2,45,2.15,45.1]`,
		`"code":"unclosed-ring","severity":"repaired","count":1`, `"code":"overlap","severity":"warning","count":1`,
		`"other":{"feature":1,"id":"b"}`, `"at":[2.075,45.05]`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("JSON lacks %s:\n%s", want, b)
		}
	}
	var buf bytes.Buffer
	info.WriteText(&buf)
	for _, want := range []string{"repaired:    1 unclosed ring(s) closed", "warning:     1 pair(s) of zones overlap"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, buf.String())
		}
	}
	// A zones CSV is inspected as zones; an empty points file is a problem.
	info, err = Inspect(strings.NewReader("id;wkt\na;POLYGON ((2 45, 2.1 45, 2.1 45.1, 2 45))\n"), "z.csv")
	if err != nil || info.Kind != "zones" || info.Kept != 1 {
		t.Errorf("zones CSV: %v %+v", err, info)
	}
	info, err = Inspect(strings.NewReader("id,lon,lat\n"), "p.csv")
	if err != nil || len(info.Problems) != 1 || !strings.Contains(info.Problems[0], "no records") {
		t.Errorf("empty points: %v %+v", err, info)
	}
}

func TestInspectKMLAndShapefile(t *testing.T) {
	f, err := os.Open("testdata/kml/cantal-3-gdal.kml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, err := InspectKML(f, "cantal-3-gdal.kml", "kml", Limits{})
	if err != nil || info.Kind != "zones" || info.Kept != 3 || info.Format != "kml" {
		t.Errorf("KML: %v %+v", err, info)
	}
	shp, dbf := communes(t)
	l, err := ReadShapefile(bytes.NewReader(shp), bytes.NewReader(dbf), "c.shp", ShapefileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	info, err = InspectShapefile(l, "shapefile")
	if err != nil || info.Kind != "zones" || info.Format != "shapefile" {
		t.Errorf("shapefile: %v %+v", err, info)
	}
}
