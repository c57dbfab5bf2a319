package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The validation: covplan's figures, computed by running the command as a
// user would, against figures published by real programmes
// (docs/validation.md explains every anchor, its source and, where covplan
// misses, why). The table between the markers of docs/validation.md is
// written by
//
//	go test ./cmd/covplan -run TestValidation -update
//
// and TestValidation fails when a figure moves without the page being
// rewritten, when an anchor covplan meets stops being met, or when a
// documented miss starts being met (the page would then say something
// false).

var update = flag.Bool("update", false, "rewrite the generated parts of docs (docs/validation.md's table)")

const (
	anchorsDir     = "testdata/anchors/"
	validationDoc  = "../../docs/validation.md"
	validationMark = "validation"
)

// anchor is one published figure and how covplan's is judged against it.
type anchor struct {
	ID        string
	Figure    string               // what is compared, as the table says it
	Published string               // the published figure, with its source (short)
	Want      float64              // the published value the ratio is taken on (0: no ratio)
	Lo, Hi    float64              // covplan's figure passes when Lo ≤ got ≤ Hi
	Tolerance string               // Lo..Hi in words
	Show      func(float64) string // how covplan's figure is printed
	Miss      string               // a documented miss: the short reason (the page has the long one)
	Got       func(t *testing.T, r *valRuns) float64
}

func TestValidation(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the planner on whole départements")
	}
	r := newValRuns(t)
	var rows []string
	for _, a := range anchors() {
		got := a.Got(t, r)
		pass := got >= a.Lo && got <= a.Hi && !math.IsNaN(got)
		switch {
		case !pass && a.Miss == "":
			t.Errorf("%s: covplan gives %s, outside %s (%s)", a.ID, a.Show(got), a.Tolerance, a.Published)
		case pass && a.Miss != "":
			t.Errorf("%s: covplan gives %s, now within %s: the documented miss (%s) is no longer true; update docs/validation.md", a.ID, a.Show(got), a.Tolerance, a.Miss)
		}
		rows = append(rows, validationRow(a, got, pass))
	}
	table := "| anchor | covplan's figure | published | covplan | ratio | tolerance | verdict |\n" +
		"|---|---|---|---|---|---|---|\n" + strings.Join(rows, "\n") + "\n"
	checkGenerated(t, validationDoc, validationMark, table)
}

func eur(v float64) string    { return "€" + thousands(v) }
func pct(v float64) string    { return fmt.Sprintf("%.1f %%", 100*v) }
func metres(v float64) string { return fmt.Sprintf("%.0f m", v) }
func count(v float64) string  { return thousands(v) }
func ratio2(v float64) string { return fmt.Sprintf("%.2f", v) }

