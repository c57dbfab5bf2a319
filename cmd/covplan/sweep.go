package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/covplan/covplan/coverage"
	"github.com/covplan/covplan/render"
	"github.com/urfave/cli/v2"
)

// maxSweepValues caps the values of one --vary; maxSweepPlans the plans of
// one sweep.
const (
	maxSweepValues = 1000
	maxSweepPlans  = 5000
)

// sweepVary is one --vary: a key and its values, as Set formats them.
type sweepVary struct {
	Key     string
	Values  []string
	Numeric bool      // every value is a number
	X       []float64 // the values as numbers (Numeric)
}

// SweepOptions is everything one sweep run needs.
type SweepOptions struct {
	Inputs   InputOptions
	Scenario coverage.Scenario // the base, validated
	// AutoCosts is the base on the "us" cost preset, for an area outside
	// metropolitan France; nil when a cost preset was chosen
	// (PlanOptions.AutoCosts).
	AutoCosts *coverage.Scenario
	Vary      []sweepVary // validated against the base (parseVary)
	Out       string
	Report    ReportOptions // Title, Lang; NoReport: no sweep.html
	Run       RunOptions
}

func (o SweepOptions) validate() error {
	if err := (PlanOptions{Inputs: o.Inputs, Out: o.Out, Report: o.Report, Run: o.Run}).validate(); err != nil {
		return err
	}
	if len(o.Vary) == 0 {
		return usagef("sweep: give at least one --vary KEY=FROM:TO:STEP (or KEY=V1,V2,...)")
	}
	n := 0
	for _, v := range o.Vary {
		n += len(v.Values)
	}
	if n > maxSweepPlans {
		return usagef("sweep: %d plans, more than the %d one sweep makes", n, maxSweepPlans)
	}
	return nil
}

func sweepCommand() *cli.Command {
	flags := areaFlags("output `DIR` (created if missing): sweep.csv, sweep-zones.csv, sweep.html", "sweep.html",
		&cli.StringSliceFlag{Name: "vary", Usage: "vary one parameter around the base: `KEY=FROM:TO:STEP` or KEY=V1,V2,... (KEY=V1;V2 for list values) (repeatable)"},
	)
	return &cli.Command{
		Name:  "sweep",
		Usage: "vary parameters one at a time around a scenario and write sweep.csv, sweep-zones.csv and sweep.html",
		Description: "The inputs and the base scenario are given as to plan. Each --vary sets one key to each\n" +
			"of its values, the others kept at the base. Decision keys (policy, budget_eur, policy.*)\n" +
			"reuse the base's evaluation: a value costs a decision (milliseconds); any other key costs\n" +
			"an evaluation per value (about 2 s at 1M premises). Inputs are read and measured once.\n\n" +
			"Examples:\n" +
			"  covplan sweep --zones communes.geojson --zone-table population.csv --fibre nro.geojson \\\n" +
			"    --vary policy.threshold_eur=1000:10000:500 --vary leo.kit_eur=0,199,349 --out sweep/",
		Flags: append(flags, scenarioFlags()...),
		Action: func(c *cli.Context) error {
			opt, err := sweepOptionsFromCLI(c)
			if err != nil {
				return err
			}
			_, err = runSweep(c.Context, opt, c.App.Writer, c.App.ErrWriter)
			return err
		},
	}
}

func sweepOptionsFromCLI(c *cli.Context) (SweepOptions, error) {
	po, err := areaOptionsFromCLI(c, "keys are varied with --vary")
	opt := SweepOptions{Inputs: po.Inputs, Out: po.Out, Report: po.Report, Run: po.Run}
	if err != nil {
		return opt, err
	}
	if opt.Scenario, opt.AutoCosts, err = scenariosFromFlags(c, opt.Run.Workers); err != nil {
		return opt, err
	}
	seen := map[string]bool{}
	for _, arg := range c.StringSlice("vary") {
		v, err := parseVary(arg, opt.Scenario)
		if err != nil {
			return opt, err
		}
		if seen[v.Key] {
			return opt, usagef("--vary %s: the key is varied twice; give its values in one --vary", v.Key)
		}
		seen[v.Key] = true
		opt.Vary = append(opt.Vary, v)
	}
	return opt, opt.validate()
}

