package geodata

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/vfs/readervfs"
	"github.com/paulmach/orb"
)

// GeoPackageOptions tunes ReadGeoPackage. The zero value reads the first
// feature layer.
type GeoPackageOptions struct {
	// Layer names the feature table to read (gpkg_contents.table_name,
	// case-insensitively). "" reads the first feature table listed in
	// gpkg_contents, with a warning when there are several.
	Layer string
}

// SQLite application ids of GeoPackage files: "GPKG" (1.2 and later),
// "GP10" and "GP11" (1.0 and 1.1).
const (
	gpkgAppID   = 0x47504B47
	gpkgAppID10 = 0x47503130
	gpkgAppID11 = 0x47503131
)

var sqliteMagic = []byte("SQLite format 3\x00")

// gpkgSeq names the databases registered with the reader VFS, which is
// process-wide.
var gpkgSeq atomic.Uint64

// sizedReaderAt gives an io.ReaderAt the Size the reader VFS asks for.
type sizedReaderAt struct {
	io.ReaderAt
	n int64
}

func (s sizedReaderAt) Size() (int64, error) { return s.n, nil }

// ReadGeoPackage reads one feature layer of a GeoPackage (OGC 12-128r18,
// version 1.0 to 1.4): the first feature table listed in gpkg_contents,
// or opt.Layer. size is the file's size in bytes; name is used in errors.
//
// The file is read in place through r by SQLite (a pure-Go build of it):
// nothing is copied to a temporary file and r must not change while
// ReadGeoPackage runs. r is not used after it returns. Safe for concurrent
// use. The file's own SQL runs untrusted (no functions with side effects
// in its views) and bounded: a layer may yield no more rows than a file of
// size bytes can store (size/4), and SQLite may spend no more work than
// about twice what reading such a table takes; a view that asks for more
// is an error.
//
// The geometry column's srs_id is looked up in gpkg_spatial_ref_sys:
// EPSG:4326 (and 4171, 4258, OGC CRS84) lon/lat, EPSG:2154 Lambert-93 and
// the UTM zones EPSG:326xx, 327xx and 258xx are read; any other SRS is an
// error naming the srs_id and its definition. Geometry blobs are parsed
// here (GeoPackage header, then ISO WKB in either byte order): Point,
// LineString, Polygon and their Multi forms, Z and M values dropped
// (counted in Warnings). Curves, GeometryCollections and extended
// geometry types are errors. Attribute columns keep their SQL types.
//
// Errors are *Error values naming the file and, for a feature, its
// 0-based position, the column, the layer and the fid. A file that is not
// SQLite, an SQLite file that is not a GeoPackage, an unknown layer (the
// message lists the file's feature layers) and a layer with no
// gpkg_geometry_columns row are errors.
func ReadGeoPackage(r io.ReaderAt, size int64, name string, opt GeoPackageOptions) (l *GeoPackageLayer, err error) {
	defer func() {
		// SQLite is memory-safe here, but a trap in its translated code
		// surfaces as a panic: report it as the file's error.
		if p := recover(); p != nil {
			l, err = nil, fileErr(name, ErrSyntax, "SQLite failed reading the file: %v", p)
		}
	}()
	var head [100]byte
	if size < int64(len(head)) {
		return nil, fileErr(name, ErrSyntax, "not a GeoPackage: %d bytes, less than an SQLite header", size)
	}
	if _, err := r.ReadAt(head[:], 0); err != nil {
		return nil, fileErr(name, ErrSyntax, "reading: %v", err)
	}
	if string(head[:16]) != string(sqliteMagic) {
		return nil, fileErr(name, ErrSyntax, "not a GeoPackage: not an SQLite database (starts with %q)", clip(string(head[:16])))
	}
	var warnings []ReasonCount
	switch app := binary.BigEndian.Uint32(head[68:72]); app {
	case gpkgAppID, gpkgAppID10, gpkgAppID11:
	case 0:
		warnings = addCount(warnings, "SQLite application_id not set to GPKG (read as a GeoPackage)", 1)
	default:
		return nil, fileErr(name, ErrSyntax, "not a GeoPackage: SQLite application_id is 0x%08x %q, not \"GPKG\"", app, clip(string(head[68:72])))
	}

	db := "covplan-gpkg-" + strconv.FormatUint(gpkgSeq.Add(1), 10)
	readervfs.Create(db, sizedReaderAt{r, size})
	defer readervfs.Delete(db)
	c, err := sqlite3.OpenFlags("file:"+db+"?vfs=reader", sqlite3.OPEN_READONLY|sqlite3.OPEN_URI)
	if err != nil {
		return nil, fileErr(name, ErrSyntax, "opening: %v", err)
	}
	defer c.Close()
	// No side effects from the file's own SQL (views, triggers).
	if _, err := c.Config(sqlite3.DBCONFIG_TRUSTED_SCHEMA, false); err != nil {
		return nil, fileErr(name, ErrSyntax, "opening: %v", err)
	}
	// A file's own SQL (a view as the layer) could ask for unbounded work
	// or rows: both are bounded by the file's size.
	budget := &sqlBudget{Context: context.Background(), left: gpkgWorkBase + size/gpkgBytesPerWork}
	c.SetInterrupt(budget)
	q := &gpkgQuery{c: c, name: name, size: size, budget: budget, maxRows: size/gpkgBytesPerRow + 16}

	l = &GeoPackageLayer{Name: name, Warnings: warnings}
	if err := q.pickLayer(l, opt.Layer); err != nil {
		return nil, err
	}
	if err := q.geometryColumn(l); err != nil {
		return nil, err
	}
	if err := q.columns(l); err != nil {
		return nil, err
	}
	if err := q.features(l); err != nil {
		return nil, err
	}
	l.Warnings = sortCounts(l.Warnings)
	return l, nil
}

