package geodata

import (
	"strconv"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
)

// Outside describes the premises that fall in no zone: they are not
// planned, so a run must say so (and a run where no premise is in any zone
// must stop: see All).
type Outside struct {
	Count int // premises outside every zone
	Total int // premises
	// Of a sample of the outside premises (up to 1000, spread over the
	// file): how many fall inside a zone when lon and lat are exchanged,
	// and how many lie beyond the far margin of the zones (see area.go).
	Sampled, Swapped, Far int
	farKm                 string
	// Diagnostic is the finding to print: count, examples, and a hint when
	// the sample says lon and lat look swapped or the premises are of
	// another region.
	Diagnostic Diagnostic
}

// All reports whether no premise falls in any zone.
func (o *Outside) All() bool { return o.Count == o.Total && o.Total > 0 }

// OutsideZones finds the premises outside every zone: zoneOf(i) is premise
// i's zone index as the caller located it (-1 for none; e.g. from
// coverage.ZoneLocator on zonesLL, which is what the plan uses). It
// returns nil when every premise is in a zone. zonesLL are the zones in
// lon/lat, aligned with the indices zoneOf returns.
func OutsideZones(premises *PointLayer, zonesLL []orb.Geometry, zoneOf func(i int) int32) *Outside {
	var out []int32
	for i := range premises.Len() {
		if zoneOf(i) < 0 {
			out = append(out, int32(i))
		}
	}
	if len(out) == 0 {
		return nil
	}
	o := &Outside{Count: len(out), Total: premises.Len()}
	d := newDiags(premises.Name)
	msg := "premises outside every zone (not planned)"
	for _, i := range out[:min(len(out), DefaultMaxExamples)] {
		ex := premises.example(int(i))
		d.add("outside-zones", Warning, msg, "", 0, &ex)
	}
	o.sample(premises, zonesLL, out)
	o.Diagnostic = d.list[0]
	o.Diagnostic.Count = len(out)
	o.Diagnostic.Hint = o.hint(len(zonesLL) > 0)
	if o.All() {
		o.Diagnostic.Message = "premises, all of them, outside every zone: nothing would be planned"
	}
	return o
}

// sample tests up to 1000 outside premises, spread evenly, for swapped
// axes and distance.
func (o *Outside) sample(premises *PointLayer, zonesLL []orb.Geometry, out []int32) {
	if len(zonesLL) == 0 {
		return
	}
	zl := coverage.NewZoneLocator(zonesLL)
	var zb orb.Bound
	for k, g := range zonesLL {
		if k == 0 {
			zb = g.Bound()
		} else {
			zb = zb.Union(g.Bound())
		}
	}
	fb := newFarBox(zb, 0)
	n := min(len(out), 1000)
	for k := range n {
		p := premises.Pts[out[k*len(out)/n]]
		o.Sampled++
		if zl.ZoneOf(orb.Point{p[1], p[0]}) >= 0 {
			o.Swapped++
		}
		if fb.farPoint(p) {
			o.Far++
		}
	}
	o.farKm = formatKm(fb.marginM)
}

// hint says what the sample suggests.
func (o *Outside) hint(haveZones bool) string {
	switch {
	case !haveZones:
		return "there are no zones"
	case o.Sampled > 0 && 2*o.Swapped >= o.Sampled:
		return "lon and lat look swapped: " + strconv.Itoa(o.Swapped) + " of " + strconv.Itoa(o.Sampled) +
			" sampled premises fall inside a zone with lon and lat exchanged; swap the columns, or name them (--lon-field, --lat-field)"
	case o.Sampled > 0 && 2*o.Far >= o.Sampled:
		return strconv.Itoa(o.Far) + " of " + strconv.Itoa(o.Sampled) + " sampled premises lie more than " + o.farKm +
			" from the zones: these premises are of another region, or the zones are"
	}
	return "they lie near the zones: a zone missing from the zones file, or premises just across its boundary"
}