// parseVary reads --vary KEY=FROM:TO:STEP or KEY=V1,V2,... (';' separates
// the values when it appears, for keys whose values are lists). Every
// value is set on a copy of base, so that an unknown key or a value out of
// range is refused here, as --set refuses it.
func parseVary(arg string, base coverage.Scenario) (sweepVary, error) {
	k, spec, ok := strings.Cut(arg, "=")
	key := strings.ToLower(strings.TrimSpace(k))
	if !ok || key == "" || strings.TrimSpace(spec) == "" {
		return sweepVary{}, usagef("--vary %q: want KEY=FROM:TO:STEP or KEY=V1,V2,... ('covplan params' lists the keys)", arg)
	}
	if err := knownKey("--vary "+key, key); err != nil {
		return sweepVary{}, err
	}
	var raw []string
	var err error
	if strings.Count(spec, ":") == 2 && !strings.ContainsAny(spec, ",;") {
		raw, err = rangeValues(key, spec)
		if err != nil {
			return sweepVary{}, err
		}
	} else {
		sep := ","
		if strings.Contains(spec, ";") {
			sep = ";"
		}
		for _, v := range strings.Split(spec, sep) {
			raw = append(raw, strings.TrimSpace(v))
		}
	}
	if len(raw) > maxSweepValues {
		return sweepVary{}, usagef("--vary %s: %d values, more than %d", key, len(raw), maxSweepValues)
	}
	v := sweepVary{Key: key, Numeric: true}
	seen := map[string]bool{}
	for _, r := range raw {
		sc, err := withSetting(base, key, r)
		if err != nil {
			return sweepVary{}, usagef("--vary %s=%s: %v", key, r, reason(err))
		}
		if err := sc.Validate(); err != nil {
			return sweepVary{}, usagef("--vary %s=%s: %v", key, r, err)
		}
		val := paramValue(sc, key)
		if seen[val] {
			continue // "1e3" and "1000" are one value
		}
		seen[val] = true
		x, err := strconv.ParseFloat(val, 64)
		v.Numeric = v.Numeric && err == nil
		v.Values, v.X = append(v.Values, val), append(v.X, x)
	}
	if v.Numeric {
		sortVary(&v)
	}
	return v, nil
}

// rangeValues expands FROM:TO:STEP, both ends included (TO when a whole
// number of steps reaches it within 1e-9 of a step); values are rounded
// to 12 significant digits, so that 0.1 steps read 0.3, not
// 0.30000000000000004.
func rangeValues(key, spec string) ([]string, error) {
	parts := strings.Split(spec, ":")
	var f [3]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(p), "_", ""), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, usagef("--vary %s=%s: %q is not a number (want FROM:TO:STEP)", key, spec, p)
		}
		f[i] = x
	}
	from, to, step := f[0], f[1], f[2]
	switch {
	case step <= 0:
		return nil, usagef("--vary %s=%s: STEP must be positive", key, spec)
	case to < from:
		return nil, usagef("--vary %s=%s: FROM must not be above TO", key, spec)
	}
	n := math.Floor((to-from)/step+1e-9) + 1
	if n > maxSweepValues {
		return nil, usagef("--vary %s=%s: %.0f values, more than %d (use a larger STEP)", key, spec, n, maxSweepValues)
	}
	out := make([]string, 0, int(n))
	for i := range int(n) {
		x, _ := strconv.ParseFloat(strconv.FormatFloat(from+float64(i)*step, 'g', 12, 64), 64)
		out = append(out, strconv.FormatFloat(x, 'g', -1, 64))
	}
	return out, nil
}

