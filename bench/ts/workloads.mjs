// The message workloads of the parse benchmarks: ~300 B user_message, ~4 KB
// agent_streaming chunk, and a mixed set of at least 16 shapes.
const TS = '2024-05-01T10:00:00.123Z';
const UUID = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';

function user300() {
  const m = {
    type: 'user_message', timestamp: TS, message_id: '0b7e2c4a-5d1f-4c3e-9a8b-7f6e5d4c3b2a', session_id: 'sess-42',
    agent: 'guide_agent', role: 'user', pillar: 'content',
    message: 'Could you summarise the quarterly operations report and list the three biggest risks you see?',
    metadata: { client: 'web', locale: 'en-GB' },
  };
  return JSON.stringify(m);
}

function streaming4k() {
  return JSON.stringify({
    type: 'agent_streaming', timestamp: TS, message_id: '0b7e2c4a-5d1f-4c3e-9a8b-7f6e5d4c3b2a', session_id: 'sess-42', seq: 1042,
    agent: 'content_liaison', role: 'agent', pillar: 'content', is_streaming: true, stream_index: 17,
    message: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(70).slice(0, 3800),
  });
}

function mixed() {
  const base = { timestamp: TS, session_id: 'sess-42' };
  const msgs = [
    { type: 'user_message', message: 'hello there', message_id: 'm-1', agent: 'guide_agent' },
    { type: 'agent_message', message: 'Hi! How can I help?', agent: 'guide_agent', message_id: 'm-1', seq: 1 },
    { type: 'agent_streaming', message: 'chunk of text ', message_id: 'm-2', stream_index: 3, is_streaming: true, seq: 2 },
    { type: 'agent_complete', message_id: 'm-2', stream_index: 4, is_streaming: false, seq: 3 },
    { type: 'system_message', message: 'Maintenance at 18:00 UTC', seq: 4 },
    { type: 'error_message', error_code: 'INVALID_MESSAGE', message: 'bad', message_id: 'm-9', error_details: { errors: [{ path: '/message', keyword: 'minLength', message: 'too short', params: { limit: 1 } }] }, seq: 5 },
    { type: 'warning_message', message: 'token expires soon', seq: 6 },
    { type: 'session_created', realm: 'experience', schema_hash: 'a'.repeat(64), epoch: 'e1', seq: 0 },
    { type: 'session_updated', status: 'resumed', seq: 7 },
    { type: 'session_resume', last_seq: 12, epoch: 'e1' },
    { type: 'file_selected', file_uuid: UUID, file_name: 'q3-report.pdf' },
    { type: 'file_processing', file_uuid: UUID, progress: 0.25, seq: 8 },
    { type: 'file_complete', file_uuid: UUID, file_url: 'https://files.example/q3.pdf', seq: 9 },
    { type: 'question_answer', message: 'Revenue grew 12%', agent: 'insights_liaison', seq: 10 },
    { type: 'visualization_data', data: { kind: 'bar', series: [{ name: 'q1', values: [1, 2, 3, 4] }, { name: 'q2', values: [5, 6, 7, 8] }] }, seq: 11 },
    { type: 'analysis_result', data: { score: 0.92, drivers: ['price', 'churn'], details: { confidence: 'high' } }, seq: 12 },
    { type: 'workflow_generated', data: { steps: [{ id: 1, name: 'collect' }, { id: 2, name: 'review' }] }, seq: 13 },
    { type: 'status_update', status: 'thinking', agent: 'operations_liaison', seq: 14 },
    { type: 'progress_update', progress: 0.75, seq: 15 },
    { type: 'ping', message_id: 'p-1' },
    { type: 'pong', message_id: 'p-1', seq: 16 },
  ];
  return msgs.map((m) => JSON.stringify({ ...m, ...base }));
}

/** Workload name → array of JSON texts. */
export const WORKLOADS = {
  '300B user_message': [user300()],
  '4KB agent_streaming': [streaming4k()],
  'mixed (21 shapes)': mixed(),
};
