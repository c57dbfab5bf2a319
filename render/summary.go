package render

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"

	"github.com/covplan/covplan/coverage"
)

// Euros is an amount in euros. In JSON it is a number with exactly two
// decimals (cents), never in scientific notation, and null when NaN or
// infinite.
type Euros float64

// MarshalJSON implements json.Marshaler.
func (e Euros) MarshalJSON() ([]byte, error) {
	return appendFixedJSON(nil, float64(e), precMoney), nil
}

// Share is a fraction in [0, 1]. In JSON it is a number with six decimals,
// and null when undefined (a share of nothing).
type Share float64

// MarshalJSON implements json.Marshaler.
func (s Share) MarshalJSON() ([]byte, error) {
	return appendFixedJSON(nil, float64(s), precShare), nil
}

// Quantity is a non-integer count (expected subscribers). In JSON it is a
// number with one decimal, null when NaN or infinite.
type Quantity float64

// MarshalJSON implements json.Marshaler.
func (q Quantity) MarshalJSON() ([]byte, error) {
	return appendFixedJSON(nil, float64(q), precSpeed), nil
}

// Summary is the content of summary.json: what was run on what, and the
// plan's totals. Every figure is a sum over the zones of the plan, so it
// equals the sum of the matching zones.csv column (before rounding).
//
// Fields are structs, not maps, so the key order is fixed; new fields are
// only ever added. There is no timestamp: the same inputs give the same
// bytes.
type Summary struct {
	Version string `json:"covplan_version"`
	Title   string `json:"title,omitempty"`
	// Level is "premise" when figures are built from premises, "zone" when
	// they come from zone counts and density estimates.
	Level string `json:"level"`
	// Frame is the metric frame used inside the core.
	Frame   string         `json:"frame"`
	Inputs  []SummaryInput `json:"inputs"`
	Skipped []SummarySkip  `json:"skipped"`

	Totals       SummaryTotals   `json:"totals"`
	ByTechnology []SummaryTech   `json:"by_technology"`
	Target       SummaryTarget   `json:"target"`
	Rollout      *SummaryRollout `json:"rollout,omitempty"`
	// Reasons counts each reason code over the zones, in MODEL.md order;
	// codes that occur nowhere are left out.
	Reasons []SummaryReason `json:"reasons"`
	// LEOCells is the load of the LEO capacity cells; absent when no zone
	// chose LEO or the plan does not track cells.
	LEOCells *SummaryLEOCells `json:"leo_cells,omitempty"`
	// Scenario is the scenario the plan was made under (Plan.Scenario, with
	// its own JSON tags); absent when the plan carries none.
	Scenario *coverage.Scenario `json:"scenario,omitempty"`
}

// SummaryInput is one input file.
type SummaryInput struct {
	Role    string `json:"role"`
	Name    string `json:"name"`
	SHA256  string `json:"sha256"`
	Records int    `json:"records"`
	Skipped int    `json:"skipped"`
	CRS     string `json:"crs"`
}

// SummarySkip counts the records of one file skipped for one reason.
type SummarySkip struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

// SummaryTotals are the whole plan's figures. Money is the chosen options'.
type SummaryTotals struct {
	Zones int `json:"zones"`
	// ZonesWithPremises have at least one premise.
	ZonesWithPremises int `json:"zones_with_premises"`
	// ZonesWithoutOption have premises but no feasible option (technology none).
	ZonesWithoutOption int `json:"zones_without_option"`
	Premises           int `json:"premises"`
	Units              int `json:"units"`
	// PremisesOutsideZones lie in no zone and are not planned (premise level only).
	PremisesOutsideZones int   `json:"premises_outside_zones"`
	CapexEUR             Euros `json:"capex_eur"`
	OpexEURPerYear       Euros `json:"opex_eur_per_year"`
	NPVEUR               Euros `json:"npv_eur"`
	PublicCostEUR        Euros `json:"public_cost_eur"`
	// NPVPerPremiseEUR is NPVEUR over the premises of zones with a chosen
	// option; null when there are none.
	NPVPerPremiseEUR Euros `json:"npv_per_premise_eur"`
	// PremisesReached are the premises the built options bring to the
	// target (sum of zones.csv premises_reached); null when the plan does
	// not count them.
	PremisesReached *int `json:"premises_reached"`
	// Subscribers is the expected number of subscribing units.
	Subscribers Quantity `json:"subscribers"`
}

