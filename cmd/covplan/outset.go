package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// An output set is every file one run writes into --out, written as a unit.
//
//  1. open: --out is created if missing and locked: flock on .covplan.lock,
//     held until the run ends, so a second run on the same --out is refused
//     before it reads anything. Staging folders a killed run left behind
//     are finished (if committed) or removed. A staging folder
//     .covplan-staging-* is made inside --out (same file system, so the
//     files can be renamed into place).
//  2. write: each file is written into the staging folder and fsynced.
//  3. commit: the manifest (.covplan-manifest.json: each file's name, size
//     and SHA-256) is written into the staging folder and synced with it;
//     from then on the set is committed, and a crash is rolled forward by
//     the next run. The files are renamed into --out; the files of the
//     previous manifest that this run did not write are removed (only if
//     unchanged since covplan wrote them); the manifest is renamed into
//     --out, --out is synced and the staging folder removed.
//
// An error or an interrupt before the commit removes the staging folder:
// --out holds the previous set, untouched. covplan never removes a file
// that is not listed in its manifest.
//
// A reader that must never see a set being replaced (a web server
// publishing --out) reads the manifest and checks the digests.

const (
	lockName     = ".covplan.lock"
	manifestName = ".covplan-manifest.json"
	stagingGlob  = ".covplan-staging-"
	manifestKind = 1 // version of the manifest format
)

// manifest lists the files of an output set.
type manifest struct {
	Format  int            `json:"covplan_manifest"`
	Command string         `json:"command"`
	Version string         `json:"covplan_version"`
	Files   []manifestFile `json:"files"`
	// Stamp is the digest of what the set was made from (batch: the
	// area's inputs, scenario, options and covplan version), for a rerun
	// to skip what has not changed; "" when not recorded.
	Stamp string `json:"stamp,omitempty"`
}

// manifestFile is one file of a set, as covplan wrote it.
type manifestFile struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// outputSet is one run's output set being written (see above). Its
// methods are not safe for concurrent use.
type outputSet struct {
	dir       string // --out
	command   string // the command writing it, for the manifest and the lock
	lock      *os.File
	staging   string
	mu        sync.Mutex     // guards files: outputs may be written concurrently
	files     []manifestFile // staged, in the order they were finished
	committed bool
	stamp     string                         // recorded in the manifest (manifest.Stamp)
	warn      func(msg string, attrs ...any) // what was found and cleaned up
}

// beforeOutput, when set (by tests), is called when each file has been
// created in the staging folder, before anything is written to it.
var beforeOutput func(name string)

// openOutputSet creates and locks dir and makes the staging folder. warn
// reports what was found and cleaned up. The caller must call close.
func openOutputSet(dir, command string, warn func(msg string, attrs ...any)) (*outputSet, error) {
	if dir == "" {
		return nil, usagef("give --out DIR")
	}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return nil, fmt.Errorf("--out %s: not a folder", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("--out %s: cannot create the folder: %w", dir, unwrapPathError(err))
	}
	lock, err := lockOut(dir, command)
	if err != nil {
		return nil, err
	}
	o := &outputSet{dir: dir, command: command, lock: lock, warn: warn}
	if err := o.recover(); err != nil {
		o.close()
		return nil, err
	}
	o.staging, err = os.MkdirTemp(dir, stagingGlob+"*")
	if err != nil {
		o.close()
		return nil, fmt.Errorf("--out %s: not writable: %w", dir, unwrapPathError(err))
	}
	return o, nil
}

// lockOut takes the lock of dir, or says who holds it.
func lockOut(dir, command string) (*os.File, error) {
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("--out %s: not writable: %w", dir, unwrapPathError(err))
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			holder, _ := os.ReadFile(path)
			who := strings.TrimSpace(string(holder))
			if who == "" {
				who = "another process"
			}
			return nil, fmt.Errorf("--out %s: another covplan run is writing there (%s); wait for it to finish or choose another --out", dir, who)
		}
		return nil, fmt.Errorf("--out %s: cannot lock %s: %w", dir, lockName, err)
	}
	// Who holds the lock, for the message of a run refused.
	if err := f.Truncate(0); err == nil {
		fmt.Fprintf(f, "covplan %s, pid %d, started %s\n", command, os.Getpid(), time.Now().Format(time.RFC3339))
	}
	return f, nil
}

