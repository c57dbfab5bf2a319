package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/covplan/covplan/coverage"
	"github.com/goccy/go-yaml"
	"github.com/urfave/cli/v2"
)

// A scenario file is YAML whose keys are the --set keys, either flat
// ("fibre.route_factor: 1.1") or nested ("fibre: {route_factor: 1.1}").
// Keys apply in file order, so a preset target can be refined below it.

// setting is one key=value of a scenario file, with its line for errors.
type setting struct {
	key, value string
	line       int
}

// readScenarioFile parses a scenario file into settings in file order.
func readScenarioFile(data []byte, name string) ([]setting, error) {
	var doc yaml.MapSlice
	if err := yaml.UnmarshalWithOptions(data, &doc, yaml.UseOrderedMap()); err != nil {
		return nil, fmt.Errorf("%s: %s", name, strings.ReplaceAll(yaml.FormatError(err, false, false), "\n", " "))
	}
	var out []setting
	var walk func(prefix string, ms yaml.MapSlice) error
	walk = func(prefix string, ms yaml.MapSlice) error {
		for _, it := range ms {
			k := fmt.Sprint(it.Key)
			if prefix != "" {
				k = prefix + "." + k
			}
			switch v := it.Value.(type) {
			case yaml.MapSlice:
				if err := walk(k, v); err != nil {
					return err
				}
			case []any:
				parts := make([]string, len(v))
				for i, x := range v {
					parts[i] = scalarString(x)
				}
				out = append(out, setting{k, strings.Join(parts, ","), keyLine(data, k)})
			case nil:
				// "key:" with no value keeps the default.
			default:
				out = append(out, setting{k, scalarString(v), keyLine(data, k)})
			}
		}
		return nil
	}
	if err := walk("", doc); err != nil {
		return nil, err
	}
	return out, nil
}

func scalarString(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case uint64:
		return strconv.FormatUint(x, 10)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return fmt.Sprint(v)
}

// keyLine finds the 1-based line where the last part of a dotted key is
// written, for error messages; 0 when not found.
func keyLine(data []byte, key string) int {
	last := key
	if i := strings.LastIndexByte(key, '.'); i >= 0 && !bytes.Contains(data, []byte(key+":")) {
		last = key[i+1:]
	}
	for i, line := range bytes.Split(data, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if bytes.HasPrefix(t, []byte(last+":")) || bytes.HasPrefix(t, []byte(key+":")) {
			return i + 1
		}
	}
	return 0
}

// applyScenarioFile applies a scenario file's settings to sc.
func applyScenarioFile(sc *coverage.Scenario, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("--scenario %s: %w", path, unwrapPathError(err))
	}
	settings, err := readScenarioFile(data, path)
	if err != nil {
		return err
	}
	for _, s := range settings {
		if err := sc.Set(s.key, s.value); err != nil {
			if s.line > 0 {
				return fmt.Errorf("%s:%d: %w", path, s.line, err)
			}
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return nil
}

// writeScenarioTemplate writes a commented scenario file with every
// parameter at its current value, grouped by section.
func writeScenarioTemplate(w io.Writer, sc coverage.Scenario) error {
	var b bytes.Buffer
	b.WriteString("# covplan scenario: every model parameter with its default value.\n")
	b.WriteString("# Use it with: covplan plan --scenario THIS_FILE ...   (flags and --set override it)\n")
	b.WriteString("# Keys are those of --set; keep only the lines you change. Sources: docs/model.md.\n")
	section := ""
	for _, p := range sc.Params() {
		sec, _, _ := strings.Cut(p.Key, ".")
		if sec != section {
			fmt.Fprintf(&b, "\n# --- %s ---\n", sec)
			section = sec
		}
		doc := p.Doc
		if p.Unit != "" {
			doc += " [" + p.Unit + "]"
		}
		fmt.Fprintf(&b, "# %s\n", doc)
		if p.Source != "" {
			fmt.Fprintf(&b, "#   source: %s\n", p.Source)
		}
		if strings.HasPrefix(p.Key, "target.") {
			// Set by the preset above: an active line here would undo an
			// edited preset, so it is shown commented out.
			fmt.Fprintf(&b, "# (set by the target preset; uncomment to override)\n# %s: %s\n", p.Key, yamlScalar(p.Value))
			continue
		}
		fmt.Fprintf(&b, "%s: %s\n", p.Key, yamlScalar(p.Value))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// yamlScalar quotes a value when YAML would read it as something else.
func yamlScalar(v string) string {
	if v == "" {
		return `""`
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return v
	}
	if strings.ContainsAny(v, ":#{}[],&*!|>'\"%@`") || v == "true" || v == "false" || v == "null" || v == "yes" || v == "no" {
		return strconv.Quote(v)
	}
	return v
}

func scenarioCommand() *cli.Command {
	return &cli.Command{
		Name:  "scenario",
		Usage: "write a commented scenario file with every default (scenario init)",
		Subcommands: []*cli.Command{{
			Name:      "init",
			Usage:     "write a commented scenario template with every parameter and its default",
			ArgsUsage: "[FILE]",
			Flags:     scenarioFlags(),
			Action: func(c *cli.Context) error {
				sc, err := scenarioFromFlags(c)
				if err != nil {
					return err
				}
				switch c.NArg() {
				case 0:
					return writeScenarioTemplate(c.App.Writer, sc)
				case 1:
					path := c.Args().First()
					if err := writeAtomic(path, func(w io.Writer) error { return writeScenarioTemplate(w, sc) }); err != nil {
						return err
					}
					fmt.Fprintf(c.App.Writer, "wrote %s\n", path)
					return nil
				}
				return usagef("scenario init: at most one FILE")
			},
		}},
	}
}
