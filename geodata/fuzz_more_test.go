package geodata

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"testing"

	"github.com/paulmach/orb"
)

// located fails unless err is a located *Error (or nil).
func located(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if err != nil && !errors.As(err, &e) {
		t.Fatalf("error is not a located *Error: %v", err)
	}
	if err != nil && len(err.Error()) > 8<<10 {
		t.Fatalf("message of %d bytes", len(err.Error()))
	}
}

// checkZones checks the invariants of any zone layer a reader returns.
func checkZones(t *testing.T, z *ZoneLayer) {
	t.Helper()
	if z.Len() == 0 {
		t.Fatal("a zone layer without zones")
	}
	seen := map[string]bool{}
	for i, g := range z.Geoms {
		if seen[z.IDs[i]] {
			t.Fatalf("duplicate id %q", z.IDs[i])
		}
		seen[z.IDs[i]] = true
		for _, p := range polygons(g) {
			for _, r := range p {
				if len(r) < 4 || r[0] != r[len(r)-1] {
					t.Fatalf("zone %d: ring of %d positions, closed %v", i, len(r), len(r) > 0 && r[0] == r[len(r)-1])
				}
			}
		}
		if p, _, done := checkRings(g, nil); done && p != nil {
			t.Fatalf("zone %d passed validation with %s", i, p.what)
		}
	}
}

func FuzzReadZonesCSV(f *testing.F) {
	for _, s := range []string{
		"code_insee;nom;population;geom\n15014;Aurillac;26214;POLYGON ((2.4 44.9, 2.5 44.9, 2.5 45, 2.4 45, 2.4 44.9))\n",
		"id,wkt\n01004,\"MULTIPOLYGON (((5.3 45.9, 5.4 45.9, 5.4 46, 5.3 45.9)), ((5.5 45.9, 5.6 45.9, 5.6 46, 5.5 45.9)))\"\n",
		"id\twkt_geom\nz1\tSRID=2154;POLYGON Z ((700000 6600000 1, 701000 6600000 1, 701000 6601000 1, 700000 6600000 1))\n",
		"id;Geo Shape\nA;{\"type\": \"Polygon\", \"coordinates\": [[[2,45],[2.1,45],[2.1,45.1],[2,45]]]}\n",
		"id;wkt\na;POLYGON EMPTY\nb;POLYGON ((2 45, 2.1 45.1, 2.1 45, 2 45.1, 2 45))\n",
		"sep=;\nid;wkt\n\"a\"\"b\";\"POLYGON((0 0,1 0,1 1,0 0))\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		z, err := ReadZones(bytes.NewReader(data), "fuzz.csv", ZoneOptions{Limits: Limits{MaxRecordBytes: 4096}})
		located(t, err)
		if err == nil {
			checkZones(t, z)
		}
	})
}

func FuzzParseWKT(f *testing.F) {
	for _, s := range []string{"POLYGON ((0 0, 1 0, 1 1, 0 0))", "MULTIPOLYGON (((0 0,1 0,1 1,0 0)),((2 2,3 2,3 3,2 2)))", "SRID=4326;POLYGON ZM ((0 0 1 2, 1 0 1 2, 1 1 1 2, 0 0 1 2))", "POLYGON EMPTY", "POINT (1 2)", "POLYGON ((0 0, 1))"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g, _, msg := parseWKTPolygonal(data)
		if msg != "" {
			return
		}
		switch {
		case g.isNull:
		case g.typ == "Polygon" && g.c.d == 3:
		case g.typ == "MultiPolygon" && g.c.d == 4:
		default:
			t.Fatalf("accepted %q as %q depth %d", data, g.typ, g.c.d)
		}
	})
}

