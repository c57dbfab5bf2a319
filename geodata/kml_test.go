package geodata

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// kmlDocOf wraps Placemarks in a minimal KML document.
func kmlDocOf(placemarks ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder>` + "\n" +
		strings.Join(placemarks, "\n") + "\n</Folder></Document></kml>\n"
}

const kmlSquare = `<Polygon><outerBoundaryIs><LinearRing><coordinates>2.5,45,0 2.6,45,0 2.6,45.1,0 2.5,45.1,0 2.5,45,0</coordinates></LinearRing></outerBoundaryIs></Polygon>`

// TestReadKMLMatchesGeoJSON reads six Auvergne NRO zones from the original
// KML and from the GeoJSON converted independently (Python, from the same
// KML): ids, names, households and every coordinate must be equal.
func TestReadKMLMatchesGeoJSON(t *testing.T) {
	var kz ZoneLayer
	for _, name := range []string{"auvergne-phase1-3.kml", "auvergne-phase2-3.kml"} {
		z, err := ReadKMLZones(openT(t, filepath.Join("testdata/kml", name)), name, ZoneOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if z.Format != "kml" || z.CRS != CRSWGS84 || z.Records != 3 || z.Skipped() != 0 {
			t.Errorf("%s: format %q CRS %q records %d skipped %d", name, z.Format, z.CRS, z.Records, z.Skipped())
		}
		kz.IDs = append(kz.IDs, z.IDs...)
		kz.Names = append(kz.Names, z.Names...)
		kz.Geoms = append(kz.Geoms, z.Geoms...)
		kz.Premises = append(kz.Premises, z.Premises...)
		kz.Households = append(kz.Households, z.Households...)
		kz.Population = append(kz.Population, z.Population...)
	}
	gz, err := ReadZones(openT(t, "testdata/kml/auvergne-6.geojson"), "auvergne-6.geojson", ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(kz.IDs, kz.Premises), "[03314 15019 43074 15142 15153 43051] [0 0 0 866 1441 2427]"; got != want {
		t.Errorf("ids, premises (LOG) = %s, want %s", got, want)
	}
	for _, c := range []struct {
		what      string
		kml, json any
	}{{"IDs", kz.IDs, gz.IDs}, {"Names", kz.Names, gz.Names}, {"Premises", kz.Premises, gz.Premises}, {"Households", kz.Households, gz.Households}, {"Population", kz.Population, gz.Population}} {
		if !reflect.DeepEqual(c.kml, c.json) {
			t.Errorf("%s: KML %v, GeoJSON %v", c.what, c.kml, c.json)
		}
	}
	if len(kz.Geoms) != len(gz.Geoms) {
		t.Fatalf("%d KML zones, %d GeoJSON", len(kz.Geoms), len(gz.Geoms))
	}
	for i := range kz.Geoms {
		if !reflect.DeepEqual(kz.Geoms[i], gz.Geoms[i]) {
			t.Errorf("zone %s: KML %T and GeoJSON %T geometries differ", kz.IDs[i], kz.Geoms[i], gz.Geoms[i])
		}
	}
	// The slice covers a MultiGeometry and Polygons with holes.
	kinds := ""
	for _, g := range kz.Geoms {
		kinds += fmt.Sprintf("%s:%d ", g.GeoJSONType(), rings(g))
	}
	if want := "Polygon:1 MultiPolygon:4 Polygon:2 Polygon:1 MultiPolygon:2 Polygon:2 "; kinds != want {
		t.Errorf("geometry types and ring counts = %q, want %q", kinds, want)
	}
}

// TestReadKMLAuvergneFull checks the two original Auvergne KMLs (92 and
// 141 Placemarks) against the whole converted GeoJSON. It needs the
// shared data folder and is skipped without it.
func TestReadKMLAuvergneFull(t *testing.T) {
	dir := "../../shared/data/auvergne-ftth-nro-zones"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("shared data not available:", err)
	}
	var areas []any
	var ids []string
	for _, c := range []struct {
		name string
		n    int
	}{{"ftth-phase1.kml", 92}, {"ftth-phase2.kml", 141}} {
		fl, err := ReadKMLFibre(openT(t, filepath.Join(dir, c.name)), c.name, FibreOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if fl.Records != c.n || len(fl.Areas) != c.n || fl.Skipped() != 0 {
			t.Errorf("%s: %d records, %d areas, %d skipped; want %d", c.name, fl.Records, len(fl.Areas), fl.Skipped(), c.n)
		}
		for _, a := range fl.Areas {
			areas = append(areas, a)
		}
		ids = append(ids, fl.AreaIDs...)
		// Zones need unique ids: INSEE repeats (several NROs per commune).
		_, err = ReadKMLZones(openT(t, filepath.Join(dir, c.name)), c.name, ZoneOptions{})
		if !errors.Is(err, ErrDuplicateID) || !strings.Contains(err.Error(), "(Placemark at line") {
			t.Errorf("%s as zones: %v, want a located duplicate id error", c.name, err)
		}
	}
	gf, err := ReadFibre(openT(t, filepath.Join(dir, "auvergne-ftth-nro-zones.geojson")), "all.geojson", FibreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(gf.Areas) != len(areas) {
		t.Fatalf("%d GeoJSON areas, %d KML", len(gf.Areas), len(areas))
	}
	for i := range areas {
		if ids[i] != gf.AreaIDs[i] || !reflect.DeepEqual(areas[i], any(gf.Areas[i])) {
			t.Errorf("area %d (%s): KML and GeoJSON differ", i, ids[i])
		}
	}
}

// rings counts a polygonal geometry's polygons (MultiPolygon) or rings
// (Polygon).
func rings(g orb.Geometry) int {
	switch g := g.(type) {
	case orb.Polygon:
		return len(g)
	case orb.MultiPolygon:
		return len(g)
	}
	return -1
}

func TestReadKMLProperties(t *testing.T) {
	doc := `<?xml version="1.0" encoding="ISO-8859-1"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>communes</name>
<Schema name="c" id="c"><SimpleField type="string" name="CODE_INSEE"/></Schema>
<Folder><Folder>
<Placemark id="pm-a"><name>Saint-Flour</name>
  <ExtendedData><Data name="CODE_INSEE"><displayName>Code</displayName><value>15187</value></Data>
  <Data name="POPULATION"><value>6543</value></Data><Data name="menages"><value>3000</value></Data></ExtendedData>
  ` + kmlSquare + `</Placemark>
</Folder>
<Placemark id="pm-b"><name>Ytrac</name>` + strings.ReplaceAll(kmlSquare, "2.5,", "2.7,") + `</Placemark>
<Placemark><name>` + "Bo\xeet" + `</name>
  <Polygon><outerBoundaryIs><LinearRing><coordinates>
    2.8,45 2.9,45 2.9,45.1 2.8,45.1
  </coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>sans géométrie</name></Placemark>
</Folder></Document></kml>`
	z, err := ReadKMLZones(strings.NewReader(doc), "communes.kml", ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(z.IDs, z.Names, z.Population, z.Households, z.Features, z.SkipCounts, z.Warnings, z.Used)
	want := "[15187 pm-b 3] [Saint-Flour Ytrac Boît] [6543 0 0] [3000 0 0] [0 1 2] [{empty geometry 1}]" +
		" [{no id (feature number used) 1}] [{id CODE_INSEE} {name name} {population POPULATION} {households menages}]"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if fmt.Sprint(z.Columns) != "[name CODE_INSEE POPULATION menages]" {
		t.Errorf("Columns = %v", z.Columns)
	}
}

func TestReadKMLFibreAndPoints(t *testing.T) {
	doc := kmlDocOf(
		`<Placemark><name>NRO Murat</name><ExtendedData><SchemaData schemaUrl="#n"><SimpleData name="CODE_NRO">15138MRA</SimpleData><SimpleData name="STATUT">en service</SimpleData></SchemaData></ExtendedData><Point><coordinates>2.87,45.11</coordinates></Point></Placemark>`,
		`<Placemark><name>Route</name><ExtendedData><Data name="etat"><value>en projet</value></Data></ExtendedData><LineString><tessellate>1</tessellate><coordinates>2.8,45.1 2.87,45.11,12</coordinates></LineString></Placemark>`,
		`<Placemark><name>mixed</name><MultiGeometry><Point><coordinates>3,45</coordinates></Point><LineString><coordinates>3,45 3.1,45</coordinates></LineString>`+kmlSquare+`</MultiGeometry></Placemark>`,
	)
	fl, err := ReadKMLFibre(strings.NewReader(doc), "net.kml", FibreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(fl.NodeIDs, fl.NodeActive, fl.LineIDs, fl.LineActive, fl.AreaIDs, fl.Lines[0], " ", fl.Format)
	if want := "[15138MRA mixed/1] [true true] [Route mixed/2] [false true] [mixed/3] [[2.8 45.1] [2.87 45.11]] kml"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	pts := kmlDocOf(
		`<Placemark id="x"><ExtendedData><Data name="id"><value>ap-1</value></Data><Data name="portee_m"><value>150</value></Data><Data name="statut"><value>actif</value></Data></ExtendedData><Point><coordinates>2.35,48.85,35</coordinates></Point></Placemark>`,
		`<Placemark><name>two</name><ExtendedData><Data name="id"><value>ap-2</value></Data></ExtendedData><MultiGeometry><Point><coordinates>2.36,48.86</coordinates></Point><Point><coordinates>2.37,48.87</coordinates></Point></MultiGeometry></Placemark>`,
		`<Placemark><ExtendedData><Data name="id"><value>far</value></Data></ExtendedData><Point><coordinates>200,48</coordinates></Point></Placemark>`,
	)
	pl, err := ReadKMLPoints(strings.NewReader(pts), "aps.kml", PointOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range pl.Len() {
		ids = append(ids, pl.ID(i))
	}
	got = fmt.Sprint(ids, pl.Pts, pl.RangeM, pl.Active, pl.SkipCounts, " ", pl.Format, " ", pl.CRS)
	if want := "[ap-1 ap-2/1 ap-2/2] [[2.35 48.85] [2.36 48.86] [2.37 48.87]] [150 NaN NaN] [true true true] [{lon out of range 1}] kml EPSG:4326 (WGS84 lon/lat)"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestReadKMLErrors(t *testing.T) {
	pm := func(geom string) string { return kmlDocOf(`<Placemark><name>A</name>` + geom + `</Placemark>`) }
	for _, c := range []struct {
		name, doc string
		fibre     bool
		sentinel  error
		want      string
	}{
		{"not XML", "id,lon,lat\n1,2,3\n", false, ErrSyntax, "z.kml: not KML: no XML element"},
		{"GPX", `<?xml version="1.0"?><gpx><wpt lat="1" lon="2"/></gpx>`, false, ErrSyntax, "not KML: the root element is <gpx>"},
		{"truncated", pm(kmlSquare)[:200], false, ErrSyntax, "invalid XML at line 3"},
		{"bad number", pm(strings.Replace(kmlSquare, "2.6,45,0", "2.6,4x5,0", 1)), false, ErrGeometry, `feature 0: coordinates: position 1: "4x5" is not a number (Placemark at line 3)`},
		{"NaN", pm(strings.Replace(kmlSquare, "2.6,45,0", "NaN,45", 1)), false, ErrGeometry, `"NaN" is not a number`},
		{"one number", pm(strings.Replace(kmlSquare, "2.6,45,0", "2.6", 1)), false, ErrGeometry, `position 1 "2.6" is not lon,lat[,alt]`},
		{"point as zone", pm(`<Point><coordinates>2,45</coordinates></Point>`), false, ErrGeometry, `feature 0: geometry: Point is not a Polygon or MultiPolygon (Placemark at line 3 "A")`},
		{"short ring", pm(`<Polygon><outerBoundaryIs><LinearRing><coordinates>2,45 3,45 2,45</coordinates></LinearRing></outerBoundaryIs></Polygon>`), false, ErrGeometry, "ring 0 has 3 positions"},
		{"no outer", pm(`<Polygon><innerBoundaryIs><LinearRing><coordinates>2,45 3,45 3,46 2,45</coordinates></LinearRing></innerBoundaryIs></Polygon>`), false, ErrGeometry, "outerBoundaryIs: Polygon without an outer boundary"},
		{"out of range", pm(strings.ReplaceAll(kmlSquare, "45.1", "95.1")), false, ErrRange, "lat out of range"},
		{"two geometries", pm(kmlSquare + kmlSquare), false, ErrGeometry, "more than one geometry"},
		{"model", pm(`<Model><Location/></Model>`), true, ErrGeometry, "Model is not supported"},
		{"empty point", pm(`<Point></Point>`), true, ErrGeometry, "Point without coordinates"},
		{"duplicate id", kmlDocOf(`<Placemark id="a">`+kmlSquare+`</Placemark>`, `<Placemark id="a">`+kmlSquare+`</Placemark>`), false, ErrDuplicateID, `feature 1: id: "a" is also the id of feature 0 (Placemark at line 4)`},
		{"encoding", `<?xml version="1.0" encoding="KOI8-R"?><kml/>`, false, ErrSyntax, `unsupported encoding "KOI8-R"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if c.fibre {
				_, err = ReadKMLFibre(strings.NewReader(c.doc), "z.kml", FibreOptions{})
			} else {
				_, err = ReadKMLZones(strings.NewReader(c.doc), "z.kml", ZoneOptions{})
			}
			if !errors.Is(err, c.sentinel) || !strings.Contains(fmt.Sprint(err), c.want) {
				t.Errorf("err = %v\nwant %v containing %q", err, c.sentinel, c.want)
			}
		})
	}
}

