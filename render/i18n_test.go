package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/covplan/covplan/coverage"
)

func TestI18nFormat(t *testing.T) {
	cases := []struct {
		v      float64
		dec    int
		fr, en string
	}{
		{0, 0, "0", "0"},
		{-0.2, 0, "0", "0"},
		{999, 0, "999", "999"},
		{1234, 0, "1\u202f234", "1,234"},
		{-1234567.891, 2, "-1\u202f234\u202f567,89", "-1,234,567.89"},
		{12.345, 1, "12,3", "12.3"},
		{math.NaN(), 0, "–", "–"},
		{math.Inf(1), 0, "–", "–"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.v), func(t *testing.T) {
			if got := fmtNum(tc.v, tc.dec, langFR); got != tc.fr {
				t.Errorf("fr: %q, want %q", got, tc.fr)
			}
			if got := fmtNum(tc.v, tc.dec, langEN); got != tc.en {
				t.Errorf("en: %q, want %q", got, tc.en)
			}
		})
	}
	if got := fmtEUR(-1500, langEN); got != "-€1,500" {
		t.Errorf("fmtEUR en = %q", got)
	}
	if got := fmtEUR(1500, langFR); got != "1\u202f500\u202f€" {
		t.Errorf("fmtEUR fr = %q", got)
	}
	if got := fmtPct(0.5, langFR); got != "50,0\u202f%" {
		t.Errorf("fmtPct fr = %q", got)
	}
	if got := fmtPct(0.0001, langEN); got != "< 0.1%" {
		t.Errorf("fmtPct of a tiny share = %q", got)
	}
	for v, want := range map[float64][2]string{0.04: {"4\u202f%", "4%"}, 0.515: {"51,5\u202f%", "51.5%"}, 1: {"100\u202f%", "100%"}, 0.0125: {"1,25\u202f%", "1.25%"}} {
		if fr, en := fmtShare(v, langFR), fmtShare(v, langEN); fr != want[0] || en != want[1] {
			t.Errorf("fmtShare(%g) = %q, %q; want %q", v, fr, en, want)
		}
	}
	if got := fmtDate("2026-05-01", langFR); got != "1er mai 2026" {
		t.Errorf("fmtDate fr = %q", got)
	}
	if got := fmtDate("2026-12-24", langEN); got != "24 December 2026" {
		t.Errorf("fmtDate en = %q", got)
	}
	if got := fmtDate("Q2 2026", langFR); got != "Q2 2026" {
		t.Errorf("fmtDate of a non-date = %q", got)
	}
}

// TestI18nMoney checks the rounded amounts: exact below €10,000, three
// significant digits above, no trailing zero, the unit moving up when
// rounding reaches 1,000 of the lower one. report.js's money() follows the
// same rules (the browser test compares them).
func TestI18nMoney(t *testing.T) {
	cases := []struct {
		v      float64
		fr, en string
	}{
		{0, "0\u202f€", "€0"},
		{4500, "4\u202f500\u202f€", "€4,500"},
		{9999.4, "9\u202f999\u202f€", "€9,999"},
		{9999.6, "10\u202fk€", "€10k"},
		{45321, "45,3\u202fk€", "€45.3k"},
		{120000, "120\u202fk€", "€120k"},
		{999950, "1\u202fM€", "€1M"},
		{1204000, "1,2\u202fM€", "€1.2M"},
		{86284826, "86,3\u202fM€", "€86.3M"},
		{-99792405, "-99,8\u202fM€", "-€99.8M"},
		{210e6, "210\u202fM€", "€210M"},
		{1.234e9, "1,23\u202fMd€", "€1.23bn"},
		{5e12, "5\u202f000\u202fMd€", "€5,000bn"},
		{math.NaN(), "–", "–"},
	}
	for _, tc := range cases {
		if fr, en := fmtMoney(tc.v, langFR), fmtMoney(tc.v, langEN); fr != tc.fr || en != tc.en {
			t.Errorf("fmtMoney(%g) = %q, %q; want %q, %q", tc.v, fr, en, tc.fr, tc.en)
		}
	}
	if got := string(biMoney(86284826)); !strings.Contains(got, `title="86`+"\u202f"+`284`+"\u202f"+`826`+"\u202f"+`€"`) || !strings.Contains(got, ">86,3\u202fM€<") {
		t.Errorf("biMoney: no exact amount in the tooltip: %s", got)
	}
	if got := string(biMoney(1500)); strings.Contains(got, "title=") {
		t.Errorf("biMoney of an exact amount has a tooltip: %s", got)
	}
}

