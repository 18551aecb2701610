import type { Db } from '../../db/database.ts';
import * as businesses from '../../modules/businesses/service.ts';
import * as catalog from '../../modules/stores/catalog-service.ts';
import * as setup from '../../modules/stores/setup-admin.ts';
import { type Command, type OptionSpec, report, requireOption, table, UsageError } from '../command.ts';
import { businessFrom, businessOption, storeFrom, storeOption } from '../refs.ts';

const json: OptionSpec = { type: 'boolean', description: 'Print one JSON object instead of text' };

async function businessId(db: Db, values: Record<string, unknown>): Promise<number> {
  return (await businessFrom(db, values)).id;
}

async function storeId(db: Db, businessId: number, values: Record<string, unknown>): Promise<number> {
  return (await storeFrom(db, values, businessId)).id;
}

function wholeNumber(values: Record<string, unknown>, name: string): number {
  const text = requireOption(values, name);
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number, got "${text}"`);
  return Number(text);
}

function optionalString(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Runs a command body with the database and the business the options name. */
function withBusiness(
  run: (
    db: Db,
    businessId: number,
    values: Record<string, string | boolean | undefined>,
  ) => Promise<{
    object: Record<string, unknown>;
    human: string[];
  }>,
): Command['run'] {
  return async (ctx, values) => {
    const db = (await ctx.database()).db;
    const { object, human } = await run(db, await businessId(db, values), values);
    report(ctx, Boolean(values.json), object, human);
  };
}

export const storeSetupCommands: Command[] = [
  {
    name: ['warehouse', 'create'],
    summary: 'Create a warehouse (stock location and shipping origin) for a business.',
    options: {
      business: businessOption,
      name: { type: 'string', valueName: 'name', required: true, description: 'Warehouse name, required' },
      'contact-name': { type: 'string', valueName: 'name', description: 'Contact person' },
      'contact-phone': { type: 'string', valueName: 'phone', description: 'Contact phone' },
      address: { type: 'string', valueName: 'text', description: 'Street address' },
      'location-id': { type: 'string', valueName: 'id', description: 'Location id (see GET /v3/locations)' },
      'postal-code': { type: 'string', valueName: 'code', description: 'Postal code' },
      json,
    },
    run: withBusiness(async (db, id, values) => {
      const locationId = optionalString(values, 'location-id');
      if (locationId !== undefined && !/^\d+$/.test(locationId))
        throw new UsageError('--location-id must be a number');
      const warehouse = await setup.createWarehouse(db, id, {
        name: requireOption(values, 'name'),
        contactName: optionalString(values, 'contact-name'),
        contactPhone: optionalString(values, 'contact-phone'),
        address: optionalString(values, 'address'),
        locationId: locationId === undefined ? undefined : Number(locationId),
        postalCode: optionalString(values, 'postal-code'),
      });
      return {
        object: { warehouse },
        human: [`Created warehouse ${warehouse.name} (id ${warehouse.id}, unique_id ${warehouse.unique_id})`],
      };
    }),
  },
  {
    name: ['warehouse', 'list'],
    summary: "List a business's warehouses.",
    options: { business: businessOption, json },
    run: withBusiness(async (db, id) => {
      const warehouses = await setup.listWarehouses(db, id);
      return {
        object: { warehouses },
        human: warehouses.length
          ? table(
              ['ID', 'UNIQUE_ID', 'STATUS', 'NAME'],
              warehouses.map((w) => [String(w.id), w.unique_id, w.is_active ? 'active' : 'inactive', w.name]),
            )
          : ['No warehouses.'],
      };
    }),
  },
  {
    name: ['stock', 'set'],
    summary: 'Set the quantity of a variant held in a warehouse.',
    options: {
      business: businessOption,
      warehouse: {
        type: 'string',
        valueName: 'unique_id',
        required: true,
        description: 'Warehouse unique_id, required',
      },
      variant: {
        type: 'string',
        valueName: 'unique_id',
        required: true,
        description: 'Variant unique_id, required',
      },
      qty: {
        type: 'string',
        valueName: 'n',
        required: true,
        description: 'Units on hand (0 or more), required',
      },
      json,
    },
    run: withBusiness(async (db, id, values) => {
      const stock = await setup.setStock(db, id, {
        warehouseUniqueId: requireOption(values, 'warehouse'),
        variantUniqueId: requireOption(values, 'variant'),
        qty: wholeNumber(values, 'qty'),
      });
      return {
        object: { stock },
        human: [`${stock.variant_unique_id} in ${stock.warehouse_unique_id}: ${stock.qty}`],
      };
    }),
  },
  {
    name: ['stock', 'list'],
    summary: 'List the stock held in a warehouse.',
    options: {
      business: businessOption,
      warehouse: {
        type: 'string',
        valueName: 'unique_id',
        required: true,
        description: 'Warehouse unique_id, required',
      },
      json,
    },
    run: withBusiness(async (db, id, values) => {
      const stock = await setup.listStock(db, id, requireOption(values, 'warehouse'));
      return {
        object: { stock },
        human: stock.length
          ? table(
              ['VARIANT', 'QTY', 'SKU'],
              stock.map((s) => [s.variant_unique_id, String(s.qty), s.sku ?? '']),
            )
          : ['No stock.'],
      };
    }),
  },
  {
    name: ['payment-account', 'create'],
    summary: 'Add a bank or e-wallet account buyers transfer to (offered by every store of the business).',
    options: {
      business: businessOption,
      bank: {
        type: 'string',
        valueName: 'code',
        required: true,
        description: 'Bank/e-wallet code, e.g. BCA, MANDIRI, DANA; required',
      },
      number: {
        type: 'string',
        valueName: 'digits',
        required: true,
        description: 'Account number, required',
      },
      holder: {
        type: 'string',
        valueName: 'name',
        required: true,
        description: 'Account holder name, required',
      },
      json,
    },
    run: withBusiness(async (db, id, values) => {
      const account = await setup.createPaymentAccount(db, id, {
        bank: requireOption(values, 'bank'),
        accountNumber: requireOption(values, 'number'),
        accountHolder: requireOption(values, 'holder'),
      });
      return {
        object: { payment_account: account },
        human: [
          `Created payment account ${account.financial_entity.code} ${account.account_number} a.n. ${account.account_holder} (unique_id ${account.unique_id})`,
        ],
      };
    }),
  },
  {
    name: ['payment-account', 'list'],
    summary: "List a business's payment accounts.",
    options: { business: businessOption, json },
    run: withBusiness(async (db, id) => {
      const accounts = await setup.listPaymentAccounts(db, id);
      return {
        object: { payment_accounts: accounts },
        human: accounts.length
          ? table(
              ['UNIQUE_ID', 'BANK', 'NUMBER', 'HOLDER'],
              accounts.map((a) => [a.unique_id, a.financial_entity.code, a.account_number, a.account_holder]),
            )
          : ['No payment accounts.'],
      };
    }),
  },
  {
    name: ['sales-person', 'create'],
    summary: "Assign a business member to handle a store's orders (updates the weight if already assigned).",
    options: {
      business: businessOption,
      store: storeOption,
      email: {
        type: 'string',
        valueName: 'email',
        required: true,
        description: 'E-mail of a verified member, required',
      },
      weight: { type: 'string', valueName: 'n', description: 'Rotator weight 1-1000 (default 1)' },
      json,
    },
    run: withBusiness(async (db, id, values) => {
      const email = requireOption(values, 'email');
      const userId = await businesses.findMemberUserId(db, id, email);
      if (userId === undefined) throw new UsageError(`${email} is not a member of this business`);
      const person = await setup.addSalesPerson(db, id, {
        storeId: await storeId(db, id, values),
        userId,
        weight: values.weight === undefined ? undefined : wholeNumber(values, 'weight'),
      });
      return {
        object: { sales_person: person },
        human: [`${person.email} handles orders of store ${values.store} (weight ${person.weight})`],
      };
    }),
  },
  {
    name: ['sales-person', 'list'],
    summary: "List a store's sales people.",
    options: { business: businessOption, store: storeOption, json },
    run: withBusiness(async (db, id, values) => {
      const people = await setup.listSalesPeople(db, id, await storeId(db, id, values));
      return {
        object: { sales_people: people },
        human: people.length
          ? table(
              ['EMAIL', 'WEIGHT', 'STATUS'],
              people.map((p) => [p.email, String(p.weight), p.is_active ? 'active' : 'inactive']),
            )
          : ['No sales people.'],
      };
    }),
  },
  {
    name: ['channel', 'create'],
    summary: 'Create a sales channel orders of a store can be attributed to.',
    options: {
      business: businessOption,
      store: storeOption,
      name: {
        type: 'string',
        valueName: 'name',
        required: true,
        description: 'Channel name, required (unique per store)',
      },
      json,
    },
    run: withBusiness(async (db, id, values) => {
      const channel = await setup.createChannel(db, id, {
        storeId: await storeId(db, id, values),
        name: requireOption(values, 'name'),
      });
      return {
        object: { channel },
        human: [`Created channel ${channel.name} (unique_id ${channel.unique_id})`],
      };
    }),
  },
  {
    name: ['channel', 'list'],
    summary: "List a store's sales channels.",
    options: { business: businessOption, store: storeOption, json },
    run: withBusiness(async (db, id, values) => {
      const channels = await setup.listChannels(db, id, await storeId(db, id, values));
      return {
        object: { channels },
        human: channels.length
          ? table(
              ['UNIQUE_ID', 'NAME'],
              channels.map((c) => [c.unique_id, c.name]),
            )
          : ['No channels.'],
      };
    }),
  },
  {
    name: ['store', 'payment-methods', 'set'],
    summary: 'Replace the payment methods a store accepts (and optionally its virtual-account banks).',
    details:
      'Codes: bank_transfer, cod, no_payment, va, qris, card, invoice, alfamart, indomaret, ovo, dana, shopeepay, linkaja, gopay.',
    options: {
      business: businessOption,
      store: storeOption,
      methods: {
        type: 'string',
        valueName: 'a,b,c',
        required: true,
        description: 'Payment method codes, required',
      },
      'va-banks': { type: 'string', valueName: 'BCA,BNI', description: 'VA bank codes for the va method' },
      json,
    },
    run: withBusiness(async (db, id, values) => {
      const methods = list(requireOption(values, 'methods'));
      const vaBanks = optionalString(values, 'va-banks');
      const settings = await setup.setPaymentMethods(db, id, {
        storeId: await storeId(db, id, values),
        methods,
        vaBanks: vaBanks === undefined ? undefined : list(vaBanks.toUpperCase()),
      });
      return {
        object: { payment_methods: settings.payment_methods, va_bank_codes: settings.va_bank_codes },
        human: [
          `Payment methods: ${settings.payment_methods.join(', ') || '(none)'}`,
          `VA banks: ${settings.va_bank_codes.join(', ') || '(none)'}`,
        ],
      };
    }),
  },
  {
    name: ['store', 'products', 'attach'],
    summary: 'List products in a store (storefronts show the products attached to their store).',
    options: {
      business: businessOption,
      store: storeOption,
      products: { type: 'string', valueName: '1,2,3', required: true, description: 'Product ids, required' },
      json,
    },
    run: withBusiness(async (db, id, values) => {
      const productIds = list(requireOption(values, 'products')).map((text) => {
        const productId = Number(text);
        if (!Number.isSafeInteger(productId) || productId < 1)
          throw new UsageError(`--products: "${text}" is not an id`);
        return productId;
      });
      const store = await storeId(db, id, values);
      await catalog.attachProducts(db, { businessId: id, userId: null }, store, productIds);
      return {
        object: { store_id: store, product_ids: productIds },
        human: [`Store ${store} now lists products ${productIds.join(', ')}.`],
      };
    }),
  },
  {
    name: ['store', 'other-charge', 'create'],
    summary: 'Set the other charge (other_income) added to orders paid with the given methods.',
    details:
      'One charge per method (and VA bank); setting it again replaces it. --name sets the store-wide label.',
    options: {
      business: businessOption,
      store: storeOption,
      methods: {
        type: 'string',
        valueName: 'a,b',
        required: true,
        description: 'Payment method codes, required',
      },
      type: {
        type: 'string',
        valueName: 'fixed|percentage',
        required: true,
        description: 'Charge type, required',
      },
      amount: { type: 'string', valueName: 'decimal', description: 'Amount for a fixed charge, e.g. 5000' },
      percentage: {
        type: 'string',
        valueName: 'number',
        description: 'Percent for a percentage charge, e.g. 2.5',
      },
      'va-bank': {
        type: 'string',
        valueName: 'code',
        description: 'Only for this VA bank (with --methods va)',
      },
      name: {
        type: 'string',
        valueName: 'label',
        description: 'Name shown for the charge, e.g. "Biaya COD"',
      },
      json,
    },
    run: withBusiness(async (db, id, values) => {
      const charges = await setup.setOtherCharge(db, id, {
        storeId: await storeId(db, id, values),
        methods: list(requireOption(values, 'methods')),
        type: requireOption(values, 'type'),
        amount: optionalString(values, 'amount'),
        percentage: optionalString(values, 'percentage'),
        vaBank: optionalString(values, 'va-bank')?.toUpperCase(),
        name: typeof values.name === 'string' ? values.name : undefined,
      });
      return { object: charges, human: describeCharges(charges) };
    }),
  },
  {
    name: ['store', 'other-charge', 'list'],
    summary: "List a store's other charges per payment method.",
    options: { business: businessOption, store: storeOption, json },
    run: withBusiness(async (db, id, values) => {
      const charges = await setup.listOtherCharges(db, id, await storeId(db, id, values));
      return { object: charges, human: describeCharges(charges) };
    }),
  },
];

function describeCharges(charges: Awaited<ReturnType<typeof setup.listOtherCharges>>): string[] {
  if (charges.charges.length === 0) return ['No other charges.'];
  return [
    `Name: ${charges.other_income_name || '(unnamed)'}`,
    ...charges.charges.map(
      (c) =>
        `${c.payment_method}${c.sub_payment_method ? `/${c.sub_payment_method}` : ''}  ${c.type === 'fixed' ? c.amount : `${c.percentage}%`}`,
    ),
  ];
}
