#!/usr/bin/env node
import { readFile, stat } from 'node:fs/promises';
// A tiny static file server for the browser demo, tests and benchmarks. It listens on 127.0.0.1
// (an ephemeral port unless one is given), serves files with their JavaScript/JSON/HTML MIME
// types and `Cache-Control: no-store` (every run fetches again, so timings are comparable), and
// can add response headers (a Content-Security-Policy, say), delay chosen paths, and record the
// requests it saw.
//
//   node scripts/serve.mjs [root] [--port N] [--mount /prefix/=dir]... [--header "Name: value"]...
//     [--csp "policy"] [--max-age S]
//
// As a module: `const server = await startServer({ root, mounts, headers, headersFor, delayFor })`
// → `{ url, port, requests, close() }`.
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Starts the server.
 * @param {object} options
 * @param {string} [options.root] directory served at `/` (default: the working directory)
 * @param {Record<string, string>} [options.mounts] URL prefix (starting and ending with `/`) →
 *   directory; the longest prefix wins over `root`
 * @param {Record<string, string>} [options.headers] headers added to every response
 * @param {(path: string) => Record<string, string> | undefined} [options.headersFor] extra headers per URL path
 * @param {(path: string) => number | undefined} [options.delayFor] milliseconds to wait before answering a URL path
 * @param {Record<string, string | { body: string, type?: string, status?: number }>}
 *   [options.routes] fixed answers by URL path
 * @param {(path: string) => string | { body: string, type?: string, status?: number } | undefined}
 *   [options.handler] computed answers (after routes, before files)
 * @param {number} [options.maxAge] seconds browsers may cache answers (default: none, `Cache-Control: no-store`)
 * @param {number} [options.port] default 0 (ephemeral)
 * @returns {Promise<{ url: string, port: number, requests: string[], close(): Promise<void> }>}
 */
export async function startServer(options = {}) {
  const root = resolve(options.root ?? process.cwd());
  const mounts = Object.entries(options.mounts ?? {})
    .map(([prefix, dir]) => [prefix, resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const headers = options.headers ?? {};
  const requests = [];
  const cacheControl = options.maxAge ? `max-age=${options.maxAge}` : 'no-store';

  function fileFor(pathname) {
    for (const [prefix, dir] of mounts) {
      if (pathname.startsWith(prefix)) return inside(dir, pathname.slice(prefix.length));
    }
    return inside(root, pathname.slice(1));
  }

  const server = createServer(async (request, response) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      return send(response, 400, 'text/plain; charset=utf-8', 'bad request', headers);
    }
    requests.push(pathname);
    const delay = options.delayFor?.(pathname);
    if (delay) await new Promise((done) => setTimeout(done, delay));
    const extra = { ...headers, ...(options.headersFor?.(pathname) ?? {}) };
    const route = options.routes?.[pathname] ?? options.handler?.(pathname);
    if (route !== undefined) {
      const r = typeof route === 'string' ? { body: route } : route;
      return send(
        response,
        r.status ?? 200,
        r.type ?? MIME[extname(pathname)] ?? 'text/plain; charset=utf-8',
        r.body,
        extra,
        request.method,
        cacheControl,
      );
    }
    let file = fileFor(pathname);
    if (file === null) return send(response, 403, 'text/plain; charset=utf-8', 'forbidden', extra);
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      send(response, 200, MIME[extname(file)] ?? 'application/octet-stream', body, extra, request.method, cacheControl);
    } catch {
      send(response, 404, 'text/plain; charset=utf-8', `not found: ${pathname}`, extra, request.method);
    }
  });
  // Benchmarks open many connections in a burst; keep them alive between requests.
  server.keepAliveTimeout = 30_000;
  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', done);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    requests,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections?.();
        server.close(() => done());
      }),
  };
}

/** `dir` joined with `relative`, or null when the result would leave `dir` (path traversal). */
function inside(dir, relative) {
  const file = resolve(dir, relative);
  return file === dir || file.startsWith(dir + sep) ? file : null;
}

function send(response, status, type, body, headers, method = 'GET', cacheControl = 'no-store') {
  response.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': cacheControl,
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(method === 'HEAD' ? undefined : body);
}

function parseCli(argv) {
  const options = { headers: {}, mounts: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--port') options.port = Number(value());
    else if (arg === '--csp') options.headers['Content-Security-Policy'] = value();
    else if (arg === '--max-age') options.maxAge = Number(value());
    else if (arg === '--header') {
      const text = value();
      const colon = text.indexOf(':');
      if (colon <= 0) throw new Error(`--header wants "Name: value", got "${text}"`);
      options.headers[text.slice(0, colon).trim()] = text.slice(colon + 1).trim();
    } else if (arg === '--mount') {
      const text = value();
      const eq = text.indexOf('=');
      if (eq <= 0) throw new Error(`--mount wants /prefix/=dir, got "${text}"`);
      options.mounts[text.slice(0, eq)] = text.slice(eq + 1);
    } else if (arg === '-h' || arg === '--help') {
      process.stdout.write(
        'Usage: node scripts/serve.mjs [root] [--port N] [--mount /prefix/=dir]... [--header "Name: value"]... ' +
          '[--csp "policy"] [--max-age S]\n',
      );
      process.exit(0);
    } else if (options.root === undefined && !arg.startsWith('-')) options.root = arg;
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const options = parseCli(process.argv.slice(2));
    const server = await startServer(options);
    process.stdout.write(`serving ${options.root ?? process.cwd()} at ${server.url}\n`);
  } catch (error) {
    process.stderr.write(`serve: ${error.message}\n`);
    process.exit(2);
  }
}

export const SCRIPT_PATH = fileURLToPath(import.meta.url);
