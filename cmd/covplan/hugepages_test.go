package main

import "testing"

func TestHugePagesWanted(t *testing.T) {
	for _, tc := range []struct {
		env, godebug string
		want         bool
	}{
		{"", "", true},
		{"on", "", true},
		{"off", "", false},
		{"OFF", "", false},
		{" 0 ", "", false},
		{"false", "", false},
		{"no", "", false},
		{"", "disablethp=1", false},
		{"", "gctrace=1, disablethp=1", false},
		{"", "disablethp=0", true},
		{"", "madvdontneed=1", true},
	} {
		if got := hugePagesWanted(tc.env, tc.godebug); got != tc.want {
			t.Errorf("hugePagesWanted(%q, %q) = %v, want %v", tc.env, tc.godebug, got, tc.want)
		}
	}
}

func TestTHPMode(t *testing.T) {
	for in, want := range map[string]string{
		"always [madvise] never\n": "madvise",
		"[always] madvise never\n": "always",
		"always madvise [never]\n": "never",
		"":                         "",
		"garbage]":                 "",
	} {
		if got := thpMode(in); got != want {
			t.Errorf("thpMode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMemAvailable(t *testing.T) {
	const meminfo = "MemTotal:       24683648 kB\nMemFree:        20631424 kB\nMemAvailable:   24156160 kB\nBuffers:           1234 kB\n"
	if got, want := memAvailable(meminfo), int64(24156160)<<10; got != want {
		t.Errorf("memAvailable = %d, want %d", got, want)
	}
	for _, bad := range []string{"", "MemAvailable:\n", "MemAvailable: x kB\n", "MemTotal: 5 kB\n"} {
		if got := memAvailable(bad); got != 0 {
			t.Errorf("memAvailable(%q) = %d, want 0", bad, got)
		}
	}
}

func TestHugeRegion(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		want, available, region int64
	}{
		{400 * mib, 24 << 30, 400 * mib}, // whole 2 MiB pages already
		{401 * mib, 24 << 30, 400 * mib}, // rounded down to a 2 MiB page
		{4 << 30, 2 << 30, 1 << 30},      // half the available memory
		{64 << 30, 256 << 30, 16 << 30},  // capped
		{20 * mib, 24 << 30, 0},          // too small to matter
		{400 * mib, 0, 0},                // /proc/meminfo unreadable
		{100 * mib, 50 * mib, 0},         // half the memory is under 32 MiB
	} {
		if got := hugeRegion(tc.want, tc.available); got != tc.region {
			t.Errorf("hugeRegion(%d, %d) = %d, want %d", tc.want, tc.available, got, tc.region)
		}
	}
}
