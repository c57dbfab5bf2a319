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
