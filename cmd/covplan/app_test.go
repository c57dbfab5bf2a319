package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/covplan/covplan/coverage"
	"github.com/covplan/covplan/geodata"
)

// Usage errors are one line on stderr, with a suggestion where one is close
// and a pointer to --help; nothing on stdout; exit 2.
func TestUsageErrorsAreOneLine(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"plan", "-zone", "z.geojson"}, []string{"unknown flag --zone", "did you mean --zones?", "covplan plan --help"}},
		{[]string{"plan", "--premisses", "p.csv"}, []string{"did you mean --premises?"}},
		{[]string{"plan", "--frobnicate"}, []string{"unknown flag --frobnicate", "covplan plan --help"}},
		{[]string{"plam"}, []string{`unknown command "plam"`, "did you mean plan?", "covplan --help"}},
		{[]string{"scenario", "ini"}, []string{`unknown command "ini"`, "did you mean init?", "covplan scenario --help"}},
		{[]string{"plan", "--premises", "p.csv"}, []string{"give --out DIR"}},
		{[]string{"plan", "--out"}, []string{"--out needs a value"}},
		{[]string{"plan", "--grid-m", "abc"}, []string{`--grid-m "abc": not a number`}},
		{[]string{"params", "--sett", "x=1"}, []string{"did you mean --set?"}},
		{[]string{"help", "plam"}, []string{`unknown command "plam"`}},
		{[]string{"plan", "--premises", "p.csv", "--out", "o", "extra"}, []string{`unexpected argument "extra"`}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := covplan(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if stdout != "" {
				t.Errorf("stdout not empty:\n%s", stdout)
			}
			if n := strings.Count(stderr, "\n"); n != 1 {
				t.Errorf("stderr has %d lines, want one:\n%s", n, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"zones", "zone-id-field", "zone-table", "zone-table-key", "premises", "fibre", "aps", "out", "set", "scenario"}
	for _, tt := range []struct{ in, want string }{
		{"zone", "zones"}, {"-zone", "zones"}, {"premise", "premises"}, {"fiber", "fibre"},
		{"ap", "aps"}, {"scenari", "scenario"}, {"zone-tab", "zone-table"}, {"xyzzy", ""}, {"", ""},
		{"zone-table-k", "zone-table-key"}, {"Zones", "zones"},
	} {
		if got := suggest(tt.in, cands); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-v"}} {
		code, stdout, stderr := covplan(t, args...)
		if code != exitOK || !strings.HasPrefix(stdout, "covplan "+version+" (") || stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

// Help shows the defaults the run really uses, once per flag.
func TestHelpShowsRealDefaults(t *testing.T) {
	code, stdout, _ := covplan(t, "plan", "--help")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	def := coverage.DefaultScenario()
	lines := map[string]string{}
	for _, l := range strings.Split(stdout, "\n") {
		if m := regexp.MustCompile(`^\s+--([a-z-]+)`).FindStringSubmatch(l); m != nil {
			lines[m[1]] = l
		}
	}
	for flag, want := range map[string]string{
		"threshold-eur": "(default: 5000)",
		"workers":       "(default: one per CPU)",
		"target":        "(default: " + def.Target.Name + ")",
		"policy":        "(default: " + string(def.Policy) + ")",
		"budget-eur":    "(default: none)",
		"grid-m":        "(default: 1000)",
		"lang":          `(default: "fr")`,
		// The limits are geodata's defaults, whatever they become.
		"max-record-bytes":   "(default: " + formatBytes(geodata.DefaultMaxRecordBytes) + "; " + formatBytes(geodata.DefaultMaxZoneRecordBytes) + " for a zones CSV)",
		"max-inflated-bytes": "(default: " + formatBytes(geodata.DefaultMaxInflatedBytes) + ")",
		"max-inflate-ratio":  "(default: " + strconv.Itoa(geodata.DefaultMaxInflateRatio) + ")",
		"max-sidecar-bytes":  "(default: " + formatBytes(geodata.DefaultMaxSidecarBytes) + ")",
		"max-text-bytes":     "(default: " + formatBytes(geodata.DefaultMaxTextBytes) + ")",
		"max-echo-bytes":     "(default: " + strconv.Itoa(geodata.DefaultMaxEchoBytes) + ")",
	} {
		if !strings.Contains(lines[flag], want) {
			t.Errorf("--%s: help line %q lacks %s", flag, lines[flag], want)
		}
	}
	for flag, l := range lines {
		if strings.Count(l, "(default:") > 1 {
			t.Errorf("--%s shows two defaults: %q", flag, l)
		}
	}
	if strings.Contains(stdout, "(default: false)") {
		t.Errorf("help shows (default: false) for switches")
	}
	if strings.Contains(stdout, "COMMANDS:") {
		t.Errorf("plan --help lists a help subcommand")
	}
}
