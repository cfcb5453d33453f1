import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import { ACTIONS, type Role } from '#domain';
import { startTestApp, type TestApp, type TestUser } from '../support/app.js';
import { testDistrict } from '../support/http.js';

/**
 * A property-based fuzz of every route in the OpenAPI document (issue 14): valid, boundary
 * and hostile bodies, queries, path parameters and headers, sent by each role and by
 * nobody. For every request:
 *  - no response is 500 or above;
 *  - every 4xx is the one error shape (statusCode, code, message, errors[field, rule,
 *    message], details, correlationId), and a body field that is wrong is named;
 *  - a refused request (4xx) leaves the event log as it was (count and last position), but
 *    for the failed-login events a wrong password is recorded with, on purpose.
 *
 * FUZZ_RUNS (requests per route, default 25) and FUZZ_SEED (default fixed) make a longer or
 * different run: FUZZ_RUNS=500 FUZZ_SEED=$RANDOM npx jest test/reliability/fuzz.e2e-spec.ts;
 * FUZZ_ROUTES (a regular expression over "METHOD /path") runs some routes only, and
 * FUZZ_REPORT=1 prints each fault as found and the statuses each route answered.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
/** FUZZ_ROUTES: only the routes whose "METHOD /path" matches this regular expression. */
const ONLY = new RegExp(process.env.FUZZ_ROUTES ?? '');
/** The events a refused request may append: a wrong password counts towards the lock. */
const RECORDED_REFUSALS = new Set(['UserLoginFailed', 'UserLocked']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Schema {
  type?: string;
  enum?: Json[];
  example?: Json;
  default?: Json;
  format?: string;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minLength?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
  allOf?: Schema[];
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
  roles: readonly Role[];
}

/** What a generated request changed from a valid one, so a refusal can be checked to name it. */
type Fault =
  | { kind: 'none' }
  | { kind: 'bodyField'; field: string; typeMismatch: boolean; impossibleDate: boolean }
  | { kind: 'missing'; field: string }
  | { kind: 'unknown'; field: string }
  | { kind: 'other' };

interface FuzzRequest {
  as: Role | 'anonymous';
  /** The operation's own, or another one on its path. */
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  fault: Fault;
  /** Every part came from the valid pools (real records, valid values). */
  valid: boolean;
  /** The path and query came from the valid pools (so validation reaches the body). */
  urlValid: boolean;
  /** The one faulty path or query parameter or header ("query:limit"), when there is one. */
  faultyPart?: string;
  /** A query parameter given an impossible date. */
  impossibleQueryDate?: string;
}

const ROLES: Role[] = ['officer', 'dispatcher', 'handler', 'leader', 'admin'];
const ERROR_KEYS = new Set(['statusCode', 'code', 'message', 'errors', 'details', 'correlationId']);
const FIXED_NOW = new Date('2026-11-20T02:00:00Z');

let t: TestApp;
let pool: pg.Pool;
let operations: Operation[];
let schemas: Record<string, Schema>;
const actors = new Map<Role, TestUser>();
/** The account that logs out and changes its password (its session is renewed after). */
let selfUser: TestUser;
const real = {
  enterprises: [] as string[],
  archivable: [] as string[],
  cases: [] as string[],
  withdrawable: [] as string[],
  visits: [] as string[],
  campaigns: [] as string[],
  usernames: [] as string[],
  retirable: [] as string[],
  positions: [] as string[],
  versions: ['"0"', '"1"', '"2"', '1'],
  refreshTokens: [] as string[],
};

beforeAll(async () => {
  t = await startTestApp(
    {
      // Far above what the fuzz sends, so no refusal is a rate limit.
      RATE_LIMIT_LOGIN_PER_MINUTE: 1_000_000,
      RATE_LIMIT_LOGIN_PER_ADDRESS_PER_MINUTE: 1_000_000,
      RATE_LIMIT_WRITES_PER_MINUTE: 1_000_000,
      RATE_LIMIT_READS_PER_MINUTE: 1_000_000,
      // The clock stands still, so the SLA clock has nothing to append while the fuzz runs.
      SLA_CLOCK_INTERVAL_MS: 3_600_000,
    },
    { clock: { now: () => FIXED_NOW } },
  );
  pool = new pg.Pool({ connectionString: t.db.url, max: 2 });
  for (const role of ROLES) actors.set(role, await t.user(role));
  selfUser = await t.newUser('leader', {}, 'fuzz.self');
  for (const name of ['fuzz.target.a', 'fuzz.target.b'])
    real.usernames.push((await t.newUser('officer', { street: 'bantian' }, name)).username);
  const refresher = await t.newUser('dispatcher', {}, 'fuzz.refresh');
  real.refreshTokens.push(refresher.refreshToken);

  const d = testDistrict(t, 9700);
  for (let i = 0; i < 3; i++) real.enterprises.push((await d.registerEnterprise()).code);
  real.archivable.push((await d.registerEnterprise()).code);
  const open = async () => {
    const res = await d.openCase(real.enterprises[0]!);
    real.positions.push(res.body.position);
    return res.body.id as string;
  };
  const fresh = await open();
  const dispatched = await open();
  await d.steps(dispatched, [['dispatch', { leadDepartment: 'industry_it' }]]);
  const accepted = await open();
  await d.steps(accepted, [
    ['dispatch', { leadDepartment: 'industry_it', coDepartments: ['finance'] }],
    ['accept'],
  ]);
  const responded = await open();
  await d.steps(responded, [
    ['dispatch', { leadDepartment: 'industry_it' }],
    ['accept'],
    ['first-response', { message: '已联系企业' }],
  ]);
  real.cases.push(fresh, dispatched, accepted, responded);
  real.withdrawable.push(await open());
  const visit = await t.request('POST', '/api/v1/visits', {
    as: 'officer',
    body: {
      enterpriseId: real.enterprises[1],
      visitedOn: '2026-11-19',
      level: 'street',
      officers: ['王科长'],
      summary: '了解企业扩产计划',
      problems: [{ category: 'financing', description: '设备贷款' }],
    },
  });
  expect(visit.status).toBe(201);
  real.visits.push(visit.body.id);
  real.cases.push(...visit.body.caseIds);
  const campaign = await t.request('POST', '/api/v1/campaigns', {
    body: {
      name: '坂田街道秋季扫楼行动',
      startsOn: '2026-11-01',
      endsOn: '2026-11-30',
      enterpriseIds: real.enterprises.slice(0, 2),
    },
  });
  expect(campaign.status).toBe(201);
  real.campaigns.push(campaign.body.id);
  for (const code of ['fuzz_street_a', 'fuzz_street_b']) {
    const res = await t.request('POST', '/api/v1/reference/street', {
      as: 'admin',
      body: { code, name: `测试街道${code.slice(-1)}` },
    });
    expect(res.status).toBe(201);
    real.retirable.push(code);
  }

  const docs = await fetch(`${await t.app.getUrl()}/docs-json`);
  expect(docs.status).toBe(200);
  const document = (await docs.json()) as {
    paths: Record<string, Record<string, any>>;
    components: { schemas: Record<string, Schema> };
  };
  schemas = document.components.schemas;
  operations = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const served = t.routes.find(
        (r) => r.method === method.toUpperCase() && r.path === path.replace(/\{(\w+)\}/g, ':$1'),
      );
      const declared: Parameter[] = op.parameters ?? [];
      // Path parameters the document forgot to declare still get values.
      const implicit = [...path.matchAll(/\{(\w+)\}/g)]
        .filter(([, name]) => !declared.some((p) => p.in === 'path' && p.name === name))
        .map(([, name]) => ({ name: name!, in: 'path' as const, required: true, schema: {} }));
      const action = served?.policy?.action;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: [...declared, ...implicit],
        body: op.requestBody?.content?.['application/json']?.schema,
        roles: action ? (ACTIONS[action] as readonly Role[]) : [],
      });
    }
  }
}, 240_000);

