package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/covplan/covplan/coverage"
)

// scenarioOf builds the scenario of one file holding yaml, named s.yaml.
func scenarioOf(t *testing.T, yaml string) (*effectiveScenario, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := buildScenario(scenarioSpec{File: path})
	if err != nil {
		// Errors name the file as given: keep the base name for the tables.
		return nil, fmt.Errorf("%s", strings.ReplaceAll(err.Error(), path, "s.yaml"))
	}
	return e, nil
}

func TestScenarioFile(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		check func(t *testing.T, sc coverage.Scenario)
	}{
		{"flat keys", "target: us-bead\nfibre.route_factor: 1.1\n", func(t *testing.T, sc coverage.Scenario) {
			if sc.Target.Name != "us-bead" || sc.Target.LatencyMs != 100 || sc.Fibre.RouteFactor != 1.1 {
				t.Errorf("got target %+v, route factor %g", sc.Target, sc.Fibre.RouteFactor)
			}
		}},
		{"nested keys, preset refined below", "target: fr-2025\ntarget.down_mbps: 200\nleo:\n  kit_eur: 0\n", func(t *testing.T, sc coverage.Scenario) {
			if sc.Target.DownMbps != 200 || sc.LEO.KitEUR != 0 || sc.Target.Name != "custom" {
				t.Errorf("got target %+v, leo kit %g", sc.Target, sc.LEO.KitEUR)
			}
		}},
		{"flow mapping, numbers as written", "fibre: {route_factor: 1_1e-1, new_node_eur: 2e5}\n", func(t *testing.T, sc coverage.Scenario) {
			if sc.Fibre.RouteFactor != 1.1 || sc.Fibre.NewNodeEUR != 200000 {
				t.Errorf("route factor %g, new node %g", sc.Fibre.RouteFactor, sc.Fibre.NewNodeEUR)
			}
		}},
		{"priority list", "priority: [schools, public]\n", func(t *testing.T, sc coverage.Scenario) {
			if len(sc.Priority) != 2 || sc.Priority[0] != coverage.KindSchool {
				t.Errorf("priority %v", sc.Priority)
			}
		}},
		{"block list", "priority:\n  - school\n  - public\n", func(t *testing.T, sc coverage.Scenario) {
			if len(sc.Priority) != 2 || sc.Priority[1] != coverage.KindPublic {
				t.Errorf("priority %v", sc.Priority)
			}
		}},
		{"alias of a value", "leo:\n  kit_eur: &kit 300\ngeo:\n  kit_eur: *kit\n", func(t *testing.T, sc coverage.Scenario) {
			if sc.LEO.KitEUR != 300 || sc.GEO.KitEUR != 300 {
				t.Errorf("kits %g %g", sc.LEO.KitEUR, sc.GEO.KitEUR)
			}
		}},
		{"merge key", "wifi:\n  fwa: &radio\n    site_eur: 1000\n    radio_eur: 500\n  public-wifi:\n    <<: *radio\n", func(t *testing.T, sc coverage.Scenario) {
			if sc.Wifi.PublicWifi.SiteEUR != 1000 || sc.Wifi.PublicWifi.RadioEUR != 500 || sc.Wifi.FWA.SiteEUR != 1000 {
				t.Errorf("wifi %+v", sc.Wifi)
			}
		}},
		{"empty value keeps the default", "fibre:\n  route_factor:\n", func(t *testing.T, sc coverage.Scenario) {
			if sc.Fibre.RouteFactor != coverage.DefaultScenario().Fibre.RouteFactor {
				t.Errorf("route factor %g", sc.Fibre.RouteFactor)
			}
		}},
		{"empty file", "# nothing\n", func(t *testing.T, sc coverage.Scenario) {}},
		{"BOM and CRLF, as Windows editors write", "\ufefftarget: us-bead\r\nfibre:\r\n  route_factor: 1.1\r\n", func(t *testing.T, sc coverage.Scenario) {
			if sc.Target.Name != "us-bead" || sc.Fibre.RouteFactor != 1.1 {
				t.Errorf("target %s, route factor %g", sc.Target.Name, sc.Fibre.RouteFactor)
			}
		}},
		{"keys in any case", "Fibre:\n  Route_Factor: 1.3\n", func(t *testing.T, sc coverage.Scenario) {
			if sc.Fibre.RouteFactor != 1.3 {
				t.Errorf("route factor %g", sc.Fibre.RouteFactor)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := scenarioOf(t, tt.yaml)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, e.Scenario)
		})
	}
}

