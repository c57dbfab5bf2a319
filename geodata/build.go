package geodata

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
)

// DefaultAPRangeM is the access-point range used when neither the file nor
// BuildOptions gives one: a public Wi-Fi site (MODEL.md: 150–300 m).
const DefaultAPRangeM = 200

// BuildOptions tunes Build.
type BuildOptions struct {
	// Frame is the metric frame; the zero Frame means AreaFrame: chosen
	// from the zones, or the premises when there are no zones (see
	// area.go), never from the other layers.
	Frame Frame
	// FarMarginM is how far outside the area's bounding box, in metres, a
	// fibre or access-point feature may lie before it is skipped as far;
	// 0 means the larger of DefaultFarMinM and the area's extent.
	FarMarginM float64
	// Strict makes far features an error instead of skipped.
	Strict bool
	// DefaultAPRangeM is the range of access points whose file gives none
	// (0 means DefaultAPRangeM).
	DefaultAPRangeM float64
	// Workers projects premises on that many goroutines (0: GOMAXPROCS).
	Workers int
}

// FileSkip counts the records of one input file skipped for one reason.
type FileSkip struct {
	File   string
	Reason string
	Count  int
}

// Dataset is the planner's input in metres plus what is needed to map
// results back: ZonesLL[i] is Input.Zones[i]'s geometry in lon/lat.
type Dataset struct {
	Input    *coverage.Input
	ZonesLL  []orb.Geometry
	Frame    Frame
	Skipped  []FileSkip // records left out, by file (in input order) then reason
	Warnings []FileSkip // records kept with a caveat (status not stated, empty id...), same order
	// Area is the lon/lat bounding box the frame was chosen from, and
	// AreaOf what it bounds: "zones", "premises", or "all layers" when
	// both are empty (then nothing is far).
	Area   orb.Bound
	AreaOf string
	// FarMarginM is the margin beyond which features were skipped as far.
	FarMarginM float64
	// Diagnostics are the layers' diagnostics (repairs, overlaps,
	// duplicate ids), in input order, then Build's far features.
	Diagnostics []Diagnostic
}

// Build projects the layers once into a coverage.Input in one metric frame.
// zones may be nil (the caller then makes a grid with GridZones, or works
// without zones) and premises may be nil (zone-level mode). Premises get
// Units 1 when their file has no units column and the Kind from the kind
// column (household when none); access points get RangeM from their file
// or opt.DefaultAPRangeM, CapacityMbps from their file (0 = unknown) and
// Operational from their status (true when none). Inputs are not modified;
// ids share memory with the layers.
func Build(zones *ZoneLayer, premises *PointLayer, fibre []*FibreLayer, aps []*PointLayer, opt BuildOptions) (*Dataset, error) {
	area, of, ok := AreaBound(zones, premises)
	if !ok {
		if area, ok = unionBound(zones, premises, fibre, aps); !ok {
			return nil, errors.New("geodata: nothing to build: every layer is empty")
		}
		of = "all layers"
	}
	fr := opt.Frame
	if fr.IsZero() {
		fr = ChooseFrame(area)
	}
	defRange := opt.DefaultAPRangeM
	if defRange <= 0 {
		defRange = DefaultAPRangeM
	}
	ds := &Dataset{Input: &coverage.Input{}, Frame: fr, Area: area, AreaOf: of}
	fb := newFarBox(area, opt.FarMarginM)
	if of == "all layers" {
		fb.b = orb.Bound{Min: orb.Point{math.Inf(-1), math.Inf(-1)}, Max: orb.Point{math.Inf(1), math.Inf(1)}}
	} else {
		ds.FarMarginM = fb.marginM
	}
	if zones != nil {
		ds.addZones(zones, opt.Workers)
		ds.Diagnostics = append(ds.Diagnostics, zones.Diagnostics...)
	}
	if premises != nil {
		ds.addPremises(premises, opt.Workers)
		ds.Diagnostics = append(ds.Diagnostics, premises.Diagnostics...)
	}
	var far []Diagnostic
	for _, f := range fibre {
		if f != nil {
			ds.Diagnostics = append(ds.Diagnostics, f.Diagnostics...)
			far = append(far, ds.addFibre(f, fb, of)...)
		}
	}
	for _, a := range aps {
		if a != nil {
			ds.Diagnostics = append(ds.Diagnostics, a.Diagnostics...)
			far = append(far, ds.addAPs(a, defRange, fb, of)...)
		}
	}
	ds.Diagnostics = append(ds.Diagnostics, far...)
	if opt.Strict {
		if err := StrictError(far); err != nil {
			return nil, err
		}
	}
	return ds, nil
}

