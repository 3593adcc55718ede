/**
 * 导出 Excel on a list: the workbook the API makes of the same filters, every page, saved
 * under its name; a refusal (too many rows, not allowed) shown under the button in the
 * language of the screen.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import { t } from './i18n.js';
import { downloadFromApi } from './session.js';

export function ExportButton({ id, path, fileName }: { readonly id: string; readonly path: string; readonly fileName: string }): ReactNode {
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await downloadFromApi(path, fileName);
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button id={id} loading={busy} onClick={() => void run()}>{t('exportExcel')}</Button>
      {failure === null ? null : <Alert id={`${id}-error`} type="error" showIcon message={failure} />}
    </>
  );
}
