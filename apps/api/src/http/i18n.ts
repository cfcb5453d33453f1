import type { ErrorDto } from './errors.js';

/**
 * Error messages in the reader's language: Chinese (zh-CN) when the request's
 * Accept-Language prefers Chinese — the web app always sends it — and English otherwise.
 * The stable `code`, `field` and `rule` never change; only `message` and
 * `errors[].message` are translated.
 *
 * The domain and the edge write their messages in English from a few templates; this
 * catalogue turns each template into Chinese (field names become their Chinese labels,
 * codes and values stay as sent). A message no template matches gets a Chinese sentence
 * for its status, followed by the English original (“原文：…”), so a Chinese reader always
 * reads Chinese first.
 */
export type Language = 'zh-CN' | 'en';

/** The preferred language of an Accept-Language header: zh-CN if Chinese ranks first. */
export function preferredLanguage(header: string | string[] | undefined): Language {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  let best: { lang: Language; q: number } | null = null;
  for (const part of value.split(',')) {
    const [tag, ...params] = part.trim().split(';');
    if (!tag) continue;
    const q = Number(/q=([\d.]+)/.exec(params.join(';'))?.[1] ?? 1);
    if (!(q > 0)) continue;
    const lang: Language | null = /^zh\b/i.test(tag)
      ? 'zh-CN'
      : /^(en\b|\*)/i.test(tag)
        ? 'en'
        : null;
    if (lang === null) continue;
    if (!best || q > best.q) best = { lang, q };
  }
  return best?.lang ?? 'en';
}

export const languageOf = (request: { headers?: Record<string, unknown> } | undefined) =>
  preferredLanguage(request?.headers?.['accept-language'] as string | undefined);

/** Chinese labels of the fields people fill in. */
const FIELDS: Record<string, string> = {
  creditCode: '统一社会信用代码',
  name: '名称',
  street: '街道',
  building: '楼宇/园区',
  industryCluster: '产业集群',
  tags: '企业标签',
  contactPerson: '联系人',
  contactPhone: '联系电话',
  enterpriseId: '企业',
  enterpriseIds: '目标企业',
  buildings: '目标楼宇',
  category: '问题类别',
  channel: '来源渠道',
  priority: '紧急程度',
  description: '问题描述',
  leadDepartment: '牵头部门',
  coDepartments: '协办部门',
  toDepartment: '转办部门',
  department: '部门',
  reason: '原因',
  message: '回应内容',
  note: '进展说明',
  resolution: '办理结果',
  outcome: '办结类型',
  satisfaction: '满意度',
  comment: '意见',
  instructions: '督办要求',
  requestedDueAt: '申请延期至',
  text: '内容',
  visitedOn: '走访日期',
  level: '走访层级',
  officers: '走访干部',
  leaders: '陪同领导',
  summary: '走访情况',
  problems: '问题',
  startsOn: '开始日期',
  endsOn: '结束日期',
  username: '用户名',
  displayName: '姓名',
  year: '年份',
  holidays: '放假安排',
  workdays: '调休上班日',
  dates: '日期',
  from: '起始日期',
  to: '结束日期',
  overdue: '超期时限',
  dueWithinHours: '到期工作小时数',
  paused: '暂停',
  extensionPending: '待审批延期',
  handled: '经办过的',
  password: '密码',
  currentPassword: '当前密码',
  newPassword: '新密码',
  role: '角色',
  code: '代码',
  kind: '类型',
  date: '日期',
  working: '是否工作日',
  key: '策略键',
  effectiveFrom: '生效时间',
  status: '状态',
  limit: '每页条数',
  cursor: '翻页游标',
  sort: '排序',
  q: '搜索词',
  openedFrom: '受理起始',
  openedTo: '受理截止',
  month: '月份',
  quarter: '季度',
  format: '格式',
  dimension: '统计维度',
  period: '统计周期',
  on: '日期',
  weights: '权重',
  minCases: '最少件数',
  id: '编号',
  'Idempotency-Key': 'Idempotency-Key 请求头',
  'If-Match': 'If-Match 请求头',
  'X-Consistent-With': 'X-Consistent-With 请求头',
};

