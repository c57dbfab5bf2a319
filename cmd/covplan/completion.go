package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/covplan/covplan/coverage"
	"github.com/urfave/cli/v2"
)

// Shell completion and the man page are generated from the command
// definitions, so they cannot drift from the flags the program takes.

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh or fish",
		ArgsUsage: "bash|zsh|fish",
		Description: "Load it in your shell, e.g.\n" +
			"  bash: source <(covplan completion bash)     (or save it in /etc/bash_completion.d/covplan)\n" +
			"  zsh:  covplan completion zsh > \"${fpath[1]}/_covplan\"\n" +
			"  fish: covplan completion fish > ~/.config/fish/completions/covplan.fish",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("completion: name one shell: bash, zsh or fish")
			}
			cmds := completionModel(newApp(io.Discard, io.Discard))
			switch sh := c.Args().First(); sh {
			case "bash":
				return writeBashCompletion(c.App.Writer, cmds)
			case "zsh":
				return writeZshCompletion(c.App.Writer, cmds)
			case "fish":
				return writeFishCompletion(c.App.Writer, cmds)
			default:
				msg := fmt.Sprintf("completion: unknown shell %q (want bash, zsh or fish)", sh)
				if s := suggest(sh, []string{"bash", "zsh", "fish"}); s != "" {
					msg = fmt.Sprintf("completion: unknown shell %q; did you mean %s?", sh, s)
				}
				return usagef("%s", msg)
			}
		},
	}
}

func manCommand() *cli.Command {
	return &cli.Command{
		Name:  "man",
		Usage: "print covplan's manual page (roff), e.g. covplan man > covplan.1 && man ./covplan.1",
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("man: unexpected argument %q", c.Args().First())
			}
			// From a fresh app: the running one holds urfave/cli's shared
			// help command, which running "help" once makes its own
			// subcommand (ToMan would then recurse without end).
			page, err := newApp(io.Discard, io.Discard).ToManWithSection(1)
			if err != nil {
				return err
			}
			_, err = io.WriteString(c.App.Writer, page)
			return err
		},
	}
}

// compCmd is one command as the completion scripts see it.
type compCmd struct {
	path  []string // names from the top, e.g. [scenario show]; empty for covplan itself
	usage string
	subs  []*compCmd
	flags []compFlag
	args  bool // takes file arguments
}

// compFlag is one flag as the completion scripts see it.
type compFlag struct {
	names   []string // long name first, then aliases
	usage   string
	value   bool     // takes a value
	repeat  bool     // may be given more than once
	kind    string   // value kind: "file", "dir", "choice", "key=" (--set), "" (free)
	choices []string // kind "choice" and "key="
}

// flagChoices are the values offered for some flags.
func flagChoices(name string) (kind string, choices []string) {
	switch name {
	case "target":
		return "choice", coverage.TargetNames()
	case "policy":
		return "choice", strings.Split(policyNames(), ", ")
	case "lang":
		return "choice", []string{"fr", "en"}
	case "log-format":
		return "choice", []string{string(LogText), string(LogJSON)}
	case "set", "vary":
		keys := coverage.ParamKeys()
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = k + "="
		}
		return "key=", out
	}
	return "", nil
}

// completionModel walks the visible commands and flags of app, a fresh one
// (not run: see manCommand), and adds the help command.
func completionModel(app *cli.App) *compCmd {
	root := &compCmd{usage: app.Usage}
	root.flags = []compFlag{
		{names: []string{"help", "h"}, usage: "show help"},
		{names: []string{"version", "v"}, usage: "print the version"},
	}
	for _, c := range app.VisibleCommands() {
		root.subs = append(root.subs, compModelOf(c, nil))
	}
	help := &compCmd{path: []string{"help"}, usage: "show the help of covplan or of a command"}
	help.flags = []compFlag{{names: []string{"help", "h"}, usage: "show help"}}
	root.subs = append(root.subs, help)
	return root
}

func compModelOf(c *cli.Command, parent []string) *compCmd {
	cc := &compCmd{path: append(append([]string{}, parent...), c.Name), usage: c.Usage, args: c.ArgsUsage != ""}
	for _, sub := range c.Subcommands {
		if !sub.Hidden && sub.Name != "help" {
			cc.subs = append(cc.subs, compModelOf(sub, cc.path))
		}
	}
	for _, f := range c.Flags {
		vf, ok := f.(cli.VisibleFlag)
		if ok && !vf.IsVisible() || f.Names()[0] == "help" {
			continue // help is added below, to every command
		}
		cf := compFlag{names: f.Names()}
		if df, ok := f.(cli.DocGenerationFlag); ok {
			placeholder, usage := unquoteUsagePlaceholder(df.GetUsage())
			cf.usage, cf.value = usage, df.TakesValue()
			switch placeholder {
			case "FILE":
				cf.kind = "file"
			case "DIR":
				cf.kind = "dir"
			}
		}
		switch f.(type) {
		case *cli.StringSliceFlag:
			cf.repeat = true
		}
		if k, ch := flagChoices(cf.names[0]); k != "" {
			cf.kind, cf.choices = k, ch
		}
		cc.flags = append(cc.flags, cf)
	}
	cc.flags = append(cc.flags, compFlag{names: []string{"help", "h"}, usage: "show help"})
	return cc
}

