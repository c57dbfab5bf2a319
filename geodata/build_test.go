package geodata

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func openT(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestBuild(t *testing.T) {
	zones, err := ReadZones(openT(t, "testdata/cantal-3-communes.geojson"), "cantal.geojson", ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	prem := readPointsString(t, "id,lon,lat,units,kind\np1,2.4446,44.9264,4,school\np2,2.45,44.93,,\np3,bad,44.9,1,\n", PointOptions{})
	fibre, err := ReadFibre(openT(t, "testdata/auvergne-4-nro.geojson"), "nro.geojson", FibreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	aps := readPointsString(t, "id,lon,lat,range_m,capacity_mbps,status\na1,2.44,44.92,,,\na2,2.45,44.93,500,300,non\n", PointOptions{})
	// One NRO zone is in the Allier, 110 km north: kept with a wider margin
	// (TestBuildFar skips it).
	ds, err := Build(zones, prem, []*FibreLayer{fibre}, []*PointLayer{aps}, BuildOptions{FarMarginM: 300e3})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Frame.Name() != "EPSG:2154 Lambert-93" {
		t.Errorf("Frame = %s", ds.Frame.Name())
	}
	in := ds.Input
	if len(in.Zones) != 3 || len(ds.ZonesLL) != 3 || in.Zones[1].ID != "15014" || in.Zones[1].Name != "Aurillac" {
		t.Fatalf("zones: %d %d %+v", len(in.Zones), len(ds.ZonesLL), in.Zones[1].ID)
	}
	// Aurillac's projected polygon contains the projected premise p1.
	if !planar.PolygonContains(in.Zones[1].Geom.(orb.Polygon), in.Premises[0].Pt) {
		t.Error("projected Aurillac does not contain the projected premise in Aurillac")
	}
	if ds.ZonesLL[1].(orb.Polygon)[0][0] != zones.Geoms[1].(orb.Polygon)[0][0] {
		t.Error("ZonesLL not aligned with Input.Zones")
	}
	wantP := []coverage.Premise{
		{ID: "p1", Pt: Lambert93().Forward(orb.Point{2.4446, 44.9264}), Units: 4, Kind: coverage.KindSchool},
		{ID: "p2", Pt: Lambert93().Forward(orb.Point{2.45, 44.93}), Units: 1, Kind: coverage.KindHousehold},
	}
	if fmt.Sprint(in.Premises) != fmt.Sprint(wantP) {
		t.Errorf("Premises = %+v\nwant %+v", in.Premises, wantP)
	}
	if len(in.Served) != 4 || !in.Served[2].Active || in.Served[0].ID != "03254SPO" {
		t.Errorf("Served = %d", len(in.Served))
	}
	if in.APs[0].RangeM != DefaultAPRangeM || !in.APs[0].Operational || in.APs[1].RangeM != 500 || in.APs[1].CapacityMbps != 300 || in.APs[1].Operational {
		t.Errorf("APs = %+v", in.APs)
	}
	if got := fmt.Sprint(ds.Skipped); got != "[{test.csv bad lon 1}]" {
		t.Errorf("Skipped = %s", got)
	}
	if got := fmt.Sprint(ds.Warnings); got != "[{nro.geojson status not stated (treated as active) 2}]" {
		t.Errorf("Warnings = %s", got)
	}
	ds2, err := Build(nil, prem, nil, []*PointLayer{aps}, BuildOptions{Frame: UTM(31, false), DefaultAPRangeM: 150})
	if err != nil {
		t.Fatal(err)
	}
	if ds2.Frame.EPSG() != 32631 || ds2.Input.APs[0].RangeM != 150 || ds2.Input.Zones != nil {
		t.Errorf("explicit frame/default range: %v %v", ds2.Frame, ds2.Input.APs[0].RangeM)
	}
	if _, err := Build(nil, nil, nil, nil, BuildOptions{}); err == nil {
		t.Error("Build of nothing: no error")
	}
}

func TestBuildParallelMatchesSerial(t *testing.T) {
	data := genPremisesCSV(20000, 3)
	l := readPointsString(t, string(data), PointOptions{})
	a, err := Build(nil, l, nil, nil, BuildOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(nil, l, nil, nil, BuildOptions{Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Input.Premises {
		if a.Input.Premises[i] != b.Input.Premises[i] {
			t.Fatalf("premise %d differs: %+v vs %+v", i, a.Input.Premises[i], b.Input.Premises[i])
		}
	}
}

func TestGridZones(t *testing.T) {
	data := genPremisesCSV(5000, 11)
	l := readPointsString(t, string(data), PointOptions{})
	fr := Lambert93()
	const cell = 5000.0
	g, err := GridZones(l, fr, cell)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Build(g, l, nil, nil, BuildOptions{Frame: fr})
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for i, z := range ds.Input.Zones {
		idx[z.ID] = i
		ring := z.Geom.(orb.Polygon)[0]
		w, h := ring[1][0]-ring[0][0], ring[2][1]-ring[1][1]
		if math.Abs(w-cell) > 1e-6 || math.Abs(h-cell) > 1e-6 || math.Abs(ring[0][0]/cell-math.Round(ring[0][0]/cell)) > 1e-9 {
			t.Fatalf("zone %s is not an aligned %gm square: %v", z.ID, cell, ring)
		}
	}
	if len(idx) != g.Len() {
		t.Fatalf("duplicate grid ids")
	}
	used := map[string]bool{}
	for _, p := range ds.Input.Premises {
		id := fmt.Sprintf("G%d_%d", int(math.Floor(p.Pt[0]/cell)), int(math.Floor(p.Pt[1]/cell)))
		i, ok := idx[id]
		if !ok {
			t.Fatalf("premise %s at %v: no cell %s", p.ID, p.Pt, id)
		}
		used[id] = true
		if !planar.PolygonContains(ds.Input.Zones[i].Geom.(orb.Polygon), p.Pt) {
			t.Fatalf("cell %s does not contain premise %s", id, p.ID)
		}
	}
	if len(used) != g.Len() {
		t.Errorf("%d cells, %d of them with premises", g.Len(), len(used))
	}
	if !strings.HasPrefix(g.IDs[0], "G") {
		t.Errorf("id %q", g.IDs[0])
	}
	if _, err := GridZones(l, fr, 0); err == nil {
		t.Error("cell 0: no error")
	}
}

func BenchmarkBuildPremises(b *testing.B) {
	for _, n := range []int{100000, 1000000} {
		data := genPremisesCSV(n, 1)
		l, err := ReadPoints(strings.NewReader(string(data)), "p.csv", PointOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Build(nil, l, nil, nil, BuildOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestBuildFar reproduces issue 10: access points in New York moved a
// French plan's frame to UTM 25N. The frame now comes from the zones, and
// the far access points and NRO zone are skipped and reported.
func TestBuildFar(t *testing.T) {
	zones, err := ReadZones(openT(t, "testdata/cantal-3-communes.geojson"), "cantal.geojson", ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fibre, err := ReadFibre(openT(t, "testdata/auvergne-4-nro.geojson"), "nro.geojson", FibreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	aps := readPointsString(t, "id,lon,lat\nparis,2.35,48.85\nny1,-73.99,40.75\nny2,-73.98,40.76\naurillac,2.44,44.92\n", PointOptions{})
	ds, err := Build(zones, nil, []*FibreLayer{fibre}, []*PointLayer{aps}, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Frame.EPSG() != 2154 || ds.AreaOf != "zones" {
		t.Errorf("frame %v from %s", ds.Frame, ds.AreaOf)
	}
	if len(ds.Input.APs) != 1 || ds.Input.APs[0].ID != "aurillac" || len(ds.Input.Served) != 3 {
		t.Errorf("kept %d APs, %d served areas", len(ds.Input.APs), len(ds.Input.Served))
	}
	var got []string
	for _, d := range ds.Diagnostics {
		if d.Code == "far-feature" {
			got = append(got, d.String())
		}
	}
	want := []string{
		`nro.geojson: 1 feature(s) more than 100 km outside the area skipped (skipped): e.g. (id "03254SPO") at 3.288269,46.264874: served area — the area is the zones; features this far cannot serve it (the frame is chosen from the area; --strict makes this an error)`,
		`test.csv: 3 feature(s) more than 100 km outside the area skipped (skipped): e.g. line 2 (id "paris") at 2.350000,48.850000; line 3 (id "ny1") at -73.990000,40.750000; line 4 (id "ny2") at -73.980000,40.760000 — the area is the zones; features this far cannot serve it (the frame is chosen from the area; --strict makes this an error)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if fmt.Sprint(ds.Skipped) != "[{nro.geojson more than 100 km outside the area 1} {test.csv more than 100 km outside the area 3}]" {
		t.Errorf("Skipped %v", ds.Skipped)
	}
	if _, err := Build(zones, nil, []*FibreLayer{fibre}, []*PointLayer{aps}, BuildOptions{Strict: true}); !errors.Is(err, ErrStrict) {
		t.Errorf("strict: %v", err)
	}
	// Without zones the premises are the area.
	prem := readPointsString(t, "id,lon,lat\np,-73.99,40.75\n", PointOptions{})
	ds, err = Build(nil, prem, nil, []*PointLayer{aps}, BuildOptions{})
	if err != nil || ds.Frame.EPSG() != 32618 || len(ds.Input.APs) != 2 {
		t.Errorf("premises area: %v %v %d", err, ds.Frame, len(ds.Input.APs))
	}
}

// BenchmarkBuildZones projects 5000 generated zones into the frame.
func BenchmarkBuildZones(b *testing.B) {
	z, err := ReadZones(bytes.NewReader(genZonesGeoJSON(5000)), "zones.geojson", ZoneOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(z, nil, nil, nil, BuildOptions{Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
