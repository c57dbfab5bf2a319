package render_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/paulmach/orb"

	"github.com/covplan/covplan/coverage"
	"github.com/covplan/covplan/render"
)

// A one-zone plan rendered as report.html, in French first. The page holds
// both languages, its sections in a fixed order (the cover shows only on
// paper), and the technology mix.
func ExampleWriteReport() {
	ring := orb.Ring{{2.40, 44.90}, {2.46, 44.90}, {2.46, 44.96}, {2.40, 44.96}, {2.40, 44.90}}
	in := &coverage.Input{Zones: []coverage.Zone{{ID: "15014", Name: "Aurillac"}}}
	zp := coverage.ZonePlan{Zone: 0, Premises: 120, Units: 140, Chosen: coverage.TechFibre, MeetsTarget: true}
	zp.Options[coverage.TechFibre] = coverage.Option{Tech: coverage.TechFibre, Feasible: true,
		Money: coverage.Money{CapexEUR: 96000, PresentCostEUR: 150000}, PresentCostPerPremiseEUR: 1250, DownMbps: 1000, UpMbps: 500, LatencyMs: 5}
	zp.Mix[coverage.TechFibre] = 120
	plan := &coverage.Plan{Zones: []coverage.ZonePlan{zp}, ZoneLevel: true, Scenario: coverage.DefaultScenario()}
	plan.SumZones() // the totals the page shows, as coverage.Decide leaves them
	src := &render.Source{
		Plan:    plan,
		Input:   in,
		ZonesLL: []orb.Geometry{orb.Polygon{ring}},
		Meta:    render.Meta{Title: "Aurillac", Version: "v1.0.0"},
	}
	var buf bytes.Buffer
	if err := render.WriteReport(&buf, src, render.ReportOptions{Lang: "fr"}); err != nil {
		fmt.Println(err)
		return
	}
	page := buf.String()
	fmt.Println(regexp.MustCompile(`<title>.*</title>`).FindString(page))
	fmt.Println(regexp.MustCompile(`<body class="[^"]*">`).FindString(page))
	var sections []string
	for _, m := range regexp.MustCompile(`<section id="([a-z]+)">`).FindAllStringSubmatch(page, -1) {
		sections = append(sections, m[1])
	}
	fmt.Println(strings.Join(sections, " "))
	fmt.Println(regexp.MustCompile(`<tr data-t=.*?</td><td class="n">.*?</td>`).FindString(page))
	// Output:
	// <title>Aurillac – covplan</title>
	// <body class="lang-fr">
	// figures mix curve dist rollout map zones method sources inputs
	// <tr data-t="fibre"><td><i class="dot t-fibre"></i>Fibre (FTTH)</td><td class="n">1</td>
}
