package geodata

import (
	"math"
	"strconv"
)

// pow10 holds the powers of ten that are exact in float64.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseFloat parses a decimal number: optional sign, digits, optional
// fraction with '.' (or ',' when comma is true), optional exponent. The
// common form (at most 19 significant digits, mantissa below 2^53, at most
// 22 fraction digits, no exponent) is computed exactly as mantissa / 10^k,
// which is correctly rounded because both operands are exact (Clinger's
// fast path); anything else goes to strconv.ParseFloat, without allocating.
// Leading and trailing spaces are allowed. "NaN" and "Inf" are rejected.
func parseFloat(b []byte, comma bool) (float64, bool) {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	if len(b) == 0 {
		return 0, false
	}
	i, neg := 0, false
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		i++
	}
	var mant uint64
	digits, frac := 0, 0
	sawDot := false
	start := i
	for ; i < len(b); i++ {
		c := b[i]
		if c >= '0' && c <= '9' {
			if digits < 19 {
				mant = mant*10 + uint64(c-'0')
				if mant != 0 {
					digits++
				}
				if sawDot {
					frac++
				}
			} else {
				return slowFloat(b, comma)
			}
			continue
		}
		if (c == '.' || (comma && c == ',')) && !sawDot {
			sawDot = true
			continue
		}
		return slowFloat(b, comma)
	}
	if i == start || (sawDot && i == start+1) {
		return 0, false // "", "-", "."
	}
	if mant >= 1<<53 || frac > 22 {
		return slowFloat(b, comma)
	}
	f := float64(mant) / pow10[frac]
	if neg {
		f = -f
	}
	return f, true
}

func slowFloat(b []byte, comma bool) (float64, bool) {
	if comma {
		for i, c := range b {
			if c == ',' {
				// Copy to a stack buffer to replace the decimal comma.
				var buf [64]byte
				if len(b) > len(buf) {
					return 0, false
				}
				n := copy(buf[:], b)
				buf[i] = '.'
				return strictFloat(buf[:n])
			}
		}
	}
	return strictFloat(b)
}

func strictFloat(b []byte) (float64, bool) {
	// Reject the spellings strconv accepts but data files should not use.
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return 0, false
		}
	}
	// string(b) does not allocate here for numbers up to 32 bytes (the
	// compiler converts into a stack buffer, as ParseFloat keeps no
	// reference), the same speed as viewing b with unsafe.String.
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// parseInt parses a count: an integer, or a number with a zero fraction
// ("3.0"). ok is false for anything else, including non-integers.
func parseInt(b []byte, comma bool) (int64, bool) {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	if len(b) == 0 || len(b) > 18 {
		f, ok := parseFloat(b, comma)
		if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, false
		}
		return int64(f), true
	}
	var n int64
	i, neg := 0, false
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		i++
	}
	if i == len(b) {
		return 0, false
	}
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			f, ok := parseFloat(b, comma)
			if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
				return 0, false
			}
			return int64(f), true
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}