// sortVary puts a numeric vary's values in ascending order.
func sortVary(v *sweepVary) {
	idx := make([]int, len(v.Values))
	for i := range idx {
		idx[i] = i
	}
	for i := 1; i < len(idx); i++ { // insertion sort: stable, few values
		for j := i; j > 0 && v.X[idx[j]] < v.X[idx[j-1]]; j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
	vals, xs := make([]string, len(idx)), make([]float64, len(idx))
	for i, k := range idx {
		vals[i], xs[i] = v.Values[k], v.X[k]
	}
	v.Values, v.X = vals, xs
}

// withSetting is a copy of base with key set to value (Scenario.Set);
// base, whose Priority the copy does not share, is left as it was.
func withSetting(base coverage.Scenario, key, value string) (coverage.Scenario, error) {
	sc := base
	sc.Priority = append([]coverage.Kind(nil), base.Priority...)
	return sc, sc.Set(key, value)
}

// paramValue is sc's value of key, as Params formats it.
func paramValue(sc coverage.Scenario, key string) string {
	for _, p := range sc.Params() {
		if p.Key == key {
			return p.Value
		}
	}
	return ""
}

// sweepResult is what a sweep run produced.
type sweepResult struct {
	Sweep   *render.Sweep
	Written []string
}

// runSweep plans the area under the base scenario and under each value of
// each --vary, then writes the sweep into opt.Out.
func runSweep(ctx context.Context, opt SweepOptions, stdout, stderr io.Writer) (*sweepResult, error) {
	if err := opt.validate(); err != nil {
		return nil, err
	}
	r, err := startArea(ctx, "sweep", PlanOptions{Inputs: opt.Inputs, Out: opt.Out, Report: opt.Report, Run: opt.Run}, nil, stdout, stderr)
	if err != nil {
		return nil, err
	}
	defer r.close()
	s, set := r.s, r.set
	sw, err := s.sweep(r.measured, s.costsFor(opt.Scenario, opt.AutoCosts, ""), opt.Vary)
	if err != nil {
		s.pg.wait()
		return nil, err
	}
	sw.Meta = s.meta
	outs := []output{
		{"sweep.csv", func(w io.Writer) error { return render.WriteSweepCSV(w, sw) }},
		{"sweep-zones.csv", func(w io.Writer) error { return render.WriteSweepZonesCSV(w, sw) }},
	}
	if !opt.Report.NoReport {
		outs = append(outs, output{"sweep.html", func(w io.Writer) error {
			return render.WriteSweepHTML(w, sw, render.PageOptions{Lang: opt.Report.Lang})
		}})
	}
	written, err := writeOutputs(s, set, outs)
	s.pg.wait()
	if err != nil {
		return nil, err
	}
	s.pg.total()
	s.con.summary("sweep written", func(w io.Writer) { printSweepSummary(w, sw, written) }, sweepSummaryAttrs(sw, opt.Out, written)...)
	return &sweepResult{Sweep: sw, Written: written}, nil
}

// sweep decides the base and every value of every vary (decideEach: the
// values of decision keys share the base's evaluation), keeping of each
// plan its totals and zone choices only, then finds the zones' flips.
func (s *session) sweep(m *measured, base coverage.Scenario, vary []sweepVary) (*render.Sweep, error) {
	scs := []coverage.Scenario{base}
	type at struct{ k, v int }
	where := []at{{-1, -1}}
	for ki, v := range vary {
		for vi, val := range v.Values {
			sc, err := withSetting(base, v.Key, val)
			if err != nil {
				return nil, usagef("--vary %s=%s: %v", v.Key, val, reason(err))
			}
			scs, where = append(scs, sc), append(where, at{ki, vi})
		}
	}
	sw := &render.Sweep{Input: m.ds.Input, Keys: make([]render.SweepKey, len(vary))}
	choices := make([][][]zoneChoice, len(vary)) // [key][value][zone]
	for ki, v := range vary {
		sw.Keys[ki] = render.SweepKey{Key: v.Key, BaseValue: paramValue(base, v.Key), Numeric: v.Numeric, Points: make([]render.SweepPoint, len(v.Values))}
		choices[ki] = make([][]zoneChoice, len(v.Values))
	}
	groups, err := s.decideEach(m, scs, func(i, g int, p *coverage.Plan) error {
		if i == 0 {
			sw.Base = p
			return nil
		}
		a := where[i]
		k := &sw.Keys[a.k]
		k.Points[a.v] = render.SweepPoint{Value: vary[a.k].Values[a.v], X: vary[a.k].X[a.v], IsBase: vary[a.k].Values[a.v] == k.BaseValue,
			Evaluation: g + 1, Totals: render.TotalsOf(p)}
		choices[a.k][a.v] = choicesOf(p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sw.Evaluations = groups
	baseCh := choicesOf(sw.Base)
	for ki := range sw.Keys {
		k := &sw.Keys[ki]
		for vi := range k.Points {
			k.Points[vi].Changed = countDiff(baseCh, choices[ki][vi])
		}
		k.Flips = zoneFlips(baseCh, k, vary[ki], choices[ki])
	}
	return sw, nil
}

// zoneChoice is a zone's choice as compare and sweep tell choices apart.
type zoneChoice struct {
	tech  coverage.Tech
	mixed bool
}

func choicesOf(p *coverage.Plan) []zoneChoice {
	out := make([]zoneChoice, len(p.Zones))
	for z := range p.Zones {
		out[z] = zoneChoice{p.Zones[z].Chosen, p.Zones[z].Mixed}
	}
	return out
}

func countDiff(a, b []zoneChoice) int {
	n := 0
	for z := range a {
		if a[z] != b[z] {
			n++
		}
	}
	return n
}

// zoneFlips finds, for every zone, the first value on each side of the
// base value whose choice differs from the base's (numeric keys), or every
// value whose choice differs (other keys).
func zoneFlips(base []zoneChoice, k *render.SweepKey, v sweepVary, ch [][]zoneChoice) []render.ZoneFlip {
	var out []render.ZoneFlip
	bx, err := strconv.ParseFloat(k.BaseValue, 64)
	numeric := v.Numeric && err == nil
	for z := range base {
		if !numeric {
			for vi := range v.Values {
				if ch[vi][z] != base[z] {
					out = append(out, render.ZoneFlip{Zone: z, Direction: "at", Value: v.Values[vi], Tech: ch[vi][z].tech, Mixed: ch[vi][z].mixed})
				}
			}
			continue
		}
		// down: from the base value towards the lowest; up: towards the highest
		for _, dir := range []string{"down", "up"} {
			last := k.BaseValue
			for j := range v.Values {
				vi := j
				if dir == "down" {
					vi = len(v.Values) - 1 - j
				}
				x := v.X[vi]
				if dir == "down" && x >= bx || dir == "up" && x <= bx {
					continue
				}
				if c := ch[vi][z]; c != base[z] {
					out = append(out, render.ZoneFlip{Zone: z, Direction: dir, LastBase: last, Value: v.Values[vi], Tech: c.tech, Mixed: c.mixed})
					break
				}
				last = v.Values[vi]
			}
		}
	}
	return out
}

// printSweepSummary prints the base, then each key's ends.
func printSweepSummary(w io.Writer, sw *render.Sweep, written []string) {
	b := render.TotalsOf(sw.Base)
	n := 0
	for _, k := range sw.Keys {
		n += len(k.Points)
	}
	fmt.Fprintf(w, "covplan %s: %d zones, %d premises, %d plans from %d evaluation(s)\n", version, b.Zones, b.Premises, n+1, sw.Evaluations)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintf(tw, "  key\tvalue\tpublic cost EUR\tmeeting target\tzones changed\n")
	fmt.Fprintf(tw, "  base\t\t%s\t%d\t0\n", groupThousands(b.PublicEUR), b.MeetTarget)
	for _, k := range sw.Keys {
		for i, p := range k.Points {
			if i != 0 && i != len(k.Points)-1 {
				continue
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%d\n", k.Key, p.Value, groupThousands(p.Totals.PublicEUR), p.Totals.MeetTarget, p.Changed)
		}
	}
	tw.Flush()
	for _, path := range written {
		fmt.Fprintf(w, "  wrote %s\n", path)
	}
}

func sweepSummaryAttrs(sw *render.Sweep, out string, written []string) []any {
	b := render.TotalsOf(sw.Base)
	var keys []any
	for _, k := range sw.Keys {
		lo, hi := k.Points[0], k.Points[len(k.Points)-1]
		keys = append(keys, slog.Group(k.Key, "values", len(k.Points), "low", lo.Value, "high", hi.Value,
			"public_cost_low_eur", roundEUR(lo.Totals.PublicEUR), "public_cost_high_eur", roundEUR(hi.Totals.PublicEUR),
			"meet_target_low", lo.Totals.MeetTarget, "meet_target_high", hi.Totals.MeetTarget, "zones_flipping", len(k.Flips)))
	}
	return []any{"version", version, "zones", b.Zones, "premises", b.Premises, "evaluations", sw.Evaluations,
		"public_cost_eur", roundEUR(b.PublicEUR), "meet_target", b.MeetTarget, slog.Group("keys", keys...), "out", out, "files", written}
}

// knownKey refuses a key that is no --set key, with a suggestion; what
// names the flag and key in the message.
func knownKey(what, key string) error {
	key = strings.ToLower(strings.TrimSpace(key))
	if known, _ := isKeyPrefix(key); known {
		return nil
	}
	msg := what + ": unknown key"
	if s := suggest(key, coverage.ParamKeys()); s != "" {
		msg += "; did you mean " + s + "?"
	} else {
		msg += " ('covplan params' lists the keys)"
	}
	return usagef("%s", msg)
}
