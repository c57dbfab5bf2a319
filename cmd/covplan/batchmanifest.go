package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/covplan/covplan/coverage"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// A batch manifest is a YAML file:
//
//	title: Départements de France métropolitaine   # optional, shown in index.html
//	defaults:                                     # optional, every area's keys before its own
//	  scenario: scenarios/base.yaml
//	  set: {policy: hybrid}
//	areas:
//	  - id: cantal                                # folder name under --out
//	    title: Cantal (15)
//	    zones: cantal/communes.geojson
//	    zone_table: cantal/population.csv
//	    fibre: [cantal/nro.geojson, cantal/nro-nodes.csv]
//
// An area's keys are plan's input and report flags (zones, zone_id_field,
// zone_table, zone_table_key, zone_table_where, grid_m, premises, fibre,
// aps, crs, title, lang, excel, no_report), scenario (a scenario file)
// and set (a mapping of --set keys, flat or nested as in a scenario file).
// An area's key replaces the default's, except set: the defaults' values
// apply first, then the area's. Paths are relative to the manifest's
// folder. It is decoded strictly, as scenario files are: an unknown key,
// a value of the wrong type, a bad --set value, a bad or duplicate id or a
// scenario file in error are usage errors (exit 2) at file:line:column,
// before any area is planned.

const batchMaxAreas = 10000

// batchArea is one area of a manifest, resolved.
type batchArea struct {
	ID       string
	Inputs   InputOptions // paths resolved against the manifest's folder
	Scenario coverage.Scenario
	// AutoCosts is the scenario on the "us" cost preset, used when the
	// area's frame is not metropolitan France's; nil when the manifest
	// or the scenario file chose a cost preset (PlanOptions.AutoCosts).
	AutoCosts *coverage.Scenario
	Report    ReportOptions
	// Config is what the area's plan depends on besides its inputs'
	// content, for the stamp: every key as resolved, and the scenario's
	// parameters.
	Config []string
}

type batchManifest struct {
	File  string
	Title string
	Areas []batchArea
}

// areaKeys are the keys of an area (and of defaults), with their kind.
var areaKeys = map[string]string{
	"id": "string", "title": "string", "zones": "path", "zone_id_field": "string", "zone_table": "path",
	"zone_table_key": "string", "zone_table_where": "string", "grid_m": "number", "premises": "path",
	"fibre": "paths", "aps": "paths", "crs": "string", "scenario": "path", "set": "set",
	"lang": "string", "excel": "bool", "no_report": "bool",
}

var areaIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

// areaSpec is an area's (or the defaults') keys as written.
type areaSpec struct {
	vals  map[string]string
	lists map[string][]string
	sets  []setting
	node  ast.Node // the area's mapping, for errors
	keys  map[string]ast.Node
}

// readBatchManifest reads and checks the manifest at path.
func readBatchManifest(path string) (*batchManifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &scenarioError{file: path, err: fmt.Errorf("cannot read the manifest: %w", unwrapPathError(err))}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 16<<20+1))
	if err != nil {
		return nil, &scenarioError{file: path, err: err}
	}
	if len(data) > 16<<20 {
		return nil, &scenarioError{file: path, err: errors.New("larger than 16 MiB, the limit of a manifest")}
	}
	return decodeBatchManifest(data, path)
}

// manifestWalker decodes a manifest; it reuses the scenario walker for
// anchors, scalars, positions and the set mappings.
type manifestWalker struct {
	*scenarioWalker
}

func decodeBatchManifest(data []byte, name string) (_ *batchManifest, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &scenarioError{file: name, err: fmt.Errorf("the YAML parser failed on this file (%v)", r)}
		}
	}()
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if line, col, ok := nestingOver(data, scenarioMaxDepth); ok {
		return nil, &scenarioError{file: name, line: line, col: col, err: fmt.Errorf("nested more than %d levels deep", scenarioMaxDepth)}
	}
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, yamlError(name, err)
	}
	if len(file.Docs) != 1 || file.Docs[0].Body == nil {
		return nil, &scenarioError{file: name, err: errors.New("a manifest holds one YAML document with an areas list")}
	}
	w := manifestWalker{&scenarioWalker{file: name, anchors: map[string]ast.Node{}, seen: map[string]token.Position{}}}
	body := file.Docs[0].Body
	if err := w.checkExpansion(body); err != nil {
		return nil, err
	}
	top, err := w.mapping(body, "the manifest")
	if err != nil {
		return nil, err
	}
	m := &batchManifest{File: name}
	var defaults *areaSpec
	var areasNode ast.Node
	for _, mv := range top {
		key, keyNode, err := w.key(mv)
		if err != nil {
			return nil, err
		}
		switch key {
		case "title":
			if m.Title, err = w.str(mv.Value, key); err != nil {
				return nil, err
			}
		case "defaults":
			if defaults, err = w.area(mv.Value, true); err != nil {
				return nil, err
			}
		case "areas":
			areasNode = mv.Value
		default:
			return nil, w.unknown(keyNode, key, []string{"title", "defaults", "areas"})
		}
	}
	if areasNode == nil {
		return nil, w.errAt(body, "", "no areas: want \"areas:\" with a list of areas")
	}
	seq, ok := w.resolve(areasNode).(*ast.SequenceNode)
	if !ok || len(seq.Values) == 0 {
		return nil, w.errAt(areasNode, "areas", "areas: want a list of areas (\"- id: ...\"), not %s", nodeKind(areasNode))
	}
	if len(seq.Values) > batchMaxAreas {
		return nil, w.errAt(areasNode, "areas", "more than %d areas (limit: areas in a manifest)", batchMaxAreas)
	}
	seen := map[string]ast.Node{}
	for _, n := range seq.Values {
		a, err := w.area(n, false)
		if err != nil {
			return nil, err
		}
		ba, err := w.resolveArea(defaults, a, filepath.Dir(name))
		if err != nil {
			return nil, err
		}
		if first, dup := seen[strings.ToLower(ba.ID)]; dup {
			l, c := pos(first)
			return nil, w.errAt(a.keys["id"], "id", "area id %q is used twice (first at line %d, column %d); ids name the areas' folders", ba.ID, l, c)
		}
		seen[strings.ToLower(ba.ID)] = a.keys["id"]
		m.Areas = append(m.Areas, ba)
	}
	return m, nil
}

