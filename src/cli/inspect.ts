/** `modhost inspect <file>`: a module's static analysis as a table, or JSON. */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ModuleSource, moduleSourceRecordOf } from '../api/module-source.js';
import type { CliOptions } from './main.js';
import { formatUncaught } from './report.js';

function attributesText(attributes: readonly { key: string; value: string }[]): string {
  return attributes.length === 0
    ? ''
    : ` with { ${attributes.map((a) => `${a.key}: ${JSON.stringify(a.value)}`).join(', ')} }`;
}

export async function inspectCommand(file: string, options: CliOptions): Promise<number> {
  const path = resolvePath(file);
  const url = pathToFileURL(path).href;
  let source: ModuleSource;
  try {
    source = new ModuleSource(readFileSync(path, 'utf8'), { url });
  } catch (error) {
    process.stderr.write(formatUncaught(error, 'Uncaught'));
    return 1;
  }
  const record = moduleSourceRecordOf(source, 'source');
  const analysis = {
    url,
    requestedModules: record.requestedModules.map((r) => ({
      specifier: r.specifier,
      attributes: Object.fromEntries(r.attributes.map((a) => [a.key, a.value])),
    })),
    bindings: source.bindings,
    needsImport: record.needsImport,
    needsImportMeta: record.needsImportMeta,
    hasTopLevelAwait: record.hasTLA,
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(analysis, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [`Module ${url}`, '', 'Requested modules:'];
  if (record.requestedModules.length === 0) out.push('  (none)');
  for (const r of record.requestedModules) out.push(`  ${JSON.stringify(r.specifier)}${attributesText(r.attributes)}`);
  out.push('', 'Bindings:');
  if (analysis.bindings.length === 0) out.push('  (none)');
  const rows = analysis.bindings.map((b) => {
    const kind =
      b.import !== undefined
        ? 'import'
        : b.importAllFrom !== undefined
          ? 'import *'
          : b.importFrom !== undefined
            ? 'import (bare)'
            : b.export !== undefined
              ? 'export'
              : 'export *';
    const name = b.import ?? b.export ?? '*';
    const from = b.from ?? b.importAllFrom ?? b.exportAllFrom ?? b.importFrom ?? '';
    return [kind, name, b.as ?? '', from === '' ? '' : JSON.stringify(from)];
  });
  const widths = [0, 1, 2].map((i) => Math.max(0, ...rows.map((r) => r[i]!.length)));
  for (const r of rows) {
    out.push(
      (
        `  ${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ` +
        `${r[2] ? `as ${r[2].padEnd(widths[2]!)}` : ''.padEnd(widths[2]! + 3)}  ${r[3] ? `from ${r[3]}` : ''}`
      ).trimEnd(),
    );
  }
  out.push(
    '',
    `needsImport: ${record.needsImport}`,
    `needsImportMeta: ${record.needsImportMeta}`,
    `top-level await: ${record.hasTLA}`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
