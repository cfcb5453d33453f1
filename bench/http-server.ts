import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  Injectable,
  Module,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import pg from 'pg';
import { Projector } from '#read-model';
import { createApp } from '../apps/api/src/app.js';
import { AccessTokens } from '../apps/api/src/auth/access-tokens.js';
import { CaseCommandHandler } from '../apps/api/src/cases/case-command.handler.js';
import { CommentDto } from '../apps/api/src/cases/case-steps/case-steps.dto.js';
import { CaseFilterDto } from '../apps/api/src/cases/list-cases/list-cases.dto.js';
import { OpenCaseDto } from '../apps/api/src/cases/open-case/open-case.dto.js';
import { loadConfig } from '../apps/api/src/config.js';
import { validationPipe } from '../apps/api/src/http/validation.js';
import { ReadCache } from '../apps/api/src/infrastructure/read-cache.js';

/**
 * One server of `npm run bench:http`, in a process of its own (so the load generator does
 * not share its event loop and its RSS is its own): `real` is the Saolou API on the
 * bench's database; `bare` is NestJS on Fastify with the same DTOs and validation pipe and
 * a correct HS256 guard (one KeyObject, one verify per request) and no database. It tells
 * its parent its URL, and on request how many SQL statements it has sent (every
 * pg Client.query, i.e. every round trip) and its RSS. `bare-db` is the bare app with one
 * durable INSERT per command (below).
 */
let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as never;

const tokens = new AccessTokens(process.env.JWT_SECRET);

@Injectable()
class BareGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const verified = token ? tokens.verify(token, Math.floor(Date.now() / 1000)) : null;
    if (!verified?.ok) throw new UnauthorizedException();
    (request as unknown as { claims: unknown }).claims = verified.claims;
    return true;
  }
}

const ROWS = Array.from({ length: 20 }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  enterpriseName: '深圳市龙岗示例科技有限公司',
  category: 'power_supply',
  status: 'accepted',
  leadDepartment: 'power_supply',
  openedAt: '2026-11-20T01:00:00.000Z',
  description: '有序用电方案影响二期产线夜班生产',
}));

/**
 * `bare-db`: the bare app whose commands each also write one row, durably, in a transaction
 * of its own (a prepared INSERT through a pool of 20, as the real app's): the floor a
 * command that must be on disk before it is answered stands on, on this machine.
 */
const writes =
  process.argv[2] === 'bare-db'
    ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 })
    : null;
if (writes)
  await writes.query(`CREATE TABLE IF NOT EXISTS bench_bare_writes
    (id uuid PRIMARY KEY, record text NOT NULL, body jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
const write = async (record: string, body: unknown) => {
  if (!writes) return;
  await writes.query({
    name: 'bench_bare_write',
    text: 'INSERT INTO bench_bare_writes (id, record, body) VALUES ($1, $2, $3)',
    values: [randomUUID(), record, JSON.stringify(body)],
  });
};

@Controller('api/v1')
class BareController {
  private n = 0;
  @Post('cases')
  async open(@Body() body: OpenCaseDto) {
    await write(body.enterpriseId, body);
    return { id: body.enterpriseId, version: 0, position: `1:${++this.n}` };
  }
  @Post('cases/:id/comments')
  async comment(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: CommentDto) {
    await write(id, body);
    return { id, version: 1, position: `1:${++this.n}` };
  }
  @Get('cases')
  list(@Query() _filter: CaseFilterDto) {
    return { items: ROWS, nextCursor: null };
  }
  @Get('metrics')
  metrics() {
    return { rows: ROWS.slice(0, 10) };
  }
  @Get('auth/me')
  me() {
    return { username: 'bare' };
  }
}

@Module({ controllers: [BareController], providers: [{ provide: APP_GUARD, useClass: BareGuard }] })
class BareModule {}

async function start(): Promise<NestFastifyApplication> {
  if (process.argv[2] !== 'real') {
    const app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), {
      logger: false,
    });
    app.useGlobalPipes(validationPipe);
    return app;
  }
  return createApp(
    {
      ...loadConfig(),
      DATABASE_URL: process.env.DATABASE_URL!,
      LOG_LEVEL: 'silent',
      RATE_LIMIT_READS_PER_MINUTE: 10_000_000,
      RATE_LIMIT_WRITES_PER_MINUTE: 10_000_000,
    },
    { logger: false },
  );
}

const app = await start();
await app.listen({ port: 0, host: '127.0.0.1' });
process.send!({ ready: await app.getUrl() });
process.on('message', (message: { stats?: boolean; stop?: boolean }) => {
  if (message.stats) {
    const cache = process.argv[2] === 'real' ? app.get(ReadCache) : undefined;
    const held =
      process.argv[2] === 'real' ? app.get(CaseCommandHandler).recent.stats() : undefined;
    process.send!({
      statements,
      rss: process.memoryUsage().rss,
      memory: process.memoryUsage(),
      cacheHits: cache?.hits ?? 0,
      cacheMisses: cache?.misses ?? 0,
      projectorBatches: process.argv[2] === 'real' ? app.get(Projector).stats.batches : 0,
      projectorEvents: process.argv[2] === 'real' ? app.get(Projector).stats.events : 0,
      heldHits: held?.hits ?? 0,
      heldMisses: held?.misses ?? 0,
    });
  }
  if (message.stop) void app.close().then(() => process.exit(0));
});
