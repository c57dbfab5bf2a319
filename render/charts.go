package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"

	"github.com/covplan/covplan/coverage"
)

// Charts are built with go-echarts, one chart per language, and only their
// option objects are taken (RenderSnippet().Option): the page inlines
// echarts once, initialises every chart itself and swaps the option when
// the language changes. The map is not an echarts chart: the page draws it
// itself (web/map.js), from data written once for both languages.

// chartSpec is one chart of the page.
type chartSpec struct {
	ID     string // element id, fixed so the page is deterministic
	Height string // CSS height
	// Opt is the echarts option (JavaScript, not JSON: it may hold
	// functions) per language, in langs order.
	Opt [len(langs)]string
}

// chartRenderer is what every go-echarts chart provides.
type chartRenderer interface {
	RenderSnippet() render.ChartSnippet
	JSONNotEscaped() template.HTML
}

// funcMarker matches go-echarts' markers around JavaScript functions in
// the option JSON ("__f__function (...) {...}__f__"), with the string
// quotes they stand next to.
var funcMarker = regexp.MustCompile(`("__f__)|(__f__")|(__f__)`)

// optionJS renders a go-echarts chart's option object as JavaScript.
//
// RenderSnippet runs the chart's validation (defaults, assets); its Option
// text is not used because go-echarts v2.6.7 HTML-escapes it before
// removing the function markers, which leaves every function quoted as a
// string. The option JSON is taken directly and the markers removed here.
func optionJS(c chartRenderer) (js string, err error) {
	defer func() {
		if r := recover(); r != nil { // go-echarts panics on template errors
			err = fmt.Errorf("render: chart option: %v", r)
		}
	}()
	c.RenderSnippet()
	s := funcMarker.ReplaceAllString(string(c.JSONNotEscaped()), "")
	return strings.TrimSpace(s), nil
}

// extras adds the echarts options go-echarts has no field for. It is a
// go-echarts ConfigurationVisitor: Visit runs on the final option map.
type extras struct {
	charts.BaseConfigurationVisitor
	top    map[string]any         // top-level keys, set (replacing go-echarts' value)
	series map[int]map[string]any // keys merged into series i
}

func (e *extras) Visit(obj map[string]any) {
	for k, v := range e.top {
		obj[k] = v
	}
	if len(e.series) == 0 {
		return
	}
	ms, ok := obj["series"].(charts.MultiSeries)
	if !ok {
		return
	}
	out := make([]any, len(ms))
	for i := range ms {
		out[i] = ms[i]
		add, ok := e.series[i]
		if !ok {
			continue
		}
		m, err := toMap(ms[i])
		if err != nil {
			continue // keep the series as go-echarts built it
		}
		for k, v := range add {
			m[k] = v
		}
		out[i] = m
	}
	obj["series"] = out
}

// toMap turns a struct into its JSON object, numbers kept verbatim.
func toMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// baseOpts are the options every chart shares (the comparison, sweep and
// batch pages use them as they are).
func baseOpts(id, height string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{
			ChartID:    id,
			Width:      "100%",
			Height:     height,
			AssetsHost: "./", // never a CDN; the page inlines echarts itself
		}),
		charts.WithAnimation(false), // deterministic screenshots, faster large pages
		charts.WithToolboxOpts(opts.Toolbox{
			Show:    opts.Bool(true),
			Feature: &opts.ToolBoxFeature{SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true)}},
		}),
	}
}

// chartOpts are baseOpts for a report chart in language l: its save button
// says so in the page's language and names the file after the chart.
func chartOpts(id, height string, l lang) []charts.GlobalOpts {
	return append(baseOpts(id, height), charts.WithToolboxOpts(opts.Toolbox{
		Show:    opts.Bool(true),
		Feature: &opts.ToolBoxFeature{SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true), Title: label("chart.save").in(l), Name: id}},
	}))
}

// JavaScript helpers the page defines (report.js): cpFmt(v, d) formats a
// number in the current language, cpEUR(v) an exact amount of euros,
// cpMoney(v) a rounded one (k€, M€, as fmtMoney). Functions given to
// go-echarts must use single quotes only and no comments (go-echarts
// strips newlines and puts the code through a JSON string).
const (
	jsAxisNum = `function (v) { return cpFmt(v); }`
	jsAxisEUR = `function (v) { return cpMoney(v); }`
	jsTipEUR  = `function (v) { return cpEUR(v); }`
)

