/**
 * `modhost inspect <file>`: a module's static analysis as a table, or JSON. An ES module shows
 * its requests, bindings and flags; a CommonJS file (by Node's rule, as `modhost run` decides)
 * its form (plain or `define(...)`) and the `require('literal')` ids the CommonJS scanner finds.
 */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ModuleSource, moduleSourceRecordOf } from '../api/module-source.js';
import { detectWrapperForm, scanRequires } from '../commonjs/scan.js';
import { createResolver } from '../hosts/node/resolve.js';
import { isTypeScriptFile, stripTypeScriptTypes } from '../hosts/node/typescript.js';
import { formatBySyntax } from './format.js';
import type { CliOptions } from './main.js';
import { entryError, formatCommandError } from './report.js';

function attributesText(attributes: readonly { key: string; value: string }[]): string {
  return attributes.length === 0
    ? ''
    : ` with { ${attributes.map((a) => `${a.key}: ${JSON.stringify(a.value)}`).join(', ')} }`;
}

/** Node's format for the file: extension and package "type", else (an ambiguous `.js`) its syntax. */
function formatOf(path: string, url: string, text: string): string {
  const resolver = createResolver();
  let format: string | undefined;
  try {
    format = resolver.resolve(url, url).format;
  } catch {
    format = undefined;
  }
  // (A `.ts` file without a package "type" is decided by its syntax, as a `.js` file is.)
  const typedScope = () => resolver.packageJson.getPackageScopeConfig(url).type !== 'none';
  if (format !== undefined && !(format === 'module-typescript' && path.endsWith('.ts') && !typedScope())) {
    return format;
  }
  return formatBySyntax(text, path, url);
}

function inspectCommonJS(url: string, text: string, options: CliOptions): number {
  const form = detectWrapperForm(text);
  const requires = scanRequires(text);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ url, format: 'commonjs', form, requires }, null, 2)}\n`);
    return 0;
  }
  const out = [
    `CommonJS module ${url}`,
    '',
    `Form: ${form === 'plain' ? 'plain (Node style)' : 'define(...) wrapper'}`,
    '',
    'Requires:',
  ];
  if (requires.length === 0) out.push('  (none)');
  for (const id of requires) out.push(`  ${JSON.stringify(id)}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

export async function inspectCommand(file: string, options: CliOptions): Promise<number> {
  const path = resolvePath(file);
  const url = pathToFileURL(path).href;
  const missing = entryError(path);
  if (missing !== undefined) {
    process.stderr.write(formatCommandError(missing));
    return 1;
  }
  let source: ModuleSource;
  try {
    const typed = readFileSync(path, 'utf8');
    const text = isTypeScriptFile(path) ? stripTypeScriptTypes(typed, { url }) : typed;
    const format = formatOf(path, url, text);
    if (format === 'commonjs' || format === 'commonjs-typescript') return inspectCommonJS(url, text, options);
    source = new ModuleSource(text, { url });
  } catch (error) {
    process.stderr.write(formatCommandError(error));
    return 1;
  }
  const record = moduleSourceRecordOf(source, 'source');
  const analysis = {
    url,
    format: 'module',
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
  const rows = analysis.bindings.map((b): [string, string, string, string] => {
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
  const width = (column: 0 | 1 | 2) => Math.max(0, ...rows.map((r) => r[column].length));
  const [kindWidth, nameWidth, asWidth] = [width(0), width(1), width(2)];
  for (const [kind, name, as, from] of rows) {
    out.push(
      (
        `  ${kind.padEnd(kindWidth)}  ${name.padEnd(nameWidth)}  ` +
        `${as ? `as ${as.padEnd(asWidth)}` : ''.padEnd(asWidth + 3)}  ${from ? `from ${from}` : ''}`
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
