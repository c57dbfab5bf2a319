package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/covplan/covplan/coverage"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
	"github.com/urfave/cli/v2"
)

// A scenario file is YAML whose keys are the --set keys, either flat
// ("fibre.route_factor: 1.1") or nested ("fibre: {route_factor: 1.1}"),
// values scalars or, for lists (priority), a sequence of scalars. Keys
// apply in file order, so a preset target can be refined below it.
// "key:" with no value keeps the default.
//
// It is decoded strictly from the YAML syntax tree, so that every error
// names the file, line and column of the very occurrence at fault: an
// unknown key, a key set twice (flat and nested count as the same key), a
// value of the wrong type (at the value), a mapping where a value is
// wanted. Every error is a usage error (exit 2).
//
// Limits keep a hostile file from eating the machine (a 350-byte file of
// nested aliases would otherwise grow past a gigabyte, and deep nesting
// takes the YAML parser quadratic time). A scenario has about 100 keys and
// its full template is 15 KB, so no real file comes near them:
const (
	scenarioMaxBytes  = 256 << 10 // file size
	scenarioMaxDepth  = 16        // nesting of mappings and lists (the template nests 3 deep)
	scenarioMaxValues = 10_000    // YAML nodes once aliases are expanded
)

// scenarioError is a mistake in a scenario file, at a position: a usage
// error (exit 2), printed without a pointer to --help.
type scenarioError struct {
	file      string
	line, col int    // 1-based; 0 when the error has no position
	key       string // the key at fault, "" when none
	err       error
}

func (e *scenarioError) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("%s:%d:%d: %v", e.file, e.line, e.col, e.err)
	}
	return fmt.Sprintf("%s: %v", e.file, e.err)
}

func (e *scenarioError) Unwrap() error { return e.err }

// readScenarioFile reads and decodes the scenario file at path.
func readScenarioFile(path string) ([]setting, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &scenarioError{file: path, err: fmt.Errorf("cannot read the scenario file: %w", unwrapPathError(err))}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, scenarioMaxBytes+1))
	if err != nil {
		return nil, &scenarioError{file: path, err: err}
	}
	if len(data) > scenarioMaxBytes {
		return nil, &scenarioError{file: path, err: fmt.Errorf("larger than %d KiB, the limit of a scenario file (limit: file size; the full template is about 15 KB)", scenarioMaxBytes>>10)}
	}
	return decodeScenario(data, path)
}

// decodeScenario decodes a scenario file's bytes into settings, in file
// order; name is the file's name for errors and origins.
func decodeScenario(data []byte, name string) (_ []setting, err error) {
	defer func() {
		// The YAML library is not ours: should it panic on some input,
		// the user still gets an error naming the file, not a crash.
		if r := recover(); r != nil {
			err = &scenarioError{file: name, err: fmt.Errorf("the YAML parser failed on this file (%v)", r)}
		}
	}()
	if len(data) > scenarioMaxBytes {
		return nil, &scenarioError{file: name, err: fmt.Errorf("larger than %d KiB, the limit of a scenario file (limit: file size)", scenarioMaxBytes>>10)}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // a BOM, as Windows editors write
	if line, col, ok := nestingOver(data, scenarioMaxDepth); ok {
		return nil, &scenarioError{file: name, line: line, col: col, err: fmt.Errorf("nested more than %d levels deep (limit: nesting depth of a scenario file)", scenarioMaxDepth)}
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, yamlError(name, err)
	}
	switch {
	case len(f.Docs) == 0:
		return nil, nil
	case len(f.Docs) > 1:
		line, col := pos(f.Docs[1])
		if st := f.Docs[1].Start; st != nil && st.Position != nil {
			line, col = st.Position.Line, st.Position.Column
		}
		return nil, &scenarioError{file: name, line: line, col: col, err: errors.New("a scenario file holds one YAML document")}
	}
	body := f.Docs[0].Body
	if body == nil {
		return nil, nil
	}
	w := &scenarioWalker{file: name, anchors: map[string]ast.Node{}, seen: map[string]token.Position{}}
	if err := w.checkExpansion(body); err != nil {
		return nil, err
	}
	if err := w.walk(body, "", nil, 0); err != nil {
		return nil, err
	}
	return w.settings, nil
}

// yamlError turns a YAML syntax error into a scenarioError at its position.
func yamlError(name string, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			return &scenarioError{file: name, line: tk.Position.Line, col: tk.Position.Column, err: errors.New(ye.GetMessage())}
		}
		return &scenarioError{file: name, err: errors.New(ye.GetMessage())}
	}
	return &scenarioError{file: name, err: err}
}

