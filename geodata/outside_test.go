package geodata

import (
	"strings"
	"testing"

	"github.com/covplan/covplan/coverage"
)

func outsideOf(t *testing.T, zones *ZoneLayer, prem *PointLayer) *Outside {
	t.Helper()
	zl := coverage.NewZoneLocator(zones.Geoms)
	return OutsideZones(prem, zones.Geoms, func(i int) int32 { return zl.ZoneOf(prem.Pts[i]) })
}

func TestOutsideZones(t *testing.T) {
	zones, err := ReadZones(openT(t, "testdata/cantal-3-communes.geojson"), "cantal.geojson", ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	in := readPointsString(t, "id,lon,lat\np1,2.4446,44.9264\np2,2.45,44.93\n", PointOptions{})
	if o := outsideOf(t, zones, in); o != nil {
		t.Errorf("inside premises reported outside: %+v", o)
	}
	// Columns swapped: lon holds the latitude.
	swapped := readPointsString(t, "id,lon,lat\np1,44.9264,2.4446\np2,44.93,2.45\np3,2.45,44.93\n", PointOptions{})
	o := outsideOf(t, zones, swapped)
	if o == nil || o.Count != 2 || o.All() || o.Swapped != 2 {
		t.Fatalf("swapped: %+v", o)
	}
	want := `test.csv: 2 premises outside every zone (not planned) (warning): e.g. line 2 (id "p1") at 44.926400,2.444600; line 3 (id "p2") at 44.930000,2.450000 — lon and lat look swapped: 2 of 2 sampled premises fall inside a zone with lon and lat exchanged`
	if !strings.HasPrefix(o.Diagnostic.String(), want) {
		t.Errorf("got  %s\nwant %s", o.Diagnostic, want)
	}
	// Mont-Bonvillers' addresses against Cantal's communes.
	ban, err := ReadPoints(openT(t, "testdata/ban-54084.csv"), "ban-54084.csv", PointOptions{})
	if err != nil {
		t.Fatal(err)
	}
	o = outsideOf(t, zones, ban)
	if o == nil || !o.All() || o.Far != o.Sampled || !strings.Contains(o.Diagnostic.String(), "premises, all of them, outside every zone") ||
		!strings.Contains(o.Diagnostic.Hint, "lie more than 100 km from the zones: these premises are of another region") {
		t.Errorf("another region: %+v", o)
	}
	// Just across a boundary.
	near := readPointsString(t, "id,lon,lat\np,2.44,44.5\n", PointOptions{})
	if o := outsideOf(t, zones, near); o == nil || !strings.Contains(o.Diagnostic.Hint, "they lie near the zones") {
		t.Errorf("near: %+v", o)
	}
}
