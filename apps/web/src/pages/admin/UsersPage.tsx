import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useReference } from '../../api/hooks';
import type { Role } from '../../api/types';
import { Refusal } from './Refusal';
import { formatTime } from '../../components/time';
import { CalendarNotices } from './CalendarNotices';
import { LoadMore } from '../../components/LoadMore';
import { useUsers, useUserStep, type AdminUser, type UserStep } from './hooks';

const ROLES: Role[] = ['officer', 'dispatcher', 'handler', 'leader', 'admin'];

interface AssignmentValues {
  role: Role;
  department?: string;
  street?: string;
}

/** Role, and the department (handlers) or street (officers) the role needs. */
function AssignmentFields() {
  const { t } = useTranslation();
  const reference = useReference();
  const role = Form.useWatch<Role | undefined>('role');
  return (
    <>
      <Form.Item
        name="role"
        label={t('admin.users.role')}
        rules={[
          { required: true, message: t('admin.common.required', { field: t('admin.users.role') }) },
        ]}
      >
        <Select options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
      </Form.Item>
      {role === 'handler' && (
        <Form.Item
          name="department"
          label={t('admin.users.department')}
          rules={[
            {
              required: true,
              message: t('admin.common.required', { field: t('admin.users.department') }),
            },
          ]}
        >
          <Select showSearch optionFilterProp="label" options={reference.options('department')} />
        </Form.Item>
      )}
      {role === 'officer' && (
        <Form.Item
          name="street"
          label={t('admin.users.street')}
          rules={[
            {
              required: true,
              message: t('admin.common.required', { field: t('admin.users.street') }),
            },
          ]}
        >
          <Select showSearch optionFilterProp="label" options={reference.options('street')} />
        </Form.Item>
      )}
    </>
  );
}

const assignmentBody = (v: AssignmentValues) => ({
  role: v.role,
  ...(v.role === 'handler' && v.department ? { department: v.department } : {}),
  ...(v.role === 'officer' && v.street ? { street: v.street } : {}),
});

