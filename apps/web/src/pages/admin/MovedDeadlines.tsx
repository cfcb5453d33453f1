import type { CSSProperties } from 'react';
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useReference } from '../../api/hooks';
import { formatTime } from '../../components/time';

/** A case whose deadlines a previewed change would move, as the preview endpoints answer it. */
export interface MovedCase {
  caseId: string;
  enterpriseName: string;
  leadDepartment: string | null;
  changes: { clock: string; oldDueAt: string | null; newDueAt: string | null }[];
}

/** The cases a calendar or policy change moves: each clock's deadline, before → after. */
export function MovedDeadlines({ cases, style }: { cases: MovedCase[]; style?: CSSProperties }) {
  const { t } = useTranslation();
  const reference = useReference();
  return (
    <Table<MovedCase>
      size="small"
      rowKey="caseId"
      dataSource={cases}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      scroll={{ x: 720 }}
      style={style}
      columns={[
        { title: t('admin.sla.enterprise'), dataIndex: 'enterpriseName' },
        {
          title: t('admin.users.department'),
          dataIndex: 'leadDepartment',
          render: (d: string | null) => (d ? reference.name('department', d) : '—'),
        },
        {
          title: t('admin.sla.change'),
          key: 'changes',
          render: (_, c) => (
            <ul className="admin-changes">
              {c.changes.map((x) => (
                <li key={x.clock}>
                  {t(`admin.sla.clocks.${x.clock}`)}：{formatTime(x.oldDueAt)} →{' '}
                  {formatTime(x.newDueAt)}
                </li>
              ))}
            </ul>
          ),
        },
      ]}
    />
  );
}
