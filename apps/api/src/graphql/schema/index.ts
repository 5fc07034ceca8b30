// The schema: importing each module registers its types and fields on the builder.
import { builder } from '../builder.js';
import './scalars.js';
import './enums.js';
import './inputs.js';
import './connection.js';
import './query.js';
import './organization.js';
import './member.js';
import './group.js';
import './audit-event.js';
import './sync-failure.js';
import './membership-summary.js';
import './sync-failure-stats.js';
import './provisioning-activity.js';
import './queue-health.js';

export const schema = builder.toSchema({ sortSchema: true });
