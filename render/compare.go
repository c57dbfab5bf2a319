package render

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
)

// Comparison is one area planned under several scenarios: what
// compare.csv, compare-zones.csv and compare.html are written from. Every
// plan is of the same Input.
type Comparison struct {
	Input   *coverage.Input
	ZonesLL []orb.Geometry // lon/lat outlines aligned with Input.Zones; nil: no map
	Meta    Meta
	// Scenarios are in the order compared; the first is the reference
	// the others are set against ("changed" zones, differences).
	Scenarios []ComparedScenario
}

// ComparedScenario is one scenario of a comparison and its plan.
type ComparedScenario struct {
	Name   string // unique in the comparison
	Origin string // where it comes from, e.g. "file a.yaml", "variant of base"
	// Changes are the "key=value" of the parameters whose value differs
	// from the reference scenario's, in documentation order.
	Changes []string
	// Evaluation numbers the evaluations (from 1): scenarios with the same
	// number were decided from one evaluation.
	Evaluation int
	Plan       *coverage.Plan
}

// PlanTotals are the figures of one plan that compare, sweep and the
// batch index set side by side: a copy of the plan's own totals (render
// sums nothing). ByTech is indexed by coverage.Tech, the zones' chosen
// technology; TechNone counts the zones without a choice.
type PlanTotals struct {
	Zones      int                    `json:"zones"`
	Premises   int                    `json:"premises"`
	MeetTarget int                    `json:"premises_meeting_target"`
	ZonesBy    [coverage.NumTechs]int `json:"zones_by_tech"`
	PremisesBy [coverage.NumTechs]int `json:"premises_by_tech"`
	CapexEUR   float64                `json:"capex_eur"`
	PresentEUR float64                `json:"present_cost_eur"`
	PublicEUR  float64                `json:"public_cost_eur"`
	NPVEUR     float64                `json:"npv_eur"`
	NPVZones   int                    `json:"npv_zones"` // zones whose option has an NPV; 0: NPV undefined
}

// TotalsOf copies a plan's totals.
func TotalsOf(p *coverage.Plan) PlanTotals {
	t := PlanTotals{
		Zones: len(p.Zones), Premises: p.Total.Premises, MeetTarget: p.MeetTarget,
		CapexEUR: p.Total.CapexEUR, PresentEUR: p.Total.PresentCostEUR, PublicEUR: p.Total.PublicCostEUR,
		NPVEUR: p.Total.NPVEUR, NPVZones: p.Total.NPVZones,
	}
	for k := range p.ByTech {
		t.ZonesBy[k], t.PremisesBy[k] = p.ByTech[k].Zones, p.ByTech[k].Premises
	}
	return t
}

// Share is the share of the premises meeting the target, 0 without premises.
func (t PlanTotals) Share() float64 {
	if t.Premises == 0 {
		return 0
	}
	return float64(t.MeetTarget) / float64(t.Premises)
}

// MainTech is the technology chosen for the most premises (ties: report
// order), TechNone when no zone has a choice.
func (t PlanTotals) MainTech() coverage.Tech {
	best := coverage.TechNone
	for _, k := range coverage.Techs {
		if t.PremisesBy[k] > t.PremisesBy[best] || t.PremisesBy[best] == 0 && t.ZonesBy[k] > t.ZonesBy[best] {
			best = k
		}
	}
	return best
}

// mixTechs are the technologies of the mix columns, "none" last.
var mixTechs = [...]coverage.Tech{coverage.TechFibre, coverage.TechWifi, coverage.TechLEO, coverage.TechGEO, coverage.TechNone}

// totalsHeader is the header of the totals columns (appendTotals).
func totalsHeader() string {
	var b strings.Builder
	b.WriteString("zones,premises,premises_meeting_target,share_meeting_target")
	for _, k := range mixTechs {
		b.WriteString(",zones_" + k.String())
	}
	for _, k := range mixTechs {
		b.WriteString(",premises_" + k.String())
	}
	b.WriteString(",capex_eur,present_cost_eur,public_cost_eur,npv_eur,npv_zones")
	return b.String()
}

// appendTotals writes the totals columns; npv_eur is empty when no zone
// has an NPV.
func appendTotals(e *csvEncoder, t PlanTotals) {
	e.integer(int64(t.Zones))
	e.integer(int64(t.Premises))
	e.integer(int64(t.MeetTarget))
	e.fixed(t.Share(), precShare, t.Premises > 0)
	for _, k := range mixTechs {
		e.integer(int64(t.ZonesBy[k]))
	}
	for _, k := range mixTechs {
		e.integer(int64(t.PremisesBy[k]))
	}
	e.fixed(t.CapexEUR, precMoney, true)
	e.fixed(t.PresentEUR, precMoney, true)
	e.fixed(t.PublicEUR, precMoney, true)
	e.fixed(t.NPVEUR, precMoney, t.NPVZones > 0)
	e.integer(int64(t.NPVZones))
}

