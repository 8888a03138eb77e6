import { describe, expect, it } from 'vitest';
import { decodesAsFollowed, splitAtDocumentStarts } from './documentChunks.ts';

describe('splitAtDocumentStarts', () => {
  it('cuts before every document start, with each chunk’s line and offset', () => {
    expect(splitAtDocumentStarts('a: 1\n---\nb: 2\n--- \nc: 3')).toEqual([
      { text: 'a: 1\n', line: 1, start: 0 },
      { text: '---\nb: 2\n', line: 2, start: 5 },
      { text: '--- \nc: 3', line: 4, start: 14 },
    ]);
  });

  it('keeps leading comments with the first document, as the whole file reads them', () => {
    expect(splitAtDocumentStarts('# shop\n\n---\na: 1\n---\nb: 2\n')).toEqual([
      { text: '# shop\n\n---\na: 1\n', line: 1, start: 0 },
      { text: '---\nb: 2\n', line: 5, start: 17 },
    ]);
  });

  it('does not cut at a line that only begins with three dashes', () => {
    expect(splitAtDocumentStarts('a: 1\n---x\n----\n')).toEqual([
      { text: 'a: 1\n---x\n----\n', line: 1, start: 0 },
    ]);
  });

  it('declines a stream with directives, which apply to the documents after them', () => {
    expect(splitAtDocumentStarts('%YAML 1.2\n---\na: 1\n')).toBeUndefined();
    expect(splitAtDocumentStarts('a: 1\n...\n%TAG ! tag:x,2000:\n---\nb: 2\n')).toBeUndefined();
  });
});

describe('decodesAsFollowed', () => {
  it.each([
    { text: 'a: 1\n', last: false, want: false, why: 'a last line with content reads the same either way' },
    {
      text: 'a: 1\n# note\n',
      last: false,
      want: true,
      why: 'a trailing comment reads differently at the end',
    },
    { text: 'a: 1\n\n', last: false, want: true, why: 'a trailing blank line too' },
    { text: 'a: 1\n# note\n', last: true, want: false, why: 'the last chunk is followed by nothing' },
    { text: 'a: 1', last: false, want: false, why: 'no line break: nothing trails the content' },
  ])('$why', ({ text, last, want }) => {
    expect(decodesAsFollowed(text, last)).toBe(want);
  });
});