// techMixChart is a 100 % stacked horizontal bar: zones, premises and units
// by chosen technology; the tooltip gives counts.
func techMixChart(d *reportData) (chartSpec, error) {
	spec := chartSpec{ID: "chart-mix", Height: "260px"}
	for li, l := range langs {
		cats := []string{label("mix.cat.zones").in(l), label("mix.cat.served").in(l), label("mix.cat.units").in(l)}
		bar := charts.NewBar()
		bar.SetGlobalOptions(append(chartOpts(spec.ID, spec.Height, l),
			charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item",
				Formatter: opts.FuncOpts(`function (p) { return p.marker + p.seriesName + '<br>' + p.name + ': ' + cpFmt(p.data.raw) + ' (' + cpPct(p.value) + ')'; }`)}),
			charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
			charts.WithGridOpts(opts.Grid{Left: "150", Right: "30", Top: "40", Bottom: "30"}),
			charts.WithXAxisOpts(opts.XAxis{Type: "value", Max: 100, Name: "%"}),
			charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: cats}),
		)...)
		for _, t := range reportTechs {
			p := d.plan
			tt := p.ByTech[t]
			if t == coverage.TechNone && tt.Zones == 0 && p.ServedBy[t] == 0 {
				continue
			}
			raw := [3]int{tt.Zones, p.ServedBy[t], tt.Units}
			tot := [3]int{p.Total.Zones, p.Total.Premises, p.Total.Units}
			data := make([]opts.BarData, 3)
			for k := range data {
				data[k] = opts.BarData{Value: roundTo(shareOf(raw[k], tot[k])*100, 2)}
			}
			bar.AddSeries(techLabels[t].in(l), data,
				charts.WithSeriesOpts(func(s *charts.SingleSeries) {
					s.Stack = "mix"
					s.Color = techColors[t]
					s.Data = mixData(data, raw)
				}))
		}
		js, err := optionJS(bar)
		if err != nil {
			return spec, err
		}
		spec.Opt[li] = js
	}
	return spec, nil
}

// mixData attaches the raw count to each bar for the tooltip.
func mixData(data []opts.BarData, raw [3]int) []any {
	out := make([]any, len(data))
	for i := range data {
		out[i] = struct {
			Value any `json:"value"`
			Raw   int `json:"raw"`
		}{data[i].Value, raw[i]}
	}
	return out
}

// round rounds v to dec decimals (for compact, stable JSON).
func roundTo(v float64, dec int) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	p := math.Pow10(dec)
	r := math.Round(v*p) / p
	if r == 0 {
		return 0 // no -0
	}
	return r
}

// maxCurvePoints caps the points of the cost curve; the curve is monotone,
// so an even subsample keeps its shape.
const maxCurvePoints = 2000

// subsample keeps at most max points of pts, evenly spread, always keeping
// the first and the last.
func subsample[T any](pts []T, max int) []T {
	if len(pts) <= max || max < 2 {
		return pts
	}
	out := make([]T, 0, max)
	last := len(pts) - 1
	for k := 0; k < max; k++ {
		out = append(out, pts[k*last/(max-1)])
	}
	return out
}

func costCurveChart(d *reportData) (chartSpec, error) {
	spec := chartSpec{ID: "chart-curve", Height: "420px"}
	pts := subsample(d.plan.CostCurve, maxCurvePoints)
	series := []struct {
		name  bi
		color string
		val   func(coverage.CurvePoint) float64
	}{
		{withBasis(label("curve.npv"), basisPV(d.plan)), "#1f6fb2", func(p coverage.CurvePoint) float64 { return p.PresentCostEUR }},
		{withBasis(label("curve.capex"), label("basis.once")), "#e15759", func(p coverage.CurvePoint) float64 { return p.CapexEUR }},
		{withBasis(label("curve.public"), basisPV(d.plan)), "#59a14f", func(p coverage.CurvePoint) float64 { return p.PublicCostEUR }},
	}
	for li, l := range langs {
		line := charts.NewLine()
		line.SetGlobalOptions(append(chartOpts(spec.ID, spec.Height, l),
			charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis",
				ValueFormatter: opts.FuncOpts(jsTipEUR)}),
			charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
			charts.WithGridOpts(opts.Grid{Left: "90", Right: "40", Top: "40", Bottom: "50"}),
			charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: label("curve.x").in(l), NameLocation: "middle", NameGap: 30,
				AxisLabel: &opts.AxisLabel{Formatter: opts.FuncOpts(jsAxisNum)}}),
			charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: label("curve.y").in(l),
				AxisLabel: &opts.AxisLabel{Formatter: opts.FuncOpts(jsAxisEUR)}}),
		)...)
		for _, s := range series {
			data := make([]opts.LineData, len(pts))
			for i, p := range pts {
				data[i] = opts.LineData{Value: [2]float64{float64(p.Premises), roundTo(s.val(p), 0)}}
			}
			line.AddSeries(s.name.in(l), data, charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
				ss.Color = s.color
				ss.ShowSymbol = opts.Bool(false)
			}))
		}
		js, err := optionJS(line)
		if err != nil {
			return spec, err
		}
		spec.Opt[li] = js
	}
	return spec, nil
}

