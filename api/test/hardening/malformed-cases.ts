// The malformed requests the schema-driven suite sends, derived from the schema alone: every field of
// Query, Mutation and Subscription, and every field with arguments reachable from Query, gets for each
// argument (and each field of an input object, at any depth) the malformed values of its kind, once
// as a variable and once written into the document. A field added later is covered without an edit here.
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';

/** Real objects of the signed-in user, so that every argument but the malformed one is valid. */
export interface Fixtures {
  sessionId: string;
  botId: string;
  messageId: string;
  /** The raw database id inside sessionId: put under other type names, it makes ids of the wrong type. */
  rawSessionId: string;
}

export interface MalformedRequest {
  /** "Mutation.createBot(input.temperature = 1e308, as a variable)", for the failure report. */
  label: string;
  operation: 'query' | 'mutation' | 'subscription';
  query: string;
  variables: Record<string, unknown>;
}

/** A variable left out of the request, rather than sent as null. */
const MISSING = Symbol('missing');
/** An enum value, printed bare in a document. */
class EnumValue {
  constructor(readonly name: string) {}
}

const base64 = (text: string) => Buffer.from(text).toString('base64');
const OVERSIZED = 'x'.repeat(60_000); // under the 100 KB request limit, far over any field's length limit
const deeplyNested = (depth: number) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

function malformedStrings(fixtures: Fixtures, typeNames: string[]): unknown[] {
  return [
    123,
    true,
    { text: 'object' },
    '',
    ' ',
    'garbage',
    '!!!',
    OVERSIZED,
    'lone high \ud800 surrogate',
    'lone low \udc00 surrogate',
    'NUL \u0000 byte',
    '\u202e\ufeff right-to-left override and BOM',
    // Global ids: malformed, empty, of types the schema does not expose, unknown, of the wrong type.
    base64('Bot:'),
    base64(':'),
    base64('RefreshToken:x'),
    base64('ChatSession:00000000-0000-0000-0000-000000000000'),
    ...typeNames.map((name) => base64(`${name}:${fixtures.rawSessionId}`)),
    // Cursors in the shapes Pothos' Prisma plugin writes (GPC:<kind>:<value>), with values that do not parse.
    base64('GPC:S:'),
    base64('GPC:N:not-a-number'),
    base64('GPC:D:not-a-date'),
    base64('GPC:J:{"unterminated'),
    base64('GPC:J:[1,2,3]'),
    base64('OC:-5'),
  ];
}

const MALFORMED_INTS = ['ten', 1.5, -1, 0, 2147483647, 2147483648, -2147483649, 1e308, true];
const MALFORMED_FLOATS = ['warm', -1, -1e308, 1e308, 5e-324, true];
const MALFORMED_BOOLEANS = ['yes', 1, { on: true }];
const MALFORMED_JSON = [
  deeplyNested(500),
  Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i])),
  { text: OVERSIZED },
  'lone \ud800 surrogate',
  { 'NUL \u0000 key': 1 },
  1e308,
];

/** The values of every kind that does not belong in an argument of this type (its named type and list shape). */
function malformedValues(type: GraphQLInputType, fixtures: Fixtures, nodeTypes: string[]): unknown[] {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const items = malformedValues(nullable.ofType, fixtures, nodeTypes);
    return [
      [],
      [null],
      'not a list',
      ...items.map((item) => [item]),
      Array.from({ length: 1000 }, () => '!!!'),
      Array.from({ length: 100 }, (_, i) => base64(`ChatSession:unknown-${i}`)),
    ];
  }
  const named = getNamedType(type);
  if (isInputObjectType(named)) return ['not an object', [], 42, {}, { notAField: 1 }];
  if (isEnumType(named)) return ['NOT_A_VALUE', 1, ''];
  switch (named.name) {
    case 'Int':
      return MALFORMED_INTS;
    case 'Float':
      return MALFORMED_FLOATS;
    case 'Boolean':
      return MALFORMED_BOOLEANS;
    case 'JSON':
      return MALFORMED_JSON;
    default: // String, ID and custom scalars such as DateTime
      return malformedStrings(fixtures, nodeTypes);
  }
}

/** A valid value for an argument that is not the one under test (only required ones are sent). */
function validValue(type: GraphQLInputType, name: string, fieldName: string, fixtures: Fixtures): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [validValue(nullable.ofType, name, fieldName, fixtures)];
  const named = getNamedType(type);
  if (isInputObjectType(named)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(named.getFields())) {
      // Text fields filled in make create-like inputs valid, so the malformed field is what gets checked.
      if (isNonNullType(field.type) || getNamedType(field.type).name === 'String') value[field.name] = validValue(field.type, field.name, fieldName, fixtures);
    }
    return value;
  }
  if (isEnumType(named)) return new EnumValue(named.getValues()[0].name);
  switch (named.name) {
    case 'Int':
      return 1;
    case 'Float':
      return 0.5;
    case 'Boolean':
      return false;
    case 'JSON':
      return {};
    case 'DateTime':
      return new Date().toISOString();
    case 'ID':
      return realIdFor(name === 'id' || name === 'ids' ? fieldName : name, fixtures);
    case 'String':
      return name === 'email' ? `probe-${Math.random().toString(36).slice(2)}@example.com` : 'A valid probe value 42!';
    default:
      throw new Error(`No valid value known for scalar ${named.name}: add one to malformed-cases.ts`);
  }
}

/** Which of the user's objects an id argument most likely wants, by its name or its field's. */
function realIdFor(hint: string, fixtures: Fixtures): string {
  if (/message|reply/i.test(hint)) return fixtures.messageId;
  if (/bot/i.test(hint)) return fixtures.botId;
  return fixtures.sessionId;
}