/** `problems[1].description` → 问题描述（problems[1].description）; a known top field → its label. */
function label(field: string): string {
  if (FIELDS[field]) return FIELDS[field];
  const last = /([A-Za-z-]+)(\[\d+\])?$/.exec(field)?.[1];
  if (last && FIELDS[last] && last !== field) return `${FIELDS[last]}（${field}）`;
  const policy = /^policy\.(\w+)$/.exec(field)?.[1];
  if (policy) return `策略项 ${policy}`;
  return field;
}

const STATUS: Record<string, string> = {
  new: '待派单',
  dispatched: '已派单、待签收',
  accepted: '办理中',
  returned: '已退回派单队列',
  paused: '暂停（等待企业）',
  resolved: '已办结',
  closed: '已销号',
  withdrawn: '已撤回',
};
const ACTIONS: Record<string, string> = {
  'dispatch the case': '派单',
  'accept the case': '签收',
  'return the case': '退单',
  'transfer the case': '转办',
  'record the first response': '首次回应',
  'note progress': '记录进展',
  'request an extension': '申请延期',
  'decide an extension': '审批延期',
  'pause the case': '暂停',
  'resume the case': '恢复办理',
  'resolve the case': '办结',
  'record a callback': '回访',
  'close the case': '销号',
  'withdraw the case': '撤回',
  'order supervision': '督办',
  comment: '评论',
};
const ROLES: Record<string, string> = {
  officer: '走访干部',
  dispatcher: '分拨员',
  handler: '承办人',
  leader: '领导',
  admin: '管理员',
};
const KINDS: Record<string, string> = { street: '街道', department: '部门', category: '问题类别' };
const roles = (list: string) =>
  list
    .split(/,\s*/)
    .map((r) => ROLES[r.trim()] ?? r.trim())
    .join('、');

type Rule = [RegExp, (...groups: string[]) => string];

