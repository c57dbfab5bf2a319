package geodata

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestReadZonesCantal(t *testing.T) {
	f, err := os.Open("testdata/cantal-3-communes.geojson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := ReadZones(f, "cantal-3-communes.geojson", ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(z.IDs, z.Names); got != "[15142 15014 15153] [Neuvéglise-sur-Truyère Aurillac Pleaux]" {
		t.Errorf("ids and names = %s", got)
	}
	if _, ok := z.Geoms[2].(orb.MultiPolygon); !ok {
		t.Errorf("Pleaux is a %T, want orb.MultiPolygon", z.Geoms[2])
	}
	if p, ok := z.Geoms[1].(orb.Polygon); !ok || p[0][0] != p[0][len(p[0])-1] {
		t.Errorf("Aurillac ring not closed or not a polygon: %T", z.Geoms[1])
	}
	if got := fmt.Sprint(z.Used); got != "[{id code} {name nom}]" {
		t.Errorf("Used = %s", got)
	}
	b := z.Bound()
	if b.Min[0] < 2.06 || b.Max[0] > 3.38 || b.Min[1] < 44.6 || b.Max[1] > 45.5 {
		t.Errorf("Bound = %v", b)
	}
}

func fc(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

func feat(props, geom string) string {
	return `{"type":"Feature","properties":` + props + `,"geometry":` + geom + `}`
}

const sq = `{"type":"Polygon","coordinates":[[[2,45],[2.1,45],[2.1,45.1],[2,45.1],[2,45]]]}`

func TestReadZonesProperties(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opt  ZoneOptions
		want string // ids|names|population|households
		warn string
	}{
		{"numeric ids without .0", fc(feat(`{"zone_id":1}`, sq), feat(`{"zone_id":2.0}`, sq), feat(`{"zone_id":15014.5}`, sq)), ZoneOptions{},
			"[1 2 15014.5]|[  ]|[0 0 0]|[0 0 0]|[0 0 0]", "[]"},
		{"INSEE codes keep leading zeros", fc(feat(`{"code_insee":"01004","nom":"Ambérieu","population":14514,"menages":6500}`, sq)), ZoneOptions{},
			"[01004]|[Ambérieu]|[0]|[14514]|[6500]", "[]"},
		{"id before zone_id before code", fc(feat(`{"code":"c","zone_id":"z","id":"i"}`, sq)), ZoneOptions{}, "[i]|[]|[0]|[0]|[0]", "[]"},
		{"top-level id fallback", `{"type":"FeatureCollection","features":[{"type":"Feature","id":"f1","properties":null,"geometry":` + sq + `}]}`, ZoneOptions{},
			"[f1]|[]|[0]|[0]|[0]", "[]"},
		{"feature number as last resort", fc(feat(`{}`, sq), feat(`{}`, sq)), ZoneOptions{}, "[1 2]|[ ]|[0 0]|[0 0]|[0 0]", "[{no id (feature number used) 2}]"},
		{"explicit id field", fc(feat(`{"code":"c","CODE_NRO":"15258VSC","name":"Vic"}`, sq)), ZoneOptions{IDField: "code_nro"},
			"[15258VSC]|[Vic]|[0]|[0]|[0]", "[]"},
		{"locaux, population and menages", fc(feat(`{"id":"a","locaux":"812","population":1200,"menages":498}`, sq)), ZoneOptions{}, "[a]|[]|[812]|[1200]|[498]", "[]"},
		{"PMUN and LOG (dwellings stand for premises)", fc(feat(`{"id":"a","PMUN":"1200","LOG":530}`, sq)), ZoneOptions{}, "[a]|[]|[530]|[1200]|[0]", "[]"},
		{"unclosed ring is closed", fc(feat(`{"id":"a"}`, `{"type":"Polygon","coordinates":[[[2,45],[2.1,45],[2.1,45.1],[2,45.1]]]}`)), ZoneOptions{},
			"[a]|[]|[0]|[0]|[0]", "[]"}, // a repair: see TestReadZonesRepairs
		{"bare Feature", feat(`{"code":"15"}`, sq), ZoneOptions{}, "[15]|[]|[0]|[0]|[0]", "[]"},
		{"bare geometry", sq, ZoneOptions{}, "[1]|[]|[0]|[0]|[0]", "[{no id (feature number used) 1}]"},
		{"null geometry skipped", fc(feat(`{"id":"a"}`, sq), feat(`{"id":"b"}`, `null`)), ZoneOptions{}, "[a]|[]|[0]|[0]|[0]", "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, err := ReadZones(strings.NewReader(tt.in), "z.geojson", tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprintf("%v|%v|%v|%v|%v", z.IDs, z.Names, z.Premises, z.Population, z.Households)
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if w := fmt.Sprint(z.Warnings); w != tt.warn {
				t.Errorf("Warnings = %s, want %s", w, tt.warn)
			}
		})
	}
}

