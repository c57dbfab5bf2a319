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
	// Findings are what covplan said about the inputs, in the order it
	// said them (Meta.Findings); empty when the inputs were clean.
	Findings []SummaryFinding `json:"findings"`

	Totals       SummaryTotals   `json:"totals"`
	ByTechnology []SummaryTech   `json:"by_technology"`
	Target       SummaryTarget   `json:"target"`
	Rollout      *SummaryRollout `json:"rollout,omitempty"`
	// Reasons counts each reason code over the zones, in MODEL.md order;
	// codes that occur nowhere are left out.
	Reasons []SummaryReason `json:"reasons"`
	// LEOCells and GEOCells are the load of the satellites' capacity cells
	// and beams; absent when no zone uses them or the plan does not track
	// cells.
	LEOCells *SummaryLEOCells `json:"leo_cells,omitempty"`
	GEOCells *SummaryLEOCells `json:"geo_cells,omitempty"`
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

// SummaryFinding is one finding about one input file (Finding).
type SummaryFinding struct {
	File     string   `json:"file"`
	Code     string   `json:"code"`
	Severity string   `json:"severity"`
	Count    int      `json:"count"`
	Message  string   `json:"message"`
	Hint     string   `json:"hint,omitempty"`
	Examples []string `json:"examples,omitempty"`
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
	// NPVEUR is the NPV (revenues less network cost) of the chosen options
	// that have one; null when none has (revenues not modelled).
	NPVEUR Euros `json:"npv_eur"`
	// PresentCostEUR is what the public body and the subscribers pay
	// together over the horizon (coverage.Money).
	PresentCostEUR Euros `json:"present_cost_eur"`
	PublicCostEUR  Euros `json:"public_cost_eur"`
	// NPVPerPremiseEUR is NPVEUR over the premises served of the zones
	// with an NPV; null when there are none.
	NPVPerPremiseEUR Euros `json:"npv_per_premise_eur"`
	// PresentCostPerPremiseEUR is PresentCostEUR over the premises the
	// chosen options serve; null when there are none.
	PresentCostPerPremiseEUR Euros `json:"present_cost_per_premise_eur"`
	// PremisesReached are the premises the built options bring to the
	// target (sum of zones.csv premises_reached); null when the plan does
	// not count them.
	PremisesReached *int `json:"premises_reached"`
	// Subscribers is the expected number of subscribing units.
	Subscribers Quantity `json:"subscribers"`
	SummaryMoney
}

// SummaryMoney is the rest of the money on one basis (coverage.Money): the
// parts of the present cost, the network's revenues, and NPVZones, the
// zones whose chosen option has an NPV (npv_eur sums theirs).
type SummaryMoney struct {
	NetworkCostEUR          Euros `json:"network_cost_eur"`
	SubscriberCostEUR       Euros `json:"subscriber_cost_eur"`
	RevenueEUR              Euros `json:"revenue_eur"`
	SubsidyEUR              Euros `json:"subsidy_eur"`
	NPVZones                int   `json:"npv_zones"`
	SubscriptionsEURPerYear Euros `json:"subscriptions_eur_per_year"`
	RevenueEURPerYear       Euros `json:"revenue_eur_per_year"`
	ReinvestEUR             Euros `json:"reinvest_eur"`
	// CapexByItem splits CAPEX by cost item (coverage.CostItem names).
	CapexByItem []SummaryItem `json:"capex_by_item"`
}

// SummaryItem is one cost item's amount.
type SummaryItem struct {
	Item string `json:"item"`
	EUR  Euros  `json:"eur"`
}

// npvOrNull is t's NPV, NaN (null) when no zone of t has one.
func npvOrNull(t *coverage.TechTotals) Euros {
	if t.NPVZones == 0 {
		return Euros(math.NaN())
	}
	return Euros(t.NPVEUR)
}

