package render

import (
	"html/template"
	"slices"
	"strings"

	"github.com/covplan/covplan/coverage"
)

// warning is one line of the warnings panel: whatever changed the meaning
// of the plan. ID names its kind for tests and styling.
type warning struct {
	ID   string
	Text template.HTML
}

// warnings lists what changed the meaning of the plan, from the plan's
// totals and the run's metadata, most serious first: premises left out of
// every zone, zones without an option or not programmed, options capped,
// records skipped or repaired, CRSs assumed, then the command's own
// warnings as given.
func warnings(d *reportData) []warning {
	p, meta := d.plan, &d.src.Meta
	var ws []warning
	add := func(id string, b bi) { ws = append(ws, warning{id, biHTML(b)}) }
	if p.Total.Zones > 0 && p.Total.Premises == 0 {
		add("nopremises", label("warn.nopremises"))
	}
	if p.Unzoned > 0 {
		ws = append(ws, unzonedWarning(p))
	}
	if p.ZonesWithoutOption > 0 {
		over := reasonCount(p, coverage.OverBudget).Zones
		key := "warn.nooption"
		if over > 0 {
			key = "warn.nooption.budget"
		}
		add("nooption", biCount(key, p.ZonesWithoutOption, func(l lang) []any {
			args := []any{nZones(p.ZonesWithoutOption, l), nPremises(p.ByTech[coverage.TechNone].Premises, l)}
			if over > 0 {
				args = append(args, fmtInt(over, l))
			}
			return args
		}))
	}
	if d.phased && p.Unscheduled.Zones > 0 {
		add("unscheduled", biCount("warn.unscheduled", p.Unscheduled.Zones, func(l lang) []any {
			return []any{nZones(p.Unscheduled.Zones, l), nPremises(p.Unscheduled.ZonePremises, l),
				fmtMoney(p.Scenario.AnnualBudgetEUR, l), p.Scenario.HorizonYears}
		}))
	}
	if n := reasonCount(p, coverage.WifiCapacity).ByOption[coverage.TechWifi]; n > 0 {
		add("wificap", biSprintf("warn.wificap", func(l lang) []any { return []any{nZones(n, l)} }))
	}
	for si, tc := range []coverage.Tech{coverage.TechLEO, coverage.TechGEO} {
		n := reasonCount(p, coverage.SatCapacity).ByOption[tc]
		ld := p.SatLoad[si]
		if n == 0 && ld.Full == 0 {
			continue
		}
		add("satcap-"+tc.String(), biSprintf("warn.satcap", func(l lang) []any {
			return []any{techLabels[tc].in(l), nZones(n, l), fmtInt(ld.Full, l), fmtInt(ld.Cells, l)}
		}))
	}
	return append(ws, inputWarnings(meta)...)
}

// inputWarnings are the warnings of a run that do not depend on its plan:
// records skipped (when the run gives no findings, which list them), CRS
// assumed, and what the command said (Meta.Warnings).
func inputWarnings(meta *Meta) []warning {
	var ws []warning
	add := func(id string, b bi) { ws = append(ws, warning{id, biHTML(b)}) }
	// records skipped are said here when the run gives no findings (which
	// list them, with examples: every skip is a finding too)
	if n, files := skipTotals(meta.Skipped); n > 0 && len(meta.Findings) == 0 {
		add("skipped", biCount("warn.skipped", n, func(l lang) []any { return []any{fmtInt(n, l), strings.Join(files, ", ")} }))
	}
	var crsCodes []string
	crsFiles := map[string][]string{}
	for _, in := range meta.Inputs {
		if crsAssumed(in.CRS) {
			c := crsCode(in.CRS)
			if crsFiles[c] == nil {
				crsCodes = append(crsCodes, c)
			}
			crsFiles[c] = append(crsFiles[c], in.Name)
		}
	}
	for _, c := range crsCodes {
		add("crs", biSprintf("warn.crs", func(l lang) []any { return []any{c, strings.Join(crsFiles[c], ", ")} }))
	}
	for _, w := range meta.Warnings {
		if w = strings.TrimSpace(w); w != "" {
			add("run", same(w))
		}
	}
	return ws
}

// finding is one of the run's findings about its inputs, as the warnings
// panel shows it.
type finding struct {
	Code     string
	File     string
	Severity template.HTML
	Text     template.HTML
	Hint     template.HTML
	Examples []string
}

