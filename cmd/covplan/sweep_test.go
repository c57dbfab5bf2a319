package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/covplan/covplan/coverage"
	"github.com/covplan/covplan/render"
)

func TestParseVary(t *testing.T) {
	base := coverage.DefaultScenario()
	for _, tc := range []struct {
		arg     string
		values  []string
		numeric bool
	}{
		{"policy.threshold_eur=1000:3000:1000", []string{"1000", "2000", "3000"}, true},
		{"fibre.route_factor=1:1.3:0.1", []string{"1", "1.1", "1.2", "1.3"}, true},
		{"leo.kit_eur=349,0,199", []string{"0", "199", "349"}, true},          // sorted
		{"leo.kit_eur=1e3,1000,0", []string{"0", "1000"}, true},               // one value once
		{"budget_eur=0:10:4", []string{"0", "4", "8"}, true},                  // TO not reached
		{"policy=hybrid,least-cost", []string{"hybrid", "least-cost"}, false}, // order kept
		{"priority=school;school,public", []string{"school", "school,public"}, false},
	} {
		v, err := parseVary(tc.arg, base)
		if err != nil {
			t.Errorf("%s: %v", tc.arg, err)
			continue
		}
		if !slices.Equal(v.Values, tc.values) || v.Numeric != tc.numeric {
			t.Errorf("%s: values %q numeric %v, want %q %v", tc.arg, v.Values, v.Numeric, tc.values, tc.numeric)
		}
	}
}

func TestSweepUsageErrors(t *testing.T) {
	in := []string{"sweep", "--premises", ex + "mont-bonvillers/adresses.csv", "--out"}
	for _, tc := range []struct {
		vary []string
		want string
	}{
		{nil, "give at least one --vary"},
		{[]string{"fibre.route=1:2:0.1"}, "--vary fibre.route: unknown key; did you mean"},
		{[]string{"leo.kit_eur=0:100:0"}, "STEP must be positive"},
		{[]string{"leo.kit_eur=100:0:10"}, "FROM must not be above TO"},
		{[]string{"leo.kit_eur=0:1e6:1"}, "more than 1000"},
		{[]string{"leo.kit_eur=0:x:1"}, `"x" is not a number`},
		{[]string{"fibre.route_factor=0:2:0.5"}, "--vary fibre.route_factor=0: out of range"},
		{[]string{"policy=hybrid,cheapest"}, "--vary policy=cheapest"},
		{[]string{"leo.kit_eur=0,1", "leo.kit_eur=2"}, "varied twice"},
		{[]string{"leo.kit_eur"}, "want KEY=FROM:TO:STEP"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		args := append(append([]string{}, in...), out)
		for _, v := range tc.vary {
			args = append(args, "--vary", v)
		}
		code, _, stderr := covplan(t, args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("--vary %q: exit %d, stderr %q; want exit 2 and %q", tc.vary, code, stderr, tc.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("--vary %q: a usage error created --out", tc.vary)
		}
	}
}

// Differential: every point of a sweep is the plan a plan run with that
// one value gives; every flip is where the plans say the zone's choice
// changes.
func TestSweepEqualsPlanRuns(t *testing.T) {
	base := coverage.DefaultScenario()
	var vary []sweepVary
	for _, arg := range []string{"policy=least-cost,fibre-first,hybrid", "leo.kit_eur=0:400:200", "fibre.underground_eur_per_m=40,120"} {
		v, err := parseVary(arg, base)
		if err != nil {
			t.Fatal(err)
		}
		vary = append(vary, v)
	}
	res, err := runSweep(context.Background(), SweepOptions{Inputs: mbInputs(), Scenario: base, Vary: vary, Out: t.TempDir(),
		Report: ReportOptions{Lang: "en"}, Run: RunOptions{Quiet: true}}, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	sw := res.Sweep
	// base + leo 0, 200, 400 (349 not among them) + 2 trench costs; the policies share the base's
	if sw.Evaluations != 6 {
		t.Errorf("%d evaluations, want 6", sw.Evaluations)
	}
	samePlan(t, "base", sw.Base, planOf(t, mbInputs(), base))
	plans := map[string]*coverage.Plan{}
	for _, k := range sw.Keys {
		for _, p := range k.Points {
			plan := planOf(t, mbInputs(), withSet(t, base, k.Key, p.Value))
			plans[k.Key+"="+p.Value] = plan
			got := p.Totals
			want := render.TotalsOf(plan)
			if got != want {
				t.Errorf("%s=%s: sweep totals %+v, plan run %+v", k.Key, p.Value, got, want)
			}
			if k.Key == "policy" && p.Evaluation != 1 {
				t.Errorf("policy=%s decided from evaluation %d, want the base's", p.Value, p.Evaluation)
			}
		}
		for _, f := range k.Flips {
			at := plans[k.Key+"="+f.Value]
			if at == nil || at.Zones[f.Zone].Chosen != f.Tech || at.Zones[f.Zone].Mixed != f.Mixed {
				t.Errorf("%s: zone %d flips to %v at %s, the plan there says otherwise", k.Key, f.Zone, f.Tech, f.Value)
			}
			if f.Direction != "at" && f.LastBase != k.BaseValue {
				if last := plans[k.Key+"="+f.LastBase]; last == nil || last.Zones[f.Zone].Chosen != sw.Base.Zones[f.Zone].Chosen {
					t.Errorf("%s: zone %d keeps its base choice up to %s, the plan there says otherwise", k.Key, f.Zone, f.LastBase)
				}
			}
		}
	}
	if len(sw.Keys[1].Flips) == 0 {
		t.Errorf("no zone flips with the LEO kit from 0 to 400 EUR: the test checks nothing")
	}
}

func TestSweepCLI(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := covplan(t, "sweep", "--premises", ex+"mont-bonvillers/adresses.csv", "--grid-m", "250",
		"--fibre", ex+"mont-bonvillers/nro-assumed.csv", "--aps", ex+"mont-bonvillers/wifi-assumed.csv",
		"--vary", "leo.kit_eur=0:400:100", "--vary", "policy=least-cost,hybrid", "--title", "Mont-Bonvillers", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "8 plans from 6 evaluation(s)") {
		t.Errorf("stdout:\n%s", stdout)
	}
	rows := readCSV(t, filepath.Join(out, "sweep.csv"))
	if len(rows) != 9 || rows[1][0] != "base" || rows[2][0] != "leo.kit_eur" || rows[2][1] != "0" {
		t.Errorf("sweep.csv: %v", rows)
	}
	checkGolden(t, filepath.Join(out, "sweep.csv"), "sweep-mont-bonvillers.csv")
	checkGolden(t, filepath.Join(out, "sweep-zones.csv"), "sweep-zones-mont-bonvillers.csv")
	html, err := os.ReadFile(filepath.Join(out, "sweep.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id="chart-tornado-public"`, `id="chart-curve-0"`, `id="plans-table"`, `id="flips-table"`} {
		if !strings.Contains(string(html), want) {
			t.Errorf("sweep.html lacks %s", want)
		}
	}
}
