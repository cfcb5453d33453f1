import type { TFunction } from 'i18next';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router';
import type { CaseRow } from '../api/types';
import { StatusTag } from './StatusTag';

/** The columns every case list starts with: the enterprise (the link), category, description, status. */
export function caseColumns(
  t: TFunction,
  categoryName: (code: string) => string,
): TableColumnsType<CaseRow> {
  return [
    {
      title: t('case.enterprise'),
      render: (_, c) => (
        <Link to={`/cases/${c.id}`} style={{ display: 'inline-block', padding: '10px 0' }}>
          {c.enterpriseName}
        </Link>
      ),
    },
    { title: t('case.category'), render: (_, c) => categoryName(c.category) },
    { title: t('officer.description'), dataIndex: 'description', ellipsis: true },
    { title: t('case.status'), render: (_, c) => <StatusTag status={c.status} /> },
  ];
}
