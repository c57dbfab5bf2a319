package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/covplan/covplan/coverage"
)

// ReportOptions tunes WriteReport. The zero value is a complete English
// report with the default size caps.
type ReportOptions struct {
	// Lang is the language the page opens in: "fr" or "en" ("" = "en").
	// Both languages are always in the page, with a toggle.
	Lang string
	// RequireAssets makes WriteReport fail with ErrNoEcharts when this
	// build has no embedded echarts, instead of writing a report whose
	// charts are replaced by a banner.
	RequireAssets bool
	// MaxMapPremises caps the premises drawn on the map (a deterministic
	// sample): 0 means DefaultMaxMapPremises, a negative value none.
	MaxMapPremises int
	// MaxMapVertices caps the vertices of the zone outlines on the map,
	// which are simplified to fit: 0 means DefaultMaxMapVertices.
	MaxMapVertices int
	// MaxTableZones caps the rows of the zone table: 0 means
	// DefaultMaxTableZones, a negative value no cap.
	MaxTableZones int
}

// Default size caps of the report. With them a national plan (35,000
// communes, 10 million premises) gives a page of about 15 MB.
const (
	DefaultMaxMapPremises = 20000
	DefaultMaxMapVertices = 250000
	DefaultMaxTableZones  = 50000
)

// repZone is one zone of the plan as the report shows it.
type repZone struct {
	Index          int // input zone index
	ID, Name       string
	Premises       int
	Units          int
	Tech           coverage.Tech
	CostPerPremise float64 // NPV per premise of the chosen option; NaN when none
	NPV, Capex     float64
	Opex, Public   float64
	Down, Up       float64
	Latency        float64
	Meets          bool
	Reasons        string // codes joined by a space
	Year           int
}

// reportData is everything the page shows, computed once.
type reportData struct {
	lang     lang
	src      *Source
	rows     []repZone
	zoneTech []coverage.Tech // chosen technology per input zone

	// plan is the plan whose totals the page shows (src.Plan).
	plan *coverage.Plan

	curve   []coverage.CurvePoint
	hist    histogram
	rollout []rolloutYear
	sample  premiseSample
	zmap    *zoneMap
}

