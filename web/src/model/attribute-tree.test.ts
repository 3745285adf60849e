import { describe, expect, it } from 'vitest';
import { prettyBody, toAttributeTree } from './attribute-tree.ts';

describe('attributes → tree', () => {
  it('when keys share dotted prefixes, then they nest, sorted', () => {
    const tree = toAttributeTree({
      'http.response.status_code': 403,
      'http.request.method': 'POST',
      'user.id': 'u1',
    });
    expect(tree.map((n) => n.key)).toEqual(['http', 'user']);
    const http = tree[0]!;
    expect(http.children?.map((n) => n.key)).toEqual(['request', 'response']);
    expect(http.children?.[1]?.children?.[0]).toEqual({
      key: 'status_code',
      path: 'http.response.status_code',
      value: '403',
      valueType: 'number',
    });
  });

  it('when a value is JSON text, then it expands into its fields', () => {
    const [node] = toAttributeTree({ args: '{"channel":"#general","ids":[1,2]}' });
    expect(node?.valueType).toBe('json');
    expect(node?.children?.map((c) => c.key)).toEqual(['channel', 'ids']);
    expect(node?.children?.[1]?.children?.map((c) => c.value)).toEqual(['1', '2']);
  });

  it('when a key is both a value and a prefix, then neither is lost', () => {
    const [node] = toAttributeTree({ 'a.b': 1, 'a.b.c': 2 });
    const b = node?.children?.[0];
    expect(b?.children?.map((c) => [c.key, c.value])).toEqual([
      ['(value)', '1'],
      ['c', '2'],
    ]);
  });

  it('when bodies are shown, then JSON is pretty-printed and other text left alone', () => {
    expect(prettyBody('{"ok":false}')).toBe('{\n  "ok": false\n}');
    expect(prettyBody('<html>502</html>')).toBe('<html>502</html>');
  });
});
