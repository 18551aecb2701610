import { describe, expect, it } from 'vitest';
import type { FieldErrors } from '../../../src/http/errors.ts';
import {
  type AntiSpamSettings,
  checkAddressLength,
  checkNameLength,
  isSuspicious,
  ORDER_LIMIT_WINDOW_MS,
  orderBlockedError,
  SPAM_IP_WINDOW_MS,
  spamQuestion,
  spamVerdict,
} from '../../../src/modules/checkout/spam.ts';

const OFF: AntiSpamSettings = {
  is_advanced_validation: false,
  min_name_length: 0,
  min_address_length: 0,
  max_per_phone: 0,
  max_per_ip: 0,
  blocked_message: '',
  is_order_hard_filter: false,
  is_customer_spam_filter: false,
  is_ip_spam_filter: false,
  is_spam_filter: false,
};
const NOW = new Date('2026-12-01T10:00:00Z');
const BUYER = { email: ' Budi@Example.test ', phone: '0812-3456-7890', ip: '203.0.113.7' };
const NONE = { phoneOrders: 0, ipOrders: 0, flaggedBuyer: false, flaggedIp: false };

describe('anti-spam rules', () => {
  it('counts name and address length in visible characters, only under advanced validation', () => {
    const on = { ...OFF, is_advanced_validation: true, min_name_length: 3, min_address_length: 8 };
    const problems = (settings: AntiSpamSettings, name: string, address: string) => {
      const fieldErrors: FieldErrors = {};
      checkNameLength(settings, name, fieldErrors);
      checkAddressLength(settings, address, fieldErrors);
      return fieldErrors;
    };
    expect(problems(on, 'Aq', 'Jl. A 1')).toEqual({
      customer_name: ['is too short (minimum is 3 characters)'],
      shipping_address: ['is too short (minimum is 8 characters)'],
    });
    // A run of whitespace is one character: `A q` passes, `Jl. A 1` does not.
    expect(problems(on, 'A\t \u00a0q', 'Jl.      A 1')).toEqual({
      shipping_address: ['is too short (minimum is 8 characters)'],
    });
    // Code points: an emoji is one character, not two UTF-16 units.
    expect(problems(on, 'A😀', 'Jl. Braga 1')).toHaveProperty('customer_name');
    expect(problems(on, 'Ayu', 'Jl. Braga')).toEqual({});
    expect(problems({ ...on, is_advanced_validation: false }, 'A', 'J')).toEqual({});
    // A blank field keeps the error it already has.
    const fieldErrors: FieldErrors = { customer_name: ["can't be blank"] };
    checkNameLength(on, 'A', fieldErrors);
    expect(fieldErrors).toEqual({ customer_name: ["can't be blank"] });
  });

  it('asks the database nothing unless a filter would act on the answer', () => {
    const everything = {
      ...OFF,
      max_per_phone: 2,
      max_per_ip: 3,
      is_customer_spam_filter: true,
      is_ip_spam_filter: true,
    };
    expect(spamQuestion(everything, BUYER, NOW)).toBeNull();
    expect(spamQuestion({ ...OFF, is_spam_filter: true }, BUYER, NOW)).toBeNull();
    expect(spamQuestion({ ...everything, is_order_hard_filter: true }, BUYER, NOW)).toEqual({
      phoneOrders: { phone: BUYER.phone, since: new Date(NOW.getTime() - ORDER_LIMIT_WINDOW_MS), limit: 2 },
      ipOrders: { ip: BUYER.ip, since: new Date(NOW.getTime() - ORDER_LIMIT_WINDOW_MS), limit: 3 },
      flaggedBuyer: { email: 'budi@example.test', phone: BUYER.phone },
      flaggedIp: { ip: BUYER.ip, since: new Date(NOW.getTime() - SPAM_IP_WINDOW_MS) },
    });
    // Nothing to compare: no phone (or one without digits) and no IP.
    const limits = { ...OFF, is_spam_filter: true, max_per_phone: 1, max_per_ip: 1 };
    expect(spamQuestion(limits, { email: 'a@example.test', phone: '(--)', ip: null }, NOW)).toBeNull();
  });

  it('suspects an order that would pass a limit or meets earlier spam, and acts as the store chose', () => {
    const question = spamQuestion(
      { ...OFF, is_spam_filter: true, max_per_phone: 2, max_per_ip: 5 },
      BUYER,
      NOW,
    )!;
    expect(isSuspicious(question, { ...NONE, phoneOrders: 1, ipOrders: 4 })).toBe(false);
    expect(isSuspicious(question, { ...NONE, phoneOrders: 2 })).toBe(true);
    expect(isSuspicious(question, { ...NONE, ipOrders: 5 })).toBe(true);
    expect(isSuspicious(question, { ...NONE, flaggedBuyer: true })).toBe(true);
    expect(isSuspicious(question, { ...NONE, flaggedIp: true })).toBe(true);

    expect(spamVerdict({ ...OFF, is_spam_filter: true }, false)).toBe('accept');
    expect(spamVerdict({ ...OFF, is_spam_filter: true }, true)).toBe('mark');
    expect(spamVerdict({ ...OFF, is_order_hard_filter: true, is_spam_filter: true }, true)).toBe('block');
    expect(spamVerdict(OFF, true)).toBe('accept');
  });

  it('refuses with the store’s message, or a default one', () => {
    expect(orderBlockedError({ blocked_message: ' Maaf. ' }).toBody()).toEqual({
      error: 'Order blocked',
      error_code: 'order_blocked',
      message: 'Maaf.',
      errors: {},
    });
    const fallback = orderBlockedError({ blocked_message: '' });
    expect(fallback.statusCode).toBe(403);
    expect(fallback.message).toMatch(/^This order cannot be accepted/);
  });
});
