import { type SimulatedEvent, simulatePayment } from '../../modules/payments/simulate.ts';
import { type Command, report, requireOption, UsageError } from '../command.ts';
import { businessFrom } from '../refs.ts';

export const paymentCommands: Command[] = [
  {
    name: ['payments', 'simulate'],
    summary: 'Sandbox only: pay, settle or expire an order’s payment as the gateway would.',
    details:
      '--paid and --settle need the payment the storefront created (POST …/orders/{secret_slug}/payment);\n' +
      '--expire cancels any unpaid order and returns its stock. Refused with NEXUS_PAYMENTS_DRIVER=xendit.',
    options: {
      order: {
        type: 'string',
        valueName: 'ref',
        required: true,
        description: 'Order id (UUID), order_id (e.g. 250130JQHFZG) or secret_slug, required',
      },
      paid: { type: 'boolean', description: 'The buyer paid' },
      settle: { type: 'boolean', description: 'The money settled (marks paid first if needed)' },
      expire: { type: 'boolean', description: 'The payment window closed: cancel the order' },
      business: {
        type: 'string',
        valueName: 'id|unique_id',
        description: 'Business id or unique_id (when order_ids of several businesses collide)',
      },
      json: { type: 'boolean', description: 'Print one JSON object instead of text' },
    },
    run: async (ctx, values) => {
      if (ctx.config.payments.driver !== 'sandbox') {
        throw new UsageError(
          'payments are real with the xendit driver; simulate works with the sandbox only',
        );
      }
      const events = (['paid', 'settle', 'expire'] as const).filter((name) => values[name]);
      if (events.length !== 1) throw new UsageError('give exactly one of --paid, --settle, --expire');
      const order = requireOption(values, 'order');
      const db = (await ctx.database()).db;
      let businessId: number | null = null;
      if (typeof values.business === 'string') {
        businessId = (await businessFrom(db, values)).id;
      }
      const result = await simulatePayment(db, ctx.config.publicUrl, {
        order,
        businessId,
        event: events[0] as SimulatedEvent,
      });
      report(ctx, Boolean(values.json), { ...result }, [
        `Order ${result.order.order_id}: status ${result.order.status}, payment ${result.order.payment_status}` +
          (result.changed ? '' : ' (unchanged)'),
        ...(result.payment ? [`Payment ${result.payment.reference_id}: ${result.payment.status}`] : []),
      ]);
    },
  },
];
