package coverage

import "math"

// ZoneStats summarises the measures of the premises of one zone.
// The zero value is an empty zone.
type ZoneStats struct {
	Premises int   // premises in the zone
	Units    int64 // Σ Units of those premises

	// FibreDistN is the number of premises with a finite FibreDistM (all of
	// them unless the network is empty); the mean and the max are over those
	// premises, and 0 when FibreDistN is 0. Passed premises count as 0 m.
	FibreDistN     int
	FibreDistMeanM float64
	FibreDistMaxM  float64

	WifiPremises int   // premises with at least one access point in range
	WifiUnits    int64 // their units
	WifiLinks    int64 // Σ APs: premise–access point pairs in range

	PassedPremises int   // premises inside an active served area
	PassedUnits    int64 // their units
}

// Aggregate sums the measures per zone: the result is aligned with
// in.Zones. m must be aligned with in.Premises (as Index.Measure returns
// it); premises in no zone (Zone < 0) are left out. Means use compensated
// summation, so they do not depend on the order of the premises beyond the
// last bit.
func Aggregate(in *Input, m []PremiseMeasure) []ZoneStats {
	out := make([]ZoneStats, len(in.Zones))
	sums := sumByZone(in, m, func(pm *PremiseMeasure) float64 { return pm.FibreDistM },
		func(z int32, pm *PremiseMeasure, u int64) {
			if pm.Passed {
				out[z].PassedPremises++
				out[z].PassedUnits += u
			}
		})
	for z, c := range sums {
		s := &out[z]
		s.Premises, s.Units = c.premises, c.units
		s.FibreDistN, s.FibreDistMeanM, s.FibreDistMaxM = c.distN, c.distMeanM, c.distMaxM
		s.WifiPremises, s.WifiUnits, s.WifiLinks = c.wifiPremises, c.wifiUnits, c.wifiLinks
	}
	return out
}

// zoneSums are the per-zone sums Aggregate and PeerCounts share: counts,
// one distance's count, mean and max, and access-point coverage.
type zoneSums struct {
	premises             int
	units                int64
	distN                int
	distMeanM, distMaxM  float64
	wifiPremises         int
	wifiUnits, wifiLinks int64
}

// sumByZone folds the measures of the premises of each zone. dist picks the
// distance summarised (non-finite ones are left out; the mean uses
// compensated summation); visit, when not nil, is called for every premise
// in a zone with its units, for the caller's own sums. Premises in no zone
// are left out.
func sumByZone(in *Input, m []PremiseMeasure, dist func(*PremiseMeasure) float64, visit func(z int32, pm *PremiseMeasure, u int64)) []zoneSums {
	out := make([]zoneSums, len(in.Zones))
	sums := make([]kahan, len(in.Zones))
	for i := range m {
		z := m[i].Zone
		if z < 0 || int(z) >= len(out) || i >= len(in.Premises) {
			continue
		}
		s, pm := &out[z], &m[i]
		u := int64(in.Premises[i].Units)
		s.premises++
		s.units += u
		if d := dist(pm); !math.IsInf(d, 0) && !math.IsNaN(d) {
			s.distN++
			sums[z].add(d)
			s.distMaxM = max(s.distMaxM, d)
		}
		if pm.APs > 0 {
			s.wifiPremises++
			s.wifiUnits += u
			s.wifiLinks += int64(pm.APs)
		}
		if visit != nil {
			visit(z, pm, u)
		}
	}
	for z := range out {
		if out[z].distN > 0 {
			out[z].distMeanM = sums[z].sum() / float64(out[z].distN)
		}
	}
	return out
}

// kahan is a Neumaier compensated sum.
type kahan struct{ s, c float64 }

func (k *kahan) add(v float64) {
	t := k.s + v
	if math.Abs(k.s) >= math.Abs(v) {
		k.c += (k.s - t) + v
	} else {
		k.c += (v - t) + k.s
	}
	k.s = t
}

func (k *kahan) sum() float64 { return k.s + k.c }

// PeerClass is the premise classification of the peer benchmarks
// (PostGIS and GeoPandas baselines, docs/performance.md). It is used only to
// write their comparison outputs; planning decisions come from the models.
type PeerClass uint8

const (
	PeerFibre     PeerClass = iota // nearest active fibre node within PeerFibreMaxM
	PeerWifi                       // else at least one access point in range
	PeerSatellite                  // else
	numPeerClasses
)

// PeerFibreMaxM is the peers' fibre threshold: a premise whose nearest node
// is at most this far (inclusive) is "fibre".
const PeerFibreMaxM = 1000.0

var peerClassNames = [numPeerClasses]string{"fibre", "wifi", "satellite"}

func (c PeerClass) String() string {
	if c < numPeerClasses {
		return peerClassNames[c]
	}
	return "PeerClass(?)"
}

// PeerClassify returns the peers' class of a premise: fibre if the nearest
// active fibre node (NodeDistM, not lines or served areas) is within
// PeerFibreMaxM, else wifi if an access point reaches it, else satellite.
func PeerClassify(m PremiseMeasure) PeerClass {
	switch {
	case m.NodeDistM <= PeerFibreMaxM:
		return PeerFibre
	case m.APs > 0:
		return PeerWifi
	}
	return PeerSatellite
}

// PeerZoneCounts is one row of the peers' zone_counts.csv.
type PeerZoneCounts struct {
	Premises int
	Units    int64
	// Mean and max of NodeDistM over the zone's premises with a node;
	// meaningful only when NodeDistN > 0.
	NodeDistN     int
	NodeDistMeanM float64
	NodeDistMaxM  float64
	WifiPremises  int
	WifiUnits     int64
	WifiLinks     int64
	PremisesBy    [numPeerClasses]int   // indexed by PeerClass
	UnitsBy       [numPeerClasses]int64 // indexed by PeerClass
	Decision      string                // "fibre", "wifi", "satellite" or "none"
}

// PeerCounts computes the peers' per-zone counts and decision, aligned with
// in.Zones; m is aligned with in.Premises. Decision is the class with the
// most units, ties going fibre > wifi > satellite, and "none" for a zone
// without units. For peer comparison only.
func PeerCounts(in *Input, m []PremiseMeasure) []PeerZoneCounts {
	out := make([]PeerZoneCounts, len(in.Zones))
	sums := sumByZone(in, m, func(pm *PremiseMeasure) float64 { return pm.NodeDistM },
		func(z int32, pm *PremiseMeasure, u int64) {
			c := PeerClassify(*pm)
			out[z].PremisesBy[c]++
			out[z].UnitsBy[c] += u
		})
	for z, c := range sums {
		s := &out[z]
		s.Premises, s.Units = c.premises, c.units
		s.NodeDistN, s.NodeDistMeanM, s.NodeDistMaxM = c.distN, c.distMeanM, c.distMaxM
		s.WifiPremises, s.WifiUnits, s.WifiLinks = c.wifiPremises, c.wifiUnits, c.wifiLinks
		uf, uw, us := s.UnitsBy[PeerFibre], s.UnitsBy[PeerWifi], s.UnitsBy[PeerSatellite]
		switch {
		case s.Units == 0:
			s.Decision = "none"
		case uf >= uw && uf >= us:
			s.Decision = PeerFibre.String()
		case uw >= us:
			s.Decision = PeerWifi.String()
		default:
			s.Decision = PeerSatellite.String()
		}
	}
	return out
}
