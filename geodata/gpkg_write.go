package geodata

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/util/vfsutil"
	"github.com/ncruces/go-sqlite3/vfs"
	"github.com/paulmach/orb"
)

// GeoPackageWriteLayer is one feature table to write in WGS84 lon/lat
// (EPSG:4326): a name, typed attribute columns, and features each with a
// geometry and one value per column.
type GeoPackageWriteLayer struct {
	// Table is the feature table's name (also gpkg_contents.identifier
	// unless Identifier is set); "" means "features". It must not start
	// with gpkg_, rtree_ or sqlite_.
	Table       string
	Identifier  string
	Description string
	// GeometryType is the geometry column's type: POINT, LINESTRING,
	// POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON or GEOMETRY (any).
	// "" infers it from Features: the type they all share, the Multi type
	// when single and multi geometries of one kind are mixed, GEOMETRY
	// otherwise. Under a MULTI* type, single geometries of its kind are
	// written as a Multi of one; any other mismatch is an error.
	GeometryType string
	// Columns are the attribute columns, in order, after fid and geom.
	// Names must be unique (case-insensitively), and neither "fid" nor
	// "geom"; types INTEGER, REAL, TEXT, BOOLEAN or BLOB.
	Columns []GeoPackageColumn
	// LastChange is gpkg_contents.last_change. The zero time writes
	// 1970-01-01T00:00:00.000Z, so that the same input gives the same
	// bytes: the file holds no clock reading unless the caller passes one.
	LastChange time.Time
	// Features are written first, fids 1, 2, ... in order; Add on a
	// GeoPackageWriter appends more.
	Features []GeoPackageFeature
}

// GeoPackageFeature is one feature to write. Geom is in lon/lat degrees
// (nil writes a NULL geometry); Values are aligned with the layer's
// Columns (a NULL value is the zero GeoPackageValue).
type GeoPackageFeature struct {
	Geom   orb.Geometry
	Values []GeoPackageValue
}

// WriteGeoPackage writes l as a GeoPackage 1.3 file to w: see
// NewGeoPackageWriter for what the file holds. The same l gives the same
// bytes. The whole file is built in memory (in one slice, up to about
// twice the file's size while it grows) before the first byte is
// written, so a failed call writes nothing.
func WriteGeoPackage(w io.Writer, l *GeoPackageWriteLayer) error {
	gw, err := NewGeoPackageWriter(l)
	if err != nil {
		return err
	}
	defer gw.Close()
	_, err = gw.WriteTo(w)
	return err
}

// GeoPackageWriter builds a one-layer GeoPackage 1.3 file in memory. It is
// not safe for concurrent use.
type GeoPackageWriter struct {
	c      *sqlite3.Conn
	name   string             // the file's name in gpkgOutFiles
	file   *vfsutil.SliceFile // the file SQLite writes
	ins    *sqlite3.Stmt
	layer  GeoPackageWriteLayer
	multi  string // "MULTIPOLYGON"... when singles are promoted
	n      int
	bound  orb.Bound
	hasB   bool
	blob   []byte
	err    error
	closed bool
}

// gpkgEpoch is last_change when the caller gives none.
const gpkgEpoch = "1970-01-01T00:00:00.000Z"

// wgs84WKT is the EPSG definition of WGS 84 as GeoPackage writers store
// it in gpkg_spatial_ref_sys.
const wgs84WKT = `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]`

// The GeoPackage core tables, as OGC 12-128r18 Annex C defines them.
const gpkgSchema = `
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined Cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined Cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326, '` + wgs84WKT + `', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
`

// gpkgGeomTypes are the geometry column types the writer declares.
var gpkgGeomTypes = []string{"GEOMETRY", "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON"}

