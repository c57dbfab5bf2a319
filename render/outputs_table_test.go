package render

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// The typed zone table holds zones.csv's columns and values and
// zones.geojson's geometry: a Real is the CSV's decimal read back, a
// Boolean the CSV's true/false, every empty CSV field is null, and a zone
// without a usable ring has no geometry.
func TestZoneTable(t *testing.T) {
	cols := ZoneTableColumns()
	names := ZoneColumns()
	if len(cols) != len(names) {
		t.Fatalf("%d typed columns, %d in zones.csv", len(cols), len(names))
	}
	for i, c := range cols {
		if c.Name != names[i] || c.Type < ColumnText || c.Type > ColumnBoolean {
			t.Errorf("column %d: %q %s, zones.csv has %q", i, c.Name, c.Type, names[i])
		}
	}
	for _, s := range outputSources {
		t.Run(s.name, func(t *testing.T) {
			src := s.src()
			_, rows := readCSV(t, write(t, WriteZonesCSV, src))
			fc, err := geojson.UnmarshalFeatureCollection(write(t, WriteZonesGeoJSON, src))
			if err != nil {
				t.Fatal(err)
			}
			i := 0
			err = EachZoneRow(src, func(g orb.Geometry, vals []Value) error {
				for k, c := range cols {
					checkTypedValue(t, i, c, vals[k], rows[i][c.Name])
				}
				want := fc.Features[i].Geometry
				if (g == nil) != (want == nil) || (g != nil && !geomNear(g, want, 0)) {
					t.Errorf("zone %d geometry %v, zones.geojson has %v", i, g, want)
				}
				if _, ok := g.(orb.MultiPolygon); g != nil && !ok {
					t.Errorf("zone %d geometry is a %T", i, g)
				}
				i++
				return nil
			})
			if err != nil || i != len(rows) {
				t.Errorf("EachZoneRow: %v after %d of %d zones", err, i, len(rows))
			}
		})
	}
}

// checkTypedValue compares one typed value with its zones.csv field.
func checkTypedValue(t *testing.T, zone int, c TypedColumn, v Value, want string) {
	t.Helper()
	if v.Null != (want == "") {
		t.Errorf("zone %d %s: null %v, zones.csv has %q", zone, c.Name, v.Null, want)
		return
	}
	if v.Null {
		return
	}
	var got string
	switch c.Type {
	case ColumnReal:
		if w, err := strconv.ParseFloat(want, 64); err != nil || w != v.Real {
			t.Errorf("zone %d %s = %v, zones.csv has %q", zone, c.Name, v.Real, want)
		}
		return
	case ColumnInteger:
		got = strconv.FormatInt(v.Int, 10)
	case ColumnBoolean:
		got = strconv.FormatBool(v.Int != 0)
	default:
		got = v.Text
	}
	if got != want {
		t.Errorf("zone %d %s = %q, zones.csv has %q", zone, c.Name, got, want)
	}
}

func TestZoneTableErrors(t *testing.T) {
	src := premiseSource()
	src.ZonesLL = src.ZonesLL[:1]
	if err := EachZoneRow(src, func(orb.Geometry, []Value) error { return nil }); err == nil {
		t.Error("misaligned ZonesLL accepted")
	}
	if err := EachZoneRow(&Source{}, func(orb.Geometry, []Value) error { return nil }); err == nil {
		t.Error("no plan accepted")
	}
	stop := bytes.ErrTooLarge
	if err := EachZoneRow(premiseSource(), func(orb.Geometry, []Value) error { return stop }); err != stop {
		t.Errorf("fn's error: got %v", err)
	}
}