// WriteReport writes report.html: one self-contained page (echarts inlined,
// no network access) with the key figures, technology mix, cost curve, cost
// distribution, rollout, a map of zones and premises, a sortable and
// filterable table of every zone (up to opt.MaxTableZones), and the inputs,
// frame, skipped records and scenario parameters, in French and English.
//
// The output depends only on src and opt: the same inputs give the same
// bytes (no clock, no random ids, sorted data, fixed float formatting).
// Without embedded echarts the page still has every table and a banner
// saying that charts need `make assets`, unless opt.RequireAssets.
func WriteReport(w io.Writer, src *Source, opt ReportOptions) error {
	l, err := parseLang(opt.Lang)
	if err != nil {
		return err
	}
	if src == nil || src.Plan == nil {
		return errors.New("render: report: no plan")
	}
	if src.Input == nil {
		return errors.New("render: report: no input")
	}
	if !HasEcharts() && opt.RequireAssets {
		return ErrNoEcharts
	}
	if src.ZonesLL != nil && len(src.ZonesLL) != len(src.Input.Zones) {
		return fmt.Errorf("render: report: %d zone outlines for %d zones", len(src.ZonesLL), len(src.Input.Zones))
	}
	if n := len(src.Plan.PremiseTech); n != 0 && n != len(src.Input.Premises) { // a hand-built plan's
		return fmt.Errorf("render: report: %d premise technologies for %d premises", n, len(src.Input.Premises))
	}
	if n := len(src.Measures); n != 0 && n != len(src.Input.Premises) {
		return fmt.Errorf("render: report: %d premise measures for %d premises", n, len(src.Input.Premises))
	}
	opt = withDefaults(opt)

	d, err := prepare(src, l, opt)
	if err != nil {
		return err
	}
	page, err := buildPage(d, opt)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := pageTemplate.Execute(bw, page); err != nil {
		return fmt.Errorf("render: report: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("render: report: %w", err)
	}
	return nil
}

func withDefaults(opt ReportOptions) ReportOptions {
	if opt.MaxMapPremises == 0 {
		opt.MaxMapPremises = DefaultMaxMapPremises
	}
	if opt.MaxMapVertices <= 0 {
		opt.MaxMapVertices = DefaultMaxMapVertices
	}
	if opt.MaxTableZones == 0 {
		opt.MaxTableZones = DefaultMaxTableZones
	}
	return opt
}

// prepare computes the rows, totals and chart data from the plan.
func prepare(src *Source, l lang, opt ReportOptions) (*reportData, error) {
	p, in := src.Plan, src.Input
	d := &reportData{lang: l, src: src, zoneTech: make([]coverage.Tech, len(in.Zones))}
	d.rows = make([]repZone, 0, len(p.Zones))
	for i := range p.Zones {
		zp := &p.Zones[i]
		if zp.Zone < 0 || zp.Zone >= len(in.Zones) {
			return nil, fmt.Errorf("render: report: zone plan %d refers to zone %d of %d", i, zp.Zone, len(in.Zones))
		}
		tech := zp.Chosen
		if tech >= coverage.NumTechs {
			return nil, fmt.Errorf("render: report: zone plan %d (zone %q) has technology %v", i, in.Zones[zp.Zone].ID, tech)
		}
		o := zp.ChosenOption()
		r := repZone{
			Index: zp.Zone, ID: in.Zones[zp.Zone].ID, Name: in.Zones[zp.Zone].Name,
			Premises: zp.Premises, Units: zp.Units, Tech: tech,
			CostPerPremise: math.NaN(),
			NPV:            o.PresentCostEUR, Capex: o.CapexEUR, Opex: o.OpexEURPerYear, Public: o.PublicCostEUR,
			Down: o.DownMbps, Up: o.UpMbps, Latency: o.LatencyMs,
			Meets: zp.MeetsTarget, Year: zp.Year,
		}
		if tech != coverage.TechNone {
			r.CostPerPremise = o.PresentCostPerPremiseEUR
			if o.PremisesServed == 0 && zp.Premises > 0 {
				r.CostPerPremise = o.PresentCostEUR / float64(zp.Premises)
			}
		}
		rs := make([]string, len(zp.Reasons))
		for k, c := range zp.Reasons {
			rs[k] = string(c)
		}
		r.Reasons = strings.Join(rs, " ")
		d.rows = append(d.rows, r)
		d.zoneTech[zp.Zone] = tech
	}
	d.plan = p
	d.curve = p.CostCurve
	d.hist = costHistogram(d)
	d.rollout = rolloutYears(d)
	if !zoneLevel(src) {
		d.sample = samplePremises(src, d, opt.MaxMapPremises)
	}
	if src.ZonesLL != nil {
		zm := buildZoneMap(src.ZonesLL, opt.MaxMapVertices)
		if zm.Zones > 0 {
			d.zmap = &zm
		}
	}
	return d, nil
}

func zoneLevel(src *Source) bool { return src.Plan.ZoneLevel || len(src.Input.Premises) == 0 }

// page is what the template renders.
type reportPage struct {
	Lang      lang
	Title     template.HTML
	SubTitle  string
	Version   string
	NoAssets  bool
	Empty     bool
	Figures   []keyFigure
	Fidelity  template.HTML
	TechRows  []techRow
	TechTotal techRow
	Charts    bool // echarts is inlined: chart containers are written

	CurveNote template.HTML
	HasDist   bool
	Phased    bool
	Rollout   []rolloutRow
	HasMap    bool
	MapNotes  []template.HTML

	Cols      []tableColumn
	NumCSS    template.CSS // right-aligns the number columns of the zone table
	TechCSS   template.CSS // the technology colours as CSS variables
	DotCSS    template.CSS // the colour dots of the technologies
	Rows      []template.HTML
	TableNote template.HTML
	TechOpts  []techOpt

	Reach    []reachRow
	Frame    string
	Inputs   []InputFile
	Skipped  []SkipCount
	Scenario []scenarioRow
	Reasons  []reasonRow
	Limits   []template.HTML

	ChartIDs map[string]bool
	Echarts  template.JS
	Script   template.JS
}

type keyFigure struct {
	Key   template.HTML
	Value template.HTML
	Note  template.HTML
}

type techRow struct {
	Color    string
	Code     string
	Name     template.HTML
	Zones    template.HTML
	Premises template.HTML
	Units    template.HTML
	Capex    template.HTML
	NPV      template.HTML
	Share    template.HTML
}

type rolloutRow struct {
	Year     template.HTML
	Zones    template.HTML
	Premises template.HTML
	Capex    template.HTML
	Cumul    template.HTML
}

type tableColumn struct {
	Key   string
	Label template.HTML
	Num   bool
	Dec   int
}

type techOpt struct {
	Code string
	Name template.HTML
}

type scenarioRow struct {
	Key, Value, Default, Unit, Doc string
	Changed                        bool
}

type reachRow struct {
	Kind                     template.HTML
	Code                     string
	Priority                 bool
	Premises, Reached, Share template.HTML
}

type reasonRow struct {
	Code string
	Text template.HTML
}

// t renders a label in both languages.
func t(key string) template.HTML { return biHTML(label(key)) }

// num formats a value in the page's opening language, for the zone table
// (the script reformats its cells when the language changes).
func (d *reportData) num(v float64, dec int) string { return fmtNum(v, dec, d.lang) }

// bnum formats a value in both languages, for the small tables.
func bnum(v float64, dec int) template.HTML {
	return biHTML(biVal(func(l lang) string { return fmtNum(v, dec, l) }))
}

func buildPage(d *reportData, opt ReportOptions) (*reportPage, error) {
	src := d.src
	pg := &reportPage{
		Lang:     d.lang,
		Title:    t("title"),
		SubTitle: src.Meta.Title,
		Version:  src.Meta.Version,
		NoAssets: !HasEcharts(),
		Charts:   HasEcharts(),
		Empty:    len(d.rows) == 0,
		Frame:    src.Meta.Frame,
		Inputs:   src.Meta.Inputs,
		Skipped:  src.Meta.Skipped,
		ChartIDs: map[string]bool{},
	}
	if pg.Version == "" {
		pg.Version = "dev"
	}
	pg.Figures = figures(d)
	if zoneLevel(src) {
		pg.Fidelity = biHTML(label("fid.zone.doc"))
	} else {
		pg.Fidelity = biHTML(label("fid.premise.doc"))
	}

	// technology mix table
	p := d.plan
	for _, tc := range reportTechs {
		tt := p.ByTech[tc]
		if tc == coverage.TechNone && tt.Zones == 0 && p.ServedBy[tc] == 0 {
			continue
		}
		pg.TechRows = append(pg.TechRows, techRow{
			Color: techColors[tc], Code: tc.String(), Name: biHTML(techLabels[tc]),
			Zones: bnum(float64(tt.Zones), 0), Premises: bnum(float64(p.ServedBy[tc]), 0), Units: bnum(float64(tt.Units), 0),
			Capex: bnum(tt.CapexEUR, 0), NPV: bnum(tt.PresentCostEUR, 0),
			Share: bnum(100*shareOf(p.ServedBy[tc], p.Total.Premises), 1),
		})
	}
	pg.TechTotal = techRow{
		Zones: bnum(float64(p.Total.Zones), 0), Premises: bnum(float64(p.Total.Premises), 0), Units: bnum(float64(p.Total.Units), 0),
		Capex: bnum(p.Total.CapexEUR, 0), NPV: bnum(p.Total.PresentCostEUR, 0), Share: bnum(100, 1),
	}

	served := len(d.curve) - 1
	if served > maxCurvePoints {
		pg.CurveNote = biHTML(biSprintf("curve.sampled", func(l lang) []any {
			return []any{fmtInt(maxCurvePoints, l), fmtInt(served, l)}
		}))
	}
	pg.HasDist = len(d.hist.Edges) > 0

	// rollout
	if d.rollout != nil {
		pg.Phased = true
		for _, y := range d.rollout {
			row := rolloutRow{Zones: bnum(float64(y.Zones), 0), Premises: bnum(float64(y.Total), 0),
				Capex: bnum(y.Capex, 0), Cumul: "–"}
			if y.Year == 0 {
				row.Year = t("roll.unphased")
			} else {
				row.Cumul = bnum(float64(y.Cumul), 0)
				row.Year = template.HTML(strconv.Itoa(y.Year))
			}
			pg.Rollout = append(pg.Rollout, row)
		}
	}

	// map
	pg.HasMap = d.zmap != nil
	if !pg.HasMap {
		pg.MapNotes = append(pg.MapNotes, t("map.nogeom"))
	} else {
		if d.zmap.Vertices < d.zmap.TotalVertices && d.zmap.ToleranceDeg > 0 {
			pg.MapNotes = append(pg.MapNotes, biHTML(biSprintf("map.simplified", func(l lang) []any {
				return []any{fmtInt(d.zmap.Vertices, l), fmtInt(d.zmap.TotalVertices, l)}
			})))
		}
		switch {
		case zoneLevel(src):
			pg.MapNotes = append(pg.MapNotes, t("map.zonelevel"))
		case src.Unproject == nil:
			pg.MapNotes = append(pg.MapNotes, t("map.noproj"))
		case d.sample.Shown < d.sample.Total:
			pg.MapNotes = append(pg.MapNotes, biHTML(biSprintf("map.sample", func(l lang) []any {
				return []any{fmtInt(d.sample.Shown, l), fmtInt(d.sample.Total, l)}
			})))
		default:
			pg.MapNotes = append(pg.MapNotes, biHTML(biSprintf("map.allprem", func(l lang) []any {
				return []any{fmtInt(d.sample.Shown, l)}
			})))
		}
	}

	// zone table
	pg.Cols = []tableColumn{
		{Key: "col.id"}, {Key: "col.name"},
		{Key: "col.premises", Num: true}, {Key: "col.units", Num: true},
		{Key: "col.tech"},
		{Key: "col.cpp", Num: true}, {Key: "col.npv", Num: true}, {Key: "col.capex", Num: true},
		{Key: "col.down", Num: true, Dec: 1}, {Key: "col.up", Num: true, Dec: 1}, {Key: "col.lat", Num: true},
		{Key: "col.meets"},
	}
	if pg.Phased {
		pg.Cols = append(pg.Cols, tableColumn{Key: "col.year", Num: true})
	}
	pg.Cols = append(pg.Cols, tableColumn{Key: "col.reasons"})
	var css strings.Builder
	for i := range pg.Cols {
		pg.Cols[i].Label = t(pg.Cols[i].Key)
		if pg.Cols[i].Num {
			if css.Len() > 0 {
				css.WriteString(", ")
			}
			fmt.Fprintf(&css, "#zone-table td:nth-child(%d)", i+1)
		}
	}
	if css.Len() > 0 {
		css.WriteString(" { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }")
	}
	pg.NumCSS = template.CSS(css.String())
	css.Reset()
	for _, tc := range reportTechs {
		fmt.Fprintf(&css, "--%s: %s; ", tc, techColors[tc])
	}
	pg.TechCSS = template.CSS(strings.TrimSpace(css.String()))
	css.Reset()
	for _, tc := range reportTechs {
		fmt.Fprintf(&css, ".t-%s { background: var(--%s); } ", tc, tc)
	}
	pg.DotCSS = template.CSS(strings.TrimSpace(css.String()))
	nrows := len(d.rows)
	if opt.MaxTableZones > 0 && nrows > opt.MaxTableZones {
		nrows = opt.MaxTableZones
		pg.TableNote = biHTML(biSprintf("tbl.capped", func(l lang) []any {
			return []any{fmtInt(nrows, l), fmtInt(len(d.rows), l)}
		}))
	}
	pg.Rows = make([]template.HTML, nrows)
	var sb strings.Builder
	for i := 0; i < nrows; i++ {
		sb.Reset()
		d.writeRow(&sb, &d.rows[i], pg.Phased)
		pg.Rows[i] = template.HTML(sb.String())
	}
	for _, tc := range reportTechs {
		if d.plan.ByTech[tc].Zones > 0 {
			pg.TechOpts = append(pg.TechOpts, techOpt{Code: tc.String(), Name: biHTML(techLabels[tc])})
		}
	}

	// inputs and parameters
	for _, c := range reasonOrder {
		pg.Reasons = append(pg.Reasons, reasonRow{Code: string(c), Text: biHTML(reasonLabels[c])})
	}
	pg.Scenario = scenarioRows(src.Plan)
	pg.Reach = reachRows(d)
	pg.Limits = []template.HTML{
		biHTML(biVal(func(l lang) string {
			if l == langFR {
				return "Carte : au plus " + fmtInt(opt.MaxMapPremises, l) + " locaux et " + fmtInt(opt.MaxMapVertices, l) + " sommets de contours ; tableau : au plus " + limitText(opt.MaxTableZones, l) + " zones ; courbe de coût : au plus " + fmtInt(maxCurvePoints, l) + " points."
			}
			return "Map: at most " + fmtInt(opt.MaxMapPremises, l) + " premises and " + fmtInt(opt.MaxMapVertices, l) + " outline vertices; table: at most " + limitText(opt.MaxTableZones, l) + " zones; cost curve: at most " + fmtInt(maxCurvePoints, l) + " points."
		})),
	}

	// charts and data
	if pg.Charts {
		pg.Echarts = template.JS(scriptSafe(string(echartsJS)))
	}
	script, ids, err := pageScript(d, pg)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		pg.ChartIDs[id] = true
	}
	pg.Script = template.JS(script)
	return pg, nil
}

