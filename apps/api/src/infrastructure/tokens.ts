import type { Catalogue } from '#domain';

export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
export const APP_CONFIG = Symbol('APP_CONFIG');
/** The reference data as commands check it (bound to the reference feature's Catalogues). */
export const CATALOGUES = Symbol('CATALOGUES');

export interface CatalogueSource {
  current(): Promise<Catalogue>;
}

/** The application clock: the only place the time is read. Tests substitute it. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