// TestI18nComplete checks that every label, technology, kind, cost item,
// reason, policy, ranking and scenario parameter has both languages, and
// that labels take the same fmt verbs and script placeholders in both.
func TestI18nComplete(t *testing.T) {
	verbs := regexp.MustCompile(`%[a-z]|\{\d\}`)
	for k, b := range labels {
		if b.fr == "" || b.en == "" {
			t.Errorf("label %s: missing a language: %+v", k, b)
		}
		f, e := verbs.FindAllString(b.fr, -1), verbs.FindAllString(b.en, -1)
		if k == "why.budgetrank" { // {1} unused in both: the same arguments as why.budgetcapex
			f, e = nil, nil
		}
		if strings.Join(f, "") != strings.Join(e, "") {
			t.Errorf("label %s: verbs %v in French, %v in English", k, f, e)
		}
	}
	for tc := coverage.Tech(0); tc < coverage.NumTechs; tc++ {
		if techLabels[tc].fr == "" || techLabels[tc].en == "" || techColors[tc] == "" || techShort[tc].fr == "" {
			t.Errorf("technology %v: label or colour missing", tc)
		}
	}
	for k := coverage.Kind(0); k < coverage.NumKinds; k++ {
		if kindLabels[k].fr == "" || kindLabels[k].en == "" {
			t.Errorf("kind %v: label missing", k)
		}
	}
	for c := range coverage.NumCostItems {
		if itemLabels[c].fr == "" || itemLabels[c].en == "" {
			t.Errorf("cost item %v: label missing", c)
		}
	}
	for _, r := range coverage.ReasonOrder() {
		if b := reasonLabels[r]; b.fr == "" || b.en == "" {
			t.Errorf("reason %s: label missing", r)
		}
		if b := reasonShort[r]; b.fr == "" || b.en == "" {
			t.Errorf("reason %s: short label missing", r)
		}
	}
	for _, p := range coverage.Policies {
		if policyLabels[p].fr == "" || policyDocs[p].fr == "" {
			t.Errorf("policy %s: label or doc missing", p)
		}
	}
	for _, r := range []coverage.RankBy{coverage.RankTotal, coverage.RankPublic, coverage.RankNPV} {
		if rankLabels[r].fr == "" {
			t.Errorf("ranking %s: label missing", r)
		}
	}
	for _, n := range coverage.TargetNames() {
		if targetLabels[n].fr == "" {
			t.Errorf("target %s: label missing", n)
		}
	}
	sc := coverage.DefaultScenario()
	for _, p := range sc.Params() {
		if d := paramDoc(p); d.fr == p.Doc || d.fr == "" {
			t.Errorf("parameter %s: no French meaning (add it to paramDocsFR)", p.Key)
		}
		if _, ok := unitLabels[p.Unit]; !ok {
			t.Errorf("parameter %s: unit %q has no label", p.Key, p.Unit)
		}
	}
}

// TestI18nParamValues checks that parameter values are localised with
// their unit: numbers, shares as percentages, booleans, names.
func TestI18nParamValues(t *testing.T) {
	sc := coverage.DefaultScenario()
	byKey := map[string]coverage.Param{}
	for _, p := range sc.Params() {
		byKey[p.Key] = p
	}
	cases := []struct {
		key, value string
		fr, en     string
	}{
		{"money.discount_rate", "0.04", "4\u202f%/an", "4\u202f%/year"},
		{"fibre.new_node_eur", "200000", "200\u202f000\u202f€/NRO", "200,000\u202f€/node"},
		{"budget_eur", "1.5e+07", "15\u202f000\u202f000\u202f€", "15,000,000\u202f€"},
		{"wifi.fwa.capacity_mbps", "637.5", "637,5\u202fMbit/s", "637.5\u202fMbit/s"},
		{"fibre.allow_new_nodes", "true", "oui", "yes"},
		{"policy", "least-cost", "moindre coût", "least cost"},
		{"policy.priority_tech", "fibre", "Fibre (FTTH)", "Fibre (FTTH)"},
		{"priority", "school,public", "écoles, services publics", "schools, public services"},
		{"policy.rank_by", "", "selon la règle : coût actualisé (réseau + abonnés − recettes)", "policy default: present cost (network + subscribers − revenues)"},
	}
	for _, tc := range cases {
		p, ok := byKey[tc.key]
		if !ok {
			t.Fatalf("no parameter %s", tc.key)
		}
		if fr, en := paramValue(p, tc.value, &sc, langFR), paramValue(p, tc.value, &sc, langEN); fr != tc.fr || en != tc.en {
			t.Errorf("%s=%s: %q, %q; want %q, %q", tc.key, tc.value, fr, en, tc.fr, tc.en)
		}
	}
	if d := paramDoc(byKey["demand.school.take_up"]); !strings.HasPrefix(d.fr, "écoles : ") {
		t.Errorf("kind parameter doc: %q", d.fr)
	}
	if d := paramDoc(byKey["wifi.public-wifi.range_m"]); !strings.HasPrefix(d.fr, "public-wifi : ") {
		t.Errorf("profile parameter doc: %q", d.fr)
	}
}

