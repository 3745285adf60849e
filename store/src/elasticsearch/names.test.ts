import { describe, expect, it } from 'vitest';
import { InvalidPrefixError, matchesPattern, resourceNames } from './names.ts';

describe('resourceNames', () => {
  it('when the default prefix is used, then no name falls under the built-in logs/traces/metrics templates', () => {
    const names = resourceNames();
    const all = [
      ...(['trial', 'pro', 'enterprise'] as const).flatMap((p) => [names.logsStream(p), names.toolCallsStream(p)]),
      names.triggerEvents,
      names.projects,
      names.keys,
    ];
    for (const name of all) {
      for (const builtIn of ['logs-*-*', 'traces-*-*', 'metrics-*-*', 'synthetics-*-*']) {
        expect(matchesPattern(builtIn, name), `${name} vs ${builtIn}`).toBe(false);
      }
      expect(name.startsWith('tooltrace-')).toBe(true);
    }
  });

  it('when a plan stream is named, then the read pattern covers it and no other kind', () => {
    const names = resourceNames('tt');
    expect(matchesPattern(names.logsPattern, names.logsStream('pro'))).toBe(true);
    expect(matchesPattern(names.logsPattern, names.toolCallsStream('pro'))).toBe(false);
    expect(matchesPattern(names.toolCallsPattern, names.logsStream('pro'))).toBe(false);
    expect(matchesPattern(names.logsPattern, names.triggerEvents)).toBe(false);
  });

  it.each(['logs', 'logs-x', 'traces-a', 'Tooltrace', '', '-x', 'a b', 'x'.repeat(42)])(
    'when the prefix is %j, then it is refused with a message naming it',
    (prefix) => {
      expect(() => resourceNames(prefix)).toThrow(InvalidPrefixError);
      expect(() => resourceNames(prefix)).toThrow(JSON.stringify(prefix));
    },
  );
});
