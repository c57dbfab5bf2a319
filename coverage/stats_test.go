package coverage

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestAggregate(t *testing.T) {
	in := &Input{
		Zones: []Zone{{ID: "a"}, {ID: "b"}, {ID: "empty"}},
		Premises: []Premise{
			{ID: "1", Units: 1}, {ID: "2", Units: 3}, {ID: "3", Units: 2}, {ID: "4", Units: 5}, {ID: "out", Units: 7},
		},
	}
	inf := math.Inf(1)
	m := []PremiseMeasure{
		{Zone: 0, FibreDistM: 100, NodeDistM: 100, APs: 2},
		{Zone: 0, FibreDistM: 0, NodeDistM: 1500, Passed: true, APs: 0},
		{Zone: 1, FibreDistM: 300, NodeDistM: 300, APs: 1},
		{Zone: 1, FibreDistM: inf, NodeDistM: inf, APs: 0},
		{Zone: -1, FibreDistM: 1, NodeDistM: 1, APs: 9},
	}
	got := Aggregate(in, m)
	want := []ZoneStats{
		{Premises: 2, Units: 4, FibreDistN: 2, FibreDistMeanM: 50, FibreDistMaxM: 100, WifiPremises: 1, WifiUnits: 1, WifiLinks: 2, PassedPremises: 1, PassedUnits: 3},
		{Premises: 2, Units: 7, FibreDistN: 1, FibreDistMeanM: 300, FibreDistMaxM: 300, WifiPremises: 1, WifiUnits: 2, WifiLinks: 1},
		{},
	}
	for z := range want {
		if got[z] != want[z] {
			t.Errorf("zone %s:\n got %+v\nwant %+v", in.Zones[z].ID, got[z], want[z])
		}
	}
}

func TestPeerClassify(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    PremiseMeasure
		want PeerClass
	}{
		{"node within 1000 m", PremiseMeasure{NodeDistM: 999.9}, PeerFibre},
		{"exactly 1000 m is fibre", PremiseMeasure{NodeDistM: 1000}, PeerFibre},
		{"line does not count", PremiseMeasure{NodeDistM: 1000.001, FibreDistM: 5, APs: 1}, PeerWifi},
		{"no node, no AP", PremiseMeasure{NodeDistM: math.Inf(1)}, PeerSatellite},
		{"far node, no AP", PremiseMeasure{NodeDistM: 5000}, PeerSatellite},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := PeerClassify(tc.m); got != tc.want {
				t.Errorf("PeerClassify(%+v) = %v, want %v", tc.m, got, tc.want)
			}
		})
	}
}

func TestPeerCountsDecision(t *testing.T) {
	for _, tc := range []struct {
		name  string
		units [3]int32 // units of one fibre, one wifi and one satellite premise
		want  string
	}{
		{"fibre wins", [3]int32{3, 2, 1}, "fibre"},
		{"wifi wins", [3]int32{1, 3, 2}, "wifi"},
		{"satellite wins", [3]int32{1, 2, 3}, "satellite"},
		{"tie fibre-wifi goes to fibre", [3]int32{2, 2, 1}, "fibre"},
		{"tie fibre-satellite goes to fibre", [3]int32{2, 1, 2}, "fibre"},
		{"tie wifi-satellite goes to wifi", [3]int32{1, 2, 2}, "wifi"},
		{"no units", [3]int32{0, 0, 0}, "none"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &Input{Zones: []Zone{{ID: "z"}}}
			ms := []PremiseMeasure{
				{NodeDistM: 10},                      // fibre
				{NodeDistM: 2000, APs: 1},            // wifi
				{NodeDistM: 2000},                    // satellite
				{NodeDistM: math.Inf(1), Zone: -1},   // in no zone
				{NodeDistM: math.Inf(1), Zone: 1000}, // a bad zone index is ignored
			}
			for i, u := range tc.units {
				in.Premises = append(in.Premises, Premise{ID: fmt.Sprint(i), Units: u})
			}
			in.Premises = append(in.Premises, Premise{Units: 9}, Premise{Units: 9})
			got := PeerCounts(in, ms)[0]
			if got.Decision != tc.want {
				t.Errorf("decision %q, want %q (%+v)", got.Decision, tc.want, got)
			}
			if got.Premises != 3 || got.PremisesBy != [3]int{1, 1, 1} || got.WifiLinks != 1 || got.NodeDistMaxM != 2000 {
				t.Errorf("counts %+v", got)
			}
		})
	}
}

func ExamplePeerCounts() {
	in := &Input{
		Zones: []Zone{{ID: "z1", Geom: orb.Polygon{box(0, 0, 2000, 2000)}}},
		Premises: []Premise{
			{ID: "p1", Pt: orb.Point{100, 100}, Units: 1},
			{ID: "p2", Pt: orb.Point{1900, 1900}, Units: 4},
		},
		Network: Network{
			Nodes: []FibreNode{{ID: "n1", Pt: orb.Point{0, 0}, Active: true}},
			APs:   []AccessPoint{{ID: "a1", Pt: orb.Point{1800, 1800}, RangeM: 500, Operational: true}},
		},
	}
	m := NewIndex(in).Measure(in.Premises, 0)
	for i, pm := range m {
		fmt.Printf("%s: zone %s, node %.1f m, %d AP, %v\n", in.Premises[i].ID, in.Zones[pm.Zone].ID, pm.NodeDistM, pm.APs, PeerClassify(pm))
	}
	c := PeerCounts(in, m)[0]
	fmt.Printf("z1: %d premises, %d units, mean %.1f m, decision %s\n", c.Premises, c.Units, c.NodeDistMeanM, c.Decision)
	// Output:
	// p1: zone z1, node 141.4 m, 0 AP, fibre
	// p2: zone z1, node 2687.0 m, 1 AP, wifi
	// z1: 2 premises, 5 units, mean 1414.2 m, decision wifi
}

func ExampleIndex_ZoneOf() {
	// Two 1 km squares sharing the edge x = 1000 m.
	in := &Input{Zones: []Zone{
		{ID: "west", Geom: orb.Polygon{box(0, 0, 1000, 1000)}},
		{ID: "east", Geom: orb.Polygon{box(1000, 0, 2000, 1000)}},
	}}
	ix := NewIndex(in)
	for _, p := range []orb.Point{{500, 500}, {1500, 500}, {1000, 500}, {2500, 500}} {
		fmt.Println(p, ix.ZoneOf(p))
	}
	// Output:
	// [500 500] 0
	// [1500 500] 1
	// [1000 500] 0
	// [2500 500] -1
}

func ExampleIndex_APsInRange() {
	in := &Input{Network: Network{APs: []AccessPoint{
		{ID: "a", Pt: orb.Point{0, 0}, RangeM: 300, Operational: true},
		{ID: "b", Pt: orb.Point{400, 0}, RangeM: 100, Operational: true}, // too far
		{ID: "c", Pt: orb.Point{0, 500}, RangeM: 500, Operational: true}, // exactly at range: counts
		{ID: "d", Pt: orb.Point{10, 0}, RangeM: 300, Operational: false}, // not operational
	}}}
	NewIndex(in).APsInRange(orb.Point{0, 0}, func(ap int32, distM float64) bool {
		fmt.Printf("%s %.0f m\n", in.APs[ap].ID, distM)
		return true
	})
	// Unordered output:
	// a 0 m
	// c 500 m
}
