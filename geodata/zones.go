package geodata

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/paulmach/orb"
)

var (
	zoneIDNames   = []string{"id", "zone_id", "code", "code_insee", "insee", "insee_com", "code_commune", "codgeo", "quadkey"}
	zoneNameNames = []string{"nom", "name", "libelle", "nom_commune", "nom_com", "libgeo"}
	popNames      = []string{"population", "pop", "pmun", "p21_pop", "p20_pop", "p19_pop", "ptot", "pop_totale"}
	// Premises (« locaux »: dwellings, second homes included, and business
	// sites) are what a network passes; dwellings (« logements », INSEE LOG)
	// are the closest published count and stand for them.
	premNames = []string{"premises", "locaux", "nb_locaux", "prises", "nb_prises", "logements", "nb_logements", "log", "p21_log", "dwellings"}
	hhNames   = []string{"households", "menages", "nb_menages", "p21_men"}
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
// orb.MultiPolygon with closed rings, aligned with IDs, Names, Premises,
// Population and Households (0 when unknown).
type ZoneLayer struct {
	Name   string
	Format string // "geojson", "csv", "kml", "shapefile" or "grid"
	CRS    string

	IDs        []string
	Names      []string
	Geoms      []orb.Geometry
	Premises   []int
	Population []int
	Households []int
	Features   []int // source feature index of each zone

	Columns    []string
	Used       []ColumnUse
	Records    int
	Skips      []Skip
	SkipCounts []ReasonCount
	Warnings   []ReasonCount
	// Diagnostics are the repairs made and the problems found in the
	// geometry (overlapping zones...), with examples.
	Diagnostics []Diagnostic
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
// FeatureCollection, a Feature or a bare geometry), or zones from a CSV
// file with a WKT column (POLYGON or MULTIPOLYGON; see readZonesCSV).
//
// The zone id is the first present property among id, zone_id, code,
// code_insee, insee (or opt.IDField); numbers are written without ".0",
// strings are kept as they are, so INSEE codes keep their leading zeros;
// the feature's top-level "id" is the fallback, then the 1-based feature
// number. The name comes from nom or name; premises from premises, locaux,
// prises, logements, LOG (dwellings stand for premises); population from
// population, pop, PMUN, P21_POP...; households from households, menages.
//
// Geometry is validated (see validate.go and docs/inputs.md). Repaired,
// counted in Diagnostics: an unclosed ring (closed), repeated consecutive
// positions (removed), a hole or a MultiPolygon part of zero area
// (dropped). Errors, located by feature and id: a geometry that is not a
// (Multi)Polygon, a ring with fewer than 4 positions, a coordinate out of
// range, a ring that crosses itself or another ring, a zone of zero area,
// ids used more than once (all listed), a file without any zone. Zones
// that overlap are a Warning diagnostic per pair with the overlap's area;
// a point in the overlap belongs to the lower-index zone. A feature with a
// null geometry is skipped and counted. opt.Strict turns every diagnostic,
// skip and warning into an error.
func ReadZones(r io.Reader, name string, opt ZoneOptions) (*ZoneLayer, error) {
	sizeHint := inputSize(r)
	if sizeHint == 0 {
		sizeHint = opt.SizeHint
	}
	br := bufio.NewReaderSize(r, readBufSize(sizeHint))
	isJSON, err := sniffJSON(br)
	if err != nil {
		return nil, fileErr(name, ErrSyntax, "reading: %v", err)
	}
	var doc *rawDoc
	var crs crsMode
	var crsName string
	format := "geojson"
	if isJSON {
		doc, crs, crsName, err = decodeGeoJSONCRS(br, name, sizeHint, opt.CRS)
	} else {
		format = "csv"
		doc, crs, crsName, err = readZonesCSV(br, name, opt)
	}
	if err != nil {
		return nil, err
	}
	z := &ZoneLayer{Name: name, Format: format, CRS: crsName, Columns: doc.columns, Records: len(doc.features)}
	if z.Columns == nil {
		z.Columns = propKeys(doc)
	}
	d := newDiags(name)
	if err := z.fromDoc(doc, crs, opt, d); err != nil {
		return nil, doc.locate(err)
	}
	if z.Len() == 0 {
		return nil, z.emptyErr()
	}
	minM2 := opt.MinOverlapM2
	if minM2 <= 0 {
		minM2 = DefaultMinOverlapM2
	}
	for _, o := range overlaps(z.Geoms, minM2, 0) {
		d.add("overlap", Warning, "pair(s) of zones overlap",
			"a premise in an overlap belongs to the zone that comes first in the file (the lower index); fix the boundaries or remove the duplicate zone",
			1, &Example{Feature: z.Features[o.i], Line: doc.line(z.Features[o.i]), ID: z.IDs[o.i],
				Other: &Example{Feature: z.Features[o.j], Line: doc.line(z.Features[o.j]), ID: z.IDs[o.j]},
				At:    at(o.at[0], o.at[1]), Detail: "overlap of " + formatM2(o.areaM2)})
	}
	z.Diagnostics = d.list
	if opt.Strict {
		if err := StrictError(z.AllDiagnostics()); err != nil {
			return nil, err
		}
	}
	return z, nil
}

// AllDiagnostics is the layer's Diagnostics followed by its skip and
// warning counts as diagnostics: everything a reader noticed.
func (z *ZoneLayer) AllDiagnostics() []Diagnostic {
	return append(slices.Clone(z.Diagnostics), countDiagnostics(z.Name, z.SkipCounts, z.Skips, z.Warnings)...)
}

// emptyErr is the error for a zones file that gave no zone.
func (z *ZoneLayer) emptyErr() error {
	if z.Records == 0 {
		return fileErr(z.Name, ErrEmpty, "no zones: the file has no features")
	}
	return fileErr(z.Name, ErrEmpty, "no zones: none of the %d features is a usable polygon (skipped: %s)", z.Records, reasons(z.SkipCounts))
}

// fromDoc reads the zones of a decoded document.
func (z *ZoneLayer) fromDoc(doc *rawDoc, crs crsMode, opt ZoneOptions, d *diags) error {
	name := z.Name
	t := tally{max: DefaultMaxSkipExamples}
	used := columnUses{}
	for i := range doc.features {
		f := &doc.features[i]
		if f.geom.isNull || (f.geom.typ == "" && !f.geom.hasC) {
			t.skip(Skip{Line: doc.line(i), Feature: i, Reason: "empty geometry"})
			continue
		}
		id, own := z.zoneID(f, i, opt, used, &t)
		shown := id // the id said in messages: none when it is the feature number
		if !own {
			shown = ""
		}
		fd := d.forFeature(i, shown, doc.line(i))
		g, err := polygonal(&f.geom, crs, name, i, fd)
		if err != nil {
			return err
		}
		zn := ""
		if p, ok := findProp(f.props, zoneNameNames, opt.NameField); ok {
			zn = strings.TrimSpace(p.text)
			used.note(&z.Used, "name", p.key)
		}
		pop := zoneCount(f.props, popNames, "population", &z.Used, used, &t)
		prem := zoneCount(f.props, premNames, "premises", &z.Used, used, &t)
		hh := zoneCount(f.props, hhNames, "households", &z.Used, used, &t)
		z.IDs = append(z.IDs, id)
		z.Names = append(z.Names, zn)
		z.Geoms = append(z.Geoms, g)
		z.Premises = append(z.Premises, prem)
		z.Population = append(z.Population, pop)
		z.Households = append(z.Households, hh)
		z.Features = append(z.Features, i)
	}
	z.Skips, z.SkipCounts, z.Warnings = t.results()
	if err := z.checkIDs(doc, opt.Limits.echoBytes()); err != nil {
		return err
	}
	return z.checkAllRings(doc, d)
}

// checkAllRings runs checkGeom on every zone in parallel and returns the
// error of the first bad zone in file order.
func (z *ZoneLayer) checkAllRings(doc *rawDoc, d *diags) error {
	errs := make([]error, z.Len())
	gaveUp := make([]bool, z.Len())
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var es []edge
			for k := w; k < z.Len(); k += workers {
				var p *ringProblem
				var done bool
				p, es, done = checkRings(z.Geoms[k], es)
				gaveUp[k] = !done
				if p != nil {
					errs[k] = ringErr(z.Name, z.Features[k], p)
				}
			}
		}()
	}
	wg.Wait()
	for k, err := range errs {
		if gaveUp[k] {
			d.add("not-validated", Warning, "zone(s) with rings too convoluted to check for self-intersections", "", 1, &Example{Feature: z.Features[k], Line: doc.line(z.Features[k]), ID: z.IDs[k]})
		}
		if err != nil {
			e := err.(*Error)
			if e.Line = doc.line(z.Features[k]); z.IDs[k] != strconv.Itoa(z.Features[k]+1) {
				e.ID = z.IDs[k]
			}
			return e
		}
	}
	return nil
}

