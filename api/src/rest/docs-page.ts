// /docs: the API reference as one server-rendered HTML page, generated from the OpenAPI document.
// No script and nothing fetched: it works offline and behind any firewall, weighs a few KB instead
// of the megabyte of JavaScript that Swagger UI or Redoc bundle, and cannot drift from /openapi.json.
type Schema = Record<string, any>;

const esc = (value: unknown) =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The little Markdown the document's descriptions use: `code`, **bold**, paragraphs. */
const inline = (text: string) => esc(text).replace(/`([^`]+)`/g, '<code>$1</code>').replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
const prose = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p>${inline(p)}</p>`)
    .join('');

const refName = (ref: string) => ref.split('/').pop()!;
const anchor = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function typeOf(schema: Schema): string {
  if (schema.$ref) return `<a href="#schema-${anchor(refName(schema.$ref))}">${esc(refName(schema.$ref))}</a>`;
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' | ');
  if (schema.const !== undefined) return `<code>${esc(JSON.stringify(schema.const))}</code>`;
  if (schema.enum) return schema.enum.map((v: unknown) => `<code>${esc(JSON.stringify(v))}</code>`).join(' | ');
  if (schema.type === 'array') return `array of ${schema.items ? typeOf(schema.items) : 'any'}`;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'any'];
  return types.map((t: string) => esc(t === 'object' && !schema.properties ? 'object' : t)).join(' | ');
}

function rulesOf(schema: Schema): string[] {
  const s = schema.anyOf?.find((alt: Schema) => alt.type !== 'null') ?? schema;
  const rules: string[] = [];
  if (s.format) rules.push(s.format);
  if (s.minLength !== undefined) rules.push(`min length ${s.minLength}`);
  if (s.maxLength !== undefined) rules.push(`max length ${s.maxLength}`);
  if (s.minimum !== undefined && s.minimum > Number.MIN_SAFE_INTEGER) rules.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) rules.push(`≤ ${s.maximum}`);
  if (s.minItems !== undefined && s.minItems === s.maxItems) rules.push(`exactly ${s.minItems} items`);
  if (schema.default !== undefined) rules.push(`default ${JSON.stringify(schema.default)}`);
  return rules;
}

function fieldsTable(rows: Array<{ name: string; schema: Schema; required: boolean; where?: string }>): string {
  if (!rows.length) return '';
  const body = rows
    .map(({ name, schema, required, where }) => {
      const notes = [...rulesOf(schema).map(esc), ...(schema.description ? [inline(schema.description)] : [])].join('; ');
      return `<tr><td><code>${esc(name)}</code>${where ? ` <small>${esc(where)}</small>` : ''}${required ? '' : ' <small>optional</small>'}</td><td>${typeOf(schema)}</td><td>${notes}</td></tr>`;
    })
    .join('');
  return `<table><thead><tr><th>Name</th><th>Type</th><th>Notes</th></tr></thead><tbody>${body}</tbody></table>`;
}

const propertiesOf = (schema: Schema) =>
  Object.entries<Schema>(schema.properties ?? {}).map(([name, field]) => ({ name, schema: field, required: (schema.required ?? []).includes(name) }));

function operationSection(path: string, method: string, op: Schema, schemas: Record<string, Schema>): string {
  const id = anchor(op.operationId);
  const params = (op.parameters ?? []).map((p: Schema) => ({ name: p.name, schema: { ...p.schema, description: p.description }, required: p.required, where: p.in }));
  const body = Object.entries<Schema>(op.requestBody?.content ?? {})
    // The fields are listed right here: what a caller sends matters more than the schema's name.
    .map(([type, { schema }]) => {
      const resolved = schema.$ref ? schemas[refName(schema.$ref)] : schema;
      return `<h4>Body <small>${esc(type)}</small>: ${typeOf(schema)}</h4>${resolved.description ? prose(resolved.description) : ''}${fieldsTable(propertiesOf(resolved))}`;
    })
    .join('');
  const responses = Object.entries<Schema>(op.responses)
    .map(([status, response]) => {
      const content = Object.entries<Schema>(response.content ?? {})
        .map(([type, { schema }]) => `<br><small>${esc(type)}</small> ${type === 'text/event-stream' ? esc(schema.description) : typeOf(schema)}`)
        .join('');
      return `<li><strong>${esc(status)}</strong> ${inline(response.description)}${content}</li>`;
    })
    .join('');
  return `<section id="${id}" class="op">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code> — ${esc(op.summary)}</h3>
${op.description ? prose(op.description) : ''}
<p>${op.security?.length ? 'Needs <code>Authorization: Bearer &lt;access_token&gt;</code>.' : 'No sign-in needed.'}</p>
${params.length ? `<h4>Parameters</h4>${fieldsTable(params)}` : ''}${body}
<h4>Responses</h4><ul>${responses}</ul></section>`;
}

