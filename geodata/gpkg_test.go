package geodata

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/ext/serdes"
	"github.com/ncruces/go-sqlite3/vfs/memdb"
	"github.com/paulmach/orb"
)

// gpkgEdit runs sql on a copy of a GeoPackage (or on an empty database
// when data is nil) and returns the file's new bytes: how the tests make
// broken and unusual files.
func gpkgEdit(t testing.TB, data []byte, sql string) []byte {
	t.Helper()
	name := fmt.Sprintf("gpkgedit-%d", gpkgSeq.Add(1))
	memdb.Create(name, bytes.Clone(data))
	defer memdb.Delete(name)
	c, err := sqlite3.Open("file:/" + name + "?vfs=memdb")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Exec("PRAGMA foreign_keys = OFF;" + sql); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
	out, err := serdes.Serialize(c, "main")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// gpkgDump lists a GeoPackage's content as text, one line per schema
// entry and per row (blobs in hex), in a fixed order: what the golden
// test compares, independent of SQLite's page layout.
func gpkgDump(t testing.TB, data []byte) string {
	t.Helper()
	db := fmt.Sprintf("gpkgdump-%d", gpkgSeq.Add(1))
	name := db
	memdb.Create(name, bytes.Clone(data))
	defer memdb.Delete(name)
	c, err := sqlite3.OpenFlags("file:/"+name+"?vfs=memdb", sqlite3.OPEN_READONLY|sqlite3.OPEN_URI)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var b strings.Builder
	head := func(off int) uint32 { return binary.BigEndian.Uint32(data[off:]) }
	fmt.Fprintf(&b, "application_id %q user_version %d page_size %d\n", data[68:72], head(60), int(data[16])<<8|int(data[17]))
	query := func(sql string, row func(s *sqlite3.Stmt)) {
		s, _, err := c.Prepare(sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		defer s.Close()
		for s.Step() {
			row(s)
		}
		if err := s.Err(); err != nil {
			t.Fatal(err)
		}
	}
	var tables []string
	query(`SELECT type, name, sql FROM sqlite_master ORDER BY type, name`, func(s *sqlite3.Stmt) {
		fmt.Fprintf(&b, "%s %s: %s\n", s.ColumnText(0), s.ColumnText(1), strings.Join(strings.Fields(s.ColumnText(2)), " "))
		if s.ColumnText(0) == "table" {
			tables = append(tables, s.ColumnText(1))
		}
	})
	for _, tb := range tables {
		query("SELECT * FROM "+quoteIdent(tb)+" ORDER BY rowid", func(s *sqlite3.Stmt) {
			b.WriteString(tb + ":")
			for i := range s.ColumnCount() {
				switch s.ColumnType(i) {
				case sqlite3.BLOB:
					b.WriteString(" x'" + hex.EncodeToString(s.ColumnRawBlob(i)) + "'")
				case sqlite3.NULL:
					b.WriteString(" NULL")
				case sqlite3.TEXT:
					fmt.Fprintf(&b, " %q", s.ColumnText(i))
				default:
					b.WriteString(" " + s.ColumnText(i))
				}
			}
			b.WriteByte('\n')
		})
	}
	return b.String()
}

// readGPKG reads a layer of an in-memory GeoPackage.
func readGPKG(data []byte, layer string) (*GeoPackageLayer, error) {
	return ReadGeoPackage(bytes.NewReader(data), int64(len(data)), "t.gpkg", GeoPackageOptions{Layer: layer})
}

// gpkgFixture is testdata/gpkg/cantal-gdal.gpkg, written by GDAL 3.6.2.
func gpkgFixture(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/gpkg/cantal-gdal.gpkg")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// cantal12 reads the GeoJSON the GDAL fixture was made from.
func cantal12(t testing.TB) *ZoneLayer {
	t.Helper()
	f, err := os.Open("testdata/gpkg/cantal-12-communes.geojson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := ReadZones(f, "cantal-12-communes.geojson", ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// maxVertexDiff is the largest coordinate difference in degrees between
// two zone geometries of the same structure; ok is false when the
// structures differ.
func maxVertexDiff(a, b orb.Geometry) (float64, bool) {
	pa, pb := polygons(a), polygons(b)
	if len(pa) != len(pb) || len(pa) == 0 {
		return 0, false
	}
	d := 0.0
	for i := range pa {
		if len(pa[i]) != len(pb[i]) {
			return 0, false
		}
		for k := range pa[i] {
			if len(pa[i][k]) != len(pb[i][k]) {
				return 0, false
			}
			for j := range pa[i][k] {
				p, q := pa[i][k][j], pb[i][k][j]
				d = max(d, math.Abs(p[0]-q[0]), math.Abs(p[1]-q[1]))
			}
		}
	}
	return d, true
}

// TestGeoPackageGDAL reads the zone layers GDAL wrote from the same 12
// Cantal communes in three SRSs: the lon/lat layer must give exactly the
// GeoJSON's zones; the Lambert-93 and UTM 31N layers, projected by
// GDAL/PROJ and back by covplan, within 1e-9° (0.1 mm). Ids, names and
// order must match the GeoJSON's.
func TestGeoPackageGDAL(t *testing.T) {
	data := gpkgFixture(t)
	ref := cantal12(t)
	for _, tc := range []struct {
		layer, geomType, crs string
		tol                  float64
	}{
		{"", "GEOMETRY", "EPSG:4326 (WGS 84 geodetic, declared in the file)", 0},
		{"communes_l93", "MULTIPOLYGON", "EPSG:2154 (RGF93 v1 / Lambert-93, declared in the file)", 1e-9},
		{"COMMUNES_UTM31", "GEOMETRY", "EPSG:32631 (WGS 84 / UTM zone 31N, declared in the file)", 1e-9},
	} {
		t.Run(tc.layer, func(t *testing.T) {
			l, err := readGPKG(data, tc.layer)
			if err != nil {
				t.Fatal(err)
			}
			wantLayers := []string{"communes", "communes_l93", "communes_utm31", "communes_mercator", "adresses_z"}
			if !reflect.DeepEqual(l.Layers, wantLayers) {
				t.Errorf("layers %q, want %q", l.Layers, wantLayers)
			}
			if l.GeometryType != tc.geomType || l.GeometryColumn != "geom" || l.FIDColumn != "fid" || l.Len() != 12 {
				t.Errorf("geometry %s %s, fid %s, %d features", l.GeometryColumn, l.GeometryType, l.FIDColumn, l.Len())
			}
			if tc.layer == "" {
				if l.Layer != "communes" || len(l.Warnings) != 1 || !strings.Contains(l.Warnings[0].Reason, "5 feature layers in the file, the first (communes) read") {
					t.Errorf("layer %q, warnings %v", l.Layer, l.Warnings)
				}
			} else if len(l.Warnings) != 0 {
				t.Errorf("warnings %v", l.Warnings)
			}
			z, err := l.Zones(ZoneOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if z.CRS != tc.crs || z.Format != "geopackage" {
				t.Errorf("CRS %q format %q, want %q", z.CRS, z.Format, tc.crs)
			}
			if !reflect.DeepEqual(z.IDs, ref.IDs) || !reflect.DeepEqual(z.Names, ref.Names) {
				t.Fatalf("ids %q names %q, want %q %q", z.IDs, z.Names, ref.IDs, ref.Names)
			}
			if !reflect.DeepEqual(z.Columns, []string{"code", "nom"}) {
				t.Errorf("columns %q", z.Columns)
			}
			worst := 0.0
			for i := range z.Geoms {
				want := ref.Geoms[i]
				if tc.geomType == "MULTIPOLYGON" {
					if p, ok := want.(orb.Polygon); ok {
						want = orb.MultiPolygon{p}
					}
				}
				d, ok := maxVertexDiff(z.Geoms[i], want)
				if !ok {
					t.Fatalf("zone %s: structure differs: %s vs %s", z.IDs[i], z.Geoms[i].GeoJSONType(), want.GeoJSONType())
				}
				worst = max(worst, d)
			}
			if worst > tc.tol {
				t.Errorf("largest vertex difference %g°, want ≤ %g", worst, tc.tol)
			}
			t.Logf("largest vertex difference %g°", worst)
		})
	}
}

// TestGeoPackageGDALPoints reads 40 BAN addresses GDAL wrote as 3D
// Lambert-93 points: Z dropped and counted, MEDIUMINT columns as
// integers, positions within 1e-9° of the CSV's own lon/lat.
func TestGeoPackageGDALPoints(t *testing.T) {
	l, err := readGPKG(gpkgFixture(t), "adresses_z")
	if err != nil {
		t.Fatal(err)
	}
	wantCols := []GeoPackageColumn{{"id", GeoPackageText, "TEXT"}, {"numero", GeoPackageInteger, "MEDIUMINT"}, {"nom_voie", GeoPackageText, "TEXT"}, {"code_insee", GeoPackageInteger, "MEDIUMINT"}}
	if !reflect.DeepEqual(l.Columns, wantCols) {
		t.Errorf("columns %v", l.Columns)
	}
	if !reflect.DeepEqual(l.Warnings, []ReasonCount{{"Z values dropped", 40}}) {
		t.Errorf("warnings %v", l.Warnings)
	}
	if v := l.Values[0]; v[1] != GeoPackageInt(18) || v[3] != GeoPackageInt(54084) || v[2] != GeoPackageString("allée des acacias") {
		t.Errorf("first feature's values %v", v)
	}
	p, err := l.Points(PointOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Len() != 40 || p.CRS != "EPSG:2154 (RGF93 v1 / Lambert-93, declared in the file)" || p.Format != "geopackage" {
		t.Fatalf("%d points, CRS %q", p.Len(), p.CRS)
	}
	csvPts, err := ReadPoints(bytes.NewReader(mustRead(t, "testdata/ban-54084.csv")), "ban-54084.csv", PointOptions{})
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for i := range p.Len() {
		if p.ID(i) != csvPts.ID(i) {
			t.Fatalf("point %d id %q, want %q", i, p.ID(i), csvPts.ID(i))
		}
		a, b := p.Pts[i], csvPts.Pts[i]
		worst = max(worst, math.Abs(a[0]-b[0]), math.Abs(a[1]-b[1]))
	}
	if worst > 1e-9 {
		t.Errorf("largest difference from BAN's lon/lat %g°, want ≤ 1e-9", worst)
	}
	if _, err := l.Zones(ZoneOptions{}); err == nil || !strings.Contains(err.Error(), `layer "adresses_z" holds POINT geometries, not zones`) {
		t.Errorf("points as zones: %v", err)
	}
	f, err := l.Fibre(FibreOptions{})
	if err != nil || len(f.Nodes) != 40 {
		t.Errorf("points as fibre nodes: %v", err)
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGeoPackageGDALErrors: a layer in an SRS covplan does not read, a
// table that is not a feature layer, a name that is no layer.
func TestGeoPackageGDALErrors(t *testing.T) {
	data := gpkgFixture(t)
	for _, tc := range []struct{ layer, want string }{
		{"communes_mercator", `geodata: t.gpkg: layer "communes_mercator": srs_id 3857 "WGS 84 / Pseudo-Mercator" (EPSG:3857) is not supported (definition "PROJCS[\"WGS 84 / Pseudo-Mercator\",GEOGCS..."); covplan reads EPSG:4326 and CRS84 lon/lat, EPSG:2154 Lambert-93 and the UTM zones EPSG:326xx, 327xx and 258xx: reproject the layer, e.g. ogr2ogr -t_srs EPSG:2154`},
		{"adresses_table", `geodata: t.gpkg: no feature layer "adresses_table" in the GeoPackage; its feature layers: "communes", "communes_l93", "communes_utm31", "communes_mercator", "adresses_z"`},
		{"nope", `no feature layer "nope"`},
	} {
		_, err := readGPKG(data, tc.layer)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("layer %s: error %v, want %q", tc.layer, err, tc.want)
		}
	}
}

// allTypesLayer has every geometry type, a NULL geometry, an empty one,
// and every column type with NULLs.
func allTypesLayer() *GeoPackageWriteLayer {
	cols := []GeoPackageColumn{
		{Name: "code", Type: GeoPackageText},
		{Name: "n", Type: GeoPackageInteger},
		{Name: "x", Type: GeoPackageReal},
		{Name: "ok", Type: GeoPackageBoolean},
		{Name: "raw", Type: GeoPackageBlob},
		{Name: `odd "name", é`, Type: GeoPackageText},
	}
	geoms := []orb.Geometry{
		orb.Point{2.4441, 44.9264},
		orb.LineString{{2, 45}, {2.5, 45.5}, {3, 45}},
		orb.Polygon{{{2, 44}, {3, 44}, {3, 45}, {2, 45}, {2, 44}}, {{2.2, 44.2}, {2.4, 44.2}, {2.4, 44.4}, {2.2, 44.2}}},
		orb.MultiPoint{{-179.5, -89}, {179.5, 89}},
		orb.MultiLineString{{{0, 0}, {1, 1}}, {{1, 1}, {2, 0}}},
		orb.MultiPolygon{{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}}, {{{5, 5}, {6, 5}, {5, 6}, {5, 5}}}},
		nil,
		orb.MultiPolygon{},
	}
	l := &GeoPackageWriteLayer{Table: "all types", Description: "every type", Columns: cols}
	for i, g := range geoms {
		vals := []GeoPackageValue{
			GeoPackageString(fmt.Sprintf("%03d", i)),
			GeoPackageInt(int64(i) * -1e12),
			GeoPackageFloat(float64(i) / 3),
			GeoPackageBool(i%2 == 0),
			{Type: GeoPackageBlob, Text: "\x00\xff"},
			GeoPackageString("ligne\n\"é\""),
		}
		if i%3 == 1 {
			vals[i%len(vals)] = GeoPackageValue{} // a NULL in another column each time
		}
		l.Features = append(l.Features, GeoPackageFeature{Geom: g, Values: vals})
	}
	return l
}

// TestGeoPackageRoundTrip writes every geometry and column type and reads
// them back unchanged, with fids 1..n in order and srs 4326.
func TestGeoPackageRoundTrip(t *testing.T) {
	in := allTypesLayer()
	data := gpkgBytes(t, in)
	l, err := readGPKG(data, "")
	if err != nil {
		t.Fatal(err)
	}
	if l.Layer != "all types" || !reflect.DeepEqual(l.Layers, []string{"all types"}) || l.GeometryType != "GEOMETRY" || l.SRSID != 4326 ||
		l.SRS != "WGS 84 geodetic (EPSG:4326)" || l.CRS != "EPSG:4326 (WGS 84 geodetic, declared in the file)" || len(l.Warnings) != 0 {
		t.Errorf("layer %q %q %s srs %d %q %q warnings %v", l.Layer, l.Layers, l.GeometryType, l.SRSID, l.SRS, l.CRS, l.Warnings)
	}
	for k, c := range l.Columns {
		if c.Name != in.Columns[k].Name || c.Type != in.Columns[k].Type || c.Decl != in.Columns[k].Type.String() {
			t.Errorf("column %d: %+v, want %+v", k, c, in.Columns[k])
		}
	}
	if l.Len() != len(in.Features) {
		t.Fatalf("%d features, want %d", l.Len(), len(in.Features))
	}
	for i, f := range in.Features {
		want := f.Geom
		if isEmptyGeom(want) {
			want = nil // empty geometries read back as nil
		}
		if l.FIDs[i] != int64(i+1) || !reflect.DeepEqual(l.Geoms[i], want) || !reflect.DeepEqual(l.Values[i], f.Values) {
			t.Errorf("feature %d: fid %d %#v %v\nwant %#v %v", i, l.FIDs[i], l.Geoms[i], l.Values[i], want, f.Values)
		}
	}
	// Same input, same bytes.
	if again := gpkgBytes(t, allTypesLayer()); !bytes.Equal(again, data) {
		t.Error("writing the same layer twice gave different bytes")
	}
	// The fibre reader takes every type.
	fl, err := l.Fibre(FibreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fl.Nodes) != 3 || len(fl.Lines) != 3 || len(fl.Areas) != 2 || fl.Skipped() != 2 {
		t.Errorf("fibre: %d nodes %d lines %d areas, %d skipped", len(fl.Nodes), len(fl.Lines), len(fl.Areas), fl.Skipped())
	}
}

// TestGeoPackageZonesRoundTrip writes zones as render would (MULTIPOLYGON,
// singles promoted) and reads them back as zones: same ids, names,
// population, geometry.
func TestGeoPackageZonesRoundTrip(t *testing.T) {
	ref := cantal12(t)
	w := &GeoPackageWriteLayer{Table: "zones", GeometryType: "MULTIPOLYGON", Columns: []GeoPackageColumn{
		{Name: "zone_id", Type: GeoPackageText}, {Name: "name", Type: GeoPackageText}, {Name: "population", Type: GeoPackageInteger},
	}}
	for i := range ref.Geoms {
		w.Features = append(w.Features, GeoPackageFeature{Geom: ref.Geoms[i], Values: []GeoPackageValue{
			GeoPackageString(ref.IDs[i]), GeoPackageString(ref.Names[i]), GeoPackageInt(int64(1000 + i)),
		}})
	}
	data := gpkgBytes(t, w)
	l, err := readGPKG(data, "zones")
	if err != nil {
		t.Fatal(err)
	}
	z, err := l.Zones(ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(z.IDs, ref.IDs) || !reflect.DeepEqual(z.Names, ref.Names) || z.Population[3] != 1003 {
		t.Fatalf("ids %q names %q pop %v", z.IDs, z.Names, z.Population)
	}
	for i, g := range z.Geoms {
		mp, ok := g.(orb.MultiPolygon)
		if !ok {
			t.Fatalf("zone %d is a %T, want a MultiPolygon", i, g)
		}
		want := ref.Geoms[i]
		if p, ok := want.(orb.Polygon); ok {
			want = orb.MultiPolygon{p}
		}
		if !reflect.DeepEqual(mp, want) {
			t.Errorf("zone %s geometry changed", z.IDs[i])
		}
	}
	// gpkg_contents holds the layer's exact bounds.
	var b orb.Bound
	for i, g := range ref.Geoms {
		gb, _ := geomBound(g)
		if i == 0 {
			b = gb
		} else {
			b = b.Union(gb)
		}
	}
	want := fmt.Sprintf("gpkg_contents: \"zones\" \"features\" \"zones\" \"\" \"1970-01-01T00:00:00.000Z\" %v %v %v %v 4326\n", b.Min[0], b.Min[1], b.Max[0], b.Max[1])
	if d := gpkgDump(t, data); !strings.Contains(d, want) {
		t.Errorf("gpkg_contents row missing: want %q in\n%s", want, d[:min(len(d), 3000)])
	}
}

// TestGeoPackageGolden compares the dump of a small file with the golden
// one: the schema, the three spatial reference systems, contents, and
// each feature's blob and values.
func TestGeoPackageGolden(t *testing.T) {
	l := &GeoPackageWriteLayer{Table: "zones", Columns: []GeoPackageColumn{
		{Name: "zone_id", Type: GeoPackageText}, {Name: "premises", Type: GeoPackageInteger},
		{Name: "capex_eur", Type: GeoPackageReal}, {Name: "meets_target", Type: GeoPackageBoolean},
	}, LastChange: time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.FixedZone("CET", 3600))}
	l.Features = []GeoPackageFeature{
		{Geom: orb.Polygon{{{2, 45}, {2.5, 45}, {2.5, 45.5}, {2, 45}}}, Values: []GeoPackageValue{GeoPackageString("15014"), GeoPackageInt(120), GeoPackageFloat(1234.5), GeoPackageBool(true)}},
		{Geom: orb.MultiPolygon{{{{3, 44}, {3.5, 44}, {3, 44.5}, {3, 44}}}}, Values: []GeoPackageValue{GeoPackageString("15153"), {}, GeoPackageFloat(math.NaN()), GeoPackageBool(false)}},
		{Geom: nil, Values: []GeoPackageValue{GeoPackageString("15999"), GeoPackageInt(0), {}, {}}},
	}
	data := gpkgBytes(t, l)
	got := gpkgDump(t, data)
	path := filepath.Join("testdata", "gpkg", "golden", "zones.dump.txt")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run GeoPackageGolden -update)", err)
	}
	if got != string(want) {
		t.Errorf("dump differs from %s (run go test -run GeoPackageGolden -update):\n%s", path, got)
	}
	// The SQLite header: application_id "GPKG", user_version 10300.
	if string(data[68:72]) != "GPKG" || binary.BigEndian.Uint32(data[60:]) != 10300 {
		t.Errorf("header application_id %q user_version %d", data[68:72], binary.BigEndian.Uint32(data[60:]))
	}
}

// TestWriteGeoPackageErrors: what the writer refuses, and that a failed
// write writes nothing.
func TestWriteGeoPackageErrors(t *testing.T) {
	col := []GeoPackageColumn{{Name: "n", Type: GeoPackageInteger}}
	one := func(g orb.Geometry, v ...GeoPackageValue) []GeoPackageFeature {
		return []GeoPackageFeature{{Geom: orb.Point{1, 2}, Values: []GeoPackageValue{GeoPackageInt(1)}}, {Geom: g, Values: v}}
	}
	for _, tc := range []struct {
		name string
		l    GeoPackageWriteLayer
		want string
	}{
		{"reserved table", GeoPackageWriteLayer{Table: "gpkg_zones"}, `table name "gpkg_zones": the gpkg_ prefix is reserved`},
		{"rtree table", GeoPackageWriteLayer{Table: "RTree_x"}, "the rtree_ prefix is reserved"},
		{"fid column", GeoPackageWriteLayer{Columns: []GeoPackageColumn{{Name: "FID", Type: GeoPackageInteger}}}, `column "FID" is a duplicate (or fid or geom)`},
		{"duplicate column", GeoPackageWriteLayer{Columns: []GeoPackageColumn{{Name: "a", Type: GeoPackageText}, {Name: "A", Type: GeoPackageText}}}, `column "A" is a duplicate`},
		{"unnamed column", GeoPackageWriteLayer{Columns: []GeoPackageColumn{{Type: GeoPackageText}}}, "column 0 has no name"},
		{"untyped column", GeoPackageWriteLayer{Columns: []GeoPackageColumn{{Name: "a"}}}, `column "a" has no type`},
		{"geometry type", GeoPackageWriteLayer{GeometryType: "CIRCULARSTRING"}, `geometry type "CIRCULARSTRING" is not one of`},
		{"value count", GeoPackageWriteLayer{Columns: col, Features: one(orb.Point{1, 2})}, `feature 1 (fid 2): 0 values for 1 columns`},
		{"value type", GeoPackageWriteLayer{Columns: col, Features: one(orb.Point{1, 2}, GeoPackageString("x"))}, `feature 1 (fid 2): n: a TEXT value in a INTEGER column`},
		{"geometry mismatch", GeoPackageWriteLayer{GeometryType: "POINT", Columns: col, Features: one(orb.LineString{{0, 0}, {1, 1}}, GeoPackageInt(2))}, "geom: a LINESTRING in a POINT column"},
		{"inferred mismatch", GeoPackageWriteLayer{GeometryType: "MULTIPOINT", Columns: col, Features: one(orb.Polygon{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}}, GeoPackageInt(2))}, "geom: a POLYGON in a MULTIPOINT column"},
		{"not lon/lat", GeoPackageWriteLayer{Columns: col, Features: one(orb.Point{700000, 6600000}, GeoPackageInt(2))}, "position (700000, 6.6e+06) is not a lon/lat in degrees"},
		{"NaN", GeoPackageWriteLayer{Columns: col, Features: one(orb.Point{math.NaN(), 1}, GeoPackageInt(2))}, "is not a lon/lat"},
		{"collection", GeoPackageWriteLayer{Columns: col, Features: one(orb.Collection{orb.Point{1, 2}}, GeoPackageInt(2))}, "cannot be written"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := WriteGeoPackage(&out, &tc.l)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if out.Len() != 0 {
				t.Errorf("%d bytes written after an error", out.Len())
			}
		})
	}
	// A writer after an error, after WriteTo, after Close.
	w, err := NewGeoPackageWriter(&GeoPackageWriteLayer{Columns: col})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(orb.Point{1, 2}, nil); err == nil {
		t.Fatal("no error for a missing value")
	}
	if err := w.Add(orb.Point{1, 2}, []GeoPackageValue{GeoPackageInt(1)}); err == nil {
		t.Error("the writer went on after an error")
	}
	if _, err := w.WriteTo(&bytes.Buffer{}); err == nil {
		t.Error("WriteTo after an error succeeded")
	}
	w, _ = NewGeoPackageWriter(&GeoPackageWriteLayer{})
	w.Close()
	if err := w.Add(nil, nil); err == nil || w.Close() != nil {
		t.Errorf("Add after Close: %v", err)
	}
	// A failing io.Writer.
	if err := WriteGeoPackage(failWriter{}, &GeoPackageWriteLayer{}); !errors.Is(err, errFail) {
		t.Errorf("failing writer: %v", err)
	}
}

var errFail = errors.New("disk full")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errFail }

// TestWriteGeoPackageTypes: the inferred geometry type, promotion to
// Multi, an INTEGER in a REAL column, NaN as NULL, last_change.
func TestWriteGeoPackageTypes(t *testing.T) {
	pt, mpt := orb.Point{1, 2}, orb.MultiPoint{{1, 2}, {3, 4}}
	line := orb.LineString{{0, 0}, {1, 1}}
	poly := orb.Polygon{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}}
	for _, tc := range []struct {
		geoms []orb.Geometry
		want  string
	}{
		{nil, "GEOMETRY"},
		{[]orb.Geometry{nil}, "GEOMETRY"},
		{[]orb.Geometry{pt, nil, pt}, "POINT"},
		{[]orb.Geometry{pt, mpt}, "MULTIPOINT"},
		{[]orb.Geometry{mpt, pt}, "MULTIPOINT"},
		{[]orb.Geometry{line, orb.MultiLineString{line}}, "MULTILINESTRING"},
		{[]orb.Geometry{poly, orb.MultiPolygon{poly}, poly}, "MULTIPOLYGON"},
		{[]orb.Geometry{pt, line}, "GEOMETRY"},
		{[]orb.Geometry{pt, orb.MultiPolygon{poly}}, "GEOMETRY"},
	} {
		fs := make([]GeoPackageFeature, len(tc.geoms))
		for i, g := range tc.geoms {
			fs[i].Geom = g
		}
		if got := inferGeomType(fs); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.geoms, got, tc.want)
		}
		l, err := readGPKG(gpkgBytes(t, &GeoPackageWriteLayer{Features: fs}), "")
		if err != nil {
			t.Fatal(err)
		}
		if l.GeometryType != tc.want || l.Layer != "features" {
			t.Errorf("%v: read back %s %s", tc.geoms, l.Layer, l.GeometryType)
		}
		for i, g := range l.Geoms {
			if g != nil && tc.want != "GEOMETRY" && gpkgTypeName(g) != tc.want {
				t.Errorf("%v: feature %d read back as %s", tc.geoms, i, gpkgTypeName(g))
			}
		}
	}
	l := &GeoPackageWriteLayer{Columns: []GeoPackageColumn{{Name: "x", Type: GeoPackageReal}}, Features: []GeoPackageFeature{
		{Values: []GeoPackageValue{GeoPackageInt(3)}},
		{Values: []GeoPackageValue{GeoPackageFloat(math.Inf(-1))}},
	}, LastChange: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}
	data := gpkgBytes(t, l)
	r, err := readGPKG(data, "")
	if err != nil {
		t.Fatal(err)
	}
	if r.Values[0][0] != GeoPackageFloat(3) || r.Values[1][0] != (GeoPackageValue{}) {
		t.Errorf("values %v", r.Values)
	}
	if d := gpkgDump(t, data); !strings.Contains(d, `"2026-03-04T05:06:07.000Z"`) {
		t.Errorf("last_change not written:\n%s", d)
	}
}