// zoneID is a feature's zone id: the id property, the feature's id, else
// its 1-based number (a warning; own is then false).
func (z *ZoneLayer) zoneID(f *rawFeature, i int, opt ZoneOptions, used columnUses, t *tally) (id string, own bool) {
	id, key := f.ownID(zoneIDNames, opt.IDField)
	if id == "" {
		t.warn("no id (feature number used)")
		return strconv.Itoa(i + 1), false
	}
	used.note(&z.Used, "id", key)
	return id, true
}

// zoneCount reads a population or households property (0 when absent or
// unreadable, with a warning).
func zoneCount(props []prop, names []string, field string, dst *[]ColumnUse, used columnUses, t *tally) int {
	p, ok := findProp(props, names, "")
	if !ok {
		return 0
	}
	if v, ok := parseFloat([]byte(p.text), false); ok && v >= 0 && v < 1e12 {
		used.note(dst, field, p.key)
		return int(math.Round(v))
	}
	t.warn("bad " + field + " (ignored)")
	return 0
}

// checkIDs fails when ids repeat, naming the first repeat and how many
// ids repeat in all, with examples.
func (z *ZoneLayer) checkIDs(doc *rawDoc, echoMax int) error {
	seen := make(map[string]int, len(z.IDs))
	var first *Error
	var dups []string
	for k, id := range z.IDs {
		prev, dup := seen[id]
		if !dup {
			seen[id] = k
			continue
		}
		if first == nil {
			i := z.Features[k]
			first = featErr(z.Name, i, "id", ErrDuplicateID, "%s is also the id of feature %d", echo(id, echoMax), z.Features[prev])
			first.Line = doc.line(i)
		}
		if len(dups) == 0 || !slices.Contains(dups, id) {
			dups = append(dups, id)
		}
	}
	if first == nil {
		return nil
	}
	if len(dups) > 1 {
		first.Msg += fmt.Sprintf("; %d ids are used by more than one zone: %s; zone ids must be unique (name the id column with --zone-id-field if another column is the key)", len(dups), echoList(dups[:min(len(dups), DefaultMaxExamples)], echoMax))
	}
	return first
}