// resolve follows anchors, aliases and tags to the node they stand for.
func (w manifestWalker) resolve(n ast.Node) ast.Node {
	for range scenarioMaxDepth {
		switch v := n.(type) {
		case *ast.AnchorNode:
			w.anchors[aliasName(v.Name)] = v.Value
			n = v.Value
		case *ast.AliasNode:
			t, ok := w.anchors[aliasName(v.Value)]
			if !ok {
				return n
			}
			n = t
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
	return n
}

// mapping returns the pairs of a mapping node (what names it in errors).
func (w manifestWalker) mapping(n ast.Node, what string) ([]*ast.MappingValueNode, error) {
	switch v := w.resolve(n).(type) {
	case *ast.MappingNode:
		return v.Values, nil
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{v}, nil
	}
	return nil, w.errAt(n, "", "%s: want a mapping of keys to values, not %s", what, nodeKind(w.resolve(n)))
}

func (w manifestWalker) key(mv *ast.MappingValueNode) (string, ast.Node, error) {
	var kn ast.Node = mv.Key
	if k, ok := kn.(*ast.MappingKeyNode); ok {
		kn = k.Value
	}
	name, ok := w.scalar(kn)
	if !ok || name == "" {
		return "", kn, w.errAt(mv.Key, "", "a key is a name, not %s", nodeKind(kn))
	}
	return strings.ToLower(strings.TrimSpace(name)), kn, nil
}

func (w manifestWalker) unknown(at ast.Node, key string, keys []string) error {
	msg := fmt.Sprintf("unknown key %q", key)
	if s := suggest(key, keys); s != "" {
		msg += "; did you mean " + s + "?"
	} else {
		msg += " (keys: " + strings.Join(keys, ", ") + ")"
	}
	return w.errAt(at, key, "%s", msg)
}

// str reads a scalar value (a number is read as written).
func (w manifestWalker) str(n ast.Node, key string) (string, error) {
	s, ok := w.scalar(w.resolve(n))
	if !ok {
		return "", w.errAt(n, key, "%s: want a value, not %s", key, nodeKind(w.resolve(n)))
	}
	return strings.TrimSpace(s), nil
}

// area reads one area's (or the defaults') keys.
func (w manifestWalker) area(n ast.Node, defaults bool) (*areaSpec, error) {
	what := "an area"
	if defaults {
		what = "defaults"
	}
	pairs, err := w.mapping(n, what)
	if err != nil {
		return nil, err
	}
	a := &areaSpec{vals: map[string]string{}, lists: map[string][]string{}, node: n, keys: map[string]ast.Node{}}
	names := make([]string, 0, len(areaKeys))
	for k := range areaKeys {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, mv := range pairs {
		key, kn, err := w.key(mv)
		if err != nil {
			return nil, err
		}
		kind, ok := areaKeys[key]
		if !ok || defaults && (key == "id" || key == "title") {
			return nil, w.unknown(kn, key, names)
		}
		if first, dup := a.keys[key]; dup {
			l, c := pos(first)
			return nil, w.errAt(kn, key, "%s is set twice (first at line %d, column %d)", key, l, c)
		}
		a.keys[key] = kn
		if err := w.value(a, key, kind, mv.Value); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// value reads one key's value by its kind.
func (w manifestWalker) value(a *areaSpec, key, kind string, v ast.Node) error {
	switch kind {
	case "set":
		sw := &scenarioWalker{file: w.file, anchors: w.anchors, seen: map[string]token.Position{}}
		if _, isNull := w.resolve(v).(*ast.NullNode); isNull {
			return nil
		}
		if _, err := w.mapping(v, "set"); err != nil {
			return err
		}
		if err := sw.walk(v, "", nil, 1); err != nil {
			return err
		}
		for _, st := range sw.settings {
			sc := coverage.DefaultScenario()
			if err := sc.Set(st.key, st.value); err != nil {
				return &scenarioError{file: w.file, line: st.valLine, col: st.valCol, key: st.key, err: reason(err)}
			}
		}
		a.sets = sw.settings
	case "paths":
		if seq, ok := w.resolve(v).(*ast.SequenceNode); ok {
			for _, e := range seq.Values {
				s, err := w.str(e, key)
				if err != nil {
					return err
				}
				a.lists[key] = append(a.lists[key], s)
			}
			return nil
		}
		s, err := w.str(v, key)
		if err != nil {
			return err
		}
		a.lists[key] = []string{s}
	default:
		s, err := w.str(v, key)
		if err != nil {
			return err
		}
		switch kind {
		case "number":
			if _, err := strconv.ParseFloat(s, 64); err != nil {
				return w.errAt(v, key, "%s: want a number, got %q", key, s)
			}
		case "bool":
			if s != "true" && s != "false" {
				return w.errAt(v, key, "%s: want true or false, got %q", key, s)
			}
		}
		a.vals[key] = s
	}
	return nil
}

// resolveArea merges the defaults into area a and checks it: its id, its
// options as plan checks them, its scenario (file, then the defaults' and
// the area's set).
func (w manifestWalker) resolveArea(def, a *areaSpec, dir string) (batchArea, error) {
	get := func(k string) string {
		if v, ok := a.vals[k]; ok || def == nil {
			return v
		}
		return def.vals[k]
	}
	list := func(k string) []string {
		if v, ok := a.lists[k]; ok || def == nil {
			return v
		}
		return def.lists[k]
	}
	path := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	paths := func(ps []string) []string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = path(p)
		}
		return out
	}
	ba := batchArea{ID: get("id")}
	if ba.ID == "" {
		return ba, w.errAt(a.node, "id", "an area without id: give \"id: NAME\" (its folder under --out)")
	}
	if !areaIDRE.MatchString(ba.ID) {
		return ba, w.errAt(a.keys["id"], "id", "id %q: want 1 to 64 letters, digits, '_' or '-', starting with a letter or digit", ba.ID)
	}
	at := func(err error) error {
		var ue *usageError
		if errors.As(err, &ue) {
			return w.errAt(a.node, "", "area %s: %v", ba.ID, ue.err)
		}
		return err
	}
	grid := 1000.0
	if g := get("grid_m"); g != "" {
		grid, _ = strconv.ParseFloat(g, 64)
	}
	ba.Inputs = InputOptions{Zones: path(get("zones")), ZoneIDField: get("zone_id_field"), ZoneTable: path(get("zone_table")),
		ZoneTableKey: get("zone_table_key"), ZoneTableWhere: get("zone_table_where"), GridM: grid, Premises: path(get("premises")),
		Fibre: paths(list("fibre")), APs: paths(list("aps")), CRS: get("crs")}
	lang := get("lang")
	if lang == "" {
		lang = "fr"
	}
	title := get("title")
	if title == "" {
		title = ba.ID
	}
	ba.Report = ReportOptions{Title: title, Lang: lang, Excel: get("excel") == "true", NoReport: get("no_report") == "true"}
	if err := (PlanOptions{Inputs: ba.Inputs, Out: ba.ID, Report: ba.Report}).validate(); err != nil {
		return ba, at(err)
	}
	var sets []setting
	if def != nil {
		sets = append(sets, def.sets...)
	}
	scenario := func(baseCosts string) (*effectiveScenario, error) {
		e, err := buildScenario(scenarioSpec{File: path(get("scenario")), BaseCosts: baseCosts})
		if err != nil {
			return nil, err
		}
		for _, st := range append(sets, a.sets...) {
			if err := e.apply(st); err != nil {
				return nil, &scenarioError{file: w.file, line: st.valLine, col: st.valCol, key: st.key, err: reason(err)}
			}
		}
		if err := e.Scenario.Validate(); err != nil {
			return nil, w.errAt(a.node, "", "area %s: %v", ba.ID, err)
		}
		return e, nil
	}
	e, auto, err := buildWithAutoCosts(scenario)
	if err != nil {
		return ba, err
	}
	ba.Scenario, ba.AutoCosts = e.Scenario, auto
	for _, k := range []string{"zones", "zone_id_field", "zone_table", "zone_table_key", "zone_table_where", "premises", "crs", "title", "lang", "excel", "no_report"} {
		ba.Config = append(ba.Config, k+"="+get(k))
	}
	ba.Config = append(ba.Config, fmt.Sprintf("grid_m=%g", grid), "fibre="+strings.Join(list("fibre"), "|"), "aps="+strings.Join(list("aps"), "|"))
	for _, p := range e.Scenario.Params() {
		ba.Config = append(ba.Config, "scenario."+p.Key+"="+p.Value)
	}
	return ba, nil
}
