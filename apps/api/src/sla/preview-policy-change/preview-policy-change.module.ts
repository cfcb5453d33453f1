import { Module } from '@nestjs/common';
import { PreviewPolicyChangeController } from './preview-policy-change.controller.js';
import { PreviewPolicyChangeHandler } from './preview-policy-change.handler.js';

/** POST /sla/policies/preview: a policy change's dry run (its own folder, one use case). */
@Module({
  controllers: [PreviewPolicyChangeController],
  providers: [PreviewPolicyChangeHandler],
})
export class PreviewPolicyChangeModule {}
