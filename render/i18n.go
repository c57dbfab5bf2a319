package render

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// The report is bilingual: every text exists in French and English, both
// are written into the page, and a toggle shows one of them. Labels live in
// tables (i18n_labels.go, i18n_codes.go, i18n_params.go) so that a missing
// translation is a test failure, not a blank.

// lang is a report language.
type lang string

const (
	langFR lang = "fr"
	langEN lang = "en"
)

// langs lists the report languages in page order.
var langs = [...]lang{langFR, langEN}

// parseLang maps "", "fr", "en" (any case, with an optional region such as
// "fr-FR") to a report language. The empty string is English.
func parseLang(s string) (lang, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(l, "-_"); i > 0 {
		l = l[:i]
	}
	switch l {
	case "", "en":
		return langEN, nil
	case "fr":
		return langFR, nil
	}
	return "", fmt.Errorf("render: unknown report language %q (want fr or en)", s)
}

// bi is one text in both languages.
type bi struct{ fr, en string }

// FR and EN give the text in one language, for templates.
func (b bi) FR() string { return b.fr }
func (b bi) EN() string { return b.en }

func (b bi) in(l lang) string {
	if l == langFR {
		return b.fr
	}
	return b.en
}

// same is a text that reads the same in both languages (a number, a name).
func same(s string) bi { return bi{s, s} }

// label returns the label named key; it panics on an unknown key, which the
// tests catch (every key the page uses is rendered by them).
func label(key string) bi {
	b, ok := labels[key]
	if !ok {
		panic("render: no label " + strconv.Quote(key))
	}
	return b
}

// t renders a label in both languages.
func t(key string) template.HTML { return biHTML(label(key)) }

// biHTML renders a text in both languages as two spans; the page's CSS
// shows the one of the current language.
func biHTML(b bi) template.HTML {
	if b.fr == b.en {
		return template.HTML(template.HTMLEscapeString(b.en))
	}
	return template.HTML(`<span class="fr" lang="fr">` + template.HTMLEscapeString(b.fr) +
		`</span><span class="en" lang="en">` + template.HTMLEscapeString(b.en) + `</span>`)
}

// biTitled renders a text in both languages with a tooltip in each (the
// exact value behind a rounded one).
func biTitled(text, title bi) template.HTML {
	esc := template.HTMLEscapeString
	if text.fr == text.en && title.fr == title.en {
		return template.HTML(`<span title="` + esc(title.en) + `">` + esc(text.en) + `</span>`)
	}
	return template.HTML(`<span class="fr" lang="fr" title="` + esc(title.fr) + `">` + esc(text.fr) +
		`</span><span class="en" lang="en" title="` + esc(title.en) + `">` + esc(text.en) + `</span>`)
}

// biSprintf applies fmt.Sprintf to both languages of a label, with
// arguments per language.
func biSprintf(key string, args func(l lang) []any) bi {
	b := label(key)
	return bi{fmt.Sprintf(b.fr, args(langFR)...), fmt.Sprintf(b.en, args(langEN)...)}
}

// biCount is biSprintf for a sentence about n things: the label key+".one"
// when n is 1 and it exists (French and English agree their verbs).
func biCount(key string, n int, args func(l lang) []any) bi {
	if _, ok := labels[key+".one"]; ok && n == 1 {
		key += ".one"
	}
	return biSprintf(key, args)
}

// nZones and nPremises write a count with its noun: "1 zone", "12 zones";
// "1 local", "12 locaux".
func nZones(n int, l lang) string { return countNoun(n, "n.zone", "n.zones", l) }

func nPremises(n int, l lang) string { return countNoun(n, "n.premise", "n.premises", l) }

func countNoun(n int, one, many string, l lang) string {
	if n == 1 {
		return fmtInt(n, l) + " " + label(one).in(l)
	}
	return fmtInt(n, l) + " " + label(many).in(l)
}

// biVal formats one value in both languages.
func biVal(f func(l lang) string) bi { return bi{f(langFR), f(langEN)} }

// Number formatting. French groups thousands with a narrow no-break space
// and uses a decimal comma; English groups with a comma and uses a point.
// Both are what Intl.NumberFormat gives in a browser, so the page script
// formats the same way (report.js: fmtNum, fmtMoney).

const narrowNBSP = "\u202f"

// fmtNum formats v with dec decimals in language l. NaN and infinities are
// written as "–".
func fmtNum(v float64, dec int, l lang) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	if isZeroDigits(intPart) && isZeroDigits(frac) {
		neg = false // no "-0"
	}
	sep, point := ",", "."
	if l == langFR {
		sep, point = narrowNBSP, ","
	}
	var b strings.Builder
	if neg {
		b.WriteString("-")
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}

func isZeroDigits(s string) bool {
	for _, c := range s {
		if c != '0' {
			return false
		}
	}
	return true
}

func fmtInt(n int, l lang) string { return fmtNum(float64(n), 0, l) }

// fmtEUR formats an amount of euros exactly, without decimals: "1 234 €" in
// French, "€1,234" in English.
func fmtEUR(v float64, l lang) string {
	return withEuro(fmtNum(v, 0, l), "", l)
}

