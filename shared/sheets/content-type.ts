/** The MIME type of every .xlsx the back office stores, offers for upload or serves. */
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
