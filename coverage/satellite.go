package coverage

import (
	"math"

	"github.com/paulmach/orb"
)

// cellLoad is a zone's LEO subscribers in one capacity cell.
type cellLoad struct {
	Key  cellKey
	Subs float64
}

// cellKey packs the axial coordinates (q, r) of a hexagonal cell.
type cellKey int64

func makeCellKey(q, r int32) cellKey { return cellKey(int64(q)<<32 | int64(uint32(r))) }

func (k cellKey) qr() (q, r int32) { return int32(int64(k) >> 32), int32(uint32(k)) }

// hexCell returns the pointy-top hexagon of flat-to-flat width widthM
// containing p (axial coordinates, cube rounding).
func hexCell(p orb.Point, widthM float64) cellKey {
	size := widthM / math.Sqrt(3) // centre to corner
	fq := (math.Sqrt(3)/3*p[0] - p[1]/3) / size
	fr := (2.0 / 3 * p[1]) / size
	fs := -fq - fr
	q, rr, s := math.Round(fq), math.Round(fr), math.Round(fs)
	dq, dr, ds := math.Abs(q-fq), math.Abs(rr-fr), math.Abs(s-fs)
	switch {
	case dq > dr && dq > ds:
		q = -rr - s
	case dr > ds:
		rr = -q - s
	}
	return makeCellKey(int32(q), int32(rr))
}

// hexCentre returns the centre of the cell in metres.
func hexCentre(k cellKey, widthM float64) orb.Point {
	q, r := k.qr()
	size := widthM / math.Sqrt(3)
	return orb.Point{size * math.Sqrt(3) * (float64(q) + float64(r)/2), size * 1.5 * float64(r)}
}

// obstructed reports whether premise i is one of the share of premises
// without a clear sky: a fixed pseudo-random draw from the premise's index
// (splitmix64), so the same input always gives the same premises.
func obstructed(i int32, share float64) bool {
	if share <= 0 {
		return false
	}
	h := uint64(uint32(i)) + 0x9e3779b97f4a7c15
	h = (h ^ h>>30) * 0xbf58476d1ce4e5b9
	h = (h ^ h>>27) * 0x94d049bb133111eb
	h ^= h >> 31
	return float64(h>>11)/(1<<53) < share
}

// satellite evaluates LEO or GEO for the premises of one zone (MODEL.md §3).
//
//	subscribers = Σ units × take-up
//	CAPEX = kit € × subscribers; OPEX = 12 × monthly € × subscribers
//	reinvestment: kits again every terminal_years
//
// Premises with obstructed sky are not served (SAT_OBSTRUCTED). For LEO the
// subscribers of served premises are counted per capacity cell in ex; the
// cell limit (SAT_CAPACITY) is applied after the decision, over all zones.
// The public pays the voucher per kit; subscribers pay the rest.
func (r *planRun) satellite(w *planWorker, t Tech, prem []int32, ex *zoneExtra) Option {
	sp := r.sc.GEO
	if t == TechLEO {
		sp = r.sc.LEO
	}
	o := Option{Tech: t, DownMbps: sp.DownMbps, UpMbps: sp.UpMbps, LatencyMs: sp.LatencyMs}
	var subs float64
	for q, i := range prem {
		p := &w.prem[q]
		if obstructed(i, sp.ObstructedShare) {
			o.PremisesUnserved++
			continue
		}
		r.served[i] |= 1 << t
		o.PremisesServed++
		o.UnitsServed += int(max(p.Units, 1))
		s := r.dem.subs(p)
		subs += s
		if ex != nil && sp.CellWidthM > 0 {
			ex.cells = addCell(ex.cells, hexCell(p.Pt, sp.CellWidthM), s)
		}
	}
	if o.PremisesUnserved > 0 {
		o.Reasons = addReason(o.Reasons, SatObstructed)
	}
	r.satCost(&o, sp, subs)
	return o
}

func addCell(cells []cellLoad, k cellKey, s float64) []cellLoad {
	for j := range cells {
		if cells[j].Key == k {
			cells[j].Subs += s
			return cells
		}
	}
	return append(cells, cellLoad{Key: k, Subs: s})
}

func (r *planRun) satCost(o *Option, sp SatParams, subs float64) {
	o.Subscribers = subs
	o.CapexEUR = sp.KitEUR * subs
	o.OpexEURPerYear = 12 * sp.MonthlyEUR * subs
	reinv := []reinvestment{{CostEUR: sp.KitEUR * subs, Years: sp.TerminalYears}}
	// Everything is the subscriber's (kits, replacements, subscriptions),
	// except the voucher the public body adds once per kit.
	voucher := min(r.sc.VoucherEUR, sp.KitEUR) * subs
	npv, _ := r.sc.NPV(o.CapexEUR, o.OpexEURPerYear, reinv...)
	r.finishOption(o, reinv, npv, voucher)
}
