import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isValidDate, isValidPeriod } from '../shared/domain/dates.js';
import { systemClock } from '../shared/app/ports.js';

/** Wrong usage: told with the usage text, exit status 2. */
export class UsageError extends Error {}

/** cli.md's exit statuses. */
export const EXIT = { done: 0, refused: 1, fault: 2 } as const;

/** Where a command writes: standard output for its answer, standard error for progress and faults. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** What a command is: its arguments after the command's name, and the exit status it comes to. */
export type Command = (args: string[], io: Io) => Promise<number>;

const COMMON = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options'];

/** The command's options and positionals, besides the options every command takes; unknown options are wrong usage. */
export function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function required(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

export function periodOption(value: string | undefined, flag = '--period'): string {
  const period = required(value, flag);
  if (!isValidPeriod(period)) throw new UsageError(`${flag} "${period}" is not a month; write it as 2026-10`);
  return period;
}

export function dateOption(value: string | undefined, flag: string): string {
  const date = required(value, flag);
  if (!isValidDate(date)) throw new UsageError(`${flag} "${date}" is not a date; write it as 2026-11-05`);
  return date;
}

export function receivedAtOf(value: string | undefined): Date {
  const receivedAt = value === undefined ? systemClock.now() : new Date(value);
  if (Number.isNaN(receivedAt.getTime())) throw new UsageError(`--received-at "${value}" is not an ISO-8601 time, e.g. 2026-11-02T10:00:00+08:00`);
  return receivedAt;
}

export async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${code ?? 'unknown error'})`);
  }
}

/** Writes a workbook to a file the operator named, making its folder; nothing when either is missing. */
export async function writeOutput(file: string | undefined, workbook: Uint8Array | null): Promise<void> {
  if (file === undefined || workbook === null) return;
  await mkdir(dirname(resolve(file)), { recursive: true });
  await writeFile(file, workbook);
}
