import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config';

/**
 * The deployment files cannot run here (no Docker, no AWS), so this keeps them honest against the config
 * module: every variable they set is one the app reads, staging and production differ only in values, and
 * the settings they carry pass the app's own validation.
 */

/** Read by the AWS SDK's default credential chain; only the local stack may set them (for MinIO). */
const AWS_SDK_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

const root = path.resolve(__dirname, '../..');
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');
const known = new Set(CONFIG_VARIABLES);
const unknownOf = (names: Iterable<string>, allowed: Set<string> = known): string[] =>
  [...names].filter((n) => !allowed.has(n));

/** `NAME=value` lines of an env file (values unquoted as a shell would). */
function readEnvFile(file: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of read(file).split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) vars.set(m[1]!, m[2]!.replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1'));
  }
  return vars;
}

/** `${NAME}` and `${NAME:-default}` references in a text, outside comment lines. */
const placeholders = (text: string): string[] => [
  ...new Set(
    [...text.replace(/^\s*#.*$/gm, '').matchAll(/\$\{([A-Z][A-Z0-9_]*)(?::-[^}]*)?\}/g)].map((m) => m[1]!),
  ),
];

/** Replaces `${NAME}` from `values`, and `${NAME:-default}` with the value or the default. */
const substitute = (text: string, values: Map<string, string> = new Map()): string =>
  text.replace(
    /\$\{([A-Z][A-Z0-9_]*)(?::-([^}]*))?\}/g,
    (_m, name: string, fallback?: string) => values.get(name) ?? fallback ?? '',
  );

const ENVIRONMENTS = ['staging', 'production'];
const environmentValues = (env: string) =>
  new Map([
    ...readEnvFile(`deploy/environments/${env}/app.env`),
    ...readEnvFile(`deploy/environments/${env}/aws.env`),
  ]);

interface TaskDefinition {
  containerDefinitions: { environment: { name: string; value: string }[]; secrets: { name: string }[] }[];
}
interface EbConfig {
  option_settings: Record<string, Record<string, string>>;
}
const EB_ENV = 'aws:elasticbeanstalk:application:environment';
const EB_SECRETS = 'aws:elasticbeanstalk:application:environmentsecrets';
const EB_DIR = 'deploy/elastic-beanstalk/.ebextensions';
const ebConfigs = (): { file: string; text: string }[] =>
  fs
    .readdirSync(path.join(root, EB_DIR))
    .filter((f) => f.endsWith('.config'))
    .map((f) => ({ file: `${EB_DIR}/${f}`, text: read(`${EB_DIR}/${f}`) }));

/** Every variable an Elastic Beanstalk environment gets: properties and secrets. */
function ebVariables(texts: string[]): { environment: Record<string, string>; secrets: string[] } {
  const environment: Record<string, string> = {};
  const secrets: string[] = [];
  for (const text of texts) {
    const settings = (parseYaml(text) as EbConfig).option_settings;
    Object.assign(environment, settings[EB_ENV] ?? {});
    secrets.push(...Object.keys(settings[EB_SECRETS] ?? {}));
  }
  return { environment, secrets };
}

/** Stand-ins for what comes from SSM / Secrets Manager at run time. */
const SECRET_STAND_INS: Record<string, string> = {
  DATABASE_URL: 'postgres://nexa:secret@db.internal:5432/nexa',
  JWT_SECRET: 'x'.repeat(48),
  REDIS_URL: 'rediss://cache.internal:6379',
  ADMIN_EMAIL: 'admin@example.com',
  ADMIN_PASSWORD: 'A-long-first-password-1',
};

describe('.env.example', () => {
  const documented = new Set(readEnvFile('.env.example').keys());

  it('documents every variable src/config.ts reads', () => {
    expect(CONFIG_VARIABLES.filter((n) => !documented.has(n))).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  const text = read('docker-compose.yml');
  const compose = parseYaml(text, { merge: true }) as {
    services: Record<string, { environment?: Record<string, unknown>; command?: string[] }>;
  };
  const appServices = ['api', 'worker'];

  it('runs the API and worker with PostgreSQL, MinIO and its bucket, Redis and a local SES', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'minio', 'minio-bucket', 'postgres', 'redis', 'ses', 'worker'].sort(),
    );
    expect(compose.services.worker!.command).toEqual(['npm', 'run', 'worker']);
  });

  it('gives the app services only variables the app (or the AWS SDK, for MinIO) reads', () => {
    const allowed = new Set([...known, ...AWS_SDK_KEYS]);
    for (const service of appServices) {
      const names = Object.keys(compose.services[service]!.environment ?? {});
      expect({ service, unknown: unknownOf(names, allowed) }).toEqual({ service, unknown: [] });
    }
  });

  it('substitutes only variables .env.example documents', () => {
    expect(unknownOf(placeholders(text), new Set(CONFIG_VARIABLES))).toEqual([]);
  });

  it('configures the real drivers, and its defaults pass the config validation', () => {
    const env = Object.fromEntries(
      Object.entries(compose.services.api!.environment!).map(([k, v]) => [k, substitute(String(v))]),
    );
    const config = loadConfig(env);
    expect(config).toMatchObject({
      env: 'production',
      storage: { driver: 's3', s3: { endpoint: 'http://minio:9000' } },
      mail: { driver: 'ses', ses: { endpoint: 'http://ses:8005' } },
    });
    expect(config.database.url).toMatch(/@postgres:5432\//);
    expect(env.REDIS_URL).toBe('redis://redis:6379');
  });
});

describe('deploy/', () => {
  const taskDefinitionText = read('deploy/ecs/task-definition.json');
  const container = (JSON.parse(taskDefinitionText) as TaskDefinition).containerDefinitions[0]!;
  const eb = ebVariables(ebConfigs().map((c) => c.text));

  it('the ECS task definition names only variables the app reads', () => {
    expect(unknownOf(container.environment.map((e) => e.name))).toEqual([]);
    expect(unknownOf(container.secrets.map((s) => s.name))).toEqual([]);
  });

  it('the Elastic Beanstalk configuration names only variables the app reads', () => {
    expect(unknownOf([...Object.keys(eb.environment), ...eb.secrets])).toEqual([]);
  });

  it('ECS and Elastic Beanstalk set the same variables and take the same secrets', () => {
    expect(Object.keys(eb.environment).sort()).toEqual(container.environment.map((e) => e.name).sort());
    expect([...eb.secrets].sort()).toEqual(container.secrets.map((s) => s.name).sort());
  });

  it('AWS credentials come from roles, never from keys in the deployment files', () => {
    const names = [...container.environment.map((e) => e.name), ...Object.keys(eb.environment)];
    expect(names.filter((n) => AWS_SDK_KEYS.includes(n))).toEqual([]);
    expect(names).not.toContain('JWT_SECRET');
    expect(names).not.toContain('DATABASE_URL');
  });

  it('staging and production set the same names, which the app reads', () => {
    for (const file of ['app.env', 'aws.env']) {
      const [staging, production] = ENVIRONMENTS.map((e) => [
        ...readEnvFile(`deploy/environments/${e}/${file}`).keys(),
      ]);
      expect({ file, names: production }).toEqual({ file, names: staging });
    }
    expect(unknownOf(readEnvFile('deploy/environments/staging/app.env').keys())).toEqual([]);
  });

  const templates = [
    'deploy/elastic-beanstalk/Dockerrun.aws.json',
    ...ebConfigs().map((c) => c.file),
    ...fs.readdirSync(path.join(root, 'deploy/ecs')).map((f) => `deploy/ecs/${f}`),
  ];

  it.each(ENVIRONMENTS)('%s defines every placeholder of the templates', (env) => {
    const values = environmentValues(env);
    for (const file of templates) {
      expect({ file, undefined: placeholders(read(file)).filter((p) => !values.has(p)) }).toEqual({
        file,
        undefined: [],
      });
    }
  });

  it.each(ENVIRONMENTS)('%s settings, with its secrets, pass the config validation', (env) => {
    const values = environmentValues(env);
    const rendered = JSON.parse(substitute(taskDefinitionText, values)) as TaskDefinition;
    const fromEcs = Object.fromEntries(
      rendered.containerDefinitions[0]!.environment.map((e) => [e.name, e.value]),
    );
    const config = loadConfig({ ...fromEcs, ...SECRET_STAND_INS });
    expect(config).toMatchObject({
      env: 'production',
      migrateOnStart: false,
      storage: { driver: 's3', s3: { bucket: values.get('S3_BUCKET') } },
      mail: { driver: 'ses' },
    });
    const fromEb = ebVariables(ebConfigs().map((c) => substitute(c.text, values))).environment;
    expect(loadConfig({ ...fromEb, ...SECRET_STAND_INS })).toEqual(config);
  });
});