export function docsPage(document: Schema): string {
  const operations: Array<{ path: string; method: string; op: Schema }> = [];
  for (const [path, item] of Object.entries<Schema>(document.paths)) {
    for (const [method, op] of Object.entries<Schema>(item)) operations.push({ path, method, op });
  }
  const tags: Array<{ name: string; description: string }> = document.tags;
  const nav = tags
    .map((tag) => {
      const links = operations
        .filter(({ op }) => op.tags.includes(tag.name))
        .map(({ path, method, op }) => `<li><a href="#${anchor(op.operationId)}"><span class="method ${method}">${method.toUpperCase()}</span> ${esc(path)}</a></li>`)
        .join('');
      return `<h2>${esc(tag.name)}</h2><ul>${links}</ul>`;
    })
    .join('');
  const sections = tags
    .map((tag) => {
      const ops = operations
        .filter(({ op }) => op.tags.includes(tag.name))
        .map(({ path, method, op }) => operationSection(path, method, op, document.components.schemas));
      return `<h2 id="tag-${anchor(tag.name)}">${esc(tag.name)}</h2><p>${esc(tag.description)}</p>${ops.join('')}`;
    })
    .join('');
  const schemas = Object.entries<Schema>(document.components.schemas)
    .map(([name, schema]) => `<section id="schema-${anchor(name)}" class="op"><h3>${esc(name)}</h3>${schema.description ? prose(schema.description) : ''}${fieldsTable(propertiesOf(schema))}</section>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(document.info.title)}</title>
<style>
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #fff; --muted: #59636e; --line: #d1d9e0; --code: #f6f8fa; font: 15px/1.5 system-ui, sans-serif; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --code: #151b23; } }
body { margin: 0; color: var(--fg); background: var(--bg); display: grid; grid-template-columns: 21rem 1fr; }
nav { position: sticky; top: 0; height: 100vh; overflow: auto; padding: 1rem; border-right: 1px solid var(--line); box-sizing: border-box; }
nav ul { list-style: none; padding: 0; margin: 0 0 1rem; } nav li { margin: .2rem 0; } nav h2 { font-size: 1rem; margin: 1rem 0 .3rem; }
main { padding: 1rem 2rem 4rem; max-width: 60rem; }
a { color: inherit; } code { background: var(--code); padding: 0 .25em; border-radius: 4px; font-size: .92em; }
.op { border-top: 1px solid var(--line); padding: .5rem 0; } h3 { font-size: 1.05rem; } h4 { margin: .8rem 0 .3rem; font-size: .95rem; }
.method { display: inline-block; min-width: 4.4em; font: 600 .75rem/1.6 ui-monospace, monospace; text-align: center; border-radius: 4px; color: #fff; background: #59636e; }
.get { background: #0969da; } .post { background: #1a7f37; } .put { background: #9a6700; } .delete { background: #cf222e; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; } th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: .3rem .5rem .3rem 0; }
small { color: var(--muted); }
@media (max-width: 50rem) { body { display: block; } nav { position: static; height: auto; border: 0; } }
</style></head>
<body><nav aria-label="Operations"><strong>${esc(document.info.title)}</strong>${nav}<h2><a href="#schemas">Schemas</a></h2><p><a href="/openapi.json">openapi.json</a></p></nav>
<main><h1>${esc(document.info.title)}</h1>${prose(document.info.description)}${sections}<h2 id="schemas">Schemas</h2>${schemas}</main></body></html>
`;
}
