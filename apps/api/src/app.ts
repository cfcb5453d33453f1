import { Logger, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config.js';
import { AllExceptionsFilter } from './http/exception.filter.js';
import { genRequestId } from './http/request-context.js';
import { noNulPipe, validationPipe } from './http/validation.js';
import type { Clock } from './infrastructure/tokens.js';

export const BODY_LIMIT = 1024 * 1024;

/** Builds the HTTP application (not listening yet): used by main and by the end-to-end tests. */
export async function createApp(
  config: AppConfig & { DATABASE_URL: string },
  options: { clock?: Clock; logger?: LoggerService | false } = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    genReqId: genRequestId,
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options.clock),
    adapter,
    {
      logger: options.logger ?? new Logger(),
      abortOnError: false,
    },
  );
  // JSON only: a text/plain body answers 415 rather than reaching validation as a string.
  adapter.getInstance().removeContentTypeParser('text/plain');
  app.setGlobalPrefix('api/v1', { exclude: ['health'] });
  app.useGlobalPipes(noNulPipe, validationPipe);
  app.useGlobalFilters(new AllExceptionsFilter());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Saolou (扫楼) API')
      .setDescription(
        'Enterprise-service case tracking. Every command answers { id, version, position }: send version back as ' +
          'If-Match to refuse lost updates, and position as X-Consistent-With to read your own write. Errors answer ' +
          '{ statusCode, code, message, errors[field, rule, message], correlationId }.',
      )
      .setVersion('0.1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  return app;
}
