package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// snapshot reads every file of dir (not recursing), by name.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() {
			m[e.Name()+"/"] = nil
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = b
	}
	return m
}

func names(m map[string][]byte) []string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}

// sameFiles fails unless a and b hold the same files with the same bytes
// (the lock file aside: it only says who holds the lock).
func sameFiles(t *testing.T, what string, a, b map[string][]byte) {
	t.Helper()
	delete(a, lockName)
	delete(b, lockName)
	if strings.Join(names(a), " ") != strings.Join(names(b), " ") {
		t.Fatalf("%s: files %v, want %v", what, names(b), names(a))
	}
	for k := range a {
		if !bytes.Equal(a[k], b[k]) {
			t.Errorf("%s: %s changed", what, k)
		}
	}
}

// setBeforeOutput installs the hook for one test.
func setBeforeOutput(t *testing.T, f func(name string)) {
	t.Helper()
	beforeOutput = f
	t.Cleanup(func() { beforeOutput = nil })
}

// An interrupt while the outputs are written (the context cancelled, as
// Ctrl-C and SIGTERM do) leaves the previous set as it was, with no
// temporary file, whichever file was being written.
func TestInterruptKeepsThePreviousSet(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := covplan(t, append(mbArgs(out), "--title", "first")...); code != exitOK {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	before := snapshot(t, out)
	for _, at := range []string{"zones.csv", "premises.csv", "summary.json", "report.html"} {
		t.Run(at, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			setBeforeOutput(t, func(name string) {
				if name == at {
					cancel()
				}
			})
			var stdout, stderr bytes.Buffer
			code := runContext(ctx, append([]string{"covplan"}, append(mbArgs(out), "--title", "second")...), &stdout, &stderr)
			if code != exitSIGINT {
				t.Fatalf("exit %d, want the interrupted code; stderr:\n%s", code, stderr.String())
			}
			if !strings.Contains(stderr.String(), "interrupted") {
				t.Errorf("stderr does not say the run was interrupted:\n%s", stderr.String())
			}
			sameFiles(t, "after the interrupt", before, snapshot(t, out))
		})
	}
	// The library call stops with the context's error.
	ctx, cancel := context.WithCancel(context.Background())
	setBeforeOutput(t, func(name string) {
		if name == "zones.geojson" {
			cancel()
		}
	})
	_, err := runPlan(ctx, mbOptions(out), &bytes.Buffer{}, &bytes.Buffer{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("runPlan cancelled: error %v, want context.Canceled", err)
	}
	sameFiles(t, "after runPlan was cancelled", before, snapshot(t, out))
}

// A context cancelled before the run starts stops it before --out is
// written.
func TestCancelledBeforeStart(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stderr bytes.Buffer
	if code := runContext(ctx, append([]string{"covplan"}, mbArgs(out)...), &bytes.Buffer{}, &stderr); code != exitSIGINT {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if m, err := readManifest(filepath.Join(out, manifestName)); err != nil || len(m.Files) != 0 {
		t.Errorf("a cancelled run committed files: %v %v", m, err)
	}
}

// A second run on a locked --out is refused before it reads any input.
func TestLockRefusesASecondRun(t *testing.T) {
	out := t.TempDir()
	held, err := openOutputSet(out, "plan", func(msg string, _ ...any) { t.Log(msg) })
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := covplan(t, "plan", "--premises", "no-such-premises.csv", "--out", out)
	if code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}
	for _, want := range []string{out, "another covplan run is writing there", "pid"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "no-such-premises.csv") {
		t.Errorf("an input was read before the lock was checked:\n%s", stderr)
	}
	held.close()
	if code, _, stderr := covplan(t, mbArgs(out)...); code != exitOK {
		t.Errorf("after the lock was released: exit %d: %s", code, stderr)
	}
}

// Two runs on one --out at once (runPlan, as a batch would call it; the
// command line is one per process): each either finishes or is refused by
// the lock, and the folder always holds one run's set, whole.
func TestConcurrentRunsLeaveOneWholeSet(t *testing.T) {
	ref := map[string]map[string][]byte{}
	for _, title := range []string{"A", "B"} {
		dir := t.TempDir()
		if code, _, stderr := covplan(t, append(mbArgs(dir), "--title", title)...); code != exitOK {
			t.Fatalf("reference %s: exit %d: %s", title, code, stderr)
		}
		ref[title] = snapshot(t, dir)
	}
	out := t.TempDir()
	for round := 0; round < 4; round++ {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, title := range []string{"A", "B"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				o := mbOptions(out)
				o.Report.Title = title
				_, errs[i] = runPlan(context.Background(), o, &bytes.Buffer{}, &bytes.Buffer{})
			}()
		}
		wg.Wait()
		winner := ""
		for i, title := range []string{"A", "B"} {
			switch {
			case errs[i] == nil:
				winner = title
			case strings.Contains(errs[i].Error(), "another covplan run"):
			default:
				t.Fatalf("round %d, run %s: %v", round, title, errs[i])
			}
		}
		if winner == "" {
			t.Fatalf("round %d: both runs refused", round)
		}
		got := snapshot(t, out)
		if bytes.Equal(got["summary.json"], ref["A"]["summary.json"]) {
			sameFiles(t, fmt.Sprintf("round %d", round), ref["A"], got)
		} else {
			sameFiles(t, fmt.Sprintf("round %d", round), ref["B"], got)
		}
	}
}

