// A POST whose content type no GraphQL parser accepts (application/xml, image/png, …). Yoga answers
// such a request 415 with an empty body; this gives it the JSON error body with a code that every
// other refusal has, so a client can tell it from a proxy's page. Yoga's own choice of parser decides,
// so the accepted types are not listed twice; CORS headers are added by Yoga as for any response.
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../metrics.ts';

const CODE = 'UNSUPPORTED_MEDIA_TYPE';

export function answerUnsupportedMediaType(metrics: Metrics): Plugin {
  return {
    onRequestParse({ requestParser, endResponse, fetchAPI }) {
      if (requestParser) return;
      metrics.errors.inc({ code: CODE });
      const body = { errors: [{ message: 'Send GraphQL requests as application/json.', extensions: { code: CODE } }] };
      endResponse(new fetchAPI.Response(JSON.stringify(body), { status: 415, headers: { 'content-type': 'application/json' } }));
    },
  };
}
