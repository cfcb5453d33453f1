import { useEffect, useState } from 'react';
import { App, Button, Card, Form, Input, Radio, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useEnterprise, useEnterprises, useMe, useReference } from '../../api/hooks';
import type { LogVisitBody } from '../../api/types';
import { ApiError } from '../../api/errors';
import { ErrorAlert } from '../../components/ErrorAlert';
import { todayInShenzhen } from '../../components/time';
import { outbox, type OutboxEntry } from '../../offline/outbox';

interface Values {
  enterpriseId: string;
  visitedOn: string;
  level: LogVisitBody['level'];
  officers: string;
  leaders?: string;
  summary: string;
  problems: { category?: string; description?: string; priority: 'normal' | 'high' | 'urgent' }[];
}

const names = (text: string | undefined) =>
  (text ?? '')
    .split(/[,，、\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

function EnterprisePicker({ value, onChange }: { value?: string; onChange?: (v: string) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const list = useEnterprises(q);
  const selected = useEnterprise(value);
  const options = (list.data?.pages.flatMap((p) => p.items) ?? []).map((e) => ({
    value: e.id,
    label: `${e.name}（${e.creditCode}）`,
  }));
  if (selected.data && !options.some((o) => o.value === selected.data.id)) {
    options.unshift({
      value: selected.data.id,
      label: `${selected.data.name}（${selected.data.creditCode}）`,
    });
  }
  return (
    <Select
      size="large"
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={onChange}
      options={options}
      placeholder={t('officer.chooseEnterprise')}
      loading={list.isFetching}
      aria-label={t('officer.enterprise')}
    />
  );
}

/** Log a visit with any number of problems; kept in the outbox first, so no signal loses nothing. */
export function LogVisitPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const me = useMe();
  const reference = useReference();
  const fixing = params.get('outbox');
  const [refused, setRefused] = useState<OutboxEntry | null>(null);
  const [busy, setBusy] = useState(false);
  const enterpriseId = Form.useWatch('enterpriseId', form);
  const enterprise = useEnterprise(enterpriseId);

  useEffect(() => {
    if (!fixing) return;
    void outbox.get(fixing).then((entry) => {
      if (!entry) return;
      setRefused(entry);
      form.setFieldsValue({
        enterpriseId: entry.body.enterpriseId,
        visitedOn: entry.body.visitedOn,
        level: entry.body.level,
        officers: entry.body.officers.join('、'),
        leaders: (entry.body.leaders ?? []).join('、'),
        summary: entry.body.summary,
        problems: (entry.body.problems ?? []).map((p) => ({ ...p })),
      });
    });
  }, [fixing, form]);

  useEffect(() => {
    if (me.data && !form.getFieldValue('officers'))
      form.setFieldValue('officers', me.data.displayName);
  }, [me.data, form]);

  const submit = async (v: Values) => {
    setBusy(true);
    const body: LogVisitBody = {
      enterpriseId: v.enterpriseId,
      visitedOn: v.visitedOn,
      level: v.level,
      officers: names(v.officers),
      leaders: names(v.leaders),
      summary: v.summary.trim(),
      problems: (v.problems ?? []).map((p) => ({
        category: p.category!,
        description: (p.description ?? '').trim(),
        priority: p.priority,
      })),
    };
    try {
      const key = await outbox.add(
        body,
        enterprise.data?.name ?? v.enterpriseId,
        fixing ?? undefined,
      );
      const results = navigator.onLine ? await outbox.flush() : [];
      const mine = results.find((r) => r.key === key);
      if (mine?.ok) {
        void message.success(t('officer.savedOnline', { count: mine.caseIds?.length ?? 0 }));
        void client.invalidateQueries({ queryKey: ['visits'] });
        void client.invalidateQueries({ queryKey: ['cases'] });
        void navigate('/officer/visits');
        return;
      }
      const entry = await outbox.get(key);
      if (entry?.state === 'refused') {
        void navigate(`/officer/visit?outbox=${encodeURIComponent(key)}`, { replace: true });
        setRefused(entry);
        return;
      }
      void message.info(t('officer.savedOffline'));
      void navigate('/officer/outbox');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {t('officer.visitTitle')}
      </Typography.Title>
      {refused?.error && (
        <ErrorAlert
          error={
            new ApiError(refused.error.status, {
              code: refused.error.code,
              message: refused.error.message,
              errors: refused.error.errors,
            })
          }
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        scrollToFirstError
        initialValues={{
          enterpriseId: params.get('enterprise') ?? undefined,
          visitedOn: todayInShenzhen(),
          level: 'street',
          problems: [],
        }}
      >
        <Form.Item
          name="enterpriseId"
          label={t('officer.enterprise')}
          rules={[{ required: true, message: t('officer.chooseEnterprise') }]}
        >
          <EnterprisePicker />
        </Form.Item>
        <Form.Item
          name="visitedOn"
          label={t('officer.visitedOn')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          {/* The phone's own date picker: large, familiar and light. */}
          <Input type="date" size="large" max={todayInShenzhen()} />
        </Form.Item>
        <Form.Item name="level" label={t('officer.level')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            size="large"
            options={(['street', 'department', 'district_leader'] as const).map((l) => ({
              value: l,
              label: t(`level.${l}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="officers"
          label={t('officer.officers')}
          extra={t('officer.officersHint')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input size="large" />
        </Form.Item>
        <Form.Item name="leaders" label={`${t('officer.leaders')}（${t('common.optional')}）`}>
          <Input size="large" />
        </Form.Item>
        <Form.Item
          name="summary"
          label={t('officer.summary')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Typography.Title level={2} style={{ fontSize: 18 }}>
          {t('officer.problems')}
        </Typography.Title>
        <Form.List name="problems">
          {(fields, { add, remove }) => (
            <>
              {fields.length === 0 && (
                <Typography.Paragraph type="secondary">
                  {t('officer.noProblems')}
                </Typography.Paragraph>
              )}
              {fields.map((field, index) => (
                <Card
                  key={field.key}
                  size="small"
                  role="group"
                  aria-label={t('officer.problem', { n: index + 1 })}
                  title={t('officer.problem', { n: index + 1 })}
                  extra={
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={`${t('common.remove')} ${t('officer.problem', { n: index + 1 })}`}
                      onClick={() => remove(field.name)}
                      style={{ minWidth: 44, minHeight: 44 }}
                    />
                  }
                  style={{ marginBottom: 12 }}
                >
                  <Form.Item
                    name={[field.name, 'category']}
                    label={t('officer.category')}
                    rules={[{ required: true, message: t('common.required') }]}
                  >
                    <Select size="large" options={reference.options('category')} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'description']}
                    label={t('officer.description')}
                    rules={[{ required: true, whitespace: true, message: t('common.required') }]}
                  >
                    <Input.TextArea rows={3} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'priority']}
                    label={t('officer.priority')}
                    initialValue="normal"
                  >
                    <Radio.Group
                      optionType="button"
                      size="large"
                      options={(['normal', 'high', 'urgent'] as const).map((p) => ({
                        value: p,
                        label: t(`priority.${p}`),
                      }))}
                    />
                  </Form.Item>
                </Card>
              ))}
              <Button
                size="large"
                block
                icon={<PlusOutlined />}
                onClick={() => add({ priority: 'normal' })}
                style={{ marginBottom: 16 }}
              >
                {t('officer.addProblem')}
              </Button>
            </>
          )}
        </Form.List>
        <Button type="primary" htmlType="submit" size="large" block loading={busy}>
          {t('officer.saveVisit')}
        </Button>
      </Form>
    </>
  );
}
