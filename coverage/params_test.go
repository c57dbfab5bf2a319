package coverage

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSetErrorsNameTheKey(t *testing.T) {
	tests := []struct{ key, value, want string }{
		{"leo.kit_eurr", "1", "leo.kit_eurr"},
		{"nope", "1", `unknown key "nope"`},
		{"fibre.route_factor", "abc", "fibre.route_factor"},
		{"fibre.route_factor", "0.5", "out of range"},
		{"fibre.aerial_share", "1.5", "fibre.aerial_share"},
		{"fibre.split", "2.5", "whole number"},
		{"money.discount_rate", "NaN", "money.discount_rate"},
		{"money.horizon_years", "0", "money.horizon_years"},
		{"policy", "cheapest", "policy"},
		{"target", "fr-2030", "target"},
		{"priority", "schools,aliens", "aliens"},
		{"wifi.profile", "5g", "wifi.profile"},
		{"policy.priority_tech", "dsl", "policy.priority_tech"},
	}
	for _, tc := range tests {
		t.Run(tc.key+"="+tc.value, func(t *testing.T) {
			sc := DefaultScenario()
			before := sc.Params()
			err := sc.Set(tc.key, tc.value)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "coverage: ") {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			after := sc.Params()
			for i := range before {
				if before[i].Value != after[i].Value {
					t.Errorf("%s changed on error", before[i].Key)
				}
			}
		})
	}
}

func TestSetValues(t *testing.T) {
	sc := DefaultScenario()
	for _, kv := range [][2]string{
		{"leo.kit_eur", "0"}, {"fibre.route_factor", "1.1"}, {"fibre.underground_eur_per_m", "53,5"},
		{"budget_eur", "1_000_000"}, {"target", "us-bead"}, {"target.latency_ms", "50"},
		{"policy", "Budget"}, {"priority", "schools, public"}, {"wifi.profile", "public-wifi"},
		{"policy.priority_tech", "fiber"},
	} {
		if err := sc.Set(kv[0], kv[1]); err != nil {
			t.Fatalf("%s=%s: %v", kv[0], kv[1], err)
		}
	}
	if sc.LEO.KitEUR != 0 || sc.Fibre.RouteFactor != 1.1 || sc.Fibre.UndergroundEURPerM != 53.5 || sc.BudgetEUR != 1e6 {
		t.Errorf("numbers: %+v", sc)
	}
	if sc.Target != (Target{Name: "custom", DownMbps: 100, UpMbps: 20, LatencyMs: 50}) {
		t.Errorf("target %+v", sc.Target)
	}
	if sc.Policy != PolicyBudget || len(sc.Priority) != 2 || sc.Priority[0] != KindSchool || sc.Priority[1] != KindPublic {
		t.Errorf("policy %s priority %v", sc.Policy, sc.Priority)
	}
	if sc.Wifi.Active() != sc.Wifi.PublicWifi || sc.PriorityTech != TechFibre {
		t.Error("profile or priority tech")
	}
}

// TestParamsRoundTrip: every key is documented, unique, and setting each
// key to the value Params reports reproduces the scenario.
func TestParamsRoundTrip(t *testing.T) {
	def := DefaultScenario()
	ps := def.Params()
	seen := map[string]bool{}
	for _, p := range ps {
		if seen[p.Key] {
			t.Errorf("duplicate key %s", p.Key)
		}
		seen[p.Key] = true
		if p.Doc == "" || p.Unit == "" || p.Source == "" {
			t.Errorf("%s: missing doc, unit or source", p.Key)
		}
		if p.Value != p.Default {
			t.Errorf("%s: default scenario value %q != default %q", p.Key, p.Value, p.Default)
		}
	}
	sc := DefaultScenario()
	sc.Fibre.RouteFactor = 1.37
	sc.Priority = []Kind{KindPublic}
	sc.Target, _ = ParseTarget("eu-gigabit")
	re := DefaultScenario()
	for _, p := range sc.Params() {
		if strings.HasPrefix(p.Key, "target.") {
			continue // the preset sets them; a target.* key renames the target "custom"
		}
		if err := re.Set(p.Key, p.Value); err != nil {
			t.Fatalf("%s=%s: %v", p.Key, p.Value, err)
		}
	}
	a, _ := json.Marshal(sc)
	b, _ := json.Marshal(re)
	if string(a) != string(b) {
		t.Errorf("round trip differs:\n%s\n%s", a, b)
	}
	if err := def.Validate(); err != nil {
		t.Error(err)
	}
}

func TestScenarioJSON(t *testing.T) {
	sc := DefaultScenario()
	sc.Priority = []Kind{KindSchool}
	b, err := json.Marshal(sc)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"priority":["school"]`, `"priority_tech":"fibre"`, `"policy":"least-cost"`, `"name":"fr-thd"`, `"demand":{"household":{"busy_hour_mbps":2.5,"take_up":0.7},"business"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	var back Scenario
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(back)
	if string(b) != string(b2) {
		t.Error("JSON round trip differs")
	}
}

func TestParsers(t *testing.T) {
	for _, n := range TargetNames() {
		if tg, err := ParseTarget(strings.ToUpper(n)); err != nil || tg.Name != n {
			t.Errorf("%s: %v", n, err)
		}
	}
	if tg, _ := ParseTarget("us-bead"); tg.DownMbps != 100 || tg.UpMbps != 20 || tg.LatencyMs != 100 {
		t.Errorf("us-bead %+v", tg)
	}
	for _, p := range Policies {
		if got, err := ParsePolicy(" " + string(p) + " "); err != nil || got != p {
			t.Errorf("%s: %v", p, err)
		}
	}
	ks, err := ParsePriority("schools,public,businesses,school")
	if err != nil || len(ks) != 3 || ks[2] != KindBusiness {
		t.Errorf("priority %v %v", ks, err)
	}
	if ks, err := ParsePriority(""); err != nil || ks != nil {
		t.Errorf("empty priority %v %v", ks, err)
	}
	if err := (&Scenario{Policy: PolicyBudget}).Validate(); err == nil {
		t.Error("budget policy without budget accepted")
	}
}

func FuzzSet(f *testing.F) {
	for _, p := range DefaultScenario().Params() {
		f.Add(p.Key, p.Value)
	}
	f.Add("fibre.route_factor", "1e400")
	f.Add("priority", ",,,")
	f.Fuzz(func(t *testing.T, key, value string) {
		sc := DefaultScenario()
		if err := sc.Set(key, value); err != nil {
			if !strings.HasPrefix(err.Error(), "coverage: ") {
				t.Errorf("unprefixed error %q", err)
			}
			return
		}
		if sc.Policy != PolicyBudget {
			if err := sc.Validate(); err != nil {
				t.Errorf("Set(%q, %q) accepted, Validate: %v", key, value, err)
			}
		}
	})
}

func FuzzParsePriority(f *testing.F) {
	f.Add("schools,public")
	f.Add("household, business ,other")
	f.Fuzz(func(t *testing.T, s string) {
		ks, err := ParsePriority(s)
		if err != nil {
			return
		}
		seen := map[Kind]bool{}
		for _, k := range ks {
			if k >= NumKinds || seen[k] {
				t.Errorf("%q: bad kinds %v", s, ks)
			}
			seen[k] = true
		}
	})
}