afterAll(async () => {
  await pool?.end();
  await t?.close();
});

// ---------------------------------------------------------------------------------------
// Values

const resolve = (schema: Schema | undefined): Schema => {
  if (!schema) return {};
  if (schema.$ref) return resolve(schemas[schema.$ref.split('/').pop()!]);
  if (schema.allOf?.length) return { ...resolve(schema.allOf[0]), ...schema, allOf: undefined };
  return schema;
};

const nested = (depth: number, leaf: Json): Json =>
  Array.from({ length: depth }).reduce<Json>((inner) => [inner], leaf);
const deepObject = (depth: number): Json =>
  Array.from({ length: depth }).reduce<Json>((inner) => ({ a: inner }), 1);

/** Values no field of this API accepts as they are, or that break careless code. */
const HOSTILE: Json[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00',
  '\u202e\u200b',
  '𠮷野家',
  '0',
  '-1',
  '1e3',
  '0x10',
  'true',
  'null',
  'NaN',
  'Infinity',
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '2026-11-31',
  '0000-01-01',
  '9999-12-31',
  '+275760-09-13',
  '2026-02-30T25:61:61Z',
  '2026-11-20T02:00:00Z',
  '2026-W47',
  '2026-Q5',
  '2026-Q0',
  '2026-1',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00',
  '*',
  '/',
  'x'.repeat(4001),
  'x'.repeat(70_000),
  '长'.repeat(5000),
  {},
  [],
  [null],
  [''],
  { $gt: '' },
  { length: 1 },
  Array.from({ length: 10_000 }, () => 'x'),
  Array.from({ length: 50_000 }, (_, i) => i),
  nested(20, 'x'),
  nested(40, 'x'),
  deepObject(31),
  deepObject(33),
];

