package main

import (
	"crypto/sha256"
	"encoding/hex"
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
