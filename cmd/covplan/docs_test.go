package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// docExample is one "$ covplan ..." of a ```console block of the docs,
// with the output shown after it.
type docExample struct {
	file, line string // where it is written, for failures
	args       []string
	exit       int
	want       []string // lines shown after the command; "..." stands for any lines
}

var exitComment = regexp.MustCompile(`\s+#\s*exit\s+(\d+)\s*$`)

// docExamples reads the runnable examples of a Markdown file: the
// commands of its ```console blocks, each with the output shown after it
// and the exit code written "# exit N" at its end (0 when absent).
func docExamples(t *testing.T, path string) []docExample {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []docExample
	in := false
	var cur *docExample
	var cont string
	sc := bufio.NewScanner(bytes.NewReader(b))
	n := 0
	for sc.Scan() {
		n++
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "```console"):
			in = true
			continue
		case strings.HasPrefix(l, "```"):
			in, cur = false, nil
			continue
		case !in:
			continue
		}
		if cont != "" || strings.HasPrefix(l, "$ ") {
			cmd := cont + strings.TrimPrefix(l, "$ ")
			if strings.HasSuffix(cmd, "\\") {
				cont = strings.TrimSuffix(cmd, "\\")
				continue
			}
			cont = ""
			ex := docExample{file: filepath.Base(path), line: strconv.Itoa(n)}
			if m := exitComment.FindStringSubmatch(cmd); m != nil {
				ex.exit, _ = strconv.Atoi(m[1])
				cmd = cmd[:len(cmd)-len(m[0])]
			}
			words := shellWords(t, cmd)
			if len(words) == 0 || filepath.Base(words[0]) != "covplan" {
				t.Fatalf("%s:%d: a console example runs covplan, not %q", path, n, cmd)
			}
			ex.args = words
			out = append(out, ex)
			cur = &out[len(out)-1]
			continue
		}
		if cur != nil {
			cur.want = append(cur.want, l)
		}
	}
	return out
}

// shellWords splits a command line as a POSIX shell would for the
// examples: blanks separate words, '...' and "..." quote.
func shellWords(t *testing.T, s string) []string {
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case c == '\'' || c == '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				t.Fatalf("unclosed quote in %q", s)
			}
			w.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// fields collapses a line's blanks, for comparing aligned tables.
func fields(s string) string { return strings.Join(strings.Fields(s), " ") }

// The examples of docs/cli.md run as written, in a folder holding the
// examples/ of the repository, and print what the docs show.
func TestDocsExamples(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	examples := docExamples(t, filepath.Join(repo, "docs", "cli.md"))
	if len(examples) < 10 {
		t.Fatalf("only %d examples found in docs/cli.md", len(examples))
	}
	dir := t.TempDir()
	if err := os.Symlink(filepath.Join(repo, "examples"), filepath.Join(dir, "examples")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, ex := range examples {
		var out bytes.Buffer // stdout and stderr interleaved, as on a terminal
		code := runContext(context.Background(), ex.args, &out, &out)
		got := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
		where := ex.file + ":" + ex.line + ": " + strings.Join(ex.args, " ")
		if code != ex.exit {
			t.Errorf("%s: exit %d, the docs say %d\n%s", where, code, ex.exit, strings.Join(got, "\n"))
			continue
		}
		// Every line shown appears, in order; "..." skips any lines.
		i := 0
		for _, w := range ex.want {
			if strings.TrimSpace(w) == "..." {
				continue
			}
			for i < len(got) && fields(got[i]) != fields(w) {
				i++
			}
			if i == len(got) {
				t.Errorf("%s: the docs show %q, not in the output (in that order):\n%s", where, w, strings.Join(got, "\n"))
				break
			}
			i++
		}
	}
}
