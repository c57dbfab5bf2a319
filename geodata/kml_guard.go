package geodata

import (
	"bytes"
	"io"
)

// xmlGuard passes a KML document through to encoding/xml while lexing it,
// and fails as soon as one token — a tag, a comment, a processing
// instruction, a CDATA section, or a run of text outside <coordinates> —
// is longer than max bytes. encoding/xml holds each token whole in memory
// before returning it, so without the guard a 1 MB KMZ whose KML holds a
// 1 GiB name takes gigabytes; with it, memory stays near max. The text of
// <coordinates>, which a large polygon makes long, is bounded by the
// document's own size limit only.
type xmlGuard struct {
	r    io.Reader
	max  int
	name string
	line int // 1-based line, for the error

	state   guardState
	n       int    // length of the current token
	head    []byte // the first bytes after '<', to classify the markup
	quote   byte   // inside a quoted attribute value
	tail    [3]byte
	coords  bool // in the text of a <coordinates> element
	tagName []byte
	nameEnd bool
	depth   int // '[' nesting in a <!DOCTYPE
	err     error
}

type guardState uint8

const (
	gText    guardState = iota
	gOpen               // after '<', classifying
	gTag                // a start or end tag
	gComment            // <!-- ... -->
	gCDATA              // <![CDATA[ ... ]]>
	gPI                 // <? ... ?>
	gDecl               // <!DOCTYPE ...>
)

func newXMLGuard(r io.Reader, name string, max int) *xmlGuard {
	return &xmlGuard{r: r, max: max, name: name, line: 1}
}

func (g *xmlGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	for i := 0; i < n; i++ {
		if g.step(p[i]) {
			g.err = limitErr(g.name, g.line, "an XML element's text, tag or comment", int64(g.max), "--max-text-bytes")
			return i, g.err
		}
	}
	return n, err
}

// step consumes one byte; it reports whether the current token passed max.
func (g *xmlGuard) step(c byte) bool {
	if c == '\n' {
		g.line++
	}
	g.n++
	switch g.state {
	case gText:
		if c == '<' {
			g.state, g.n, g.head = gOpen, 1, g.head[:0]
			return false
		}
		return !g.coords && g.n > g.max
	case gOpen:
		g.head = append(g.head, c)
		switch {
		case bytes.HasPrefix([]byte("!--"), g.head) && len(g.head) < 3,
			bytes.HasPrefix([]byte("![CDATA["), g.head) && len(g.head) < 8:
			return false // not decided yet
		case bytes.Equal(g.head, []byte("!--")):
			g.state, g.tail = gComment, [3]byte{}
		case bytes.Equal(g.head, []byte("![CDATA[")):
			g.state, g.tail = gCDATA, [3]byte{}
		case g.head[0] == '?':
			g.state, g.tail = gPI, [3]byte{}
		case g.head[0] == '!':
			g.state, g.depth, g.quote = gDecl, 0, 0
			for _, b := range g.head {
				g.declByte(b)
			}
		default:
			g.state, g.quote, g.tagName, g.nameEnd = gTag, 0, g.tagName[:0], false
			for _, b := range g.head {
				if g.tagByte(b) {
					return false
				}
			}
		}
		return g.n > g.max
	case gTag:
		g.tagByte(c)
	case gComment, gCDATA, gPI:
		g.tail = [3]byte{g.tail[1], g.tail[2], c}
		switch {
		case g.state == gComment && g.tail == [3]byte{'-', '-', '>'},
			g.state == gCDATA && g.tail == [3]byte{']', ']', '>'},
			g.state == gPI && g.tail[1] == '?' && c == '>':
			g.state, g.n = gText, 0
			return false
		}
		if g.state == gCDATA && g.coords {
			return false
		}
	case gDecl:
		g.declByte(c)
	}
	return g.state != gText && g.n > g.max
}

// tagByte advances through a tag; it reports whether the tag ended.
func (g *xmlGuard) tagByte(c byte) bool {
	switch {
	case g.quote != 0:
		if c == g.quote {
			g.quote = 0
		}
	case c == '"' || c == '\'':
		g.quote = c
	case c == '>':
		name := g.tagName
		if i := bytes.LastIndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		end := len(g.tagName) > 0 && g.tagName[0] == '/'
		selfClosing := g.n >= 2 && g.prevSlash()
		g.coords = !end && !selfClosing && string(name) == "coordinates"
		g.state, g.n = gText, 0
		return true
	case !g.nameEnd && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/' && len(g.tagName) > 0):
		g.nameEnd = true
	case !g.nameEnd && len(g.tagName) < 64:
		g.tagName = append(g.tagName, c)
	}
	g.tail = [3]byte{g.tail[1], g.tail[2], c}
	return false
}

// prevSlash reports whether the byte before the closing '>' was '/'.
func (g *xmlGuard) prevSlash() bool { return g.tail[2] == '/' }

// declByte advances through a <!DOCTYPE ...> with its [internal subset].
func (g *xmlGuard) declByte(c byte) {
	switch {
	case g.quote != 0:
		if c == g.quote {
			g.quote = 0
		}
	case c == '"' || c == '\'':
		g.quote = c
	case c == '[':
		g.depth++
	case c == ']':
		g.depth--
	case c == '>' && g.depth <= 0:
		g.state, g.n = gText, 0
	}
}
