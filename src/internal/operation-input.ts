// Input checks shared by the operation modules: every field is checked by the operation's rules, generated
// from the spec, and a ValidationError names the field before anything is sent.
import { ValidationError } from '../errors/validation-error.ts';
import { describe, findProblem, type Rule } from './validate-input.ts';

/** The generated rules of one operation, as far as input checks need them. */
export interface InputRules {
  readonly parameters: { readonly [name: string]: { readonly required: boolean; readonly schema: Rule } };
  readonly requestBody?: { readonly schema: Rule };
}

/**
 * The input as a record holding only `known` keys: a misspelt option (`messageIdfrom`) is refused by
 * name rather than silently ignored.
 */
export function inputRecord(input: unknown, known: readonly string[]): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError('input', `must be an object with ${known.join(', ')}, got ${describe(input)}`);
  }
  for (const key of Object.keys(input)) {
    if (!known.includes(key))
      throw new ValidationError(key, `is not a field of this input (known: ${known.join(', ')})`);
  }
  return input as Record<string, unknown>;
}

/** Checks the named parameters of `input` against their rules: required ones must be there. */
export function checkParameters(
  rules: InputRules,
  input: Record<string, unknown>,
  names: readonly string[],
): void {
  for (const name of names) {
    const parameter = rules.parameters[name];
    if (parameter === undefined) throw new Error(`no rule for parameter ${name}`); // a bug, not bad input
    const value = input[name];
    if (value === undefined) {
      if (parameter.required) throw new ValidationError(name, 'is required');
      continue;
    }
    check(parameter.schema, value, name);
  }
}

/** Throws a ValidationError naming the field where `value` breaks `rule`. */
export function check(rule: Rule, value: unknown, field: string): void {
  const problem = findProblem(rule, value, field, { strictInput: true });
  if (problem !== undefined) throw new ValidationError(problem.field, problem.problem);
}

/** The defined entries only: optional query parameters left out are not sent as `?limit=undefined`. */
export function defined<T extends Record<string, unknown>>(record: T): Partial<T> {
  const result: Partial<T> = {};
  for (const key of Object.keys(record) as Array<keyof T>)
    if (record[key] !== undefined) result[key] = record[key];
  return result;
}
