import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findActiveStoreByUniqueId } from '../http/auth/queries.ts';
import { ApiError } from '../http/errors.ts';
import { savePassword } from '../modules/customer-auth/service.ts';
import { html } from './html.ts';
import { sendErrorPage, sendPage } from './layout.ts';

/** The same bounds as `saveCustomerPassword` (NewCustomerPassword). */
const MIN_PASSWORD = 8;
const MAX_PASSWORD = 128;
const MAX_TOKEN = 256;
const TITLE = 'Atur ulang kata sandi';

type ResetRequest = FastifyRequest<{ Params: { store_unique_id: string }; Querystring: { token?: string } }>;

function form(token: string, problem: string | null) {
  return html`<section>
<h1>${TITLE}</h1>
${problem ? html`<p role="alert"><strong>${problem}</strong></p>` : null}
<form method="post">
<input type="hidden" name="token" value="${token}">
<p><label>Kata sandi baru<br><input type="password" name="password" autocomplete="new-password" minlength="${MIN_PASSWORD}" maxlength="${MAX_PASSWORD}" required></label></p>
<p><label>Ulangi kata sandi<br><input type="password" name="password_confirmation" autocomplete="new-password" minlength="${MIN_PASSWORD}" maxlength="${MAX_PASSWORD}" required></label></p>
<p><button type="submit">Simpan kata sandi</button></p>
</form>
</section>`;
}

function tokenOf(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TOKEN ? value : null;
}

async function storeOf(request: ResetRequest) {
  const uniqueId = request.params.store_unique_id;
  if (uniqueId.length > 64) return undefined;
  return findActiveStoreByUniqueId(request.server.deps.db, uniqueId);
}

async function showForm(request: ResetRequest, reply: FastifyReply) {
  const token = tokenOf(request.query.token);
  if (!token || !(await storeOf(request))) return sendErrorPage(reply, 404);
  return sendPage(reply, 200, TITLE, form(token, null));
}

/**
 * The form posts here; the token is spent by the same service as `saveCustomerPassword`, so the
 * rules (single use, one hour, every session ended) are the API's own.
 */
async function save(request: ResetRequest, reply: FastifyReply) {
  const store = await storeOf(request);
  const body = request.body as Record<string, string | undefined>;
  const token = tokenOf(body.token);
  if (!store || !token) return sendErrorPage(reply, 404);
  const password = body.password ?? '';
  let problem: string | null = null;
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD)
    problem = `Kata sandi harus ${MIN_PASSWORD} sampai ${MAX_PASSWORD} karakter.`;
  else if (password !== body.password_confirmation) problem = 'Kedua kata sandi tidak sama.';
  if (problem) return sendPage(reply, 422, TITLE, form(token, problem));
  const { db, keys } = request.server.deps;
  try {
    await savePassword(
      { db, customerJwtKey: keys.customerJwt },
      { storeId: store.id, businessId: store.business_id, storeUniqueId: request.params.store_unique_id },
      { token, password },
    );
  } catch (error) {
    if (!(error instanceof ApiError) || error.statusCode !== 404) throw error;
    const text =
      'Tautan ini tidak berlaku lagi: sudah dipakai atau kedaluwarsa. Minta tautan baru dari toko.';
    return sendPage(reply, 404, TITLE, html`<section><h1>${TITLE}</h1><p>${text}</p></section>`);
  }
  const done = 'Kata sandi Anda sudah diganti. Silakan masuk kembali dengan kata sandi baru.';
  return sendPage(reply, 200, TITLE, html`<section><h1>${TITLE}</h1><p>${done}</p></section>`);
}

/**
 * The hosted page behind password-reset links when the request came from no registered storefront
 * origin (`<public URL>/s/{store_unique_id}/reset-password?token=…`): a form that sets the new
 * password. Outside the contract and the OpenAPI document, rate limited per IP like other pages.
 */
export function registerResetPasswordPage(scope: FastifyInstance): void {
  const options = { schema: { hide: true } };
  scope.get('/s/:store_unique_id/reset-password', options, showForm);
  scope.post('/s/:store_unique_id/reset-password', options, save);
}
