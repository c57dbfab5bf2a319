package geodata

import (
	"math"
	"strconv"

	"github.com/paulmach/orb"
)

// The area is what a plan is about: the zones, or the premises when there
// are no zones. The metric frame is chosen from the area alone, so that a
// layer reaching far beyond it (an access-point file of another country, a
// national fibre file) cannot move the frame: with a frame chosen from the
// bounding box of all layers, an access-point file of New York moved a
// French plan to UTM zone 25N and every distance grew by 10 %.
//
// A fibre or access-point feature is far when no part of it lies within
// the far margin of the area's bounding box: the larger of DefaultFarMinM
// and the area's own extent (its bounding box's larger side). Far features
// cannot serve the area (GPON reaches 20 km; a feeder of 100 km is not a
// plan); they are skipped and counted per file with examples, or are an
// error under BuildOptions.Strict. Premises are never skipped this way:
// those outside every zone are reported by OutsideZones.

// DefaultFarMinM is the smallest far margin, in metres.
const DefaultFarMinM = 100_000

// mPerDegLat is the length of a degree of latitude (mean), in metres.
const mPerDegLat = math.Pi / 180 * 6371008.8

// AreaBound is the lon/lat bounding box of the area: the zones when there
// are any, else the premises. of says which ("zones" or "premises"); ok is
// false when both are empty.
func AreaBound(zones *ZoneLayer, premises *PointLayer) (b orb.Bound, of string, ok bool) {
	switch {
	case zones != nil && zones.Len() > 0:
		return zones.Bound(), "zones", true
	case premises != nil && premises.Len() > 0:
		return premises.Bound(), "premises", true
	}
	return orb.Bound{}, "", false
}

// AreaFrame is the metric frame of the area (ChooseFrame of AreaBound):
// what Build uses, and what a caller making grid zones over the premises
// should use too. The zero Frame when both layers are empty.
func AreaFrame(zones *ZoneLayer, premises *PointLayer) Frame {
	b, _, ok := AreaBound(zones, premises)
	if !ok {
		return Frame{}
	}
	return ChooseFrame(b)
}

// farBox is the area's bounding box grown by the far margin, in degrees.
type farBox struct {
	b       orb.Bound
	marginM float64
}

// newFarBox grows area by marginM metres (0: the default rule).
func newFarBox(area orb.Bound, marginM float64) farBox {
	lat := math.Max(math.Abs(area.Min[1]), math.Abs(area.Max[1]))
	cosLat := math.Max(math.Cos(math.Min(lat, 89)*math.Pi/180), 0.01)
	if marginM <= 0 {
		w := (area.Max[0] - area.Min[0]) * mPerDegLat * cosLat
		h := (area.Max[1] - area.Min[1]) * mPerDegLat
		marginM = math.Max(DefaultFarMinM, math.Max(w, h))
	}
	dLat := marginM / mPerDegLat
	// The longitude margin is measured where parallels are shortest.
	cosFar := math.Max(math.Cos(math.Min(lat+dLat, 89)*math.Pi/180), 0.01)
	dLon := marginM / (mPerDegLat * cosFar)
	return farBox{
		b:       orb.Bound{Min: orb.Point{area.Min[0] - dLon, area.Min[1] - dLat}, Max: orb.Point{area.Max[0] + dLon, area.Max[1] + dLat}},
		marginM: marginM,
	}
}

// far reports whether a feature with bounding box g lies wholly outside.
func (f farBox) far(g orb.Bound) bool {
	return g.Max[0] < f.b.Min[0] || g.Min[0] > f.b.Max[0] || g.Max[1] < f.b.Min[1] || g.Min[1] > f.b.Max[1]
}

func (f farBox) farPoint(p orb.Point) bool {
	return p[0] < f.b.Min[0] || p[0] > f.b.Max[0] || p[1] < f.b.Min[1] || p[1] > f.b.Max[1]
}

// reason is the skip reason of far features.
func (f farBox) reason() string {
	return "more than " + formatKm(f.marginM) + " outside the area"
}

func formatKm(m float64) string {
	return strconv.FormatFloat(math.Round(m/1000), 'f', 0, 64) + " km"
}

// note counts one far feature of a file in d, with its example; of is
// what the area is ("zones" or "premises").
func (f farBox) note(d *diags, of string, ex Example) {
	d.add("far-feature", Skipped, "feature(s) "+f.reason()+" skipped",
		"the area is the "+of+"; features this far cannot serve it (the frame is chosen from the area; --strict makes this an error)", 1, &ex)
}
