import { PLANS } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import * as f from '../conformance/fixtures.ts';
import { logToDocument, toolCallToDocument } from './documents.ts';
import { matchesPattern, resourceNames } from './names.ts';
import { bootstrapPlan, COMPONENT_PROPERTIES, ilmDeleteDays, ilmPolicyRequest } from './templates.ts';
import { traceDocument } from './testing/trace-document.ts';

const names = resourceNames('tooltrace');
const plan = bootstrapPlan(names);

describe('bootstrap plan', () => {
  it('when built, then each plan has an ILM policy that rolls over on age, shard size and docs and deletes at the plan days', () => {
    expect(plan.policies.map((p) => p.name)).toEqual(['tooltrace-trial', 'tooltrace-pro', 'tooltrace-enterprise']);
    const trial = ilmPolicyRequest(names, 'trial').policy?.phases;
    expect(trial?.hot?.actions?.rollover).toMatchObject({ max_age: '1d', max_primary_shard_size: '50gb' });
    expect(trial?.hot?.actions?.rollover?.max_docs).toBeGreaterThan(0);
    expect(trial?.delete?.min_age).toBe('7d');
    expect(ilmPolicyRequest(names, 'pro').policy?.phases.delete?.min_age).toBe('30d');
    expect(ilmDeleteDays('enterprise')).toBe(3650);
  });

  it('when built, then every data stream has exactly one template, with data_stream on, its plan policy and a priority above the built-ins', () => {
    for (const stream of plan.dataStreams) {
      const matching = plan.templates.filter((t) =>
        (t.index_patterns as string[]).some((pattern) => matchesPattern(pattern, stream)),
      );
      expect(matching, stream).toHaveLength(1);
      const [template] = matching;
      expect(template?.data_stream).toEqual({});
      expect(template?.priority).toBeGreaterThan(200);
      const planName = PLANS.find((p) => stream.endsWith(`-${p}`));
      expect(template?.template?.settings?.index?.lifecycle?.name).toBe(`tooltrace-${planName}`);
    }
  });

  it('when built, then the regular (updatable) indices are not data streams and each has one template', () => {
    for (const index of plan.regularIndices) {
      const matching = plan.templates.filter((t) =>
        (t.index_patterns as string[]).some((pattern) => matchesPattern(pattern, index)),
      );
      expect(matching, index).toHaveLength(1);
      expect(matching[0]?.data_stream).toBeUndefined();
    }
  });

  it('when built, then every template composes only component templates that the plan also creates', () => {
    const components = new Set(plan.components.map((c) => c.name));
    for (const template of plan.templates) {
      for (const name of template.composed_of ?? []) expect(components.has(name), name).toBe(true);
    }
    for (const component of plan.components) expect(component.template.mappings?.dynamic).toBe('strict');
  });
});

/** Strict mappings reject unmapped fields: every field our documents carry must be mapped. */
describe('mappings cover the documents', () => {
  const traceId = f.newTraceId();
  const at = Date.UTC(2026, 0, 1);

  it('when a log document is built, then each of its fields is mapped', () => {
    const links = [{ traceId, spanId: f.newSpanId(), attributes: {} }];
    const doc = logToDocument('prj_1', f.log({ traceId, at, links }));
    expect(Object.keys(doc).sort()).toEqual(Object.keys(COMPONENT_PROPERTIES['logs-mappings']).sort());
  });

  it('when a tool call document is built (one whose user is inherited has every field), then each of its fields is mapped', () => {
    const doc = toolCallToDocument('prj_1', f.toolCall({ at, userInherited: true }));
    expect(Object.keys(doc).sort()).toEqual(Object.keys(COMPONENT_PROPERTIES['tool-calls-mappings']).sort());
  });

  it('when a trigger document is built, then each of its fields is mapped', () => {
    const trace = f.triggerTrace({ at, deliveries: 1 });
    const doc = traceDocument('prj_1', trace);
    expect(Object.keys(doc).sort()).toEqual(Object.keys(COMPONENT_PROPERTIES['trigger-events-mappings']).sort());
  });
});