// check validates a comparison before it is written.
func (c *Comparison) check() error {
	if c == nil || c.Input == nil || len(c.Scenarios) == 0 {
		return errors.New("render: comparison: no scenario")
	}
	for _, s := range c.Scenarios {
		if s.Plan == nil || len(s.Plan.Zones) != len(c.Input.Zones) {
			return fmt.Errorf("render: comparison: scenario %q has no plan of the %d zones", s.Name, len(c.Input.Zones))
		}
	}
	if c.ZonesLL != nil && len(c.ZonesLL) != len(c.Input.Zones) {
		return fmt.Errorf("render: comparison: %d zone outlines for %d zones", len(c.ZonesLL), len(c.Input.Zones))
	}
	return nil
}

// choiceDiffers tells whether a zone's choice differs between two plans:
// its chosen technology, or whether the hybrid policy mixed it with fibre.
func choiceDiffers(a, b *coverage.ZonePlan) bool {
	return a.Chosen != b.Chosen || a.Mixed != b.Mixed
}

// Changed reports, for every zone, whether its choice differs from the
// reference scenario's in at least one scenario.
func (c *Comparison) Changed() []bool {
	ref := c.Scenarios[0].Plan
	out := make([]bool, len(ref.Zones))
	for _, s := range c.Scenarios[1:] {
		for z := range out {
			out[z] = out[z] || choiceDiffers(&ref.Zones[z], &s.Plan.Zones[z])
		}
	}
	return out
}

// ChangedZones counts the zones whose choice (technology, and whether
// mixed with fibre) in p differs from ref's; both plans are of one input.
func ChangedZones(ref, p *coverage.Plan) int {
	n := 0
	for z := range ref.Zones {
		if choiceDiffers(&ref.Zones[z], &p.Zones[z]) {
			n++
		}
	}
	return n
}

// WriteCompareCSV writes compare.csv: one row per scenario, in order, with
// its origin, the evaluation it was decided from, its policy and target,
// its totals (totalsHeader), the zones whose choice differs from the
// reference (the first row) and the parameters it changes from it.
func WriteCompareCSV(w io.Writer, c *Comparison) error {
	if err := c.check(); err != nil {
		return err
	}
	head := "scenario,origin,evaluation,reference,policy,target," + totalsHeader() + ",zones_changed,changes\n"
	ref := c.Scenarios[0].Plan
	err := writeRows(w, head, len(c.Scenarios), func(b []byte, i int) []byte {
		s := &c.Scenarios[i]
		e := &csvEncoder{b: b}
		e.str(s.Name)
		e.str(s.Origin)
		e.integer(int64(s.Evaluation))
		e.boolean(i == 0, true)
		e.str(string(s.Plan.Scenario.Policy))
		e.str(s.Plan.Scenario.Target.Name)
		appendTotals(e, TotalsOf(s.Plan))
		e.integer(int64(ChangedZones(ref, s.Plan)))
		e.str(strings.Join(s.Changes, "; "))
		return append(e.b, '\n')
	})
	if err != nil {
		return fmt.Errorf("render: compare.csv: %w", err)
	}
	return nil
}

// techOf is the zone's choice as written in the CSVs: the technology,
// "+fibre" when mixed with fibre (hybrid policy).
func techOf(z *coverage.ZonePlan) string {
	if z.Mixed {
		return z.Chosen.String() + "+fibre"
	}
	return z.Chosen.String()
}

// WriteCompareZonesCSV writes compare-zones.csv: one row per zone, in input
// order, with its id, name and premises, whether its choice changed in any
// scenario against the reference, then per scenario (columns suffixed
// with the scenario's name) the chosen technology, CAPEX and public cost
// of what is built.
func WriteCompareZonesCSV(w io.Writer, c *Comparison) error {
	if err := c.check(); err != nil {
		return err
	}
	var head strings.Builder
	head.WriteString("zone_id,name,premises,changed")
	for _, s := range c.Scenarios {
		for _, col := range []string{"tech_", "capex_eur_", "public_cost_eur_"} {
			head.WriteString(",")
			head.Write(appendCSVField(nil, col+s.Name))
		}
	}
	head.WriteString("\n")
	changed := c.Changed()
	ref := c.Scenarios[0].Plan
	err := writeRows(w, head.String(), len(ref.Zones), func(b []byte, z int) []byte {
		e := &csvEncoder{b: b}
		zone := &c.Input.Zones[ref.Zones[z].Zone]
		e.str(zone.ID)
		e.str(zone.Name)
		e.integer(int64(ref.Zones[z].Premises))
		e.boolean(changed[z], true)
		for _, s := range c.Scenarios {
			zp := &s.Plan.Zones[z]
			o := zp.ChosenOption()
			has := zp.Chosen != coverage.TechNone
			e.str(techOf(zp))
			e.fixed(o.CapexEUR, precMoney, has)
			e.fixed(o.PublicCostEUR, precMoney, has)
		}
		return append(e.b, '\n')
	})
	if err != nil {
		return fmt.Errorf("render: compare-zones.csv: %w", err)
	}
	return nil
}
