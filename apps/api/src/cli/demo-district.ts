import type { CommandBus } from '@nestjs/cqrs';
import {
  CASE_EVENT_TYPES,
  caseClock,
  caseStreamId,
  deadlineDecider,
  LONGGANG_DEFAULTS,
  makeCreditCode,
  pendingAlerts,
  shenzhenDate,
  slaTableAt,
  type CaseEvent,
  type EnterpriseTag,
} from '#domain';
import {
  entityIdFor,
  handleCommand,
  recordedAs,
  type CommandContext,
  type EventStore,
} from '#event-store';
import { currentSlaSettings, SLA_CLOCK_ACTOR } from '#workers';
import { CampaignCommandMessage } from '../campaigns/campaign-command.handler.js';
import { CaseCommandMessage, type CaseRequest } from '../cases/case-command.handler.js';
import { EnterpriseCommandMessage } from '../enterprises/enterprise-command.handler.js';
import { LogVisitCommand } from '../visits/log-visit/log-visit.handler.js';

export interface DistrictSize {
  enterprises: number;
  visits: number;
  cases: number;
}
export const FULL_DISTRICT: DistrictSize = { enterprises: 500, visits: 2000, cases: 3000 };

export interface SeedProgress {
  phase: string;
  done: number;
  total: number;
}

/** Deterministic pseudo-random numbers (mulberry32): the same seed builds the same district. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const weighted = <T>(items: readonly (readonly [T, number])[]): T => {
    let r = next() * items.reduce((sum, [, w]) => sum + w, 0);
    for (const [item, w] of items) if ((r -= w) < 0) return item;
    return items[items.length - 1]![0];
  };
  return { next, int, pick, weighted };
}

const STREETS = LONGGANG_DEFAULTS.street.map(([code]) => code);
const PARKS: Record<string, string[]> = {
  pinghu: ['华南城', '平湖金融与现代服务业基地', '富安娜工业园'],
  bantian: ['天安云谷', '华为基地', '坂田国际中心'],
  buji: ['布吉数字创意园', '李朗软件园'],
  nanwan: ['南湾科技园', '丹竹头工业区'],
  jihua: ['吉华创新园', '甘李科技园'],
  yuanshan: ['园山智造园', '大康工业区'],
  henggang: ['横岗眼镜产业园', '六约工业区'],
  longcheng: ['龙城创智园', '大运软件小镇'],
  longgang: ['龙岗智慧家园', '宝龙产业园'],
  baolong: ['宝龙科技城', '宝龙生物药创新园'],
  pingdi: ['坪地国际低碳城', '坪地高桥工业园'],
};
const WORDS = [
  '华',
  '创',
  '科',
  '信',
  '达',
  '联',
  '汇',
  '瑞',
  '鑫',
  '晟',
  '智',
  '通',
  '恒',
  '宏',
  '泰',
  '海',
  '康',
  '博',
  '远',
  '新',
];
const TRADES = [
  '电子科技',
  '精密制造',
  '新材料',
  '生物医药',
  '智能装备',
  '光电',
  '软件',
  '物流',
  '新能源',
  '眼镜',
  '医疗器械',
  '半导体',
];
const TAGS: EnterpriseTag[] = ['above_designated_size', 'specialised_new', 'high_tech', 'listed'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴'];

/** Each category, who leads it, and what enterprises say. */
const CATEGORY: Record<string, { lead: string; problems: string[] }> = {
  power_supply: {
    lead: 'power_supply',
    problems: ['有序用电方案影响夜班生产', '新厂房需要增容至2000千伏安', '频繁停电影响设备'],
  },
  logistics: { lead: 'development_reform', problems: ['货车限行影响出货', '园区物流通道拥堵'] },
  talent_housing: {
    lead: 'housing',
    problems: ['研发人员人才住房申请排队过久', '希望配租园区周边人才公寓'],
  },
  financing: { lead: 'finance', problems: ['设备更新贷款审批慢', '希望对接贴息政策'] },
  subsidies: {
    lead: 'industry_it',
    problems: ['数字化升级补贴申报材料咨询', '技改补贴迟迟未拨付'],
  },
  tax: { lead: 'tax', problems: ['研发费用加计扣除政策咨询', '出口退税进度咨询'] },
  recruitment: { lead: 'human_resources', problems: ['急需高端算法人才', '技术工人招聘难'] },
  industrial_space: {
    lead: 'urban_renewal',
    problems: ['扩产需要3000平方米过渡厂房', '租约到期需要搬迁'],
  },
  planning: { lead: 'urban_renewal', problems: ['厂房限高影响新产线', '希望调整容积率'] },
  approvals: { lead: 'investment_service', problems: ['环评审批进度咨询', '消防验收排期过长'] },
  foreign_trade: { lead: 'customs', problems: ['出口通关查验时间长', '原产地证办理咨询'] },
  policy: { lead: 'investment_service', problems: ['惠企政策解读', '专精特新认定条件咨询'] },
};
const CATEGORIES = Object.keys(CATEGORY);
const DEPARTMENTS = LONGGANG_DEFAULTS.department.map(([code]) => code);

