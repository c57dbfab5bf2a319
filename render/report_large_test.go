package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

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
	if d.sample.Shown > opt.MaxMapPremises || d.sample.Shown < opt.MaxMapPremises/2 {
		t.Errorf("seed %d: %d premises on the map, want about %d", seed, d.sample.Shown, opt.MaxMapPremises)
	}
	for tc := range coverage.NumTechs {
		if d.plan.ServedBy[tc] > 0 && len(d.sample.Points[tc]) == 0 {
			t.Errorf("seed %d: no %v premise on the map", seed, tc)
		}
	}
	var zones struct {
		ID []string `json:"id"`
	}
	if err := json.Unmarshal([]byte(pageBlockText(t, html, "cp-zones")), &zones); err != nil {
		t.Fatal(err)
	}
	if len(zones.ID) != opt.MaxTableZones {
		t.Errorf("seed %d: %d zones in the table data, cap %d", seed, len(zones.ID), opt.MaxTableZones)
	}
	for _, s := range []string{"The table shows the first 1,000 zones of 3,000", "Outlines simplified to", "Premises shown: ", `id="cp-geo" data-enc="deflate"`} {
		if !strings.Contains(html, s) {
			t.Errorf("seed %d: page lacks %q", seed, s)
		}
	}
}

// nationalSource is a synthetic France of nz communes planned by the real
// pipeline at zone level (coverage.Evaluate and Decide): commune outlines
// of vertsPerZone vertices on a jittered grid over 8° × 8°, populations
// drawn log-normally (a few towns, many villages), names up to 2,000
// characters, FTTH served areas around a fifth of the communes with a node
// in each, the fr-2025 target under the hybrid policy and an annual budget,
// so that the page has every kind of zone: phased, not programmed, mixed.
func nationalSource(tb testing.TB, seed int64, nz, vertsPerZone int) *Source {
	tb.Helper()
	rng := rand.New(rand.NewSource(seed))
	side := int(math.Ceil(math.Sqrt(float64(nz))))
	cell := 8.0 / float64(side)
	in := &coverage.Input{Zones: make([]coverage.Zone, nz)}
	ll := make([]orb.Geometry, nz)
	syll := []string{"mont", "val", "sur", "saint", "bel", "roche", "ville", "bois", "font", "lac", "champ", "neuf", "pré", "é"}
	for z := 0; z < nz; z++ {
		x0, y0 := -1.5+float64(z%side)*cell, 42.5+float64(z/side)*cell
		cx, cy := x0+cell*(0.35+0.3*rng.Float64()), y0+cell*(0.35+0.3*rng.Float64())
		r := make(orb.Ring, 0, vertsPerZone+1)
		ph := rng.Float64() * 6
		for k := 0; k < vertsPerZone; k++ {
			a := 2 * math.Pi * float64(k) / float64(vertsPerZone)
			rad := cell * (0.45 + 0.08*math.Sin(5*a+ph) + 0.03*rng.Float64())
			r = append(r, orb.Point{cx + rad*math.Cos(a), cy + 0.72*rad*math.Sin(a)})
		}
		r = append(r, r[0])
		ll[z] = orb.Polygon{r}
		var name strings.Builder
		for k := 0; k < 2+rng.Intn(3); k++ {
			if k > 0 {
				name.WriteString("-")
			}
			name.WriteString(syll[rng.Intn(len(syll))])
		}
		nm := strings.ToUpper(name.String()[:1]) + name.String()[1:]
		if z%9973 == 17 {
			nm = strings.Repeat("Très-long-nom-de-commune-", 80) // 2,000 characters
		}
		pop := int(math.Exp(5.6 + 1.3*rng.NormFloat64()))
		if z%2000 == 3 {
			pop = 50000 + rng.Intn(250000) // a city
		}
		in.Zones[z] = coverage.Zone{ID: fmt.Sprintf("%02d%03d", 1+z/1000%95, z%1000), Name: nm, Geom: projectGeom(ll[z]), Population: pop}
		if rng.Intn(5) == 0 { // a served area around the town centre, with its node
			var sa orb.Ring
			for k := 0; k < 12; k++ {
				a := 2 * math.Pi * float64(k) / 12
				sa = append(sa, project(orb.Point{cx + cell*0.2*math.Cos(a), cy + cell*0.15*math.Sin(a)}))
			}
			sa = append(sa, sa[0])
			in.Served = append(in.Served, coverage.ServedArea{ID: "sa" + strconv.Itoa(z), Geom: orb.Polygon{sa}, Active: true})
			in.Nodes = append(in.Nodes, coverage.FibreNode{ID: "NRO" + strconv.Itoa(z), Pt: project(orb.Point{cx, cy}), Active: true})
		}
	}
	sc := coverage.DefaultScenario()
	for k, v := range map[string]string{"target": "fr-2025", "policy": "hybrid", "annual_budget_eur": "1.5e9"} {
		if err := sc.Set(k, v); err != nil {
			tb.Fatal(err)
		}
	}
	ev, err := coverage.Evaluate(in, nil, nil, sc, coverage.EvaluateOptionsFor(sc))
	if err != nil {
		tb.Fatal(err)
	}
	plan, err := coverage.Decide(ev, sc)
	if err != nil {
		tb.Fatal(err)
	}
	return &Source{Plan: plan, Input: in, ZonesLL: ll, Unproject: unproject,
		Meta: Meta{Title: "France (synthetic)", Version: "test", StartYear: 2026, Date: "2026-03-02",
			Sources: []string{"synthetic communes and populations (render/report_large_test.go)"}}}
}

// TestReportNational renders a national plan (35,000 communes of 120
// vertices, zone level, the real pipeline), checks its size and writes it
// to $COVPLAN_NATIONAL (a directory) for the browser measurements of
// docs/report.md. It takes about a minute: run it with
// COVPLAN_NATIONAL=/tmp/national.
func TestReportNational(t *testing.T) {
	dir := os.Getenv("COVPLAN_NATIONAL")
	if dir == "" {
		t.Skip("national-scale report: set COVPLAN_NATIONAL=<dir> to write it")
	}
	for _, tc := range []struct {
		name string
		src  func() *Source
	}{
		{"national.html", func() *Source { return nationalSource(t, 1, 35000, 120) }},
		// the size of the example: 5,600 zones, a million premises
		{"premises-5600.html", func() *Source { return largeSource(1, 5600, 100, 1_000_000) }},
	} {
		var buf bytes.Buffer
		src := tc.src()
		start := time.Now()
		if err := WriteReport(&buf, src, ReportOptions{Lang: "fr", DataFiles: []string{"zones.csv", "zones.geojson", "summary.json"}}); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes (echarts embedded: %v), written in %v", tc.name, buf.Len(), HasEcharts(), time.Since(start).Round(time.Millisecond))
		if buf.Len() > 15<<20 {
			t.Errorf("%s is %.1f MB, over 15 MB", tc.name, float64(buf.Len())/(1<<20))
		}
		if err := os.WriteFile(filepath.Join(dir, tc.name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
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
