package coverage

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Param describes one scenario parameter: its --set key, current and
// default values (formatted as Set accepts them), unit, meaning and source.
type Param struct {
	Key     string `json:"key"`
	Value   string `json:"value"`
	Default string `json:"default"`
	Unit    string `json:"unit"`
	Doc     string `json:"doc"`
	Source  string `json:"source"`
}

// param is one row of the parameter table. get returns a pointer into a
// Scenario: *float64, *int, *bool, *string, *Tech, *Policy or *[]Kind.
type param struct {
	Key      string
	Unit     string
	Doc      string
	Source   string
	Min, Max float64  // inclusive bounds for numbers
	Choices  []string // allowed values of a string parameter
	get      func(*Scenario) any
}

func fp(f func(*Scenario) *float64) func(*Scenario) any { return func(s *Scenario) any { return f(s) } }
func ip(f func(*Scenario) *int) func(*Scenario) any     { return func(s *Scenario) any { return f(s) } }

// costsRef is the value of the "costs" key: setting it applies a cost
// preset to the scenario.
type costsRef struct{ s *Scenario }

// paramTable is every --set key, in documentation order (params_table.go).
var paramTable = buildParamTable()

func findParam(key string) (*param, bool) {
	for i := range paramTable {
		if paramTable[i].Key == key {
			return &paramTable[i], true
		}
	}
	return nil, false
}

// Set changes the parameter key to value, as given by --set key=value.
// An unknown key, an unparsable value or a value out of range is an error
// naming the key; s is then unchanged.
func (s *Scenario) Set(key, value string) error {
	key = strings.ToLower(strings.TrimSpace(key))
	value = strings.TrimSpace(value)
	p, ok := findParam(key)
	if !ok {
		return fmt.Errorf("coverage: scenario: unknown key %q (see `covplan scenario` for the list)%s", key, suggest(key))
	}
	if err := p.set(p.get(s), value); err != nil {
		return fmt.Errorf("coverage: scenario: %s=%q: %w", key, value, err)
	}
	if strings.HasPrefix(key, "target.") {
		s.Target.Name = "custom"
	}
	return nil
}

func suggest(key string) string {
	var near []string
	for _, p := range paramTable {
		if strings.HasSuffix(p.Key, "."+lastDot(key)) || strings.HasPrefix(p.Key, key) {
			near = append(near, p.Key)
		}
	}
	if len(near) == 0 || len(near) > 6 {
		return ""
	}
	return "; did you mean " + strings.Join(near, ", ") + "?"
}

func lastDot(k string) string {
	if i := strings.LastIndexByte(k, '.'); i >= 0 {
		return k[i+1:]
	}
	return k
}

func (p *param) set(ptr any, value string) error {
	switch v := ptr.(type) {
	case *float64:
		f, err := parseFloat(value)
		if err != nil {
			return err
		}
		if err := p.checkNum(f); err != nil {
			return err
		}
		*v = f
	case *int:
		f, err := parseFloat(value)
		if err != nil {
			return err
		}
		if f != math.Trunc(f) {
			return fmt.Errorf("want a whole number")
		}
		if err := p.checkNum(f); err != nil {
			return err
		}
		*v = int(f)
	case *string:
		value = strings.ToLower(value)
		if p.Key == "policy.budget_pick" && value == "npv" {
			value = "rank" // the name before covplan 0.2
		}
		if !slices.Contains(p.Choices, value) {
			return fmt.Errorf("want %s", strings.Join(p.Choices, " or "))
		}
		*v = value
	case *bool:
		switch strings.ToLower(value) {
		case "true", "yes", "1", "on":
			*v = true
		case "false", "no", "0", "off":
			*v = false
		default:
			return fmt.Errorf("want true or false")
		}
	case *Target:
		t, err := ParseTarget(value)
		if err != nil {
			return err
		}
		*v = t
	case *Policy:
		pol, err := ParsePolicy(value)
		if err != nil {
			return err
		}
		*v = pol
	case *RankBy:
		r := RankBy(strings.ToLower(value))
		if r != "" && !slices.Contains(p.Choices, string(r)) {
			return fmt.Errorf("want %s", strings.Join(p.Choices, ", "))
		}
		*v = r
	case costsRef:
		return v.s.applyCosts(value)
	case *Tech:
		t, ok := ParseTech(strings.ToLower(value))
		if !ok || t == TechNone {
			return fmt.Errorf("want fibre, wifi, leo or geo")
		}
		*v = t
	case *[]Kind:
		ks, err := ParsePriority(value)
		if err != nil {
			return err
		}
		*v = ks
	default:
		return fmt.Errorf("internal: unsupported parameter type %T", ptr)
	}
	return nil
}

// parseFloat accepts "1.5", "1,5" (decimal comma), "1_000" and "1e6";
// NaN and infinities are refused.
func parseFloat(s string) (float64, error) {
	s = strings.ReplaceAll(s, "_", "")
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("not a number")
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("not a finite number")
	}
	return f, nil
}

func (p *param) checkNum(f float64) error {
	if f < p.Min || f > p.Max {
		return fmt.Errorf("out of range [%s, %s]", fmtNum(p.Min), fmtNum(p.Max))
	}
	return nil
}

// check validates the current value (for Validate).
func (p *param) check(ptr any) error {
	switch v := ptr.(type) {
	case *float64:
		if math.IsNaN(*v) {
			return fmt.Errorf("not a number")
		}
		return p.checkNum(*v)
	case *int:
		return p.checkNum(float64(*v))
	case *string:
		if !slices.Contains(p.Choices, *v) {
			return fmt.Errorf("%q: want %s", *v, strings.Join(p.Choices, " or "))
		}
	case *RankBy:
		if *v != "" && !slices.Contains(p.Choices, string(*v)) {
			return fmt.Errorf("%q: want %s", *v, strings.Join(p.Choices, ", "))
		}
	}
	return nil
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func formatValue(ptr any) string {
	switch v := ptr.(type) {
	case *float64:
		return fmtNum(*v)
	case *int:
		return strconv.Itoa(*v)
	case *bool:
		return strconv.FormatBool(*v)
	case *string:
		return *v
	case *Target:
		return v.Name
	case *Policy:
		return string(*v)
	case *RankBy:
		return string(*v)
	case costsRef:
		return v.s.Costs
	case *Tech:
		return v.String()
	case *[]Kind:
		names := make([]string, len(*v))
		for i, k := range *v {
			names[i] = k.String()
		}
		return strings.Join(names, ",")
	}
	return fmt.Sprint(ptr)
}

// Params lists every parameter with its value in s and its default, in
// documentation order.
func (s Scenario) Params() []Param {
	def := DefaultScenario()
	out := make([]Param, len(paramTable))
	for i := range paramTable {
		p := &paramTable[i]
		out[i] = Param{Key: p.Key, Value: formatValue(p.get(&s)), Default: formatValue(p.get(&def)),
			Unit: p.Unit, Doc: p.Doc, Source: p.Source}
	}
	return out
}

// ParamKeys returns every --set key, sorted.
func ParamKeys() []string {
	keys := make([]string, len(paramTable))
	for i, p := range paramTable {
		keys[i] = p.Key
	}
	sort.Strings(keys)
	return keys
}
