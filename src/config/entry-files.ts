import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { Entry } from './entry-store';
import { ValidationError } from '../core/errors';

// Internal: reading ConfigMap and Secret entries from files at synth time.

/** Reads a file at synth time: text when it is valid UTF-8, bytes otherwise. */
export function readEntry(scope: IConstruct, field: string, file: string): Entry {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e: any) {
    throw ValidationError.of(scope, field, file, `cannot be read (${e.code ?? 'error'}): give a readable file, relative to the working directory "${process.cwd()}" or absolute`);
  }
  const text = buf.toString('utf-8');
  return Buffer.from(text, 'utf-8').equals(buf) ? { text } : { bytes: buf };
}

/** The regular files of a directory (not recursive, sorted by name). */
export function listDirectory(scope: IConstruct, field: string, dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e: any) {
    throw ValidationError.of(scope, field, dir, `cannot be listed (${e.code ?? 'error'}): give a readable directory`);
  }
  return names.sort().map(n => path.join(dir, n)).filter(f => fs.statSync(f).isFile());
}

