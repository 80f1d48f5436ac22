/**
 * `modhost graph <entry>`: the resolved module graph, statically (nothing is evaluated), as a
 * tree (cycles marked), JSON or Graphviz dot. ES modules contribute their import requests;
 * CommonJS modules their `require('literal')` calls, as the CommonJS scanner sees them
 * (src/commonjs/scan.ts: calls in dead branches are listed too, computed ids are not), resolved
 * as `require` resolves them. Exit code 1 when some request cannot be resolved.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ModuleSource, moduleSourceRecordOf } from '../api/module-source.js';
import { scanRequires } from '../commonjs/scan.js';
import { createResolver } from '../hosts/node/resolve.js';
import { isTypeScriptFile, stripTypeScriptTypes } from '../hosts/node/typescript.js';
import { formatBySyntax } from './format.js';
import type { CliOptions } from './main.js';
import { entryError, formatCommandError } from './report.js';

/** An edge: an ES import or a CommonJS require. */
interface GraphEdge {
  specifier: string;
  kind: 'import' | 'require';
  attributes: Record<string, string>;
  url?: string;
  error?: string;
}

interface GraphNode {
  url: string;
  format: string;
  imports: GraphEdge[];
}

const DEFAULT_CONDITIONS = ['modhost', 'import', 'node', 'default'];

function display(url: string): string {
  if (!url.startsWith('file:')) return url;
  const rel = relative(process.cwd(), fileURLToPath(url));
  return rel.startsWith('..') ? fileURLToPath(url) : `./${rel}`;
}

/** The JavaScript of a module: its text, with the types stripped for a TypeScript file. */
function readSource(url: string): string {
  const text = readFileSync(fileURLToPath(url), 'utf8');
  return isTypeScriptFile(url) ? stripTypeScriptTypes(text, { url }) : text;
}

/** An ambiguous file (`.js` without package "type"): by its syntax, as Node decides. */
function formatOfFile(url: string): string {
  if (!url.startsWith('file:')) return 'module';
  let text: string;
  try {
    text = readSource(url);
  } catch {
    return 'module'; // reading it again below reports the error
  }
  return formatBySyntax(text, fileURLToPath(url), url);
}

/** `…/node_modules/pkg/…` → `…/node_modules/pkg` (scoped: `@scope/pkg`), for `--collapse node_modules`. */
function packageOf(url: string, folder: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  const path = fileURLToPath(url);
  const marker = `${sep}${folder}${sep}`;
  const at = path.lastIndexOf(marker);
  if (at === -1) return undefined;
  const parts = path.slice(at + marker.length).split(sep);
  const name = parts[0]?.startsWith('@') ? parts.slice(0, 2).join(sep) : parts[0];
  return name === undefined ? undefined : pathToFileURL(path.slice(0, at + marker.length) + name).href;
}

function errorText(error: unknown): string {
  return `${(error as { code?: string }).code ?? 'Error'}: ${(error as Error).message}`;
}