func TestReadZonesCRS(t *testing.T) {
	l93 := Lambert93()
	ring := []orb.Point{{2, 45}, {2.1, 45}, {2.1, 45.1}, {2, 45}}
	var parts []string
	for _, p := range ring {
		xy := l93.Forward(p)
		parts = append(parts, fmt.Sprintf("[%.4f,%.4f]", xy[0], xy[1]))
	}
	geom := `{"type":"Polygon","coordinates":[[` + strings.Join(parts, ",") + `]]}`
	tests := []struct {
		name, in, crs string
	}{
		{"detected", fc(feat(`{"id":"a"}`, geom)), CRSL93Detected},
		{"declared", `{"type":"FeatureCollection","features":[` + feat(`{"id":"a"}`, geom) + `],"crs":{"type":"name","properties":{"name":"EPSG:2154"}}}`, CRSL93Declared},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, err := ReadZones(strings.NewReader(tt.in), "z.geojson", ZoneOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if z.CRS != tt.crs {
				t.Errorf("CRS = %q, want %q", z.CRS, tt.crs)
			}
			got := z.Geoms[0].(orb.Polygon)[0]
			for i, p := range ring {
				if !near(got[i], p, 1e-8) {
					t.Errorf("position %d = %v, want %v", i, got[i], p)
				}
			}
		})
	}
	crs84 := `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[` + feat(`{"id":"a"}`, sq) + `]}`
	if z, err := ReadZones(strings.NewReader(crs84), "z", ZoneOptions{}); err != nil || z.CRS != CRSWGS84Declared {
		t.Errorf("CRS84: %v %v", z, err)
	}
}

func TestReadZonesErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		sentinel error
		msg      string
	}{
		{"invalid JSON names the byte offset", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":1,},"geometry":null}]}`, ErrSyntax,
			`geodata: zones.geojson: feature 0 (id "1"): expected a string, found '}' (invalid JSON at byte 79)`},
		{"truncated", `{"type":"FeatureCollection","features":[`, ErrSyntax, `geodata: zones.geojson: feature 0: expected an object, found end of input (invalid JSON at byte 40)`},
		{"trailing garbage", `{"type":"Polygon","coordinates":[]} x`, ErrSyntax, `geodata: zones.geojson: invalid JSON at byte 36: unexpected 'x' after the top-level object`},
		{"not GeoJSON", `{"a":1}`, ErrSyntax, `geodata: zones.geojson: not GeoJSON: the top-level object has no "type"`},
		{"wrong geometry type names the feature", fc(feat(`{"id":"a"}`, sq), feat(`{"id":"b"}`, `{"type":"LineString","coordinates":[[2,45],[3,46]]}`)), ErrGeometry,
			`geodata: zones.geojson: feature 1 (id "b"): geometry: LineString is not a Polygon or MultiPolygon`},
		{"nesting does not match", fc(feat(`{"id":"a"}`, `{"type":"Polygon","coordinates":[[2,45],[3,46]]}`)), ErrGeometry,
			`geodata: zones.geojson: feature 0 (id "a"): geometry: Polygon coordinates are not nested as a Polygon`},
		{"duplicate ids", fc(feat(`{"code":"15014"}`, sq), feat(`{"code":"15187"}`, sq), feat(`{"code":"15014"}`, sq)), ErrDuplicateID,
			`geodata: zones.geojson: feature 2: id: "15014" is also the id of feature 0`},
		{"ring too short", fc(feat(`{"id":"a"}`, `{"type":"Polygon","coordinates":[[[2,45],[2.1,45],[2,45]]]}`)), ErrGeometry,
			`geodata: zones.geojson: feature 0 (id "a"): geometry: ring 0 has 3 positions, a closed ring needs at least 4`},
		{"out of range coordinate", fc(feat(`{"id":"a"}`, sq), feat(`{"id":"b"}`, `{"type":"Polygon","coordinates":[[[2,45],[2.1,45],[2.1,95],[2,45]]]}`)), ErrRange,
			`geodata: zones.geojson: feature 1 (id "b"): coordinates: ring 0 position 2 (2.1, 95): lat out of range`},
		{"unsupported crs", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"features":[]}`, ErrSyntax,
			`geodata: zones.geojson: unsupported crs "EPSG:3857" (covplan reads EPSG:4326 / CRS84 and EPSG:2154; reproject the file)`},
		{"UTM metres are not guessed", fc(feat(`{"id":"a"}`, `{"type":"Polygon","coordinates":[[[460592,4983071],[460700,4983071],[460700,4983200],[460592,4983071]]]}`)), ErrRange,
			`geodata: zones.geojson: coordinates such as (460592, 4.983071e+06) are neither lon/lat degrees nor Lambert-93 metres; reproject the file to EPSG:4326 or EPSG:2154, or add a crs member`},
		{"feature of the wrong type", `{"type":"FeatureCollection","features":[` + sq + `]}`, ErrGeometry,
			`geodata: zones.geojson: feature 0: type: "Polygon", want "Feature"`},
		{"bad escape", `{"type":"Feature","properties":{"id":"a\q"},"geometry":null}`, ErrSyntax,
			`geodata: zones.geojson: invalid JSON at byte 39: bad escape '\q'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadZones(strings.NewReader(tt.in), "zones.geojson", ZoneOptions{})
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