// NewGeoPackageWriter starts a GeoPackage 1.3 file (SQLite application_id
// "GPKG", user_version 10300, page size 4096, rollback journal, no WAL)
// holding one feature table: the required gpkg_spatial_ref_sys rows (-1,
// 0 and 4326), gpkg_contents (data_type features, srs_id 4326, bounds of
// every geometry written, last_change from l.LastChange),
// gpkg_geometry_columns (column geom, no Z, no M) and the table itself:
// fid INTEGER PRIMARY KEY AUTOINCREMENT, geom (blobs in little-endian with
// an [minx maxx miny maxy] envelope, none for points), then l.Columns as
// INTEGER, REAL, TEXT, BOOLEAN or BLOB columns, NULL where a value is
// NULL. No spatial index is written. l.Features are added first. Close
// releases the file if WriteTo is never called.
func NewGeoPackageWriter(l *GeoPackageWriteLayer) (*GeoPackageWriter, error) {
	w := &GeoPackageWriter{layer: *l}
	lay := &w.layer
	if lay.Table == "" {
		lay.Table = "features"
	}
	if lay.Identifier == "" {
		lay.Identifier = lay.Table
	}
	if err := checkGPKGNames(lay); err != nil {
		return nil, err
	}
	if lay.GeometryType == "" {
		lay.GeometryType = inferGeomType(lay.Features)
	}
	lay.GeometryType = strings.ToUpper(lay.GeometryType)
	known := false
	for _, t := range gpkgGeomTypes {
		known = known || t == lay.GeometryType
	}
	if !known {
		return nil, fmt.Errorf("geodata: GeoPackage layer %q: geometry type %q is not one of %s", lay.Table, lay.GeometryType, strings.Join(gpkgGeomTypes, ", "))
	}
	if strings.HasPrefix(lay.GeometryType, "MULTI") {
		w.multi = lay.GeometryType
	}
	w.name = "covplan-gpkg-out-" + strconv.FormatUint(gpkgSeq.Add(1), 10)
	w.file = &vfsutil.SliceFile{}
	gpkgOutFiles.Store(w.name, w.file)
	c, err := sqlite3.OpenFlags("file:"+w.name+"?vfs="+gpkgOutVFSName, sqlite3.OPEN_READWRITE|sqlite3.OPEN_CREATE|sqlite3.OPEN_URI)
	if err != nil {
		gpkgOutFiles.Delete(w.name)
		return nil, fmt.Errorf("geodata: GeoPackage: %w", err)
	}
	w.c = c
	if err := w.start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("geodata: GeoPackage layer %q: %w", lay.Table, err)
	}
	for i := range lay.Features {
		if err := w.Add(lay.Features[i].Geom, lay.Features[i].Values); err != nil {
			w.Close()
			return nil, err
		}
	}
	lay.Features = nil
	return w, nil
}

// checkGPKGNames validates the table and column names.
func checkGPKGNames(l *GeoPackageWriteLayer) error {
	lt := strings.ToLower(l.Table)
	for _, p := range []string{"gpkg_", "rtree_", "sqlite_"} {
		if strings.HasPrefix(lt, p) {
			return fmt.Errorf("geodata: GeoPackage table name %q: the %s prefix is reserved", l.Table, p)
		}
	}
	seen := map[string]bool{"fid": true, "geom": true}
	for i, c := range l.Columns {
		n := strings.ToLower(c.Name)
		switch {
		case c.Name == "":
			return fmt.Errorf("geodata: GeoPackage layer %q: column %d has no name", l.Table, i)
		case seen[n]:
			return fmt.Errorf("geodata: GeoPackage layer %q: column %q is a duplicate (or fid or geom)", l.Table, c.Name)
		case c.Type < GeoPackageInteger || c.Type > GeoPackageBlob:
			return fmt.Errorf("geodata: GeoPackage layer %q: column %q has no type", l.Table, c.Name)
		}
		seen[n] = true
	}
	return nil
}

// inferGeomType is the geometry column type for features.
func inferGeomType(fs []GeoPackageFeature) string {
	t := ""
	for _, f := range fs {
		if f.Geom == nil {
			continue
		}
		g := gpkgTypeName(f.Geom)
		switch {
		case t == "" || t == g:
			t = g
		case "MULTI"+t == g || "MULTI"+g == t:
			t = "MULTI" + strings.TrimPrefix(t, "MULTI")
		default:
			return "GEOMETRY"
		}
	}
	if t == "" {
		return "GEOMETRY"
	}
	return t
}

// start creates the tables and prepares the insert.
func (w *GeoPackageWriter) start() error {
	l := &w.layer
	if err := w.c.Exec(`PRAGMA page_size = 4096; PRAGMA application_id = 1196444487; PRAGMA user_version = 10300; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;` + gpkgSchema); err != nil {
		return err
	}
	var ddl strings.Builder
	ddl.WriteString("CREATE TABLE " + quoteIdent(l.Table) + " (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom " + l.GeometryType)
	for _, c := range l.Columns {
		ddl.WriteString(", " + quoteIdent(c.Name) + " " + c.Type.String())
	}
	ddl.WriteString(")")
	if err := w.c.Exec(ddl.String()); err != nil {
		return err
	}
	var ins strings.Builder
	ins.WriteString("INSERT INTO " + quoteIdent(l.Table) + " VALUES (?, ?")
	ins.WriteString(strings.Repeat(", ?", len(l.Columns)))
	ins.WriteString(")")
	s, _, err := w.c.Prepare(ins.String())
	if err != nil {
		return err
	}
	w.ins = s
	return nil
}