// TestReadGeoPackageFiles covers what the reader accepts and refuses in
// files edited with SQL: SRS rows, application ids, geometry values,
// views, missing metadata.
func TestReadGeoPackageFiles(t *testing.T) {
	base := gpkgBytes(t, &GeoPackageWriteLayer{Table: "pts", Columns: []GeoPackageColumn{{Name: "code", Type: GeoPackageText}}, Features: []GeoPackageFeature{
		{Geom: orb.Point{2.5, 45.1}, Values: []GeoPackageValue{GeoPackageString("a")}},
		{Geom: orb.Point{2.6, 45.2}, Values: []GeoPackageValue{GeoPackageString("b")}},
	}})
	l93 := fmt.Sprintf("x'%s'", hex.EncodeToString(must(appendGPBlob(nil, orb.Point{700000, 6600000}, 2154))))
	utm := fmt.Sprintf("x'%s'", hex.EncodeToString(must(appendGPBlob(nil, UTM(31, false).Forward(orb.Point{2.5, 45.1}), 32631))))
	farUTM := fmt.Sprintf("x'%s'", hex.EncodeToString(must(appendGPBlob(nil, orb.Point{5e6, 1e6}, 32631))))
	l93WKT := `PROJCS["RGF93 / Lambert-93",GEOGCS["RGF93",DATUM["Reseau_Geodesique_Francais_1993",SPHEROID["GRS 1980",6378137,298.257222101]]],PROJECTION["Lambert_Conformal_Conic_2SP"],PARAMETER["standard_parallel_1",49],PARAMETER["standard_parallel_2",44],PARAMETER["latitude_of_origin",46.5],PARAMETER["central_meridian",3],PARAMETER["false_easting",700000],PARAMETER["false_northing",6600000],UNIT["metre",1]]`
	setSRS := func(id int) string {
		return fmt.Sprintf(`UPDATE gpkg_geometry_columns SET srs_id = %d; UPDATE gpkg_contents SET srs_id = %d;`, id, id)
	}
	for _, tc := range []struct {
		name, sql string
		// want: the first point's lon/lat (when err is ""), the layer's CRS
		// and warnings.
		lonlat orb.Point
		crs    string
		warn   string
		err    string
	}{
		{name: "as written", lonlat: orb.Point{2.5, 45.1}, crs: "EPSG:4326 (WGS 84 geodetic, declared in the file)"},
		{name: "srs 0", sql: setSRS(0), lonlat: orb.Point{2.5, 45.1}, crs: CRSWGS84Assumed, warn: "geometry srs_id 4326 differs from the column's 0 (the column's used); srs_id 0, undefined geographic SRS (WGS84 lon/lat assumed)"},
		{name: "srs -1 detects lon/lat", sql: setSRS(-1), lonlat: orb.Point{2.5, 45.1}, crs: CRSWGS84, warn: "geometry srs_id 4326 differs from the column's -1 (the column's used); srs_id -1, undefined Cartesian SRS (CRS detected from coordinate ranges)"},
		{name: "srs -1 detects Lambert-93", sql: setSRS(-1) + `UPDATE pts SET geom = ` + l93 + `;`, lonlat: orb.Point{3, 46.5}, crs: CRSL93Detected, warn: "geometry srs_id 2154 differs from the column's -1 (the column's used); srs_id -1, undefined Cartesian SRS (CRS detected from coordinate ranges)"},
		{name: "Lambert-93 by WKT under another organization", sql: `INSERT INTO gpkg_spatial_ref_sys VALUES ('my L93', 99, 'IGNF', 7, '` + l93WKT + `', NULL);` + setSRS(99) + `UPDATE pts SET geom = ` + l93 + `;`, lonlat: orb.Point{3, 46.5}, crs: CRSL93Declared, warn: "geometry srs_id 2154 differs from the column's 99 (the column's used)"},
		{name: "EPSG code in the WKT of another organization", sql: `INSERT INTO gpkg_spatial_ref_sys VALUES ('utm', 98, 'custom', 1, 'PROJCS["x",GEOGCS["WGS 84"],AUTHORITY["EPSG","32631"]]', NULL);` + setSRS(98) + `UPDATE pts SET geom = ` + utm + `;`, lonlat: orb.Point{2.5, 45.1}, crs: "EPSG:32631 (utm, declared in the file)", warn: "geometry srs_id 32631 differs from the column's 98 (the column's used)"},
		{name: "ETRS89 UTM", sql: `INSERT INTO gpkg_spatial_ref_sys VALUES ('ETRS89 / UTM zone 31N', 25831, 'EPSG', 25831, 'PROJCS[...]', NULL);` + setSRS(25831) + `UPDATE pts SET geom = ` + utm + `;`, lonlat: orb.Point{2.5, 45.1}, crs: "EPSG:25831 (ETRS89 / UTM zone 31N, declared in the file)", warn: "geometry srs_id 32631 differs from the column's 25831 (the column's used)"},
		{name: "CRS84", sql: `INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 CRS84', 100, 'OGC', 84, 'GEOGCRS["WGS 84 (CRS84)",ID["OGC","CRS84"]]', NULL);` + setSRS(100), lonlat: orb.Point{2.5, 45.1}, crs: "OGC:CRS84 (declared in the file)", warn: "geometry srs_id 4326 differs from the column's 100 (the column's used)"},
		{name: "UTM position out of range", sql: `INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 / UTM zone 31N', 32631, 'EPSG', 32631, 'PROJCS[...]', NULL);` + setSRS(32631) + `UPDATE pts SET geom = ` + farUTM + ` WHERE fid = 2;`, err: `geodata: t.gpkg: feature 1: geom: position (5e+06, 1e+06) is outside the range of EPSG:32631 UTM 31N (easting -500000..1.5e+06 m, northing -10000..1.001e+07 m) (layer "pts", fid 2)`},
		{name: "unknown EPSG", sql: `INSERT INTO gpkg_spatial_ref_sys VALUES ('NTF (Paris) / Lambert zone II', 27572, 'EPSG', 27572, 'PROJCS["NTF (Paris) / Lambert zone II"]', NULL);` + setSRS(27572), err: `layer "pts": srs_id 27572 "NTF (Paris) / Lambert zone II" (EPSG:27572) is not supported (definition "PROJCS[\"NTF (Paris) / Lambert zone II\"]")`},
		{name: "srs not listed", sql: setSRS(31), err: `layer "pts": srs_id 31 is not in gpkg_spatial_ref_sys`},
		{name: "application id 0", sql: `PRAGMA application_id = 0;`, lonlat: orb.Point{2.5, 45.1}, crs: "EPSG:4326 (WGS 84 geodetic, declared in the file)", warn: "SQLite application_id not set to GPKG (read as a GeoPackage)"},
		{name: "GeoPackage 1.0 application id", sql: `PRAGMA application_id = 1196437808;`, lonlat: orb.Point{2.5, 45.1}, crs: "EPSG:4326 (WGS 84 geodetic, declared in the file)"},
		{name: "other application id", sql: `PRAGMA application_id = 1234;`, err: `not a GeoPackage: SQLite application_id is 0x000004d2`},
		{name: "plain SQLite", sql: `PRAGMA application_id = 0; DROP TABLE gpkg_geometry_columns; DROP TABLE gpkg_contents;`, err: "not a GeoPackage: no gpkg_contents table"},
		{name: "no feature layer", sql: `DELETE FROM gpkg_geometry_columns; UPDATE gpkg_contents SET data_type = 'attributes';`, err: `the GeoPackage has no feature layer (gpkg_contents lists attributes "pts")`},
		{name: "empty contents", sql: `DELETE FROM gpkg_geometry_columns; DELETE FROM gpkg_contents;`, err: `no feature layer (gpkg_contents is empty)`},
		{name: "no geometry column row", sql: `DELETE FROM gpkg_geometry_columns;`, err: `layer "pts" has no row in gpkg_geometry_columns`},
		{name: "missing table", sql: `DROP TABLE pts;`, err: `layer "pts": no such table or view`},
		{name: "geometry column missing", sql: `UPDATE gpkg_geometry_columns SET column_name = 'shape';`, err: `layer "pts": its geometry column "shape" (gpkg_geometry_columns) is not in the table`},
		{name: "text geometry", sql: `UPDATE pts SET geom = 'POINT (1 2)' WHERE fid = 2;`, err: `geodata: t.gpkg: feature 1: geom: a TEXT value, not a geometry blob (layer "pts", fid 2)`},
		{name: "WKB without header", sql: `UPDATE pts SET geom = x'0101000000000000000000f03f0000000000000040' WHERE fid = 2;`, err: `feature 1: geom: not a GeoPackage geometry blob (starts with 01 01, want "GP") (layer "pts", fid 2)`},
		{name: "NULL geometry", sql: `UPDATE pts SET geom = NULL WHERE fid = 1;`, lonlat: orb.Point{2.6, 45.2}, crs: "EPSG:4326 (WGS 84 geodetic, declared in the file)"},
		{name: "a view as the layer", sql: `CREATE VIEW v AS SELECT geom, code FROM pts ORDER BY fid DESC; UPDATE gpkg_contents SET table_name = 'v'; UPDATE gpkg_geometry_columns SET table_name = 'v';`, lonlat: orb.Point{2.6, 45.2}, crs: "EPSG:4326 (WGS 84 geodetic, declared in the file)"},
		{name: "a view that computes without end", sql: `CREATE VIEW v AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x AS fid, NULL AS geom FROM c WHERE x < 0; UPDATE gpkg_contents SET table_name = 'v'; UPDATE gpkg_geometry_columns SET table_name = 'v';`, err: `layer "v" asks SQLite for more work than a file of its size needs (a view computing rows?); stopped after fid 0`},
		{name: "a view that yields rows without end", sql: `CREATE VIEW v AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x AS fid, NULL AS geom FROM c; UPDATE gpkg_contents SET table_name = 'v'; UPDATE gpkg_geometry_columns SET table_name = 'v';`, err: `layer "v" yields more than 10256 rows, more than a 40960-byte file can hold`},
		{name: "fids not in insertion order", sql: `UPDATE pts SET fid = 10 WHERE fid = 1;`, lonlat: orb.Point{2.6, 45.2}, crs: "EPSG:4326 (WGS 84 geodetic, declared in the file)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := base
			if tc.sql != "" {
				data = gpkgEdit(t, base, tc.sql)
			}
			l, err := readGPKG(data, "")
			if err == nil {
				var p *PointLayer
				p, err = l.Points(PointOptions{})
				if err == nil {
					if tc.err != "" {
						t.Fatalf("no error, want %q", tc.err)
					}
					got := p.Pts[0]
					if math.Abs(got[0]-tc.lonlat[0]) > 1e-9 || math.Abs(got[1]-tc.lonlat[1]) > 1e-9 {
						t.Errorf("first point %v, want %v", got, tc.lonlat)
					}
					if p.CRS != tc.crs {
						t.Errorf("CRS %q, want %q", p.CRS, tc.crs)
					}
					var ws []string
					for _, w := range p.Warnings {
						ws = append(ws, w.Reason)
					}
					if w := strings.Join(ws, "; "); w != tc.warn {
						t.Errorf("warnings %q, want %q", w, tc.warn)
					}
					return
				}
			}
			if tc.err == "" || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("error %v, want %q", err, tc.err)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != "t.gpkg" {
				t.Errorf("error %#v is not a located *Error", err)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestReadGeoPackageNotSQLite: inputs that are not SQLite databases.
func TestReadGeoPackageNotSQLite(t *testing.T) {
	for _, tc := range []struct {
		data []byte
		want string
	}{
		{nil, "not a GeoPackage: 0 bytes, less than an SQLite header"},
		{[]byte(`{"type":"FeatureCollection","features":[]}`), "less than an SQLite header"},
		{bytes.Repeat([]byte("id,lon,lat\n"), 20), `not a GeoPackage: not an SQLite database (starts with "id,lon,lat\nid,lo")`},
	} {
		_, err := readGPKG(tc.data, "")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
	// A database cut short.
	data := gpkgBytes(t, genGPKGZones(200))
	if _, err := readGPKG(data[:len(data)/2], ""); err == nil {
		t.Error("a truncated file was read")
	}
}

// TestResolveSRS covers the SRS table on its own.
func TestResolveSRS(t *testing.T) {
	for _, tc := range []struct {
		id     int64
		org    string
		orgID  int64
		def    string
		crs    string
		utm    string
		errMsg string
	}{
		{id: 4326, org: "EPSG", orgID: 4326, crs: "EPSG:4326"},
		{id: 4171, org: "epsg", orgID: 4171, crs: "EPSG:4326"},
		{id: 4258, org: "EPSG", orgID: 4258, crs: "EPSG:4326"},
		{id: 2154, org: "EPSG", orgID: 2154, crs: "EPSG:2154"},
		{id: 32601, org: "EPSG", orgID: 32601, crs: "EPSG:4326", utm: "EPSG:32601 UTM 1N"},
		{id: 32760, org: "EPSG", orgID: 32760, crs: "EPSG:4326", utm: "EPSG:32760 UTM 60S"},
		{id: 25832, org: "EPSG", orgID: 25832, crs: "EPSG:4326", utm: "EPSG:32632 UTM 32N"},
		{id: 0, org: "NONE", crs: "EPSG:4326"},
		{id: -1, org: "NONE", orgID: -1, crs: ""},
		{id: 1, org: "NONE", def: `GEOGCS["WGS 84",DATUM["WGS_1984"]]`, crs: "EPSG:4326"},
		{id: 3857, org: "EPSG", orgID: 3857, def: "PROJCS[...]", errMsg: `srs_id 3857 (EPSG:3857) is not supported (definition "PROJCS[...]")`},
		{id: 32661, org: "EPSG", orgID: 32661, errMsg: "srs_id 32661"},
		{id: 7, org: "NONE", def: "undefined", errMsg: `srs_id 7 (NONE:0) is not supported (definition "undefined")`},
	} {
		s, err := resolveSRS(tc.id, tc.org, tc.orgID, "", tc.def)
		if tc.errMsg != "" {
			if err == nil || !strings.Contains(err.Error(), tc.errMsg) {
				t.Errorf("%d: error %v, want %q", tc.id, err, tc.errMsg)
			}
			continue
		}
		if err != nil {
			t.Errorf("%d: %v", tc.id, err)
			continue
		}
		utm := ""
		if !s.utm.IsZero() {
			utm = s.utm.Name()
		}
		if s.crs != tc.crs || utm != tc.utm {
			t.Errorf("%d: crs %q utm %q, want %q %q", tc.id, s.crs, utm, tc.crs, tc.utm)
		}
	}
}

// TestGeoPackageConcurrent reads one file from several goroutines (the
// reader VFS is process-wide).
func TestGeoPackageConcurrent(t *testing.T) {
	data := gpkgFixture(t)
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			layer := []string{"communes", "communes_l93", "communes_utm31", "adresses_z"}[i%4]
			l, err := readGPKG(data, layer)
			if err == nil && l.Layer != layer {
				err = fmt.Errorf("read %s for %s", l.Layer, layer)
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func ExampleWriteGeoPackage() {
	l := &GeoPackageWriteLayer{
		Table:   "zones",
		Columns: []GeoPackageColumn{{Name: "zone_id", Type: GeoPackageText}, {Name: "premises", Type: GeoPackageInteger}},
		Features: []GeoPackageFeature{
			{Geom: orb.Polygon{{{2.4, 44.9}, {2.5, 44.9}, {2.5, 45}, {2.4, 44.9}}}, Values: []GeoPackageValue{GeoPackageString("15014"), GeoPackageInt(120)}},
		},
	}
	var b bytes.Buffer
	if err := WriteGeoPackage(&b, l); err != nil {
		fmt.Println(err)
		return
	}
	r, err := ReadGeoPackage(bytes.NewReader(b.Bytes()), int64(b.Len()), "zones.gpkg", GeoPackageOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Layer, r.GeometryType, r.SRS, r.FIDs, r.Values[0][0], r.Values[0][1])
	// Output:
	// zones POLYGON WGS 84 geodetic (EPSG:4326) [1] 15014 120
}

// TestGeoPackagePointsFinish: a GeoPackage point layer is checked as
// ReadPoints checks any point file: repeated ids are a diagnostic, a layer
// whose every feature was skipped is ErrEmpty, and Strict stops on a
// finding.
func TestGeoPackagePointsFinish(t *testing.T) {
	layer := func(geoms ...orb.Geometry) *GeoPackageLayer {
		t.Helper()
		w := &GeoPackageWriteLayer{Table: "pts", GeometryType: "POINT", Columns: []GeoPackageColumn{{Name: "id", Type: GeoPackageText}}}
		for i, g := range geoms {
			w.Features = append(w.Features, GeoPackageFeature{Geom: g, Values: []GeoPackageValue{GeoPackageString([]string{"a", "b", "a"}[i%3])}})
		}
		l, err := readGPKG(gpkgBytes(t, w), "")
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	dup := layer(orb.Point{2.4, 44.9}, orb.Point{2.5, 44.9}, orb.Point{2.6, 44.9})
	p, err := dup.Points(PointOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Diagnostics) != 1 || p.Diagnostics[0].Code != "duplicate-id" || p.Diagnostics[0].Count != 1 {
		t.Errorf("diagnostics %v, want one duplicate-id", p.Diagnostics)
	}
	if _, err := dup.Points(PointOptions{Strict: true}); !errors.Is(err, ErrStrict) {
		t.Errorf("strict: %v, want ErrStrict", err)
	}
	if _, err := layer(nil, nil).Points(PointOptions{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("all features without geometry: %v, want ErrEmpty", err)
	}
}
