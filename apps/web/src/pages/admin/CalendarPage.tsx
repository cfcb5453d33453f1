import { useRef, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  List,
  Modal,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { MovedDeadlines } from './MovedDeadlines';
import { Refusal } from './Refusal';
import { todayInShenzhen } from '../../components/time';
import { CalendarNotices } from './CalendarNotices';
import './admin.css';
import {
  useCalendarDay,
  useCalendarYear,
  useSlaSettings,
  useYearImport,
  type CalendarYear,
  type YearPreview,
  type YearSchedule,
} from './hooks';

interface Day {
  date: string;
  working: boolean;
  /** What the calendar says of it: a holiday, a make-up working day, an override, or a plain day. */
  kind: 'holiday' | 'workday' | 'override' | 'weekend' | 'plain';
  name: string | null;
}

function daysOf(year: CalendarYear | undefined) {
  const listed = new Map((year?.days ?? []).map((d) => [d.date, d]));
  const overrides = new Map((year?.overrides ?? []).map((d) => [d.date, d]));
  return (date: string): Day => {
    const o = overrides.get(date);
    if (o) return { date, working: o.working, kind: 'override', name: o.name };
    const l = listed.get(date);
    if (l)
      return { date, working: l.working, kind: l.working ? 'workday' : 'holiday', name: l.name };
    const weekday = dayjs(date).day();
    const weekend = weekday === 0 || weekday === 6;
    return { date, working: !weekend, kind: weekend ? 'weekend' : 'plain', name: null };
  };
}

function Month({
  year,
  month,
  day,
  onPick,
}: {
  year: number;
  month: number;
  day: (date: string) => Day;
  onPick: (d: Day) => void;
}) {
  const { t } = useTranslation();
  const first = dayjs(`${year}-${String(month).padStart(2, '0')}-01`);
  const lead = (first.day() + 6) % 7; // Monday first
  const cells: (string | null)[] = [
    ...Array.from({ length: lead }, () => null),
    ...Array.from({ length: first.daysInMonth() }, (_, i) =>
      first.add(i, 'day').format('YYYY-MM-DD'),
    ),
  ];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  const names = t('admin.calendar.weekdays').split(' ');
  const marker = { holiday: 'holiday', workday: 'workday', override: 'override' } as const;
  return (
    <table className="admin-month">
      <caption>{t('admin.calendar.month', { m: month })}</caption>
      <thead>
        <tr>
          {names.map((n) => (
            <th key={n} scope="col">
              {n}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week, i) => (
          <tr key={i}>
            {week.map((date, j) => {
              if (!date) return <td key={j} />;
              const d = day(date);
              const what = [
                d.name,
                t(d.working ? 'admin.calendar.workingDay' : 'admin.calendar.restDay'),
              ]
                .filter(Boolean)
                .join(' · ');
              return (
                <td key={date}>
                  <button
                    type="button"
                    className={`admin-day admin-day-${d.kind}${d.working ? '' : ' admin-day-off'}`}
                    aria-label={t('admin.calendar.dayLabel', { date, what })}
                    title={what}
                    data-date={date}
                    onClick={() => onPick(d)}
                  >
                    <span>{Number(date.slice(8))}</span>
                    {d.kind in marker && (
                      <span className="admin-day-mark" aria-hidden>
                        {d.kind === 'override'
                          ? d.working
                            ? t('admin.calendar.workday')
                            : t('admin.calendar.holiday')
                          : t(`admin.calendar.${marker[d.kind as keyof typeof marker]}`)}
                      </span>
                    )}
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ImportYear({ year, onDone }: { year: number; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { preview, apply } = useYearImport(year);
  const [text, setText] = useState('');
  const file = useRef<HTMLInputElement>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [previewed, setPreviewed] = useState<{ text: string; reply: YearPreview } | null>(null);

  const parse = (): YearSchedule | null => {
    setParseError(null);
    try {
      return JSON.parse(text) as YearSchedule;
    } catch (e) {
      setParseError(t('admin.calendar.badJson', { message: (e as Error).message }));
      return null;
    }
  };
  const runPreview = async () => {
    setError(null);
    const body = parse();
    if (!body) return;
    try {
      setPreviewed({ text, reply: await preview.mutateAsync(body) });
    } catch (e) {
      setError(e);
    }
  };
  const runImport = async () => {
    setError(null);
    const body = parse();
    if (!body) return;
    try {
      await apply.mutateAsync(body);
      void message.success(t('admin.calendar.imported', { year }));
      setPreviewed(null);
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  const current = previewed && previewed.text === text ? previewed.reply : null;

  return (
    <Card title={t('admin.calendar.importTitle', { year })} style={{ marginBottom: 16 }}>
      <Typography.Paragraph>{t('admin.calendar.importHelp')}</Typography.Paragraph>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {/* The native file input speaks the browser's language; a button of ours opens it. */}
        <input
          ref={file}
          type="file"
          accept=".json,application/json"
          hidden
          onChange={(e) => {
            const chosen = e.target.files?.[0];
            if (chosen) void chosen.text().then(setText);
          }}
        />
        <Button onClick={() => file.current?.click()}>{t('admin.calendar.importFile')}</Button>
        <Input.TextArea
          aria-label={t('admin.calendar.importText')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={8}
          style={{ fontFamily: 'monospace' }}
          placeholder={`{ "year": ${year}, "holidays": [{ "name": "元旦", "from": "${year}-01-01", "to": "${year}-01-03" }], "workdays": [] }`}
        />
        {parseError && <Alert type="error" showIcon role="alert" title={parseError} />}
        <Refusal error={error} />
        <Space>
          <Button
            loading={preview.isPending}
            disabled={!text.trim()}
            onClick={() => void runPreview()}
          >
            {t('admin.common.preview')}
          </Button>
          <Button
            type="primary"
            loading={apply.isPending}
            disabled={!current}
            onClick={() => void runImport()}
          >
            {t('admin.calendar.confirmImport')}
          </Button>
        </Space>
        {current && (
          <div data-testid="year-preview">
            <Alert
              type={current.affectedCases > 0 ? 'warning' : 'info'}
              showIcon
              title={
                current.affectedCases > 0
                  ? t('admin.calendar.affected', { n: current.affectedCases })
                  : t('admin.calendar.noAffected')
              }
              description={
                <>
                  {t('admin.calendar.previewSummary', {
                    holidays: current.holidays,
                    workdays: current.workdays,
                  })}
                  {current.knownBefore ? ` ${t('admin.calendar.knownBefore')}` : ''}
                </>
              }
            />
            {current.cases.length > 0 && (
              <MovedDeadlines cases={current.cases} style={{ marginTop: 12 }} />
            )}
          </div>
        )}
      </Space>
    </Card>
  );
}

export function CalendarPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const thisYear = Number(todayInShenzhen().slice(0, 4));
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('year'));
  const year = asked >= 2004 && asked <= 2100 ? asked : thisYear;
  const settings = useSlaSettings();
  const calendar = useCalendarYear(year);
  const dayStep = useCalendarDay();
  const [importing, setImporting] = useState(false);
  const [picked, setPicked] = useState<Day | null>(null);
  const [dayError, setDayError] = useState<unknown>(null);
  const [form] = Form.useForm<{ working: boolean; name: string }>();
  const day = daysOf(calendar.data);
  const years = [...new Set([thisYear - 1, thisYear, thisYear + 1, thisYear + 2, year])].sort();

  const saveDay = async (v: { working: boolean; name: string }) => {
    if (!picked) return;
    setDayError(null);
    try {
      await dayStep.mutateAsync({ date: picked.date, working: v.working, name: v.name.trim() });
      void message.success(t('admin.calendar.daySaved', { date: picked.date }));
      setPicked(null);
    } catch (e) {
      setDayError(e);
    }
  };
  const clearDay = async () => {
    if (!picked) return;
    setDayError(null);
    try {
      await dayStep.mutateAsync({ date: picked.date, clear: true });
      void message.success(t('admin.calendar.dayCleared', { date: picked.date }));
      setPicked(null);
    } catch (e) {
      setDayError(e);
    }
  };

  return (
    <div>
      <Typography.Title level={2} style={{ marginTop: 0 }}>
        {t('admin.calendar.title')}
      </Typography.Title>
      <CalendarNotices />
      <Typography.Paragraph>
        {t('admin.calendar.intro', { hours: (settings.data?.officeHours ?? []).join('、') })}
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('admin.calendar.year')}
          value={year}
          onChange={(y) => {
            setImporting(false);
            setParams({ year: String(y) }, { replace: true });
          }}
          options={years.map((y) => ({ value: y, label: String(y) }))}
          style={{ width: 120 }}
        />
        {calendar.data &&
          (calendar.data.known ? (
            <Tag color="#237804">{t('admin.calendar.known')}</Tag>
          ) : (
            <Tag color="#a8071a">{t('admin.calendar.unknown')}</Tag>
          ))}
        {calendar.data && <span>{t(`admin.calendar.source.${calendar.data.source}`)}</span>}
        <Button
          type={calendar.data?.known ? 'default' : 'primary'}
          onClick={() => setImporting(true)}
        >
          {t('admin.calendar.import', { year })}
        </Button>
      </Space>
      {calendar.error && (
        <Refusal error={calendar.error} onReload={() => void calendar.refetch()} />
      )}
      {importing && <ImportYear key={year} year={year} onDone={() => setImporting(false)} />}
      <div className="admin-legend" aria-label={t('admin.calendar.legend')}>
        <span className="admin-day admin-day-holiday admin-day-off">
          {t('admin.calendar.holiday')}
        </span>
        {t('admin.calendar.legendHoliday')}
        <span className="admin-day admin-day-workday">{t('admin.calendar.workday')}</span>
        {t('admin.calendar.legendWorkday')}
        <span className="admin-day admin-day-override">{t('admin.calendar.override')}</span>
        {t('admin.calendar.legendOverride')}
        <span className="admin-day admin-day-weekend admin-day-off">6</span>
        {t('admin.calendar.legendWeekend')}
      </div>
      <Typography.Paragraph>{t('admin.calendar.openDays')}</Typography.Paragraph>
      <div className="admin-year" data-testid="calendar-year">
        {Array.from({ length: 12 }, (_, i) => (
          <Month
            key={i}
            year={year}
            month={i + 1}
            day={day}
            onPick={(d) => {
              setDayError(null);
              form.setFieldsValue({
                working: d.kind === 'override' ? d.working : !d.working,
                name: d.kind === 'override' ? (d.name ?? '') : '',
              });
              setPicked(d);
            }}
          />
        ))}
      </div>
      <Card title={t('admin.calendar.overrides')} size="small" style={{ marginTop: 16 }}>
        {(calendar.data?.overrides ?? []).length === 0 ? (
          <Typography.Text>{t('admin.calendar.noOverrides')}</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={calendar.data?.overrides ?? []}
            renderItem={(o) => (
              <List.Item>
                {o.date} · {o.name} ·{' '}
                {t(o.working ? 'admin.calendar.workingDay' : 'admin.calendar.restDay')}
              </List.Item>
            )}
          />
        )}
      </Card>

      <Modal
        open={Boolean(picked)}
        title={picked && t('admin.calendar.editDay', { date: picked.date })}
        onCancel={() => setPicked(null)}
        destroyOnHidden
        footer={
          <Space>
            {picked?.kind === 'override' && (
              <Button danger loading={dayStep.isPending} onClick={() => void clearDay()}>
                {t('admin.calendar.clearDay')}
              </Button>
            )}
            <Button onClick={() => setPicked(null)}>{t('common.cancel')}</Button>
            <Button type="primary" loading={dayStep.isPending} onClick={() => form.submit()}>
              {t('admin.calendar.saveDay')}
            </Button>
          </Space>
        }
      >
        {picked && (
          <Typography.Paragraph>
            {t('admin.calendar.currentDay', {
              what: [
                picked.name,
                t(picked.working ? 'admin.calendar.workingDay' : 'admin.calendar.restDay'),
              ]
                .filter(Boolean)
                .join(' · '),
            })}
          </Typography.Paragraph>
        )}
        <Refusal error={dayError} />
        <Form form={form} layout="vertical" onFinish={(v) => void saveDay(v)}>
          <Form.Item name="working" label={t('admin.calendar.dayWorking')}>
            <Radio.Group
              options={[
                { value: false, label: t('admin.calendar.notWorking') },
                { value: true, label: t('admin.calendar.working') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('admin.calendar.dayName')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('admin.common.required', { field: t('admin.calendar.dayName') }),
              },
            ]}
          >
            <Input placeholder={t('admin.calendar.dayNamePlaceholder')} maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