// unionBound is the lon/lat bounding box of every non-empty layer; have is
// false when all are empty.
func unionBound(zones *ZoneLayer, premises *PointLayer, fibre []*FibreLayer, aps []*PointLayer) (bb orb.Bound, have bool) {
	union := func(b orb.Bound) {
		if !have {
			bb, have = b, true
		} else {
			bb = bb.Union(b)
		}
	}
	if zones != nil && zones.Len() > 0 {
		union(zones.Bound())
	}
	if premises != nil && premises.Len() > 0 {
		union(premises.Bound())
	}
	for _, f := range fibre {
		if f != nil && f.Len() > 0 {
			union(f.Bound())
		}
	}
	for _, a := range aps {
		if a != nil && a.Len() > 0 {
			union(a.Bound())
		}
	}
	return bb, have
}

// note records a layer's skips and warnings in the dataset.
func (ds *Dataset) note(file string, skips, warnings []ReasonCount) {
	for _, c := range skips {
		ds.Skipped = append(ds.Skipped, FileSkip{File: file, Reason: c.Reason, Count: c.Count})
	}
	for _, c := range warnings {
		ds.Warnings = append(ds.Warnings, FileSkip{File: file, Reason: c.Reason, Count: c.Count})
	}
}

func (ds *Dataset) addZones(zones *ZoneLayer, workers int) {
	in, fr := ds.Input, ds.Frame
	in.Zones = make([]coverage.Zone, zones.Len())
	ds.ZonesLL = slices.Clone(zones.Geoms)
	parallel(zones.Len(), workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			in.Zones[i] = coverage.Zone{
				ID:         zones.IDs[i],
				Name:       zones.Names[i],
				Geom:       projectGeom(fr, zones.Geoms[i]),
				Premises:   zones.Premises[i],
				Population: zones.Population[i],
				Households: zones.Households[i],
			}
		}
	})
	ds.note(zones.Name, zones.SkipCounts, zones.Warnings)
}

func (ds *Dataset) addPremises(premises *PointLayer, workers int) {
	in, fr := ds.Input, ds.Frame
	in.Premises = make([]coverage.Premise, premises.Len())
	parallel(premises.Len(), workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			p := &in.Premises[i]
			p.ID = premises.ID(i)
			p.Pt = fr.Forward(premises.Pts[i])
			p.Units = premises.UnitsAt(i)
			if premises.Kinds != nil {
				p.Kind = premises.Kinds[i]
			}
		}
	})
	ds.note(premises.Name, premises.SkipCounts, premises.Warnings)
}

// addFibre projects a fibre layer's features that are not far, and
// returns the diagnostic of those that are.
func (ds *Dataset) addFibre(f *FibreLayer, fb farBox, of string) []Diagnostic {
	in, fr := ds.Input, ds.Frame
	d := newDiags(f.Name)
	n := 0
	for i, p := range f.Nodes {
		if fb.farPoint(p) {
			fb.note(d, of, Example{Feature: -1, ID: f.NodeIDs[i], At: at(p[0], p[1]), Detail: "node"})
			n++
			continue
		}
		in.Nodes = append(in.Nodes, coverage.FibreNode{ID: f.NodeIDs[i], Pt: fr.Forward(p), Active: f.NodeActive[i]})
	}
	for i, l := range f.Lines {
		if fb.far(l.Bound()) {
			fb.note(d, of, Example{Feature: -1, ID: f.LineIDs[i], At: at(l[0][0], l[0][1]), Detail: "line"})
			n++
			continue
		}
		in.Lines = append(in.Lines, coverage.FibreLine{ID: f.LineIDs[i], Line: projectGeom(fr, l).(orb.LineString), Active: f.LineActive[i]})
	}
	for i, a := range f.Areas {
		if b := a.Bound(); fb.far(b) {
			c := b.Center()
			fb.note(d, of, Example{Feature: -1, ID: f.AreaIDs[i], At: at(c[0], c[1]), Detail: "served area"})
			n++
			continue
		}
		in.Served = append(in.Served, coverage.ServedArea{ID: f.AreaIDs[i], Geom: projectGeom(fr, a), Active: f.AreaActive[i]})
	}
	ds.note(f.Name, f.SkipCounts, f.Warnings)
	if n > 0 {
		ds.Skipped = append(ds.Skipped, FileSkip{File: f.Name, Reason: fb.reason(), Count: n})
	}
	return d.list
}

// addAPs projects the access points that are not far, and returns the
// diagnostic of those that are.
func (ds *Dataset) addAPs(a *PointLayer, defRangeM float64, fb farBox, of string) []Diagnostic {
	in, fr := ds.Input, ds.Frame
	d := newDiags(a.Name)
	n := 0
	for i, p := range a.Pts {
		if fb.farPoint(p) {
			fb.note(d, of, a.example(i))
			n++
			continue
		}
		ap := coverage.AccessPoint{ID: a.ID(i), Pt: fr.Forward(p), RangeM: defRangeM, Operational: a.ActiveAt(i)}
		if a.RangeM != nil && !math.IsNaN(a.RangeM[i]) {
			ap.RangeM = a.RangeM[i]
		}
		if a.CapacityMbps != nil && !math.IsNaN(a.CapacityMbps[i]) {
			ap.CapacityMbps = a.CapacityMbps[i]
		}
		in.APs = append(in.APs, ap)
	}
	ds.note(a.Name, a.SkipCounts, a.Warnings)
	if n > 0 {
		ds.Skipped = append(ds.Skipped, FileSkip{File: a.Name, Reason: fb.reason(), Count: n})
	}
	return d.list
}

