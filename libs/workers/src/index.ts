/**
 * The application's workers: they read the read model and send commands through the one
 * command path (so they sit above libs/read-model and libs/event-store, below the apps).
 */
export * from './sla-settings.js';
export * from './sla-clock.js';
