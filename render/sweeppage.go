package render

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

func init() {
	addLabels(map[string]bi{
		"sw.title":     {"Analyse de sensibilité", "Sensitivity analysis"},
		"sw.keys":      {"Paramètres variés", "Parameters varied"},
		"sw.keys.doc":  {"Chaque paramètre varie seul autour du scénario de base, les autres restant à leur valeur de base. Les paramètres de décision (politique, budget, seuils) réutilisent le chiffrage de base ; les autres demandent un nouveau chiffrage par valeur.", "Each parameter varies on its own around the base scenario, the others kept at their base value. Decision parameters (policy, budget, thresholds) reuse the base pricing; the others need a new pricing per value."},
		"sw.key":       {"Paramètre", "Parameter"},
		"sw.base":      {"Valeur de base", "Base value"},
		"sw.values":    {"Valeurs", "Values"},
		"sw.eval":      {"Chiffrage", "Pricing"},
		"sw.shared":    {"celui de la base", "the base's"},
		"sw.new":       {"nouveau par valeur", "new per value"},
		"sw.flips":     {"Zones qui basculent", "Zones that flip"},
		"sw.tornado":   {"Tornade : coût public", "Tornado: public cost"},
		"sw.tornado.c": {"Tornade : locaux atteignant la cible", "Tornado: premises meeting the target"},
		"sw.tor.doc":   {"Écart au scénario de base aux deux bouts de la plage de chaque paramètre ; les paramètres au plus grand effet en haut.", "Difference from the base scenario at both ends of each parameter's range; the parameters with the largest effect on top."},
		"sw.low":       {"Bas de plage", "Low end"},
		"sw.high":      {"Haut de plage", "High end"},
		"sw.curves":    {"Courbes", "Curves"},
		"sw.table":     {"Tous les plans", "Every plan"},
		"sw.value":     {"Valeur", "Value"},
		"sw.changed":   {"Zones changées", "Zones changed"},
		"sw.flips.doc": {"Pour chaque zone, la première valeur (en s’éloignant de la base) où son choix change : le point de bascule est entre la dernière valeur au choix de base et celle-ci. Liste complète dans sweep-zones.csv.", "For each zone, the first value (moving away from the base) at which its choice changes: the break-even lies between the last value with the base choice and this one. Full list in sweep-zones.csv."},
		"sw.dir":       {"Sens", "Direction"},
		"sw.last":      {"Dernière valeur au choix de base", "Last value with the base choice"},
		"sw.at":        {"Bascule à", "Flips at"},
		"sw.to":        {"Vers", "To"},
		"sw.from":      {"Choix de base", "Base choice"},
		"sw.noflip":    {"Aucune zone ne change de choix sur les plages variées.", "No zone changes its choice over the ranges varied."},
		"sw.capped":    {"Tableau limité aux %s premières bascules sur %s.", "Table limited to the first %s of %s flips."},
	})
}