// Every mistake is reported at the file, line and column of the very
// occurrence at fault.
func TestScenarioFileErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "target: fr-thd\n\nfibre.route_factr: 1.1\n", `s.yaml:3:1: unknown key "fibre.route_factr"; did you mean fibre.route_factor?`},
		{"unknown key nested", "fibre:\n  route_factr: 1.1\n", `s.yaml:2:3: unknown key "fibre.route_factr"; did you mean fibre.route_factor?`},
		// The same key name under two sections: the wrong one is reported,
		// not the first occurrence of the name.
		{"same name under two sections", "fibre:\n  route_factor: 1.1\nwifi:\n  fwa:\n    route_factor: 2\n", `s.yaml:5:5: unknown key "wifi.fwa.route_factor"`},
		{"unknown section", "fiber:\n  route_factor: 1.1\n", `s.yaml:1:1: unknown key "fiber"`},
		{"wrong type at the value", "fibre:\n  route_factor: abc\n", "s.yaml:2:17: not a number"},
		{"out of range", "leo:\n  obstructed_share: 2\n", "s.yaml:2:21: out of range [0, 1]"},
		{"wrong choice", "wifi.profile: lte\n", "s.yaml:1:15: want"},
		{"unknown preset", "target: mars\n", `s.yaml:1:9: coverage: unknown target "mars"`},
		{"mapping for a value", "leo:\n  kit_eur:\n    x: 1\n", "s.yaml:3:5: leo.kit_eur takes a value, not a mapping"},
		{"group given a value", "fibre: 3\n", "s.yaml:1:1: fibre is a group of keys, not a key"},
		{"flat and nested twice", "fibre.route_factor: 1.1\nfibre:\n  route_factor: 1.2\n", "s.yaml:3:3: fibre.route_factor is set twice (first at line 1, column 1)"},
		{"same key twice", "leo:\n  kit_eur: 1\n  kit_eur: 2\n", "s.yaml:3:3:"},
		{"list in a list", "priority: [[school]]\n", "s.yaml:1:12: priority: a list holds names or numbers, not a list"},
		{"list at the top", "- a\n- b\n", "s.yaml:1:1: want a mapping of keys to values, not a list"},
		{"scalar at the top", "hello\n", "s.yaml:1:1: want a mapping of keys to values"},
		{"two documents", "leo.kit_eur: 1\n---\nleo.kit_eur: 2\n", "s.yaml:2:1: a scenario file holds one YAML document"},
		{"not yaml", "target: [unclosed\n", "s.yaml:1:"},
		{"undefined alias", "leo.kit_eur: *nope\n", "s.yaml:1:"},
		{"policy budget without a budget", "policy: budget\n", "policy budget needs budget_eur"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenarioOf(t, tt.yaml)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// A scenario file's mistakes exit 2 from the command line, in one line
// naming the position.
func TestScenarioFileExitCode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.yaml")
	os.WriteFile(path, []byte("fibre:\n  route_factr: 1.1\n"), 0o644)
	code, stdout, stderr := covplan(t, "plan", "--premises", ex+"mont-bonvillers/adresses.csv", "--scenario", path, "--out", filepath.Join(dir, "out"))
	if code != exitUsage || stdout != "" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	if want := "covplan: " + path + `:2:3: unknown key "fibre.route_factr"; did you mean fibre.route_factor?` + "\n"; stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Errorf("--out was created for a run refused for its scenario")
	}
}

// laughs is the "billion laughs": 9 aliases of 9 aliases ... 9 levels deep,
// a few hundred bytes that expand to 9^9 values.
func laughs() string {
	var b strings.Builder
	b.WriteString("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		fmt.Fprintf(&b, "%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", name, name, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = name
	}
	return b.String()
}

// The limits: each hostile file is refused quickly, in little memory, and
// the error says which limit was hit.
func TestScenarioFileLimits(t *testing.T) {
	mapLaughs := "leo: &a {kit_eur: 1, monthly_eur: 2}\n"
	prev := "a"
	for i := 0; i < 12; i++ {
		name := fmt.Sprintf("m%d", i)
		mapLaughs += fmt.Sprintf("x%d: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", i, name, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = name
	}
	tests := []struct {
		name, yaml, want string
	}{
		{"billion laughs", laughs(), "limit: YAML aliases"},
		{"laughs of mappings", mapLaughs, "limit: YAML aliases"},
		{"nested brackets", "a: " + strings.Repeat("[", 100_000), "s.yaml:1:19: nested more than 16 levels deep (limit: nesting depth"},
		{"nested braces over lines", "a:\n" + strings.Repeat("{\n", 20), "s.yaml:18:1: nested more than 16 levels deep"},
		{"nested dashes", strings.Repeat("- ", 100_000) + "x\n", "s.yaml:1:33: nested more than 16 levels deep"},
		{"too large", "# " + strings.Repeat("x", scenarioMaxBytes) + "\n", "larger than 256 KiB, the limit of a scenario file (limit: file size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := scenarioOf(t, tt.yaml)
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
				t.Errorf("allocated %d MB refusing a %d-byte file", alloc>>20, len(tt.yaml))
			}
		})
	}
	// Brackets and dashes in quoted strings and comments do not count.
	ok := "leo:\n  kit_eur: 1 # [[[[[[[[[[[[[[[[[[[[[[[[[[\nwifi.profile: 'fwa' # - - - - - - - - - - - - - - - - - - - -\n"
	if _, err := scenarioOf(t, ok); err != nil {
		t.Errorf("comments counted as nesting: %v", err)
	}
}

// The template written by 'scenario init' reads back to the defaults, and
// editing only its preset line changes the target.
func TestScenarioTemplateRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "scenario.yaml")
	code, _, stderr := covplan(t, "scenario", "init", path)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	e, err := buildScenario(scenarioSpec{File: path})
	if err != nil {
		t.Fatalf("template does not read back: %v", err)
	}
	def := coverage.DefaultScenario()
	for i, p := range e.Scenario.Params() {
		if d := def.Params()[i]; p.Value != d.Value {
			t.Errorf("%s: template gives %q, default %q", p.Key, p.Value, d.Value)
		}
	}
	b, _ := os.ReadFile(path)
	edited := strings.Replace(string(b), "\ntarget: fr-thd\n", "\ntarget: us-bead\n", 1)
	os.WriteFile(path, []byte(edited), 0o644)
	e, err = buildScenario(scenarioSpec{File: path})
	if err != nil {
		t.Fatal(err)
	}
	if sc := e.Scenario; sc.Target.Name != "us-bead" || sc.Target.LatencyMs != 100 {
		t.Errorf("editing the preset line gave target %+v", sc.Target)
	}
}
