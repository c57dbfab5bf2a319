package geodata

import (
	"hash/maphash"
	"runtime"
	"slices"
	"sync"
)

// idRepeat is an id used more than once: the indices of its first two
// uses and how many uses in all.
type idRepeat struct {
	id            string
	first, second int
	uses          int
}

// idRepeats finds the ids used more than once among n ids, in the order of
// their second use. It takes a 32-bit fingerprint of every id (in
// parallel), radix-sorts the fingerprints to find the ones seen twice, and
// compares strings only for the ids with such a fingerprint (true repeats,
// and a few thousand chance collisions among 10M ids): about 15 ns and
// 12 bytes of scratch an id, against a map of strings' 60 ns and 50
// bytes.
func idRepeats(n int, id func(int) string) []idRepeat {
	if n < 2 {
		return nil
	}
	seed := maphash.MakeSeed()
	fps := make([]uint32, n)
	parallel(n, 0, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			fps[i] = uint32(maphash.String(seed, id(i)))
		}
	})
	sorted := slices.Clone(fps)
	radixSort(sorted)
	twice := map[uint32]bool{}
	var filter [1 << 10]uint64 // the low 16 bits of the fingerprints in twice
	for i := 1; i < len(sorted); i++ {
		if x := sorted[i]; x == sorted[i-1] {
			twice[x] = true
			filter[uint16(x)>>6] |= 1 << (x & 63)
		}
	}
	sorted = nil
	if len(twice) == 0 {
		return nil
	}
	// The ids with a fingerprint seen twice, found in parallel, in order.
	chunks := make([][]int32, runtime.GOMAXPROCS(0))
	step := (n + len(chunks) - 1) / len(chunks)
	var wg sync.WaitGroup
	for c := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c * step; i < min(n, (c+1)*step); i++ {
				if x := fps[i]; filter[uint16(x)>>6]&(1<<(x&63)) != 0 && twice[x] {
					chunks[c] = append(chunks[c], int32(i))
				}
			}
		}()
	}
	wg.Wait()
	seen := map[string]int{} // id -> index in out, or -1-first when seen once
	var out []idRepeat
	for _, chunk := range chunks {
		for _, i32 := range chunk {
			i := int(i32)
			s := id(i)
			k, ok := seen[s]
			switch {
			case !ok:
				seen[s] = -1 - i
			case k < 0:
				seen[s] = len(out)
				out = append(out, idRepeat{id: s, first: -1 - k, second: i, uses: 2})
			default:
				out[k].uses++
			}
		}
	}
	return out
}

// radixSort sorts a in place by bytes, least significant first; small
// inputs use slices.Sort.
func radixSort(a []uint32) {
	if len(a) < 1<<12 {
		slices.Sort(a)
		return
	}
	buf := make([]uint32, len(a))
	src, dst := a, buf
	for shift := uint(0); shift < 32; shift += 8 {
		var count [256]int
		for _, x := range src {
			count[byte(x>>shift)]++
		}
		if count[byte(src[0]>>shift)] == len(src) {
			continue // every key has this byte: nothing moves
		}
		pos := 0
		for i, c := range count {
			count[i] = pos
			pos += c
		}
		for _, x := range src {
			b := byte(x >> shift)
			dst[count[b]] = x
			count[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &a[0] {
		copy(a, src)
	}
}
