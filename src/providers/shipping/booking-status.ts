/**
 * One shipment vocabulary for every booking provider, so order code never reads a provider's own
 * status words. Providers map theirs onto these (Biteship: `biteship-wire.ts`).
 *
 * - `booked`: the AWB exists (or is being issued); the courier has not taken the parcel yet.
 * - `picked_up`: the courier has the parcel.
 * - `in_transit`: between hubs (providers that only report pickup and last mile never say it).
 * - `out_for_delivery`: on the last mile.
 * - `on_hold`: stopped for a reason (a failed delivery attempt, an address problem); may resume.
 * - `delivered`: the recipient has it.
 * - `returning` / `returned`: going back to / back at the sender (return to sender, RTS).
 * - `canceled`: the booking was canceled before pickup.
 * - `failed`: ended without delivery or return: no courier found, rejected, or disposed.
 */
export const SHIPMENT_STATUSES = [
  'booked',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'on_hold',
  'delivered',
  'returning',
  'returned',
  'canceled',
  'failed',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** The contract's order `status` values a shipment can move an order to. */
export type ShipmentOrderStatus = 'shipped' | 'shipped_rts' | 'rts' | 'completed';
/** The contract's `awb_status` / `awb_ca_status` values. */
export type AwbStatus = 'unavailable' | 'pending' | 'waiting' | 'failed' | 'created' | 'canceled';

export interface OrderShipmentEffect {
  /** The order status this shipment status suggests; null leaves the order's status as it is. */
  orderStatus: ShipmentOrderStatus | null;
  awbStatus: AwbStatus;
}

/**
 * How a shipment status reads in the order vocabulary (a suggestion for the order routes; which
 * transitions an order may make is the order state machine's call, not the courier's):
 *
 * | shipment | order `status` | `awb_status` |
 * | --- | --- | --- |
 * | booked | unchanged (ready) | created |
 * | picked_up, in_transit, out_for_delivery | shipped | created |
 * | on_hold | unchanged | created |
 * | delivered | completed | created |
 * | returning | shipped_rts | created |
 * | returned | rts | created |
 * | canceled | unchanged | canceled |
 * | failed | unchanged | failed |
 *
 * `on_hold` changes nothing because it happens before pickup as well as after. `awb_status` is
 * `created` whenever the AWB exists; before that the order routes set `pending` (booking under way),
 * `waiting` (booked, the courier has not issued the AWB yet: `CreatedShipment.waybill` null) or
 * `failed` (the booking failed). `unavailable` is for orders no courier can book (digital goods).
 */
export const ORDER_SHIPMENT_EFFECT: Record<ShipmentStatus, OrderShipmentEffect> = {
  booked: { orderStatus: null, awbStatus: 'created' },
  picked_up: { orderStatus: 'shipped', awbStatus: 'created' },
  in_transit: { orderStatus: 'shipped', awbStatus: 'created' },
  out_for_delivery: { orderStatus: 'shipped', awbStatus: 'created' },
  on_hold: { orderStatus: null, awbStatus: 'created' },
  delivered: { orderStatus: 'completed', awbStatus: 'created' },
  returning: { orderStatus: 'shipped_rts', awbStatus: 'created' },
  returned: { orderStatus: 'rts', awbStatus: 'created' },
  canceled: { orderStatus: null, awbStatus: 'canceled' },
  failed: { orderStatus: null, awbStatus: 'failed' },
};

/** Statuses from which a booking can still be canceled: the courier has not taken the parcel. */
export function isCancellable(status: ShipmentStatus): boolean {
  return status === 'booked';
}