// findings are the run's findings about its inputs (Meta.Findings), in
// the order the run said them, in the page's language where the report
// knows the finding's code. Premises outside every zone are left out:
// the plan's warning says them, with their examples (outsideExamples).
func findings(meta *Meta) []finding {
	var out []finding
	for _, f := range meta.Findings {
		if f.Code == "outside-zones" {
			continue
		}
		fr := finding{Code: f.Code, File: f.File, Examples: f.Examples}
		fr.Severity = biHTML(findingSeverity(f.Severity))
		text := findingText(f)
		// "zones sans ligne … (1)": the count after the words, which then
		// need not agree with it
		fr.Text = biHTML(bi{text.fr + " (" + fmtInt(f.Count, langFR) + ")", text.en + " (" + fmtInt(f.Count, langEN) + ")"})
		if h := findingHint(f); h.en != "" {
			fr.Hint = biHTML(h)
		}
		out = append(out, fr)
	}
	return out
}

// outsideExamples are the examples of the premises outside every zone.
func outsideExamples(meta *Meta) []string {
	for _, f := range meta.Findings {
		if f.Code == "outside-zones" {
			return f.Examples
		}
	}
	return nil
}

// reasonCount is the plan's count of reason code r (zero when absent).
func reasonCount(p *coverage.Plan, r coverage.Reason) coverage.ReasonCount {
	for _, c := range p.Reasons {
		if c.Code == r {
			return c
		}
	}
	return coverage.ReasonCount{Code: r}
}

// skipTotals counts the records of a skip list and names its files (in
// order of first appearance). These are counts of the run's metadata, not
// totals of the plan.
func skipTotals(sc []SkipCount) (n int, files []string) {
	for _, s := range sc {
		n += s.Count
		if s.Count > 0 && !slices.Contains(files, s.File) {
			files = append(files, s.File)
		}
	}
	return n, files
}

// crsAssumed tells whether a CRS note says the CRS was assumed, not
// declared or detected (geodata writes "…, assumed)" or "(assumed)").
func crsAssumed(crs string) bool { return strings.Contains(strings.ToLower(crs), "assumed") }

// crsCode is the code part of a CRS note: "EPSG:4326" of "EPSG:4326
// (WGS84 lon/lat, assumed)".
func crsCode(crs string) string {
	if i := strings.Index(crs, " ("); i > 0 {
		return crs[:i]
	}
	return crs
}

// runWarningsSection is the warnings panel of compare.html and sweep.html:
// premises outside every zone (from ref, the reference plan), the input
// warnings and the findings about the inputs; "" when there is none.
func runWarningsSection(meta *Meta, ref *coverage.Plan) template.HTML {
	var ws []warning
	if ref != nil && ref.Unzoned > 0 {
		ws = append(ws, unzonedWarning(ref))
	}
	ws = append(ws, inputWarnings(meta)...)
	fs := findings(meta)
	if len(ws) == 0 && len(fs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<section id="warnings"><h2>` + string(biHTML(label("warn.title"))) + "</h2>\n")
	if len(ws) > 0 {
		b.WriteString("<ul>\n")
		for _, w := range ws {
			b.WriteString(`<li data-w="` + esc(w.ID) + `">` + string(w.Text) + "</li>\n")
		}
		b.WriteString("</ul>\n")
	}
	if len(fs) > 0 {
		b.WriteString("<h3>" + string(biHTML(label("warn.findings"))) + "</h3>\n<ul class=\"findings\">\n")
		for _, f := range fs {
			b.WriteString(`<li data-f="` + esc(f.Code) + `"><b>` + esc(f.File) + "</b> : " + string(f.Text) + ` <span class="sev">` + string(f.Severity) + "</span>")
			if f.Hint != "" {
				b.WriteString(" — " + string(f.Hint))
			}
			b.WriteString("</li>\n")
		}
		b.WriteString("</ul>\n")
	}
	b.WriteString("</section>\n")
	return template.HTML(b.String())
}

// unzonedWarning says how many of p's premises lie outside every zone.
func unzonedWarning(p *coverage.Plan) warning {
	return warning{"unzoned", biHTML(biCount("warn.unzoned", p.Unzoned, func(l lang) []any {
		return []any{nPremises(p.Unzoned, l), fmtPct(shareOf(p.Unzoned, p.Premises), l)}
	}))}
}
