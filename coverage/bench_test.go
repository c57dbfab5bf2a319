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
					if _, err := Evaluate(in, ix, m, sc); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