func limitText(n int, l lang) string {
	if n < 0 {
		if l == langFR {
			return "toutes les"
		}
		return "all"
	}
	return fmtInt(n, l)
}

// figures are the key figures at the top of the page.
func figures(d *reportData) []keyFigure {
	src, tot := d.src, &d.plan.Total
	served := d.plan.ChosenPremises
	perServed := func(v float64) func(l lang) string {
		return func(l lang) string {
			if served == 0 {
				return "–"
			}
			return fmtEUR(v/float64(served), l)
		}
	}
	meet := d.plan.MeetTarget
	figs := []keyFigure{
		{Key: t("fig.zones"), Value: biHTML(biVal(func(l lang) string { return fmtInt(tot.Zones, l) }))},
		{Key: t("fig.premises"), Value: biHTML(biVal(func(l lang) string { return fmtInt(tot.Premises, l) }))},
		{Key: t("fig.units"), Value: biHTML(biVal(func(l lang) string { return fmtInt(tot.Units, l) }))},
		{Key: t("fig.meet"), Value: biHTML(biVal(func(l lang) string {
			if tot.Premises == 0 {
				return "–"
			}
			return fmtPct(shareOf(meet, tot.Premises), l)
		})), Note: biHTML(biVal(func(l lang) string {
			return fmtInt(meet, l) + " / " + fmtInt(tot.Premises, l)
		}))},
		{Key: t("fig.capex"), Value: biHTML(biVal(func(l lang) string { return fmtEUR(tot.CapexEUR, l) }))},
		{Key: t("fig.opex"), Value: biHTML(biVal(func(l lang) string { return fmtEUR(tot.OpexEURPerYear, l) }))},
		{Key: t("fig.npv"), Value: biHTML(biVal(func(l lang) string { return fmtEUR(tot.PresentCostEUR, l) }))},
		{Key: t("fig.public"), Value: biHTML(biVal(func(l lang) string { return fmtEUR(tot.PublicCostEUR, l) }))},
		{Key: t("fig.cpp"), Value: biHTML(biVal(perServed(tot.PresentCostEUR)))},
		{Key: t("fig.capexpp"), Value: biHTML(biVal(perServed(tot.CapexEUR)))},
	}
	if p := src.Plan; p.Unzoned > 0 {
		figs = append(figs, keyFigure{Key: t("fig.unzoned"), Value: biHTML(biVal(func(l lang) string { return fmtInt(p.Unzoned, l) }))})
	}
	if ll := src.Plan.SatLoad[0]; ll.Cells > 0 {
		figs = append(figs, keyFigure{Key: t("fig.leocells"), Value: biHTML(biVal(func(l lang) string { return fmtInt(ll.Full, l) + " / " + fmtInt(ll.Cells, l) }))})
	}
	fid := t("fid.premise")
	if zoneLevel(src) {
		fid = t("fid.zone")
	}
	figs = append(figs, keyFigure{Key: t("fig.fidelity"), Value: fid})
	target, policy := scenarioSummary(src.Plan)
	figs = append(figs,
		keyFigure{Key: t("fig.target"), Value: orNotGiven(target)},
		keyFigure{Key: t("fig.policy"), Value: orNotGiven(policy)},
	)
	return figs
}

