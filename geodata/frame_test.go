package geodata

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// TestLambert93BAN checks Forward against the Lambert-93 x/y published with
// every address of the BAN extract for Mont-Bonvillers (501 addresses). The
// file gives x/y to 0.1 m and lon/lat to 1e-13°, derived from those x/y, so
// agreement within 1 cm shows the projection is exact to that level.
func TestLambert93BAN(t *testing.T) {
	f, err := os.Open("testdata/ban-54084.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header: ...;x;y;lon;lat;nom_commune
	fr := Lambert93()
	n, worst := 0, 0.0
	for sc.Scan() {
		c := strings.Split(sc.Text(), ";")
		num := func(i int) float64 {
			v, err := strconv.ParseFloat(c[i], 64)
			if err != nil {
				t.Fatalf("line %d: %v", n+2, err)
			}
			return v
		}
		want := orb.Point{num(11), num(12)}
		ll := orb.Point{num(13), num(14)}
		got := fr.Forward(ll)
		d := math.Hypot(got[0]-want[0], got[1]-want[1])
		worst = max(worst, d)
		if d > 0.01 {
			t.Errorf("line %d: Forward(%v) = %.4f, want %.4f (off by %.4f m)", n+2, ll, got, want, d)
		}
		back := fr.Inverse(want)
		if dl := math.Hypot(back[0]-ll[0], back[1]-ll[1]); dl > 1e-7 {
			t.Errorf("line %d: Inverse(%v) = %v, want %v", n+2, want, back, ll)
		}
		n++
	}
	if n != 501 {
		t.Fatalf("read %d addresses, want 501", n)
	}
	t.Logf("%d addresses, worst Forward error %.2e m", n, worst)
}

// Reference values from PROJ 9.1.1 (cs2cs EPSG:4326 to the target frame).
func TestFrameKnownValues(t *testing.T) {
	tests := []struct {
		name  string
		frame Frame
		ll    orb.Point
		want  orb.Point
	}{
		{"L93 Corsica", Lambert93(), orb.Point{9.4, 42.3}, orb.Point{1228060.438102, 6154735.698711}},
		{"L93 Dunkirk area", Lambert93(), orb.Point{2.5, 51.0}, orb.Point{664824.361988, 7100575.954105}},
		{"L93 Biarritz area", Lambert93(), orb.Point{-1.5, 43.0}, orb.Point{332936.588964, 6221645.845155}},
		{"UTM31N Cantal", UTM(31, false), orb.Point{2.5, 45}, orb.Point{460592.350983, 4983071.987592}},
		{"UTM34S Cape Town", UTM(34, true), orb.Point{18.4, -33.9}, orb.Point{259583.221660, 6245888.045441}},
		{"UTM35N Helsinki", UTM(35, false), orb.Point{24.9, 60.2}, orb.Point{383587.770321, 6675536.645352}},
		{"UTM12N Bozeman", UTM(12, false), orb.Point{-111.04, 45.67}, orb.Point{496884.346222, 5057384.070323}},
		{"UTM31N far off zone", UTM(31, false), orb.Point{18.4, -33.9}, orb.Point{1930261.334721, -3859849.562440}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.frame.Forward(tt.ll)
			if d := math.Hypot(got[0]-tt.want[0], got[1]-tt.want[1]); d > 1e-3 {
				t.Errorf("%s Forward(%v) = %.6f, want %.6f (off by %.2e m)", tt.frame.Name(), tt.ll, got, tt.want, d)
			}
			back := tt.frame.Inverse(tt.want)
			if d := math.Hypot(back[0]-tt.ll[0], back[1]-tt.ll[1]); d > 1e-8 {
				t.Errorf("Inverse(%v) = %v, want %v", tt.want, back, tt.ll)
			}
		})
	}
}

func TestFrameRoundTrip(t *testing.T) {
	seed := uint64(20261130)
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	frames := []struct {
		f                    Frame
		lon0, lon1, la0, la1 float64
	}{
		{Lambert93(), -6, 10, 41, 52},
		{UTM(31, false), -1, 7, 0, 84},
		{UTM(23, true), -48, -42, -80, 0},
		{UTM(60, false), 174, 180, 0, 70},
	}
	for _, fr := range frames {
		t.Run(fr.f.Name(), func(t *testing.T) {
			worst := 0.0
			for range 20000 {
				ll := orb.Point{fr.lon0 + rng.Float64()*(fr.lon1-fr.lon0), fr.la0 + rng.Float64()*(fr.la1-fr.la0)}
				xy := fr.f.Forward(ll)
				xy2 := fr.f.Forward(fr.f.Inverse(xy))
				d := math.Hypot(xy2[0]-xy[0], xy2[1]-xy[1])
				worst = max(worst, d)
				if d > 1e-6 {
					t.Fatalf("round trip of %v: %v -> %v (%.3g m)", ll, xy, xy2, d)
				}
			}
			t.Logf("worst round trip %.2g m", worst)
		})
	}
}

