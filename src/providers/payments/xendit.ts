import { Invoice as InvoiceApi, PaymentRequest as PaymentRequestApi } from 'xendit-node';
import {
  type CreateInvoiceRequest,
  CreateInvoiceRequestToJSON,
  type Invoice,
} from 'xendit-node/invoice/models/index.js';
import {
  type PaymentMethodParameters,
  type PaymentRequest,
  type PaymentRequestParameters,
  PaymentRequestParametersToJSON,
} from 'xendit-node/payment_request/models/index.js';
import { type Channel, channelFor, e164Indonesia } from './channels.ts';
import {
  type CreatedPayment,
  type CreatePaymentInput,
  type EPaymentMethod,
  type PaymentProvider,
  PaymentProviderError,
  type PaymentState,
  type PaymentStatus,
  wholeRupiah,
} from './provider.ts';
import { invoiceInfo, type PaymentAction, paymentRequestInfo } from './shapes.ts';

export interface XenditOptions {
  secretKey: string;
  /** `https://api.xendit.co`, or a stub in tests (the SDK's `xenditURL`). */
  baseUrl: string;
  /** A Xendit call that takes longer fails (retryably) rather than holding the buyer's request. */
  timeoutMs?: number;
}

const PR_STATUS: Record<string, PaymentStatus> = {
  PENDING: 'pending',
  REQUIRES_ACTION: 'pending',
  AWAITING_CAPTURE: 'pending',
  SUCCEEDED: 'paid',
  FAILED: 'failed',
  CANCELED: 'failed',
  VOIDED: 'failed',
  EXPIRED: 'expired',
};
const INVOICE_STATUS: Record<string, PaymentStatus> = {
  PENDING: 'pending',
  PAID: 'paid',
  SETTLED: 'settled',
  EXPIRED: 'expired',
};

