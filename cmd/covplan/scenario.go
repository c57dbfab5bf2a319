package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/covplan/covplan/coverage"
	"github.com/urfave/cli/v2"
)

// A scenario is built in this order, each step overriding the one before:
// the defaults (coverage.DefaultScenario), the --scenario file in file
// order, the named flags (--target, --policy, ...), then every --set in
// command-line order. Every value remembers where it was set (origin), for
// "covplan scenario show" and for errors.

// scenarioFlag is a named flag that sets one scenario key.
type scenarioFlag struct {
	flag, key   string
	usage       string // with the value's placeholder in backquotes
	defaultText string // "" = the key's default value
}

// scenarioFlagTable lists the named scenario flags, in the order applied.
var scenarioFlagTable = []scenarioFlag{
	{flag: "target", key: "target", usage: "service target `NAME`: " + strings.Join(coverage.TargetNames(), ", ") + " (or --set target.down_mbps=... etc.)"},
	{flag: "policy", key: "policy", usage: "decision policy `NAME`: " + policyNames()},
	{flag: "budget-eur", key: "budget_eur", usage: "total CAPEX budget in `EUR` (budget policy)", defaultText: "none"},
	{flag: "annual-budget-eur", key: "annual_budget_eur", usage: "CAPEX per rollout year in `EUR`: gives a year-by-year plan", defaultText: "none"},
	{flag: "threshold-eur", key: "policy.threshold_eur", usage: "fibre-first: fibre CAPEX per premise in `EUR` above which another technology is used"},
	{flag: "priority", key: "priority", usage: "premise `KINDS` served first, e.g. schools,public", defaultText: "none"},
}

// scenarioFlags are the flags that shape a planning scenario. The defaults
// shown are the scenario's.
func scenarioFlags() []cli.Flag {
	def := map[string]string{}
	for _, p := range coverage.DefaultScenario().Params() {
		def[p.Key] = p.Value
	}
	var flags []cli.Flag
	for _, f := range scenarioFlagTable {
		dt := f.defaultText
		if dt == "" {
			dt = def[f.key]
		}
		flags = append(flags, &cli.StringFlag{Name: f.flag, Usage: f.usage, DefaultText: dt})
	}
	return append(flags,
		onceFlag(&cli.GenericFlag{Name: "scenario", Usage: "scenario `FILE` (YAML, keys as for --set; 'covplan scenario init' writes one); flags override it"}),
		&cli.StringSliceFlag{Name: "set", Usage: "set a model parameter, `KEY=VALUE` (repeatable); 'covplan params' lists the keys"},
	)
}

