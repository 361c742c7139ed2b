// Checks values against the JSON-schema subset that `npm run generate` extracts from the spec into
// generated/rules.ts, so the client's input and response checks cannot drift from the spec.
// Generation fails if the spec starts using a keyword this interpreter does not know.
import { createChatRules } from '../../generated/rules.ts';
import { ValidationError } from '../errors/validation-error.ts';

export interface Rule {
  readonly type?: 'integer' | 'string' | 'object';
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly string[];
  readonly required?: readonly string[];
  readonly properties?: { readonly [name: string]: Rule };
}

export interface Problem {
  field: string;
  problem: string;
}

/** The first way `value` breaks `rule`, or undefined when it conforms. */
export function findProblem(rule: Rule, value: unknown, field: string): Problem | undefined {
  const fail = (problem: string): Problem => ({ field, problem });
  switch (rule.type) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return fail(`must be an integer, got ${describe(value)}`);
      }
      if (!Number.isSafeInteger(value)) {
        return fail(
          `must be at most ${Number.MAX_SAFE_INTEGER}: a JavaScript number cannot hold a larger id exactly, got ${describe(value)}`,
        );
      }
      break;
    case 'string':
      if (typeof value !== 'string') return fail(`must be a string, got ${describe(value)}`);
      break;
    case 'object':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return fail(`must be an object, got ${describe(value)}`);
      }
      break;
  }
  if (rule.enum !== undefined && !rule.enum.includes(value as string)) {
    return fail(`must be one of ${rule.enum.join(', ')}, got ${describe(value)}`);
  }
  if (typeof value === 'number') {
    if (rule.minimum !== undefined && value < rule.minimum)
      return fail(`must be >= ${rule.minimum}, got ${value}`);
    if (rule.maximum !== undefined && value > rule.maximum)
      return fail(`must be <= ${rule.maximum}, got ${value}`);
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const name of rule.required ?? []) {
      if (record[name] === undefined) return { field: join(field, name), problem: 'is required' };
    }
    for (const [name, child] of Object.entries(rule.properties ?? {})) {
      if (record[name] === undefined) continue;
      const problem = findProblem(child, record[name], join(field, name));
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

export interface ValidCreateChatInput {
  businessId: number;
  context: { type: 'ORDER' | 'RETURN'; id: number };
}

/** Checks createChat's input; throws a ValidationError naming the field. Copies only the known fields. */
export function validateCreateChatInput(input: unknown): ValidCreateChatInput {
  if (typeof input !== 'object' || input === null) {
    throw new ValidationError(
      'input',
      `must be an object with businessId and context, got ${describe(input)}`,
    );
  }
  const { businessId, context } = input as Record<string, unknown>;
  const problem =
    findProblem(createChatRules.businessId, businessId, 'businessId') ??
    // The spec keeps the deprecated `orderId` as an alternative; this client always sends `context`.
    (context === undefined ? { field: 'context', problem: 'is required' } : undefined) ??
    findProblem(createChatRules.requestBody, { context }, '');
  if (problem !== undefined) throw new ValidationError(problem.field, problem.problem);
  const { type, id } = context as ValidCreateChatInput['context'];
  return { businessId: businessId as number, context: { type, id } };
}

function join(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

export function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}
