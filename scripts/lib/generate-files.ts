// Everything `generated/` holds, computed from the spec: shared by `npm run generate` and the drift check.
import { generateNotificationFiles, NOTIFICATIONS_SPEC } from './generate-notification-files.ts';
import { operationRules } from './operation-rules.ts';
import type { Json } from './spec-json.ts';
import { generatedHeader, readSpecWithTypes } from './spec-types.ts';

export const GENERATED_DIR = 'generated';

const SOURCE = 'openapi/openapi.yaml';

function validationRules(spec: Json): string {
  return `${generatedHeader(SOURCE)}// Every operation's validation rules, keyed by operationId, extracted from the spec: the client checks
// input and 200 bodies with them (src/internal/validate-input.ts).

export const operationRules = ${JSON.stringify(operationRules(spec), null, 2)} as const;
`;
}

/** Maps each file name under generated/ to the content the specs (main and notifications) produce. */
export async function generateFiles(specPath: string): Promise<Map<string, string>> {
  const { spec, typesFile } = await readSpecWithTypes(specPath, SOURCE);
  return new Map([
    ['schema.ts', typesFile],
    ['rules.ts', validationRules(spec)],
    ...(await generateNotificationFiles(NOTIFICATIONS_SPEC)),
  ]);
}