const hostile: fc.Arbitrary<Json> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE), weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true })), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, weight: 1 },
);

/** Raw bodies that are not a JSON object at all, or abuse the parser. */
const RAW_BODIES = [
  '',
  'null',
  '[]',
  '"text"',
  '42',
  '{',
  '{"a":1,}',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '\u0000',
  '[' + '1,'.repeat(100_000) + '1]',
  '['.repeat(5000) + ']'.repeat(5000),
  'x'.repeat(1_100_000),
];

/** Real values by field or parameter name, where a made-up one would only be refused. */
function realValues(name: string, path: string): Json[] | undefined {
  switch (name) {
    case 'enterpriseId':
      return real.enterprises;
    case 'enterpriseIds':
      return [real.enterprises.slice(0, 2)];
    case 'creditCode':
      return ['91440300708461136T', real.enterprises[0]!];
    case 'category':
      return ['power_supply', 'financing', 'industrial_space'];
    case 'street':
      return ['bantian', 'pinghu'];
    case 'department':
    case 'leadDepartment':
    case 'toDepartment':
      return ['industry_it', 'finance', 'development_reform'];
    case 'coDepartments':
      return [['finance'], []];
    case 'username':
      // Logins with real names and wrong passwords: refusals the event log records.
      return path.includes('{username}') || path.endsWith('/auth/login')
        ? real.usernames
        : [`fuzz.new.${randomUUID().slice(0, 8)}`];
    case 'password':
    case 'newPassword':
      return ['Fuzz-Password-2026x'];
    case 'currentPassword':
      return [selfUser.password, 'wrong-password-1'];
    case 'refreshToken':
      return [...real.refreshTokens, `${randomUUID()}.abc`];
    case 'code':
      return path.includes('{code}') ? real.retirable : ['fuzz_code_new'];
    case 'kind':
      return ['street', 'department', 'category'];
    case 'year':
      return [2027, 2026];
    case 'date':
      return ['2027-02-20', '2026-12-24'];
    case 'visitedOn':
      return ['2026-11-19'];
    case 'startsOn':
      return ['2026-11-01'];
    case 'endsOn':
      return ['2026-11-30'];
    case 'requestedDueAt':
      return ['2026-12-31T18:00:00+08:00'];
    case 'effectiveFrom':
      return ['2026-12-01T00:00:00+08:00'];
    case 'month':
      return ['2026-11'];
    case 'quarter':
      return ['2026-Q4'];
    case 'from':
    case 'openedFrom':
      return ['2026-11-01'];
    case 'to':
    case 'openedTo':
      return ['2026-11-30'];
    case 'on':
      return ['2026-11-20'];
    case 'status':
      return path.includes('cases') || path.includes('dispatch')
        ? [['new'], ['dispatched', 'accepted']]
        : undefined;
    case 'weights':
      return ['30,35,35'];
    case 'key':
      return path.includes('policies') ? ['power_supply/urgent', '*/high', '*/*'] : ['industry_it'];
    case 'id':
      if (path.startsWith('/api/v1/enterprises/{id}/archive')) return real.archivable;
      if (path.startsWith('/api/v1/enterprises')) return real.enterprises;
      if (path.includes('/withdraw')) return real.withdrawable;
      if (path.startsWith('/api/v1/cases')) return real.cases;
      if (path.startsWith('/api/v1/visits')) return real.visits;
      if (path.startsWith('/api/v1/campaigns')) return real.campaigns;
      return undefined;
    case 'Idempotency-Key':
      return [randomUUID()];
    case 'If-Match':
      return real.versions;
    case 'X-Consistent-With':
      return real.positions;
    default:
      return undefined;
  }
}

/** A value the schema allows (for a string without a rule, something plausible). */
function validValue(schema: Schema | undefined, name: string, path: string): fc.Arbitrary<Json> {
  const s = resolve(schema);
  const known = realValues(name, path);
  if (known?.length) return fc.constantFrom(...known);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  if (s.example !== undefined && s.type !== 'object') return fc.constant(s.example);
  switch (s.type) {
    case 'number':
    case 'integer': {
      const min = s.minimum ?? 0;
      const max = s.maximum ?? 1000;
      return fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max }));
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(s.items, name, path), { maxLength: 3 });
    case 'object':
      return s.properties ? validObject(s, path) : fc.constant({});
    default:
      return fc.constantFrom('企业反映用电紧张', 'fuzz', '测试 test 123');
  }
}

function validObject(schema: Schema, path: string): fc.Arbitrary<Json> {
  const s = resolve(schema);
  const entries = Object.entries(s.properties ?? {});
  const model: Record<string, fc.Arbitrary<Json>> = {};
  for (const [key, prop] of entries) model[key] = validValue(prop, key, path);
  return fc.record(model, { requiredKeys: s.required ?? [] }) as fc.Arbitrary<Json>;
}

