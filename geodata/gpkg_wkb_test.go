package geodata

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// TestAppendGPBlobGolden checks the writer's blobs byte for byte against
// encodings worked out by hand from GeoPackage 1.3 §2.1.3 and ISO WKB.
func TestAppendGPBlobGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		g    orb.Geometry
		hex  string
	}{
		{
			// "GP", version 0, flags 0x01 (little-endian, no envelope:
			// points carry none), srs_id 4326 = 0x10E6, WKB Point.
			name: "point",
			g:    orb.Point{2.5, 45.25},
			hex: "47500001" + "e6100000" +
				"01" + "01000000" + "0000000000000440" + "0000000000a04640",
		},
		{
			// flags 0x03: little-endian, envelope code 1 (minx maxx miny maxy).
			name: "polygon",
			g:    orb.Polygon{{{0, 0}, {2, 0}, {0, 1}, {0, 0}}},
			hex: "47500003" + "e6100000" +
				"0000000000000000" + "0000000000000040" + "0000000000000000" + "000000000000f03f" +
				"01" + "03000000" + "01000000" + "04000000" +
				"0000000000000000" + "0000000000000000" +
				"0000000000000040" + "0000000000000000" +
				"0000000000000000" + "000000000000f03f" +
				"0000000000000000" + "0000000000000000",
		},
		{
			// The envelope covers every member; each member has its own
			// WKB header.
			name: "multipoint",
			g:    orb.MultiPoint{{1, 2}, {-1, 0.5}},
			hex: "47500003" + "e6100000" +
				"000000000000f0bf" + "000000000000f03f" + "000000000000e03f" + "0000000000000040" +
				"01" + "04000000" + "02000000" +
				"01" + "01000000" + "000000000000f03f" + "0000000000000040" +
				"01" + "01000000" + "000000000000f0bf" + "000000000000e03f",
		},
		{
			// flags 0x11: empty, little-endian, no envelope.
			name: "empty multipolygon",
			g:    orb.MultiPolygon{},
			hex:  "47500011" + "e6100000" + "01" + "06000000" + "00000000",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := appendGPBlob(nil, tc.g, 4326)
			if err != nil {
				t.Fatal(err)
			}
			if h := hex.EncodeToString(got); h != tc.hex {
				t.Errorf("blob\n got %s\nwant %s", h, tc.hex)
			}
		})
	}
}

// wkbBuf builds WKB and GeoPackage blobs by hand, in either byte order.
type wkbBuf struct {
	b  []byte
	bo byteOrder
}

type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

func newWKB(little bool) *wkbBuf {
	if little {
		return &wkbBuf{bo: binary.LittleEndian}
	}
	return &wkbBuf{bo: binary.BigEndian}
}

