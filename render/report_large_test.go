package render

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/covplan/covplan/coverage"
)

// largeSource is a synthetic plan of nz zones (a grid of wobbly cells of
// vertsPerZone vertices each, like commune outlines) and np premises spread
// over them, with technologies, costs and years drawn from seed.
func largeSource(seed int64, nz, vertsPerZone, np int) *Source {
	rng := rand.New(rand.NewSource(seed))
	side := int(math.Ceil(math.Sqrt(float64(nz))))
	cell := 4.0 / float64(side) // the grid spans 4°
	in := &coverage.Input{Zones: make([]coverage.Zone, nz)}
	ll := make([]orb.Geometry, nz)
	p := &coverage.Plan{Zones: make([]coverage.ZonePlan, nz), PremiseTech: make([]coverage.Tech, np)}
	for z := 0; z < nz; z++ {
		x0, y0 := 0.5+float64(z%side)*cell, 43+float64(z/side)*cell
		// a star-shaped ring around the cell centre
		r := make(orb.Ring, 0, vertsPerZone+1)
		for k := 0; k < vertsPerZone; k++ {
			a := 2 * math.Pi * float64(k) / float64(vertsPerZone)
			rad := cell * (0.42 + 0.06*math.Sin(7*a) + 0.01*rng.Float64())
			r = append(r, orb.Point{x0 + cell/2 + rad*math.Cos(a), y0 + cell/2 + rad*math.Sin(a)})
		}
		r = append(r, r[0])
		ll[z] = orb.Polygon{r}
		in.Zones[z] = coverage.Zone{ID: fmt.Sprintf("%05d", z), Name: "Commune " + strconv.Itoa(z)}
		tech := []coverage.Tech{coverage.TechFibre, coverage.TechFibre, coverage.TechFibre, coverage.TechWifi, coverage.TechLEO, coverage.TechGEO, coverage.TechNone}[rng.Intn(7)]
		cpp := 300 + 4000*rng.Float64()*rng.Float64()
		zp := coverage.ZonePlan{Zone: z, Chosen: tech, MeetsTarget: tech != coverage.TechNone && tech != coverage.TechGEO, Year: 1 + rng.Intn(8)}
		if tech != coverage.TechNone {
			zp.Options[tech] = coverage.Option{Tech: tech, Feasible: true, PresentCostPerPremiseEUR: cpp, DownMbps: 100, UpMbps: 20, LatencyMs: 20}
		} else {
			zp.Reasons = []coverage.Reason{coverage.FibreTooFar, coverage.WifiNoSite}
		}
		p.Zones[z] = zp
	}
	in.Premises = make([]coverage.Premise, np)
	measures := make([]coverage.PremiseMeasure, np)
	for i := 0; i < np; i++ {
		z := rng.Intn(nz)
		b := ll[z].Bound()
		c := b.Center()
		pt := orb.Point{c[0] + (rng.Float64()-0.5)*0.5*(b.Max[0]-b.Min[0]), c[1] + (rng.Float64()-0.5)*0.5*(b.Max[1]-b.Min[1])}
		in.Premises[i] = coverage.Premise{ID: strconv.Itoa(i), Pt: project(pt), Units: 1}
		measures[i] = coverage.PremiseMeasure{Zone: int32(z)}
		zp := &p.Zones[z]
		zp.Premises++
		zp.Units++
		p.PremiseTech[i] = zp.Chosen
	}
	for z := range p.Zones {
		zp := &p.Zones[z]
		if zp.Chosen != coverage.TechNone {
			o := &zp.Options[zp.Chosen]
			o.PresentCostEUR = o.PresentCostPerPremiseEUR * float64(zp.Premises)
			o.CapexEUR = 0.6 * o.PresentCostEUR
			o.PublicCostEUR = 0.5 * o.PresentCostEUR
			o.PremisesServed = zp.Premises
		}
		zp.Mix[zp.Chosen] = zp.Premises
	}
	p.SumZones()
	return &Source{Plan: p, Input: in, Measures: measures, ZonesLL: ll, Unproject: unproject,
		Meta: Meta{Title: "synthetic", Version: "test"}}
}

// TestReportLargeCaps checks that the size caps hold on a plan far larger
// than they allow, and that the page says so.
func TestReportLargeCaps(t *testing.T) {
	const seed = 7
	src := largeSource(seed, 3000, 120, 120000)
	opt := ReportOptions{Lang: "en", MaxMapPremises: 5000, MaxMapVertices: 40000, MaxTableZones: 1000}
	var html string
	withEcharts(t, stubEcharts, func() { html = string(renderReport(t, src, opt)) })

	d, err := prepare(src, langEN, withDefaults(opt))
	if err != nil {
		t.Fatal(err)
	}
	if d.zmap.Vertices > opt.MaxMapVertices {
		t.Errorf("seed %d: %d map vertices, cap %d", seed, d.zmap.Vertices, opt.MaxMapVertices)
	}
	if d.zmap.Zones != 3000 {
		t.Errorf("seed %d: %d zones on the map, want every one of 3000", seed, d.zmap.Zones)
	}
	if limit := opt.MaxMapPremises + int(coverage.NumTechs)*minPerTech; d.sample.Shown > limit || d.sample.Shown < opt.MaxMapPremises/2 {
		t.Errorf("seed %d: %d premises on the map, want about %d", seed, d.sample.Shown, opt.MaxMapPremises)
	}
	for tc, pts := range d.sample.Points {
		if d.plan.ByTech[tc].Premises > 0 && len(pts) == 0 {
			t.Errorf("seed %d: no %v premise on the map", seed, coverage.Tech(tc))
		}
	}
	if n := strings.Count(html, "<tr data-t="); n != opt.MaxTableZones {
		t.Errorf("seed %d: %d table rows, cap %d", seed, n, opt.MaxTableZones)
	}
	for _, s := range []string{"The table shows the first 1,000 zones of 3,000", "Outlines simplified to", "Premises shown: "} {
		if !strings.Contains(html, s) {
			t.Errorf("seed %d: page lacks %q", seed, s)
		}
	}
}

// TestReportNationalSize renders a national-scale plan (35,000 zones of
// 200 vertices, 10 million premises) and prints the page size. It takes
// minutes and gigabytes: run it with COVPLAN_NATIONAL=1.
func TestReportNationalSize(t *testing.T) {
	if os.Getenv("COVPLAN_NATIONAL") == "" {
		t.Skip("national-scale size check: set COVPLAN_NATIONAL=1 to run it")
	}
	src := largeSource(1, 35000, 200, 10_000_000)
	var buf bytes.Buffer
	if err := WriteReport(&buf, src, ReportOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Logf("national report: %d bytes (echarts embedded: %v)", buf.Len(), HasEcharts())
	if buf.Len() > 40<<20 {
		t.Errorf("national report is %d MB", buf.Len()>>20)
	}
}

func BenchmarkWriteReport(b *testing.B) {
	for _, nz := range []int{100, 1000, 10000} {
		src := largeSource(1, nz, 100, nz*100)
		b.Run(fmt.Sprintf("n=%d", nz), func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for i := 0; i < b.N; i++ {
				cw := &countWriter{}
				if err := WriteReport(cw, src, ReportOptions{}); err != nil {
					b.Fatal(err)
				}
				size = cw.n
			}
			b.ReportMetric(float64(size), "bytes/page")
		})
	}
}

type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
