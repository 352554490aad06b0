// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time and
// the most inclusive time, as a share of the samples. Usage: tsx bench/support/profile_summary.ts FILE [N]
import { readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

export function summarise(file: string, top = 25): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfileNode[] };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const label = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url
      ? `${url
          .replace(/^file:\/\//, "")
          .split(`${path.sep}node_modules${path.sep}`)
          .pop()}:${lineNumber + 1}`
      : "";
    return `${functionName || "(anonymous)"} ${where}`.trim();
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  // Inclusive time counts a function once per stack, however deep it recurses.
  const walk = (id: number, onStack: Set<string>): number => {
    const node = byId.get(id)!;
    const name = label(node);
    let hits = node.hitCount;
    total += node.hitCount;
    self.set(name, (self.get(name) ?? 0) + node.hitCount);
    const fresh = !onStack.has(name);
    if (fresh) onStack.add(name);
    for (const child of node.children ?? []) hits += walk(child, onStack);
    if (fresh) {
      onStack.delete(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + hits);
    }
    return hits;
  };
  walk(profile.nodes[0].id, new Set());
  const rows = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => `${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name}`)
      .join("\n");
  return `self time:\n${rows(self)}\n\ninclusive time:\n${rows(inclusive)}\n`;
}

if (require.main === module) console.log(summarise(process.argv[2], Number(process.argv[3] ?? 25)));
