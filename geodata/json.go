package geodata

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// jscan is a small JSON scanner over an in-memory document, built for
// GeoJSON: it decodes coordinate arrays straight into orb points without
// reflection or intermediate values, and reports the byte offset of any
// syntax error. It never panics on malformed input; nesting is limited to
// maxJSONDepth.
type jscan struct {
	b     []byte
	i     int
	name  string
	depth int
	keys  map[string][2]string // interned property names and their normName
	ptbuf []orb.Point          // scratch for the position list being read
}

const maxJSONDepth = 256

func (s *jscan) errf(format string, args ...any) error {
	return &Error{File: s.name, Feature: -1, Offset: int64(s.i), Msg: fmt.Sprintf(format, args...), Err: ErrSyntax}
}

func (s *jscan) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek skips spaces and returns the next byte, 0 at the end.
func (s *jscan) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *jscan) what() string {
	if s.i >= len(s.b) {
		return "end of input"
	}
	return strconv.QuoteRune(rune(s.b[s.i]))
}

func (s *jscan) expect(c byte) error {
	if s.peek() != c {
		return s.errf("expected '%c', found %s", c, s.what())
	}
	s.i++
	return nil
}

// str reads a string. The result aliases the document when the string has
// no escapes.
func (s *jscan) str() ([]byte, error) {
	if s.peek() != '"' {
		return nil, s.errf("expected a string, found %s", s.what())
	}
	s.i++
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c == '"' {
			out := s.b[start:s.i]
			s.i++
			return out, nil
		}
		if c == '\\' {
			return s.strSlow(start)
		}
		if c < 0x20 {
			return nil, s.errf("control character in string")
		}
		s.i++
	}
	return nil, s.errf("unterminated string")
}

func (s *jscan) strSlow(start int) ([]byte, error) {
	out := append([]byte(nil), s.b[start:s.i]...)
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			return out, nil
		case c < 0x20:
			return nil, s.errf("control character in string")
		case c != '\\':
			out = append(out, c)
			s.i++
			continue
		}
		escAt := s.i
		s.i++
		if s.i >= len(s.b) {
			break
		}
		e := s.b[s.i]
		s.i++
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := s.hex4()
			if !ok {
				s.i = escAt
				return nil, s.errf("bad \\u escape")
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if s.i+1 < len(s.b) && s.b[s.i] == '\\' && s.b[s.i+1] == 'u' {
					s.i += 2
					if r2, ok = s.hex4(); !ok {
						return nil, s.errf("bad \\u escape")
					}
				}
				r = utf16.DecodeRune(r, r2)
			}
			out = utf8.AppendRune(out, r)
		default:
			s.i = escAt
			return nil, s.errf("bad escape '\\%c'", e)
		}
	}
	return nil, s.errf("unterminated string")
}

func (s *jscan) hex4() (rune, bool) {
	if s.i+4 > len(s.b) {
		return 0, false
	}
	var r rune
	for _, c := range s.b[s.i : s.i+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c-'a') + 10
		case c >= 'A' && c <= 'F':
			r |= rune(c-'A') + 10
		default:
			return 0, false
		}
	}
	s.i += 4
	return r, true
}

// num reads a number and returns its value and its text.
func (s *jscan) num() (float64, []byte, error) {
	s.ws()
	start := s.i
	b := s.b
	i := s.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if digits() == 0 {
		s.i = i
		return 0, nil, s.errf("expected a number, found %s", s.what())
	}
	exp := false
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			s.i = i
			return 0, nil, s.errf("expected a digit after '.'")
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		exp = true
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			s.i = i
			return 0, nil, s.errf("expected a digit in the exponent")
		}
	}
	s.i = i
	text := b[start:i]
	var f float64
	var ok bool
	if exp {
		f, ok = strictFloat(text)
	} else {
		f, ok = parseFloat(text, false)
	}
	if !ok {
		s.i = start
		return 0, nil, s.errf("number %s out of range", echo(string(text), 0))
	}
	return f, text, nil
}

func (s *jscan) lit(word string) error {
	if len(s.b)-s.i < len(word) || string(s.b[s.i:s.i+len(word)]) != word {
		return s.errf("invalid value starting with %s", s.what())
	}
	s.i += len(word)
	return nil
}

