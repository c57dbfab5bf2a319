package coverage

import (
	"fmt"
	"strings"
)

// Policy is how a zone's technology is chosen among its feasible options.
type Policy string

// Policies (MODEL.md §5).
const (
	// PolicyLeastCost picks the cheapest feasible option by NPV per premise served.
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
