package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCostsFollowTheArea: without a cost preset chosen, an area outside
// metropolitan France is priced on the us preset, and the run says so; a
// preset the user chose (by --set, or in a scenario file) is kept.
func TestCostsFollowTheArea(t *testing.T) {
	dir := t.TempDir()
	// 60 premises along a road near Bozeman, Montana.
	var b strings.Builder
	b.WriteString("id,lon,lat\n")
	for i := range 60 {
		fmt.Fprintf(&b, "%d,%.6f,%.6f\n", i, -111.05+0.002*float64(i), 45.68+0.0005*float64(i%7))
	}
	us := filepath.Join(dir, "bozeman.csv")
	if err := os.WriteFile(us, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	scen := filepath.Join(dir, "fr.yaml")
	if err := os.WriteFile(scen, []byte("costs: fr\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		costs  string
		notice bool
	}{
		{"US area, no preset chosen", []string{"--premises", us}, "us", true},
		{"US area, --set costs=fr", []string{"--premises", us, "--set", "costs=fr"}, "fr", false},
		{"US area, costs in the scenario file", []string{"--premises", us, "--scenario", scen}, "fr", false},
		{"French area", []string{"--premises", ex + "mont-bonvillers/adresses.csv"}, "fr", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			code, _, stderr := covplan(t, append(append([]string{"plan", "--no-report", "--grid-m", "500"}, tt.args...), "--out", out)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if got := strings.Contains(stderr, "costs: us"); got != tt.notice {
				t.Errorf("notice on stderr = %v, want %v:\n%s", got, tt.notice, stderr)
			}
			raw, err := os.ReadFile(filepath.Join(out, "summary.json"))
			if err != nil {
				t.Fatal(err)
			}
			var sum struct {
				Scenario struct {
					Costs string `json:"costs"`
				} `json:"scenario"`
			}
			if err := json.Unmarshal(raw, &sum); err != nil {
				t.Fatal(err)
			}
			if sum.Scenario.Costs != tt.costs {
				t.Errorf("summary.json scenario.costs = %q, want %q", sum.Scenario.Costs, tt.costs)
			}
		})
	}
}

// TestReportMeta: --source, --date and --start-year reach the report (the
// credited source, the cover's date, calendar rollout years); a bad date
// or year is a usage error.
func TestReportMeta(t *testing.T) {
	out := t.TempDir()
	args := append(mbArgs(out), "--source", "adresses.csv: Base Adresse Nationale, ODbL",
		"--date", "2027-01-15", "--start-year", "2031", "--annual-budget-eur", "300000")
	if code, _, stderr := covplan(t, args...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Base Adresse Nationale, ODbL", "2027", "2031"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	for _, bad := range [][]string{{"--date", "15/01/2027"}, {"--start-year", "31"}} {
		if code, _, stderr := covplan(t, append(mbArgs(t.TempDir()), bad...)...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d: %s", bad, code, exitUsage, stderr)
		}
	}
}