// Add appends one feature (fid: the number of features so far plus one).
// g is in lon/lat degrees, nil for a NULL geometry; vals has one value per
// column, NULL or of the column's type (an INTEGER value is accepted in a
// REAL column; a REAL NaN or ±Inf is written NULL). A geometry of the
// wrong type, a coordinate outside lon -180..180 / lat -90..90 or not
// finite, or a value of the wrong type is an error naming the feature and
// the column; after an error the writer only returns it.
func (w *GeoPackageWriter) Add(g orb.Geometry, vals []GeoPackageValue) error {
	if w.err != nil {
		return w.err
	}
	if w.closed || w.c == nil {
		return errors.New("geodata: GeoPackage writer used after WriteTo or Close")
	}
	l := &w.layer
	fid := int64(w.n + 1)
	fail := func(format string, args ...any) error {
		w.err = fmt.Errorf("geodata: GeoPackage layer %q: feature %d (fid %d): %s", l.Table, w.n, fid, fmt.Sprintf(format, args...))
		return w.err
	}
	if len(vals) != len(l.Columns) {
		return fail("%d values for %d columns", len(vals), len(l.Columns))
	}
	s := w.ins
	if err := s.BindInt64(1, fid); err != nil {
		return fail("%v", err)
	}
	if g == nil {
		if err := s.BindNull(2); err != nil {
			return fail("%v", err)
		}
	} else {
		g = w.promote(g)
		if t := gpkgTypeName(g); l.GeometryType != "GEOMETRY" && t != l.GeometryType {
			return fail("geom: a %s in a %s column", t, l.GeometryType)
		}
		if err := checkLonLat(g); err != nil {
			return fail("geom: %v", err)
		}
		var err error
		if w.blob, err = appendGPBlob(w.blob[:0], g, 4326); err != nil {
			return fail("geom: %v", err)
		}
		if b, ok := geomBound(g); ok {
			if !w.hasB {
				w.bound, w.hasB = b, true
			} else {
				w.bound = w.bound.Union(b)
			}
		}
		if err := s.BindBlob(2, w.blob); err != nil {
			return fail("%v", err)
		}
	}
	for k, c := range l.Columns {
		v := vals[k]
		p := k + 3
		var err error
		switch {
		case v.Type == GeoPackageNull:
			err = s.BindNull(p)
		case c.Type == GeoPackageReal && v.Type == GeoPackageInteger:
			err = s.BindFloat(p, float64(v.Int))
		case v.Type != c.Type:
			return fail("%s: a %s value in a %s column", c.Name, v.Type, c.Type)
		case v.Type == GeoPackageReal && (math.IsNaN(v.Real) || math.IsInf(v.Real, 0)):
			err = s.BindNull(p)
		case v.Type == GeoPackageReal:
			err = s.BindFloat(p, v.Real)
		case v.Type == GeoPackageText:
			err = s.BindText(p, v.Text)
		case v.Type == GeoPackageBlob:
			err = s.BindBlob(p, []byte(v.Text))
		default: // INTEGER, BOOLEAN
			err = s.BindInt64(p, v.Int)
		}
		if err != nil {
			return fail("%s: %v", c.Name, err)
		}
	}
	if err := s.Exec(); err != nil {
		return fail("%v", err)
	}
	w.n++
	return nil
}

// promote turns a single geometry into a Multi of one under a MULTI* type.
func (w *GeoPackageWriter) promote(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.Point:
		if w.multi == "MULTIPOINT" {
			return orb.MultiPoint{g}
		}
	case orb.LineString:
		if w.multi == "MULTILINESTRING" {
			return orb.MultiLineString{g}
		}
	case orb.Polygon:
		if w.multi == "MULTIPOLYGON" {
			return orb.MultiPolygon{g}
		}
	}
	return g
}

// checkLonLat checks that every position is a finite lon/lat.
func checkLonLat(g orb.Geometry) error {
	var bad error
	eachPositions(g, func(ps []orb.Point) {
		for _, p := range ps {
			if bad == nil && !(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90) {
				bad = fmt.Errorf("position (%g, %g) is not a lon/lat in degrees", p[0], p[1])
			}
		}
	})
	return bad
}

