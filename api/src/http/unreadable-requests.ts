// Requests no GraphQL parser can read answer with the JSON error body and a code that every other
// refusal has, so that a client can tell them from a proxy's page or a server fault. Left to Yoga, a
// PUT or a body of application/xml got 415 with an empty body, and GET parameters that are not JSON
// (`?variables=oops`) got 500 "Unexpected error." logged as an error. Yoga's own choice of parser
// decides what is readable, so the accepted types are not listed twice; Yoga adds CORS headers.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../metrics.ts';

const READABLE_METHODS = ['GET', 'POST'];

export function answerUnreadableRequests(metrics: Metrics): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, endResponse, fetchAPI }) {
      const refuse = (status: number, code: string, message: string, headers: Record<string, string> = {}) => {
        metrics.errors.inc({ code });
        const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
        endResponse(new fetchAPI.Response(body, { status, headers: { 'content-type': 'application/json', ...headers } }));
      };
      if (!READABLE_METHODS.includes(request.method)) {
        return refuse(405, 'METHOD_NOT_ALLOWED', 'Send GraphQL requests with GET or POST.', { allow: READABLE_METHODS.join(', ') });
      }
      if (!requestParser) return refuse(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send GraphQL requests as application/json.');
      // GET's query parameters are parsed as JSON by Yoga, which lets the SyntaxError through as a fault.
      setRequestParser(async (req) => {
        try {
          return await requestParser(req);
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          throw new GraphQLError('The variables or extensions parameter is not valid JSON.', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        }
      });
    },
  };
}
