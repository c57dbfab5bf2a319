package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/covplan/covplan/render"
	"github.com/urfave/cli/v2"
)

// BatchOptions is everything one batch run needs.
type BatchOptions struct {
	Manifest *batchManifest
	Out      string
	Jobs     int  // areas planned at once; 0 = one per CPU
	Force    bool // plan every area, even unchanged ones
	Lang     string
	Run      RunOptions
}

func batchCommand() *cli.Command {
	flags := []cli.Flag{
		onceFlag(&cli.GenericFlag{Name: "out", Usage: "output `DIR` (created if missing): index.html, index.csv and a folder per area"}),
		&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "areas planned at once", DefaultText: "one per CPU"},
		&cli.BoolFlag{Name: "force", Usage: "plan every area, even those whose inputs, scenario and covplan version are unchanged"},
		&cli.StringFlag{Name: "lang", Value: "fr", Usage: "language index.html opens in: fr or en"},
	}
	return &cli.Command{
		Name:      "batch",
		Usage:     "plan many areas from a manifest, each into its own folder, with index.html and index.csv",
		ArgsUsage: "MANIFEST.yaml",
		Description: "The manifest lists the areas, each with its inputs and scenario, and defaults shared by\n" +
			"all (docs/cli.md and examples/batch/manifest.yaml). Areas are planned in parallel (--jobs),\n" +
			"each into DIR/ID/ as plan writes it, plus area.json. A rerun skips the areas whose input\n" +
			"files (by content), scenario, options and covplan version are unchanged, unless --force.\n" +
			"A failing area does not stop the others: it is listed in the index with its error, and the\n" +
			"exit code is 3 (1 when every area failed).\n\n" +
			"Example:\n  covplan batch examples/batch/manifest.yaml --out reports/ --jobs 2",
		Flags: append(flags, batchRunFlags()...),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("batch: want one MANIFEST.yaml, got %d arguments", c.NArg())
			}
			ro, err := runOptionsFromCLI(c)
			if err != nil {
				return err
			}
			opt := BatchOptions{Out: c.String("out"), Jobs: c.Int("jobs"), Force: c.Bool("force"), Lang: c.String("lang"), Run: ro}
			if err := opt.validate(); err != nil {
				return err
			}
			if opt.Manifest, err = readBatchManifest(c.Args().First()); err != nil {
				return err
			}
			_, err = runBatch(c.Context, opt, c.App.Writer, c.App.ErrWriter)
			return err
		},
	}
}

// batchRunFlags are the running flags, --workers per area.
func batchRunFlags() []cli.Flag {
	flags := runFlags()
	for _, f := range flags {
		if w, ok := f.(*cli.IntFlag); ok && w.Name == "workers" {
			w.Usage = "goroutines for measuring and evaluating each area"
			w.DefaultText = "the CPUs shared among the jobs"
		}
	}
	return flags
}

func (o BatchOptions) validate() error {
	if o.Out == "" {
		return usagef("give --out DIR")
	}
	if o.Jobs < 0 {
		return usagef("--jobs: want 1 or more (or 0: one per CPU), got %d", o.Jobs)
	}
	if o.Lang != "fr" && o.Lang != "en" {
		return usagef("--lang: want fr or en, got %q", o.Lang)
	}
	return o.Run.validate()
}

// partialError is a batch with failed areas: exit 3 (exitPartial), or 1
// when every area failed.
type partialError struct {
	failed, total int
	first         string // the first failed area and its error
}

func (e *partialError) Error() string {
	return fmt.Sprintf("batch: %d of %d areas failed (listed in index.csv and index.html); first: %s", e.failed, e.total, e.first)
}

func (e *partialError) code() int {
	if e.failed == e.total {
		return exitError
	}
	return exitPartial
}

// batchResult is what a batch run did.
type batchResult struct {
	Index   *render.BatchIndex
	Written []string
}

