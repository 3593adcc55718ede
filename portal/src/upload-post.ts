/** The upload of a file to S3 through the presigned POST the API hands out, shared by the pages that take files. */
import { t } from './i18n.js';

type Json = any;

/** Puts a file into S3 with the presigned POST, reporting progress; fetch cannot report upload progress, XHR can. */
export function postWithProgress(ticket: Json, file: File, report: (percent: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(ticket.form.fields as Record<string, string>)) form.append(name, value);
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', ticket.form.url);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) report(Math.round((e.loaded / e.total) * 100));
    });
    xhr.addEventListener('load', () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(t('uploadFailed')))));
    xhr.addEventListener('error', () => reject(new Error(t('uploadFailed'))));
    xhr.send(form);
  });
}