func (w *wkbBuf) head(t uint32) *wkbBuf {
	if w.bo == binary.LittleEndian {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
	w.b = w.bo.AppendUint32(w.b, t)
	return w
}

func (w *wkbBuf) u32(n uint32) *wkbBuf { w.b = w.bo.AppendUint32(w.b, n); return w }

func (w *wkbBuf) f64(vs ...float64) *wkbBuf {
	for _, v := range vs {
		w.b = w.bo.AppendUint64(w.b, math.Float64bits(v))
	}
	return w
}

// gpHead is a blob header: flags as given, srs_id, envelope values.
func gpHead(flags byte, srs int32, env ...float64) []byte {
	bo := byteOrder(binary.BigEndian)
	if flags&1 != 0 {
		bo = binary.LittleEndian
	}
	b := []byte{'G', 'P', 0, flags}
	b = bo.AppendUint32(b, uint32(srs))
	for _, v := range env {
		b = bo.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

func cat(bs ...[]byte) []byte {
	var out []byte
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}

func TestParseGPBlob(t *testing.T) {
	nan := math.NaN()
	le, be := true, false
	for _, tc := range []struct {
		name      string
		blob      []byte
		want      orb.Geometry
		srs       int32
		zm        string
		emptyPart int
		trailing  int
		err       string
	}{
		{name: "point LE", blob: cat(gpHead(1, 4326), newWKB(le).head(1).f64(2.5, 45.25).b), want: orb.Point{2.5, 45.25}, srs: 4326},
		{name: "point BE header, BE WKB", blob: cat(gpHead(0, 2154), newWKB(be).head(1).f64(700000, 6600000).b), want: orb.Point{700000, 6600000}, srs: 2154},
		{name: "BE header, LE WKB", blob: cat(gpHead(0, 7), newWKB(le).head(1).f64(1, 2).b), want: orb.Point{1, 2}, srs: 7},
		{name: "ISO PointZ, xyz envelope", blob: cat(gpHead(1|2<<1, 4326, 1, 1, 2, 2, 9, 9), newWKB(le).head(1001).f64(1, 2, 9).b), want: orb.Point{1, 2}, srs: 4326, zm: "Z"},
		{name: "ISO PointM, xym envelope", blob: cat(gpHead(1|3<<1, 4326, 1, 1, 2, 2, 5, 5), newWKB(le).head(2001).f64(1, 2, 5).b), want: orb.Point{1, 2}, srs: 4326, zm: "M"},
		{name: "ISO PointZM, xyzm envelope", blob: cat(gpHead(1|4<<1, 4326, 1, 1, 2, 2, 9, 9, 5, 5), newWKB(be).head(3001).f64(1, 2, 9, 5).b), want: orb.Point{1, 2}, srs: 4326, zm: "ZM"},
		{name: "EWKB Z flag", blob: cat(gpHead(1, 4326), newWKB(le).head(0x80000002).u32(2).f64(0, 0, 1, 1, 1, 1).b), want: orb.LineString{{0, 0}, {1, 1}}, srs: 4326, zm: "Z"},
		{name: "POINT EMPTY as NaN", blob: cat(gpHead(1|0x10, 4326), newWKB(le).head(1).f64(nan, nan).b), want: nil, srs: 4326},
		{name: "NaN point without the E flag", blob: cat(gpHead(1, 4326), newWKB(le).head(1).f64(nan, nan).b), want: nil, srs: 4326},
		{name: "empty flag, no WKB", blob: gpHead(1|0x10, 4326), want: nil, srs: 4326},
		{name: "empty polygon", blob: cat(gpHead(1, 4326), newWKB(le).head(3).u32(0).b), want: nil, srs: 4326},
		{name: "empty linestring", blob: cat(gpHead(1, 4326), newWKB(le).head(2).u32(0).b), want: nil, srs: 4326},
		{
			name: "polygon with hole, BE",
			blob: cat(gpHead(0|1<<1, 4326, 0, 4, 0, 4), newWKB(be).head(3).u32(2).
				u32(5).f64(0, 0, 4, 0, 4, 4, 0, 4, 0, 0).
				u32(4).f64(1, 1, 1, 2, 2, 1, 1, 1).b),
			want: orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {1, 2}, {2, 1}, {1, 1}}},
			srs:  4326,
		},
		{
			name: "multipolygon with an empty member, mixed byte orders",
			blob: cat(gpHead(1, 4326), newWKB(le).head(6).u32(2).b,
				newWKB(be).head(3).u32(0).b,
				newWKB(le).head(3).u32(1).u32(4).f64(0, 0, 1, 0, 0, 1, 0, 0).b),
			want:      orb.MultiPolygon{{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}}},
			srs:       4326,
			emptyPart: 1,
		},
		{
			name: "multilinestring",
			blob: cat(gpHead(1, 4326), newWKB(le).head(5).u32(2).b,
				newWKB(le).head(2).u32(2).f64(0, 0, 1, 1).b,
				newWKB(le).head(2).u32(3).f64(2, 2, 3, 3, 4, 4).b),
			want: orb.MultiLineString{{{0, 0}, {1, 1}}, {{2, 2}, {3, 3}, {4, 4}}},
			srs:  4326,
		},
		{
			name: "multipoint of ISO PointZ",
			blob: cat(gpHead(1, 4326), newWKB(le).head(1004).u32(2).b,
				newWKB(le).head(1001).f64(0, 0, 7).b,
				newWKB(le).head(1001).f64(1, 1, 7).b),
			want: orb.MultiPoint{{0, 0}, {1, 1}},
			srs:  4326,
			zm:   "Z",
		},
		{name: "all members empty", blob: cat(gpHead(1, 4326), newWKB(le).head(4).u32(1).b, newWKB(le).head(1).f64(nan, nan).b), want: nil, srs: 4326, emptyPart: 1},
		{name: "trailing bytes", blob: cat(gpHead(1, 4326), newWKB(le).head(1).f64(1, 2).b, []byte{0, 0}), want: orb.Point{1, 2}, srs: 4326, trailing: 2},
		{name: "negative srs_id", blob: cat(gpHead(1, -1), newWKB(le).head(1).f64(1, 2).b), want: orb.Point{1, 2}, srs: -1},

		{name: "too short", blob: []byte("GP\x00\x01"), err: "at least 8 bytes"},
		{name: "bad magic", blob: cat([]byte("XP\x00\x01\x00\x00\x00\x00"), newWKB(le).head(1).f64(1, 2).b), err: "not a GeoPackage geometry blob"},
		{name: "version 1", blob: cat([]byte("GP\x01\x01\x00\x00\x00\x00"), newWKB(le).head(1).f64(1, 2).b), err: "version 1"},
		{name: "extended", blob: cat(gpHead(1|0x20, 4326), []byte("ABCD")), err: "extended GeoPackage geometry"},
		{name: "reserved flags", blob: cat(gpHead(1|0x40, 4326), newWKB(le).head(1).f64(1, 2).b), err: "reserved flag"},
		{name: "envelope code 5", blob: cat(gpHead(1|5<<1, 4326), newWKB(le).head(1).f64(1, 2).b), err: "invalid envelope code 5"},
		{name: "envelope cut", blob: cat(gpHead(1|1<<1, 4326, 0, 1)), err: "inside its 32-byte envelope"},
		{name: "no WKB", blob: gpHead(1, 4326), err: "truncated"},
		{name: "bad WKB byte order", blob: cat(gpHead(1, 4326), []byte{2, 1, 0, 0, 0}), err: "WKB byte order 2"},
		{name: "unknown type", blob: cat(gpHead(1, 4326), newWKB(le).head(99).b), err: "unknown WKB geometry type 99"},
		{name: "unknown dimension", blob: cat(gpHead(1, 4326), newWKB(le).head(4001).b), err: "unknown WKB geometry type 4001"},
		{name: "EWKB SRID", blob: cat(gpHead(1, 4326), newWKB(le).head(0x20000001).u32(4326).f64(1, 2).b), err: "embedded SRID"},
		{name: "collection", blob: cat(gpHead(1, 4326), newWKB(le).head(7).u32(0).b), err: "GeometryCollection geometries are not supported"},
		{name: "curve polygon", blob: cat(gpHead(1, 4326), newWKB(le).head(10).u32(0).b), err: "CurvePolygon geometries are not supported"},
		{name: "truncated point", blob: cat(gpHead(1, 4326), newWKB(le).head(1).f64(1).b), err: "truncated"},
		{name: "huge count", blob: cat(gpHead(1, 4326), newWKB(le).head(2).u32(0xFFFFFFFF).f64(1, 2).b), err: "do not fit"},
		{name: "huge ring count", blob: cat(gpHead(1, 4326), newWKB(le).head(3).u32(1<<30).b), err: "do not fit"},
		{name: "huge member count", blob: cat(gpHead(1, 4326), newWKB(le).head(6).u32(1<<30).b), err: "do not fit"},
		{name: "infinite coordinate", blob: cat(gpHead(1, 4326), newWKB(le).head(2).u32(2).f64(0, 0, math.Inf(1), 1).b), err: "position 1 (+Inf, 1) is not a finite number"},
		{name: "NaN x only", blob: cat(gpHead(1, 4326), newWKB(le).head(1).f64(nan, 1).b), err: "not a finite number"},
		{name: "wrong member type", blob: cat(gpHead(1, 4326), newWKB(le).head(4).u32(1).b, newWKB(le).head(2).u32(0).b), err: "a LineString member of a MultiPoint"},
		{name: "nested multi", blob: cat(gpHead(1, 4326), newWKB(le).head(6).u32(1).b, newWKB(le).head(6).u32(0).b), err: "a MultiPolygon member of a MultiPolygon"},
		{name: "ring cut", blob: cat(gpHead(1, 4326), newWKB(le).head(3).u32(1).u32(4).f64(0, 0, 1).b), err: "ring 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseGPBlob(tc.blob)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.geom, tc.want) {
				t.Errorf("geometry %#v, want %#v", got.geom, tc.want)
			}
			if got.srsID != tc.srs || got.zm != tc.zm || got.emptyParts != tc.emptyPart || got.trailing != tc.trailing {
				t.Errorf("srs %d zm %q empty parts %d trailing %d, want %d %q %d %d", got.srsID, got.zm, got.emptyParts, got.trailing, tc.srs, tc.zm, tc.emptyPart, tc.trailing)
			}
		})
	}
}

