import { describe, expect, it } from 'vitest';
import { CursorSigner } from './cursor.ts';
import { ApiError } from './errors.ts';

const scope = { list: 'tool-calls', projectId: 'p1', filters: { status: 'error', from: 1000 } } as const;

function rejects(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).code).toBe('invalid_cursor');
    return;
  }
  throw new Error('expected the cursor to be rejected');
}

describe('CursorSigner', () => {
  it('when a cursor is passed back unchanged with the same scope, then the store cursor comes out', () => {
    const signer = new CursorSigner();
    const token = signer.wrap(scope, 'store|cursor|ü');
    expect(signer.unwrap(scope, token)).toBe('store|cursor|ü');
    expect(token).not.toContain('store');
  });

  it('when filters are listed in another order or with absent keys, then the cursor still verifies', () => {
    const signer = new CursorSigner();
    const token = signer.wrap(scope, 'c');
    expect(signer.unwrap({ ...scope, filters: { from: 1000, userId: undefined, status: 'error' } }, token)).toBe('c');
  });

  it('when the cursor is used with another project, list or filters, then it is a 400', () => {
    const signer = new CursorSigner();
    const token = signer.wrap(scope, 'c');
    rejects(() => signer.unwrap({ ...scope, projectId: 'p2' }, token));
    rejects(() => signer.unwrap({ ...scope, list: 'trigger-events' }, token));
    rejects(() => signer.unwrap({ ...scope, filters: { status: 'success', from: 1000 } }, token));
  });

  it('when the payload or signature is edited, or the token is garbage, then it is a 400', () => {
    const signer = new CursorSigner();
    const [payload, mac] = signer.wrap(scope, 'c').split('.');
    const forged = `${Buffer.from('other').toString('base64url')}.${mac}`;
    rejects(() => signer.unwrap(scope, forged));
    rejects(() => signer.unwrap(scope, `${payload}.${mac?.slice(0, -2)}AA`));
    for (const garbage of ['', '.', 'abc', 'a.b.c', `${payload}.`, "' OR 1=1 --"])
      rejects(() => signer.unwrap(scope, garbage));
  });

  it('when another process (another secret) made the cursor, then it is a 400; with a shared secret it verifies', () => {
    const token = new CursorSigner().wrap(scope, 'c');
    rejects(() => new CursorSigner().unwrap(scope, token));
    const shared = 'a fixed secret of enough length';
    expect(new CursorSigner(shared).unwrap(scope, new CursorSigner(shared).wrap(scope, 'c'))).toBe('c');
  });

  it('when the secret is too short, then construction fails', () => {
    expect(() => new CursorSigner('short')).toThrow(/at least 16 bytes/);
  });
});
