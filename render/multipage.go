package render

import (
	"bufio"
	"fmt"
	"html"
	"html/template"
	"io"
	"strings"

	"github.com/covplan/covplan/coverage"
)

// compare.html, sweep.html and the batch's index.html share one page
// frame (multiPage): the report's look, both languages in the page with a
// toggle, echarts inlined once (no network access), charts given as one
// option per language, and tables sortable by a click on their header.
// Every text is bilingual (bi); numbers are written in both languages, so
// the page needs no script to read, only to draw charts.

// mpLabels are the texts of these pages, in French and English.
var mpLabels = map[string]bi{
	"cmp.title":    {"Comparaison de scénarios", "Scenario comparison"},
	"cmp.scen":     {"Scénarios comparés", "Scenarios compared"},
	"cmp.scen.doc": {"Le premier scénario est la référence : les écarts et les zones « changées » se lisent par rapport à lui. Les scénarios de même évaluation ne diffèrent que par la décision (politique, budget, seuils) et ont été décidés à partir d’un seul chiffrage.", "The first scenario is the reference: differences and “changed” zones are against it. Scenarios with the same evaluation differ only in the decision (policy, budget, thresholds) and were decided from one pricing."},
	"cmp.name":     {"Scénario", "Scenario"},
	"cmp.origin":   {"Origine", "Origin"},
	"cmp.eval":     {"Évaluation", "Evaluation"},
	"cmp.changes":  {"Paramètres changés par rapport à la référence", "Parameters changed from the reference"},
	"cmp.none":     {"aucun (référence)", "none (reference)"},
	"cmp.figs":     {"Chiffres clés côte à côte", "Key figures side by side"},
	"cmp.mix":      {"Mix technologique (locaux par technologie choisie)", "Technology mix (premises by chosen technology)"},
	"cmp.money":    {"Coûts", "Costs"},
	"cmp.cover":    {"Couverture : locaux atteignant la cible", "Coverage: premises meeting the target"},
	"cmp.map":      {"Zones dont le choix change", "Zones whose choice changes"},
	"cmp.map.doc":  {"Les zones dont la technologie diffère de la référence dans le scénario choisi sont colorées par leur technologie dans ce scénario ; les autres sont grises.", "Zones whose technology differs from the reference in the selected scenario are coloured by their technology in that scenario; the others are grey."},
	"cmp.show":     {"Scénario affiché", "Scenario shown"},
	"cmp.zones":    {"Zones changées", "Changed zones"},
	"cmp.nochange": {"Aucune zone ne change de technologie entre ces scénarios.", "No zone changes technology between these scenarios."},
	"cmp.capped":   {"Tableau limité aux %s premières zones changées sur %s (toutes dans compare-zones.csv).", "Table limited to the first %s of %s changed zones (all in compare-zones.csv)."},
	"cmp.same":     {"inchangée", "unchanged"},

	"row.premises": {"Locaux planifiés", "Premises planned"},
	"row.meet":     {"Locaux atteignant la cible", "Premises meeting the target"},
	"row.share":    {"Part atteignant la cible", "Share meeting the target"},
	"row.zones":    {"Zones", "Zones"},
	"row.capex":    {"CAPEX", "CAPEX"},
	"row.present":  {"Coût actualisé total", "Present cost"},
	"row.public":   {"Coût public", "Public cost"},
	"row.npv":      {"VAN (zones avec recettes)", "NPV (zones with revenues)"},
	"row.changed":  {"Zones changées vs référence", "Zones changed vs reference"},
	"row.policy":   {"Politique", "Policy"},
	"row.target":   {"Cible", "Target"},
	"row.zonesby":  {"Zones · %s", "Zones · %s"},
	"row.premby":   {"Locaux · %s", "Premises · %s"},

	"col.zone":     {"Zone", "Zone"},
	"col.id":       {"Identifiant", "Id"},
	"col.premises": {"Locaux", "Premises"},
	"col.public":   {"Coût public %s", "Public cost %s"},
}

// addLabels adds the labels of one page to mpLabels (at init).
func addLabels(m map[string]bi) {
	for k, v := range m {
		mpLabels[k] = v
	}
}

// pageStart checks a page's data (check) and reads its options.
func pageStart(check func() error, opt PageOptions) (lang, PageOptions, error) {
	if err := check(); err != nil {
		return "", opt, err
	}
	l, err := parseLang(opt.Lang)
	return l, opt.withDefaults(), err
}

// ml is the label key of mpLabels; a missing key shows as itself.
func ml(key string) bi {
	if b, ok := mpLabels[key]; ok {
		return b
	}
	return bi{key, key}
}

