import fs from 'node:fs';
import path from 'node:path';
import { GENERATED_DIR, generatedClientFiles } from '../../scripts/generate-client';
import { entities } from '../../src/entities';
import { ENTITY_PATHS } from '../../client/src/generated/entities.js';

describe('the generated entity list of the client', () => {
  it('is what `npm run client:generate` writes from the declarations today', () => {
    for (const [name, text] of Object.entries(generatedClientFiles())) {
      const committed = fs.readFileSync(path.join(GENERATED_DIR, name), 'utf8');
      expect({ name, text: committed }).toEqual({ name, text });
    }
  });

  it('names every declared entity with its /api/v1 path', () => {
    expect(ENTITY_PATHS).toEqual(Object.fromEntries(entities.map((e) => [e.name, e.path])));
  });
});
