import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  MinLength,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';

/** Environment variables Saolou reads, validated at boot: a wrong value stops start-up with a readable message. */
export class AppConfig {
  /** An external PostgreSQL; without it Saolou starts an embedded one under DATA_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, {
    message: 'DATABASE_URL must be a postgres:// or postgresql:// URL',
  })
  DATABASE_URL?: string;

  @IsString()
  DATA_DIR = '.saolou';

  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'PORT must be a whole number' })
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  /** Port of the embedded PostgreSQL (0: any free port). */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'EMBEDDED_PG_PORT must be a whole number' })
  @Min(0)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  /** inline: the api runs the projector in-process; off: a separate `npm run projector` does. */
  @IsIn(['inline', 'off'], { message: 'PROJECTOR must be inline or off' })
  PROJECTOR: 'inline' | 'off' = 'inline';

  /** How long a read with X-Consistent-With waits for the read model to catch up. */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt()
  @Min(0)
  @Max(60_000)
  CONSISTENCY_TIMEOUT_MS = 5000;

  /**
   * Readiness (/health/ready) fails when a projection is further behind the log than this
   * many events, or its oldest unapplied event is older than HEALTH_MAX_LAG_S seconds.
   */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'HEALTH_MAX_LAG_EVENTS must be a whole number' })
  @Min(1)
  HEALTH_MAX_LAG_EVENTS = 10_000;

  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'HEALTH_MAX_LAG_S must be a whole number' })
  @Min(1)
  HEALTH_MAX_LAG_S = 60;

  /** How often the SLA clock looks for warnings and overdue cases (with PROJECTOR=inline). */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'SLA_CLOCK_INTERVAL_MS must be a whole number' })
  @Min(1000)
  @Max(3_600_000)
  SLA_CLOCK_INTERVAL_MS = 30_000;

  /**
   * Signs access tokens (HS256): at least 32 characters. Unset, each start makes a random one
   * (tokens then die with the process, and refresh tokens renew them); set it when several
   * API processes share the load.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /** Seconds an access token lives. */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'ACCESS_TOKEN_TTL_S must be a whole number' })
  @Min(30)
  @Max(86_400)
  ACCESS_TOKEN_TTL_S = 900;

  /** Seconds a session (its refresh token) lives from login. */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'REFRESH_TOKEN_TTL_S must be a whole number' })
  @Min(60)
  @Max(90 * 86_400)
  REFRESH_TOKEN_TTL_S = 14 * 86_400;

  /**
   * Seconds after a refresh in which the refresh token it replaced still answers, with the
   * same new tokens (two tabs refreshing at once); past it, reuse ends the session.
   */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'REFRESH_GRACE_S must be a whole number' })
  @Min(0)
  @Max(300)
  REFRESH_GRACE_S = 10;

  /**
   * Megabytes of serialized replies the read cache keeps (worklists, queues, counts, the
   * dashboard: served again until a read model changes); 0 turns it off.
   */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'READ_CACHE_MB must be a whole number' })
  @Min(0)
  @Max(1024)
  READ_CACHE_MB = 16;

  /**
   * Megabytes (estimated) of the events of recently stepped cases held in memory, so that a
   * step appends without reading its case first (the append still checks the version; a
   * case that moved on elsewhere is read afresh); 0 turns it off.
   */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'STREAM_CACHE_MB must be a whole number' })
  @Min(0)
  @Max(1024)
  STREAM_CACHE_MB = 16;

  /**
   * Group commit: how many batches of appends may be on their way to PostgreSQL at once;
   * appends arriving meanwhile go together in the next batch, one statement. 0 sends every
   * append alone.
   */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'APPEND_BATCHES must be a whole number' })
  @Min(0)
  // Below the event store's pool of 20: what is left serves reads and appends alone.
  @Max(10)
  APPEND_BATCHES = 2;

  /** Failed logins in a row that lock an account, and for how many minutes. */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt()
  @Min(1)
  @Max(100)
  LOGIN_MAX_FAILURES = 5;

  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  LOGIN_LOCK_MINUTES = 15;

  /** Login attempts per minute for one account from one IP address. */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt()
  @Min(1)
  RATE_LIMIT_LOGIN_PER_MINUTE = 10;

  /** Login attempts per minute from one IP address, all accounts together (an office NAT). */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt()
  @Min(1)
  RATE_LIMIT_LOGIN_PER_ADDRESS_PER_MINUTE = 300;

  /** Writes (POST, PUT, PATCH, DELETE) per minute per account. */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt()
  @Min(1)
  RATE_LIMIT_WRITES_PER_MINUTE = 300;

  /** Reads (GET, HEAD) per minute per account (unauthenticated: per address). */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt()
  @Min(1)
  RATE_LIMIT_READS_PER_MINUTE = 1200;

  /** Origins allowed to call the API from a browser, comma-separated; empty: same origin only. */
  @IsString()
  CORS_ORIGINS = '';

  /** pino's level: fatal, error, warn, info, debug, trace or silent. */
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent',
  })
  LOG_LEVEL = 'info';

  /**
   * Reverse proxies in front of the API (0: none). With N, the client address is the Nth
   * address from the right of X-Forwarded-For: addresses a client adds itself are ignored.
   */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'TRUST_PROXY must be the number of proxies in front of the API (0: none)' })
  @Min(0)
  @Max(10)
  TRUST_PROXY = 0;

  /** The first admin account, created on start when both are set and it does not exist. */
  @IsOptional()
  @IsString()
  SAOLOU_ADMIN_USERNAME?: string;

  @IsOptional()
  @IsString()
  SAOLOU_ADMIN_PASSWORD?: string;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.keys(new AppConfig()).concat(
    'DATABASE_URL',
    'JWT_SECRET',
    'SAOLOU_ADMIN_USERNAME',
    'SAOLOU_ADMIN_PASSWORD',
  );
  const picked = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => known.includes(k) && v !== undefined && v !== ''),
  );
  const config = plainToInstance(AppConfig, picked);
  const errors = validateSync(config, { whitelist: true });
  if (errors.length) {
    const lines = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    throw new Error(`Invalid configuration:\n  - ${lines.join('\n  - ')}`);
  }
  return config;
}