// write stages the file name, written by fn. It stops with ctx's error when
// ctx is cancelled. Several files may be written at once.
func (o *outputSet) write(ctx context.Context, name string, fn func(io.Writer) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	path := filepath.Join(o.staging, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, unwrapPathError(err))
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(path)
		}
	}()
	if beforeOutput != nil {
		beforeOutput(name)
	}
	hw := &hashWriter{ctx: ctx, w: f, h: sha256.New()}
	bw := bufio.NewWriterSize(hw, 1<<20)
	if err = fn(bw); err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Chmod(0o644) // whatever the umask, as covplan always wrote them
	}
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("writing %s: %w", name, err)
	}
	o.mu.Lock()
	o.files = append(o.files, manifestFile{Name: name, Size: hw.n, SHA256: hex.EncodeToString(hw.h.Sum(nil))})
	o.mu.Unlock()
	return nil
}

// hashWriter writes to w, hashing and counting what it writes, and fails
// with ctx's error once ctx is cancelled.
type hashWriter struct {
	ctx context.Context
	w   io.Writer
	h   hash.Hash
	n   int64
}

func (hw *hashWriter) Write(p []byte) (int, error) {
	if err := hw.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	return n, err
}

// path is where the file name will be once committed.
func (o *outputSet) path(name string) string { return filepath.Join(o.dir, name) }

// commit puts the staged files in place as one set (see above) and returns
// the files of the previous set it removed. It is not interrupted by a
// cancelled context: once the manifest is synced, the set is committed.
func (o *outputSet) commit() (removed []string, err error) {
	files := slices.Clone(o.files)
	slices.SortFunc(files, func(a, b manifestFile) int { return strings.Compare(a.Name, b.Name) })
	m := manifest{Format: manifestKind, Command: o.command, Version: version, Files: files, Stamp: o.stamp}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeSynced(filepath.Join(o.staging, manifestName), append(b, '\n')); err != nil {
		return nil, fmt.Errorf("--out %s: writing the manifest: %w", o.dir, err)
	}
	if err := syncDir(o.staging); err != nil {
		return nil, fmt.Errorf("--out %s: %w", o.dir, err)
	}
	o.committed = true
	return o.rollForward(o.staging, m)
}

// rollForward moves the committed set staged in staging into place.
func (o *outputSet) rollForward(staging string, m manifest) (removed []string, err error) {
	old, err := readManifest(filepath.Join(o.dir, manifestName))
	if err != nil {
		o.warn(fmt.Sprintf("--out %s: %v; no file of the previous run is removed", o.dir, err), "out", o.dir)
	}
	for _, f := range m.Files {
		err := os.Rename(filepath.Join(staging, f.Name), o.path(f.Name))
		if err != nil && !(errors.Is(err, fs.ErrNotExist) && fileMatches(o.path(f.Name), f)) {
			return nil, fmt.Errorf("--out %s: putting %s in place: %w", o.dir, f.Name, err)
		}
	}
	removed = o.removeStale(old, m)
	if err := os.Rename(filepath.Join(staging, manifestName), o.path(manifestName)); err != nil {
		return removed, fmt.Errorf("--out %s: putting the manifest in place: %w", o.dir, err)
	}
	if err := syncDir(o.dir); err != nil {
		return removed, fmt.Errorf("--out %s: %w", o.dir, err)
	}
	if err := os.RemoveAll(staging); err != nil {
		o.warn(fmt.Sprintf("--out %s: could not remove %s: %v", o.dir, filepath.Base(staging), err), "out", o.dir)
	}
	return removed, nil
}

