// The schema is the sum of its domain files.
import './auth.ts';
import './bots.ts';
import './sessions.ts';
import './messages.ts';
import './feedback.ts';
import './models.ts';
import './memories.ts';
import './nodes.ts';
import './sites.ts';
import './viewer-events.ts';
import './search.ts';
import './exports.ts';
import './shares.ts';
import './account.ts';
import './admin.ts';
import './analytics.ts';
import { builder } from './builder.ts';

export const schema = builder.toSchema({ sortSchema: true });
