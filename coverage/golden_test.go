package coverage

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoldenPlans pins the plans of a small synthetic region under every
// policy and target (testdata/model/*.golden; regenerate with -update after
// an intended model change and review the diff).
func TestGoldenPlans(t *testing.T) {
	in := synthInput(2026, 4, 4, 2500, 60)
	for _, pol := range Policies {
		for _, target := range []string{"fr-thd", "us-bead"} {
			name := fmt.Sprintf("%s_%s.golden", pol, target)
			t.Run(name, func(t *testing.T) {
				sc := DefaultScenario()
				sc.Policy = pol
				sc.Target, _ = ParseTarget(target)
				sc.BudgetEUR = 400000
				sc.AnnualBudgetEUR = 150000
				sc.Priority = []Kind{KindSchool}
				got := planText(evalSynth(t, in, sc))
				path := filepath.Join("testdata", "model", name)
				if *updateDocs {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update to create)", err)
				}
				if got != string(want) {
					t.Errorf("%s differs from the golden file; got:\n%s", path, got)
				}
			})
		}
	}
}

// planText is a stable, readable dump of a plan (rounded to the euro).
func planText(p *Plan) string {
	var b strings.Builder
	fmt.Fprintf(&b, "zone premises chosen year capex npv reached reasons | options tech:feasible:npv_per_premise:served:reasons\n")
	for _, z := range p.Zones {
		o := z.ChosenOption()
		fmt.Fprintf(&b, "%d %d %s %d %.0f %.0f %d %v |", z.Zone, z.Premises, z.Chosen, z.Year, o.CapexEUR, o.PresentCostEUR, z.Mix[z.Chosen], z.Reasons)
		for _, t := range Techs {
			op := z.Options[t]
			fmt.Fprintf(&b, " %s:%v:%.0f:%d:%v", t, op.Feasible, op.PresentCostPerPremiseEUR, op.PremisesServed, op.Reasons)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "total zones=%d premises=%d capex=%.0f npv=%.0f public=%.0f reached=%d\n",
		p.Total.Zones, p.Total.Premises, p.Total.CapexEUR, p.Total.NPVEUR, p.Total.PublicCostEUR, p.MeetTarget)
	for _, t := range append([]Tech{TechNone}, Techs[:]...) {
		fmt.Fprintf(&b, "  %s zones=%d premises=%d capex=%.0f\n", t, p.ByTech[t].Zones, p.ByTech[t].Premises, p.ByTech[t].CapexEUR)
	}
	for _, ry := range p.Rollout {
		fmt.Fprintf(&b, "  year %d zones=%d premises=%d capex=%.0f\n", ry.Year, ry.Zones, ry.Premises, ry.CapexEUR)
	}
	fmt.Fprintf(&b, "  reached by kind %v of %v\n", p.ReachedByKind, p.PremisesByKind)
	return b.String()
}

// TestAPSharingVsBruteForce checks the existing access-point sharing
// against a direct implementation of its rule (priority kinds first, then
// input order; nearest access point in range with room, ties by index).
func TestAPSharingVsBruteForce(t *testing.T) {
	const seed = 77
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 3))
	in := synthInput(seed, 4, 4, 2500, 150)
	for i := range in.APs {
		in.APs[i].CapacityMbps = []float64{0, 20, 60, 200}[rng.IntN(4)]
		in.APs[i].RangeM = 100 + rng.Float64()*1500
	}
	sc := DefaultScenario()
	sc.Priority = []Kind{KindPublic, KindSchool}
	ix := NewIndex(in)
	m := ix.Measure(in.Premises, 0)
	md := newModel(ix, &sc)
	apOf := md.shareExistingAPs(m)

	room := make([]float64, len(in.APs))
	for a, ap := range in.APs {
		room[a] = ap.CapacityMbps
		if room[a] <= 0 {
			room[a] = sc.Wifi.Active().CapacityMbps
		}
	}
	want := make([]int32, len(in.Premises))
	for i := range want {
		want[i] = -1
	}
	rank := sc.prioRank()
	for round := 0; round <= len(sc.Priority); round++ {
		for i := range in.Premises {
			p := &in.Premises[i]
			if m[i].Zone < 0 || rank[kindOf(p)] != round {
				continue
			}
			load := md.dem.loadMbps(p)
			best, bestD := int32(-1), math.Inf(1)
			for a, ap := range in.APs {
				d := math.Hypot(ap.Pt[0]-p.Pt[0], ap.Pt[1]-p.Pt[1])
				if ap.Operational && d <= ap.RangeM && room[a] >= load && d < bestD {
					best, bestD = int32(a), d
				}
			}
			if best >= 0 {
				room[best] -= load
				want[i] = best
			}
		}
	}
	diff, served := 0, 0
	for i := range want {
		if want[i] != apOf[i] {
			diff++
		}
		if want[i] >= 0 {
			served++
		}
	}
	if diff > 0 {
		t.Errorf("%d of %d premises get another access point than the brute force", diff, len(want))
	}
	if served == 0 {
		t.Error("test instance serves no premise from existing access points")
	}
}
