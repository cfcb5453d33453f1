import { Module } from '@nestjs/common';
import { CalendarStartupNotice, CalendarYears } from './calendar-year/calendar-year.js';
import { PreviewPolicyChangeModule } from './preview-policy-change/preview-policy-change.module.js';
import { GetSlaSettingsHandler } from './get-sla-settings/get-sla-settings.handler.js';
import { SlaController } from './sla.controller.js';
import { SlaSettingsHandler } from './sla-settings-command.handler.js';

/**
 * SLA settings (时限设置): the working calendar (calendar-year: a year's schedule, its preview
 * and import), the policies (the sla-settings command handler, preview-policy-change's dry
 * run), get-sla-settings.
 */
@Module({
  imports: [PreviewPolicyChangeModule],
  controllers: [SlaController],
  providers: [SlaSettingsHandler, GetSlaSettingsHandler, CalendarYears, CalendarStartupNotice],
})
export class SlaModule {}
