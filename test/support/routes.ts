import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { POLICY, type RoutePolicy } from '../../apps/api/src/auth/policy.js';

export interface Route {
  method: string;
  /** As served, e.g. /api/v1/cases/:id/accept. */
  path: string;
  /** The route's policy; undefined when it has none (which the matrix test refuses). */
  policy: RoutePolicy | undefined;
  controller: string;
  handler: string;
}

const join = (...parts: string[]) =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');

/**
 * Every HTTP route of the running application, from Nest's controller metadata, each
 * checked against Fastify's own route table (so a route here is a route served).
 */
export function routeTable(app: NestFastifyApplication): Route[] {
  const routes: Route[] = [];
  const fastify = app.getHttpAdapter().getInstance();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, type) as string | undefined) ?? '';
      const classPolicy = Reflect.getMetadata(POLICY, type) as RoutePolicy | undefined;
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = type.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (path === undefined || method === undefined) continue;
        const prefix = base === 'health' ? '' : 'api/v1';
        const route: Route = {
          method: RequestMethod[method],
          path: join(prefix, base, path),
          policy: (Reflect.getMetadata(POLICY, handler) as RoutePolicy | undefined) ?? classPolicy,
          controller: type.name,
          handler: name,
        };
        if (!fastify.hasRoute({ method: route.method as never, url: route.path })) {
          throw new Error(`${route.method} ${route.path} is in Nest's metadata but not served`);
        }
        routes.push(route);
      }
    }
  }
  return routes;
}

/** The route a concrete request goes to. */
export function routeFor(routes: Route[], method: string, url: string): Route | undefined {
  const path = url.split('?')[0]!;
  const matches = routes.filter((r) => {
    if (r.method !== method) return false;
    const pattern = new RegExp(`^${r.path.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
    return pattern.test(path);
  });
  // A literal segment beats a parameter (cases/counts over cases/:id).
  return matches.sort(
    (a, b) => (a.path.match(/:/g)?.length ?? 0) - (b.path.match(/:/g)?.length ?? 0),
  )[0];
}