func policyNames() string {
	names := make([]string, len(coverage.Policies))
	for i, p := range coverage.Policies {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}

// origin says where a scenario value was set.
type origin struct {
	kind      originKind
	file      string // originFile: the file as named on the command line
	line, col int    // originFile: the key's position, 1-based
	flag      string // originFlag: the flag's name, e.g. "threshold-eur"
	via       string // set as a side effect of this key (a target preset); "" = set itself
	preset    string // via == "target": the preset's name
}

type originKind int

const (
	originDefault originKind = iota
	originFile
	originFlag
	originSet
)

// String is what "scenario show" prints: "default", "s.yaml:3:1",
// "--threshold-eur", "--set", and for values a preset set,
// "preset fr-2025 (s.yaml:1:1)".
func (o origin) String() string {
	var base string
	switch o.kind {
	case originDefault:
		base = "default"
	case originFile:
		base = fmt.Sprintf("%s:%d:%d", o.file, o.line, o.col)
	case originFlag:
		base = "--" + o.flag
	case originSet:
		base = "--set"
	}
	switch {
	case o.via == "target":
		return fmt.Sprintf("preset %s (%s)", o.preset, base)
	case o.via != "":
		return fmt.Sprintf("%s (via %s)", base, o.via)
	}
	return base
}

// setting is one key=value to apply to a scenario, with where it was set.
type setting struct {
	key, value string
	at         origin
	valLine    int // originFile: the value's position, for errors about it
	valCol     int
}

// scenarioSpec is where a scenario comes from (see above).
type scenarioSpec struct {
	File  string    // --scenario; "" = none
	Flags []setting // the named flags set, in scenarioFlagTable order
	Sets  []setting // --set, in command-line order
	// BaseCosts, when not empty, is a cost preset applied on the defaults
	// before everything else (the preset the area's frame calls for, when
	// the user did not choose one).
	BaseCosts string
}

// effectiveScenario is a scenario with the origin of each of its values.
type effectiveScenario struct {
	Scenario coverage.Scenario
	Origin   map[string]origin // by --set key
}

// newEffectiveScenario is the default scenario, every value's origin
// "default".
func newEffectiveScenario() *effectiveScenario {
	e := &effectiveScenario{Scenario: coverage.DefaultScenario(), Origin: map[string]origin{}}
	for _, p := range e.Scenario.Params() {
		o := origin{kind: originDefault}
		if strings.HasPrefix(p.Key, "target.") {
			o.via, o.preset = "target", e.Scenario.Target.Name
		}
		e.Origin[p.Key] = o
	}
	return e
}

// apply sets one value and records its origin, and the origin of the
// values it changed as a side effect (a target preset sets target.*; a
// target.* key makes the target "custom").
func (e *effectiveScenario) apply(st setting) error {
	before := e.Scenario.Params()
	if err := e.Scenario.Set(st.key, st.value); err != nil {
		return err
	}
	key := strings.ToLower(strings.TrimSpace(st.key))
	e.Origin[key] = st.at
	for i, p := range e.Scenario.Params() {
		side := st.at
		switch {
		case p.Key == key:
			continue
		case key == "target" && strings.HasPrefix(p.Key, "target."):
			side.via, side.preset = "target", e.Scenario.Target.Name
		case p.Value != before[i].Value:
			side.via = key
		default:
			continue
		}
		e.Origin[p.Key] = side
	}
	return nil
}

// buildScenario builds the scenario of spec: defaults, file, flags, --set.
// Every error is a usage error (exit 2) naming the file and position, the
// flag or the --set that caused it.
func buildScenario(spec scenarioSpec) (*effectiveScenario, error) {
	e := newEffectiveScenario()
	if spec.BaseCosts != "" {
		if err := e.apply(setting{key: "costs", value: spec.BaseCosts, at: origin{kind: originDefault}}); err != nil {
			return nil, &usageError{err: err}
		}
	}
	if spec.File != "" {
		settings, err := readScenarioFile(spec.File)
		if err != nil {
			return nil, err
		}
		for _, st := range settings {
			if err := e.apply(st); err != nil {
				return nil, &scenarioError{file: st.at.file, line: st.valLine, col: st.valCol, err: reason(err), key: st.key}
			}
		}
	}
	for _, st := range spec.Flags {
		if err := e.apply(st); err != nil {
			return nil, usagef("--%s %q: %v", st.at.flag, st.value, reason(err))
		}
	}
	for _, st := range spec.Sets {
		if err := e.apply(st); err != nil {
			return nil, usagef("--set %s=%s: %v", st.key, st.value, reason(err))
		}
	}
	if err := e.Scenario.Validate(); err != nil {
		return nil, &usageError{err: err}
	}
	return e, nil
}

// reason drops the "coverage: scenario: key=value:" prefix of Set's errors
// where the caller names the key and value itself.
func reason(err error) error {
	if inner := errors.Unwrap(err); inner != nil {
		return inner
	}
	return err
}

// parseSet splits a --set argument "key=value"; spaces around either are
// dropped.
func parseSet(kv string) (key, value string, err error) {
	k, v, ok := strings.Cut(kv, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return "", "", usagef("--set %q: want key=value ('covplan params' lists the keys)", kv)
	}
	return k, strings.TrimSpace(v), nil
}

// scenarioSpecFromCLI reads the scenarioFlags.
func scenarioSpecFromCLI(c *cli.Context) (scenarioSpec, error) {
	spec, err := scenarioSettingsFromCLI(c)
	spec.File = c.String("scenario")
	return spec, err
}

// scenarioSettingsFromCLI reads the named scenario flags and --set, not
// --scenario (compare and batch read scenario files their own way).
func scenarioSettingsFromCLI(c *cli.Context) (scenarioSpec, error) {
	var spec scenarioSpec
	for _, f := range scenarioFlagTable {
		if c.IsSet(f.flag) {
			spec.Flags = append(spec.Flags, setting{key: f.key, value: c.String(f.flag), at: origin{kind: originFlag, flag: f.flag}})
		}
	}
	for _, kv := range c.StringSlice("set") {
		k, v, err := parseSet(kv)
		if err != nil {
			return spec, err
		}
		spec.Sets = append(spec.Sets, setting{key: k, value: v, at: origin{kind: originSet}})
	}
	return spec, nil
}

// scenarioFromFlags builds the scenario given by the scenarioFlags.
func scenarioFromFlags(c *cli.Context) (coverage.Scenario, error) {
	spec, err := scenarioSpecFromCLI(c)
	if err != nil {
		return coverage.Scenario{}, err
	}
	e, err := buildScenario(spec)
	if err != nil {
		return coverage.Scenario{}, err
	}
	return e.Scenario, nil
}

// scenariosFromFlags is the scenario of the flags, with workers set, and
// its twin on the "us" cost preset (buildWithAutoCosts).
func scenariosFromFlags(c *cli.Context, workers int) (sc coverage.Scenario, auto *coverage.Scenario, err error) {
	spec, err := scenarioSpecFromCLI(c)
	if err != nil {
		return sc, nil, err
	}
	e, auto, err := buildWithAutoCosts(func(baseCosts string) (*effectiveScenario, error) {
		spec.BaseCosts = baseCosts
		return buildScenario(spec)
	})
	if err != nil {
		return sc, nil, err
	}
	sc = e.Scenario
	sc.Workers = workers
	if auto != nil {
		auto.Workers = workers
	}
	return sc, auto, nil
}

// buildWithAutoCosts is the scenario build("") builds, and its twin on the
// cost preset of an area outside metropolitan France, built by build("us"),
// or nil when the cost preset was chosen by the user (in the file, a flag
// or --set): see PlanOptions.AutoCosts.
func buildWithAutoCosts(build func(baseCosts string) (*effectiveScenario, error)) (*effectiveScenario, *coverage.Scenario, error) {
	chosen, err := build("")
	if err != nil {
		return nil, nil, err
	}
	if chosen.Origin["costs"].kind != originDefault {
		return chosen, nil, nil
	}
	e, err := build("us")
	if err != nil {
		return nil, nil, err
	}
	return chosen, &e.Scenario, nil
}

// costsFor is sc, or auto (sc's twin on the "us" cost preset, see
// buildWithAutoCosts) when auto is not nil and the area's frame is not metropolitan
// France's. The switch is said on stderr and in the report; name is the
// scenario's in a comparison, "" for a run's only scenario.
func (s *session) costsFor(sc coverage.Scenario, auto *coverage.Scenario, name string) coverage.Scenario {
	if auto == nil || frenchFrame(s.meta.Frame) {
		return sc
	}
	of := ""
	if name != "" {
		of = " for scenario " + name
	}
	msg := fmt.Sprintf("costs: us%s (the area's frame, %s, is not metropolitan France's; the fr preset prices French networks): set costs=fr to use it", of, s.meta.Frame)
	if t := sc.Target.Name; strings.HasPrefix(t, "fr-") {
		msg += fmt.Sprintf("; the target is still %s, a French definition: --target us-bead or eu-gigabit for another", t)
	}
	s.con.notice(msg, "costs", "us", "frame", s.meta.Frame, "scenario", name)
	s.meta.Warnings = append(s.meta.Warnings, msg)
	us := *auto
	us.Workers = sc.Workers
	return us
}

// frenchFrame reports whether a run's frame is metropolitan France's
// (Lambert-93), where the default cost preset "fr" applies.
func frenchFrame(frame string) bool { return strings.HasPrefix(frame, "EPSG:2154") }

func paramsCommand() *cli.Command {
	return &cli.Command{
		Name:  "params",
		Usage: "list every scenario parameter (--set keys) with its value, default, unit and source",
		Flags: append(scenarioFlags(), &cli.BoolFlag{Name: "csv", Usage: "print as CSV"}),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("params: unexpected argument %q", c.Args().First())
			}
			sc, err := scenarioFromFlags(c)
			if err != nil {
				return err
			}
			w := c.App.Writer
			ps := sc.Params()
			if c.Bool("csv") {
				fmt.Fprintln(w, "key,value,default,unit,doc,source")
				for _, p := range ps {
					fmt.Fprintf(w, "%s,%s,%s,%s,%s,%s\n", csvQuote(p.Key), csvQuote(p.Value), csvQuote(p.Default), csvQuote(p.Unit), csvQuote(p.Doc), csvQuote(p.Source))
				}
				return nil
			}
			for _, p := range ps {
				mark := ""
				if p.Value != p.Default {
					mark = fmt.Sprintf("   (default %s)", p.Default)
				}
				fmt.Fprintf(w, "%-36s %s %s%s\n    %s\n", p.Key, p.Value, p.Unit, mark, p.Doc)
			}
			return nil
		},
	}
}

func csvQuote(s string) string {
	if strings.ContainsAny(s, ",\"\n\r") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}
