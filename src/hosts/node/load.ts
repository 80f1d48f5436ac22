/**
 * The Node host's load stage (resolve → **load** → translate → instantiate): a resolved URL and
 * format become the module's source, read from disk as far as its format needs it, as Node's
 * `defaultLoad` (lib/internal/modules/esm/load.js) does. An ambiguous file's format (a `.js` file
 * without a package "type") is decided here, from its text.
 *
 * A load hook chain (Node's `module.registerHooks({ load })` shape: `load(url, context,
 * nextLoad)`) wraps {@link NodeLoad.load}, which is the chain's last step.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createError } from '../../errors/codes.js';
import { checkAmbiguousExtension } from './resolve/esm.js';
import { stripTypeScriptTypes } from './typescript.js';

/**
 * What a module is translated as (./translators.ts has one translator per format). A TypeScript
 * file is loaded as it is, and its translator strips the types, as in Node.
 */
export type LoadedFormat =
  | 'builtin'
  | 'json'
  | 'commonjs'
  | 'wasm'
  | 'module'
  | 'module-typescript'
  | 'commonjs-typescript'
  | 'text';

/** The load stage's result. */
export interface LoadedModule {
  readonly url: string;
  readonly format: LoadedFormat;
  /**
   * The text (`json`, `module`, `text`, and `commonjs` decided from its text), the bytes
   * (`wasm`), or `undefined`: a built-in has none, and a CommonJS file is read by the CommonJS
   * runtime when it runs.
   */
  readonly source: string | Uint8Array | undefined;
  /** True when a load hook gave it (its text may differ from the file's). */
  readonly fromHooks?: boolean;
  /** A TypeScript text's JavaScript, when this step stripped its types already (to decide its format). */
  readonly code?: string;
}

/** The import being loaded, for error messages. */
export interface LoadContext {
  readonly specifier: string | undefined;
  readonly referrer: string | undefined;
}

/** What the load stage needs from the host. */
export interface NodeLoadParts {
  /** Counts the bytes read for parsing (`modhost run --stats`). */
  countBytes(bytes: number): void;
  /** The format of an ambiguous file, from its text (Node's detect-module rule). */
  detectFormat(url: string, text: string): 'module' | 'commonjs';
  /** The "type" of the package.json that scopes `url`, and that file's path (if there is one). */
  packageScope(url: string): { readonly type: 'module' | 'commonjs' | 'none'; readonly pjsonPath: string | undefined };
}

export interface NodeLoad {
  /**
   * Loads the module at `url` whose resolution gave `format` ('text' for `with { type: 'text' }`;
   * `undefined` when resolution could not tell).
   *
   * @throws ERR_MODULE_NOT_FOUND (the file cannot be read), ERR_UNKNOWN_FILE_EXTENSION (a format
   *   the host does not load)
   */
  load(url: string, format: string | undefined, context: LoadContext): LoadedModule;
}

/** Reads the text of the module at a file: URL. @throws ERR_MODULE_NOT_FOUND */
export function readModuleText(url: string, context: LoadContext): string {
  try {
    return readFileSync(fileURLToPath(url), 'utf8');
  } catch (cause) {
    throw cannotRead(url, context, cause);
  }
}

function readModuleBytes(url: string, context: LoadContext): Uint8Array {
  try {
    return readFileSync(fileURLToPath(url));
  } catch (cause) {
    throw cannotRead(url, context, cause);
  }
}

function cannotRead(url: string, context: LoadContext, cause: unknown): Error {
  const { specifier, referrer } = context;
  return createError(
    'ERR_MODULE_NOT_FOUND',
    `Cannot read module "${url}"${referrer ? ` imported from ${referrer}` : ''}`,
    {
      url,
      specifier,
      referrer,
      cause,
    },
  );
}

