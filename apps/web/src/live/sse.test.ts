import { describe, expect, it } from 'vitest';
import { SseParser } from './sse.ts';

describe('SseParser', () => {
  it('parses events split anywhere across chunks', () => {
    const text = 'event: snapshot\ndata: {"a":1}\n\nevent: status\ndata: {"b":2}\n\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = new SseParser();
      const out = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
      expect(out, `cut at ${cut}`).toEqual([
        { event: 'snapshot', data: '{"a":1}' },
        { event: 'status', data: '{"b":2}' },
      ]);
    }
  });

  it('follows the spec: CRLF and CR line ends, comments, multi-line data, default event name', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\r\ndata: one\rdata:two\r\r\n')).toEqual([
      { event: 'message', data: 'one\ntwo' },
    ]);
    // A CR at the end of a chunk waits for a possible LF.
    expect(parser.push('event: x\r')).toEqual([]);
    expect(parser.push('\ndata: y\n\n')).toEqual([{ event: 'x', data: 'y' }]);
    expect(parser.push('event: empty\n\n')).toEqual([]);
  });
});