/** Values at and just past a schema's bounds. */
function boundary(schema: Schema): Json[] {
  const s = resolve(schema);
  const out: Json[] = [];
  if (s.minimum !== undefined) out.push(s.minimum, s.minimum - 1, s.minimum - 0.5);
  if (s.maximum !== undefined) out.push(s.maximum, s.maximum + 1, s.maximum + 0.5);
  if (s.maxLength !== undefined) out.push('x'.repeat(s.maxLength), 'x'.repeat(s.maxLength + 1));
  if (s.enum?.length) out.push(String(s.enum[0]).toUpperCase(), ` ${String(s.enum[0])}`);
  return out;
}

/** Dates no calendar has, in the forms the API reads. */
const IMPOSSIBLE_DATES = new Set<Json>([
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '2026-11-31',
  '2026-02-30T25:61:61Z',
  '2026-Q5',
  '2026-Q0',
]);
/** Whether `value` is an impossible date given to a field whose valid values are dates. */
function impossibleDate(name: string, path: string, value: Json): boolean {
  const known = realValues(name, path) ?? [];
  const dateLike = known.some((v) => typeof v === 'string' && /^\d{4}-(\d{2}|Q\d)/.test(v));
  return dateLike && IMPOSSIBLE_DATES.has(value);
}

const jsonType = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
/** Whether `value` is not of the field's type (null counts as left out where it is optional). */
const mismatches = (schema: Schema, value: Json, required: boolean): boolean => {
  const s = resolve(schema);
  const type = s.type === 'integer' ? 'number' : s.type;
  if (!type || (value === null && (s.nullable || !required))) return false;
  return jsonType(value) !== type;
};

// ---------------------------------------------------------------------------------------
// Requests

/** Percent-encodes any string, lone surrogates included (as their CESU-8 bytes). */
function encode(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(ch);
  }
  return out;
}
const asText = (v: Json) => (typeof v === 'string' ? v : JSON.stringify(v));

/** Path segments sent as they are (already encoded): traversal, bad escapes, NUL. */
const RAW_SEGMENTS = ['%00', '%ED%A0%80', '%FF', '%', '%zz', '..', '%2e%2e', '%2F', 'a%20b'];

type Part = { text: string; valid: boolean; impossibleDate?: string };

/** A path parameter: a real record's (valid), or a made-up, hostile or raw one. */
function pathValue(param: Parameter, op: Operation, faulty: boolean): fc.Arbitrary<Part> {
  const known = realValues(param.name, op.path) ?? resolve(param.schema).enum ?? [];
  if (!faulty && known.length)
    return fc.constantFrom(...known).map((v) => ({ text: encode(asText(v)), valid: true }));
  return fc.oneof(
    {
      arbitrary: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 30 })).map((s) => ({
        text: encode(s),
        valid: false,
      })),
      weight: 2,
    },
    {
      arbitrary: hostile
        .filter((v) => asText(v).length > 0 && asText(v).length < 20_000)
        .map((v) => ({ text: encode(asText(v)), valid: false })),
      weight: 3,
    },
    {
      arbitrary: fc.constantFrom(...RAW_SEGMENTS).map((text) => ({ text, valid: false })),
      weight: 1,
    },
  );
}

/** A query parameter: left out or valid, or hostile, at a bound, or in an abusive form. */
function queryPart(param: Parameter, op: Operation, faulty: boolean): fc.Arbitrary<Part> {
  const schema = resolve(param.schema);
  const key = encode(param.name);
  const one = (v: Json) => `${key}=${encode(asText(v))}`;
  // A cursor is only ever one the API handed out, and the drill-down and handled filters
  // hold only together with others: left out when valid.
  if (!faulty && CONSTRAINED_QUERY.has(param.name)) return fc.constant({ text: '', valid: true });
  if (!faulty)
    return fc.oneof(
      fc.constant({ text: '', valid: true }),
      validValue(schema, param.name, op.path).map((v) => ({
        text: Array.isArray(v) ? v.map(one).join('&') : one(v),
        valid: true,
      })),
    );
  return fc.oneof(
    {
      arbitrary: hostile
        .filter((v) => asText(v).length < 20_000)
        .map((v) => ({
          text: one(v),
          valid: false,
          ...(impossibleDate(param.name, op.path, v) ? { impossibleDate: param.name } : {}),
        })),
      weight: 4,
    },
    {
      arbitrary: fc
        .constantFrom(...boundary(schema), '')
        .map((v) => ({ text: one(v), valid: false })),
      weight: 1,
    },
    {
      // Repeated, bracketed and prototype-polluting forms of the key.
      arbitrary: fc
        .constantFrom(
          `${key}=a&${key}=b`,
          `${key}[]=1`,
          `${key}[a]=1`,
          `${key}[__proto__][x]=1`,
          Array.from({ length: 2000 }, () => `${key}=1`).join('&'),
          `${key}`,
          `${key}=%`,
          `${key}=%ED%A0%80`,
          `${key}=%00`,
        )
        .map((text) => ({ text, valid: false })),
      weight: 1,
    },
  );
}

