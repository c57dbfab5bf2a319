package render

import (
	"errors"
	"fmt"
	"io"

	"github.com/covplan/covplan/coverage"
)

// Sweep is a one-at-a-time sensitivity analysis of one area: the base
// scenario's plan, then, for each key varied, the totals of the plans
// with that one key set to each value, and the zones whose choice flips.
// It is what sweep.csv, sweep-zones.csv and sweep.html are written from.
type Sweep struct {
	Input *coverage.Input
	Meta  Meta
	Base  *coverage.Plan // the base scenario's plan
	Keys  []SweepKey
	// Evaluations counts the evaluations run (1: every value was decided
	// from the base's evaluation).
	Evaluations int
}

// SweepKey is one key varied.
type SweepKey struct {
	Key       string
	BaseValue string // the key's value in the base scenario
	// Numeric is true when every value is a number: Points are then in
	// ascending order of X and flips have a direction.
	Numeric bool
	Points  []SweepPoint
	Flips   []ZoneFlip // by zone, then direction (down, up), then value
}

// SweepPoint is the plan with the key at one value.
type SweepPoint struct {
	Value string  // as Scenario.Params formats it
	X     float64 // the value as a number (Numeric keys)
	// IsBase is true when the value is the base's: the plan is the base's.
	IsBase bool
	// Evaluation numbers the evaluation the plan was decided from (1: the
	// base's).
	Evaluation int
	Totals     PlanTotals
	Changed    int // zones whose choice differs from the base plan's
}

// ZoneFlip is where one zone's choice first differs from its base choice
// as the key moves away from its base value.
type ZoneFlip struct {
	Zone int // index into the plan's zones
	// Direction is "up" (values above the base), "down" (below) or, for a
	// key that is not numeric, "at" (that value).
	Direction string
	// LastBase is the value nearest the flip that still gives the base
	// choice (the base value itself when the first step flips); the
	// break-even lies between LastBase and Value. "" for "at".
	LastBase string
	Value    string
	Tech     coverage.Tech
	Mixed    bool
}

func (s *Sweep) check() error {
	if s == nil || s.Input == nil || s.Base == nil {
		return errors.New("render: sweep: no base plan")
	}
	if len(s.Base.Zones) != len(s.Input.Zones) {
		return fmt.Errorf("render: sweep: a base plan of %d zones for %d zones", len(s.Base.Zones), len(s.Input.Zones))
	}
	for _, k := range s.Keys {
		for _, f := range k.Flips {
			if f.Zone < 0 || f.Zone >= len(s.Base.Zones) {
				return fmt.Errorf("render: sweep: %s: a flip of zone %d out of %d", k.Key, f.Zone, len(s.Base.Zones))
			}
		}
	}
	return nil
}

// WriteSweepCSV writes sweep.csv: the base row (key "base"), then one row
// per key and value, in the order swept, with the totals of that plan
// (totalsHeader) and the zones whose choice differs from the base.
func WriteSweepCSV(w io.Writer, s *Sweep) error {
	if err := s.check(); err != nil {
		return err
	}
	type row struct {
		key string
		p   SweepPoint
	}
	rows := []row{{"base", SweepPoint{IsBase: true, Evaluation: 1, Totals: TotalsOf(s.Base)}}}
	for _, k := range s.Keys {
		for _, p := range k.Points {
			rows = append(rows, row{k.Key, p})
		}
	}
	head := "key,value,base,evaluation," + totalsHeader() + ",zones_changed\n"
	err := writeRows(w, head, len(rows), func(b []byte, i int) []byte {
		e := &csvEncoder{b: b}
		e.str(rows[i].key)
		e.str(rows[i].p.Value)
		e.boolean(rows[i].p.IsBase, true)
		e.integer(int64(rows[i].p.Evaluation))
		appendTotals(e, rows[i].p.Totals)
		e.integer(int64(rows[i].p.Changed))
		return append(e.b, '\n')
	})
	if err != nil {
		return fmt.Errorf("render: sweep.csv: %w", err)
	}
	return nil
}

// WriteSweepZonesCSV writes sweep-zones.csv: one row per zone, key and
// direction where the zone's choice flips (ZoneFlip), by key in sweep
// order, then zone order: the zone's id, name and premises, the key, its
// base value and the zone's base choice, the direction, the last value
// with the base choice, the value of the flip and the choice there.
func WriteSweepZonesCSV(w io.Writer, s *Sweep) error {
	if err := s.check(); err != nil {
		return err
	}
	type row struct {
		k *SweepKey
		f *ZoneFlip
	}
	var rows []row
	for i := range s.Keys {
		for j := range s.Keys[i].Flips {
			rows = append(rows, row{&s.Keys[i], &s.Keys[i].Flips[j]})
		}
	}
	head := "zone_id,name,premises,key,base_value,base_tech,direction,last_base_value,flip_value,flip_tech\n"
	err := writeRows(w, head, len(rows), func(b []byte, i int) []byte {
		r := rows[i]
		zp := &s.Base.Zones[r.f.Zone]
		zone := &s.Input.Zones[zp.Zone]
		e := &csvEncoder{b: b}
		e.str(zone.ID)
		e.str(zone.Name)
		e.integer(int64(zp.Premises))
		e.str(r.k.Key)
		e.str(r.k.BaseValue)
		e.str(techOf(zp))
		e.str(r.f.Direction)
		e.str(r.f.LastBase)
		e.str(r.f.Value)
		e.str(techOf(&coverage.ZonePlan{Chosen: r.f.Tech, Mixed: r.f.Mixed}))
		return append(e.b, '\n')
	})
	if err != nil {
		return fmt.Errorf("render: sweep-zones.csv: %w", err)
	}
	return nil
}