// WriteSweepHTML writes sweep.html: the keys varied, tornado charts of the
// public cost and of the premises meeting the target at both ends of each
// key's range, a curve per key, the table of every plan and the zones'
// break-even values. One offline page in French and English; the same
// sweep gives the same bytes.
func WriteSweepHTML(w io.Writer, s *Sweep, opt PageOptions) error {
	l, opt, err := pageStart(s.check, opt)
	if err != nil {
		return err
	}
	base := TotalsOf(s.Base)
	var body strings.Builder
	writeSweepKeys(&body, s)
	var specs []mpChart
	if len(s.Keys) > 0 {
		pub, err := tornadoChart("chart-tornado-public", s, base, func(t PlanTotals) float64 { return roundTo(t.PublicEUR, 0) }, `function (v) { return mpEUR(v); }`)
		if err != nil {
			return err
		}
		cov, err := tornadoChart("chart-tornado-cover", s, base, func(t PlanTotals) float64 { return float64(t.MeetTarget) }, `function (v) { return mpNum(v); }`)
		if err != nil {
			return err
		}
		specs = append(specs, pub, cov)
		body.WriteString(`<section id="tornado"><h2>` + string(biHTML(ml("sw.tornado"))) + `</h2><p class="doc">` + string(biHTML(ml("sw.tor.doc"))) + "</p>" +
			string(mpChartDiv(pub)) + "<h2>" + string(biHTML(ml("sw.tornado.c"))) + "</h2>" + string(mpChartDiv(cov)) + "</section>\n")
		body.WriteString(`<section id="curves"><h2>` + string(biHTML(ml("sw.curves"))) + "</h2>\n")
		for i := range s.Keys {
			c, err := curveChart(i, &s.Keys[i])
			if err != nil {
				return err
			}
			specs = append(specs, c)
			body.WriteString("<h3><code>" + esc(s.Keys[i].Key) + "</code></h3>" + string(mpChartDiv(c)) + "\n")
		}
		body.WriteString("</section>\n")
	}
	writeSweepTable(&body, s, base)
	writeSweepFlips(&body, s, opt.MaxTableRows)
	pg := &multiPage{Lang: l, Title: biHTML(ml("sw.title")), SubTitle: s.Meta.Title, Version: s.Meta.Version,
		Nav: []navItem{{"keys", biHTML(ml("sw.keys"))}, {"tornado", biHTML(ml("sw.tornado"))}, {"curves", biHTML(ml("sw.curves"))},
			{"plans", biHTML(ml("sw.table"))}, {"flips", biHTML(ml("sw.flips"))}},
		Warnings: runWarningsSection(&s.Meta, s.Base), Body: template.HTML(body.String())}
	if err := writeMultiPage(w, pg, specs, map[string]any{}, nil); err != nil {
		return fmt.Errorf("render: sweep.html: %w", err)
	}
	return nil
}

func writeSweepKeys(b *strings.Builder, s *Sweep) {
	b.WriteString(`<section id="keys"><h2>` + string(biHTML(ml("sw.keys"))) + `</h2><p class="doc">` + string(biHTML(ml("sw.keys.doc"))) + "</p>\n")
	b.WriteString(`<table id="keys-table"><thead><tr>`)
	writeHeads(b, "sw.key", "n:sw.base", "sw.values", "sw.eval", "n:sw.flips")
	b.WriteString("</tr></thead><tbody>\n")
	for _, k := range s.Keys {
		vals := make([]string, len(k.Points))
		shared := true
		for i, p := range k.Points {
			vals[i] = p.Value
			shared = shared && p.Evaluation == 1
		}
		ev := ml("sw.new")
		if shared {
			ev = ml("sw.shared")
		}
		zones := map[int]bool{}
		for _, f := range k.Flips {
			zones[f.Zone] = true
		}
		fmt.Fprintf(b, `<tr><td><code>%s</code></td><td class="n">%s</td><td><code>%s</code></td><td>%s</td><td class="n">%s</td></tr>`+"\n",
			esc(k.Key), esc(k.BaseValue), esc(strings.Join(vals, " · ")), biHTML(ev), bnum(float64(len(zones)), 0))
	}
	b.WriteString("</tbody></table></section>\n")
}