// mlf is ml with fmt.Sprintf arguments per language.
func mlf(key string, args func(l lang) []any) bi {
	b := ml(key)
	return bi{fmt.Sprintf(b.fr, args(langFR)...), fmt.Sprintf(b.en, args(langEN)...)}
}

// multiPage is the frame of the three pages.
type multiPage struct {
	Lang     lang
	Title    template.HTML
	SubTitle string
	Version  string
	Nav      []navItem
	Charts   bool // echarts is inlined
	Echarts  template.JS
	Script   template.JS
	Warnings template.HTML // the run's warnings panel (runWarningsSection), first
	Body     template.HTML // the page's sections
}

type navItem struct {
	ID    string
	Label template.HTML
}

// mpChart is one chart of a page: its container and its option per
// language (JavaScript), with page data attached to series by the script
// (fill: series index -> key of MP_DATA).
type mpChart struct {
	id     string
	height string
	opt    [len(langs)]string
	fill   map[int]string
}

// writeMultiPage writes a page: frame, body and script. geo, when not nil,
// is a GeoJSON FeatureCollection registered with echarts as mapName; data
// is the page's shared data (MP_DATA).
func writeMultiPage(w io.Writer, pg *multiPage, specs []mpChart, data map[string]any, geo []byte) error {
	if pg.Version == "" {
		pg.Version = "dev"
	}
	if pg.Warnings != "" {
		pg.Nav = append([]navItem{{"warnings", biHTML(label("nav.warnings"))}}, pg.Nav...)
	}
	pg.Charts = HasEcharts()
	if pg.Charts {
		pg.Echarts = template.JS(scriptSafe(string(echartsJS)))
	}
	var b strings.Builder
	b.WriteString("\"use strict\";\nvar MP_LANG = \"" + string(pg.Lang) + "\";\n")
	js, err := jsonJS(data)
	if err != nil {
		return err
	}
	b.WriteString("var MP_DATA = " + js + ";\nvar MP_GEO = ")
	if geo != nil {
		b.WriteString(optionSafe(string(geo)))
	} else {
		b.WriteString("null")
	}
	b.WriteString(";\nvar MP_CHARTS = [")
	for i, s := range specs {
		if i > 0 {
			b.WriteString(",")
		}
		fill, err := jsonJS(s.fill)
		if err != nil {
			return err
		}
		b.WriteString("\n{id: \"" + s.id + "\", fill: " + fill + ", opt: {")
		for li, l := range langs {
			if li > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n" + string(l) + ": " + optionSafe(s.opt[li]))
		}
		b.WriteString("}}")
	}
	b.WriteString("];\n" + mpJS)
	pg.Script = template.JS(b.String())
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := mpTemplate.Execute(bw, pg); err != nil {
		return fmt.Errorf("render: page: %w", err)
	}
	return bw.Flush()
}

// mpChartDiv is a chart's container, written where the chart goes; nothing
// without echarts.
func mpChartDiv(s mpChart) template.HTML {
	if !HasEcharts() {
		return ""
	}
	return template.HTML(`<div class="chart" id="` + s.id + `" style="height:` + s.height + `"></div>`)
}

// writeHeads writes a table's header cells, one per label key; a key
// written "n:key" heads a numeric (right-aligned) column.
func writeHeads(b *strings.Builder, keys ...string) {
	for _, k := range keys {
		if key, ok := strings.CutPrefix(k, "n:"); ok {
			b.WriteString(`<th class="n">` + string(biHTML(ml(key))) + "</th>")
		} else {
			b.WriteString("<th>" + string(biHTML(ml(k))) + "</th>")
		}
	}
}

// techDot is a technology's colour dot and bilingual name.
func techDot(t coverage.Tech) template.HTML {
	return template.HTML(`<i class="dot" style="background:`+techColors[t]+`"></i>`) + biHTML(techLabels[t])
}

// esc escapes text for HTML.
func esc(s string) string { return html.EscapeString(s) }

// mpMapValue is one outline's value on a page map (the name under which
// the outline is registered, and its visual map value); a struct, not a
// map, as the compare map has one per zone and scenario.
type mpMapValue struct {
	Name  string `json:"name"`
	Value int    `json:"value"`
}

// mpTechPieces are the visual map pieces of a map coloured by technology
// (value: the Tech), plus value -1 for what is shown grey (none when grey
// is the zero bi).
func mpTechPieces(l lang, grey bi) []map[string]any {
	var pieces []map[string]any
	for _, t := range reportTechs {
		pieces = append(pieces, map[string]any{"value": int(t), "label": techLabels[t].in(l), "color": tint(techColors[t], 0.2)})
	}
	if grey == (bi{}) {
		return pieces
	}
	return append(pieces, map[string]any{"value": -1, "label": grey.in(l), "color": "#e4e7eb"})
}

