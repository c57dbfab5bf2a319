package render

import (
	_ "embed"
	"fmt"
	"html/template"
	"strings"

	"github.com/covplan/covplan/coverage"
)

// The page is web/report.html with its styles (web/report.css, print.css)
// and scripts (web/map.js, the map; web/report.js, the rest), all embedded
// in the binary and inlined in the page: the report is one file.

var (
	//go:embed web/report.html
	pageHTML string
	//go:embed web/report.css
	pageCSS string
	//go:embed web/print.css
	printCSS string
	//go:embed web/report.js
	pageJS string
	//go:embed web/map.js
	mapJS string
)

// pageTemplate is report.html. Every text is written in both languages
// (see biHTML); the body's lang-xx class shows one.
var pageTemplate = template.Must(template.New("report").Funcs(template.FuncMap{"t": t, "label": label}).Parse(pageHTML))

// reportPage is what the template renders.
type reportPage struct {
	Lang         lang
	Title        template.HTML
	Area         string // Meta.Title
	Version      string
	Date         template.HTML
	ScenarioLine template.HTML
	NoAssets     bool
	Charts       bool // echarts is inlined: chart containers are written
	Empty        bool

	Warnings  []warning
	Findings  []finding
	Outside   []string // examples of premises outside every zone
	Programme template.HTML
	Figures   []figureGroup
	Fidelity  template.HTML
	Reach     []reachRow

	TechRows  []techRow
	TechTotal techRow
	MoneyNote template.HTML
	CurveNote template.HTML
	HasDist   bool

	Phased     bool
	RolloutDoc template.HTML
	Rollout    []rolloutRow

	HasMap      bool
	MapZoneKeys []legendKey
	MapGroups   []legendGroup
	MapNotes    []template.HTML

	Cols              []tableColumn
	TableNote         template.HTML
	FilterPlaceholder string
	AllTech           string
	TechOpts          []selectOpt
	StateOpts         []selectOpt
	PrintNote         template.HTML

	Method    []template.HTML
	Sources   []string
	Inputs    []inputRow
	DataFiles []dataLink
	Frame     string

	Skipped  []skipRow
	Scenario []scenarioRow
	Changed  []scenarioRow
	Reasons  []reasonRow
	Limits   []template.HTML

	TechCSS, DotCSS, CSS, PrintCSS template.CSS
	ChartIDs                       map[string]bool
	Echarts                        template.JS
	Labels, Config                 template.JS
	Blocks                         []pageBlock
	ChartOpts                      template.JS
	Script                         template.JS
}

type tableColumn struct {
	Label template.HTML
	Class string // n: a number; c-why, c-speed: left out on paper
}

// selectOpt is an option of a select whose text follows the language.
type selectOpt struct {
	Value, FR, EN, Text string
}

func newSelectOpt(value string, b bi, l lang) selectOpt {
	return selectOpt{Value: value, FR: b.fr, EN: b.en, Text: b.in(l)}
}

type skipRow struct {
	File   string
	Reason template.HTML
	Count  template.HTML
}

type reasonRow struct {
	Code  string
	Text  template.HTML
	Count template.HTML
}

// legendKey is a colour of the zones in the map's legend.
type legendKey struct {
	Color string
	Name  template.HTML
	Count template.HTML
}

// legendGroup is a section of the map's legend: switchable layers.
type legendGroup struct {
	Title  template.HTML
	Layers []legendLayer
}

type legendLayer struct {
	Key    string
	Name   template.HTML
	Count  template.HTML
	Swatch template.CSS
	On     bool
}

// pageBlock is a data block as the template writes it.
type pageBlock struct {
	ID       string
	Deflated bool
	JS       template.JS
}

