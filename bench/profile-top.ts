import { readFileSync } from 'node:fs';

/**
 * `npx tsx bench/profile-top.ts FILE.cpuprofile [N]`: the hottest functions of a
 * `node --cpu-prof` profile by self time, and the same summed per file, to find what to fix.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, top = '25'] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: profile-top FILE.cpuprofile [N]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMs = new Map<number, number>();
profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);

function tally(keyOf: (n: ProfileNode) => string): [string, number][] {
  const sums = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const key = keyOf(node);
    sums.set(key, (sums.get(key) ?? 0) + ms);
  }
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
}

const shortUrl = (url: string) => url.replace(/^file:\/\/.*?\/(node_modules|shared|bench|functions|infra)\//, '$1/');
const print = (title: string, rows: [string, number][]) => {
  console.log(`\n${title} (total ${Math.round(total)} ms)`);
  for (const [key, ms] of rows) console.log(`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${key}`);
};
print('by function, self time', tally((n) => `${n.callFrame.functionName || '(anonymous)'}  ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`));
print('by file, self time', tally((n) => shortUrl(n.callFrame.url) || `(${n.callFrame.functionName})`));
