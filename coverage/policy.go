package coverage

import (
	"fmt"
	"math"
	"strings"
)

// Policy is how a zone's technology is chosen among its feasible options.
type Policy string

// Policies (MODEL.md §5).
const (
	// PolicyLeastCost picks the cheapest feasible option under the ranking
	// (Scenario.Rank), per premise served.
	PolicyLeastCost Policy = "least-cost"
	// PolicyFibreFirst picks fibre unless its CAPEX per premise exceeds
	// Scenario.ThresholdEUR, then the cheapest other option.
	PolicyFibreFirst Policy = "fibre-first"
	// PolicyLowestCostBand picks the cheapest option, but the priority
	// technology wins when within Scenario.BandShare of the cheapest.
	PolicyLowestCostBand Policy = "lowest-cost-band"
	// PolicyBudget maximises premises meeting the target within the budget.
	PolicyBudget Policy = "budget"
	// PolicyHybrid mixes fibre and the best alternative inside each zone.
	PolicyHybrid Policy = "hybrid"
)

// Policies lists every policy in documentation order.
var Policies = []Policy{PolicyLeastCost, PolicyFibreFirst, PolicyLowestCostBand, PolicyBudget, PolicyHybrid}

// ParsePolicy maps a policy name (case-insensitive) to a Policy.
func ParsePolicy(name string) (Policy, error) {
	n := Policy(strings.ToLower(strings.TrimSpace(name)))
	for _, p := range Policies {
		if p == n {
			return p, nil
		}
	}
	names := make([]string, len(Policies))
	for i, p := range Policies {
		names[i] = string(p)
	}
	return "", fmt.Errorf("coverage: unknown policy %q (want one of %s)", name, strings.Join(names, ", "))
}

// ParsePriority parses a comma-separated list of premise kinds, e.g.
// "schools,public", into kinds in the given order without duplicates.
// Plurals and the synonyms of ParseKind are accepted; "" gives nil.
func ParsePriority(list string) ([]Kind, error) {
	var out []Kind
	var seen [NumKinds]bool
	for _, f := range strings.Split(list, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		k, ok := ParseKind(f)
		if !ok {
			k, ok = ParseKind(strings.TrimSuffix(f, "s"))
		}
		if !ok {
			k, ok = ParseKind(strings.TrimSuffix(f, "es"))
		}
		if !ok {
			return nil, fmt.Errorf("coverage: priority: unknown premise kind %q (want household, business, school, public, other)", f)
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out, nil
}

// zonePolicy decides one zone: every policy but budget, which decides all
// zones at once (budget.go). A policy reads the zone's options and the
// decision so far, never geometry.
type zonePolicy func(d *decider, z int) pick

// pick is a policy's choice for a zone.
type pick struct {
	tech    Tech     // TechNone: no option
	mixed   bool     // the zone's mixed option (Evaluation.Zones[z].Mixed)
	reasons []Reason // the policy's own reasons (FIBRE_OVER_THRESHOLD)
}

// zonePolicies maps each per-zone policy to its function.
var zonePolicies = map[Policy]zonePolicy{
	PolicyLeastCost:      leastCost,
	PolicyFibreFirst:     fibreFirst,
	PolicyLowestCostBand: lowestCostBand,
	PolicyHybrid:         hybrid,
}

// leastCost picks the cheapest usable option under the ranking.
func leastCost(d *decider, z int) pick { return pick{tech: d.cheapest(z, TechNone)} }

// fibreFirst picks fibre unless its CAPEX per premise served exceeds
// Scenario.ThresholdEUR (FIBRE_OVER_THRESHOLD), then the cheapest other.
func fibreFirst(d *decider, z int) pick {
	if !d.usable(z, TechFibre) {
		return leastCost(d, z)
	}
	fo := &d.plan.Zones[z].Options[TechFibre]
	if fo.CapexEUR/float64(fo.PremisesServed) <= d.sc.ThresholdEUR {
		return pick{tech: TechFibre}
	}
	return pick{tech: d.cheapest(z, TechFibre), reasons: []Reason{FibreOverThreshold}}
}

// lowestCostBand picks the cheapest option, unless the priority
// technology is usable and its cost per premise is within BandShare of it
// (ranked on public cost by default: BEAD ranks bids on subsidy).
func lowestCostBand(d *decider, z int) pick {
	chosen := d.cheapest(z, TechNone)
	o := &d.plan.Zones[z].Options
	pt := d.sc.PriorityTech
	if chosen != TechNone && pt != chosen && d.usable(z, pt) &&
		d.cost(&o[pt]) <= d.cost(&o[chosen])+d.sc.BandShare*math.Abs(d.cost(&o[chosen])) {
		chosen = pt
	}
	return pick{tech: chosen}
}

// hybrid picks the zone's mixed option when it is feasible, truly mixed
// (fibre serves some but not all of the premises served), cheaper per
// premise under the ranking than the cheapest single option, and does not rely on LEO
// once LEO lost its cell capacity; otherwise the cheapest option.
func hybrid(d *decider, z int) pick {
	chosen := d.cheapest(z, TechNone)
	zp := &d.plan.Zones[z]
	zv := &d.ev.Zones[z]
	mo, mix := &zv.Mixed, &zv.MixedMix
	if mo.Feasible && (mix[TechLEO] == 0 || !d.excluded[z][TechLEO]) && (mix[TechGEO] == 0 || !d.excluded[z][TechGEO]) &&
		(chosen == TechNone || d.cost(mo) < d.cost(&zp.Options[chosen])) &&
		mix[TechFibre] > 0 && mix[TechFibre] < zp.Premises-mix[TechNone] {
		return pick{mixed: true}
	}
	return pick{tech: chosen}
}

// RankBy is what the policies rank a zone's options on, per premise served.
type RankBy string

// Rankings (policy.rank_by).
const (
	// RankTotal ranks on the present cost: what the public body and the
	// subscribers pay together over the horizon.
	RankTotal RankBy = "total"
	// RankPublic ranks on the public cost: the funding gap and subsidies
	// (BEAD ranks bids on the subsidy requested).
	RankPublic RankBy = "public"
	// RankNPV ranks on the programme's net present value, highest first.
	RankNPV RankBy = "npv"
)

// Rank returns the ranking the scenario's policies use: RankBy when set,
// else the policy's default — public cost for lowest-cost-band (as BEAD),
// present cost for the others.
func (s *Scenario) Rank() RankBy {
	if s.RankBy != "" {
		return s.RankBy
	}
	if s.Policy == PolicyLowestCostBand {
		return RankPublic
	}
	return RankTotal
}