func orNotGiven(s string) template.HTML {
	if s == "" {
		return t("fig.noscenario")
	}
	return template.HTML(template.HTMLEscapeString(s))
}

// hasScenario tells whether the plan carries the scenario it was made
// under (hand-built plans may not).
func hasScenario(p *coverage.Plan) bool {
	return p.Scenario.Target.Name != "" || p.Scenario.Policy != ""
}

// scenarioSummary is the plan's target and policy, "" when the plan does
// not carry its scenario.
func scenarioSummary(p *coverage.Plan) (target, policy string) {
	if !hasScenario(p) {
		return "", ""
	}
	sc := &p.Scenario
	if sc.Target.Name != "" || sc.Target.DownMbps > 0 {
		target = sc.Target.String()
	}
	policy = string(sc.Policy)
	switch sc.Policy {
	case coverage.PolicyFibreFirst:
		policy += " (" + strconv.FormatFloat(sc.ThresholdEUR, 'f', -1, 64) + " €)"
	case coverage.PolicyLowestCostBand:
		policy += " (" + sc.PriorityTech.String() + " +" + strconv.FormatFloat(100*sc.BandShare, 'f', -1, 64) + " %)"
	}
	return target, policy
}

// scenarioRows lists the scenario parameters the plan was computed with,
// those that differ from the defaults first marked.
func scenarioRows(p *coverage.Plan) []scenarioRow {
	if !hasScenario(p) {
		return nil
	}
	ps := p.Scenario.Params()
	rows := make([]scenarioRow, len(ps))
	for i, q := range ps {
		rows[i] = scenarioRow{Key: q.Key, Value: q.Value, Default: q.Default, Unit: q.Unit, Doc: q.Doc, Changed: q.Value != q.Default}
	}
	return rows
}

