package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// compareOutputs compares the peers' output files (zone_counts.csv and, when
// both directories have it, premise_out.csv) of two directories, as the
// peers' compare.py does: same header, same keys, integer and label columns
// equal, metre columns (suffix _m) within tolM. It returns the number of
// differing fields.
func compareOutputs(want, got string, tolM float64) (int, error) {
	bad, err := compareCSV(filepath.Join(want, "zone_counts.csv"), filepath.Join(got, "zone_counts.csv"), tolM)
	if err != nil {
		return 0, err
	}
	wp, gp := filepath.Join(want, "premise_out.csv"), filepath.Join(got, "premise_out.csv")
	if fileExists(wp) && fileExists(gp) {
		b, err := compareCSV(wp, gp, tolM)
		if err != nil {
			return 0, err
		}
		bad += b
	}
	return bad, nil
}

func readKeyed(path string) ([]string, map[string][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, nil, fmt.Errorf("%s: empty", path)
	}
	rows := make(map[string][]string, len(recs)-1)
	for _, r := range recs[1:] {
		rows[r[0]] = r
	}
	return recs[0], rows, nil
}

func compareCSV(wantPath, gotPath string, tolM float64) (int, error) {
	wh, w, err := readKeyed(wantPath)
	if err != nil {
		return 0, err
	}
	gh, g, err := readKeyed(gotPath)
	if err != nil {
		return 0, err
	}
	if !slices.Equal(wh, gh) {
		return 0, fmt.Errorf("%s: header %v, want %v", gotPath, gh, wh)
	}
	bad := 0
	for k, wr := range w {
		gr, ok := g[k]
		if !ok {
			bad++
			continue
		}
		for c, name := range wh {
			x, y := wr[c], gr[c]
			if strings.HasSuffix(name, "_m") && x != "" && y != "" {
				a, err1 := strconv.ParseFloat(x, 64)
				b, err2 := strconv.ParseFloat(y, 64)
				if err1 == nil && err2 == nil && math.Abs(a-b) <= tolM {
					continue
				}
			}
			if x != y {
				bad++
			}
		}
	}
	for k := range g {
		if _, ok := w[k]; !ok {
			bad++
		}
	}
	return bad, nil
}
