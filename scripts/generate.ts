// `npm run generate`: writes generated/ from openapi/openapi.yaml.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GENERATED_DIR, generateFiles } from './lib/generate-files.ts';

const spec = process.argv[2] ?? 'openapi/openapi.yaml';
const files = await generateFiles(spec);
await mkdir(GENERATED_DIR, { recursive: true });
for (const [name, content] of files) {
  await writeFile(join(GENERATED_DIR, name), content);
  console.log(`wrote ${join(GENERATED_DIR, name)}`);
}