export async function graphCommand(entry: string, options: CliOptions): Promise<number> {
  const conditions = options.conditions ?? DEFAULT_CONDITIONS;
  const resolver = createResolver({
    conditions,
    requireConditions: conditions.map((c) => (c === 'import' ? 'require' : c)),
  });
  const entryPath = resolvePath(entry);
  const entryURL = pathToFileURL(entryPath).href;
  const missing = entryError(entryPath);
  if (missing !== undefined) {
    process.stderr.write(formatCommandError(missing));
    return 1;
  }
  let entryResolved: { url: string; format: string | undefined };
  try {
    entryResolved = resolver.resolve(entryURL, entryURL);
  } catch (error) {
    process.stderr.write(formatCommandError(error));
    return 1;
  }
  // As `modhost run`: a CommonJS program's top-level ids look in its own folder first.
  const roots = [dirname(entryPath)];
  const nodes = new Map<string, GraphNode>();
  const depthOf = new Map<string, number>([[entryResolved.url, 0]]);
  const pending: { url: string; format: string | undefined }[] = [entryResolved];
  let entryFormat: string | undefined;
  // Breadth first, so --depth counts the shortest path from the entry.
  for (let next = 0; next < pending.length; next++) {
    const item = pending[next];
    if (item === undefined || nodes.has(item.url)) continue;
    const { url, format } = item;
    const node: GraphNode = { url, format: format ?? formatOfFile(url), imports: [] };
    // A `.ts` file without a package "type" is decided by its stripped text, as Node's load step does.
    if (node.format === 'module-typescript' && url.endsWith('.ts')) {
      const type = resolver.packageJson.getPackageScopeConfig(url).type;
      if (type === 'none') node.format = `${formatOfFile(url)}-typescript`;
    }
    /** 'module' or 'commonjs' for TypeScript files too. */
    const kind = node.format.replace(/-typescript$/, '');
    nodes.set(url, node);
    entryFormat ??= node.format;
    const depth = depthOf.get(url) ?? 0;
    if (options.depth !== undefined && depth >= options.depth) continue;
    const follow = (edge: GraphEdge, target: { url: string; format: string | undefined }) => {
      // --collapse: a package is one node, whatever file of it is reached; its edges are not followed.
      const pkg = options.collapse === undefined ? undefined : packageOf(target.url, options.collapse);
      if (pkg !== undefined) {
        edge.url = pkg;
        if (!nodes.has(pkg)) nodes.set(pkg, { url: pkg, format: 'package', imports: [] });
        return;
      }
      edge.url = target.url;
      if (!depthOf.has(target.url)) depthOf.set(target.url, depth + 1);
      pending.push(target);
    };
    if (kind === 'module') {
      let record: ReturnType<typeof moduleSourceRecordOf>;
      try {
        record = moduleSourceRecordOf(new ModuleSource(readSource(url), { url }), 'source');
      } catch (error) {
        process.stderr.write(formatCommandError(error));
        return 1;
      }
      for (const request of record.requestedModules) {
        const edge: GraphEdge = {
          specifier: request.specifier,
          kind: 'import',
          attributes: Object.fromEntries(request.attributes.map((a) => [a.key, a.value])),
        };
        try {
          follow(edge, resolver.resolve(request.specifier, url));
        } catch (error) {
          edge.error = errorText(error);
        }
        node.imports.push(edge);
      }
    } else if (kind === 'commonjs' && url.startsWith('file:')) {
      let text: string;
      try {
        text = readSource(url);
      } catch (error) {
        process.stderr.write(formatCommandError(error));
        return 1;
      }
      for (const id of scanRequires(text)) {
        const edge: GraphEdge = { specifier: id, kind: 'require', attributes: {} };
        try {
          const fromCommonJS = entryFormat === 'commonjs' || entryFormat === 'commonjs-typescript';
          const found = resolver.resolveRequire(id, fileURLToPath(url), fromCommonJS ? { roots } : {});
          const target = found.startsWith('/')
            ? pathToFileURL(found).href
            : found.startsWith('node:')
              ? found
              : `node:${found}`;
          follow(edge, {
            url: target,
            format: target.startsWith('node:') ? 'builtin' : requireFormat(resolver, target),
          });
        } catch (error) {
          edge.error = errorText(error);
        }
        node.imports.push(edge);
      }
    }
  }
  const unresolved = [...nodes.values()].flatMap((node) =>
    node.imports.filter((edge) => edge.error !== undefined).map((edge) => ({ from: node.url, edge })),
  );
  writeGraph(nodes, entryResolved.url, options);
  if (unresolved.length > 0) {
    const lines = unresolved.map(
      ({ from, edge }) => `  ${display(from)}: ${edge.kind} ${JSON.stringify(edge.specifier)}: ${edge.error}`,
    );
    process.stderr.write(`${unresolved.length} unresolved:\n${lines.join('\n')}\n`);
    return 1;
  }
  return 0;
}

/** The format `require` loads a file in: by extension and package "type", else by syntax. */
function requireFormat(resolver: ReturnType<typeof createResolver>, url: string): string | undefined {
  try {
    const format = resolver.resolve(url, url).format;
    return format === undefined ? undefined : format;
  } catch {
    return undefined;
  }
}

function writeGraph(nodes: Map<string, GraphNode>, entryURL: string, options: CliOptions): void {
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ entry: entryURL, modules: [...nodes.values()] }, null, 2)}\n`);
    return;
  }
  if (options.dot) {
    const lines = ['digraph modules {', '  node [shape=box];'];
    for (const node of nodes.values()) {
      lines.push(`  ${JSON.stringify(display(node.url))};`);
      for (const edge of node.imports)
        if (edge.url)
          lines.push(
            `  ${JSON.stringify(display(node.url))} -> ` +
              `${JSON.stringify(display(edge.url))}${edge.kind === 'require' ? ' [style=dashed]' : ''};`,
          );
    }
    lines.push('}');
    process.stdout.write(`${lines.join('\n')}\n`);
    return;
  }
  const out: string[] = [display(entryURL)];
  const onPath = new Set<string>([entryURL]);
  const printed = new Set<string>([entryURL]);
  const walk = (url: string, prefix: string): void => {
    const node = nodes.get(url);
    if (node === undefined) return;
    node.imports.forEach((edge, index) => {
      const last = index === node.imports.length - 1;
      const branch = `${prefix}${last ? '└─ ' : '├─ '}`;
      const childPrefix = `${prefix}${last ? '   ' : '│  '}`;
      const via = edge.kind === 'require' ? '  (require)' : '';
      if (edge.url === undefined) {
        out.push(`${branch}${edge.specifier}  ✗ ${edge.error}${via}`);
        return;
      }
      const target = nodes.get(edge.url);
      const format = target !== undefined && target.format !== 'module' ? `  [${target.format}]` : '';
      if (onPath.has(edge.url)) {
        out.push(`${branch}${display(edge.url)}  ↺ cycle${via}`);
      } else if (printed.has(edge.url)) {
        out.push(`${branch}${display(edge.url)}${format}${via}  (see above)`);
      } else {
        printed.add(edge.url);
        out.push(`${branch}${display(edge.url)}${format}${via}`);
        onPath.add(edge.url);
        walk(edge.url, childPrefix);
        onPath.delete(edge.url);
      }
    });
  };
  walk(entryURL, '');
  out.push('', `${nodes.size} modules`);
  process.stdout.write(`${out.join('\n')}\n`);
}