// SummaryTech are the totals over the zones that chose one technology.
// Technology "none" gathers the zones without a choice; its money is zero.
type SummaryTech struct {
	Technology     string `json:"technology"`
	Zones          int    `json:"zones"`
	Premises       int    `json:"premises"`
	Units          int    `json:"units"`
	CapexEUR       Euros  `json:"capex_eur"`
	OpexEURPerYear Euros  `json:"opex_eur_per_year"`
	NPVEUR         Euros  `json:"npv_eur"`
	PublicCostEUR  Euros  `json:"public_cost_eur"`
	// PremisesShare is Premises over all premises in zones.
	PremisesShare   Share    `json:"premises_share"`
	PremisesReached *int     `json:"premises_reached"`
	Subscribers     Quantity `json:"subscribers"`
}

// SummaryTarget is the coverage of the scenario's target.
//
// PremisesMeeting and UnitsMeeting count the premises and units of zones
// whose chosen option meets the target (zones.csv meets_target); shares are
// over all premises (units) in zones, null when there are none.
// PremisesReached counts premises one by one (a zone that meets the target
// can still leave some out: beyond fibre reach, obstructed sky), and ByKind
// splits it by kind of premise; they are null / absent when the plan does
// not count premises by kind.
type SummaryTarget struct {
	// Name is the scenario's target preset (fr-thd, fr-2025, ...), when known.
	Name                 string        `json:"name,omitempty"`
	PremisesMeeting      int           `json:"premises_meeting"`
	UnitsMeeting         int           `json:"units_meeting"`
	PremisesShare        Share         `json:"premises_share"`
	UnitsShare           Share         `json:"units_share"`
	PremisesReached      *int          `json:"premises_reached"`
	PremisesReachedShare *Share        `json:"premises_reached_share"`
	ByKind               []SummaryKind `json:"by_kind,omitempty"`
}

// SummaryKind is the reach of the target for one kind of premise, in
// coverage.Kind order (household, business, school, public, other).
type SummaryKind struct {
	Kind     string `json:"kind"`
	Priority bool   `json:"priority"` // one of the scenario's priority kinds
	Premises int    `json:"premises"`
	Reached  int    `json:"reached"`
	Share    Share  `json:"share"` // Reached / Premises; null without premises
}

// SummaryReason counts one reason code. Zones and Premises count the zones
// whose reasons column (the choice) carries it; Fibre, Wifi, LEO and GEO
// count the zones whose option of that technology carries it (the
// <tech>_reasons columns).
type SummaryReason struct {
	Code     string `json:"code"`
	Zones    int    `json:"zones"`
	Premises int    `json:"premises"`
	Fibre    int    `json:"fibre"`
	Wifi     int    `json:"wifi"`
	LEO      int    `json:"leo"`
	GEO      int    `json:"geo"`
}

// SummaryLEOCells is the load of the LEO capacity cells (hexagons of
// Scenario.LEO.CellWidthM) that hold premises of zones choosing LEO.
type SummaryLEOCells struct {
	Cells int `json:"cells"`
	// Full counts cells where some zone lost LEO for capacity (SAT_CAPACITY).
	Full        int      `json:"full"`
	Subscribers Quantity `json:"subscribers"`
	// MaxLoadShare is the highest subscribers / capacity over the cells
	// with a capacity; null when no cell has one.
	MaxLoadShare Share `json:"max_load_share"`
}

// SummaryRollout is the phased plan year by year (zones.csv year). It is
// present only when at least one zone has a rollout year.
type SummaryRollout struct {
	Years []SummaryYear `json:"years"`
	// Unscheduled gathers the zones with a chosen option but no year (beyond
	// the budget or the horizon).
	Unscheduled SummaryYear `json:"unscheduled"`
}

