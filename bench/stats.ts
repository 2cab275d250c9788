/** Small statistics helpers shared by the benchmarks: percentiles and formatted figures. */

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function summary(values: number[], unit = 'ms', digits = 2): string {
  return `p50 ${percentile(values, 50).toFixed(digits)} ${unit}, p95 ${percentile(values, 95).toFixed(digits)} ${unit}, p99 ${percentile(values, 99).toFixed(digits)} ${unit} (n=${values.length})`;
}
