package coverage

import (
	"math"

	"github.com/paulmach/orb"
)

// cellLoad is a zone's subscribers of one satellite in one capacity cell
// or beam, and their busy-hour traffic.
type cellLoad struct {
	Key      cellKey
	Subs     float64
	LoadMbps float64
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

// satParams returns the parameters of satellite technology t (LEO or GEO).
func satParams(sc *Scenario, t Tech) *SatParams {
	if t == TechLEO {
		return &sc.LEO
	}
	return &sc.GEO
}

// satPremises evaluates LEO or GEO for the premises of one zone (MODEL.md §3).
//
//	subscribers = Σ units × take-up
//	CAPEX = kit € × subscribers; OPEX = 12 × monthly € × subscribers
//	reinvestment: kits again every terminal_years
//
// Premises with obstructed sky are not served (SAT_OBSTRUCTED). The
// subscribers of served premises are counted per capacity cell (cells,
// when the technology has cells); the cell limit (SAT_CAPACITY) is applied
// by Decide, over all zones choosing it. The public pays the voucher per
// kit; subscribers pay the rest.
func (md *model) satPremises(zi *zoneIn, t Tech) (o Option, cells []cellLoad) {
	sp := satParams(md.sc, t)
	o = Option{Tech: t, DownMbps: sp.DownMbps, UpMbps: sp.UpMbps, LatencyMs: sp.LatencyMs}
	var subs float64
	for q, i := range zi.idx {
		p := &zi.prem[q]
		if obstructed(i, sp.ObstructedShare) {
			o.PremisesUnserved++
			continue
		}
		zi.serve(q, t)
		o.PremisesServed++
		o.UnitsServed += int(max(p.Units, 1))
		s := md.dem.subs(p)
		subs += s
		if sp.CellWidthM > 0 {
			cells = addCell(cells, hexCell(p.Pt, sp.CellWidthM), s, s*md.sc.Demand[kindOf(p)].BusyHourMbps)
		}
	}
	if o.PremisesUnserved > 0 {
		o.Reasons = addReason(o.Reasons, SatObstructed)
	}
	md.satCost(&o, sp, subs)
	return o, cells
}

// satZone evaluates LEO or GEO for a zone from its counts: the obstructed
// share of its households is not served, and the zone's subscribers are in
// the capacity cell of its centroid.
func (md *model) satZone(zf *zoneFigures, t Tech) (o Option, cells []cellLoad) {
	sp := satParams(md.sc, t)
	h := zf.premises
	o = Option{Tech: t, DownMbps: sp.DownMbps, UpMbps: sp.UpMbps, LatencyMs: sp.LatencyMs}
	blocked := int(math.Round(float64(h) * sp.ObstructedShare))
	if blocked > 0 {
		o.Reasons = addReason(o.Reasons, SatObstructed)
	}
	o.PremisesUnserved = blocked
	o.PremisesServed, o.UnitsServed = h-blocked, h-blocked
	s := float64(h-blocked) * zf.takeUp
	if sp.CellWidthM > 0 {
		cells = addCell(cells, hexCell(zf.centroid, sp.CellWidthM), s, s*md.sc.Demand[KindHousehold].BusyHourMbps)
	}
	md.satCost(&o, sp, s)
	return o, cells
}

func addCell(cells []cellLoad, k cellKey, s, mbps float64) []cellLoad {
	for j := range cells {
		if cells[j].Key == k {
			cells[j].Subs += s
			cells[j].LoadMbps += mbps
			return cells
		}
	}
	return append(cells, cellLoad{Key: k, Subs: s, LoadMbps: mbps})
}

// satCost fills the money of a satellite option: the subscribers' kits
// (renewed every terminal_years) and subscriptions; no network of the
// programme's own. The public body pays the voucher towards each kit and
// the per-premise subsidy.
func (md *model) satCost(o *Option, sp *SatParams, subs float64) {
	o.Subscribers = subs
	p := priceIn{subs: subs, premises: o.PremisesServed,
		termRenew:         reinvestment{CostEUR: sp.KitEUR * subs, Years: sp.TerminalYears},
		retailEURPerMonth: sp.MonthlyEUR,
		voucherPerSub:     min(md.sc.VoucherEUR, sp.KitEUR), subsidyPerPremise: sp.SubsidyEURPerPremise}
	p.capex[ItemTerminals] = sp.KitEUR * subs
	md.price(o, p)
}
