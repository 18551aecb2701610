import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from '../../http/schemas.ts';

const Urls = {
  id: Type.String({ format: 'uuid' }),
  public_order_url: Type.String({ format: 'uri' }),
  payment_url: Type.String({ format: 'uri' }),
};

export const OrderActions = Type.Object(
  {
    ...Urls,
    order_id: Type.String(),
    is_digital_product_present: Type.Boolean(),
    is_lms_product_present: Type.Boolean(),
    is_physical_product_present: Type.Boolean(),
  },
  { title: 'OrderActions' },
);

export const OrderChat = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    provider: Type.String(),
    trigger: Nullable(Type.String()),
    hours_after: Nullable(Type.Integer()),
    change_status: Type.Boolean(),
    image: Nullable(Type.String()),
    is_default: Type.Boolean(),
    wa_integration_id: Nullable(Type.Integer()),
    text: Nullable(
      Type.String({
        description: 'The template for the order’s payment method, the buyer’s details filled in.',
      }),
    ),
    text_url: Nullable(
      Type.String({ format: 'uri', description: 'A WhatsApp link to the buyer with the text.' }),
    ),
  },
  { title: 'OrderChat' },
);

export const OrderChats = Type.Object(
  {
    ...Urls,
    order_id: Type.String(),
    secret_slug: Type.String(),
    status: Type.String(),
    payment_status: Type.String(),
    is_probably_spam: Type.Boolean(),
    mark_as_spam_by: Nullable(Type.String()),
    chat_message: Type.String(),
    follow_up_chat_type: Nullable(Type.String()),
    follow_up_chats: Type.Array(OrderChat),
  },
  { title: 'OrderChats' },
);

export const OrderChatParams = Type.Object({
  id: Type.String({ maxLength: 64 }),
  chat_id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});

export const OrderMessageHistory = Type.Object(
  {
    ...Urls,
    message_history: Type.Array(
      Type.Object(
        {
          id: Type.Integer(),
          follow_up_chat_id: Nullable(Type.Integer()),
          message: Type.String(),
          provider: Type.String(),
          sender_name: Nullable(Type.String()),
          sender_phone: Nullable(Type.String()),
          recipient_name: Nullable(Type.String()),
          recipient_phone: Nullable(Type.String()),
          is_from_bot: Type.Boolean(),
          timestamp: Timestamp,
        },
        { title: 'OrderMessage' },
      ),
    ),
  },
  { title: 'OrderMessageHistory' },
);

export const AddOrderMessageBody = Type.Object({
  follow_up_chat_id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});

export const OrderEmails = Type.Object(
  {
    data: Type.Array(
      Type.Object(
        {
          id: Type.Integer(),
          order_id: Type.String({ format: 'uuid' }),
          type: Type.String({ description: '`order_digital_product` or `order_lms_access`.' }),
          to: Type.String(),
          subject: Type.String(),
          status: Type.String({ description: '`queued`, `sent` or `failed`.' }),
          message_id: Nullable(Type.String()),
          inserted_at: Timestamp,
          updated_at: Timestamp,
        },
        { title: 'OrderEmail' },
      ),
    ),
    is_paginated: Type.Literal(false),
  },
  { title: 'OrderEmails' },
);

const PurchaseOutcome = Type.Object(
  {
    queued: Type.Integer({
      description: 'Delivery jobs queued: one per pixel of the platform on the order’s store.',
    }),
    event_id: Type.String({ description: 'The event’s id: the order’s, so a repeat counts once.' }),
    skipped: Type.Optional(Type.String()),
  },
  { title: 'OrderPurchaseOutcome' },
);

export const OrderPurchase = Type.Object(
  { meta: PurchaseOutcome, tiktok: PurchaseOutcome, kwai: PurchaseOutcome },
  { title: 'OrderPurchase' },
);
