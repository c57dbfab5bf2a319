package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"

	"github.com/covplan/covplan/coverage"
	"github.com/covplan/covplan/render"
	"github.com/urfave/cli/v2"
)

// compare and sweep plan one area under many scenarios. Loading, indexing
// and measuring happen once (session.prepare); evaluating happens once per
// group of scenarios that share an evaluation (they differ only in
// decision keys: coverage.Scenario.SameEvaluation); deciding happens once
// per scenario. At 1M premises an evaluation takes about 2 s and a
// decision about 15 ms.

// evalGroups groups the scenarios that can share one evaluation: it
// returns, for each scenario, its group (0-based, numbered in order of
// first appearance), and the number of groups.
func evalGroups(scs []coverage.Scenario) (group []int, n int) {
	group = make([]int, len(scs))
	var firsts []int // index of each group's first scenario
	for i := range scs {
		g := -1
		for k, f := range firsts {
			if scs[f].SameEvaluation(scs[i]) {
				g = k
				break
			}
		}
		if g < 0 {
			g = len(firsts)
			firsts = append(firsts, i)
		}
		group[i] = g
	}
	return group, len(firsts)
}

// decideEach plans the measured inputs m under every scenario of scs:
// one evaluation per group of evalGroups (with the mixed options when a
// scenario of the group uses the hybrid policy), then one decision per
// scenario. fn receives each plan with the scenario's index and group, in
// group order, then scenario order within a group; an evaluation is
// dropped once its group is decided, so that memory holds one at a time.
// It stops at the first error, or when the session's context is
// cancelled.
func (s *session) decideEach(m *measured, scs []coverage.Scenario, fn func(i, group int, p *coverage.Plan) error) (groups int, err error) {
	group, n := evalGroups(scs)
	for g := range n {
		var members []coverage.Scenario
		var idx []int
		for i := range scs {
			if group[i] == g {
				members, idx = append(members, scs[i]), append(idx, i)
			}
		}
		if err := s.ctx.Err(); err != nil {
			return n, err
		}
		stage := "evaluating"
		if n > 1 {
			stage = fmt.Sprintf("evaluating %d/%d", g+1, n)
		}
		done := s.pg.stage(stage)
		ev, err := evaluate(m, members...)
		done()
		if err != nil {
			return n, err
		}
		done = s.pg.stage(fmt.Sprintf("deciding %d scenario(s)", len(members)))
		for k, sc := range members {
			p, err := coverage.Decide(ev, sc)
			if err == nil {
				err = fn(idx[k], g, p)
			}
			if err != nil {
				done()
				return n, err
			}
		}
		done()
	}
	return n, nil
}

// roundEUR rounds euros to whole euros, as the summaries print them.
func roundEUR(v float64) float64 { return math.Round(v) }

// areaFlags are the flags compare and sweep share with plan: the inputs,
// --out (its usage names the files written), extra, --no-report, --title,
// --lang and --crs (page: the HTML file), then the running flags.
func areaFlags(outUsage, page string, extra ...cli.Flag) []cli.Flag {
	flags := append(inputFlags(), checkFlags()...)
	flags = append(flags, onceFlag(&cli.GenericFlag{Name: "out", Usage: outUsage}))
	flags = append(flags, extra...)
	flags = append(flags,
		&cli.BoolFlag{Name: "no-report", Usage: "write the CSV files only, not " + page},
		&cli.StringFlag{Name: "title", Usage: "area name shown in " + page},
		&cli.StringFlag{Name: "lang", Value: "fr", Usage: "language " + page + " opens in: fr or en"},
		&cli.StringFlag{Name: "crs", Usage: "force the CRS of every input: EPSG:4326 or EPSG:2154 (default: detect)"},
	)
	return append(flags, runFlags()...)
}

// areaOptionsFromCLI reads the areaFlags into the PlanOptions fields they
// set, checked as plan checks them; hint says how the command takes what
// an argument might have meant.
func areaOptionsFromCLI(c *cli.Context, hint string) (PlanOptions, error) {
	opt, err := readAreaOptions(c, hint)
	if err != nil {
		return opt, err
	}
	return opt, opt.validate()
}

// readAreaOptions is areaOptionsFromCLI before the check: plan reads its
// own flags too before it checks them all.
func readAreaOptions(c *cli.Context, hint string) (PlanOptions, error) {
	if c.NArg() > 0 {
		return PlanOptions{}, usagef("%s: unexpected argument %q (%s)", c.Command.Name, c.Args().First(), hint)
	}
	in, err := inputOptionsFromCLI(c)
	if err != nil {
		return PlanOptions{}, err
	}
	opt := PlanOptions{
		Inputs: in,
		Out:    c.String("out"),
		Report: ReportOptions{NoReport: c.Bool("no-report"), Title: c.String("title"), Lang: c.String("lang")},
	}
	opt.Run, err = runOptionsFromCLI(c)
	return opt, err
}

// areaRun is a compare or sweep run under way: its session, its output
// set in --out and, for compare --plans, one in each subfolder.
type areaRun struct {
	s        *session
	set      *outputSet
	subs     []*outputSet
	measured *measured
}

// startArea starts a compare or sweep run: --out is created, checked and
// locked, and so is --out/SUB for each of subs, before any input is read;
// then the inputs are loaded, indexed and measured. The caller must call
// close.
func startArea(ctx context.Context, command string, po PlanOptions, subs []string, stdout, stderr io.Writer) (*areaRun, error) {
	r := &areaRun{s: newSession(ctx, po.Run, stdout, stderr)}
	r.s.meta = render.Meta{Title: po.Report.Title, Version: version}
	var err error
	if r.set, err = openOutputSet(po.Out, command, r.s.con.warn); err != nil {
		return nil, err
	}
	for _, sub := range subs {
		ps, err := openOutputSet(filepath.Join(po.Out, sub), command, r.s.con.warn)
		if err != nil {
			r.close()
			return nil, err
		}
		r.subs = append(r.subs, ps)
	}
	if r.measured, err = r.s.prepare(po.Inputs); err != nil {
		r.s.pg.wait()
		r.close()
		return nil, err
	}
	return r, nil
}

func (r *areaRun) close() {
	r.set.close()
	for _, ps := range r.subs {
		ps.close()
	}
}
