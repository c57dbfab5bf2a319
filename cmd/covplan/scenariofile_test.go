package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/covplan/covplan/coverage"
)

func TestScenarioFile(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		check   func(t *testing.T, sc coverage.Scenario)
		wantErr string
	}{
		{"flat keys", "target: us-bead\nfibre.route_factor: 1.1\n", func(t *testing.T, sc coverage.Scenario) {
			if sc.Target.Name != "us-bead" || sc.Target.LatencyMs != 100 || sc.Fibre.RouteFactor != 1.1 {
				t.Errorf("got target %+v, route factor %g", sc.Target, sc.Fibre.RouteFactor)
			}
		}, ""},
		{"nested keys, preset refined below", "target: fr-2025\ntarget.down_mbps: 200\nleo:\n  kit_eur: 0\n", func(t *testing.T, sc coverage.Scenario) {
			if sc.Target.DownMbps != 200 || sc.LEO.KitEUR != 0 {
				t.Errorf("got target %+v, leo kit %g", sc.Target, sc.LEO.KitEUR)
			}
		}, ""},
		{"priority list", "priority: [schools, public]\n", func(t *testing.T, sc coverage.Scenario) {
			if len(sc.Priority) != 2 || sc.Priority[0] != coverage.KindSchool {
				t.Errorf("priority %v", sc.Priority)
			}
		}, ""},
		{"unknown key has its line", "target: fr-thd\n\nfibre.route_factr: 1.1\n", nil, "s.yaml:3:"},
		{"bad value names the key", "fibre:\n  route_factor: -1\n", nil, "fibre.route_factor"},
		{"not yaml", "target: [unclosed\n", nil, "s.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.yaml")
			os.WriteFile(path, []byte(tt.yaml), 0o644)
			sc := coverage.DefaultScenario()
			err := applyScenarioFile(&sc, path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, sc)
		})
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
	sc := coverage.DefaultScenario()
	if err := applyScenarioFile(&sc, path); err != nil {
		t.Fatalf("template does not read back: %v", err)
	}
	def := coverage.DefaultScenario()
	for i, p := range sc.Params() {
		if d := def.Params()[i]; p.Value != d.Value {
			t.Errorf("%s: template gives %q, default %q", p.Key, p.Value, d.Value)
		}
	}
	b, _ := os.ReadFile(path)
	edited := strings.Replace(string(b), "\ntarget: fr-thd\n", "\ntarget: us-bead\n", 1)
	os.WriteFile(path, []byte(edited), 0o644)
	sc = coverage.DefaultScenario()
	if err := applyScenarioFile(&sc, path); err != nil {
		t.Fatal(err)
	}
	if sc.Target.Name != "us-bead" || sc.Target.LatencyMs != 100 {
		t.Errorf("editing the preset line gave target %+v", sc.Target)
	}
}
