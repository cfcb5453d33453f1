import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useReference } from '../../api/hooks';
import { MovedDeadlines } from './MovedDeadlines';
import { Refusal } from './Refusal';
import { formatTime, ZONE } from '../../components/time';
import { policyFor, slaTableAt, type SlaPolicy } from '../../../../../libs/domain/src/sla/policy';
import { CalendarNotices } from './CalendarNotices';
import './admin.css';
import {
  usePolicyPreview,
  useSetPolicy,
  useSlaSettings,
  type PolicyChange,
  type PolicyPreview,
  type PolicySettings,
} from './hooks';

const PRIORITIES = ['normal', 'high', 'urgent'] as const;
const FIELDS = [
  'resolutionWorkingDays',
  'interimUpdateWorkingHours',
  'warningWorkingHours',
] as const;

interface FormValues {
  category: string;
  priority: string;
  resolutionWorkingDays?: number | null;
  interimUpdateWorkingHours?: number | null;
  warningWorkingHours?: number | null;
  autoSuperviseOnOverdue?: 'yes' | 'no' | '';
  effectiveFrom?: Dayjs | null;
}

function usePolicyWords() {
  const { t } = useTranslation();
  const reference = useReference();
  const keyName = (key: string) => {
    const [category, priority] = key.split('/');
    return `${category === '*' ? t('admin.sla.anyCategory') : reference.name('category', category)} / ${
      priority === '*' ? t('admin.sla.anyPriority') : t(`priority.${priority}`)
    }`;
  };
  const settingWords = (p: PolicySettings) =>
    [
      p.resolutionWorkingDays !== undefined && t('admin.sla.days', { n: p.resolutionWorkingDays }),
      p.interimUpdateWorkingHours !== undefined &&
        t('admin.sla.interim', { n: p.interimUpdateWorkingHours }),
      p.warningWorkingHours !== undefined &&
        (p.warningWorkingHours === 0
          ? t('admin.sla.noWarning')
          : t('admin.sla.warning', { n: p.warningWorkingHours })),
      p.autoSuperviseOnOverdue !== undefined &&
        t(p.autoSuperviseOnOverdue ? 'admin.sla.autoSupervise' : 'admin.sla.noAutoSupervise'),
    ].filter(Boolean) as string[];
  return { keyName, settingWords };
}

