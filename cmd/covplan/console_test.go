package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// jsonRecords parses stderr written with --log-format json: every line
// must be one JSON object.
func jsonRecords(t *testing.T, stderr string) []map[string]any {
	t.Helper()
	var recs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if line == "" {
			continue
		}
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("not a JSON record: %q (%v)", line, err)
		}
		for _, k := range []string{"time", "level", "msg"} {
			if _, ok := r[k]; !ok {
				t.Errorf("record without %s: %q", k, line)
			}
		}
		recs = append(recs, r)
	}
	return recs
}

func findRecord(recs []map[string]any, msg string) map[string]any {
	for _, r := range recs {
		if r["msg"] == msg {
			return r
		}
	}
	return nil
}

// --log-format json: every warning, timing and the summary are JSON records
// on stderr with their figures as fields; stdout stays empty.
func TestLogFormatJSON(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := covplan(t, "plan", "--log-format", "json", "--timings", "--no-report",
		"--premises", "testdata/out-of-range.csv", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout not empty in json format:\n%s", stdout)
	}
	recs := jsonRecords(t, stderr)
	var warn map[string]any
	for _, r := range recs {
		if r["level"] == "WARN" && r["file"] == "out-of-range.csv" {
			warn = r
		}
	}
	if warn == nil || warn["count"] != 1.0 || warn["code"] != "skipped" || warn["severity"] != "skipped" ||
		!strings.Contains(warn["message"].(string), "lat out of range") || !strings.Contains(warn["msg"].(string), "1 record(s) skipped") {
		t.Errorf("no warning record for the skipped row: %v", warn)
	}
	if ex, _ := warn["examples"].([]any); len(ex) != 1 || !strings.Contains(ex[0].(string), "line 3") {
		t.Errorf("warning record examples %v, want line 3", warn["examples"])
	}
	sum := findRecord(recs, "plan written")
	if sum == nil {
		t.Fatalf("no summary record in:\n%s", stderr)
	}
	if sum["premises"] != 2.0 || sum["out"] != out || sum["level"] != "premise" {
		t.Errorf("summary record %v", sum)
	}
	if files, _ := sum["files"].([]any); len(files) != 5 {
		t.Errorf("summary files %v, want zones.csv, zones.geojson, zones.gpkg, premises.csv, summary.json", sum["files"])
	}
	stages := map[string]bool{}
	for _, r := range recs {
		if r["msg"] == "timing" {
			stages[r["stage"].(string)] = true
			if _, ok := r["seconds"].(float64); !ok {
				t.Errorf("timing without seconds: %v", r)
			}
		}
	}
	for _, s := range []string{"reading out-of-range.csv", "measuring", "evaluating", "writing summary.json", "total"} {
		if !stages[s] {
			t.Errorf("no timing record for %q (have %v)", s, stages)
		}
	}

	// Errors too, usage errors included, with the exit code.
	for _, tt := range []struct {
		args []string
		code int
	}{
		{[]string{"plan", "--log-format", "json", "-zone", "x", "--out", out}, exitUsage},
		{[]string{"plan", "--log-format=json", "--premises", "nope.csv", "--out", out}, exitError},
	} {
		code, stdout, stderr := covplan(t, tt.args...)
		recs := jsonRecords(t, stderr)
		if code != tt.code || stdout != "" || len(recs) != 1 || recs[0]["level"] != "ERROR" || recs[0]["exit_code"] != float64(tt.code) {
			t.Errorf("%v: exit %d, stdout %q, records %v", tt.args, code, stdout, recs)
		}
	}
	if code, _, stderr := covplan(t, "plan", "--log-format", "xml", "--premises", "p.csv", "--out", out); code != exitUsage || !strings.Contains(stderr, "text or json") {
		t.Errorf("--log-format xml: exit %d, stderr %q", code, stderr)
	}
}

// --quiet in json format: errors only.
func TestLogFormatJSONQuiet(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := covplan(t, "plan", "--log-format", "json", "--quiet", "--no-report",
		"--premises", "testdata/out-of-range.csv", "--out", out)
	if code != exitOK || stdout != "" || stderr != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestLineHandler(t *testing.T) {
	var buf bytes.Buffer
	c := newConsole(&bytes.Buffer{}, &buf, LogText, false)
	c.warn("zones.csv: 3 things", "count", 3)
	c.notice("proceeding")
	if got := buf.String(); got != "covplan: zones.csv: 3 things\ncovplan: proceeding\n" {
		t.Errorf("text format wrote %q", got)
	}
	buf.Reset()
	q := newConsole(&bytes.Buffer{}, &buf, LogText, true)
	q.warn("hidden")
	q.notice("hidden")
	q.failure("shown", 1)
	if got := buf.String(); got != "covplan: shown\n" {
		t.Errorf("quiet text format wrote %q", got)
	}
}