/** Who takes a step: a role, and for a handler, the department it works for. */
type Who = { role: 'officer' | 'dispatcher' | 'leader' } | { role: 'handler'; department: string };
type Step = { request: CaseRequest; minutesAfter: number; who: Who };

/** Who takes each kind of step, in the seed's practice (leaders approve extensions). */
function whoTakes(type: string, lead: string, openedByOfficer: boolean): Who {
  switch (type) {
    case 'DispatchCase':
    case 'RefuseExtension':
    case 'RecordCallback':
    case 'CloseCase':
      return { role: 'dispatcher' };
    case 'ApproveExtension':
    case 'OrderSupervision':
      return { role: 'leader' };
    case 'WithdrawCase':
      return openedByOfficer ? { role: 'officer' } : { role: 'dispatcher' };
    default:
      return { role: 'handler', department: lead };
  }
}

/** The paths a case takes, weighted so every status shows up. */
function walk(
  r: ReturnType<typeof random>,
  category: string,
  at: (m: number) => Date,
): Omit<Step, 'who'>[] {
  const lead = CATEGORY[category]!.lead;
  const co = r.next() < 0.3 ? [r.pick(DEPARTMENTS.filter((d) => d !== lead))] : [];
  const s = (request: CaseRequest, minutesAfter: number) => ({ request, minutesAfter });
  type S = ReturnType<typeof s>;
  const dispatch = s(
    { type: 'DispatchCase', data: { leadDepartment: lead, coDepartments: co } } as CaseRequest,
    30 + r.int(180),
  );
  const accept = s({ type: 'AcceptCase', data: {} } as CaseRequest, 20 + r.int(240));
  const respond = s(
    { type: 'RecordFirstResponse', data: { message: '已联系企业，了解具体情况' } } as CaseRequest,
    30 + r.int(600),
  );
  const progress = s(
    { type: 'NoteProgress', data: { note: '已现场走访，正在协调' } } as CaseRequest,
    600 + r.int(2000),
  );
  const resolve = s(
    {
      type: 'ResolveCase',
      data: {
        resolution: '已协调解决',
        outcome: r.weighted([
          ['solved', 7],
          ['partly_solved', 2],
          ['explained', 1],
        ] as const),
      },
    } as CaseRequest,
    1440 + r.int(8000),
  );
  const callback = (satisfaction: string): S =>
    s(
      {
        type: 'RecordCallback',
        data: { satisfaction, comment: satisfaction === 'unsatisfied' ? '问题仍未解决' : '感谢' },
      } as CaseRequest,
      600 + r.int(2000),
    );
  const close = s({ type: 'CloseCase', data: {} } as CaseRequest, 60 + r.int(600));
  const base = [dispatch, accept, respond];
  const path = r.weighted<string>([
    ['new', 6],
    ['dispatched', 6],
    ['returned', 4],
    ['accepted', 10],
    ['transferred', 4],
    ['paused', 4],
    ['extension', 4],
    ['resolved', 12],
    ['rework', 4],
    ['closed', 36],
    ['withdrawn', 4],
    ['supervised', 6],
  ]);
  const due = (m: number) => new Date(at(m).getTime() + 10 * 86400_000).toISOString();
  switch (path) {
    case 'new':
      return [];
    case 'dispatched':
      return [dispatch];
    case 'returned':
      return [
        dispatch,
        s(
          { type: 'ReturnCase', data: { reason: '不属于本单位职责，请重新分拨' } } as CaseRequest,
          60 + r.int(600),
        ),
      ];
    case 'accepted':
      return [...base, progress];
    case 'transferred':
      return [
        dispatch,
        s(
          {
            type: 'TransferCase',
            data: {
              toDepartment:
                lead === 'investment_service' ? 'development_reform' : 'investment_service',
              reason: '涉及多部门，转统筹部门办理',
            },
          } as CaseRequest,
          120,
        ),
        accept,
        respond,
      ];
    case 'paused':
      return [
        ...base,
        s({ type: 'PauseCase', data: { reason: '等待企业补充材料' } } as CaseRequest, 300),
      ];
    case 'extension': {
      const asked = 3000;
      const steps = [
        ...base,
        progress,
        s(
          {
            type: 'RequestExtension',
            data: { reason: '需跨部门协调', requestedDueAt: due(asked) },
          } as CaseRequest,
          asked,
        ),
      ];
      return r.next() < 0.5
        ? steps
        : [
            ...steps,
            s({ type: 'ApproveExtension', data: { comment: '同意延期' } } as CaseRequest, 120),
          ];
    }
    case 'resolved':
      return [...base, resolve];
    case 'rework':
      return [...base, resolve, callback('unsatisfied')];
    case 'closed':
      return [
        ...base,
        resolve,
        callback(
          r.weighted([
            ['satisfied', 8],
            ['basically_satisfied', 2],
          ] as const),
        ),
        close,
      ];
    case 'withdrawn':
      return r.next() < 0.5
        ? [s({ type: 'WithdrawCase', data: { reason: '企业已自行解决' } } as CaseRequest, 60)]
        : [
            dispatch,
            s({ type: 'WithdrawCase', data: { reason: '企业不再需要' } } as CaseRequest, 600),
          ];
    default: // supervised: a leader's supervision order on a case in hand
      return [
        ...base,
        s(
          {
            type: 'OrderSupervision',
            data: { instructions: '请加快办理，三个工作日内反馈' },
          } as CaseRequest,
          2000,
        ),
      ];
  }
}

