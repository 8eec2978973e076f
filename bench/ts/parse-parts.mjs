// What parseMessage does beside the floor (bench/ts/floor.mjs), per message (CPU ns, median of
// rounds, one process, candidates alternating; JSON.parse left out: every candidate reads an
// already-parsed message, or the text for the text scans): the floor's validation of the parsed
// value, and parseMessage's parts: the type's verdict, the open fields' depth and number range,
// the dispatch and result object, and the scans of the text. With --types, the same parts per message of the mixed
// workload, each message alone (where the gap to the floor lies, type by type).
// Usage: node bench/ts/parse-parts.mjs [--quick] [--types]
import { floorValid } from './floor.mjs';
import { WORKLOADS } from './workloads.mjs';

const G = new URL('../../dist/generated/ts/', import.meta.url).href;
const { validateMessage } = await import(G + 'index.js');
const validators = await import(G + 'validators/index.js');
const open = await import(G + 'open.js');

const quick = process.argv.includes('--quick');

/** A type's name from its tag (user_message → UserMessage), as the generated modules name it. */
const typeName = (tag) => tag.split('_').map((s) => s[0].toUpperCase() + s.slice(1)).join('');

/** Median CPU ns per message of each part over `texts` (cycled), one process, the parts alternating. */
function measure(texts) {
  const parsed = texts.map((t) => JSON.parse(t));
  const accepts = parsed.map((d) => validators[`accepts${typeName(d.type)}`]);
  // The open-field check of each type (open.js), as parse.js calls it.
  const openCheck = parsed.map((d) => open[`openIssueIn${typeName(d.type)}`] ?? open.noOpenIssue);
  const n = texts.length;
  const candidates = {
    'floor: validation of the parsed value': (i) => floorValid(parsed[i]),
    'validateMessage (all below)': (i) => validateMessage(parsed[i]).ok,
    "type's verdict (accepts<Type>)": (i) => accepts[i](parsed[i]),
    'open fields: depth and number range': (i) => openCheck[i](parsed[i]) === undefined,
    // parseMessage's scans of the text (parse.js), besides validateMessage.
    'text: surrogate escapes, well-formed': (i) => texts[i].isWellFormed() && !texts[i].includes('\\u'),
  };
  const names = Object.keys(candidates);
  const res = Object.fromEntries(names.map((k) => [k, []]));
  let sink = 0;
  const N = quick ? 50_000 : 200_000;
  for (const k of names) for (let j = 0; j < N; j++) sink ^= candidates[k](j % n) ? 1 : 0;
  for (let r = 0; r < (quick ? 3 : 7); r++) {
    for (const k of names) {
      const f = candidates[k];
      const c0 = process.cpuUsage();
      for (let j = 0; j < N; j++) sink ^= f(j % n) ? 1 : 0;
      const c = process.cpuUsage(c0);
      res[k].push(((c.user + c.system) * 1000) / N);
    }
  }
  const med = Object.fromEntries(names.map((k) => [k, res[k].sort((a, b) => a - b)[res[k].length >> 1]]));
  med['the rest: tag dispatch, result object'] = med['validateMessage (all below)'] - med["type's verdict (accepts<Type>)"] - med['open fields: depth and number range'];
  return med;
}

// --types: one column per message of the mixed workload, each measured alone.
const columns = process.argv.includes('--types')
  ? WORKLOADS['mixed (21 shapes)'].map((t) => [JSON.parse(t).type, [t]])
  : Object.entries(WORKLOADS);
const rows = columns.map(([w, texts]) => [w, measure(texts)]);
const names = Object.keys(rows[0][1]).sort((a, b) => (a.startsWith('text') ? 1 : 0) - (b.startsWith('text') ? 1 : 0));
console.log('parseMessage by part, beside the floor (CPU ns per message, JSON.parse excluded, one process):');
console.log(['part'.padEnd(38), ...rows.map(([w]) => w.padStart(20))].join('  '));
for (const k of names) console.log([k.padEnd(38), ...rows.map(([, r]) => r[k].toFixed(0).padStart(20))].join('  '));
