import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
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

  /** How often the SLA clock looks for warnings and overdue cases (with PROJECTOR=inline). */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'SLA_CLOCK_INTERVAL_MS must be a whole number' })
  @Min(1000)
  @Max(3_600_000)
  SLA_CLOCK_INTERVAL_MS = 30_000;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.keys(new AppConfig()).concat('DATABASE_URL');
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
