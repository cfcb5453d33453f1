import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseDeadline } from '../api/types';
import { formatTime } from './time';

/** Working minutes as 分钟 / 小时 / 工作日 (a working day is 7 office hours). */
export function useWorkingDuration() {
  const { t } = useTranslation();
  return (minutes: number) => {
    const m = Math.abs(Math.round(minutes));
    if (m < 60) return t('deadline.minutes', { count: m });
    if (m < 7 * 60) return t('deadline.hours', { h: Math.floor(m / 60), m: m % 60 });
    return t('deadline.days', { d: Math.floor(m / 420), h: Math.floor((m % 420) / 60) });
  };
}

export type BadgeKind =
  'running' | 'dueSoon' | 'overdue' | 'paused' | 'met' | 'met_late' | 'not_applicable';

export function badgeKind(d: CaseDeadline): BadgeKind {
  if (d.state === 'overdue' || d.warning === 'overdue') return 'overdue';
  if (d.state === 'paused') return 'paused';
  if (d.state === 'running') return d.warning === 'approaching' ? 'dueSoon' : 'running';
  return d.state;
}

// Colours as Zammad's escalation and Frappe Helpdesk's SLA badges: green running, orange due
// soon, red overdue, grey paused; solid, with white text at WCAG AA contrast.
const COLOURS: Record<BadgeKind, string> = {
  running: '#237804',
  dueSoon: '#ad4e00',
  overdue: '#a8071a',
  paused: '#595959',
  met: '#0b57d0',
  met_late: '#ad2102',
  not_applicable: '#595959',
};

/** One clock's countdown in working time: running / due soon / overdue / paused. */
export function DeadlineBadge({
  deadline,
  label,
  testId,
}: {
  deadline: CaseDeadline | undefined;
  label?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const duration = useWorkingDuration();
  if (!deadline) return <Tag data-testid={testId}>{t('deadline.unknown')}</Tag>;
  const kind = badgeKind(deadline);
  const left = deadline.workingMinutesLeft;
  const text =
    kind === 'met' || kind === 'met_late' || kind === 'not_applicable'
      ? t(`deadline.${kind}`)
      : left === null
        ? t('deadline.unknown')
        : t(`deadline.${kind}`, { time: duration(left) });
  const tip = [
    deadline.dueAt ? t('deadline.due', { at: formatTime(deadline.dueAt) }) : '',
    t('deadline.workingTime'),
    deadline.calendarKnown ? '' : t('deadline.provisional'),
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <Tooltip title={tip}>
      <span data-testid={testId} data-kind={kind} data-minutes={left ?? ''}>
        <Tag color={COLOURS[kind]} style={{ marginInlineEnd: 4 }}>
          {label ? `${label} · ` : ''}
          {text}
          {deadline.calendarKnown ? '' : ' *'}
        </Tag>
      </span>
    </Tooltip>
  );
}
