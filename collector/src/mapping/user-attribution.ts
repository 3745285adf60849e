/**
 * Whose call a span is. Our SDK puts `user.id` on every span that has a user;
 * other senders name the user `enduser.id`, and agent frameworks put it once on
 * the agent's `invoke_agent` span rather than on each `execute_tool` under it.
 * So the first of: `user.id`, `enduser.id` on the span; the same two on its
 * nearest ancestor that has one (as far as this request holds the trace); the
 * same two on the resource. A span without its own user is marked so: its
 * ancestors may arrive in another request, and the store then looks them up
 * among the spans it holds (store/src/user-inheritance.ts).
 */
import { USER_ATTRIBUTES } from '@tooltrace/conventions';
import type { OtlpAttributes } from '../otlp/types.ts';
import { attrString } from './attributes.ts';
import type { SpanView } from './span-view.ts';

/** Deep enough for any real span tree; bounds a cycle in hostile input. */
const MAX_ANCESTORS = 256;

export class UserAttribution {
  private readonly byId = new Map<string, SpanView>();

  constructor(views: readonly SpanView[]) {
    for (const v of views) this.byId.set(`${v.traceId}:${v.spanId}`, v);
  }

  /** The span names its user itself; otherwise the store may still find a nearer ancestor's in another request. */
  hasOwnUser(view: SpanView): boolean {
    return userIn(view.attrs) !== null;
  }

  userOf(view: SpanView): string | null {
    const own = userIn(view.attrs);
    if (own) return own;
    let parent = view.parentSpanId;
    for (let depth = 0; parent !== null && depth < MAX_ANCESTORS; depth += 1) {
      const ancestor = this.byId.get(`${view.traceId}:${parent}`);
      if (!ancestor) break;
      const found = userIn(ancestor.attrs);
      if (found) return found;
      parent = ancestor.parentSpanId;
    }
    return userIn(view.resource);
  }
}

function userIn(attrs: OtlpAttributes): string | null {
  for (const name of USER_ATTRIBUTES) {
    const value = attrString(attrs, name);
    if (value) return value;
  }
  return null;
}
