/**
 * The department's complaint form (客户投诉登记, rebuilt for issue 25): one complaint as it is
 * received, or a recorded one filled in; each mistake named on its field and listed, in the
 * screen's language; the complaint template to download for many at once.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Col from 'antd/es/col';
import Input from 'antd/es/input';
import Row from 'antd/es/row';
import Space from 'antd/es/space';
import Typography from 'antd/es/typography';
import { useQueryClient } from '@tanstack/react-query';
import { lang, t } from './i18n.js';
import { api, downloadFromApi } from './session.js';
import { issueText, type IssueView } from './issues-view.js';

type Json = any;

const FIELDS: ReadonlyArray<readonly [name: string, type: string, required: boolean]> = [
  ['complaint_id', 'text', true],
  ['received_at', 'datetime-local', true],
  ['dealer_code', 'text', true],
  ['customer_name', 'text', true],
  ['phone', 'tel', true],
  ['product_model', 'text', false],
  ['serial_no', 'text', false],
  ['category', 'select', true],
  ['service_fault', 'select', false],
  ['action_taken', 'text', false],
  ['first_reply_at', 'datetime-local', false],
  ['resolved_at', 'datetime-local', false],
  ['follow_up_date', 'date', false],
  ['follow_up_outcome', 'text', false],
];

const CATEGORIES = ['timeliness', 'attitude', 'repair_quality', 'product_quality', 'charges', 'other'];

const blank = (): Record<string, string> => Object.fromEntries(FIELDS.map(([name]) => [name, name === 'category' ? CATEGORIES[0]! : '']));

export function ComplaintForm(): ReactNode {
  const client = useQueryClient();
  const [values, setValues] = useState(blank);
  const [errors, setErrors] = useState<IssueView[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const submit = async () => {
    const body = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim() === '' ? null : v.trim()]));
    try {
      const answer = await api('POST', '/api/complaints', body);
      setDone(`${t(`qs_${answer.status}`)} · ${answer.complaint.complaint_id}`);
      setErrors([]);
      setFailure(null);
      await client.invalidateQueries({ queryKey: ['complaints'] });
    } catch (error) {
      setDone(null);
      const found = (error as { body?: Json }).body?.errors as IssueView[] | undefined;
      if (found === undefined) {
        setFailure(error instanceof Error ? error.message : String(error));
        setErrors([]);
      } else {
        setFailure(null);
        setErrors(found);
      }
    }
  };
  const field = ([name, type, required]: (typeof FIELDS)[number]) => {
    const id = `complaint-${name}`;
    const own = errors.filter((e) => e.column === name);
    const set = (v: string) => setValues({ ...values, [name]: v });
    const label = `${t(`qf_${name}`)}${required ? ' *' : ''}`;
    return (
      <Col xs={24} sm={12} lg={6} key={name}>
        <label htmlFor={id}>{label}</label>
        {type === 'select' ? (
          // A native select: plain to fill by keyboard or script, and styled as the inputs are.
          <select id={id} className="native-select" value={values[name]} aria-invalid={own.length > 0} onChange={(e) => set(e.target.value)}>
            {name === 'category'
              ? CATEGORIES.map((c) => <option key={c} value={c}>{t(`qc_${c}`)}</option>)
              : [<option key="" value="">–</option>, <option key="yes" value="yes">{t('qYes')}</option>, <option key="no" value="no">{t('qNo')}</option>]}
          </select>
        ) : (
          <Input id={id} type={type} value={values[name]} status={own.length > 0 ? 'error' : ''} aria-invalid={own.length > 0} onChange={(e) => set(e.target.value)} />
        )}
        {own.length === 0 ? null : <div className="field-error">{own.map(issueText).join('；')}</div>}
      </Col>
    );
  };
  return (
    <Card size="small" title={<h2 className="card-title" id="h-complaints">{t('qComplaints')}</h2>}>
      <Typography.Paragraph type="secondary">{t('qComplaintHint')}</Typography.Paragraph>
      <form id="complaint-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <Row gutter={[12, 12]}>{FIELDS.map(field)}</Row>
        <Space wrap style={{ marginTop: 12 }}>
          <Button type="primary" htmlType="submit" id="complaint-submit">{t('qRecord')}</Button>
          <Button id="complaint-template" onClick={() => void downloadFromApi('/api/templates/complaints', 'complaints-template.xlsx').catch((e) => setFailure(e instanceof Error ? e.message : String(e)))}>{t('qTemplate')}</Button>
        </Space>
      </form>
      <div id="complaint-result" aria-live="polite" style={{ marginTop: 12 }}>
        {done === null ? null : <Alert type="success" showIcon message={done} />}
        {failure === null ? null : <Alert type="error" showIcon message={failure} />}
        {errors.length === 0 ? null : (
          <Alert
            type="error"
            showIcon
            message={t('qNotRecorded')}
            description={<ul>{errors.map((e, i) => <li key={i}>{`${e.column === null ? '' : t(`qf_${e.column}`)}${e.value === null ? '' : ` = “${e.value}”`}${e.column === null && e.value === null ? '' : lang() === 'zh' ? '：' : ': '}${issueText(e)}`}</li>)}</ul>}
          />
        )}
      </div>
    </Card>
  );
}
