package coverage

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// TestDecideFromOneEvaluation: deciding several scenarios from one
// Evaluation gives exactly the plans of evaluating each anew, and leaves
// the Evaluation as it was (Decide adds SAT_CAPACITY and the like to the
// plan's copy of the options, never to the evaluation's).
func TestDecideFromOneEvaluation(t *testing.T) {
	for _, level := range []string{"premise", "zone"} {
		in := synthInput(23, 6, 6, 2500, 120)
		if level == "zone" {
			for i := range in.Zones {
				in.Zones[i].Households = 40 + (i*53)%300
			}
			in.Premises = nil
		}
		ix := NewIndex(in)
		m := ix.Measure(in.Premises, 0)
		base := DefaultScenario()
		base.LEO.CellCapacityMbps = 150 // some zones lose LEO for capacity
		var scs []Scenario
		for _, pol := range Policies {
			for _, budget := range []float64{0, 3e6} {
				sc := base
				sc.Policy = pol
				sc.AnnualBudgetEUR = budget
				if pol == PolicyBudget && budget == 0 {
					sc.BudgetEUR = 5e6
				}
				scs = append(scs, sc)
			}
		}
		ev, err := Evaluate(in, ix, m, base, EvaluateOptionsFor(scs...))
		if err != nil {
			t.Fatal(err)
		}
		before := cloneEvaluation(ev)
		for _, sc := range scs {
			name := fmt.Sprintf("%s/%s/annual=%g", level, sc.Policy, sc.AnnualBudgetEUR)
			got, err := Decide(ev, sc)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			want, err := planOf(in, ix, m, sc)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !slices.Equal(got.PremiseTechs(), want.PremiseTechs()) {
				t.Errorf("%s: premises labelled differently from a shared evaluation", name)
			}
			got.ev, want.ev = nil, nil
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: deciding from a shared evaluation differs from a fresh one", name)
			}
		}
		if !reflect.DeepEqual(before, ev) {
			t.Errorf("%s: Decide changed the evaluation", level)
		}
	}
}

func cloneEvaluation(ev *Evaluation) *Evaluation {
	c := *ev
	c.Zones = slices.Clone(ev.Zones)
	for z := range c.Zones {
		for t := range c.Zones[z].Options {
			c.Zones[z].Options[t].Reasons = slices.Clone(ev.Zones[z].Options[t].Reasons)
		}
		c.Zones[z].Mixed.Reasons = slices.Clone(ev.Zones[z].Mixed.Reasons)
	}
	c.served = slices.Clone(ev.served)
	c.mixed = slices.Clone(ev.mixed)
	return &c
}

// TestDecideNeedsEvaluation: a scenario whose model keys differ from the
// evaluation's, or a hybrid policy without mixed options, is refused.
func TestDecideNeedsEvaluation(t *testing.T) {
	in := synthInput(5, 3, 3, 2500, 40)
	ix := NewIndex(in)
	m := ix.Measure(in.Premises, 0)
	sc := DefaultScenario()
	ev, err := Evaluate(in, ix, m, sc, EvaluateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key, value string
		ok         bool
	}{
		{"policy", "fibre-first", true},
		{"policy.threshold_eur", "100", true},
		{"annual_budget_eur", "1e6", true},
		{"policy.band_share", "0.3", true},
		{"fibre.connection_eur", "700", false},
		{"target", "us-bead", false},
		{"leo.monthly_eur", "45", false},
		{"policy.min_served_share", "0.5", false},
		{"policy", "hybrid", false}, // needs mixed options
	} {
		s := sc
		if err := s.Set(tc.key, tc.value); err != nil {
			t.Fatal(err)
		}
		_, err := Decide(ev, s)
		if tc.ok && err != nil {
			t.Errorf("%s=%s: %v", tc.key, tc.value, err)
		}
		if !tc.ok && !errors.Is(err, ErrEvaluation) {
			t.Errorf("%s=%s: err %v, want ErrEvaluation", tc.key, tc.value, err)
		}
	}
}

// TestParamTableCoversScenario: every field of a Scenario that Evaluate or
// Decide reads is a parameter, so SameEvaluation sees every change.
func TestParamTableCoversScenario(t *testing.T) {
	def := DefaultScenario()
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				f := v.Type().Field(i)
				switch path + "." + f.Name {
				case ".Workers", ".Target.Name":
					continue // not a model parameter; set through the target preset
				}
				walk(v.Field(i), path+"."+f.Name)
			}
		case reflect.Array:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		case reflect.Float64, reflect.Int, reflect.Bool, reflect.String, reflect.Uint8, reflect.Slice:
			s := def
			sv := reflect.ValueOf(&s).Elem()
			field := fieldByPath(sv, path)
			switch field.Kind() {
			case reflect.Float64:
				field.SetFloat(field.Float() + 0.5)
			case reflect.Int:
				field.SetInt(field.Int() + 1)
			case reflect.Bool:
				field.SetBool(!field.Bool())
			case reflect.String:
				field.SetString(field.String() + "x")
			case reflect.Uint8:
				field.SetUint(field.Uint() ^ 1)
			case reflect.Slice:
				field.Set(reflect.ValueOf([]Kind{KindSchool}))
			}
			if def.evaluationDiff(s) == "" && !decisionField(path) {
				t.Errorf("scenario field %s is in no parameter: SameEvaluation cannot see it", path)
			}
		}
	}
	walk(reflect.ValueOf(def), "")
}

