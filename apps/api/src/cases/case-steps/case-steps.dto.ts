import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsString, Length } from 'class-validator';
import { CASE_OUTCOMES, SATISFACTIONS } from '#domain';
import { Instant, OptionalNotNull } from '../../http/validators.js';

/** The bodies of the steps on an existing case. */
const oneOf = (values: readonly string[], field: string) =>
  IsIn(values as string[], { message: `${field} must be one of ${values.join(', ')}` });

export class DispatchCaseDto {
  @ApiProperty({
    description: 'The lead department (主办), a department code',
    example: 'power_supply',
  })
  @Length(1, 40)
  @IsString()
  leadDepartment!: string;

  @ApiPropertyOptional({
    description: 'Co-handling departments (协办)',
    type: [String],
    example: ['industry_it'],
  })
  @OptionalNotNull()
  @Length(1, 40, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(10)
  @IsArray()
  coDepartments?: string[];
}

export class ReasonDto {
  @ApiProperty({ example: '不属于本单位职责' })
  @Length(1, 1000)
  @IsString()
  reason!: string;
}

export class TransferCaseDto extends ReasonDto {
  @ApiProperty({
    description: 'The department that takes the case over',
    example: 'development_reform',
  })
  @Length(1, 40)
  @IsString()
  toDepartment!: string;
}

export class FirstResponseDto {
  @ApiProperty({
    description: 'What the department told the enterprise (首次回应)',
    example: '已联系企业，明日上门核实',
  })
  @Length(1, 4000)
  @IsString()
  message!: string;
}

export class ProgressDto {
  @ApiProperty({ example: '已现场勘查，协调供电局评估增容' })
  @Length(1, 4000)
  @IsString()
  note!: string;
}

export class ExtensionRequestDto extends ReasonDto {
  @ApiProperty({
    description: 'The new due date and time (ISO 8601)',
    example: '2026-12-31T18:00:00+08:00',
  })
  @Instant('requestedDueAt')
  requestedDueAt!: string;
}

export class ExtensionApprovalDto {
  @ApiPropertyOptional({ example: '同意延期' })
  @OptionalNotNull()
  @Length(1, 1000)
  @IsString()
  comment?: string;
}

export class ResolveCaseDto {
  @ApiProperty({ description: 'How it was resolved (办结)', example: '调整有序用电时段，夜班恢复' })
  @Length(1, 4000)
  @IsString()
  resolution!: string;

  @ApiProperty({
    enum: CASE_OUTCOMES,
    description: 'solved / partly solved / explained, cannot be solved',
  })
  @oneOf(CASE_OUTCOMES, 'outcome')
  outcome!: (typeof CASE_OUTCOMES)[number];
}

export class CallbackDto {
  @ApiProperty({
    enum: SATISFACTIONS,
    description: '满意 / 基本满意 / 不满意; unsatisfied sends the case back for rework',
  })
  @oneOf(SATISFACTIONS, 'satisfaction')
  satisfaction!: (typeof SATISFACTIONS)[number];

  @ApiProperty({ example: '问题已解决，感谢' })
  @Length(1, 2000)
  @IsString()
  comment!: string;
}

export class SupervisionDto {
  @ApiProperty({
    description: 'The leader’s instructions (督办)',
    example: '请三个工作日内办结并报送结果',
  })
  @Length(1, 2000)
  @IsString()
  instructions!: string;
}

export class CommentDto {
  @ApiProperty({ example: '企业来电询问进度' })
  @Length(1, 2000)
  @IsString()
  comment!: string;
}