/** A password the server generated, shown this once, copyable. */
function PasswordOnce({
  shown,
  onClose,
}: {
  shown: { name: string; kind: 'first' | 'reset'; password: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={Boolean(shown)}
      title={
        shown &&
        t('admin.users.passwordTitle', {
          name: shown.name,
          kind: t(shown.kind === 'first' ? 'admin.users.firstPassword' : 'admin.users.newPassword'),
        })
      }
      closable={false}
      destroyOnHidden
      maskClosable={false}
      keyboard={false}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('admin.users.noted')}
        </Button>
      }
    >
      {shown && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Alert type="warning" showIcon title={t('admin.users.passwordOnce')} />
          <Typography.Paragraph
            data-testid="temporary-password"
            code
            copyable={{
              text: shown.password,
              tooltips: [t('admin.users.copy'), t('admin.users.copied')],
            }}
            style={{ fontSize: 20, margin: '8px 0' }}
          >
            {shown.password}
          </Typography.Paragraph>
        </Space>
      )}
    </Modal>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reference = useReference();
  const [params, setParams] = useSearchParams();
  const role = (params.get('role') as Role | null) ?? undefined;
  const status = (params.get('status') as 'active' | 'disabled' | null) ?? undefined;
  const q = params.get('q') ?? '';
  const users = useUsers({ role, status, q: q.trim() });
  const step = useUserStep();
  const [failure, setFailure] = useState<{ action: string; error: unknown } | null>(null);
  const [creating, setCreating] = useState(false);
  const [assigning, setAssigning] = useState<AdminUser | null>(null);
  const [disabling, setDisabling] = useState<AdminUser | null>(null);
  const [dialogError, setDialogError] = useState<unknown>(null);
  const [password, setPassword] = useState<{
    name: string;
    kind: 'first' | 'reset';
    password: string;
  } | null>(null);
  const [createForm] = Form.useForm();
  const [assignForm] = Form.useForm<AssignmentValues>();
  const [disableForm] = Form.useForm<{ reason: string }>();

  const setFilter = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  /** A step from the list: its refusal is shown above the list, with the server's reason. */
  const run = async (action: string, input: UserStep, done: string) => {
    setFailure(null);
    try {
      const reply = await step.mutateAsync(input);
      void message.success(done);
      return reply;
    } catch (error) {
      setFailure({ action, error });
      return null;
    }
  };

  /** A step from a dialog: its refusal stays in the dialog. */
  const runInDialog = async (input: UserStep) => {
    setDialogError(null);
    try {
      return await step.mutateAsync(input);
    } catch (error) {
      setDialogError(error);
      return null;
    }
  };

  // A lock is judged as of the list's reply, not at each render.
  const now = users.dataUpdatedAt;
  const rows = users.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div>
      <Typography.Title level={2} style={{ marginTop: 0 }}>
        {t('admin.users.title')}
      </Typography.Title>
      <CalendarNotices />
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label={t('admin.users.search')}
          placeholder={t('admin.users.search')}
          defaultValue={q}
          allowClear
          onSearch={(v) => setFilter('q', v)}
          style={{ width: 240 }}
        />
        <Select
          aria-label={t('admin.users.filterRole')}
          value={role ?? ''}
          onChange={(v) => setFilter('role', v || undefined)}
          style={{ width: 160 }}
          options={[
            { value: '', label: `${t('admin.users.role')}：${t('admin.common.all')}` },
            ...ROLES.map((r) => ({ value: r, label: t(`role.${r}`) })),
          ]}
        />
        <Select
          aria-label={t('admin.users.filterStatus')}
          value={status ?? ''}
          onChange={(v) => setFilter('status', v || undefined)}
          style={{ width: 160 }}
          options={[
            { value: '', label: `${t('admin.users.status')}：${t('admin.common.all')}` },
            { value: 'active', label: t('admin.users.active') },
            { value: 'disabled', label: t('admin.users.disabled') },
          ]}
        />
        <Button
          type="primary"
          onClick={() => {
            setDialogError(null);
            createForm.resetFields();
            setCreating(true);
          }}
        >
          {t('admin.users.create')}
        </Button>
      </Space>
      {users.error && <Refusal error={users.error} onReload={() => void users.refetch()} />}
      {failure && (
        <Refusal
          error={failure.error}
          action={failure.action}
          onReload={() => void users.refetch()}
        />
      )}
      <Table<AdminUser>
        rowKey="username"
        loading={users.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 960 }}
        columns={[
          { title: t('admin.users.username'), dataIndex: 'username' },
          { title: t('admin.users.displayName'), dataIndex: 'displayName' },
          { title: t('admin.users.role'), dataIndex: 'role', render: (r: Role) => t(`role.${r}`) },
          {
            title: t('admin.users.place'),
            key: 'place',
            render: (_, u) =>
              u.department
                ? reference.name('department', u.department)
                : u.street
                  ? reference.name('street', u.street)
                  : '—',
          },
          {
            title: t('admin.users.status'),
            key: 'status',
            render: (_, u) => {
              const locked = u.lockedUntil && Date.parse(u.lockedUntil) > now;
              return (
                <Space size={4} wrap>
                  {u.status === 'active' ? (
                    <Tag color="#237804">{t('admin.users.active')}</Tag>
                  ) : (
                    <Tag color="#595959">{t('admin.users.disabled')}</Tag>
                  )}
                  {locked && (
                    <Tag color="#a8071a">
                      {t('admin.users.locked', { at: formatTime(u.lockedUntil) })}
                    </Tag>
                  )}
                  {!locked && u.failures > 0 && (
                    <Tag color="#ad4e00">{t('admin.users.failures', { n: u.failures })}</Tag>
                  )}
                  {u.mustChangePassword && <Tag color="#0b57d0">{t('admin.users.mustChange')}</Tag>}
                </Space>
              );
            },
          },
          {
            title: t('admin.users.lastLogin'),
            dataIndex: 'lastLoginAt',
            render: (v: string | null) => (v ? formatTime(v) : t('admin.users.never')),
          },
          {
            title: t('admin.common.actions'),
            key: 'actions',
            render: (_, u) => (
              <Space size={0} wrap>
                <Button
                  type="link"
                  aria-label={`${t('admin.users.assign')} ${u.username}`}
                  onClick={() => {
                    setDialogError(null);
                    assignForm.setFieldsValue({
                      role: u.role,
                      department: u.department ?? undefined,
                      street: u.street ?? undefined,
                    });
                    setAssigning(u);
                  }}
                >
                  {t('admin.users.assign')}
                </Button>
                <Popconfirm
                  title={t('admin.users.resetConfirm', { name: u.displayName })}
                  okText={t('admin.users.reset')}
                  cancelText={t('common.cancel')}
                  onConfirm={async () => {
                    const reply = await run(
                      t('admin.users.reset'),
                      { kind: 'reset', username: u.username },
                      t('admin.common.done'),
                    );
                    if (reply?.temporaryPassword)
                      setPassword({
                        name: u.displayName,
                        kind: 'reset',
                        password: reply.temporaryPassword,
                      });
                  }}
                >
                  <Button type="link" aria-label={`${t('admin.users.reset')} ${u.username}`}>
                    {t('admin.users.reset')}
                  </Button>
                </Popconfirm>
                {(u.failures > 0 || u.lockedUntil) && (
                  <Button
                    type="link"
                    aria-label={`${t('admin.users.unlock')} ${u.username}`}
                    onClick={() =>
                      void run(
                        t('admin.users.unlock'),
                        { kind: 'unlock', username: u.username },
                        t('admin.users.unlocked', { name: u.displayName }),
                      )
                    }
                  >
                    {t('admin.users.unlock')}
                  </Button>
                )}
                {u.status === 'active' ? (
                  <Button
                    type="link"
                    danger
                    aria-label={`${t('admin.users.disable')} ${u.username}`}
                    onClick={() => {
                      setDialogError(null);
                      disableForm.resetFields();
                      setDisabling(u);
                    }}
                  >
                    {t('admin.users.disable')}
                  </Button>
                ) : (
                  <Popconfirm
                    title={t('admin.users.enableConfirm', { name: u.displayName })}
                    okText={t('admin.users.enable')}
                    cancelText={t('common.cancel')}
                    onConfirm={() =>
                      void run(
                        t('admin.users.enable'),
                        { kind: 'enable', username: u.username },
                        t('admin.users.enabledDone', { name: u.displayName }),
                      )
                    }
                  >
                    <Button type="link" aria-label={`${t('admin.users.enable')} ${u.username}`}>
                      {t('admin.users.enable')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <LoadMore
        hasNextPage={users.hasNextPage}
        isFetchingNextPage={users.isFetchingNextPage}
        fetchNextPage={users.fetchNextPage}
        shown={rows.length}
      />

      <Modal
        open={creating}
        title={t('admin.users.create')}
        okText={t('admin.users.create')}
        cancelText={t('common.cancel')}
        confirmLoading={step.isPending}
        onCancel={() => setCreating(false)}
        onOk={() => createForm.submit()}
        destroyOnHidden
      >
        <Refusal error={dialogError} action={t('admin.users.create')} />
        <Form
          form={createForm}
          layout="vertical"
          onFinish={async (v: AssignmentValues & { username: string; displayName: string }) => {
            const reply = await runInDialog({
              kind: 'create',
              body: { username: v.username, displayName: v.displayName, ...assignmentBody(v) },
            });
            if (!reply) return;
            setCreating(false);
            void message.success(t('admin.users.created', { name: v.displayName }));
            if (reply.temporaryPassword)
              setPassword({
                name: v.displayName,
                kind: 'first',
                password: reply.temporaryPassword,
              });
          }}
        >
          <Form.Item
            name="username"
            label={t('admin.users.username')}
            extra={t('admin.users.usernameHelp')}
            rules={[
              {
                required: true,
                message: t('admin.common.required', { field: t('admin.users.username') }),
              },
            ]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="displayName"
            label={t('admin.users.displayName')}
            rules={[
              {
                required: true,
                message: t('admin.common.required', { field: t('admin.users.displayName') }),
              },
            ]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <AssignmentFields />
        </Form>
      </Modal>

      <Modal
        open={Boolean(assigning)}
        title={assigning && t('admin.users.assignTitle', { name: assigning.displayName })}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={step.isPending}
        onCancel={() => setAssigning(null)}
        onOk={() => assignForm.submit()}
        destroyOnHidden
      >
        <Alert
          type="info"
          showIcon
          title={t('admin.users.assignNote')}
          style={{ marginBottom: 12 }}
        />
        <Refusal error={dialogError} action={t('admin.users.assign')} />
        <Form
          form={assignForm}
          layout="vertical"
          onFinish={async (v: AssignmentValues) => {
            if (!assigning) return;
            const reply = await runInDialog({
              kind: 'assign',
              username: assigning.username,
              body: assignmentBody(v),
            });
            if (!reply) return;
            void message.success(t('admin.users.assigned', { name: assigning.displayName }));
            setAssigning(null);
          }}
        >
          <AssignmentFields />
        </Form>
      </Modal>

      <Modal
        open={Boolean(disabling)}
        title={disabling && t('admin.users.disableTitle', { name: disabling.displayName })}
        okText={t('admin.users.disable')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        confirmLoading={step.isPending}
        onCancel={() => setDisabling(null)}
        onOk={() => disableForm.submit()}
        destroyOnHidden
      >
        <Refusal error={dialogError} action={t('admin.users.disable')} />
        <Form
          form={disableForm}
          layout="vertical"
          onFinish={async (v) => {
            if (!disabling) return;
            const reply = await runInDialog({
              kind: 'disable',
              username: disabling.username,
              reason: v.reason,
            });
            if (!reply) return;
            void message.success(t('admin.users.disabledDone', { name: disabling.displayName }));
            setDisabling(null);
          }}
        >
          <Form.Item
            name="reason"
            label={t('admin.users.disableReason')}
            rules={[
              {
                required: true,
                message: t('admin.common.required', { field: t('admin.users.disableReason') }),
              },
            ]}
          >
            <Input.TextArea rows={2} placeholder={t('admin.users.disablePlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>

      <PasswordOnce shown={password} onClose={() => setPassword(null)} />
    </div>
  );
}