func TestChooseFrame(t *testing.T) {
	tests := []struct {
		name string
		b    orb.Bound
		want string
	}{
		{"Cantal", orb.Bound{Min: orb.Point{2.06, 44.6}, Max: orb.Point{3.37, 45.5}}, "EPSG:2154 Lambert-93"},
		{"Corsica", orb.Bound{Min: orb.Point{8.5, 41.3}, Max: orb.Point{9.6, 43.0}}, "EPSG:2154 Lambert-93"},
		{"France edges", orb.Bound{Min: orb.Point{-6, 41}, Max: orb.Point{10, 52}}, "EPSG:2154 Lambert-93"},
		{"Bozeman", orb.Bound{Min: orb.Point{-111.4, 45.6}, Max: orb.Point{-110.8, 45.8}}, "EPSG:32612 UTM 12N"},
		{"Reunion", orb.Bound{Min: orb.Point{55.2, -21.4}, Max: orb.Point{55.8, -20.9}}, "EPSG:32740 UTM 40S"},
		{"straddles France and Germany", orb.Bound{Min: orb.Point{7, 48}, Max: orb.Point{11, 49}}, "EPSG:32632 UTM 32N"},
		{"antimeridian east", orb.Bound{Min: orb.Point{179, 10}, Max: orb.Point{180, 11}}, "EPSG:32660 UTM 60N"},
		{"west edge", orb.Bound{Min: orb.Point{-180, 10}, Max: orb.Point{-179, 11}}, "EPSG:32601 UTM 1N"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ChooseFrame(tt.b).Name(); got != tt.want {
				t.Errorf("ChooseFrame(%v) = %q, want %q", tt.b, got, tt.want)
			}
		})
	}
}

func TestZeroFrame(t *testing.T) {
	var f Frame
	p := orb.Point{2.5, 45}
	if !f.IsZero() || f.Forward(p) != p || f.Inverse(p) != p || f.EPSG() != 0 {
		t.Errorf("zero Frame is not the identity: %v %v %v", f.Forward(p), f.Inverse(p), f.EPSG())
	}
	if Lambert93().IsZero() {
		t.Error("Lambert93().IsZero() = true")
	}
}

func BenchmarkFrameForward(b *testing.B) {
	for _, fr := range []Frame{Lambert93(), UTM(31, false)} {
		b.Run(fr.Name(), func(b *testing.B) {
			pts := make([]orb.Point, 1024)
			rng := rand.New(rand.NewPCG(1, 2))
			for i := range pts {
				pts[i] = orb.Point{1 + 3*rng.Float64(), 44 + 2*rng.Float64()}
			}
			b.ReportAllocs()
			var sink orb.Point
			for i := 0; b.Loop(); i++ {
				sink = fr.Forward(pts[i&1023])
			}
			_ = sink
		})
	}
}

func BenchmarkFrameInverse(b *testing.B) {
	for _, fr := range []Frame{Lambert93(), UTM(31, false)} {
		b.Run(fr.Name(), func(b *testing.B) {
			pts := make([]orb.Point, 1024)
			rng := rand.New(rand.NewPCG(1, 2))
			for i := range pts {
				pts[i] = fr.Forward(orb.Point{1 + 3*rng.Float64(), 44 + 2*rng.Float64()})
			}
			b.ReportAllocs()
			var sink orb.Point
			for i := 0; b.Loop(); i++ {
				sink = fr.Inverse(pts[i&1023])
			}
			_ = sink
		})
	}
}

func ExampleFrame() {
	f := ChooseFrame(orb.Bound{Min: orb.Point{2.06, 44.6}, Max: orb.Point{3.37, 45.5}})
	xy := f.Forward(orb.Point{2.4446, 44.9264}) // Aurillac
	ll := f.Inverse(xy)
	fmt.Println(f.Name())
	fmt.Printf("x=%.1f y=%.1f\n", xy[0], xy[1])
	fmt.Printf("lon=%.4f lat=%.4f\n", ll[0], ll[1])
	// Output:
	// EPSG:2154 Lambert-93
	// x=656177.7 y=6425398.6
	// lon=2.4446 lat=44.9264
}
