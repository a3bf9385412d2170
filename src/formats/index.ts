import { cmd } from './cmd.js';
import { dotenv } from './dotenv.js';
import { exportFormat } from './export.js';
import type { OutputFormat } from './format.js';
import { fish } from './fish.js';
import { github } from './github.js';
import { header } from './header.js';
import { json } from './json.js';
import { powershell } from './powershell.js';
import { raw } from './raw.js';

/** The output formats of `-o`, in the order of the help; the first is the default. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = [raw, json, exportFormat, header, dotenv, fish, powershell, cmd, github];

export const FORMAT_NAMES = OUTPUT_FORMATS.map((f) => f.name);

export const formatNamed = (name: string): OutputFormat | undefined => OUTPUT_FORMATS.find((f) => f.name === name);