// withEuro puts the euro sign and a unit suffix around a formatted number:
// "86,3 M€" in French, "€86.3M" in English.
func withEuro(s, unit string, l lang) string {
	if s == "–" {
		return s
	}
	if l == langFR {
		return s + narrowNBSP + unit + "€"
	}
	unit = map[string]string{"": "", "k": "k", "M": "M", "Md": "bn"}[unit]
	if strings.HasPrefix(s, "-") {
		return "-€" + s[1:] + unit
	}
	return "€" + s + unit
}

// fmtMoney formats an amount of euros with sensible precision: exact below
// €10,000, then three significant digits in k€, M€ or Md€ (bn): "4 500 €",
// "45,3 k€", "86,3 M€", "1,2 Md€" in French; "€4,500", "€45.3k", "€86.3M",
// "€1.2bn" in English. Trailing decimal zeros are dropped.
func fmtMoney(v float64, l lang) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	x, unit, dec := shortMoney(v)
	if unit == "" {
		return fmtEUR(v, l)
	}
	s := fmtNum(x, dec, l)
	if dec > 0 {
		point := "."
		if l == langFR {
			point = ","
		}
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, point)
	}
	return withEuro(s, unit, l)
}

// shortMoney scales v for fmtMoney: the value in its unit ("" for euros,
// "k", "M", "Md"), rounded to three significant digits, and its decimals.
func shortMoney(v float64) (x float64, unit string, dec int) {
	a := math.Abs(v)
	if math.Round(a) < 10000 {
		return v, "", 0
	}
	units := []string{"k", "M", "Md"}
	scale := 1e3
	for i, u := range units {
		x = v / scale
		ax := math.Abs(x)
		dec = 2
		switch {
		case ax >= 99.95:
			dec = 0
		case ax >= 9.995:
			dec = 1
		}
		if r := roundTo(ax, dec); r < 1000 || i == len(units)-1 {
			return roundTo(x, dec), u, dec
		}
		scale *= 1000
	}
	return x, "Md", 0
}

// fmtPct formats a share in [0,1] as a percentage with one decimal; a
// share too small to show is "< 0,1 %", never "0,0 %".
func fmtPct(share float64, l lang) string {
	if share > 0 && share < 0.0005 {
		return "< " + fmtPct(0.001, l)
	}
	s := fmtNum(100*share, 1, l)
	if s == "–" {
		return s
	}
	if l == langFR {
		return s + narrowNBSP + "%"
	}
	return s + "%"
}

// fmtShare formats a share in [0,1] as a percentage with as few decimals
// as it needs (at most two): "4 %", "51 %", "2,5 %".
func fmtShare(share float64, l lang) string {
	v := 100 * share
	s := fmtNum(v, min(decimalsOf(v), 2), l)
	if s == "–" {
		return s
	}
	if l == langFR {
		return s + narrowNBSP + "%"
	}
	return s + "%"
}

// biMoney is an amount in both languages, rounded by fmtMoney, with the
// exact amount in a tooltip when rounding changed it.
func biMoney(v float64) template.HTML {
	short := biVal(func(l lang) string { return fmtMoney(v, l) })
	exact := biVal(func(l lang) string { return fmtEUR(v, l) })
	if short == exact {
		return biHTML(short)
	}
	return biTitled(short, exact)
}

// bnum formats a value in both languages.
func bnum(v float64, dec int) template.HTML {
	return biHTML(biVal(func(l lang) string { return fmtNum(v, dec, l) }))
}

// bint formats a count in both languages.
func bint(n int) template.HTML { return bnum(float64(n), 0) }

// biEUR formats an exact amount (fmtEUR) in both languages.
func biEUR(v float64) template.HTML {
	return biHTML(biVal(func(l lang) string { return fmtEUR(v, l) }))
}

// biShare formats a share (fmtPct) in both languages.
func biShare(share float64) template.HTML {
	return biHTML(biVal(func(l lang) string { return fmtPct(share, l) }))
}

// frMonths and enMonths name the months for dates.
var (
	frMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	enMonths = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// fmtDate writes an ISO date (YYYY-MM-DD) in words: "4 mai 2026", "4 May
// 2026". Anything else is returned as given.
func fmtDate(s string, l lang) string {
	y, m, d, ok := parseISODate(s)
	if !ok {
		return s
	}
	if l == langFR {
		day := strconv.Itoa(d)
		if d == 1 {
			day = "1er"
		}
		return day + " " + frMonths[m-1] + " " + strconv.Itoa(y)
	}
	return strconv.Itoa(d) + " " + enMonths[m-1] + " " + strconv.Itoa(y)
}

func parseISODate(s string) (y, m, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	var err1, err2, err3 error
	y, err1 = strconv.Atoi(s[:4])
	m, err2 = strconv.Atoi(s[5:7])
	d, err3 = strconv.Atoi(s[8:])
	if err1 != nil || err2 != nil || err3 != nil || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, 0, false
	}
	return y, m, d, true
}
