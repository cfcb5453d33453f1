import { useState } from 'react';
import {
  App,
  Button,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Schemas } from '../../api/types';
import { Refusal } from './Refusal';
import { CalendarNotices } from './CalendarNotices';
import { useReferenceEntries, useReferenceStep } from './hooks';

type Kind = 'street' | 'department' | 'category';
const KINDS: Kind[] = ['street', 'department', 'category'];

function KindTable({ kind }: { kind: Kind }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const entries = useReferenceEntries();
  const step = useReferenceStep();
  const [form] = Form.useForm<{ code: string; name: string }>();
  const [failure, setFailure] = useState<{ action: string; error: unknown } | null>(null);
  const [renaming, setRenaming] = useState<Schemas['ReferenceEntryDto'] | null>(null);
  const [renameError, setRenameError] = useState<unknown>(null);
  const [renameForm] = Form.useForm<{ name: string }>();
  const rows = (entries.data ?? []).filter((e) => e.kind === kind);
  const kindName = t(`admin.reference.kinds.${kind}`);

  const add = async (v: { code: string; name: string }) => {
    setFailure(null);
    try {
      await step.mutateAsync({
        kind: 'define',
        of: kind,
        code: v.code.trim(),
        name: v.name.trim(),
      });
      void message.success(t('admin.reference.added', { name: v.name }));
      form.resetFields();
    } catch (error) {
      setFailure({ action: t('admin.reference.add'), error });
    }
  };
  const rename = async (v: { name: string }) => {
    if (!renaming) return;
    setRenameError(null);
    try {
      await step.mutateAsync({
        kind: 'rename',
        of: kind,
        code: renaming.code,
        name: v.name.trim(),
      });
      void message.success(t('admin.reference.renamed', { name: v.name.trim() }));
      setRenaming(null);
    } catch (error) {
      setRenameError(error);
    }
  };
  const retire = async (e: Schemas['ReferenceEntryDto']) => {
    setFailure(null);
    try {
      await step.mutateAsync({ kind: 'retire', of: kind, code: e.code });
      void message.success(t('admin.reference.retiredDone', { name: e.name }));
    } catch (error) {
      setFailure({ action: t('admin.reference.retire'), error });
    }
  };

  return (
    <div>
      <Form
        form={form}
        layout="inline"
        onFinish={(v) => void add(v)}
        aria-label={t('admin.reference.addTitle', { kind: kindName })}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item
          name="code"
          label={t('admin.reference.code')}
          tooltip={t('admin.reference.codeHelp')}
          rules={[
            {
              required: true,
              message: t('admin.common.required', { field: t('admin.reference.code') }),
            },
          ]}
        >
          <Input placeholder="pingshan" autoComplete="off" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('admin.reference.name')}
          rules={[
            {
              required: true,
              message: t('admin.common.required', { field: t('admin.reference.name') }),
            },
          ]}
        >
          <Input autoComplete="off" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={step.isPending}>
            {t('admin.reference.add')}
          </Button>
        </Form.Item>
      </Form>
      {failure && (
        <Refusal
          error={failure.error}
          action={failure.action}
          onReload={() => void entries.refetch()}
        />
      )}
      {entries.error && <Refusal error={entries.error} onReload={() => void entries.refetch()} />}
      <Table<Schemas['ReferenceEntryDto']>
        rowKey="code"
        size="middle"
        loading={entries.isLoading}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('admin.reference.code'), dataIndex: 'code' },
          { title: t('admin.reference.name'), dataIndex: 'name' },
          {
            title: t('admin.reference.status'),
            dataIndex: 'active',
            render: (active: boolean) =>
              active ? (
                <Tag color="#237804">{t('admin.reference.active')}</Tag>
              ) : (
                <Tag color="#595959">{t('admin.reference.retired')}</Tag>
              ),
          },
          {
            title: t('admin.common.actions'),
            key: 'actions',
            render: (_, e) => (
              <Space size={0} wrap>
                <Button
                  type="link"
                  aria-label={`${t('admin.reference.rename')} ${e.name}`}
                  onClick={() => {
                    setRenameError(null);
                    setRenaming(e);
                  }}
                >
                  {t('admin.reference.rename')}
                </Button>
                {e.active && (
                  <Popconfirm
                    title={t('admin.reference.retireConfirm', { name: e.name })}
                    okText={t('admin.reference.retire')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => void retire(e)}
                  >
                    <Button
                      type="link"
                      danger
                      aria-label={`${t('admin.reference.retire')} ${e.name}`}
                    >
                      {t('admin.reference.retire')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={renaming !== null}
        title={renaming && t('admin.reference.renameTitle', { name: renaming.name })}
        okText={t('admin.reference.rename')}
        cancelText={t('common.cancel')}
        confirmLoading={step.isPending}
        onOk={() => renameForm.submit()}
        onCancel={() => setRenaming(null)}
        destroyOnHidden
      >
        {renameError !== null && (
          <Refusal error={renameError} action={t('admin.reference.rename')} />
        )}
        <Form
          form={renameForm}
          // Its own field ids (the add form above has a name field too).
          name={`rename-${kind}`}
          layout="vertical"
          initialValues={{ name: renaming?.name }}
          onFinish={(v) => void rename(v)}
        >
          <Typography.Paragraph>
            {t('admin.reference.code')}：<code>{renaming?.code}</code>
          </Typography.Paragraph>
          <Form.Item
            name="name"
            label={t('admin.reference.newName')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('admin.common.required', { field: t('admin.reference.newName') }),
              },
            ]}
          >
            <Input autoComplete="off" maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

export function ReferencePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const kind = (KINDS as string[]).includes(params.get('kind') ?? '')
    ? (params.get('kind') as Kind)
    : 'street';
  return (
    <div>
      <Typography.Title level={2} style={{ marginTop: 0 }}>
        {t('admin.reference.title')}
      </Typography.Title>
      <CalendarNotices />
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph>{t('admin.reference.intro')}</Typography.Paragraph>
        <Tabs
          activeKey={kind}
          onChange={(k) => setParams({ kind: k }, { replace: true })}
          items={KINDS.map((k) => ({
            key: k,
            label: t(`admin.reference.kinds.${k}`),
            children: <KindTable kind={k} />,
          }))}
        />
      </Space>
    </div>
  );
}
