import { ApiProperty } from '@nestjs/swagger';
import { VISIT_LEVELS } from '#domain';

/** The replies the visit routes share. */
export class VisitReplyDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: [String], description: 'The cases opened for the problems, in order' })
  caseIds!: string[];
  @ApiProperty({
    example: '812:1044',
    description: 'Send as X-Consistent-With to read your own write',
  })
  position!: string;
}

export class VisitDto {
  @ApiProperty() id!: string;
  @ApiProperty() enterpriseId!: string;
  @ApiProperty() enterpriseName!: string;
  @ApiProperty() street!: string;
  @ApiProperty() visitedOn!: string;
  @ApiProperty({ enum: VISIT_LEVELS }) level!: string;
  @ApiProperty({ type: [String] }) officers!: string[];
  @ApiProperty({ type: [String] }) leaders!: string[];
  @ApiProperty() summary!: string;
  @ApiProperty({ type: [String] }) caseIds!: string[];
  @ApiProperty() loggedAt!: Date;
}

export class VisitListDto {
  @ApiProperty({ type: [VisitDto] }) items!: VisitDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
