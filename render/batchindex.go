package render

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// A batch plans many areas, each into its own folder. Each area's folder
// gets area.json (WriteAreaJSON): the figures and the simplified outline
// that the batch's index.csv and index.html show, so that the index of a
// rerun that skips unchanged areas reads them back instead of planning
// again.

// areaFormat is the version of area.json.
const areaFormat = 1

// areaMaxVertices caps the vertices of an area's outline in area.json.
const areaMaxVertices = 20000

// BatchArea is the content of area.json.
type BatchArea struct {
	Format  int        `json:"covplan_area"`
	ID      string     `json:"id"`
	Title   string     `json:"title"`
	Version string     `json:"covplan_version"`
	Level   string     `json:"level"` // "zone" or "premise"
	Frame   string     `json:"frame"`
	Skipped int        `json:"skipped_records"` // input records skipped (summary.json says which)
	Totals  PlanTotals `json:"totals"`
	// Outline is the zones' outlines, simplified, as a GeoJSON
	// FeatureCollection in lon/lat; null without zone geometry.
	Outline json.RawMessage `json:"outline"`
}

// NewBatchArea is the area.json of area id planned as src.
func NewBatchArea(id string, src *Source) *BatchArea {
	a := &BatchArea{Format: areaFormat, ID: id, Title: src.Meta.Title, Version: src.Meta.Version, Level: "premise",
		Frame: src.Meta.Frame, Totals: TotalsOf(src.Plan), Outline: json.RawMessage("null")}
	if zoneLevel(src) {
		a.Level = "zone"
	}
	for _, sk := range src.Meta.Skipped {
		a.Skipped += sk.Count
	}
	if src.ZonesLL != nil {
		a.Outline = buildZoneMap(src.ZonesLL, areaMaxVertices).GeoJSON
	}
	return a
}

// WriteAreaJSON writes a as area.json: one line of JSON (the outline
// would triple in size indented).
func WriteAreaJSON(w io.Writer, a *BatchArea) error {
	b, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("render: area.json: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// ReadAreaJSON reads an area.json that WriteAreaJSON wrote.
func ReadAreaJSON(r io.Reader) (*BatchArea, error) {
	var a BatchArea
	dec := json.NewDecoder(r)
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("render: area.json: %w", err)
	}
	if a.Format != areaFormat {
		return nil, fmt.Errorf("render: area.json: format %d, want %d", a.Format, areaFormat)
	}
	return &a, nil
}

// Batch area statuses.
const (
	AreaPlanned   = "planned"   // planned by this run
	AreaUnchanged = "unchanged" // skipped: inputs, scenario and version as in the run that planned it
	AreaFailed    = "failed"    // this run failed to plan it (its folder keeps what it held)
)

// BatchRow is one area of a batch's index.
type BatchRow struct {
	ID     string
	Title  string
	Status string     // AreaPlanned, AreaUnchanged or AreaFailed
	Error  string     // AreaFailed: why
	Area   *BatchArea // nil when failed
	Report string     // the area's report, relative to the index; "" when none
}

// BatchIndex is what index.csv and index.html are written from: the
// areas in manifest order.
type BatchIndex struct {
	Title   string
	Version string
	Rows    []BatchRow
}

// WriteBatchIndexCSV writes index.csv: one row per area, in manifest
// order: its id, title, status and error, level, main technology, the
// totals (totalsHeader), the input records skipped and its folder and
// report. The figures are empty for a failed area.
func WriteBatchIndexCSV(w io.Writer, x *BatchIndex) error {
	if x == nil {
		return errors.New("render: index.csv: no index")
	}
	head := "area,title,status,error,level,main_tech," + totalsHeader() + ",skipped_records,folder,report\n"
	ncols := len(strings.Split(totalsHeader(), ","))
	err := writeRows(w, head, len(x.Rows), func(b []byte, i int) []byte {
		r := &x.Rows[i]
		e := &csvEncoder{b: b}
		e.str(r.ID)
		e.str(r.Title)
		e.str(r.Status)
		e.str(r.Error)
		if r.Area == nil {
			for range ncols + 3 {
				e.str("")
			}
		} else {
			e.str(r.Area.Level)
			e.str(r.Area.Totals.MainTech().String())
			appendTotals(e, r.Area.Totals)
			e.integer(int64(r.Area.Skipped))
		}
		e.str(r.ID + "/")
		e.str(r.Report)
		return append(e.b, '\n')
	})
	if err != nil {
		return fmt.Errorf("render: index.csv: %w", err)
	}
	return nil
}
