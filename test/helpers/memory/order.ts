/** Keys in the order DynamoDB and S3 return them: by their UTF-8 bytes. */
export const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** A copy, so that what a caller holds and what a store holds never change each other, as across a network. */
export const copy = <T>(value: T): T => structuredClone(value);