func summaryMoney(t *coverage.TechTotals) SummaryMoney {
	m := SummaryMoney{
		NetworkCostEUR: Euros(t.NetworkCostEUR), SubscriberCostEUR: Euros(t.SubscriberCostEUR),
		RevenueEUR: Euros(t.RevenueEUR), SubsidyEUR: Euros(t.SubsidyEUR),
		NPVZones:                t.NPVZones,
		SubscriptionsEURPerYear: Euros(t.SubscriptionsEURPerYear), RevenueEURPerYear: Euros(t.RevenueEURPerYear),
		ReinvestEUR: Euros(t.ReinvestEUR),
	}
	for c := range coverage.NumCostItems {
		m.CapexByItem = append(m.CapexByItem, SummaryItem{c.String(), Euros(t.CapexByItem[c])})
	}
	return m
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
	PresentCostEUR Euros  `json:"present_cost_eur"`
	PublicCostEUR  Euros  `json:"public_cost_eur"`
	// PremisesShare is Premises over all premises in zones.
	PremisesShare   Share    `json:"premises_share"`
	PremisesReached *int     `json:"premises_reached"`
	Subscribers     Quantity `json:"subscribers"`
	SummaryMoney
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
	// Full counts cells where some zone lost the satellite for capacity (SAT_CAPACITY).
	Full        int      `json:"full"`
	Subscribers Quantity `json:"subscribers"`
	// MaxLoadShare is the highest busy-hour load / capacity over the cells
	// with a capacity; null when no cell has one.
	MaxLoadShare Share `json:"max_load_share"`
	// LoadMbps is the subscribers' busy-hour traffic.
	LoadMbps Quantity `json:"load_mbps"`
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

// NewSummary makes the summary of src from its plan's totals (the plan
// computes every total; the summary only copies and formats them). The
// CLI may also print from it.
func NewSummary(src *Source) (*Summary, error) {
	if _, err := zoneRows(src, "summary.json"); err != nil {
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
	s.Findings = make([]SummaryFinding, len(src.Meta.Findings))
	for i, f := range src.Meta.Findings {
		s.Findings[i] = SummaryFinding(f)
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

	pt := &plan.Total
	t := &s.Totals
	t.Zones = pt.Zones
	t.ZonesWithPremises, t.ZonesWithoutOption = plan.ZonesWithPremises, plan.ZonesWithoutOption
	t.Premises, t.Units = pt.Premises, pt.Units
	t.PremisesOutsideZones = plan.Unzoned
	t.CapexEUR, t.OpexEURPerYear = Euros(pt.CapexEUR), Euros(pt.OpexEURPerYear)
	t.PresentCostEUR, t.PublicCostEUR = Euros(pt.PresentCostEUR), Euros(pt.PublicCostEUR)
	t.NPVEUR = npvOrNull(pt)
	t.Subscribers = Quantity(pt.Subscribers)
	t.PresentCostPerPremiseEUR = Euros(pt.PresentCostEUR / float64(plan.PremisesServed)) // NaN (null) without premises
	t.NPVPerPremiseEUR = Euros(pt.NPVEUR / float64(pt.NPVPremises))                      // NaN (null) without an NPV
	t.SummaryMoney = summaryMoney(pt)
	for _, tech := range append(coverage.Techs[:], coverage.TechNone) {
		b := &plan.ByTech[tech]
		bt := SummaryTech{
			Technology: tech.String(), Zones: b.Zones, Premises: b.Premises, Units: b.Units,
			CapexEUR: Euros(b.CapexEUR), OpexEURPerYear: Euros(b.OpexEURPerYear),
			NPVEUR: npvOrNull(b), PresentCostEUR: Euros(b.PresentCostEUR), PublicCostEUR: Euros(b.PublicCostEUR),
			PremisesShare: ratio(b.Premises, pt.Premises), Subscribers: Quantity(b.Subscribers),
			SummaryMoney: summaryMoney(b),
		}
		if kinds {
			bt.PremisesReached = ptr(b.Reached)
		}
		s.ByTechnology = append(s.ByTechnology, bt)
	}
	s.Target.PremisesMeeting, s.Target.UnitsMeeting = plan.PremisesMeeting, plan.UnitsMeeting
	s.Target.PremisesShare = ratio(plan.PremisesMeeting, pt.Premises)
	s.Target.UnitsShare = ratio(plan.UnitsMeeting, pt.Units)
	if kinds {
		t.PremisesReached = ptr(pt.Reached)
		s.Target.PremisesReached = ptr(pt.Reached)
		s.Target.PremisesReachedShare = ptr(ratio(pt.Reached, pt.Premises))
		for k := range coverage.NumKinds {
			s.Target.ByKind = append(s.Target.ByKind, SummaryKind{
				Kind:     k.String(),
				Priority: priority[k],
				Premises: plan.InZonesByKind[k],
				Reached:  plan.ReachedByKind[k],
				Share:    ratio(plan.ReachedByKind[k], plan.InZonesByKind[k]),
			})
		}
	}
	s.Rollout = summaryRollout(plan, kinds)
	s.Reasons = summaryReasons(plan.Reasons)
	s.LEOCells = summarySat(plan.SatLoad[0])
	s.GEOCells = summarySat(plan.SatLoad[1])
	return s, nil
}

// summaryReasons copies the plan's reason counts.
func summaryReasons(rc []coverage.ReasonCount) []SummaryReason {
	out := make([]SummaryReason, len(rc))
	for i, c := range rc {
		out[i] = SummaryReason{Code: string(c.Code), Zones: c.Zones, Premises: c.Premises,
			Fibre: c.ByOption[coverage.TechFibre], Wifi: c.ByOption[coverage.TechWifi],
			LEO: c.ByOption[coverage.TechLEO], GEO: c.ByOption[coverage.TechGEO]}
	}
	return out
}

// summarySat copies a satellite's cell load; nil without cells.
func summarySat(l coverage.SatLoad) *SummaryLEOCells {
	if l.Cells == 0 {
		return nil
	}
	s := &SummaryLEOCells{Cells: l.Cells, Full: l.Full, Subscribers: Quantity(l.Subscribers),
		LoadMbps: Quantity(l.LoadMbps), MaxLoadShare: Share(math.NaN())}
	if l.Capped > 0 {
		s.MaxLoadShare = Share(l.MaxLoadShare)
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

// summaryRollout copies the plan's rollout; nil when no zone has a year.
func summaryRollout(p *coverage.Plan, kinds bool) *SummaryRollout {
	if p.Rollout == nil {
		return nil
	}
	year := func(y *coverage.RolloutYear) SummaryYear {
		sy := SummaryYear{Year: y.Year, Zones: y.Zones, Premises: y.ZonePremises, Units: y.Units,
			PremisesMeeting: y.PremisesMeeting, CapexEUR: Euros(y.CapexEUR), PublicCostEUR: Euros(y.PublicCostEUR),
			CumulativePremises: y.CumZonePremises, CumulativeCapexEUR: Euros(y.CumCapexEUR),
			CumulativePublicCost: Euros(y.CumPublicCostEUR)}
		if kinds {
			sy.PremisesReached, sy.PriorityReached = ptr(y.Reached), ptr(y.PriorityReached)
		}
		return sy
	}
	r := &SummaryRollout{Years: make([]SummaryYear, len(p.Rollout)), Unscheduled: year(&p.Unscheduled)}
	for i := range p.Rollout {
		r.Years[i] = year(&p.Rollout[i])
	}
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
