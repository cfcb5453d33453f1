import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from './auth/policy.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Health: the API is up and its database answers (no account needed)' })
  @ApiOkResponse({ description: 'The API is up and its database answers' })
  async health() {
    await this.dataSource.query('SELECT 1');
    return { status: 'ok' };
  }
}
