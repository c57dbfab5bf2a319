package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"

	"github.com/covplan/covplan/coverage"
	"github.com/covplan/covplan/render"
	"github.com/urfave/cli/v2"
)

// maxCompared caps the scenarios of one comparison: each keeps its plan in
// memory until the outputs are written.
const maxCompared = 100

// namedScenario is one scenario of a comparison: its name (a column of
// compare-zones.csv, a subfolder with --plans), where it comes from and
// the scenario itself.
type namedScenario struct {
	Name     string
	Origin   string
	Scenario coverage.Scenario
	// AutoCosts is Scenario's twin on the "us" cost preset, used for an
	// area outside metropolitan France; nil when the scenario's cost
	// preset was chosen (PlanOptions.AutoCosts).
	AutoCosts *coverage.Scenario
}

// CompareOptions is everything one compare run needs.
type CompareOptions struct {
	Inputs    InputOptions
	Scenarios []namedScenario // validated; the first is the reference
	Out       string
	Report    ReportOptions // Title and Lang of compare.html (and of each report with Plans); NoReport: no HTML at all
	Plans     bool          // also write each scenario's plan outputs into Out/NAME/
	Run       RunOptions
}

func (o CompareOptions) validate() error {
	if err := (PlanOptions{Inputs: o.Inputs, Out: o.Out, Report: o.Report, Run: o.Run}).validate(); err != nil {
		return err
	}
	if len(o.Scenarios) < 2 {
		return usagef("compare: give at least two scenarios to compare (--scenario FILE, --variant NAME:KEY=VALUE,...)")
	}
	if len(o.Scenarios) > maxCompared {
		return usagef("compare: %d scenarios, more than the %d one comparison holds (use sweep for a range of values)", len(o.Scenarios), maxCompared)
	}
	seen := map[string]bool{}
	for _, s := range o.Scenarios {
		if err := checkScenarioName(s.Name); err != nil {
			return err
		}
		switch strings.ToLower(s.Name) {
		case "compare.csv", "compare-zones.csv", "compare.html":
			return usagef("compare: a scenario cannot be named %q, the name of an output file", s.Name)
		}
		if seen[strings.ToLower(s.Name)] {
			return usagef("compare: two scenarios are named %q; name them NAME=FILE or --variant NAME:...", s.Name)
		}
		seen[strings.ToLower(s.Name)] = true
	}
	return nil
}

var scenarioNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// checkScenarioName checks a name that becomes a CSV column and a folder.
func checkScenarioName(name string) error {
	if !scenarioNameRE.MatchString(name) {
		return usagef("compare: scenario name %q: want 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

func compareCommand() *cli.Command {
	flags := areaFlags("output `DIR` (created if missing): compare.csv, compare-zones.csv, compare.html", "compare.html",
		onceFlag(&cli.GenericFlag{Name: "base", Usage: "scenario `FILE` of the base scenario that --variant changes (default: the defaults)"}),
		&cli.StringSliceFlag{Name: "scenario", Usage: "a scenario to compare: [NAME=]`FILE` (repeatable); named after the file without .yaml unless NAME= is given"},
		&cli.StringSliceFlag{Name: "variant", Usage: "a variant of the base scenario: `NAME:KEY=VALUE,KEY=VALUE` (repeatable), e.g. cheap-leo:leo.kit_eur=0,policy=hybrid"},
		&cli.BoolFlag{Name: "plans", Usage: "also write each scenario's plan outputs (zones.csv, summary.json, report.html...) into DIR/NAME/ (--no-report: without report.html)"},
	)
	for _, f := range scenarioFlags() {
		if f.Names()[0] != "scenario" {
			flags = append(flags, f)
		}
	}
	return &cli.Command{
		Name:  "compare",
		Usage: "plan one area under several scenarios and write compare.csv, compare-zones.csv and compare.html",
		Description: "The inputs are given as to plan. The scenarios compared are, in this order: the base\n" +
			"(the defaults, or --base FILE) when --base or --variant is given or fewer than two\n" +
			"--scenario files are; each --scenario file; each --variant of the base. --target, --policy,\n" +
			"--set and the other scenario flags apply to every one of them, after its file. The first is\n" +
			"the reference that changes are measured against. Scenarios that differ only in decision\n" +
			"keys (policy, budgets, thresholds) share one evaluation.\n\n" +
			"Examples:\n" +
			"  covplan compare --zones communes.geojson --zone-table population.csv --fibre nro.geojson \\\n" +
			"    --variant hybrid:policy=hybrid --variant cheap-leo:leo.kit_eur=0 --out cmp/\n" +
			"  covplan compare ... --scenario a.yaml --scenario b.yaml --plans --out cmp/",
		Flags: flags,
		Action: func(c *cli.Context) error {
			opt, err := compareOptionsFromCLI(c)
			if err != nil {
				return err
			}
			_, err = runCompare(c.Context, opt, c.App.Writer, c.App.ErrWriter)
			return err
		},
	}
}

// compareOptionsFromCLI reads the compare command's flags; every scenario
// is built here, so that a bad one is reported before any input is read.
func compareOptionsFromCLI(c *cli.Context) (CompareOptions, error) {
	po, err := areaOptionsFromCLI(c, "scenarios are given with --scenario and --variant")
	opt := CompareOptions{Inputs: po.Inputs, Out: po.Out, Report: po.Report, Run: po.Run, Plans: c.Bool("plans")}
	if err != nil {
		return opt, err
	}
	shared, err := scenarioSettingsFromCLI(c)
	if err != nil {
		return opt, err
	}
	opt.Scenarios, err = comparedScenarios(c.String("base"), c.StringSlice("scenario"), c.StringSlice("variant"), shared)
	if err != nil {
		return opt, err
	}
	for i := range opt.Scenarios {
		opt.Scenarios[i].Scenario.Workers = opt.Run.Workers
	}
	return opt, opt.validate()
}

// comparedScenarios builds the scenarios of a comparison (see the
// command's description).
func comparedScenarios(base string, files, variants []string, shared scenarioSpec) ([]namedScenario, error) {
	var out []namedScenario
	if base != "" || len(variants) > 0 || len(files) < 2 {
		origin := "defaults"
		if base != "" {
			origin = "file " + base
		}
		ns, err := namedFromFile("base", origin, base, shared)
		if err != nil {
			return nil, err
		}
		out = append(out, ns)
	}
	for _, arg := range files {
		name, path := scenarioFileArg(arg)
		ns, err := namedFromFile(name, "file "+path, path, shared)
		if err != nil {
			return nil, err
		}
		out = append(out, ns)
	}
	for _, arg := range variants {
		ns, err := buildVariant(arg, base, shared)
		if err != nil {
			return nil, err
		}
		out = append(out, ns)
	}
	return out, nil
}

// namedFromFile builds a compared scenario from a scenario file (or the
// defaults, path "") and the shared flags.
func namedFromFile(name, origin, path string, shared scenarioSpec) (namedScenario, error) {
	return namedBuilt(name, origin, func(baseCosts string) (*effectiveScenario, error) {
		return buildScenario(scenarioSpec{File: path, Flags: shared.Flags, Sets: shared.Sets, BaseCosts: baseCosts})
	})
}

// namedBuilt is the compared scenario build("") builds, with its twin on
// the us cost preset (buildWithAutoCosts).
func namedBuilt(name, origin string, build func(baseCosts string) (*effectiveScenario, error)) (namedScenario, error) {
	e, auto, err := buildWithAutoCosts(build)
	if err != nil {
		return namedScenario{}, err
	}
	return namedScenario{Name: name, Origin: origin, Scenario: e.Scenario, AutoCosts: auto}, nil
}

// scenarioFileArg splits --scenario NAME=FILE; a plain FILE is named
// after its base name without extension, other characters than those of
// a name made '-'.
func scenarioFileArg(arg string) (name, path string) {
	if n, p, ok := strings.Cut(arg, "="); ok && scenarioNameRE.MatchString(n) {
		return n, p
	}
	stem := strings.TrimSuffix(filepath.Base(arg), filepath.Ext(arg))
	name = strings.Map(func(r rune) rune {
		if r < 128 && (r == '.' || r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return '-'
	}, stem)
	return strings.TrimLeft(name, "._-"), arg
}

// buildVariant builds --variant NAME:KEY=VALUE,KEY=VALUE on the base. A
// part without '=' continues the value before it, so that a list value
// reads naturally: priority=schools,health.
func buildVariant(arg, base string, shared scenarioSpec) (namedScenario, error) {
	name, body, ok := strings.Cut(arg, ":")
	name = strings.TrimSpace(name)
	if !ok || strings.TrimSpace(body) == "" {
		return namedScenario{}, usagef("--variant %q: want NAME:KEY=VALUE[,KEY=VALUE...]", arg)
	}
	if err := checkScenarioName(name); err != nil {
		return namedScenario{}, err
	}
	var sets []setting
	for _, part := range strings.Split(body, ",") {
		k, v, isKV := strings.Cut(part, "=")
		if !isKV {
			if len(sets) == 0 {
				return namedScenario{}, usagef("--variant %s: %q is not KEY=VALUE", name, strings.TrimSpace(part))
			}
			sets[len(sets)-1].value += "," + strings.TrimSpace(part)
			continue
		}
		if strings.TrimSpace(k) == "" {
			return namedScenario{}, usagef("--variant %s: %q has no key", name, part)
		}
		if err := knownKey("--variant "+name+": "+strings.TrimSpace(k), k); err != nil {
			return namedScenario{}, err
		}
		sets = append(sets, setting{key: strings.TrimSpace(k), value: strings.TrimSpace(v), at: origin{kind: originSet}})
	}
	return namedBuilt(name, "variant of base: "+strings.TrimSpace(body), func(baseCosts string) (*effectiveScenario, error) {
		e, err := buildScenario(scenarioSpec{File: base, Flags: shared.Flags, Sets: shared.Sets, BaseCosts: baseCosts})
		if err != nil {
			return nil, err
		}
		for _, st := range sets {
			if err := e.apply(st); err != nil {
				return nil, usagef("--variant %s: %s=%s: %v", name, st.key, st.value, reason(err))
			}
		}
		if err := e.Scenario.Validate(); err != nil {
			return nil, usagef("--variant %s: %v", name, err)
		}
		return e, nil
	})
}

// scenarioChanges lists the "key=value" of sc whose value differs from
// ref's, in documentation order; under a different target preset its
// target.* values are left out (the preset's name says them).
func scenarioChanges(ref, sc coverage.Scenario) []string {
	rp, sp := ref.Params(), sc.Params()
	presetChanged := ref.Target.Name != sc.Target.Name && sc.Target.Name != "custom"
	var out []string
	for i := range sp {
		if sp[i].Value == rp[i].Value || presetChanged && strings.HasPrefix(sp[i].Key, "target.") {
			continue
		}
		out = append(out, sp[i].Key+"="+sp[i].Value)
	}
	return out
}

// compareResult is what a compare run produced.
type compareResult struct {
	Comparison *render.Comparison
	Groups     int // evaluations run
	Written    []string
}

// runCompare plans one area under every scenario of opt and writes the
// comparison into opt.Out (and, with opt.Plans, each plan into a
// subfolder). Inputs are read and measured once, each group of scenarios
// sharing an evaluation is evaluated once.
func runCompare(ctx context.Context, opt CompareOptions, stdout, stderr io.Writer) (*compareResult, error) {
	if err := opt.validate(); err != nil {
		return nil, err
	}
	var subs []string
	if opt.Plans {
		for _, sc := range opt.Scenarios {
			subs = append(subs, sc.Name)
		}
	}
	r, err := startArea(ctx, "compare", PlanOptions{Inputs: opt.Inputs, Out: opt.Out, Report: opt.Report, Run: opt.Run}, subs, stdout, stderr)
	if err != nil {
		return nil, err
	}
	defer r.close()
	s, m := r.s, r.measured
	cmp := &render.Comparison{Input: m.ds.Input, ZonesLL: m.ds.ZonesLL, Scenarios: make([]render.ComparedScenario, len(opt.Scenarios))}
	scs := make([]coverage.Scenario, len(opt.Scenarios))
	for i, ns := range opt.Scenarios {
		scs[i] = s.costsFor(ns.Scenario, ns.AutoCosts, ns.Name)
		cmp.Scenarios[i] = render.ComparedScenario{Name: ns.Name, Origin: ns.Origin, Changes: scenarioChanges(scs[0], scs[i])}
	}
	groups, err := s.decideEach(m, scs, func(i, g int, p *coverage.Plan) error {
		cmp.Scenarios[i].Plan, cmp.Scenarios[i].Evaluation = p, g+1
		return nil
	})
	if err != nil {
		s.pg.wait()
		return nil, err
	}
	cmp.Meta = s.meta
	written, err := writeCompare(s, r.set, r.subs, m, cmp, opt.Report)
	s.pg.wait()
	if err != nil {
		return nil, err
	}
	s.pg.total()
	s.con.summary("comparison written", func(w io.Writer) { printCompareSummary(w, cmp, groups, written) }, compareSummaryAttrs(cmp, groups, opt.Out, written)...)
	return &compareResult{Comparison: cmp, Groups: groups, Written: written}, nil
}

// writeCompare writes the comparison's output set, then each plan's.
func writeCompare(s *session, set *outputSet, planSets []*outputSet, m *measured, cmp *render.Comparison, ro ReportOptions) ([]string, error) {
	outs := []output{
		{"compare.csv", func(w io.Writer) error { return render.WriteCompareCSV(w, cmp) }},
		{"compare-zones.csv", func(w io.Writer) error { return render.WriteCompareZonesCSV(w, cmp) }},
	}
	if !ro.NoReport {
		outs = append(outs, output{"compare.html", func(w io.Writer) error {
			return render.WriteCompareHTML(w, cmp, render.PageOptions{Lang: ro.Lang})
		}})
	}
	written, err := writeOutputs(s, set, outs)
	if err != nil {
		return nil, err
	}
	for i, ps := range planSets {
		meta := s.meta
		meta.Title = strings.TrimSpace(ro.Title + " – " + cmp.Scenarios[i].Name)
		w, err := writeOutputs(s, ps, planOutputs(m.source(cmp.Scenarios[i].Plan, meta), ro))
		if err != nil {
			return nil, err
		}
		written = append(written, w...)
	}
	return written, nil
}

// printCompareSummary prints one line per scenario.
func printCompareSummary(w io.Writer, cmp *render.Comparison, groups int, written []string) {
	ref := cmp.Scenarios[0].Plan
	fmt.Fprintf(w, "covplan %s: %d zones, %d premises, %d scenarios from %d evaluation(s)\n",
		version, len(ref.Zones), ref.Total.Premises, len(cmp.Scenarios), groups)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  scenario\tmeeting target\tCAPEX EUR\tpublic cost EUR\tzones changed")
	for _, sc := range cmp.Scenarios {
		t := render.TotalsOf(sc.Plan)
		fmt.Fprintf(tw, "  %s\t%d (%.1f %%)\t%s\t%s\t%d\n", sc.Name, t.MeetTarget, 100*t.Share(),
			groupThousands(t.CapexEUR), groupThousands(t.PublicEUR), render.ChangedZones(ref, sc.Plan))
	}
	tw.Flush()
	for _, path := range written {
		fmt.Fprintf(w, "  wrote %s\n", path)
	}
}

// compareSummaryAttrs are the figures of printCompareSummary, for the JSON log.
func compareSummaryAttrs(cmp *render.Comparison, groups int, out string, written []string) []any {
	ref := cmp.Scenarios[0].Plan
	var scs []any
	for _, sc := range cmp.Scenarios {
		t := render.TotalsOf(sc.Plan)
		scs = append(scs, slog.Group(sc.Name, "meet_target", t.MeetTarget, "capex_eur", roundEUR(t.CapexEUR),
			"public_cost_eur", roundEUR(t.PublicEUR), "present_cost_eur", roundEUR(t.PresentEUR), "zones_changed", render.ChangedZones(ref, sc.Plan)))
	}
	return []any{"version", version, "zones", len(ref.Zones), "premises", ref.Total.Premises, "evaluations", groups,
		slog.Group("scenarios", scs...), "out", out, "files", written}
}
