package render

import (
	"html/template"
	"regexp"
	"strconv"
	"strings"

	"github.com/covplan/covplan/coverage"
)

// scripts fills the page's scripts: echarts, the labels and settings the
// page script reads, the data blocks and the chart options.
func scripts(d *reportData, pg *reportPage) error {
	pg.TechCSS, pg.DotCSS = techCSS()
	if pg.Charts {
		pg.Echarts = template.JS(scriptSafe(string(echartsJS)))
	}
	js, err := jsonJS(scriptLabels(d))
	if err != nil {
		return err
	}
	pg.Labels = template.JS(js)
	if js, err = jsonJS(scriptConfig(d)); err != nil {
		return err
	}
	pg.Config = template.JS(js)

	blocks := [][2]any{{"cp-zones", d.zones.JSON}}
	if d.zmap != nil {
		blocks = append(blocks, [2]any{"cp-geo", d.zmap.JSON}, [2]any{"cp-layers", d.layers.JSON})
	}
	for _, b := range blocks {
		blk, err := newBlock(b[0].(string), b[1].([]byte))
		if err != nil {
			return err
		}
		pg.Blocks = append(pg.Blocks, pageBlock{ID: blk.ID, Deflated: blk.Deflated, JS: template.JS(blk.Text)})
	}

	specs, err := chartSpecs(d, pg)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("[")
	for i, s := range specs {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n{id: \"" + s.ID + "\", opt: {")
		for li, l := range langs {
			if li > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n" + string(l) + ": ")
			b.WriteString(optionSafe(s.Opt[li]))
		}
		b.WriteString("}}")
		pg.ChartIDs[s.ID] = true
	}
	b.WriteString("]")
	pg.ChartOpts = template.JS(b.String())
	pg.Script = template.JS(scriptSafe(mapJS + pageJS))
	return nil
}

// chartSpecs builds the charts the page has data for.
func chartSpecs(d *reportData, pg *reportPage) ([]chartSpec, error) {
	if !pg.Charts || pg.Empty {
		return nil, nil
	}
	builders := []func(*reportData) (chartSpec, error){techMixChart}
	if len(d.plan.CostCurve) > 1 {
		builders = append(builders, costCurveChart)
	}
	if pg.HasDist {
		builders = append(builders, histogramChart)
	}
	if pg.Phased {
		builders = append(builders, rolloutChart)
	}
	var specs []chartSpec
	for _, f := range builders {
		s, err := f(d)
		if err != nil {
			return nil, err
		}
		specs = append(specs, s)
	}
	return specs, nil
}

// techShort names the technologies in one or two words (table, panel).
var techShort = [coverage.NumTechs]bi{
	coverage.TechNone:  {"Aucune", "None"},
	coverage.TechFibre: {"Fibre", "Fibre"},
	coverage.TechWifi:  {"THD radio", "Wireless"},
	coverage.TechLEO:   {"LEO", "LEO"},
	coverage.TechGEO:   {"GEO", "GEO"},
}

// scriptLabelKeys are the labels the page script reads, by the name it
// reads them under: "panel.x" goes to T[lang].panel.x.
var scriptLabelKeys = []string{
	"filter:tbl.filter", "shown:tbl.shown", "yes:yes", "no:no", "notProgrammed:roll.unphased", "yearN:js.yearn", "clickZone:js.click", "chosenMark:js.chosen",
	"cols.tech:col.tech", "cols.premises:col.premises", "cols.cpp:col.cpp",
	"panel.premises:panel.premises", "panel.built:panel.built", "panel.feasible:panel.feasible", "panel.served:panel.served",
	"panel.unserved:panel.unserved", "panel.speed:panel.speed", "panel.latency:panel.latency", "panel.capex:panel.capex",
	"panel.capexPer:panel.capexper", "panel.opex:panel.opex", "panel.network:panel.network", "panel.subscribers:panel.subscribers",
	"panel.revenue:panel.revenue", "panel.present:panel.present", "panel.presentPer:panel.presentper", "panel.subsidy:panel.subsidy",
	"panel.public:panel.public", "panel.publicPer:panel.publicper", "panel.npv:panel.npv", "panel.rank:panel.rank",
	"panel.reasons:panel.reasons", "panel.basis:panel.basis",
	"why.noprem:why.noprem", "why.none:why.none", "why.overBudget:why.overbudget", "why.others:why.others",
	"why.least:why.least", "why.mixed:why.mixed", "why.fibreFirst:why.fibrefirst", "why.overThreshold:why.overthreshold",
	"why.budgetCapex:why.budgetcapex", "why.budgetRank:why.budgetrank", "why.band:why.band", "why.policy:why.policy",
	"why.fallback:why.fallback", "why.cheaperOut:why.cheaperout", "why.offer:why.offer", "why.on:why.on", "why.bandOut:why.bandout", "why.ruled:why.ruled", "why.year:why.year", "why.unscheduled:why.unscheduled",
	"why.meets:why.meets", "why.notMeets:why.notmeets",
}