/** A `data:` URL module (`data:text/javascript,…`, `data:application/json;base64,…`), as Node loads them. */
function dataModule(url: string, format: string | undefined, context: LoadContext): LoadedModule {
  const comma = url.indexOf(',');
  const header = url.slice(5, comma === -1 ? url.length : comma);
  const body = comma === -1 ? '' : url.slice(comma + 1);
  let text: string;
  try {
    text = header.endsWith(';base64') ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
  } catch (cause) {
    throw createError('ERR_INVALID_MODULE_SPECIFIER', `Invalid data: URL ${url.slice(0, 60)}`, {
      url,
      specifier: context.specifier,
      referrer: context.referrer,
      cause,
    });
  }
  if (format === 'json' || format === 'text') return { url, format, source: text };
  if (format === 'wasm') return { url, format, source: Buffer.from(body, 'base64') };
  return { url, format: 'module', source: text };
}

/** The Node host's default load step. */
export function createNodeLoad(parts: NodeLoadParts): NodeLoad {
  /** package.json files already named by a MODULE_TYPELESS_PACKAGE_JSON warning. */
  const warnedTypeless = new Set<string>();

  function text(url: string, context: LoadContext): string {
    const source = readModuleText(url, context);
    parts.countBytes(source.length);
    return source;
  }

  /**
   * An ambiguous file (no package "type") that its syntax makes an ES module: Node warns once per
   * package.json that names no "type" (not for files under node_modules, nor without a package.json).
   */
  function warnTypeless(url: string): void {
    if (url.includes('/node_modules/')) return;
    const { pjsonPath } = parts.packageScope(url);
    if (pjsonPath === undefined || warnedTypeless.has(pjsonPath)) return;
    warnedTypeless.add(pjsonPath);
    process.emitWarning(
      `Module type of ${url} is not specified and it doesn't parse as CommonJS.\n` +
        'Reparsing as ES module because module syntax was detected. This incurs a performance overhead.\n' +
        `To eliminate this warning, add "type": "module" to ${pjsonPath}.`,
      { code: 'MODULE_TYPELESS_PACKAGE_JSON' },
    );
  }

  /** The format of an ambiguous file from `code`, its JavaScript; warns as Node does. */
  function detect(url: string, code: string): 'module' | 'commonjs' {
    const format = parts.detectFormat(url, code);
    if (format === 'module') warnTypeless(url);
    return format;
  }

  return {
    load(url, format, context) {
      if (!url.startsWith('file:') && !url.startsWith('node:')) {
        if (url.startsWith('data:')) return dataModule(url, format, context);
        throw createError(
          'ERR_UNSUPPORTED_ESM_URL_SCHEME',
          `Cannot load ${url}${context.referrer ? ` imported from ${context.referrer}` : ''}: ` +
            'the Node host loads file:, node: and data: URLs; serve other schemes with a load hook ' +
            '(the hooks option of createNodeHost, or --hooks on the command line)',
          { url, specifier: context.specifier, referrer: context.referrer },
        );
      }
      switch (format) {
        case 'builtin':
          return { url, format, source: undefined };
        case 'commonjs':
          return { url, format, source: undefined };
        case 'json':
        case 'text':
          return { url, format, source: text(url, context) };
        case 'wasm': {
          const bytes = readModuleBytes(url, context);
          parts.countBytes(bytes.length);
          return { url, format, source: bytes };
        }
        case 'module-typescript':
        case 'commonjs-typescript': {
          const source = text(url, context);
          // A `.ts` file without a package "type": its syntax decides, once the types are stripped.
          if (url.startsWith('file:') && /\.ts$/.test(url) && parts.packageScope(url).type === 'none') {
            const code = stripTypeScriptTypes(source, { url });
            return {
              url,
              format: detect(url, code) === 'module' ? 'module-typescript' : 'commonjs-typescript',
              source,
              code,
            };
          }
          return { url, format, source };
        }
        case 'module':
        case undefined: {
          if (format === undefined && url.startsWith('file:')) checkAmbiguousExtension(url);
          const source = text(url, context);
          // An ambiguous file (no package "type"): CommonJS unless its syntax says ES module, as Node decides.
          if (format === undefined && url.startsWith('file:') && detect(url, source) === 'commonjs') {
            return { url, format: 'commonjs', source };
          }
          return { url, format: 'module', source };
        }
        default:
          throw createError('ERR_UNKNOWN_FILE_EXTENSION', `Unknown module format "${format}" for ${url}`, {
            url,
            specifier: context.specifier,
            referrer: context.referrer,
          });
      }
    },
  };
}