// unquoteUsagePlaceholder splits a usage with a `PLACEHOLDER` as urfave/cli
// does: the placeholder, and the usage without its backquotes.
func unquoteUsagePlaceholder(usage string) (placeholder, text string) {
	i := strings.IndexByte(usage, '`')
	if i < 0 {
		return "", usage
	}
	j := strings.IndexByte(usage[i+1:], '`')
	if j < 0 {
		return "", usage
	}
	placeholder = usage[i+1 : i+1+j]
	return placeholder, usage[:i] + placeholder + usage[i+2+j:]
}

// walk calls fn on c and every command below it, parents first.
func (c *compCmd) walk(fn func(*compCmd)) {
	fn(c)
	for _, s := range c.subs {
		s.walk(fn)
	}
}

func (c *compCmd) subNames() []string {
	var n []string
	for _, s := range c.subs {
		n = append(n, s.path[len(s.path)-1])
	}
	return n
}

// dashed is a flag name as typed: -q, --zones.
func dashedNames(f compFlag) []string {
	out := make([]string, len(f.names))
	for i, n := range f.names {
		out[i] = dashes(n)
	}
	return out
}

// short is the first clause of a usage, for the menus of zsh and fish.
func short(usage string) string {
	for _, sep := range []string{"; ", " (", ": "} {
		if i := strings.Index(usage, sep); i > 20 {
			usage = usage[:i]
		}
	}
	return usage
}