func TestFormatOf(t *testing.T) {
	shp := []byte{0, 0, 0x27, 0x0a, 0, 0}
	for _, c := range []struct {
		name string
		head string
		want string
	}{
		{"zones.geojson", `{"type":"FeatureCollection"`, "geojson"},
		{"ZONES.JSON", "", "geojson"},
		{"data.txt", "\ufeff  [{", "geojson"},
		{"premises.csv", "id;lon;lat\n", "csv"},
		{"premises", "id;lon;lat\n", "csv"},
		{"export.tsv", "", "csv"},
		{"nro.kml", `<?xml version="1.0" encoding="UTF-8"?>`, "kml"},
		{"nro.xml", `<?xml version="1.0"?>` + "\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">", "kml"},
		{"NRO.KML", "", "kml"},
		{"track.gpx", `<?xml version="1.0"?><gpx>`, ""},
		{"COMMUNE.SHP", string(shp), "shapefile"},
		{"commune.shp", "", "shapefile"},
		{"noext", string(shp), "shapefile"},
		{"commune.shx", string(shp), ""},
		{"commune.dbf", "\x03\x7e", ""},
		{"nro.kmz", "PK\x03\x04", "kmz"},
		{"nro.zip", "PK\x03\x04" + strings.Repeat("\x00", 22) + "\x07\x00\x00\x00doc.kml", "kmz"},
		{"communes.zip", "PK\x03\x04" + strings.Repeat("\x00", 22) + "\x0c\x00\x00\x00COMMUNES.shp", "zip"},
		{"download", "PK\x03\x04", "zip"},
		{"communes.gpkg", "SQLite format 3\x00\x10\x00", "gpkg"},
		{"export.sqlite", "SQLite format 3\x00", "gpkg"},
		{"COMMUNES.GPKG", "", "gpkg"},
		{"communes.gpkg", "id,lon,lat\n", "gpkg"},
		{"data.csv", "PK\x03\x04", ""},
		{"table.xlsx", "PK\x03\x04", ""},
		{"dir.v2/file", "a,b\n", "csv"},
	} {
		if got := FormatOf(c.name, []byte(c.head)); got != c.want {
			t.Errorf("FormatOf(%q, %q) = %q, want %q", c.name, c.head, got, c.want)
		}
	}
}

func FuzzReadKMLZones(f *testing.F) {
	for _, name := range []string{"auvergne-phase1-3.kml", "auvergne-phase2-3.kml"} {
		b, err := os.ReadFile(filepath.Join("testdata/kml", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 3000)])
	}
	f.Add([]byte(kmlDocOf(`<Placemark id="p"><name>n</name>` + kmlSquare + `</Placemark>`)))
	f.Add([]byte(kmlDocOf(`<Placemark><MultiGeometry><Point><coordinates>1,2</coordinates></Point><MultiGeometry>` + kmlSquare + `</MultiGeometry></MultiGeometry></Placemark>`)))
	f.Add([]byte(`<kml><Placemark><ExtendedData><Data name="a"><value>"\</value></Data></ExtendedData><LineString><coordinates>1,2 3,4</coordinates></LineString></Placemark></kml>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		z, err := ReadKMLZones(bytes.NewReader(data), "fuzz.kml", ZoneOptions{})
		if err == nil {
			if len(z.IDs) != len(z.Geoms) || len(z.Names) != len(z.Geoms) {
				t.Fatalf("misaligned zone layer: %d ids, %d names, %d geoms", len(z.IDs), len(z.Names), len(z.Geoms))
			}
			_ = z.Bound()
		} else {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error is not a located *Error: %v", err)
			}
			if e.Offset >= 0 {
				t.Fatalf("the generated GeoJSON is invalid: %v", err)
			}
		}
		fl, err := ReadKMLFibre(bytes.NewReader(data), "fuzz.kml", FibreOptions{})
		if err == nil && len(fl.NodeIDs) != len(fl.Nodes) {
			t.Fatal("misaligned fibre layer")
		}
		if _, err := ReadKMLPoints(bytes.NewReader(data), "fuzz.kml", PointOptions{}); err != nil {
			var e *Error
			if errors.As(err, &e) && e.Offset >= 0 {
				t.Fatalf("the generated GeoJSON is invalid: %v", err)
			}
		}
	})
}

// syntheticKML is n Placemarks, each a 40-vertex polygon (a circle, valid:
// the reader rejects self-intersecting rings) with ExtendedData.
func syntheticKML(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder>`)
	for i := range n {
		x, y := 2+float64(i%100)*0.01, 45+float64(i/100)*0.01
		fmt.Fprintf(&b, "\n<Placemark><name>Zone %d</name><ExtendedData><SchemaData schemaUrl=\"#z\"><SimpleData name=\"INSEE\">%05d</SimpleData><SimpleData name=\"LOG\">%d</SimpleData></SchemaData></ExtendedData><Polygon><outerBoundaryIs><LinearRing><coordinates>", i, i, i%500)
		for k := range 40 {
			a := float64(k) / 40 * 2 * 3.141592653589793
			fmt.Fprintf(&b, "%.12f,%.12f,0 ", x+0.004*(1+math.Cos(a)), y+0.004*(1+math.Sin(a)))
		}
		fmt.Fprintf(&b, "%.12f,%.12f,0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>", x+0.008, y+0.004)
	}
	b.WriteString("\n</Folder></Document></kml>\n")
	return []byte(b.String())
}

func BenchmarkReadKMLZones(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		data := syntheticKML(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				z, err := ReadKMLZones(bytes.NewReader(data), "bench.kml", ZoneOptions{})
				if err != nil || z.Len() != n {
					b.Fatal(err)
				}
			}
		})
	}
}