// histogram is the distribution of premises by their zone's NPV per
// premise, by technology. The last bin is open ("≥ edge") so that a few very
// expensive zones do not squash the rest.
type histogram struct {
	Edges  []float64                // lower edge of each bin
	Open   bool                     // the last bin has no upper edge
	Counts [coverage.NumTechs][]int // premises per bin per technology
}

const histBins = 20

// costHistogram bins the premises of the zones with a chosen option by
// the built option's present cost per premise served.
func costHistogram(p *coverage.Plan) histogram {
	type item struct {
		cpp  float64
		n    int
		tech coverage.Tech
	}
	var items []item
	total := 0
	for i := range p.Zones {
		zp := &p.Zones[i]
		if zp.Chosen == coverage.TechNone || zp.Premises <= 0 {
			continue
		}
		o := zp.ChosenOption()
		if o.PremisesServed <= 0 {
			continue
		}
		cpp := o.PresentCostEUR / float64(o.PremisesServed)
		if !finite(cpp) {
			continue
		}
		items = append(items, item{math.Max(cpp, 0), zp.Premises, zp.Chosen})
		total += zp.Premises
	}
	var h histogram
	if total == 0 {
		return h
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].cpp < items[j].cpp })
	// the premise-weighted 98th percentile sets the scale
	p98, acc := items[len(items)-1].cpp, 0
	for _, it := range items {
		acc += it.n
		if float64(acc) >= 0.98*float64(total) {
			p98 = it.cpp
			break
		}
	}
	maxV := items[len(items)-1].cpp
	top := p98
	if top <= 0 {
		top = maxV
	}
	if top <= 0 {
		top = 1
	}
	step := niceStep(top / histBins)
	nb := int(math.Floor(top/step)) + 1
	if maxV >= float64(nb)*step {
		h.Open = true
		nb++
	}
	h.Edges = make([]float64, nb)
	for i := range h.Edges {
		h.Edges[i] = float64(i) * step
	}
	for t := range h.Counts {
		h.Counts[t] = make([]int, nb)
	}
	for _, it := range items {
		b := int(it.cpp / step)
		if b >= nb {
			b = nb - 1
		}
		h.Counts[it.tech][b] += it.n
	}
	return h
}

// niceStep rounds x up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if x <= 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

func histogramChart(d *reportData) (chartSpec, error) {
	spec := chartSpec{ID: "chart-dist", Height: "380px"}
	h := d.hist
	for li, l := range langs {
		cats := make([]string, len(h.Edges))
		for i, e := range h.Edges {
			if h.Open && i == len(h.Edges)-1 {
				cats[i] = "≥ " + fmtMoney(e, l)
			} else {
				cats[i] = fmtMoney(e, l) + " – " + fmtMoney(e+stepOf(h), l)
			}
		}
		bar := charts.NewBar()
		bar.SetGlobalOptions(append(chartOpts(spec.ID, spec.Height, l),
			charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis",
				ValueFormatter: opts.FuncOpts(jsAxisNum)}),
			charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
			charts.WithGridOpts(opts.Grid{Left: "70", Right: "30", Top: "40", Bottom: "80"}),
			charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: withBasis(label("dist.x"), basisPV(d.plan)).in(l), NameLocation: "middle", NameGap: 62,
				AxisLabel: &opts.AxisLabel{Rotate: 35, Interval: "0"}}),
			charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: label("dist.y").in(l),
				AxisLabel: &opts.AxisLabel{Formatter: opts.FuncOpts(jsAxisNum)}}),
		)...)
		bar.SetXAxis(cats)
		for _, t := range reportTechs {
			if t == coverage.TechNone {
				continue // zones without a chosen option have no cost per premise
			}
			if sumInts(h.Counts[t]) == 0 {
				continue
			}
			data := make([]opts.BarData, len(h.Counts[t]))
			for i, n := range h.Counts[t] {
				data[i] = opts.BarData{Value: n}
			}
			bar.AddSeries(techLabels[t].in(l), data, charts.WithSeriesOpts(func(s *charts.SingleSeries) {
				s.Stack = "dist"
				s.Color = techColors[t]
				s.BarCategoryGap = "10%"
			}))
		}
		js, err := optionJS(bar)
		if err != nil {
			return spec, err
		}
		spec.Opt[li] = js
	}
	return spec, nil
}