// runBatch plans every area of the manifest into opt.Out/ID/ (jobs at a
// time), skipping unchanged areas unless opt.Force, then writes index.csv
// and index.html. Areas that fail are listed; the error is then a
// *partialError.
func runBatch(ctx context.Context, opt BatchOptions, stdout, stderr io.Writer) (*batchResult, error) {
	if err := opt.validate(); err != nil {
		return nil, err
	}
	if opt.Manifest == nil || len(opt.Manifest.Areas) == 0 {
		return nil, usagef("batch: the manifest has no area")
	}
	// The batch's own lines and every area's lines share stderr: one
	// lock for all of them, so that no two lines interleave.
	stderr = &lockedWriter{w: stderr}
	s := newSession(ctx, opt.Run, stdout, stderr)
	set, err := openOutputSet(opt.Out, "batch", s.con.warn)
	if err != nil {
		return nil, err
	}
	defer set.close()
	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	jobs = min(jobs, len(opt.Manifest.Areas))
	start := time.Now()
	s.con.notice(fmt.Sprintf("batch: %d areas, %d at a time, into %s", len(opt.Manifest.Areas), jobs, opt.Out),
		"areas", len(opt.Manifest.Areas), "jobs", jobs, "out", opt.Out)
	rows := make([]render.BatchRow, len(opt.Manifest.Areas))
	work := make(chan int)
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				rows[i] = runArea(ctx, s, opt, jobs, &opt.Manifest.Areas[i], stderr)
			}
		}()
	}
	for i := range opt.Manifest.Areas {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	x := &render.BatchIndex{Title: opt.Manifest.Title, Version: version, Rows: rows}
	written, err := writeOutputs(s, set, []output{
		{"index.csv", func(w io.Writer) error { return render.WriteBatchIndexCSV(w, x) }},
		{"index.html", func(w io.Writer) error { return render.WriteBatchIndexHTML(w, x, render.PageOptions{Lang: opt.Lang}) }},
	})
	if err != nil {
		return nil, err
	}
	s.pg.total()
	n := batchCounts(rows)
	s.con.summary("batch written", func(w io.Writer) { printBatchSummary(w, x, n, written) },
		"version", version, "areas", len(rows), "planned", n[render.AreaPlanned], "unchanged", n[render.AreaUnchanged],
		"failed", n[render.AreaFailed], "seconds", time.Since(start).Seconds(), "out", opt.Out, "files", written)
	s.con.notice(fmt.Sprintf("batch: done in %.1f s", time.Since(start).Seconds()), "seconds", time.Since(start).Seconds())
	if f := n[render.AreaFailed]; f > 0 {
		pe := &partialError{failed: f, total: len(rows)}
		for _, r := range rows {
			if r.Status == render.AreaFailed {
				pe.first = r.ID + ": " + r.Error
				break
			}
		}
		return &batchResult{Index: x, Written: written}, pe
	}
	return &batchResult{Index: x, Written: written}, nil
}

func batchCounts(rows []render.BatchRow) map[string]int {
	n := map[string]int{}
	for _, r := range rows {
		n[r.Status]++
	}
	return n
}

// runArea plans one area, or skips it when unchanged; it never fails the
// batch: an error is the row's.
func runArea(ctx context.Context, s *session, opt BatchOptions, jobs int, a *batchArea, stderr io.Writer) render.BatchRow {
	row := render.BatchRow{ID: a.ID, Title: a.Report.Title}
	dir := filepath.Join(opt.Out, a.ID)
	started := time.Now()
	fail := func(err error) render.BatchRow {
		row.Status, row.Error = render.AreaFailed, oneLine(err)
		s.con.warn(fmt.Sprintf("%s: failed: %s", a.ID, row.Error), "area", a.ID, "status", row.Status, "error", row.Error)
		return row
	}
	stamp, err := areaStamp(a)
	if err != nil {
		return fail(err)
	}
	if !opt.Force {
		if area, ok := unchangedArea(dir, stamp); ok {
			row.Status, row.Area = render.AreaUnchanged, area
			row.Report = reportLink(a)
			s.con.notice(fmt.Sprintf("%s: unchanged since the last run (inputs, scenario and covplan %s): skipped", a.ID, version),
				"area", a.ID, "status", row.Status)
			return row
		}
	}
	workers := opt.Run.Workers
	if workers == 0 {
		workers = max(1, runtime.GOMAXPROCS(0)/jobs)
	}
	sc := a.Scenario
	sc.Workers = workers
	var area *render.BatchArea
	po := PlanOptions{Inputs: a.Inputs, Scenario: sc, AutoCosts: a.AutoCosts, Out: dir, Report: a.Report,
		Run:   RunOptions{Workers: workers, LogFormat: opt.Run.LogFormat, Quiet: opt.Run.Quiet, Timings: opt.Run.Timings},
		stamp: stamp,
		extra: func(src *render.Source) []output {
			area = render.NewBatchArea(a.ID, src)
			return []output{{"area.json", func(w io.Writer) error { return render.WriteAreaJSON(w, area) }}}
		}}
	aw := &areaWriter{w: stderr, area: a.ID, json: opt.Run.LogFormat == LogJSON}
	if _, err := runPlan(ctx, po, io.Discard, aw); err != nil {
		return fail(err)
	}
	row.Status, row.Area, row.Report = render.AreaPlanned, area, reportLink(a)
	sec := time.Since(started).Seconds()
	s.con.notice(fmt.Sprintf("%s: planned in %.1f s: %d premises, main technology %s", a.ID, sec, area.Totals.Premises, area.Totals.MainTech()),
		"area", a.ID, "status", row.Status, "seconds", sec, "premises", area.Totals.Premises, "main_tech", area.Totals.MainTech().String())
	return row
}

