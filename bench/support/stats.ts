// Small statistics and formatting helpers shared by the figures.

/** The value at quantile q (0..1) of the samples, by the nearest-rank method. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export const median = (values: ArrayLike<number>): number => quantile(values, 0.5);

/** `ours / baseline` as "1.07x". */
export const ratio = (ours: number, baseline: number): string => `${(ours / baseline).toFixed(2)}x`;

/** Milliseconds with a precision that suits their size. */
export function ms(value: number): string {
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

/** Microseconds, for CPU time per call. */
export const us = (value: number): string => `${value.toFixed(1)} µs`;

export function bytes(value: number): string {
  if (value >= 1024 * 1024) return `${(value / (1024 * 1024)).toFixed(2)} MB`;
  if (value >= 10 * 1024) return `${(value / 1024).toFixed(1)} KB`;
  return `${Math.round(value)} B`;
}

export const perSecond = (value: number): string => `${Math.round(value).toLocaleString("en-US")}/s`;

export const sleep = (milliseconds: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, milliseconds));