// SummaryYear is one rollout year. Cumulative figures run from year 1;
// they are zero for Unscheduled (whose year is 0).
type SummaryYear struct {
	Year            int `json:"year"`
	Zones           int `json:"zones"`
	Premises        int `json:"premises"`
	Units           int `json:"units"`
	PremisesMeeting int `json:"premises_meeting"`
	// PremisesReached and PriorityReached (premises of the scenario's
	// priority kinds) are null when the plan does not count them.
	PremisesReached      *int  `json:"premises_reached"`
	PriorityReached      *int  `json:"priority_reached"`
	CapexEUR             Euros `json:"capex_eur"`
	PublicCostEUR        Euros `json:"public_cost_eur"`
	CumulativePremises   int   `json:"cumulative_premises"`
	CumulativeCapexEUR   Euros `json:"cumulative_capex_eur"`
	CumulativePublicCost Euros `json:"cumulative_public_cost_eur"`
}

// NewSummary computes the summary of src. The CLI may also print from it.
func NewSummary(src *Source) (*Summary, error) {
	rows, err := zoneRows(src, "summary.json")
	if err != nil {
		return nil, err
	}
	plan := src.Plan
	s := &Summary{
		Version: src.Meta.Version,
		Title:   src.Meta.Title,
		Level:   levelPremise,
		Frame:   src.Meta.Frame,
		Inputs:  []SummaryInput{},
		Skipped: mergeSkips(src.Meta.Skipped),
	}
	if plan.ZoneLevel {
		s.Level = levelZone
	}
	for _, in := range src.Meta.Inputs {
		s.Inputs = append(s.Inputs, SummaryInput(in))
	}
	if !reflect.ValueOf(plan.Scenario).IsZero() {
		sc := plan.Scenario
		s.Scenario = &sc
		s.Target.Name = sc.Target.Name
	}
	kinds, _ := planCounts(plan)
	priority := priorityKinds(plan.Scenario.Priority)

	var byTech [coverage.NumTechs]SummaryTech
	var byTechReached [coverage.NumTechs]int
	var byKind, reachedByKind [coverage.NumKinds]int
	t := &s.Totals
	t.Zones = len(rows)
	chosenPremises := 0
	for i := range rows {
		zp, o := rows[i].plan, &rows[i].chosen
		bt := &byTech[zp.Chosen]
		bt.Zones++
		bt.Premises += zp.Premises
		bt.Units += zp.Units
		t.Premises += zp.Premises
		t.Units += zp.Units
		for k := range coverage.NumKinds {
			byKind[k] += zp.ByKind[k]
			reachedByKind[k] += zp.Reached[k]
			byTechReached[zp.Chosen] += zp.Reached[k]
		}
		if zp.Premises > 0 {
			t.ZonesWithPremises++
		}
		if zp.MeetsTarget {
			s.Target.PremisesMeeting += zp.Premises
			s.Target.UnitsMeeting += zp.Units
		}
		if zp.Chosen == coverage.TechNone {
			if zp.Premises > 0 {
				t.ZonesWithoutOption++
			}
			continue
		}
		chosenPremises += zp.Premises
		bt.CapexEUR += Euros(o.CapexEUR)
		bt.OpexEURPerYear += Euros(o.OpexEURPerYear)
		bt.NPVEUR += Euros(o.NPVEUR)
		bt.PublicCostEUR += Euros(o.PublicCostEUR)
		bt.Subscribers += Quantity(o.Subscribers)
	}
	for _, tech := range append(coverage.Techs[:], coverage.TechNone) {
		bt := byTech[tech]
		bt.Technology = tech.String()
		bt.PremisesShare = ratio(bt.Premises, t.Premises)
		if kinds {
			bt.PremisesReached = ptr(byTechReached[tech])
		}
		t.CapexEUR += bt.CapexEUR
		t.OpexEURPerYear += bt.OpexEURPerYear
		t.NPVEUR += bt.NPVEUR
		t.PublicCostEUR += bt.PublicCostEUR
		t.Subscribers += bt.Subscribers
		s.ByTechnology = append(s.ByTechnology, bt)
	}
	t.NPVPerPremiseEUR = Euros(float64(t.NPVEUR) / float64(chosenPremises)) // NaN (null) without premises
	if src.Measures != nil {
		for i := range src.Measures {
			if z := src.Measures[i].Zone; z < 0 || int(z) >= len(src.Input.Zones) {
				t.PremisesOutsideZones++
			}
		}
	} else {
		t.PremisesOutsideZones = plan.Unzoned
	}
	s.Target.PremisesShare = ratio(s.Target.PremisesMeeting, t.Premises)
	s.Target.UnitsShare = ratio(s.Target.UnitsMeeting, t.Units)
	if kinds {
		reached := countSum(reachedByKind[:])
		t.PremisesReached = ptr(reached)
		s.Target.PremisesReached = ptr(reached)
		s.Target.PremisesReachedShare = ptr(ratio(reached, t.Premises))
		for k := range coverage.NumKinds {
			s.Target.ByKind = append(s.Target.ByKind, SummaryKind{
				Kind:     k.String(),
				Priority: priority[k],
				Premises: byKind[k],
				Reached:  reachedByKind[k],
				Share:    ratio(reachedByKind[k], byKind[k]),
			})
		}
	}
	s.Rollout = rollout(rows, kinds, priority)
	s.Reasons = reasonCounts(rows)
	s.LEOCells = leoCells(plan.LEOCells)
	return s, nil
}