// gpkgQuery runs the reader's queries on one open file.
type gpkgQuery struct {
	c       *sqlite3.Conn
	name    string
	size    int64
	budget  *sqlBudget
	maxRows int64
}

// Bounds on what reading a file may cost. A stored row takes at least 4
// bytes of the file (cell pointer, header, rowid), so a table cannot hold
// more than size/4 rows; only a view can yield more. SQLite checks the
// budget at every statement step and every 1000 virtual-machine
// instructions: reading a table spends about one unit per row (35,000
// zones in a 36 MB file: 35,370 units), so 20,000 + size/2 units leave any
// table at least twice what it needs, while a view that computes without
// end is stopped within a second or so plus about 10 s per MB of file. The count, unlike a clock, gives the same result on every
// machine.
const (
	gpkgBytesPerRow  = 4
	gpkgWorkBase     = 20_000
	gpkgBytesPerWork = 2
)

// sqlBudget is the connection's interrupt context: its Err fails once the
// budget of SQLite progress checks is spent.
type sqlBudget struct {
	context.Context
	left int64
}

var errSQLBudget = errors.New("work budget spent")

func (b *sqlBudget) Err() error {
	if b.left--; b.left < 0 {
		return errSQLBudget
	}
	return nil
}

// spent says whether err came from the budget running out.
func (b *sqlBudget) spent() bool { return b.left < 0 }

// rows runs sql with text arguments and calls row for each result row.
func (q *gpkgQuery) rows(sql string, args []string, row func(s *sqlite3.Stmt) error) error {
	s, _, err := q.c.Prepare(sql)
	if err != nil {
		return err
	}
	defer s.Close()
	for i, a := range args {
		if err := s.BindText(i+1, a); err != nil {
			return err
		}
	}
	for s.Step() {
		if err := row(s); err != nil {
			return err
		}
	}
	return s.Err()
}

// pickLayer lists the feature tables and chooses the one to read.
func (q *gpkgQuery) pickLayer(l *GeoPackageLayer, want string) error {
	var others []string
	err := q.rows(`SELECT table_name, data_type FROM gpkg_contents ORDER BY rowid`, nil, func(s *sqlite3.Stmt) error {
		t, kind := s.ColumnText(0), s.ColumnText(1)
		if strings.EqualFold(kind, "features") {
			l.Layers = append(l.Layers, t)
		} else {
			others = append(others, kind+" "+strconv.Quote(t))
		}
		return nil
	})
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return fileErr(q.name, ErrSyntax, "not a GeoPackage: no gpkg_contents table")
		}
		return fileErr(q.name, ErrSyntax, "gpkg_contents: %v", err)
	}
	if len(l.Layers) == 0 {
		if len(others) > 0 {
			return fileErr(q.name, ErrEmpty, "the GeoPackage has no feature layer (gpkg_contents lists %s)", strings.Join(others, ", "))
		}
		return fileErr(q.name, ErrEmpty, "the GeoPackage has no feature layer (gpkg_contents is empty)")
	}
	if want == "" {
		l.Layer = l.Layers[0]
		if len(l.Layers) > 1 {
			l.Warnings = addCount(l.Warnings, fmt.Sprintf("%d feature layers in the file, the first (%s) read; the others: %s", len(l.Layers), l.Layer, echoList(l.Layers[1:], 0)), 1)
		}
		return nil
	}
	for _, t := range l.Layers {
		if strings.EqualFold(t, want) {
			l.Layer = t
			return nil
		}
	}
	return fileErr(q.name, ErrEmpty, "no feature layer %q in the GeoPackage; its feature layers: %s", want, echoList(l.Layers, 0))
}

