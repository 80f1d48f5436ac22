/**
 * `modhost graph <entry>`: the resolved module graph, statically (nothing is evaluated), as a
 * tree (cycles marked), JSON or Graphviz dot.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ModuleSource, moduleSourceRecordOf } from '../api/module-source.js';
import { detectFormatOfText } from '../hosts/node/detect-format.js';
import { createResolver } from '../hosts/node/resolve.js';
import type { CliOptions } from './main.js';
import { formatUncaught } from './report.js';

interface GraphNode {
  url: string;
  format: string;
  imports: { specifier: string; attributes: Record<string, string>; url?: string; error?: string }[];
}

function display(url: string): string {
  if (!url.startsWith('file:')) return url;
  const rel = relative(process.cwd(), fileURLToPath(url));
  return rel.startsWith('..') ? fileURLToPath(url) : `./${rel}`;
}

/** An ambiguous file (`.js` without package "type"): CommonJS unless its syntax says ES module, as Node decides. */
function formatBySyntax(url: string): string {
  if (!url.startsWith('file:')) return 'module';
  let text: string;
  try {
    text = readFileSync(fileURLToPath(url), 'utf8');
  } catch {
    return 'module'; // reading it again below reports the error
  }
  return detectFormatOfText(text, fileURLToPath(url), () => {
    try {
      new ModuleSource(text, { url });
      return true;
    } catch {
      return false;
    }
  });
}

export async function graphCommand(entry: string, options: CliOptions): Promise<number> {
  const resolver = createResolver({ conditions: options.conditions ?? ['modhost', 'import', 'node', 'default'] });
  const entryURL = pathToFileURL(resolvePath(entry)).href;
  const nodes = new Map<string, GraphNode>();
  let entryResolved: { url: string; format: string | undefined };
  try {
    entryResolved = resolver.resolve(entryURL, entryURL);
  } catch (error) {
    process.stderr.write(formatUncaught(error, 'Uncaught'));
    return 1;
  }
  const pending: { url: string; format: string | undefined }[] = [entryResolved];
  while (pending.length > 0) {
    const { url, format } = pending.pop()!;
    if (nodes.has(url)) continue;
    const node: GraphNode = { url, format: format ?? formatBySyntax(url), imports: [] };
    nodes.set(url, node);
    if (node.format !== 'module') continue;
    let record: ReturnType<typeof moduleSourceRecordOf>;
    try {
      record = moduleSourceRecordOf(new ModuleSource(readFileSync(fileURLToPath(url), 'utf8'), { url }), 'source');
    } catch (error) {
      process.stderr.write(formatUncaught(error, 'Uncaught'));
      return 1;
    }
    for (const request of record.requestedModules) {
      const item: GraphNode['imports'][number] = {
        specifier: request.specifier,
        attributes: Object.fromEntries(request.attributes.map((a) => [a.key, a.value])),
      };
      try {
        const target = resolver.resolve(request.specifier, url);
        item.url = target.url;
        pending.push(target);
      } catch (error) {
        item.error = `${(error as { code?: string }).code ?? 'Error'}: ${(error as Error).message}`;
      }
      node.imports.push(item);
    }
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ entry: entryResolved.url, modules: [...nodes.values()] }, null, 2)}\n`);
    return 0;
  }
  if (options.dot) {
    const lines = ['digraph modules {', '  node [shape=box];'];
    for (const node of nodes.values()) {
      lines.push(`  ${JSON.stringify(display(node.url))};`);
      for (const item of node.imports)
        if (item.url) lines.push(`  ${JSON.stringify(display(node.url))} -> ${JSON.stringify(display(item.url))};`);
    }
    lines.push('}');
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  }
  const out: string[] = [display(entryResolved.url)];
  const onPath = new Set<string>([entryResolved.url]);
  const printed = new Set<string>([entryResolved.url]);
  const walk = (url: string, prefix: string): void => {
    const node = nodes.get(url)!;
    node.imports.forEach((item, index) => {
      const last = index === node.imports.length - 1;
      const branch = `${prefix}${last ? '└─ ' : '├─ '}`;
      const childPrefix = `${prefix}${last ? '   ' : '│  '}`;
      if (item.url === undefined) {
        out.push(`${branch}${item.specifier}  ✗ ${item.error}`);
      } else if (onPath.has(item.url)) {
        out.push(`${branch}${display(item.url)}  ↺ cycle`);
      } else if (printed.has(item.url)) {
        out.push(`${branch}${display(item.url)}  (see above)`);
      } else {
        printed.add(item.url);
        const format = nodes.get(item.url)!.format;
        out.push(`${branch}${display(item.url)}${format === 'module' ? '' : `  [${format}]`}`);
        onPath.add(item.url);
        walk(item.url, childPrefix);
        onPath.delete(item.url);
      }
    });
  };
  walk(entryResolved.url, '');
  out.push('', `${nodes.size} modules`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
