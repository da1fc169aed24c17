// Summarizes a V8 .cpuprofile: self time by function and by package/file, for finding hot spots.
// Usage: node --import tsx bench/lib/profile-summary.ts file.cpuprofile [top]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export function summarizeProfile(file: string, top = 30) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/\/work\/main\//, '')}:${lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url.replace(/^.*\.pnpm\/[^/]+\/node_modules\//, 'node_modules/'));
    const group = m ? m[1] : url.startsWith('node:') ? 'node:*' : url ? url.replace(/^file:\/\/\/work\/main\//, '') : `(${functionName || 'native'})`;
    pkg.set(group, (pkg.get(group) ?? 0) + us);
  }
  const fmt = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`).join('\n');
  return `total sampled ${(total / 1000).toFixed(0)} ms\n--- by package/file ---\n${fmt(pkg)}\n--- by function ---\n${fmt(fn)}`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  console.log(summarizeProfile(process.argv[2], Number(process.argv[3] ?? 30)));
}
