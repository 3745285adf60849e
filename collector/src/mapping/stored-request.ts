/**
 * A decoded request cut down to what the mapper stored (DESIGN §9: what goes
 * out is what was stored): without the items it rejected, every string value
 * cut to the stored size, and the provider response body only on error items
 * (cut to the body limit), as the mapping rules keep them. Resources and
 * scopes stay; groups left empty are dropped. Pure: runs where the mapper
 * ran (a worker thread), so forwarding costs the HTTP thread nothing here.
 */
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_BODY,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  EXCEPTION_EVENT_NAME,
} from '@tooltrace/conventions';
import { GROUP_LISTS, rebuildGroups } from '../otlp/request-groups.ts';
import type {
  AttributeValue,
  OtlpAttributes,
  OtlpLogRecord,
  OtlpRequest,
  OtlpSpan,
  OtlpSpanEvent,
  OtlpSpanLink,
} from '../otlp/types.ts';
import { attrInt, attrString, truncateAttributes, truncateText, truncateValue } from './attributes.ts';
import { isErrorSpan, recordLevel } from './levels.ts';
import type { MappingLimits } from './options.ts';
import { isStorableLink } from './span-links.ts';

function fits(value: AttributeValue, max: number): boolean {
  if (typeof value === 'string') return value.length <= max;
  if (Array.isArray(value)) return value.every((v) => fits(v, max));
  if (value !== null && typeof value === 'object') return attributesFit(value, max);
  return true;
}

function attributesFit(attrs: OtlpAttributes, max: number): boolean {
  for (const key in attrs) if (key.length > max || !fits(attrs[key] as AttributeValue, max)) return false;
  return true;
}

/** Attributes as stored; the same object when nothing changes (the common case costs one scan, no copy). */
function storedAttributes(attrs: OtlpAttributes, isError: boolean, limits: MappingLimits): OtlpAttributes {
  const body = attrs[ATTR_HTTP_RESPONSE_BODY];
  const bodyFits = body === undefined || (isError && fits(body, limits.maxBodyLength));
  if (bodyFits && attributesFit(attrs, limits.maxAttributeValueLength)) return attrs;
  const { [ATTR_HTTP_RESPONSE_BODY]: _body, ...rest } = attrs;
  const out = truncateAttributes(rest, limits.maxAttributeValueLength);
  if (isError && body !== undefined) out[ATTR_HTTP_RESPONSE_BODY] = truncateValue(body, limits.maxBodyLength);
  return out;
}

function storedEvent(event: OtlpSpanEvent, limits: MappingLimits): OtlpSpanEvent {
  const attributes = storedAttributes(event.attributes, event.name === EXCEPTION_EVENT_NAME, limits);
  return attributes === event.attributes ? event : { ...event, attributes };
}

/** The links the mapper stored (valid IDs), their attributes cut as stored; the same array when nothing changes. */
function storedLinks(links: OtlpSpanLink[], limits: MappingLimits): OtlpSpanLink[] {
  let changed = false;
  const out: OtlpSpanLink[] = [];
  for (const link of links) {
    if (!isStorableLink(link)) {
      changed = true;
      continue;
    }
    const attributes = storedAttributes(link.attributes, false, limits);
    if (attributes !== link.attributes) changed = true;
    out.push(attributes === link.attributes ? link : { ...link, attributes });
  }
  return changed ? out : links;
}

function storedSpan(span: OtlpSpan, limits: MappingLimits): OtlpSpan {
  const attrs = span.attributes;
  const isError = isErrorSpan(
    span.status.code,
    attrInt(attrs, ATTR_HTTP_RESPONSE_STATUS_CODE),
    attrString(attrs, ATTR_ERROR_TYPE),
  );
  const attributes = storedAttributes(attrs, isError, limits);
  const events = span.events.map((event) => storedEvent(event, limits));
  const links = storedLinks(span.links, limits);
  const message = truncateText(span.status.message, limits.maxAttributeValueLength);
  const changed =
    attributes !== attrs ||
    message !== span.status.message ||
    links !== span.links ||
    events.some((e, i) => e !== span.events[i]);
  return changed ? { ...span, attributes, events, links, status: { ...span.status, message } } : span;
}

function storedRecord(record: OtlpLogRecord, limits: MappingLimits): OtlpLogRecord {
  const attributes = storedAttributes(record.attributes, recordLevel(record) === 'error', limits);
  const bodyFits = fits(record.body, limits.maxBodyLength);
  if (attributes === record.attributes && bodyFits) return record;
  return { ...record, attributes, body: bodyFits ? record.body : truncateValue(record.body, limits.maxBodyLength) };
}

function storedResource(resource: OtlpAttributes, limits: MappingLimits): OtlpAttributes {
  const max = limits.maxAttributeValueLength;
  return attributesFit(resource, max) ? resource : truncateAttributes(resource, max);
}

/** `decoded` as the mapper stored it: without the items at `rejected` refs, values cut to `limits`. */
export function storedRequest(decoded: OtlpRequest, rejected: readonly string[], limits: MappingLimits): OtlpRequest {
  const skip = new Set(rejected);
  const item =
    decoded.signal === 'traces'
      ? (span: OtlpSpan) => (skip.has(span.ref) ? null : storedSpan(span, limits))
      : (record: OtlpLogRecord) => (skip.has(record.ref) ? null : storedRecord(record, limits));
  const request = rebuildGroups(decoded.request, GROUP_LISTS[decoded.signal], {
    resource: (resource) => storedResource(resource, limits),
    scope: (scope) => scope,
    item,
    dropEmpty: true,
  });
  return { signal: decoded.signal, request } as OtlpRequest;
}
