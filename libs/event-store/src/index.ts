export * from './event-store.js';
export * from './event-ids.js';
export * from './command-handling.js';
export * from './postgres/postgres-event-store.js';
export * from './postgres/wakeups.js';
export * from './postgres/embedded-postgres.js';
export * from './postgres/migrations/1795300000000-CreateEventStore.js';
export * from './postgres/migrations/1795310001400-IdempotencyKeys.js';
