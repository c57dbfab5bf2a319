package geodata

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestReadPointsNothingSilent(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"id,lon,lat\n", "p.csv: no records: the file has a header and no data rows"},
		{"id,lon,lat\n\n\n", "p.csv: no records: the file has a header and no data rows"},
		{"id,lon,lat\n1,x,45\n2,,45\n", "p.csv: no usable records: all 2 were skipped (2 bad lon)"},
		{`{"type":"FeatureCollection","features":[]}`, "p.csv: no records: the file has no features"},
	} {
		_, err := ReadPoints(strings.NewReader(c.in), "p.csv", PointOptions{})
		if !errors.Is(err, ErrEmpty) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %s", c.in, err, c.want)
		}
	}
	l, err := ReadPoints(strings.NewReader("id,lon,lat\nA,2,45\nB,2,45\nA,2,45\nA,2.1,45\nB,2,45\nC,2,45\n"), "p.csv", PointOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := `p.csv: 3 records repeat the id of an earlier one (warning): e.g. line 4 (id "A"): also line 2 and 1 more; line 6 (id "B"): also line 3 — ids only label the outputs, but a repeated row counts its premises twice: remove duplicated rows`
	if len(l.Diagnostics) != 1 || l.Diagnostics[0].String() != want {
		t.Errorf("diagnostics %v\nwant %s", l.Diagnostics, want)
	}
	// GeoJSON features are named by index; row numbers as ids never repeat.
	g, err := ReadPoints(strings.NewReader(fc(feat(`{"id":"x"}`, `{"type":"Point","coordinates":[2,45]}`), feat(`{"id":"x"}`, `{"type":"Point","coordinates":[2,45]}`))), "p.geojson", PointOptions{})
	if err != nil || len(g.Diagnostics) != 1 || !strings.Contains(g.Diagnostics[0].String(), `feature 1 (id "x"): also feature 0`) {
		t.Errorf("geojson: %v %v", err, g.Diagnostics)
	}
	if _, err := ReadPoints(strings.NewReader("id,lon,lat\nA,2,45\nA,2,45\n"), "p.csv", PointOptions{Strict: true}); !errors.Is(err, ErrStrict) {
		t.Errorf("strict: %v", err)
	}
	if _, err := ReadPoints(strings.NewReader("id,lon,lat\nA,2,45\nB,x,45\n"), "p.csv", PointOptions{Strict: true}); !errors.Is(err, ErrStrict) || !strings.Contains(err.Error(), "record(s) skipped: bad lon") {
		t.Errorf("strict skip: %v", err)
	}
}

func TestIDRepeats(t *testing.T) {
	for _, n := range []int{0, 1, 10, 5000, 100000} {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprint(i % max(1, n-n/10)) // the last tenth repeat the first
		}
		reps := idRepeats(n, func(i int) string { return ids[i] })
		want := 0
		if n >= 10 {
			want = n / 10
		}
		if len(reps) != want {
			t.Errorf("n=%d: %d repeats, want %d", n, len(reps), want)
		}
		for _, r := range reps {
			if ids[r.first] != r.id || ids[r.second] != r.id || r.first >= r.second || r.uses != 2 {
				t.Errorf("n=%d: bad repeat %+v", n, r)
			}
		}
	}
}

func BenchmarkIDRepeats(b *testing.B) {
	data := genPremisesCSV(1000000, 1)
	l, err := ReadPoints(bytes.NewReader(data), "p.csv", PointOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if reps := idRepeats(l.Len(), l.ID); len(reps) != 0 {
			b.Fatal(len(reps))
		}
	}
}
