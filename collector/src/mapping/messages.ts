/**
 * One readable line per log entry, the way an on-call engineer would say it:
 * `POST https://slack.com/api/chat.postMessage → 403`,
 * `run_tool SLACK_SEND_MESSAGE → error 41070: Team not authorized`,
 * `delivery 2 to https://hooks.example.com/x → 500`.
 */
import {
  ATTR_DELIVERY_ATTEMPT,
  ATTR_DELIVERY_FINAL,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_TRIGGER_EVENT_ID,
  ATTR_TRIGGER_NAME,
  ATTR_TRIGGER_RECORDS_NEW,
  ATTR_TRIGGER_RECORDS_UPDATED,
  ATTR_TRIGGER_SUBSCRIPTION_ACTION,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
  ATTR_USER_ID,
  EXCEPTION_EVENT_NAME,
} from '@tooltrace/conventions';
import type { AttributeValue, OtlpAttributes, OtlpSpanEvent } from '../otlp/types.ts';
import { attrBool, attrInt, attrString } from './attributes.ts';
import { type ErrorDetails, errorDetails, type SpanView, toolName } from './span-view.ts';

const MAX_MESSAGE_LENGTH = 300;
/** A whitespace run other than one plain space, or a space at either end: exactly when replace + trim change the text. */
const NEEDS_COLLAPSING = /\s\s|[^\S ]|^ | $/;

/** Collapses whitespace (one line) and keeps messages short; the full text stays in attributes/body. */
export function oneLine(text: string): string {
  // Most messages are one line already; only build a new string when collapsing would change something.
  const line = NEEDS_COLLAPSING.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
  return line.length > MAX_MESSAGE_LENGTH ? `${line.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : line;
}

function errorText({ code, message }: ErrorDetails): string {
  if (code && message) return `error ${code}: ${message}`;
  if (code) return `error ${code}`;
  if (message) return `error: ${message}`;
  return 'error';
}

/** `→ 403`, `→ error: timeout`, or nothing when there is no outcome to tell. */
function outcome(view: SpanView, success: string | null): string {
  if (view.httpStatus !== null) {
    if (!view.isError || view.httpStatus >= 400) return ` → ${view.httpStatus}`;
    return ` → ${view.httpStatus} ${errorText(errorDetails(view))}`;
  }
  if (view.isError) return ` → ${errorText(errorDetails(view))}`;
  return success ? ` → ${success}` : '';
}

export function spanMessage(view: SpanView): string {
  const a = view.attrs;
  const method = attrString(a, ATTR_HTTP_REQUEST_METHOD);
  const url = attrString(a, ATTR_URL_FULL);
  let line: string;
  if (view.toolCallType) {
    const label = view.span.name || [view.toolCallType, toolName(view)].filter(Boolean).join(' ');
    if (view.isError) line = `${label} → ${errorText(errorDetails(view))}`;
    else line = `${label}${outcome(view, 'ok')}`;
  } else if (view.kind === 'trigger_delivery') {
    const attempt = attrInt(a, ATTR_DELIVERY_ATTEMPT) ?? 1;
    const final = attrBool(a, ATTR_DELIVERY_FINAL) === true;
    const ended = view.httpStatus === null && !view.isError ? ' → no answer yet' : outcome(view, null);
    line = `delivery ${attempt} to ${url ?? 'webhook'}${ended}${final && view.isError ? ' (final)' : ''}`;
  } else if (method && (url || attrString(a, ATTR_URL_PATH))) {
    line = `${method} ${url ?? attrString(a, ATTR_URL_PATH)}${outcome(view, null)}`;
  } else if (view.kind === 'trigger_event') {
    const name = attrString(a, ATTR_TRIGGER_NAME) ?? 'trigger';
    const eventId = attrString(a, ATTR_TRIGGER_EVENT_ID);
    line = `${name} event${eventId ? ` ${eventId}` : ''} received${view.isError ? ` → processing failed: ${errorDetails(view).message ?? 'error'}` : ''}`;
  } else if (view.kind === 'trigger_subscription') {
    const action = attrString(a, ATTR_TRIGGER_SUBSCRIPTION_ACTION) ?? 'subscribe';
    const user = attrString(a, ATTR_USER_ID);
    const name = attrString(a, ATTR_TRIGGER_NAME) ?? 'trigger';
    line = `${action} ${user ? `${user} ` : ''}${action === 'unsubscribe' ? 'from' : 'to'} ${name}${outcome(view, 'ok')}`;
  } else if (view.kind === 'trigger_poll') {
    const name = attrString(a, ATTR_TRIGGER_NAME) ?? view.span.name ?? 'trigger';
    const found = attrInt(a, ATTR_TRIGGER_RECORDS_NEW);
    const updated = attrInt(a, ATTR_TRIGGER_RECORDS_UPDATED);
    const counts = found !== null || updated !== null ? `: ${found ?? 0} new, ${updated ?? 0} updated` : '';
    line = `poll ${name}${counts}${view.isError ? ` → ${errorText(errorDetails(view))}` : ''}`;
  } else {
    line = `${view.span.name || '(unnamed span)'}${outcome(view, null)}`;
  }
  return oneLine(line);
}

export function spanEventMessage(event: OtlpSpanEvent): string {
  if (event.name === EXCEPTION_EVENT_NAME) return oneLine(exceptionText(event.attributes) ?? 'exception');
  const message = attrString(event.attributes, 'message') ?? attrString(event.attributes, 'log.message');
  return oneLine(message ? `${event.name}: ${message}` : event.name || '(unnamed event)');
}

/** `TypeError: fetch failed` from `exception.*` attributes, or null when there are none. */
export function exceptionText(attrs: OtlpAttributes): string | null {
  const type = attrString(attrs, ATTR_EXCEPTION_TYPE);
  const message = attrString(attrs, ATTR_EXCEPTION_MESSAGE);
  if (type && message) return `${type}: ${message}`;
  return type ?? message;
}

export function logRecordMessage(
  body: AttributeValue,
  attrs: OtlpAttributes,
  eventName: string,
  severityText: string,
): string {
  const exception = exceptionText(attrs);
  const bodyText = typeof body === 'string' ? body : body === null ? null : JSON.stringify(body);
  if (exception && bodyText && !bodyText.includes(exception)) return oneLine(`${bodyText} — ${exception}`);
  return oneLine(bodyText || exception || eventName || severityText || '(empty log record)');
}
