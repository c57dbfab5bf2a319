package main

import (
	"fmt"
	"math"

	"github.com/covplan/covplan/coverage"
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
		ev, err := coverage.Evaluate(m.ds.Input, m.ix, m.measures, members[0], coverage.EvaluateOptionsFor(members...))
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