/** Someone who acts in the demo history: a demo account, or a named person of the district. */
export interface SeedActor {
  userId: string;
  username: string;
  displayName: string;
  role: 'officer' | 'dispatcher' | 'handler' | 'leader';
  department: string | null;
  street: string | null;
}
/** A command's context as a seed actor gives it, at `at` (its id is also its correlation id). */
export const actingAs = (commandId: string, at: Date, who: SeedActor): CommandContext => ({
  commandId,
  actor: who.userId,
  actorDetails: {
    username: who.username,
    displayName: who.displayName,
    role: who.role,
    department: who.department,
    street: who.street,
  },
  correlationId: commandId,
  now: at,
});

/** The demo accounts that act as themselves (demo.handler for its department, demo.officer for its street). */
export interface DemoPeople {
  officer?: SeedActor;
  dispatcher?: SeedActor;
  handler?: SeedActor;
  leader?: SeedActor;
}

const nameOf = (who: SeedActor) => who.displayName.replace(/\s*[（(].*$/, '');
const HANDLER_NAMES = [
  '孙建华',
  '周晓明',
  '吴海燕',
  '郑志强',
  '冯丽娟',
  '何俊杰',
  '许文静',
  '邓国平',
  '曹雪梅',
  '彭立新',
];
const OFFICER_NAMES = [
  '刘明',
  '杨帆',
  '黄磊',
  '赵敏',
  '周杰',
  '吴静',
  '徐峰',
  '孙丽',
  '马超',
  '朱红',
  '胡军',
];

/** The people of the demo district: the demo accounts where they fit, named others elsewhere. */
function castOf(people: DemoPeople) {
  const person = (
    role: SeedActor['role'],
    key: string,
    displayName: string,
    place: { department?: string; street?: string } = {},
  ): SeedActor => ({
    userId: entityIdFor(`seed:person:${role}:${key}`, 'user'),
    username: `seed.${role}.${key}`,
    displayName,
    role,
    department: place.department ?? null,
    street: place.street ?? null,
  });
  const departments = new Map(LONGGANG_DEFAULTS.department);
  const streets = new Map(LONGGANG_DEFAULTS.street);
  const handlers = new Map<string, SeedActor>();
  const officers = new Map<string, SeedActor>();
  return {
    dispatcher: people.dispatcher ?? person('dispatcher', 'centre', '王分拨（企业服务中心）'),
    leader: people.leader ?? person('leader', 'district', '陈主任'),
    handler(department: string): SeedActor {
      if (people.handler?.department === department) return people.handler;
      let who = handlers.get(department);
      if (!who) {
        const i = DEPARTMENTS.indexOf(department);
        who = person(
          'handler',
          department,
          `${HANDLER_NAMES[(i + HANDLER_NAMES.length) % HANDLER_NAMES.length]}（${departments.get(department) ?? department}）`,
          { department },
        );
        handlers.set(department, who);
      }
      return who;
    },
    officer(street: string): SeedActor {
      if (people.officer?.street === street) return people.officer;
      let who = officers.get(street);
      if (!who) {
        const i = STREETS.indexOf(street);
        who = person(
          'officer',
          street,
          `${OFFICER_NAMES[(i + OFFICER_NAMES.length) % OFFICER_NAMES.length]}（${streets.get(street) ?? street}街道）`,
          { street },
        );
        officers.set(street, who);
      }
      return who;
    },
  };
}

/** Runs tasks with at most `concurrency` at once; after a failure, starts no more. */
async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length && !failed) {
        try {
          await work(items[next++]!);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    }),
  );
}

