package render

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"
)

// TestReportSections checks that every section, both languages and the key
// data are in the page, for each kind of plan.
func TestReportSections(t *testing.T) {
	sections := []string{`id="cover"`, `id="figures"`, `id="mix"`, `id="curve"`, `id="dist"`, `id="rollout"`, `id="map"`, `id="zones"`,
		`id="method"`, `id="sources"`, `id="inputs"`, `id="zone-table"`, `id="lang-toggle"`, `id="zone-panel"`, `id="cp-zones"`,
		`http-equiv="Content-Security-Policy" content="default-src 'none';`}
	withSource := func(f func(*Source)) *Source { s := testSource(true, true); f(s); return s }
	cases := []struct {
		name    string
		src     *Source
		opt     ReportOptions
		want    []string
		notWant []string
		zones   []string // in the zone data
	}{
		{"premise phased", testSource(true, true), ReportOptions{Lang: "en"},
			[]string{`id="chart-mix"`, `id="chart-curve"`, `id="chart-dist"`, `id="chart-rollout"`, `id="chart-map"`, `id="cp-geo"`, `id="cp-layers"`,
				`id="warnings"`, `data-w="unzoned"`, `data-w="skipped"`, `data-w="crs"`, `data-w="unscheduled"`, `data-w="satcap-leo"`,
				"premise level (addresses)", "local par local", "v0.0.0-test", "communes.geojson", "pas de coordonnées", "no coordinates",
				"test equirectangular frame", "All premises are shown", `class="lang-en"`, "2 March 2026", "2 mars 2026",
				`id="reach"`, "★", "Target reached by kind of premise", "LEO satellite: capacity reached",
				`id="scenario"`, `id="scenario-changed"`, "longueur du tracé ÷ longueur à vol d&#39;oiseau", "route length ÷ straight-line length",
				"Very high speed (France THD plan)", "Très haut débit (Plan France THD)", "least cost", "moindre coût",
				"<td>2026</td>", "<td>2028</td>", "Not programmed", "Non programmé",
				"discounted over 20 years at 4%", "actualisé sur 20 ans à 4\u202f%", "one-off", "ponctuel", "per year",
				`id="fig-programmed"`, `id="fig-notprogrammed"`, `id="programme"`, "The plan programmes 4 zones",
				`id="no-sources"`, "Apache ECharts", `id="zone-state"`, `value="unprog"`},
			[]string{`id="no-assets"`, `id="not-phased"`, "https://", "http://", "<script>alert"},
			[]string{"15014", "15120", `Saint-Flour \u003cHaute \u0026 Basse\u003e`, "15999"}},
		{"zone level not phased", testSource(false, false), ReportOptions{Lang: "fr"},
			[]string{`id="chart-map"`, `id="not-phased"`, "zone level (estimates)", "par zone", "Zone level: there are no individual premises",
				`class="lang-fr"`, `id="scenario"`, `id="reach"`, "deployed at once"},
			[]string{`id="chart-rollout"`, `"p1":`, "https://", "LEO cells", `id="fig-programmed"`, `value="unprog"`, `data-w="unzoned"`},
			[]string{"15014", "15999"}},
		{"sources and files", withSource(func(s *Source) {
			s.Meta.Sources = []string{"communes.geojson: IGN Admin Express 2018, Licence Ouverte / Etalab", "premises: BAN (ODbL)", "INSEE, populations légales 2021"}
			s.Meta.Warnings = []string{"--crs forced to EPSG:2154 <on every input>"}
			s.Meta.Findings = []Finding{
				{File: "nodes.csv", Code: "warning", Severity: "warning", Count: 4, Message: "record(s) kept with a caveat: unknown status (treated as active)"},
				{File: "communes.geojson", Code: "overlap", Severity: "warning", Count: 3, Message: "pair(s) of zones overlap", Hint: "…",
					Examples: []string{`feature 0 (id "15014") and feature 1 (id "15187") at 2.405000,44.930000: overlap of 5.25 km²`}},
				{File: "adresses.csv", Code: "skipped", Severity: "skipped", Count: 3, Message: "record(s) skipped: no coordinates", Examples: []string{"line 7"}},
				{File: "adresses.csv", Code: "outside-zones", Severity: "warning", Count: 2, Message: "premises outside every zone (not planned)",
					Examples: []string{`line 12 (id "p9") at 2.1,44.1`}},
				{File: "x.kml", Code: "new-code", Severity: "odd", Count: 1, Message: "something <new>", Hint: "do <this>"},
			}
		}), ReportOptions{Lang: "fr", DataFiles: []string{"zones.csv", "zones.geojson", "summary.json"}},
			[]string{`id="source-lines"`, "<li>INSEE, populations légales 2021</li>", "<div>IGN Admin Express 2018, Licence Ouverte / Etalab</div>",
				"<div>BAN (ODbL)</div>", `<a href="zones.csv">zones.csv</a>`, `<a href="summary.json">summary.json</a>`, `id="data-files"`,
				`data-w="run"`, "--crs forced to EPSG:2154 &lt;on every input&gt;",
				`<li data-f="warning"><b>nodes.csv</b> : <span class="fr" lang="fr">enregistrements gardés avec une réserve : état inconnu (considéré actif) (4)</span>`,
				`<li data-f="overlap"><b>communes.geojson</b> : <span class="fr" lang="fr">paires de zones qui se chevauchent (3)</span>`,
				"un local dans un chevauchement appartient à la zone qui vient d&#39;abord", "overlap of 5.25 km²",
				`data-f="skipped"`, "enregistrements ignorés : pas de coordonnées (3)", "line 7",
				`line 12 (id &#34;p9&#34;) at 2.1,44.1`, "something &lt;new&gt; (1)", "do &lt;this&gt;"},
			[]string{`id="no-sources"`, "<on every input>", `data-w="skipped"`, `data-f="outside-zones"`, "<new>"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			withEcharts(t, stubEcharts, func() {
				html := string(renderReport(t, tc.src, tc.opt))
				for _, s := range append(sections, tc.want...) {
					if !strings.Contains(html, s) {
						t.Errorf("page lacks %q", s)
					}
				}
				for _, s := range tc.notWant {
					if strings.Contains(html, s) {
						t.Errorf("page has %q", s)
					}
				}
				zones := pageBlockText(t, html, "cp-zones")
				for _, z := range tc.zones {
					if !strings.Contains(zones, `"`+z+`"`) {
						t.Errorf("zone data lacks %q", z)
					}
				}
				var zd struct {
					ID []string `json:"id"`
				}
				if err := json.Unmarshal([]byte(zones), &zd); err != nil || len(zd.ID) != len(tc.src.Plan.Zones) {
					t.Errorf("zone data has %d zones (%v), want %d", len(zd.ID), err, len(tc.src.Plan.Zones))
				}
			})
		})
	}
}

