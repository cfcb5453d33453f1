import { localize, preferredLanguage, toChinese } from './i18n.js';

describe('error messages in Chinese', () => {
  it('picks zh-CN when Chinese ranks first in Accept-Language, English otherwise', () => {
    expect(preferredLanguage('zh-CN')).toBe('zh-CN');
    expect(preferredLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(preferredLanguage('zh-Hans-CN')).toBe('zh-CN');
    expect(preferredLanguage('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(preferredLanguage('fr,zh;q=0.5')).toBe('zh-CN');
    expect(preferredLanguage('zh;q=0,en')).toBe('en');
    expect(preferredLanguage(undefined)).toBe('en');
    expect(preferredLanguage('*')).toBe('en');
  });

  it.each([
    // the domain's templates
    [
      'description must be 1 to 4000 characters after trimming',
      '问题描述须为 1–4000 个字符（去掉首尾空格后）',
    ],
    ['reason must not contain control characters', '原因不能包含控制字符'],
    ['category must be one of: power_supply, tax', '问题类别须为以下之一：power_supply, tax'],
    ['Cannot accept the case: the case is resolved (status: resolved)', '不能签收：案件当前已办结'],
    ['Cannot dispatch the case: the case is closed (status: closed)', '不能派单：案件当前已销号'],
    [
      'The case already has its first response, recorded at 2026-11-20T02:00:00.000Z',
      '案件已有首次回应（2026-11-20 10:00）',
    ],
    [
      'An enterprise with credit code 91440300708461136T is already registered: 示例科技',
      '统一社会信用代码 91440300708461136T 已登记为：示例科技',
    ],
    [
      'visitedOn must be a date (YYYY-MM-DD) no later than today (2026-12-01)',
      '走访日期须为日期（YYYY-MM-DD），不能晚于今天（2026-12-01）',
    ],
    ['The department tax is already defined as 税务局', '部门 tax 已定义为“税务局”'],
    [
      'policy.resolutionWorkingDays must be a whole number from 1 to 250',
      '策略项 resolutionWorkingDays须为 1 到 250 之间的整数',
    ],
    [
      'Too many failed logins: the account is locked until 2026-12-01T01:15:00.000Z',
      '登录失败次数过多：账号已锁定至 2026-12-01 09:15',
    ],
    // the edge's and class-validator's
    ['limit must be a whole number from 1 to 100', '每页条数须为 1 到 100 之间的整数'],
    [
      'problems[0].description must be shorter than or equal to 2000 characters',
      '问题描述（problems[0].description）至多 2000 个字符',
    ],
    [
      'An officer may not do this (metrics.read: dispatcher, leader only)',
      '走访干部无权执行此操作（metrics.read：仅限分拨员、领导）',
    ],
    [
      'Too many requests: at most 10 a minute; retry in 42 s',
      '请求过于频繁：每分钟最多 10 次，请 42 秒后重试',
    ],
    ['Cannot GET /api/v1/nowhere', '没有此接口：GET /api/v1/nowhere'],
  ])('%s', (english, chinese) => {
    expect(toChinese(english)).toBe(chinese);
  });

  it('translates a body: message, every field error, and keeps code, field and rule', () => {
    const body = {
      statusCode: 400,
      code: 'REQUEST.INVALID',
      message: 'limit must be a whole number from 1 to 100; sort must be one of: newest, oldest',
      errors: [
        { field: 'limit', rule: 'min', message: 'limit must be a whole number from 1 to 100' },
        { field: 'If-Match', rule: 'format', message: 'must be an ETag such as "3"' },
      ],
      correlationId: 'c',
    };
    expect(localize(body, 'zh-CN')).toEqual({
      ...body,
      message: '每页条数须为 1 到 100 之间的整数；排序须为以下之一：newest, oldest',
      errors: [
        { field: 'limit', rule: 'min', message: '每页条数须为 1 到 100 之间的整数' },
        { field: 'If-Match', rule: 'format', message: '须为 ETag，如 "3"' },
      ],
    });
    expect(localize(body, 'en')).toBe(body);
    // A message no template knows: Chinese first, the English kept.
    expect(
      localize({ ...body, errors: undefined, message: 'Something new' }, 'zh-CN').message,
    ).toBe('请求有误（原文：Something new）');
  });
});