// buildPage assembles the page from the prepared data.
func buildPage(d *reportData) (*reportPage, error) {
	src := d.src
	pg := &reportPage{
		Lang:     d.lang,
		Title:    t("title"),
		Area:     src.Meta.Title,
		Version:  src.Meta.Version,
		NoAssets: !HasEcharts(),
		Charts:   HasEcharts(),
		Empty:    len(d.plan.Zones) == 0,
		Frame:    src.Meta.Frame,
		ChartIDs: map[string]bool{},
		CSS:      template.CSS(pageCSS),
		PrintCSS: template.CSS(printCSS),
	}
	if pg.Version == "" {
		pg.Version = "dev"
	}
	if src.Meta.Date != "" {
		pg.Date = biHTML(biVal(func(l lang) string { return fmtDate(src.Meta.Date, l) }))
	}
	pg.ScenarioLine = scenarioLine(d)
	pg.Warnings = warnings(d)
	pg.Findings = findings(&src.Meta)
	pg.Outside = outsideExamples(&src.Meta)
	pg.Programme = programmeText(d)
	pg.Figures = keyFigures(d)
	pg.Fidelity = t("fid.premise.doc")
	if d.zoneLevel {
		pg.Fidelity = t("fid.zone.doc")
	}
	pg.Reach = reachRows(d.plan)
	pg.TechRows, pg.TechTotal = techRows(d.plan)
	pg.MoneyNote = biHTML(biSprintf("mix.money", func(l lang) []any { return []any{basisPV(d.plan).in(l)} }))
	if served := len(d.plan.CostCurve) - 1; served > maxCurvePoints {
		pg.CurveNote = biHTML(biSprintf("curve.sampled", func(l lang) []any {
			return []any{fmtInt(maxCurvePoints, l), fmtInt(served, l)}
		}))
	}
	pg.HasDist = len(d.hist.Edges) > 0
	if d.phased {
		pg.Phased = true
		pg.Rollout = rolloutRows(d)
		pg.RolloutDoc = biHTML(biSprintf("roll.doc", func(l lang) []any { return []any{fmtMoney(d.plan.Scenario.AnnualBudgetEUR, l)} }))
	}
	mapSection(d, pg)
	tableSection(d, pg)
	sourcesSection(d, pg)
	if err := scripts(d, pg); err != nil {
		return nil, err
	}
	return pg, nil
}

// mapSection fills the map's legend and notes.
func mapSection(d *reportData, pg *reportPage) {
	pg.HasMap = d.zmap != nil
	if !pg.HasMap {
		pg.MapNotes = append(pg.MapNotes, t("map.nogeom"))
		return
	}
	for _, tc := range reportTechs {
		if n := d.plan.ByTech[tc].Zones; n > 0 {
			pg.MapZoneKeys = append(pg.MapZoneKeys, legendKey{Color: tint(techColors[tc], 0.45), Name: biHTML(techLabels[tc]), Count: bint(n)})
		}
	}
	groups := []struct{ key, title string }{{"prem", "map.g.premises"}, {"net", "map.g.network"}, {"plan", "map.g.planned"}, {"place", "map.g.places"}}
	layers := mapLayerList(d)
	for _, g := range groups {
		lg := legendGroup{Title: t(g.title)}
		for _, ly := range layers {
			if ly.Group != g.key {
				continue
			}
			sw := "background:" + ly.Color
			switch {
			case ly.Type == "lines":
				sw = "height:0;border-top:2px " + map[bool]string{true: "dashed", false: "solid"}[ly.Dashed] + " " + ly.Color
			case ly.Type == "custom":
				sw = "background:rgba(31,111,178,0.16);border:1px solid rgba(11,60,109,0.7)"
			case ly.Hollow:
				sw = "background:#fff;border:2px solid " + ly.Color
			case ly.Symbol == "circle":
				sw += ";border-radius:50%"
			}
			lg.Layers = append(lg.Layers, legendLayer{Key: ly.Key, Name: biHTML(ly.Name), Count: bint(ly.Count), Swatch: template.CSS(sw), On: true})
		}
		if len(lg.Layers) > 0 {
			pg.MapGroups = append(pg.MapGroups, lg)
		}
	}
	zm := d.zmap
	if zm.Vertices < zm.TotalVertices && zm.ToleranceDeg > 0 {
		pg.MapNotes = append(pg.MapNotes, biHTML(biSprintf("map.simplified", func(l lang) []any {
			return []any{fmtInt(zm.Vertices, l), fmtInt(zm.TotalVertices, l)}
		})))
	}
	switch {
	case d.zoneLevel:
		pg.MapNotes = append(pg.MapNotes, t("map.zonelevel"))
	case d.src.Unproject == nil:
		pg.MapNotes = append(pg.MapNotes, t("map.noproj"))
	case d.sample.Shown < d.sample.Total:
		pg.MapNotes = append(pg.MapNotes, biHTML(biSprintf("map.sample", func(l lang) []any {
			return []any{fmtInt(d.sample.Shown, l), fmtInt(d.sample.Total, l), fmtInt(d.sample.Cap, l)}
		})))
	default:
		pg.MapNotes = append(pg.MapNotes, biHTML(biSprintf("map.allprem", func(l lang) []any { return []any{fmtInt(d.sample.Shown, l)} })))
	}
	if d.src.Unproject == nil && len(d.src.Input.Nodes)+len(d.src.Input.Lines)+len(d.src.Input.Served)+len(d.src.Input.APs) > 0 {
		pg.MapNotes = append(pg.MapNotes, t("map.nonetwork"))
	}
}

