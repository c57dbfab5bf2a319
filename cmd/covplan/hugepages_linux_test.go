package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// TestAdviseHeapOS checks, where the system's mode is "madvise", that a
// large slice allocated after adviseHeapOS lies in huge-page memory. It
// runs in a process of its own, as covplan does at the start of a run: in
// the test process, the heap other tests grew would serve the slice from
// memory advised before.
func TestAdviseHeapOS(t *testing.T) {
	if os.Getenv("COVPLAN_TEST_THP_CHILD") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAdviseHeapOS$", "-test.v")
		cmd.Env = append(os.Environ(), "COVPLAN_TEST_THP_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("in its own process: %v\n%s", err, out)
		}
		if bytes.Contains(out, []byte("--- SKIP")) {
			t.Skipf("in its own process:\n%s", out)
		}
		return
	}
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || thpMode(string(mode)) != "madvise" {
		t.Skipf("transparent huge pages not in madvise mode (%q)", strings.TrimSpace(string(mode)))
	}
	var as syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &as); err != nil || as.Cur != ^uint64(0) {
		t.Skip("address-space limit set: adviseHeapOS stands aside")
	}
	if oc, err := os.ReadFile("/proc/sys/vm/overcommit_memory"); err == nil && strings.TrimSpace(string(oc)) == "2" {
		t.Skip("strict overcommit: adviseHeapOS stands aside")
	}
	const region = 256 << 20
	advised := adviseHeapOS(region)
	if advised <= 0 || advised > region {
		t.Fatalf("adviseHeapOS(%d) = %d, want 0 < advised <= %d", region, advised, region)
	}
	b := make([]byte, 64<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	// Its first bytes may precede the advised region's first whole 2 MiB
	// page: look at the mapping of its middle.
	hugeKB, eligible := smapsOf(t, uintptr(unsafe.Pointer(unsafe.SliceData(b)))+uintptr(len(b)/2))
	if !eligible {
		t.Errorf("the mapping holding a 64 MiB slice is not eligible for huge pages")
	}
	if hugeKB < 32<<10 {
		t.Errorf("the mapping holding a touched 64 MiB slice has %d KiB of huge pages, want >= 32 MiB", hugeKB)
	}
	b[len(b)-1] = 2 // keep b alive until here
}

// smapsOf returns AnonHugePages (KiB) and THPeligible of the mapping of
// /proc/self/smaps containing addr.
func smapsOf(t *testing.T, addr uintptr) (hugeKB int64, eligible bool) {
	t.Helper()
	s, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	in := false
	sc := bufio.NewScanner(bytes.NewReader(s))
	for sc.Scan() {
		line := sc.Text()
		f := strings.Fields(line)
		if len(f) > 0 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":") {
			lo, hi, _ := strings.Cut(f[0], "-")
			a, err1 := strconv.ParseUint(lo, 16, 64)
			b, err2 := strconv.ParseUint(hi, 16, 64)
			in = err1 == nil && err2 == nil && uint64(addr) >= a && uint64(addr) < b
			continue
		}
		if !in || len(f) < 2 {
			continue
		}
		switch f[0] {
		case "AnonHugePages:":
			hugeKB, _ = strconv.ParseInt(f[1], 10, 64)
		case "THPeligible:":
			eligible = f[1] == "1"
		}
	}
	return hugeKB, eligible
}
