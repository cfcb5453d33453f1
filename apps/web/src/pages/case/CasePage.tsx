import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useCase, useMe, useReference, type CaseStep } from '../../api/hooks';
import type { CaseDetail, Me } from '../../api/types';
import { DeadlineBadge } from '../../components/DeadlineBadge';
import { ErrorAlert } from '../../components/ErrorAlert';
import { StatusTag } from '../../components/StatusTag';
import { SuperviseDialog } from '../../components/SuperviseDialog';
import { formatTime } from '../../components/time';
import { DispatchDialog } from '../dispatch/DispatchDialog';
import { StepDialog } from './StepDialog';

/**
 * The steps this user may try on the case as it stands (the server decides: a step it refuses
 * is answered with its reason). Lead department: accept, return, transfer, respond, progress,
 * pause/resume, extension, resolve; co-handlers: progress; dispatchers: dispatch, transfer
 * (改派), extensions, the callback (回访) once resolved and the close (销号) after a satisfied
 * callback; leaders: extensions (and 督办, offered beside the steps).
 */
export function stepsFor(c: CaseDetail, me: Me | undefined): CaseStep[] {
  if (!me) return [];
  const steps: CaseStep[] = [];
  const lead = me.role === 'handler' && me.department === c.leadDepartment;
  const co = me.role === 'handler' && !!me.department && c.coDepartments.includes(me.department);
  if (lead) {
    if (c.status === 'dispatched') steps.push('accept', 'return', 'transfer');
    if (c.status === 'accepted') {
      if (!c.firstResponseAt) steps.push('first-response');
      steps.push('progress', 'pause');
      if (!c.extensionPending) steps.push('extension');
      steps.push('resolve', 'transfer');
    }
    if (c.status === 'paused') steps.push('resume', 'progress');
  } else if (co && ['dispatched', 'accepted', 'paused'].includes(c.status)) {
    steps.push('progress');
  }
  if (me.role === 'dispatcher') {
    if (c.status === 'new' || c.status === 'returned') steps.push('dispatch');
    // Re-routing (改派) to another lead department, before or after it accepted.
    if (c.status === 'dispatched' || c.status === 'accepted') steps.push('transfer');
    if (c.status === 'resolved') steps.push(c.satisfaction ? 'close' : 'callback');
  }
  // 延期审批: the enterprise service centre or a leader (ACTIONS['case.decide_extension']).
  if ((me.role === 'dispatcher' || me.role === 'leader') && c.extensionPending) {
    steps.push('extension/approve', 'extension/refuse');
  }
  if (
    ['officer', 'dispatcher', 'handler', 'leader'].includes(me.role) &&
    !['closed', 'withdrawn'].includes(c.status)
  ) {
    steps.push('comments');
  }
  return steps;
}

const STEP_LABEL: Record<CaseStep, string> = {
  dispatch: 'dispatch.dispatch',
  accept: 'case.accept',
  return: 'case.return',
  transfer: 'case.transfer',
  'first-response': 'case.firstResponse',
  progress: 'case.progress',
  extension: 'case.extension',
  'extension/approve': 'dispatch.approve',
  'extension/refuse': 'dispatch.refuse',
  pause: 'case.pause',
  resume: 'case.resume',
  resolve: 'case.resolve',
  callback: 'case.callback',
  close: 'case.close',
  comments: 'case.comment',
};

/** What an event says, in a line: the fields a person reads. */
function summary(
  data: Record<string, unknown>,
  name: (k: 'department' | 'category', c: string) => string,
): string {
  const parts: string[] = [];
  if (typeof data.leadDepartment === 'string') parts.push(name('department', data.leadDepartment));
  if (Array.isArray(data.coDepartments) && data.coDepartments.length) {
    parts.push(`+ ${data.coDepartments.map((d) => name('department', String(d))).join('、')}`);
  }
  if (typeof data.toDepartment === 'string')
    parts.push(`→ ${name('department', data.toDepartment)}`);
  for (const key of [
    'reason',
    'message',
    'note',
    'resolution',
    'comment',
    'instructions',
    'description',
  ]) {
    if (typeof data[key] === 'string' && data[key]) parts.push(String(data[key]));
  }
  if (typeof data.requestedDueAt === 'string') parts.push(formatTime(data.requestedDueAt));
  return parts.join(' · ');
}

