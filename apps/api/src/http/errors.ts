import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'creditCode' }) field!: string;
  @ApiProperty({ example: 'isCreditCode', description: 'The rule the value broke' }) rule!: string;
  @ApiProperty({ example: 'creditCode has a wrong check character' }) message!: string;
}

/** The body of every error response. */
export class ErrorDto {
  @ApiProperty({ example: 409 }) statusCode!: number;
  @ApiProperty({
    example: 'CASE.ALREADY_RESOLVED',
    description: 'Stable code; clients may switch on it',
  })
  code!: string;
  @ApiProperty({ example: 'The case is already resolved' }) message!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Facts about the refusal, e.g. the current status',
  })
  details?: Record<string, unknown>;
  @ApiProperty({ example: '7c4e6a2e-1d0a-4f43-9a8e-3b2f6f1f4a55' }) correlationId!: string;
}

/** A 4xx raised at the HTTP edge (bad headers, validation), already in the ErrorDto shape. */
export class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldErrorDto[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}
