package geodata

import (
	"strings"
)

// Column and property names are matched after normName: lower case,
// French accents removed, runs of spaces, '-', '.' and '_' turned into one
// '_', trimmed. "Code Site" matches "code_site", "Etat du site"
// "etat_du_site".
var (
	lonNames    = []string{"lon", "lng", "long", "longitude", "lon_wgs84", "longitude_wgs84"}
	latNames    = []string{"lat", "latitude", "lat_wgs84", "latitude_wgs84"}
	xNames      = []string{"x", "coord_x", "coordx", "easting", "x_l93", "x_lambert93"}
	yNames      = []string{"y", "coord_y", "coordy", "northing", "y_l93", "y_lambert93"}
	point2Names = []string{"geo_point_2d", "geo_point", "geopoint"}
	shapeNames  = []string{"geo_shape", "geoshape"}
	wktNames    = []string{"wkt", "geometry", "geom", "the_geom", "geometrie"}
	idNames     = []string{"id", "premise_id", "site_id", "ap_id", "node_id", "code_site", "id_site", "identifiant", "code", "uid", "gid", "fid", "cle_interop", "code_nro"}
	unitsNames  = []string{"units", "nb_logements", "logements", "nb_logts", "nombre_de_logements", "nombre_logements", "dwellings", "nb_locaux", "locaux"}
	kindNames   = []string{"kind", "premise_kind", "category", "categorie", "usage", "type_local"}
	rangeNames  = []string{"range_m", "range", "portee_m", "portee", "radius_m", "rayon_m", "rayon"}
	capNames    = []string{"capacity_mbps", "capacity", "capacite_mbps", "capacite", "debit_mbps"}
	statusNames = []string{"status", "statut", "etat", "etat_du_site", "state", "active", "actif", "en_service"}
)

var accents = strings.NewReplacer(
	"é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "ä", "a",
	"î", "i", "ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ç", "c",
	"É", "e", "È", "e", "Ê", "e", "À", "a", "Â", "a", "Î", "i", "Ô", "o", "Ù", "u", "Û", "u", "Ç", "c",
)

