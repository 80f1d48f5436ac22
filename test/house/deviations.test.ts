/**
 * The deviation markers in src/ and ARCHITECTURE.md's tables of deviations agree both ways, and
 * every marker has the one spelling `DEVIATION(marker): why` (so `grep -rn 'DEVIATION(' src`
 * finds them all).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out.sort();
}

/** Every occurrence of the word in src/: its marker (or null when misspelt) and where it is. */
function occurrences(): { marker: string | null; at: string }[] {
  const found: { marker: string | null; at: string }[] = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const m of line.matchAll(/DEVIATION/g)) {
        const rest = line.slice(m.index);
        // The convention itself, as the Node resolver's header describes it.
        if (rest.startsWith('DEVIATION(<')) continue;
        const spelt = /^DEVIATION\(([^()]+)\): \S/.exec(rest);
        found.push({ marker: spelt === null ? null : spelt[1]!, at: `${relative(root, file)}:${i + 1}` });
      }
    });
  }
  return found;
}

/** The first cells of the tables under ARCHITECTURE.md's "Deviations from the spec texts". */
function tableMarkers(): string[] {
  const text = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');
  const start = text.indexOf('## Deviations from the spec texts');
  assert.ok(start >= 0, 'ARCHITECTURE.md has a "Deviations from the spec texts" section');
  const next = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);
}

describe('deviation markers', () => {
  it('have one spelling: DEVIATION(marker): why', () => {
    const misspelt = occurrences()
      .filter((o) => o.marker === null)
      .map((o) => o.at);
    assert.deepEqual(misspelt, []);
  });

  it('are unique', () => {
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const o of occurrences()) {
      if (o.marker === null) continue;
      const first = seen.get(o.marker);
      if (first !== undefined) duplicates.push(`${o.marker}: ${first} and ${o.at}`);
      else seen.set(o.marker, o.at);
    }
    assert.deepEqual(duplicates, []);
  });

  it('each has its row in ARCHITECTURE.md, and each row its marker in src/', () => {
    const inCode = new Map(occurrences().flatMap((o) => (o.marker === null ? [] : [[o.marker, o.at] as const])));
    const inTable = tableMarkers();
    assert.ok(inTable.length > 0);
    const withoutRow = [...inCode].filter(([marker]) => !inTable.includes(marker)).map(([m, at]) => `${m} (${at})`);
    const withoutMarker = inTable.filter((marker) => !inCode.has(marker));
    assert.deepEqual(withoutRow, [], 'markers in src/ missing from the table');
    assert.deepEqual(withoutMarker, [], 'rows of the table with no marker in src/');
    assert.equal(new Set(inTable).size, inTable.length, 'one row per marker');
  });
});
