package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/covplan/covplan/geodata"
)

// zoneTable is a CSV of figures per zone (population, households) joined
// to the zones by id, for zones files that carry no counts (commune
// polygons and INSEE populations come from different sources).
type zoneTable struct {
	keyCol, popCol, hhCol string
	pop, hh               map[string]int
	rows                  int // rows used
	filtered              int // rows left out by --zone-table-where
}

var (
	zoneTableKeys = []string{"zone_id", "id", "code_insee", "insee", "code", "com", "codgeo"}
	zoneTablePop  = []string{"population", "pop", "pmun", "p21_pop", "p20_pop", "ptot"}
	zoneTableHH   = []string{"households", "menages", "nb_menages", "logements", "nb_logements", "log", "p21_men", "p21_log"}
)

// readZoneTable reads a zone table; key names the id column, or "" to
// detect it. Separators "," and ";" are detected from the header. where,
// when not empty, is "COLUMN=VALUE": only the rows with that value are
// used (the others are counted in filtered).
func readZoneTable(r io.Reader, name, key, where string) (*zoneTable, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	data = []byte(strings.TrimPrefix(string(data), "\ufeff"))
	header, _, _ := strings.Cut(string(data), "\n")
	cr := csv.NewReader(strings.NewReader(string(data)))
	if strings.Count(header, ";") > strings.Count(header, ",") {
		cr.Comma = ';'
	}
	cr.ReuseRecord = false
	cols, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading header: %w", name, err)
	}
	find := func(explicit string, cands []string) int {
		for i, c := range cols {
			n := strings.ToLower(strings.TrimSpace(c))
			if explicit != "" {
				if n == strings.ToLower(explicit) {
					return i
				}
				continue
			}
			for _, cand := range cands {
				if n == cand {
					return i
				}
			}
		}
		return -1
	}
	ki := find(key, zoneTableKeys)
	if ki < 0 {
		if key != "" {
			return nil, fmt.Errorf("%s: no column %q (columns: %s)", name, key, strings.Join(cols, ", "))
		}
		return nil, fmt.Errorf("%s: no zone id column (want one of %s; columns: %s)", name, strings.Join(zoneTableKeys, ", "), strings.Join(cols, ", "))
	}
	pi, hi := find("", zoneTablePop), find("", zoneTableHH)
	if pi < 0 && hi < 0 {
		return nil, fmt.Errorf("%s: no population or households column (want one of %s or %s; columns: %s)", name,
			strings.Join(zoneTablePop, ", "), strings.Join(zoneTableHH, ", "), strings.Join(cols, ", "))
	}
	wi, wv := -1, ""
	if where != "" {
		wc, v, ok := strings.Cut(where, "=")
		if !ok {
			return nil, usagef("--zone-table-where %q: want COLUMN=VALUE", where)
		}
		if wi = find(strings.TrimSpace(wc), nil); wi < 0 {
			return nil, fmt.Errorf("%s: --zone-table-where: no column %q (columns: %s)", name, wc, strings.Join(cols, ", "))
		}
		wv = strings.TrimSpace(v)
	}
	t := &zoneTable{keyCol: cols[ki], pop: map[string]int{}, hh: map[string]int{}}
	if pi >= 0 {
		t.popCol = cols[pi]
	}
	if hi >= 0 {
		t.hhCol = cols[hi]
	}
	line := 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if wi >= 0 && strings.TrimSpace(rec[wi]) != wv {
			t.filtered++
			continue
		}
		id := strings.TrimSpace(rec[ki])
		if id == "" {
			return nil, fmt.Errorf("%s:%d: %s: empty zone id", name, line, cols[ki])
		}
		if _, dup := t.pop[id]; dup {
			hint := ""
			if where == "" {
				hint = " (keep one row per zone with --zone-table-where COLUMN=VALUE, e.g. type=commune-actuelle)"
			}
			return nil, fmt.Errorf("%s:%d: %s: zone id %q appears twice%s", name, line, cols[ki], id, hint)
		}
		for _, c := range []struct {
			i int
			m map[string]int
		}{{pi, t.pop}, {hi, t.hh}} {
			if c.i < 0 {
				continue
			}
			v := strings.ReplaceAll(strings.TrimSpace(rec[c.i]), " ", "")
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("%s:%d: %s: want a whole number >= 0, got %q", name, line, cols[c.i], rec[c.i])
			}
			c.m[id] = n
		}
		if _, ok := t.pop[id]; !ok {
			t.pop[id] = -1 // seen, no figure
		}
		t.rows++
	}
	return t, nil
}

// joinResult counts how the table matched the zones.
type joinResult struct {
	matched    int
	zonesNoRow []string // zone ids without a table row
	rowsNoZone []string // table ids without a zone
}

// join sets population and households of the zones from the table. Figures
// already in the zones file are replaced by the table's.
func (t *zoneTable) join(z *geodata.ZoneLayer) joinResult {
	var res joinResult
	seen := make(map[string]bool, len(z.IDs))
	for i, id := range z.IDs {
		seen[id] = true
		p, ok := t.pop[id]
		if !ok {
			res.zonesNoRow = append(res.zonesNoRow, id)
			continue
		}
		res.matched++
		if p >= 0 {
			z.Population[i] = p
		}
		if h, ok := t.hh[id]; ok {
			z.Households[i] = h
		}
	}
	for id := range t.pop {
		if !seen[id] {
			res.rowsNoZone = append(res.rowsNoZone, id)
		}
	}
	sortStrings(res.rowsNoZone)
	return res
}
