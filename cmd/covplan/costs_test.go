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
	us := writeBozeman(t, dir)
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
			if tt.notice && !strings.Contains(stderr, "the target is still fr-thd, a French definition") {
				t.Errorf("the notice does not say the target is still French:\n%s", stderr)
			}
			if got := summaryCosts(t, filepath.Join(out, "summary.json")); got != tt.costs {
				t.Errorf("summary.json scenario.costs = %q, want %q", got, tt.costs)
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

// writeBozeman writes 60 premises along a road near Bozeman, Montana, as
// dir/bozeman.csv and returns its path.
func writeBozeman(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,lon,lat\n")
	for i := range 60 {
		fmt.Fprintf(&b, "%d,%.6f,%.6f\n", i, -111.05+0.002*float64(i), 45.68+0.0005*float64(i%7))
	}
	path := filepath.Join(dir, "bozeman.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// summaryCosts is the cost preset a plan's summary.json names.
func summaryCosts(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
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
	return sum.Scenario.Costs
}

// TestBatchCostsFollowTheArea: in a batch, each area without a cost preset
// chosen (in the manifest's set, or its scenario file) is priced like
// plan prices it: us outside metropolitan France, fr inside.
func TestBatchCostsFollowTheArea(t *testing.T) {
	dir := t.TempDir()
	writeBozeman(t, dir)
	mb, err := filepath.Abs(ex + "mont-bonvillers/adresses.csv")
	if err != nil {
		t.Fatal(err)
	}
	manifest := `areas:
  - id: bozeman
    premises: bozeman.csv
    grid_m: 500
  - id: bozeman-fr
    premises: bozeman.csv
    grid_m: 500
    set:
      costs: fr
  - id: mb
    premises: ` + mb + `
    grid_m: 500
`
	mf := filepath.Join(dir, "manifest.yaml")
	if err := os.WriteFile(mf, []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, _, stderr := covplan(t, "batch", mf, "--out", out, "--jobs", "1")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "covplan: bozeman: costs: us") {
		t.Errorf("no costs notice for bozeman on stderr:\n%s", stderr)
	}
	for area, want := range map[string]string{"bozeman": "us", "bozeman-fr": "fr", "mb": "fr"} {
		if got := summaryCosts(t, filepath.Join(out, area, "summary.json")); got != want {
			t.Errorf("%s: summary.json scenario.costs = %q, want %q", area, got, want)
		}
	}
}

// TestCompareSweepCostsFollowTheArea: compare prices each scenario without
// a cost preset chosen on us outside metropolitan France, and keeps a
// preset a scenario chose; sweep does the same with its base.
func TestCompareSweepCostsFollowTheArea(t *testing.T) {
	dir := t.TempDir()
	us := writeBozeman(t, dir)
	out := filepath.Join(dir, "cmp")
	code, _, stderr := covplan(t, "compare", "--premises", us, "--grid-m", "500", "--no-report", "--plans",
		"--variant", "fr:costs=fr", "--variant", "hybrid:policy=hybrid", "--out", out)
	if code != exitOK {
		t.Fatalf("compare: exit %d: %s", code, stderr)
	}
	for _, name := range []string{"base", "hybrid"} {
		if !strings.Contains(stderr, "costs: us for scenario "+name+" ") {
			t.Errorf("compare: no costs notice for %s on stderr:\n%s", name, stderr)
		}
	}
	if strings.Contains(stderr, "for scenario fr ") {
		t.Errorf("compare: the fr variant chose its costs, yet a notice names it:\n%s", stderr)
	}
	for name, want := range map[string]string{"base": "us", "fr": "fr", "hybrid": "us"} {
		if got := summaryCosts(t, filepath.Join(out, name, "summary.json")); got != want {
			t.Errorf("compare: %s/summary.json scenario.costs = %q, want %q", name, got, want)
		}
	}
	for _, tc := range []struct {
		args   []string
		notice bool
	}{
		{nil, true},
		{[]string{"--set", "costs=fr"}, false},
	} {
		out := t.TempDir()
		args := append([]string{"sweep", "--premises", us, "--grid-m", "500", "--no-report", "--vary", "demand.household.take_up=0.5,0.7", "--out", out}, tc.args...)
		code, _, stderr := covplan(t, args...)
		if code != exitOK {
			t.Fatalf("sweep %q: exit %d: %s", tc.args, code, stderr)
		}
		if got := strings.Contains(stderr, "costs: us"); got != tc.notice {
			t.Errorf("sweep %q: costs notice = %v, want %v:\n%s", tc.args, got, tc.notice, stderr)
		}
	}
}