/** camelCase SDK objects back to Xendit's wire names (`virtualAccountNumber` -> `virtual_account_number`). */
function snake(properties: object | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties ?? {})) {
    if (value === undefined) continue;
    out[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] =
      value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

const iso = (value: Date | string | undefined, fallback: Date) =>
  value instanceof Date ? value.toISOString() : (value ?? fallback.toISOString());

/**
 * Xendit through the official `xendit-node` SDK (v7): the Payment Request API for virtual
 * accounts, QRIS, e-wallets and retail outlets, the Invoice API for cards and payment links.
 * The SDK's `xenditURL` option is its base URL, so tests point it at a local stub.
 */
export class XenditPayments implements PaymentProvider {
  readonly name = 'xendit' as const;
  private readonly paymentRequests: PaymentRequestApi;
  private readonly invoices: InvoiceApi;
  private readonly timeoutMs: number;

  constructor(options: XenditOptions) {
    // The API classes directly: the `Xendit` wrapper logs to the console about the key's format.
    const settings = { secretKey: options.secretKey, xenditURL: options.baseUrl.replace(/\/+$/, '') };
    this.paymentRequests = new PaymentRequestApi(settings);
    this.invoices = new InvoiceApi(settings);
    this.timeoutMs = options.timeoutMs ?? 20_000;
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const channel = channelFor(input.method, input.subMethod);
    if (!channel) throw new PaymentProviderError(`No channel for ${input.method} without a bank`, false, 400);
    if (channel.type === 'INVOICE') return this.createInvoice(input, channel.paymentMethods);

    const data: PaymentRequestParameters = {
      referenceId: input.referenceId,
      amount: wholeRupiah(input.amount),
      currency: 'IDR',
      description: input.description,
      paymentMethod: paymentMethod(channel, input),
      metadata: { order_id: input.orderNumber },
    };
    const created = await this.call(() =>
      this.paymentRequests.createPaymentRequest({ idempotencyKey: input.referenceId, data }),
    );
    const info = this.paymentRequestInfo(created, channel, input.expiresAt);
    return {
      provider: 'xendit',
      reference_id: created.id,
      pg_payment_info: info,
      expires_at: new Date(String(info.expires_at)),
      request: { path: '/payment_requests', body: PaymentRequestParametersToJSON(data) },
      response: info,
    };
  }

  async getPayment(referenceId: string, method: EPaymentMethod): Promise<PaymentState | undefined> {
    try {
      if (method === 'card' || method === 'invoice') {
        const invoice = await this.call(() => this.invoices.getInvoiceById({ invoiceId: referenceId }));
        const status = INVOICE_STATUS[invoice.status] ?? 'pending';
        return { reference_id: referenceId, status, paid_amount: paidAmount(status, invoice.amount) };
      }
      const request = await this.call(() =>
        this.paymentRequests.getPaymentRequestByID({ paymentRequestId: referenceId }),
      );
      const status = PR_STATUS[request.status] ?? 'pending';
      return { reference_id: referenceId, status, paid_amount: paidAmount(status, request.amount) };
    } catch (error) {
      if (error instanceof PaymentProviderError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async createInvoice(
    input: CreatePaymentInput,
    paymentMethods: string[] | null,
  ): Promise<CreatedPayment> {
    const seconds = Math.max(60, Math.floor((input.expiresAt.getTime() - Date.now()) / 1000));
    const data: CreateInvoiceRequest = {
      externalId: input.referenceId,
      amount: wholeRupiah(input.amount),
      currency: 'IDR',
      description: input.description,
      invoiceDuration: seconds,
      successRedirectUrl: input.successUrl,
      failureRedirectUrl: input.failureUrl,
      ...(input.customer.email ? { payerEmail: input.customer.email } : {}),
      ...(paymentMethods ? { paymentMethods } : {}),
      metadata: { order_id: input.orderNumber },
    };
    const invoice: Invoice = await this.call(() => this.invoices.createInvoice({ data }));
    const info = invoiceInfo({
      id: invoice.id ?? '',
      external_id: invoice.externalId,
      status: invoice.status,
      amount: invoice.amount,
      currency: invoice.currency ?? 'IDR',
      invoice_url: invoice.invoiceUrl,
      expiry_date: iso(invoice.expiryDate, input.expiresAt),
      created: iso(invoice.created, new Date()),
    });
    if (!invoice.id) throw new PaymentProviderError('Xendit answered an invoice without an id', true);
    return {
      provider: 'xendit',
      reference_id: invoice.id,
      pg_payment_info: info,
      expires_at: new Date(String(info.expiry_date)),
      request: { path: '/v2/invoices', body: CreateInvoiceRequestToJSON(data) },
      response: info,
    };
  }

  private paymentRequestInfo(
    created: PaymentRequest,
    channel: Exclude<Channel, { type: 'INVOICE' }>,
    expiresAt: Date,
  ): Record<string, unknown> {
    const method = created.paymentMethod;
    const detail =
      method?.virtualAccount ?? method?.qrCode ?? method?.ewallet ?? method?.overTheCounter ?? undefined;
    const properties = snake(detail?.channelProperties);
    const actions: PaymentAction[] = (created.actions ?? []).map((action) => ({
      action: action.action as PaymentAction['action'],
      url_type: action.urlType as PaymentAction['url_type'],
      method: (action.method ?? 'GET') as PaymentAction['method'],
      url: action.url ?? '',
      qr_code: action.qrCode ?? null,
    }));
    return paymentRequestInfo({
      id: created.id,
      reference_id: created.referenceId,
      status: created.status,
      amount: created.amount ?? 0,
      currency: created.currency,
      created: created.created,
      expires_at: typeof properties.expires_at === 'string' ? properties.expires_at : expiresAt.toISOString(),
      channel,
      channel_properties: properties,
      actions,
    });
  }

  /** Runs one SDK call with a deadline, turning its failures into `PaymentProviderError`s. */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new PaymentProviderError(`Xendit did not answer within ${this.timeoutMs} ms`, true)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([run(), deadline]);
    } catch (error) {
      if (error instanceof PaymentProviderError) throw error;
      const sdk = error as { name?: string; status?: number; errorCode?: string; errorMessage?: string };
      if (sdk.name === 'XenditSdkError' && typeof sdk.status === 'number') {
        const message = `Xendit ${sdk.status} ${sdk.errorCode ?? ''}: ${sdk.errorMessage ?? ''}`.trim();
        throw new PaymentProviderError(message, sdk.status >= 500 || sdk.status === 429, sdk.status);
      }
      throw new PaymentProviderError(`Xendit could not be reached: ${(error as Error).message}`, true);
    } finally {
      clearTimeout(timer);
    }
  }
}

function paidAmount(status: PaymentStatus, amount: number | undefined): string | null {
  return (status === 'paid' || status === 'settled') && amount !== undefined ? `${amount}.00` : null;
}

function paymentMethod(channel: Exclude<Channel, { type: 'INVOICE' }>, input: CreatePaymentInput) {
  const base = { reusability: 'ONE_TIME_USE' as const, referenceId: input.referenceId };
  switch (channel.type) {
    case 'VIRTUAL_ACCOUNT':
      return {
        ...base,
        type: 'VIRTUAL_ACCOUNT',
        virtualAccount: {
          channelCode: channel.channelCode,
          channelProperties: { customerName: input.customer.name, expiresAt: input.expiresAt },
        },
      } as PaymentMethodParameters;
    case 'QR_CODE':
      return {
        ...base,
        type: 'QR_CODE',
        qrCode: { channelCode: 'QRIS', channelProperties: { expiresAt: input.expiresAt } },
      } as PaymentMethodParameters;
    case 'OVER_THE_COUNTER':
      return {
        ...base,
        type: 'OVER_THE_COUNTER',
        overTheCounter: {
          channelCode: channel.channelCode,
          channelProperties: { customerName: input.customer.name, expiresAt: input.expiresAt },
        },
      } as PaymentMethodParameters;
    case 'EWALLET': {
      const mobile = e164Indonesia(input.customer.phone);
      const properties =
        channel.channelCode === 'OVO'
          ? { mobileNumber: mobile ?? undefined }
          : { successReturnUrl: input.successUrl, failureReturnUrl: input.failureUrl };
      return {
        ...base,
        type: 'EWALLET',
        ewallet: { channelCode: channel.channelCode, channelProperties: properties },
      } as PaymentMethodParameters;
    }
  }
}
