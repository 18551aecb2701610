import './tables.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { randomString } from '../../lib/ids.ts';
import { type Channel, channelFor, e164Indonesia } from './channels.ts';
import {
  type CreatedPayment,
  type CreatePaymentInput,
  type PaymentProvider,
  PaymentProviderError,
  type PaymentState,
  type PaymentStatus,
  wholeRupiah,
} from './provider.ts';
import { buildQrisString } from './qris.ts';
import { invoiceInfo, type PaymentAction, paymentRequestInfo } from './shapes.ts';
import type { SandboxPaymentStatus } from './tables.ts';

const DIGITS = '0123456789';

/**
 * Sandbox virtual account numbers start with 99999, which no Indonesian bank issues: they are
 * visibly fake, so nobody transfers real money to one, yet all digits and 16 long like real ones.
 */
const SANDBOX_VA_PREFIX = '99999';
const VA_LENGTH = 16;
const RETAIL_PREFIXES = { ALFAMART: 'NXSALF', INDOMARET: 'NXSIDM' } as const;
/** Sandbox merchant identity printed in QRIS codes. */
const SANDBOX_NMID = 'ID1026000000001';
const SANDBOX_MERCHANT_PAN = '9360000812345678901';
const CODE_ATTEMPTS = 5;

const STATUS: Record<SandboxPaymentStatus, PaymentStatus> = {
  PENDING: 'pending',
  SUCCEEDED: 'paid',
  SETTLED: 'settled',
  FAILED: 'failed',
  EXPIRED: 'expired',
};

/**
 * The default gateway: issues realistic, unique instructions (visibly fake VA numbers, QRIS
 * payloads with a valid checksum, retail codes, e-wallet and invoice URLs pointing at this server's
 * sandbox payment page) and records each payment in `payment_sandbox_payments`. Nothing is ever
 * paid by itself: the operator settles or expires payments with `nexus payments simulate`.
 */
export class SandboxPayments implements PaymentProvider {
  readonly name = 'sandbox' as const;

  constructor(
    private readonly db: Db,
    /** The server's public base URL, without a trailing slash. */
    private readonly publicUrl: string,
  ) {}

