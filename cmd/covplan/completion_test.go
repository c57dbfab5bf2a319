package main

import (
	"bytes"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// everyFlag lists "command path: --flag" for every visible flag of every
// command of the app.
func everyFlag(t *testing.T) (cmds []string, flags map[string][]string) {
	t.Helper()
	app := newApp(&bytes.Buffer{}, &bytes.Buffer{})
	flags = map[string][]string{}
	var walk func(path string, cs []*cli.Command)
	walk = func(path string, cs []*cli.Command) {
		for _, c := range cs {
			if c.Hidden {
				continue
			}
			p := strings.TrimSpace(path + " " + c.Name)
			cmds = append(cmds, p)
			for _, f := range c.Flags {
				if vf, ok := f.(cli.VisibleFlag); ok && !vf.IsVisible() {
					continue
				}
				flags[p] = append(flags[p], "--"+f.Names()[0])
			}
			walk(p, c.Subcommands)
		}
	}
	walk("", app.Commands)
	return cmds, flags
}

// The man page and the three completion scripts are made from the command
// definitions: each names every command and every flag.
func TestManAndCompletionCoverEveryFlag(t *testing.T) {
	cmds, flags := everyFlag(t)
	if len(cmds) < 10 {
		t.Fatalf("only %d commands found: %v", len(cmds), cmds)
	}
	for _, args := range [][]string{{"man"}, {"completion", "bash"}, {"completion", "zsh"}, {"completion", "fish"}} {
		code, out, stderr := covplan(t, args...)
		if code != exitOK || out == "" {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		if args[0] == "man" {
			out = strings.ReplaceAll(out, `\-`, "-") // roff escapes dashes
		}
		for _, c := range cmds {
			last := c[strings.LastIndexByte(c, ' ')+1:]
			if !strings.Contains(out, last) {
				t.Errorf("%v does not mention the command %q", args, c)
			}
		}
		for c, fs := range flags {
			for _, f := range fs {
				name := f
				if args[0] == "completion" && args[1] == "fish" {
					name = "-l " + strings.TrimPrefix(f, "--")
				}
				if !strings.Contains(out, name) {
					t.Errorf("%v does not mention %s of %s", args, f, c)
				}
			}
		}
	}
	if code, _, stderr := covplan(t, "completion", "bsh"); code != exitUsage || !strings.Contains(stderr, "did you mean bash?") {
		t.Errorf("completion bsh: exit %d, %s", code, stderr)
	}
}

// The bash script completes commands, flags, file names and the values of
// flags that have a fixed set, in a real bash.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	_, script, _ := covplan(t, "completion", "bash")
	complete := func(words ...string) []string {
		t.Helper()
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, "'"+w+"'")
		}
		prog := script + "\nCOMP_WORDS=(" + strings.Join(quoted, " ") + ")\nCOMP_CWORD=" +
			string(rune('0'+len(words)-1)) + "\n_covplan\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
		out, err := exec.Command(bash, "--norc", "--noprofile", "-c", prog).CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", words, err, out)
		}
		got := strings.Fields(string(out))
		sort.Strings(got)
		return got
	}
	for _, tt := range []struct {
		words []string
		want  string
	}{
		{[]string{"covplan", "pl"}, "plan"},
		{[]string{"covplan", "plan", "--zo"}, "--zone-id-field --zone-table --zone-table-key --zone-table-where --zones"},
		{[]string{"covplan", "plan", "--target", ""}, "eu-gigabit fr-2025 fr-thd us-bead"},
		{[]string{"covplan", "plan", "--log-format", "j"}, "json"},
		{[]string{"covplan", "scenario", "s"}, "show"},
		{[]string{"covplan", "scenario", "show", "--ch"}, "--changed"},
		{[]string{"covplan", "plan", "--set", "leo.kit"}, "leo.kit_eur="},
		{[]string{"covplan", "plan", "--title", "scenario", "--poli"}, "--policy"},
		{[]string{"covplan", "plan", "--zones", "testdata/brok"}, "testdata/broken.geojson"},
		{[]string{"covplan", "inspect", "testdata/no-c"}, "testdata/no-coords.csv"},
		{[]string{"covplan", "completion", "--"}, "--help"},
	} {
		if got := strings.Join(complete(tt.words...), " "); got != tt.want {
			t.Errorf("%v: %q, want %q", tt.words, got, tt.want)
		}
	}
}

// zsh and fish check the scripts' syntax where they are installed.
func TestZshFishCompletionSyntax(t *testing.T) {
	for _, sh := range []struct{ name, check string }{{"zsh", "-n"}, {"fish", "--no-execute"}} {
		bin, err := exec.LookPath(sh.name)
		if err != nil {
			t.Logf("%s not installed: syntax not checked", sh.name)
			continue
		}
		_, script, _ := covplan(t, "completion", sh.name)
		cmd := exec.Command(bin, sh.check)
		cmd.Stdin = strings.NewReader(script)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", sh.name, err, out)
		}
	}
}

// Where fish is installed, its script completes like the bash one.
func TestFishCompletion(t *testing.T) {
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Skip("fish not installed")
	}
	_, script, _ := covplan(t, "completion", "fish")
	for line, want := range map[string]string{
		"covplan scenario sh":        "show",
		"covplan plan --target us-":  "us-bead",
		"covplan plan --zo":          "--zone-id-field --zone-table --zone-table-key --zone-table-where --zones",
		"covplan scenario show --ch": "--changed",
	} {
		cmd := exec.Command(fish, "--no-config", "-c", "source; complete -C '"+line+"'")
		cmd.Stdin = strings.NewReader(script)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			got = append(got, strings.SplitN(l, "\t", 2)[0])
		}
		sort.Strings(got)
		if strings.Join(got, " ") != want {
			t.Errorf("%s: %q, want %q", line, got, want)
		}
	}
}
