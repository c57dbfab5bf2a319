package geodata

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/paulmach/orb"
)

// Info describes one input file for `covplan inspect`: what was detected
// (kind, format, encoding, CRS, columns used), what was repaired, skipped
// and why, and what a reader would refuse. It marshals to JSON (for
// `covplan inspect --json`) with snake_case keys, the bounds as
// [min lon, min lat, max lon, max lat].
type Info struct {
	Name     string    `json:"name"`
	Kind     string    `json:"kind"`               // "points", "zones", "fibre", "mixed", "empty", or "table" (a CSV without coordinates)
	Format   string    `json:"format"`             // "csv", "geojson", "kml", "kmz", "shapefile", "zip" or "gpkg"
	Layer    string    `json:"layer,omitempty"`    // GeoPackage: the feature table read
	Layers   []string  `json:"layers,omitempty"`   // GeoPackage: every feature table of the file
	Encoding string    `json:"encoding,omitempty"` // CSV: "UTF-8" or the detected legacy encoding
	CRS      string    `json:"crs,omitempty"`
	Records  int       `json:"records"` // CSV data rows or features
	Kept     int       `json:"usable"`  // records usable as Kind
	Bound    orb.Bound `json:"-"`
	HasData  bool      `json:"-"` // Bound is meaningful

	Geometries []ReasonCount `json:"geometries,omitempty"` // features by geometry type ("null" for none)
	Columns    []string      `json:"columns,omitempty"`    // header or property names
	Used       []ColumnUse   `json:"using,omitempty"`      // which column was used for what

	SkipCounts []ReasonCount `json:"skipped,omitempty"`
	Skips      []Skip        `json:"skip_examples,omitempty"` // first examples
	Warnings   []ReasonCount `json:"warnings,omitempty"`

	Inactive        int      `json:"inactive,omitempty"`         // points or fibre features whose status says not active / operational
	DuplicateIDs    int      `json:"duplicate_ids,omitempty"`    // ids seen more than once (counted once each)
	DuplicateSample []string `json:"duplicate_sample,omitempty"` // up to 5 of them, sorted
	EmptyGeometries int      `json:"empty_geometries,omitempty"`
	// Diagnostics are the repairs made and problems found, with examples
	// (the layer's Diagnostics).
	Diagnostics []Diagnostic `json:"diagnostics,omitempty"`
	Problems    []string     `json:"problems,omitempty"` // problems that would stop a reader for this Kind
}

// MarshalJSON writes the Info with its bounds as a 4-number array.
func (info Info) MarshalJSON() ([]byte, error) {
	type plain Info
	v := struct {
		plain
		Bounds *[4]float64 `json:"bounds,omitempty"`
	}{plain: plain(info)}
	if info.HasData {
		v.Bounds = &[4]float64{info.Bound.Min[0], info.Bound.Min[1], info.Bound.Max[0], info.Bound.Max[1]}
	}
	return json.Marshal(v)
}

// Inspect reads a file and says what it is and what covplan would take
// from it. It fails only when the file cannot be parsed at all (invalid
// JSON, a CSV without coordinate columns); problems a particular reader
// would refuse (duplicate zone ids, a ring too short) are listed in
// Problems.
func Inspect(r io.Reader, name string) (*Info, error) {
	sizeHint := inputSize(r)
	br := bufio.NewReaderSize(r, readBufSize(sizeHint))
	isJSON, err := sniffJSON(br)
	if err != nil {
		return nil, fileErr(name, ErrSyntax, "reading: %v", err)
	}
	info := &Info{Name: name}
	if !isJSON {
		return info, info.inspectCSV(br, sizeHint)
	}
	data, err := readAll(br, sizeHint)
	if err != nil {
		return nil, fileErr(name, ErrSyntax, "reading: %v", err)
	}
	info.Format = "geojson"
	doc, err := decodeGeoJSON(bytes.NewReader(data), name, int64(len(data)))
	if err != nil {
		return nil, err
	}
	info.Records = len(doc.features)
	info.Kind = info.geometryCensus(doc)
	switch info.Kind {
	case "points":
		pl, err := ReadPoints(bytes.NewReader(data), name, PointOptions{})
		if err != nil {
			info.Problems = append(info.Problems, problem(err))
			break
		}
		info.fromPoints(pl)
	case "zones":
		zl, err := ReadZones(bytes.NewReader(data), name, ZoneOptions{})
		if err != nil {
			info.Problems = append(info.Problems, problem(err))
			info.zonesFallback(doc)
			break
		}
		info.fromZones(zl)
	default: // fibre, mixed
		fl, err := ReadFibre(bytes.NewReader(data), name, FibreOptions{})
		if err != nil {
			info.Problems = append(info.Problems, problem(err))
			break
		}
		info.fromFibre(fl)
	}
	if info.CRS == "" {
		if _, name, err := docCRS(doc, name, ""); err == nil {
			info.CRS = name
		}
	}
	if info.Columns == nil {
		info.Columns = propKeys(doc)
	}
	return info, nil
}

