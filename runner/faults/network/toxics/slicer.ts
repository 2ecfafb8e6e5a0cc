/** slicer: chunks are cut into pieces of average_size ± size_variation bytes, `delay` µs apart. */
import type { z } from 'zod';
import { defineToxic } from './toxic.ts';
import { nonNegative, streamFields } from './scenario-fields.ts';

export const slicer = defineToxic({
  type: 'slicer',
  attributes: { average_size: 0, size_variation: 0, delay: 0 }, // bytes, bytes, µs
  scope: 'stream',
  scenario: (zod: typeof z) => zod.strictObject({
    type: zod.literal('slicer'),
    averageSizeBytes: zod.number().positive(),
    sizeVariationBytes: nonNegative(zod).default(0),
    delayUs: nonNegative(zod).default(0),
    ...streamFields(zod),
  }),
  toAttributes: (fault) => ({ average_size: fault.averageSizeBytes, size_variation: fault.sizeVariationBytes, delay: fault.delayUs }),
  check(attributes, errors) {
    if (attributes.average_size! < 1) errors.push('attributes.average_size must be >= 1 byte for slicer');
    if (attributes.size_variation! >= attributes.average_size! && attributes.average_size! > 0) {
      errors.push('attributes.size_variation must be smaller than average_size');
    }
  },
  async pipe(ctx, toxic, data, _arrivalMs, next) {
    const { average_size: averageBytes, size_variation: variationBytes, delay: delayUs } = toxic.attributes;
    let offset = 0;
    while (offset < data.length) {
      if (!ctx.isActive(toxic)) return next(data.subarray(offset));
      const sizeBytes = Math.max(1, Math.round(averageBytes! + (Math.random() * 2 - 1) * variationBytes!));
      await next(data.subarray(offset, offset + sizeBytes));
      offset += sizeBytes;
      if (delayUs! > 0 && offset < data.length) await ctx.hold(toxic, performance.now() + delayUs! / 1000);
    }
  },
});