func TestI18nBiHTML(t *testing.T) {
	got := string(biHTML(bi{"<é>", "<e>"}))
	want := `<span class="fr" lang="fr">&lt;é&gt;</span><span class="en" lang="en">&lt;e&gt;</span>`
	if got != want {
		t.Errorf("biHTML = %s, want %s", got, want)
	}
	if got := string(biHTML(bi{"Zones", "Zones"})); got != "Zones" {
		t.Errorf("same text in both languages: %s", got)
	}
}

// scriptTags counts the page's script elements.
var scriptTag = regexp.MustCompile(`(?i)<script`)

// FuzzReportNames puts arbitrary zone names and ids through the report and
// checks that the page stays well formed — no error, the same script
// elements as with plain names, no markup from the data — and that the
// zone data the page script reads gives the names back (jsonWriter against
// encoding/json).
func FuzzReportNames(f *testing.F) {
	for _, s := range []string{"Aurillac", "</script><script>alert(1)</script>", "<!--", "a & b", "\u2028", "'\"`", "</SCRIPT >", "\xff\xfe"} {
		f.Add(s, s)
	}
	old := echartsJS
	echartsJS = stubEcharts
	defer func() { echartsJS = old }()
	var base bytes.Buffer
	if err := WriteReport(&base, testSource(true, false), ReportOptions{}); err != nil {
		f.Fatal(err)
	}
	wantScripts := len(scriptTag.FindAllStringIndex(base.String(), -1))
	wantClose := strings.Count(base.String(), "</script>")
	f.Fuzz(func(t *testing.T, name, id string) {
		src := testSource(true, false)
		src.Input.Zones[2].Name = name
		src.Input.Zones[3].ID = id
		var buf bytes.Buffer
		if err := WriteReport(&buf, src, ReportOptions{}); err != nil {
			t.Fatal(err)
		}
		html := buf.String()
		if n := len(scriptTag.FindAllStringIndex(html, -1)); n != wantScripts {
			t.Fatalf("%d <script> tags with name %q id %q, want %d", n, name, id, wantScripts)
		}
		if n := strings.Count(html, "</script>"); n != wantClose {
			t.Fatalf("%d </script> with name %q id %q, want %d", n, name, id, wantClose)
		}
		if strings.Contains(name, "<b") && strings.Contains(html, name) {
			t.Fatalf("name %q written unescaped", name)
		}
		var zones struct {
			ID   []string `json:"id"`
			Name []string `json:"name"`
		}
		if err := json.Unmarshal([]byte(pageBlockText(t, html, "cp-zones")), &zones); err != nil {
			t.Fatalf("zone data does not parse with name %q id %q: %v", name, id, err)
		}
		if want := validUTF8(name); zones.Name[2] != want || !utf8.ValidString(zones.Name[2]) {
			t.Fatalf("name %q read back as %q", name, zones.Name[2])
		}
		if want := validUTF8(id); zones.ID[3] != want {
			t.Fatalf("id %q read back as %q", id, zones.ID[3])
		}
	})
}

// TestI18nLabelsUsed checks that every label is used by the page: named in
// the render sources, the page template or the page script.
func TestI18nLabelsUsed(t *testing.T) {
	var all strings.Builder
	for _, glob := range []string{"*.go", "web/*"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") || f == "i18n_labels.go" {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			all.Write(b)
		}
	}
	src := all.String()
	for k := range labels {
		k = strings.TrimSuffix(k, ".one") // used through biCount
		if !strings.Contains(src, `"`+k+`"`) && !strings.Contains(src, `:`+k+`"`) && !strings.Contains(src, `:`+k+`,`) {
			t.Errorf("label %s is not used", k)
		}
	}
}
