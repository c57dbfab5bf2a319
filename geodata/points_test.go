package geodata

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
)

func readPointsString(t *testing.T, s string, opt PointOptions) *PointLayer {
	t.Helper()
	l, err := ReadPoints(strings.NewReader(s), "test.csv", opt)
	if err != nil {
		t.Fatalf("ReadPoints: %v", err)
	}
	return l
}

func ids(l *PointLayer) []string {
	out := make([]string, l.Len())
	for i := range out {
		out[i] = l.ID(i)
	}
	return out
}

func near(a, b orb.Point, tol float64) bool {
	return math.Abs(a[0]-b[0]) <= tol && math.Abs(a[1]-b[1]) <= tol
}

func TestReadPointsFixtures(t *testing.T) {
	t.Run("BAN Mont-Bonvillers", func(t *testing.T) {
		f, err := os.Open("testdata/ban-54084.csv")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		l, err := ReadPoints(f, "ban-54084.csv", PointOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if l.Len() != 501 || l.Records != 501 || l.Skipped() != 0 {
			t.Fatalf("Len %d Records %d Skipped %d, want 501 501 0", l.Len(), l.Records, l.Skipped())
		}
		if got := fmt.Sprint(l.Used); got != "[{lon lon} {lat lat} {id id}]" {
			t.Errorf("Used = %s (lon/lat must win over Lambert-93 x/y)", got)
		}
		if l.ID(0) != "ADRNIVX_0000000265767225" || l.Pts[0] != (orb.Point{5.8330401618155, 49.3246174823707}) || l.Lines[0] != 2 {
			t.Errorf("first = %s %v line %d", l.ID(0), l.Pts[0], l.Lines[0])
		}
		if l.Units != nil || l.UnitsAt(3) != 1 {
			t.Errorf("no units column: Units = %v, UnitsAt = %d", l.Units != nil, l.UnitsAt(3))
		}
	})
	t.Run("Paris Wi-Fi (BOM, ';', geo_point_2d, status)", func(t *testing.T) {
		f, err := os.Open("testdata/paris-wifi-24.csv")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		l, err := ReadPoints(f, "paris-wifi-24.csv", PointOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if l.Len() != 24 {
			t.Fatalf("Len = %d, want 24", l.Len())
		}
		if l.Columns[0] != "Nom du site" {
			t.Errorf("BOM not stripped: first column %q", l.Columns[0])
		}
		if got := fmt.Sprint(l.Used); got != "[{geo_point_2d geo_point_2d} {id Code Site} {status Etat du site}]" {
			t.Errorf("Used = %s", got)
		}
		if !near(l.Pts[0], orb.Point{2.346563042652778, 48.85751278386862}, 0) || l.ID(0) != "PW0158" {
			t.Errorf("first = %s %v", l.ID(0), l.Pts[0])
		}
		inactive := 0
		for i := range l.Len() {
			if !l.ActiveAt(i) {
				inactive++
			}
		}
		// Fermé pour travaux x2, En déploiement, En étude.
		if inactive != 4 {
			t.Errorf("%d inactive sites, want 4", inactive)
		}
		if got := fmt.Sprint(l.Warnings); got != "[{empty id (replaced by line<N>) 2}]" {
			t.Errorf("Warnings = %s", got)
		}
		if l.ID(22) != "line24" {
			t.Errorf("empty Code Site on line 24 got id %q", l.ID(22))
		}
	})
}

func TestReadPointsCSVVariants(t *testing.T) {
	l93 := Lambert93()
	bx := l93.Forward(orb.Point{5.8330401618155, 49.3246174823707})
	tests := []struct {
		name    string
		in      string
		opt     PointOptions
		ids     string
		pts     []orb.Point
		crs     string
		used    string
		checkFn func(t *testing.T, l *PointLayer)
	}{
		{name: "comma", in: "id,lon,lat,units\n1,2.5,45.1,3\n2,-1.25,44,1\n", ids: "[1 2]",
			pts: []orb.Point{{2.5, 45.1}, {-1.25, 44}}, used: "[{lon lon} {lat lat} {id id} {units units}]",
			checkFn: func(t *testing.T, l *PointLayer) {
				if fmt.Sprint(l.Units) != "[3 1]" {
					t.Errorf("Units = %v", l.Units)
				}
			}},
		{name: "semicolon decimal comma", in: "id;longitude;latitude\nA;2,5;45,125\nB;\"3,75\";46\n", ids: "[A B]",
			pts: []orb.Point{{2.5, 45.125}, {3.75, 46}}},
		{name: "tab", in: "ID\tLng\tLat\nx1\t2.5\t45.1\n", ids: "[x1]", pts: []orb.Point{{2.5, 45.1}}},
		{name: "CRLF and blank lines", in: "id,lon,lat\r\n1,2.5,45.1\r\n\r\n   \n2,2.6,45.2\r\n", ids: "[1 2]",
			pts: []orb.Point{{2.5, 45.1}, {2.6, 45.2}}},
		{name: "no trailing newline", in: "id,lon,lat\n1,2.5,45.1", ids: "[1]", pts: []orb.Point{{2.5, 45.1}}},
		{name: "quoted fields with separators, quotes and newlines", in: "id,name,lon,lat\n\"a,\"\"b\"\"\",\"two\nlines\",2.5,45.1\n\"\",\"\",2.6,45.2\n",
			ids: "[a,\"b\" line4]", pts: []orb.Point{{2.5, 45.1}, {2.6, 45.2}}},
		{name: "no id column: row numbers survive skips", in: "lon,lat\n2.5,45.1\nbad,45\n2.7,45.3\n", ids: "[1 3]",
			pts: []orb.Point{{2.5, 45.1}, {2.7, 45.3}}},
		{name: "Lambert-93 x/y detected", in: "id;x;y\n1;905959;6917588.2\n", ids: "[1]",
			pts: []orb.Point{{5.8330401618155, 49.3246174823707}}, crs: CRSL93Detected},
		{name: "Lambert-93 forced", in: "id,X,Y\n1," + fmt.Sprint(bx[0]) + "," + fmt.Sprint(bx[1]) + "\n", opt: PointOptions{CRS: "EPSG:2154"},
			ids: "[1]", pts: []orb.Point{{5.8330401618155, 49.3246174823707}}},
		{name: "x/y in degrees", in: "X,Y\n2.5,45.1\n", ids: "[1]", pts: []orb.Point{{2.5, 45.1}}, crs: CRSWGS84Assumed,
			used: "[{x X} {y Y}]"},
		{name: "WKT", in: "id;wkt\n1;POINT (2.5 45.1)\n2;point(2.6 45.2)\n3;\"SRID=4326;POINT Z (2.7 45.3 100)\"\n", opt: PointOptions{},
			ids: "[1 2 3]", pts: []orb.Point{{2.5, 45.1}, {2.6, 45.2}, {2.7, 45.3}}},
		{name: "WKT not a point", in: "id;geometry\n1;LINESTRING (1 2, 3 4)\n2;POINT EMPTY\n3;POINT (1 2)\n", ids: "[3]", pts: []orb.Point{{1, 2}},
			checkFn: func(t *testing.T, l *PointLayer) {
				if fmt.Sprint(l.SkipCounts) != "[{empty geometry 1} {wkt is not a POINT 1}]" {
					t.Errorf("SkipCounts = %v", l.SkipCounts)
				}
			}},
		{name: "geo_shape", in: "id;geo_shape\n1;\"{\"\"coordinates\"\": [2.5, 45.1], \"\"type\"\": \"\"Point\"\"}\"\n", ids: "[1]",
			pts: []orb.Point{{2.5, 45.1}}},
		{name: "explicit columns", in: "code,e,n\nZ,2.5,45.1\n", opt: PointOptions{LonField: "E", LatField: "N", IDField: "code"},
			ids: "[Z]", pts: []orb.Point{{2.5, 45.1}}},
		{name: "units forms", in: "id,lon,lat,nb_logements\n1,2,45,\n2,2,45,2.0\n3,2,45, 7 \n", ids: "[1 2 3]",
			pts: []orb.Point{{2, 45}, {2, 45}, {2, 45}}, checkFn: func(t *testing.T, l *PointLayer) {
				if fmt.Sprint(l.Units) != "[1 2 7]" {
					t.Errorf("Units = %v", l.Units)
				}
			}},
		{name: "AP attributes", in: "id,lon,lat,range_m,capacity_mbps,status,kind\n1,2,45,300,,actif,school\n2,2,45,,1000,En étude,entreprise\n3,2,45,50.5,10,OUI,\n",
			ids: "[1 2 3]", pts: []orb.Point{{2, 45}, {2, 45}, {2, 45}}, checkFn: func(t *testing.T, l *PointLayer) {
				if fmt.Sprint(l.Active) != "[true false true]" {
					t.Errorf("Active = %v", l.Active)
				}
				if l.RangeM[0] != 300 || !math.IsNaN(l.RangeM[1]) || l.RangeM[2] != 50.5 {
					t.Errorf("RangeM = %v", l.RangeM)
				}
				if !math.IsNaN(l.CapacityMbps[0]) || l.CapacityMbps[1] != 1000 {
					t.Errorf("CapacityMbps = %v", l.CapacityMbps)
				}
				if fmt.Sprint(l.Kinds) != "[school business household]" {
					t.Errorf("Kinds = %v", l.Kinds)
				}
			}},
		{name: "Excel sep= line", in: "sep=;\nid;lon;lat\nA;2,5;45\nB;bad;45\n", ids: "[A]", pts: []orb.Point{{2.5, 45}},
			checkFn: func(t *testing.T, l *PointLayer) {
				if len(l.Skips) != 1 || l.Skips[0].Line != 4 {
					t.Errorf("Skips = %v, want one on line 4", l.Skips)
				}
			}},
		{name: "Windows-1252", in: "id;lon;lat;\xc9tat du site\nFer\x9c;2,5;45;Op\xe9rationnel\nB;2,6;45;Ferm\xe9 pour travaux\n", ids: "[Ferœ B]",
			pts: []orb.Point{{2.5, 45}, {2.6, 45}}, used: "[{lon lon} {lat lat} {id id} {status État du site}]",
			checkFn: func(t *testing.T, l *PointLayer) {
				if fmt.Sprint(l.Active) != "[true false]" || l.Encoding != "Windows-1252 (detected, converted to UTF-8)" {
					t.Errorf("Active %v Encoding %q", l.Active, l.Encoding)
				}
			}},
		{name: "Nombre de bornes is not units", in: "Code Site;Nombre de bornes;lat;lon\nPW1;5;48.8;2.3\n", ids: "[PW1]",
			pts: []orb.Point{{2.3, 48.8}}, used: "[{lon lon} {lat lat} {id Code Site}]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := readPointsString(t, tt.in, tt.opt)
			if got := fmt.Sprint(ids(l)); got != tt.ids {
				t.Errorf("ids = %s, want %s (skips %v)", got, tt.ids, l.Skips)
			}
			if len(l.Pts) != len(tt.pts) {
				t.Fatalf("%d points, want %d", len(l.Pts), len(tt.pts))
			}
			for i := range tt.pts {
				if !near(l.Pts[i], tt.pts[i], 1e-9) {
					t.Errorf("point %d = %v, want %v", i, l.Pts[i], tt.pts[i])
				}
			}
			if tt.crs != "" && l.CRS != tt.crs {
				t.Errorf("CRS = %q, want %q", l.CRS, tt.crs)
			}
			if tt.used != "" && fmt.Sprint(l.Used) != tt.used {
				t.Errorf("Used = %v, want %s", l.Used, tt.used)
			}
			if tt.checkFn != nil {
				tt.checkFn(t, l)
			}
		})
	}
}

func TestReadPointsSkips(t *testing.T) {
	in := "id,lon,lat,units,range_m\n" +
		"ok1,2.5,45.1,1,\n" + // line 2
		"b1,abc,45.1,1,\n" + // 3
		"b2,200,45.1,1,\n" + // 4
		"b3,2.5,-95,1,\n" + // 5
		"b4,NaN,45,1,\n" + // 6
		"b5,2.5,45,0,\n" + // 7
		"b6,2.5,45,1.5,\n" + // 8
		"b7,2.5,45,1,-3\n" + // 9
		"b8,2.5,,1,\n" + // 10
		"ok2,-180,90,2,\n" // 11
	l := readPointsString(t, in, PointOptions{})
	if got := fmt.Sprint(ids(l)); got != "[ok1 ok2]" {
		t.Errorf("kept %s", got)
	}
	if l.Records != 10 || l.Skipped() != 8 {
		t.Errorf("Records %d Skipped %d, want 10 8", l.Records, l.Skipped())
	}
	want := "[{bad lat 1} {bad lon 2} {bad range_m 1} {lat out of range 1} {lon out of range 1} {units < 1 1} {units not an integer 1}]"
	if got := fmt.Sprint(l.SkipCounts); got != want {
		t.Errorf("SkipCounts = %s\nwant %s", got, want)
	}
	var lines []string
	for _, s := range l.Skips {
		lines = append(lines, s.String())
	}
	wantLines := "line 3: bad lon (abc)|line 4: lon out of range (200)|line 5: lat out of range (-95)|line 6: bad lon (NaN)|line 7: units < 1 (0)|line 8: units not an integer (1.5)|line 9: bad range_m (-3)|line 10: bad lat"
	if got := strings.Join(lines, "|"); got != wantLines {
		t.Errorf("Skips:\n%s\nwant\n%s", got, wantLines)
	}
	lm := readPointsString(t, in, PointOptions{MaxSkipExamples: 2})
	if len(lm.Skips) != 2 || lm.Skipped() != 8 {
		t.Errorf("MaxSkipExamples 2: %d examples, %d skipped", len(lm.Skips), lm.Skipped())
	}
}

func TestReadPointsErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		opt      PointOptions
		sentinel error
		msg      string
	}{
		{"no coordinate columns", "id;nom;adresse\n1;a;b\n", PointOptions{}, ErrNoCoordinates,
			`geodata: p.csv:1: no coordinate columns (want lon/lat, longitude/latitude, x/y, geo_point_2d, geo_shape or a WKT column); columns found: "id", "nom", "adresse"`},
		{"explicit column missing", "id,a,b\n1,2,3\n", PointOptions{LonField: "lon", LatField: "lat"}, ErrNoCoordinates,
			`geodata: p.csv:1: no column "lon" / "lat"; columns found: "id", "a", "b"`},
		{"wrong field count", "id,lon,lat\n1,2,45\n2,3\n", PointOptions{}, ErrSyntax,
			`geodata: p.csv:3: 2 fields, the header has 3 (separator ',')`},
		{"unterminated quote", "id,lon,lat\n\"1,2,45\n", PointOptions{}, ErrSyntax,
			`geodata: p.csv:2: unterminated quoted field`},
		{"text after a closing quote", "id,lon,lat\n\"1\"x,2,45\n", PointOptions{}, ErrSyntax,
			`geodata: p.csv:2: unexpected 'x' after a closing quote`},
		{"empty file", "", PointOptions{}, ErrEmpty, `geodata: p.csv: empty file`},
		{"UTM metres are not guessed", "id,x,y\n1,460592.35,4983071.99\n2,460600,4983080\n", PointOptions{}, ErrRange,
			`geodata: p.csv:2: coordinates (460592.35, 4.98307199e+06) are neither lon/lat degrees nor Lambert-93 metres; reproject the file to EPSG:4326 or EPSG:2154, or set the CRS`},
		{"unknown CRS option", "lon,lat\n1,2\n", PointOptions{CRS: "EPSG:3857"}, ErrSyntax,
			`geodata: p.csv: unknown CRS "EPSG:3857" (want EPSG:4326 or EPSG:2154)`},
		{"invalid JSON", `{"type":"FeatureCollection","features":[{"type":"Feature" "geometry":null}]}`, PointOptions{}, ErrSyntax,
			`geodata: p.csv: feature 0: expected ',' or '}', found '"' (invalid JSON at byte 58)`},
		{"GeoJSON line in points", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}},{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]}}]}`,
			PointOptions{}, ErrGeometry, `geodata: p.csv: feature 1: geometry: LineString is not a Point or MultiPoint`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadPoints(strings.NewReader(tt.in), "p.csv", tt.opt)
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.msg {
				t.Errorf("error\n%s\nwant\n%s", err, tt.msg)
			}
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.sentinel)
			}
		})
	}
}

// TestReadPointsChunked reads a file of several chunks (quoted newlines
// and bare quotes across chunk edges included) with 1 and 3 workers and checks that both
// give the same layer, with correct line numbers.
func TestReadPointsChunked(t *testing.T) {
	const n = 250000
	var b bytes.Buffer
	b.WriteString("id;lon;lat;units;note\n")
	line := 2
	badLine := 0
	for i := 1; i <= n; i++ {
		note := "x"
		switch {
		case i%997 == 0:
			note = "\"two\nlines; \"\"quoted\"\"\""
		case i%991 == 0:
			note = `a 12" pipe` // a bare quote inside an unquoted field is literal
		case i%983 == 0:
			note = "  "
		}
		lon := fmt.Sprintf("%d,%07d", 2, i)
		if i == n-10 {
			lon, badLine = "oops", line
		}
		fmt.Fprintf(&b, "p%d;%s;45,5;%d;%s\n", i, lon, 1+i%3, note)
		line += 1 + strings.Count(note, "\n")
	}
	data := b.Bytes()
	if len(data) < 3*csvChunkSize {
		t.Fatalf("test file too small: %d bytes", len(data))
	}
	var layers []*PointLayer
	for _, w := range []int{1, 3} {
		l, err := ReadPoints(bytes.NewReader(data), "big.csv", PointOptions{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		layers = append(layers, l)
	}
	// Without a size hint too (a plain io.Reader).
	l, err := ReadPoints(struct{ *bytes.Reader }{bytes.NewReader(data)}, "big.csv", PointOptions{})
	if err != nil {
		t.Fatal(err)
	}
	layers = append(layers, l)
	for k, l := range layers {
		if l.Len() != n-1 || l.Records != n {
			t.Fatalf("layer %d: Len %d Records %d", k, l.Len(), l.Records)
		}
		if len(l.Skips) != 1 || l.Skips[0].Line != badLine {
			t.Errorf("layer %d: skips %v, want one on line %d", k, l.Skips, badLine)
		}
		for i := 0; i < l.Len(); i += 1 + i%1013 {
			want := i + 1
			if want >= n-10 {
				want++
			}
			if l.ID(i) != fmt.Sprintf("p%d", want) || l.Pts[i][0] != 2+float64(want)/1e7 || l.Units[i] != int32(1+want%3) {
				t.Fatalf("layer %d point %d: %s %v %d", k, i, l.ID(i), l.Pts[i], l.Units[i])
			}
		}
		if k > 0 {
			a := layers[0]
			if !slicesEqual(a.Lines, l.Lines) || !slicesEqual(a.Pts, l.Pts) || !slicesEqual(a.idEnd, l.idEnd) || !bytes.Equal(a.ids, l.ids) {
				t.Errorf("layer %d differs from the 1-worker layer", k)
			}
		}
	}
}

func slicesEqual[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestReadPointsGeoJSON(t *testing.T) {
	in := `{"type":"FeatureCollection","features":[
 {"type":"Feature","id":7,"properties":{"units":3,"kind":"school"},"geometry":{"type":"Point","coordinates":[2.5,45.1,300]}},
 {"type":"Feature","properties":{"id":"A\u00e9","status":"non"},"geometry":{"type":"MultiPoint","coordinates":[[2.6,45.2],[2.7,45.3]]}},
 {"type":"Feature","properties":{"id":"nogeom"},"geometry":null},
 {"type":"Feature","properties":{"id":"far"},"geometry":{"type":"Point","coordinates":[250,45]}},
 {"type":"Feature","properties":{"units":0},"geometry":{"type":"Point","coordinates":[2,45]}}
]}`
	l := readPointsString(t, in, PointOptions{})
	if got := fmt.Sprint(ids(l)); got != "[7 Aé/1 Aé/2]" {
		t.Errorf("ids = %s", got)
	}
	if l.Format != "geojson" || l.Records != 5 || l.CRS != CRSWGS84 {
		t.Errorf("Format %s Records %d CRS %s", l.Format, l.Records, l.CRS)
	}
	if fmt.Sprint(l.Units) != "[3 1 1]" || fmt.Sprint(l.Active) != "[true false false]" || l.Kinds[0] != coverage.KindSchool {
		t.Errorf("Units %v Active %v Kinds %v", l.Units, l.Active, l.Kinds)
	}
	if got := fmt.Sprint(l.SkipCounts); got != "[{empty geometry 1} {lon out of range 1} {units < 1 1}]" {
		t.Errorf("SkipCounts = %s", got)
	}
	// A declared Lambert-93 crs member.
	x := Lambert93().Forward(orb.Point{2.5, 45.1})
	in93 := fmt.Sprintf(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[%f,%f]}}]}`, x[0], x[1])
	l = readPointsString(t, in93, PointOptions{})
	if l.CRS != CRSL93Declared || !near(l.Pts[0], orb.Point{2.5, 45.1}, 1e-8) {
		t.Errorf("crs member: %s %v", l.CRS, l.Pts)
	}
}

func ExampleReadPoints() {
	csv := "\ufeffid;lon;lat;nb_logements\nA1;2,4446;44,9264;3\nA2;2,45;44,93;\nA3;2,46;;1\n"
	l, err := ReadPoints(strings.NewReader(csv), "premises.csv", PointOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range l.Len() {
		fmt.Printf("%s %.4f %.4f units=%d\n", l.ID(i), l.Pts[i][0], l.Pts[i][1], l.UnitsAt(i))
	}
	fmt.Println(l.CRS)
	fmt.Println(l.Used)
	fmt.Println(l.Skips)
	// Output:
	// A1 2.4446 44.9264 units=3
	// A2 2.4500 44.9300 units=1
	// EPSG:4326 (WGS84 lon/lat, assumed)
	// [{lon lon} {lat lat} {id id} {units nb_logements}]
	// [line 4: bad lat]
}

// TestReadPointsCP1252Chunked reads the same multi-chunk file in UTF-8 and
// in Windows-1252 and expects the same layer.
func TestReadPointsCP1252Chunked(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("id;lon;lat;état\n")
	for i := 1; i <= 120000; i++ {
		st := "opérationnel"
		if i%7 == 0 {
			st = "fermé"
		}
		fmt.Fprintf(&b, "é%d;2,%06d;45,5;%s\n", i, i, st)
	}
	utf := b.Bytes()
	latin := bytes.ReplaceAll(utf, []byte("é"), []byte{0xE9})
	if len(latin) < 2*csvChunkSize {
		t.Fatalf("file too small: %d", len(latin))
	}
	a, err := ReadPoints(bytes.NewReader(utf), "utf8.csv", PointOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l, err := ReadPoints(bytes.NewReader(latin), "cp1252.csv", PointOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Encoding != "UTF-8" || l.Encoding == "UTF-8" {
		t.Errorf("encodings %q %q", a.Encoding, l.Encoding)
	}
	if a.Len() != 120000 || l.Len() != a.Len() || !bytes.Equal(a.ids, l.ids) || !slicesEqual(a.Pts, l.Pts) || !slicesEqual(a.Active, l.Active) || !slicesEqual(a.Lines, l.Lines) {
		t.Errorf("layers differ: %d vs %d points, first ids %q %q", a.Len(), l.Len(), a.ID(0), l.ID(0))
	}
	if l.ID(6) != "é7" || l.Active[6] {
		t.Errorf("point 6: %q active %v", l.ID(6), l.Active[6])
	}
}
