import { mkdir } from 'node:fs/promises';
import { writeAllTemplates } from '../../shared/sheets/template.js';
import { EXIT, parse, required, type Io } from '../args.js';

/** `templates --out DIR`: a blank template of every upload type. */
export async function templatesCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { out: { type: 'string' } });
  const out = required(values.out, '--out');
  await mkdir(out, { recursive: true });
  const files = await writeAllTemplates(out);
  if (values.json) io.out(JSON.stringify({ files }, null, 2));
  else for (const file of files) io.out(file);
  return EXIT.done;
}