// formatM2 writes an area for a message: "1,234 m²", "12.3 ha", "4.56 km²".
func formatM2(a float64) string {
	switch {
	case a >= 1e6:
		return strconv.FormatFloat(a/1e6, 'f', 2, 64) + " km²"
	case a >= 1e4:
		return strconv.FormatFloat(a/1e4, 'f', 1, 64) + " ha"
	}
	return strconv.FormatFloat(a, 'f', 0, 64) + " m²"
}

// polygonal validates a Polygon or MultiPolygon and converts it to lon/lat,
// repairing what has one meaning (see ring3). d carries the feature's id
// for the diagnostics.
func polygonal(g *rawGeom, crs crsMode, name string, feature int, d *featureDiags) (orb.Geometry, error) {
	switch {
	case g.typ == "Polygon" && (g.c.d == 3 || g.c.d == 0):
		p, err := ring3(g.c.l3, crs, name, feature, d, false)
		if err != nil {
			return nil, err
		}
		return p, nil
	case g.typ == "MultiPolygon" && (g.c.d == 4 || g.c.d == 0):
		if len(g.c.l4) == 0 {
			return nil, d.err(featErr(name, feature, "geometry", ErrGeometry, "empty MultiPolygon"))
		}
		mp := make(orb.MultiPolygon, 0, len(g.c.l4))
		for k, pl := range g.c.l4 {
			p, err := ring3(pl, crs, name, feature, d, len(g.c.l4) > 1)
			if err != nil {
				return nil, err
			}
			if p == nil {
				d.add("degenerate-part", Repaired, "MultiPolygon part(s) of zero area dropped", "", "part "+strconv.Itoa(k), nil)
				continue
			}
			mp = append(mp, p)
		}
		if len(mp) == 0 {
			return nil, d.err(featErr(name, feature, "geometry", ErrGeometry, "every part of the MultiPolygon has zero area"))
		}
		return mp, nil
	case g.typ == "Polygon" || g.typ == "MultiPolygon":
		return nil, d.err(featErr(name, feature, "geometry", ErrGeometry, "%s coordinates are not nested as a %[1]s", echoType(g.typ)))
	case g.typ == "":
		return nil, d.err(featErr(name, feature, "geometry", ErrGeometry, "no geometry type"))
	}
	return nil, d.err(featErr(name, feature, "geometry", ErrGeometry, "%s is not a Polygon or MultiPolygon", echoType(g.typ)))
}

