package render

import (
	"html/template"

	"github.com/covplan/covplan/coverage"
)

// techRow is one row of the technology mix table.
type techRow struct {
	Color    string
	Code     string
	Name     template.HTML
	Zones    template.HTML
	Premises template.HTML // premises of the zones choosing it
	Share    template.HTML // their share of the premises in zones
	Served   template.HTML // premises it serves (a mixed zone splits)
	Units    template.HTML
	Capex    template.HTML
	Present  template.HTML
	Public   template.HTML
}

// techRows is the technology mix, from the plan's totals by technology,
// and the total row.
func techRows(p *coverage.Plan) (rows []techRow, total techRow) {
	for _, tc := range reportTechs {
		tt := &p.ByTech[tc]
		if tc == coverage.TechNone && tt.Zones == 0 && p.ServedBy[tc] == 0 {
			continue
		}
		rows = append(rows, techRow{
			Color: techColors[tc], Code: tc.String(), Name: biHTML(techLabels[tc]),
			Zones: bint(tt.Zones), Premises: bint(tt.Premises), Share: biShare(shareOf(tt.Premises, p.Total.Premises)),
			Served: bint(p.ServedBy[tc]), Units: bint(tt.Units),
			Capex: biMoney(tt.CapexEUR), Present: biMoney(tt.PresentCostEUR), Public: biMoney(tt.PublicCostEUR),
		})
	}
	t := &p.Total
	total = techRow{Zones: bint(t.Zones), Premises: bint(t.Premises), Share: biShare(shareOf(t.Premises, t.Premises)),
		Served: bint(t.Premises), Units: bint(t.Units),
		Capex: biMoney(t.CapexEUR), Present: biMoney(t.PresentCostEUR), Public: biMoney(t.PublicCostEUR)}
	return rows, total
}

// reachRow is the reach of the target for one kind of premise.
type reachRow struct {
	Kind                     template.HTML
	Priority                 bool
	Premises, Reached, Share template.HTML
}

// reachRows is the reach of the target by kind of premise in the zones,
// as summary.json gives it; nil when the plan counts no kinds.
func reachRows(p *coverage.Plan) []reachRow {
	prio := map[coverage.Kind]bool{}
	for _, k := range p.Scenario.Priority {
		prio[k] = true
	}
	var rows []reachRow
	for k := coverage.Kind(0); k < coverage.NumKinds; k++ {
		n, r := p.InZonesByKind[k], p.ReachedByKind[k]
		if n == 0 {
			continue
		}
		rows = append(rows, reachRow{Kind: biHTML(kindLabels[k]), Priority: prio[k],
			Premises: bint(n), Reached: bint(r), Share: biShare(shareOf(r, n))})
	}
	return rows
}

// rolloutRow is one year of the rollout table.
type rolloutRow struct {
	Year     template.HTML
	Zones    template.HTML
	Premises template.HTML
	Reached  template.HTML
	Capex    template.HTML
	Public   template.HTML
	Cumul    template.HTML
	Unsched  bool
}

func rolloutRows(d *reportData) []rolloutRow {
	var rows []rolloutRow
	for _, y := range d.rollout {
		r := rolloutRow{Year: biHTML(yearLabel(y.Year, d.src.Meta.StartYear)), Zones: bint(y.Zones), Premises: bint(y.Premises),
			Reached: bint(y.Reached), Capex: biMoney(y.Capex), Public: biMoney(y.Public), Cumul: "–", Unsched: y.Year == 0}
		if y.Year > 0 {
			r.Cumul = bint(y.Cumul)
		}
		rows = append(rows, r)
	}
	return rows
}

func shareOf(n, tot int) float64 {
	if tot <= 0 {
		return 0
	}
	return float64(n) / float64(tot)
}
