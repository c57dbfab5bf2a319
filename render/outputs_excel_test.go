package render

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// The spreadsheet variant holds the same values as zones.csv, with a BOM,
// ";" separators and decimal commas.
func TestOutputsZonesCSVExcel(t *testing.T) {
	for name, src := range map[string]*Source{"premise": premiseSource(), "zone level": zoneLevelSource()} {
		t.Run(name, func(t *testing.T) {
			var plain, excel bytes.Buffer
			if err := WriteZonesCSV(&plain, src); err != nil {
				t.Fatal(err)
			}
			if err := WriteZonesCSVExcel(&excel, src); err != nil {
				t.Fatal(err)
			}
			b := excel.Bytes()
			if !bytes.HasPrefix(b, []byte("\ufeff")) {
				t.Fatal("no UTF-8 byte-order mark")
			}
			pr := csv.NewReader(&plain)
			er := csv.NewReader(bytes.NewReader(b[len("\ufeff"):]))
			er.Comma = ';'
			prows, err := pr.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			erows, err := er.ReadAll()
			if err != nil {
				t.Fatalf("excel variant does not parse with ';': %v", err)
			}
			if len(prows) != len(erows) {
				t.Fatalf("%d rows vs %d", len(erows), len(prows))
			}
			decimals := 0
			for i := range prows {
				for j := range prows[i] {
					p, e := prows[i][j], erows[i][j]
					if i > 0 && strings.Contains(p, ".") && isNumber(p) {
						decimals++
						p = strings.Replace(p, ".", ",", 1)
					}
					if p != e {
						t.Errorf("row %d %s: zones.csv %q, excel %q", i, prows[0][j], prows[i][j], e)
					}
				}
			}
			if decimals == 0 {
				t.Error("fixture has no decimal numbers: the test checks nothing about decimal commas")
			}
		})
	}
}

func isNumber(s string) bool {
	for i, c := range s {
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' && i == 0) {
			return false
		}
	}
	return s != ""
}