// tableColumns are the zone table's columns, as report.js draws them.
var tableColumns = []struct {
	key    string
	class  string
	phased bool
}{
	{"col.id", "", false}, {"col.name", "", false}, {"col.premises", "n", false}, {"col.units", "n", false},
	{"col.tech", "", false}, {"col.year", "n", true}, {"col.meets", "", false},
	{"col.cpp", "n", false}, {"col.capex", "n", false}, {"col.public", "n", false}, {"col.speed", "n c-speed", false},
	{"col.why", "c-why", false},
}

// tableSection fills the zone table's header, filters and notes.
func tableSection(d *reportData, pg *reportPage) {
	for _, c := range tableColumns {
		if c.phased && !d.phased {
			continue
		}
		pg.Cols = append(pg.Cols, tableColumn{Label: t(c.key), Class: c.class})
	}
	if zt := &d.zones; zt.Rows < zt.Total {
		pg.TableNote = biHTML(biSprintf("tbl.capped", func(l lang) []any { return []any{fmtInt(zt.Rows, l), fmtInt(zt.Total, l)} }))
	}
	pg.FilterPlaceholder = label("tbl.filter").in(d.lang)
	pg.AllTech = label("tbl.alltech").in(d.lang)
	for _, tc := range reportTechs {
		if d.plan.ByTech[tc].Zones > 0 {
			pg.TechOpts = append(pg.TechOpts, newSelectOpt(fmt.Sprint(int(tc)), techLabels[tc], d.lang))
		}
	}
	pg.StateOpts = []selectOpt{newSelectOpt("", label("tbl.state.all"), d.lang), newSelectOpt("met", label("tbl.state.met"), d.lang),
		newSelectOpt("notmet", label("tbl.state.notmet"), d.lang)}
	if d.phased {
		pg.StateOpts = append(pg.StateOpts, newSelectOpt("unprog", label("tbl.state.unprog"), d.lang))
	}
	pg.PrintNote = biHTML(biSprintf("tbl.print", func(l lang) []any { return []any{fmtInt(printRows, l)} }))
}

// printRows is the most zone rows a printed report lists.
const printRows = 1000

// sourcesSection fills the method, sources, inputs and glossary.
func sourcesSection(d *reportData, pg *reportPage) {
	meta := &d.src.Meta
	pg.Method = methodParagraphs(d)
	pg.Inputs, pg.Sources = sourceRows(meta)
	pg.DataFiles = dataLinks(d.opt.DataFiles)
	for _, s := range mergeSkips(meta.Skipped) {
		pg.Skipped = append(pg.Skipped, skipRow{File: s.File, Reason: biHTML(skipText(s.Reason)), Count: bint(s.Count)})
	}
	pg.Scenario, pg.Changed = scenarioRows(d.plan)
	counts := map[coverage.Reason]coverage.ReasonCount{}
	for _, c := range d.plan.Reasons {
		counts[c.Code] = c
	}
	for _, c := range d.zones.Codes {
		rc, row := counts[c], reasonRow{Code: string(c), Text: biHTML(reasonText(c, false)), Count: "–"}
		if rc.Zones > 0 || rc.ByOption != [coverage.NumTechs]int{} {
			row.Count = biHTML(biSprintf("in.reasoncount", func(l lang) []any {
				var opts []string
				for _, tc := range coverage.Techs {
					if n := rc.ByOption[tc]; n > 0 {
						opts = append(opts, techShort[tc].in(l)+" "+fmtInt(n, l))
					}
				}
				if len(opts) == 0 {
					opts = []string{"0"}
				}
				return []any{fmtInt(rc.Zones, l), strings.Join(opts, ", ")}
			}))
		}
		pg.Reasons = append(pg.Reasons, row)
	}
	opt := d.opt
	pg.Limits = []template.HTML{biHTML(biSprintf("in.limits.text", func(l lang) []any {
		return []any{fmtInt(opt.MaxMapPremises, l), fmtInt(opt.MaxMapVertices, l), limitText(opt.MaxTableZones, l), fmtInt(maxCurvePoints, l), fmtInt(printRows, l)}
	}))}
}

func limitText(n int, l lang) string {
	if n < 0 {
		return label("all").in(l)
	}
	return fmtInt(n, l)
}

// techCSS are the technology colours as CSS: variables, and the classes of
// the colour dots (t-<code> in the page's tables, t<index> in the zone
// table the script draws).
func techCSS() (vars, dots template.CSS) {
	var v, c strings.Builder
	for _, tc := range reportTechs {
		fmt.Fprintf(&v, "--%s: %s; ", tc, techColors[tc])
		fmt.Fprintf(&c, ".t-%s, .t%d { background: var(--%s); } ", tc, int(tc), tc)
	}
	return template.CSS(strings.TrimSpace(v.String())), template.CSS(strings.TrimSpace(c.String()))
}
