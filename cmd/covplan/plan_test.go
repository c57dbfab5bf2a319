package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/covplan/covplan/coverage"
)

// mbOptions are the options of mbArgs, filled without the command line.
func mbOptions(out string) PlanOptions {
	return PlanOptions{
		Inputs: InputOptions{
			Premises: ex + "mont-bonvillers/adresses.csv",
			GridM:    250,
			Fibre:    []string{ex + "mont-bonvillers/nro-assumed.csv"},
			APs:      []string{ex + "mont-bonvillers/wifi-assumed.csv"},
		},
		Scenario: coverage.DefaultScenario(),
		Out:      out,
		Report:   ReportOptions{Lang: "fr", Date: testDate, StartYear: 2026},
		Run:      RunOptions{Quiet: true},
	}
}

// runPlan is the pipeline without urfave/cli: called with the options the
// command line would give, it writes the same files, byte for byte.
func TestRunPlanIsTheCommand(t *testing.T) {
	lib, cmd := t.TempDir(), t.TempDir()
	var stdout, stderr bytes.Buffer
	res, err := runPlan(context.Background(), mbOptions(lib), &stdout, &stderr)
	if err != nil {
		t.Fatalf("runPlan: %v\n%s", err, stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("quiet runPlan printed %q", stdout.String())
	}
	if got := res.Source.Plan.Total.Premises; got != 501 {
		t.Errorf("plan has %d premises, want 501", got)
	}
	if len(res.Written) != 6 {
		t.Errorf("wrote %v, want the six outputs", res.Written)
	}
	if code, _, stderr := covplan(t, mbArgs(cmd)...); code != exitOK {
		t.Fatalf("covplan plan: exit %d: %s", code, stderr)
	}
	for _, path := range res.Written {
		name := filepath.Base(path)
		a, _ := os.ReadFile(path)
		b, err := os.ReadFile(filepath.Join(cmd, name))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: runPlan and the command differ (%v)", name, err)
		}
	}
}

// The options are checked before anything is read or written.
func TestRunPlanOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(o *PlanOptions)
	}{
		{"no inputs", func(o *PlanOptions) { o.Inputs = InputOptions{GridM: 1000} }},
		{"no out", func(o *PlanOptions) { o.Out = "" }},
		{"bad grid", func(o *PlanOptions) { o.Inputs.GridM = 1 }},
		{"bad lang", func(o *PlanOptions) { o.Report.Lang = "de" }},
		{"table without zones", func(o *PlanOptions) { o.Inputs.ZoneTable = "t.csv" }},
		{"negative workers", func(o *PlanOptions) { o.Run.Workers = -2 }},
		{"unknown log format", func(o *PlanOptions) { o.Run.LogFormat = "xml" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			o := mbOptions(out)
			tt.edit(&o)
			_, err := runPlan(context.Background(), o, &bytes.Buffer{}, &bytes.Buffer{})
			var ue *usageError
			if err == nil || !errors.As(err, &ue) {
				t.Fatalf("error %v, want a usage error", err)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("--out was created for a run refused at the start")
			}
		})
	}
}