// kindLabels names the premise kinds.
var kindLabels = [coverage.NumKinds]bi{
	coverage.KindHousehold: {"Logements", "Households"},
	coverage.KindBusiness:  {"Entreprises", "Businesses"},
	coverage.KindSchool:    {"Écoles", "Schools"},
	coverage.KindPublic:    {"Services publics", "Public services"},
	coverage.KindOther:     {"Autres", "Other"},
}

// reachRows is the reach of the target by premise kind, priority kinds
// first marked; nil when the plan does not count kinds.
func reachRows(d *reportData) []reachRow {
	p := d.src.Plan
	total := 0
	for _, n := range p.PremisesByKind {
		total += n
	}
	if total == 0 {
		return nil
	}
	prio := map[coverage.Kind]bool{}
	for _, k := range p.Scenario.Priority {
		prio[k] = true
	}
	var rows []reachRow
	for k := coverage.Kind(0); k < coverage.NumKinds; k++ {
		n, r := p.PremisesByKind[k], p.ReachedByKind[k]
		if n == 0 {
			continue
		}
		rows = append(rows, reachRow{Kind: biHTML(kindLabels[k]), Code: k.String(), Priority: prio[k],
			Premises: bnum(float64(n), 0), Reached: bnum(float64(r), 0), Share: bnum(100*shareOf(r, n), 1)})
	}
	return rows
}

