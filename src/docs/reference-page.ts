import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../http/errors.ts';
import type { JsonObject } from './components.ts';
import { referenceDocument } from './document.ts';
import { decompressed, scalarFile, scalarManifest } from './scalar-assets.ts';
import { REFERENCE_PARTS, type ReferencePart } from './split.ts';

/**
 * `/docs`: Scalar's API reference, served by this server alone. Scalar's browser build is shipped in
 * `src/docs/scalar/` (`scalar-assets.ts`); the page, the two documents and the headers are ours
 * (docs/decisions.md, "Stack and versions", says why not Scalar's Fastify plugin). No CDN, no web
 * fonts, no telemetry, no AI assistant: the reference works offline.
 */

/** Scalar's files, under its version: a URL's content never changes, so browsers keep them for good. */
const scalarBase = () => `/docs/scalar/${scalarManifest().version}/`;

const gzip = promisify(gzipCallback);
/** The last answer gzipped per path, shared by every app of the process; compressed off the event loop. */
const gzipped = new Map<string, { source: string; compressed: Promise<Buffer> }>();

/** Large answers go gzipped to readers that accept it. */
async function sendCompressible(request: FastifyRequest, reply: FastifyReply, type: string, body: string) {
  reply.type(type).header('vary', 'Accept-Encoding');
  if (!acceptsEncoding(request, 'gzip')) return reply.send(body);
  const key = request.routeOptions.url ?? request.url;
  let entry = gzipped.get(key);
  if (entry?.source !== body) {
    entry = { source: body, compressed: gzip(body) };
    gzipped.set(key, entry);
  }
  return reply.header('content-encoding', 'gzip').send(await entry.compressed);
}

const ENCODINGS = { gzip: /\bgzip\b/, br: /\bbr\b/ };
function acceptsEncoding(request: FastifyRequest, encoding: keyof typeof ENCODINGS): boolean {
  return ENCODINGS[encoding].test(String(request.headers['accept-encoding'] ?? ''));
}

/** What Scalar is told: the two documents (only the one shown is fetched), nothing from elsewhere. */
const CONFIGURATION = {
  title: 'Nexus',
  sources: REFERENCE_PARTS.map(({ part, title }, index) => ({
    title,
    slug: part,
    url: `/docs/${part}.json`,
    default: index === 0,
  })),
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: 'never',
  documentDownloadType: 'json',
  defaultOpenFirstTag: true,
  operationTitleSource: 'summary',
};

/** JSON inside a script element: `<` escaped, so no value can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c');

function page(nonce: string): string {
  const first = CONFIGURATION.sources[0]!.url;
  const { entry, preload } = scalarManifest();
  const modules = [entry, ...preload]
    .map((file) => `<link rel="modulepreload" href="${scalarBase()}${file}">`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Nexus API reference</title>
<link rel="icon" href="data:,">
<link rel="preload" href="${first}" as="fetch" crossorigin="anonymous">
${modules}
</head>
<body>
<div id="app"></div>
<script type="module" nonce="${nonce}">
import { createApiReference } from '${scalarBase()}${entry}';
createApiReference('#app', ${scriptJson(CONFIGURATION)});
</script>
</body>
</html>
`;
}

/**
 * Scripts: the bundle and the page's nonce'd start-up line only. Scalar adds its styles at run
 * time, hence inline styles. Requests go to this server and, for "Test request", the public URL.
 */
function referenceHeaders(reply: FastifyReply, serverUrl: string, nonce = ''): void {
  const api = new URL(serverUrl).origin;
  const scripts = nonce ? `'self' 'nonce-${nonce}'` : "'self'";
  reply
    .header(
      'content-security-policy',
      `default-src 'none'; script-src ${scripts}; style-src 'self' 'unsafe-inline'; ` +
        `img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ${api}; ` +
        "worker-src 'self' blob:; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    )
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer');
}

export function registerReferencePage(app: FastifyInstance, serverUrl: string, document: () => JsonObject) {
  const options = { schema: { hide: true } };
  app.get('/docs', options, async (_request, reply) => reply.redirect('/docs/', 301));
  app.get('/docs/', options, async (_request, reply) => {
    const nonce = randomBytes(16).toString('base64');
    referenceHeaders(reply, serverUrl, nonce);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page(nonce));
  });
  app.get('/docs/scalar/:version/*', options, async (request, reply) => {
    const { version, '*': file } = request.params as { version: string; '*': string };
    const stored = version === scalarManifest().version ? scalarFile(file) : undefined;
    if (stored === undefined) throw errors.notFound('No such file in the API reference');
    referenceHeaders(reply, serverUrl);
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('vary', 'Accept-Encoding');
    if (acceptsEncoding(request, 'br')) return reply.header('content-encoding', 'br').send(await stored);
    return reply.send(await decompressed(await stored));
  });
  // Each document is cut from the finished one when first asked for, then kept.
  const serialized = new Map<ReferencePart, string>();
  for (const { part } of REFERENCE_PARTS) {
    app.get(`/docs/${part}.json`, options, async (request, reply) => {
      let json = serialized.get(part);
      if (json === undefined) {
        json = JSON.stringify(referenceDocument(document(), part));
        serialized.set(part, json);
      }
      referenceHeaders(reply, serverUrl);
      return sendCompressible(request, reply, 'application/json; charset=utf-8', json);
    });
  }
  app.get('/', options, async (_request, reply) => reply.redirect('/docs/', 302));
}
