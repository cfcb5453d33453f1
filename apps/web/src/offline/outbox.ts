import { openDB, type IDBPDatabase } from 'idb';
import { newIdempotencyKey, sendCommand } from '../api/client';
import { isApiError } from '../api/errors';
import type { LogVisitBody } from '../api/types';

/**
 * The officer's outbox: every visit is written here first (IndexedDB survives closing the
 * browser), with the Idempotency-Key it gets when written, then sent; a retry after a lost
 * reply sends the same key, so the server stores it once. Sent when the connection returns
 * (the `online` event, app start, a timer) — not the Background Sync API, which Safari lacks.
 */
export interface OutboxEntry {
  key: string;
  body: LogVisitBody;
  enterpriseName: string;
  createdAt: string;
  state: 'waiting' | 'refused';
  attempts: number;
  error?: {
    status: number;
    code: string;
    message: string;
    errors: { field: string; rule: string; message: string }[];
  };
}

export interface SendResult {
  key: string;
  ok: boolean;
  caseIds?: string[];
}

const STORE = 'visits';
let dbPromise: Promise<IDBPDatabase> | null = null;
function db() {
  dbPromise ??= openDB('saolou-outbox', 1, {
    upgrade(database) {
      database.createObjectStore(STORE, { keyPath: 'key' });
    },
  });
  return dbPromise;
}

type Listener = () => void;
const listeners = new Set<Listener>();
function changed() {
  listeners.forEach((l) => l());
}

export const outbox = {
  subscribe(listener: Listener) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },

  async list(): Promise<OutboxEntry[]> {
    const all = (await (await db()).getAll(STORE)) as OutboxEntry[];
    return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  },

  /** Keeps the visit on the device with a new Idempotency-Key; replaces `replaces` (a fixed refusal). */
  async add(body: LogVisitBody, enterpriseName: string, replaces?: string): Promise<string> {
    const entry: OutboxEntry = {
      key: newIdempotencyKey(),
      body,
      enterpriseName,
      createdAt: new Date().toISOString(),
      state: 'waiting',
      attempts: 0,
    };
    const tx = (await db()).transaction(STORE, 'readwrite');
    // A refused visit stored nothing on the server: its fixed version gets a key of its own.
    if (replaces) await tx.store.delete(replaces);
    await tx.store.put(entry);
    await tx.done;
    changed();
    return entry.key;
  },

  async get(key: string): Promise<OutboxEntry | undefined> {
    return (await (await db()).get(STORE, key)) as OutboxEntry | undefined;
  },

  async discard(key: string): Promise<void> {
    await (await db()).delete(STORE, key);
    changed();
  },

  /** Sends every waiting visit in order; stops at the first network failure. */
  flush,
};

let flushing: Promise<SendResult[]> | null = null;

function flush(): Promise<SendResult[]> {
  flushing ??= (async () => {
    const results: SendResult[] = [];
    try {
      for (const entry of await outbox.list()) {
        if (entry.state !== 'waiting') continue;
        const database = await db();
        try {
          const reply = await sendCommand<{ id: string; caseIds: string[] }>(
            '/api/v1/visits',
            entry.body,
            { 'idempotency-key': entry.key },
          );
          await database.delete(STORE, entry.key);
          results.push({ key: entry.key, ok: true, caseIds: reply.caseIds });
        } catch (error) {
          const refusal =
            isApiError(error) && error.isRefusal && error.status !== 401 ? error : null;
          await database.put(STORE, {
            ...entry,
            attempts: entry.attempts + 1,
            ...(refusal
              ? {
                  state: 'refused',
                  error: {
                    status: refusal.status,
                    code: refusal.code,
                    message: refusal.message,
                    errors: refusal.errors,
                  },
                }
              : {}),
          } satisfies OutboxEntry);
          results.push({ key: entry.key, ok: false });
          if (!refusal) break; // offline, server down or signed out: try again later
        }
      }
    } finally {
      flushing = null;
      changed();
    }
    return results;
  })();
  return flushing;
}

/** Sends waiting visits when the connection returns, on start and every 30 s while some wait. */
export function startOutboxSender(): () => void {
  const send = () => {
    if (navigator.onLine) void flush();
  };
  window.addEventListener('online', send);
  const timer = window.setInterval(send, 30_000);
  send();
  return () => {
    window.removeEventListener('online', send);
    window.clearInterval(timer);
  };
}