export function CasePage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const query = useCase(id);
  const me = useMe();
  const reference = useReference();
  const [open, setOpen] = useState<CaseStep | null>(null);
  const [supervising, setSupervising] = useState(false);
  if (query.isLoading) return <Spin aria-label={t('common.loading')} />;
  if (query.error || !query.data)
    return <ErrorAlert error={query.error} onReload={() => void query.refetch()} />;
  const c = query.data;
  const steps = stepsFor(c, me.data);
  const isCo =
    me.data?.role === 'handler' &&
    !!me.data.department &&
    c.coDepartments.includes(me.data.department);
  const handledBefore =
    me.data?.role === 'handler' && me.data.department !== c.leadDepartment && !isCo;
  const d = c.deadlines;
  // 督办 with a note: a leader's, on any case still open or resolved (the domain's rule).
  const mayOrderSupervision =
    me.data?.role === 'leader' && !['closed', 'withdrawn'].includes(c.status);
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {c.enterpriseName} <StatusTag status={c.status} />
      </Typography.Title>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Typography.Paragraph style={{ fontSize: 16 }}>{c.description}</Typography.Paragraph>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, md: 3 }}
          items={[
            {
              key: 'category',
              label: t('case.category'),
              children: reference.name('category', c.category),
            },
            { key: 'priority', label: t('case.priority'), children: t(`priority.${c.priority}`) },
            { key: 'channel', label: t('case.channel'), children: t(`channel.${c.channel}`) },
            {
              key: 'street',
              label: t('case.street'),
              children: reference.name('street', c.street),
            },
            {
              key: 'lead',
              label: t('case.lead'),
              children: reference.name('department', c.leadDepartment) || '—',
            },
            {
              key: 'co',
              label: t('case.co'),
              children:
                c.coDepartments.map((x) => reference.name('department', x)).join('、') || '—',
            },
            { key: 'opened', label: t('case.openedAt'), children: formatTime(c.openedAt) },
          ]}
        />
      </Card>
      <Card size="small" title={t('case.deadlines')} style={{ marginBottom: 16 }}>
        {d ? (
          <Space wrap>
            <DeadlineBadge deadline={d.firstResponse} label={t('deadline.firstResponse')} />
            <DeadlineBadge deadline={d.interimUpdate} label={t('deadline.interimUpdate')} />
            <DeadlineBadge deadline={d.resolution} label={t('deadline.resolution')} />
          </Space>
        ) : (
          <Tag>{t('deadline.unknown')}</Tag>
        )}
      </Card>
      <Card size="small" title={t('case.steps')} style={{ marginBottom: 16 }}>
        {isCo && (
          <Alert type="info" showIcon title={t('case.coHint')} style={{ marginBottom: 8 }} />
        )}
        {handledBefore && (
          <Alert type="info" showIcon title={t('case.readOnly')} style={{ marginBottom: 8 }} />
        )}
        {steps.length === 0 && !mayOrderSupervision ? (
          <Typography.Text type="secondary">{t('case.noSteps')}</Typography.Text>
        ) : (
          <Space wrap>
            {steps.map((s) => (
              <Button
                key={s}
                size="large"
                type={
                  [
                    'accept',
                    'resolve',
                    'dispatch',
                    'first-response',
                    'resume',
                    'callback',
                    'close',
                  ].includes(s)
                    ? 'primary'
                    : 'default'
                }
                danger={s === 'return' || s === 'extension/refuse'}
                onClick={() => setOpen(s)}
              >
                {t(STEP_LABEL[s])}
              </Button>
            ))}
            {mayOrderSupervision && (
              <Button size="large" danger onClick={() => setSupervising(true)}>
                {t('leader.supervise.button')}
                {c.supervisedCount > 0 ? ` (${c.supervisedCount})` : ''}
              </Button>
            )}
          </Space>
        )}
      </Card>
      <Card size="small" title={t('case.timeline')}>
        <Timeline
          items={c.timeline.map((e) => {
            const system = e.actor.startsWith('system:');
            const who = system
              ? t('case.system')
              : t('case.by', {
                  name: e.actorName ?? e.actor,
                  role: e.actorRole ? t(`role.${e.actorRole}`) : '',
                });
            const dept = e.actorDepartment ? reference.name('department', e.actorDepartment) : '';
            return {
              key: e.eventId,
              color: e.type === 'CaseOverdue' || e.type === 'CaseReturned' ? 'red' : undefined,
              content: (
                <div>
                  <Typography.Text strong>
                    {t(`case.event.${e.type}`, { defaultValue: e.type })}
                  </Typography.Text>
                  <span style={{ color: '#595959', marginInlineStart: 8 }}>
                    {formatTime(e.occurredAt)}
                  </span>
                  <div style={{ color: '#434343' }}>
                    {who}
                    {dept ? ` · ${dept}` : ''}
                  </div>
                  <div>
                    {typeof e.data.satisfaction === 'string' && (
                      <Tag
                        color={e.data.satisfaction === 'unsatisfied' ? '#a8071a' : '#237804'}
                        style={{ marginInlineEnd: 8 }}
                      >
                        {t(`case.satisfactions.${e.data.satisfaction}`)}
                      </Tag>
                    )}
                    {summary(e.data, reference.name)}
                  </div>
                </div>
              ),
            };
          })}
        />
      </Card>
      <SuperviseDialog row={supervising ? c : null} onClose={() => setSupervising(false)} />
      {open === 'dispatch' && <DispatchDialog row={c} onClose={() => setOpen(null)} />}
      {open && open !== 'dispatch' && (
        <StepDialog
          caseId={c.id}
          version={c.version}
          step={open}
          title={t(STEP_LABEL[open])}
          leadDepartment={c.leadDepartment}
          onClose={() => setOpen(null)}
        />
      )}
    </>
  );
}
