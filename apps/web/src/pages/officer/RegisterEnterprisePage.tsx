import { useState } from 'react';
import { Button, Form, Input, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import {
  creditCodeCheckCharacter,
  creditCodeProblem,
  normaliseCreditCode,
} from '../../../../../libs/domain/src/enterprise/credit-code';
import { newIdempotencyKey, sendCommand } from '../../api/client';
import { useMe, useReference } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';

const TAGS = ['above_designated_size', 'specialised_new', 'high_tech', 'listed'] as const;

/** What is wrong with a credit code as typed so far (GB 32100: the 18th character checks the first 17). */
export function useCreditCodeHint() {
  const { t } = useTranslation();
  return (raw: string): { ok: boolean; text: string } | null => {
    const code = normaliseCreditCode(raw ?? '');
    if (!code) return null;
    if (code.length < 18) {
      const shape =
        /^[0-9A-HJ-NP-RTUW-Y]{0,2}$|^[0-9A-HJ-NP-RTUW-Y]{2}\d{0,6}$|^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]*$/;
      return shape.test(code)
        ? { ok: false, text: t('officer.creditLength', { n: 18 - code.length }) }
        : { ok: false, text: t('officer.creditChars') };
    }
    if (code.length > 18) return { ok: false, text: t('officer.creditTooLong') };
    const problem = creditCodeProblem(code);
    if (!problem) return { ok: true, text: t('officer.creditOk') };
    if (problem === 'check_character') {
      return {
        ok: false,
        text: t('officer.creditCheck', { expected: creditCodeCheckCharacter(code.slice(0, 17)) }),
      };
    }
    return { ok: false, text: t('officer.creditChars') };
  };
}

export function RegisterEnterprisePage() {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const me = useMe();
  const reference = useReference();
  const hint = useCreditCodeHint();
  const creditCode = (Form.useWatch('creditCode', form) as string | undefined) ?? '';
  const status = hint(creditCode);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [key] = useState(newIdempotencyKey);

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {t('officer.registerTitle')}
      </Typography.Title>
      <ErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          name: params.get('name') ?? '',
          street: me.data?.street ?? undefined,
          tags: [],
        }}
        onFinish={async (v: Record<string, unknown>) => {
          setBusy(true);
          setError(null);
          try {
            const reply = await sendCommand(
              '/api/v1/enterprises',
              {
                creditCode: normaliseCreditCode(String(v.creditCode)),
                name: String(v.name).trim(),
                street: v.street,
                building: v.building || null,
                industryCluster: v.industryCluster || null,
                contactPerson: v.contactPerson || null,
                contactPhone: v.contactPhone || null,
                tags: v.tags,
              },
              { 'idempotency-key': key },
            );
            void client.invalidateQueries({ queryKey: ['enterprises'] });
            void navigate(`/officer/visit?enterprise=${encodeURIComponent(reply.id)}`);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item
          name="creditCode"
          label={t('officer.creditCode')}
          validateStatus={status ? (status.ok ? 'success' : 'error') : undefined}
          help={status?.text}
          hasFeedback
          rules={[
            { required: true, message: t('common.required') },
            {
              validator: (_, value: string) =>
                !value || creditCodeProblem(normaliseCreditCode(value)) === null
                  ? Promise.resolve()
                  : Promise.reject(new Error(hint(value)?.text)),
            },
          ]}
        >
          <Input
            size="large"
            autoCapitalize="characters"
            autoComplete="off"
            spellCheck={false}
            maxLength={24}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('officer.name')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input size="large" />
        </Form.Item>
        <Form.Item
          name="street"
          label={t('officer.street')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select size="large" options={reference.options('street')} />
        </Form.Item>
        <Form.Item name="building" label={`${t('officer.building')}（${t('common.optional')}）`}>
          <Input size="large" />
        </Form.Item>
        <Form.Item
          name="industryCluster"
          label={`${t('officer.cluster')}（${t('common.optional')}）`}
        >
          <Input size="large" />
        </Form.Item>
        <Form.Item
          name="contactPerson"
          label={`${t('officer.contactPerson')}（${t('common.optional')}）`}
        >
          <Input size="large" />
        </Form.Item>
        <Form.Item
          name="contactPhone"
          label={`${t('officer.contactPhone')}（${t('common.optional')}）`}
        >
          <Input size="large" inputMode="tel" />
        </Form.Item>
        <Form.Item name="tags" label={`${t('officer.tags')}（${t('common.optional')}）`}>
          <Select
            size="large"
            mode="multiple"
            options={TAGS.map((v) => ({ value: v, label: t(`tag.${v}`) }))}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={busy}>
          {t('common.save')}
        </Button>
      </Form>
    </>
  );
}
