package render

import (
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/covplan/covplan/coverage"
)

// PageOptions tunes compare.html, sweep.html and the batch index. The zero
// value is an English page with the default caps.
type PageOptions struct {
	Lang string // "fr" or "en" ("" = "en"): the language the page opens in
	// MaxMapVertices caps the outlines' vertices on the map (0:
	// DefaultMaxMapVertices); MaxTableRows the rows of the zone tables (0:
	// 5000).
	MaxMapVertices int
	MaxTableRows   int
}

func (o PageOptions) withDefaults() PageOptions {
	if o.MaxMapVertices <= 0 {
		o.MaxMapVertices = DefaultMaxMapVertices
	}
	if o.MaxTableRows <= 0 {
		o.MaxTableRows = 5000
	}
	return o
}

// WriteCompareHTML writes compare.html: the scenarios compared, their key
// figures side by side with the difference from the reference, charts of
// the mix, the costs and the coverage, a map of the zones whose choice
// changes (by scenario) and the table of those zones. Like the report it
// is one offline page in French and English, and the same comparison
// gives the same bytes.
func WriteCompareHTML(w io.Writer, c *Comparison, opt PageOptions) error {
	l, opt, err := pageStart(c.check, opt)
	if err != nil {
		return err
	}
	totals := make([]PlanTotals, len(c.Scenarios))
	for i, s := range c.Scenarios {
		totals[i] = TotalsOf(s.Plan)
	}
	changed := c.Changed()
	var body strings.Builder
	writeCompareScenarios(&body, c)
	writeCompareFigures(&body, c, totals)
	specs, err := compareCharts(c, totals)
	if err != nil {
		return err
	}
	body.WriteString(`<section id="charts"><h2>` + string(biHTML(ml("cmp.mix"))) + "</h2>" + string(mpChartDiv(specs[0])) +
		`<h2>` + string(biHTML(ml("cmp.money"))) + "</h2>" + string(mpChartDiv(specs[1])) +
		`<h2>` + string(biHTML(ml("cmp.cover"))) + "</h2>" + string(mpChartDiv(specs[2])) + "</section>\n")
	data := map[string]any{}
	var geo []byte
	if c.ZonesLL != nil && len(c.Scenarios) > 1 {
		zm := buildZoneMap(c.ZonesLL, opt.MaxMapVertices)
		geo = zm.GeoJSON
		spec, err := compareMap(c, changed, data)
		if err != nil {
			return err
		}
		specs = append(specs, spec)
		writeCompareMapSection(&body, c, spec)
	}
	writeChangedZones(&body, c, changed, opt.MaxTableRows)
	pg := &multiPage{Lang: l, Title: biHTML(ml("cmp.title")), SubTitle: c.Meta.Title, Version: c.Meta.Version,
		Nav: []navItem{{"scenarios", biHTML(ml("cmp.scen"))}, {"figures", biHTML(ml("cmp.figs"))},
			{"charts", biHTML(ml("cmp.money"))}, {"map", biHTML(ml("cmp.map"))}, {"zones", biHTML(ml("cmp.zones"))}},
		Warnings: runWarningsSection(&c.Meta, c.Scenarios[0].Plan), Body: template.HTML(body.String())}
	if err := writeMultiPage(w, pg, specs, data, geo); err != nil {
		return fmt.Errorf("render: compare.html: %w", err)
	}
	return nil
}

