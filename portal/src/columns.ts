/**
 * A column as the workbook heads it, for every list of a checked file's issues: its Chinese
 * heading on a Chinese screen, never the field id; a request's field by the request form's word.
 */
import { DEALER_FIELDS, INSTALLATION_FIELDS, PART_FIELDS, PRODUCT_FIELDS, REPAIR_FIELDS, RETURN_FIELDS, SHIPMENT_FIELDS } from '../../shared/domain/fields.js';
import { lang, t } from './i18n.js';

const HEADINGS = new Map([...INSTALLATION_FIELDS, ...REPAIR_FIELDS, ...SHIPMENT_FIELDS, ...RETURN_FIELDS, ...DEALER_FIELDS, ...PRODUCT_FIELDS, ...PART_FIELDS].map((f) => [f.name, f.zh]));

export function columnLabel(name: string | null): string {
  if (name === null) return '';
  const requestField = t(`rqf_${name}`);
  const known = requestField === `rqf_${name}` ? null : requestField;
  if (lang() !== 'zh') return known ?? name;
  return HEADINGS.get(name) ?? known ?? name;
}