/**
 * Builds a realistic Longgang district through the command bus — the same handlers the
 * HTTP API uses — spread over the 90 days before `now`. Command ids are fixed, so a second
 * run creates nothing twice.
 */
export async function seedDistrict(
  bus: CommandBus,
  size: DistrictSize,
  options: {
    now: Date;
    /** The event store the SLA clock's checks are written to, on the seed's own timeline. */
    store: EventStore;
    /** The demo accounts, to act as themselves in the history (others are named people). */
    people?: DemoPeople;
    seed?: number;
    concurrency?: number;
    onProgress?: (p: SeedProgress) => void;
  },
): Promise<{ enterprises: number; visits: number; cases: number; commands: number }> {
  const r = random(options.seed ?? 20261121);
  const concurrency = options.concurrency ?? 12;
  const end = options.now.getTime();
  const start = end - 90 * 86400_000;
  let commands = 0;
  const cast = castOf(options.people ?? {});
  const ctx = actingAs;
  const { calendar, policies } = await currentSlaSettings(options.store);
  /**
   * What the SLA clock would have done by `until` had it run all along: each alert the case
   * has coming is raised at the instant it became due, before any later step is taken —
   * so no alert judges a case on less than the events before it.
   */
  const clockUntil = async (caseId: string, until: number) => {
    for (let alerts = 0; alerts < 20; alerts++) {
      const { events } = await options.store.readStream(caseStreamId(caseId));
      const history = events.map((e) => recordedAs<CaseEvent>(e, CASE_EVENT_TYPES));
      const opened = history[0];
      if (!opened) return;
      const table = slaTableAt(policies, new Date(opened.data.at));
      const next = pendingAlerts(caseClock(history, table, calendar, new Date(until)), calendar)[0];
      if (!next || next.readyAt.getTime() > until) return;
      const at = next.readyAt;
      const commandId = `seed:sla:${caseId}:${at.toISOString()}`;
      commands++;
      await handleCommand(
        options.store,
        deadlineDecider,
        caseStreamId(caseId),
        { type: 'CheckDeadlines', data: { calendar, policies } },
        { commandId, actor: SLA_CLOCK_ACTOR, correlationId: commandId, now: at },
      );
    }
  };
  const send = async <T = unknown>(message: object): Promise<T> => {
    commands++;
    return (await bus.execute(message as never)) as T;
  };
  const progress = (phase: string, total: number) => {
    let done = 0;
    options.onProgress?.({ phase, done, total });
    return () => options.onProgress?.({ phase, done: ++done, total });
  };

  // Enterprises.
  const enterprises = Array.from({ length: size.enterprises }, (_, i) => {
    const street = r.pick(STREETS);
    return {
      code: makeCreditCode('440307', 100_000 + i * 7919),
      name: `深圳市${r.pick(WORDS)}${r.pick(WORDS)}${r.pick(TRADES)}有限公司`,
      street,
      building: `${r.pick(PARKS[street]!)}${1 + r.int(6)}栋`,
      tags: TAGS.filter(() => r.next() < 0.2),
      registeredAt: new Date(start - r.int(30 * 86400_000)),
    };
  });
  let tick = progress('enterprises', enterprises.length);
  await pool(enterprises, concurrency, async (e) => {
    await send(
      new EnterpriseCommandMessage(
        e.code,
        {
          type: 'RegisterEnterprise',
          data: {
            creditCode: e.code,
            name: e.name,
            street: e.street,
            building: e.building,
            tags: e.tags,
            contactPerson: `${r.pick(SURNAMES)}经理`,
            contactPhone: `138${String(10_000_000 + r.int(89_999_999))}`,
          },
        },
        ctx(`seed:enterprise:${e.code}`, e.registeredAt, cast.officer(e.street)),
      ),
    );
    tick();
  });

  // One campaign over the parks of two streets, for the last 60 days.
  const day = (t: number) => shenzhenDate(t);
  await send(
    new CampaignCommandMessage(
      entityIdFor('seed:campaign', 'campaign'),
      {
        type: 'CreateCampaign',
        data: {
          campaignId: entityIdFor('seed:campaign', 'campaign'),
          name: '坂田、平湖街道冬季扫楼行动',
          startsOn: day(end - 60 * 86400_000),
          endsOn: day(end + 30 * 86400_000),
          buildings: [
            ...new Set(
              enterprises
                .filter((e) => e.street === 'bantian' || e.street === 'pinghu')
                .map((e) => e.building),
            ),
          ],
          enterpriseIds: [],
        },
      },
      ctx('seed:campaign', new Date(end - 60 * 86400_000), cast.leader),
    ),
  );

  // Visits, some raising problems that open cases; the other cases come by hotline, leader or online.
  const fromVisits = Math.round(size.cases * 0.4);
  const cases: { id: string; category: string; openedAt: number; street: string | null }[] = [];
  tick = progress('visits', size.visits);
  const visits = Array.from({ length: size.visits }, (_, j) => {
    const at = start + r.int(end - start - 3600_000);
    const wantsProblems = cases.length < fromVisits && r.next() < (fromVisits / size.visits) * 1.1;
    const problems = wantsProblems
      ? Array.from({ length: 1 + (r.next() < 0.3 ? 1 : 0) }, () => r.pick(CATEGORIES))
      : [];
    const enterprise = r.pick(enterprises);
    for (const category of problems)
      cases.push({ id: '', category, openedAt: at, street: enterprise.street });
    return {
      j,
      at,
      enterprise,
      problems,
      level: r.weighted([
        ['district_leader', 1],
        ['department', 3],
        ['street', 6],
      ] as const),
    };
  });
  let visitCase = 0;
  const visitCaseSlots = cases.map((_, i) => i);
  const slotsByVisit = visits.map((v) => v.problems.map(() => visitCaseSlots[visitCase++]!));
  await pool(visits, concurrency, async (v) => {
    const reply = await send<{ caseIds: string[] }>(
      new LogVisitCommand(
        entityIdFor(`seed:visit:${v.j}`, 'visit'),
        {
          enterpriseId: v.enterprise.code,
          visitedOn: day(v.at),
          level: v.level,
          officers: [nameOf(cast.officer(v.enterprise.street)), `${r.pick(SURNAMES)}科长`],
          leaders: v.level === 'district_leader' ? ['区领导'] : [],
          summary: v.problems.length ? '了解企业经营情况，收集诉求' : '企业经营正常，暂无诉求',
          problems: v.problems.map((category) => ({
            category,
            description: r.pick(CATEGORY[category]!.problems),
            priority: r.next() < 0.15 ? 'high' : 'normal',
          })),
        },
        ctx(`seed:visit:${v.j}`, new Date(v.at), cast.officer(v.enterprise.street)),
      ),
    );
    reply.caseIds.forEach((id, k) => (cases[slotsByVisit[v.j]![k]!]!.id = id));
    tick();
  });

  // Slots are fixed before anything runs, so each case gets the same history on every run.
  const firstDirect = cases.length;
  const direct = size.cases - firstDirect;
  for (let k = 0; k < direct; k++) cases.push({ id: '', category: '', openedAt: 0, street: null });
  tick = progress('cases opened by hotline, leaders and online', direct);
  const directCases = Array.from({ length: direct }, (_, k) => ({
    k,
    at: start + r.int(end - start - 3600_000),
    category: r.pick(CATEGORIES),
    enterprise: r.pick(enterprises),
    channel: r.weighted([
      ['hotline', 5],
      ['leader', 1],
      ['online', 4],
    ] as const),
    priority: r.weighted([
      ['normal', 8],
      ['high', 2],
      ['urgent', 1],
    ] as const),
  }));
  await pool(directCases, concurrency, async (c) => {
    const id = entityIdFor(`seed:case:${c.k}`, 'case');
    await send(
      new CaseCommandMessage(
        id,
        {
          type: 'OpenCase',
          enterpriseId: c.enterprise.code,
          data: {
            category: c.category,
            channel: c.channel,
            priority: c.priority,
            description: r.pick(CATEGORY[c.category]!.problems),
          },
        } as CaseRequest,
        ctx(`seed:case:${c.k}`, new Date(c.at), cast.dispatcher),
      ),
    );
    cases[firstDirect + c.k] = { id, category: c.category, openedAt: c.at, street: null };
    tick();
  });

  // Walk every case along its path, each step later than the last but never after now.
  tick = progress('case histories', cases.length);
  const walks = cases.map((c) => {
    let t = c.openedAt;
    const at = (m: number) => new Date(Math.min(t + m * 60_000, end));
    let lead = CATEGORY[c.category]!.lead;
    const steps = walk(r, c.category, at).map((step) => {
      t = Math.min(t + step.minutesAfter * 60_000, end - 1000);
      // The department that leads when the step is taken (a transfer is the old lead's).
      const who = whoTakes(step.request.type, lead, c.street !== null);
      if (step.request.type === 'TransferCase')
        lead = (step.request.data as { toDepartment: string }).toDepartment;
      return { ...step, who, at: t };
    });
    return { id: c.id, street: c.street, steps };
  });
  await pool(walks, concurrency, async (w) => {
    for (const [i, step] of w.steps.entries()) {
      await clockUntil(w.id, step.at);
      const who =
        step.who.role === 'handler'
          ? cast.handler(step.who.department)
          : step.who.role === 'officer'
            ? cast.officer(w.street!)
            : cast[step.who.role];
      await send(
        new CaseCommandMessage(
          w.id,
          step.request,
          ctx(`seed:step:${w.id}:${i}`, new Date(step.at), who),
        ),
      );
    }
    // And the alerts that fell due between the last step and now.
    await clockUntil(w.id, end);
    tick();
  });

  return { enterprises: enterprises.length, visits: visits.length, cases: cases.length, commands };
}