func writeCompareScenarios(b *strings.Builder, c *Comparison) {
	b.WriteString(`<section id="scenarios"><h2>` + string(biHTML(ml("cmp.scen"))) + `</h2><p class="doc">` + string(biHTML(ml("cmp.scen.doc"))) + "</p>\n")
	b.WriteString(`<table id="scenario-list"><thead><tr>`)
	writeHeads(b, "cmp.name", "cmp.origin", "n:cmp.eval", "row.policy", "row.target", "cmp.changes")
	b.WriteString("</tr></thead><tbody>\n")
	for i, s := range c.Scenarios {
		changes := "<code>" + esc(strings.Join(s.Changes, "; ")) + "</code>"
		if i == 0 {
			changes = string(biHTML(ml("cmp.none")))
		} else if len(s.Changes) == 0 {
			changes = "–"
		}
		fmt.Fprintf(b, `<tr><td><b>%s</b></td><td>%s</td><td class="n">%d</td><td><code>%s</code></td><td><code>%s</code></td><td>%s</td></tr>`+"\n",
			esc(s.Name), esc(s.Origin), s.Evaluation, esc(string(s.Plan.Scenario.Policy)), esc(s.Plan.Scenario.Target.Name), changes)
	}
	b.WriteString("</tbody></table></section>\n")
}

// figureRow is one row of the side-by-side table: its label, the value of
// a scenario's totals, and how to format it.
type figureRow struct {
	label bi
	val   func(t PlanTotals) (float64, bool) // false: undefined
	fmt   func(v float64) template.HTML
}

func figureRows() []figureRow {
	num := func(v float64) template.HTML { return bnum(v, 0) }
	rows := []figureRow{
		{ml("row.premises"), func(t PlanTotals) (float64, bool) { return float64(t.Premises), true }, num},
		{ml("row.meet"), func(t PlanTotals) (float64, bool) { return float64(t.MeetTarget), true }, num},
		{ml("row.share"), func(t PlanTotals) (float64, bool) { return t.Share(), t.Premises > 0 }, biShare},
		{ml("row.capex"), func(t PlanTotals) (float64, bool) { return t.CapexEUR, true }, biEUR},
		{ml("row.present"), func(t PlanTotals) (float64, bool) { return t.PresentEUR, true }, biEUR},
		{ml("row.public"), func(t PlanTotals) (float64, bool) { return t.PublicEUR, true }, biEUR},
		{ml("row.npv"), func(t PlanTotals) (float64, bool) { return t.NPVEUR, t.NPVZones > 0 }, biEUR},
	}
	for _, k := range mixTechs {
		name := func(l lang) []any { return []any{techLabels[k].in(l)} }
		rows = append(rows,
			figureRow{mlf("row.premby", name), func(t PlanTotals) (float64, bool) { return float64(t.PremisesBy[k]), true }, num},
			figureRow{mlf("row.zonesby", name), func(t PlanTotals) (float64, bool) { return float64(t.ZonesBy[k]), true }, num})
	}
	return rows
}

