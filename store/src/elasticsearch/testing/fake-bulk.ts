/** The fake cluster's `_bulk`: create / index (optionally conditional) / delete, answered per item like Elasticsearch. */
import type { Index, Json } from './fake-cluster.ts';

export interface BulkState {
  indices: Map<string, Index>;
  writeTarget(name: string): string;
  nextSeq(): number;
}

export function fakeBulk(state: BulkState): (body: string) => Json {
  function bulk(body: string): Json {
    const lines = body
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Json);
    const items: Json[] = [];
    for (let i = 0; i < lines.length; i += 2) {
      const [op, meta] = Object.entries(lines[i] as Json)[0] as [string, Json];
      if (op === 'delete') {
        items.push({ delete: deleteDoc(meta) });
        i -= 1; // a delete has no document line
        continue;
      }
      const source = lines[i + 1] as Json;
      const target = state.writeTarget(String(meta._index));
      const docs = (state.indices.get(target) as Index).docs;
      const id = String(meta._id);
      const existing = docs.get(id);
      let status = 201;
      let error: Json | undefined;
      if (op === 'create' && existing) {
        status = 409;
        error = { type: 'version_conflict_engine_exception', reason: `[${id}]: document already exists` };
      } else if (
        op === 'index' &&
        meta.if_seq_no !== undefined &&
        (!existing || existing.seqNo !== meta.if_seq_no || meta.if_primary_term !== 1)
      ) {
        status = 409;
        error = { type: 'version_conflict_engine_exception', reason: `[${id}]: version conflict` };
      } else if (op === 'index' && String(meta._index) !== target && !String(meta._index).startsWith('.ds-')) {
        status = 400;
        error = {
          type: 'illegal_argument_exception',
          reason: 'only write ops with an op_type of create are allowed in data streams',
        };
      } else {
        if (existing) status = 200;
        docs.set(id, { source, seqNo: state.nextSeq() });
      }
      items.push({ [op]: { _index: target, _id: id, status, ...(error ? { error } : {}) } });
    }
    return { took: 1, errors: items.some((i) => (Object.values(i)[0] as Json).error), items };
  }

  function deleteDoc(meta: Json): Json {
    const docs = state.indices.get(String(meta._index))?.docs;
    const doc = docs?.get(String(meta._id));
    if (!doc) return { _index: meta._index, _id: meta._id, status: 404, result: 'not_found' };
    if (meta.if_seq_no !== undefined && meta.if_seq_no !== doc.seqNo) {
      const error = { type: 'version_conflict_engine_exception', reason: `[${meta._id}]: version conflict` };
      return { _index: meta._index, _id: meta._id, status: 409, error };
    }
    docs?.delete(String(meta._id));
    return { _index: meta._index, _id: meta._id, status: 200, result: 'deleted' };
  }

  return bulk;
}
