package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// lineOf returns the line of out that sets key (active or commented out).
func lineOf(t *testing.T, out, key string) string {
	t.Helper()
	re := regexp.MustCompile(`(?m)^(# )?` + regexp.QuoteMeta(key) + `: .*$`)
	l := re.FindString(out)
	if l == "" {
		t.Fatalf("no line for %s in:\n%s", key, out)
	}
	return l
}

// scenario show says where every value came from: default, preset, file
// position, flag or --set, the last one applied winning.
func TestScenarioShowOrigins(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.yaml")
	os.WriteFile(path, []byte("target: fr-2025\nfibre:\n  route_factor: 1.1\nleo.kit_eur: 0\npolicy.threshold_eur: 3000\n"), 0o644)
	code, out, stderr := covplan(t, "scenario", "show", "--scenario", path, "--threshold-eur", "4000", "--set", "leo.kit_eur=10", "--set", "geo.kit_eur=20")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for key, want := range map[string]string{
		"target":               "target: fr-2025  # " + path + ":1:1",
		"target.down_mbps":     "# target.down_mbps: 100  # preset fr-2025 (" + path + ":1:1)",
		"fibre.route_factor":   "fibre.route_factor: 1.1  # " + path + ":3:3",
		"policy.threshold_eur": "policy.threshold_eur: 4000  # --threshold-eur",
		"leo.kit_eur":          "leo.kit_eur: 10  # --set",
		"geo.kit_eur":          "geo.kit_eur: 20  # --set",
		"fibre.split":          "fibre.split: 32  # default",
		"policy":               "policy: least-cost  # default",
	} {
		if got := strings.Join(strings.Fields(lineOf(t, out, key)), " "); got != strings.Join(strings.Fields(want), " ") {
			t.Errorf("%s: %q, want %q", key, got, want)
		}
	}
	// Without a file, the preset of the defaults.
	_, out, _ = covplan(t, "scenario", "show")
	if l := lineOf(t, out, "target.down_mbps"); !strings.Contains(l, "# preset fr-thd (default)") {
		t.Errorf("default preset line %q", l)
	}
	// A target.* key makes the target custom, said on the target line.
	_, out, _ = covplan(t, "scenario", "show", "--set", "target.down_mbps=50")
	if l := lineOf(t, out, "target"); !strings.HasPrefix(l, "# target: custom") || !strings.Contains(l, "--set (via target.down_mbps)") {
		t.Errorf("custom target line %q", l)
	}
}

// The output of scenario show is a scenario file giving the same scenario,
// and --changed keeps only the values set.
func TestScenarioShowRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--target", "us-bead", "--set", "fibre.route_factor=1.3", "--priority", "schools,public"},
		{"--set", "target.down_mbps=50", "--policy", "budget", "--budget-eur", "2e6"},
		{},
	} {
		for _, changed := range []bool{false, true} {
			a := append([]string{"scenario", "show"}, args...)
			if changed {
				a = append(a, "--changed")
			}
			code, out, stderr := covplan(t, a...)
			if code != exitOK {
				t.Fatalf("%v: exit %d: %s", a, code, stderr)
			}
			path := filepath.Join(dir, "shown.yaml")
			os.WriteFile(path, []byte(out), 0o644)
			spec := scenarioSpec{File: path}
			back, err := buildScenario(spec)
			if err != nil {
				t.Fatalf("%v: the output does not read back: %v\n%s", a, err, out)
			}
			_, want, _ := covplan(t, append([]string{"params", "--csv"}, args...)...)
			_, got, _ := covplan(t, "params", "--csv", "--scenario", path)
			if got != want {
				t.Errorf("%v: read back differs from the scenario shown:\n%s", a, out)
			}
			_ = back
			if changed && strings.Contains(out, "# default") {
				t.Errorf("--changed shows defaults:\n%s", out)
			}
		}
	}
}

func TestScenarioDiff(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")
	os.WriteFile(a, []byte("target: fr-thd\nfibre.route_factor: 1.2\nleo:\n  kit_eur: 0\n"), 0o644)
	os.WriteFile(b, []byte("target: us-bead\nfibre:\n  route_factor: 1.1\nleo.kit_eur: 0\n"), 0o644)
	code, out, stderr := covplan(t, "scenario", "diff", a, b)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var keys []string
	for _, l := range lines[1 : len(lines)-1] {
		keys = append(keys, strings.Fields(l)[0])
	}
	if got := strings.Join(keys, " "); got != "target target.down_mbps target.up_mbps target.latency_ms fibre.route_factor" {
		t.Errorf("keys that differ: %s\n%s", got, out)
	}
	if l := lineOf2(out, "fibre.route_factor"); strings.Join(strings.Fields(l), " ") != "fibre.route_factor 1.2 "+a+":2:1 1.1 "+b+":3:3" {
		t.Errorf("values and origins missing:\n%s", out)
	}
	if lines[len(lines)-1] != "5 values differ" {
		t.Errorf("last line %q", lines[len(lines)-1])
	}
	// The same scenario written two ways: no difference.
	os.WriteFile(b, []byte("fibre:\n  route_factor: 1.2\nleo.kit_eur: 0\n"), 0o644)
	_, out, _ = covplan(t, "scenario", "diff", a, b)
	if !strings.HasPrefix(strings.Split(strings.TrimSpace(out), "\n")[1], "no value differs") {
		t.Errorf("same scenarios:\n%s", out)
	}
	// One file: against the defaults.
	_, out, _ = covplan(t, "scenario", "diff", a)
	if l := lineOf2(out, "leo.kit_eur"); strings.Join(strings.Fields(l), " ") != "leo.kit_eur 0 "+a+":4:3 349 default" {
		t.Errorf("diff against the defaults:\n%s", out)
	}
	if code, _, stderr := covplan(t, "scenario", "diff"); code != exitUsage || !strings.Contains(stderr, "one or two") {
		t.Errorf("no file: exit %d, %s", code, stderr)
	}
	os.WriteFile(b, []byte("leo.kit_euro: 0\n"), 0o644)
	if code, _, stderr := covplan(t, "scenario", "diff", a, b); code != exitUsage || !strings.Contains(stderr, b+":1:1: unknown key") {
		t.Errorf("bad file: exit %d, %s", code, stderr)
	}
}

// Flag and --set errors name the flag and the value.
func TestScenarioFlagErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--threshold-eur", "abc"}, `--threshold-eur "abc": not a number`},
		{[]string{"--budget-eur", "-5"}, `--budget-eur "-5": out of range`},
		{[]string{"--target", "mars"}, `--target "mars": coverage: unknown target "mars"`},
		{[]string{"--set", "fibre.route_factor=-3"}, "--set fibre.route_factor=-3: out of range"},
		{[]string{"--set", "leo.kitt_eur=1"}, `unknown key "leo.kitt_eur"`},
		{[]string{"--set", "=1"}, "want key=value"},
	} {
		code, _, stderr := covplan(t, append([]string{"scenario", "show"}, tt.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tt.args, code, stderr, tt.want)
		}
	}
}

// lineOf2 returns the line of out that starts with key and a blank.
func lineOf2(out, key string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, key+" ") {
			return l
		}
	}
	return ""
}
