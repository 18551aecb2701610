import type { Db } from '../../db/database.ts';
import { formatCents } from '../../lib/money.ts';
import type { ShippingPlace, ShippingProvider, ShippingRate } from '../../providers/shipping/index.ts';
import * as q from './queries.ts';

export interface RatedService {
  service: q.CourierServiceRow;
  rate: ShippingRate;
  /** Decimal string of whole Rupiah, e.g. `"18000.00"`. */
  cost: string;
  /** The service can collect cash on delivery on this route. */
  codCapable: boolean;
  /** This shipment would be cash on delivery: the payment method is `cod` and the service can do it. */
  isCod: boolean;
}

export interface RateInput {
  origin: ShippingPlace;
  destination: ShippingPlace;
  weightGrams: number;
  /** null: every courier. */
  courierCodes: readonly string[] | null;
  serviceId?: number | null | undefined;
  paymentMethod: string | null;
  /** For `cod`, also list services that cannot collect cash (business "show all" view). */
  keepNonCod: boolean;
  /** The services `courierCodes` and `serviceId` select, when the caller already listed them. */
  services?: q.CourierServiceRow[] | undefined;
}

/**
 * The one place courier services meet the provider's rates: every shipping answer (storefront
 * options, checkout recomputation, business searches) comes from here. Cheapest first, then by
 * courier service id.
 */
export async function rateServices(
  db: Db,
  provider: ShippingProvider,
  input: RateInput,
): Promise<RatedService[]> {
  const services =
    input.services ??
    (await q.listCourierServices(db, { courierCodes: input.courierCodes, serviceId: input.serviceId }));
  if (services.length === 0) return [];
  const rates = await provider.rates({
    origin: input.origin,
    destination: input.destination,
    weightGrams: input.weightGrams,
    services: services.map((s) => ({ courierCode: s.courier_code, serviceCode: s.service_code })),
  });
  const byKey = new Map(rates.map((rate) => [`${rate.courierCode}:${rate.serviceCode}`, rate]));
  const cod = input.paymentMethod === 'cod';
  return services
    .flatMap((service) => {
      const rate = byKey.get(`${service.courier_code}:${service.service_code}`);
      if (!rate) return [];
      const codCapable = service.is_cod_supported && rate.isCodAvailable;
      if (cod && !codCapable && !input.keepNonCod) return [];
      return [
        { service, rate, cost: formatCents(BigInt(rate.cost) * 100n), codCapable, isCod: cod && codCapable },
      ];
    })
    .sort((a, b) => a.rate.cost - b.rate.cost || a.service.id - b.service.id);
}
