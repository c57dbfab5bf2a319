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
	// Frame is the metric frame; the zero Frame means ChooseFrame over the
	// union of all layers' lon/lat bounds.
	Frame Frame
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
	bb, have := unionBound(zones, premises, fibre, aps)
	if !have {
		return nil, errors.New("geodata: nothing to build: every layer is empty")
	}
	fr := opt.Frame
	if fr.IsZero() {
		fr = ChooseFrame(bb)
	}
	defRange := opt.DefaultAPRangeM
	if defRange <= 0 {
		defRange = DefaultAPRangeM
	}
	ds := &Dataset{Input: &coverage.Input{}, Frame: fr}
	if zones != nil {
		ds.addZones(zones, opt.Workers)
	}
	if premises != nil {
		ds.addPremises(premises, opt.Workers)
	}
	for _, f := range fibre {
		if f != nil {
			ds.addFibre(f)
		}
	}
	for _, a := range aps {
		if a != nil {
			ds.addAPs(a, defRange)
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

func (ds *Dataset) addFibre(f *FibreLayer) {
	in, fr := ds.Input, ds.Frame
	for i, p := range f.Nodes {
		in.Nodes = append(in.Nodes, coverage.FibreNode{ID: f.NodeIDs[i], Pt: fr.Forward(p), Active: f.NodeActive[i]})
	}
	for i, l := range f.Lines {
		in.Lines = append(in.Lines, coverage.FibreLine{ID: f.LineIDs[i], Line: projectGeom(fr, l).(orb.LineString), Active: f.LineActive[i]})
	}
	for i, a := range f.Areas {
		in.Served = append(in.Served, coverage.ServedArea{ID: f.AreaIDs[i], Geom: projectGeom(fr, a), Active: f.AreaActive[i]})
	}
	ds.note(f.Name, f.SkipCounts, f.Warnings)
}

func (ds *Dataset) addAPs(a *PointLayer, defRangeM float64) {
	in, fr := ds.Input, ds.Frame
	for i, p := range a.Pts {
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
func projectGeom(fr Frame, g orb.Geometry) orb.Geometry {
	pts := func(ps []orb.Point) []orb.Point {
		out := make([]orb.Point, len(ps))
		for i, p := range ps {
			out[i] = fr.Forward(p)
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
		return fr.Forward(g)
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
		z.Population = append(z.Population, 0)
		z.Households = append(z.Households, 0)
		z.Features = append(z.Features, -1)
	}
	return z, nil
}
