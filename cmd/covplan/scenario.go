package main

import (
	"fmt"
	"strings"

	"github.com/covplan/covplan/coverage"
	"github.com/urfave/cli/v2"
)

// scenarioFlags are the flags that shape a planning scenario.
func scenarioFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "target", Value: coverage.DefaultScenario().Target.Name, Usage: "service target: " + strings.Join(coverage.TargetNames(), ", ") + " (or --set target.down_mbps=... etc.)"},
		&cli.StringFlag{Name: "policy", Value: string(coverage.PolicyLeastCost), Usage: "decision policy: " + policyNames()},
		&cli.Float64Flag{Name: "budget-eur", Usage: "total CAPEX budget in euros (budget policy)", DefaultText: "none"},
		&cli.Float64Flag{Name: "annual-budget-eur", Usage: "CAPEX per rollout year in euros: gives a year-by-year plan", DefaultText: "none"},
		&cli.Float64Flag{Name: "threshold-eur", Usage: "fibre-first: fibre CAPEX per premise above which another technology is used", Value: coverage.DefaultScenario().ThresholdEUR},
		&cli.StringFlag{Name: "priority", Usage: "premise kinds served first, e.g. schools,public", DefaultText: "none"},
		onceFlag(&cli.GenericFlag{Name: "scenario", Usage: "scenario `FILE` (YAML, keys as for --set; 'covplan scenario init' writes one); flags override it"}),
		&cli.StringSliceFlag{Name: "set", Usage: "set a model parameter, key=value (repeatable); 'covplan params' lists the keys"},
	}
}

func policyNames() string {
	names := make([]string, len(coverage.Policies))
	for i, p := range coverage.Policies {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}

// scenarioFromFlags builds the scenario: defaults, then the --scenario
// file, then the named flags, then every --set in order (so --set can
// refine a preset target).
func scenarioFromFlags(c *cli.Context) (coverage.Scenario, error) {
	sc := coverage.DefaultScenario()
	if path := c.String("scenario"); path != "" {
		if err := applyScenarioFile(&sc, path); err != nil {
			return sc, err
		}
	}
	if c.IsSet("target") {
		t, err := coverage.ParseTarget(c.String("target"))
		if err != nil {
			return sc, &usageError{err: fmt.Errorf("--target: %w", err)}
		}
		sc.Target = t
	}
	if c.IsSet("policy") {
		p, err := coverage.ParsePolicy(c.String("policy"))
		if err != nil {
			return sc, &usageError{err: fmt.Errorf("--policy: %w", err)}
		}
		sc.Policy = p
	}
	for _, f := range []struct {
		name string
		dst  *float64
	}{{"budget-eur", &sc.BudgetEUR}, {"annual-budget-eur", &sc.AnnualBudgetEUR}, {"threshold-eur", &sc.ThresholdEUR}} {
		if c.IsSet(f.name) {
			v := c.Float64(f.name)
			if v < 0 {
				return sc, usagef("--%s: must be >= 0, got %g", f.name, v)
			}
			*f.dst = v
		}
	}
	if c.IsSet("priority") {
		kinds, err := coverage.ParsePriority(c.String("priority"))
		if err != nil {
			return sc, &usageError{err: fmt.Errorf("--priority: %w", err)}
		}
		sc.Priority = kinds
	}
	for _, kv := range c.StringSlice("set") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return sc, usagef("--set %q: want key=value", kv)
		}
		if err := sc.Set(strings.TrimSpace(k), strings.TrimSpace(v)); err != nil {
			return sc, &usageError{err: fmt.Errorf("--set: %w", err)}
		}
	}
	if err := sc.Validate(); err != nil {
		return sc, &usageError{err: err}
	}
	return sc, nil
}

func paramsCommand() *cli.Command {
	return &cli.Command{
		Name:  "params",
		Usage: "list every scenario parameter (--set keys) with its value, default, unit and source",
		Flags: append(scenarioFlags(), &cli.BoolFlag{Name: "csv", Usage: "print as CSV"}),
		Action: func(c *cli.Context) error {
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