const CONSTRAINED_QUERY = new Set(['cursor', 'handled', 'dimension', 'key', 'metric']);

/** Bodies labelled as something else than JSON, or as JSON oddly. */
const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/JSON',
  'application/merge-patch+json',
  'application/octet-stream',
  '',
  'application/json, text/plain',
];

const EXTRA_QUERY = [
  'unknownParam=1',
  '__proto__[polluted]=1',
  'constructor[prototype][polluted]=1',
  'q=' + 'x'.repeat(10_000),
];

function headerValue(
  param: Parameter,
  op: Operation,
  faulty: boolean,
): fc.Arbitrary<string | undefined> {
  const known = (realValues(param.name, op.path) ?? []).map(asText);
  const printable = fc.string({ unit: 'grapheme-ascii', maxLength: 60 });
  if (!faulty) return fc.constantFrom(undefined, ...known);
  return fc.oneof({
    arbitrary: fc.oneof(
      printable,
      fc.constantFrom(
        '',
        ' ',
        '-1',
        '"-1"',
        'W/"1"',
        '*',
        '99999999999999999999',
        '"9007199254740993"',
        '1:1',
        '0:0',
        '-1:-1',
        '1:2:3',
        'abc',
        '9223372036854775808:1',
        'x'.repeat(300),
        'short',
      ),
    ),
    weight: 2,
  });
}

type BodyPart = { payload?: string; fault: Fault; valid: boolean };

function bodyArbitrary(op: Operation, faulty: boolean): fc.Arbitrary<BodyPart> {
  // fetch sends no body with GET or HEAD.
  if (op.method === 'GET' || op.method === 'HEAD')
    return fc.constant<BodyPart>({ fault: { kind: 'none' }, valid: true });
  if (!op.body && !faulty) return fc.constant<BodyPart>({ fault: { kind: 'none' }, valid: true });
  if (!op.body) {
    return fc.oneof(
      { arbitrary: fc.constant<BodyPart>({ fault: { kind: 'none' }, valid: true }), weight: 4 },
      {
        arbitrary: fc
          .constantFrom('{}', '{"unknown":1}', '[]', '{"__proto__":{"a":1}}', 'null')
          .map((payload): BodyPart => ({ payload, fault: { kind: 'other' }, valid: false })),
        weight: 1,
      },
    );
  }
  const schema = resolve(op.body);
  const props = Object.entries(schema.properties ?? {});
  const valid = validObject(schema, op.path) as fc.Arbitrary<Record<string, Json>>;
  if (!faulty)
    return valid.map((b) => ({ payload: JSON.stringify(b), fault: { kind: 'none' }, valid: true }));
  const arbs: fc.WeightedArbitrary<BodyPart>[] = [
    {
      arbitrary: fc
        .constantFrom(...RAW_BODIES)
        .map((payload): BodyPart => ({ payload, fault: { kind: 'other' }, valid: false })),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(valid, fc.constantFrom('unknownField', '__proto__', 'constructor', 'prototype'))
        .map(([b, field]): BodyPart => {
          // Built as text: an object literal's __proto__ would set its prototype instead.
          const inner = JSON.stringify(b).slice(1, -1);
          return {
            payload: `{${inner}${inner ? ',' : ''}${JSON.stringify(field)}:{"polluted":true}}`,
            fault: { kind: 'unknown', field },
            valid: false,
          };
        }),
      weight: 1,
    },
  ];
  if (props.length) {
    const [names, schemaOf] = [props.map(([k]) => k), Object.fromEntries(props)];
    arbs.push(
      {
        arbitrary: fc
          .tuple(
            valid,
            fc.constantFrom(...names),
            fc.oneof(
              { arbitrary: hostile, weight: 4 },
              {
                arbitrary: fc.constantFrom(...props.flatMap(([, p]) => boundary(p)), null as Json),
                weight: 1,
              },
            ),
          )
          .map(([b, field, value]): BodyPart => {
            const body = { ...b, [field]: value };
            return {
              payload: JSON.stringify(body),
              fault: {
                kind: 'bodyField',
                field,
                typeMismatch: mismatches(
                  schemaOf[field]!,
                  value,
                  schema.required?.includes(field) ?? false,
                ),
                impossibleDate: impossibleDate(field, op.path, value),
              },
              valid: false,
            };
          }),
        weight: 6,
      },
      {
        arbitrary: fc
          .tuple(valid, fc.constantFrom(...(schema.required?.length ? schema.required : names)))
          .map(([b, field]): BodyPart => {
            const body = { ...b };
            delete body[field];
            const required = schema.required?.includes(field) ?? false;
            return {
              payload: JSON.stringify(body),
              fault: required ? { kind: 'missing', field } : { kind: 'other' },
              valid: !required,
            };
          }),
        weight: 1,
      },
    );
  }
  return fc.oneof(...arbs);
}