// mpMapOption is the echarts option of a map of the registered outlines,
// coloured by the value of each feature's data (mpTechPieces), with a
// tooltip from MP_DATA.tip.
func mpMapOption(l lang, grey bi) (string, error) {
	opt := map[string]any{
		"animation": false,
		"tooltip":   map[string]any{"trigger": "item", "formatter": "__TIP__"},
		"geo": map[string]any{
			"map": mapName, "roam": true, "top": 10, "bottom": 10,
			"itemStyle": map[string]any{"borderColor": "#777", "borderWidth": 0.3, "areaColor": "#e4e7eb"},
			"emphasis":  map[string]any{"itemStyle": map[string]any{"areaColor": "#ffd54f"}, "label": map[string]any{"show": false}},
			"label":     map[string]any{"show": false},
		},
		"visualMap": []any{map[string]any{"type": "piecewise", "seriesIndex": 0, "pieces": mpTechPieces(l, grey),
			"left": 10, "bottom": 10, "orient": "vertical", "backgroundColor": "rgba(255,255,255,0.85)"}},
		"series": []any{map[string]any{"type": "map", "map": mapName, "geoIndex": 0, "data": []any{}}},
	}
	js, err := jsonJS(opt)
	if err != nil {
		return "", err
	}
	return strings.Replace(js, `"__TIP__"`, `function (p) { return mpTip(p); }`, 1), nil
}

// mpJS draws the charts, switches the language and sorts the tables.
const mpJS = `
(function () {
  var lang = MP_LANG, body = document.body;
  window.mpNum = function (v, d) {
    if (v === null || v === undefined || isNaN(v)) { return '–'; }
    return new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-US', {minimumFractionDigits: d || 0, maximumFractionDigits: d || 0}).format(v);
  };
  window.mpEUR = function (v) {
    var a = Math.abs(v), x = v, u = lang === 'fr' ? '\u202f€' : '', d = 0;
    if (a >= 1e9) { x = v / 1e9; d = 1; u = lang === 'fr' ? '\u202fMd€' : 'bn'; }
    else if (a >= 1e6) { x = v / 1e6; d = 1; u = lang === 'fr' ? '\u202fM€' : 'M'; }
    else if (a >= 1e3) { x = v / 1e3; u = lang === 'fr' ? '\u202fk€' : 'k'; }
    return lang === 'fr' ? mpNum(x, d) + u : (x < 0 ? '-€' : '€') + mpNum(Math.abs(x), d) + u;
  };
  window.mpTip = function (p) {
    var t = (MP_DATA.tip || [])[+p.name];
    return t ? t : '';
  };
  if (typeof echarts !== 'undefined' && MP_GEO) {
    try { echarts.registerMap('` + mapName + `', MP_GEO); } catch (e) { body.setAttribute('data-error', 'registerMap: ' + e); }
  }
  function draw() {
    if (typeof echarts === 'undefined') { return; }
    MP_CHARTS.forEach(function (c) {
      var el = document.getElementById(c.id);
      if (!el) { return; }
      try {
        if (!c.inst) { c.inst = echarts.init(el, null, {renderer: 'canvas'}); }
        var o = c.opt[lang];
        Object.keys(c.fill || {}).forEach(function (s) { o.series[+s].data = MP_DATA[c.fill[s]]; });
        c.inst.setOption(o, true);
        el.setAttribute('data-drawn', lang);
      } catch (e) { el.setAttribute('data-error', String(e)); el.textContent = 'Chart error: ' + e; }
    });
  }
  window.mpRedraw = draw;
  function setLang(l) {
    lang = l;
    body.className = body.className.replace(/\blang-\w+/, 'lang-' + l);
    document.documentElement.lang = l;
    draw();
  }
  var btn = document.getElementById('lang-toggle');
  if (btn) { btn.addEventListener('click', function () { setLang(lang === 'fr' ? 'en' : 'fr'); }); }
  var sel = document.getElementById('map-scenario');
  if (sel) {
    sel.addEventListener('change', function () { MP_DATA.shown = MP_DATA['m' + sel.value]; draw(); });
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var ths = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(ths, function (th, col) {
      th.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(ths, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var tb = table.tBodies[0], rows = Array.prototype.slice.call(tb.rows);
        var key = rows.map(function (r, i) {
          var c = r.cells[col], v = c ? (c.getAttribute('data-v') !== null ? +c.getAttribute('data-v') : c.textContent) : '';
          return {r: r, i: i, v: v};
        });
        key.sort(function (a, b) {
          var x = typeof a.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v), lang);
          return (asc ? x : -x) || a.i - b.i;
        });
        key.forEach(function (e) { tb.appendChild(e.r); });
      });
    });
  });
  var h = /lang=(fr|en)/.exec(location.hash);
  if (h && h[1] !== lang) { setLang(h[1]); } else { draw(); }
  window.addEventListener('resize', function () { MP_CHARTS.forEach(function (c) { if (c.inst) { c.inst.resize(); } }); });
})();
`

