// What every connection has besides edges and pageInfo.
import { builder } from '../builder.js';
import { costs } from '../limits.js';

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'All items matching the arguments, not only this page (one COUNT query when selected).',
    ...costs({ cost: 10 }),
    resolve: (connection) => connection.totalCount(),
  }),
);