// summaryReasonOrder is MODEL.md §5's order of the reason codes.
var summaryReasonOrder = []coverage.Reason{
	coverage.FibreTooFar, coverage.FibreOverThreshold, coverage.WifiNoSite, coverage.WifiCapacity,
	coverage.SatLatency, coverage.SatCapacity, coverage.SatObstructed, coverage.BelowTarget, coverage.OverBudget,
}

// reasonCounts counts the reason codes of the zones: known codes in
// summaryReasonOrder, then any other code in byte order.
func reasonCounts(rows []zoneRow) []SummaryReason {
	index := make(map[coverage.Reason]int, len(summaryReasonOrder))
	out := make([]SummaryReason, 0, len(summaryReasonOrder))
	for _, r := range summaryReasonOrder {
		index[r] = len(out)
		out = append(out, SummaryReason{Code: string(r)})
	}
	get := func(r coverage.Reason) *SummaryReason {
		i, ok := index[r]
		if !ok {
			i = len(out)
			index[r] = i
			out = append(out, SummaryReason{Code: string(r)})
		}
		return &out[i]
	}
	for i := range rows {
		zp := rows[i].plan
		for _, r := range dedupReasons(zp.Reasons) {
			if r == "" {
				continue // written nowhere (see csvEncoder.reasons)
			}
			c := get(r)
			c.Zones++
			c.Premises += zp.Premises
		}
		for _, t := range coverage.Techs {
			for _, r := range dedupReasons(zp.Options[t].Reasons) {
				if r == "" {
					continue
				}
				c := get(r)
				switch t {
				case coverage.TechFibre:
					c.Fibre++
				case coverage.TechWifi:
					c.Wifi++
				case coverage.TechLEO:
					c.LEO++
				case coverage.TechGEO:
					c.GEO++
				}
			}
		}
	}
	extra := out[len(summaryReasonOrder):]
	slices.SortFunc(extra, func(a, b SummaryReason) int { return cmp.Compare(a.Code, b.Code) })
	kept := out[:0]
	for _, c := range out {
		if c.Zones+c.Fibre+c.Wifi+c.LEO+c.GEO > 0 {
			kept = append(kept, c)
		}
	}
	return kept
}

// dedupReasons returns rs without repeated codes (a code counts once per
// zone), keeping the first occurrence.
func dedupReasons(rs []coverage.Reason) []coverage.Reason {
	for i := 1; i < len(rs); i++ {
		if slices.Contains(rs[:i], rs[i]) {
			out := slices.Clone(rs[:i])
			for _, r := range rs[i+1:] {
				if !slices.Contains(out, r) {
					out = append(out, r)
				}
			}
			return out
		}
	}
	return rs
}

