package coverage

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// PremiseMeasure is what one premise can get from the existing network.
// measures[i] belongs to premises[i].
type PremiseMeasure struct {
	Zone       int32   // index into Input.Zones; -1 when the premise is in no zone
	FibreDistM float64 // metres to the nearest active fibre node or line; 0 when Passed; +Inf without network
	NodeDistM  float64 // metres to the nearest active fibre node only; +Inf without nodes
	FibreNode  int32   // index of the nearest active node; -1 without nodes
	Passed     bool    // inside an active served area
	APs        int32   // operational access points whose RangeM reaches the premise (inclusive)
}

// Index answers the spatial queries of the planner over one Input. It is
// built once by NewIndex and is then safe for concurrent use.
//
// TEMPORARY brute-force implementation: the spatial-core work replaces the
// internals with R-trees and prepared polygons, keeping this API.
type Index struct {
	in *Input
}

// NewIndex indexes the zones, fibre network and access points of in.
// in must not be modified afterwards.
func NewIndex(in *Input) *Index { return &Index{in: in} }

// ZoneOf returns the index of the zone containing p, or -1.
// Points on a boundary shared by two zones go to the lower index.
func (ix *Index) ZoneOf(p orb.Point) int32 {
	for i, z := range ix.in.Zones {
		if geomContains(z.Geom, p) {
			return int32(i)
		}
	}
	return -1
}

// NearestNode returns the nearest active fibre node and its distance in
// metres, or -1 and +Inf when there is none.
func (ix *Index) NearestNode(p orb.Point) (node int32, distM float64) {
	node, distM = -1, math.Inf(1)
	for i, n := range ix.in.Nodes {
		if !n.Active {
			continue
		}
		if d := planar.Distance(p, n.Pt); d < distM {
			node, distM = int32(i), d
		}
	}
	return node, distM
}

// FibreDist returns the distance in metres from p to the nearest active fibre
// node or line, and whether p is inside an active served area (distance 0).
func (ix *Index) FibreDist(p orb.Point) (distM float64, passed bool) {
	for _, s := range ix.in.Served {
		if s.Active && geomContains(s.Geom, p) {
			return 0, true
		}
	}
	_, distM = ix.NearestNode(p)
	for _, l := range ix.in.Lines {
		if !l.Active {
			continue
		}
		if d := planar.DistanceFrom(l.Line, p); d < distM {
			distM = d
		}
	}
	return distM, false
}

// APsInRange calls fn for every operational access point whose range reaches
// p (distance <= RangeM), in no particular order, until fn returns false.
func (ix *Index) APsInRange(p orb.Point, fn func(ap int32, distM float64) bool) {
	for i, a := range ix.in.APs {
		if !a.Operational {
			continue
		}
		if d := planar.Distance(p, a.Pt); d <= a.RangeM {
			if !fn(int32(i), d) {
				return
			}
		}
	}
}

// Measure measures every premise. workers <= 0 means one per CPU.
func (ix *Index) Measure(premises []Premise, workers int) []PremiseMeasure {
	out := make([]PremiseMeasure, len(premises))
	for i, pr := range premises {
		m := &out[i]
		m.Zone = ix.ZoneOf(pr.Pt)
		m.FibreNode, m.NodeDistM = ix.NearestNode(pr.Pt)
		m.FibreDistM, m.Passed = ix.FibreDist(pr.Pt)
		ix.APsInRange(pr.Pt, func(int32, float64) bool { m.APs++; return true })
	}
	return out
}

func geomContains(g orb.Geometry, p orb.Point) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return planar.PolygonContains(g, p)
	case orb.MultiPolygon:
		return planar.MultiPolygonContains(g, p)
	}
	return false
}
