/**
 * An in-process stand-in for an Elasticsearch cluster, for tests only: no Elasticsearch can run where this
 * project is built and tested, so the store's own logic (merges, retention rounds, paging, de-duplication) runs
 * against this over real HTTP with the real client. It implements exactly the subset of the REST API the backend
 * sends, with Elasticsearch's documented semantics for it (data streams with one backing index, `create` 409s,
 * sequence-number concurrency, bool/term/terms/range/ids queries, sort + search_after, and the aggregations used).
 * Everything is immediately visible (as after a refresh). It proves the backend's logic, not Elasticsearch's
 * behaviour: that is what `npm run test:es` against a real cluster is for.
 */
import { getOwn, setOwn } from '@tooltrace/conventions';
import { fakeBulk } from './fake-bulk.ts';
import { HttpError, startJsonServer } from './json-server.ts';

export type Json = Record<string, unknown>;
export interface StoredDoc {
  source: Json;
  seqNo: number;
}
export interface Index {
  docs: Map<string, StoredDoc>;
}
interface Hit {
  index: string;
  id: string;
  doc: StoredDoc;
}

/** Fields the backend maps as `date`: compared and sorted as epoch milliseconds. */
const DATE_FIELDS = new Set(['@timestamp', 'startedAt', 'receivedAt', 'firstSeenAt', 'createdAt']);

