import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const COLOURS: Record<string, string> = {
  new: 'blue',
  dispatched: 'cyan',
  accepted: 'processing',
  returned: 'magenta',
  paused: 'default',
  resolved: 'success',
  closed: 'default',
  withdrawn: 'default',
};

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={COLOURS[status] ?? 'default'}>{t(`status.${status}`)}</Tag>;
}
