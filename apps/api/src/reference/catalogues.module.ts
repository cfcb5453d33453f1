import { Global, Module } from '@nestjs/common';
import { CATALOGUES } from '../infrastructure/tokens.js';
import { Catalogues } from './catalogues.js';

/** The reference data as commands check it, for every feature module (and as CATALOGUES). */
@Global()
@Module({
  providers: [Catalogues, { provide: CATALOGUES, useExisting: Catalogues }],
  exports: [Catalogues, CATALOGUES],
})
export class CataloguesModule {}