export interface FakeCluster {
  url: string;
  /** Request count per endpoint kind, e.g. `POST _bulk`. */
  requests: Map<string, number>;
  close(): Promise<void>;
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A partial update's `doc` merged into the source as Elasticsearch merges it: objects key by key, at every
 * depth (a key the update leaves out stays), anything else replaced. Keys may be any text, `__proto__` too.
 */
function mergePartial(source: Json, changes: Json): void {
  for (const [key, value] of Object.entries(changes)) {
    const current = getOwn(source, key);
    if (isObject(current) && isObject(value)) mergePartial(current, value);
    else setOwn(source, key, value);
  }
}

export async function startFakeCluster(): Promise<FakeCluster> {
  const indices = new Map<string, Index>();
  const dataStreams = new Map<string, string>();
  const requests = new Map<string, number>();
  let seq = 0;

  const wildcard = (pattern: string) =>
    new RegExp(
      `^${pattern
        .split('*')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );

  /** An index expression (comma list, wildcards, data stream names) → concrete index names. */
  function resolve(expression: string): string[] {
    const out = new Set<string>();
    for (const part of expression.split(',')) {
      if (part.includes('*')) {
        const re = wildcard(part);
        for (const [stream, backing] of dataStreams) if (re.test(stream)) out.add(backing);
        for (const name of indices.keys()) if (!name.startsWith('.') && re.test(name)) out.add(name);
      } else if (dataStreams.has(part)) out.add(dataStreams.get(part) as string);
      else if (indices.has(part)) out.add(part);
    }
    return [...out];
  }

  function writeTarget(name: string): string {
    const backing = dataStreams.get(name);
    if (backing) return backing;
    if (!indices.has(name)) indices.set(name, { docs: new Map() });
    return name;
  }

  const fieldValue = (source: Json, field: string): unknown => {
    const value = source[field];
    if (value === undefined || value === null) return undefined;
    if (DATE_FIELDS.has(field) && typeof value === 'string') return Date.parse(value);
    return value;
  };

  function matches(source: Json, id: string, query: Json | undefined): boolean {
    if (!query) return true;
    const [kind, body] = Object.entries(query)[0] as [string, Json];
    switch (kind) {
      case 'match_all':
        return true;
      case 'bool': {
        const all = (key: string) => ((body[key] ?? []) as Json[]).every((q) => matches(source, id, q));
        const should = (body.should ?? []) as Json[];
        const min = (body.minimum_should_match as number | undefined) ?? (should.length > 0 ? 1 : 0);
        const shouldOk = should.filter((q) => matches(source, id, q)).length >= min;
        const mustNot = ((body.must_not ?? []) as Json[]).some((q) => matches(source, id, q));
        return all('filter') && all('must') && shouldOk && !mustNot;
      }
      case 'term': {
        const [field, wanted] = Object.entries(body)[0] as [string, unknown];
        const value = source[field];
        return Array.isArray(value) ? value.includes(wanted) : value === wanted;
      }
      case 'terms': {
        const [field, wanted] = Object.entries(body)[0] as [string, unknown[]];
        const value = source[field];
        return Array.isArray(value) ? value.some((v) => wanted.includes(v)) : wanted.includes(value);
      }
      case 'ids':
        return ((body.values ?? []) as string[]).includes(id);
      case 'range': {
        const [field, bounds] = Object.entries(body)[0] as [string, Json];
        const value = fieldValue(source, field);
        if (typeof value !== 'number') return false;
        const n = (v: unknown) => Number(v);
        if (bounds.gte !== undefined && !(value >= n(bounds.gte))) return false;
        if (bounds.gt !== undefined && !(value > n(bounds.gt))) return false;
        if (bounds.lte !== undefined && !(value <= n(bounds.lte))) return false;
        if (bounds.lt !== undefined && !(value < n(bounds.lt))) return false;
        return true;
      }
      default:
        throw new HttpError(400, 'parsing_exception', `the fake cluster does not support query ${kind}`);
    }
  }

  function search(expression: string, query: Json | undefined): Hit[] {
    const hits: Hit[] = [];
    for (const index of resolve(expression)) {
      for (const [id, doc] of indices.get(index)?.docs ?? []) {
        if (matches(doc.source, id, query)) hits.push({ index, id, doc });
      }
    }
    return hits;
  }

  type SortSpec = { field: string; desc: boolean };
  const sortSpecs = (sort: unknown): SortSpec[] =>
    ((sort ?? []) as Json[]).map((s) => {
      const [field, spec] = Object.entries(s)[0] as [string, Json | string];
      const order = typeof spec === 'string' ? spec : (spec.order as string);
      return { field, desc: order === 'desc' };
    });
  const compare = (a: unknown, b: unknown) => {
    if (a === b) return 0;
    if (a === undefined) return 1;
    if (b === undefined) return -1;
    return (a as number | string) < (b as number | string) ? -1 : 1;
  };
  const sortValues = (hit: Hit, specs: SortSpec[]) =>
    specs.map((s) => (s.field === '_shard_doc' ? hit.doc.seqNo : fieldValue(hit.doc.source, s.field)));
  const sortHits = (hits: Hit[], specs: SortSpec[]) =>
    hits.sort((a, b) => compareValues(sortValues(a, specs), sortValues(b, specs), specs));
  const compareValues = (a: unknown[], b: unknown[], specs: SortSpec[]) => {
    for (const [i, spec] of specs.entries()) {
      const c = compare(a[i], b[i]);
      if (c !== 0) return spec.desc ? -c : c;
    }
    return 0;
  };

  function fieldValues(source: Json, field: string): unknown[] {
    const value = fieldValue(source, field);
    if (value === undefined) return [];
    return Array.isArray(value) ? value : [value];
  }

  function aggregate(hits: Hit[], aggs: Json | undefined): Json {
    const out: Json = {};
    for (const [name, spec] of Object.entries(aggs ?? {}) as [string, Json][]) {
      const sub = spec.aggs as Json | undefined;
      const metric = (spec.min ?? spec.max ?? spec.cardinality) as Json | undefined;
      if (metric) {
        const values = hits.flatMap((h) => fieldValues(h.doc.source, metric.field as string)) as number[];
        const pick = spec.cardinality ? () => new Set(values).size : spec.min ? Math.min : Math.max;
        out[name] = { value: values.length || spec.cardinality ? pick(...values) : null };
      } else if (spec.top_hits) {
        const { sort, size = 3 } = spec.top_hits as { sort: unknown; size?: number };
        const top = sortHits([...hits], sortSpecs(sort));
        out[name] = { hits: { hits: top.slice(0, size).map((h) => ({ _id: h.id, _source: h.doc.source })) } };
      } else if (spec.filter) {
        const kept = hits.filter((h) => matches(h.doc.source, h.id, spec.filter as Json));
        out[name] = { doc_count: kept.length, ...aggregate(kept, sub) };
      } else if (spec.terms) {
        const terms = spec.terms as Json;
        const groups = new Map<unknown, Hit[]>();
        for (const hit of hits) {
          for (const v of new Set(fieldValues(hit.doc.source, terms.field as string))) {
            groups.set(v, [...(groups.get(v) ?? []), hit]);
          }
        }
        const buckets = [...groups].map(([key, group]) => ({ key, doc_count: group.length, ...aggregate(group, sub) }));
        const order = (Array.isArray(terms.order) ? terms.order : [terms.order ?? { _count: 'desc' }]) as Json[];
        const keyOf = (b: Json, by: string) =>
          by === '_count' ? b.doc_count : by === '_key' ? b.key : (b[by] as { value: unknown }).value;
        buckets.sort((a, b) => {
          for (const o of order) {
            const [by, dir] = Object.entries(o)[0] as [string, string];
            const c = compare(keyOf(a, by), keyOf(b, by));
            if (c !== 0) return dir === 'desc' ? -c : c;
          }
          return compare(a.key, b.key);
        });
        out[name] = { buckets: buckets.slice(0, (terms.size as number | undefined) ?? 10) };
      } else if (spec.date_histogram) {
        const h = spec.date_histogram as Json;
        const interval = Number.parseInt(String(h.fixed_interval), 10);
        const offset = Number.parseInt(String(h.offset ?? '0'), 10);
        const groups = new Map<number, Hit[]>();
        for (const hit of hits) {
          for (const t of fieldValues(hit.doc.source, h.field as string) as number[]) {
            const key = Math.floor((t - offset) / interval) * interval + offset;
            groups.set(key, [...(groups.get(key) ?? []), hit]);
          }
        }
        const buckets = [...groups]
          .sort(([a], [b]) => a - b)
          .map(([key, group]) => ({ key, doc_count: group.length, ...aggregate(group, sub) }));
        out[name] = { buckets };
      } else if (spec.composite) {
        const c = spec.composite as Json;
        const [sourceName, source] = Object.entries((c.sources as Json[])[0] as Json)[0] as [string, Json];
        const field = (source.terms as Json).field as string;
        const keys = [...new Set(hits.flatMap((h) => fieldValues(h.doc.source, field)))].sort(compare);
        const after = (c.after as Json | undefined)?.[sourceName];
        const page = keys.filter((k) => after === undefined || compare(k, after) > 0).slice(0, c.size as number);
        const buckets = page.map((k) => ({
          key: { [sourceName]: k },
          doc_count: hits.filter((h) => fieldValues(h.doc.source, field).includes(k)).length,
        }));
        out[name] = { buckets, ...(buckets.length ? { after_key: buckets.at(-1)?.key } : {}) };
      } else {
        throw new HttpError(400, 'parsing_exception', `the fake cluster does not support aggregation ${name}`);
      }
    }
    return out;
  }

  const bulk = fakeBulk({ indices, writeTarget, nextSeq: () => ++seq });

  /** `PUT <index>/_doc/<id>`: the whole document replaced, conditional on `if_seq_no` when given. */
  function indexDocument(target: string, id: string, query: URLSearchParams, body: Json) {
    const docs = indices.get(writeTarget(target))?.docs as Map<string, StoredDoc>;
    const existing = docs.get(id);
    const ifSeqNo = query.get('if_seq_no');
    if (ifSeqNo !== null && Number(ifSeqNo) !== existing?.seqNo) {
      throw new HttpError(409, 'version_conflict_engine_exception', `${id}: version conflict`);
    }
    docs.set(id, { source: body, seqNo: ++seq });
    const result = existing ? 'updated' : 'created';
    return { status: existing ? 200 : 201, body: { _index: target, _id: id, result, _seq_no: seq, _primary_term: 1 } };
  }

  function handle(
    method: string,
    path: string,
    query: URLSearchParams,
    raw: string,
  ): { status: number; body: unknown } {
    const body = raw && !path.endsWith('/_bulk') ? (JSON.parse(raw) as Json) : {};
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const ack = { status: 200, body: { acknowledged: true } };
    const kind = `${method} ${parts.find((p) => p.startsWith('_')) ?? 'index'}`;
    requests.set(kind, (requests.get(kind) ?? 0) + 1);

    if (parts[0] === '_ilm' || parts[0] === '_component_template' || parts[0] === '_index_template') return ack;
    if (parts[0] === '_bulk') return { status: 200, body: bulk(raw) };
    if (parts[0] === '_data_stream') {
      const names = (parts[1] ?? '').split(',');
      if (method === 'PUT') {
        const name = names[0] as string;
        if (dataStreams.has(name)) throw new HttpError(400, 'resource_already_exists_exception', `${name} exists`);
        const backing = `.ds-${name}-000001`;
        dataStreams.set(name, backing);
        indices.set(backing, { docs: new Map() });
        return ack;
      }
      if (method === 'DELETE') {
        for (const name of names) {
          const backing = dataStreams.get(name);
          if (backing) indices.delete(backing);
          dataStreams.delete(name);
        }
        return ack;
      }
    }
    // A search in a point in time names no index in its path.
    const [target = '', action, id] = parts[0] === '_search' ? ['', '_search'] : parts;
    if (!action) {
      if (method === 'PUT') {
        if (indices.has(target)) throw new HttpError(400, 'resource_already_exists_exception', `${target} exists`);
        indices.set(target, { docs: new Map() });
        return ack;
      }
      if (method === 'DELETE') {
        for (const name of target.split(',')) indices.delete(name);
        return ack;
      }
    }
    switch (action) {
      case '_mapping':
      case '_refresh':
        return ack;
      case '_doc': {
        if (method === 'PUT' || method === 'POST') return indexDocument(target, id as string, query, body);
        const doc = indices.get(target)?.docs.get(id as string);
        if (!doc) return { status: 404, body: { _index: target, _id: id, found: false } };
        return {
          status: 200,
          body: { _index: target, _id: id, found: true, _seq_no: doc.seqNo, _primary_term: 1, _source: doc.source },
        };
      }
      case '_create': {
        const docs = indices.get(writeTarget(target))?.docs as Map<string, StoredDoc>;
        if (docs.has(id as string)) throw new HttpError(409, 'version_conflict_engine_exception', `${id} exists`);
        docs.set(id as string, { source: body, seqNo: ++seq });
        return { status: 201, body: { _index: target, _id: id, result: 'created' } };
      }
      case '_update': {
        const doc = indices.get(target)?.docs.get(id as string);
        if (!doc) throw new HttpError(404, 'document_missing_exception', `${id} missing`);
        const ifSeqNo = query.get('if_seq_no');
        if (ifSeqNo !== null && Number(ifSeqNo) !== doc.seqNo) {
          throw new HttpError(409, 'version_conflict_engine_exception', `${id}: version conflict`);
        }
        if (body.script) throw new HttpError(400, 'script_exception', 'this cluster has no scripting, like many');
        mergePartial(doc.source, body.doc as Json);
        doc.seqNo = ++seq;
        return { status: 200, body: { _index: target, _id: id, result: 'updated' } };
      }
      case '_mget': {
        const docs = ((body.ids ?? []) as string[]).map((docId) => {
          const doc = indices.get(target)?.docs.get(docId);
          return doc
            ? { _index: target, _id: docId, found: true, _seq_no: doc.seqNo, _primary_term: 1, _source: doc.source }
            : { _index: target, _id: docId, found: false };
        });
        return { status: 200, body: { docs } };
      }
      case '_pit':
        // A point in time here is just the index expression: deletes are versioned anyway.
        return { status: 200, body: { id: target } };
      case '_search': {
        const pit = body.pit as { id: string } | undefined;
        let hits = search(pit ? pit.id : target, body.query as Json);
        const total = hits.length;
        const specs = sortSpecs(body.sort);
        sortHits(hits, specs);
        const after = body.search_after as unknown[] | undefined;
        if (after) hits = hits.filter((h) => compareValues(sortValues(h, specs), after, specs) > 0);
        const from = (body.from as number | undefined) ?? 0;
        const size = (body.size as number | undefined) ?? 10;
        const aggregations = body.aggs ? aggregate(search(target, body.query as Json), body.aggs as Json) : undefined;
        const withVersions = body.seq_no_primary_term === true;
        return {
          status: 200,
          body: {
            took: 1,
            timed_out: false,
            _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
            hits: {
              total: { value: total, relation: 'eq' },
              hits: hits.slice(from, from + size).map((h) => ({
                _index: h.index,
                _id: h.id,
                ...(body._source === false ? {} : { _source: h.doc.source }),
                ...(specs.length ? { sort: sortValues(h, specs) } : {}),
                ...(withVersions ? { _seq_no: h.doc.seqNo, _primary_term: 1 } : {}),
              })),
            },
            ...(aggregations ? { aggregations } : {}),
          },
        };
      }
    }
    if (parts[0] === '_pit' && method === 'DELETE') return { status: 200, body: { succeeded: true, num_freed: 1 } };
    throw new HttpError(400, 'unsupported', `the fake cluster does not support ${method} ${path}`);
  }

  const server = await startJsonServer((request) => handle(request.method, request.path, request.query, request.body));
  return { url: server.url, requests, close: server.close };
}
