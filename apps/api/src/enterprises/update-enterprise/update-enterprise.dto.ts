import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { OptionalNotNull } from '../../http/validators.js';

import { EnterpriseProfileFields } from '../register-enterprise/register-enterprise.dto.js';
export class UpdateEnterpriseDto extends EnterpriseProfileFields {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @Length(1, 200)
  @IsString()
  name?: string;

  @ApiPropertyOptional({ description: 'A street code' })
  @OptionalNotNull()
  @Length(1, 40)
  @IsString()
  street?: string;
}