// inspectCSV describes a CSV file: zones (a WKT or GeoJSON polygon
// column), points, or an attribute table. Point files stream: a 10M-row
// premises file is not held in memory; the first bytes are kept in case
// the file turns out to be a table.
func (info *Info) inspectCSV(br *bufio.Reader, sizeHint int64) error {
	info.Format = "csv"
	if head, _ := br.Peek(64 << 10); looksLikeZonesCSV(head) {
		zl, err := ReadZones(br, info.Name, ZoneOptions{})
		if err != nil {
			return err
		}
		info.Kind, info.Records = "zones", zl.Records
		info.fromZones(zl)
		return nil
	}
	rec := &headRecorder{r: br, max: 8 << 20}
	pl, err := readPointsCSV(bufio.NewReaderSize(rec, 64<<10), info.Name, PointOptions{}, sizeHint)
	if errors.Is(err, ErrNoCoordinates) && !rec.truncated {
		// An attribute table (e.g. population by INSEE code): say so.
		rest, rerr := io.ReadAll(br)
		if rerr == nil && info.tableInfo(append(rec.buf, rest...)) == nil {
			info.Problems = append(info.Problems, problem(err))
			return nil
		}
	}
	if err != nil {
		return err
	}
	if err := pl.finish(PointOptions{}); err != nil {
		info.Problems = append(info.Problems, problem(err))
	}
	info.fromPoints(pl)
	return nil
}

// looksLikeZonesCSV reports whether the start of a CSV file has a polygon
// geometry: WKT "POLYGON (" or "MULTIPOLYGON Z (", or a GeoJSON Polygon in
// a cell. XML and JSON documents are not CSV.
func looksLikeZonesCSV(head []byte) bool {
	t := bytes.TrimSpace(bytes.TrimPrefix(head, bom))
	if len(t) == 0 || t[0] == '<' || t[0] == '{' || t[0] == '[' {
		return false
	}
	u := bytes.ToUpper(t)
	for i := 0; ; {
		k := bytes.Index(u[i:], []byte("POLYGON"))
		if k < 0 {
			return false
		}
		i += k + len("POLYGON")
		rest := bytes.TrimLeft(u[i:], " ZM")
		if len(rest) > 0 && (rest[0] == '(' || bytes.HasPrefix(rest, []byte("EMPTY"))) {
			return true
		}
		if bytes.HasPrefix(bytes.TrimLeft(u[i:], `"\ `), []byte(",")) && bytes.Contains(u[max(0, i-len(`"POLYGON"`)-12):i], []byte(`"TYPE"`)) {
			return true // a GeoJSON Polygon in a cell
		}
	}
}

// geometryCensus counts the features by geometry type into info and
// returns the kind of layer they make.
func (info *Info) geometryCensus(doc *rawDoc) string {
	var pts, lines, polys int
	var walk func(g *rawGeom, top bool)
	walk = func(g *rawGeom, top bool) {
		t := g.typ
		if g.isNull || t == "" {
			t = "null"
			info.EmptyGeometries++
		}
		if top {
			info.Geometries = addCount(info.Geometries, t, 1)
		}
		switch t {
		case "Point", "MultiPoint":
			pts++
		case "LineString", "MultiLineString":
			lines++
		case "Polygon", "MultiPolygon":
			polys++
		case "GeometryCollection":
			for i := range g.geoms {
				walk(&g.geoms[i], false)
			}
		}
	}
	for i := range doc.features {
		walk(&doc.features[i].geom, true)
	}
	sortCounts(info.Geometries)
	switch {
	case pts+lines+polys == 0:
		return "empty"
	case lines > 0:
		return "fibre"
	case pts > 0 && polys > 0:
		return "mixed"
	case pts > 0:
		return "points"
	case fibreHint(doc):
		// Polygons with a network status or node code are areas already
		// served by fibre (e.g. NRO zones with ACTIVE), not planning zones.
		return "fibre"
	}
	return "zones"
}

