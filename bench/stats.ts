// Small statistics helpers shared by the benchmarks: median, p95, mean of a sample.
export interface Summary {
  n: number;
  median: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
}

export function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
  return { n: s.length, median: at(0.5), p95: at(0.95), mean: s.reduce((a, b) => a + b, 0) / (s.length || 1), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

export function fmt(x: Summary, unit = 'ms'): string {
  const f = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
  return `median ${f(x.median)} ${unit}, p95 ${f(x.p95)} ${unit} (n=${x.n}, min ${f(x.min)}, max ${f(x.max)})`;
}
