import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ENTITY_PATHS } from '../../client/src/generated/entities.js';
import { entities } from '../../src/entities';

const run = promisify(execFile);
const root = path.join(__dirname, '..', '..');

describe('the generated entity list of the client', () => {
  // In a child process: the generator formats with Prettier, whose dynamic imports Jest's runtime refuses.
  it('is what `npm run client:generate` writes from the declarations today', async () => {
    const check = run(
      path.join(root, 'node_modules', '.bin', 'tsx'),
      ['scripts/generate-client.ts', '--check'],
      {
        cwd: root,
      },
    );
    await expect(check).resolves.toMatchObject({ stderr: '' });
  }, 60_000);

  it('names every declared entity with its /api/v1 path', () => {
    expect(ENTITY_PATHS).toEqual(Object.fromEntries(entities.map((e) => [e.name, e.path])));
  });
});
