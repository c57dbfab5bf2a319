package geodata

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
)

// genPremisesCSV writes n rows of the peers' premises format
// (id,lon,lat,units, 7 decimals) around Cantal.
func genPremisesCSV(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	var b bytes.Buffer
	b.Grow(n * 32)
	b.WriteString("id,lon,lat,units\n")
	var buf []byte
	for i := 1; i <= n; i++ {
		buf = strconv.AppendInt(buf[:0], int64(i), 10)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, 1.0+3.2*rng.Float64(), 'f', 7, 64)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, 44.4+1.1*rng.Float64(), 'f', 7, 64)
		buf = append(buf, ',')
		u := 1
		if rng.IntN(10) == 0 {
			u = 2 + rng.IntN(20)
		}
		buf = strconv.AppendInt(buf, int64(u), 10)
		buf = append(buf, '\n')
		b.Write(buf)
	}
	return b.Bytes()
}

// genZonesGeoJSON writes n square-ish polygons of about 53 vertices (7
// decimals), like the peers' zones.geojson.
func genZonesGeoJSON(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","name":"zones","features":[` + "\n")
	side := 1
	for side*side < n {
		side++
	}
	const cell = 0.03
	var buf []byte
	for i := 0; i < n; i++ {
		x0, y0 := 1.0+float64(i%side)*cell, 44.4+float64(i/side)*cell
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"type":"Feature","properties":{"zone_id":%d},"geometry":{"type":"Polygon","coordinates":[[`, i+1)
		const k = 13 // vertices per side
		for s := 0; s < 4*k; s++ {
			var x, y float64
			t := float64(s%k) / k * cell
			switch s / k {
			case 0:
				x, y = x0+t, y0
			case 1:
				x, y = x0+cell, y0+t
			case 2:
				x, y = x0+cell-t, y0+cell
			default:
				x, y = x0, y0+cell-t
			}
			buf = append(buf[:0], '[')
			buf = strconv.AppendFloat(buf, x, 'f', 7, 64)
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, y, 'f', 7, 64)
			buf = append(buf, "],"...)
			b.Write(buf)
		}
		fmt.Fprintf(&b, "[%.7f,%.7f]]]}}", x0, y0)
	}
	b.WriteString("\n]}\n")
	return b.Bytes()
}

func BenchmarkReadZones(b *testing.B) {
	for _, n := range []int{100, 1000, 5000} {
		data := genZonesGeoJSON(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				z, err := ReadZones(bytes.NewReader(data), "zones.geojson", ZoneOptions{})
				if err != nil || z.Len() != n {
					b.Fatalf("got %v, %v", z, err)
				}
			}
		})
	}
}

func BenchmarkReadPointsCSV(b *testing.B) {
	for _, n := range []int{10000, 100000, 1000000} {
		data := genPremisesCSV(n, 1)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				l, err := ReadPoints(bytes.NewReader(data), "premises.csv", PointOptions{})
				if err != nil || l.Len() != n {
					b.Fatalf("got %v, %v", l, err)
				}
			}
		})
	}
}

// BenchmarkReadPointsCSVNaive is the straightforward twin: encoding/csv and
// strconv, one string per id.
func BenchmarkReadPointsCSVNaive(b *testing.B) {
	for _, n := range []int{10000, 100000, 1000000} {
		data := genPremisesCSV(n, 1)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				r := csv.NewReader(bytes.NewReader(data))
				r.ReuseRecord = true
				if _, err := r.Read(); err != nil {
					b.Fatal(err)
				}
				var ids []string
				var pts []orb.Point
				var units []int32
				for {
					rec, err := r.Read()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					lon, _ := strconv.ParseFloat(rec[1], 64)
					lat, _ := strconv.ParseFloat(rec[2], 64)
					u, _ := strconv.Atoi(rec[3])
					ids = append(ids, rec[0])
					pts = append(pts, orb.Point{lon, lat})
					units = append(units, int32(u))
				}
				if len(pts) != n {
					b.Fatalf("%d points", len(pts))
				}
			}
		})
	}
}

// BenchmarkReadZonesNaive decodes the same zones with encoding/json into
// plain structs (what a first version would do).
func BenchmarkReadZonesNaive(b *testing.B) {
	for _, n := range []int{100, 1000, 5000} {
		data := genZonesGeoJSON(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var fc struct {
					Features []struct {
						Properties map[string]any
						Geometry   struct {
							Type        string
							Coordinates [][][2]float64
						}
					}
				}
				if err := json.Unmarshal(data, &fc); err != nil || len(fc.Features) != n {
					b.Fatalf("%d %v", len(fc.Features), err)
				}
			}
		})
	}
}
