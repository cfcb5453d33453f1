import { useState } from 'react';
import {
  Button,
  Card,
  Col,
  DatePicker,
  Dropdown,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
  message,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { todayInShenzhen } from '../../components/time';
import { EChart } from './EChart';
import {
  downloadReport,
  drillUrl,
  FIRST_BREAKDOWN,
  percent,
  PERIOD_KINDS,
  periodFromUrl,
  trendMonths,
  useMetrics,
  useTrend,
  workingTime,
  type CaseMetric,
  type Dimension,
  type Metrics,
  type MetricsRow,
  type PeriodChoice,
} from './metrics';

/** The change from the previous period, in percentage points (or points of score). */
function Change({
  now,
  before,
  unit,
}: {
  now: number | null;
  before: number | null;
  unit: 'pp' | 'pt';
}) {
  const { t } = useTranslation();
  if (now === null || before === null)
    return <span className="leader-change">{t('leader.noPrevious')}</span>;
  const d = unit === 'pp' ? (now - before) * 100 : now - before;
  const text = `${d > 0 ? '+' : ''}${d.toFixed(1)}${unit === 'pp' ? t('leader.pp') : t('leader.pt')}`;
  return (
    <span
      className="leader-change"
      style={{ color: d > 0 ? '#237804' : d < 0 ? '#a8071a' : '#595959' }}
    >
      {t('leader.vsPrevious')} {text}
    </span>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const period = periodFromUrl(params);
  const [breakdown, setBreakdown] = useState<Dimension>(FIRST_BREAKDOWN);
  const district = useMetrics('district', period);
  const departments = useMetrics('lead_department', period);
  const breakdownMetrics = useMetrics(breakdown, period);
  const months = trendMonths(period);
  const trend = useTrend(months);
  const [downloading, setDownloading] = useState<string | null>(null);

  const setPeriod = (next: PeriodChoice) => {
    const q = new URLSearchParams();
    q.set('period', next.kind);
    if (next.kind === 'range') {
      q.set('from', next.from);
      q.set('to', next.to);
    } else q.set('on', next.on);
    setParams(q, { replace: true });
  };

  const all: MetricsRow | undefined = district.data?.rows[0];
  const p = district.data?.period;
  const drill = (metric: CaseMetric, dimension: Dimension, key: string, figure: number) =>
    p && navigate(drillUrl(metric, p, dimension, key, figure));

  const download = async (report: 'monthly' | 'quarterly', format: 'xlsx' | 'csv') => {
    const on = period.kind === 'range' ? period.to : period.on;
    setDownloading(`${report}.${format}`);
    try {
      if (report === 'monthly')
        await downloadReport('/api/v1/reports/monthly-ledger', { month: on.slice(0, 7), format });
      else {
        const q = Math.floor((Number(on.slice(5, 7)) - 1) / 3) + 1;
        await downloadReport('/api/v1/reports/quarterly-review', {
          quarter: `${on.slice(0, 4)}-Q${q}`,
          format,
        });
      }
    } catch (error) {
      void message.error((error as Error).message);
    } finally {
      setDownloading(null);
    }
  };

  const pickerValue: Dayjs | null = period.kind === 'range' ? null : dayjs(period.on);
  return (
    <div className="leader-page">
      <Space
        align="center"
        wrap
        style={{ justifyContent: 'space-between', width: '100%', marginBottom: 12 }}
      >
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('leader.title')}
          {p && (
            <span style={{ fontSize: 16, fontWeight: 400, marginInlineStart: 12 }}>{p.label}</span>
          )}
        </Typography.Title>
        <Space wrap>
          <Segmented<PeriodChoice['kind']>
            aria-label={t('leader.period')}
            value={period.kind}
            options={PERIOD_KINDS.map((k) => ({ value: k, label: t(`leader.kinds.${k}`) }))}
            onChange={(k) =>
              setPeriod(
                k === 'range'
                  ? {
                      kind: 'range',
                      from: `${todayInShenzhen().slice(0, 8)}01`,
                      to: todayInShenzhen(),
                    }
                  : { kind: k, on: period.kind === 'range' ? period.to : period.on },
              )
            }
          />
          {period.kind === 'range' ? (
            <DatePicker.RangePicker
              aria-label={t('leader.range')}
              allowClear={false}
              value={[dayjs(period.from), dayjs(period.to)]}
              onChange={(v) =>
                v?.[0] &&
                v[1] &&
                setPeriod({
                  kind: 'range',
                  from: v[0].format('YYYY-MM-DD'),
                  to: v[1].format('YYYY-MM-DD'),
                })
              }
            />
          ) : (
            <DatePicker
              aria-label={t('leader.period')}
              allowClear={false}
              picker={period.kind}
              value={pickerValue}
              onChange={(v) =>
                v && setPeriod({ kind: period.kind as 'month', on: v.format('YYYY-MM-DD') })
              }
            />
          )}
          <Dropdown
            menu={{
              items: (['monthly', 'quarterly'] as const).flatMap((r) =>
                (['xlsx', 'csv'] as const).map((f) => ({
                  key: `${r}.${f}`,
                  label: t(`leader.download.${r}`, { format: f }),
                  onClick: () => void download(r, f),
                })),
              ),
            }}
          >
            <Button size="large" loading={downloading !== null}>
              {t('leader.download.button')}
            </Button>
          </Dropdown>
          <Link to="/leader/cases?view=overdue">{t('leader.lists.overdue')}</Link>
          <Link to="/leader/cases?view=supervised">{t('leader.lists.supervised')}</Link>
        </Space>
      </Space>
      <ErrorAlert
        error={district.error ?? departments.error}
        onReload={() => void district.refetch()}
      />
      {all ? (
        <Cards
          row={all}
          loading={district.isFetching}
          onDrill={(m, n) => drill(m, 'district', 'all', n)}
        />
      ) : (
        !district.isLoading && <Typography.Paragraph>{t('leader.noCases')}</Typography.Paragraph>
      )}
      {all && (
        <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
          <Col xs={24} lg={12}>
            <Card title={t('leader.times.title')} size="small">
              <Row gutter={12}>
                {(['firstResponseTime', 'resolutionTime'] as const).map((k) => (
                  <Col span={12} key={k}>
                    <Statistic
                      title={t(`leader.times.${k}`) + ' · ' + t('leader.times.median')}
                      value={workingTime(all[k].median, t)}
                    />
                    <Statistic title={t('leader.times.p90')} value={workingTime(all[k].p90, t)} />
                  </Col>
                ))}
              </Row>
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t('leader.trend.title')} size="small">
              {period.kind === 'range' ? (
                <Typography.Text>{t('leader.trend.byRange')}</Typography.Text>
              ) : (
                <Trend months={months} data={trend.data} />
              )}
            </Card>
          </Col>
        </Row>
      )}
      {departments.data && (
        <Ranking
          metrics={departments.data}
          onDrill={(m, key, n) => drill(m, 'lead_department', key, n)}
        />
      )}
      <Card size="small" style={{ marginTop: 12 }} title={t('leader.breakdown.title')}>
        <Tabs
          activeKey={breakdown}
          onChange={(k) => setBreakdown(k as Dimension)}
          items={(['street', 'category', 'channel', 'visit_level'] as const).map((d) => ({
            key: d,
            label: t(`leader.breakdown.${d}`),
          }))}
        />
        {breakdownMetrics.data && (
          <Breakdown
            metrics={breakdownMetrics.data}
            onDrill={(m, key, n) => drill(m, breakdown, key, n)}
          />
        )}
      </Card>
    </div>
  );
}