func leoCells(cells []coverage.LEOCell) *SummaryLEOCells {
	if len(cells) == 0 {
		return nil
	}
	s := &SummaryLEOCells{Cells: len(cells), MaxLoadShare: Share(math.NaN())}
	for _, c := range cells {
		if c.Full {
			s.Full++
		}
		s.Subscribers += Quantity(c.Subscribers)
		if c.CapacitySubs > 0 {
			load := c.Subscribers / c.CapacitySubs
			if math.IsNaN(float64(s.MaxLoadShare)) || load > float64(s.MaxLoadShare) {
				s.MaxLoadShare = Share(load)
			}
		}
	}
	return s
}

func ptr[T any](v T) *T { return &v }

func priorityKinds(ks []coverage.Kind) (p [coverage.NumKinds]bool) {
	for _, k := range ks {
		if k < coverage.NumKinds {
			p[k] = true
		}
	}
	return p
}

// ratio is a/b, NaN (JSON null) when b is 0.
func ratio(a, b int) Share {
	if b == 0 {
		return Share(math.NaN())
	}
	return Share(float64(a) / float64(b))
}

// mergeSkips sums the skip counts per (file, reason) and sorts them by file
// then reason, so that the order does not depend on how loaders reported.
func mergeSkips(in []SkipCount) []SummarySkip {
	out := make([]SummarySkip, 0, len(in))
	for _, sc := range in {
		out = append(out, SummarySkip(sc))
	}
	slices.SortStableFunc(out, func(a, b SummarySkip) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Reason, b.Reason))
	})
	merged := out[:0]
	for _, sc := range out {
		if n := len(merged); n > 0 && merged[n-1].File == sc.File && merged[n-1].Reason == sc.Reason {
			merged[n-1].Count += sc.Count
			continue
		}
		merged = append(merged, sc)
	}
	return merged
}

// rollout groups the zones by rollout year; nil when no zone has a year.
func rollout(rows []zoneRow, kinds bool, priority [coverage.NumKinds]bool) *SummaryRollout {
	last := 0
	for i := range rows {
		last = max(last, rows[i].plan.Year)
	}
	if last == 0 {
		return nil
	}
	years := make([]SummaryYear, last)
	r := &SummaryRollout{}
	reached := make([]int, last+1) // [0] is unscheduled
	prio := make([]int, last+1)
	for i := range rows {
		zp, o := rows[i].plan, &rows[i].chosen
		if zp.Chosen == coverage.TechNone {
			continue
		}
		y := &r.Unscheduled
		if zp.Year > 0 {
			y = &years[zp.Year-1]
		}
		y.Zones++
		y.Premises += zp.Premises
		y.Units += zp.Units
		if zp.MeetsTarget {
			y.PremisesMeeting += zp.Premises
		}
		y.CapexEUR += Euros(o.CapexEUR)
		y.PublicCostEUR += Euros(o.PublicCostEUR)
		for k := range coverage.NumKinds {
			reached[zp.Year] += zp.Reached[k]
			if priority[k] {
				prio[zp.Year] += zp.Reached[k]
			}
		}
	}
	if kinds {
		r.Unscheduled.PremisesReached, r.Unscheduled.PriorityReached = ptr(reached[0]), ptr(prio[0])
	}
	var cumP int
	var cumC, cumPub Euros
	for i := range years {
		y := &years[i]
		y.Year = i + 1
		if kinds {
			y.PremisesReached, y.PriorityReached = ptr(reached[i+1]), ptr(prio[i+1])
		}
		cumP += y.Premises
		cumC += y.CapexEUR
		cumPub += y.PublicCostEUR
		y.CumulativePremises, y.CumulativeCapexEUR, y.CumulativePublicCost = cumP, cumC, cumPub
	}
	r.Years = years
	return r
}

// WriteSummaryJSON writes summary.json: NewSummary(src) as indented JSON
// (two spaces, keys in the order of the Summary struct, one trailing
// newline). Money has two decimals, shares six; undefined figures are null.
// See Summary and its field types for every key.
func WriteSummaryJSON(w io.Writer, src *Source) error {
	s, err := NewSummary(src)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return fmt.Errorf("render: summary.json: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("render: summary.json: %w", err)
	}
	return nil
}