  /** The sandbox page that stands in for the gateway's own checkout page. */
  payPageUrl(referenceId: string, via?: string): string {
    return `${this.publicUrl}/sandbox/payments/${encodeURIComponent(referenceId)}${via ? `?via=${via}` : ''}`;
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    // The attempt id is the idempotency key, as with Xendit: asking twice returns the first payment.
    const existing = await this.db
      .selectFrom('payment_sandbox_payments')
      .selectAll()
      .where('external_reference', '=', input.referenceId)
      .where('business_id', '=', input.businessId)
      .executeTakeFirst();
    if (existing) return this.created(existing.reference_id, existing.info, existing.expires_at, input);

    const channel = channelFor(input.method, input.subMethod);
    if (!channel) throw new PaymentProviderError(`No channel for ${input.method} without a bank`, false, 400);
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const issued = this.issue(input, channel);
      try {
        await this.db
          .insertInto('payment_sandbox_payments')
          .values({
            reference_id: issued.referenceId,
            business_id: input.businessId,
            order_id: input.orderId,
            external_reference: input.referenceId,
            method: input.method,
            channel_code: channel.channelCode,
            amount: String(wholeRupiah(input.amount)),
            payment_code: issued.paymentCode,
            info: JSON.stringify(issued.info),
            expires_at: input.expiresAt,
          })
          .execute();
        return this.created(issued.referenceId, issued.info, input.expiresAt, input);
      } catch (error) {
        // Another payment drew the same VA number or retail code: draw again.
        if (!isUniqueViolation(error)) throw error;
      }
    }
    throw new PaymentProviderError('Could not allocate a unique payment code', true);
  }

  async getPayment(referenceId: string): Promise<PaymentState | undefined> {
    const row = await this.db
      .selectFrom('payment_sandbox_payments')
      .select(['reference_id', 'status', 'amount', 'expires_at'])
      .where('reference_id', '=', referenceId)
      .executeTakeFirst();
    if (!row) return undefined;
    const status =
      row.status === 'PENDING' && row.expires_at.getTime() <= Date.now() ? 'expired' : STATUS[row.status];
    return {
      reference_id: row.reference_id,
      status,
      paid_amount: status === 'paid' || status === 'settled' ? row.amount : null,
    };
  }

  /** Moves a sandbox payment (the operator's `nexus payments simulate`); returns false if unknown. */
  async setStatus(referenceId: string, status: SandboxPaymentStatus): Promise<boolean> {
    const row = await this.db
      .updateTable('payment_sandbox_payments')
      .set({ status, updated_at: new Date() })
      .where('reference_id', '=', referenceId)
      .returning('reference_id')
      .executeTakeFirst();
    return row !== undefined;
  }

  private created(
    referenceId: string,
    info: Record<string, unknown>,
    expiresAt: Date,
    input: CreatePaymentInput,
  ): CreatedPayment {
    return {
      provider: 'sandbox',
      reference_id: referenceId,
      pg_payment_info: info,
      expires_at: expiresAt,
      request: { reference_id: input.referenceId, method: input.method, sub_method: input.subMethod },
      response: info,
    };
  }

  private issue(
    input: CreatePaymentInput,
    channel: Channel,
  ): { referenceId: string; paymentCode: string | null; info: Record<string, unknown> } {
    const now = new Date().toISOString();
    const expires = input.expiresAt.toISOString();
    const amount = wholeRupiah(input.amount);
    if (channel.type === 'INVOICE') {
      const id = randomBytes(12).toString('hex');
      return {
        referenceId: id,
        paymentCode: null,
        info: invoiceInfo({
          id,
          external_id: input.referenceId,
          status: 'PENDING',
          amount,
          currency: input.currency,
          invoice_url: this.payPageUrl(id),
          expiry_date: expires,
          created: now,
        }),
      };
    }
    const id = `pr-${randomUUID()}`;
    let paymentCode: string | null = null;
    let properties: Record<string, unknown> = {};
    let actions: PaymentAction[] = [];
    let status = 'PENDING';
    switch (channel.type) {
      case 'VIRTUAL_ACCOUNT': {
        paymentCode = `${SANDBOX_VA_PREFIX}${randomString(VA_LENGTH - SANDBOX_VA_PREFIX.length, DIGITS)}`;
        properties = {
          customer_name: input.customer.name,
          virtual_account_number: paymentCode,
          expires_at: expires,
        };
        break;
      }
      case 'OVER_THE_COUNTER':
        paymentCode = `${RETAIL_PREFIXES[channel.channelCode]}${randomString(8, DIGITS)}`;
        properties = { customer_name: input.customer.name, payment_code: paymentCode, expires_at: expires };
        break;
      case 'QR_CODE':
        properties = {
          qr_string: buildQrisString({
            merchantName: input.merchantName,
            merchantCity: 'Jakarta',
            postalCode: '10110',
            amount,
            reference: input.orderNumber,
            nmid: SANDBOX_NMID,
            merchantPan: SANDBOX_MERCHANT_PAN,
          }),
          expires_at: expires,
        };
        break;
      case 'EWALLET':
        status = 'REQUIRES_ACTION';
        ({ properties, actions } = this.ewallet(id, channel.channelCode, input));
        break;
    }
    return {
      referenceId: id,
      paymentCode,
      info: paymentRequestInfo({
        id,
        reference_id: input.referenceId,
        status,
        amount,
        currency: input.currency,
        created: now,
        expires_at: expires,
        channel,
        channel_properties: properties,
        actions,
      }),
    };
  }

  /** As Xendit answers: OVO pushes a prompt to the buyer's phone (no URL), the others redirect. */
  private ewallet(
    id: string,
    channelCode: 'OVO' | 'DANA' | 'SHOPEEPAY' | 'LINKAJA',
    input: CreatePaymentInput,
  ) {
    const action = (urlType: PaymentAction['url_type']): PaymentAction => ({
      action: 'AUTH',
      url_type: urlType,
      method: 'GET',
      url: this.payPageUrl(id, urlType.toLowerCase()),
      qr_code: null,
    });
    if (channelCode === 'OVO') {
      return { properties: { mobile_number: e164Indonesia(input.customer.phone) }, actions: [] };
    }
    const properties = { success_return_url: input.successUrl, failure_return_url: input.failureUrl };
    if (channelCode === 'SHOPEEPAY') return { properties, actions: [action('DEEPLINK'), action('WEB')] };
    return { properties, actions: [action('WEB'), action('MOBILE')] };
  }
}
