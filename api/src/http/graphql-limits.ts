// What a document may ask for: depth, aliases, tokens, directives and cost (graphql-armor), and
// whether it may look at the schema (introspection). Refusals carry a stable code.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.ts';

const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

// graphql-armor reports every limit as "Syntax Error: <what> limit of <n> exceeded…" without a code
// (the token limit fires inside the parser, where Yoga labels it GRAPHQL_PARSE_FAILED).
const ARMOR_REJECTION = /^Syntax Error: [\w ]+ limit of \d+ exceeded/;

export function graphqlLimits(config: Config): Plugin[] {
  const { maxDepth, maxAliases, maxTokens, maxCost } = config.graphqlLimits;
  return [
    EnvelopArmorPlugin({
      maxDepth: { n: maxDepth },
      maxAliases: { n: maxAliases },
      maxTokens: { n: maxTokens },
      maxDirectives: { n: 20 },
      costLimit: { maxCost },
      // Suggestions ("Did you mean …?") would reveal the schema that introspection hides.
      blockFieldSuggestion: { enabled: !config.http.introspection },
    }),
    ...(config.http.introspection ? [] : [withoutIntrospection()]),
    codeArmorRejections(),
  ];
}

function withoutIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

function codeArmorRejections(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result || !result.errors?.some(isArmorRejection)) return;
      setResult({
        ...result,
        errors: result.errors.map((error) =>
          isArmorRejection(error)
            ? new GraphQLError(error.message.replace(/^Syntax Error: /, 'The operation is too complex: '), {
                extensions: { code: QUERY_TOO_COMPLEX },
              })
            : error,
        ),
      });
    },
  };
}

const isArmorRejection = (error: { message: string }) => ARMOR_REJECTION.test(error.message);