// pos is a node's 1-based line and column, 0, 0 when unknown.
func pos(n ast.Node) (line, col int) {
	if d, ok := n.(*ast.DocumentNode); ok {
		if d.Start != nil && d.Start.Position != nil {
			return d.Start.Position.Line, d.Start.Position.Column
		}
		if d.Body == nil {
			return 0, 0
		}
		n = d.Body
	}
	if n == nil || reflect.ValueOf(n).IsNil() {
		return 0, 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line, tk.Position.Column
	}
	return 0, 0
}

// scenarioWalker walks a scenario file's syntax tree into settings.
type scenarioWalker struct {
	file     string
	anchors  map[string]ast.Node // by name, as defined so far in document order
	seen     map[string]token.Position
	settings []setting
}

func (w *scenarioWalker) errAt(n ast.Node, key string, format string, args ...any) error {
	line, col := pos(n)
	return &scenarioError{file: w.file, line: line, col: col, key: key, err: fmt.Errorf(format, args...)}
}

// checkExpansion counts the nodes of the tree with every alias expanded,
// in linear time (each anchor's size is counted once), and refuses a file
// over scenarioMaxValues: the "billion laughs" of nested aliases.
func (w *scenarioWalker) checkExpansion(root ast.Node) error {
	anchors := map[string]int{} // expanded size by anchor name
	var size func(n ast.Node) (int, error)
	total := 0
	size = func(n ast.Node) (int, error) {
		s := 1
		add := func(c ast.Node) error {
			if c == nil {
				return nil
			}
			k, err := size(c)
			s = min(s+k, scenarioMaxValues+1)
			return err
		}
		var err error
		switch n := n.(type) {
		case *ast.MappingNode:
			for _, v := range n.Values {
				if err = add(v); err != nil {
					return 0, err
				}
			}
		case *ast.MappingValueNode:
			if err = add(n.Key); err == nil {
				err = add(n.Value)
			}
		case *ast.MappingKeyNode:
			err = add(n.Value)
		case *ast.SequenceNode:
			for _, v := range n.Values {
				if err = add(v); err != nil {
					return 0, err
				}
			}
		case *ast.TagNode:
			err = add(n.Value)
		case *ast.AnchorNode:
			if err = add(n.Value); err == nil {
				anchors[aliasName(n.Name)] = s - 1
			}
		case *ast.AliasNode:
			k, ok := anchors[aliasName(n.Value)]
			if !ok {
				return 0, w.errAt(n, "", "alias *%s names no anchor defined above it", aliasName(n.Value))
			}
			s = min(s+k, scenarioMaxValues+1)
			total = min(total+k, scenarioMaxValues+1)
			if total > scenarioMaxValues {
				return 0, w.errAt(n, "", "aliases expand the file past %d values (limit: YAML aliases in a scenario file)", scenarioMaxValues)
			}
		}
		if err != nil {
			return 0, err
		}
		if s > scenarioMaxValues {
			return 0, w.errAt(n, "", "aliases expand the file past %d values (limit: YAML aliases in a scenario file)", scenarioMaxValues)
		}
		return s, nil
	}
	_, err := size(root)
	return err
}

