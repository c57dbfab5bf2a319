package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestOutputsAppendFixed(t *testing.T) {
	tests := []struct {
		v    float64
		prec int
		want string
	}{
		{0, 2, "0.00"},
		{math.Copysign(0, -1), 2, "0.00"},
		{-0.001, 2, "0.00"},
		{-0.004999, 2, "0.00"},
		{-0.005001, 2, "-0.01"},
		{-12.5, 1, "-12.5"},
		{1234567.891, 2, "1234567.89"},
		{1e20, 2, "100000000000000000000.00"},
		{1.5e-9, 3, "0.000"},
		{2.675, 2, "2.67"}, // 2.67499999999999982236431605997495353221893310546875
		{0.125, 2, "0.12"}, // exact tie: half to even
		{1000, 1, "1000.0"},
		{math.NaN(), 2, ""},
		{math.Inf(1), 3, ""},
		{math.Inf(-1), 3, ""},
	}
	for _, tc := range tests {
		t.Run(strconv.FormatFloat(tc.v, 'g', -1, 64), func(t *testing.T) {
			if got := string(appendFixed(nil, tc.v, tc.prec)); got != tc.want {
				t.Errorf("appendFixed(%v, %d) = %q, want %q", tc.v, tc.prec, got, tc.want)
			}
			wantJSON := tc.want
			if wantJSON == "" {
				wantJSON = "null"
			}
			if got := string(appendFixedJSON([]byte("x"), tc.v, tc.prec)); got != "x"+wantJSON {
				t.Errorf("appendFixedJSON = %q, want %q", got, "x"+wantJSON)
			}
		})
	}
}

func TestOutputsAppendCoord(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{2.5, "2.5"},
		{45, "45"},
		{-0.57649999, "-0.5765"},
		{2.12345678, "2.1234568"},
		{-0.00000001, "0"},
		{100.00000001, "100"},
		{-179.9999999, "-179.9999999"},
	}
	for _, tc := range tests {
		if got := string(appendCoord(nil, tc.v)); got != tc.want {
			t.Errorf("appendCoord(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestOutputsAppendCSVField(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Saint-Flour", "Saint-Flour"},
		{"L'Hôpital", "L'Hôpital"},
		{"Neuvéglise, bourg", `"Neuvéglise, bourg"`},
		{`le "Puy"`, `"le ""Puy"""`},
		{"a\nb", "\"a\nb\""},
		{"a\r\nb", "\"a\r\nb\""},
		{" padded", `" padded"`},
		{"tab\there", "tab\there"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"bad\xff, quoted", "\"bad\uFFFD, quoted\""},
	}
	for _, tc := range tests {
		if got := string(appendCSVField(nil, tc.in)); got != tc.want {
			t.Errorf("appendCSVField(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestOutputsAppendJSONString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"L'Hôpital", `"L'Hôpital"`},
		{`a"b\c`, `"a\"b\\c"`},
		{"line\nbreak\ttab\r", `"line\nbreak\ttab\r"`},
		{"\x00\x1f", `"\u0000\u001f"`},
		{"<b>&", `"<b>&"`},
		{"sep\u2028para\u2029", `"sep\u2028para\u2029"`},
		{"bad\xffutf8", `"bad\ufffdutf8"`},
	}
	for _, tc := range tests {
		if got := string(appendJSONString(nil, tc.in)); got != tc.want {
			t.Errorf("appendJSONString(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// validUTF8 replaces each invalid byte of s by U+FFFD, as the writers do.
func validUTF8(s string) string {
	var sb strings.Builder
	for _, r := range s {
		sb.WriteRune(r)
	}
	return sb.String()
}

func FuzzOutputsCSVField(f *testing.F) {
	for _, s := range []string{"", "Saint-Flour", "a,b", `"`, "a\r\nb", " x ", "\xff", "é,\"\n"} {
		f.Add(s, "next")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		line := appendCSVField(nil, a)
		line = append(line, ',')
		line = appendCSVField(line, b)
		line = append(line, '\n')
		r := csv.NewReader(bytes.NewReader(line))
		r.FieldsPerRecord = 2
		rec, err := r.Read()
		if err != nil {
			t.Fatalf("%q does not parse: %v", line, err)
		}
		// encoding/csv turns \r\n inside quoted fields into \n.
		norm := func(s string) string { return strings.ReplaceAll(validUTF8(s), "\r\n", "\n") }
		if rec[0] != norm(a) || rec[1] != norm(b) {
			t.Errorf("round trip of %q, %q gave %q", a, b, rec)
		}
	})
}

func FuzzOutputsJSONString(f *testing.F) {
	for _, s := range []string{"", "L'Hôpital", `"\`, "\x00\u2028", "\xff\xfe", "<&>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendJSONString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%s is not a JSON string: %v", b, err)
		}
		if want := validUTF8(s); got != want {
			t.Errorf("round trip of %q gave %q", s, got)
		}
	})
}

// FuzzOutputsFixed checks appendFixed's fast path against strconv, digit
// for digit (negative zero aside).
func FuzzOutputsFixed(f *testing.F) {
	for _, v := range []float64{0, -0.001, 1e21, 123.456, 0.125, 2.675, 1<<43 - 0.5, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		f.Add(v, uint8(2))
	}
	f.Fuzz(func(t *testing.T, v float64, prec uint8) {
		p := int(prec % 10)
		got := string(appendFixed(nil, v, p))
		if math.IsNaN(v) || math.IsInf(v, 0) {
			if got != "" {
				t.Fatalf("%v gave %q", v, got)
			}
			return
		}
		want := strconv.FormatFloat(v, 'f', p, 64)
		if strings.HasPrefix(want, "-") && strings.Trim(want, "-0.") == "" {
			want = want[1:]
		}
		if got != want {
			t.Fatalf("appendFixed(%v, %d) = %q, strconv says %q", v, p, got, want)
		}
	})
}

// TestOutputsFixedMatchesStrconv runs the fuzz property over a million
// random values of the magnitudes the outputs see (seeded, reproducible).
func TestOutputsFixedMatchesStrconv(t *testing.T) {
	const seed = 20261130
	rng := rand.New(rand.NewPCG(seed, 1))
	var b []byte
	for i := 0; i < 1_000_000; i++ {
		// Log-uniform magnitudes from 1e-6 to 1e14, both signs, plus values
		// on exact ties of the last decimal.
		v := math.Pow(10, rng.Float64()*20-6)
		if rng.IntN(2) == 0 {
			v = -v
		}
		p := rng.IntN(8)
		if i%10 == 0 {
			v = (math.Round(v*pow10[p]) + 0.5) / pow10[p]
		}
		b = appendFixed(b[:0], v, p)
		want := strconv.FormatFloat(v, 'f', p, 64)
		if strings.HasPrefix(want, "-") && strings.Trim(want, "-0.") == "" {
			want = want[1:]
		}
		if string(b) != want {
			t.Fatalf("seed %d: appendFixed(%v, %d) = %q, strconv says %q", seed, v, p, b, want)
		}
	}
}