// tornadoChart is a horizontal bar per key: the difference from the base of
// val at the low and at the high end of the key's range, largest swing on
// top.
func tornadoChart(id string, s *Sweep, base PlanTotals, val func(PlanTotals) float64, fmtJS string) (mpChart, error) {
	type bar struct {
		key             string
		low, high       float64
		lowVal, highVal string
	}
	var bars []bar
	for _, k := range s.Keys {
		if len(k.Points) == 0 {
			continue
		}
		lo, hi := k.Points[0], k.Points[len(k.Points)-1]
		bars = append(bars, bar{k.Key, val(lo.Totals) - val(base), val(hi.Totals) - val(base), lo.Value, hi.Value})
	}
	swing := func(b bar) float64 { return math.Max(math.Abs(b.low), math.Abs(b.high)) + math.Abs(b.high-b.low) }
	sort.SliceStable(bars, func(i, j int) bool { return swing(bars[i]) < swing(bars[j]) }) // echarts draws the first category at the bottom
	spec := mpChart{id: id, height: strconv.Itoa(120+36*len(bars)) + "px"}
	cats := make([]string, len(bars))
	for i, b := range bars {
		cats[i] = b.key
	}
	for li, l := range langs {
		c := charts.NewBar()
		c.SetGlobalOptions(append(baseOpts(id, spec.height),
			charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item",
				Formatter: opts.FuncOpts(`function (p) { return p.marker + p.seriesName + ' (' + p.data.at + '): ' + (p.value > 0 ? '+' : '') + (` + fmtJS + `)(p.value); }`)}),
			charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
			charts.WithGridOpts(opts.Grid{Left: "240", Right: "40", Top: "40", Bottom: "30"}),
			charts.WithXAxisOpts(opts.XAxis{Type: "value", AxisLabel: &opts.AxisLabel{Formatter: opts.FuncOpts(fmtJS)}}),
			charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: cats}),
		)...)
		for si, side := range []struct {
			label string
			color string
			v     func(bar) (float64, string)
		}{{"sw.low", "#4e79a7", func(b bar) (float64, string) { return b.low, b.lowVal }},
			{"sw.high", "#e15759", func(b bar) (float64, string) { return b.high, b.highVal }}} {
			data := make([]any, len(bars))
			for i, b := range bars {
				v, at := side.v(b)
				data[i] = map[string]any{"value": roundTo(v, 2), "at": at}
			}
			c.AddSeries(ml(side.label).in(l), nil, charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
				ss.Color = side.color
				ss.Data = data
				if si == 1 {
					ss.BarGap = "-100%" // both ends on one row
				}
			}))
		}
		js, err := optionJS(c)
		if err != nil {
			return spec, err
		}
		spec.opt[li] = js
	}
	return spec, nil
}

// curveChart draws a key's plans: CAPEX, present and public cost (left
// axis) and the share meeting the target (right axis) against the value.
func curveChart(i int, k *SweepKey) (mpChart, error) {
	spec := mpChart{id: "chart-curve-" + strconv.Itoa(i), height: "340px"}
	xType := "category"
	if k.Numeric {
		xType = "value"
	}
	for li, l := range langs {
		line := charts.NewLine()
		line.SetGlobalOptions(append(baseOpts(spec.id, spec.height),
			charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
			charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
			charts.WithGridOpts(opts.Grid{Left: "90", Right: "70", Top: "40", Bottom: "50"}),
			charts.WithXAxisOpts(opts.XAxis{Type: xType, Name: k.Key, NameLocation: "middle", NameGap: 30, Scale: opts.Bool(true),
				AxisLabel: &opts.AxisLabel{Formatter: opts.FuncOpts(`function (v) { return typeof v === 'number' ? mpNum(v, v % 1 ? 2 : 0) : v; }`)}}),
			charts.WithYAxisOpts(opts.YAxis{Type: "value", AxisLabel: &opts.AxisLabel{Formatter: opts.FuncOpts(`function (v) { return mpEUR(v); }`)}}),
		)...)
		line.ExtendYAxis(opts.YAxis{Type: "value", Max: 100, Min: 0, Name: "%", Position: "right"})
		if !k.Numeric {
			vals := make([]string, len(k.Points))
			for j, p := range k.Points {
				vals[j] = p.Value
			}
			line.SetXAxis(vals)
		}
		for _, f := range []struct {
			key   string
			color string
			axis  int
			v     func(PlanTotals) float64
		}{{"row.capex", "#e15759", 0, func(t PlanTotals) float64 { return roundTo(t.CapexEUR, 0) }},
			{"row.present", "#1f6fb2", 0, func(t PlanTotals) float64 { return roundTo(t.PresentEUR, 0) }},
			{"row.public", "#59a14f", 0, func(t PlanTotals) float64 { return roundTo(t.PublicEUR, 0) }},
			{"row.share", "#9c755f", 1, func(t PlanTotals) float64 { return roundTo(100*t.Share(), 2) }}} {
			data := make([]opts.LineData, len(k.Points))
			for j, p := range k.Points {
				if k.Numeric {
					data[j] = opts.LineData{Value: [2]float64{p.X, f.v(p.Totals)}}
				} else {
					data[j] = opts.LineData{Value: f.v(p.Totals)}
				}
			}
			line.AddSeries(ml(f.key).in(l), data, charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
				ss.Color = f.color
				ss.YAxisIndex = f.axis
			}))
		}
		js, err := optionJS(line)
		if err != nil {
			return spec, err
		}
		spec.opt[li] = js
	}
	return spec, nil
}