/**
 * A request with one faulty part (a path parameter, a query parameter, a header or the
 * body) and every other part valid, so each fault reaches the check that should refuse
 * it; now and then a valid request, or one where every part is faulty at once.
 */
function requestArbitrary(op: Operation): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');
  const allowed = op.roles.length ? [...op.roles] : ROLES;
  const others: (Role | 'anonymous')[] = [
    'anonymous',
    ...ROLES.filter((r) => !allowed.includes(r)),
  ];
  const targets = [
    'none',
    'all',
    'body',
    'body',
    'extraQuery',
    'method',
    ...(op.method === 'GET' ? [] : ['contentType']),
    ...pathParams.map((p) => `path:${p.name}`),
    ...pathParams.map((p) => `path:${p.name}`),
    ...queryParams.map((p) => `query:${p.name}`),
    ...headerParams.map((p) => `header:${p.name}`),
  ];
  return fc.constantFrom(...targets).chain((target) => {
    const faulty = (part: string) => target === 'all' || target === part;
    return fc
      .record({
        as: fc.oneof(
          { arbitrary: fc.constantFrom(...allowed), weight: 8 },
          { arbitrary: fc.constantFrom(...others), weight: 1 },
        ),
        path: fc.tuple(...pathParams.map((p) => pathValue(p, op, faulty(`path:${p.name}`)))),
        query: fc.tuple(...queryParams.map((p) => queryPart(p, op, faulty(`query:${p.name}`)))),
        extraQuery: faulty('extraQuery') ? fc.constantFrom(...EXTRA_QUERY) : fc.constant(''),
        headers: fc.tuple(
          ...headerParams.map((p) => headerValue(p, op, faulty(`header:${p.name}`))),
        ),
        body: bodyArbitrary(op, faulty('body')),
        contentType: faulty('contentType')
          ? fc.constantFrom(...CONTENT_TYPES)
          : fc.constant(undefined),
        chinese: fc.boolean(),
        method: faulty('method')
          ? fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS')
          : fc.constant(op.method),
      })
      .map(
        ({
          as,
          path,
          query,
          extraQuery,
          headers,
          body,
          contentType,
          chinese,
          method,
        }): FuzzRequest => {
          let i = 0;
          const url = op.path.replace(/\{\w+\}/g, () => path[i++]!.text);
          const qs = [...query.map((q) => q.text), extraQuery].filter(Boolean).join('&');
          const sent: Record<string, string> = {};
          headerParams.forEach((p, j) => {
            if (headers[j] !== undefined) sent[p.name] = headers[j]!;
          });
          if (contentType !== undefined) sent['content-type'] = contentType;
          // The web app asks for Chinese messages: both languages go through the same checks.
          if (chinese) sent['accept-language'] = 'zh-CN,zh;q=0.9';
          const urlValid = path.every((p) => p.valid) && query.every((q) => q.valid) && !extraQuery;
          return {
            as,
            method,
            url: qs ? `${url}?${qs}` : url,
            headers: sent,
            payload: method === 'GET' || method === 'HEAD' ? undefined : body.payload,
            // Sent with another method, the body is another route's (or none): no claim on it.
            fault: method === op.method ? body.fault : { kind: 'other' },
            valid:
              body.valid &&
              urlValid &&
              !target.startsWith('header') &&
              target !== 'contentType' &&
              method === op.method,
            urlValid,
            faultyPart: /^(path|query|header):/.test(target) ? target : undefined,
            impossibleQueryDate: query.find((q) => q.impossibleDate)?.impossibleDate,
          };
        },
      );
  });
}

// ---------------------------------------------------------------------------------------
// Properties

async function logHead(): Promise<{ count: number; last: string }> {
  const { rows } = await pool.query<{ count: number; last: string }>(
    `SELECT count(*)::int AS count, coalesce(max(global_position), 0)::text AS last FROM events`,
  );
  return rows[0]!;
}

let serial = 0;

