import { describe, expect, it } from 'vitest';
import { matchToolRoute, parseToolRoutes, readSource } from './tool-routes.ts';

const ROUTES = JSON.stringify([
  { route: 'POST /actions', type: 'run_tool', toolName: 'body.action', userId: 'header.x-user-id' },
  { route: 'get /tools/:integration', type: 'list_tools', integration: 'params.integration', userId: '=anonymous' },
]);

describe('TOOLTRACE_TOOL_ROUTES', () => {
  it('when routes are parsed, then requests match by method and path, with :name segments', () => {
    const routes = parseToolRoutes(ROUTES);
    expect(matchToolRoute(routes, 'POST', '/actions?x=1')?.route.type).toBe('run_tool');
    expect(matchToolRoute(routes, 'GET', '/actions')).toBeNull();
    expect(matchToolRoute(routes, 'GET', '/tools/slack%20eu')).toMatchObject({
      route: { type: 'list_tools' },
      params: { integration: 'slack eu' },
    });
    expect(matchToolRoute(routes, 'GET', '/tools/slack/extra')).toBeNull();
  });

  it('when a source is read, then body paths, headers, query, params and fixed text resolve', () => {
    const request = {
      headers: { 'x-user-id': 'u-1' },
      query: new URLSearchParams('tool=A'),
      params: { integration: 'slack' },
      body: { action: 'SLACK_SEND_MESSAGE', nested: { id: 7 } },
    };
    expect(readSource('body.action', request)).toBe('SLACK_SEND_MESSAGE');
    expect(readSource('body.nested.id', request)).toBe(7);
    expect(readSource('body.missing.id', request)).toBeUndefined();
    expect(readSource('header.X-User-Id', request)).toBe('u-1');
    expect(readSource('query.tool', request)).toBe('A');
    expect(readSource('params.integration', request)).toBe('slack');
    expect(readSource('=fixed', request)).toBe('fixed');
  });

  it('when the value is wrong, then the error names the variable, the entry and the field', () => {
    expect(() => parseToolRoutes('{')).toThrow(/^TOOLTRACE_TOOL_ROUTES must be a JSON array of routes: /);
    expect(() => parseToolRoutes('{}')).toThrow('TOOLTRACE_TOOL_ROUTES must be a JSON array of routes');
    expect(() => parseToolRoutes('[{"route":"/actions","type":"run_tool"}]')).toThrow(
      'TOOLTRACE_TOOL_ROUTES[0].route must look like "POST /actions", got "/actions"',
    );
    expect(() => parseToolRoutes('[{"route":"POST /a","type":"call"}]')).toThrow(
      'TOOLTRACE_TOOL_ROUTES[0].type must be "run_tool" or "list_tools", got "call"',
    );
    expect(() => parseToolRoutes('[{"route":"POST /a","type":"run_tool","userId":"cookie.sid"}]')).toThrow(
      /TOOLTRACE_TOOL_ROUTES\[0\]\.userId must be body.<path>, header.<name>/,
    );
  });
});
