package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/covplan/covplan/coverage"
)

// FuzzScenarioFile: any bytes decode to settings or a located error, never
// a panic; every setting is a --set key at a position inside the file, and
// applying the settings never panics. The seeds (below and in
// testdata/fuzz/FuzzScenarioFile) run in every go test.
func FuzzScenarioFile(f *testing.F) {
	var tmpl bytes.Buffer
	writeScenarioTemplate(&tmpl, coverage.DefaultScenario())
	for _, s := range []string{
		tmpl.String(),
		"target: us-bead\nfibre.route_factor: 1.1\n",
		"fibre: {route_factor: 1_1e-1, new_node_eur: 2e5}\n",
		"priority: [schools, public]\n",
		"wifi:\n  fwa: &radio\n    site_eur: 1000\n  public-wifi:\n    <<: *radio\n",
		"leo:\n  kit_eur: &k 300\ngeo:\n  kit_eur: *k\n",
		"leo.kit_eur: !!str 5\n",
		"a: 'it''s [not] nested' # - - - \n",
		laughs(),
		"a: " + strings.Repeat("[", 40),
		strings.Repeat("- ", 40) + "x\n",
		"---\n---\n",
		"? fibre.route_factor\n: 1.2\n",
		"target: |\n  fr-thd\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		settings, err := decodeScenario(data, "f.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yaml:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		e := newEffectiveScenario()
		for _, st := range settings {
			if k, _ := isKeyPrefix(st.key); !k {
				t.Fatalf("setting of an unknown key %q", st.key)
			}
			if st.at.line < 1 || st.at.line > lines || st.at.col < 1 {
				t.Fatalf("%s at %d:%d, outside the file's %d lines", st.key, st.at.line, st.at.col, lines)
			}
			_ = e.apply(st)
		}
	})
}

// FuzzSet: any --set argument is parsed and applied, or refused with an
// error, never a panic; a value Set accepts reads back, through Params, as
// a value Set gives the same scenario with.
func FuzzSet(f *testing.F) {
	for _, s := range []string{
		"leo.kit_eur=0", "fibre.route_factor=1,5", "fibre.new_node_eur=1_000", "target=us-bead",
		"priority=schools,public", "fibre.allow_new_nodes=yes", "wifi.profile=public-wifi",
		"policy.priority_tech=leo", "target.down_mbps=1e3", "=", "leo.kit_eur", " leo.kit_eur = 5 ",
		"leo.kit_eur=NaN", "leo.kit_eur=inf", "money.horizon_years=2.5", "policy=budget",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, kv string) {
		k, v, err := parseSet(kv)
		if err != nil {
			return
		}
		sc := coverage.DefaultScenario()
		if err := sc.Set(k, v); err != nil {
			return
		}
		key := strings.ToLower(strings.TrimSpace(k))
		var shown string
		for _, p := range sc.Params() {
			if p.Key == key {
				shown = p.Value
			}
		}
		again := coverage.DefaultScenario()
		if err := again.Set(key, shown); err != nil {
			t.Fatalf("Set(%q, %q) accepted, but its value as shown, %q, is refused: %v", k, v, shown, err)
		}
		a, b := sc.Params(), again.Params()
		for i := range a {
			if a[i].Value != b[i].Value {
				t.Fatalf("Set(%q, %q): %s = %q, but setting the shown %q gives %q", k, v, a[i].Key, a[i].Value, shown, b[i].Value)
			}
		}
	})
}

// FuzzBatchManifest: any bytes decode to areas or an error naming the
// manifest, never a panic; every area decoded has a valid, unique id and
// options plan accepts. The manifest's paths name no file here, so the
// seeds are written to pass without reading any.
func FuzzBatchManifest(f *testing.F) {
	for _, s := range []string{
		"areas:\n  - id: a\n    premises: p.csv\n",
		"title: t\ndefaults:\n  set: {policy: hybrid}\n  fibre: [n.csv]\nareas:\n  - id: a\n    zones: z.geojson\n    set:\n      fibre:\n        route_factor: 1.3\n  - id: b\n    premises: p.csv\n    grid_m: 250\n    aps: a.csv\n",
		"defaults: &d\n  premises: p.csv\nareas:\n  - id: a\n    <<: *d\n",
		"areas:\n  - &x {id: a, premises: p.csv}\n  - *x\n",
		"areas: [{id: a, premises: p.csv, excel: true, lang: en}]\n",
		laughs(),
		"areas:\n" + strings.Repeat("  - id: a\n    premises: p.csv\n", 3),
		"areas: " + strings.Repeat("[", 40),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := decodeBatchManifest(data, "m.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "m.yaml") && !strings.Contains(err.Error(), ".yaml") {
				t.Fatalf("error does not name the manifest: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, a := range m.Areas {
			if !areaIDRE.MatchString(a.ID) || seen[strings.ToLower(a.ID)] {
				t.Fatalf("area id %q bad or repeated", a.ID)
			}
			seen[strings.ToLower(a.ID)] = true
			if err := (PlanOptions{Inputs: a.Inputs, Out: a.ID, Report: a.Report}).validate(); err != nil {
				t.Fatalf("area %s: options plan refuses: %v", a.ID, err)
			}
		}
	})
}
