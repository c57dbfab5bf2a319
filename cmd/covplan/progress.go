package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"
)

// progress draws bars on stderr for the long stages. It is on only when
// stderr is a terminal, --quiet is off and CI is unset; otherwise every
// method is a no-op, so batch logs stay clean.
//
// With timings set, every stage's wall time is also printed on it when the
// stage ends (--timings), for batch logs and performance work.
type progress struct {
	p       *mpb.Progress
	timings *console  // nil: no --timings
	start   time.Time // when timings were turned on
}

func newProgress(stderr io.Writer, quiet bool) *progress {
	f, ok := stderr.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) || os.Getenv("CI") != "" {
		return &progress{}
	}
	return &progress{p: mpb.New(mpb.WithOutput(stderr), mpb.WithWidth(40))}
}

// time measures a stage without drawing anything (reading already has a
// byte bar); done prints its wall time when timings are on.
func (pg *progress) time(label string) (done func()) {
	if pg.timings == nil {
		return func() {}
	}
	start := time.Now()
	return func() {
		sec := time.Since(start).Seconds()
		pg.timings.timing(fmt.Sprintf("%-28s %8.3f s", label, sec), slog.String("stage", label), slog.Float64("seconds", sec))
	}
}

// reader wraps r with a byte-count bar for reading a file of size bytes.
func (pg *progress) reader(label string, r io.Reader, size int64) io.Reader {
	if pg.p == nil || size <= 0 {
		return r
	}
	bar := pg.p.AddBar(size,
		mpb.PrependDecorators(decor.Name(label, decor.WC{C: decor.DindentRight | decor.DextraSpace}),
			decor.CountersKibiByte("% .1f / % .1f")),
		mpb.AppendDecorators(decor.Percentage(decor.WCSyncSpace), decor.Elapsed(decor.ET_STYLE_GO, decor.WCSyncSpace)),
		mpb.BarRemoveOnComplete(),
	)
	pr, err := bar.ProxyReader(r)
	if err != nil {
		return r
	}
	return pr
}

// stage shows a spinner with the elapsed time until done is called.
func (pg *progress) stage(label string) (done func()) {
	timed := pg.time(label)
	if pg.p == nil {
		return timed
	}
	bar := pg.p.New(1, mpb.SpinnerStyle(),
		mpb.PrependDecorators(decor.Name(label, decor.WC{C: decor.DindentRight | decor.DextraSpace})),
		mpb.AppendDecorators(decor.Elapsed(decor.ET_STYLE_GO)),
		mpb.BarRemoveOnComplete(),
	)
	return func() { bar.SetCurrent(1); timed() }
}

// total prints, with timings on, the run's wall time so far, the process's
// CPU time and its peak resident memory (where the system tells them).
func (pg *progress) total() {
	if pg.timings == nil {
		return
	}
	sec := time.Since(pg.start).Seconds()
	line := fmt.Sprintf("%-28s %8.3f s", "total", sec)
	attrs := []slog.Attr{slog.String("stage", "total"), slog.Float64("seconds", sec)}
	if cpu, peak, ok := selfUsage(); ok {
		line += fmt.Sprintf(", CPU %.3f s, peak RSS %d MB", cpu.Seconds(), peak>>20)
		attrs = append(attrs, slog.Float64("cpu_seconds", cpu.Seconds()), slog.Int64("peak_rss_bytes", peak))
	}
	pg.timings.timing(line, attrs...)
}

// wait lets the bars finish drawing before the summary is printed.
func (pg *progress) wait() {
	if pg.p != nil {
		pg.p.Wait()
	}
}
