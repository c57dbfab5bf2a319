package coverage

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// square returns the square polygon [x0,x0+w]×[y0,y0+w].
func square(x0, y0, w float64) orb.Polygon {
	return orb.Polygon{orb.Ring{{x0, y0}, {x0 + w, y0}, {x0 + w, y0 + w}, {x0, y0 + w}, {x0, y0}}}
}

// synthInput builds a deterministic rural region: nx×ny square zones of
// cellM metres, premises mostly in villages (one per zone on average, plus
// scattered farms), fibre nodes near some villages and a few access points.
func synthInput(seed uint64, nx, ny int, cellM float64, premisesPerZone int) *Input {
	rng := rand.New(rand.NewPCG(seed, 7))
	in := &Input{}
	for y := range ny {
		for x := range nx {
			in.Zones = append(in.Zones, Zone{ID: itoa(len(in.Zones)), Geom: square(float64(x)*cellM, float64(y)*cellM, cellM)})
		}
	}
	W, H := float64(nx)*cellM, float64(ny)*cellM
	n := nx * ny * premisesPerZone
	nv := max(1, nx*ny)
	type village struct {
		c    orb.Point
		size float64
	}
	vs := make([]village, nv)
	for i := range vs {
		vs[i] = village{orb.Point{rng.Float64() * W, rng.Float64() * H}, 1 / math.Pow(rng.Float64(), 1/1.2)}
	}
	tot := 0.0
	for _, v := range vs {
		tot += v.size
	}
	for i := range n {
		var p orb.Point
		if rng.Float64() < 0.85 {
			u := rng.Float64() * tot
			k := 0
			for k < nv-1 && u > vs[k].size {
				u -= vs[k].size
				k++
			}
			sd := 100 * math.Sqrt(min(vs[k].size, 50))
			p = orb.Point{vs[k].c[0] + rng.NormFloat64()*sd, vs[k].c[1] + rng.NormFloat64()*sd}
		} else {
			p = orb.Point{rng.Float64() * W, rng.Float64() * H}
		}
		p[0] = math.Min(math.Max(p[0], 0.5), W-0.5)
		p[1] = math.Min(math.Max(p[1], 0.5), H-0.5)
		units := int32(1)
		if rng.Float64() < 0.1 {
			units = int32(2 + rng.IntN(6))
		}
		kind := KindHousehold
		switch u := rng.Float64(); {
		case u < 0.01:
			kind = KindSchool
		case u < 0.03:
			kind = KindPublic
		case u < 0.10:
			kind = KindBusiness
		}
		in.Premises = append(in.Premises, Premise{ID: "p" + itoa(i), Pt: p, Units: units, Kind: kind})
	}
	for i := range max(1, n/100) {
		var p orb.Point
		if rng.Float64() < 0.75 {
			q := in.Premises[rng.IntN(n)].Pt
			p = orb.Point{q[0] + rng.NormFloat64()*150, q[1] + rng.NormFloat64()*150}
		} else {
			p = orb.Point{rng.Float64() * W, rng.Float64() * H}
		}
		in.Nodes = append(in.Nodes, FibreNode{ID: "n" + itoa(i), Pt: p, Active: true})
	}
	for i := range max(1, n/50) {
		q := in.Premises[rng.IntN(n)].Pt
		p := orb.Point{q[0] + rng.NormFloat64()*300, q[1] + rng.NormFloat64()*300}
		in.APs = append(in.APs, AccessPoint{ID: "a" + itoa(i), Pt: p, RangeM: 100 + rng.Float64()*400, Operational: rng.Float64() < 0.9})
	}
	return in
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	p := len(b)
	for i > 0 {
		p--
		b[p] = byte('0' + i%10)
		i /= 10
	}
	return string(b[p:])
}

func evalSynth(t testing.TB, in *Input, sc Scenario) *Plan {
	t.Helper()
	ix := NewIndex(in)
	m := ix.Measure(in.Premises, 0)
	p, err := planOf(in, ix, m, sc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// planOf evaluates in (with the mixed options sc's policy needs) and
// decides under sc.
func planOf(in *Input, ix *Index, m []PremiseMeasure, sc Scenario) (*Plan, error) {
	ev, err := Evaluate(in, ix, m, sc, EvaluateOptionsFor(sc))
	if err != nil {
		return nil, err
	}
	return Decide(ev, sc)
}