const percent = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${Math.round(v * 1000) / 10}%`;

function PreviewPanel({ preview }: { preview: PolicyPreview }) {
  const { t } = useTranslation();
  const reference = useReference();
  const keyOf = (dimension: string, key: string) => {
    if (dimension === 'district') return t('admin.sla.dimensions.district');
    if (key === '-') return t('admin.sla.undispatched');
    if (dimension === 'lead_department' || dimension === 'co_department')
      return reference.name('department', key);
    if (dimension === 'street') return reference.name('street', key);
    if (dimension === 'category') return reference.name('category', key);
    if (dimension === 'channel') return t(`channel.${key}`);
    if (dimension === 'visit_level') return t(`level.${key}`);
    return key;
  };
  return (
    <Card
      title={t('admin.sla.previewTitle')}
      data-testid="policy-preview"
      style={{ marginTop: 16, borderColor: '#ad6800' }}
    >
      <Descriptions
        column={{ xs: 1, md: 3 }}
        items={[
          {
            key: 'covered',
            label: t('admin.sla.covered'),
            children: <span data-testid="preview-covered">{preview.casesCovered}</span>,
          },
          {
            key: 'moved',
            label: t('admin.sla.moved'),
            children: <strong data-testid="preview-moved">{preview.casesMoved}</strong>,
          },
          {
            key: 'figures',
            label: t('admin.sla.figures'),
            children: <strong data-testid="preview-figures">{preview.casesChangingFigures}</strong>,
          },
        ]}
      />
      <Typography.Title level={4}>{t('admin.sla.cells')}</Typography.Title>
      {preview.cells.length === 0 ? (
        <Typography.Paragraph>{t('admin.sla.noCells')}</Typography.Paragraph>
      ) : (
        <Table
          size="small"
          rowKey={(c) => `${c.month}/${c.dimension}/${c.key}`}
          dataSource={preview.cells}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          scroll={{ x: 720 }}
          columns={[
            { title: t('admin.sla.month'), dataIndex: 'month' },
            {
              title: t('admin.sla.dimension'),
              dataIndex: 'dimension',
              render: (d: string) => t(`admin.sla.dimensions.${d}`),
            },
            {
              title: t('admin.sla.dimensionKey'),
              key: 'key',
              render: (_, c) => keyOf(c.dimension, c.key),
            },
            {
              title: t('admin.sla.counters'),
              key: 'counters',
              render: (_, c) => (
                <ul className="admin-changes">
                  {c.counters.map((x) => (
                    <li key={x.counter}>
                      {t(`admin.sla.counter.${x.counter}`)} {x.before} → {x.after}
                    </li>
                  ))}
                </ul>
              ),
            },
            {
              title: t('admin.sla.rates'),
              key: 'rates',
              render: (_, c) => (
                <ul className="admin-changes">
                  {c.rates.map((x) => (
                    <li key={x.rate}>
                      {t(`admin.sla.rate.${x.rate}`)} {percent(x.before)} → {percent(x.after)}
                    </li>
                  ))}
                </ul>
              ),
            },
          ]}
        />
      )}
      {preview.cases.length > 0 && (
        <>
          <Typography.Title level={4}>
            {t('admin.sla.casesTitle', { n: Math.min(preview.cases.length, 50) })}
          </Typography.Title>
          <MovedDeadlines cases={preview.cases.slice(0, 50)} />
          {preview.truncated && <Typography.Text>{t('admin.sla.truncated')}</Typography.Text>}
        </>
      )}
    </Card>
  );
}

function bodyOf(v: FormValues): PolicyChange | null {
  if (!v.effectiveFrom) return null;
  const policy: PolicySettings = {};
  for (const f of FIELDS) if (typeof v[f] === 'number') policy[f] = v[f]!;
  if (v.autoSuperviseOnOverdue) policy.autoSuperviseOnOverdue = v.autoSuperviseOnOverdue === 'yes';
  // The picked wall-clock time is Shenzhen's, whatever the device's zone.
  const local = dayjs.tz(v.effectiveFrom.format('YYYY-MM-DD HH:mm'), 'YYYY-MM-DD HH:mm', ZONE);
  return {
    key: `${v.category}/${v.priority}`,
    policy,
    effectiveFrom: local.format('YYYY-MM-DDTHH:mm:ssZ'),
  };
}

export function SlaPoliciesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reference = useReference();
  const settings = useSlaSettings();
  const preview = usePolicyPreview();
  const setPolicy = useSetPolicy();
  const { keyName, settingWords } = usePolicyWords();
  const [form] = Form.useForm<FormValues>();
  const values = Form.useWatch([], form) as FormValues | undefined;
  const [previewed, setPreviewed] = useState<{ body: string; reply: PolicyPreview } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [now] = useState(() => new Date());

  const policies = useMemo(() => settings.data?.policies ?? [], [settings.data]);
  const table = useMemo(() => slaTableAt(policies, now), [policies, now]);
  const categories = reference.options('category');
  const body = values ? bodyOf(values) : null;
  const retroactive = body ? Date.parse(body.effectiveFrom) < now.getTime() : false;
  const currentPreview =
    previewed && body && previewed.body === JSON.stringify(body) ? previewed.reply : null;

  const cell = (p: SlaPolicy) => {
    const d = settings.data?.defaultPolicy;
    const differs = d && (Object.keys(d) as (keyof SlaPolicy)[]).some((k) => d[k] !== p[k]);
    return (
      <div style={differs ? { color: '#0b57d0', fontWeight: 600 } : undefined}>
        <div>{t('admin.sla.days', { n: p.resolutionWorkingDays })}</div>
        <div style={{ fontSize: 13, fontWeight: 400, color: '#595959' }}>
          {t('admin.sla.interim', { n: p.interimUpdateWorkingHours })} ·{' '}
          {p.warningWorkingHours === 0
            ? t('admin.sla.noWarning')
            : t('admin.sla.warning', { n: p.warningWorkingHours })}
        </div>
        {p.autoSuperviseOnOverdue && <Tag color="#ad4e00">{t('admin.sla.autoSupervise')}</Tag>}
      </div>
    );
  };

  const runPreview = async () => {
    setError(null);
    const b = bodyOf(await form.validateFields());
    if (!b) return;
    try {
      const reply = await preview.mutateAsync(b);
      setPreviewed({ body: JSON.stringify(b), reply });
    } catch (e) {
      setError(e);
    }
  };
  const apply = async () => {
    setError(null);
    const b = bodyOf(await form.validateFields());
    if (!b) return;
    try {
      await setPolicy.mutateAsync(b);
      void message.success(t('admin.sla.applied'));
      setPreviewed(null);
      form.resetFields();
    } catch (e) {
      setError(e);
    }
  };

  const d = settings.data?.defaultPolicy;
  const history = [...policies].sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));

  return (
    <div>
      <Typography.Title level={2} style={{ marginTop: 0 }}>
        {t('admin.sla.title')}
      </Typography.Title>
      <CalendarNotices />
      <Typography.Paragraph>{t('admin.sla.intro')}</Typography.Paragraph>
      {settings.error && (
        <Refusal error={settings.error} onReload={() => void settings.refetch()} />
      )}

      <Card
        title={t('admin.sla.inForce', { at: formatTime(now.toISOString()) })}
        style={{ marginBottom: 16 }}
      >
        {d && (
          <Typography.Paragraph>
            {t('admin.sla.defaultPolicy')}：{settingWords(d).join(' · ')}
          </Typography.Paragraph>
        )}
        <Table
          size="small"
          rowKey="value"
          data-testid="policy-matrix"
          loading={settings.isLoading}
          dataSource={categories}
          pagination={false}
          scroll={{ x: 720 }}
          columns={[
            { title: t('admin.sla.category'), dataIndex: 'label' },
            ...PRIORITIES.map((p) => ({
              title: t(`priority.${p}`),
              key: p,
              render: (_: unknown, c: { value: string }) => cell(policyFor(table, c.value, p)),
            })),
          ]}
        />
      </Card>

      <Card title={t('admin.sla.history')} style={{ marginBottom: 16 }}>
        {history.length === 0 && d ? (
          <Typography.Paragraph>
            {t('admin.sla.noChanges', { summary: settingWords(d).join(' · ') })}
          </Typography.Paragraph>
        ) : (
          <Table
            size="small"
            rowKey={(p) => `${p.key}@${p.effectiveFrom}@${JSON.stringify(p.policy)}`}
            dataSource={history}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            scroll={{ x: 720 }}
            columns={[
              { title: t('admin.sla.key'), dataIndex: 'key', render: (k: string) => keyName(k) },
              {
                title: t('admin.sla.settings'),
                dataIndex: 'policy',
                render: (p: PolicySettings) => settingWords(p).join(' · '),
              },
              {
                title: t('admin.sla.effectiveFrom'),
                dataIndex: 'effectiveFrom',
                render: (v: string) => formatTime(v),
              },
              {
                title: t('admin.users.status'),
                key: 'state',
                render: (_, p) =>
                  Date.parse(p.effectiveFrom) <= now.getTime() ? (
                    <Tag color="#237804">{t('admin.sla.effective')}</Tag>
                  ) : (
                    <Tag color="#0b57d0">{t('admin.sla.pending')}</Tag>
                  ),
              },
            ]}
          />
        )}
      </Card>

      <Card title={t('admin.sla.setTitle')}>
        <Form<FormValues>
          form={form}
          layout="vertical"
          initialValues={{ category: '*', priority: '*', autoSuperviseOnOverdue: '' }}
          style={{ maxWidth: 640 }}
        >
          <Space wrap size="middle" style={{ width: '100%' }}>
            <Form.Item name="category" label={t('admin.sla.category')} style={{ minWidth: 240 }}>
              <Select
                showSearch
                optionFilterProp="label"
                options={[{ value: '*', label: t('admin.sla.anyCategory') }, ...categories]}
              />
            </Form.Item>
            <Form.Item name="priority" label={t('admin.sla.priority')} style={{ minWidth: 200 }}>
              <Select
                options={[
                  { value: '*', label: t('admin.sla.anyPriority') },
                  ...PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) })),
                ]}
              />
            </Form.Item>
          </Space>
          <Form.Item
            name="resolutionWorkingDays"
            label={t('admin.sla.resolutionWorkingDays')}
            extra={t('admin.sla.unset')}
          >
            <InputNumber min={1} max={250} precision={0} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item
            name="interimUpdateWorkingHours"
            label={t('admin.sla.interimUpdateWorkingHours')}
          >
            <InputNumber min={1} max={400} precision={0} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="warningWorkingHours" label={t('admin.sla.warningWorkingHours')}>
            <InputNumber min={0} max={80} precision={0} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="autoSuperviseOnOverdue" label={t('admin.sla.autoSuperviseOnOverdue')}>
            <Select
              style={{ width: 240 }}
              options={[
                { value: '', label: t('admin.sla.unset') },
                { value: 'yes', label: t('admin.common.yes') },
                { value: 'no', label: t('admin.common.no') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="effectiveFrom"
            label={t('admin.sla.effectiveFrom')}
            rules={[
              {
                required: true,
                message: t('admin.common.required', { field: t('admin.sla.effectiveFrom') }),
              },
            ]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          {body && retroactive && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('admin.sla.pastWarning', { at: formatTime(body.effectiveFrom) })}
            />
          )}
          {body && !retroactive && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('admin.sla.futureNote', { at: formatTime(body.effectiveFrom) })}
            />
          )}
          <Refusal error={error} onReload={() => void settings.refetch()} />
          <Space>
            <Button loading={preview.isPending} onClick={() => void runPreview()}>
              {t('admin.common.preview')}
            </Button>
            <Button
              type="primary"
              loading={setPolicy.isPending}
              disabled={!body || (retroactive && !currentPreview)}
              onClick={() => void apply()}
            >
              {t('admin.common.apply')}
            </Button>
          </Space>
        </Form>
        {currentPreview && <PreviewPanel preview={currentPreview} />}
      </Card>
    </div>
  );
}
