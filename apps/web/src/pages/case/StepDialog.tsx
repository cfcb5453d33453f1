import { useState } from 'react';
import { App, Form, Input, Modal, Radio, Select } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useCaseStep, useReference, type CaseStep } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';

/** The fields each step asks for (the API's request bodies). */
export const STEP_FIELDS: Partial<Record<CaseStep, string[]>> = {
  return: ['reason'],
  transfer: ['toDepartment', 'reason'],
  'first-response': ['message'],
  progress: ['note'],
  pause: ['reason'],
  extension: ['requestedDueAt', 'reason'],
  resolve: ['outcome', 'resolution'],
  callback: ['satisfaction', 'comment'],
  close: [],
  comments: ['comment'],
  'extension/refuse': ['reason'],
  'extension/approve': ['comment?'],
};

/** One step on the case, with its fields; a refusal is shown with the server's reason. */
export function StepDialog({
  caseId,
  version,
  step,
  title,
  leadDepartment,
  onClose,
}: {
  caseId: string;
  version: number;
  step: CaseStep;
  title: string;
  leadDepartment: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reference = useReference();
  const mutation = useCaseStep(caseId);
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const fields = STEP_FIELDS[step] ?? [];
  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <Modal
      open
      title={title}
      okText={title}
      cancelText={t('common.cancel')}
      okButtonProps={{ size: 'large' }}
      cancelButtonProps={{ size: 'large' }}
      confirmLoading={mutation.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <ErrorAlert error={error} onReload={onClose} />
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v: Record<string, unknown>) => {
          setError(null);
          const body = { ...v };
          // datetime-local is Shenzhen wall time: send it with its +08:00 offset.
          if (body.requestedDueAt) body.requestedDueAt = `${String(body.requestedDueAt)}:00+08:00`;
          try {
            await mutation.mutateAsync({ step, version, body });
            void message.success(t('case.done'));
            onClose();
          } catch (e) {
            setError(e);
          }
        }}
      >
        {fields.includes('toDepartment') && (
          <Form.Item
            name="toDepartment"
            label={t('case.toDepartment')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select
              size="large"
              showSearch={{ optionFilterProp: 'label' }}
              options={reference.options('department').filter((d) => d.value !== leadDepartment)}
            />
          </Form.Item>
        )}
        {fields.includes('requestedDueAt') && (
          <Form.Item
            name="requestedDueAt"
            label={t('case.newDue')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Input type="datetime-local" size="large" min={dayjs().format('YYYY-MM-DDTHH:mm')} />
          </Form.Item>
        )}
        {fields.includes('outcome') && (
          <Form.Item
            name="outcome"
            label={t('case.outcome')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Radio.Group
              optionType="button"
              size="large"
              options={(['solved', 'partly_solved', 'explained'] as const).map((o) => ({
                value: o,
                label: t(`outcome.${o}`),
              }))}
            />
          </Form.Item>
        )}
        {fields.includes('satisfaction') && (
          <Form.Item
            name="satisfaction"
            label={t('case.satisfaction')}
            extra={t('case.callbackHint')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Radio.Group
              optionType="button"
              size="large"
              options={(['satisfied', 'basically_satisfied', 'unsatisfied'] as const).map((o) => ({
                value: o,
                label: t(`case.satisfactions.${o}`),
              }))}
            />
          </Form.Item>
        )}
        {step === 'close' && <p>{t('case.closeHint')}</p>}
        {fields.includes('reason') && (
          <Form.Item name="reason" label={t('common.reason')} rules={required}>
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
        {fields.includes('message') && (
          <Form.Item name="message" label={t('case.message')} rules={required}>
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
        {fields.includes('note') && (
          <Form.Item name="note" label={t('case.note')} rules={required}>
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
        {fields.includes('resolution') && (
          <Form.Item name="resolution" label={t('case.resolution')} rules={required}>
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
        {fields.includes('comment') && (
          <Form.Item
            name="comment"
            label={t(step === 'callback' ? 'case.callbackComment' : 'case.comment')}
            rules={required}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
        {fields.includes('comment?') && (
          <Form.Item name="comment" label={`${t('dispatch.comment')}（${t('common.optional')}）`}>
            <Input.TextArea rows={2} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
