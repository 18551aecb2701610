import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RateWindow } from '../../http/rate-limit.ts';
import { sha256Hex, verifyPassword } from '../../lib/crypto.ts';
import { html, type SafeHtml } from '../../pages/html.ts';
import { sendPage } from '../../pages/layout.ts';
import { approvableBillingTags } from '../oauth-billing/billing-tags.ts';
import {
  type AuthorizationParams,
  type AuthorizationRequest,
  approve,
  checkAuthorizationRequest,
  connectableBusinesses,
  RedirectableError,
  UnsafeRequest,
} from './authorize.ts';
import { AUTHORIZE_PATH, issuerOf } from './metadata.ts';
import {
  CSRF_COOKIE,
  csrfToken,
  csrfValid,
  newNonce,
  nonceFromCookie,
  signedInUser,
  signIn,
} from './page-session.ts';
import * as q from './queries.ts';
import { SCOPE_CATALOG } from './scopes.ts';

const PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'resource',
] as const;
const TITLE = 'Connect an app';
type Fields = Record<string, unknown>;

/** Only single string values: a repeated parameter (RFC 6749 §3.1) is as good as missing. */
function paramsOf(fields: Fields): AuthorizationParams {
  const params: AuthorizationParams = {};
  for (const name of PARAMS) {
    const value = fields[name];
    if (typeof value === 'string' && value.length <= 4096) params[name] = value;
  }
  return params;
}

function hiddenFields(params: AuthorizationParams, csrf: string): SafeHtml {
  return html`<input type="hidden" name="csrf_token" value="${csrf}">${PARAMS.map((name) =>
    params[name] === undefined ? null : html`<input type="hidden" name="${name}" value="${params[name]}">`,
  )}`;
}

function send(reply: FastifyReply, status: number, body: SafeHtml, request?: AuthorizationRequest) {
  return sendPage(
    reply,
    status,
    TITLE,
    body,
    undefined,
    request ? [new URL(request.redirectUri).origin] : [],
  );
}

function problemPage(reply: FastifyReply, status: number, message: string) {
  return send(
    reply,
    status,
    html`<section><h1>${TITLE}</h1><p role="alert"><strong>${message}</strong></p></section>`,
  );
}

