import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { loadConfig } from './config.js';

/** The routes served without the api/v1 prefix (the app and its offline document alike). */
export const UNPREFIXED_ROUTES = ['health', 'health/live', 'health/ready'];

/** The OpenAPI document of the application's routes (served at /docs, and the web app's types). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Saolou (扫楼) API')
      .setDescription(
        'Enterprise-service case tracking. Log in at POST /api/v1/auth/login and send the access token as ' +
          '"Authorization: Bearer <token>" (Authorize, above); what each role may do is listed on each operation. ' +
          'Every command answers { id, version, position }: send version back as ' +
          'If-Match to refuse lost updates, and position as X-Consistent-With to read your own write. Errors answer ' +
          '{ statusCode, code, message, errors[field, rule, message], correlationId }.',
      )
      .setVersion('0.1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'From POST /api/v1/auth/login',
      })
      .build(),
  );
}

/**
 * The same document without a database: Nest's preview mode registers the modules and routes
 * but instantiates no provider, so nothing connects to PostgreSQL.
 */
export async function openApiDocumentWithoutDatabase(): Promise<OpenAPIObject> {
  const config = {
    ...loadConfig({}),
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    JWT_SECRET: 'preview-only-'.padEnd(48, 'x'),
  };
  const app = await NestFactory.create(AppModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  app.setGlobalPrefix('api/v1', { exclude: UNPREFIXED_ROUTES });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
