// The results table: one row per figure, ours beside the baseline measured in the same run, the ratio and
// the target (when the issue sets one).

export interface Row {
  figure: string;
  ours: string;
  baseline: string;
  ratio: string;
  /** "≤ 1.20x: met" / "not met" / "" */
  target: string;
}

/** "≤ 1.20x" or "≥ 0.90x" with whether `value` meets it. */
export function target(value: number, bound: number, direction: "max" | "min"): string {
  const met = direction === "max" ? value <= bound : value >= bound;
  return `${direction === "max" ? "≤" : "≥"} ${bound.toFixed(2)}x: ${met ? "met" : "**not met**"}`;
}

export function renderTable(rows: Row[]): string {
  const header = ["figure", "express-liveview", "baseline (same run)", "ratio", "target"];
  const lines = [
    header,
    header.map(() => "---"),
    ...rows.map((r) => [r.figure, r.ours, r.baseline, r.ratio, r.target]),
  ];
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}
