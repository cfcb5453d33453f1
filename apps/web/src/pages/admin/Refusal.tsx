import { Alert, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors';

/**
 * A refused admin step, explained: the server's reason in the user's language (the code's
 * message: "the last active admin", "already retired", …), each field's rule, what to do
 * next and the correlation id. The shared ErrorAlert's hints speak of cases; these do not.
 */
export function Refusal({
  error,
  action,
  onReload,
}: {
  error: unknown;
  action?: string;
  onReload?: () => void;
}) {
  const { t } = useTranslation();
  if (!error) return null;
  const status = isApiError(error) ? error.status : 0;
  const hint =
    status === 0
      ? 'network'
      : status >= 500
        ? 'server'
        : [400, 403, 404, 409, 412, 429].includes(status)
          ? String(status)
          : '400';
  const fields = isApiError(error) ? error.errors : [];
  const correlationId = isApiError(error) ? error.correlationId : undefined;
  return (
    <Alert
      type={status === 409 || status === 412 ? 'warning' : 'error'}
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={action ? t('admin.common.failed', { action }) : t('admin.refusal.title')}
      description={
        <Space orientation="vertical" size={4}>
          {status !== 0 && isApiError(error) && <strong>{error.message}</strong>}
          {fields.length > 0 && (
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {fields.map((f) => (
                <li key={`${f.field}:${f.rule}`}>
                  {t('error.field', { field: f.field, message: f.message })}
                </li>
              ))}
            </ul>
          )}
          <span>
            {t(`admin.refusal.${hint}`, {
              seconds: isApiError(error) ? (error.retryAfter ?? 60) : 60,
            })}
          </span>
          {correlationId && (
            <span style={{ color: '#595959' }}>
              {t('error.correlation', { id: correlationId })}
            </span>
          )}
          {onReload && (status === 0 || status >= 500 || status === 409 || status === 412) && (
            <Button onClick={onReload}>{t('common.reload')}</Button>
          )}
        </Space>
      }
    />
  );
}