// geometryColumn reads the layer's gpkg_geometry_columns row and resolves
// its SRS.
func (q *gpkgQuery) geometryColumn(l *GeoPackageLayer) error {
	found := false
	err := q.rows(`SELECT column_name, geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?1 COLLATE NOCASE`, []string{l.Layer}, func(s *sqlite3.Stmt) error {
		if !found {
			l.GeometryColumn, l.GeometryType, l.SRSID = s.ColumnText(0), strings.ToUpper(s.ColumnText(1)), s.ColumnInt64(2)
			found = true
		}
		return nil
	})
	if err != nil {
		return fileErr(q.name, ErrSyntax, "gpkg_geometry_columns: %v", err)
	}
	if !found {
		return fileErr(q.name, ErrSyntax, "layer %q has no row in gpkg_geometry_columns", l.Layer)
	}
	var srsName, org, def string
	var orgID int64
	srsFound := false
	err = q.rows(`SELECT srs_name, organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?1`, []string{strconv.FormatInt(l.SRSID, 10)}, func(s *sqlite3.Stmt) error {
		srsName, org, orgID, def = s.ColumnText(0), s.ColumnText(1), s.ColumnInt64(2), s.ColumnText(3)
		srsFound = true
		return nil
	})
	if err != nil {
		return fileErr(q.name, ErrSyntax, "gpkg_spatial_ref_sys: %v", err)
	}
	if !srsFound && l.SRSID != 0 && l.SRSID != -1 {
		return fileErr(q.name, ErrSyntax, "layer %q: srs_id %d is not in gpkg_spatial_ref_sys", l.Layer, l.SRSID)
	}
	l.SRS = fmt.Sprintf("srs_id %d", l.SRSID)
	if srsFound {
		l.SRS = fmt.Sprintf("%s (%s:%d)", srsName, org, orgID)
	}
	srs, err := resolveSRS(l.SRSID, org, orgID, srsName, def)
	if err != nil {
		return fileErr(q.name, ErrSyntax, "layer %q: %v", l.Layer, err)
	}
	l.crs, l.utm, l.CRS = srs.crs, srs.utm, srs.label
	if srs.warn != "" {
		l.Warnings = addCount(l.Warnings, srs.warn, 1)
	}
	return nil
}

// columns reads the table's columns: its INTEGER PRIMARY KEY, and the
// attribute columns with their types.
func (q *gpkgQuery) columns(l *GeoPackageLayer) error {
	npk := 0
	pk := ""
	hasGeom := false
	err := q.rows(`SELECT name, type, pk FROM pragma_table_info(?1)`, []string{l.Layer}, func(s *sqlite3.Stmt) error {
		col, decl, isPK := s.ColumnText(0), s.ColumnText(1), s.ColumnInt64(2) > 0
		if isPK {
			npk++
			if strings.EqualFold(decl, "INTEGER") {
				pk = col
			}
		}
		if strings.EqualFold(col, l.GeometryColumn) {
			hasGeom = true
			return nil
		}
		if isPK && strings.EqualFold(decl, "INTEGER") {
			return nil
		}
		l.Columns = append(l.Columns, GeoPackageColumn{Name: col, Type: declType(decl), Decl: decl})
		return nil
	})
	if err != nil {
		return fileErr(q.name, ErrSyntax, "layer %q: %v", l.Layer, err)
	}
	if npk == 1 {
		l.FIDColumn = pk
	}
	if npk == 0 && len(l.Columns) == 0 && !hasGeom {
		return fileErr(q.name, ErrSyntax, "layer %q: no such table or view", l.Layer)
	}
	if !hasGeom {
		return fileErr(q.name, ErrSyntax, "layer %q: its geometry column %q (gpkg_geometry_columns) is not in the table", l.Layer, l.GeometryColumn)
	}
	return nil
}

