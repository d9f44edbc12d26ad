// Preloaded into a process a benchmark starts (node --require bench/usage.cjs ...): on exit it
// writes the process's own CPU time and peak resident memory to stderr, one tagged JSON line, so
// the benchmark can report CPU as well as wall time (on a loaded machine the two differ widely).
'use strict';
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\nAIDR_BENCH_USAGE ${JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMb: u.maxRSS / 1024 })}\n`);
});
