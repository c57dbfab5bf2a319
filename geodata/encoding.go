package geodata

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// charset is a text encoding of .dbf values and 8-bit KML.
type charset uint8

func charsetName(c charset) string {
	switch c {
	case charsetUTF8:
		return "UTF-8"
	case charsetCP1252:
		return "Windows-1252"
	case charsetLatin9:
		return "ISO-8859-15"
	}
	return "UTF-8 or Windows-1252 (guessed per value)"
}

// parseCodePage reads a .cpg or an XML encoding label.
func parseCodePage(s string) (charset, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.NewReplacer("-", "", "_", "", " ", "").Replace(s)
	switch s {
	case "UTF8", "65001", "UTF8BOM":
		return charsetUTF8, true
	case "ISO88591", "88591", "LATIN1", "L1", "1252", "CP1252", "WINDOWS1252", "ANSI1252", "ANSI", "28591", "USASCII", "ASCII":
		return charsetCP1252, true
	case "ISO885915", "885915", "LATIN9", "28605":
		return charsetLatin9, true
	}
	return 0, false
}

// latin9 lists the ISO-8859-15 bytes that differ from Latin-1.
var latin9 = map[byte]rune{0xA4: '€', 0xA6: 'Š', 0xA8: 'š', 0xB4: 'Ž', 0xB8: 'ž', 0xBC: 'Œ', 0xBD: 'œ', 0xBE: 'Ÿ'}

// decodeText decodes b to a string.
func decodeText(b []byte, cs charset) string {
	switch cs {
	case charsetUTF8:
		return strings.ToValidUTF8(string(b), "\uFFFD")
	case charsetGuess:
		if utf8.Valid(b) {
			return string(b)
		}
		cs = charsetCP1252
	}
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	return string(decode8bit(nil, b, cs))
}

// decode8bit appends the UTF-8 form of the 8-bit text b to dst
// (Windows-1252 through the CSV reader's appendCP1252).
func decode8bit(dst, b []byte, cs charset) []byte {
	if cs != charsetLatin9 {
		return appendCP1252(dst, b)
	}
	for _, c := range b {
		if c < 0x80 {
			dst = append(dst, c)
			continue
		}
		r := rune(c)
		if x, ok := latin9[c]; ok {
			r = x
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// cp1252High maps the bytes 0x80..0x9F of Windows-1252 to Unicode; the
// five unassigned ones keep their Latin-1 (C1 control) code points.
var cp1252High = [32]rune{
	0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
	0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
}

// appendCP1252 appends the UTF-8 form of Windows-1252 text b to dst.
func appendCP1252(dst, b []byte) []byte {
	dst = slices.Grow(dst, len(b)+len(b)/8)
	for len(b) > 0 {
		i := 0
		for i < len(b) && b[i] < 0x80 {
			i++
		}
		dst = append(dst, b[:i]...)
		if i == len(b) {
			break
		}
		c := b[i]
		if c < 0xA0 {
			dst = utf8.AppendRune(dst, cp1252High[c-0x80])
		} else {
			dst = utf8.AppendRune(dst, rune(c))
		}
		b = b[i+1:]
	}
	return dst
}