const CARD_RATES = [
  { rate: 'responseRate', metric: 'responded', of: 'responseDue', key: 'response' },
  { rate: 'resolutionRate', metric: 'solved', of: 'resolutionDue', key: 'resolution' },
  { rate: 'satisfactionRate', metric: 'satisfied', of: 'callbacks', key: 'satisfaction' },
  { rate: 'sameDayResponseRate', metric: 'respondedOnTime', of: 'responseDue', key: 'sameDay' },
] as const;
const CARD_COUNTS = [
  { metric: 'received', key: 'received' },
  { metric: 'solved', key: 'solved' },
  { metric: 'overdue', key: 'overdue' },
  { metric: 'escalated', key: 'escalated' },
] as const;

function Cards({
  row,
  loading,
  onDrill,
}: {
  row: MetricsRow;
  loading: boolean;
  onDrill: (metric: CaseMetric, figure: number) => void;
}) {
  const { t } = useTranslation();
  const card = (testId: string, figure: number, metric: CaseMetric, children: React.ReactNode) => (
    <Card
      size="small"
      hoverable
      loading={loading && !row}
      data-testid={testId}
      data-figure={figure}
      role="link"
      tabIndex={0}
      onClick={() => onDrill(metric, figure)}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onDrill(metric, figure)}
      style={{ height: '100%', cursor: 'pointer' }}
    >
      {children}
    </Card>
  );
  return (
    <>
      <Row gutter={[12, 12]}>
        <Col xs={12} md={6} lg={4}>
          {card(
            'card-score',
            row.counters.received,
            'received',
            <>
              <Statistic
                title={t('leader.cards.score')}
                value={row.score === null ? '—' : row.score.toFixed(1)}
              />
              <Change now={row.score} before={row.previousScore} unit="pt" />
            </>,
          )}
        </Col>
        {CARD_RATES.map((c) => (
          <Col xs={12} md={6} lg={5} key={c.key}>
            {card(
              `card-${c.key}`,
              row.counters[c.metric],
              c.metric,
              <>
                <Statistic title={t(`leader.cards.${c.key}`)} value={percent(row.rates[c.rate])} />
                <Tooltip title={t(`leader.help.${c.key}`)}>
                  <div className="leader-fraction">
                    {row.counters[c.metric]} / {row.counters[c.of]} {t('leader.cases')}
                  </div>
                </Tooltip>
                <Change now={row.rates[c.rate]} before={row.previousRates[c.rate]} unit="pp" />
              </>,
            )}
          </Col>
        ))}
      </Row>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        {CARD_COUNTS.map((c) => (
          <Col xs={12} md={6} key={c.key}>
            {card(
              `count-${c.key}`,
              row.counters[c.metric],
              c.metric,
              <Statistic
                title={t(`leader.counts.${c.key}`)}
                value={row.counters[c.metric]}
                suffix={t('leader.cases')}
                valueStyle={
                  c.key === 'overdue' && row.counters.overdue > 0 ? { color: '#a8071a' } : undefined
                }
              />,
            )}
          </Col>
        ))}
      </Row>
    </>
  );
}

