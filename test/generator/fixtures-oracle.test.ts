/**
 * Fixture schemas judged three ways: the generated TS parser, the generated
 * Python package, and ajv's own draft 2020-12 validator on the raw schema
 * (the oracle). Each fixture also type-checks (tsc strict, mypy --strict, ruff).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Generated, type Verdicts, generateBoth, judge, typeCheck } from './differential.js';
import { ROOT } from './helpers.js';

interface Fixture {
  /** Folder under test/fixtures. */
  dir: string;
  what: string;
  /** The root file, when not protocol.schema.json. */
  rootFile?: string;
  messages: Array<[string, unknown]>;
}

const chain = (extra: object) => ({ type: 'chain', a: 'x', ...extra });

const FIXTURES: Fixture[] = [
  {
    dir: 'edges',
    what: 'edge cases (messages whose verdict does not depend on format, which ajv treats as an annotation)',
    messages: [
      ['every field but the date-time', { op: 'put', root: { name: 'a', children: ['x', 'y'] }, level: 2, grid: [[1, 2], [3.5]], maybe: null, tags: { a: 1, b: 3 }, ratio: 0.5 }],
      ['too many items', { op: 'put', root: { name: 'a', children: ['1', '2', '3', '4'] } }],
      ['an integer outside the enum', { op: 'put', root: { name: 'a' }, level: 4 }],
      ['a boolean in a nested array of numbers', { op: 'put', root: { name: 'a' }, grid: [[true]] }],
      ['an unknown field in a nested object', { op: 'put', root: { name: 'a', extra: 1 } }],
      ['an empty string under minLength 1', { op: 'del', path: '' }],
      ['exclusive minimum', { op: 'put', root: { name: 'a' }, ratio: 0 }],
      ['an integer under a fractional minimum', { op: 'put', root: { name: 'a' }, count: 0 }],
      ['the least integer over a fractional minimum', { op: 'put', root: { name: 'a' }, count: 1 }],
      ['another value for a string const', { op: 'del', path: 'x', mode: 'soft' }],
    ],
  },
  {
    dir: 'hostile',
    what: 'hostile texts in literals',
    messages: [
      ['a quote in a tag and a value', { kind: 'quote"mark', text: 'a"b' }],
      ['a backslash tag', { kind: 'back\\slash', n: -5 }],
      ['two backslashes', { kind: 'back\\\\slash' }],
    ],
  },
  {
    dir: 'mini',
    what: 'a small unrelated protocol',
    messages: [
      ['a join', { kind: 'join', player: 'p', color: 'light-blue', nickname: null }],
      ['an empty player', { kind: 'join', player: '' }],
      ['a color outside the enum', { kind: 'join', player: 'p', color: 'blue' }],
      ['a move with a path', { kind: 'move', to: { x: 1, y: 2 }, path: [{ x: 0, y: 0 }] }],
      ['a fractional coordinate', { kind: 'move', to: { x: 1.5, y: 2 } }],
      ['an integral float coordinate', { kind: 'move', to: { x: 1.0, y: 2 } }],
      ['a chat with tags and anything extra', { kind: 'chat', text: 'hi', tags: { a: 'b' }, extra: [null, { x: 1 }] }],
      ['a number tag', { kind: 'chat', text: 'hi', tags: { a: 1 } }],
      ['null for an optional non-null field', { kind: 'chat', text: 'hi', tags: null }],
      ['an unknown kind', { kind: 'leave' }],
      ['no kind', { player: 'p' }],
    ],
  },
  {
    dir: 'inline',
    what: 'inline objects and enums named from their path or title, $defs keys that are not PascalCase (issue 9 rows 4 and 5)',
    messages: [
      ['every inline type filled', { type: 'presence', users: [{ id: 'a', status: 'away', cursor: { x: 1, y: 2 } }], shape: { kind: 'circle', r: 1 }, layout: { columns: 2 }, by_region: { eu: { count: 1 } } }],
      ['a null cursor (type ["object", "null"])', { type: 'presence', users: [{ id: 'a', cursor: null }] }],
      ['a cursor without y', { type: 'presence', users: [{ id: 'a', cursor: { x: 1 } }] }],
      ['a status outside the inline enum', { type: 'presence', users: [{ id: 'a', status: 'busy' }] }],
      ['an empty id inside an array item', { type: 'presence', users: [{ id: '' }] }],
      ['an unknown field in an inline object', { type: 'presence', users: [{ id: 'a', extra: 1 }] }],
      ['a square', { type: 'presence', shape: { kind: 'square', side: 2 } }],
      ['a circle with a negative radius', { type: 'presence', shape: { kind: 'circle', r: -1 } }],
      ['a circle with a side', { type: 'presence', shape: { kind: 'circle', side: 1 } }],
      ['zero columns in the titled inline object', { type: 'presence', layout: { columns: 0 } }],
      ['a region value without count', { type: 'presence', by_region: { eu: {} } }],
      ['a null conclusion (an enum that lists null)', { type: 'check_run', conclusion: null }],
      ['a conclusion from the enum', { type: 'check_run', conclusion: 'success' }],
      ['the string "null" for the conclusion', { type: 'check_run', conclusion: 'null' }],
    ],
  },
  {
    dir: 'aliases',
    what: 'aliases of aliases, enums and objects, in any order and across files (issue 8 item 14)',
    messages: [
      ['the chain A -> B -> C', chain({})],
      ['an empty string for A (C has minLength 1)', chain({ a: '' })],
      ['a number for A', chain({ a: 1 })],
      ['an enum through two aliases', chain({ shade: 'dark' })],
      ['a value outside that enum', chain({ shade: 'grey' })],
      ['an object through an alias', chain({ point: { x: 1, label: 'p' } })],
      ['the object with an empty label (an alias chain inside it)', chain({ point: { x: 1, label: '' } })],
      ['an array of object aliases', chain({ points: [{ x: 1 }, { x: 2 }] })],
      ['too many items', chain({ points: [{ x: 1 }, { x: 2 }, { x: 3 }] })],
      ['an alias of an alias in another file', chain({ far: [{ x: 3 }] })],
      ['that one with a fractional x', chain({ far: [{ x: 3.5 }] })],
      ['null for a nullable alias of an alias', chain({ maybe: null })],
      ['an empty string for it', chain({ maybe: '' })],
      ['a record of an alias of an alias across files', chain({ scores: { a: 0, b: 100 } })],
      ['a record value out of range', chain({ scores: { a: 101 } })],
      ['null for an optional alias of an object', chain({ point: null })],
    ],
  },
  {
    dir: 'embedded',
    what: '$ref inside an embedded resource resolves against its $id, and $anchor (issue 8 item 15)',
    messages: [
      ['a label through the embedded $defs', { type: 'put', widget: { label: 'x' } }],
      ['an empty label (embedded Label has minLength 1)', { type: 'put', widget: { label: '' } }],
      ['an integer label (the root has no Label; an integer Count)', { type: 'put', widget: { label: 3 } }],
      ['a size through an $anchor inside the resource', { type: 'put', widget: { label: 'x', size: 2 } }],
      ['a negative size', { type: 'put', widget: { label: 'x', size: -1 } }],
      ['a tone: a $ref from the embedded resource back to the root by URI', { type: 'put', widget: { label: 'x', tone: 4 } }],
      ['a string tone', { type: 'put', widget: { label: 'x', tone: 'a' } }],
      ['the root Count', { type: 'put', n: 1 }],
      ['a string for the root Count', { type: 'put', n: 'a' }],
      ['the embedded Label by URI from the root', { type: 'put', label: 'y' }],
      ['an empty Label by URI from the root', { type: 'put', label: '' }],
      ['Size by URI and $anchor from the root', { type: 'put', size: 0 }],
      ['a fractional Size that way', { type: 'put', size: 0.5 }],
      ['a resource named by its URI alone (its root is a $defs entry)', { type: 'put', gadget: { on: true } }],
      ['an unknown field in it', { type: 'put', gadget: { off: true } }],
      ['a string for its embedded boolean', { type: 'put', gadget: { on: 'yes' } }],
    ],
  },
  {
    dir: 'allof',
    what: 'allOf beside additionalProperties false or unevaluatedProperties false (issue 8 item 16)',
    messages: [
      ['additionalProperties false: its own properties', { type: 'strict', extra: 'x' }],
      ['additionalProperties false: a property only the base has', { type: 'strict', id: 1 }],
      ['additionalProperties false: another base property', { type: 'strict', note: 'n' }],
      ['additionalProperties false: an unknown property', { type: 'strict', bogus: 1 }],
      ['unevaluatedProperties false: base and own properties', { type: 'narrow', id: 1, note: 'abc', extra: 'x' }],
      ['unevaluatedProperties false: a base constraint', { type: 'narrow', note: 'abcd' }],
      ['unevaluatedProperties false: an unknown property', { type: 'narrow', bogus: 1 }],
      ['both: a base property listed as true', { type: 'both', id: 1 }],
      ['both: the base type still applies', { type: 'both', id: 'x' }],
      ['both: a base property not listed', { type: 'both', note: 'n' }],
      ['a property true that the base lacks: any value', { type: 'anything', payload: [1, { a: null }] }],
      ['that property null', { type: 'anything', payload: null }],
      ['an unknown property beside it', { type: 'anything', other: 1 }],
    ],
  },
  {
    dir: 'unions',
    what: 'oneOf and anyOf inside messages: tagged unions at any depth, exactly-one oneOf, anyOf (issue 9 row 1)',
    messages: [
      ['an array of tagged shapes', { type: 'draw', shapes: [{ kind: 'circle', r: 1.5 }, { kind: 'square', side: 2 }, { kind: 'path', points: [[0, 0], [1, 2.5]] }] }],
      ['an unknown kind in the array', { type: 'draw', shapes: [{ kind: 'hexagon', r: 1 }] }],
      ['no kind', { type: 'draw', shapes: [{ r: 1 }] }],
      ['a kind of another type', { type: 'draw', shapes: [{ kind: 1, r: 1 }] }],
      ['a circle with a square\'s field', { type: 'draw', shapes: [{ kind: 'circle', side: 1 }] }],
      ['a circle with r 0 (exclusive minimum)', { type: 'draw', shapes: [{ kind: 'circle', r: 0 }] }],
      ['a path through an alias, with a bad point', { type: 'draw', shapes: [{ kind: 'path', points: [[0]] }] }],
      ['a shape that is not an object', { type: 'draw', shapes: ['circle'] }],
      ['one shape, null for a nullable shape', { type: 'draw', shapes: [], main: { kind: 'square', side: 1 }, maybe: null }],
      ['null for a non-nullable optional shape', { type: 'draw', shapes: [], main: null }],
      ['a record of arrays of shapes', { type: 'draw', shapes: [], layers: { bg: [{ kind: 'square', side: 3 }], fg: [] } }],
      ['a bad shape deep in the record', { type: 'draw', shapes: [], layers: { bg: [{ kind: 'square', side: 0 }] } }],
      ['a tag named class (a Python keyword)', { type: 'post', event: { class: 'join', who: 'ann' } }],
      ['the other tag, without an optional field', { type: 'post', event: { class: 'leave' } }],
      ['join without who', { type: 'post', event: { class: 'join' } }],
      ['an unknown class', { type: 'post', event: { class: 'kick' } }],
      ['oneOf: an integer in both branches (0..10)', { type: 'post', amount: 5 }],
      ['oneOf: an integral float in both branches', { type: 'post', amount: 5.0 }],
      ['oneOf: a fraction under 10 (number only)', { type: 'post', amount: 5.5 }],
      ['oneOf: an integer over 10 (integer only)', { type: 'post', amount: 20 }],
      ['oneOf: a negative fraction (number only)', { type: 'post', amount: -3.5 }],
      ['oneOf: a fraction over 10 (neither)', { type: 'post', amount: 10.5 }],
      ['oneOf: a string (neither)', { type: 'post', amount: '5' }],
      ['oneOf of objects: only a name', { type: 'post', who: { name: 'a' } }],
      ['oneOf of objects: only a label', { type: 'post', who: { label: 'a', note: 'n' } }],
      ['oneOf of objects: only a note (both match)', { type: 'post', who: { note: 'n' } }],
      ['oneOf of objects: empty (both match)', { type: 'post', who: {} }],
      ['oneOf of objects: name and label (neither)', { type: 'post', who: { name: 'a', label: 'b' } }],
      ['anyOf: short', { type: 'post', tag: 'ab' }],
      ['anyOf: long with x', { type: 'post', tag: 'xxxxx' }],
      ['anyOf: short with x (both)', { type: 'post', tag: 'xy' }],
      ['anyOf: long without x (neither)', { type: 'post', tag: 'abcd' }],
      ['exclusive oneOf: a string', { type: 'choose', value: 's' }],
      ['exclusive oneOf: an integer', { type: 'choose', value: 3 }],
      ['exclusive oneOf: null', { type: 'choose', value: null }],
      ['exclusive oneOf: booleans', { type: 'choose', value: [true, false] }],
      ['exclusive oneOf: a fraction (neither)', { type: 'choose', value: 1.5 }],
      ['exclusive oneOf: an array of numbers (neither)', { type: 'choose', value: [1] }],
      ['oneOf with true: a string', { type: 'choose', odd: 'x' }],
      ['oneOf with true: null', { type: 'choose', odd: null }],
      ['oneOf with true: a number (both)', { type: 'choose', odd: 1 }],
      ['oneOf of an enum and a string: a short enum value', { type: 'choose', color: 'red' }],
      ['a long enum value (both)', { type: 'choose', color: 'light-blue' }],
      ['a long string', { type: 'choose', color: 'purple' }],
      ['a short string (neither)', { type: 'choose', color: 'blue' }],
      ['anyOf of arrays: integers', { type: 'choose', grid: [1, 2] }],
      ['anyOf of arrays: strings', { type: 'choose', grid: ['a'] }],
      ['anyOf of arrays: empty (both)', { type: 'choose', grid: [] }],
      ['anyOf of arrays: mixed (neither)', { type: 'choose', grid: [1, 'a'] }],
      ['anyOf with {}: anything', { type: 'choose', any: { a: [1] } }],
    ],
  },
  {
    dir: 'recursion',
    what: 'recursive types: a tree, a comment thread, layer groups through a tagged union, two objects that contain each other (issue 9 row 2)',
    messages: [
      ['a tree three levels deep', { type: 'tree', root: { name: 'a', children: [{ name: 'b', children: [{ name: 'c' }] }, { name: 'd' }] } }],
      ['an empty name two levels down', { type: 'tree', root: { name: 'a', children: [{ name: 'b', children: [{ name: '' }] }] } }],
      ['too many children deep down', { type: 'tree', root: { name: 'a', children: [{ name: 'b', children: [{ name: '1' }, { name: '2' }, { name: '3' }, { name: '4' }] }] } }],
      ['an unknown field in a nested node', { type: 'tree', root: { name: 'a', children: [{ name: 'b', extra: 1 }] } }],
      ['a thread with replies and a quote', { type: 'thread', comments: [{ id: 1, text: 'hi', replies: [{ id: 2, text: 're', replies: [], quote: { id: 1, text: 'hi' } }], quote: null }] }],
      ['a reply with id 0', { type: 'thread', comments: [{ id: 1, text: 'hi', replies: [{ id: 2, text: 're', replies: [{ id: 0, text: 'x' }] }] }] }],
      ['a quote without text', { type: 'thread', comments: [{ id: 1, text: 'hi', quote: { id: 2 } }] }],
      ['groups of groups through a tagged union', { type: 'layers', root: { kind: 'group', items: [{ kind: 'rect', w: 1 }, { kind: 'group', items: [{ kind: 'rect', w: 2.5 }], byName: { x: { kind: 'group', items: [] } } }] } }],
      ['a string width deep in a group', { type: 'layers', root: { kind: 'group', items: [{ kind: 'group', items: [{ kind: 'rect', w: 'x' }] }] } }],
      ['an unknown kind in a record of items', { type: 'layers', root: { kind: 'group', items: [], byName: { x: { kind: 'circle' } } } }],
      ['ping, pong, ping', { type: 'pair', first: { n: 1, pong: { s: 'a', ping: { n: 2, pong: { s: 'b' } } } } }],
      ['a fractional n three levels down', { type: 'pair', first: { n: 1, pong: { s: 'a', ping: { n: 2.5 } } } }],
      ['pong without s', { type: 'pair', first: { n: 1, pong: { ping: { n: 2 } } } }],
    ],
  },
  {
    dir: 'objects',
    what: 'objects as JSON Schema defines them: open, additionalProperties with a schema, patternProperties, propertyNames, min/maxProperties, dependentRequired (issue 9 row 3)',
    messages: [
      ['an open object with other keys of any value', { type: 'put', settings: { theme: 'dark', zoom: 2, extra: [null, { a: 1 }] } }],
      ['a declared key still typed in an open object', { type: 'put', settings: { theme: '' } }],
      ['an empty open object', { type: 'put', settings: {} }],
      ['other keys with values of the additionalProperties schema', { type: 'put', labels: { id: 1, a: 'x', b: 'abc' } }],
      ['another key with a value too long', { type: 'put', labels: { id: 1, a: 'abcd' } }],
      ['another key with a number', { type: 'put', labels: { id: 1, a: 1 } }],
      ['a declared key is not held to additionalProperties', { type: 'put', labels: { id: 12345 } }],
      ['pattern keys', { type: 'put', headers: { 'content-type': 'a', 'x-a': 'b', 'retry-count': 3 } }],
      ['a declared key that also matches a pattern must satisfy both', { type: 'put', headers: { 'x-trace': 'tx' } }],
      ['a declared key failing its own schema', { type: 'put', headers: { 'x-trace': 'a' } }],
      ['a key matching a pattern with a wrong value', { type: 'put', headers: { 'x-a': 1 } }],
      ['a key matching two patterns', { type: 'put', headers: { 'x-count': 'a' } }],
      ['a key matching no pattern (closed)', { type: 'put', headers: { other: 'a' } }],
      ['a negative count', { type: 'put', headers: { 'a-count': -1 } }],
      ['property names within the rule', { type: 'put', counters: { a: 1, abcde: 2 } }],
      ['a property name too long', { type: 'put', counters: { abcdef: 1 } }],
      ['a property name with a digit', { type: 'put', counters: { a1: 1 } }],
      ['too many properties', { type: 'put', counters: { a: 1, b: 2, c: 3, d: 4 } }],
      ['a counter that is a string', { type: 'put', counters: { a: 'x' } }],
      ['card with billing and cvc', { type: 'put', payment: { card: 'c', billing: 'b', cvc: '1' } }],
      ['card without cvc', { type: 'put', payment: { card: 'c', billing: 'b' } }],
      ['billing alone (no dependency)', { type: 'put', payment: { billing: 'b' } }],
      ['an empty payment (minProperties 1)', { type: 'put', payment: {} }],
      ['an open message type with extra keys', { type: 'note', text: 't', mood: 'ok', n: [1] }],
      ['an open message type without text', { type: 'note', mood: 'ok' }],
    ],
  },
  {
    dir: 'checked',
    what: 'checked subschemas: keywords without type, allOf/not/if, tuples, contains, uniqueItems, enum/const of any JSON, anchors and pointers, dependentSchemas, unevaluated* (issue 9)',
    messages: [
      ['no type: a number at the minimum, a long string, an object with id, anything else', { type: 'keywords', loose: 3 }],
      ['no type: a string of two', { type: 'keywords', loose: 'ab' }],
      ['no type: an object with id', { type: 'keywords', loose: { id: null } }],
      ['no type: null and arrays pass', { type: 'keywords', loose: null }],
      ['no type: a number under the minimum', { type: 'keywords', loose: 2 }],
      ['no type: a string of one', { type: 'keywords', loose: 'a' }],
      ['no type: an object without id', { type: 'keywords', loose: {} }],
      ['allOf and not: 4', { type: 'keywords', both: 4 }],
      ['allOf and not: 5 is excluded', { type: 'keywords', both: 5 }],
      ['allOf: 0 is under the minimum', { type: 'keywords', both: 0 }],
      ['allOf: a fraction is no integer', { type: 'keywords', both: 2.5 }],
      ['if/then: a short string', { type: 'keywords', cond: 'abc' }],
      ['if/then: a long string', { type: 'keywords', cond: 'abcd' }],
      ['if/else: an integer', { type: 'keywords', cond: 7 }],
      ['if/else: a boolean', { type: 'keywords', cond: true }],
      ['dependentSchemas: card with billing', { type: 'keywords', deps: { card: 1, billing: 2 } }],
      ['dependentSchemas: card without billing', { type: 'keywords', deps: { card: 1 } }],
      ['unevaluatedProperties: a and b (b from allOf)', { type: 'keywords', sealed: { a: 1, b: 'x' } }],
      ['unevaluatedProperties: another key', { type: 'keywords', sealed: { a: 1, c: 2 } }],
      ['prefixItems: a pair', { type: 'arrays', pair: ['a', 1] }],
      ['prefixItems with items false: a third item', { type: 'arrays', pair: ['a', 1, 2] }],
      ['prefixItems: a short pair', { type: 'arrays', pair: ['a'] }],
      ['prefixItems: wrong types', { type: 'arrays', pair: [1, 'a'] }],
      ['contains: two x', { type: 'arrays', bag: ['x', 'y', 'x'] }],
      ['minContains: one x', { type: 'arrays', bag: ['x', 'y'] }],
      ['maxContains: four x', { type: 'arrays', bag: ['x', 'x', 'x', 'x'] }],
      ['uniqueItems: 1 and true differ', { type: 'arrays', set: [1, true, '1', [1], { a: 1 }] }],
      ['uniqueItems: equal objects whatever the key order', { type: 'arrays', set: [{ a: 1, b: 2 }, { b: 2, a: 1 }] }],
      ['uniqueItems: equal arrays', { type: 'arrays', set: [[1, [2]], [1, [2]]] }],
      ['unevaluatedItems: strings after the prefix', { type: 'arrays', rest: [1, 'a', 'b'] }],
      ['unevaluatedItems: a number after the prefix', { type: 'arrays', rest: [1, 2] }],
      ['enum: an object', { type: 'values', pick: { a: 1 } }],
      ['enum: an array, null, a fraction', { type: 'values', pick: [1, 2] }],
      ['enum: null', { type: 'values', pick: null }],
      ['enum: a fraction', { type: 'values', pick: 1.5 }],
      ['enum: an object with another value', { type: 'values', pick: { a: 2 } }],
      ['enum: the array reversed', { type: 'values', pick: [2, 1] }],
      ['enum: true is not 1', { type: 'values', pick: [true, 2] }],
      ['const: the object', { type: 'values', fixed: { k: [1, true] } }],
      ['const: 1 instead of true', { type: 'values', fixed: { k: [1, 1] } }],
      ['const: an extra key', { type: 'values', fixed: { k: [1, true], x: 0 } }],
      ['$anchor and pointer refs', { type: 'refs', count: 1, byAnchor: 2, byPointer: 9 }],
      ['$anchor: a negative count', { type: 'refs', byAnchor: -1 }],
      ['pointer ref with a sibling maximum', { type: 'refs', byPointer: 10 }],
      ['pointer ref: the target\'s minimum', { type: 'refs', byPointer: -1 }],
      ['a recursive pointer ref', { type: 'refs', tree: [1, [2, [3]], []] }],
      ['a recursive pointer ref with a string inside', { type: 'refs', tree: [1, ['x']] }],
    ],
  },
  {
    dir: 'root-object',
    what: 'a root that is one object (issue 9 row 11)',
    rootFile: 'point.schema.json',
    messages: [
      ['the required fields', { name: 'a', origin: { x: 1, y: 2 } }],
      ['every field', { name: 'a', origin: { x: 1, y: 2 }, points: [{ x: 0, y: 0 }], style: { color: 'red' }, extra: { any: [1, 'x', null] } }],
      ['a missing required field', { name: 'a' }],
      ['an empty name', { name: '', origin: { x: 1, y: 2 } }],
      ['an unknown field', { name: 'a', origin: { x: 1, y: 2 }, other: 1 }],
      ['a string in a nested integer', { name: 'a', origin: { x: '1', y: 2 } }],
      ['too many points', { name: 'a', origin: { x: 1, y: 2 }, points: [{ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 0, y: 0 }, { x: 0, y: 0 }] }],
      ['a colour outside the inline enum', { name: 'a', origin: { x: 1, y: 2 }, style: { color: 'green' } }],
      ['an array, not an object', [1, 2]],
      ['a string, not an object', 'x'],
    ],
  },
  {
    dir: 'root-untagged',
    what: 'a root that is an untagged oneOf, named from its file (issue 9 row 11): exactly one branch',
    rootFile: 'shape.schema.json',
    messages: [
      ['a circle', { r: 1 }],
      ['a square', { side: 2 }],
      ['a label', { text: 'x', size: 3 }],
      ['a circle with text, also a label: two branches', { r: 1, text: 'x' }],
      ['a negative radius', { r: -1 }],
      ['no branch', { side: 'x' }],
      ['an empty object', {}],
      ['null', null],
      ['an array', [{ r: 1 }]],
      ['a number', 3],
    ],
  },
];

/** JSON text with every non-ASCII character escaped (U+2028 would end a line for Python's splitlines). */
function asciiJson(v: unknown): string {
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

describe.each(FIXTURES)('test/fixtures/$dir: $what', (f) => {
  const schema = join(ROOT, 'test/fixtures', f.dir);
  let g: Generated;
  let v: Verdicts;
  beforeAll(async () => {
    g = await generateBoth(schema);
    v = await judge(g, schema, f.rootFile ?? 'protocol.schema.json', f.messages.map(([, m]) => asciiJson(m)));
  }, 120_000);

  it('type-checks under tsc strict, mypy --strict and ruff', () => typeCheck(g), 240_000);

  it('gives the oracle\'s verdict on every message, on both targets', () => {
    const got = f.messages.map(([name], i) => `${name}: ts ${v.ts[i]}, python ${v.py[i]}`);
    const want = f.messages.map(([name], i) => `${name}: ts ${v.oracle[i]}, python ${v.oracle[i]}`);
    expect(got).toEqual(want);
    expect(v.oracle.some((x) => x) && v.oracle.some((x) => !x)).toBe(true);
  });
});