// thousands prints v rounded to a whole number with a comma between
// thousands, as the page writes figures.
func thousands(v float64) string {
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

func validationRow(a anchor, got float64, pass bool) string {
	ratio := "—"
	if a.Want != 0 {
		ratio = fmt.Sprintf("%.2f", got/a.Want)
	}
	verdict := "**meets**"
	if !pass {
		verdict = "**misses**: " + a.Miss
	}
	return fmt.Sprintf("| `%s` | %s | %s | %s | %s | %s | %s |", a.ID, a.Figure, a.Published,
		a.Show(got), ratio, a.Tolerance, verdict)
}

// checkGenerated compares the part of path between "<!-- mark:begin ... -->"
// and "<!-- mark:end -->" with want, or rewrites it under -update.
func checkGenerated(t *testing.T, path, mark, want string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	begin, end := "<!-- "+mark+":begin", "<!-- "+mark+":end -->"
	i := strings.Index(doc, begin)
	j := strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s: no %s ... %s markers", path, begin, end)
	}
	i += strings.Index(doc[i:], "-->\n") + len("-->\n")
	if doc[i:j] == want {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(doc[:i]+want+doc[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is out of date: run go test ./cmd/covplan -run %s -update and read the diff\n--- generated:\n%s", path, t.Name(), want)
}

// valRuns runs each plan the anchors need once, on inputs derived into a
// temporary folder.
type valRuns struct {
	dir  string
	mu   sync.Mutex
	runs map[string]*valPlan
}

// valPlan is what a run wrote: summary.json decoded and zones.csv as rows
// keyed by column name.
type valPlan struct {
	Summary map[string]any
	Zones   []map[string]string
}

func newValRuns(t *testing.T) *valRuns {
	return &valRuns{dir: t.TempDir(), runs: map[string]*valPlan{}}
}

// plan runs covplan plan with args (without --out) once per name.
func (r *valRuns) plan(t *testing.T, name string, args ...string) *valPlan {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if p, ok := r.runs[name]; ok {
		return p
	}
	out := filepath.Join(r.dir, "out-"+name)
	code, _, stderr := covplan(t, append(append([]string{"plan", "--quiet", "--no-report"}, args...), "--out", out)...)
	if code != exitOK {
		t.Fatalf("validation run %s: exit %d:\n%s", name, code, stderr)
	}
	p := &valPlan{}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &p.Summary); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, filepath.Join(out, "zones.csv"))
	for _, row := range rows[1:] {
		m := make(map[string]string, len(row))
		for i, h := range rows[0] {
			m[h] = row[i]
		}
		p.Zones = append(p.Zones, m)
	}
	r.runs[name] = p
	return p
}

// without writes the features of the zones file src whose code is not
// listed in the first column of the CSV file list (the communes outside
// a public programme) to the run folder, and returns its path and the
// population of the features kept.
func (r *valRuns) without(t *testing.T, name, src, list string) (string, float64) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	drop := map[string]bool{}
	for i, row := range readCSV(t, list) {
		if i > 0 {
			drop[row[0]] = true
		}
	}
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	kept := fc.Features[:0]
	pop, dropped := 0.0, 0
	for _, f := range fc.Features {
		var head struct {
			Properties struct {
				Code       string   `json:"code"`
				Population *float64 `json:"population"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(f, &head); err != nil {
			t.Fatal(err)
		}
		if drop[head.Properties.Code] {
			dropped++
			continue
		}
		if head.Properties.Population != nil {
			pop += *head.Properties.Population
		}
		kept = append(kept, f)
	}
	if dropped != len(drop) {
		t.Fatalf("%s: %d of the %d communes of %s found", src, dropped, len(drop), list)
	}
	fc.Features = kept
	out, err := json.Marshal(fc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(r.dir, name+".geojson")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, pop
}

// total reads summary.json's totals[key].
func (p *valPlan) total(t *testing.T, key string) float64 {
	t.Helper()
	v, ok := p.Summary["totals"].(map[string]any)[key].(float64)
	if !ok {
		t.Fatalf("summary.json: no number totals.%s", key)
	}
	return v
}

// tech reads summary.json's by_technology entry of tech: key.
func (p *valPlan) tech(t *testing.T, tech, key string) float64 {
	t.Helper()
	for _, e := range p.Summary["by_technology"].([]any) {
		m := e.(map[string]any)
		if m["technology"] == tech {
			v, _ := m[key].(float64)
			return v
		}
	}
	return 0
}

// share is tech's share of the plan's premises and of its public cost.
func (p *valPlan) share(t *testing.T, tech string) (premises, public float64) {
	t.Helper()
	var n, money float64
	for _, e := range p.Summary["by_technology"].([]any) {
		m := e.(map[string]any)
		pv, _ := m["premises"].(float64)
		mv, _ := m["public_cost_eur"].(float64)
		n += pv
		money += mv
	}
	return p.tech(t, tech, "premises") / n, p.tech(t, tech, "public_cost_eur") / money
}

// zoneFloat parses column key of a zones.csv row (0 when empty).
func zoneFloat(t *testing.T, z map[string]string, key string) float64 {
	t.Helper()
	s, ok := z[key]
	if !ok {
		t.Fatalf("zones.csv: no column %s", key)
	}
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("zones.csv %s: %v", key, err)
	}
	return v
}

// The inputs of the runs.
const (
	exCantal = ex + "cantal/"
	exMB     = ex + "mont-bonvillers/"
	// fibreEverywhere: fibre-first with a threshold no zone reaches.
	fibreEverywhere = "--policy=fibre-first --threshold-eur=1e9"
)

func (r *valRuns) cantalRIP(t *testing.T) *valPlan {
	zones, _ := r.without(t, "cantal-rip", exCantal+"communes.geojson", anchorsDir+"amii-15.csv")
	return r.plan(t, "cantal-rip", append(strings.Fields(fibreEverywhere),
		"--zones", zones, "--zone-table", exCantal+"population.csv")...)
}

// publicZone plans fibre everywhere over département dep's public zone
// (its communes less those listed in amii-<dep>.csv) at zone level, with
// the programme's own count of premises: prises ÷ the zone's population
// premises per inhabitant.
func (r *valRuns) publicZone(t *testing.T, dep string, prises float64) *valPlan {
	name := "rip-" + dep
	zones, pop := r.without(t, name, anchorsDir+"communes-"+dep+".geojson", anchorsDir+"amii-"+dep+".csv")
	return r.plan(t, name, append(strings.Fields(fibreEverywhere),
		"--zones", zones, "--set", fmt.Sprintf("zone_level.premises_per_inhabitant=%.4f", prises/pop))...)
}

func (r *valRuns) cantalExample(t *testing.T, name string, extra ...string) *valPlan {
	return r.plan(t, name, append([]string{
		"--zones", exCantal + "communes.geojson", "--zone-table", exCantal + "population.csv",
		"--fibre", exCantal + "public-network-2014-2021.geojson", "--fibre", exCantal + "amii-orange.geojson",
		"--fibre", exCantal + "nro-nodes.csv"}, extra...)...)
}

func (r *valRuns) mb(t *testing.T, name string, extra ...string) *valPlan {
	return r.plan(t, name, append([]string{"--fibre", exMB + "nro-assumed.csv"}, extra...)...)
}

func perPremise(t *testing.T, p *valPlan, key string) float64 {
	return p.total(t, key) / p.total(t, "premises")
}

func anchors() []anchor {
	return []anchor{
		{
			ID: "auvergne-thd", Want: 2400, Lo: 1800, Hi: 3000, Tolerance: "±25 %", Show: eur,
			Figure:    "CAPEX per premise, fibre everywhere, Cantal's public zone (communes outside Orange's AMII), zone level, no existing network",
			Published: "€2,400 per prise: Auvergne Très Haut Débit, « 1 000 millions d'euros » (later 1,100) for 436,000 prises (cantal.fr, 2019). *In sample*: the zone-level network was calibrated on it",
			Got: func(t *testing.T, r *valRuns) float64 {
				return perPremise(t, r.cantalRIP(t), "capex_eur")
			},
		},
		{
			ID: "alliance-lozere", Want: 1671, Lo: 1671 * 0.75, Hi: 1671 * 1.25, Tolerance: "±25 %", Show: eur,
			Figure:    "CAPEX per premise, fibre everywhere, Lozère's public zone, zone level, the programme's 60,427 premises, no existing network",
			Published: "€1,671 per prise: ALLiance THD Lozère, €101 M for 60,427 prises (France Bleu, 2017). Out of sample",
			Miss:      "covplan is about 30 % high: see §3.1",
			Got: func(t *testing.T, r *valRuns) float64 {
				return perPremise(t, r.publicZone(t, "48", 60427), "capex_eur")
			},
		},
		{
			ID: "alliance-aveyron", Want: 1721, Lo: 1721 * 0.75, Hi: 1721 * 1.25, Tolerance: "±25 %", Show: eur,
			Figure:    "CAPEX per premise, fibre everywhere, Aveyron's public zone (communes outside Rodez Agglomération and Millau), zone level, the programme's 154,582 premises, no existing network",
			Published: "€1,721 per prise: ALLiance THD Aveyron, €266 M for 154,582 prises (ariase.com, 2017). Out of sample",
			Got: func(t *testing.T, r *valRuns) float64 {
				return perPremise(t, r.publicZone(t, "12", 154582), "capex_eur")
			},
		},
		{
			ID: "alliance-lot", Want: 1686, Lo: 1686 * 0.75, Hi: 1686 * 1.25, Tolerance: "±25 %", Show: eur,
			Figure:    "CAPEX per premise, fibre everywhere, Lot's public zone (communes outside Cahors and Pradines), zone level, the programme's 131,055 premises, no existing network",
			Published: "€1,686 per prise: ALLiance THD Lot, €221 M of works (France Bleu, 2020) for 131,055 prises. Out of sample",
			Got: func(t *testing.T, r *valRuns) float64 {
				return perPremise(t, r.publicZone(t, "46", 131055), "capex_eur")
			},
		},
		{
			ID: "per-commune-range", Lo: 0.95, Hi: 1, Tolerance: "≥ 95 % of communes", Show: pct,
			Figure:    "share of Cantal's public-zone communes whose fibre CAPEX per premise is within €300–6,000",
			Published: "French cost per prise €300–6,000 (Sénat report; docs/sources.md)",
			Got: func(t *testing.T, r *valRuns) float64 {
				n, in := 0, 0
				for _, z := range r.cantalRIP(t).Zones {
					prem := zoneFloat(t, z, "premises")
					if prem == 0 {
						continue
					}
					n++
					if c := zoneFloat(t, z, "capex_eur") / prem; c >= 300 && c <= 6000 {
						in++
					}
				}
				return float64(in) / float64(n)
			},
		},
		{
			ID: "route-per-premise", Want: 65, Lo: 0, Hi: 65, Tolerance: "≤ 65 m (cable, an upper bound on route)", Show: metres,
			Figure:    "new route metres per premise, same run as `auvergne-thd`",
			Published: "51 m (ADN, 16,000 km of cable for 311,000 foyers) and 65 m (Anjou, 13,000 km for 200,000 foyers) of cable per prise: an upper bound on route metres",
			Miss:      "covplan's route is about 20 % longer than the cable of real programmes: see §3.2",
			Got: func(t *testing.T, r *valRuns) float64 {
				p := r.cantalRIP(t)
				m := 0.0
				for _, z := range p.Zones {
					m += zoneFloat(t, z, "fibre_route_m")
				}
				return m / p.total(t, "premises")
			},
		},
		{
			ID: "mb-zone-vs-premise", Want: 1, Lo: 0.7, Hi: 1.3, Tolerance: "±30 %", Show: ratio2,
			Figure:    "Mont-Bonvillers, fibre everywhere: CAPEX per premise at zone level (the commune, its population) ÷ at premise level (its 501 addresses in the commune)",
			Published: "issue 9: the same area at zone level and at premise level within ±30 % (before: zone-level distribution 5.2× the real tree)",
			Got: func(t *testing.T, r *valRuns) float64 {
				zl := r.mb(t, "mb-zone", append(strings.Fields(fibreEverywhere), "--zones", exMB+"commune.geojson")...)
				pl := r.mb(t, "mb-premise", append(strings.Fields(fibreEverywhere), "--zones", exMB+"commune.geojson", "--premises", exMB+"adresses.csv")...)
				return perPremise(t, zl, "capex_eur") / perPremise(t, pl, "capex_eur")
			},
		},
		{
			ID: "mb-grid-vs-zone", Want: 1, Lo: 0.85, Hi: 1.15, Tolerance: "±15 %", Show: ratio2,
			Figure:    "Mont-Bonvillers premise level, fibre everywhere: CAPEX on a 250 m grid ÷ the commune as one zone",
			Published: "issue 9: splitting an area into smaller zones must not multiply fixed costs (before: 3.65×)",
			Got: func(t *testing.T, r *valRuns) float64 {
				grid := r.mb(t, "mb-grid", append(strings.Fields(fibreEverywhere), "--grid-m", "250", "--premises", exMB+"adresses.csv")...)
				one := r.mb(t, "mb-premise", append(strings.Fields(fibreEverywhere), "--zones", exMB+"commune.geojson", "--premises", exMB+"adresses.csv")...)
				return grid.total(t, "capex_eur") / one.total(t, "capex_eur")
			},
		},
		{
			ID: "mb-geo", Lo: 0, Hi: 0, Tolerance: "none", Show: count,
			Figure:    "Mont-Bonvillers, default scenario, 250 m grid (as `make demo`): addresses planned on GEO satellite",
			Published: "a compact village 2 km from a node is not a satellite area (issue 9: 128 addresses on GEO before)",
			Got: func(t *testing.T, r *valRuns) float64 {
				p := r.mb(t, "mb-demo", "--grid-m", "250", "--premises", exMB+"adresses.csv", "--aps", exMB+"wifi-assumed.csv")
				return p.tech(t, "geo", "premises")
			},
		},
		{
			ID: "bead-leo-locations", Want: 0.20, Lo: 0.15, Hi: 0.25, Tolerance: "15–25 %", Show: pct,
			Figure:    "LEO's share of locations: Cantal's public zone without any network, `--target us-bead --policy lowest-cost-band --set costs=us`",
			Published: "BEAD: LEO ≈ 20 % of locations (Quilty Space, Dec 2025; 22 % in Broadband Communities, Nov 2025)",
			Miss:      "a French rural set is denser than US unserved locations: see §3.3",
			Got: func(t *testing.T, r *valRuns) float64 {
				n, _ := r.bead(t).share(t, "leo")
				return n
			},
		},
		{
			ID: "bead-leo-money", Want: 0.05, Lo: 0, Hi: 0.08, Tolerance: "≤ 8 %", Show: pct,
			Figure:    "LEO's share of the public money, same run",
			Published: "BEAD: LEO « just under 5 % » of the dollars (Quilty Space, Dec 2025)",
			Miss:      "fibre's subsidy per location is a fraction of BEAD's here: see §3.3",
			Got: func(t *testing.T, r *valRuns) float64 {
				_, m := r.bead(t).share(t, "leo")
				return m
			},
		},
		{
			ID: "geo-rural", Want: 0.05, Lo: 0, Hi: 0.05, Tolerance: "< 5 %", Show: pct,
			Figure:    "GEO's share of premises, Cantal example inputs, `--target fr-thd`, default scenario",
			Published: "France's satellite/radio/4G voucher was sized for 5–7 % of households (issue 9)",
			Got: func(t *testing.T, r *valRuns) float64 {
				n, _ := r.cantalExample(t, "cantal-thd", "--target", "fr-thd").share(t, "geo")
				return n
			},
		},
		{
			ID: "geo-price-swing", Lo: 0, Hi: 0.05, Tolerance: "< 5 points", Show: pct,
			Figure:    "change of GEO's share of premises when its subscription moves by ±€5/month (35 and 45 against 40), same inputs",
			Published: "issue 9: the LEO/GEO split must not flip on a €5/month difference",
			Got: func(t *testing.T, r *valRuns) float64 {
				lo, _ := r.cantalExample(t, "cantal-thd-geo35", "--target", "fr-thd", "--set", "geo.monthly_eur=35").share(t, "geo")
				hi, _ := r.cantalExample(t, "cantal-thd-geo45", "--target", "fr-thd", "--set", "geo.monthly_eur=45").share(t, "geo")
				return math.Abs(hi - lo)
			},
		},
		{
			ID: "aurillac", Lo: 1, Hi: 1, Tolerance: "fibre", Show: count,
			Figure:    "Aurillac (15014) planned on fibre under fr-thd and fr-2025, Cantal example inputs (1 = both fibre)",
			Published: "Aurillac was passed by Orange's own FTTH (AMII) from 2014; issue 9: not dozens of FWA masts",
			Got: func(t *testing.T, r *valRuns) float64 {
				ok := 1.0
				for _, p := range []*valPlan{r.cantalExample(t, "cantal-thd", "--target", "fr-thd"), r.cantalExample(t, "cantal-2025", "--target", "fr-2025")} {
					for _, z := range p.Zones {
						if z["zone_id"] == "15014" && z["technology"] != "fibre" {
							ok = 0
						}
					}
				}
				return ok
			},
		},
	}
}

func (r *valRuns) bead(t *testing.T) *valPlan {
	zones, _ := r.without(t, "cantal-rip", exCantal+"communes.geojson", anchorsDir+"amii-15.csv")
	return r.plan(t, "cantal-bead", "--zones", zones, "--zone-table", exCantal+"population.csv",
		"--target", "us-bead", "--policy", "lowest-cost-band", "--set", "costs=us")
}
