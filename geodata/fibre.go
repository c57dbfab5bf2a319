package geodata

import (
	"bufio"
	"io"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
)

var (
	fibreIDNames     = []string{"id", "node_id", "code_nro", "code_pm", "code", "nro", "identifiant", "name", "nom"}
	fibreStatusNames = []string{"status", "statut", "active", "actif", "etat", "state", "en_service"}
)

// FibreOptions tunes ReadFibre.
type FibreOptions struct {
	// IDField names the id property or column explicitly.
	IDField string
	// CRS forces the coordinates' CRS, as in PointOptions.
	CRS string
	// SizeHint is the input's size in bytes when r cannot tell it (r is
	// not an *os.File or a bytes/strings.Reader, e.g. a progress or
	// hashing wrapper); 0 means unknown. It only sizes buffers up front.
	SizeHint int64
	// Limits bound what the file may make the reader hold and echo; the
	// zero value is the defaults.
	Limits Limits
	// Strict makes every finding an error (a repair, a skipped feature, a
	// status not stated...).
	Strict bool
}

// FibreLayer is an existing fibre network in WGS84 lon/lat: nodes (points),
// lines (routes, ducts) and served areas (polygons). Each part has aligned
// id and active slices.
//
// Active comes from a status-like property (status, statut, ACTIVE, etat):
// yes/oui/OUI/active/en service are active, no/non/planned/en étude are
// not. A missing or empty status means "not stated" and is taken as active,
// because a file of network assets normally lists what exists: the
// Auvergne THD NRO zones, for instance, write ACTIVE "oui", "OUI" or leave
// it out. Such features are counted in Warnings.
type FibreLayer struct {
	Name   string
	Format string // "geojson" or "csv"
	CRS    string

	NodeIDs    []string
	Nodes      []orb.Point
	NodeActive []bool

	LineIDs    []string
	Lines      []orb.LineString
	LineActive []bool

	AreaIDs    []string
	Areas      []orb.Geometry // orb.Polygon or orb.MultiPolygon
	AreaActive []bool

	Columns    []string
	Used       []ColumnUse
	Records    int
	Skips      []Skip
	SkipCounts []ReasonCount
	Warnings   []ReasonCount
	// Diagnostics are the repairs made to served areas' rings, with
	// examples.
	Diagnostics []Diagnostic
}

// AllDiagnostics is the layer's Diagnostics followed by its skip and
// warning counts as diagnostics.
func (f *FibreLayer) AllDiagnostics() []Diagnostic {
	return append(slices.Clone(f.Diagnostics), countDiagnostics(f.Name, f.SkipCounts, f.Skips, f.Warnings)...)
}

// Len is the number of nodes, lines and areas together.
func (f *FibreLayer) Len() int { return len(f.Nodes) + len(f.Lines) + len(f.Areas) }

// Skipped is the number of records skipped.
func (f *FibreLayer) Skipped() int { return total(f.SkipCounts) }

// Bound is the lon/lat bounding box of everything in the layer.
func (f *FibreLayer) Bound() orb.Bound {
	b := boundOf(f.Nodes)
	first := len(f.Nodes) == 0
	add := func(g orb.Bound) {
		if first {
			b, first = g, false
		} else {
			b = b.Union(g)
		}
	}
	for _, l := range f.Lines {
		add(l.Bound())
	}
	for _, a := range f.Areas {
		add(a.Bound())
	}
	return b
}

