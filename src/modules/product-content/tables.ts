import type { Generated } from 'kysely';

export interface ProductKnowledgeItemsTable {
  id: string;
  business_id: number;
  product_id: number;
  variant_id: number | null;
  q: string;
  a: string;
  position: Generated<number>;
  inserted_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface FollowUpChatsTable {
  id: Generated<number>;
  business_id: number;
  product_id: number | null;
  bundle_id: number | null;
  name: string;
  provider: string;
  trigger: string | null;
  hours_after: number | null;
  change_status: Generated<boolean>;
  image: string | null;
  is_default: Generated<boolean>;
  text_for_bank_transfer: string | null;
  text_for_cod: string | null;
  text_for_epayment: string | null;
  wa_gateway_assignation_type: string | null;
  wa_integration_id: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface DigitalProductFilesTable {
  id: Generated<number>;
  business_id: number;
  product_id: number;
  variant_id: number;
  name: string;
  content_type: string;
  size_in_bytes: number;
  storage_key: string;
  created_at: Generated<Date>;
}

declare module '../../db/schema.ts' {
  interface DB {
    product_knowledge_items: ProductKnowledgeItemsTable;
    follow_up_chats: FollowUpChatsTable;
    digital_product_files: DigitalProductFilesTable;
  }
}