func aliasName(n ast.Node) string {
	if n == nil {
		return ""
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return n.String()
}

// isKeyPrefix reports whether path is a --set key, and whether it is the
// start of one ("fibre" of "fibre.route_factor").
func isKeyPrefix(path string) (key, prefix bool) {
	keys, prefixes := paramKeySets()
	return keys[path], prefixes[path]
}

// paramKeySets are the --set keys and their dotted prefixes.
var paramKeySets = sync.OnceValues(func() (keys, prefixes map[string]bool) {
	keys, prefixes = map[string]bool{}, map[string]bool{}
	for _, k := range coverage.ParamKeys() {
		keys[k] = true
		for i := range len(k) {
			if k[i] == '.' {
				prefixes[k[:i]] = true
			}
		}
	}
	return keys, prefixes
})

// unknownKey is the error for a key that is no --set key, at its position.
func (w *scenarioWalker) unknownKey(at ast.Node, path string) error {
	msg := fmt.Sprintf("unknown key %q", path)
	if s := suggest(path, coverage.ParamKeys()); s != "" {
		msg += "; did you mean " + s + "?"
	} else {
		msg += " ('covplan params' lists the keys)"
	}
	return w.errAt(at, path, "%s", msg)
}

// walk walks node, the value of the key path (written at keyNode; "" and
// nil for the document), depth levels deep.
func (w *scenarioWalker) walk(node ast.Node, path string, keyNode ast.Node, depth int) error {
	if depth > scenarioMaxDepth {
		return w.errAt(node, path, "nested more than %d levels deep (limit: nesting depth of a scenario file)", scenarioMaxDepth)
	}
	switch n := node.(type) {
	case *ast.MappingNode:
		if path != "" {
			if _, prefix := isKeyPrefix(path); !prefix {
				var at ast.Node = n
				if len(n.Values) > 0 && !n.IsFlowStyle {
					at = n.Values[0].Key // a block mapping's token is its first ':'
				}
				return w.errAt(at, path, "%s takes a value, not a mapping", path)
			}
		}
		for _, mv := range n.Values {
			if err := w.pair(mv, path, depth); err != nil {
				return err
			}
		}
		return nil
	case *ast.MappingValueNode:
		if path != "" {
			if _, prefix := isKeyPrefix(path); !prefix {
				return w.errAt(n.Key, path, "%s takes a value, not a mapping", path)
			}
		}
		return w.pair(n, path, depth)
	case *ast.AnchorNode:
		w.anchors[aliasName(n.Name)] = n.Value
		return w.walk(n.Value, path, keyNode, depth)
	case *ast.AliasNode:
		target, ok := w.anchors[aliasName(n.Value)]
		if !ok {
			return w.errAt(n, path, "alias *%s names no anchor defined above it", aliasName(n.Value))
		}
		return w.walk(target, path, keyNode, depth+1)
	case *ast.TagNode:
		return w.walk(n.Value, path, keyNode, depth)
	case *ast.NullNode:
		return nil // "key:" keeps the default
	case *ast.SequenceNode:
		if path == "" {
			return w.errAt(n, "", "want a mapping of keys to values, not a list")
		}
		parts := make([]string, len(n.Values))
		for i, v := range n.Values {
			s, ok := w.scalar(v)
			if !ok {
				return w.errAt(v, path, "%s: a list holds names or numbers, not %s", path, nodeKind(v))
			}
			parts[i] = s
		}
		return w.add(path, strings.Join(parts, ","), keyNode, n)
	}
	s, ok := w.scalar(node)
	if !ok {
		return w.errAt(node, path, "%s: unexpected %s", path, nodeKind(node))
	}
	if path == "" {
		return w.errAt(node, "", "want a mapping of keys to values (e.g. \"fibre.route_factor: 1.1\")")
	}
	return w.add(path, s, keyNode, node)
}

// pair walks one "key: value" of a mapping under prefix.
func (w *scenarioWalker) pair(mv *ast.MappingValueNode, prefix string, depth int) error {
	if mv.Key != nil && mv.Key.IsMergeKey() {
		return w.walk(mv.Value, prefix, mv.Key, depth+1) // "<<: *defaults"
	}
	var keyNode ast.Node = mv.Key
	if k, ok := keyNode.(*ast.MappingKeyNode); ok {
		keyNode = k.Value
	}
	name, ok := w.scalar(keyNode)
	if !ok || name == "" {
		return w.errAt(mv.Key, "", "a key is a name, not %s", nodeKind(keyNode))
	}
	path := strings.ToLower(strings.TrimSpace(name))
	if prefix != "" {
		path = prefix + "." + path
	}
	if key, prefix := isKeyPrefix(path); !key && !prefix {
		return w.unknownKey(keyNode, path)
	}
	return w.walk(mv.Value, path, keyNode, depth+1)
}

// add records the setting path=value, refusing a key set twice.
func (w *scenarioWalker) add(path, value string, keyNode, valNode ast.Node) error {
	if key, _ := isKeyPrefix(path); !key {
		return w.errAt(keyNode, path, "%s is a group of keys, not a key ('covplan params' lists them)", path)
	}
	kl, kc := pos(keyNode)
	if first, dup := w.seen[path]; dup {
		return w.errAt(keyNode, path, "%s is set twice (first at line %d, column %d)", path, first.Line, first.Column)
	}
	w.seen[path] = token.Position{Line: kl, Column: kc}
	vl, vc := pos(valNode)
	w.settings = append(w.settings, setting{key: path, value: value,
		at: origin{kind: originFile, file: w.file, line: kl, col: kc}, valLine: vl, valCol: vc})
	if len(w.settings) > scenarioMaxValues {
		return w.errAt(valNode, path, "more than %d values (limit: values in a scenario file)", scenarioMaxValues)
	}
	return nil
}

// scalar returns a scalar node's text as written (numbers keep their
// spelling, "1e6" or "1_000", for Set to read), resolving tags and aliases.
func (w *scenarioWalker) scalar(n ast.Node) (string, bool) {
	switch n := n.(type) {
	case *ast.StringNode:
		return n.Value, true
	case *ast.LiteralNode:
		if n.Value == nil {
			return "", true
		}
		return n.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return n.GetToken().Value, true
	case *ast.TagNode:
		return w.scalar(n.Value)
	case *ast.AnchorNode:
		w.anchors[aliasName(n.Name)] = n.Value
		return w.scalar(n.Value)
	case *ast.AliasNode:
		if target, ok := w.anchors[aliasName(n.Value)]; ok {
			return w.scalar(target)
		}
	}
	return "", false
}

// nodeKind names a node's kind in errors.
func nodeKind(n ast.Node) string {
	switch n.(type) {
	case nil:
		return "nothing"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.NullNode:
		return "an empty value"
	}
	return "a " + strings.ToLower(n.Type().String())
}

// nestingOver scans data, before it is parsed, for nesting deeper than max
// and returns the 1-based position where the limit is first passed. It
// counts the open flow collections ([ and {) and, on each line, the block
// indicators ("- ", "? ", ": ") that open a level on that same line: the
// forms that make the YAML parser's time grow with the square of the
// depth. Quoted scalars and comments are skipped; a plain scalar holding
// brackets can only make the count larger, never smaller.
func nestingOver(data []byte, max int) (line, col int, over bool) {
	flow := 0
	var quote byte // ' or " while inside a quoted scalar
	for li, l := range bytes.Split(data, []byte("\n")) {
		block := 0
		for i := 0; i < len(l); i++ {
			c := l[i]
			if quote != 0 {
				switch {
				case quote == '"' && c == '\\':
					i++
				case c == quote && quote == '\'' && i+1 < len(l) && l[i+1] == '\'':
					i++
				case c == quote:
					quote = 0
				}
				continue
			}
			prevBlank := i == 0 || l[i-1] == ' ' || l[i-1] == '\t' || l[i-1] == '[' || l[i-1] == '{' || l[i-1] == ',' || l[i-1] == ':'
			nextBlank := i+1 == len(l) || l[i+1] == ' ' || l[i+1] == '\t' || l[i+1] == '\r'
			switch {
			case c == '#' && prevBlank:
				i = len(l)
				continue
			case (c == '\'' || c == '"') && prevBlank:
				quote = c
				continue
			case c == '[' || c == '{':
				flow++
			case (c == ']' || c == '}') && flow > 0:
				flow--
			case (c == '-' || c == '?') && prevBlank && nextBlank:
				block++
			case c == ':' && nextBlank:
				block++
			default:
				continue
			}
			if flow+block > max {
				return li + 1, i + 1, true
			}
		}
	}
	return 0, 0, false
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
	if strings.ContainsAny(v, ":#{}[],&*!|>'\"%@`") || v == "true" || v == "false" || v == "null" || v == "yes" || v == "no" || v == "~" {
		return strconv.Quote(v)
	}
	return v
}

func scenarioCommand() *cli.Command {
	return &cli.Command{
		Name:  "scenario",
		Usage: "scenario files: write a template (init), print the effective scenario (show), compare two (diff)",
		Subcommands: []*cli.Command{
			scenarioInitCommand(),
			scenarioShowCommand(),
			scenarioDiffCommand(),
		},
	}
}
