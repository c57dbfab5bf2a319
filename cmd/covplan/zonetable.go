package main

import (
	"bufio"
	"bytes"
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

// zoneTableMaxLine bounds a zone table's lines (a header or row of a
// megabyte is no table of figures per zone), so that a broken file cannot
// make covplan hold it whole or echo it in an error.
const zoneTableMaxLine = 1 << 20

// readZoneTable reads a zone table; key names the id column, or "" to
// detect it. Separators "," and ";" are detected from the header. where,
// when not empty, is "COLUMN=VALUE": only the rows with that value are
// used (the others are counted in filtered). It reads r as a stream.
func readZoneTable(r io.Reader, name, key, where string) (*zoneTable, error) {
	lr := &lineLimiter{r: r, max: zoneTableMaxLine}
	br := bufio.NewReaderSize(lr, 64<<10)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		br.Discard(3)
	}
	header, err := br.Peek(64 << 10) // the header, or its first 64 KiB
	if errors.Is(err, bufio.ErrBufferFull) {
		err = nil
	}
	if err != nil && len(header) == 0 && !errors.Is(err, io.EOF) {
		return nil, lr.wrap(name, err)
	}
	if i := bytes.IndexByte(header, '\n'); i >= 0 {
		header = header[:i]
	}
	cr := csv.NewReader(br)
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		cr.Comma = ';'
	}
	cols, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty: a zone table starts with a header row (e.g. zone_id,population)", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: reading header: %w", name, lr.wrap(name, err))
	}
	t, ix, err := newZoneTable(name, cols, key, where)
	if err != nil {
		return nil, err
	}
	if err := t.readRows(cr, name, cols, ix, where); err != nil {
		return nil, lr.wrap(name, err)
	}
	return t, nil
}

// zoneTableColumns are the indexes of the columns a zone table uses; -1
// when absent.
type zoneTableColumns struct {
	key, pop, hh, where int
	whereValue          string
}

// newZoneTable finds the columns of a zone table from its header.
func newZoneTable(name string, cols []string, key, where string) (*zoneTable, zoneTableColumns, error) {
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
	ix := zoneTableColumns{key: find(key, zoneTableKeys), pop: find("", zoneTablePop), hh: find("", zoneTableHH), where: -1}
	if ix.key < 0 {
		if key != "" {
			return nil, ix, fmt.Errorf("%s: no column %q (columns: %s)", name, key, listColumns(cols))
		}
		return nil, ix, fmt.Errorf("%s: no zone id column (want one of %s; columns: %s)", name, strings.Join(zoneTableKeys, ", "), listColumns(cols))
	}
	if ix.pop < 0 && ix.hh < 0 {
		return nil, ix, fmt.Errorf("%s: no population or households column (want one of %s or %s; columns: %s)", name,
			strings.Join(zoneTablePop, ", "), strings.Join(zoneTableHH, ", "), listColumns(cols))
	}
	if where != "" {
		wc, v, ok := strings.Cut(where, "=")
		if !ok {
			return nil, ix, usagef("--zone-table-where %q: want COLUMN=VALUE", where)
		}
		if ix.where = find(strings.TrimSpace(wc), nil); ix.where < 0 {
			return nil, ix, fmt.Errorf("%s: --zone-table-where: no column %q (columns: %s)", name, wc, listColumns(cols))
		}
		ix.whereValue = strings.TrimSpace(v)
	}
	t := &zoneTable{keyCol: cols[ix.key], pop: map[string]int{}, hh: map[string]int{}}
	if ix.pop >= 0 {
		t.popCol = cols[ix.pop]
	}
	if ix.hh >= 0 {
		t.hhCol = cols[ix.hh]
	}
	return t, ix, nil
}

// readRows reads the table's rows into t.
func (t *zoneTable) readRows(cr *csv.Reader, name string, cols []string, ix zoneTableColumns, where string) error {
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if ix.where >= 0 && strings.TrimSpace(rec[ix.where]) != ix.whereValue {
			t.filtered++
			continue
		}
		id := strings.TrimSpace(rec[ix.key])
		if id == "" {
			return fmt.Errorf("%s:%d: %s: empty zone id", name, line, cols[ix.key])
		}
		if _, dup := t.pop[id]; dup {
			hint := ""
			if where == "" {
				hint = " (keep one row per zone with --zone-table-where COLUMN=VALUE, e.g. type=commune-actuelle)"
			}
			return fmt.Errorf("%s:%d: %s: zone id %q appears twice%s", name, line, cols[ix.key], clip(id), hint)
		}
		for _, c := range []struct {
			i int
			m map[string]int
		}{{ix.pop, t.pop}, {ix.hh, t.hh}} {
			if c.i < 0 {
				continue
			}
			v := strings.ReplaceAll(strings.TrimSpace(rec[c.i]), " ", "")
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fmt.Errorf("%s:%d: %s: want a whole number >= 0, got %q", name, line, cols[c.i], clip(rec[c.i]))
			}
			c.m[id] = n
		}
		if _, ok := t.pop[id]; !ok {
			t.pop[id] = -1 // seen, no figure
		}
		t.rows++
	}
}

// clip shortens a value quoted in an error message to 40 bytes.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:40] + "..."
}

// listColumns lists a header's columns for an error message, clipped: at
// most 20 names of at most 40 bytes each.
func listColumns(cols []string) string {
	c := make([]string, len(cols))
	for i, s := range cols {
		c[i] = clip(s)
	}
	return listSome(c, 20)
}

// lineLimiter fails a read once a line is longer than max bytes.
type lineLimiter struct {
	r    io.Reader
	max  int
	cur  int // bytes of the current line so far
	line int // 1-based line being read
	over bool
}

// errLineTooLong is the error of lineLimiter.
var errLineTooLong = errors.New("line too long")

func (l *lineLimiter) Read(p []byte) (int, error) {
	if l.over {
		return 0, errLineTooLong
	}
	n, err := l.r.Read(p)
	for i := 0; i < n; {
		j := bytes.IndexByte(p[i:n], '\n')
		end := n
		if j >= 0 {
			end = i + j
		}
		if l.cur+end-i > l.max {
			// Hand over nothing past the limit: the reader above never
			// sees the long line end.
			l.over = true
			return i + (l.max - l.cur), errLineTooLong
		}
		if j < 0 {
			l.cur += n - i
			break
		}
		l.line++
		l.cur = 0
		i = end + 1
	}
	return n, err
}

// wrap turns the limiter's error, however wrapped, into a message naming
// the line and the limit.
func (l *lineLimiter) wrap(name string, err error) error {
	if errors.Is(err, errLineTooLong) || l.over {
		return fmt.Errorf("%s:%d: line longer than %d MiB (limit: line length of a zone table)", name, l.line+1, l.max>>20)
	}
	return err
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
