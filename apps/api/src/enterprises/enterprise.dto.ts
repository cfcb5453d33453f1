import { ApiProperty } from '@nestjs/swagger';
import { VisitDto } from '../visits/visit.dto.js';

export class EnterpriseDto {
  @ApiProperty({ description: 'The credit code' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() creditCode!: string;
  @ApiProperty() street!: string;
  @ApiProperty({ nullable: true, type: String }) building!: string | null;
  @ApiProperty({ nullable: true, type: String }) industryCluster!: string | null;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ nullable: true, type: String }) contactPerson!: string | null;
  @ApiProperty({ nullable: true, type: String }) contactPhone!: string | null;
  @ApiProperty() registeredAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) archivedAt!: Date | null;
  @ApiProperty() version!: number;
}

export class EnterpriseListDto {
  @ApiProperty({ type: [EnterpriseDto] }) items!: EnterpriseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

/** A case as the enterprise 360 lists it. */
export class EnterpriseCaseDto {
  @ApiProperty() id!: string;
  @ApiProperty() category!: string;
  @ApiProperty() channel!: string;
  @ApiProperty() priority!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ nullable: true, type: String }) leadDepartment!: string | null;
  @ApiProperty() openedAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) resolvedAt!: Date | null;
  @ApiProperty({ nullable: true, type: String }) outcome!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The callback result' }) satisfaction!:
    string | null;
  @ApiProperty() description!: string;
}

export class Enterprise360Dto extends EnterpriseDto {
  @ApiProperty({ type: [VisitDto], description: 'Visits, newest first (at most 100)' })
  visits!: VisitDto[];
  @ApiProperty({ type: [EnterpriseCaseDto], description: 'Cases, newest first (at most 100)' })
  cases!: EnterpriseCaseDto[];
  @ApiProperty({
    description: 'Cases per status',
    type: 'object',
    additionalProperties: { type: 'number' },
  })
  caseCounts!: Record<string, number>;
  @ApiProperty({
    description: 'Callback results over all its cases',
    type: 'object',
    additionalProperties: { type: 'number' },
  })
  callbacks!: Record<string, number>;
}
