// check-notifications: every notification type's examples from notifications.yaml (each must get 200) and
// invalid variants made from the spec's rules, a required field missing and a field of the wrong type
// (each must get 400); every answer is checked against the spec.

import { eventViolations, sendNotification } from './send-notification.ts';
import { loadSpec, locate } from './spec-files.ts';
import { isObject, type JsonObject } from './spec-validator.ts';

export interface NotificationCase {
  name: string;
  event: unknown;
  expected: 200 | 400;
}

export interface CaseResult extends NotificationCase {
  status: number;
  ok: boolean;
  problems: string[];
}

/** A value of another JSON type than `schema` asks for. */
function wrongType(schema: unknown): unknown {
  const type = isObject(schema) ? schema.type : undefined;
  return type === 'string' ? 12345 : 'not-a-number';
}

export function notificationCases(): NotificationCase[] {
  const spec = loadSpec('notifications');
  // Stryker disable next-line OptionalChaining: the spec has this path and operation
  const operation = (spec.paths as Record<string, Record<string, JsonObject>>)['/notification']?.post ?? {};
  const media = ((operation.requestBody as JsonObject).content as JsonObject)[
    'application/json'
  ] as JsonObject;
  const cases: NotificationCase[] = [];
  for (const [name, raw] of Object.entries(media.examples as JsonObject)) {
    const example = locate(raw, [], spec).node as JsonObject;
    const event = example.value as JsonObject;
    cases.push({ name: `${name}: the spec's example`, event, expected: 200 });
    const schemas = (locate(media.schema, [], spec).node as JsonObject).oneOf as unknown[];
    const schema = schemas
      .map((item) => locate(item, [], spec).node as JsonObject)
      .find((item) => {
        // Stryker disable next-line OptionalChaining: every schema of the spec's oneOf has properties
        const type = (item.properties as JsonObject | undefined)?.notificationType;
        return isObject(type) && Array.isArray(type.enum) && type.enum.includes(event.notificationType);
      });
    if (schema === undefined) continue;
    const required = (schema.required as string[]).filter((field) => field !== 'notificationType');
    for (const field of required) {
      const { [field]: _, ...rest } = event;
      cases.push({ name: `${name}: no ${field}`, event: rest, expected: 400 });
    }
    for (const [field, property] of Object.entries(schema.properties as JsonObject)) {
      if (field === 'notificationType' || !(field in event)) continue;
      // Stryker disable next-line ArrayDeclaration: only the node is read, not its path
      const variant = { ...event, [field]: wrongType(locate(property, [], spec).node) };
      // Only variants the spec itself refuses (a wrong type the schema would still accept is no test).
      // Stryker disable next-line ConditionalExpression,EqualityOperator: the spec refuses every variant today; this guards a field without a type
      if (eventViolations(variant).length > 0)
        cases.push({ name: `${name}: ${field} of a wrong type`, event: variant, expected: 400 });
    }
  }
  return cases;
}

export async function checkNotifications(
  url: string,
  options: { fetch?: typeof fetch } = {},
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const item of notificationCases()) {
    const answer = await sendNotification(url, item.event, {
      expectInvalid: item.expected === 400,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const problems = [...answer.violations];
    if (answer.status !== item.expected) problems.unshift(`expected ${item.expected}, got ${answer.status}`);
    results.push({ ...item, status: answer.status, ok: problems.length === 0, problems });
  }
  return results;
}

export function formatTable(results: readonly CaseResult[]): string {
  const rows = [
    ['case', 'expected', 'got', 'result'],
    ...results.map((r) => [
      r.name,
      String(r.expected),
      String(r.status),
      r.ok ? 'ok' : `FAIL: ${r.problems.join('; ')}`,
    ]),
  ];
  // Stryker disable next-line StringLiteral: every row has all four cells
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  // The last column has no width: it is not padded.
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}
