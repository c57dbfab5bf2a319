package render

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
)

// benchSource builds a premise-level plan with n premises spread over zones
// square zones of 48 vertices each, with realistic-looking ids and values.
// Deterministic (fixed seed).
func benchSource(n, zones int) *Source {
	rng := rand.New(rand.NewPCG(20240601, uint64(n)))
	side := int(math.Ceil(math.Sqrt(float64(zones))))
	const cell = 2500.0
	in := &coverage.Input{Zones: make([]coverage.Zone, zones), Premises: make([]coverage.Premise, n)}
	plans := make([]coverage.ZonePlan, zones)
	zonesLL := make([]orb.Geometry, zones)
	for i := range in.Zones {
		x0, y0 := float64(i%side)*cell, float64(i/side)*cell
		ring := make(orb.Ring, 0, 49)
		for k := 0; k < 48; k++ { // 12 points per side
			s := float64(k%12) / 12 * cell
			switch k / 12 {
			case 0:
				ring = append(ring, orb.Point{x0 + s, y0})
			case 1:
				ring = append(ring, orb.Point{x0 + cell, y0 + s})
			case 2:
				ring = append(ring, orb.Point{x0 + cell - s, y0 + cell})
			default:
				ring = append(ring, orb.Point{x0, y0 + cell - s})
			}
		}
		ring = append(ring, ring[0])
		in.Zones[i] = coverage.Zone{ID: fmt.Sprintf("%05d", 15000+i), Name: "Zone " + strconv.Itoa(i), Geom: orb.Polygon{ring}, Population: 1000 + i}
		zonesLL[i] = llPolygon(orb.Polygon{ring})
		t := coverage.Techs[i%len(coverage.Techs)]
		zp := coverage.ZonePlan{Zone: i, Chosen: t, MeetsTarget: t != coverage.TechGEO}
		for _, o := range coverage.Techs {
			zp.Options[o] = opt(o, o != coverage.TechGEO, 1e5*rng.Float64(), 3e3*rng.Float64(), 2e5*rng.Float64(), 10, 100, 20, 25)
		}
		zp.Options[coverage.TechGEO].Reasons = []coverage.Reason{coverage.SatLatency}
		plans[i] = zp
	}
	ms := make([]coverage.PremiseMeasure, n)
	pt := make([]coverage.Tech, n)
	for i := range in.Premises {
		z := rng.IntN(zones)
		in.Premises[i] = coverage.Premise{
			ID:    "BAN_15" + strconv.Itoa(100000000+i),
			Pt:    orb.Point{float64(z%side)*cell + rng.Float64()*cell, float64(z/side)*cell + rng.Float64()*cell},
			Units: int32(1 + rng.IntN(3)),
			Kind:  coverage.Kind(rng.IntN(int(coverage.NumKinds))),
		}
		d := rng.ExpFloat64() * 700
		ms[i] = coverage.PremiseMeasure{Zone: int32(z), FibreDistM: d, NodeDistM: d * 1.3, Passed: rng.IntN(10) == 0, APs: int32(rng.IntN(3))}
		if rng.IntN(1000) == 0 {
			ms[i].Zone = -1
		}
		pt[i] = plans[z].Chosen
		plans[z].Premises++
		plans[z].Units += int(in.Premises[i].Units)
	}
	return &Source{
		Plan:      &coverage.Plan{Zones: plans, PremiseTech: pt},
		Input:     in,
		Measures:  ms,
		ZonesLL:   zonesLL,
		Unproject: metreToLL,
		Meta:      Meta{Version: "bench"},
	}
}

// countingWriter counts bytes, as a fast sink.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func BenchmarkWritePremisesCSV(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			src := benchSource(n, max(1, n/200))
			b.ReportAllocs()
			var w countingWriter
			b.ResetTimer()
			for b.Loop() {
				if err := WritePremisesCSV(&w, src); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mrows/s")
			b.SetBytes(w.n / int64(b.N))
		})
	}
}

func BenchmarkWriteZones(b *testing.B) {
	for _, zones := range []int{100, 5_000, 20_000} {
		src := benchSource(zones*50, zones)
		for _, w := range []struct {
			name string
			f    writerFunc
		}{{"csv", WriteZonesCSV}, {"geojson", WriteZonesGeoJSON}, {"summary", WriteSummaryJSON}} {
			b.Run(fmt.Sprintf("%s/n=%d", w.name, zones), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := w.f(io.Discard, src); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