/** Each English template, and its Chinese. Groups are the template's variable parts. */
const RULES: Rule[] = [
  // --- field rules (class-validator and the edge's own) ---
  [/^(\S+) is not a field of this request$/, (f) => `${label(f)} 不是此请求的字段`],
  [/^property (\S+) should not exist$/, (f) => `${label(f)} 不是此请求的字段`],
  [
    /^(\S+) must be (\d+) to (\d+) characters after trimming$/,
    (f, a, b) => `${label(f)}须为 ${a}–${b} 个字符（去掉首尾空格后）`,
  ],
  [/^(\S+) must not contain control characters$/, (f) => `${label(f)}不能包含控制字符`],
  [
    /^(\S+) must not contain NUL or unpaired surrogate characters$/,
    (f) => `${label(f)}不能包含 NUL 或不成对的代理字符`,
  ],
  [
    /^(\S+) must be longer than or equal to (\d+) characters?$/,
    (f, n) => `${label(f)}至少 ${n} 个字符`,
  ],
  [
    /^(\S+) must be shorter than or equal to (\d+) characters?$/,
    (f, n) => `${label(f)}至多 ${n} 个字符`,
  ],
  [
    /^each value in (\S+) must be longer than or equal to (\d+) characters?$/,
    (f, n) => `${label(f)}的每一项至少 ${n} 个字符`,
  ],
  [
    /^each value in (\S+) must be shorter than or equal to (\d+) characters?$/,
    (f, n) => `${label(f)}的每一项至多 ${n} 个字符`,
  ],
  [/^each value in (\S+) must be a string$/, (f) => `${label(f)}的每一项须为文本`],
  [/^(\S+) must be a string$/, (f) => `${label(f)}须为文本`],
  [/^(\S+) must be an array$/, (f) => `${label(f)}须为数组`],
  [/^(\S+) must be an object$/, (f) => `${label(f)}须为对象`],
  [/^nested property (\S+) must be either object or array$/, (f) => `${label(f)}须为对象或数组`],
  [/^(\S+) must contain no more than (\d+) elements$/, (f, n) => `${label(f)}最多 ${n} 项`],
  [/^(\S+) must contain at least (\d+) elements$/, (f, n) => `${label(f)}至少 ${n} 项`],
  [/^(\S+) must be a boolean value$/, (f) => `${label(f)}须为 true 或 false`],
  [/^(\S+) must be true or false$/, (f) => `${label(f)}须为 true 或 false`],
  [/^(\S+) must be an integer number$/, (f) => `${label(f)}须为整数`],
  [/^(\S+) must be a whole number$/, (f) => `${label(f)}须为整数`],
  [/^(\S+) must be a whole number ≥ (\d+)$/, (f, n) => `${label(f)}须为不小于 ${n} 的整数`],
  [
    /^(\S+) must be a whole number from (\d+) to (\d+)$/,
    (f, a, b) => `${label(f)}须为 ${a} 到 ${b} 之间的整数`,
  ],
  [
    /^(\S+) must be a number conforming to the specified constraints$/,
    (f) => `${label(f)}须为数字`,
  ],
  [/^(\S+) must not be less than (\S+)$/, (f, n) => `${label(f)}不能小于 ${n}`],
  [/^(\S+) must not be greater than (\S+)$/, (f, n) => `${label(f)}不能大于 ${n}`],
  [/^(\S+) should not be empty$/, (f) => `${label(f)}不能为空`],
  [/^(\S+) should not be null or undefined$/, (f) => `${label(f)}必填`],
  [/^(\S+) must be a UUID$/, (f) => `${label(f)}须为 UUID`],
  [/^(\S+) must be a real date, YYYY-MM-DD$/, (f) => `${label(f)}须为真实日期（YYYY-MM-DD）`],
  [/^(\S+) must be a real date \(YYYY-MM-DD\)$/, (f) => `${label(f)}须为真实日期（YYYY-MM-DD）`],
  [/^(\S+) must be a date, YYYY-MM-DD$/, (f) => `${label(f)}须为日期（YYYY-MM-DD）`],
  [
    /^(\S+) must be a date-time with its offset, such as (\S+)$/,
    (f, e) => `${label(f)}须为带时区的时间，如 ${e}`,
  ],
  [
    /^(\S+) must be a date \(YYYY-MM-DD\) or a date-time with its offset \((\S+)\)$/,
    (f, e) => `${label(f)}须为日期（YYYY-MM-DD）或带时区的时间（如 ${e}）`,
  ],
  [
    /^(\S+) must be a future date-time with its offset, such as (\S+)$/,
    (f, e) => `${label(f)}须为将来的带时区时间，如 ${e}`,
  ],
  [
    /^(\S+) must be a date \(YYYY-MM-DD\) on or after (\S+), and not in the future$/,
    (f, d) => `${label(f)}须为 ${d} 以后、不晚于今天的日期（YYYY-MM-DD）`,
  ],
  [
    /^(\S+) must be a date \(YYYY-MM-DD\) on or after (\S+)$/,
    (f, o) => `${label(f)}须为不早于${label(o)}的日期（YYYY-MM-DD）`,
  ],
  [
    /^(\S+) must be a date \(YYYY-MM-DD\) from (\S+) to (\S+)$/,
    (f, a, b) => `${label(f)}须为 ${a} 至 ${b} 之间的日期（YYYY-MM-DD）`,
  ],
  [
    /^(\S+) must be a date \(YYYY-MM-DD\) no later than today \((\S+)\)$/,
    (f, d) => `${label(f)}须为日期（YYYY-MM-DD），不能晚于今天（${d}）`,
  ],
  [/^(\S+) must each be one of:? (.+)$/, (f, v) => `${label(f)}的每一项须为以下之一：${v}`],
  [/^(\S+) must be one of:? (.+)$/, (f, v) => `${label(f)}须为以下之一：${v}`],
  [/^(\S+) must be among (.+)$/, (f, v) => `${label(f)}须为以下之一：${v}`],
  [/^(\S+) must be csv or xlsx$/, (f) => `${label(f)}须为 csv 或 xlsx`],
  [/^(\S+) must be YYYY-MM$/, (f) => `${label(f)}须为 YYYY-MM 格式的月份`],
  [
    /^(\S+) must be YYYY-Qn, e\.g\. (\S+)$/,
    (f, e) => `${label(f)}须为 YYYY-Qn 格式的季度，如 ${e}`,
  ],
  [/^(\S+) must be a valid enum value$/, (f) => `${label(f)}的取值无效`],
  [/^(\S+) must match .+ regular expression$/, (f) => `${label(f)}格式不正确`],
  [
    /^(\S+) must be a nextCursor from a previous page$/,
    (f) => `${label(f)}须为上一页返回的 nextCursor`,
  ],
  [/^must be a nextCursor from a previous page$/, () => '须为上一页返回的 nextCursor'],
  [
    /^(\S+) must be 1 or more(?:, at most (\d+))?$/,
    (f, max) => `${label(f)}须为不小于 1 的整数${max ? `，最大 ${max}` : ''}`,
  ],
  [
    /^weights must be three whole numbers.*$/,
    () => '权重须为三个整数：响应,解决,满意，如 30,35,35',
  ],
  [
    /^username must be 3 to 32 characters of a-z, 0-9, "\.", "_" or "-", starting with a letter(.*)$/,
    () =>
      '用户名须为 3–32 个字符，只能用小写英文字母 a–z、数字 0–9 和 . _ -，并以字母开头（中文姓名请填在“姓名”中）',
  ],
  [
    /^code must be 2–40 lower-case letters, digits or _, starting with a letter$/,
    () => '代码须为 2–40 个小写字母、数字或下划线，并以字母开头',
  ],
  [
    /^creditCode must be 18 characters \(GB 32100-2015\)$/,
    () => '统一社会信用代码须为 18 位（GB 32100-2015）',
  ],
  [
    /^creditCode must use digits and the letters .*$/,
    () =>
      '统一社会信用代码只能使用数字和除 I、O、S、V、Z 以外的大写字母 A–Y，第 3–8 位须为数字（GB 32100-2015）',
  ],
  [
    /^creditCode has a wrong check character.*$/,
    () => '统一社会信用代码校验位错误：第 18 位与前 17 位不符（GB 32100-2015）',
  ],
  [/^(\S+) is not a valid credit code$/, (f) => `${label(f)}不是有效的统一社会信用代码`],
  [
    /^contactPhone must be a mobile number or a landline with area code$/,
    () => '联系电话须为手机号或带区号的固定电话',
  ],
  [/^enterpriseId names no registered enterprise$/, () => '该企业尚未登记'],
  [/^officers must name at least one officer$/, () => '走访干部至少填写一人'],
  [/^problems may list at most (\d+) problems per visit$/, (n) => `每次走访最多登记 ${n} 个问题`],
  [/^coDepartments must not include the lead department$/, () => '协办部门不能包含牵头部门'],
  [
    /^toDepartment is already the lead department \((\S+)\)$/,
    (d) => `转办部门已是牵头部门（${d}）`,
  ],
  [
    /^A campaign needs at least one target building or enterprise$/,
    () => '扫楼行动至少需要一个目标楼宇或企业',
  ],
  [/^a handler needs a department$/, () => '承办人须指定部门'],
  [/^an officer needs a street$/, () => '走访干部须指定街道'],
  [/^only handlers belong to a department$/, () => '只有承办人属于部门'],
  [/^only officers belong to a street$/, () => '只有走访干部属于街道'],
  [
    /^policy must set at least one of .*$/,
    () =>
      '策略至少须设置 resolutionWorkingDays、interimUpdateWorkingHours、warningWorkingHours、autoSuperviseOnOverdue 之一',
  ],
  [/^policy\.(\w+) must be a boolean$/, (f) => `策略项 ${f} 须为 true 或 false`],
  [/^policy\.(\w+) is not a policy setting$/, (f) => `${f} 不是策略项`],
  [
    /^key must be category\/priority.*$/,
    () => '策略键须为 类别/紧急程度，* 表示任意（如 power_supply/urgent、*/high、*/*）',
  ],
  [
    /^the priority in key must be \* or one of (.+)$/,
    (v) => `策略键中的紧急程度须为 * 或以下之一：${v}`,
  ],
  [
    /^(\S+) must be 8 to 200 printable ASCII characters$/,
    (f) => `${label(f)}须为 8–200 个可打印 ASCII 字符`,
  ],
  [/^must be 8 to 200 printable ASCII characters$/, () => '须为 8–200 个可打印 ASCII 字符'],
  [
    /^If-Match must be an ETag from this API, such as "3"$/,
    () => 'If-Match 须为本 API 返回的 ETag，如 "3"',
  ],
  [/^must be an ETag such as "3"$/, () => '须为 ETag，如 "3"'],
  [
    /^X-Consistent-With must be a position from a command reply, such as "(\S+)"$/,
    (e) => `X-Consistent-With 须为命令回复中的 position，如 "${e}"`,
  ],
  [/^must be a position such as "(\S+)"$/, (e) => `须为 position，如 "${e}"`],
  [/^currentPassword is wrong$/, () => '当前密码不正确'],
  [/^The request changes nothing$/, () => '此请求没有任何改动'],
  // --- access and sessions ---
  [
    /^Send an access token from POST \/api\/v1\/auth\/login as .*$/,
    () => '请先登录（POST /api/v1/auth/login），并以 “Authorization: Bearer <token>” 发送访问令牌',
  ],
  [/^The access token has expired: refresh it$/, () => '访问令牌已过期：请刷新'],
  [/^The access token is not valid$/, () => '访问令牌无效'],
  [/^This session has ended: log in again$/, () => '会话已结束：请重新登录'],
  [
    /^This refresh token was already used; the session has been ended for safety$/,
    () => '此刷新令牌已被使用过；为安全起见，会话已结束',
  ],
  [/^The username or password is wrong$/, () => '用户名或密码错误'],
  [
    /^Too many failed logins: the account is locked until (\S+)$/,
    (t) => `登录失败次数过多：账号已锁定至 ${shenzhen(t)}`,
  ],
  [/^This account is locked until (\S+)$/, (t) => `账号已锁定至 ${shenzhen(t)}`],
  [/^This account is disabled$/, () => '账号已停用'],
  [/^This account is already disabled$/, () => '账号已是停用状态'],
  [/^This account is not disabled$/, () => '账号未停用'],
  [/^This account is not locked$/, () => '账号未锁定'],
  [/^No such user$/, () => '用户不存在'],
  [/^The username (\S+) is taken$/, (u) => `用户名 ${u} 已被使用`],
  [
    /^(\S+) is the last active admin: make another admin first$/,
    (u) => `${u} 是最后一个在用的管理员：请先设置另一个管理员`,
  ],
  [
    /^Your password was set by an administrator: change it first.*$/,
    () => '密码由管理员设置：请先修改密码（POST /api/v1/auth/password）',
  ],
  [
    /^An? (\w+) may not do this \(([\w.]+): (.+) only\)$/,
    (r, a, list) => `${ROLES[r] ?? r}无权执行此操作（${a}：仅限${roles(list)}）`,
  ],
  [
    /^Only the lead department's handlers may do this.*$/,
    () => '只有牵头部门的承办人可以执行此操作；协办部门可记录进展和评论',
  ],
  [/^This route has no access policy$/, () => '此接口没有访问策略'],
  [
    /^This request was already carried out and its generated password shown in that reply only.*$/,
    () => '此请求已执行过，生成的密码只在那次回复中显示；如需新密码请重置',
  ],
  [
    /^Too many requests: at most (\d+) a minute; retry in (\d+) s$/,
    (n, s) => `请求过于频繁：每分钟最多 ${n} 次，请 ${s} 秒后重试`,
  ],
  // --- records ---
  [/^Case (\S+) does not exist$/, () => '案件不存在'],
  [/^Visit (\S+) does not exist$/, () => '走访记录不存在'],
  [/^The case does not exist$/, () => '案件不存在'],
  [/^Case (\S+) already exists$/, () => '案件已存在'],
  [/^Visit (\S+) is already logged$/, () => '此走访已登记'],
  [/^Campaign (\S+) already exists$/, () => '扫楼行动已存在'],
  [/^The campaign does not exist$/, () => '扫楼行动不存在'],
  [/^(.+) is already closed$/, (n) => `${n} 已结束`],
  [/^The enterprise is not registered$/, () => '企业尚未登记'],
  [
    /^(.+) is archived: no new cases can be opened for it$/,
    (n) => `${n} 已归档：不能再为其新建案件`,
  ],
  [/^(.+) is archived$/, (n) => `${n} 已归档`],
  [
    /^An enterprise with credit code (\S+) is already registered: (.+)$/,
    (c, n) => `统一社会信用代码 ${c} 已登记为：${n}`,
  ],
  [
    /^Cannot (.+): the case is .+ \(status: (\w+)\)$/,
    (a, s) => `不能${ACTIONS[a] ?? a}：案件当前${STATUS[s] ?? s}`,
  ],
  [
    /^The case already has its first response, recorded at (\S+)$/,
    (t) => `案件已有首次回应（${shenzhen(t)}）`,
  ],
  [/^An extension request is already waiting for a decision$/, () => '已有一项延期申请待审批'],
  [/^No extension request is waiting for a decision$/, () => '没有待审批的延期申请'],
  [/^The enterprise was already called back \((\w+)\)$/, () => '已回访过企业'],
  [/^The enterprise must be called back before the case is closed$/, () => '销号前须先回访企业'],
  [
    /^The (\w+) (\S+) is already defined as (.+)$/,
    (k, c, n) => `${KINDS[k] ?? k} ${c} 已定义为“${n}”`,
  ],
  [/^No (\w+) has the code (\S+)$/, (k, c) => `没有代码为 ${c} 的${KINDS[k] ?? k}`],
  [/^The (\w+) (\S+) is already retired$/, (k, c) => `${KINDS[k] ?? k} ${c} 已停用`],
  [
    /^The (\w+) (\S+) is already named (.+)$/,
    (k, c, n) => `${KINDS[k] ?? k} ${c} 的名称已是“${n}”`,
  ],
  [/^(\d{4}-\d{2}-\d{2}) is already set so$/, (d) => `${d} 已是此设置`],
  // --- deadlines, the worklist's queues and the whole-year calendar import ---
  [/^(\d{4}) is already imported so$/, (y) => `${y} 年已按此安排导入`],
  [/^year (\d+) does not match the path \((\d+)\)$/, (a, b) => `年份 ${a} 与路径中的 ${b} 不一致`],
  [
    /^holidays must list the year’s public holidays \(at least one\)$/,
    () => '放假安排须列出该年的法定节假日（至少一项）',
  ],
  [
    /^(\S+) must give either dates or from and to, not both$/,
    (f) => `${label(f)}只能给出日期列表或起止日期，不能两者都给`,
  ],
  [/^(\S+) must give dates, or from and to$/, (f) => `${label(f)}须给出日期列表，或起止日期`],
  [/^(\S+) must not be empty$/, (f) => `${label(f)}不能为空`],
  [/^(\S+) must span at most (\d+) days$/, (f, n) => `${label(f)}最长 ${n} 天`],
  [/^(\S+) \((\S+)\) is not in (\d+)$/, (f, d, y) => `${label(f)}（${d}）不在 ${y} 年内`],
  [/^(\S+) is listed twice \((\S+) and (\S+)\)$/, (d, a, b) => `${d} 重复出现（${a} 和 ${b}）`],
  [
    /^handled=true needs department=$/,
    () => '查看经办过的诉求（handled=true）须指定部门（department=）',
  ],
  [
    /^year must be a whole number from (\d+) to (\d+)$/,
    (a, b) => `年份须为 ${a} 至 ${b} 之间的整数`,
  ],
  [/^year must be from (\d+) to (\d+)$/, (a, b) => `年份须为 ${a} 至 ${b} 之间`],
  [/^year must be a four-digit year, such as (\d+)$/, (y) => `年份须为四位数年份，如 ${y}`],
  [/^must be (\d+), as in the path$/, (y) => `须为 ${y}，与路径一致`],
  [/^(\S+)\.to must not be before (\S+)\.from$/, (f) => `${label(f)}的结束日期不能早于起始日期`],
  [
    /^(\S+) \((\S+)\) is a weekday: make-up working days .*$/,
    (f, d) => `${label(f)}（${d}）是工作日：调休上班日只能是周六或周日`,
  ],
  [/^each of dates must be a date, YYYY-MM-DD$/, () => '日期的每一项须为 YYYY-MM-DD 格式'],
  [
    /^Your department no longer handles this case \(returned or transferred\).*$/,
    () => '本部门已不再承办此诉求（已退单或转办），只能查看',
  ],
  [
    /^name the department whose handled cases to list \(handled=true\)$/,
    () => '请指定要查看经办记录的部门（handled=true）',
  ],
  [
    /^dueWithinHours must be a whole number of working hours, such as (\d+)$/,
    (n) => `到期工作小时数须为整数，如 ${n}`,
  ],
  [/^dueWithinHours must be at least 1 \(working hour\)$/, () => '到期工作小时数至少为 1'],
  [/^dueWithinHours must be at most (\d+) \(working hours\)$/, (n) => `到期工作小时数至多为 ${n}`],
  [/^(\d{4}-\d{2}-\d{2}) has no override to clear$/, (d) => `${d} 没有可清除的调整`],
  // --- the edge ---
  [/^The body is not valid JSON$/, () => '请求体不是有效的 JSON'],
  [/^The JSON body is empty$/, () => 'JSON 请求体为空'],
  [/^The body is larger than 1 MB$/, () => '请求体超过 1 MB'],
  [/^Send the body as application\/json$/, () => '请以 application/json 发送请求体'],
  [/^Content-Length does not match the body$/, () => 'Content-Length 与请求体不符'],
  [
    /^The URL is not valid: percent-encode it as UTF-8.*$/,
    () => 'URL 无效：请按 UTF-8 进行百分号编码（encodeURIComponent）',
  ],
  [/^The request matches no route constraint$/, () => '请求不符合任何路由约束'],
  [/^A path parameter is longer than (\d+) characters$/, (n) => `路径参数超过 ${n} 个字符`],
  [/^The body is nested too deeply.*$/, () => '请求体嵌套层级过深'],
  [/^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+)$/, (m, p) => `没有此接口：${m} ${p}`],
  [
    /^This Idempotency-Key was already used for a different request.*$/,
    () => '此 Idempotency-Key 已用于另一个请求；新请求请使用新的 key',
  ],
  [
    /^The record is no longer at the version in If-Match.*$/,
    () => '记录已不是 If-Match 中的版本：请重新加载后再试',
  ],
  [
    /^Someone else changed this record at the same moment.*$/,
    () => '有人同时修改了此记录：请重新加载后再试',
  ],
  [
    /^The read model has not caught up with position (\S+) within (\d+) ms; retry shortly$/,
    (p, ms) => `读模型在 ${ms} 毫秒内未追上位置 ${p}：请稍后重试`,
  ],
  [/^The database is unreachable; retry shortly$/, () => '数据库暂时无法连接：请稍后重试'],
  [/^Something went wrong on our side; it has been logged$/, () => '服务器内部错误，已记录日志'],
];