// writeCompareFigures writes the side-by-side table: a row per figure, a
// column per scenario, each value with its difference from the reference.
func writeCompareFigures(b *strings.Builder, c *Comparison, totals []PlanTotals) {
	b.WriteString(`<section id="figures"><h2>` + string(biHTML(ml("cmp.figs"))) + "</h2>\n<table id=\"figures-table\"><thead><tr><th></th>")
	for _, s := range c.Scenarios {
		b.WriteString(`<th class="n">` + esc(s.Name) + "</th>")
	}
	b.WriteString("</tr></thead><tbody>\n")
	for _, r := range figureRows() {
		b.WriteString("<tr><td>" + string(biHTML(r.label)) + "</td>")
		ref, refOK := r.val(totals[0])
		for i := range c.Scenarios {
			v, ok := r.val(totals[i])
			b.WriteString(`<td class="n">`)
			if !ok {
				b.WriteString("–</td>")
				continue
			}
			b.WriteString(string(r.fmt(v)))
			if i > 0 && refOK && v != ref {
				sign := "+"
				if v < ref {
					sign = ""
				}
				b.WriteString(`<span class="d">` + sign + string(r.fmt(v-ref)) + "</span>")
			}
			b.WriteString("</td>")
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("<tr><td>" + string(biHTML(ml("row.changed"))) + "</td>")
	for _, s := range c.Scenarios {
		b.WriteString(`<td class="n">` + string(bnum(float64(ChangedZones(c.Scenarios[0].Plan, s.Plan)), 0)) + "</td>")
	}
	b.WriteString("</tr>\n</tbody></table></section>\n")
}

// compareCharts are the mix, cost and coverage charts, a bar per scenario.
func compareCharts(c *Comparison, totals []PlanTotals) ([]mpChart, error) {
	names := make([]string, len(c.Scenarios))
	for i, s := range c.Scenarios {
		names[i] = s.Name
	}
	mix := mpChart{id: "chart-mix", height: "320px"}
	money := mpChart{id: "chart-money", height: "360px"}
	cover := mpChart{id: "chart-cover", height: "300px"}
	for li, l := range langs {
		bar := scenarioBar(mix.id, mix.height, names, `function (v) { return mpNum(v); }`)
		for _, k := range mixTechs {
			data := make([]opts.BarData, len(totals))
			for i, t := range totals {
				data[i] = opts.BarData{Value: t.PremisesBy[k]}
			}
			bar.AddSeries(techLabels[k].in(l), data, charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Stack = "mix"; s.Color = techColors[k] }))
		}
		var err error
		if mix.opt[li], err = optionJS(bar); err != nil {
			return nil, err
		}
		bar = scenarioBar(money.id, money.height, names, `function (v) { return mpEUR(v); }`)
		for _, f := range []struct {
			key   string
			color string
			v     func(PlanTotals) float64
		}{{"row.capex", "#e15759", func(t PlanTotals) float64 { return t.CapexEUR }},
			{"row.present", "#1f6fb2", func(t PlanTotals) float64 { return t.PresentEUR }},
			{"row.public", "#59a14f", func(t PlanTotals) float64 { return t.PublicEUR }}} {
			data := make([]opts.BarData, len(totals))
			for i, t := range totals {
				data[i] = opts.BarData{Value: roundTo(f.v(t), 0)}
			}
			bar.AddSeries(ml(f.key).in(l), data, charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Color = f.color }))
		}
		if money.opt[li], err = optionJS(bar); err != nil {
			return nil, err
		}
		bar = scenarioBar(cover.id, cover.height, names, `function (v) { return mpNum(v, 1) + ' %'; }`)
		data := make([]opts.BarData, len(totals))
		for i, t := range totals {
			data[i] = opts.BarData{Value: roundTo(100*t.Share(), 2)}
		}
		bar.AddSeries(ml("row.share").in(l), data, charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Color = "#2ca25f" }))
		if cover.opt[li], err = optionJS(bar); err != nil {
			return nil, err
		}
	}
	return []mpChart{mix, money, cover}, nil
}

// scenarioBar is a vertical bar chart with one category per scenario;
// axisFmt formats the value axis and the tooltip (JavaScript).
func scenarioBar(id, height string, names []string, axisFmt string) *charts.Bar {
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(baseOpts(id, height),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", ValueFormatter: opts.FuncOpts(axisFmt)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "90", Right: "30", Top: "40", Bottom: "40"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", AxisLabel: &opts.AxisLabel{Formatter: opts.FuncOpts(axisFmt)}}),
	)...)
	bar.SetXAxis(names)
	return bar
}

// compareMap is the map of changed zones: MP_DATA.m<i> colours scenario
// i's changed zones by technology, the others grey (-1); MP_DATA.tip has
// each zone's choices.
func compareMap(c *Comparison, changed []bool, data map[string]any) (mpChart, error) {
	spec := mpChart{id: "chart-map", height: "620px", fill: map[int]string{0: "shown"}}
	ref := c.Scenarios[0].Plan
	tips := make([]string, len(ref.Zones))
	for z := range ref.Zones {
		zone := &c.Input.Zones[ref.Zones[z].Zone]
		var tb strings.Builder
		tb.WriteString("<b>" + esc(zone.Name) + "</b> (" + esc(zone.ID) + ")")
		if changed[z] {
			for _, s := range c.Scenarios {
				tb.WriteString("<br>" + esc(s.Name) + ": " + esc(techOf(&s.Plan.Zones[z])))
			}
		} else {
			tb.WriteString("<br>" + esc(techOf(&ref.Zones[z])))
		}
		tips[z] = tb.String()
	}
	data["tip"] = tips
	for i, s := range c.Scenarios {
		vals := make([]mpMapValue, 0, len(ref.Zones))
		for z := range ref.Zones {
			v := -1
			if zp := &s.Plan.Zones[z]; i > 0 && changed[z] && choiceDiffers(&ref.Zones[z], zp) {
				v = int(zp.Chosen)
			}
			vals = append(vals, mpMapValue{strconv.Itoa(z), v})
		}
		data["m"+strconv.Itoa(i)] = vals
	}
	data["shown"] = data["m1"]
	for li, l := range langs {
		js, err := mpMapOption(l, ml("cmp.same"))
		if err != nil {
			return spec, err
		}
		spec.opt[li] = js
	}
	return spec, nil
}

