import {
  applyDecorators,
  Inject,
  Injectable,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { finalize, from, lastValueFrom, of, type Observable } from 'rxjs';
import { Projector } from '#read-model';
import type { AppConfig } from '../config.js';
import { Invalidations } from './invalidations.js';
import { APP_CONFIG, CLOCK, type Clock } from './tokens.js';

/** How long (of the application clock) one reply may be served again: deadlines move with time. */
export const READ_CACHE_SLOT_MS = 10_000;

interface Entry {
  version: number;
  /** The reply as UTF-8 bytes: written to the socket as they are, without encoding it again. */
  body: Buffer;
}

/**
 * Replies of the read routes that many people ask the same question of — a department's
 * worklist, the dispatch queue, the tab counts, the leaders' dashboard — kept per caller and
 * URL, and served again until anything they are computed from changes:
 *
 * - any read model (a projector's committed batch, in this process or another: the
 *   `read-model` topic of Invalidations, or the in-process projector's own signal, which
 *   arrives before its catch-up returns),
 * - anything another cache of this process is told to forget (sessions, reference data, SLA
 *   settings, calendar),
 * - any write answered by this process (what the commands' replies promise — a calendar
 *   import, say, moves deadlines before the projector has run — holds at once here),
 * - the time: a reply is for one 10-second slot of the application clock (deadlines and
 *   "due within N hours" move with it),
 * - and while the LISTEN connection is down (notifications may be missed), nothing is
 *   served from here.
 *
 * A reply asked for with X-Consistent-With is always computed. One version counter for all:
 * a change empties every entry at once, so no entry can outlive a change it depends on.
 * Bounded by READ_CACHE_MB of serialized replies (0 turns the cache off).
 */
@Injectable()
export class ReadCache {
  private version = 0;
  private bytes = 0;
  private readonly entries = new Map<string, Entry>();
  private readonly flights = new Map<string, Promise<Buffer>>();
  private readonly budget: number;
  hits = 0;
  misses = 0;
  /** Replies computed (misses that found no computation of the same reply under way). */
  computed = 0;

  constructor(
    private readonly invalidations: Invalidations,
    projector: Projector,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.budget = config.READ_CACHE_MB * 1024 * 1024;
    invalidations.onEvery(() => this.forget());
    projector.onChange(() => this.forget());
  }

  /** The entry key of a request: who asks (their reach) and exactly what. */
  keyOf(request: FastifyRequest): string | null {
    if (this.budget === 0 || !this.invalidations.live) return null;
    if (request.headers['x-consistent-with'] !== undefined) return null;
    const who = request.principal;
    if (!who) return null;
    const slot = Math.floor(this.clock.now().getTime() / READ_CACHE_SLOT_MS);
    const language = request.headers['accept-language'] ?? '';
    return `${slot}\n${who.userId}\n${who.role}\n${who.department ?? ''}\n${who.street ?? ''}\n${String(language)}\n${request.url}`;
  }

  /**
   * The reply for `key`: kept, or computed by `compute` — once for all the callers asking
   * at the same moment (a change empties the cache while 32 connections ask for the same
   * worklist: one computes it, the others wait for that reply).
   */
  through(key: string, compute: () => Promise<unknown>): Buffer | Promise<Buffer> {
    const entry = this.entries.get(key);
    if (entry?.version === this.version) {
      // Most recently used last: the oldest are dropped first.
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.hits++;
      return entry.body;
    }
    this.misses++;
    const version = this.version;
    const flight = `${version}\n${key}`;
    let computing = this.flights.get(flight);
    if (!computing) {
      this.computed++;
      computing = compute()
        .then((body) => {
          const bytes = Buffer.from(JSON.stringify(body));
          this.set(key, version, bytes);
          return bytes;
        })
        .finally(() => this.flights.delete(flight));
      this.flights.set(flight, computing);
    }
    return computing;
  }

  /** Keeps a reply computed from the state as of `version` (taken before it was computed). */
  private set(key: string, version: number, body: Buffer): void {
    if (version !== this.version || body.length > this.budget / 8) return;
    this.drop(key);
    this.entries.set(key, { version, body });
    this.bytes += body.length;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.budget) break;
      this.drop(oldest);
    }
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.body.length;
    this.entries.delete(key);
  }

  forget(): void {
    this.version++;
    this.entries.clear();
    this.bytes = 0;
  }
}

@Injectable()
export class ReadCacheInterceptor implements NestInterceptor {
  constructor(private readonly cache: ReadCache) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const key = this.cache.keyOf(request);
    if (key === null) return next.handle();
    const json = (text: Buffer) => {
      void reply.header('content-type', 'application/json; charset=utf-8');
      return text;
    };
    const body = this.cache.through(key, () => lastValueFrom(next.handle()));
    return Buffer.isBuffer(body) ? of(json(body)) : from(body.then(json));
  }
}

/** Every write this process answers empties the cache (see ReadCache), before its reply goes. */
@Injectable()
export class WritesForgetReads implements NestInterceptor {
  constructor(private readonly cache: ReadCache) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { method } = context.switchToHttp().getRequest<FastifyRequest>();
    if (method === 'GET' || method === 'HEAD') return next.handle();
    this.cache.forget();
    return next.handle().pipe(finalize(() => this.cache.forget()));
  }
}

/** A read route whose replies the ReadCache may serve again (see ReadCache). */
export const CachedRead = () => applyDecorators(UseInterceptors(ReadCacheInterceptor));
