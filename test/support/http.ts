import { aCreditCode } from '../../libs/domain/src/testing/builders.js';
import type { Response, TestApp } from './app.js';

export function expectError(res: { status: number; body: any }, status: number, code: string) {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(typeof res.body.message).toBe('string');
  expect(res.body.correlationId).toEqual(expect.any(String));
}

/** Builders that go through the HTTP API, with credit codes unique within one test file. */
export function testDistrict(t: TestApp, firstCode: number) {
  let next = firstCode;
  const newCode = () => aCreditCode(next++);
  return {
    newCode,
    async registerEnterprise(overrides: Record<string, unknown> = {}) {
      const code = (overrides.creditCode as string) ?? newCode();
      const res = await t.request('POST', '/api/v1/enterprises', {
        body: {
          creditCode: code,
          name: '深圳市龙岗示例科技有限公司',
          street: 'bantian',
          ...overrides,
        },
      });
      expect(res.status).toBe(201);
      return { code, res };
    },
    async openCase(
      enterpriseId: string,
      headers: Record<string, string> = {},
      overrides: Record<string, unknown> = {},
    ): Promise<Response> {
      const res = await t.request('POST', '/api/v1/cases', {
        body: {
          enterpriseId,
          category: 'power_supply',
          channel: 'hotline',
          description: '有序用电方案影响二期产线夜班生产',
          ...overrides,
        },
        headers,
      });
      expect(res.status).toBe(201);
      return res;
    },
    /** Runs steps on a case, expecting each to succeed; returns the last reply. */
    async steps(caseId: string, steps: [string, object?][]): Promise<Response> {
      let last!: Response;
      for (const [step, body] of steps) {
        last = await t.request('POST', `/api/v1/cases/${caseId}/${step}`, body ? { body } : {});
        expect({
          step,
          status: last.status,
          error: last.status === 200 ? undefined : last.body,
        }).toEqual({ step, status: 200, error: undefined });
      }
      return last;
    },
  };
}
