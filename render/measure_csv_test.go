package render

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"github.com/covplan/covplan/coverage"
)

func peerInput() (*coverage.Input, []coverage.PremiseMeasure) {
	in := &coverage.Input{
		Zones: []coverage.Zone{{ID: "10"}, {ID: "2"}, {ID: "empty, quoted"}},
		Premises: []coverage.Premise{
			{ID: "11", Units: 2}, {ID: "3", Units: 1}, {ID: "1", Units: 4}, {ID: "x", Units: 1},
		},
		Network: coverage.Network{Nodes: []coverage.FibreNode{{ID: "n7"}, {ID: "n8"}}},
	}
	m := []coverage.PremiseMeasure{
		{Zone: 0, FibreNode: 1, NodeDistM: 1000, APs: 0},       // fibre (inclusive)
		{Zone: 1, FibreNode: 0, NodeDistM: 1234.56789, APs: 2}, // wifi
		{Zone: 0, FibreNode: 0, NodeDistM: 2000.25, APs: 0},    // satellite
		{Zone: -1, FibreNode: -1, NodeDistM: math.Inf(1)},      // in no zone, no node
	}
	return in, m
}

func TestWriteZoneCounts(t *testing.T) {
	in, m := peerInput()
	var buf bytes.Buffer
	if err := WriteZoneCounts(&buf, in, coverage.PeerCounts(in, m)); err != nil {
		t.Fatal(err)
	}
	want := ZoneCountsHeader + "\n" +
		"2,1,1,1234.568,1234.568,1,1,2,0,1,0,0,1,0,wifi\n" +
		"10,2,6,1500.125,2000.250,0,0,0,1,0,1,2,0,4,satellite\n" +
		"\"empty, quoted\",0,0,,,0,0,0,0,0,0,0,0,0,none\n"
	if got := buf.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestWritePremiseOut(t *testing.T) {
	in, m := peerInput()
	var buf bytes.Buffer
	if err := WritePremiseOut(&buf, in, m); err != nil {
		t.Fatal(err)
	}
	want := PremiseOutHeader + "\n" +
		"1,10,n7,2000.250,0,satellite\n" +
		"3,2,n7,1234.568,2,wifi\n" +
		"11,10,n8,1000.000,0,fibre\n" +
		"x,,,,0,satellite\n"
	if got := buf.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteMeasureCSVErrors(t *testing.T) {
	in, m := peerInput()
	if err := WritePremiseOut(brokenWriter{}, in, m); err == nil {
		t.Error("WritePremiseOut: no error from a failing writer")
	}
	if err := WriteZoneCounts(brokenWriter{}, in, coverage.PeerCounts(in, m)); err == nil {
		t.Error("WriteZoneCounts: no error from a failing writer")
	}
}

func TestCompareIDs(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int // sign
	}{
		{"2", "10", -1},
		{"10", "2", 1},
		{"007", "7", 1}, // same value: the shorter spelling first
		{"7", "007", -1},
		{"15014", "15014", 0},
		{"9", "a", -1}, // numbers first
		{"a", "9", 1},
		{"a", "b", -1},
		{"-1", "1", 1}, // a sign makes it a string
	} {
		got := compareIDs(tc.a, tc.b)
		if (got < 0) != (tc.want < 0) || (got > 0) != (tc.want > 0) {
			t.Errorf("compareIDs(%q, %q) = %d, want sign %d", tc.a, tc.b, got, tc.want)
		}
	}
}