// pageBlockText is the JSON of the page's data block id, inflated when
// the page compressed it.
func pageBlockText(t testing.TB, html, id string) string {
	t.Helper()
	m := regexp.MustCompile(`<script type="application/json" id="` + id + `"( data-enc="deflate")?>([^<]*)</script>`).FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("page has no data block %s", id)
	}
	if m[1] == "" {
		return m[2]
	}
	raw, err := base64.StdEncoding.DecodeString(m[2])
	if err != nil {
		t.Fatalf("block %s: %v", id, err)
	}
	b, err := io.ReadAll(flate.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("block %s: %v", id, err)
	}
	return string(b)
}

// TestReportFiguresFromPlan checks that the key figures are the plan's
// totals as summary.json writes them: the same premises, reach, money and
// present cost per premise served.
func TestReportFiguresFromPlan(t *testing.T) {
	src := testSource(true, true)
	var sum bytes.Buffer
	if err := WriteSummaryJSON(&sum, src); err != nil {
		t.Fatal(err)
	}
	var s Summary
	if err := json.Unmarshal(sum.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	withEcharts(t, stubEcharts, func() {
		html := string(renderReport(t, src, ReportOptions{Lang: "en"}))
		fig := func(id string) string {
			m := regexp.MustCompile(`id="fig-` + id + `"><div class="v">(.*?)</div>`).FindStringSubmatch(html)
			if m == nil {
				t.Fatalf("no figure %s", id)
			}
			return m[1]
		}
		en := func(v float64) string { return string(biMoney(v)) }
		for id, want := range map[string]string{
			"premises": string(bint(s.Totals.Premises)),
			"capex":    en(float64(s.Totals.CapexEUR)),
			"opex":     en(float64(s.Totals.OpexEURPerYear)),
			"present":  en(float64(s.Totals.PresentCostEUR)),
			"public":   en(float64(s.Totals.PublicCostEUR)),
			"cpp":      en(float64(s.Totals.PresentCostPerPremiseEUR)),
			"reached":  string(biHTML(biVal(func(l lang) string { return fmtPct(float64(*s.Target.PremisesReachedShare), l) }))),
		} {
			if got := fig(id); got != want {
				t.Errorf("figure %s = %s, summary.json gives %s", id, got, want)
			}
		}
	})
}
