package geodata

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// parsePRJ maps .prj WKT to a CRS option and the name layers report.
func parsePRJ(prj []byte) (crs, crsName string, err error) {
	s := strings.TrimSpace(string(bytes.TrimPrefix(prj, bom)))
	if s == "" {
		return "", "", fmt.Errorf("empty")
	}
	u := strings.ToUpper(s)
	kw := u
	if i := strings.IndexByte(u, '['); i >= 0 {
		kw = strings.TrimSpace(u[:i])
	} else {
		return "", "", fmt.Errorf("not WKT: %s", echo(s, 40))
	}
	name := wktName(s)
	switch kw {
	case "PROJCS", "PROJCRS", "PROJECTEDCRS":
		n := strings.NewReplacer("-", "_", " ", "_", "/", "_").Replace(strings.ToUpper(name))
		if strings.Contains(n, "LAMBERT_93") || strings.Contains(n, "LAMBERT93") || wktEPSG(u) == "2154" || isL93Params(u) {
			return "EPSG:2154", CRSL93Declared, nil
		}
		return "", "", fmt.Errorf("projection %s is not supported (covplan reads Lambert-93 EPSG:2154 and WGS84 lon/lat; reproject the shapefile, e.g. ogr2ogr -t_srs EPSG:2154)", echo(name, 0))
	case "GEOGCS", "GEOGCRS", "GEOGRAPHICCRS", "GEODCRS", "GEODETICCRS":
		n := strings.ToUpper(name) + " " + u
		switch {
		case strings.Contains(u, "GRAD") || strings.Contains(u, "PARIS"):
			// NTF (Paris) and other grad / Paris-meridian systems.
		case strings.Contains(n, "WGS_1984"), strings.Contains(n, "WGS 84"), strings.Contains(n, "WGS84"),
			strings.Contains(n, "RGF93"), strings.Contains(n, "RGF_1993"), strings.Contains(n, "ETRS89"), strings.Contains(n, "ETRS_1989"),
			strings.Contains(n, "GRS_1980"), strings.Contains(n, "GRS 1980"):
			return "EPSG:4326", CRSWGS84Declared, nil
		}
		return "", "", fmt.Errorf("geographic CRS %s is not supported (covplan reads WGS84 / RGF93 / ETRS89 degrees and Lambert-93; reproject the shapefile)", echo(name, 0))
	}
	return "", "", fmt.Errorf("unknown WKT %s %s", echo(kw, 0), echo(name, 0))
}

// wktName is the first quoted string of a WKT text.
func wktName(s string) string {
	i := strings.IndexByte(s, '"')
	if i < 0 {
		return ""
	}
	j := strings.IndexByte(s[i+1:], '"')
	if j < 0 {
		return clip(s[i+1:])
	}
	return s[i+1 : i+1+j]
}

// wktEPSG is the code of the last top-level AUTHORITY["EPSG","N"] or
// ID["EPSG",N] of an upper-cased WKT (the outermost object's own one is
// written last), "" when none.
func wktEPSG(u string) string {
	for _, kw := range []string{`AUTHORITY["EPSG",`, `ID["EPSG",`} {
		i := strings.LastIndex(u, kw)
		if i < 0 {
			continue
		}
		// Only the outermost object's authority: at nesting depth 1.
		depth := 0
		for _, c := range u[:i] {
			switch c {
			case '[':
				depth++
			case ']':
				depth--
			}
		}
		if depth != 1 {
			continue
		}
		rest := strings.TrimLeft(u[i+len(kw):], ` "`)
		k := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
		if k > 0 {
			return rest[:k]
		}
	}
	return ""
}

// isL93Params recognises a Lambert conformal conic with Lambert-93's
// parameters whatever the CRS is named.
func isL93Params(u string) bool {
	if !strings.Contains(u, "LAMBERT_CONFORMAL_CONIC") && !strings.Contains(u, "LAMBERT CONIC CONFORMAL") {
		return false
	}
	want := map[string]float64{"STANDARD_PARALLEL_1": 49, "STANDARD_PARALLEL_2": 44, "CENTRAL_MERIDIAN": 3, "FALSE_EASTING": 700000, "FALSE_NORTHING": 6600000}
	got := map[string]float64{}
	for rest := u; ; {
		i := strings.Index(rest, `PARAMETER["`)
		if i < 0 {
			break
		}
		rest = rest[i+len(`PARAMETER["`):]
		j := strings.IndexByte(rest, '"')
		if j < 0 {
			break
		}
		key := strings.ReplaceAll(rest[:j], " ", "_")
		v := strings.TrimLeft(rest[j+1:], ", ")
		k := strings.IndexAny(v, ",]")
		if k < 0 {
			break
		}
		if f, err := strconv.ParseFloat(strings.TrimSpace(v[:k]), 64); err == nil {
			got[key] = f
		}
	}
	sp1, sp2 := got["STANDARD_PARALLEL_1"], got["STANDARD_PARALLEL_2"]
	if sp1 == 44 && sp2 == 49 {
		got["STANDARD_PARALLEL_1"], got["STANDARD_PARALLEL_2"] = 49, 44
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || math.Abs(g-v) > 1e-9 {
			return false
		}
	}
	return true
}
