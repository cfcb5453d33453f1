import { ApiProperty } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { formatPosition, type CommandResult } from '#event-store';

/** What every command answers. */
export class CommandReplyDto {
  @ApiProperty({ description: 'The id of the record the command acted on' }) id!: string;
  @ApiProperty({
    description: 'Its version after the command; send it back as If-Match',
    example: 2,
  })
  version!: number;
  @ApiProperty({
    description:
      'Where the command landed in the event log; send it as X-Consistent-With to read your own write',
    example: '812:1044',
    nullable: true,
    type: String,
  })
  position!: string | null;
}

export function commandReply(
  reply: FastifyReply,
  id: string,
  result: CommandResult,
): CommandReplyDto {
  void reply.header('etag', `"${result.version}"`);
  if (result.replayed) void reply.header('idempotent-replayed', 'true');
  return {
    id,
    version: result.version,
    position: result.position ? formatPosition(result.position) : null,
  };
}
