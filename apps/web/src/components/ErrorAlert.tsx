import { Alert, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/errors';

const KNOWN = [0, 400, 401, 403, 404, 409, 412, 413, 423, 429, 500, 503];

/**
 * A refusal explained in words — what happened and what to do next — with the server's own
 * reason (in the user's language) and, for field errors, each field's rule.
 */
export function ErrorAlert({ error, onReload }: { error: unknown; onReload?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  const status = isApiError(error) ? error.status : 0;
  const key = KNOWN.includes(status) ? status : status >= 500 ? 500 : 400;
  const serverMessage = isApiError(error) ? error.message : String(error);
  const fields = isApiError(error) ? error.errors : [];
  const correlationId = isApiError(error) ? error.correlationId : undefined;
  const retryAfter = isApiError(error) ? (error.retryAfter ?? 60) : 60;
  return (
    <Alert
      type={key === 409 || key === 412 ? 'warning' : 'error'}
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={t(`error.title${key}`)}
      description={
        <Space orientation="vertical" size={4}>
          {status !== 0 && <span>{serverMessage}</span>}
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
            {t(`error.what${key}`, {
              id: correlationId ?? '-',
              seconds: retryAfter,
              minutes: Math.ceil(retryAfter / 60),
            })}
          </span>
          {correlationId && key !== 500 && (
            <span style={{ color: '#595959' }}>
              {t('error.correlation', { id: correlationId })}
            </span>
          )}
          {onReload && (key === 409 || key === 412 || key === 404 || key === 0 || key >= 500) && (
            <Button onClick={onReload}>{t('common.reload')}</Button>
          )}
        </Space>
      }
    />
  );
}