func stepOf(h histogram) float64 {
	if len(h.Edges) < 2 {
		return 1
	}
	return h.Edges[1] - h.Edges[0]
}

func sumInts(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

// rolloutYear is one year of a phased plan as the report shows it, read
// from the plan's rollout (Year 0: the zones not programmed).
type rolloutYear struct {
	Year     int // 1-based; 0 gathers the zones not programmed
	Zones    int
	ByTech   [coverage.NumTechs]int // premises of the year's zones by chosen technology
	Premises int                    // premises of the year's zones
	Reached  int                    // premises brought to the target
	Capex    float64
	Public   float64
	Cumul    int // premises of the zones of years 1 to this one
}

// rolloutYears is the plan's year-by-year rollout, then the zones not
// programmed (beyond the budget or the horizon, or without an option); nil
// when the plan is not phased.
func rolloutYears(p *coverage.Plan) []rolloutYear {
	if p.Rollout == nil {
		return nil
	}
	var out []rolloutYear
	for _, py := range p.Rollout {
		out = append(out, rolloutYear{Year: py.Year, Zones: py.Zones, ByTech: py.ByTech, Premises: py.ZonePremises,
			Reached: py.Reached, Capex: py.CapexEUR, Public: py.PublicCostEUR, Cumul: py.CumZonePremises})
	}
	if y0 := &p.NotProgrammed; y0.Zones > 0 {
		out = append(out, rolloutYear{Zones: y0.Zones, ByTech: y0.ByTech, Premises: y0.ZonePremises,
			Reached: y0.Reached, Capex: y0.CapexEUR, Public: y0.PublicCostEUR})
	}
	return out
}

// yearLabel names rollout year y: its calendar year when the run gives a
// start year, "Année y" otherwise; year 0 is "not programmed".
func yearLabel(y, start int) bi {
	switch {
	case y == 0:
		return label("roll.unphased")
	case start > 0:
		return same(strconv.Itoa(start + y - 1))
	}
	return biSprintf("roll.yearn", func(lang) []any { return []any{y} })
}

func rolloutChart(d *reportData) (chartSpec, error) {
	spec := chartSpec{ID: "chart-rollout", Height: "380px"}
	ys := d.rollout
	for li, l := range langs {
		cats := make([]string, len(ys))
		for i, y := range ys {
			cats[i] = yearLabel(y.Year, d.src.Meta.StartYear).in(l)
		}
		bar := charts.NewBar()
		bar.SetGlobalOptions(append(chartOpts(spec.ID, spec.Height, l),
			charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis",
				Formatter: opts.FuncOpts(`function (ps) { return cpRolloutTip(ps); }`)}),
			charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
			charts.WithGridOpts(opts.Grid{Left: "70", Right: "90", Top: "50", Bottom: "40"}),
			charts.WithXAxisOpts(opts.XAxis{Type: "category"}),
			charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: label("roll.premises").in(l),
				AxisLabel: &opts.AxisLabel{Formatter: opts.FuncOpts(jsAxisNum)}}),
		)...)
		bar.SetXAxis(cats)
		bar.ExtendYAxis(opts.YAxis{Type: "value", Name: withBasis(label("roll.capex"), label("basis.once")).in(l), Position: "right",
			AxisLabel: &opts.AxisLabel{Formatter: opts.FuncOpts(jsAxisEUR)}, SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
		for _, t := range reportTechs {
			if d.plan.ByTech[t].Zones == 0 {
				continue
			}
			data := make([]opts.BarData, len(ys))
			for i, y := range ys {
				data[i] = opts.BarData{Value: y.ByTech[t]}
			}
			bar.AddSeries(techLabels[t].in(l), data, charts.WithSeriesOpts(func(s *charts.SingleSeries) {
				s.Stack = "roll"
				s.Color = techColors[t]
			}))
		}
		capex := make([]opts.LineData, len(ys))
		for i, y := range ys {
			capex[i] = opts.LineData{Value: roundTo(y.Capex, 0)}
		}
		line := charts.NewLine()
		line.AddSeries(withBasis(label("roll.capex"), label("basis.once")).in(l), capex, charts.WithSeriesOpts(func(s *charts.SingleSeries) {
			s.YAxisIndex = 1
			s.Color = "#333333"
		}))
		bar.Overlap(line)
		js, err := optionJS(bar)
		if err != nil {
			return spec, err
		}
		spec.Opt[li] = js
	}
	return spec, nil
}