// reportLink is the area's report relative to the index, "" without one.
func reportLink(a *batchArea) string {
	if a.Report.NoReport {
		return ""
	}
	return a.ID + "/report.html"
}

// oneLine is an error's message on one line.
func oneLine(err error) string {
	var ue *usageError
	if errors.As(err, &ue) {
		err = ue.err
	}
	return strings.Join(strings.Fields(err.Error()), " ")
}

// areaStamp digests what an area's plan depends on: covplan's version,
// the area's options and scenario, and the content of every input file.
func areaStamp(a *batchArea) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "covplan %s\n", version)
	for _, c := range a.Config {
		fmt.Fprintln(h, c)
	}
	in := a.Inputs
	files := append(append([]string{in.Zones, in.ZoneTable, in.Premises}, in.Fibre...), in.APs...)
	for _, p := range files {
		if p == "" {
			fmt.Fprintln(h, "-")
			continue
		}
		d, err := fileDigest(p)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %s\n", filepath.Base(p), d)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// unchangedArea reads the area's last output set when its stamp is stamp
// and its files are as covplan wrote them (an edited or removed file
// makes the area planned again).
func unchangedArea(dir, stamp string) (*render.BatchArea, bool) {
	m, err := readManifest(filepath.Join(dir, manifestName))
	if err != nil || m.Stamp != stamp || m.Version != version {
		return nil, false
	}
	var hasArea bool
	for _, f := range m.Files {
		if !safeName(f.Name) || !fileMatches(filepath.Join(dir, f.Name), f) {
			return nil, false
		}
		hasArea = hasArea || f.Name == "area.json"
	}
	if !hasArea {
		return nil, false
	}
	b, err := os.ReadFile(filepath.Join(dir, "area.json"))
	if err != nil {
		return nil, false
	}
	area, err := render.ReadAreaJSON(bytes.NewReader(b))
	return area, err == nil
}

// lockedWriter makes each Write whole on a writer shared by goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (lw *lockedWriter) Write(p []byte) (int, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	return lw.w.Write(p)
}

// areaWriter passes an area's stderr on, line by line, naming the area:
// "covplan: ID: message" in text, an "area" field in JSON records. It
// writes whole lines only; w must take writes from several goroutines
// (a lockedWriter).
type areaWriter struct {
	w    io.Writer
	area string
	json bool
	buf  []byte
}

func (aw *areaWriter) Write(p []byte) (int, error) {
	aw.buf = append(aw.buf, p...)
	for {
		i := bytes.IndexByte(aw.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := aw.buf[:i+1]
		var out []byte
		switch {
		case aw.json && bytes.HasPrefix(line, []byte("{")):
			out = append([]byte(`{"area":"`+aw.area+`",`), line[1:]...) // ids need no escaping (areaIDRE)
		case bytes.HasPrefix(line, []byte("covplan: ")):
			out = append([]byte("covplan: "+aw.area+": "), line[len("covplan: "):]...)
		default:
			out = append([]byte(aw.area+": "), line...)
		}
		_, err := aw.w.Write(out)
		aw.buf = aw.buf[i+1:]
		if err != nil {
			return len(p), err
		}
	}
}

// printBatchSummary prints the counts, the failed areas and the files.
func printBatchSummary(w io.Writer, x *render.BatchIndex, n map[string]int, written []string) {
	fmt.Fprintf(w, "covplan %s: %d areas: %d planned, %d unchanged (skipped), %d failed\n",
		version, len(x.Rows), n[render.AreaPlanned], n[render.AreaUnchanged], n[render.AreaFailed])
	for _, r := range x.Rows {
		if r.Status == render.AreaFailed {
			fmt.Fprintf(w, "  failed: %s: %s\n", r.ID, r.Error)
		}
	}
	for _, path := range written {
		fmt.Fprintf(w, "  wrote %s\n", path)
	}
}

// flagsFirst moves the arguments of a command line that are not flags
// after its flags, so that "covplan batch MANIFEST --out DIR" reads as
// "covplan batch --out DIR MANIFEST" (urfave/cli stops reading flags at
// the first argument). flags tells which flags take no value; "--" ends
// the flags.
func flagsFirst(args []string, flags []cli.Flag) []string {
	noValue := map[string]bool{}
	for _, f := range flags {
		if _, ok := f.(*cli.BoolFlag); ok {
			for _, n := range f.Names() {
				noValue[n] = true
			}
		}
	}
	var fl, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(append(fl, pos...), args[i:]...)
		case len(a) > 1 && a[0] == '-':
			fl = append(fl, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && !noValue[name] && i+1 < len(args) {
				fl = append(fl, args[i+1])
				i++
			}
		default:
			pos = append(pos, a)
		}
	}
	return append(fl, pos...)
}
