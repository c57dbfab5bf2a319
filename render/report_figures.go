package render

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/covplan/covplan/coverage"
)

// figure is one key figure: a value, what it is, and for money its basis
// (one-off, yearly, or discounted over the horizon).
type figure struct {
	ID    string
	Key   template.HTML
	Value template.HTML
	Note  template.HTML
	Basis template.HTML
}

// figureGroup is a row of key figures under a title.
type figureGroup struct {
	Title template.HTML
	Figs  []figure
}

// basisPV is the basis of present values: "discounted over 20 years at 4 %".
func basisPV(p *coverage.Plan) bi {
	if !hasScenario(p) {
		return label("basis.pv.unknown")
	}
	sc := &p.Scenario
	return biSprintf("basis.pv", func(l lang) []any {
		return []any{sc.HorizonYears, fmtShare(sc.DiscountRate, l)}
	})
}

// withBasis appends a basis to a label: "Coût public (actualisé sur 20 ans à 4 %)".
func withBasis(name, basis bi) bi {
	return bi{name.fr + " (" + basis.fr + ")", name.en + " (" + basis.en + ")"}
}

// keyFigures are the figures at the top of the page, all read from the
// plan's totals: the same numbers summary.json and the command line show.
func keyFigures(d *reportData) []figureGroup {
	p := d.plan
	tot := &p.Total
	pct := func(n, of int) template.HTML {
		return biHTML(biVal(func(l lang) string {
			if of == 0 {
				return "–"
			}
			return fmtPct(shareOf(n, of), l)
		}))
	}
	cov := figureGroup{Title: t("fig.g.coverage")}
	note := biSprintf("fig.units.note", func(l lang) []any { return []any{fmtInt(tot.Units, l)} })
	if p.Unzoned > 0 {
		note = biSprintf("fig.premises.unzoned", func(l lang) []any { return []any{fmtInt(tot.Units, l), fmtInt(p.Unzoned, l)} })
	}
	cov.Figs = append(cov.Figs,
		figure{ID: "premises", Key: t("fig.premises"), Value: bint(tot.Premises), Note: biHTML(note)},
		figure{ID: "reached", Key: t("fig.reached"), Value: pct(p.MeetTarget, tot.Premises),
			Note: biHTML(biSprintf("fig.reached.note", func(l lang) []any {
				return []any{fmtInt(p.MeetTarget, l), fmtInt(tot.Premises, l), targetName(p.Scenario.Target).in(l)}
			}))},
	)
	if d.phased {
		last := p.Rollout[len(p.Rollout)-1]
		cov.Figs = append(cov.Figs,
			figure{ID: "programmed", Key: biHTML(biSprintf("fig.programmed", func(l lang) []any {
				return []any{yearLabel(last.Year, d.src.Meta.StartYear).in(l)}
			})), Value: bint(p.ProgrammedReached),
				Note: biHTML(biSprintf("fig.programmed.note", func(l lang) []any {
					return []any{fmtInt(tot.Zones-p.NotProgrammed.Zones, l), fmtInt(last.CumZonePremises, l)}
				}))},
		)
		if p.NotProgrammed.ZonePremises > 0 {
			cov.Figs = append(cov.Figs, figure{ID: "notprogrammed", Key: t("fig.notprogrammed"), Value: bint(p.NotProgrammed.ZonePremises),
				Note: biHTML(biSprintf("fig.notprogrammed.note", func(l lang) []any {
					return []any{nZones(p.NotProgrammed.Zones-(tot.Zones-p.ZonesWithPremises), l)}
				}))})
		}
	} else if p.ZonesWithoutOption > 0 {
		cov.Figs = append(cov.Figs, figure{ID: "nooption", Key: t("fig.nooption"), Value: bint(p.ZonesWithoutOption),
			Note: biHTML(biSprintf("fig.nooption.note", func(l lang) []any { return []any{fmtInt(p.ByTech[coverage.TechNone].Premises, l)} }))})
	}

	money := figureGroup{Title: t("fig.g.money")}
	pv, once, yearly := biHTML(basisPV(p)), t("basis.once"), t("basis.yearly")
	served := p.PremisesServed
	perServed := func(v float64) template.HTML {
		if served == 0 {
			return "–"
		}
		return biMoney(v / float64(served))
	}
	money.Figs = append(money.Figs,
		figure{ID: "capex", Key: t("fig.capex"), Value: biMoney(tot.CapexEUR), Basis: once,
			Note: biHTML(biSprintf("fig.perserved", func(l lang) []any { return []any{fmtMoney(tot.CapexEUR/float64(max(served, 1)), l)} }))},
		figure{ID: "opex", Key: t("fig.opex"), Value: biMoney(tot.OpexEURPerYear), Basis: yearly},
		figure{ID: "present", Key: t("fig.present"), Value: biMoney(tot.PresentCostEUR), Basis: pv, Note: t("fig.present.note")},
		figure{ID: "public", Key: t("fig.public"), Value: biMoney(tot.PublicCostEUR), Basis: pv, Note: t("fig.public.note")},
	)
	if tot.NPVZones > 0 {
		money.Figs = append(money.Figs, figure{ID: "npv", Key: t("fig.npv"), Value: biMoney(tot.NPVEUR), Basis: pv,
			Note: biHTML(biSprintf("fig.npv.note", func(l lang) []any { return []any{fmtInt(tot.NPVZones, l), fmtInt(tot.Zones, l)} }))})
	}
	money.Figs = append(money.Figs, figure{ID: "cpp", Key: t("fig.cpp"), Value: perServed(tot.PresentCostEUR), Basis: pv,
		Note: biHTML(biSprintf("fig.cpp.note", func(l lang) []any { return []any{fmtInt(served, l)} }))})
	return []figureGroup{cov, money}
}