func normName(s string) string {
	s = accents.Replace(strings.ToLower(strings.TrimSpace(s)))
	var b strings.Builder
	under := false
	for _, r := range s {
		if r == ' ' || r == '-' || r == '.' || r == '_' || r == '\t' {
			if b.Len() > 0 {
				under = true
			}
			continue
		}
		if under {
			b.WriteByte('_')
			under = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// pick returns the index of the first name of cands present in norm (the
// candidates' order is the preference), or -1. If explicit is not empty,
// only that column (case-insensitively) is accepted.
func pick(norm []string, cands []string, explicit string) int {
	if explicit != "" {
		e := normName(explicit)
		for i, n := range norm {
			if n == e {
				return i
			}
		}
		return -1
	}
	for _, c := range cands {
		for i, n := range norm {
			if n == c {
				return i
			}
		}
	}
	return -1
}

// coordMode is how a record's position is written.
type coordMode uint8

const (
	coordNone     coordMode = iota
	coordLonLat             // two columns, lon then lat (or x, y)
	coordPoint2D            // one column "lat, lon"
	coordGeoShape           // one column, a GeoJSON Point
	coordWKT                // one column, WKT POINT (x y)
)

// fieldSet maps roles to column indices (-1 when absent).
type fieldSet struct {
	mode                                  coordMode
	lon, lat, geo                         int
	xy                                    bool // lon/lat came from x/y columns
	id, units, kind, rangeM, capM, status int
	maxCol                                int
	used                                  []ColumnUse
}

// detectFields chooses the columns of a header. Preference for the
// position: lon/lat names, then geo_point_2d, geo_shape, a WKT column, and
// x/y last.
func detectFields(header []string, opt PointOptions) fieldSet {
	norm := make([]string, len(header))
	for i, h := range header {
		norm[i] = normName(h)
	}
	f := fieldSet{lon: -1, lat: -1, geo: -1}
	use := func(field string, i int) {
		if i >= 0 {
			f.used = append(f.used, ColumnUse{Field: field, Column: strings.TrimSpace(header[i])})
			f.maxCol = max(f.maxCol, i)
		}
	}
	if opt.LonField != "" || opt.LatField != "" {
		f.lon, f.lat = pick(norm, nil, opt.LonField), pick(norm, nil, opt.LatField)
		if f.lon >= 0 && f.lat >= 0 {
			f.mode = coordLonLat
			use("lon", f.lon)
			use("lat", f.lat)
		}
	} else if lo, la := pick(norm, lonNames, ""), pick(norm, latNames, ""); lo >= 0 && la >= 0 {
		f.mode, f.lon, f.lat = coordLonLat, lo, la
		use("lon", lo)
		use("lat", la)
	} else if g := pick(norm, point2Names, ""); g >= 0 {
		f.mode, f.geo = coordPoint2D, g
		use("geo_point_2d", g)
	} else if g := pick(norm, shapeNames, ""); g >= 0 {
		f.mode, f.geo = coordGeoShape, g
		use("geo_shape", g)
	} else if g := pick(norm, wktNames, ""); g >= 0 {
		f.mode, f.geo = coordWKT, g
		use("wkt", g)
	} else if x, y := pick(norm, xNames, ""), pick(norm, yNames, ""); x >= 0 && y >= 0 {
		f.mode, f.lon, f.lat, f.xy = coordLonLat, x, y, true
		use("x", x)
		use("y", y)
	}
	f.id = pick(norm, idNames, opt.IDField)
	use("id", f.id)
	f.units = pick(norm, unitsNames, opt.UnitsField)
	use("units", f.units)
	f.kind = pick(norm, kindNames, "")
	use("kind", f.kind)
	f.rangeM = pick(norm, rangeNames, "")
	use("range_m", f.rangeM)
	f.capM = pick(norm, capNames, "")
	use("capacity_mbps", f.capM)
	f.status = pick(norm, statusNames, "")
	use("status", f.status)
	return f
}

// parseStatus maps a status value to active (true) or not. Empty means not
// stated, which is active. ok is false for a value it does not know (the
// caller treats it as active and counts a warning).
func parseStatus(b []byte) (active, ok bool) {
	var buf [48]byte
	s := lowerASCII(buf[:0], b)
	switch string(s) {
	case "", "active", "actif", "active_site", "oui", "yes", "y", "o", "ok", "true", "1", "on",
		"operational", "operationnel", "opérationnel", "en service", "en_service", "in service", "service",
		"deployed", "deploye", "déployé", "open", "ouvert", "existing", "existant":
		return true, true
	case "inactive", "inactif", "non", "no", "n", "false", "0", "off", "closed", "ferme", "fermé",
		"ferme pour travaux", "fermé pour travaux", "en deploiement", "en déploiement", "en etude", "en étude",
		"planned", "planifie", "planifié", "projet", "en projet", "project", "proposed", "hors service",
		"out of service", "decommissioned", "abandoned", "under construction", "en travaux", "travaux":
		return false, true
	}
	return true, false
}

// lowerASCII lower-cases ASCII letters and the common upper-case French
// accented letters, and trims spaces, into dst.
func lowerASCII(dst, b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		} else if c == 0xC3 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9E {
			// À..Þ (U+00C0..U+00DE) -> à..þ: second byte + 0x20.
			dst = append(dst, c, b[i+1]+0x20)
			i++
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// columnUses remembers which fields already have a ColumnUse, so that each
// field is recorded once, with the first column that fed it.
type columnUses map[string]bool

// note appends field <- col to dst unless field was noted before.
func (u columnUses) note(dst *[]ColumnUse, field, col string) {
	if !u[field] {
		u[field] = true
		*dst = append(*dst, ColumnUse{Field: field, Column: col})
	}
}
