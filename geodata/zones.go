package geodata

import (
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

var (
	zoneIDNames   = []string{"id", "zone_id", "code", "code_insee", "insee", "insee_com", "code_commune", "codgeo", "quadkey"}
	zoneNameNames = []string{"nom", "name", "libelle", "nom_commune", "nom_com", "libgeo"}
	popNames      = []string{"population", "pop", "pmun", "p21_pop", "p20_pop", "p19_pop", "ptot", "pop_totale"}
	hhNames       = []string{"households", "menages", "nb_menages", "logements", "nb_logements", "log", "p21_log", "p21_men"}
)

// ZoneOptions tunes ReadZones. The zero value detects everything.
type ZoneOptions struct {
	// IDField, NameField name the id and name properties explicitly.
	IDField, NameField string
	// CRS forces the coordinates' CRS, as in PointOptions.
	CRS string
	// SizeHint is the input's size in bytes when r cannot tell it (r is
	// not an *os.File or a bytes/strings.Reader, e.g. a progress or
	// hashing wrapper); 0 means unknown. It only sizes buffers up front.
	SizeHint int64
	// Limits bound what the file may make the reader hold and echo; the
	// zero value is the defaults.
	Limits Limits
	// Strict makes every finding an error: a repair (an unclosed ring
	// closed), a skipped feature, overlapping zones, a warning.
	Strict bool
	// MinOverlapM2 is the smallest overlap between two zones that is
	// reported, in square metres (0: DefaultMinOverlapM2); smaller ones are
	// rounding between shared boundaries.
	MinOverlapM2 float64
}

// ZoneLayer is a zones file in WGS84 lon/lat. Geoms[i] is an orb.Polygon or
// orb.MultiPolygon with closed rings, aligned with IDs, Names, Population
// and Households (0 when unknown).
type ZoneLayer struct {
	Name   string
	Format string // "geojson" or "grid"
	CRS    string

	IDs        []string
	Names      []string
	Geoms      []orb.Geometry
	Population []int
	Households []int
	Features   []int // source feature index of each zone

	Columns    []string
	Used       []ColumnUse
	Records    int
	Skips      []Skip
	SkipCounts []ReasonCount
	Warnings   []ReasonCount
}

// Len is the number of zones.
func (z *ZoneLayer) Len() int { return len(z.IDs) }

// Skipped is the number of features skipped.
func (z *ZoneLayer) Skipped() int { return total(z.SkipCounts) }

// Bound is the lon/lat bounding box of all zones.
func (z *ZoneLayer) Bound() orb.Bound {
	var b orb.Bound
	for i, g := range z.Geoms {
		if i == 0 {
			b = g.Bound()
		} else {
			b = b.Union(g.Bound())
		}
	}
	return b
}

// ReadZones reads Polygon and MultiPolygon features from GeoJSON (a
// FeatureCollection, a Feature or a bare geometry).
//
// The zone id is the first present property among id, zone_id, code,
// code_insee, insee (or opt.IDField); numbers are written without ".0",
// strings are kept as they are, so INSEE codes keep their leading zeros;
// the feature's top-level "id" is the fallback, then the 1-based feature
// number. The name comes from nom or name; population from population, pop,
// PMUN, P21_POP...; households from households, menages, logements, LOG.
//
// Errors, located by feature: a geometry that is not a (Multi)Polygon, a
// ring with fewer than 4 positions, a coordinate out of range, duplicate
// ids. An unclosed ring is closed and counted as a warning; a feature with
// a null geometry is skipped and counted.
func ReadZones(r io.Reader, name string, opt ZoneOptions) (*ZoneLayer, error) {
	sizeHint := inputSize(r)
	if sizeHint == 0 {
		sizeHint = opt.SizeHint
	}
	doc, crs, crsName, err := decodeGeoJSONCRS(r, name, sizeHint, opt.CRS)
	if err != nil {
		return nil, err
	}
	z := &ZoneLayer{Name: name, Format: "geojson", CRS: crsName, Columns: propKeys(doc), Records: len(doc.features)}
	t := tally{max: DefaultMaxSkipExamples}
	used := columnUses{}
	seen := make(map[string]int, len(doc.features))
	for i := range doc.features {
		f := &doc.features[i]
		if f.geom.isNull || (f.geom.typ == "" && !f.geom.hasC) {
			t.skip(Skip{Feature: i, Reason: "empty geometry"})
			continue
		}
		g, err := polygonal(&f.geom, crs, name, i, &t)
		if err != nil {
			return nil, err
		}
		id := ""
		if p, ok := findProp(f.props, zoneIDNames, opt.IDField); ok {
			id = p.idString()
			used.note(&z.Used, "id", p.key)
		}
		if id == "" && f.id.kind != propNull {
			id = f.id.idString()
			used.note(&z.Used, "id", "(feature id)")
		}
		if id == "" {
			id = strconv.Itoa(i + 1)
			t.warn("no id (feature number used)")
		}
		if prev, dup := seen[id]; dup {
			return nil, featErr(name, i, "id", ErrDuplicateID, "%s is also the id of feature %d", echo(id, 0), prev)
		}
		seen[id] = i
		zn := ""
		if p, ok := findProp(f.props, zoneNameNames, opt.NameField); ok {
			zn = strings.TrimSpace(p.text)
			used.note(&z.Used, "name", p.key)
		}
		pop, hh := 0, 0
		if p, ok := findProp(f.props, popNames, ""); ok {
			if v, ok := parseFloat([]byte(p.text), false); ok && v >= 0 && v < 1e12 {
				pop = int(math.Round(v))
				used.note(&z.Used, "population", p.key)
			} else {
				t.warn("bad population (ignored)")
			}
		}
		if p, ok := findProp(f.props, hhNames, ""); ok {
			if v, ok := parseFloat([]byte(p.text), false); ok && v >= 0 && v < 1e12 {
				hh = int(math.Round(v))
				used.note(&z.Used, "households", p.key)
			} else {
				t.warn("bad households (ignored)")
			}
		}
		z.IDs = append(z.IDs, id)
		z.Names = append(z.Names, zn)
		z.Geoms = append(z.Geoms, g)
		z.Population = append(z.Population, pop)
		z.Households = append(z.Households, hh)
		z.Features = append(z.Features, i)
	}
	z.Skips = t.examples
	z.SkipCounts = sortCounts(t.counts)
	z.Warnings = sortCounts(t.warnings)
	return z, nil
}

// polygonal validates a Polygon or MultiPolygon and converts it to lon/lat.
func polygonal(g *rawGeom, crs crsMode, name string, feature int, t *tally) (orb.Geometry, error) {
	switch {
	case g.typ == "Polygon" && (g.c.d == 3 || g.c.d == 0):
		p, err := ring3(g.c.l3, crs, name, feature, t)
		if err != nil {
			return nil, err
		}
		return p, nil
	case g.typ == "MultiPolygon" && (g.c.d == 4 || g.c.d == 0):
		if len(g.c.l4) == 0 {
			return nil, featErr(name, feature, "geometry", ErrGeometry, "empty MultiPolygon")
		}
		mp := make(orb.MultiPolygon, 0, len(g.c.l4))
		for _, pl := range g.c.l4 {
			p, err := ring3(pl, crs, name, feature, t)
			if err != nil {
				return nil, err
			}
			mp = append(mp, p)
		}
		return mp, nil
	case g.typ == "Polygon" || g.typ == "MultiPolygon":
		return nil, featErr(name, feature, "geometry", ErrGeometry, "%s coordinates are not nested as a %[1]s", echoType(g.typ))
	case g.typ == "":
		return nil, featErr(name, feature, "geometry", ErrGeometry, "no geometry type")
	}
	return nil, featErr(name, feature, "geometry", ErrGeometry, "%s is not a Polygon or MultiPolygon", echoType(g.typ))
}

func ring3(rings [][]orb.Point, crs crsMode, name string, feature int, t *tally) (orb.Polygon, error) {
	if len(rings) == 0 {
		return nil, featErr(name, feature, "geometry", ErrGeometry, "empty Polygon")
	}
	p := make(orb.Polygon, len(rings))
	for k, r := range rings {
		if len(r) > 0 && r[0] != r[len(r)-1] {
			r = append(r, r[0])
			t.warn("unclosed ring (closed)")
		}
		if len(r) < 4 {
			return nil, featErr(name, feature, "geometry", ErrGeometry, "ring %d has %d positions, a closed ring needs at least 4", k, len(r))
		}
		for j, pt := range r {
			q, reason := fixPoint(pt, crs)
			if reason != "" {
				return nil, featErr(name, feature, "coordinates", ErrRange, "ring %d position %d (%g, %g): %s", k, j, pt[0], pt[1], reason)
			}
			r[j] = q
		}
		p[k] = orb.Ring(r)
	}
	return p, nil
}
