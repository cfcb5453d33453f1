import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ArchiveEnterpriseDto {
  @ApiProperty({ example: '企业已迁出龙岗' })
  @Length(1, 500)
  @IsString()
  reason!: string;
}
