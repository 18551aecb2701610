import { Type } from '@sinclair/typebox';
import { Collection, Nullable, Paginated, Timestamp } from '../../http/schemas.ts';

export const StorePaymentMethodItem = Type.Object(
  {
    payment_method: Type.String({ description: 'Canonical code, e.g. bank_transfer, cod, va, qris.' }),
    name: Type.String(),
    is_epayment: Type.Boolean({ description: 'Paid through the payment gateway.' }),
    sub_payment_methods: Type.Array(Type.String(), { description: 'Enabled VA bank codes (va only).' }),
    other_incomes: Type.Array(
      Type.Object({
        sub_payment_method: Nullable(Type.String()),
        type: Type.Union([Type.Literal('fixed'), Type.Literal('percentage')]),
        amount: Type.String(),
        percentage: Type.Number(),
      }),
      { description: 'Charges added to orders paid with this method.' },
    ),
  },
  { title: 'StorePaymentMethod' },
);
export const StorePaymentMethodList = Collection(StorePaymentMethodItem, 'StorePaymentMethodListResponse');

export const PaymentAccount = Type.Object(
  {
    id: Type.Integer(),
    unique_id: Type.String(),
    account_number: Type.String(),
    account_holder: Type.String(),
    financial_entity: Type.Object(
      {
        id: Type.Integer(),
        code: Type.String(),
        name: Type.String(),
        entity_type: Type.String(),
      },
      { title: 'FinancialEntity' },
    ),
    is_active: Type.Boolean(),
    created_at: Timestamp,
    last_updated_at: Timestamp,
  },
  { title: 'PaymentAccount' },
);
export const PaymentAccountList = Paginated(PaymentAccount, 'PaymentAccountListResponse');

export const SalesPerson = Type.Object(
  {
    id: Type.Integer(),
    user_id: Type.Integer(),
    name: Type.String(),
    email: Type.String(),
    phone: Nullable(Type.String()),
    weight: Type.Integer({ description: 'Share of orders the rotator assigns to this person.' }),
    is_active: Type.Boolean(),
    created_at: Timestamp,
  },
  { title: 'StoreSalesPerson' },
);
export const SalesPersonList = Paginated(SalesPerson, 'StoreSalesPersonListResponse');

export const StorePage = Type.Object(
  {
    id: Type.Integer(),
    unique_id: Type.String(),
    name: Type.String(),
    store_id: Type.Integer(),
    created_at: Timestamp,
    last_updated_at: Timestamp,
  },
  { title: 'StorePage' },
);
export const StorePageList = Paginated(StorePage, 'StorePageListResponse');

export const Channel = Type.Object(
  {
    id: Type.Integer(),
    unique_id: Type.String(),
    name: Type.String(),
    store_id: Type.Integer(),
    is_active: Type.Boolean(),
    created_at: Timestamp,
    last_updated_at: Timestamp,
  },
  { title: 'StoreChannel' },
);
export const ChannelList = Paginated(Channel, 'StoreChannelListResponse');
