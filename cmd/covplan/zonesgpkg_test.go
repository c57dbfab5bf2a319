package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/covplan/covplan/geodata"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// TestPlanGeoPackage plans from layers of a GeoPackage written by GDAL:
// the Lambert-93 and the UTM 31N copies of 12 Cantal communes give the
// zones.csv of the lon/lat layer (read by default, the first, with a
// warning naming the others), a layer is named with QGIS's
// "|layername=", an unknown one lists the layers, a Web Mercator one is
// refused, and zones.gpkg is written beside zones.geojson.
func TestPlanGeoPackage(t *testing.T) {
	const g = gd + "gpkg/cantal-gdal.gpkg"
	var first []byte
	for _, zones := range []string{g, g + "|layername=communes_l93", g + "|layername=communes_utm31"} {
		out := t.TempDir()
		code, _, stderr := covplan(t, "plan", "--no-report", "--zones", zones, "--zone-table", ex+"cantal/population.csv", "--out", out)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", zones, code, stderr)
		}
		if zones == g && !strings.Contains(stderr, `the first (communes) read; the others: "communes_l93"`) {
			t.Errorf("the first layer is read without a word:\n%s", stderr)
		}
		b, err := os.ReadFile(filepath.Join(out, "zones.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
			if rows := readCSV(t, filepath.Join(out, "zones.csv")); len(rows)-1 != 12 {
				t.Errorf("%d zones, want 12", len(rows)-1)
			}
		} else if !bytes.Equal(b, first) {
			t.Errorf("%s: zones.csv differs from the lon/lat layer's", zones)
		}
	}
	for _, tt := range []struct{ zones, want string }{
		{g + "|layername=nope", `no feature layer "nope"`},
		{g + "|layername=communes_mercator", "srs_id 3857"},
		{gd + "cantal-3-communes.geojson|layername=communes", "names a layer, but a geojson file has only one"},
	} {
		code, _, stderr := covplan(t, "plan", "--quiet", "--zones", tt.zones, "--out", t.TempDir())
		if code != exitError || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit %d, stderr %q", tt.zones, code, stderr)
		}
	}
	code, stdout, stderr := covplan(t, "plan", "--quiet", "--no-report", "--premises", g+"|layername=adresses_z", "--out", t.TempDir())
	if code != exitOK {
		t.Errorf("premises from a GeoPackage: exit %d: %s %s", code, stdout, stderr)
	}
	code, stdout, stderr = covplan(t, "inspect", g+"|layername=adresses_z")
	if code != exitOK || !strings.Contains(stdout, "format:      gpkg") || !strings.Contains(stdout, "layer:       adresses_z") || !strings.Contains(stdout, "EPSG:2154") {
		t.Errorf("inspect: exit %d: %s %s", code, stdout, stderr)
	}
}

// zones.gpkg holds what zones.csv and zones.geojson hold: one feature per
// zone in order, the CSV's columns with the same values, typed (numbers
// equal to the CSV's decimals, booleans, NULL for empty fields), and the
// GeoJSON's geometry; the same plan gives the same bytes.
func TestZonesGeoPackage(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, out := range []string{a, b} {
		if code, _, stderr := covplan(t, mbArgs(out)...); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	data, err := os.ReadFile(filepath.Join(a, "zones.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(filepath.Join(b, "zones.gpkg")); !bytes.Equal(again, data) {
		t.Error("two runs wrote different zones.gpkg")
	}
	l, err := geodata.ReadGeoPackage(bytes.NewReader(data), int64(len(data)), "zones.gpkg", geodata.GeoPackageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Layer != "zones" || l.GeometryType != "MULTIPOLYGON" || l.SRSID != 4326 || len(l.Warnings) != 0 {
		t.Errorf("layer %q %s srs %d warnings %v", l.Layer, l.GeometryType, l.SRSID, l.Warnings)
	}
	rows := readCSV(t, filepath.Join(a, "zones.csv"))
	header, rows := rows[0], rows[1:]
	gj, _ := os.ReadFile(filepath.Join(a, "zones.geojson"))
	fc, err := geojson.UnmarshalFeatureCollection(gj)
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != len(rows) || len(l.Columns) != len(header) || len(fc.Features) != len(rows) {
		t.Fatalf("%d features %d columns; csv %d rows %d columns; geojson %d features", l.Len(), len(l.Columns), len(rows), len(header), len(fc.Features))
	}
	for k, c := range l.Columns {
		if c.Name != header[k] {
			t.Fatalf("column %d %q, zones.csv has %q", k, c.Name, header[k])
		}
	}
	types := map[geodata.GeoPackageType]bool{}
	for i, row := range rows {
		if l.FIDs[i] != int64(i+1) {
			t.Errorf("feature %d fid %d", i, l.FIDs[i])
		}
		for k, c := range l.Columns {
			v, want := l.Values[i][k], row[k]
			types[v.Type] = true
			if v.Type == geodata.GeoPackageReal {
				if w, err := strconv.ParseFloat(want, 64); err != nil || w != v.Real {
					t.Errorf("zone %d %s = %v, zones.csv has %q", i, c.Name, v.Real, want)
				}
				continue
			}
			if got := v.String(); got != want || (want == "") != (v.Type == geodata.GeoPackageNull) {
				t.Errorf("zone %d %s = %q (%s), zones.csv has %q", i, c.Name, got, v.Type, want)
			}
		}
		if !orbEqual(l.Geoms[i], fc.Features[i].Geometry) {
			t.Errorf("zone %d geometry %v, zones.geojson has %v", i, l.Geoms[i], fc.Features[i].Geometry)
		}
	}
	for _, typ := range []geodata.GeoPackageType{geodata.GeoPackageText, geodata.GeoPackageInteger, geodata.GeoPackageReal, geodata.GeoPackageBoolean, geodata.GeoPackageNull} {
		if !types[typ] {
			t.Errorf("no %s value in zones.gpkg", typ)
		}
	}
}

// orbEqual compares a zones.gpkg geometry (a MultiPolygon) with a
// zones.geojson one (a Polygon is a MultiPolygon of one).
func orbEqual(g, want orb.Geometry) bool {
	if p, ok := want.(orb.Polygon); ok {
		want = orb.MultiPolygon{p}
	}
	if g == nil || want == nil {
		return g == nil && want == nil
	}
	return orb.Equal(g, want)
}
