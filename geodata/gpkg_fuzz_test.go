package geodata

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
)

// FuzzGeoPackageBlob: the blob parser never panics, and what it accepts
// is written back and read again unchanged.
func FuzzGeoPackageBlob(f *testing.F) {
	for _, g := range []orb.Geometry{
		orb.Point{2.5, 45.25},
		orb.LineString{{0, 0}, {1, 1}},
		orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 0}}, {{1, 1}, {2, 1}, {2, 2}, {1, 1}}},
		orb.MultiPoint{{0, 0}, {1, 1}},
		orb.MultiLineString{{{0, 0}, {1, 1}}, {{2, 2}, {3, 3}}},
		orb.MultiPolygon{{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}}},
		orb.MultiPolygon{},
	} {
		f.Add(must(appendGPBlob(nil, g, 4326)))
	}
	le := true
	f.Add(cat(gpHead(0|2<<1, 2154, 1, 1, 2, 2, 3, 3), newWKB(!le).head(1001).f64(1, 2, 3).b))
	f.Add(cat(gpHead(1, 4326), newWKB(le).head(6).u32(2).b, newWKB(!le).head(3).u32(0).b, newWKB(le).head(3).u32(1).u32(4).f64(0, 0, 1, 0, 0, 1, 0, 0).b))
	f.Add(cat(gpHead(1, 4326), newWKB(le).head(0x80000002).u32(2).f64(0, 0, 1, 1, 1, 1).b))
	f.Add(cat(gpHead(1|0x10, 4326), newWKB(le).head(1).f64(math.NaN(), math.NaN()).b))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := parseGPBlob(b)
		if err != nil || g.geom == nil {
			return
		}
		out, err := appendGPBlob(nil, g.geom, g.srsID)
		if err != nil {
			t.Fatalf("parsed %#v but cannot write it: %v", g.geom, err)
		}
		back, err := parseGPBlob(out)
		if err != nil || !reflect.DeepEqual(back.geom, g.geom) || back.srsID != g.srsID {
			t.Fatalf("round trip: %#v %v, want %#v", back.geom, err, g.geom)
		}
	})
}

// FuzzReadGeoPackage: the reader never panics on a damaged file, and what
// it returns is consistent and converts without panicking.
func FuzzReadGeoPackage(f *testing.F) {
	small := &GeoPackageWriteLayer{Table: "z", Columns: []GeoPackageColumn{{Name: "code", Type: GeoPackageText}, {Name: "pop", Type: GeoPackageInteger}}}
	small.Features = []GeoPackageFeature{
		{Geom: orb.Polygon{{{2, 45}, {2.1, 45}, {2.1, 45.1}, {2, 45}}}, Values: []GeoPackageValue{GeoPackageString("15014"), GeoPackageInt(26000)}},
		{Geom: orb.MultiPolygon{{{{3, 44}, {3.1, 44}, {3, 44.1}, {3, 44}}}}, Values: []GeoPackageValue{GeoPackageString("15153"), {}}},
	}
	f.Add(gpkgBytes(f, small))
	pts := &GeoPackageWriteLayer{Table: "p", Features: []GeoPackageFeature{{Geom: orb.Point{2.5, 45}}, {Geom: orb.MultiPoint{{2.6, 45.1}}}}}
	f.Add(gpkgBytes(f, pts))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ReadGeoPackage(bytes.NewReader(data), int64(len(data)), "fuzz.gpkg", GeoPackageOptions{})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a located *Error", err)
			}
			return
		}
		if len(l.FIDs) != l.Len() || len(l.Values) != l.Len() {
			t.Fatalf("%d fids %d value rows for %d features", len(l.FIDs), len(l.Values), l.Len())
		}
		for i, v := range l.Values {
			if len(v) != len(l.Columns) {
				t.Fatalf("feature %d: %d values for %d columns", i, len(v), len(l.Columns))
			}
		}
		if z, err := l.Zones(ZoneOptions{}); err == nil {
			for i, g := range z.Geoms {
				b := g.Bound()
				if !(b.Min[0] >= -180 && b.Max[0] <= 180 && b.Min[1] >= -90 && b.Max[1] <= 90) {
					t.Fatalf("zone %d outside lon/lat: %v", i, b)
				}
			}
		}
		_, _ = l.Points(PointOptions{})
		_, _ = l.Fibre(FibreOptions{})
	})
}