// decisionField reports whether a Scenario field path is a decision key.
func decisionField(path string) bool {
	switch path {
	case ".Policy", ".RankBy", ".BudgetEUR", ".AnnualBudgetEUR", ".BudgetPick", ".ThresholdEUR", ".PriorityTech", ".BandShare":
		return true
	}
	return false
}

func fieldByPath(v reflect.Value, path string) reflect.Value {
	for path != "" {
		path = path[1:]
		if path[0] >= '0' && path[0] <= '9' || path[0] == '[' {
			panic(path)
		}
		end := len(path)
		for i, c := range path {
			if c == '.' || c == '[' {
				end = i
				break
			}
		}
		v = v.FieldByName(path[:end])
		path = path[end:]
		for len(path) > 0 && path[0] == '[' {
			var i int
			n, _ := fmt.Sscanf(path, "[%d]", &i)
			if n != 1 {
				panic(path)
			}
			v = v.Index(i)
			path = path[len(fmt.Sprintf("[%d]", i)):]
		}
		if len(path) > 0 && path[0] != '.' {
			panic(path)
		}
	}
	return v
}

// TestPlanTotals: the plan's totals equal the sums of its zones, the cost
// curve rises and ends at the chosen options' premises served and present
// cost, ServedBy splits the zone premises by the technology serving them.
func TestPlanTotals(t *testing.T) {
	in := synthInput(31, 6, 6, 2500, 150)
	for _, pol := range Policies {
		sc := DefaultScenario()
		sc.Policy = pol
		sc.BudgetEUR, sc.AnnualBudgetEUR = 4e6, 1.5e6
		p := evalSynth(t, in, sc)
		var served [NumTechs]int
		premises, chosen, meeting, servedChosen := 0, 0, 0, 0
		cost := 0.0
		for z := range p.Zones {
			zp := &p.Zones[z]
			premises += zp.Premises
			for k, n := range zp.Mix {
				served[k] += n
			}
			if zp.Chosen != TechNone {
				chosen += zp.Premises
				servedChosen += zp.ChosenOption().PremisesServed
				cost += zp.ChosenOption().PresentCostEUR
			}
			if zp.MeetsTarget {
				meeting += zp.Premises
			}
		}
		if served != p.ServedBy || countSum(served[:]) != premises {
			t.Errorf("%s: served by %v (sum %d), want %v (zone premises %d)", pol, p.ServedBy, countSum(p.ServedBy[:]), served, premises)
		}
		if p.ChosenPremises != chosen || p.PremisesMeeting != meeting || p.Total.Premises != premises {
			t.Errorf("%s: chosen %d meeting %d premises %d; want %d %d %d", pol, p.ChosenPremises, p.PremisesMeeting, p.Total.Premises, chosen, meeting, premises)
		}
		c := p.CostCurve
		if c[0] != (CurvePoint{}) || c[len(c)-1].Premises != servedChosen || !closeTo(c[len(c)-1].PresentCostEUR, cost) {
			t.Errorf("%s: curve from %v to %v; want to %d premises, %.0f €", pol, c[0], c[len(c)-1], servedChosen, cost)
		}
		for i := 1; i < len(c); i++ {
			if c[i].Premises <= c[i-1].Premises || c[i].PresentCostEUR < c[i-1].PresentCostEUR {
				t.Errorf("%s: cost curve falls at %d: %v after %v", pol, i, c[i], c[i-1])
				break
			}
		}
		if p.Rollout != nil {
			prog := p.NotProgrammed.Zones
			for _, y := range p.Rollout {
				prog += y.Zones
			}
			if prog != len(p.Zones) {
				t.Errorf("%s: %d zones in years and not programmed, want %d", pol, prog, len(p.Zones))
			}
		}
	}
}

func countSum(v []int) int {
	n := 0
	for _, x := range v {
		n += x
	}
	return n
}

func closeTo(a, b float64) bool { return a == b || (a-b)*(a-b) <= 1e-18*(a*a+b*b) }

// TestReasonCountsOncePerZone: a code repeated in a zone's reasons counts
// once, known codes come in MODEL.md order, others after in byte order.
func TestReasonCountsOncePerZone(t *testing.T) {
	zones := []ZonePlan{
		{Premises: 10, Reasons: []Reason{BelowTarget, FibreTooFar, BelowTarget, "ZZZ", "AAA"}},
		{Premises: 5, Reasons: []Reason{FibreTooFar}},
	}
	zones[0].Options[TechLEO].Reasons = []Reason{SatCapacity, SatCapacity}
	got := reasonCounts(zones)
	want := []ReasonCount{
		{Code: FibreTooFar, Zones: 2, Premises: 15},
		{Code: SatCapacity, ByOption: [NumTechs]int{TechLEO: 1}},
		{Code: BelowTarget, Zones: 1, Premises: 10},
		{Code: "AAA", Zones: 1, Premises: 10},
		{Code: "ZZZ", Zones: 1, Premises: 10},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}