func ExampleReadKMLZones() {
	const doc = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder>
  <Placemark><name>Murat</name>
    <ExtendedData><SchemaData schemaUrl="#nro">
      <SimpleData name="INSEE">15138</SimpleData><SimpleData name="LOG">1532</SimpleData>
    </SchemaData></ExtendedData>
    <Polygon><outerBoundaryIs><LinearRing><coordinates>
      2.85,45.10,0 2.89,45.10,0 2.89,45.13,0 2.85,45.13,0 2.85,45.10,0
    </coordinates></LinearRing></outerBoundaryIs></Polygon>
  </Placemark>
</Folder></Document></kml>`
	z, err := ReadKMLZones(strings.NewReader(doc), "nro.kml", ZoneOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(z.Format, z.CRS)
	fmt.Println(z.IDs[0], z.Names[0], z.Premises[0], z.Used)
	fmt.Println(z.Bound())
	// Output:
	// kml EPSG:4326 (WGS84 lon/lat)
	// 15138 Murat 1532 [{id INSEE} {name name} {premises LOG}]
	// {[2.85 45.1] [2.89 45.13]}
}

// TestReadKMLGDAL reads the Cantal communes written as KML by GDAL's two
// drivers (KML: SchemaData in a Folder; LIBKML: nested Documents,
// Placemark ids, one position per line): zones equal the GeoJSON's.
func TestReadKMLGDAL(t *testing.T) {
	gz, err := ReadZones(openT(t, "testdata/cantal-3-communes.geojson"), "cantal", ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"cantal-3-gdal.kml", "cantal-3-libkml.kml"} {
		t.Run(name, func(t *testing.T) {
			z, err := ReadKMLZones(openT(t, filepath.Join("testdata/kml", name)), name, ZoneOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(z.IDs, gz.IDs) || !reflect.DeepEqual(z.Names, gz.Names) || !reflect.DeepEqual(z.Geoms, gz.Geoms) {
				t.Errorf("KML zones %v %v differ from the GeoJSON's %v %v", z.IDs, z.Names, gz.IDs, gz.Names)
			}
			if fmt.Sprint(z.Used) != "[{id code} {name nom}]" {
				t.Errorf("Used = %v", z.Used)
			}
		})
	}
}

func TestOpenKMZ(t *testing.T) {
	kml, err := os.ReadFile("testdata/kml/auvergne-phase1-3.kml")
	if err != nil {
		t.Fatal(err)
	}
	kmz := zipOf(t, [2]string{"doc.kml", string(kml)}, [2]string{"files/icon.png", "png"})
	rc, err := OpenKMZ(bytes.NewReader(kmz), int64(len(kmz)), "nro.kmz")
	if err != nil {
		t.Fatal(err)
	}
	z, err := ReadKMLZones(rc, "nro.kmz", ZoneOptions{})
	rc.Close()
	if err != nil || fmt.Sprint(z.IDs) != "[03314 15019 43074]" {
		t.Fatalf("zones %v, err %v", z, err)
	}
	if got := FormatOf("nro.bin", kmz[:64]); got != "kmz" {
		t.Errorf("FormatOf(KMZ head) = %q", got)
	}
	two := zipOf(t, [2]string{"a.kml", "<kml/>"}, [2]string{"b.kml", "<kml/>"})
	if _, err := OpenKMZ(bytes.NewReader(two), int64(len(two)), "two.kmz"); !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), `2 .kml files and no doc.kml: "a.kml", "b.kml"`) {
		t.Errorf("two KMLs: %v", err)
	}
	none := zipOf(t, [2]string{"a.txt", "x"})
	if _, err := OpenKMZ(bytes.NewReader(none), int64(len(none)), "none.kmz"); !errors.Is(err, ErrEmpty) {
		t.Errorf("no KML: %v", err)
	}
}