function Trend({ months, data }: { months: string[]; data: Metrics[] | undefined }) {
  const { t } = useTranslation();
  const rows = data?.map((m) => m.rows[0]);
  const series = (['responseRate', 'resolutionRate', 'satisfactionRate'] as const).map((rate) => ({
    name: t(
      `leader.cards.${rate === 'responseRate' ? 'response' : rate === 'resolutionRate' ? 'resolution' : 'satisfaction'}`,
    ),
    type: 'line',
    connectNulls: true,
    data:
      rows?.map((r) => (r?.rates[rate] == null ? null : Math.round(r.rates[rate] * 1000) / 10)) ??
      [],
  }));
  return (
    <EChart
      label={t('leader.trend.title')}
      height={240}
      option={{
        tooltip: {
          trigger: 'axis',
          valueFormatter: (v: number | null) => (v == null ? '—' : `${v}%`),
        },
        legend: { top: 0 },
        grid: { left: 40, right: 16, top: 32, bottom: 24 },
        xAxis: { type: 'category', data: months.map((m) => `${Number(m.slice(5, 7))}月`) },
        yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        color: ['#1677ff', '#389e0d', '#d46b08'],
        series,
      }}
    />
  );
}

function Ranking({
  metrics,
  onDrill,
}: {
  metrics: Metrics;
  onDrill: (metric: CaseMetric, key: string, figure: number) => void;
}) {
  const { t } = useTranslation();
  const rows = metrics.rows.filter((r) => r.counters.received > 0);
  const cell = (r: MetricsRow, metric: CaseMetric, text: string, testId?: string) => (
    <a
      href="#"
      data-testid={testId}
      data-figure={r.counters[metric]}
      onClick={(e) => {
        e.preventDefault();
        onDrill(metric, r.key, r.counters[metric]);
      }}
      style={{ display: 'inline-block', padding: '8px 0' }}
    >
      {text}
    </a>
  );
  const rate = (
    r: MetricsRow,
    k: 'responseRate' | 'resolutionRate' | 'satisfactionRate',
    metric: CaseMetric,
    of: keyof MetricsRow['counters'],
    id: string,
  ) => (
    <Tooltip title={`${r.counters[metric]} / ${r.counters[of]} ${t('leader.cases')}`}>
      {cell(r, metric, percent(r.rates[k]), `${id}-${r.key}`)}
    </Tooltip>
  );
  return (
    <Card
      size="small"
      style={{ marginTop: 12 }}
      title={t('leader.ranking.title')}
      extra={t('leader.ranking.minCases', { n: metrics.minCases })}
    >
      <Table<MetricsRow>
        rowKey="key"
        size="small"
        pagination={false}
        scroll={{ x: 860 }}
        dataSource={rows}
        rowClassName={(r) => (r.ranked ? '' : 'leader-unranked')}
        columns={[
          {
            title: t('leader.ranking.rank'),
            width: 110,
            render: (_, r) =>
              r.rank !== null ? (
                <strong>{r.rank}</strong>
              ) : (
                <Tag>
                  {r.key === '-'
                    ? t('leader.ranking.undispatched')
                    : t('leader.ranking.tooFew', { n: metrics.minCases })}
                </Tag>
              ),
          },
          {
            title: t('leader.ranking.department'),
            render: (_, r) =>
              r.key === '-' ? t('leader.ranking.undispatchedName') : (r.name ?? r.key),
          },
          {
            title: t('leader.counts.received'),
            align: 'right',
            render: (_, r) => cell(r, 'received', String(r.counters.received), `received-${r.key}`),
          },
          {
            title: t('leader.cards.response'),
            align: 'right',
            render: (_, r) => rate(r, 'responseRate', 'responded', 'responseDue', 'response'),
          },
          {
            title: t('leader.cards.resolution'),
            align: 'right',
            render: (_, r) => rate(r, 'resolutionRate', 'solved', 'resolutionDue', 'resolution'),
          },
          {
            title: t('leader.cards.satisfaction'),
            align: 'right',
            render: (_, r) => rate(r, 'satisfactionRate', 'satisfied', 'callbacks', 'satisfaction'),
          },
          {
            title: t('leader.counts.overdue'),
            align: 'right',
            render: (_, r) => cell(r, 'overdue', String(r.counters.overdue), `overdue-${r.key}`),
          },
          {
            title: t('leader.cards.score'),
            align: 'right',
            render: (_, r) => (r.score === null ? '—' : r.score.toFixed(1)),
          },
          {
            title: t('leader.ranking.change'),
            align: 'right',
            render: (_, r) => <Change now={r.score} before={r.previousScore} unit="pt" />,
          },
        ]}
      />
    </Card>
  );
}

