import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Can } from '../../auth/policy.js';
import { ErrorDto } from '../../http/errors.js';
import { ReadConsistency } from '../../infrastructure/read-consistency.js';
import { Catalogues } from '../../reference/catalogues.js';
import { PolicyPreviewDto, SetPolicyDto } from './preview-policy-change.dto.js';
import { PreviewPolicyChangeQuery } from './preview-policy-change.handler.js';

@ApiTags('sla')
@Controller('sla')
export class PreviewPolicyChangeController {
  constructor(
    private readonly queries: QueryBus,
    private readonly catalogues: Catalogues,
    private readonly consistency: ReadConsistency,
  ) {}

  @Post('policies/preview')
  @Can('sla.manage')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Preview a policy change: how many cases’ deadlines and which figures it moves',
    description:
      'A dry run of POST /sla/policies with the same body, refused the same way; nothing is written. The cases the key covers opened since effectiveFrom are derived again with the change (as the projection will), and the reply counts those whose due instants move, lists them with the old and new instants, and lists the monthly metric cells whose counters and rates change, before and after.',
  })
  @ApiOkResponse({ type: PolicyPreviewDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: 'SLA.INVALID_KEY, SLA.UNKNOWN_CATEGORY, SLA.INVALID_POLICY',
  })
  async preview(@Body() body: SetPolicyDto, @Req() request: FastifyRequest) {
    await this.consistency.await(request, ['case_sla']);
    return this.queries.execute(
      new PreviewPolicyChangeQuery(
        { key: body.key, policy: { ...body.policy }, effectiveFrom: body.effectiveFrom },
        await this.catalogues.current(),
      ),
    );
  }
}
