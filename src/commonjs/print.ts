/**
 * The `print` global of the CommonJS article's V8 host, for use through the `globals` option: objects
 * (other than functions) print as JSON, everything else as its string conversion, one line each.
 */

/**
 * Creates a `print(value)` that writes one line through `write`.
 *
 * @example
 * const lines: string[] = [];
 * createCommonJS({ loader, globals: { print: createPrint((line) => lines.push(line)) } });
 */
export function createPrint(write: (line: string) => void): (value: unknown) => void {
  return function print(value: unknown): void {
    if (typeof value === 'object' && value !== null) write(JSON.stringify(value) ?? String(value));
    else write(String(value));
  };
}