// ReadFibre reads a fibre network: GeoJSON with any mix of Point /
// MultiPoint (nodes), LineString / MultiLineString (lines) and Polygon /
// MultiPolygon (served areas), or a CSV of node points (read as ReadPoints
// does, status column included). Served areas are validated as zones are
// (see ReadZones; overlaps between them are not reported). A file without
// any usable feature is an error (ErrEmpty).
func ReadFibre(r io.Reader, name string, opt FibreOptions) (*FibreLayer, error) {
	sizeHint := inputSize(r)
	if sizeHint == 0 {
		sizeHint = opt.SizeHint
	}
	br := bufio.NewReaderSize(r, readBufSize(sizeHint))
	isJSON, err := sniffJSON(br)
	if err != nil {
		return nil, fileErr(name, ErrSyntax, "reading: %v", err)
	}
	var fl *FibreLayer
	if isJSON {
		fl, err = readFibreGeoJSON(br, name, opt, sizeHint)
	} else {
		fl, err = readFibreCSV(br, name, opt, sizeHint)
	}
	if err != nil {
		return nil, err
	}
	switch {
	case fl.Records == 0:
		return nil, fileErr(name, ErrEmpty, "no records: the file has no features or rows")
	case fl.Len() == 0:
		return nil, fileErr(name, ErrEmpty, "no usable records: all %d were skipped (%s)", fl.Records, reasons(fl.SkipCounts))
	}
	if opt.Strict {
		if err := StrictError(fl.AllDiagnostics()); err != nil {
			return nil, err
		}
	}
	return fl, nil
}

// readFibreCSV reads a CSV of nodes.
func readFibreCSV(br *bufio.Reader, name string, opt FibreOptions, sizeHint int64) (*FibreLayer, error) {
	pl, err := readPointsCSV(br, name, PointOptions{IDField: opt.IDField, CRS: opt.CRS, Limits: opt.Limits}, sizeHint)
	if err != nil {
		return nil, err
	}
	f := &FibreLayer{Name: name, Format: "csv", CRS: pl.CRS, Nodes: pl.Pts, Columns: pl.Columns, Used: pl.Used,
		Records: pl.Records, Skips: pl.Skips, SkipCounts: pl.SkipCounts, Warnings: pl.Warnings}
	f.NodeIDs = make([]string, pl.Len())
	f.NodeActive = make([]bool, pl.Len())
	for i := range f.NodeIDs {
		f.NodeIDs[i] = pl.ID(i)
		f.NodeActive[i] = pl.ActiveAt(i)
	}
	if pl.Active == nil && pl.Len() > 0 {
		f.Warnings = sortCounts(addCount(slices.Clone(f.Warnings), "status not stated (treated as active)", pl.Len()))
	}
	return f, nil
}

// readFibreGeoJSON reads nodes, lines and served areas from GeoJSON.
func readFibreGeoJSON(br *bufio.Reader, name string, opt FibreOptions, sizeHint int64) (*FibreLayer, error) {
	doc, crs, crsName, err := decodeGeoJSONCRS(br, name, sizeHint, opt.CRS)
	if err != nil {
		return nil, err
	}
	fl := &FibreLayer{Name: name, Format: "geojson", CRS: crsName, Columns: propKeys(doc), Records: len(doc.features)}
	t := tally{max: DefaultMaxSkipExamples}
	d := newDiags(name)
	used := columnUses{}
	for i := range doc.features {
		f := &doc.features[i]
		id, key := f.ownID(fibreIDNames, opt.IDField)
		switch {
		case id == "":
			id = strconv.Itoa(i + 1)
		case key != "(feature id)":
			used.note(&fl.Used, "id", key)
		}
		active := true
		if p, ok := findProp(f.props, fibreStatusNames, ""); ok {
			used.note(&fl.Used, "status", p.key)
			var known bool
			if active, known = parseStatus([]byte(p.text)); !known {
				t.warn("unknown status (treated as active)")
			}
			if p.text == "" {
				t.warn("status not stated (treated as active)")
			}
		} else {
			t.warn("status not stated (treated as active)")
		}
		fd := d.forFeature(i, id, 0)
		if err := fl.addGeom(&f.geom, id, active, crs, i, &t, fd); err != nil {
			return nil, err
		}
	}
	fl.Skips, fl.SkipCounts, fl.Warnings = t.results()
	fl.Diagnostics = d.list
	return fl, nil
}

