package main

import (
	"strings"
	"testing"
)

func TestReadZoneTable(t *testing.T) {
	const insee = "code_insee,nom,type,population\n" +
		"15027,Brezons,commune-actuelle,231\n" +
		"15014,Aurillac,commune-actuelle,26214\n" +
		"15027,Brezons,commune-deleguee,231\n"
	tests := []struct {
		name, data, key, where string
		wantPop                map[string]int
		wantFiltered           int
		wantErr                string
	}{
		{name: "duplicate ids are an error with a hint", data: insee, wantErr: `t.csv:4: code_insee: zone id "15027" appears twice (keep one row per zone with --zone-table-where`},
		{name: "where keeps one row per zone", data: insee, where: "type=commune-actuelle", wantPop: map[string]int{"15027": 231, "15014": 26214}, wantFiltered: 1},
		{name: "semicolons and explicit key", data: "COM;P21_POP\n01001;800\n", key: "COM", wantPop: map[string]int{"01001": 800}},
		{name: "no id column lists the columns", data: "nom,population\nA,1\n", wantErr: "no zone id column"},
		{name: "no figures", data: "id,nom\n1,A\n", wantErr: "no population or households column"},
		{name: "bad number names line and column", data: "id,population\n1,12a\n", wantErr: "t.csv:2: population: want a whole number"},
		{name: "unknown where column", data: insee, where: "kind=x", wantErr: `no column "kind"`},
		{name: "empty file", data: "", wantErr: "t.csv: empty: a zone table starts with a header row"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := readZoneTable(strings.NewReader(tt.data), "t.csv", tt.key, tt.where)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for id, p := range tt.wantPop {
				if tab.pop[id] != p {
					t.Errorf("population of %s = %d, want %d", id, tab.pop[id], p)
				}
			}
			if tab.filtered != tt.wantFiltered {
				t.Errorf("filtered %d rows, want %d", tab.filtered, tt.wantFiltered)
			}
		})
	}
}

// A broken table cannot make covplan hold it whole or echo it: lines are
// bounded, and the columns listed in errors clipped.
func TestReadZoneTableLimits(t *testing.T) {
	huge := strings.Repeat("x", zoneTableMaxLine+10)
	for _, tt := range []struct {
		name, data, want string
	}{
		{"header too long", "id," + huge + "\n1,2\n", "t.csv:1: line longer than 1 MiB (limit: line length of a zone table)"},
		{"row too long", "id,population\n1,2\n2," + huge + "\n", "t.csv:3: line longer than 1 MiB"},
		{"no newline at all", huge, "t.csv:1: line longer than 1 MiB"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readZoneTable(strings.NewReader(tt.data), "t.csv", "", "")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
	long := strings.Repeat("c", 500)
	_, err := readZoneTable(strings.NewReader("nom,"+long+"\nA,1\n"), "t.csv", "", "")
	if err == nil || len(err.Error()) > 400 || !strings.Contains(err.Error(), "no zone id column") {
		t.Errorf("error %q: want it short, naming the problem", err)
	}
	tab, err := readZoneTable(strings.NewReader("\ufeffid;population\r\n\"1\";\"1 200\"\r\n2;3\r\n"), "t.csv", "", "")
	if err != nil || tab.pop["1"] != 1200 || tab.pop["2"] != 3 {
		t.Errorf("BOM, CRLF, quotes and ';': %v %v", tab, err)
	}
}

// FuzzZoneTable: any bytes give a table or an error naming the file, never
// a panic; every row used has a non-empty id.
func FuzzZoneTable(f *testing.F) {
	for _, s := range []string{
		"code_insee,nom,type,population\n15027,Brezons,commune-actuelle,231\n15014,Aurillac,commune-actuelle,26214\n",
		"COM;P21_POP;P21_MEN\n01001;800;300\n01002;;\n",
		"\ufeffid,population\r\n1,2\r\n",
		"id,population\n\"1\n2\",3\n",
		"id\n1\n",
		"",
		"id,population\n1,-3\n",
	} {
		f.Add([]byte(s), "", "")
		f.Add([]byte(s), "", "type=commune-actuelle")
	}
	f.Fuzz(func(t *testing.T, data []byte, key, where string) {
		tab, err := readZoneTable(strings.NewReader(string(data)), "t.csv", key, where)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "t.csv") && !strings.Contains(err.Error(), "--zone-table-where") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for id := range tab.pop {
			if id == "" {
				t.Fatalf("a row with an empty id was used")
			}
		}
		if tab.rows != len(tab.pop) {
			t.Fatalf("%d rows used, %d ids", tab.rows, len(tab.pop))
		}
	})
}
