package render

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
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
	PremisesShare Share `json:"premises_share"`
}

// SummaryTarget is the coverage of the scenario's target: premises and
// units in zones whose chosen option meets it (zones.csv meets_target).
// Shares are over all premises (units) in zones; null when there are none.
type SummaryTarget struct {
	PremisesMeeting int   `json:"premises_meeting"`
	UnitsMeeting    int   `json:"units_meeting"`
	PremisesShare   Share `json:"premises_share"`
	UnitsShare      Share `json:"units_share"`
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
// they are zero for Unscheduled.
type SummaryYear struct {
	Year                 int   `json:"year"`
	Zones                int   `json:"zones"`
	Premises             int   `json:"premises"`
	Units                int   `json:"units"`
	PremisesMeeting      int   `json:"premises_meeting"`
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
	s := &Summary{
		Version: src.Meta.Version,
		Title:   src.Meta.Title,
		Level:   levelPremise,
		Frame:   src.Meta.Frame,
		Inputs:  []SummaryInput{},
		Skipped: []SummarySkip{},
	}
	if src.Plan.ZoneLevel {
		s.Level = levelZone
	}
	for _, in := range src.Meta.Inputs {
		s.Inputs = append(s.Inputs, SummaryInput(in))
	}
	s.Skipped = mergeSkips(src.Meta.Skipped)

	var byTech [coverage.NumTechs]SummaryTech
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
	}
	for _, tech := range append(coverage.Techs[:], coverage.TechNone) {
		bt := byTech[tech]
		bt.Technology = tech.String()
		bt.PremisesShare = ratio(bt.Premises, t.Premises)
		t.CapexEUR += bt.CapexEUR
		t.OpexEURPerYear += bt.OpexEURPerYear
		t.NPVEUR += bt.NPVEUR
		t.PublicCostEUR += bt.PublicCostEUR
		s.ByTechnology = append(s.ByTechnology, bt)
	}
	t.NPVPerPremiseEUR = Euros(float64(t.NPVEUR) / float64(chosenPremises)) // NaN (null) without premises
	for i := range src.Measures {
		if z := src.Measures[i].Zone; z < 0 || int(z) >= len(src.Input.Zones) {
			t.PremisesOutsideZones++
		}
	}
	s.Target.PremisesShare = ratio(s.Target.PremisesMeeting, t.Premises)
	s.Target.UnitsShare = ratio(s.Target.UnitsMeeting, t.Units)
	s.Rollout = rollout(rows)
	return s, nil
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
func rollout(rows []zoneRow) *SummaryRollout {
	last := 0
	for i := range rows {
		last = max(last, rows[i].plan.Year)
	}
	if last == 0 {
		return nil
	}
	years := make([]SummaryYear, last)
	r := &SummaryRollout{}
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
	}
	var cumP int
	var cumC, cumPub Euros
	for i := range years {
		y := &years[i]
		y.Year = i + 1
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
