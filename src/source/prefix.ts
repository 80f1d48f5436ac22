/** Choice of the prefix of the names the compiler introduces. */

/**
 * The first of `$mh`, `$mh1`, `$mh2`, … that occurs nowhere in `text` nor in any of
 * `escapedNames` (identifiers written with escapes, whose StringValue the text does not show).
 * No source identifier can then equal or shadow a generated name, since all of them start with it.
 */
export function choosePrefix(text: string, escapedNames: readonly string[] | null): string {
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? '$mh' : `$mh${n}`;
    if (text.includes(candidate)) continue;
    if (escapedNames?.some((name) => name.includes(candidate))) continue;
    return candidate;
  }
}

/** True when some escaped identifier spells something containing `prefix`. */
export function prefixClashes(prefix: string, escapedNames: readonly string[] | null): boolean {
  return escapedNames?.some((name) => name.includes(prefix)) ?? false;
}