function backToClient(
  reply: FastifyReply,
  issuer: string,
  target: { redirectUri: string; state: string | undefined },
  params: Record<string, string>,
) {
  const url = new URL(target.redirectUri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  if (target.state !== undefined) url.searchParams.set('state', target.state);
  url.searchParams.set('iss', issuer);
  return reply.header('cache-control', 'no-store').redirect(url.toString(), 303);
}

function signInPage(
  reply: FastifyReply,
  request: AuthorizationRequest,
  params: AuthorizationParams,
  csrf: string,
  problem?: string,
) {
  return send(
    reply,
    problem ? 401 : 200,
    html`<section>
<h1>${request.app.name} wants to connect to your business</h1>
<p class="muted">Sign in with your business account to review the request.</p>
${problem ? html`<p role="alert"><strong>${problem}</strong></p>` : null}
<form method="post" action="${AUTHORIZE_PATH}">
${hiddenFields(params, csrf)}
<input type="hidden" name="action" value="sign_in">
<p><label>E-mail<br><input type="email" name="email" autocomplete="username" required maxlength="320"></label></p>
<p><label>Password<br><input type="password" name="password" autocomplete="current-password" required maxlength="1024"></label></p>
<p><button class="button" type="submit">Sign in</button></p>
</form>
</section>`,
    request,
  );
}

async function consentPage(
  reply: FastifyReply,
  request: AuthorizationRequest,
  params: AuthorizationParams,
  csrf: string,
  session: string,
  businesses: Awaited<ReturnType<typeof connectableBusinesses>>,
  problem?: string,
) {
  // Shown as they stand now: approve() snapshots the same tags, prices included.
  const billingTags = await approvableBillingTags(reply.server.deps.db, request.app.id);
  return send(
    reply,
    problem ? 422 : 200,
    html`<section>
<h1>Connect ${request.app.name}</h1>
${request.app.description ? html`<p>${request.app.description}</p>` : null}
${problem ? html`<p role="alert"><strong>${problem}</strong></p>` : null}
<form method="post" action="${AUTHORIZE_PATH}">
${hiddenFields(params, csrf)}
<input type="hidden" name="session" value="${session}">
<h2>It will be able to</h2>
<ul class="items">${request.scopes.map((scope) => html`<li><span class="item-name">${scope}</span><span class="muted">${SCOPE_CATALOG[scope] ?? ''}</span></li>`)}</ul>
${
  billingTags.length
    ? html`<h2>Paid actions (charged to the business's billing balance)</h2>
<ul class="items">${billingTags.map((tag) => html`<li><span class="item-name">${tag.label}</span><span class="muted">${tag.currency} ${String(tag.price)}</span></li>`)}</ul>`
    : null
}
<h2>Businesses to connect</h2>
${businesses.length === 0 ? html`<p>You are not a member of any active business.</p>` : null}
${businesses.map(
  (business, index) =>
    html`<p><label><input type="checkbox" name="business_id" value="${business.id}"${index === 0 ? html` checked` : null}> ${business.account_holder} <span class="muted">(${business.unique_id})</span></label></p>`,
)}
<p><button class="button" type="submit" name="action" value="approve">Approve</button></p>
<p><button class="button secondary" type="submit" name="action" value="deny">Deny</button></p>
</form>
</section>`,
    request,
  );
}

const SIGN_IN_WINDOW_SECONDS = 900;

/** Sign-in attempts have budgets per client IP and per account, like customer login. */
async function throttled(request: FastifyRequest, email: string): Promise<boolean> {
  const { rateLimit, config } = request.server.deps;
  const checks: Array<[string, number]> = [
    [`oauth-sign-in:ip:${request.ip}`, config.rateLimit.customerAuthIpPer15m],
    [
      `oauth-sign-in:account:${sha256Hex(email.toLowerCase()).slice(0, 32)}`,
      config.rateLimit.customerAuthAccountPer15m,
    ],
  ];
  for (const [bucket, limit] of checks) {
    const window: RateWindow = { name: '15m', limit, seconds: SIGN_IN_WINDOW_SECONDS };
    try {
      if (!(await rateLimit.hit(bucket, [window])).allowed) return true;
    } catch (error) {
      request.log.warn({ err: error }, 'rate limit store unavailable; sign-in attempt not counted');
    }
  }
  return false;
}

async function checked(request: FastifyRequest, reply: FastifyReply, params: AuthorizationParams) {
  try {
    return await checkAuthorizationRequest(request.server.deps.db, params);
  } catch (error) {
    if (error instanceof UnsafeRequest) {
      problemPage(reply, 400, `This authorization request is invalid: ${error.message}`);
      return undefined;
    }
    if (error instanceof RedirectableError) {
      backToClient(reply, issuerOf(request.server.deps.config.publicUrl), error.request, {
        error: error.code,
        error_description: error.message,
      });
      return undefined;
    }
    throw error;
  }
}

function cookieFor(request: FastifyRequest, nonce: string): string {
  const secure = request.server.deps.config.publicUrl.startsWith('https:') ? '; Secure' : '';
  return `${CSRF_COOKIE}=${nonce}; Path=${AUTHORIZE_PATH}; HttpOnly; SameSite=Strict; Max-Age=3600${secure}`;
}

async function show(request: FastifyRequest, reply: FastifyReply) {
  const params = paramsOf(request.query as Fields);
  const authorization = await checked(request, reply, params);
  if (!authorization) return reply;
  const nonce = nonceFromCookie(request.headers.cookie) ?? newNonce();
  reply.header('set-cookie', cookieFor(request, nonce));
  return signInPage(reply, authorization, params, csrfToken(request.server.deps.keys.oauthPages, nonce));
}

async function submit(request: FastifyRequest, reply: FastifyReply) {
  const body = (request.body ?? {}) as Fields;
  const key = request.server.deps.keys.oauthPages;
  const nonce = nonceFromCookie(request.headers.cookie);
  if (!csrfValid(key, nonce, body.csrf_token))
    return problemPage(
      reply,
      403,
      'This form has expired or did not come from this site. Start again from the app.',
    );
  const params = paramsOf(body);
  const authorization = await checked(request, reply, params);
  if (!authorization) return reply;
  const csrf = csrfToken(key, nonce as string);
  const { db, config } = request.server.deps;
  const issuer = issuerOf(config.publicUrl);

  if (body.action === 'sign_in') {
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    if (await throttled(request, email)) {
      reply.header('retry-after', SIGN_IN_WINDOW_SECONDS);
      return problemPage(reply, 429, 'Too many sign-in attempts. Try again later.');
    }
    const user = email ? await q.findUserByEmail(db, email) : undefined;
    if (!(await verifyPassword(password, user?.password_hash ?? null)) || !user)
      return signInPage(reply, authorization, params, csrf, 'Wrong e-mail or password.');
    const businesses = await connectableBusinesses(db, user.id);
    return consentPage(reply, authorization, params, csrf, signIn(key, nonce as string, user.id), businesses);
  }

  const userId = signedInUser(key, nonce, body.session);
  if (userId === undefined)
    return signInPage(reply, authorization, params, csrf, 'Your sign-in expired. Sign in again.');
  if (body.action === 'deny')
    return backToClient(reply, issuer, authorization, {
      error: 'access_denied',
      error_description: 'The merchant denied the request',
    });
  if (body.action !== 'approve') return problemPage(reply, 400, 'Choose Approve or Deny.');
  const businesses = await connectableBusinesses(db, userId);
  const allowed = new Set(businesses.map((business) => String(business.id)));
  const picked = ([] as unknown[])
    .concat(body.business_id ?? [])
    .filter((id): id is string => typeof id === 'string');
  if (picked.length === 0 || picked.some((id) => !allowed.has(id))) {
    const session = body.session as string;
    return consentPage(
      reply,
      authorization,
      params,
      csrf,
      session,
      businesses,
      'Choose at least one of your businesses.',
    );
  }
  const code = await approve(db, authorization, userId, picked.map(Number));
  return backToClient(reply, issuer, authorization, { code });
}

/** Form bodies that keep repeated fields (the business checkboxes) as lists. */
function parseForm(body: string): Fields {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = out[name];
    out[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return out;
}

/**
 * The hosted authorize page (`authorization_endpoint`): outside /v3 and the OpenAPI document, rate
 * limited per client IP by the auth hook like every page, plus sign-in budgets of its own.
 */
export function registerAuthorizePage(app: FastifyInstance): void {
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16_384 },
      (_request, body, done) => done(null, parseForm(String(body))),
    );
    const options = { schema: { hide: true } };
    scope.get(AUTHORIZE_PATH, options, show);
    scope.post(AUTHORIZE_PATH, options, submit);
  });
}