// writeRow writes one zone as a table row. Number cells carry their raw
// value (data-v) for sorting and reformatting; the row carries its
// technology (data-t) for the filter.
func (d *reportData) writeRow(sb *strings.Builder, r *repZone, phased bool) {
	esc := template.HTMLEscapeString
	tech := r.Tech.String()
	sb.WriteString(`<tr data-t="`)
	sb.WriteString(tech)
	sb.WriteString(`"><td>`)
	sb.WriteString(esc(r.ID))
	sb.WriteString(`</td><td>`)
	sb.WriteString(esc(r.Name))
	sb.WriteString(`</td>`)
	d.numCell(sb, float64(r.Premises), 0)
	d.numCell(sb, float64(r.Units), 0)
	sb.WriteString(`<td><i class="dot t-`)
	sb.WriteString(tech)
	sb.WriteString(`"></i>`)
	sb.WriteString(tech)
	sb.WriteString(`</td>`)
	d.numCell(sb, r.CostPerPremise, 0)
	if r.Tech == coverage.TechNone {
		d.numCell(sb, math.NaN(), 0)
		d.numCell(sb, math.NaN(), 0)
		d.numCell(sb, math.NaN(), 1)
		d.numCell(sb, math.NaN(), 1)
		d.numCell(sb, math.NaN(), 0)
	} else {
		d.numCell(sb, r.NPV, 0)
		d.numCell(sb, r.Capex, 0)
		d.numCell(sb, r.Down, speedDec(r.Down))
		d.numCell(sb, r.Up, speedDec(r.Up))
		d.numCell(sb, r.Latency, 0)
	}
	if r.Meets {
		sb.WriteString(`<td class="ok">✓</td>`)
	} else {
		sb.WriteString(`<td class="ko">✗</td>`)
	}
	if phased {
		d.numCell(sb, float64(r.Year), 0)
	}
	sb.WriteString(`<td>`)
	sb.WriteString(esc(r.Reasons))
	sb.WriteString("</td></tr>")
}

