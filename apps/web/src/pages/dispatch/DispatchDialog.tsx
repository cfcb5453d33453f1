import { useState } from 'react';
import { App, Form, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCaseStep, useReference } from '../../api/hooks';
import type { CaseRow } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';

/** Dispatch (派单) to one lead department and any co-handling departments. */
export function DispatchDialog({ row, onClose }: { row: CaseRow; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reference = useReference();
  const step = useCaseStep(row.id);
  const [form] = Form.useForm<{ leadDepartment: string; coDepartments: string[] }>();
  const lead = Form.useWatch('leadDepartment', form);
  const [error, setError] = useState<unknown>(null);
  const departments = reference.options('department');
  return (
    <Modal
      open
      title={`${t('dispatch.dispatch')} · ${row.enterpriseName}`}
      okText={t('dispatch.dispatch')}
      cancelText={t('common.cancel')}
      okButtonProps={{ size: 'large' }}
      cancelButtonProps={{ size: 'large' }}
      confirmLoading={step.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <ErrorAlert error={error} />
      <p>{row.description}</p>
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          leadDepartment: row.leadDepartment ?? undefined,
          coDepartments: row.coDepartments,
        }}
        onFinish={async (v) => {
          setError(null);
          try {
            await step.mutateAsync({
              step: 'dispatch',
              version: row.version,
              body: { leadDepartment: v.leadDepartment, coDepartments: v.coDepartments ?? [] },
            });
            void message.success(
              t('dispatch.done', { name: reference.name('department', v.leadDepartment) }),
            );
            onClose();
          } catch (e) {
            setError(e);
          }
        }}
      >
        <Form.Item
          name="leadDepartment"
          label={t('dispatch.lead')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select size="large" showSearch={{ optionFilterProp: 'label' }} options={departments} />
        </Form.Item>
        <Form.Item name="coDepartments" label={`${t('dispatch.co')}（${t('dispatch.coHint')}）`}>
          <Select
            size="large"
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            options={departments.filter((d) => d.value !== lead)}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
