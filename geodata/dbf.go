package geodata

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// readDBF parses the dBase III table.
func (l *ShapefileLayer) readDBF(b []byte, name string, cs charset, csName string, fromCPG bool) error {
	if len(b) < 32 {
		return fileErr(name, ErrSyntax, "truncated: %d bytes, a .dbf header has at least 32", len(b))
	}
	nrec := int64(binary.LittleEndian.Uint32(b[4:]))
	hlen := int(binary.LittleEndian.Uint16(b[8:]))
	rlen := int(binary.LittleEndian.Uint16(b[10:]))
	if !fromCPG {
		// Language driver ID: 0x57 and 0x03 are ANSI Windows-1252.
		switch b[29] {
		case 0x03, 0x57:
			cs, csName = charsetCP1252, charsetName(charsetCP1252)
		}
	}
	if hlen < 33 || hlen > len(b) {
		return fileErr(name, ErrSyntax, "header length %d bytes is out of range (file %d bytes)", hlen, len(b))
	}
	width := 1 // the deletion flag
	o := 32
	for ; o+32 <= hlen && b[o] != 0x0D; o += 32 {
		d := b[o : o+32]
		fn := d[:11]
		if i := bytes.IndexByte(fn, 0); i >= 0 {
			fn = fn[:i]
		}
		f := DBFField{Name: strings.TrimSpace(decodeText(fn, cs)), Type: d[11], Length: int(d[16]), Decimals: int(d[17])}
		if f.Type == 'C' {
			f.Length += int(d[17]) << 8 // Clipper/FoxPro long character fields
			f.Decimals = 0
		}
		if f.Length == 0 {
			return fileErr(name, ErrSyntax, "field %d (%s) has length 0", len(l.Fields)+1, echo(f.Name, 0))
		}
		width += f.Length
		l.Fields = append(l.Fields, f)
	}
	if o >= hlen || b[o] != 0x0D {
		return fileErr(name, ErrSyntax, "the %d-byte header holds %d field descriptors and no 0x0D terminator (header length and field count disagree)", hlen, len(l.Fields))
	}
	if len(l.Fields) == 0 {
		return fileErr(name, ErrSyntax, "no field descriptors")
	}
	if width != rlen {
		return fileErr(name, ErrSyntax, "the %d field descriptors add up to %d bytes a record, the header says %d", len(l.Fields), width, rlen)
	}
	if nrec != int64(len(l.Geoms)) {
		return fileErr(name, ErrSyntax, "%d records, the .shp has %d shapes", nrec, len(l.Geoms))
	}
	if avail := int64(len(b) - hlen); nrec*int64(rlen) > avail {
		return fileErr(name, ErrSyntax, "truncated: %d records of %d bytes need %d bytes after the header, the file has %d", nrec, rlen, nrec*int64(rlen), avail)
	}
	l.Encoding = csName
	l.Attrs = make([][]string, nrec)
	l.Deleted = make([]bool, nrec)
	for i := range l.Attrs {
		r := b[hlen+i*rlen : hlen+(i+1)*rlen]
		switch r[0] {
		case ' ':
		case '*':
			l.Deleted[i] = true
		default:
			return featErr(name, i, "deletion flag", ErrSyntax, "byte 0x%02X, want ' ' or '*'", r[0])
		}
		vals := make([]string, len(l.Fields))
		o := 1
		for k, f := range l.Fields {
			raw := bytes.Trim(r[o:o+f.Length], " \x00")
			o += f.Length
			vals[k] = decodeText(raw, cs)
		}
		l.Attrs[i] = vals
	}
	return nil
}
