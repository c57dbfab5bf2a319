package geodata

import (
	"strings"

	"github.com/paulmach/orb"
)

// crsMode is how raw coordinates are validated and converted.
type crsMode uint8

// Lambert-93 coordinate ranges used to detect projected data and validate
// it: they cover metropolitan France and Corsica with a margin.
const (
	l93MinX, l93MaxX = 0, 1.3e6
	l93MinY, l93MaxY = 6.0e6, 7.2e6
)

func inL93(p orb.Point) bool {
	return p[0] >= l93MinX && p[0] <= l93MaxX && p[1] >= l93MinY && p[1] <= l93MaxY
}

func inLonLat(p orb.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

// parseCRSOption maps PointOptions.CRS to a mode; ok is false if unknown.
func parseCRSOption(s string) (crsMode, string, bool) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", "")) {
	case "":
		return crsRaw, "", true
	case "epsg:4326", "4326", "wgs84", "crs84", "lonlat", "ogc:crs84":
		return crsWGS84, "EPSG:4326 (WGS84 lon/lat, given)", true
	case "epsg:2154", "2154", "lambert93", "lambert-93", "l93", "rgf93":
		return crsL93, "EPSG:2154 (Lambert-93, given)", true
	}
	return crsRaw, "", false
}

// voteCRS decides between lon/lat and Lambert-93 by counting the points in
// each range. ok is false when more than half of the points are in neither.
func voteCRS(pts []orb.Point) (crsMode, string, bool) {
	deg, l93 := 0, 0
	for _, pt := range pts {
		if inLonLat(pt) {
			deg++
		} else if inL93(pt) {
			l93++
		}
	}
	if 2*(len(pts)-deg-l93) > len(pts) {
		return 0, "", false
	}
	if l93 > deg {
		return crsL93, CRSL93Detected, true
	}
	return crsWGS84, CRSWGS84Assumed, true
}

// CRS names a reader reports in layers and Info.
const (
	CRSWGS84         = "EPSG:4326 (WGS84 lon/lat)"
	CRSWGS84Assumed  = "EPSG:4326 (WGS84 lon/lat, assumed)"
	CRSL93           = "EPSG:2154 (Lambert-93)"
	CRSL93Detected   = "EPSG:2154 (detected from coordinate ranges)"
	CRSL93Declared   = "EPSG:2154 (declared in the file)"
	CRSWGS84Declared = "EPSG:4326 (declared in the file)"
)

// fixPoint validates p under the CRS and converts it to lon/lat. reason is
// "" when p is usable.
func fixPoint(p orb.Point, crs crsMode) (orb.Point, string) {
	switch crs {
	case crsL93:
		if !inL93(p) {
			return p, "outside the Lambert-93 range"
		}
		return lambert93.Inverse(p), ""
	default:
		if !(p[0] >= -180 && p[0] <= 180) {
			return p, "lon out of range"
		}
		if !(p[1] >= -90 && p[1] <= 90) {
			return p, "lat out of range"
		}
	}
	return p, ""
}
