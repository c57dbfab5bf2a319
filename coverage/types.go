// Package coverage is covplan's core. Its stages exchange plain data:
//
//   - Index (index.go, pip.go, nearest.go) indexes the zones, the existing
//     fibre network and the access points of an Input (tidwall/rtree and
//     uniform grids, exact second-phase tests);
//   - Index.Measure (measure.go) measures what every premise can get: its
//     zone, distance to the network, access points in range
//     (PremiseMeasure); Aggregate and PeerCounts (stats.go) sum them per zone;
//   - Evaluate (evaluation.go) prices every option of every zone — fibre
//     (fibre.go), Wi-Fi / fixed wireless (wifi.go, wifisites.go), LEO and
//     GEO (satellite.go) and the mixed fibre + alternative option
//     (mixed.go), each at premise level and at zone level (zonelevel.go) —
//     and chooses nothing (an Evaluation);
//   - Decide (decide.go) chooses per zone under a Scenario's policy
//     (policy.go, budget.go), applies satellite cell capacity (satcells.go) and
//     phasing (rollout.go), and computes every total the outputs show
//     (totals.go): the Plan. One Evaluation serves many decisions.
//
// Scenario (scenario.go, params.go) holds every parameter with its source;
// money helpers are in money.go.
//
// All geometry inside this package is in metres, in one planar metric frame
// chosen by the caller (geodata projects once at load). The package does no
// I/O and imports only orb, rtree and the standard library.
package coverage

import (
	"fmt"

	"github.com/paulmach/orb"
)

// Kind is what a premise is used for. Each kind has its own demand.
type Kind uint8

const (
	KindHousehold Kind = iota
	KindBusiness
	KindSchool
	KindPublic
	KindOther
	NumKinds
)

var kindNames = [NumKinds]string{"household", "business", "school", "public", "other"}

func (k Kind) String() string {
	if k < NumKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// ParseKind maps a kind name (and common French synonyms) to a Kind.
// The empty string is a household.
func ParseKind(s string) (Kind, bool) {
	switch s {
	case "", "household", "households", "home", "residential", "logement", "menage", "ménage", "habitation":
		return KindHousehold, true
	case "business", "company", "commercial", "entreprise", "commerce":
		return KindBusiness, true
	case "school", "education", "ecole", "école", "college", "collège", "lycee", "lycée":
		return KindSchool, true
	case "public", "public-service", "public_service", "mairie", "service-public", "service_public", "health", "hospital":
		return KindPublic, true
	case "other", "autre":
		return KindOther, true
	}
	return KindOther, false
}

// Premise is a place that needs service: an address or a building.
// Pt is in metres in the plan's frame. Units is the number of lines
// (dwellings or offices) at that point, at least 1.
type Premise struct {
	ID    string
	Pt    orb.Point
	Units int32
	Kind  Kind
}

// Zone is a planning area: a commune, an optical-node zone or a grid cell.
// Geom is an orb.Polygon or orb.MultiPolygon in metres. Premises
// (dwellings, second homes included, and business sites: ARCEP's
// « locaux »), Population and Households are 0 when unknown; they drive
// zone-level mode (ZonePremises).
type Zone struct {
	ID         string
	Name       string
	Geom       orb.Geometry
	Premises   int
	Population int
	Households int
}

// FibreNode is a point of the existing fibre network (NRO, PM, central
// office). Only active nodes serve.
type FibreNode struct {
	ID     string
	Pt     orb.Point
	Active bool
}

// FibreLine is an existing fibre route, duct or pole line.
type FibreLine struct {
	ID     string
	Line   orb.LineString
	Active bool
}

// ServedArea is an area where fibre is already deployed: a premise inside an
// active served area is passed, and only its connection costs.
type ServedArea struct {
	ID     string
	Geom   orb.Geometry // orb.Polygon or orb.MultiPolygon, metres
	Active bool
}

// AccessPoint is an existing public Wi-Fi or fixed-wireless site.
// RangeM is its reach in metres; CapacityMbps its shared busy-hour capacity
// (0 = unknown, the model default applies). Non-operational sites are kept
// for reporting but never serve.
type AccessPoint struct {
	ID           string
	Pt           orb.Point
	RangeM       float64
	CapacityMbps float64
	Operational  bool
}

// Network is the existing infrastructure.
type Network struct {
	Nodes  []FibreNode
	Lines  []FibreLine
	Served []ServedArea
	APs    []AccessPoint
}

// Input is everything the planner works on, already projected to metres.
// Premises is nil in zone-level mode.
type Input struct {
	Zones    []Zone
	Premises []Premise
	Network
}

// ZoneLevel reports whether the input has no premises, so that figures come
// from zone counts and density estimates.
func (in *Input) ZoneLevel() bool { return len(in.Premises) == 0 }
