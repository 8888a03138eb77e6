/**
 * A cheap, parser-free look at how deep a YAML (or JSON) document nests, so that hostile input
 * is refused before the recursive `yaml` parser sees it: past a few thousand levels the parser
 * exhausts the stack, and so do the walks over its tree.
 */

/** What {@link scanNesting} found. */
export interface NestingScan {
  /** Offset where the nesting first went past the limit; undefined when it stays within it. */
  tooDeep: number | undefined;
  /**
   * Flow collections (`[`, `{`) and quoted scalars still open at the end of the text, outermost
   * first. Complete only when `tooDeep` is undefined.
   */
  unclosed: { offset: number; opener: string }[];
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r';
const endsToken = (c: string | undefined) => c === undefined || c === '\n' || isBlank(c);

/**
 * Measures nesting as a reader of the text would: one level per open flow bracket, one per block
 * indicator (`- `, `? `, `key: `) on a line, on top of the levels of the less indented lines
 * above. Quoted scalars, comments and block scalars (`|`, `>`) hold no structure and are skipped.
 * The count stays close to the parser's: at worst it over-counts plain scalars that contain
 * indicators, by a level or two, which no real manifest gets near the limit with.
 */
export function scanNesting(text: string, limit: number): NestingScan {
  const flow: { offset: number; opener: string }[] = [];
  /**
   * The block collections that hold the current line: the column their entries start at (a
   * sequence's `-`, a map's keys) and their nesting. An open key (nothing after its `:`) may
   * have a sequence at its own column as value.
   */
  const blocks: { indent: number; depth: number; openKey: boolean }[] = [];
  let quote: { offset: number; opener: string } | undefined;
  /** Lines indented more than this belong to a block scalar. */
  let blockScalarIndent: number | undefined;
  /** Block nesting of the line being read; a line inside a flow collection keeps its opener's. */
  let depth = 0;
  let pos = 0;
  while (pos <= text.length) {
    const newline = text.indexOf('\n', pos);
    const end = newline === -1 ? text.length : newline;
    let i = pos;
    while (text[i] === ' ') i++;
    const indent = i - pos;
    let first = i;
    while (first < end && isBlank(text[first])) first++;
    const blank = first >= end || text[first] === '#';
    if (blockScalarIndent !== undefined && (blank || indent > blockScalarIndent)) {
      pos = end + 1;
      continue;
    }
    blockScalarIndent = undefined;
    const inBlock = !quote && flow.length === 0;
    if (inBlock) {
      if (blank || text[pos] === '%' || text.startsWith('...', pos)) {
        pos = end + 1;
        continue;
      }
      const item = text[i] === '-' && endsToken(text[i + 1]);
      for (let top = blocks.at(-1); top && top.indent >= indent; top = blocks.at(-1)) {
        if (item && top.indent === indent && top.openKey) break;
        blocks.pop();
      }
      depth = blocks.at(-1)?.depth ?? 0;
      // A document start line's content (`--- |`, `--- {...}`) is read like any value.
      if (indent === 0 && text.startsWith('---', pos) && endsToken(text[pos + 3])) i = pos + 3;
    } else {
      i = pos;
    }
    let valueStart = inBlock;
    /** Where the scalar being read began: a key's column, when a `:` follows it. */
    let keyColumn = i - pos;
    let lastKey: (typeof blocks)[number] | undefined;
    for (; i < end; i++) {
      const c = text[i]!;
      if (quote) {
        if (quote.opener === '"' && c === '\\') i++;
        else if (quote.opener === "'" && c === "'" && text[i + 1] === "'") i++;
        else if (c === quote.opener) quote = undefined;
        continue;
      }
      if (isBlank(c)) continue;
      const previous = text[i - 1];
      if (c === '#' && (i === pos || isBlank(previous))) break;
      const tokenStart = i === pos || isBlank(previous) || '[{,:'.includes(previous ?? '');
      if (flow.length > 0) {
        if (c === '[' || c === '{') {
          flow.push({ offset: i, opener: c });
          if (depth + flow.length > limit) return { tooDeep: i, unclosed: [] };
        } else if (c === ']' || c === '}') {
          flow.pop();
          valueStart = false;
        } else if ((c === '"' || c === "'") && tokenStart) {
          quote = { offset: i, opener: c };
        }
        continue;
      }
      if (valueStart) {
        if (lastKey) lastKey.openKey = false;
        lastKey = undefined;
        if ((c === '-' || c === '?' || c === ':') && endsToken(text[i + 1])) {
          depth++;
          if (depth > limit) return { tooDeep: i, unclosed: [] };
          if (inBlock) blocks.push({ indent: i - pos, depth, openKey: false });
        } else if (c === '[' || c === '{') {
          flow.push({ offset: i, opener: c });
          if (depth + flow.length > limit) return { tooDeep: i, unclosed: [] };
        } else if (c === '"' || c === "'") {
          quote = { offset: i, opener: c };
          keyColumn = i - pos;
          valueStart = false;
        } else if (c === '|' || c === '>') {
          blockScalarIndent = indent;
          break;
        } else if (c === '&' || c === '!' || c === '*') {
          keyColumn = i - pos;
          while (i + 1 < end && !isBlank(text[i + 1])) i++;
          valueStart = c !== '*';
        } else {
          keyColumn = i - pos;
          valueStart = false;
        }
      } else if (c === ':' && endsToken(text[i + 1])) {
        depth++;
        if (depth > limit) return { tooDeep: i, unclosed: [] };
        if (inBlock) {
          lastKey = { indent: keyColumn, depth, openKey: true };
          blocks.push(lastKey);
        }
        valueStart = true;
      }
    }
    pos = end + 1;
  }
  return { tooDeep: undefined, unclosed: quote ? [...flow, quote] : flow };
}
