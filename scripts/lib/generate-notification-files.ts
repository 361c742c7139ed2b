// The generated/ files that openapi/notifications.yaml produces: its types, and the validation rules the
// notification handler (src/notifications/) checks each notification with.
//
// The runtime validator has no `oneOf`: the rules hold one rule per modelled `notificationType` (the handler
// picks the branch by that field) and one for every other type. Part of `generateFiles`, so `npm run
// generate` and `npm run check:generated` cover these files too.
import { resolveRefs, toRule } from './operation-rules.ts';
import { isObject, type Json } from './spec-json.ts';
import { generatedHeader, readSpecWithTypes } from './spec-types.ts';

export const NOTIFICATIONS_SPEC = 'openapi/notifications.yaml';

type Schema = Json;

function fail(message: string): never {
  throw new Error(`${NOTIFICATIONS_SPEC}: ${message}`);
}

function jsonBody(responseOrBody: unknown, where: string): Schema {
  const content = isObject(responseOrBody) && isObject(responseOrBody.content) ? responseOrBody.content : {};
  const media = content['application/json'];
  if (!isObject(media) || !isObject(media.schema)) fail(`${where}: no application/json schema`);
  return media.schema;
}

/** The one value of a branch's `notificationType` enum, or undefined for the catch-all branch. */
function modelledType(branch: Schema, index: number): string | undefined {
  const properties = isObject(branch.properties) ? branch.properties : {};
  const type = properties.notificationType;
  if (!isObject(type)) fail(`oneOf[${index}] has no notificationType property`);
  if (!Array.isArray(branch.required) || !branch.required.includes('notificationType')) {
    fail(`oneOf[${index}] must require notificationType, or the branches overlap`);
  }
  if (type.not !== undefined) return undefined;
  if (!Array.isArray(type.enum) || type.enum.length !== 1 || typeof type.enum[0] !== 'string') {
    fail(`oneOf[${index}].notificationType needs a one-value enum (or \`not: {enum}\` for the catch-all)`);
  }
  return type.enum[0];
}

/**
 * The catch-all branch without the two keywords the runtime validator does not need: `additionalProperties:
 * true` is the default anyway, and `not: {enum: [modelled types]}` is what the handler's dispatch on
 * `notificationType` already guarantees. Checks that the `not` list is exactly the modelled types.
 */
function catchAllRule(branch: Schema, modelled: readonly string[]): Schema {
  const { additionalProperties, properties, ...rest } = branch;
  if (additionalProperties !== undefined && additionalProperties !== true) {
    fail('the catch-all branch must allow additional properties');
  }
  const { notificationType, ...others } = properties as Record<string, Schema>;
  const { not, ...type } = notificationType as Schema;
  const excluded = isObject(not) && Array.isArray(not.enum) ? [...not.enum].sort() : [];
  if (JSON.stringify(excluded) !== JSON.stringify([...modelled].sort())) {
    fail(`the catch-all's \`not: {enum}\` must list exactly the modelled types: ${modelled.join(', ')}`);
  }
  return { ...rest, properties: { notificationType: type, ...others } };
}

function notificationRules(spec: Schema): string {
  const paths = isObject(spec.paths) ? spec.paths : {};
  const operation = resolveRefs((paths['/notification'] as Schema | undefined)?.post, spec);
  if (!isObject(operation) || operation.operationId !== 'sendNotification') {
    fail('POST /notification (operationId sendNotification) not found');
  }
  const request = jsonBody(operation.requestBody, 'requestBody');
  if (!Array.isArray(request.oneOf)) fail('the request schema must be a oneOf');
  const byType: Record<string, Schema> = {};
  const catchAll: Schema[] = [];
  request.oneOf.forEach((branch: Schema, index: number) => {
    const type = modelledType(branch, index);
    if (type === undefined) catchAll.push(branch);
    else byType[type] = toRule(branch, type);
  });
  const [otherBranch, ...extra] = catchAll;
  if (otherBranch === undefined || extra.length > 0) fail('the oneOf needs exactly one catch-all branch');
  const responses = isObject(operation.responses) ? operation.responses : {};
  const rules = {
    byType,
    other: toRule(catchAllRule(otherBranch, Object.keys(byType)), 'other'),
    okResponseBody: toRule(jsonBody(responses['200'], 'responses.200'), 'okResponseBody'),
    errorResponseBody: toRule(jsonBody(responses['400'], 'responses.400'), 'errorResponseBody'),
  };
  return `${generatedHeader(NOTIFICATIONS_SPEC)}// The notification handler's validation rules: one per modelled notificationType, one for any other type.

export const notificationRules = ${JSON.stringify(rules, null, 2)} as const;
`;
}

/** Maps file names under generated/ to what the notifications spec at `specPath` produces. */
export async function generateNotificationFiles(specPath: string): Promise<Map<string, string>> {
  const { spec, typesFile } = await readSpecWithTypes(specPath, NOTIFICATIONS_SPEC);
  return new Map([
    ['notifications-schema.ts', typesFile],
    ['notification-rules.ts', notificationRules(spec)],
  ]);
}
