import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  ValidateIf,
} from 'class-validator';
import { ENTERPRISE_TAGS } from '#domain';
import { OptionalNotNull } from '../../http/validators.js';
import { IsCreditCode } from '../../http/credit-code.validator.js';

export class EnterpriseProfileFields {
  @ApiPropertyOptional({ example: '天安云谷2栋', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Length(1, 100)
  @IsString()
  building?: string | null;

  @ApiPropertyOptional({ example: '新一代信息技术', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Length(1, 100)
  @IsString()
  industryCluster?: string | null;

  @ApiPropertyOptional({
    enum: ENTERPRISE_TAGS,
    isArray: true,
    description: '规上, 专精特新, 高新技术, 上市',
  })
  @OptionalNotNull()
  @IsIn(ENTERPRISE_TAGS as unknown as string[], {
    each: true,
    message: `tags must each be one of ${ENTERPRISE_TAGS.join(', ')}`,
  })
  @ArrayMaxSize(4)
  @IsArray()
  tags?: (typeof ENTERPRISE_TAGS)[number][];

  @ApiPropertyOptional({ example: '李经理', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Length(1, 50)
  @IsString()
  contactPerson?: string | null;

  @ApiPropertyOptional({
    example: '13800138000',
    nullable: true,
    type: String,
    description: 'Mobile, or landline with area code',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Length(5, 20)
  @IsString()
  contactPhone?: string | null;
}

export class RegisterEnterpriseDto extends EnterpriseProfileFields {
  @ApiProperty({
    example: '91440300708461136T',
    description: 'Unified social credit code (GB 32100-2015); spaces and case are ignored',
  })
  @IsCreditCode()
  @IsString()
  creditCode!: string;

  @ApiProperty({ example: '深圳市坂田电子科技有限公司' })
  @Length(1, 200)
  @IsString()
  name!: string;

  @ApiProperty({ example: 'bantian', description: 'A street code from GET /reference' })
  @Length(1, 40)
  @IsString()
  street!: string;
}