// FuzzReadKML runs the three KML readers with a small text limit, so the
// XML guard is exercised too.
func FuzzReadKML(f *testing.F) {
	for _, name := range []string{"cantal-3-gdal.kml", "auvergne-phase2-3.kml"} {
		b, err := os.ReadFile("testdata/kml/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 3000)])
	}
	f.Add([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><kml><!-- c --><![CDATA[x]]><Placemark id="a"><name><![CDATA[n]]></name><Point><coordinates>2,45</coordinates></Point></Placemark></kml>`))
	f.Add([]byte(`<!DOCTYPE kml [<!ENTITY a "b">]><kml><Placemark><name attr='>'>x</name><kml:coordinates/></Placemark></kml>`))
	lim := Limits{MaxTextBytes: 64}
	f.Fuzz(func(t *testing.T, data []byte) {
		z, err := ReadKMLZones(bytes.NewReader(data), "fuzz.kml", ZoneOptions{Limits: lim})
		located(t, err)
		if err == nil {
			checkZones(t, z)
		}
		fl, err := ReadKMLFibre(bytes.NewReader(data), "fuzz.kml", FibreOptions{Limits: lim})
		located(t, err)
		if err == nil && (len(fl.NodeIDs) != len(fl.Nodes) || len(fl.AreaIDs) != len(fl.Areas)) {
			t.Fatal("misaligned fibre layer")
		}
		_, err = ReadKMLPoints(bytes.NewReader(data), "fuzz.kml", PointOptions{Limits: lim})
		located(t, err)
	})
}

// FuzzZipContainers reads the bytes as a KMZ and as a zipped shapefile,
// with small inflate limits.
func FuzzZipContainers(f *testing.F) {
	shp, dbf := communes(f)
	f.Add(zipOf(f, [2]string{"c.shp", string(shp)}, [2]string{"c.dbf", string(dbf)}, [2]string{"c.prj", `GEOGCS["WGS 84"]`}, [2]string{"c.cpg", "UTF-8"}))
	f.Add(zipOf(f, [2]string{"doc.kml", kmlDocOf(`<Placemark><name>a</name>` + kmlSquare + `</Placemark>`)}))
	f.Add(zipOf(f, [2]string{"a.kml", "<kml/>"}, [2]string{"b.kml", "<kml/>"}))
	lim := Limits{MaxInflatedBytes: 1 << 20, MaxSidecarBytes: 256, MaxTextBytes: 1024}
	f.Fuzz(func(t *testing.T, data []byte) {
		if rc, err := OpenKMZLimits(bytes.NewReader(data), int64(len(data)), "fuzz.kmz", lim); err != nil {
			located(t, err)
		} else {
			_, err := ReadKMLFibre(rc, "fuzz.kmz", FibreOptions{Limits: lim})
			located(t, err)
			rc.Close()
		}
		l, err := ReadShapefileZipOptions(bytes.NewReader(data), int64(len(data)), "fuzz.zip", "", ShapefileOptions{Limits: lim})
		located(t, err)
		if err == nil {
			if z, err := l.Zones(ZoneOptions{}); err == nil {
				checkZones(t, z)
			}
		}
	})
}

// FuzzSidecars reads .prj and .cpg contents, alone and with a shapefile.
func FuzzSidecars(f *testing.F) {
	prj, err := os.ReadFile("testdata/shp/cantal-3-communes.prj")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(prj, []byte("UTF-8"))
	f.Add([]byte(`PROJCS["x",GEOGCS["GRS 1980"],PROJECTION["Lambert_Conformal_Conic_2SP"],PARAMETER["standard_parallel_1",44],PARAMETER["standard_parallel_2",49],PARAMETER["central_meridian",3],PARAMETER["false_easting",700000],PARAMETER["false_northing",6600000],AUTHORITY["EPSG","2154"]]`), []byte("1252"))
	f.Add([]byte(`GEOGCRS["WGS 84",ID["EPSG",4326]]`), []byte(" iso-8859-15 "))
	shp, dbf := communes(f)
	f.Fuzz(func(t *testing.T, prj, cpg []byte) {
		if crs, name, err := parsePRJ(prj); err == nil && (crs == "" || name == "") {
			t.Fatalf("accepted %q as %q %q", prj, crs, name)
		}
		parseCodePage(string(cpg))
		_, err := ReadShapefile(bytes.NewReader(shp), bytes.NewReader(dbf), "fuzz.shp", ShapefileOptions{PRJ: prj, CPG: cpg, Limits: Limits{MaxSidecarBytes: 512}})
		located(t, err)
	})
}

func FuzzInspect(f *testing.F) {
	fuzzSeeds(f, "id;wkt\na;POLYGON ((2 45, 2.1 45, 2.1 45.1, 2 45))\n", "code_insee;population\n15014;26214\n", "id,lon,lat\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Inspect(bytes.NewReader(data), "fuzz")
		located(t, err)
		if err == nil {
			if _, err := json.Marshal(info); err != nil {
				t.Fatalf("JSON: %v", err)
			}
		}
	})
}

// FuzzOverlaps checks the overlap area of two polygons made of the fuzz
// bytes (pairs of small integers as vertices on a 1e-3° grid, so that
// edges are often collinear or share vertices): never negative, never
// more than the smaller polygon, and the same both ways round.
func FuzzOverlaps(f *testing.F) {
	f.Add([]byte{0, 0, 4, 0, 4, 4, 0, 4}, []byte{2, 0, 6, 0, 6, 4, 2, 4})
	f.Add([]byte{0, 0, 4, 0, 4, 4, 0, 4}, []byte{4, 0, 8, 0, 8, 4, 4, 4})
	f.Add([]byte{0, 0, 4, 0, 4, 4, 0, 4}, []byte{0, 0, 4, 0, 4, 4, 0, 4})
	f.Add([]byte{0, 0, 8, 0, 8, 8}, []byte{1, 1, 2, 1, 2, 2, 3, 5})
	poly := func(b []byte) orb.Polygon {
		var r orb.Ring
		for i := 0; i+1 < len(b) && len(r) < 64; i += 2 {
			r = append(r, orb.Point{2 + float64(b[i]%32)*1e-3, 45 + float64(b[i+1]%32)*1e-3})
		}
		if len(r) < 3 {
			return nil
		}
		r = append(r, r[0])
		if n := dedupe(r); n < 4 {
			return nil
		} else {
			r = r[:n]
		}
		if zeroArea(r) {
			return nil
		}
		p := orb.Polygon{r}
		if q, _, _ := checkRings(p, nil); q != nil {
			return nil
		}
		return p
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		pa, pb := poly(a), poly(b)
		if pa == nil || pb == nil {
			return
		}
		o1 := overlaps([]orb.Geometry{pa, pb}, 1e-6, 1)
		o2 := overlaps([]orb.Geometry{pb, pa}, 1e-6, 1)
		area := func(o []overlap) float64 {
			if len(o) == 0 {
				return 0
			}
			return o[0].areaM2
		}
		a1, a2 := area(o1), area(o2)
		const m2PerDeg2 = mPerDegLat * mPerDegLat
		maxA := math.Min(math.Abs(signedArea(pa[0])), math.Abs(signedArea(pb[0]))) * m2PerDeg2
		tol := 1e-6*maxA + 1
		if a1 < 0 || a1 > maxA+tol || math.Abs(a1-a2) > tol {
			t.Fatalf("overlap %g one way, %g the other, smaller polygon %g m²", a1, a2, maxA)
		}
	})
}