func writeCompareMapSection(b *strings.Builder, c *Comparison, spec mpChart) {
	b.WriteString(`<section id="map"><h2>` + string(biHTML(ml("cmp.map"))) + `</h2><p class="doc">` + string(biHTML(ml("cmp.map.doc"))) + "</p>\n")
	b.WriteString(`<label>` + string(biHTML(ml("cmp.show"))) + ` <select id="map-scenario">`)
	for i, s := range c.Scenarios[1:] {
		fmt.Fprintf(b, `<option value="%d">%s</option>`, i+1, esc(s.Name))
	}
	b.WriteString("</select></label>\n" + string(mpChartDiv(spec)) + "</section>\n")
}

// writeChangedZones writes the table of the zones whose choice changes.
func writeChangedZones(b *strings.Builder, c *Comparison, changed []bool, maxRows int) {
	b.WriteString(`<section id="zones"><h2>` + string(biHTML(ml("cmp.zones"))) + "</h2>\n")
	n := 0
	for _, ch := range changed {
		if ch {
			n++
		}
	}
	if n == 0 {
		b.WriteString(`<p class="note" id="no-change">` + string(biHTML(ml("cmp.nochange"))) + "</p></section>\n")
		return
	}
	if n > maxRows {
		b.WriteString(`<p class="note">` + string(biHTML(mlf("cmp.capped", func(l lang) []any { return []any{fmtInt(maxRows, l), fmtInt(n, l)} }))) + "</p>\n")
	}
	b.WriteString(`<div class="tablewrap"><table id="changed-zones" class="sortable"><thead><tr>`)
	writeHeads(b, "col.id", "col.zone", "n:col.premises")
	for _, s := range c.Scenarios {
		b.WriteString("<th>" + esc(s.Name) + "</th>")
	}
	for _, s := range c.Scenarios {
		b.WriteString(`<th class="n">` + string(biHTML(mlf("col.public", func(lang) []any { return []any{s.Name} }))) + "</th>")
	}
	b.WriteString("</tr></thead><tbody>\n")
	ref := c.Scenarios[0].Plan
	rows := 0
	for z := range ref.Zones {
		if !changed[z] || rows == maxRows {
			continue
		}
		rows++
		zone := &c.Input.Zones[ref.Zones[z].Zone]
		fmt.Fprintf(b, `<tr><td>%s</td><td>%s</td><td class="n" data-v="%d">%s</td>`, esc(zone.ID), esc(zone.Name), ref.Zones[z].Premises, bint(ref.Zones[z].Premises))
		for _, s := range c.Scenarios {
			zp := &s.Plan.Zones[z]
			mixed := ""
			if zp.Mixed {
				mixed = " + fibre"
			}
			b.WriteString("<td>" + string(techDot(zp.Chosen)) + mixed + "</td>")
		}
		for _, s := range c.Scenarios {
			zp := &s.Plan.Zones[z]
			if zp.Chosen == coverage.TechNone {
				b.WriteString(`<td class="n" data-v="0">–</td>`)
				continue
			}
			v := zp.ChosenOption().PublicCostEUR
			fmt.Fprintf(b, `<td class="n" data-v="%s">%s</td>`, strconv.FormatFloat(roundTo(v, 0), 'f', -1, 64), biEUR(v))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody></table></div></section>\n")
}
