package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"

	"github.com/covplan/covplan/render"
)

// inputFile is one input opened for reading: its bytes are hashed as they
// are read, so summary.json can name exactly what was planned on.
type inputFile struct {
	role, path string
	size       int64
	f          *os.File
	h          hash.Hash
	r          io.Reader
}

// openInput opens the input at path; its reader fails with ctx's error once
// ctx is cancelled, so a long read stops early.
func openInput(ctx context.Context, pg *progress, role, path string) (*inputFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s file %s: %w", role, path, unwrapPathError(err))
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s file %s: %w", role, path, err)
	}
	if st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s file %s: is a directory", role, path)
	}
	in := &inputFile{role: role, path: path, size: st.Size(), f: f, h: sha256.New()}
	in.r = io.TeeReader(pg.reader("reading "+filepath.Base(path), ctxReader{ctx, f}, st.Size()), in.h)
	return in, nil
}

// name is what error messages and outputs call the file.
func (in *inputFile) name() string { return filepath.Base(in.path) }

// finish drains what the reader left (so the digest covers the whole file)
// and closes the file.
func (in *inputFile) finish(records, skipped int, crs string) (render.InputFile, error) {
	defer in.f.Close()
	if _, err := io.Copy(io.Discard, in.r); err != nil {
		return render.InputFile{}, fmt.Errorf("%s: %w", in.path, err)
	}
	return render.InputFile{
		Role:    in.role,
		Name:    in.name(),
		SHA256:  hex.EncodeToString(in.h.Sum(nil)),
		Records: records,
		Skipped: skipped,
		CRS:     crs,
	}, nil
}

// ctxReader is a reader that stops with ctx's error once ctx is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
