/**
 * Every `default` and `example` in the OpenAPI document, with the schema it must satisfy. Standard
 * validators (openapi-spec-validator) check these; the OpenAPI meta-schema alone does not.
 */
export interface SchemaValue {
  where: string;
  schema: Record<string, unknown>;
  value: unknown;
}

export function schemaValuesOf(node: unknown, where = '#'): SchemaValue[] {
  if (typeof node !== 'object' || node === null) return [];
  const found: SchemaValue[] = [];
  const record = node as Record<string, unknown>;
  if ('type' in record || 'anyOf' in record || 'oneOf' in record) {
    const { default: fallback, example, examples: _examples, ...schema } = record;
    if (fallback !== undefined) found.push({ where: `${where}/default`, schema, value: fallback });
    if (example !== undefined) found.push({ where: `${where}/example`, schema, value: example });
  }
  for (const [key, child] of Object.entries(record)) found.push(...schemaValuesOf(child, `${where}/${key}`));
  return found;
}
