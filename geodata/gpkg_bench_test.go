package geodata

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/paulmach/orb"
)

// genGPKGZones makes n square-ish zones of 53 vertices in a grid over
// Cantal (as genZonesGeoJSON's), with the attribute columns of a communes
// layer: code (TEXT, leading zeros), nom, population (INTEGER), surf_km2
// (REAL), active (BOOLEAN).
func genGPKGZones(n int) *GeoPackageWriteLayer {
	l := &GeoPackageWriteLayer{Table: "communes", Columns: []GeoPackageColumn{
		{Name: "code", Type: GeoPackageText},
		{Name: "nom", Type: GeoPackageText},
		{Name: "population", Type: GeoPackageInteger},
		{Name: "surf_km2", Type: GeoPackageReal},
		{Name: "active", Type: GeoPackageBoolean},
	}}
	side := 1
	for side*side < n {
		side++
	}
	const cell, k = 0.03, 13 // degrees, vertices per side
	for i := range n {
		x0, y0 := 1.0+float64(i%side)*cell, 44.4+float64(i/side)*cell
		ring := make(orb.Ring, 0, 4*k+1)
		for s := 0; s < 4*k; s++ {
			t := float64(s%k) / k * cell
			switch s / k {
			case 0:
				ring = append(ring, orb.Point{x0 + t, y0})
			case 1:
				ring = append(ring, orb.Point{x0 + cell, y0 + t})
			case 2:
				ring = append(ring, orb.Point{x0 + cell - t, y0 + cell})
			default:
				ring = append(ring, orb.Point{x0, y0 + cell - t})
			}
		}
		ring = append(ring, ring[0])
		l.Features = append(l.Features, GeoPackageFeature{
			Geom: orb.Polygon{ring},
			Values: []GeoPackageValue{
				GeoPackageString(fmt.Sprintf("%05d", i+1)),
				GeoPackageString(fmt.Sprintf("Commune n°%d", i+1)),
				GeoPackageInt(int64(100 + i%5000)),
				GeoPackageFloat(float64(i%997) / 7),
				GeoPackageBool(i%3 != 0),
			},
		})
	}
	return l
}

func gpkgBytes(tb testing.TB, l *GeoPackageWriteLayer) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := WriteGeoPackage(&b, l); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// BenchmarkWriteGeoPackage35k writes 35,000 zones (about all the communes
// of France) to a GeoPackage.
func BenchmarkWriteGeoPackage35k(b *testing.B) {
	l := genGPKGZones(35000)
	b.ReportAllocs()
	size := 0
	for b.Loop() {
		var n countingWriter
		if err := WriteGeoPackage(&n, l); err != nil {
			b.Fatal(err)
		}
		size = int(n)
	}
	b.SetBytes(int64(size))
}

// BenchmarkReadGeoPackage35k reads the 35,000 zones back: the SQLite
// rows and geometry blobs (Read), then the conversion to a ZoneLayer
// (Zones).
func BenchmarkReadGeoPackage35k(b *testing.B) {
	data := gpkgBytes(b, genGPKGZones(35000))
	b.Run("Read", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ReadGeoPackage(bytes.NewReader(data), int64(len(data)), "bench.gpkg", GeoPackageOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	l, err := ReadGeoPackage(bytes.NewReader(data), int64(len(data)), "bench.gpkg", GeoPackageOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Zones", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			z, err := l.Zones(ZoneOptions{})
			if err != nil || z.Len() != 35000 {
				b.Fatal(z, err)
			}
		}
	})
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)
