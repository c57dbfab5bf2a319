package geodata

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
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
