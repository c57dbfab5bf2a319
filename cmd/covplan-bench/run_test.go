package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"maps"
	"os"
	"path/filepath"
	"testing"
)

func TestSameInputs(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.csv"), []byte("id\n1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sums := filepath.Join(dir, "SUMS")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(sums, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name, sums string
		want       bool
		wantErr    bool
	}{
		{"match", sha("id\n1\n") + "  a.csv\n", true, false},
		{"other seed", sha("id\n2\n") + "  a.csv\n", false, false},
		{"missing file", sha("x") + "  b.csv\n", false, true},
		{"bad line", "nonsense\n", false, true},
		{"empty", "", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			write(tc.sums)
			got, err := sameInputs(sums, dir)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("sameInputs = %v, %v; want %v, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestParseFlagsPeerNames(t *testing.T) {
	for _, tc := range []struct {
		arg     string
		want    map[string]bool
		wantErr bool
	}{
		{"", map[string]bool{"geopandas": true, "postgis": true}, false},
		{"-peer-names=postgis", map[string]bool{"postgis": true}, false},
		{"-peer-names= GeoPandas , postgis", map[string]bool{"geopandas": true, "postgis": true}, false},
		{"-peer-names=", map[string]bool{}, false},
		{"-peer-names=duckdb", nil, true},
	} {
		args := []string{"-peers", t.TempDir()}
		if tc.arg != "" {
			args = append(args, tc.arg)
		}
		opt, err := parseFlags(args, io.Discard)
		if (err != nil) != tc.wantErr {
			t.Fatalf("%q: error %v, want error %v", tc.arg, err, tc.wantErr)
		}
		if err == nil && !maps.Equal(opt.only, tc.want) {
			t.Errorf("%q: peers %v, want %v", tc.arg, opt.only, tc.want)
		}
	}
}