func writeSweepTable(b *strings.Builder, s *Sweep, base PlanTotals) {
	b.WriteString(`<section id="plans"><h2>` + string(biHTML(ml("sw.table"))) + "</h2>\n")
	b.WriteString(`<div class="tablewrap"><table id="plans-table" class="sortable"><thead><tr>`)
	writeHeads(b, "sw.key", "n:sw.value", "n:row.public", "n:row.present", "n:row.capex", "n:row.meet", "n:sw.changed")
	b.WriteString("</tr></thead><tbody>\n")
	row := func(key, value string, t PlanTotals, changed int) {
		fmt.Fprintf(b, `<tr><td><code>%s</code></td><td class="n">%s</td><td class="n" data-v="%.0f">%s</td><td class="n" data-v="%.0f">%s</td><td class="n" data-v="%.0f">%s</td><td class="n" data-v="%d">%s</td><td class="n" data-v="%d">%s</td></tr>`+"\n",
			esc(key), esc(value), t.PublicEUR, biEUR(t.PublicEUR), t.PresentEUR, biEUR(t.PresentEUR), t.CapexEUR, biEUR(t.CapexEUR),
			t.MeetTarget, bint(t.MeetTarget), changed, bint(changed))
	}
	row("base", "", base, 0)
	for _, k := range s.Keys {
		for _, p := range k.Points {
			row(k.Key, p.Value, p.Totals, p.Changed)
		}
	}
	b.WriteString("</tbody></table></div></section>\n")
}

func writeSweepFlips(b *strings.Builder, s *Sweep, maxRows int) {
	b.WriteString(`<section id="flips"><h2>` + string(biHTML(ml("sw.flips"))) + `</h2><p class="doc">` + string(biHTML(ml("sw.flips.doc"))) + "</p>\n")
	n := 0
	for _, k := range s.Keys {
		n += len(k.Flips)
	}
	if n == 0 {
		b.WriteString(`<p class="note" id="no-flip">` + string(biHTML(ml("sw.noflip"))) + "</p></section>\n")
		return
	}
	if n > maxRows {
		b.WriteString(`<p class="note">` + string(biHTML(mlf("sw.capped", func(l lang) []any { return []any{fmtInt(maxRows, l), fmtInt(n, l)} }))) + "</p>\n")
	}
	b.WriteString(`<div class="tablewrap"><table id="flips-table" class="sortable"><thead><tr>`)
	writeHeads(b, "col.id", "col.zone", "sw.key", "sw.from", "sw.dir", "n:sw.last", "n:sw.at", "sw.to")
	b.WriteString("</tr></thead><tbody>\n")
	rows := 0
	for _, k := range s.Keys {
		for _, f := range k.Flips {
			if rows == maxRows {
				break
			}
			rows++
			zp := &s.Base.Zones[f.Zone]
			zone := &s.Input.Zones[zp.Zone]
			fmt.Fprintf(b, "<tr><td>%s</td><td>%s</td><td><code>%s</code></td><td>%s</td><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td>%s</td></tr>\n",
				esc(zone.ID), esc(zone.Name), esc(k.Key), techDot(zp.Chosen), esc(f.Direction), esc(f.LastBase), esc(f.Value), techDot(f.Tech))
		}
	}
	b.WriteString("</tbody></table></div></section>\n")
}
