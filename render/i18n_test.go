package render

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"

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
}

// TestI18nComplete checks that every label, technology, kind and reason has
// both languages, and that format labels take the same verbs in both.
func TestI18nComplete(t *testing.T) {
	verbs := regexp.MustCompile(`%[a-z]`)
	for k, b := range labels {
		if b.fr == "" || b.en == "" {
			t.Errorf("label %s: missing a language: %+v", k, b)
		}
		if f, e := verbs.FindAllString(b.fr, -1), verbs.FindAllString(b.en, -1); strings.Join(f, "") != strings.Join(e, "") {
			t.Errorf("label %s: verbs %v in French, %v in English", k, f, e)
		}
	}
	for tc := coverage.Tech(0); tc < coverage.NumTechs; tc++ {
		if techLabels[tc].fr == "" || techLabels[tc].en == "" || techColors[tc] == "" {
			t.Errorf("technology %v: label or colour missing", tc)
		}
	}
	for k := coverage.Kind(0); k < coverage.NumKinds; k++ {
		if kindLabels[k].fr == "" || kindLabels[k].en == "" {
			t.Errorf("kind %v: label missing", k)
		}
	}
	for _, r := range reasonOrder {
		if b := reasonLabels[r]; b.fr == "" || b.en == "" {
			t.Errorf("reason %s: label missing", r)
		}
	}
	if len(reasonLabels) != len(reasonOrder) {
		t.Errorf("%d reason labels, %d reasons listed", len(reasonLabels), len(reasonOrder))
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

// FuzzReportNames puts arbitrary zone names and ids through the report and
// checks that the page stays well formed: no error, exactly the two
// scripts, and no markup from the data.
func FuzzReportNames(f *testing.F) {
	for _, s := range []string{"Aurillac", "</script><script>alert(1)</script>", "<!--", "a & b", "\u2028", "'\"`", "</SCRIPT >", "\xff\xfe"} {
		f.Add(s, s)
	}
	old := echartsJS
	echartsJS = stubEcharts
	defer func() { echartsJS = old }()
	scriptTag := regexp.MustCompile(`(?i)<script`)
	f.Fuzz(func(t *testing.T, name, id string) {
		src := testSource(true, false)
		src.Input.Zones[2].Name = name
		src.Input.Zones[3].ID = id
		var buf bytes.Buffer
		if err := WriteReport(&buf, src, ReportOptions{}); err != nil {
			t.Fatal(err)
		}
		html := buf.String()
		if n := len(scriptTag.FindAllStringIndex(html, -1)); n != 2 {
			t.Fatalf("%d <script> tags with name %q id %q", n, name, id)
		}
		if strings.Count(html, "</script>") != 2 {
			t.Fatalf("extra </script> with name %q id %q", name, id)
		}
		if strings.Contains(name, "<b") && strings.Contains(html, name) {
			t.Fatalf("name %q written unescaped", name)
		}
	})
}