func writeBashCompletion(w io.Writer, root *compCmd) error {
	var b strings.Builder
	b.WriteString("# bash completion for covplan (generated by 'covplan completion bash')\n")
	b.WriteString("_covplan() {\n")
	b.WriteString("    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n")
	b.WriteString("    local cmd=\"\" w i skip=0\n")
	b.WriteString("    for ((i = 1; i < COMP_CWORD; i++)); do\n")
	b.WriteString("        w=\"${COMP_WORDS[i]}\"\n")
	b.WriteString("        if ((skip)); then skip=0; continue; fi\n")
	b.WriteString("        case \"$w\" in\n")
	var valueFlags []string
	seen := map[string]bool{}
	root.walk(func(c *compCmd) {
		for _, f := range c.flags {
			if f.value {
				for _, n := range dashedNames(f) {
					if !seen[n] {
						seen[n] = true
						valueFlags = append(valueFlags, n)
					}
				}
			}
		}
	})
	sort.Strings(valueFlags)
	fmt.Fprintf(&b, "            %s) skip=1; continue ;;\n", strings.Join(valueFlags, "|"))
	b.WriteString("        esac\n")
	b.WriteString("        case \"$cmd:$w\" in\n")
	root.walk(func(c *compCmd) {
		for _, s := range c.subs {
			fmt.Fprintf(&b, "            %q) cmd=%q ;;\n", strings.Join(c.path, "/")+":"+s.path[len(s.path)-1], strings.Join(s.path, "/"))
		}
	})
	b.WriteString("        esac\n")
	b.WriteString("    done\n")
	b.WriteString("    case \"$cmd\" in\n")
	root.walk(func(c *compCmd) {
		fmt.Fprintf(&b, "        %q)\n", strings.Join(c.path, "/"))
		var caseLines []string
		for _, f := range c.flags {
			if !f.value {
				continue
			}
			pat := strings.Join(dashedNames(f), "|")
			switch f.kind {
			case "file":
				caseLines = append(caseLines, fmt.Sprintf("                %s) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;", pat))
			case "dir":
				caseLines = append(caseLines, fmt.Sprintf("                %s) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;", pat))
			case "choice":
				caseLines = append(caseLines, fmt.Sprintf("                %s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;", pat, strings.Join(f.choices, " ")))
			case "key=":
				caseLines = append(caseLines, fmt.Sprintf("                %s) compopt -o nospace 2>/dev/null; COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;", pat, strings.Join(f.choices, " ")))
			default:
				caseLines = append(caseLines, fmt.Sprintf("                %s) return ;;", pat))
			}
		}
		if len(caseLines) > 0 {
			b.WriteString("            case \"$prev\" in\n")
			b.WriteString(strings.Join(caseLines, "\n") + "\n")
			b.WriteString("            esac\n")
		}
		var flags []string
		for _, f := range c.flags {
			flags = append(flags, dashedNames(f)...)
		}
		fmt.Fprintf(&b, "            if [[ \"$cur\" == -* ]]; then COMPREPLY=($(compgen -W %q -- \"$cur\")); return; fi\n", strings.Join(flags, " "))
		switch {
		case len(c.subs) > 0:
			fmt.Fprintf(&b, "            COMPREPLY=($(compgen -W %q -- \"$cur\"))\n", strings.Join(c.subNames(), " "))
		case c.args:
			b.WriteString("            COMPREPLY=($(compgen -f -- \"$cur\"))\n")
		}
		b.WriteString("            ;;\n")
	})
	b.WriteString("    esac\n")
	b.WriteString("}\n")
	b.WriteString("complete -o filenames -F _covplan covplan\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// zshQuote escapes a description for the brackets of an _arguments spec,
// inside single quotes.
func zshQuote(s string) string {
	r := strings.NewReplacer("'", `'\''`, "[", `\[`, "]", `\]`, ":", `\:`)
	return r.Replace(s)
}

func zshFuncName(path []string) string {
	return "_covplan" + strings.ReplaceAll(strings.Join(append([]string{""}, path...), "_"), "-", "_")
}

func writeZshCompletion(w io.Writer, root *compCmd) error {
	var b strings.Builder
	b.WriteString("#compdef covplan\n# zsh completion for covplan (generated by 'covplan completion zsh')\n\n")
	root.walk(func(c *compCmd) {
		fmt.Fprintf(&b, "%s() {\n", zshFuncName(c.path))
		var specs []string
		for _, f := range c.flags {
			names := dashedNames(f)
			var lead string
			switch {
			case f.repeat:
				lead = "'*'"
			case len(names) > 1:
				lead = "'(" + strings.Join(names, " ") + ")'"
			}
			var nameSpec string
			if len(names) > 1 && !f.repeat {
				nameSpec = lead + "{" + strings.Join(names, ",") + "}"
			} else {
				nameSpec = lead + names[0]
			}
			spec := nameSpec + "'[" + zshQuote(short(f.usage)) + "]"
			if f.value {
				switch f.kind {
				case "file":
					spec += ":file:_files"
				case "dir":
					spec += ":folder:_files -/"
				case "choice", "key=":
					spec += ":value:(" + strings.Join(f.choices, " ") + ")"
				default:
					spec += ":value: "
				}
			}
			specs = append(specs, spec+"'")
		}
		switch {
		case len(c.subs) > 0:
			b.WriteString("    local curcontext=\"$curcontext\" state line\n    local -a cmds\n")
			fmt.Fprintf(&b, "    _arguments -C \\\n        %s \\\n        '1: :->cmd' \\\n        '*:: :->args'\n", strings.Join(specs, " \\\n        "))
			b.WriteString("    case $state in\n    cmd)\n        cmds=(\n")
			for _, s := range c.subs {
				fmt.Fprintf(&b, "            '%s:%s'\n", s.path[len(s.path)-1], zshQuote(short(s.usage)))
			}
			b.WriteString("        )\n        _describe 'command' cmds ;;\n    args)\n        case $line[1] in\n")
			for _, s := range c.subs {
				fmt.Fprintf(&b, "        %s) %s ;;\n", s.path[len(s.path)-1], zshFuncName(s.path))
			}
			b.WriteString("        esac ;;\n    esac\n")
		default:
			if c.args {
				specs = append(specs, "'*:file:_files'")
			}
			fmt.Fprintf(&b, "    _arguments \\\n        %s\n", strings.Join(specs, " \\\n        "))
		}
		b.WriteString("}\n\n")
	})
	b.WriteString("_covplan \"$@\"\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// fishQuote quotes a string for fish, in single quotes.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}

func writeFishCompletion(w io.Writer, root *compCmd) error {
	var b strings.Builder
	b.WriteString("# fish completion for covplan (generated by 'covplan completion fish')\n")
	b.WriteString("complete -c covplan -f\n")
	root.walk(func(c *compCmd) {
		// The condition: this command's words seen, and no subcommand of it yet.
		var cond []string
		for _, p := range c.path {
			cond = append(cond, "__fish_seen_subcommand_from "+p)
		}
		if len(c.subs) > 0 {
			cond = append(cond, "not __fish_seen_subcommand_from "+strings.Join(c.subNames(), " "))
		}
		if len(c.path) == 0 && len(c.subs) > 0 {
			cond = []string{"__fish_use_subcommand"}
		}
		n := fishQuote(strings.Join(cond, "; and "))
		for _, s := range c.subs {
			fmt.Fprintf(&b, "complete -c covplan -n %s -a %s -d %s\n", n, s.path[len(s.path)-1], fishQuote(short(s.usage)))
		}
		for _, f := range c.flags {
			var parts []string
			for _, name := range f.names {
				if len(name) == 1 {
					parts = append(parts, "-s "+name)
				} else {
					parts = append(parts, "-l "+name)
				}
			}
			if f.value {
				switch f.kind {
				case "file", "dir":
					parts = append(parts, "-r -F")
				case "choice", "key=":
					parts = append(parts, "-x -a "+fishQuote(strings.Join(f.choices, " ")))
				default:
					parts = append(parts, "-x")
				}
			}
			fmt.Fprintf(&b, "complete -c covplan -n %s %s -d %s\n", n, strings.Join(parts, " "), fishQuote(short(f.usage)))
		}
		if c.args && len(c.subs) == 0 {
			fmt.Fprintf(&b, "complete -c covplan -n %s -F\n", n)
		}
	})
	_, err := io.WriteString(w, b.String())
	return err
}