async function send(op: Operation, request: FuzzRequest) {
  const correlationId = `fuzz-${SEED}-${++serial}`;
  const actor =
    request.as === 'anonymous'
      ? undefined
      : op.path === '/api/v1/auth/logout' || op.path === '/api/v1/auth/password'
        ? selfUser
        : actors.get(request.as)!;
  const headers: Record<string, string> = {
    'x-correlation-id': correlationId,
    ...(request.payload !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(actor ? { authorization: `Bearer ${actor.accessToken}` } : {}),
    ...request.headers,
  };
  const response = await fetch(`${await t.app.getUrl()}${request.url}`, {
    method: request.method,
    headers,
    body: request.payload,
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body, correlationId, actor };
}

/** The first way a 4xx body is not the one error shape, or null. */
function shapeFault(
  status: number,
  body: any,
  correlationId: string,
  request: FuzzRequest,
): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'not a JSON object';
  const extra = Object.keys(body).filter((k) => !ERROR_KEYS.has(k));
  if (extra.length) return `unexpected keys ${extra.join(', ')}`;
  if (body.statusCode !== status) return `statusCode ${body.statusCode} for ${status}`;
  if (typeof body.code !== 'string' || !/^[A-Z][A-Z_]*(\.[A-Z0-9_]+)+$/.test(body.code))
    return `code ${JSON.stringify(body.code)}`;
  if (/^HTTP\./.test(body.code)) return `generic code ${body.code}: no rule of ours answered`;
  if (typeof body.message !== 'string' || !body.message) return 'no message';
  // A request Node's parser refused (its headers unread) gets a fresh correlation id.
  const unread = status === 431 || body.code === 'REQUEST.MALFORMED';
  if (unread ? typeof body.correlationId !== 'string' : body.correlationId !== correlationId)
    return `correlationId ${body.correlationId}`;
  if (body.details !== undefined && (typeof body.details !== 'object' || body.details === null))
    return 'details not an object';
  if (body.errors !== undefined) {
    if (!Array.isArray(body.errors) || body.errors.length === 0) return 'errors empty';
    for (const e of body.errors) {
      if (
        !e ||
        typeof e.field !== 'string' ||
        !e.field ||
        typeof e.rule !== 'string' ||
        !e.rule ||
        typeof e.message !== 'string' ||
        Object.keys(e).some((k) => !['field', 'rule', 'message'].includes(k))
      )
        return `field error ${JSON.stringify(e)}`;
    }
  }
  if (status === 400 && body.code === 'REQUEST.INVALID' && !body.errors?.length)
    return 'REQUEST.INVALID without the field';
  // A body field that is wrong, missing or unknown is named (when validation refused it).
  const fault = request.fault;
  if (
    status === 400 &&
    body.code === 'REQUEST.INVALID' &&
    fault.kind !== 'none' &&
    request.urlValid
  ) {
    const fields: string[] = body.errors.map((e: { field: string }) => e.field);
    const names = (f: string) => fields.some((x) => x === f || x.startsWith(`${f}.`));
    if (fault.kind === 'bodyField' && fault.typeMismatch && !names(fault.field))
      return `${fault.field} has the wrong type but errors name ${fields.join(', ')}`;
    if ((fault.kind === 'missing' || fault.kind === 'unknown') && !names(fault.field))
      return `${fault.field} is ${fault.kind} but errors name ${fields.join(', ')}`;
  }
  // A refused path or query parameter, or header, is named as sent.
  if (request.faultyPart && status === 400 && body.errors?.length) {
    const [where, name] = request.faultyPart.split(':') as [string, string];
    const fields: string[] = body.errors.map((e: { field: string }) => e.field.toLowerCase());
    const wanted = name.toLowerCase();
    if (
      (where === 'header' || body.code === 'REQUEST.INVALID') &&
      !fields.some((f) => f === wanted || f.startsWith(`${wanted}.`) || f.startsWith(`${wanted}[`))
    )
      return `the ${where} parameter ${name} was wrong but errors name ${fields.join(', ')}`;
  }
  return null;
}

async function renewSelf() {
  const me = await fetch(`${await t.app.getUrl()}/api/v1/auth/me`, {
    headers: { authorization: `Bearer ${selfUser.accessToken}` },
  });
  if (me.status === 200) return;
  const admin = actors.get('admin')!;
  await fetch(`${await t.app.getUrl()}/api/v1/users/${selfUser.username}/unlock`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.accessToken}` },
  });
  const login = await fetch(`${await t.app.getUrl()}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: selfUser.username, password: selfUser.password }),
  });
  const tokens = (await login.json()) as { accessToken: string; refreshToken: string };
  if (login.status !== 200) throw new Error(`fuzz.self cannot log in: ${JSON.stringify(tokens)}`);
  selfUser.accessToken = tokens.accessToken;
  selfUser.refreshToken = tokens.refreshToken;
}

/** Long runs of one character or token shortened, so a report stays readable. */
const short = (text: string) =>
  text
    .replace(/(.{1,12}?)\1{20,}/gsu, (run, unit: string) => `${unit}…×${run.length / unit.length}`)
    .slice(0, 1200);

/** Statuses answered per route, printed with FUZZ_REPORT=1 to see what the fuzz reached. */
const statuses = new Map<string, Map<string, number>>();