// scriptLabels are the texts the page script writes, per language.
func scriptLabels(d *reportData) map[string]map[string]any {
	codes := d.zones.Codes
	out := map[string]map[string]any{}
	for _, l := range langs {
		m := map[string]any{}
		names, short := make([]string, coverage.NumTechs), make([]string, coverage.NumTechs)
		for i := range names {
			names[i], short[i] = techLabels[i].in(l), techShort[i].in(l)
		}
		m["tech"], m["techShort"] = names, short
		rl, rs := make([]string, len(codes)), make([]string, len(codes))
		for i, c := range codes {
			rl[i], rs[i] = reasonText(c, false).in(l), reasonText(c, true).in(l)
		}
		m["rlong"], m["rshort"] = rl, rs
		items := map[string]string{}
		for c := range coverage.NumCostItems {
			items[strconv.Itoa(int(c))] = itemLabels[c].in(l)
		}
		m["items"] = items
		ranks, pols := map[string]string{}, map[string]string{}
		for r, b := range rankLabels {
			ranks[string(r)] = b.in(l)
		}
		for p, b := range policyLabels {
			pols[string(p)] = b.in(l)
		}
		m["rank"], m["policy"] = ranks, pols
		for _, kv := range scriptLabelKeys {
			name, key, _ := strings.Cut(kv, ":")
			if group, sub, ok := strings.Cut(name, "."); ok {
				g, _ := m[group].(map[string]string)
				if g == nil {
					g = map[string]string{}
					m[group] = g
				}
				g[sub] = label(key).in(l)
				continue
			}
			m[name] = label(key).in(l)
		}
		out[string(l)] = m
	}
	return out
}

// scriptConfig is the scenario and run settings the page script reads.
func scriptConfig(d *reportData) map[string]any {
	sc := &d.plan.Scenario
	codes := make([]string, len(d.zones.Codes))
	for i, c := range d.zones.Codes {
		codes[i] = string(c)
	}
	return map[string]any{
		"lang": string(d.lang), "startYear": d.src.Meta.StartYear, "codes": codes,
		"policy": string(sc.Policy), "rank": string(sc.Rank()), "threshold": sc.ThresholdEUR, "band": sc.BandShare,
		"prio": int(sc.PriorityTech), "budget": sc.BudgetEUR, "budgetPick": sc.BudgetPick,
		"horizon": sc.HorizonYears, "rate": sc.DiscountRate,
		"printRows": printRows, "layers": layerStyles(mapLayerList(d)),
		"techColors": techColors, "zoneColors": zoneColors(),
	}
}

// zoneColors are the fill colours of the zones on the map, by chosen
// technology: tints, so that the premises, in full colour, show on them.
func zoneColors() []string {
	out := make([]string, coverage.NumTechs)
	for t := range out {
		out[t] = tint(techColors[t], 0.45)
	}
	return out
}

// scriptSafe makes text safe inside an HTML <script> element: "</script"
// and "<!--" cannot occur in it. Both only occur inside string literals,
// regular expressions or comments of the scripts the page embeds, where
// the escaped forms mean the same.
func scriptSafe(s string) string {
	s = closeScript.ReplaceAllStringFunc(s, func(m string) string { return `<\/` + m[2:] })
	return strings.ReplaceAll(s, "<!--", `<\!--`)
}

var closeScript = regexp.MustCompile(`(?i)</script`)

// optionSafe makes echarts option text (JSON with functions) safe inside
// <script>: "</" only occurs in string literals there.
func optionSafe(s string) string {
	s = strings.ReplaceAll(s, "</", `<\/`)
	return strings.ReplaceAll(s, "<!--", `<\u0021--`)
}