// skip skips one value of any type.
func (s *jscan) skip() error {
	switch c := s.peek(); {
	case c == '{':
		return s.obj(func([]byte) error { return s.skip() })
	case c == '[':
		return s.arr(func(int) error { return s.skip() })
	case c == '"':
		_, err := s.str()
		return err
	case c == 't':
		return s.lit("true")
	case c == 'f':
		return s.lit("false")
	case c == 'n':
		return s.lit("null")
	case c == '-' || c >= '0' && c <= '9':
		_, _, err := s.num()
		return err
	case c == 0:
		return s.errf("unexpected end of input")
	default:
		return s.errf("invalid character %s", s.what())
	}
}

// isNull consumes a null if there is one.
func (s *jscan) isNull() (bool, error) {
	if s.peek() == 'n' {
		return true, s.lit("null")
	}
	return false, nil
}

// obj reads an object, calling fn for each key with the scanner on the
// value, which fn must consume.
func (s *jscan) obj(fn func(key []byte) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.depth++; s.depth > maxJSONDepth {
		return s.errf("nesting deeper than %d", maxJSONDepth)
	}
	defer func() { s.depth-- }()
	if s.peek() == '}' {
		s.i++
		return nil
	}
	for {
		k, err := s.str()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		if err := fn(k); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return s.errf("expected ',' or '}', found %s", s.what())
		}
	}
}

// arr reads an array, calling fn for each element (index from 0).
func (s *jscan) arr(fn func(i int) error) error {
	if err := s.expect('['); err != nil {
		return err
	}
	if s.depth++; s.depth > maxJSONDepth {
		return s.errf("nesting deeper than %d", maxJSONDepth)
	}
	defer func() { s.depth-- }()
	if s.peek() == ']' {
		s.i++
		return nil
	}
	for n := 0; ; n++ {
		if err := fn(n); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return s.errf("expected ',' or ']', found %s", s.what())
		}
	}
}

// ctree is a GeoJSON coordinates member: d is its nesting depth (1 for a
// position, 2 for a list of positions, up to 4 for a MultiPolygon), 0 for
// an empty array.
type ctree struct {
	d  int
	pt orb.Point
	l2 []orb.Point
	l3 [][]orb.Point
	l4 [][][]orb.Point
}

// coords reads a coordinates array of any depth up to 4.
func (s *jscan) coords(level int) (ctree, error) {
	if level > 4 {
		return ctree{}, s.errf("coordinates nested deeper than 4")
	}
	if err := s.expect('['); err != nil {
		return ctree{}, err
	}
	switch c := s.peek(); {
	case c == ']':
		s.i++
		return ctree{}, nil
	case c == '-' || c >= '0' && c <= '9':
		return s.position()
	}
	var t ctree
	empties := 0
	s.ptbuf = s.ptbuf[:0]
	for {
		child, err := s.coords(level + 1)
		if err != nil {
			return ctree{}, err
		}
		if child.d == 0 {
			if t.d == 2 {
				return ctree{}, s.errf("empty position")
			}
			empties++
			switch t.d {
			case 3:
				t.l3 = append(t.l3, nil)
			case 4:
				t.l4 = append(t.l4, nil)
			}
		} else {
			if t.d == 0 {
				t.d = child.d + 1
				if t.d == 2 && empties > 0 {
					return ctree{}, s.errf("empty position")
				}
				for range empties {
					switch t.d {
					case 3:
						t.l3 = append(t.l3, nil)
					case 4:
						t.l4 = append(t.l4, nil)
					}
				}
			} else if child.d+1 != t.d {
				return ctree{}, s.errf("coordinates mix nesting depths")
			}
			switch t.d {
			case 2:
				// Positions go to the scratch buffer, copied once at the end.
				s.ptbuf = append(s.ptbuf, child.pt)
			case 3:
				t.l3 = append(t.l3, child.l2)
			case 4:
				t.l4 = append(t.l4, child.l3)
			default:
				return ctree{}, s.errf("coordinates nested deeper than 4")
			}
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			if t.d == 2 {
				t.l2 = append(make([]orb.Point, 0, len(s.ptbuf)+1), s.ptbuf...)
				s.ptbuf = s.ptbuf[:0]
			}
			return t, nil
		default:
			return ctree{}, s.errf("expected ',' or ']', found %s", s.what())
		}
	}
}

// position reads the rest of a position after its '['.
func (s *jscan) position() (ctree, error) {
	var t ctree
	t.d = 1
	for n := 0; ; n++ {
		v, _, err := s.num()
		if err != nil {
			return ctree{}, err
		}
		if n < 2 {
			t.pt[n] = v
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			if n < 1 {
				return ctree{}, s.errf("a position needs at least 2 numbers")
			}
			return t, nil
		default:
			return ctree{}, s.errf("expected ',' or ']', found %s", s.what())
		}
	}
}