// parallel runs fn over [0, n) split into contiguous ranges, one per worker.
func parallel(n, workers int, fn func(lo, hi int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if n < 4096 || workers == 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	step := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += step {
		hi := min(lo+step, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}

// projectGeom returns a projected deep copy of g.
func projectGeom(fr Frame, g orb.Geometry) orb.Geometry { return mapGeom(g, fr.Forward) }

// mapGeom returns a deep copy of g with every position p replaced by
// f(p), in order; a type it does not know is returned as is.
func mapGeom(g orb.Geometry, f func(orb.Point) orb.Point) orb.Geometry {
	pts := func(ps []orb.Point) []orb.Point {
		out := make([]orb.Point, len(ps))
		for i, p := range ps {
			out[i] = f(p)
		}
		return out
	}
	poly := func(p orb.Polygon) orb.Polygon {
		out := make(orb.Polygon, len(p))
		for i, r := range p {
			out[i] = orb.Ring(pts(r))
		}
		return out
	}
	switch g := g.(type) {
	case orb.Point:
		return f(g)
	case orb.LineString:
		return orb.LineString(pts(g))
	case orb.Ring:
		return orb.Ring(pts(g))
	case orb.Polygon:
		return poly(g)
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, p := range g {
			out[i] = poly(p)
		}
		return out
	case orb.MultiPoint:
		return orb.MultiPoint(pts(g))
	case orb.MultiLineString:
		out := make(orb.MultiLineString, len(g))
		for i, l := range g {
			out[i] = orb.LineString(pts(l))
		}
		return out
	}
	return g
}

// GridZones makes square zones of cellM metres in frame over the premises:
// only the cells that contain at least one premise. Cells are aligned on
// multiples of cellM in the frame, so the same premises always give the
// same grid; a premise on a cell's west or south edge belongs to that cell.
// Ids are "G<col>_<row>" (col = ⌊x/cellM⌋, row = ⌊y/cellM⌋), sorted by row
// then column. Geometries are returned in lon/lat like any ZoneLayer (each
// corner is Inverse of the exact metric corner, so Build gives back the
// square to within nanometres).
func GridZones(premises *PointLayer, frame Frame, cellM float64) (*ZoneLayer, error) {
	if !(cellM > 0) || math.IsInf(cellM, 0) {
		return nil, fmt.Errorf("geodata: grid cell size must be positive metres, got %g", cellM)
	}
	if premises == nil || premises.Len() == 0 {
		return nil, errors.New("geodata: a grid needs premises")
	}
	if frame.IsZero() {
		frame = ChooseFrame(premises.Bound())
	}
	type cell struct{ col, row int64 }
	seen := map[cell]bool{}
	var cells []cell
	for _, p := range premises.Pts {
		xy := frame.Forward(p)
		c := cell{int64(math.Floor(xy[0] / cellM)), int64(math.Floor(xy[1] / cellM))}
		if !seen[c] {
			seen[c] = true
			cells = append(cells, c)
		}
	}
	slices.SortFunc(cells, func(a, b cell) int {
		if a.row != b.row {
			return cmp.Compare(a.row, b.row)
		}
		return cmp.Compare(a.col, b.col)
	})
	z := &ZoneLayer{Name: fmt.Sprintf("grid %gm", cellM), Format: "grid", CRS: frame.Name(), Records: len(cells)}
	for _, c := range cells {
		x0, y0 := float64(c.col)*cellM, float64(c.row)*cellM
		ring := orb.Ring{
			frame.Inverse(orb.Point{x0, y0}),
			frame.Inverse(orb.Point{x0 + cellM, y0}),
			frame.Inverse(orb.Point{x0 + cellM, y0 + cellM}),
			frame.Inverse(orb.Point{x0, y0 + cellM}),
		}
		ring = append(ring, ring[0])
		z.IDs = append(z.IDs, "G"+strconv.FormatInt(c.col, 10)+"_"+strconv.FormatInt(c.row, 10))
		z.Names = append(z.Names, "")
		z.Geoms = append(z.Geoms, orb.Polygon{ring})
		z.Premises = append(z.Premises, 0)
		z.Population = append(z.Population, 0)
		z.Households = append(z.Households, 0)
		z.Features = append(z.Features, -1)
	}
	return z, nil
}