func (info *Info) fromZones(zl *ZoneLayer) {
	info.Diagnostics = zl.Diagnostics
	info.CRS, info.Columns, info.Used, info.Kept = zl.CRS, zl.Columns, zl.Used, zl.Len()
	info.SkipCounts, info.Skips, info.Warnings = zl.SkipCounts, zl.Skips, zl.Warnings
	info.setBound(zl.Bound(), zl.Len() > 0)
	info.dups(zl.IDs)
}

func (info *Info) fromFibre(fl *FibreLayer) {
	info.Diagnostics = fl.Diagnostics
	info.CRS, info.Columns, info.Used, info.Kept = fl.CRS, fl.Columns, fl.Used, fl.Len()
	info.SkipCounts, info.Skips, info.Warnings = fl.SkipCounts, fl.Skips, fl.Warnings
	info.setBound(fl.Bound(), fl.Len() > 0)
	for _, act := range [][]bool{fl.NodeActive, fl.LineActive, fl.AreaActive} {
		for _, a := range act {
			if !a {
				info.Inactive++
			}
		}
	}
	if len(fl.Nodes) > 0 {
		info.dups(fl.NodeIDs)
	}
}

// headRecorder passes reads through and keeps a copy of the first max
// bytes.
type headRecorder struct {
	r         io.Reader
	buf       []byte
	max       int
	truncated bool
}

func (h *headRecorder) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if room := h.max - len(h.buf); room > 0 {
		h.buf = append(h.buf, p[:min(n, room)]...)
		if n > room {
			h.truncated = true
		}
	} else if n > 0 {
		h.truncated = true
	}
	return n, err
}

// tableInfo describes a CSV without coordinates: columns and row count.
func (info *Info) tableInfo(data []byte) error {
	data = bytes.TrimPrefix(data, bom)
	end := lastHeaderEnd(data)
	if end < 0 {
		end = len(data)
	}
	p := &csvParser{name: info.Name, sep: detectSep(data[:end])}
	next, _, err := p.splitRecord(data, 0, 1)
	if err != nil {
		return err
	}
	info.Kind = "table"
	for i := range p.fs {
		info.Columns = append(info.Columns, strings.TrimSpace(string(p.field(data, i))))
	}
	for i, line := next, 2; i < len(data); {
		if data[i] == '\n' || data[i] == '\r' {
			i++
			continue
		}
		n, nl, err := p.splitRecord(data, i, line)
		if err != nil {
			return err
		}
		info.Records++
		i, line = n, line+nl
	}
	return nil
}

// zonesFallback fills what it can when ReadZones refused the file: the
// property names and the duplicate ids (the usual reason).
func (info *Info) zonesFallback(doc *rawDoc) {
	ids := make([]string, 0, len(doc.features))
	for i := range doc.features {
		if p, ok := findProp(doc.features[i].props, zoneIDNames, ""); ok {
			ids = append(ids, p.idString())
		}
	}
	info.dups(ids)
}

// fibreHint reports whether the properties name a fibre status or node.
func fibreHint(doc *rawDoc) bool {
	for _, k := range propKeys(doc) {
		switch normName(k) {
		case "active", "actif", "code_nro", "nro", "code_pm", "fibre", "ftth", "statut_ftth":
			return true
		}
	}
	return false
}

// problem is err's message without the package and file prefix (the file
// is named at the top of the Info).
func problem(err error) string {
	var e *Error
	if errors.As(err, &e) {
		rest := strings.TrimPrefix(e.Error(), "geodata: "+e.File)
		if e.Line > 0 && e.Offset < 0 {
			return "line " + strings.TrimPrefix(rest, ":")
		}
		return strings.TrimPrefix(rest, ": ")
	}
	return err.Error()
}

