import { beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../shared/app/ports.js';
import type { ObjectLinks } from '../../shared/app/links.js';
import { fresh } from './fixtures.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';

const XLSX = XLSX_CONTENT_TYPE;

/** What every BlobStore does: objects by bucket role and key, listed by prefix in key order. */
export function describeBlobStoreContract(name: string, makeStore: () => Promise<BlobStore>): void {
  describe(`${name} as the blob store`, () => {
    let store: BlobStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it('gives back the bytes put, and text as its UTF-8 bytes', async () => {
      const prefix = fresh('p');
      await store.put('reports', `${prefix}/a.xlsx`, new Uint8Array([80, 75, 3, 4]), XLSX);
      await store.put('reports', `${prefix}/a.json`, '{"errors":["错误"]}', 'application/json');
      expect(await store.get('reports', `${prefix}/a.xlsx`)).toEqual(new Uint8Array([80, 75, 3, 4]));
      expect(new TextDecoder().decode(await store.get('reports', `${prefix}/a.json`))).toBe('{"errors":["错误"]}');
    });

    it('keeps the buckets apart and replaces an object put again', async () => {
      const key = `${fresh('p')}/x`;
      await store.put('invoices', key, 'first', 'text/plain');
      await store.put('invoices', key, 'second', 'text/plain');
      expect(new TextDecoder().decode(await store.get('invoices', key))).toBe('second');
      await expect(store.get('uploads', key)).rejects.toThrow();
    });

    it('lists the keys under a prefix in key order', async () => {
      const prefix = fresh('list');
      for (const key of ['b/2.xlsx', 'a/1.xlsx', 'b/10.xlsx']) await store.put('reports', `${prefix}/${key}`, 'x', 'text/plain');
      await store.put('reports', `${prefix}-other/a.xlsx`, 'x', 'text/plain');
      expect(await store.list('reports', `${prefix}/`)).toEqual([`${prefix}/a/1.xlsx`, `${prefix}/b/10.xlsx`, `${prefix}/b/2.xlsx`]);
      expect(await store.list('reports', `${prefix}/c/`)).toEqual([]);
    });

    it('refuses to get an object that is not there', async () => {
      await expect(store.get('reports', `${fresh('none')}/x`)).rejects.toThrow();
    });
  });
}

/** What every ObjectLinks does that a use case relies on: an object's identity, which changes with its content. */
export function describeObjectLinksContract(name: string, make: () => Promise<{ links: ObjectLinks; blobs: BlobStore }>): void {
  describe(`${name} as object links`, () => {
    let links: ObjectLinks;
    let blobs: BlobStore;
    beforeAll(async () => {
      ({ links, blobs } = await make());
    });

    it('names an object by an identity that stays while it is unchanged and changes with its content; none when absent', async () => {
      const key = `${fresh('u')}/report.xlsx`;
      expect(await links.identity('uploads', key)).toBeUndefined();
      await blobs.put('uploads', key, 'one', XLSX);
      const first = await links.identity('uploads', key);
      expect(first).toEqual(expect.any(String));
      expect(await links.identity('uploads', key)).toBe(first);
      await blobs.put('uploads', key, 'two', XLSX);
      expect(await links.identity('uploads', key)).not.toBe(first);
    });

    it('makes an upload form and a download link for exactly the key asked for', async () => {
      const key = `${fresh('u')}/D001/installation/2026-10/report.xlsx`;
      const form = await links.uploadForm('uploads', key, { contentType: XLSX, maxBytes: 1024, expiresInSeconds: 60 });
      expect(form.fields.key).toBe(key);
      expect(form.fields['Content-Type']).toBe(XLSX);
      const url = await links.downloadUrl('reports', key, { fileName: '报表.xlsx', expiresInSeconds: 60 });
      expect(decodeURIComponent(url)).toContain(`attachment; filename*=UTF-8''${encodeURIComponent('报表.xlsx')}`);
    });
  });
}
