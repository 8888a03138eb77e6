/** One replacement, in UTF-16 offsets of the old text: `old.slice(0, start) + text + old.slice(end)`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Monaco normalises line endings to one EOL per model and drops a leading BOM. */
export function normalizeText(text: string, eol: '\n' | '\r\n'): string {
  const noBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return noBom.replace(/\r\n|\r|\n/g, eol);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * The smallest single replacement turning `before` into `after` (common prefix and suffix kept),
 * or undefined when they are equal. Applying only the changed middle keeps the cursor, folding
 * and decorations outside it where they were, which a whole-document replace would reset. The
 * boundaries never split a surrogate pair or a CRLF, which Monaco could not address.
 */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  const splitsCrlfAt = (text: string, at: number) => text[at - 1] === '\r' && text[at] === '\n';
  if (
    prefix > 0 &&
    (isHighSurrogate(before.charCodeAt(prefix - 1)) ||
      splitsCrlfAt(before, prefix) ||
      splitsCrlfAt(after, prefix))
  ) {
    prefix--;
  }
  let suffix = 0;
  while (
    suffix < max - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  if (
    suffix > 0 &&
    (isLowSurrogate(before.charCodeAt(before.length - suffix)) ||
      splitsCrlfAt(before, before.length - suffix) ||
      splitsCrlfAt(after, after.length - suffix))
  ) {
    suffix--;
  }
  return { start: prefix, end: before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}
