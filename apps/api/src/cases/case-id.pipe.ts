import { ParseUUIDPipe } from '@nestjs/common';
import { HttpProblem } from '../http/errors.js';

/** A case id in the path: a UUID, or 400 naming the field. */
export const caseIdPipe = new ParseUUIDPipe({
  exceptionFactory: () =>
    new HttpProblem(400, 'REQUEST.INVALID', 'id must be a UUID', [
      { field: 'id', rule: 'isUuid', message: 'id must be a UUID' },
    ]),
});
