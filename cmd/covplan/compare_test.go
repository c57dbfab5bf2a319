package main

import (
	"bytes"
	"context"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/covplan/covplan/coverage"
	"github.com/covplan/covplan/render"
)

// mbInputs are Mont-Bonvillers' inputs, premise level (fast).
func mbInputs() InputOptions {
	return InputOptions{Premises: ex + "mont-bonvillers/adresses.csv", GridM: 250,
		Fibre: []string{ex + "mont-bonvillers/nro-assumed.csv"}, APs: []string{ex + "mont-bonvillers/wifi-assumed.csv"}}
}

// checkGolden compares the file at path with testdata/golden/name, or
// rewrites the golden with -update.
func checkGolden(t *testing.T, path, name string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (go test -update rewrites it after review):\n%s", path, golden, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first differing line.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n want " + a + "\n got  " + b
		}
	}
	return ""
}

// samePlan fails when two plans of one input differ in a total or a zone's
// choice.
func samePlan(t *testing.T, what string, got, want *coverage.Plan) {
	t.Helper()
	g, w := render.TotalsOf(got), render.TotalsOf(want)
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }
	if g.Premises != w.Premises || g.MeetTarget != w.MeetTarget || g.ZonesBy != w.ZonesBy || g.PremisesBy != w.PremisesBy ||
		!near(g.CapexEUR, w.CapexEUR) || !near(g.PublicEUR, w.PublicEUR) || !near(g.PresentEUR, w.PresentEUR) || !near(g.NPVEUR, w.NPVEUR) || g.NPVZones != w.NPVZones {
		t.Errorf("%s: totals differ from a plan run:\n got  %+v\n want %+v", what, g, w)
	}
	if n := render.ChangedZones(want, got); n != 0 {
		t.Errorf("%s: %d zones chose otherwise than in a plan run", what, n)
	}
}

