// A schema for the escaping tests of `wsgen docs` (test/generator/docs.test.ts, test/e2e/docs.test.ts).

/** A schema whose every text tries to add markup or script to an HTML page. */
export const HOSTILE_HTML = JSON.stringify({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Hostile',
  description: '<img src=x onerror="window.__pwned = \'img\'"> & </style><b id="injected">bold</b> -->',
  'x-wsgen-version': '1.0.0',
  discriminator: { propertyName: 'type' },
  oneOf: [{ $ref: '#/$defs/Say' }],
  $defs: {
    Mood: { title: 'Mood', description: '<script>window.__pwned = "enum"</script>', type: 'string', enum: ['<happy>', '"quoted"'] },
    Say: {
      description: '"><svg onload="window.__pwned = \'svg\'"></svg>',
      type: 'object',
      properties: {
        type: { const: '"><b id="tag">tag</b>' },
        '<i>name</i>': { type: 'string', maxLength: 8, pattern: '^[<>/a-z]+$', description: '</td></tr></table><b id="field">' },
        mood: { $ref: '#/$defs/Mood' },
      },
      required: ['type', '<i>name</i>'],
      additionalProperties: false,
    },
  },
});