/** An ISO instant as Shenzhen local time, 2026-12-01 18:00. */
function shenzhen(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The Chinese of one English message, or null when no template matches it. */
export function toChinese(message: string): string | null {
  for (const [pattern, render] of RULES) {
    const match = pattern.exec(message);
    if (match) return render(...match.slice(1).map((g) => g ?? ''));
  }
  return null;
}

const KIND_ZH: Record<number, string> = {
  400: '请求有误',
  401: '需要登录',
  403: '无权执行此操作',
  404: '未找到',
  409: '当前状态不允许此操作',
  412: '记录已被修改',
  413: '请求体过大',
  415: '不支持的请求体类型',
  422: '请求无法处理',
  423: '账号已锁定',
  429: '请求过于频繁',
  503: '服务暂时不可用',
};

/** A message in Chinese: the template's translation, else the status's sentence and the original. */
function chinese(message: string, statusCode: number): string {
  const translated =
    toChinese(message) ??
    // "a; b": the validation pipe joins field messages with "; ".
    (message.includes('; ')
      ? message
          .split('; ')
          .map((m) => toChinese(m))
          .every((m) => m !== null)
        ? message
            .split('; ')
            .map((m) => toChinese(m)!)
            .join('；')
        : null
      : null);
  return translated ?? `${KIND_ZH[statusCode] ?? '请求失败'}（原文：${message}）`;
}

/** The error body in the reader's language (English bodies are returned as they are). */
export function localize(body: ErrorDto, language: Language): ErrorDto {
  if (language !== 'zh-CN') return body;
  return {
    ...body,
    message: chinese(body.message, body.statusCode),
    ...(body.errors
      ? {
          errors: body.errors.map((e) => {
            // A field error's own message may omit the field ("must be an ETag …").
            const own = toChinese(e.message) ?? toChinese(`${e.field} ${e.message}`);
            return { ...e, message: own ?? chinese(e.message, body.statusCode) };
          }),
        }
      : {}),
  };
}
