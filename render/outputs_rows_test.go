package render

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"testing"
)

// TestWriteRows checks that the parallel block writer writes exactly the
// bytes of the sequential loop, for row counts around the block size and
// any number of goroutines.
func TestWriteRows(t *testing.T) {
	row := func(b []byte, i int) []byte {
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(i*i%977), 10)
		return append(b, '\n')
	}
	for _, procs := range []int{1, 2, 5} {
		for _, n := range []int{0, 1, rowsPerBlock - 1, rowsPerBlock, rowsPerBlock + 1, 7*rowsPerBlock + 3} {
			t.Run(fmt.Sprintf("procs=%d/n=%d", procs, n), func(t *testing.T) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				want := []byte("a,b\n")
				for i := range n {
					want = row(want, i)
				}
				var got bytes.Buffer
				if err := writeRows(&got, "a,b\n", n, row); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want) {
					t.Fatalf("%d bytes, want %d; %s", got.Len(), len(want), firstDiff(got.Bytes(), want))
				}
			})
		}
	}
}

// TestWriteRowsError checks that a failing writer stops the writer and
// its goroutines, and that the error is returned.
func TestWriteRowsError(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	for _, after := range []int{0, 1, 2, 5} {
		w := &failAfter{n: after}
		err := writeRows(w, "h\n", 20*rowsPerBlock, func(b []byte, i int) []byte { return append(b, "row\n"...) })
		if !errors.Is(err, errDiskFull) {
			t.Fatalf("fail after %d writes: error %v, want %v", after, err, errDiskFull)
		}
	}
}

var errDiskFull = errors.New("disk full")

type failAfter struct{ n int }

func (w *failAfter) Write(p []byte) (int, error) {
	if w.n == 0 {
		return 0, errDiskFull
	}
	w.n--
	return len(p), nil
}
