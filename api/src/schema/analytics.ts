// Analytics for the console (admins only): per bot and/or site, by UTC day, over a range.
import type { Analytics } from '../admin/analytics.ts';
import { builder, idOrNull, requireAdminViewer } from './builder.ts';

const counters = (t: any) => ({
  conversations: t.exposeInt('conversations'),
  userMessages: t.exposeInt('userMessages', { description: "Users' messages." }),
  replies: t.exposeInt('replies', { description: 'Replies that ended (completed, failed or cancelled).' }),
  failedReplies: t.exposeInt('failedReplies'),
  activeUsers: t.exposeInt('activeUsers'),
  promptTokens: t.exposeInt('promptTokens'),
  completionTokens: t.exposeInt('completionTokens'),
});

const AnalyticsDay = builder.objectRef<Analytics['days'][number]>('AnalyticsDay').implement({
  fields: (t) => ({ day: t.exposeString('day', { description: 'YYYY-MM-DD (UTC).' }), ...counters(t) }),
});
const AnalyticsTotals = builder.objectRef<Analytics['totals']>('AnalyticsTotals').implement({
  description: 'The range in sum; activeUsers counts distinct users over the whole range.',
  fields: (t) => counters(t),
});
const FailureCount = builder.objectRef<Analytics['failuresByCode'][number]>('FailureCount').implement({
  fields: (t) => ({ code: t.exposeString('code'), count: t.exposeInt('count') }),
});
const Percentiles = builder.objectRef<Analytics['latencyMs']>('Percentiles').implement({
  description: 'Milliseconds, as the upper bound of the histogram bucket the percentile falls in; null without data.',
  fields: (t) => ({ p50: t.exposeInt('p50', { nullable: true }), p95: t.exposeInt('p95', { nullable: true }) }),
});
const TopicCount = builder.objectRef<Analytics['topics'][number]>('TopicCount').implement({
  fields: (t) => ({ term: t.exposeString('term'), count: t.exposeInt('count', { description: 'Messages using the term.' }) }),
});

const AnalyticsRef = builder.objectRef<Analytics>('Analytics').implement({
  fields: (t) => ({
    days: t.field({ type: [AnalyticsDay], resolve: (a) => a.days }),
    totals: t.field({ type: AnalyticsTotals, resolve: (a) => a.totals }),
    failuresByCode: t.field({ type: [FailureCount], resolve: (a) => a.failuresByCode }),
    firstTokenMs: t.field({ type: Percentiles, resolve: (a) => a.firstTokenMs }),
    latencyMs: t.field({ type: Percentiles, resolve: (a) => a.latencyMs }),
    topics: t.field({ type: [TopicCount], description: "Frequent terms of users' messages (from the range's latest 1000).", resolve: (a) => a.topics }),
  }),
});

builder.queryField('analytics', (t) =>
  t.field({
    type: AnalyticsRef,
    description: 'Usage by day over [from, to] (UTC days, at most 366), for one bot and/or site or all (admins only). Rolled up every few minutes.',
    args: {
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      botId: t.arg.id(),
      siteId: t.arg.id({ description: 'A site; omit for all sites and accounts.' }),
    },
    resolve: (_root, args, ctx) => {
      requireAdminViewer(ctx);
      return ctx.app.analytics.report({
        from: args.from,
        to: args.to,
        botId: args.botId ? (idOrNull(args.botId, 'Bot') ?? '-') : null,
        siteId: args.siteId ? (idOrNull(args.siteId, 'Site') ?? '-') : null,
      });
    },
  }),
);
