import { ApiProperty } from '@nestjs/swagger';

/** The replies the campaign routes share. */
export class CoverageRowDto {
  @ApiProperty({ nullable: true, type: String, description: 'null on the total row' }) street!:
    string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'null on a street’s subtotal row; "" for enterprises with no building',
  })
  building!: string | null;
  @ApiProperty() targets!: number;
  @ApiProperty({ description: 'Target enterprises visited in the period' }) visited!: number;
  @ApiProperty({ description: 'visited / targets, 0–1' }) coverage!: number;
}

export class CampaignDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() startsOn!: string;
  @ApiProperty() endsOn!: string;
  @ApiProperty({ type: [String] }) buildings!: string[];
  @ApiProperty({ type: [String] }) enterpriseIds!: string[];
  @ApiProperty({ enum: ['active', 'closed'] }) status!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() version!: number;
}

export class CampaignCoverageDto extends CampaignDto {
  @ApiProperty({ type: CoverageRowDto, description: 'The whole campaign' }) total!: CoverageRowDto;
  @ApiProperty({ type: [CoverageRowDto], description: 'Per street' }) streets!: CoverageRowDto[];
  @ApiProperty({ type: [CoverageRowDto], description: 'Per building within its street' })
  buildingsCoverage!: CoverageRowDto[];
}
