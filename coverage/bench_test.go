package coverage

import (
	"fmt"
	"testing"
)

// BenchmarkEvaluate sweeps the input size; the largest is the L scale of
// the peer benchmarks (≈1M premises in ≈5k zones). Measuring is outside
// the timer.
func BenchmarkEvaluate(b *testing.B) {
	for _, c := range []struct{ side, perZone int }{{10, 200}, {32, 200}, {71, 200}} {
		in := synthInput(42, c.side, c.side, 2500, c.perZone)
		ix := NewIndex(in)
		m := ix.Measure(in.Premises, 0)
		for _, pol := range []Policy{PolicyLeastCost, PolicyHybrid} {
			sc := DefaultScenario()
			sc.Policy = pol
			b.Run(fmt.Sprintf("n=%d/%s", len(in.Premises), pol), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := planOf(in, ix, m, sc); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkEvaluateZoneLevel: national-batch mode, zones with household
// counts only.
func BenchmarkEvaluateZoneLevel(b *testing.B) {
	for _, side := range []int{10, 71} {
		in := synthInput(42, side, side, 2500, 1)
		for i := range in.Zones {
			in.Zones[i].Households = 50 + (i*37)%400
		}
		in.Premises = nil
		ix := NewIndex(in)
		sc := DefaultScenario()
		b.Run(fmt.Sprintf("zones=%d", len(in.Zones)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := planOf(in, ix, nil, sc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecide decides again from one Evaluation, as a comparison or a
// sweep does: the L scale of the peer benchmarks (≈1M premises in ≈5k
// zones), every policy. Evaluating is outside the timer.
func BenchmarkDecide(b *testing.B) {
	in := synthInput(42, 71, 71, 2500, 200)
	ix := NewIndex(in)
	m := ix.Measure(in.Premises, 0)
	ev, err := Evaluate(in, ix, m, DefaultScenario(), EvaluateOptions{Mixed: true})
	if err != nil {
		b.Fatal(err)
	}
	for _, pol := range Policies {
		sc := DefaultScenario()
		sc.Policy = pol
		sc.BudgetEUR, sc.AnnualBudgetEUR = 3e8, 5e7
		b.Run(fmt.Sprintf("zones=%d/premises=%d/%s", len(in.Zones), len(in.Premises), pol), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decide(ev, sc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