// speedDec is the decimals a speed is shown with: none for whole Mbps.
func speedDec(v float64) int {
	if v == math.Trunc(v) {
		return 0
	}
	return 1
}

// numCell writes a number cell. The raw value is in data-v (for sorting
// and for reformatting when the language changes) unless the text is the
// raw value itself (small integers), which keeps a national table small;
// a missing value (NaN) has an empty data-v, sorts first and shows "–".
func (d *reportData) numCell(sb *strings.Builder, v float64, dec int) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		sb.WriteString(`<td data-v="">–</td>`)
		return
	}
	text := d.num(v, dec)
	raw := strconv.FormatFloat(roundTo(v, dec), 'f', -1, 64)
	if dec == 0 && text == raw && math.Abs(v) < 1000 {
		sb.WriteString(`<td>`)
		sb.WriteString(text)
		sb.WriteString(`</td>`)
		return
	}
	sb.WriteString(`<td data-v="`)
	sb.WriteString(raw)
	if dec != 0 {
		sb.WriteString(`" data-d="`)
		sb.WriteString(strconv.Itoa(dec))
	}
	sb.WriteString(`">`)
	sb.WriteString(text)
	sb.WriteString(`</td>`)
}

// scriptSafe makes text safe inside an HTML <script> element: "</" and
// "<!--" cannot occur in it. Both only occur inside string literals, regular
// expressions or comments of the scripts the page embeds, where the escaped
// forms mean the same.
func scriptSafe(s string) string {
	s = closeScript.ReplaceAllStringFunc(s, func(m string) string { return `<\/` + m[2:] })
	return strings.ReplaceAll(s, "<!--", `<\!--`)
}

var closeScript = regexp.MustCompile(`(?i)</script`)

// jsonJS marshals v as a JavaScript literal safe inside <script>: <, > and
// & are written as \u escapes, so user data (zone names, ids) can neither
// close the script nor open a comment or an element.
func jsonJS(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("render: report data: %w", err)
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}