// mpTemplate is the frame of compare.html, sweep.html and index.html.
var mpTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="covplan {{.Version}}">
<title>covplan{{if .SubTitle}} – {{.SubTitle}}{{end}}</title>
<style>
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0; color: #1d2733; background: #f6f7f9; }
.lang-fr .en, .lang-en .fr { display: none; }
header { background: #17324d; color: #fff; padding: 14px 24px; display: flex; align-items: center; gap: 18px; flex-wrap: wrap; }
header h1 { font-size: 22px; margin: 0; font-weight: 600; }
header .sub { font-size: 18px; opacity: .9; }
header .ver { margin-left: auto; font-size: 13px; opacity: .8; }
header button { background: #fff; color: #17324d; border: 0; border-radius: 4px; padding: 6px 12px; font-weight: 600; cursor: pointer; }
nav { background: #fff; border-bottom: 1px solid #dde2e8; padding: 8px 24px; display: flex; gap: 16px; flex-wrap: wrap; font-size: 14px; }
nav a { color: #17324d; text-decoration: none; }
main { max-width: 1280px; margin: 0 auto; padding: 8px 24px 40px; }
section { background: #fff; border: 1px solid #dde2e8; border-radius: 6px; padding: 14px 20px; margin: 16px 0; }
h2 { font-size: 19px; margin: 4px 0 8px; }
.doc, .note { color: #55606d; font-size: 14px; margin: 4px 0 8px; }
.banner { background: #fff3cd; border: 1px solid #e0b100; color: #5c4400; padding: 12px 18px; margin: 16px 0; border-radius: 6px; font-weight: 600; }
.err { color: #b42318; }
.chart { width: 100%; min-height: 200px; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { border-bottom: 1px solid #e6e9ed; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eef1f4; position: sticky; top: 0; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.d { display: block; font-size: 11px; color: #55606d; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort=ascending]::after { content: " ▲"; } table.sortable th[aria-sort=descending]::after { content: " ▼"; }
.tablewrap { max-height: 640px; overflow: auto; border: 1px solid #e6e9ed; }
i.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 5px; vertical-align: -1px; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
footer { text-align: center; color: #7a8591; font-size: 12px; padding: 12px; }
#warnings { border: 1px solid #e0b100; background: #fffaeb; }
#warnings h2, #warnings h3 { color: #7a5200; } #warnings h3 { font-size: 15px; }
#warnings li { margin: 4px 0; }
#warnings .sev { font-size: 11px; background: #f3e3b5; border-radius: 3px; padding: 0 5px; }
@media print { nav, #lang-toggle, select { display: none; } body { background: #fff; } .tablewrap { max-height: none; overflow: visible; } th { position: static; } }
</style>
</head>
<body class="lang-{{.Lang}}">
<header>
<h1>{{.Title}}</h1>{{if .SubTitle}}<span class="sub">{{.SubTitle}}</span>{{end}}
<span class="ver">covplan {{.Version}}</span>
<button id="lang-toggle" type="button"><span class="fr" lang="fr">English</span><span class="en" lang="en">Français</span></button>
</header>
<nav>{{range .Nav}}<a href="#{{.ID}}">{{.Label}}</a>{{end}}</nav>
<main>
{{if not .Charts}}<div class="banner" id="no-assets"><span class="fr" lang="fr">Cette version de covplan a été compilée sans echarts (make assets) : pas de graphiques, les tableaux sont complets.</span><span class="en" lang="en">This covplan build has no echarts (make assets): no charts, the tables are complete.</span></div>{{else}}<noscript><div class="banner"><span class="fr" lang="fr">Les graphiques demandent JavaScript ; les tableaux se lisent sans.</span><span class="en" lang="en">The charts need JavaScript; the tables read without it.</span></div></noscript>{{end}}
{{.Warnings}}{{.Body}}
</main>
<footer><span class="fr" lang="fr">Produit par covplan</span><span class="en" lang="en">Made by covplan</span> {{.Version}}{{if .Charts}} · Apache ECharts (Apache-2.0){{end}}</footer>
{{if .Charts}}<script>{{.Echarts}}</script>
{{end}}<script>{{.Script}}</script>
</body>
</html>
`))