function Breakdown({
  metrics,
  onDrill,
}: {
  metrics: Metrics;
  onDrill: (metric: CaseMetric, key: string, figure: number) => void;
}) {
  const { t } = useTranslation();
  const rows = metrics.rows.filter((r) => r.counters.received > 0);
  const name = (r: MetricsRow) =>
    metrics.dimension === 'channel'
      ? t(`channel.${r.key}`, { defaultValue: r.key })
      : metrics.dimension === 'visit_level'
        ? t(`level.${r.key}`, { defaultValue: r.key })
        : (r.name ?? r.key);
  const series: { metric: CaseMetric; name: string }[] = [
    { metric: 'received', name: t('leader.counts.received') },
    { metric: 'solved', name: t('leader.counts.solved') },
    { metric: 'overdue', name: t('leader.counts.overdue') },
  ];
  return (
    <EChart
      label={t('leader.breakdown.title')}
      height={Math.max(220, rows.length * 34 + 60)}
      onClick={(i, s) => {
        const r = rows[i];
        const m = series[s];
        if (r && m) onDrill(m.metric, r.key, r.counters[m.metric]);
      }}
      option={{
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          formatter: (items: { dataIndex: number }[]) => {
            const r = rows[items[0]?.dataIndex ?? 0];
            if (!r) return '';
            return [
              `<b>${name(r)}</b>`,
              ...series.map((s) => `${s.name}：${r.counters[s.metric]} ${t('leader.cases')}`),
              `${t('leader.cards.resolution')}：${percent(r.rates.resolutionRate)}`,
              `${t('leader.cards.satisfaction')}：${percent(r.rates.satisfactionRate)}`,
              t('leader.breakdown.clickHint'),
            ].join('<br/>');
          },
        },
        legend: { top: 0 },
        grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
        yAxis: { type: 'category', inverse: true, data: rows.map(name) },
        xAxis: { type: 'value', minInterval: 1 },
        color: ['#1677ff', '#389e0d', '#cf1322'],
        series: series.map((s) => ({
          name: s.name,
          type: 'bar',
          cursor: 'pointer',
          data: rows.map((r) => r.counters[s.metric]),
        })),
      }}
    />
  );
}