// declType maps a declared column type to a value type, by GeoPackage's
// data types (BOOLEAN, TINYINT... INTEGER, FLOAT, DOUBLE, REAL, TEXT,
// BLOB, DATE, DATETIME) and then SQLite's affinity rules.
func declType(decl string) GeoPackageType {
	u := strings.ToUpper(strings.TrimSpace(decl))
	switch {
	case u == "BOOLEAN":
		return GeoPackageBoolean
	case strings.Contains(u, "INT"):
		return GeoPackageInteger
	case strings.Contains(u, "CHAR"), strings.Contains(u, "CLOB"), strings.Contains(u, "TEXT"), strings.HasPrefix(u, "DATE"):
		return GeoPackageText
	case strings.Contains(u, "REAL"), strings.Contains(u, "FLOA"), strings.Contains(u, "DOUB"), strings.Contains(u, "NUM"), strings.Contains(u, "DEC"):
		return GeoPackageReal
	}
	return GeoPackageBlob
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// features reads every row in fid order.
func (q *gpkgQuery) features(l *GeoPackageLayer) error {
	fid := "rowid"
	if l.FIDColumn != "" {
		fid = quoteIdent(l.FIDColumn)
	}
	var sel strings.Builder
	sel.WriteString("SELECT " + fid + ", " + quoteIdent(l.GeometryColumn))
	for _, c := range l.Columns {
		sel.WriteString(", " + quoteIdent(c.Name))
	}
	sel.WriteString(" FROM " + quoteIdent(l.Layer) + " ORDER BY " + fid)
	s, _, err := q.c.Prepare(sel.String())
	if err != nil && l.FIDColumn == "" {
		// A view has no rowid: number its rows instead.
		sql := strings.Replace(sel.String(), "SELECT rowid,", "SELECT NULL,", 1)
		sql = strings.TrimSuffix(sql, " ORDER BY rowid")
		s, _, err = q.c.Prepare(sql)
	}
	if err != nil {
		return fileErr(q.name, ErrSyntax, "layer %q: %v", l.Layer, err)
	}
	defer s.Close()
	for i := 0; s.Step(); i++ {
		if int64(i) >= q.maxRows {
			return fileErr(q.name, ErrSyntax, "layer %q yields more than %d rows, more than a %d-byte file can hold (a view generating rows?)", l.Layer, q.maxRows, q.size)
		}
		id := int64(i + 1)
		if s.ColumnType(0) == sqlite3.INTEGER {
			id = s.ColumnInt64(0)
		}
		var g orb.Geometry
		switch s.ColumnType(1) {
		case sqlite3.NULL:
		case sqlite3.BLOB:
			b, err := parseGPBlob(s.ColumnRawBlob(1))
			if err != nil {
				return featErr(q.name, i, l.GeometryColumn, ErrGeometry, "%v (layer %q, fid %d)", err, l.Layer, id)
			}
			g = b.geom
			l.noteBlob(b)
		default:
			return featErr(q.name, i, l.GeometryColumn, ErrGeometry, "a %s value, not a geometry blob (layer %q, fid %d)", datatypeName(s.ColumnType(1)), l.Layer, id)
		}
		vals := make([]GeoPackageValue, len(l.Columns))
		for k, c := range l.Columns {
			vals[k] = columnValue(s, k+2, c.Type)
		}
		l.FIDs = append(l.FIDs, id)
		l.Geoms = append(l.Geoms, g)
		l.Values = append(l.Values, vals)
	}
	if err := s.Err(); err != nil {
		if q.budget.spent() {
			return fileErr(q.name, ErrSyntax, "layer %q asks SQLite for more work than a file of its size needs (a view computing rows?); stopped after fid %d", l.Layer, lastFID(l))
		}
		return fileErr(q.name, ErrSyntax, "layer %q, after fid %d: %v", l.Layer, lastFID(l), err)
	}
	return nil
}

func lastFID(l *GeoPackageLayer) int64 {
	if len(l.FIDs) == 0 {
		return 0
	}
	return l.FIDs[len(l.FIDs)-1]
}

// noteBlob counts what reading a blob dropped or found odd.
func (l *GeoPackageLayer) noteBlob(b gpBlob) {
	if b.zm != "" {
		l.Warnings = addCount(l.Warnings, b.zm+" values dropped", 1)
	}
	if b.emptyParts > 0 {
		l.Warnings = addCount(l.Warnings, "empty parts of multi-geometries dropped", b.emptyParts)
	}
	if b.trailing > 0 {
		l.Warnings = addCount(l.Warnings, "bytes after the WKB geometry (ignored)", 1)
	}
	if int64(b.srsID) != l.SRSID {
		l.Warnings = addCount(l.Warnings, fmt.Sprintf("geometry srs_id %d differs from the column's %d (the column's used)", b.srsID, l.SRSID), 1)
	}
}

// columnValue reads result column i by its storage class; an INTEGER in a
// BOOLEAN column is a boolean.
func columnValue(s *sqlite3.Stmt, i int, t GeoPackageType) GeoPackageValue {
	switch s.ColumnType(i) {
	case sqlite3.INTEGER:
		v := GeoPackageInt(s.ColumnInt64(i))
		if t == GeoPackageBoolean {
			v.Type = GeoPackageBoolean
		}
		return v
	case sqlite3.FLOAT:
		return GeoPackageFloat(s.ColumnFloat(i))
	case sqlite3.TEXT:
		return GeoPackageString(s.ColumnText(i))
	case sqlite3.BLOB:
		return GeoPackageValue{Type: GeoPackageBlob, Text: string(s.ColumnRawBlob(i))}
	}
	return GeoPackageValue{}
}

func datatypeName(t sqlite3.Datatype) string {
	switch t {
	case sqlite3.INTEGER:
		return "INTEGER"
	case sqlite3.FLOAT:
		return "REAL"
	case sqlite3.TEXT:
		return "TEXT"
	case sqlite3.BLOB:
		return "BLOB"
	}
	return "NULL"
}
