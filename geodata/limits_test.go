package geodata

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// allocated runs fn and returns the bytes it allocated on the heap.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// streamZip writes an archive whose members are produced by the write
// functions, deflated at the fastest level (a gigabyte of one byte
// compresses to about a megabyte in under a second).
func streamZip(t testing.TB, members map[string]func(io.Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for _, name := range []string{"doc.kml", "c.shp", "c.shx", "c.dbf", "c.prj", "c.cpg"} {
		write, ok := members[name]
		if !ok {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		write(w)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// repeat writes n bytes of c in 1 MiB writes.
func repeat(c byte, n int64) func(io.Writer) {
	return func(w io.Writer) {
		chunk := bytes.Repeat([]byte{c}, 1<<20)
		for n > 0 {
			k := min(n, int64(len(chunk)))
			w.Write(chunk[:k])
			n -= k
		}
	}
}

func text(s string) func(io.Writer) { return func(w io.Writer) { io.WriteString(w, s) } }

func seq(fs ...func(io.Writer)) func(io.Writer) {
	return func(w io.Writer) {
		for _, f := range fs {
			f(w)
		}
	}
}

func wantLimit(t *testing.T, err error, flag string) {
	t.Helper()
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), flag) {
		t.Fatalf("err = %v, want a limit error naming %s", err, flag)
	}
	if len(err.Error()) > 400 {
		t.Errorf("message of %d bytes", len(err.Error()))
	}
}

// TestKMZHugeName reproduces issue 10: a 1 MB KMZ whose KML holds a 1 GiB
// <name> took 45 s and 8.4 GB. It must fail on the text limit having
// allocated a few megabytes.
func TestKMZHugeName(t *testing.T) {
	kmz := streamZip(t, map[string]func(io.Writer){"doc.kml": seq(
		text(`<?xml version="1.0" encoding="UTF-8"?><kml><Document><Placemark><name>`),
		repeat('a', 1<<30),
		text(`</name><Point><coordinates>2,45</coordinates></Point></Placemark></Document></kml>`))})
	var err error
	n := allocated(func() {
		var doc io.ReadCloser
		doc, err = OpenKMZ(bytes.NewReader(kmz), int64(len(kmz)), "huge.kmz")
		if err != nil {
			return
		}
		defer doc.Close()
		_, err = ReadKMLPoints(doc, "huge.kmz", PointOptions{})
	})
	t.Logf("KMZ of %d bytes holding a 1 GiB name: %v; allocated %.1f MB", len(kmz), err, float64(n)/1e6)
	wantLimit(t, err, "--max-text-bytes")
	if n > 64<<20 {
		t.Errorf("allocated %d bytes, want a few MB", n)
	}
}

// TestZipHugePRJ reproduces issue 10: a 1 MB zipped shapefile with a 1 GiB
// .prj was accepted and took 3.75 GB.
func TestZipHugePRJ(t *testing.T) {
	shp, dbf := communes(t)
	z := streamZip(t, map[string]func(io.Writer){
		"c.shp": text(string(shp)), "c.dbf": text(string(dbf)),
		"c.prj": seq(text(`PROJCS["RGF93_Lambert_93",`), repeat(' ', 1<<30), text("]")),
	})
	var err error
	n := allocated(func() {
		_, err = ReadShapefileZip(bytes.NewReader(z), int64(len(z)), "huge-prj.zip", "")
	})
	t.Logf("zip of %d bytes holding a 1 GiB .prj: %v; allocated %.1f MB", len(z), err, float64(n)/1e6)
	wantLimit(t, err, "--max-sidecar-bytes")
	if n > 16<<20 {
		t.Errorf("allocated %d bytes", n)
	}
}

func TestZipInflateLimits(t *testing.T) {
	shp, dbf := communes(t)
	// A .dbf padded with 200 MiB of blanks: more than 100 times its
	// compressed size once past the 64 MiB floor.
	bomb := streamZip(t, map[string]func(io.Writer){"c.shp": text(string(shp)), "c.dbf": seq(text(string(dbf)), repeat(' ', 200<<20))})
	_, err := ReadShapefileZip(bytes.NewReader(bomb), int64(len(bomb)), "bomb.zip", "")
	wantLimit(t, err, "--max-inflate-ratio")
	// The absolute limit, lowered.
	_, err = ReadShapefileZipOptions(bytes.NewReader(bomb), int64(len(bomb)), "bomb.zip", "", ShapefileOptions{Limits: Limits{MaxInflatedBytes: 1 << 20}})
	wantLimit(t, err, "--max-inflated-bytes")
	// Raised, the ratio passes and the .dbf is read (and refused for its
	// trailing bytes? no: a .dbf may have trailing bytes after its records).
	_, err = ReadShapefileZipOptions(bytes.NewReader(bomb), int64(len(bomb)), "bomb.zip", "", ShapefileOptions{Limits: Limits{MaxInflateRatio: 1 << 20}})
	if err != nil {
		t.Errorf("with the ratio raised: %v", err)
	}
	// A KMZ too.
	kmz := streamZip(t, map[string]func(io.Writer){"doc.kml": seq(text(`<kml><Document>`), text(strings.Repeat("<Folder></Folder>", 300000)), text(`</Document></kml>`))})
	doc, err := OpenKMZLimits(bytes.NewReader(kmz), int64(len(kmz)), "big.kmz", Limits{MaxInflatedBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadKMLZones(doc, "big.kmz", ZoneOptions{})
	wantLimit(t, err, "--max-inflated-bytes")
}

// zeros is /dev/zero.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestCSVRecordLimit: --premises /dev/zero grew without bound; a record
// (or header) longer than MaxRecordBytes now stops the reader.
func TestCSVRecordLimit(t *testing.T) {
	var err error
	n := allocated(func() { _, err = ReadPoints(zeros{}, "zero", PointOptions{}) })
	t.Logf("/dev/zero as premises: %v; allocated %.1f MB", err, float64(n)/1e6)
	wantLimit(t, err, "--max-record-bytes")
	if n > 16<<20 {
		t.Errorf("allocated %d bytes", n)
	}
	// A record longer than the limit in the body, after good ones.
	body := "id,lon,lat\n1,2,45\n2," + strings.Repeat("9", 3<<20) + ",45\n3,2,45\n"
	_, err = ReadPoints(strings.NewReader(body), "long.csv", PointOptions{})
	wantLimit(t, err, "--max-record-bytes")
	if !strings.Contains(err.Error(), "long.csv:3:") {
		t.Errorf("error not located at line 3: %v", err)
	}
	// An unterminated quote swallows the rest of the file: stopped too.
	_, err = ReadPoints(io.MultiReader(strings.NewReader("id,lon,lat\n\"1,2,45\n"), io.LimitReader(zeros{}, 8<<20)), "quote.csv", PointOptions{})
	wantLimit(t, err, "--max-record-bytes")
	// Raised, the long record is read (and skipped for its bad lon).
	l, err := ReadPoints(strings.NewReader(body), "long.csv", PointOptions{Limits: Limits{MaxRecordBytes: 8 << 20}})
	if err != nil || l.Len() != 2 {
		t.Errorf("raised limit: %v", err)
	}
}

// TestEchoLimit: a 50 MB CSV header was echoed whole in the error.
func TestEchoLimit(t *testing.T) {
	cols := make([]string, 0, 10000)
	for i := range 10000 {
		cols = append(cols, strings.Repeat("c", 5000)+string(rune('a'+i%26)))
	}
	header := strings.Join(cols, ",") + "\n"
	_, err := ReadPoints(strings.NewReader(header+"1\n"), "wide.csv", PointOptions{Limits: Limits{MaxRecordBytes: 64 << 20}})
	if !errors.Is(err, ErrNoCoordinates) {
		t.Fatalf("err = %v", err)
	}
	t.Logf("a %d-byte header gives a %d-byte message", len(header), len(err.Error()))
	if len(err.Error()) > 4000 || !strings.Contains(err.Error(), "... (5001 bytes)") || !strings.Contains(err.Error(), "and 9980 more") {
		t.Errorf("message of %d bytes: %.300s", len(err.Error()), err)
	}
	// The default record limit stops a 50 MB header before any echo.
	_, err = ReadPoints(strings.NewReader(strings.Repeat("x,", 25<<20)), "h.csv", PointOptions{})
	wantLimit(t, err, "--max-record-bytes")
}

func TestKMLTextLimit(t *testing.T) {
	desc := strings.Repeat("d", 2<<20)
	doc := `<kml><Placemark><name>a</name><description>` + desc + `</description><Point><coordinates>2,45</coordinates></Point></Placemark></kml>`
	_, err := ReadKMLPoints(strings.NewReader(doc), "d.kml", PointOptions{})
	wantLimit(t, err, "--max-text-bytes")
	if _, err := ReadKMLPoints(strings.NewReader(doc), "d.kml", PointOptions{Limits: Limits{MaxTextBytes: 4 << 20}}); err != nil {
		t.Errorf("raised: %v", err)
	}
	// A comment, an attribute and CDATA count as tokens too.
	for _, bad := range []string{
		`<kml><!--` + desc + `--></kml>`,
		`<kml><Placemark id="` + desc + `"></Placemark></kml>`,
		`<kml><Placemark><name><![CDATA[` + desc + `]]></name></Placemark></kml>`,
		`<kml><Placemark><ExtendedData><Data name="k"><value>` + desc + `</value></Data></ExtendedData></Placemark></kml>`,
	} {
		if _, err := ReadKMLFibre(strings.NewReader(bad), "t.kml", FibreOptions{}); !errors.Is(err, ErrLimit) {
			t.Errorf("%.40s...: %v", bad, err)
		}
	}
	// Coordinates are bounded by the file size only: a 3 MiB ring reads.
	var ring strings.Builder
	for i := range 160000 {
		x := 2 + float64(i%80000)/1000000
		if i >= 80000 {
			x = 2.08 - float64(i%80000)/1000000
		}
		y := 45.0
		if i >= 80000 {
			y = 45.01
		}
		ring.WriteString(strings.TrimSpace(strings.Join([]string{ftoa(x), ftoa(y)}, ",")) + " ")
	}
	ring.WriteString("2,45")
	big := `<kml><Placemark><name>z</name><Polygon><outerBoundaryIs><LinearRing><coordinates>` + ring.String() + `</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>`
	if len(big) < DefaultMaxTextBytes {
		t.Fatalf("ring of %d bytes is under the limit", len(big))
	}
	if _, err := ReadKMLZones(strings.NewReader(big), "big.kml", ZoneOptions{}); err != nil {
		t.Errorf("long coordinates: %v", err)
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
