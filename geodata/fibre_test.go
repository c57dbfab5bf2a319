package geodata

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestReadFibre(t *testing.T) {
	f, err := os.Open("testdata/auvergne-4-nro.geojson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fl, err := ReadFibre(f, "auvergne-4-nro.geojson", FibreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fl.Areas) != 4 || len(fl.Nodes) != 0 || len(fl.Lines) != 0 {
		t.Fatalf("areas %d nodes %d lines %d", len(fl.Areas), len(fl.Nodes), len(fl.Lines))
	}
	if got := fmt.Sprint(fl.AreaIDs, fl.AreaActive); got != "[03254SPO 63245MOZ 15235TRN 15120MAC] [true true true true]" {
		t.Errorf("areas = %s", got)
	}
	if got := fmt.Sprint(fl.Warnings); got != "[{status not stated (treated as active) 2}]" {
		t.Errorf("Warnings = %s", got)
	}

	mixed := fc(
		feat(`{"id":"n1","status":"en service"}`, `{"type":"Point","coordinates":[2.5,45]}`),
		feat(`{"id":"n2","statut":"En projet"}`, `{"type":"Point","coordinates":[2.6,45]}`),
		feat(`{"id":"r1"}`, `{"type":"LineString","coordinates":[[2.5,45],[2.6,45.1]]}`),
		feat(`{"id":"r2","active":false}`, `{"type":"MultiLineString","coordinates":[[[2.5,45],[2.6,45.1]],[[2.7,45],[2.8,45]]]}`),
		feat(`{"id":"s1","ACTIVE":"OUI"}`, sq),
		feat(`{"id":"g"}`, `{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[3,45]},{"type":"LineString","coordinates":[[3,45],[3.1,45]]}]}`),
	)
	fl, err = ReadFibre(strings.NewReader(mixed), "net.geojson", FibreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(fl.NodeIDs, fl.NodeActive, fl.LineIDs, fl.LineActive, fl.AreaIDs, fl.AreaActive)
	want := "[n1 n2 g/1] [true false true] [r1 r2/1 r2/2 g/2] [true false false true] [s1] [true]"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	fl, err = ReadFibre(strings.NewReader("id,lon,lat\nN1,2.5,45\nN2,2.6,45.1\n"), "nodes.csv", FibreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(fl.NodeActive, fl.Warnings); got != "[true true] [{status not stated (treated as active) 2}]" {
		t.Errorf("CSV nodes without status: %s", got)
	}
	fl, err = ReadFibre(strings.NewReader("id,lon,lat,status\nN1,2.5,45,active\nN2,2.6,45.1,planned\n"), "nodes.csv", FibreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(fl.NodeIDs, fl.NodeActive, " ", fl.Format); got != "[N1 N2] [true false] csv" {
		t.Errorf("CSV nodes: %s", got)
	}

	_, err = ReadFibre(strings.NewReader(fc(feat(`{}`, `{"type":"LineString","coordinates":[[2,45]]}`))), "net.geojson", FibreOptions{})
	if err == nil || err.Error() != "geodata: net.geojson: feature 0: geometry: a LineString needs at least 2 positions, found 1" {
		t.Errorf("short line: %v", err)
	}
}
