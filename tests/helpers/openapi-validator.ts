import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Validates an OpenAPI document with @seriousme/openapi-schema-validator. The package is an ES module
 * that finds its schemas through import.meta, which Jest's CommonJS runtime cannot load: it runs in a
 * child Node process instead.
 */
export function validateOpenApi(document: object): { valid: boolean; errors?: unknown } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexa-openapi-'));
  const file = path.join(dir, 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(document));
  try {
    const script =
      "import { Validator } from '@seriousme/openapi-schema-validator';" +
      'const r = await new Validator().validate(process.argv[1]);' +
      'process.stdout.write(JSON.stringify({ valid: r.valid, errors: r.errors }));';
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, file], {
      cwd: path.resolve(__dirname, '../..'),
      encoding: 'utf8',
    });
    return JSON.parse(out) as { valid: boolean; errors?: unknown };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
