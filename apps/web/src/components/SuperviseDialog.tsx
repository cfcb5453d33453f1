import { useState } from 'react';
import { Input, Modal, message } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey, sendCommand } from '../api/client';
import { ErrorAlert } from './ErrorAlert';

/** 督办 with the leader's instructions: one dialog, from any list or the case page. */
export function SuperviseDialog({
  row,
  onClose,
}: {
  row: { id: string; enterpriseName: string; version: number } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [note, setNote] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    if (!row) return;
    setSending(true);
    setError(null);
    try {
      await sendCommand(
        `/api/v1/cases/${encodeURIComponent(row.id)}/supervision`,
        { instructions: note.trim() },
        { 'if-match': `"${row.version}"`, 'idempotency-key': newIdempotencyKey() },
      );
      void message.success(t('leader.supervise.done'));
      setNote('');
      onClose();
      void client.invalidateQueries({ queryKey: ['cases'] });
      void client.invalidateQueries({ queryKey: ['case-counts'] });
      void client.invalidateQueries({ queryKey: ['case', row.id] });
      // The figures it moves, the trend's too (kept fresh for 30 s otherwise).
      void client.invalidateQueries({ queryKey: ['metrics'] });
    } catch (e) {
      setError(e);
    } finally {
      setSending(false);
    }
  };
  return (
    <Modal
      open={row !== null}
      title={t('leader.supervise.title', { name: row?.enterpriseName ?? '' })}
      okText={t('leader.supervise.ok')}
      cancelText={t('common.cancel', { defaultValue: '取消' })}
      okButtonProps={{ disabled: note.trim().length === 0, loading: sending }}
      onOk={() => void submit()}
      onCancel={onClose}
    >
      <ErrorAlert error={error} />
      <Input.TextArea
        aria-label={t('leader.supervise.note')}
        placeholder={t('leader.supervise.placeholder')}
        rows={4}
        maxLength={2000}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
    </Modal>
  );
}
