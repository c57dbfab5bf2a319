package render

import (
	"html/template"
	"math"
	"strings"
	"testing"

	"github.com/covplan/covplan/coverage"
)

func TestChartsCostCurve(t *testing.T) {
	d, err := prepare(testSource(true, false), langEN, withDefaults(ReportOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	pts := d.plan.CostCurve
	// five served zones (the sixth has none) plus the origin
	if len(pts) != 6 || pts[0] != (coverage.CurvePoint{}) {
		t.Fatalf("curve %v", pts)
	}
	for i := 1; i < len(pts); i++ {
		dp := pts[i].Premises - pts[i-1].Premises
		slope := (pts[i].PresentCostEUR - pts[i-1].PresentCostEUR) / float64(dp)
		if i > 1 {
			prev := (pts[i-1].PresentCostEUR - pts[i-2].PresentCostEUR) / float64(pts[i-1].Premises-pts[i-2].Premises)
			if slope < prev {
				t.Errorf("cost curve not convex at %d: slope %g after %g", i, slope, prev)
			}
		}
	}
	last := pts[len(pts)-1]
	if last.Premises != d.plan.ChosenPremises || math.Abs(last.PresentCostEUR-d.plan.Total.PresentCostEUR) > 1e-6 {
		t.Errorf("curve ends at %d premises, %g present cost; want %d, %g", last.Premises, last.PresentCostEUR, d.plan.ChosenPremises, d.plan.Total.PresentCostEUR)
	}
}

func TestChartsSubsample(t *testing.T) {
	xs := make([]int, 10001)
	for i := range xs {
		xs[i] = i
	}
	got := subsample(xs, 2000)
	if len(got) != 2000 || got[0] != 0 || got[len(got)-1] != 10000 {
		t.Fatalf("subsample: %d points from %d to %d", len(got), got[0], got[len(got)-1])
	}
	for i := 1; i < len(got); i++ {
		if got[i] <= got[i-1] {
			t.Fatalf("subsample not increasing at %d", i)
		}
	}
	if len(subsample(xs[:10], 2000)) != 10 {
		t.Error("short input not kept whole")
	}
}

func TestChartsHistogram(t *testing.T) {
	d, err := prepare(testSource(true, false), langEN, withDefaults(ReportOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	h := d.hist
	total := 0
	for tc := range h.Counts {
		total += sumInts(h.Counts[tc])
	}
	if total != d.plan.ChosenPremises {
		t.Errorf("histogram holds %d premises, want %d", total, d.plan.ChosenPremises)
	}
	if h.Counts[coverage.TechNone] != nil && sumInts(h.Counts[coverage.TechNone]) != 0 {
		t.Error("zones without a technology in the histogram")
	}
	// Aurillac's 24 premises at 900 €/premise fall in the bin holding 900
	step := stepOf(h)
	if b := int(900 / step); h.Counts[coverage.TechFibre][b] != 24 {
		t.Errorf("bin %d (step %g) holds %d fibre premises, want 24", b, step, h.Counts[coverage.TechFibre][b])
	}
}

func TestChartsNiceStep(t *testing.T) {
	for _, tc := range []struct{ in, want float64 }{
		{0.7, 1}, {1, 1}, {1.2, 2}, {2.2, 2.5}, {3, 5}, {7, 10}, {180, 200}, {240, 250}, {0, 1}, {math.NaN(), 1},
	} {
		if got := niceStep(tc.in); got != tc.want {
			t.Errorf("niceStep(%g) = %g, want %g", tc.in, got, tc.want)
		}
	}
}

func TestChartsRollout(t *testing.T) {
	d, err := prepare(testSource(true, true), langEN, withDefaults(ReportOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	ys := d.rollout
	// years 1..3 from the plan, then the unscheduled zones (year 0)
	if len(ys) != 4 || ys[0].Year != 1 || ys[2].Year != 3 || ys[3].Year != 0 {
		t.Fatalf("rollout years %+v", ys)
	}
	if ys[1].ByTech[coverage.TechFibre] != 12 || ys[1].ByTech[coverage.TechWifi] != 9 || ys[1].Premises != 21 || ys[1].Cumul != 24+21 {
		t.Errorf("year 2: %+v", ys[1])
	}
	d, _ = prepare(testSource(true, false), langEN, withDefaults(ReportOptions{}))
	if d.rollout != nil {
		t.Errorf("unphased plan has a rollout: %+v", d.rollout)
	}
}

// TestChartsOptions checks that the go-echarts options come out as
// JavaScript objects with real functions (not quoted strings), no CDN, and
// one option per language.
func TestChartsOptions(t *testing.T) {
	d, err := prepare(testSource(true, true), langEN, withDefaults(ReportOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []func(*reportData) (chartSpec, error){techMixChart, costCurveChart, histogramChart, rolloutChart} {
		s, err := f(d)
		if err != nil {
			t.Fatal(err)
		}
		for li, js := range s.Opt {
			if !strings.HasPrefix(js, "{") || !strings.HasSuffix(js, "}") {
				t.Errorf("%s/%s: option is not an object: %.80s", s.ID, langs[li], js)
			}
			for _, bad := range []string{`"function`, "__f__", "https://", "http://"} {
				if strings.Contains(js, bad) {
					t.Errorf("%s/%s: option has %q", s.ID, langs[li], bad)
				}
			}
			if !strings.Contains(js, "function (") {
				t.Errorf("%s/%s: option has no formatter function", s.ID, langs[li])
			}
		}
		if s.Opt[0] == s.Opt[1] {
			t.Errorf("%s: same option in both languages", s.ID)
		}
	}
}

// TestChartsHybridMix checks that the mix chart and table count premises
// by the technology serving them when a zone is split (hybrid policy), and
// zones by their choice.
func TestChartsHybridMix(t *testing.T) {
	src := testSource(true, false)
	zp := &src.Plan.Zones[0] // Aurillac: 24 premises, 4 of them on LEO
	zp.Mix[coverage.TechFibre], zp.Mix[coverage.TechLEO] = 20, 4
	src.Plan.SumZones()
	d, err := prepare(src, langEN, withDefaults(ReportOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	pg, err := buildPage(d)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][3]template.HTML{}
	for _, r := range pg.TechRows {
		got[r.Code] = [3]template.HTML{r.Zones, r.Premises, r.Served}
	}
	// zones and their premises by choice (as summary.json and the command
	// line count them), premises by the technology serving them
	want := map[string][3]template.HTML{
		"fibre": {bint(2), bint(36), bint(32)}, "leo": {bint(1), bint(6), bint(10)},
	}
	for code, w := range want {
		if got[code] != w {
			t.Errorf("%s: zones, premises, served %v, want %v", code, got[code], w)
		}
	}
}
