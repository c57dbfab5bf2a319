package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// LogFormat is how covplan writes its messages on stderr.
type LogFormat string

const (
	LogText LogFormat = "text" // "covplan: message" lines, for people
	LogJSON LogFormat = "json" // one JSON object per line (log/slog), for scheduled jobs and log collectors
)

// parseLogFormat reads --log-format.
func parseLogFormat(s string) (LogFormat, error) {
	switch f := LogFormat(strings.ToLower(strings.TrimSpace(s))); f {
	case "", LogText:
		return LogText, nil
	case LogJSON:
		return LogJSON, nil
	}
	return "", usagef("--log-format: want text or json, got %q", s)
}

// logFormatOfArgs finds --log-format in a command line before it is parsed,
// so that even an error in parsing it is written in the format asked for.
func logFormatOfArgs(args []string) LogFormat {
	for i, a := range args {
		a = strings.TrimLeft(a, "-")
		if v, ok := strings.CutPrefix(a, "log-format="); ok {
			f, _ := parseLogFormat(v)
			return f
		}
		if a == "log-format" && i+1 < len(args) {
			f, _ := parseLogFormat(args[i+1])
			return f
		}
	}
	return LogText
}

// console is where a run reports to its user. Notices (how the run
// proceeds), warnings (what changes the meaning of the plan: records
// skipped, rows unmatched, files removed), timings and errors go to stderr
// through log/slog: "covplan: message" lines in text format, JSON records
// with the same message and the figures as fields in json format. The
// run's summary is a few lines on stdout in text format and one record on
// stderr in json format. Quiet keeps the errors only; timings, asked for
// with --timings, print even then.
//
// A console is safe for concurrent use.
type console struct {
	log    *slog.Logger
	stdout io.Writer
	format LogFormat
	quiet  bool
}

func newConsole(stdout, stderr io.Writer, format LogFormat, quiet bool) *console {
	level := slog.LevelInfo
	if quiet {
		level = slog.LevelError
	}
	var h slog.Handler
	if format == LogJSON {
		h = slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level})
	} else {
		h = &lineHandler{w: stderr, level: level, mu: new(sync.Mutex)}
	}
	return &console{log: slog.New(h), stdout: stdout, format: format, quiet: quiet}
}

// notice says how the run proceeds (hidden by --quiet).
func (c *console) notice(msg string, attrs ...any) { c.log.Info(msg, attrs...) }

// warn says what changes the meaning of the run (hidden by --quiet only).
func (c *console) warn(msg string, attrs ...any) { c.log.Warn(msg, attrs...) }

// failure says why the run failed and with which exit code.
func (c *console) failure(msg string, code int) { c.log.Error(msg, "exit_code", code) }

// timing writes one line of --timings, whatever the level: text is the
// line people read, attrs the figures of the JSON record.
func (c *console) timing(text string, attrs ...slog.Attr) {
	msg := text
	if c.format == LogJSON {
		msg = "timing"
	}
	r := slog.NewRecord(time.Now(), slog.LevelInfo, msg, 0)
	r.AddAttrs(attrs...)
	_ = c.log.Handler().Handle(context.Background(), r)
}

// summary writes the run's summary: text lines on stdout, or one record
// with attrs on stderr in json format; nothing when quiet.
func (c *console) summary(msg string, text func(w io.Writer), attrs ...any) {
	if c.quiet {
		return
	}
	if c.format == LogJSON {
		c.log.Info(msg, attrs...)
		return
	}
	text(c.stdout)
}

// lineHandler writes each record as "covplan: MESSAGE\n": the message says
// it all to a person; the attributes are for the JSON log.
type lineHandler struct {
	w     io.Writer
	level slog.Level
	mu    *sync.Mutex
}

func (h *lineHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *lineHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := fmt.Fprintf(h.w, "covplan: %s\n", r.Message)
	return err
}

func (h *lineHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *lineHandler) WithGroup(string) slog.Handler      { return h }