/** Where a field is reached from the root: the fields (with valid arguments) selected on the way. */
interface Target {
  operation: MalformedRequest['operation'];
  label: string;
  path: Array<{ field: GraphQLField<unknown, unknown> }>;
}

function targets(schema: GraphQLSchema): Target[] {
  const found: Target[] = [];
  const roots: Array<[Target['operation'], GraphQLObjectType | null | undefined]> = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ];
  for (const [operation, root] of roots) {
    for (const field of Object.values(root?.getFields() ?? {})) found.push({ operation, label: `${root!.name}.${field.name}`, path: [{ field }] });
  }
  // Fields with arguments below the root (a connection inside an object), by the shortest way from Query.
  const seen = new Set<string>([schema.getQueryType()!.name]);
  let frontier = Object.values(schema.getQueryType()!.getFields()).map((field) => [{ field }]);
  for (let depth = 0; depth < 4 && frontier.length; depth++) {
    const next: typeof frontier = [];
    for (const path of frontier) {
      const type = getNamedType(path.at(-1)!.field.type);
      if (!isObjectType(type) || seen.has(type.name) || type.name.startsWith('__')) continue;
      seen.add(type.name);
      for (const field of Object.values(type.getFields())) {
        const reached = [...path, { field }];
        if (field.args.length) found.push({ operation: 'query', label: `${type.name}.${field.name}`, path: reached });
        next.push(reached);
      }
    }
    frontier = next;
  }
  return found;
}

/** Every malformed request for every argument of every field the schema has. */
export function malformedRequests(schema: GraphQLSchema, fixtures: Fixtures): MalformedRequest[] {
  const nodeTypes = Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node'))
    .map((type) => type.name);
  return targets(schema).flatMap((target) => {
    const field = target.path.at(-1)!.field;
    return argumentPaths(field.args).flatMap(({ path, type }) => {
      const values = [...(path.length === 1 && isNonNullType(type) ? [MISSING] : []), null, ...malformedValues(type, fixtures, nodeTypes)];
      return values.flatMap((value) =>
        (['variable', 'literal'] as const)
          .filter((form) => !(form === 'literal' && value === MISSING))
          .map((form) => request(target, fixtures, path, value, form)),
      );
    });
  });
}

/** Each argument, and each field of an input object at any depth, with its type. */
function argumentPaths(args: readonly GraphQLArgument[], prefix: string[] = [], seen = new Set<GraphQLNamedType>()): Array<{ path: string[]; type: GraphQLInputType }> {
  return args.flatMap((arg) => {
    const path = [...prefix, arg.name];
    const named = getNamedType(arg.type);
    const own = [{ path, type: arg.type }];
    if (!isInputObjectType(named) || seen.has(named)) return own;
    return [...own, ...argumentPaths(Object.values(named.getFields()) as unknown as GraphQLArgument[], path, new Set([...seen, named]))];
  });
}

function request(target: Target, fixtures: Fixtures, path: string[], value: unknown, form: 'variable' | 'literal'): MalformedRequest {
  const field = target.path.at(-1)!.field;
  const args: Record<string, unknown> = {};
  for (const arg of field.args) {
    if (arg.name === path[0] && path.length === 1) args[arg.name] = value;
    else if (arg.name === path[0] || isNonNullType(arg.type)) args[arg.name] = validValue(arg.type, arg.name, field.name, fixtures);
  }
  if (path.length > 1) setAt(args, path, value);

  const variables: Record<string, unknown> = {};
  const declarations: string[] = [];
  const argumentList = Object.entries(args)
    .filter(([, v]) => v !== MISSING || form === 'variable')
    .map(([name, v]) => {
      if (form === 'literal') return `${name}: ${literal(v)}`;
      declarations.push(`$${name}: ${field.args.find((a) => a.name === name)!.type}`);
      if (v !== MISSING) variables[name] = toJson(v);
      return `${name}: $${name}`;
    });

  let selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  selection = `${field.name}${argumentList.length ? `(${argumentList.join(', ')})` : ''}${selection}`;
  for (const { field: outer } of target.path.slice(0, -1).reverse()) {
    const outerArgs = outer.args.filter((a) => isNonNullType(a.type)).map((a) => `${a.name}: ${literal(validValue(a.type, a.name, outer.name, fixtures))}`);
    selection = `${outer.name}${outerArgs.length ? `(${outerArgs.join(', ')})` : ''} { ${selection} }`;
  }
  const shown = value === MISSING ? 'left out' : summarize(value);
  return {
    label: `${target.label}(${path.join('.')} = ${shown}, as a ${form})`,
    operation: target.operation,
    query: `${target.operation}${declarations.length ? `(${declarations.join(', ')})` : ''} { ${selection} }`,
    variables,
  };
}

function setAt(args: Record<string, unknown>, path: string[], value: unknown) {
  let holder = args as Record<string, unknown>;
  for (const key of path.slice(0, -1)) {
    holder[key] = typeof holder[key] === 'object' && holder[key] !== null && !Array.isArray(holder[key]) ? { ...(holder[key] as object) } : {};
    holder = holder[key] as Record<string, unknown>;
  }
  holder[path.at(-1)!] = value;
}

/** A value written into the document; strings as JSON writes them, which GraphQL's string syntax reads. */
function literal(value: unknown): string {
  if (value instanceof EnumValue) return value.name;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value).map(([key, item]) => `${/^[_A-Za-z]\w*$/.test(key) ? key : 'invalidKey'}: ${literal(item)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

function toJson(value: unknown): unknown {
  if (value instanceof EnumValue) return value.name;
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value;
}

function summarize(value: unknown): string {
  const text = JSON.stringify(toJson(value)) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 40)}… (${text.length} characters)` : text;
}