// scenarioLine sums the scenario up in one line for the header and cover.
func scenarioLine(d *reportData) template.HTML {
	p := d.plan
	if !hasScenario(p) {
		return t("fig.noscenario")
	}
	sc := &p.Scenario
	fid := label("fid.premise")
	if d.zoneLevel {
		fid = label("fid.zone")
	}
	return biHTML(biVal(func(l lang) string {
		sprintf := func(key string, v bi) string { return strings.Replace(label(key).in(l), "%s", v.in(l), 1) }
		return strings.Join([]string{
			sprintf("line.target", targetName(sc.Target)),
			sprintf("line.policy", policyText(sc.Policy)),
			sprintf("line.rank", rankText(sc.Rank())),
			fid.in(l),
		}, " · ")
	}))
}

// hasScenario tells whether the plan carries the scenario it was made
// under (hand-built plans may not).
func hasScenario(p *coverage.Plan) bool {
	return p.Scenario.Target.Name != "" || p.Scenario.Policy != ""
}

// programmeText states what the plan programmes and what it leaves out,
// from the plan's totals.
func programmeText(d *reportData) template.HTML {
	p := d.plan
	if p.Total.Zones == 0 {
		return ""
	}
	if !d.phased {
		return biHTML(biVal(func(l lang) string {
			s := fmt.Sprintf(label("prog.all").in(l), nZones(p.ZonesWithPremises-p.ZonesWithoutOption, l), nPremises(p.ChosenPremises, l))
			if n := p.ZonesWithoutOption; n > 0 {
				s += " " + biCount("prog.nooption", n, func(l lang) []any {
					return []any{nZones(n, l), nPremises(p.ByTech[coverage.TechNone].Premises, l)}
				}).in(l)
			}
			if empty := p.ZonesWithoutPremises; empty > 0 {
				s += " " + biCount("prog.empty", empty, func(l lang) []any { return []any{nZones(empty, l)} }).in(l)
			}
			return s
		}))
	}
	first, last := p.Rollout[0], p.Rollout[len(p.Rollout)-1]
	start := d.src.Meta.StartYear
	return biHTML(biVal(func(l lang) string {
		s := fmt.Sprintf(label("prog.phased").in(l), nZones(p.Total.Zones-p.NotProgrammed.Zones, l), nPremises(last.CumZonePremises, l),
			yearLabel(first.Year, start).in(l), yearLabel(last.Year, start).in(l), fmtMoney(p.Scenario.AnnualBudgetEUR, l))
		// the zones without premises are never programmed: they need nothing
		empty := p.ZonesWithoutPremises
		if n := p.NotProgrammed.Zones - empty; n > 0 {
			s += " " + biCount("prog.notprogrammed", n, func(l lang) []any { return []any{nZones(n, l), nPremises(p.NotProgrammed.ZonePremises, l)} }).in(l)
		} else {
			s += " " + label("prog.allprogrammed").in(l)
		}
		if empty > 0 {
			s += " " + biCount("prog.empty", empty, func(l lang) []any { return []any{nZones(empty, l)} }).in(l)
		}
		return s
	}))
}