func (info *Info) fromPoints(pl *PointLayer) {
	info.Kind = "points"
	info.Diagnostics = pl.Diagnostics
	info.CRS, info.Columns, info.Used, info.Encoding = pl.CRS, pl.Columns, pl.Used, pl.Encoding
	info.Records, info.Kept = pl.Records, pl.Len()
	info.SkipCounts, info.Skips, info.Warnings = pl.SkipCounts, pl.Skips, pl.Warnings
	info.setBound(pl.Bound(), pl.Len() > 0)
	for i := range pl.Len() {
		if !pl.ActiveAt(i) {
			info.Inactive++
		}
	}
	ids := make([]string, pl.Len())
	for i := range ids {
		ids[i] = pl.ID(i)
	}
	info.dups(ids)
}

func (info *Info) setBound(b orb.Bound, ok bool) {
	info.Bound, info.HasData = b, ok
}

// dups counts the ids used more than once (see idRepeats) and keeps the
// first five in sorted order.
func (info *Info) dups(ids []string) {
	reps := idRepeats(len(ids), func(i int) string { return ids[i] })
	d := make([]string, len(reps))
	for i, r := range reps {
		d[i] = r.id
	}
	info.DuplicateIDs = len(d)
	slices.Sort(d)
	info.DuplicateSample = d[:min(5, len(d))]
}

// WriteText writes the Info as aligned "key: value" lines, the same bytes
// for the same file.
func (info *Info) WriteText(w io.Writer) error {
	var b strings.Builder
	kv := func(k, format string, args ...any) {
		fmt.Fprintf(&b, "  %-12s %s\n", k+":", fmt.Sprintf(format, args...))
	}
	fmt.Fprintf(&b, "%s\n", info.Name)
	kv("kind", "%s", info.Kind)
	kv("format", "%s", info.Format)
	if info.Layer != "" {
		kv("layer", "%s (layers: %s)", info.Layer, strings.Join(info.Layers, ", "))
	}
	if info.Encoding != "" && info.Encoding != "UTF-8" {
		kv("encoding", "%s", info.Encoding)
	}
	if len(info.Geometries) > 0 {
		parts := make([]string, len(info.Geometries))
		for i, g := range info.Geometries {
			parts[i] = fmt.Sprintf("%s %d", g.Reason, g.Count)
		}
		kv("features", "%d (%s)", info.Records, strings.Join(parts, ", "))
	} else {
		kv("rows", "%d", info.Records)
	}
	kv("usable", "%d", info.Kept)
	if info.CRS != "" {
		kv("crs", "%s", info.CRS)
	}
	if info.HasData {
		kv("bounds", "lon %.6f .. %.6f, lat %.6f .. %.6f", info.Bound.Min[0], info.Bound.Max[0], info.Bound.Min[1], info.Bound.Max[1])
	}
	if len(info.Columns) > 0 {
		kv("columns", "%s", strings.Join(info.Columns, ", "))
	}
	if len(info.Used) > 0 {
		parts := make([]string, len(info.Used))
		for i, u := range info.Used {
			parts[i] = fmt.Sprintf("%s <- %q", u.Field, u.Column)
		}
		kv("using", "%s", strings.Join(parts, ", "))
	}
	if n := total(info.SkipCounts); n > 0 {
		kv("skipped", "%d", n)
		for _, c := range info.SkipCounts {
			fmt.Fprintf(&b, "    %-28s %d\n", c.Reason, c.Count)
		}
		for _, s := range info.Skips[:min(5, len(info.Skips))] {
			fmt.Fprintf(&b, "    e.g. %s\n", s)
		}
	}
	if info.Inactive > 0 {
		kv("inactive", "%d (status says not active or not operational)", info.Inactive)
	}
	for _, c := range info.Warnings {
		kv("warning", "%s: %d", c.Reason, c.Count)
	}
	if info.DuplicateIDs > 0 {
		kv("duplicates", "%d ids used more than once (e.g. %s)", info.DuplicateIDs, strings.Join(info.DuplicateSample, ", "))
	}
	if info.EmptyGeometries > 0 {
		kv("empty geoms", "%d", info.EmptyGeometries)
	}
	for _, d := range info.Diagnostics {
		kv(string(d.Severity), "%s", strings.TrimPrefix(d.String(), d.File+": "))
	}
	for _, p := range info.Problems {
		kv("problem", "%s", p)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
