import type { Caller } from '../domain/access.js';
import { UPLOAD_TITLES } from '../domain/fields.js';
import { REQUEST_TITLE } from '../domain/request-fields.js';
import { TEMPLATE_FILES, type TemplateType } from '../sheets/template.js';
import { authorize } from './access.js';

/** The blank upload templates the caller may download, with their titles in both languages. */
export function listTemplates(caller: Caller) {
  authorize(caller, 'download_templates');
  return (Object.keys(TEMPLATE_FILES) as TemplateType[]).map((type) => ({
    type,
    file_name: TEMPLATE_FILES[type],
    title: type === 'master' ? { en: 'Master data', zh: '主数据' } : type === 'request' ? { ...REQUEST_TITLE } : UPLOAD_TITLES[type],
  }));
}

/** What a template download takes: the template writer (exceljs, from the composition root). */
export interface TemplateDeps {
  readonly renderTemplate: (type: TemplateType) => Promise<Uint8Array>;
}

/** One blank template, written afresh. */
export async function template(deps: TemplateDeps, caller: Caller, type: TemplateType): Promise<{ fileName: string; bytes: Uint8Array }> {
  authorize(caller, 'download_templates');
  return { fileName: TEMPLATE_FILES[type], bytes: await deps.renderTemplate(type) };
}