async function check(op: Operation, request: FuzzRequest): Promise<void> {
  const before = await logHead();
  const { status, body, correlationId, actor } = await send(op, request);
  const after = await logHead();
  const counts = statuses.get(`${op.method} ${op.path}`) ?? new Map<string, number>();
  const label = `${status}${status >= 400 ? ` ${body?.code}` : ''}`;
  counts.set(label, (counts.get(label) ?? 0) + 1);
  statuses.set(`${op.method} ${op.path}`, counts);
  if (actor === selfUser) {
    if (op.path === '/api/v1/auth/password' && status === 200) {
      selfUser.password = JSON.parse(request.payload!).newPassword;
      selfUser.accessToken = body.accessToken;
      selfUser.refreshToken = body.refreshToken;
    }
    await renewSelf();
  }
  const where = short(
    `${request.method} ${request.url} as ${request.as}${request.payload !== undefined ? ` with ${request.payload}` : ''}` +
      `${Object.keys(request.headers).length ? ` ${JSON.stringify(request.headers)}` : ''} → ${status} ${JSON.stringify(body)}`,
  );
  if (status >= 500) throw new Error(`${status} answered: ${where}`);
  if (status >= 400) {
    const fault = shapeFault(status, body, correlationId, request);
    if (fault) throw new Error(`not the one error shape (${fault}): ${where}`);
    if (before.count !== after.count || before.last !== after.last) {
      const { rows } = await pool.query<{ type: string; correlation: string }>(
        `SELECT event_type AS type, metadata->>'correlationId' AS correlation
           FROM events WHERE global_position > $1 ORDER BY global_position`,
        [before.last],
      );
      const allowed = rows.every(
        (r) => RECORDED_REFUSALS.has(r.type) && r.correlation === correlationId,
      );
      if (!allowed)
        throw new Error(
          `a refused request changed the event log (${JSON.stringify(rows)}): ${where}`,
        );
    }
  }
  // Wrong types and impossible dates are refused, never stored or searched for.
  if (status < 300) {
    const fault = request.fault;
    if (fault.kind === 'bodyField' && fault.typeMismatch)
      throw new Error(`${fault.field} of the wrong type accepted: ${where}`);
    if (fault.kind === 'unknown')
      throw new Error(`the unknown field ${fault.field} accepted: ${where}`);
    if (fault.kind === 'bodyField' && fault.impossibleDate)
      throw new Error(`an impossible date in ${fault.field} accepted: ${where}`);
    if (request.impossibleQueryDate)
      throw new Error(`an impossible date in ${request.impossibleQueryDate} accepted: ${where}`);
  }
  // A documented route answers a valid request from a role it allows with something of its own.
  if (request.valid && request.as !== 'anonymous' && body?.code === 'ROUTE.NOT_FOUND')
    throw new Error(`a documented route is not served: ${where}`);
}

describe('the fuzz of every documented route', () => {
  it('covers every route the application serves', () => {
    const documented = new Set(
      operations.map((o) => `${o.method} ${o.path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const missing = t.routes.map((r) => `${r.method} ${r.path}`).filter((r) => !documented.has(r));
    expect(missing).toEqual([]);
  });

  it(
    `answers every request below 500, refusals in the one error shape, the log untouched by them (${RUNS} runs per route, seed ${SEED})`,
    async () => {
      // Every distinct fault of every route, not only the first: a failing request is
      // recorded (a few per route and kind) and the run goes on.
      const failures: string[] = [];
      const timings: [string, number][] = [];
      for (const op of operations.filter((o) => ONLY.test(`${o.method} ${o.path}`))) {
        const seen = new Map<string, number>();
        const started = Date.now();
        // Logins and password changes hash with argon2: fewer of them.
        const argon = /\/auth\/(login|password|logout|refresh)$/.test(op.path);
        await fc.assert(
          fc.asyncProperty(requestArbitrary(op), async (request) => {
            try {
              await check(op, request);
            } catch (error) {
              const message = (error as Error).message;
              const kind = message.slice(0, message.indexOf(':'));
              const n = seen.get(kind) ?? 0;
              seen.set(kind, n + 1);
              if (n < 2) {
                failures.push(`${op.method} ${op.path}: ${message}`);
                // At once too, so a long run that is stopped still tells what it found.
                if (process.env.FUZZ_REPORT) console.warn(`${op.method} ${op.path}: ${message}`);
              }
            }
          }),
          { numRuns: argon ? Math.ceil(RUNS / 3) : RUNS, seed: SEED },
        );
        timings.push([`${op.method} ${op.path}`, Date.now() - started]);
      }
      if (process.env.FUZZ_REPORT)
        console.log(
          timings
            .map(
              ([op, ms]) =>
                `${ms} ms ${op}: ${[...statuses.get(op)!].map(([k, n]) => `${k} ×${n}`).join(', ')}`,
            )
            .join('\n'),
        );
      expect(failures).toEqual([]);
      // About 0.1 s a request on a loaded machine, ~55 routes: room for FUZZ_RUNS.
    },
    120_000 + RUNS * 15_000,
  );
});