func (fl *FibreLayer) addGeom(g *rawGeom, id string, active bool, crs crsMode, i int, t *tally, fd *featureDiags) error {
	suffix := func(k, n int) string {
		if n <= 1 {
			return id
		}
		return id + "/" + strconv.Itoa(k+1)
	}
	switch {
	case g.isNull || (g.typ == "" && !g.hasC && len(g.geoms) == 0):
		t.skip(Skip{Feature: i, Reason: "empty geometry"})
	case g.typ == "Point" && g.c.d == 1:
		p, reason := fixPoint(g.c.pt, crs)
		if reason != "" {
			t.skip(Skip{Feature: i, Reason: reason})
			return nil
		}
		fl.NodeIDs, fl.Nodes, fl.NodeActive = append(fl.NodeIDs, id), append(fl.Nodes, p), append(fl.NodeActive, active)
	case g.typ == "MultiPoint" && (g.c.d == 2 || g.c.d == 0):
		if len(g.c.l2) == 0 {
			t.skip(Skip{Feature: i, Reason: "empty geometry"})
		}
		for k, p := range g.c.l2 {
			p, reason := fixPoint(p, crs)
			if reason != "" {
				t.skip(Skip{Feature: i, Reason: reason})
				continue
			}
			fl.NodeIDs, fl.Nodes, fl.NodeActive = append(fl.NodeIDs, suffix(k, len(g.c.l2))), append(fl.Nodes, p), append(fl.NodeActive, active)
		}
	case g.typ == "LineString" && (g.c.d == 2 || g.c.d == 0):
		return fl.addLine(g.c.l2, id, active, crs, i, t)
	case g.typ == "MultiLineString" && (g.c.d == 3 || g.c.d == 0):
		if len(g.c.l3) == 0 {
			t.skip(Skip{Feature: i, Reason: "empty geometry"})
		}
		for k, l := range g.c.l3 {
			if err := fl.addLine(l, suffix(k, len(g.c.l3)), active, crs, i, t); err != nil {
				return err
			}
		}
	case g.typ == "Polygon" || g.typ == "MultiPolygon":
		poly, err := polygonal(g, crs, fl.Name, i, fd)
		if err != nil {
			return err
		}
		if _, err := checkGeom(poly, nil, fl.Name, i, id, fd.d); err != nil {
			return err
		}
		fl.AreaIDs, fl.Areas, fl.AreaActive = append(fl.AreaIDs, id), append(fl.Areas, poly), append(fl.AreaActive, active)
	case g.typ == "GeometryCollection":
		for k := range g.geoms {
			if err := fl.addGeom(&g.geoms[k], suffix(k, len(g.geoms)), active, crs, i, t, fd); err != nil {
				return err
			}
		}
	case g.typ == "Point" || g.typ == "MultiPoint" || g.typ == "LineString" || g.typ == "MultiLineString":
		return featErr(fl.Name, i, "geometry", ErrGeometry, "%s coordinates are not nested as a %[1]s", echoType(g.typ))
	default:
		return featErr(fl.Name, i, "geometry", ErrGeometry, "unknown geometry type %s", echo(g.typ, 0))
	}
	return nil
}

func (fl *FibreLayer) addLine(pts []orb.Point, id string, active bool, crs crsMode, i int, t *tally) error {
	if len(pts) < 2 {
		return featErr(fl.Name, i, "geometry", ErrGeometry, "a LineString needs at least 2 positions, found %d", len(pts))
	}
	ls := make(orb.LineString, len(pts))
	for j, p := range pts {
		q, reason := fixPoint(p, crs)
		if reason != "" {
			t.skip(Skip{Feature: i, Reason: reason, Detail: "position " + strconv.Itoa(j)})
			return nil
		}
		ls[j] = q
	}
	fl.LineIDs, fl.Lines, fl.LineActive = append(fl.LineIDs, id), append(fl.Lines, ls), append(fl.LineActive, active)
	return nil
}
