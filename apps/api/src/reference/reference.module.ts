import { Module } from '@nestjs/common';
import { ChangeReferenceHandler } from './change-reference/change-reference.handler.js';
import { ListReferenceHandler } from './list-reference/list-reference.handler.js';
import { ReferenceController } from './reference.controller.js';

/**
 * Reference data (基础数据: streets, departments, categories): change-reference (define,
 * rename, retire), list-reference, one controller. The catalogue commands check against is
 * the global CataloguesModule's.
 */
@Module({
  controllers: [ReferenceController],
  providers: [ChangeReferenceHandler, ListReferenceHandler],
})
export class ReferenceModule {}