// TestGPBlobRoundTrip writes every supported type and reads it back.
func TestGPBlobRoundTrip(t *testing.T) {
	for _, g := range []orb.Geometry{
		orb.Point{-1.5, 47.25},
		orb.LineString{{0, 0}, {1, 1}, {2, 0}},
		orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 0}}, {{1, 1}, {2, 1}, {2, 2}, {1, 1}}},
		orb.MultiPoint{{0, 0}, {1e-9, -1e-9}},
		orb.MultiLineString{{{0, 0}, {1, 1}}, {{5, 5}, {6, 6}}},
		orb.MultiPolygon{{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}}, {{{10, 10}, {11, 10}, {10, 11}, {10, 10}}}},
	} {
		b, err := appendGPBlob(nil, g, 2154)
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseGPBlob(b)
		if err != nil {
			t.Fatalf("%s: %v", g.GeoJSONType(), err)
		}
		if !reflect.DeepEqual(got.geom, g) || got.srsID != 2154 || got.zm != "" || got.trailing != 0 {
			t.Errorf("%s: read back %#v (srs %d)", g.GeoJSONType(), got.geom, got.srsID)
		}
	}
	if _, err := appendGPBlob(nil, orb.Collection{orb.Point{1, 2}}, 4326); err == nil {
		t.Error("a Collection was written")
	}
	if _, err := appendGPBlob(nil, orb.LineString{{0, 0}, {math.NaN(), 1}}, 4326); err == nil {
		t.Error("a NaN coordinate was written")
	}
}