// WriteTo finishes the file (gpkg_contents with the bounds, the geometry
// column's row) and writes it to out. The writer is closed afterwards,
// whether or not it succeeded.
func (w *GeoPackageWriter) WriteTo(out io.Writer) (int64, error) {
	defer w.Close()
	if w.err != nil {
		return 0, w.err
	}
	if w.closed || w.c == nil {
		return 0, errors.New("geodata: GeoPackage writer used after WriteTo or Close")
	}
	data, err := w.finish()
	if err != nil {
		return 0, fmt.Errorf("geodata: GeoPackage layer %q: %w", w.layer.Table, err)
	}
	n, err := out.Write(data)
	return int64(n), err
}

func (w *GeoPackageWriter) finish() ([]byte, error) {
	l := &w.layer
	if err := w.ins.Close(); err != nil {
		return nil, err
	}
	w.ins = nil
	last := gpkgEpoch
	if !l.LastChange.IsZero() {
		last = l.LastChange.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	args := []any{l.Table, l.Identifier, l.Description, last, nil, nil, nil, nil}
	if w.hasB {
		args[4], args[5], args[6], args[7] = w.bound.Min[0], w.bound.Min[1], w.bound.Max[0], w.bound.Max[1]
	}
	if err := execArgs(w.c, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, 4326)`, args...); err != nil {
		return nil, err
	}
	if err := execArgs(w.c, `INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)`, l.Table, l.GeometryType); err != nil {
		return nil, err
	}
	if err := w.c.Exec("COMMIT"); err != nil {
		return nil, err
	}
	if err := w.closeConn(); err != nil {
		return nil, err
	}
	return *w.file, nil
}

// gpkgOutVFSName is an SQLite VFS whose database files are byte slices
// registered in gpkgOutFiles by name: the writer builds its file straight
// into one and hands it to the io.Writer, with no temporary file and no
// copy. Journals and temporary files live in memory too.
const gpkgOutVFSName = "covplan-gpkg-out"

var gpkgOutFiles sync.Map // name -> *vfsutil.SliceFile

func init() { vfs.Register(gpkgOutVFSName, gpkgOutVFS{}) }

type gpkgOutVFS struct{}

func (gpkgOutVFS) Open(name string, flags vfs.OpenFlag) (vfs.File, vfs.OpenFlag, error) {
	if flags&vfs.OPEN_MAIN_DB == 0 {
		return &vfsutil.SliceFile{}, flags | vfs.OPEN_MEMORY, nil
	}
	if f, ok := gpkgOutFiles.Load(name); ok {
		// OPEN_MEMORY: SQLite keeps the journal in memory.
		return gpkgOutFile{f.(*vfsutil.SliceFile)}, flags | vfs.OPEN_MEMORY, nil
	}
	return nil, flags, sqlite3.CANTOPEN
}

// gpkgOutFile is a database slice with one connection: locks always
// succeed, and size hints are ignored (the slice grows as pages are
// written, by doubling; SliceFile's own SizeHint allocates at every call).
type gpkgOutFile struct{ *vfsutil.SliceFile }

func (gpkgOutFile) SizeHint(int64) error { return nil }

func (gpkgOutFile) Lock(vfs.LockLevel) error { return nil }

func (gpkgOutFile) Unlock(vfs.LockLevel) error { return nil }

func (gpkgOutFile) CheckReservedLock() (bool, error) { return false, nil }

func (gpkgOutVFS) Delete(string, bool) error { return nil }

func (gpkgOutVFS) Access(string, vfs.AccessFlag) (bool, error) { return false, nil }

func (gpkgOutVFS) FullPathname(name string) (string, error) { return name, nil }

// execArgs runs one SQL statement with args (string, float64 or nil)
// bound to its parameters in order.
func execArgs(c *sqlite3.Conn, sql string, args ...any) error {
	s, _, err := c.Prepare(sql)
	if err != nil {
		return err
	}
	defer s.Close()
	for i, a := range args {
		var err error
		switch a := a.(type) {
		case string:
			err = s.BindText(i+1, a)
		case float64:
			err = s.BindFloat(i+1, a)
		case nil:
			err = s.BindNull(i + 1)
		default:
			err = fmt.Errorf("cannot bind a %T", a)
		}
		if err != nil {
			return err
		}
	}
	return s.Exec()
}

// Close releases the in-memory file. It is safe to call more than once.
func (w *GeoPackageWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.ins != nil {
		w.ins.Close()
		w.ins = nil
	}
	return w.closeConn()
}

// closeConn closes the connection, which leaves the finished file in
// w.file, and unregisters the file.
func (w *GeoPackageWriter) closeConn() error {
	if w.ins != nil {
		w.ins.Close()
		w.ins = nil
	}
	if w.c == nil {
		return nil
	}
	err := w.c.Close()
	w.c = nil
	gpkgOutFiles.Delete(w.name)
	return err
}