// planOf runs plan for one scenario, into a fresh folder.
func planOf(t *testing.T, in InputOptions, sc coverage.Scenario) *coverage.Plan {
	t.Helper()
	res, err := runPlan(context.Background(), PlanOptions{Inputs: in, Scenario: sc, Out: t.TempDir(),
		Report: ReportOptions{NoReport: true, Lang: "fr"}, Run: RunOptions{Quiet: true}}, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return res.Source.Plan
}

func withSet(t *testing.T, sc coverage.Scenario, kv ...string) coverage.Scenario {
	t.Helper()
	sc.Priority = append([]coverage.Kind(nil), sc.Priority...)
	for i := 0; i < len(kv); i += 2 {
		if err := sc.Set(kv[i], kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return sc
}

// Differential: each scenario of a comparison is decided exactly as a plan
// run of that scenario, whether it shares an evaluation (policy, budget)
// or needs its own (leo.kit_eur), hybrid or not.
func TestCompareEqualsPlanRuns(t *testing.T) {
	base := coverage.DefaultScenario()
	scs := []namedScenario{
		{Name: "base", Scenario: base},
		{Name: "hybrid", Scenario: withSet(t, base, "policy", "hybrid")},
		{Name: "budget", Scenario: withSet(t, base, "policy", "budget", "budget_eur", "150000")},
		{Name: "cheap-leo", Scenario: withSet(t, base, "leo.kit_eur", "0")},
		{Name: "fibre-first", Scenario: withSet(t, base, "policy", "fibre-first", "policy.threshold_eur", "3000")},
	}
	res, err := runCompare(context.Background(), CompareOptions{Inputs: mbInputs(), Scenarios: scs, Out: t.TempDir(),
		Report: ReportOptions{NoReport: true, Lang: "fr"}, Run: RunOptions{Quiet: true}}, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if res.Groups != 2 {
		t.Errorf("%d evaluations, want 2 (leo.kit_eur alone changes the evaluation)", res.Groups)
	}
	wantEval := []int{1, 1, 1, 2, 1}
	for i, s := range res.Comparison.Scenarios {
		if s.Evaluation != wantEval[i] {
			t.Errorf("%s: evaluation %d, want %d", s.Name, s.Evaluation, wantEval[i])
		}
		samePlan(t, s.Name, s.Plan, planOf(t, mbInputs(), scs[i].Scenario))
	}
}

func TestCompareCLI(t *testing.T) {
	out := t.TempDir()
	args := []string{"compare", "--premises", ex + "mont-bonvillers/adresses.csv", "--grid-m", "250",
		"--fibre", ex + "mont-bonvillers/nro-assumed.csv", "--aps", ex + "mont-bonvillers/wifi-assumed.csv",
		"--variant", "hybrid:policy=hybrid", "--variant", "dear:fibre.underground_eur_per_m=150,fibre.aerial_eur_per_m=40",
		"--variant", "prio:priority=schools,public", "--scenario", "leo=" + ex + "scenarios/leo-subsidised.yaml",
		"--title", "Mont-Bonvillers", "--plans", "--out", out}
	code, stdout, stderr := covplan(t, args...)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"5 scenarios from", "base", "hybrid", "dear", "leo", "wrote " + filepath.Join(out, "compare.html")} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	rows := readCSV(t, filepath.Join(out, "compare.csv"))
	if len(rows) != 6 {
		t.Fatalf("compare.csv: %d rows, want a header and 5 scenarios", len(rows))
	}
	h := rows[0]
	// base first, then the files, then the variants
	if rows[1][col(t, h, "scenario")] != "base" || rows[1][col(t, h, "reference")] != "true" || rows[2][col(t, h, "scenario")] != "leo" || rows[3][col(t, h, "changes")] != "policy=hybrid" {
		t.Errorf("compare.csv rows: %v / %v", rows[1], rows[2])
	}
	if got := rows[5][col(t, h, "changes")]; got != "priority=school,public" {
		t.Errorf("the prio variant changes %q, want priority=school,public (a list value keeps its commas)", got)
	}
	// Each scenario's own plan, with --plans, has the totals of its row.
	for _, r := range rows[1:] {
		for _, k := range []string{"premises_reached:premises_meeting_target", "public_cost_eur:public_cost_eur", "capex_eur:capex_eur", "present_cost_eur:present_cost_eur"} {
			sk, ck, _ := strings.Cut(k, ":")
			if got, want := r[col(t, h, ck)], summaryValue(t, filepath.Join(out, r[0], "summary.json"), sk); got != want {
				t.Errorf("%s: compare.csv has %s %s, its summary.json %s", r[0], ck, got, want)
			}
		}
	}
	zones := readCSV(t, filepath.Join(out, "compare-zones.csv"))
	if len(zones) != 19 || zones[0][4] != "tech_base" {
		t.Errorf("compare-zones.csv: %d rows, header %v", len(zones), zones[0])
	}
	checkGolden(t, filepath.Join(out, "compare.csv"), "compare-mont-bonvillers.csv")
	checkGolden(t, filepath.Join(out, "compare-zones.csv"), "compare-zones-mont-bonvillers.csv")
	html, err := os.ReadFile(filepath.Join(out, "compare.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id="figures-table"`, `id="changed-zones"`, `id="map-scenario"`, "Mont-Bonvillers", "dear"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("compare.html lacks %s", want)
		}
	}
}

// summaryValue reads the first value of key in summary.json (the plan's
// totals come first), as written.
func summaryValue(t *testing.T, path, key string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, `"`+key+`": `)
	if i < 0 {
		t.Fatalf("%s: no %s", path, key)
	}
	v := s[i+len(key)+4:]
	return v[:strings.IndexAny(v, ",\n}")]
}

func TestCompareUsageErrors(t *testing.T) {
	in := []string{"compare", "--premises", ex + "mont-bonvillers/adresses.csv"}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"nothing to compare", []string{"--out", "OUT"}, "give at least two scenarios"},
		{"variant without settings", []string{"--variant", "x", "--out", "OUT"}, `want NAME:KEY=VALUE`},
		{"variant bad name", []string{"--variant", "a b:policy=hybrid", "--out", "OUT"}, `scenario name "a b"`},
		{"variant unknown key", []string{"--variant", "v:fibre.route=1.2", "--out", "OUT"}, "--variant v: fibre.route: unknown key; did you mean"},
		{"variant bad value", []string{"--variant", "v:policy=cheapest", "--out", "OUT"}, "--variant v: policy=cheapest"},
		{"variant not key=value", []string{"--variant", "v:policy", "--out", "OUT"}, `"policy" is not KEY=VALUE`},
		{"same name twice", []string{"--variant", "v:policy=hybrid", "--variant", "V:policy=fibre-first", "--out", "OUT"}, "two scenarios are named"},
		{"scenario file mistake", []string{"--scenario", ex + "scenarios/mistake.yaml", "--scenario", ex + "scenarios/leo-subsidised.yaml", "--out", "OUT"}, "mistake.yaml:"},
		{"no out", []string{"--variant", "v:policy=hybrid"}, "give --out DIR"},
		{"argument", []string{"--variant", "v:policy=hybrid", "--out", "OUT", "extra"}, `unexpected argument "extra"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append(append([]string{}, in...), tc.args...)
			for i, a := range args {
				if a == "OUT" {
					args[i] = out
				}
			}
			code, stdout, stderr := covplan(t, args...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) || stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit 2 and %q", code, stderr, stdout, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a usage error created --out")
			}
		})
	}
}

func TestScenarioFileArg(t *testing.T) {
	for _, tc := range []struct{ arg, name, path string }{
		{"a/b/leo-subsidised.yaml", "leo-subsidised", "a/b/leo-subsidised.yaml"},
		{"cheap=x/y.yaml", "cheap", "x/y.yaml"},
		{"x/été 2025.yml", "t--2025", "x/été 2025.yml"},
		{"dir/a=b/c.yaml", "c", "dir/a=b/c.yaml"},
	} {
		if n, p := scenarioFileArg(tc.arg); n != tc.name || p != tc.path {
			t.Errorf("scenarioFileArg(%q) = %q, %q; want %q, %q", tc.arg, n, p, tc.name, tc.path)
		}
	}
}