// Files of an earlier run that this run does not write are removed; a
// user's own files, and an output the user changed since, are left alone.
func TestStaleOutputsRemovedUserFilesKept(t *testing.T) {
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
	if code, _, stderr := covplan(t, append(cantalArgs(out), "--excel")...); code != exitOK {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	for _, name := range []string{"zones-excel.csv", "report.html"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Fatalf("first run did not write %s", name)
		}
	}
	// The user edits zones-excel.csv: it is theirs now.
	edited := filepath.Join(out, "zones-excel.csv")
	os.WriteFile(edited, []byte("my edits\n"), 0o644)
	args := append([]string{"plan"}, cantalArgs(out)[2:]...) // without --quiet, to see what is said
	code, _, stderr := covplan(t, append(args, "--no-report")...)
	if code != exitOK {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "report.html")); !os.IsNotExist(err) {
		t.Errorf("report.html of the first run is still there (%v)", err)
	}
	if !strings.Contains(stderr, "removed "+filepath.Join(out, "report.html")) {
		t.Errorf("the removal of report.html is not said:\n%s", stderr)
	}
	if b, _ := os.ReadFile(edited); string(b) != "my edits\n" {
		t.Errorf("a covplan output edited by the user was removed or changed")
	}
	if !strings.Contains(stderr, "changed since") {
		t.Errorf("the edited output left in place is not reported:\n%s", stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "notes.txt")); string(b) != "mine" {
		t.Errorf("the user's notes.txt was touched")
	}
	m, err := readManifest(filepath.Join(out, manifestName))
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, f := range m.Files {
		listed = append(listed, f.Name)
		if !fileMatches(filepath.Join(out, f.Name), f) {
			t.Errorf("%s does not match the manifest", f.Name)
		}
	}
	if got := strings.Join(listed, " "); got != "summary.json zones.csv zones.geojson zones.gpkg" { // sorted by name
		t.Errorf("manifest lists %s", got)
	}
}

// A file of the user's that bears an output's name but was never written
// by covplan is overwritten only if this run writes that name, never
// removed.
func TestUnlistedFileNeverRemoved(t *testing.T) {
	out := t.TempDir()
	own := filepath.Join(out, "premises.csv")
	os.WriteFile(own, []byte("my premises\n"), 0o644)
	if code, _, stderr := covplan(t, cantalArgs(out)...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(own); string(b) != "my premises\n" {
		t.Errorf("premises.csv, not written by covplan, was changed")
	}
}

// What a killed run leaves is cleaned by the next run: an unfinished
// staging folder is removed, a committed one is put in place, and the
// temporary files of older covplan versions are removed.
func TestRecoverAfterAKilledRun(t *testing.T) {
	out := t.TempDir()
	unfinished := filepath.Join(out, stagingGlob+"111")
	os.Mkdir(unfinished, 0o700)
	os.WriteFile(filepath.Join(unfinished, "premises.csv"), []byte("partial"), 0o644)
	legacy := filepath.Join(out, ".premises.csv.tmp-123456")
	os.WriteFile(legacy, []byte("partial"), 0o644)
	userDot := filepath.Join(out, ".premises.csv.tmp-mine")
	os.WriteFile(userDot, []byte("mine"), 0o644)

	// A committed set whose first file was already moved into place.
	committed := filepath.Join(out, stagingGlob+"222")
	os.Mkdir(committed, 0o700)
	a, b := []byte("zone file\n"), []byte("summary\n")
	os.WriteFile(filepath.Join(out, "zones.csv"), a, 0o644)
	os.WriteFile(filepath.Join(committed, "summary.json"), b, 0o644)
	m := manifest{Format: manifestKind, Command: "plan", Version: version, Files: []manifestFile{
		{Name: "zones.csv", Size: int64(len(a)), SHA256: sha256hex(a)},
		{Name: "summary.json", Size: int64(len(b)), SHA256: sha256hex(b)},
	}}
	mb, _ := jsonMarshal(m)
	os.WriteFile(filepath.Join(committed, manifestName), mb, 0o644)

	var warnings []string
	set, err := openOutputSet(out, "plan", func(msg string, _ ...any) { warnings = append(warnings, msg) })
	if err != nil {
		t.Fatal(err)
	}
	set.close()
	for _, gone := range []string{unfinished, legacy, committed} {
		if _, err := os.Stat(gone); !os.IsNotExist(err) {
			t.Errorf("%s still there", filepath.Base(gone))
		}
	}
	if _, err := os.Stat(userDot); err != nil {
		t.Errorf("a user's file that only looks like a temporary file was removed")
	}
	if got, _ := os.ReadFile(filepath.Join(out, "summary.json")); !bytes.Equal(got, b) {
		t.Errorf("the committed set was not rolled forward: summary.json %q", got)
	}
	if m2, err := readManifest(filepath.Join(out, manifestName)); err != nil || len(m2.Files) != 2 {
		t.Errorf("manifest after recovery: %+v %v", m2, err)
	}
	if len(warnings) != 3 {
		t.Errorf("want three things said, got %q", warnings)
	}
}

// --out is checked (created, writable) before any input is read.
func TestOutCheckedFirst(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	for _, tt := range []struct{ out, want string }{
		{filepath.Join(file, "sub"), "cannot create the folder"},
		{file, "not a folder"},
	} {
		code, _, stderr := covplan(t, "plan", "--premises", "no-such-premises.csv", "--out", tt.out)
		if code != exitError || !strings.Contains(stderr, tt.want) || strings.Contains(stderr, "no-such-premises") {
			t.Errorf("--out %s: exit %d, stderr:\n%s", tt.out, code, stderr)
		}
	}
	if os.Geteuid() != 0 { // root writes anywhere
		ro := filepath.Join(t.TempDir(), "ro")
		os.Mkdir(ro, 0o555)
		code, _, stderr := covplan(t, "plan", "--premises", "no-such-premises.csv", "--out", ro)
		if code != exitError || !strings.Contains(stderr, "not writable") {
			t.Errorf("read-only --out: exit %d, stderr:\n%s", code, stderr)
		}
	}
}

func sha256hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
