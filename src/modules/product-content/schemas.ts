import { Type } from '@sinclair/typebox';
import { Nullable, PageQuery, Paginated, Timestamp } from '../../http/schemas.ts';

/** bigint ids: the bound turns an absurd id into a 422 instead of a database range error. */
const Id = (description: string) =>
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });

/** Knowledge item ids are UUIDv7; anything else simply matches nothing (404). */
const KnowledgeItemId = Type.String({ minLength: 1, maxLength: 64, description: 'Knowledge item UUID.' });

export const ProductParams = Type.Object({ product_id: Id('Numeric product ID.') });
export const VariantParams = Type.Object({ variant_id: Id('Numeric variant ID.') });
export const BundleParams = Type.Object({ bundle_id: Id('Numeric bundle ID.') });
export const DuplicateParams = Type.Object({ id: Id('Numeric ID of the record to copy.') });

export const ProductKnowledgeItemParams = Type.Object({
  product_id: Id('Numeric product ID.'),
  id: KnowledgeItemId,
});
export const VariantKnowledgeItemParams = Type.Object({
  variant_id: Id('Numeric variant ID.'),
  id: KnowledgeItemId,
});
export const ProductFollowUpChatParams = Type.Object({
  product_id: Id('Numeric product ID.'),
  id: Id('Follow-up chat ID.'),
});
export const BundleFollowUpChatParams = Type.Object({
  bundle_id: Id('Numeric bundle ID.'),
  id: Id('Follow-up chat ID.'),
});
export const DigitalProductFileParams = Type.Object({
  variant_id: Id('Numeric variant ID.'),
  id: Id('Digital product file ID.'),
});

export const ListQuery = Type.Object(PageQuery({ max: 25, default: 25 }));

/** At least one visible character. */
const Text = (maxLength: number, description: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', description });

export const ProductKnowledgeItem = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'Knowledge item ID (UUIDv7).' }),
    product_id: Type.Integer(),
    variant_id: Nullable(Type.Integer({ description: 'Null for product-level items.' })),
    q: Type.String(),
    a: Type.String(),
    position: Type.Integer(),
    inserted_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'ProductKnowledgeItem' },
);
export const ProductKnowledgeItemPage = Paginated(
  ProductKnowledgeItem,
  'ListProductKnowledgeItemsResponseBody',
);

export const KnowledgeItemRequest = Type.Object(
  {
    q: Text(255, 'Question text (max 255 chars).'),
    a: Text(3000, 'Answer text (max 3000 chars).'),
    position: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100_000,
        description: 'Display position (0-indexed). Defaults to after the last item on create.',
      }),
    ),
  },
  { title: 'CreateUpdateProductKnowledgeItemRequest' },
);

const WhatsappIntegration = Type.Object(
  {
    id: Type.Integer(),
    name: Nullable(Type.String()),
    phone_number: Nullable(Type.String()),
    provider: Nullable(Type.String()),
  },
  { title: 'WhatsappIntegration' },
);

export const ManagingFollowUpChat = Type.Object(
  {
    id: Type.Integer(),
    product_id: Nullable(Type.Integer()),
    bundle_id: Nullable(Type.Integer()),
    store_id: Nullable(Type.Integer()),
    name: Type.String(),
    provider: Type.String(),
    trigger: Nullable(Type.String()),
    hours_after: Nullable(Type.Integer()),
    change_status: Type.Boolean(),
    image: Nullable(Type.String({ format: 'uri' })),
    is_default: Type.Boolean(),
    text_for_bank_transfer: Nullable(Type.String()),
    text_for_cod: Nullable(Type.String()),
    text_for_epayment: Nullable(Type.String()),
    wa_gateway_assignation_type: Nullable(Type.String()),
    wa_integration: Nullable(WhatsappIntegration),
  },
  { title: 'ManagingFollowUpChat' },
);
export const ManagingFollowUpChatPage = Paginated(
  ManagingFollowUpChat,
  'ListProductFollowUpChatsResponseBody',
);

/** WhatsApp refuses text messages longer than 4096 characters. */
const MessageText = (description: string) =>
  Type.Optional(Nullable(Type.String({ maxLength: 4096, description })));

export const FollowUpChatRequest = Type.Object(
  {
    name: Text(255, 'Name of the follow up chat.'),
    provider: Text(64, 'Provider of the follow up chat, e.g. `whatsapp`.'),
    trigger: Type.Optional(
      Nullable(Type.String({ maxLength: 64, description: 'Trigger condition, e.g. an order status.' })),
    ),
    hours_after: Type.Optional(
      Nullable(Type.Integer({ minimum: 0, maximum: 8760, description: 'Hours after the trigger.' })),
    ),
    change_status: Type.Optional(Type.Boolean()),
    image: Type.Optional(Nullable(Type.String({ format: 'uri', maxLength: 2048 }))),
    is_default: Type.Optional(
      Type.Boolean({ description: 'Marking one chat default clears the flag on the owner’s other chats.' }),
    ),
    text_for_bank_transfer: MessageText('Text for bank transfer.'),
    text_for_cod: MessageText('Text for cash on delivery.'),
    text_for_epayment: MessageText('Text for e-payments.'),
    wa_gateway_assignation_type: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    wa_integration_id: Type.Optional(Nullable(Id('WhatsApp integration ID.'))),
  },
  { title: 'CreateUpdateFollowUpChatRequest' },
);

export const DigitalProductFile = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    content_type: Type.String(),
    size_in_bytes: Type.Integer(),
    url: Type.String({ format: 'uri', description: 'Signed download URL; valid for a limited time.' }),
  },
  { title: 'DigitalProductFile' },
);
export const DigitalProductFilePage = Paginated(
  DigitalProductFile,
  'ListVariantDigitalProductFilesResponseBody',
);

/** The multipart answer is the DigitalProductFile; the JSON flow adds where to PUT the bytes. */
export const DigitalProductFileUpload = Type.Composite(
  [
    DigitalProductFile,
    Type.Object({
      upload_url: Type.Optional(
        Type.String({
          format: 'uri',
          description:
            'JSON flow only: PUT the file bytes here with the same Content-Type, before upload_expires_at.',
        }),
      ),
      upload_expires_at: Type.Optional(Timestamp),
    }),
  ],
  { title: 'DigitalProductFileUpload' },
);

export const DigitalProductFileForm = Type.Object(
  {
    file: Type.Optional(
      Type.String({
        format: 'binary',
        description: 'Required. The file; its file name, Content-Type and size become the record.',
      }),
    ),
  },
  { title: 'CreateVariantDigitalProductFileForm' },
);

export const CreateDigitalProductFileRequest = Type.Object(
  {
    name: Text(255, 'File name shown to buyers, e.g. `ebook.pdf`.'),
    content_type: Type.String({
      maxLength: 255,
      pattern: '^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$',
      description: 'MIME type the file will be uploaded with, e.g. `application/pdf`.',
    }),
    size_in_bytes: Type.Integer({ minimum: 1, maximum: 5 * 1024 ** 3, description: 'Exact file size.' }),
  },
  { title: 'CreateVariantDigitalProductFileRequest' },
);