// ring3 converts a polygon's rings to lon/lat. Repairs, each counted: an
// unclosed ring is closed, repeated consecutive positions are removed, a
// hole of zero area is dropped. An outer ring of zero area is an error,
// or, for a part of a MultiPolygon (droppable), gives a nil polygon.
func ring3(rings [][]orb.Point, crs crsMode, name string, feature int, d *featureDiags, droppable bool) (orb.Polygon, error) {
	if len(rings) == 0 {
		return nil, d.err(featErr(name, feature, "geometry", ErrGeometry, "empty Polygon"))
	}
	p := make(orb.Polygon, 0, len(rings))
	for k, r := range rings {
		if len(r) > 0 && r[0] != r[len(r)-1] {
			r = append(r, r[0])
			d.add("unclosed-ring", Repaired, "unclosed ring(s) closed (the first position repeated at the end)", "", "ring "+strconv.Itoa(k), &r[0])
		}
		if n := dedupe(r); n < len(r) {
			d.add("repeated-point", Repaired, "repeated consecutive position(s) removed", "", strconv.Itoa(len(r)-n)+" in ring "+strconv.Itoa(k), &r[0])
			r = r[:n]
		}
		if len(r) < 4 {
			return nil, d.err(featErr(name, feature, "geometry", ErrGeometry, "ring %d has %d positions, a closed ring needs at least 4", k, len(r)))
		}
		for j, pt := range r {
			q, reason := fixPoint(pt, crs)
			if reason != "" {
				return nil, d.err(featErr(name, feature, "coordinates", ErrRange, "ring %d position %d (%g, %g): %s", k, j, pt[0], pt[1], reason))
			}
			r[j] = q
		}
		if zeroArea(r) {
			switch {
			case k > 0:
				d.add("degenerate-ring", Repaired, "hole(s) of zero area dropped", "", "ring "+strconv.Itoa(k), &r[0])
				continue
			case droppable:
				return nil, nil
			}
			return nil, d.err(featErr(name, feature, "geometry", ErrGeometry, "ring 0 (the outer ring) has zero area: its positions are all on one line"))
		}
		p = append(p, orb.Ring(r))
	}
	return p, nil
}

// dedupe removes consecutive repeated positions of r in place and returns
// the new length.
func dedupe(r []orb.Point) int {
	n := 0
	for i, p := range r {
		if i > 0 && p == r[n-1] {
			continue
		}
		r[n] = p
		n++
	}
	return n
}

// zeroArea reports whether a closed ring encloses no area because all its
// positions are on one line (a bow-tie, whose halves cancel out, is not
// zero area: it is caught as self-intersecting).
func zeroArea(r orb.Ring) bool {
	b := r.Bound()
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	o := r[0]
	s := 0.0
	for i := 1; i+1 < len(r); i++ {
		a, c := r[i], r[i+1]
		s += math.Abs((a[0]-o[0])*(c[1]-o[1]) - (c[0]-o[0])*(a[1]-o[1]))
	}
	return s <= 1e-12*(w*w+h*h)
}

// checkGeom rejects a geometry whose rings cross (see checkRings), and
// notes one too complex to check. es is scratch.
func checkGeom(g orb.Geometry, es []edge, name string, i int, id string, d *diags) ([]edge, error) {
	p, es, done := checkRings(g, es)
	if !done {
		d.add("not-validated", Warning, "feature(s) with rings too convoluted to check for self-intersections", "", 1, &Example{Feature: i, ID: id})
	}
	if p != nil {
		e := ringErr(name, i, p)
		e.ID = id
		return es, e
	}
	return es, nil
}

// ringErr is the error for crossing rings.
func ringErr(name string, i int, p *ringProblem) *Error {
	return featErr(name, i, "geometry", ErrGeometry, "%s at %.7f,%.7f: a self-intersecting geometry has no unambiguous repair; fix it (QGIS \"Fix geometries\", PostGIS ST_MakeValid) and read it again", p.what, p.at[0], p.at[1])
}