// removeStale removes the files of the old set that the new one does not
// have, when they are still as covplan wrote them; a file changed since is
// left in place and reported.
func (o *outputSet) removeStale(old, cur manifest) (removed []string) {
	for _, f := range old.Files {
		if slices.ContainsFunc(cur.Files, func(g manifestFile) bool { return g.Name == f.Name }) || !safeName(f.Name) {
			continue
		}
		path := o.path(f.Name)
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if !fileMatches(path, f) {
			o.warn(fmt.Sprintf("%s: not removed: written by an earlier covplan run, but changed since", path), "file", path)
			continue
		}
		if err := os.Remove(path); err != nil {
			o.warn(fmt.Sprintf("%s: could not remove this file of an earlier run: %v", path, unwrapPathError(err)), "file", path)
			continue
		}
		removed = append(removed, path)
	}
	return removed
}

// safeName reports whether name is a plain file name (a manifest edited by
// hand must not make covplan remove files elsewhere).
func safeName(name string) bool {
	return name != "" && name != "." && name != ".." && filepath.Base(name) == name && !strings.ContainsAny(name, `/\`)
}

// fileMatches reports whether the regular file at path has f's size and digest.
func fileMatches(path string, f manifestFile) bool {
	st, err := os.Lstat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() != f.Size {
		return false
	}
	d, err := fileDigest(path)
	return err == nil && d == f.SHA256
}

// fileDigest is the hex SHA-256 of the file's content; an error names path.
func fileDigest(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// readManifest reads a manifest; a missing one is an empty set.
func readManifest(path string) (manifest, error) {
	var m manifest
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil || m.Format != manifestKind {
		return manifest{}, fmt.Errorf("%s is not a covplan manifest", filepath.Base(path))
	}
	return m, nil
}

// recover finishes or removes what a killed run left in --out: a committed
// staging folder is rolled forward, any other removed; temporary files of
// covplan versions that wrote each file on its own are removed.
func (o *outputSet) recover() error {
	entries, err := os.ReadDir(o.dir)
	if err != nil {
		return fmt.Errorf("--out %s: %w", o.dir, unwrapPathError(err))
	}
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(o.dir, name)
		switch {
		case strings.HasPrefix(name, stagingGlob) && e.IsDir():
			m, err := readManifest(filepath.Join(path, manifestName))
			if err == nil && m.Format == manifestKind {
				o.warn(fmt.Sprintf("--out %s: finishing the output set of a run that was stopped while putting it in place", o.dir), "out", o.dir)
				if _, err := o.rollForward(path, m); err != nil {
					return err
				}
				continue
			}
			o.warn(fmt.Sprintf("--out %s: removing the temporary files of a run that did not finish (%s)", o.dir, name), "out", o.dir, "file", name)
			if err := os.RemoveAll(path); err != nil {
				return fmt.Errorf("--out %s: removing %s: %w", o.dir, name, err)
			}
		case isLegacyTemp(name) && e.Type().IsRegular():
			o.warn(fmt.Sprintf("--out %s: removing %s, a temporary file of a run that did not finish", o.dir, name), "out", o.dir, "file", name)
			os.Remove(path)
		}
	}
	return nil
}

// isLegacyTemp recognises the temporary files of covplan 0.1's per-file
// atomic writes: ".zones.csv.tmp-123456789".
func isLegacyTemp(name string) bool {
	for _, out := range []string{"zones.csv", "zones.geojson", "zones-excel.csv", "premises.csv", "summary.json", "report.html", "zone_counts.csv", "premise_out.csv"} {
		rest, ok := strings.CutPrefix(name, "."+out+".tmp-")
		if ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
			return true
		}
	}
	return false
}

// close removes the staging folder unless committed and releases the lock.
// It is safe to call more than once.
func (o *outputSet) close() {
	if o.staging != "" && !o.committed {
		os.RemoveAll(o.staging)
	}
	o.staging = ""
	if o.lock != nil {
		o.lock.Truncate(0) // the holder's line is for a run refused meanwhile
		unlockFile(o.lock)
		o.lock.Close()
		o.lock = nil
	}
}

// writeSynced writes b to a new file at path and syncs it.
func writeSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
