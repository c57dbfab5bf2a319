package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"
)

func scenarioInitCommand() *cli.Command {
	return &cli.Command{
		Name:      "init",
		Usage:     "write a commented scenario template with every parameter and its default",
		ArgsUsage: "[FILE]",
		Flags:     scenarioFlags(),
		Action: func(c *cli.Context) error {
			if c.NArg() > 1 {
				return usagef("scenario init: at most one FILE")
			}
			sc, err := scenarioFromFlags(c)
			if err != nil {
				return err
			}
			if c.NArg() == 0 {
				return writeScenarioTemplate(c.App.Writer, sc)
			}
			path := c.Args().First()
			if err := writeAtomic(path, func(w io.Writer) error { return writeScenarioTemplate(w, sc) }); err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "wrote %s\n", path)
			return nil
		},
	}
}

func scenarioShowCommand() *cli.Command {
	return &cli.Command{
		Name:  "show",
		Usage: "print the effective scenario (defaults, --scenario file, flags, --set) and where each value was set",
		Description: "The output is a scenario file: given back to --scenario, it gives the same scenario.\n" +
			"Each line ends with where its value was set: default, preset NAME, FILE:LINE:COLUMN,\n" +
			"--FLAG or --set. Values a target preset sets are written commented out, as in the template.\n\n" +
			"Example:\n  covplan scenario show --scenario s.yaml --policy hybrid --set leo.kit_eur=0 --changed",
		Flags: append(scenarioFlags(),
			&cli.BoolFlag{Name: "changed", Usage: "only the values set by the file, the flags or --set (and the preset values they bring)"}),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("scenario show: unexpected argument %q (the scenario file is given with --scenario)", c.Args().First())
			}
			spec, err := scenarioSpecFromCLI(c)
			if err != nil {
				return err
			}
			e, err := buildScenario(spec)
			if err != nil {
				return err
			}
			return writeEffectiveScenario(c.App.Writer, e, spec, c.Bool("changed"))
		},
	}
}

// writeEffectiveScenario writes e as a scenario file, each value with its
// origin in a comment; with changed, only the values not at their default.
func writeEffectiveScenario(w io.Writer, e *effectiveScenario, spec scenarioSpec, changed bool) error {
	steps := []string{"the defaults"}
	if spec.File != "" {
		steps = append(steps, "--scenario "+spec.File)
	}
	if len(spec.Flags) > 0 {
		steps = append(steps, "the flags")
	}
	if len(spec.Sets) > 0 {
		steps = append(steps, "--set")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# covplan %s: the effective scenario: %s.\n", version, strings.Join(steps, ", then "))
	b.WriteString("# Each value says where it was set. Given back to --scenario, this file gives the same scenario.\n")
	tw := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
	for _, p := range e.Scenario.Params() {
		o := e.Origin[p.Key]
		if changed && o.kind == originDefault {
			continue
		}
		line := p.Key + ": " + yamlScalar(p.Value)
		switch {
		case p.Key == "target" && p.Value == "custom":
			line = "# " + line + " (no preset: the target.* values below)"
		case o.via != "":
			line = "# " + line // set by a preset or another key: re-applied by it
		}
		fmt.Fprintf(tw, "%s\t# %s\n", line, o)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func scenarioDiffCommand() *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "list the values two scenario files set differently (one file: against the defaults)",
		ArgsUsage: "A.yaml [B.yaml]",
		Description: "Each file is applied on the defaults; the keys whose effective values differ are listed\n" +
			"with each side's value and where it was set. Exit 0 whether or not they differ.",
		Action: func(c *cli.Context) error {
			if c.NArg() < 1 || c.NArg() > 2 {
				return usagef("scenario diff: want one or two scenario files, got %d arguments", c.NArg())
			}
			a, err := buildScenario(scenarioSpec{File: c.Args().Get(0)})
			if err != nil {
				return err
			}
			b, bName := newEffectiveScenario(), "defaults"
			if c.NArg() == 2 {
				if b, err = buildScenario(scenarioSpec{File: c.Args().Get(1)}); err != nil {
					return err
				}
				bName = c.Args().Get(1)
			}
			return writeScenarioDiff(c.App.Writer, c.Args().Get(0), a, bName, b)
		},
	}
}

// writeScenarioDiff writes the keys whose values differ between a and b, in
// documentation order, each side's value with its origin.
func writeScenarioDiff(w io.Writer, aName string, a *effectiveScenario, bName string, b *effectiveScenario) error {
	ap, bp := a.Scenario.Params(), b.Scenario.Params()
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintf(tw, "key\t%s\tset at\t%s\tset at\n", filepath.Base(aName), filepath.Base(bName))
	n := 0
	for i := range ap {
		if ap[i].Value == bp[i].Value {
			continue
		}
		n++
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", ap[i].Key, show(ap[i].Value), a.Origin[ap[i].Key], show(bp[i].Value), b.Origin[bp[i].Key])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	switch n {
	case 0:
		_, err := fmt.Fprintf(w, "no value differs: %s and %s give the same scenario\n", aName, bName)
		return err
	case 1:
		_, err := fmt.Fprintln(w, "1 value differs")
		return err
	}
	_, err := fmt.Fprintf(w, "%d values differ\n", n)
	return err
}

// show writes an empty value visibly.
func show(v string) string {
	if v == "" {
		return `""`
	}
	return v
}
